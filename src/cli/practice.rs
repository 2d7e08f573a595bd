//! `hone practice`.

use std::process::ExitCode;

/// Arguments of `hone practice`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `hone practice`.
pub fn run(_args: Args, _globals: &super::Globals) -> anyhow::Result<ExitCode> {
    super::not_yet("practice")
}
