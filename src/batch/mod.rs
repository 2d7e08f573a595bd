//! Batch grading: answer inputs (JSONL, Markdown answer files, folders, globs), the parallel
//! runner, the append-only results file with resume and shards (merging shard results is `report::merge`, which reads reports back).
//!
//! The flow: [`inputs`] streams [`item::Input`]s, the [`runner`] grades them on every core and
//! hands each finished [`record::Record`] to the caller (which appends it to the results file and
//! feeds the reports), [`resume`] lets a rerun skip what an earlier run already graded.

pub mod inputs;
pub mod item;
pub mod key;
pub mod lock;
pub mod markdown;
pub mod record;
pub mod resume;
pub mod runner;
pub mod shard;

pub use item::{AnswerItem, Input, InputFailure, Source};
pub use key::AnswerKey;
pub use record::{Record, Status, SCHEMA_VERSION};
pub use shard::Shard;
