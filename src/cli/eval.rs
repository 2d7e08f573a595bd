//! `hone eval`.

use std::process::ExitCode;

/// Arguments of `hone eval`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `hone eval`.
pub fn run(_args: Args, _globals: &super::Globals) -> anyhow::Result<ExitCode> {
    super::not_yet("eval")
}
