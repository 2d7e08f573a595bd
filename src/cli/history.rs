//! `hone history`.

use std::process::ExitCode;

/// Subcommands of `hone history`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {}

/// Runs `hone history`.
pub fn run(cmd: Command, _globals: &super::Globals) -> anyhow::Result<ExitCode> {
    match cmd {}
}
