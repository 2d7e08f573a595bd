//! `hone calibrate`.

use std::process::ExitCode;

/// Arguments of `hone calibrate`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `hone calibrate`.
pub fn run(_args: Args, _globals: &super::Globals) -> anyhow::Result<ExitCode> {
    super::not_yet("calibrate")
}
