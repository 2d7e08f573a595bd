//! `hone show`.

use std::process::ExitCode;

/// Arguments of `hone show`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `hone show`.
pub fn run(_args: Args, _globals: &super::Globals) -> anyhow::Result<ExitCode> {
    super::not_yet("show")
}
