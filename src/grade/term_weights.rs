//! Term weights for bank rubrics: the inverse document frequency of each matching key across
//! a catalog's rubrics (each rubric one document: its question and reference text).
//!
//! Analysing a hundred model answers takes several milliseconds, most of `hone grade`'s time,
//! so the document frequencies of the bundled rubrics are committed as `rubrics/term-weights.tsv`
//! and embedded. `hone rubric build` writes that file and `hone rubric check` (run in CI) fails
//! when it no longer matches the rubric files.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use crate::rubric::Rubric;

use super::prepared::{content_keys, reference_text};

/// File name of the table, inside a rubrics folder.
pub const FILE_NAME: &str = "term-weights.tsv";

/// How many rubrics each matching key occurs in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentFrequencies {
    /// Number of rubrics counted.
    pub documents: usize,
    /// Key → number of rubrics it occurs in.
    pub counts: BTreeMap<String, usize>,
}

impl DocumentFrequencies {
    /// Counts the keys of each rubric's question and reference text.
    pub fn of<'a>(rubrics: impl IntoIterator<Item = &'a Rubric>) -> DocumentFrequencies {
        let mut table = DocumentFrequencies::default();
        for rubric in rubrics {
            table.documents += 1;
            let doc = format!("{} {}", rubric.question, reference_text(rubric));
            let keys: HashSet<String> = content_keys(&doc).into_iter().collect();
            for key in keys {
                *table.counts.entry(key).or_default() += 1;
            }
        }
        table
    }

    /// The table as committed: a comment, the document count, then `key<TAB>count` lines in
    /// key order. Keys are matching keys (letters, digits and joiners), so they never hold a
    /// tab or line break, start with `#` or read `documents`.
    pub fn to_tsv(&self) -> String {
        let mut out = format!(
            "# Document frequencies of matching keys across the bundled rubrics (IDF term weights).\n\
             # Written by `hone rubric build`; checked by `hone rubric check`. Do not edit.\n\
             documents\t{}\n",
            self.documents
        );
        for (key, count) in &self.counts {
            debug_assert!(
                !key.contains(['\t', '\n']) && !key.starts_with('#') && key != "documents",
                "{key:?} cannot be a table key"
            );
            out.push_str(&format!("{key}\t{count}\n"));
        }
        out
    }

    /// Parses [`DocumentFrequencies::to_tsv`] output; the error names the line. The
    /// `documents` line must come once, before the keys.
    pub fn from_tsv(text: &str) -> Result<DocumentFrequencies, String> {
        let mut table = DocumentFrequencies::default();
        let mut documents_seen = false;
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let parsed = line
                .split_once('\t')
                .and_then(|(key, n)| Some((key, n.parse::<usize>().ok()?)));
            match parsed {
                Some(("documents", n)) if !documents_seen && table.counts.is_empty() => {
                    table.documents = n;
                    documents_seen = true;
                }
                Some((key, _)) if !documents_seen || key == "documents" => {
                    return Err(format!(
                        "line {}: expected one `documents<TAB>count` line before the keys",
                        i + 1
                    ))
                }
                Some((key, n)) if !key.is_empty() => {
                    table.counts.insert(key.to_string(), n);
                }
                _ => return Err(format!("line {}: expected `key<TAB>count`", i + 1)),
            }
        }
        if !documents_seen {
            return Err("no `documents<TAB>count` line".into());
        }
        Ok(table)
    }
}

/// Inverse document frequencies of matching keys across a set of rubrics (e.g. a whole bank).
#[derive(Debug, Clone, Default)]
pub struct TermWeights {
    idf: HashMap<String, f64>,
    default: f64,
}

impl TermWeights {
    /// IDF over the rubrics' reference texts (each rubric one document), smoothed.
    pub fn from_rubrics<'a>(rubrics: impl IntoIterator<Item = &'a Rubric>) -> TermWeights {
        TermWeights::from_frequencies(&DocumentFrequencies::of(rubrics))
    }

    /// Smoothed IDF from document frequencies: `ln((1 + n) / (1 + df)) + 1`.
    pub fn from_frequencies(table: &DocumentFrequencies) -> TermWeights {
        let n = table.documents as f64;
        let idf_of = |d: usize| ((1.0 + n) / (1.0 + d as f64)).ln() + 1.0;
        TermWeights {
            idf: table
                .counts
                .iter()
                .map(|(k, &d)| (k.clone(), idf_of(d)))
                .collect(),
            default: idf_of(0),
        }
    }

    /// The weights of the bundled catalog's bundled rubrics, from the embedded table.
    pub fn bundled() -> &'static TermWeights {
        static BUNDLED: OnceLock<TermWeights> = OnceLock::new();
        BUNDLED.get_or_init(|| TermWeights::from_frequencies(bundled_frequencies()))
    }

    /// Weight of a key: its IDF, or the weight of an unseen key (1 when there is no corpus).
    pub fn weight(&self, key: &str) -> f64 {
        if self.idf.is_empty() {
            return 1.0;
        }
        self.idf.get(key).copied().unwrap_or(self.default)
    }
}

/// The embedded `rubrics/term-weights.tsv`.
pub fn bundled_frequencies() -> &'static DocumentFrequencies {
    static TABLE: OnceLock<DocumentFrequencies> = OnceLock::new();
    TABLE.get_or_init(|| {
        DocumentFrequencies::from_tsv(include_str!("../../rubrics/term-weights.tsv"))
            .expect("the embedded term-weight table parses")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::extract::from_reference;

    #[test]
    fn tables_round_trip_and_bad_lines_are_named() {
        let rubrics = [
            from_reference("a", "What is a mutex?", "A lock for one thread.", None),
            from_reference("b", "What is a queue?", "First in, first out.", None),
        ];
        let table = DocumentFrequencies::of(&rubrics);
        assert_eq!(table.documents, 2);
        assert_eq!(DocumentFrequencies::from_tsv(&table.to_tsv()), Ok(table));
        let err = DocumentFrequencies::from_tsv("documents\t2\nlock 1\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
        let err = DocumentFrequencies::from_tsv("# c\nlock\t1\n").unwrap_err();
        assert!(err.starts_with("line 2: expected one `documents"), "{err}");
        let twice = "documents\t2\nlock\t1\ndocuments\t3\n";
        assert!(DocumentFrequencies::from_tsv(twice).is_err());
        assert!(DocumentFrequencies::from_tsv("").is_err());
    }

    #[test]
    fn rarer_keys_weigh_more_and_unseen_keys_most() {
        let rubrics = [
            from_reference("a", "Why cache?", "A cache keeps hot data close.", None),
            from_reference(
                "b",
                "Why shard?",
                "Sharding splits data across nodes.",
                None,
            ),
        ];
        let weights = TermWeights::from_rubrics(&rubrics);
        let table = DocumentFrequencies::of(&rubrics);
        let common = table.counts.iter().find(|(_, &n)| n == 2).unwrap().0;
        let rare = table.counts.iter().find(|(_, &n)| n == 1).unwrap().0;
        assert!(weights.weight(rare) > weights.weight(common));
        assert!(weights.weight("never-seen") > weights.weight(rare));
        assert_eq!(TermWeights::default().weight("anything"), 1.0);
    }
}
