//! Clockwork: a small single-threaded async runtime (work in progress).
