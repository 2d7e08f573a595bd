//! `hone merge`.

use std::process::ExitCode;

/// Arguments of `hone merge`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `hone merge`.
pub fn run(_args: Args, _globals: &super::Globals) -> anyhow::Result<ExitCode> {
    super::not_yet("merge")
}
