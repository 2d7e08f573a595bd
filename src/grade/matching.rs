//! Matching an analysed answer against a prepared rubric: each answer word is resolved to a
//! rubric key (exactly, through synonyms, or as a typo), then key points, the reference and the
//! question are scored as weighted recall over bags of matched keys.

use strsim::jaro_winkler;

use super::analysis::{Analysed, Word};
use super::lexicon;
use super::prepared::{base_forms, KeyId, PreparedPoint, PreparedRubric, Profile};

/// Jaro-Winkler similarity above which a word counts as a typo of a rubric key.
const TYPO_SIMILARITY: f64 = 0.92;
/// Credit for a typo match (an exact match earns 1).
const TYPO_CREDIT: f64 = 0.8;
/// Credit for a comparative matching its base form (`lower` for `low`).
const MORPH_CREDIT: f64 = 0.9;
/// Share of a point's match kept when the sentence says the opposite (an antonym).
const ANTONYM_KEEP: f64 = 0.5;
/// Share kept when the sentence's negation disagrees with the reference's.
const NEGATION_KEEP: f64 = 0.7;
/// Shortest key length eligible for typo matching (short words differ by one letter too easily).
const TYPO_MIN_LEN: usize = 5;

/// A bag of matched keys with the strength of each match, keys distinct.
#[derive(Debug, Clone, Default)]
pub struct Bag {
    /// (key, strength) pairs.
    pub hits: Vec<(KeyId, f64)>,
}

impl Bag {
    pub fn add(&mut self, key: KeyId, strength: f64) {
        match self.hits.iter_mut().find(|(k, _)| *k == key) {
            Some(hit) => hit.1 = hit.1.max(strength),
            None => self.hits.push((key, strength)),
        }
    }

    /// Strength of a key in the bag (0 when absent).
    pub fn get(&self, key: KeyId) -> f64 {
        self.hits
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(0.0, |(_, s)| *s)
    }

    /// Weighted share of the profile's keys found in the bag.
    pub fn recall(&self, profile: &Profile) -> f64 {
        if profile.total <= 0.0 {
            return 0.0;
        }
        let got: f64 = profile.terms.iter().map(|&(k, w)| w * self.get(k)).sum();
        got / profile.total
    }
}

/// An answer matched against a rubric.
#[derive(Debug, Clone)]
pub struct Matched {
    /// For each content word of the answer (in `Analysed::words` order, stopwords skipped):
    /// its sentence, the rubric key it matched, and how strongly.
    pub words: Vec<(usize, Option<(KeyId, f64)>)>,
    /// One bag per sentence (empty for sentences the guards took out).
    pub sentences: Vec<Bag>,
    /// All creditable sentences together.
    pub whole: Bag,
    /// Per sentence: whether it is negated, and its keys that have antonyms.
    pub polarity: Vec<(bool, Vec<String>)>,
    /// Per sentence: the rubric keys a negation governs (within a few words after "not",
    /// "never", "no"...).
    pub negated_keys: Vec<Vec<KeyId>>,
    /// Per sentence: the rubric keys of a clause's subject whose verb is negated ("the arenas
    /// aren't returned to the OS"): weaker evidence than a negation of the words themselves,
    /// so it discounts a point but never contradicts it.
    pub subject_negated: Vec<Vec<KeyId>>,
}

/// How many words after a negator it governs.
const NEGATION_SCOPE: usize = 3;
/// How many content words before "not" / "doesn't" / "never" a negation governs: the clause's
/// subject ("distributed tracing doesn't help", "the check isn't needed").
const NEGATION_BACK_REACH: usize = 3;
/// How many words after "rather than" / "instead of" / "unlike" are set aside.
const SET_ASIDE_SCOPE: usize = 5;

/// Resolves one answer key to a rubric key: exact (synonyms already folded), else a typo.
pub fn resolve(prepared: &PreparedRubric, key: &str) -> Option<(KeyId, f64)> {
    if let Some(&id) = prepared.vocab.get(key) {
        return Some((id, 1.0));
    }
    if let Some(id) = base_forms(key)
        .into_iter()
        .find_map(|b| prepared.vocab.get(b))
        .or_else(|| prepared.base_of.get(key))
    {
        return Some((*id, MORPH_CREDIT));
    }
    if key.len() < TYPO_MIN_LEN || key.starts_with('=') {
        return None;
    }
    let candidates = prepared.by_first_byte.get(&key.as_bytes()[0])?;
    candidates
        .iter()
        .filter(|&&id| prepared.keys[id as usize].len().abs_diff(key.len()) <= 2)
        .map(|&id| (id, jaro_winkler(&prepared.keys[id as usize], key)))
        .filter(|&(_, sim)| sim >= TYPO_SIMILARITY)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| (id, TYPO_CREDIT))
}

