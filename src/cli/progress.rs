//! `hone progress`.

use std::process::ExitCode;

/// Arguments of `hone progress`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `hone progress`.
pub fn run(_args: Args, _globals: &super::Globals) -> anyhow::Result<ExitCode> {
    super::not_yet("progress")
}
