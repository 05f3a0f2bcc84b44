//! `OpenOptions`: how to open a file; `std`'s builder, with an `open` that runs on the pool.

use std::io;
use std::path::Path;

use crate::fs::{File, asyncify};

/// Options for opening a file (read, write, append, create, ...), as `tokio::fs::OpenOptions`.
///
/// It wraps [`std::fs::OpenOptions`], whose `Debug` it shows, and only [`OpenOptions::open`]
/// differs: it opens on the blocking pool and answers a [`File`].
///
/// ```
/// use clockwork::fs::OpenOptions;
/// use clockwork::io::AsyncWriteExt;
///
/// # clockwork::runtime::Runtime::new().unwrap().block_on(async {
/// let path = std::env::temp_dir().join(format!("clockwork-options-doc-{}", std::process::id()));
/// let mut file = OpenOptions::new().create(true).append(true).open(&path).await?;
/// file.write_all(b"one line\n").await?;
/// file.flush().await?;
/// assert_eq!(clockwork::fs::read(&path).await?, b"one line\n");
/// # clockwork::fs::remove_file(&path).await?;
/// # std::io::Result::Ok(()) }).unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct OpenOptions(std::fs::OpenOptions);

impl OpenOptions {
    /// Options with everything off: set at least `read`, `write` or `append` before opening.
    pub fn new() -> OpenOptions {
        OpenOptions(std::fs::OpenOptions::new())
    }

    /// Open for reading.
    pub fn read(&mut self, read: bool) -> &mut OpenOptions {
        self.0.read(read);
        self
    }

    /// Open for writing (from the start, overwriting, unless `append`).
    pub fn write(&mut self, write: bool) -> &mut OpenOptions {
        self.0.write(write);
        self
    }

    /// Open for appending: every write goes to the end of the file (`O_APPEND`).
    pub fn append(&mut self, append: bool) -> &mut OpenOptions {
        self.0.append(append);
        self
    }

    /// Truncate the file to zero length when it is opened (needs `write`).
    pub fn truncate(&mut self, truncate: bool) -> &mut OpenOptions {
        self.0.truncate(truncate);
        self
    }

    /// Create the file if it does not exist (needs `write` or `append`).
    pub fn create(&mut self, create: bool) -> &mut OpenOptions {
        self.0.create(create);
        self
    }

    /// Create the file, failing if it exists (`O_EXCL`): no other process can create it first.
    pub fn create_new(&mut self, create_new: bool) -> &mut OpenOptions {
        self.0.create_new(create_new);
        self
    }

    /// The permission bits a created file gets (before the umask); `0o666` by default.
    #[cfg(unix)]
    pub fn mode(&mut self, mode: u32) -> &mut OpenOptions {
        std::os::unix::fs::OpenOptionsExt::mode(&mut self.0, mode);
        self
    }

    /// Extra flags for `open(2)`, such as `O_NOFOLLOW`; the access mode bits are ignored.
    #[cfg(unix)]
    pub fn custom_flags(&mut self, flags: i32) -> &mut OpenOptions {
        std::os::unix::fs::OpenOptionsExt::custom_flags(&mut self.0, flags);
        self
    }

    /// Opens `path` with these options, on the blocking pool.
    pub async fn open(&self, path: impl AsRef<Path>) -> io::Result<File> {
        let path = path.as_ref().to_owned();
        let options = self.0.clone();
        let std_file = asyncify(move || options.open(path)).await?;
        Ok(File::from_std(std_file))
    }
}

impl Default for OpenOptions {
    fn default() -> OpenOptions {
        OpenOptions::new()
    }
}

impl From<std::fs::OpenOptions> for OpenOptions {
    fn from(options: std::fs::OpenOptions) -> OpenOptions {
        OpenOptions(options)
    }
}
