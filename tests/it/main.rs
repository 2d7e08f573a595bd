//! All integration tests in one binary (one link instead of many). One module per area.

mod bank;
mod bank_files;
mod batch;
mod browser;
mod calibrate;
mod cli_io;
mod cli_list_show;
mod common;
mod eval;
mod grade;
mod grade_fixtures;
mod grade_save;
mod hints;
mod history_db;
mod hostile;
mod layers;
mod layout;
mod llm;
mod practice;
mod rubric;
mod run_safety;
mod scored_with;
mod settings;
mod setup;
mod unified_scoring;
mod whole_output;
