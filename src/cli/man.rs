//! `hone man`: the man page (roff) generated from the clap definition (clap_mangen), on stdout
//! or, with `--out DIR`, one page per command written into DIR (`hone.1`, `hone-grade.1`, …).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::CommandFactory;

/// Arguments of `hone man`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Read it at once with `hone man | man -l -`, or install the pages with\n  \
hone man --out ~/.local/share/man/man1"
)]
pub struct Args {
    /// Write `hone.1` and a page per subcommand into DIR (created if absent) instead of printing
    /// the main page.
    #[arg(long, short, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Runs `hone man`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let command = super::Cli::command();
    match &args.out {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(command, dir)
                .with_context(|| format!("cannot write the man pages into {}", dir.display()))?;
            super::note(&format!("Wrote the man pages into {}", dir.display()));
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command).render(&mut page)?;
            super::print(&String::from_utf8(page)?)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
