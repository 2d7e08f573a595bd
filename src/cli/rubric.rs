//! `hone rubric`.

use std::process::ExitCode;

/// Subcommands of `hone rubric`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {}

/// Runs `hone rubric`.
pub fn run(cmd: Command, _globals: &super::Globals) -> anyhow::Result<ExitCode> {
    match cmd {}
}
