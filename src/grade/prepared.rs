//! A rubric prepared for fast grading: its text analysed once into a vocabulary of matching keys
//! with term weights (IDF across the rubrics it was prepared with, question words demoted), so
//! grading an answer only analyses the answer.

use rustc_hash::FxHashMap;

use crate::bank::Kind;
use crate::rubric::Rubric;

use super::analysis::{analyse, phrase_keys};
use super::lexicon;
use super::term_weights::TermWeights;

/// Weight kept by a word the question already uses: copying the question earns (almost) nothing.
pub const QUESTION_WORD_WEIGHT: f64 = 0.1;

/// The whole reference text of a rubric: its key points' (or STAR elements') source sentences.
pub fn reference_text(rubric: &Rubric) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for kp in &rubric.key_points {
        let text = if kp.reference.trim().is_empty() {
            kp.label.as_str()
        } else {
            kp.reference.as_str()
        };
        if !parts.contains(&text) {
            parts.push(text);
        }
    }
    for el in &rubric.star {
        if !parts.contains(&el.reference.as_str()) {
            parts.push(&el.reference);
        }
    }
    parts.join("\n")
}

/// Key id in a prepared rubric's vocabulary.
pub type KeyId = u32;

/// A weighted bag of vocabulary keys (a key point's reference, the whole reference).
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// (key, weight) pairs, keys distinct.
    pub terms: Vec<(KeyId, f64)>,
    /// Sum of the weights.
    pub total: f64,
}

impl Profile {
    fn from_keys(keys: impl IntoIterator<Item = KeyId>, weights: &[f64]) -> Profile {
        let mut terms: Vec<(KeyId, f64)> = Vec::new();
        for k in keys {
            if !terms.iter().any(|(t, _)| *t == k) {
                terms.push((k, weights[k as usize]));
            }
        }
        let total = terms.iter().map(|(_, w)| w).sum();
        Profile { terms, total }
    }
}

/// A rubric term (possibly several words): all its keys must appear for a full match.
#[derive(Debug, Clone)]
pub struct PreparedTerm {
    /// The term as written in the rubric.
    pub text: String,
    /// Its keys.
    pub keys: Vec<KeyId>,
}

/// A key point (or STAR element, or competency) ready for matching.
#[derive(Debug, Clone)]
pub struct PreparedPoint {
    /// Terms that show the point.
    pub terms: Vec<PreparedTerm>,
    /// The point's reference sentence(s).
    pub reference: Profile,
    /// (reference key, its opposite): "faster" in the reference, "slower" in an answer.
    pub antonyms: Vec<(String, String)>,
    /// Whether the reference is negated ("brass does not stick").
    pub negated: bool,
    /// Other ways to make the whole point: one whose keys all occur shows it.
    pub phrasings: Vec<PreparedTerm>,
    /// The point's statement (what a correct answer says), as a second reference.
    pub statement: Profile,
    /// Keys the point's own reference or statement negates: negating them agrees with it.
    pub self_negated: Vec<KeyId>,
}

/// Where a rubric came from, which decides the shipped calibration it is scored with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A bank question's rubric, weighted across the catalog.
    Bank,
    /// A rubric built from someone's reference answer (`--reference`, eval files).
    Reference,
}

/// A rubric prepared once for grading many answers.
#[derive(Debug, Clone)]
pub struct PreparedRubric {
    /// The rubric itself.
    pub rubric: Rubric,
    /// Bank question or ad-hoc reference.
    pub origin: Origin,
    /// Vocabulary: key → id.
    pub vocab: FxHashMap<String, KeyId>,
    /// Keys by id.
    pub keys: Vec<String>,
    /// Weight of each key (IDF, question words demoted).
    pub weights: Vec<f64>,
    /// Whether each key occurs in the question.
    pub in_question: Vec<bool>,
    /// Whether each key occurs in the reference text.
    pub in_reference: Vec<bool>,
    /// Vocabulary ids by first byte of the key, for typo matching.
    pub by_first_byte: FxHashMap<u8, Vec<KeyId>>,
    /// Base forms of comparative vocabulary keys (`lower` → `low`), for the reverse match.
    pub base_of: FxHashMap<String, KeyId>,
    /// The whole reference.
    pub reference: Profile,
    /// Content words in the reference.
    pub reference_len: usize,
    /// Key points, in rubric order.
    pub points: Vec<PreparedPoint>,
    /// STAR elements, in rubric order.
    pub star: Vec<PreparedPoint>,
    /// Competencies, in rubric order.
    pub competencies: Vec<PreparedPoint>,
    /// The question's content keys.
    pub question: Profile,
    /// Complexity claims, ready for checking.
    pub claims: Vec<super::claims::ExpectedClaim>,
    /// Per key point, the terms (indices into its `terms`) feedback may show as examples when
    /// it is not covered (see [`example_terms`]).
    pub examples: Vec<Vec<usize>>,
    /// The rubric's misconceptions, ready for detection.
    pub misconceptions: Vec<super::correctness::PreparedMisconception>,
    /// What this question is about (topicality).
    pub topic: super::correctness::TopicProfile,
    /// What the sibling questions of its section are about: an answer that fits one of them
    /// far better than this one answers another question.
    pub rivals: Vec<super::correctness::TopicProfile>,
}

