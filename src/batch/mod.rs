//! Batch grading: answer inputs (JSONL, Markdown answer files, folders), runner, resume, shard/merge.
