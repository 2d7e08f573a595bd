//! `hone list`.

use std::process::ExitCode;

/// Arguments of `hone list`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `hone list`.
pub fn run(_args: Args, _globals: &super::Globals) -> anyhow::Result<ExitCode> {
    super::not_yet("list")
}
