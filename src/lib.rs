//! hone: grades written answers to interview questions against rubrics pulled from model
//! answers, and coaches the person who wrote them.
//!
//! The core (`text`, `rubric`, `grade`) is pure and synchronous: a function of (rubric, answer)
//! to a [`grade::Grade`], with no I/O and no printing. Front ends in `cli` orchestrate input,
//! the core, and `report`. The LLM layer (`llm`) is async and optional.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod bank;
pub mod batch;
pub mod cli;
pub mod config;
pub mod error;
pub mod eval;
pub mod grade;
pub mod llm;
pub mod practice;
pub mod report;
pub mod rubric;
pub mod text;

pub use error::InputError;
