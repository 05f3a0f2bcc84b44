//! `say!`: `println!` for patterns, recording each line so two runs can be compared.
//!
//! `aside!` records a line that is shown but not compared: a time in milliseconds, a figure
//! that only one runtime can give, anything that may differ from run to run.

use std::cell::RefCell;

thread_local! {
    static LINES: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    static ASIDES: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Prints a line of a pattern's output (formatted like `println!`) and records it.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::say::record(format!($($arg)*))
    };
}

/// Records a line that is shown after the pattern's output but left out of the comparison.
#[macro_export]
macro_rules! aside {
    ($($arg:tt)*) => {
        $crate::say::record_aside(format!($($arg)*))
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

/// Records one aside (see [`aside!`]).
pub fn record_aside(line: String) {
    ASIDES.with(|asides| asides.borrow_mut().push(line));
}

/// Takes the asides recorded on this thread since the last call.
pub fn take_asides() -> Vec<String> {
    ASIDES.with(|asides| std::mem::take(&mut *asides.borrow_mut()))
}
