//! Reports: one file per output format behind one trait.

pub mod feedback;
