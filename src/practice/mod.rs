//! Practice mode: interactive loop, spaced repetition, and attempt history (SQLite).
