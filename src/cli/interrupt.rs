//! Ctrl-C (SIGINT) for the long-running commands: a watcher thread runs the command's last
//! words (keep the answer being typed, say how to resume), then exits with 130, the shell's
//! code for an interrupt. Work already committed (results lines, history rows) is on disk by
//! then, since both are written as each piece finishes.

/// Runs `last_words` on the first Ctrl-C, then exits with 130. Without signal support (not
/// Unix) or when the handler cannot be installed, Ctrl-C keeps its default effect.
pub fn on_interrupt(last_words: impl FnOnce() + Send + 'static) {
    #[cfg(unix)]
    {
        use signal_hook::consts::SIGINT;
        use signal_hook::iterator::Signals;
        let Ok(mut signals) = Signals::new([SIGINT]) else {
            return;
        };
        std::thread::spawn(move || {
            if signals.forever().next().is_some() {
                last_words();
                std::process::exit(130);
            }
        });
    }
    #[cfg(not(unix))]
    drop(last_words);
}
