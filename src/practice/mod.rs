//! Practice mode: the interactive loop, spaced repetition, and attempt history (SQLite).
//!
//! `attempt` is the stored record of one graded answer, `history` the SQLite store,
//! `location` where it lives, `schedule` which question comes next, `recovery` where an answer
//! goes when the database cannot take it.

pub mod attempt;
pub mod coach;
pub mod filter;
pub mod history;
pub mod location;
pub mod progress;
pub mod progress_html;
pub mod recovery;
pub mod schedule;
pub mod session;

pub use attempt::Attempt;
pub use history::{History, HistoryError};
pub use schedule::{Clock, ManualClock, SystemClock};
