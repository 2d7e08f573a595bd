//! All integration tests in one binary (one link instead of many). One module per area.

mod bank;
mod browser;
mod calibrate;
mod common;
mod eval;
mod practice;
