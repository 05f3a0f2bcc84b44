//! Every pattern of the patterns document (work in progress).
fn main() {}
