//! The `hone` binary: parse arguments, run, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = hone::cli::Cli::parse();
    match hone::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            hone::cli::print_error(&err);
            ExitCode::from(2)
        }
    }
}