impl PreparedRubric {
    /// Prepares a rubric with no corpus term weights (every content word weighs 1). Its origin
    /// is [`Origin::Reference`] when it was built from a reference answer, else [`Origin::Bank`].
    pub fn new(rubric: &Rubric) -> PreparedRubric {
        PreparedRubric {
            origin: if rubric.built_from_reference {
                Origin::Reference
            } else {
                Origin::Bank
            },
            ..PreparedRubric::with_weights(rubric, &TermWeights::default())
        }
    }

    /// Prepares a bank rubric ([`Origin::Bank`]) with term weights from a corpus (see
    /// [`TermWeights::from_rubrics`]).
    pub fn with_weights(rubric: &Rubric, corpus: &TermWeights) -> PreparedRubric {
        let mut builder = VocabBuilder::default();
        let question_keys: Vec<KeyId> = content_keys(&rubric.question)
            .into_iter()
            .map(|k| builder.id(k))
            .collect();
        let ref_text = reference_text(rubric);
        let ref_keys: Vec<KeyId> = content_keys(&ref_text)
            .into_iter()
            .map(|k| builder.id(k))
            .collect();
        let mut prepare =
            |terms: &[String], reference: &str, phrasings: &[String], statement: &str| {
                let mut to_terms = |list: &[String]| -> Vec<PreparedTerm> {
                    list.iter()
                        .map(|t| PreparedTerm {
                            text: t.clone(),
                            keys: phrase_keys(t).into_iter().map(|k| builder.id(k)).collect(),
                        })
                        .filter(|t| !t.keys.is_empty())
                        .collect()
                };
                let terms = to_terms(terms);
                let phrasings = to_terms(phrasings);
                let ref_keys = content_keys(reference);
                let antonyms: Vec<(String, String)> = ref_keys
                    .iter()
                    .flat_map(|k| {
                        lexicon::antonyms(k)
                            .iter()
                            .map(move |a| (k.clone(), a.clone()))
                    })
                    .filter(|(_, a)| !ref_keys.contains(a))
                    .collect();
                let negated = is_negated(reference);
                let refs: Vec<KeyId> = ref_keys.into_iter().map(|k| builder.id(k)).collect();
                // Words the point itself negates ("no step scans the list"): an answer negating
                // them agrees with it.
                let own_text = format!("{reference}\n{statement}");
                let own = analyse(&own_text);
                let mut self_negated: Vec<KeyId> = Vec::new();
                for clause in super::correctness::clauses(&own_text, &own) {
                    for k in clause.negated_keys {
                        let id = builder.id(k.to_string());
                        if !self_negated.contains(&id) {
                            self_negated.push(id);
                        }
                    }
                }
                let statement: Vec<KeyId> = content_keys(statement)
                    .into_iter()
                    .map(|k| builder.id(k))
                    .collect();
                (
                    terms,
                    refs,
                    antonyms,
                    negated,
                    phrasings,
                    statement,
                    self_negated,
                )
            };
        let raw_points: Vec<_> = rubric
            .key_points
            .iter()
            .map(|kp| {
                let reference = if kp.reference.trim().is_empty() {
                    &kp.label
                } else {
                    &kp.reference
                };
                prepare(&kp.terms, reference, &kp.phrasings, &kp.statement)
            })
            .collect();
        let raw_star: Vec<_> = rubric
            .star
            .iter()
            .map(|el| prepare(&el.terms, &el.reference, &[], ""))
            .collect();
        let raw_comp: Vec<_> = rubric
            .competencies
            .iter()
            .map(|c| prepare(&c.terms, &c.name, &[], ""))
            .collect();

        let keys = builder.keys;
        let mut in_question = vec![false; keys.len()];
        for &k in &question_keys {
            in_question[k as usize] = true;
        }
        let mut in_reference = vec![false; keys.len()];
        for &k in &ref_keys {
            in_reference[k as usize] = true;
        }
        let weights: Vec<f64> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let base = corpus.weight(k);
                if in_question[i] {
                    base * QUESTION_WORD_WEIGHT
                } else {
                    base
                }
            })
            .collect();
        let finish = |raw: Vec<RawPoint>| -> Vec<PreparedPoint> {
            raw.into_iter()
                .map(
                    |(terms, refs, antonyms, negated, phrasings, statement, self_negated)| {
                        PreparedPoint {
                            terms,
                            reference: Profile::from_keys(refs, &weights),
                            antonyms,
                            negated,
                            phrasings,
                            statement: Profile::from_keys(statement, &weights),
                            self_negated,
                        }
                    },
                )
                .collect()
        };
        let mut by_first_byte: FxHashMap<u8, Vec<KeyId>> = FxHashMap::default();
        for (i, k) in keys.iter().enumerate() {
            if k.len() >= 5 && !k.starts_with('=') {
                by_first_byte
                    .entry(k.as_bytes()[0])
                    .or_default()
                    .push(i as KeyId);
            }
        }
        let mut base_of = FxHashMap::default();
        for (i, k) in keys.iter().enumerate() {
            for base in base_forms(k) {
                if !builder.vocab.contains_key(base) {
                    base_of.insert(base.to_string(), i as KeyId);
                }
            }
        }
        let mut question_weights = vec![1.0; keys.len()];
        for (i, w) in question_weights.iter_mut().enumerate() {
            *w = corpus.weight(&keys[i]);
        }
        let mut prepared = PreparedRubric {
            rubric: rubric.clone(),
            origin: Origin::Bank,
            vocab: builder.vocab,
            reference_len: ref_keys.len(),
            reference: Profile::from_keys(ref_keys, &weights),
            question: Profile::from_keys(question_keys, &question_weights),
            points: finish(raw_points),
            star: finish(raw_star),
            competencies: finish(raw_comp),
            claims: super::claims::expected(&rubric.claims),
            keys,
            weights,
            in_question,
            in_reference,
            by_first_byte,
            base_of,
            examples: Vec::new(),
            misconceptions: super::correctness::prepare_misconceptions(rubric),
            topic: super::correctness::TopicProfile::of(rubric, corpus),
            rivals: Vec::new(),
        };
        prepared.examples = (0..prepared.points.len())
            .map(|i| example_terms(&prepared, i))
            .collect();
        prepared
    }

    /// Whether the rubric grades a behavioural (STAR) answer.
    pub fn is_behavioural(&self) -> bool {
        self.rubric.kind == Kind::Behavioural
    }
}

