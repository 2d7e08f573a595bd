//! `hone batch`.

use std::process::ExitCode;

/// Arguments of `hone batch`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `hone batch`.
pub fn run(_args: Args, _globals: &super::Globals) -> anyhow::Result<ExitCode> {
    super::not_yet("batch")
}
