//! `hone coach`.

use std::process::ExitCode;

/// Arguments of `hone coach`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `hone coach`.
pub fn run(_args: Args, _globals: &super::Globals) -> anyhow::Result<ExitCode> {
    super::not_yet("coach")
}
