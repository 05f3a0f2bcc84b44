//! `say!`: `println!` for patterns, recording each line so two runs can be compared.

use std::cell::RefCell;

thread_local! {
    static LINES: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Prints a line of a pattern's output (formatted like `println!`) and records it.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::say::record(format!($($arg)*))
    };
}

/// Records one line (see [`say!`]).
pub fn record(line: String) {
    LINES.with(|lines| lines.borrow_mut().push(line));
}

/// Takes the lines recorded on this thread since the last call.
pub fn take() -> Vec<String> {
    LINES.with(|lines| std::mem::take(&mut *lines.borrow_mut()))
}
