//! `hone completions SHELL`: print a shell completion script generated from the clap
//! definition (clap_complete), so completions never drift from the real flags.

use std::process::ExitCode;

use clap::CommandFactory;

/// Arguments of `hone completions`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Install, for example:\n  \
bash: hone completions bash > ~/.local/share/bash-completion/completions/hone\n  \
zsh:  hone completions zsh > ~/.zfunc/_hone   (with `fpath+=~/.zfunc` before `compinit`)\n  \
fish: hone completions fish > ~/.config/fish/completions/hone.fish")]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// Runs `hone completions`: the script on stdout.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut command = super::Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "hone", &mut script);
    super::print(&String::from_utf8(script)?)?;
    Ok(ExitCode::SUCCESS)
}
