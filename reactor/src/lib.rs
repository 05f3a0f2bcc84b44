//! Clockwork's reactor (filled in by the reactor issue).
