//! `DirBuilder`: how to create a directory (recursively or not, and on Unix with which mode).

use std::io;
use std::path::Path;

use crate::fs::asyncify;

/// A builder for creating directories, as [`std::fs::DirBuilder`] (and `tokio::fs::DirBuilder`).
///
/// ```
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// let base = std::env::temp_dir().join(format!("clockwork-dir-doc-{}", std::process::id()));
/// clockwork::fs::DirBuilder::new().recursive(true).create(base.join("a/b")).await?;
/// assert!(clockwork::fs::metadata(base.join("a/b")).await?.is_dir());
/// # clockwork::fs::remove_dir_all(&base).await?;
/// # std::io::Result::Ok(()) }).unwrap();
/// ```
#[derive(Debug, Default, Clone)]
pub struct DirBuilder {
    /// Whether missing parents are created too.
    recursive: bool,
    /// The permission bits of the new directories (before the umask), on Unix.
    mode: Option<u32>,
}

impl DirBuilder {
    /// A builder that creates one directory, with the default mode (`0o777` before the umask).
    pub fn new() -> DirBuilder {
        DirBuilder::default()
    }

    /// Whether to create missing parents as well; `false` by default.
    pub fn recursive(&mut self, recursive: bool) -> &mut DirBuilder {
        self.recursive = recursive;
        self
    }

    /// The mode of the new directories, as `chmod` takes it.
    #[cfg(unix)]
    pub fn mode(&mut self, mode: u32) -> &mut DirBuilder {
        self.mode = Some(mode);
        self
    }

    /// Creates the directory `path` (and its parents, if recursive), on the blocking pool.
    pub async fn create(&self, path: impl AsRef<Path>) -> io::Result<()> {
        let path = path.as_ref().to_owned();
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(self.recursive);
        #[cfg(unix)]
        if let Some(mode) = self.mode {
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, mode);
        }
        asyncify(move || builder.create(path)).await
    }
}