/// Matches the answer's words; sentences where `creditable[i]` is false earn nothing.
pub fn match_answer(prepared: &PreparedRubric, answer: &Analysed, creditable: &[bool]) -> Matched {
    let mut words = Vec::new();
    let mut sentences = vec![Bag::default(); answer.sentences.len()];
    let mut whole = Bag::default();
    let mut polarity = vec![(false, Vec::new()); answer.sentences.len()];
    let mut negated_keys = vec![Vec::new(); answer.sentences.len()];
    let mut subject_negated = vec![Vec::new(); answer.sentences.len()];
    let (mut scope, mut scope_sentence, mut previous_end) = (0usize, usize::MAX, 0usize);
    // The content words of the clause so far (their rubric keys), for a negation that governs
    // what came before it.
    let mut clause: Vec<Option<KeyId>> = Vec::new();
    let mut clause_sentence = usize::MAX;
    // After a negated verb: how many more words may carry the verdict, and the clause length
    // before the negator.
    let mut verdict_pending = (0usize, 0usize);
    let plain: Vec<&Word> = answer.words.iter().filter(|w| !w.alias).collect();
    // Each content word resolved once (the typo search is the costly part).
    let resolved: Vec<Option<(KeyId, f64)>> = plain
        .iter()
        .map(|w| {
            if w.stop {
                None
            } else {
                resolve(prepared, &w.key)
            }
        })
        .collect();
    for (j, &w) in plain.iter().enumerate() {
        let p = &mut polarity[w.sentence];
        // A negation ends with its sentence and at punctuation (a gap wider than one space).
        let boundary = w.sentence != clause_sentence || w.span.0.saturating_sub(previous_end) > 1;
        if w.sentence != scope_sentence || w.span.0.saturating_sub(previous_end) > 1 {
            scope = 0;
        }
        if boundary || super::correctness::ends_negation(&w.key) {
            clause.clear();
            verdict_pending = (0, 0);
            clause_sentence = w.sentence;
        }
        previous_end = w.span.1;
        // "distributed tracing doesn't help", "the check isn't needed", "caching is pointless":
        // a verdict against the clause's subject reverses what the subject stands for; any
        // other negated verb casts doubt on its subject.
        let subject = |before: usize| {
            clause[..before.min(clause.len())]
                .iter()
                .rev()
                .take(NEGATION_BACK_REACH)
                .filter_map(|k| *k)
                .collect::<Vec<_>>()
        };
        if lexicon::is_negator(&w.key) && lexicon::negates_subject(&w.key) {
            verdict_pending = (2, clause.len());
            subject_negated[w.sentence].extend(subject(clause.len()));
        } else if !w.stop
            && (lexicon::is_dismissal(&w.key)
                || (verdict_pending.0 > 0 && lexicon::is_evaluative(&w.key)))
        {
            let before = if verdict_pending.0 > 0 {
                verdict_pending.1
            } else {
                clause.len()
            };
            negated_keys[w.sentence].extend(subject(before));
            if verdict_pending.0 > 0 {
                // "you don't need an inverted index": the verdict covers its object too.
                scope = NEGATION_SCOPE + 1;
                scope_sentence = w.sentence;
            }
            verdict_pending.0 = 0;
        } else if verdict_pending.0 > 0 {
            verdict_pending.0 -= 1;
        }
        if !w.stop && !lexicon::is_negator(&w.key) {
            clause.push(resolved[j].map(|(id, _)| id));
        }
        if matches!(w.key.as_str(), "rather" | "instead" | "unlike") {
            // "rather than in chunks": what follows, up to punctuation, is set aside.
            scope = SET_ASIDE_SCOPE;
            scope_sentence = w.sentence;
            continue;
        }
        if lexicon::is_negator(&w.key) {
            p.0 = !p.0;
            if w.key == "none" && w.span.0 > answer.sentences[w.sentence].0 {
                // Python's `None` mid-sentence is a value, not a negation.
                continue;
            }
            if scope > 0 {
                // "never ship without a flag": the second negation cancels the first.
                scope = 0;
            } else if !matches!(w.key.as_str(), "cannot" | "can't" | "couldn't") {
                // "cannot have all three" states a limit; it is how correct answers phrase
                // impossibility results, so it does not reverse the words after it.
                scope = NEGATION_SCOPE;
                scope_sentence = w.sentence;
            }
            continue;
        } else if !w.stop && !lexicon::antonyms(&w.key).is_empty() {
            p.1.push(w.key.clone());
        }
        if super::correctness::ends_negation(&w.key) {
            scope = 0;
        }
        if scope > 0 {
            scope -= 1;
            if !w.stop {
                if let Some((id, _)) = resolved[j] {
                    negated_keys[w.sentence].push(id);
                }
            }
        }
    }
    for (w, &hit) in plain.iter().zip(&resolved).filter(|(w, _)| !w.stop) {
        words.push((w.sentence, hit));
        if let Some((id, strength)) = hit {
            if creditable.get(w.sentence).copied().unwrap_or(true) {
                sentences[w.sentence].add(id, strength);
                whole.add(id, strength);
            }
        }
    }
    for w in answer.aliases() {
        if let Some(&id) = prepared.vocab.get(&w.key) {
            if creditable.get(w.sentence).copied().unwrap_or(true) {
                sentences[w.sentence].add(id, 1.0);
                whole.add(id, 1.0);
            }
        }
    }
    Matched {
        words,
        sentences,
        whole,
        polarity,
        negated_keys,
        subject_negated,
    }
}