/// A point's terms, reference keys, antonym keys, negation, phrasings, statement keys and the
/// keys it negates itself, before weighting.
type RawPoint = (
    Vec<PreparedTerm>,
    Vec<KeyId>,
    Vec<(String, String)>,
    bool,
    Vec<PreparedTerm>,
    Vec<KeyId>,
    Vec<KeyId>,
);

/// Labels of at most this many words name a topic rather than say what to write.
const HEADING_WORDS: usize = 3;

/// Terms that would show key point `index` when its label only names a topic ("Cache
/// Architecture"), as indices into its prepared terms: those the label does not already say,
/// the most distinctive first (highest summed weight of their words, so rarer and longer terms
/// lead), without one whose words an earlier one already says ("latency" after "high
/// latency"). Empty for a label that is a sentence of its own. Feedback shows the first
/// few the answer does not already use (`evidence::examples_for`).
pub fn example_terms(prepared: &PreparedRubric, index: usize) -> Vec<usize> {
    let (Some(point), Some(terms)) = (
        prepared.rubric.key_points.get(index),
        prepared.points.get(index).map(|p| &p.terms),
    ) else {
        return Vec::new();
    };
    if point.label.split_whitespace().count() > HEADING_WORDS {
        return Vec::new();
    }
    let label = crate::text::content_stems(&point.label);
    let mut ranked: Vec<(f64, usize, Vec<String>)> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let weight: f64 = t.keys.iter().map(|&k| prepared.weights[k as usize]).sum();
            (weight, i, crate::text::content_stems(&t.text))
        })
        .filter(|(_, _, stems)| stems.iter().any(|s| !label.contains(s)))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut picked: Vec<(usize, Vec<String>)> = Vec::new();
    for (_, i, stems) in ranked {
        let repeats = picked
            .iter()
            .any(|(_, seen)| stems.iter().all(|s| seen.contains(s)));
        if !repeats {
            picked.push((i, stems));
        }
    }
    picked.into_iter().map(|(i, _)| i).collect()
}

/// Whether a text says "not" an odd number of times.
pub fn is_negated(text: &str) -> bool {
    crate::text::tokens(text)
        .iter()
        .filter(|t| lexicon::is_negator(&t.text.to_lowercase()))
        .count()
        % 2
        == 1
}

/// Base forms of a comparative or superlative key (`faster` → `fast`, `bigger` → `big`).
pub fn base_forms(key: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for suffix in ["est", "er"] {
        if let Some(base) = key.strip_suffix(suffix) {
            if base.len() >= 3 {
                out.push(base);
                let b = base.as_bytes();
                if b[b.len() - 1] == b[b.len() - 2] {
                    out.push(&base[..base.len() - 1]);
                }
            }
        }
    }
    out
}

/// Content keys of a text, in order.
pub(super) fn content_keys(text: &str) -> Vec<String> {
    analyse(text).content().map(|w| w.key.clone()).collect()
}

#[derive(Default)]
struct VocabBuilder {
    vocab: FxHashMap<String, KeyId>,
    keys: Vec<String>,
}

impl VocabBuilder {
    fn id(&mut self, key: String) -> KeyId {
        if let Some(&id) = self.vocab.get(&key) {
            return id;
        }
        let id = self.keys.len() as KeyId;
        self.vocab.insert(key.clone(), id);
        self.keys.push(key);
        id
    }
}
