//! Errors that reach the user: one clear line naming the file or field and what to do.

use std::fmt;

/// A problem with what the user gave hone (a file, a flag, an id): exit code 2.
///
/// The message names the file (and line where there is one) or the field, and says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// What went wrong, naming the file/line or field.
    pub message: String,
    /// Optional hint on how to fix it, printed after the message.
    pub hint: Option<String>,
}

impl InputError {
    /// An input error with a message and no hint.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint ("try `hone list`") shown after the message.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}