/// How strongly a bag shows a point: the better of its terms and its reference sentence, with
/// question words demoted (weights from the prepared rubric).
pub fn point_strength(prepared: &PreparedRubric, point: &PreparedPoint, bag: &Bag) -> f64 {
    let reference = bag.recall(&point.reference);
    let (mut got, mut total) = (0.0, 0.0);
    for term in &point.terms {
        let n = term.keys.len() as f64;
        for &k in &term.keys {
            let w = prepared.weights[k as usize] / n;
            total += w;
            got += w * bag.get(k);
        }
    }
    let terms = if total > 0.0 { got / total } else { 0.0 };
    let phrasing = point
        .phrasings
        .iter()
        .map(|p| {
            p.keys
                .iter()
                .map(|&k| bag.get(k))
                .fold(f64::INFINITY, f64::min)
                * PHRASING_CREDIT
        })
        .fold(0.0, f64::max);
    terms
        .max(reference)
        .max(bag.recall(&point.statement))
        .max(phrasing)
}

/// Strength of a point made in one of its phrasings (all of the phrasing's words present).
const PHRASING_CREDIT: f64 = 0.8;

/// Share of a point's weight that the question does not already give away, 0..=1.
pub fn novelty(prepared: &PreparedRubric, point: &PreparedPoint) -> f64 {
    let full: f64 = point
        .reference
        .terms
        .iter()
        .map(|&(k, _)| {
            if prepared.in_question[k as usize] {
                1.0
            } else {
                0.0
            }
        })
        .sum();
    let n = point.reference.terms.len();
    if n == 0 {
        return 1.0;
    }
    1.0 - full / n as f64
}

/// The best sentence for a point: (strength, sentence index), or strength 0 and `None`.
pub fn best_sentence(
    prepared: &PreparedRubric,
    point: &PreparedPoint,
    matched: &Matched,
) -> (f64, Option<usize>) {
    let judged = judge_point(prepared, point, matched);
    (judged.strength, judged.sentence)
}

/// Strength at or above which a sentence that says the opposite of a point contradicts it.
pub const CONTRADICTS: f64 = 0.6;

/// How the answer's sentences bear on one point.
#[derive(Debug, Clone, Copy, Default)]
pub struct PointJudgement {
    /// Strength of the best sentence that does not contradict the point.
    pub strength: f64,
    /// That sentence.
    pub sentence: Option<usize>,
    /// The strongest sentence that matches the point well but says the opposite (an antonym,
    /// or a negation the reference does not have).
    pub contradiction: Option<usize>,
}

