//! Clockwork's hierarchical timing wheel (filled in by the timer issue).
