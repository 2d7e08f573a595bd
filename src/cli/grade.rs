//! `hone grade`.

use std::process::ExitCode;

/// Arguments of `hone grade`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `hone grade`.
pub fn run(_args: Args, _globals: &super::Globals) -> anyhow::Result<ExitCode> {
    super::not_yet("grade")
}