/// Judges a point sentence by sentence: a sentence that matches it well but says the opposite
/// contradicts it and earns nothing; a weak match with the opposite polarity keeps part.
pub fn judge_point(
    prepared: &PreparedRubric,
    point: &PreparedPoint,
    matched: &Matched,
) -> PointJudgement {
    let mut judged = PointJudgement::default();
    let mut strongest_contradiction = 0.0;
    for (i, bag) in matched.sentences.iter().enumerate() {
        if bag.hits.is_empty() {
            continue;
        }
        let raw = point_strength(prepared, point, bag);
        let (negated, opposite_keys) = &matched.polarity[i];
        let governs = |keys: &[KeyId]| {
            keys.iter().any(|&k| {
                !prepared.in_question[k as usize]
                    && !point.self_negated.contains(&k)
                    && (point.reference.terms.iter().any(|&(r, _)| r == k)
                        || point.terms.iter().any(|t| t.keys.contains(&k))
                        || point.phrasings.iter().any(|t| t.keys.contains(&k)))
            })
        };
        // A negated bound ("not O(m)") is the claim itself, whatever else the sentence says.
        let negated_bound = !point.negated
            && matched.negated_keys[i].iter().any(|&k| {
                prepared.keys[k as usize].starts_with("=o(")
                    && point.terms.iter().any(|t| t.keys.contains(&k))
            });
        // The question's own words are in nearly every sentence; negating one of them
        // ("if the key is not in the cache") says nothing against the point.
        let negates_point = if point.negated {
            !*negated
        } else {
            governs(&matched.negated_keys[i])
        };
        // A negation of words the sentence does not need to make the point ("the map finds the
        // node, so we unlink it without walking the list") does not reverse it.
        let without = |negated: &[KeyId]| Bag {
            hits: bag
                .hits
                .iter()
                .copied()
                .filter(|(k, _)| !negated.contains(k))
                .collect(),
        };
        let negates_point = negated_bound
            || (negates_point
                && point_strength(prepared, point, &without(&matched.negated_keys[i]))
                    < CONTRADICTS);
        let doubts_point = !point.negated
            && governs(&matched.subject_negated[i])
            && point_strength(prepared, point, &without(&matched.subject_negated[i])) < CONTRADICTS;
        let keep = if opposes(point, opposite_keys) {
            ANTONYM_KEEP
        } else if negates_point || doubts_point {
            NEGATION_KEEP
        } else {
            1.0
        };
        // A negation that governs the point's own words, in a sentence that makes the point
        // strongly, says the opposite; an antonym elsewhere in the sentence is weaker evidence.
        if negates_point && raw >= CONTRADICTS {
            if raw > strongest_contradiction {
                strongest_contradiction = raw;
                judged.contradiction = Some(i);
            }
            continue;
        }
        let s = raw * keep;
        if s > judged.strength {
            judged.strength = s;
            judged.sentence = Some(i);
        }
    }
    judged
}

/// Whether a sentence's antonym-bearing keys say the opposite of the point: it uses the
/// opposite of a reference word without using the word itself.
fn opposes(point: &PreparedPoint, sentence_keys: &[String]) -> bool {
    point
        .antonyms
        .iter()
        .any(|(word, opposite)| sentence_keys.contains(opposite) && !sentence_keys.contains(word))
}

/// Share of a point's whole-answer match kept when some sentence contradicts it with an
/// antonym.
pub fn opposition(point: &PreparedPoint, matched: &Matched) -> f64 {
    let opposed = matched
        .polarity
        .iter()
        .any(|(_, keys)| opposes(point, keys));
    if opposed {
        ANTONYM_KEEP
    } else {
        1.0
    }
}

/// Answer-side precision: weighted share of the answer's creditable content words (question
/// words left out) that match the reference.
pub fn precision(prepared: &PreparedRubric, matched: &Matched, creditable: &[bool]) -> f64 {
    let (mut got, mut total) = (0.0, 0.0);
    for &(sentence, hit) in &matched.words {
        if !creditable.get(sentence).copied().unwrap_or(true) {
            continue;
        }
        match hit {
            Some((k, _))
                if prepared.in_question[k as usize] && !prepared.in_reference[k as usize] => {}
            Some((k, s)) if prepared.in_reference[k as usize] => {
                let w = prepared.weights[k as usize];
                got += w * s;
                total += w;
            }
            Some((k, _)) => total += prepared.weights[k as usize],
            None => total += 1.0,
        }
    }
    if total > 0.0 {
        got / total
    } else {
        0.0
    }
}

/// Cosine similarity between the answer's and the reference's weighted key counts.
pub fn cosine(prepared: &PreparedRubric, matched: &Matched, creditable: &[bool]) -> f64 {
    let mut answer: Vec<(KeyId, f64)> = Vec::new();
    let mut other_sq = 0.0;
    for &(sentence, hit) in &matched.words {
        if !creditable.get(sentence).copied().unwrap_or(true) {
            continue;
        }
        match hit {
            Some((k, s)) => match answer.iter_mut().find(|(x, _)| *x == k) {
                Some(e) => e.1 += s,
                None => answer.push((k, s)),
            },
            None => other_sq += 1.0,
        }
    }
    let mut dot = 0.0;
    let mut a_sq = other_sq;
    for &(k, tf) in &answer {
        let w = prepared.weights[k as usize];
        a_sq += (tf * w).powi(2);
        if prepared.in_reference[k as usize] {
            dot += tf * w * w;
        }
    }
    let r_sq: f64 = prepared.reference.terms.iter().map(|(_, w)| w * w).sum();
    if a_sq <= 0.0 || r_sq <= 0.0 {
        return 0.0;
    }
    (dot / (a_sq.sqrt() * r_sq.sqrt())).clamp(0.0, 1.0)
}
