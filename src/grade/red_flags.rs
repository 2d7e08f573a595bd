//! Red flags in behavioural stories: sentences that show the opposite of any competency
//! (blaming others, hiding a decision from the people it affects, dismissing their concerns),
//! whatever the question. They are read like a rubric's misconceptions: quoted as wrong, with
//! what a strong answer does instead, and never credited.

use std::sync::OnceLock;

use regex::Regex;

/// One kind of red flag: what it shows, what to do instead, and the patterns that detect it
/// (matched case-insensitively within one sentence).
pub struct RedFlag {
    /// What the sentence shows, as feedback words it.
    pub claim: &'static str,
    /// What a strong answer shows instead.
    pub correction: &'static str,
    patterns: &'static [&'static str],
}

const FLAGS: &[RedFlag] = &[
    RedFlag {
        claim: "Blames others or circumstances for the outcome.",
        correction: "Own your part of the outcome: say what you did, what went wrong on your side and what you changed.",
        patterns: &[
            r"\b(their|his|her|sales'?|product'?s?|the client'?s|the customer'?s|the vendor'?s|the other team'?s) fault\b",
            r"\b(wasn'?t|was not|not|never) (really )?my fault\b",
            r"\b(was|is) (really|actually|mostly) an? [a-z]+ (problem|issue)\b",
            r"\b(out of|outside|beyond) (my|our) control\b",
            r"\b(something|anything) (that )?i could(n'?t| not) (have )?control",
            r"\b(wasn'?t|was not|isn'?t|is not) (something|anything) (that )?i could (have )?control",
            r"(^|[^a-z' ]|\b(i|we|and|so|then)) ?blamed (the|them|him|her|sales|product|ops|infra|their|our)\b",
        ],
    },
    RedFlag {
        claim: "Hides a decision from the people it affects.",
        correction: "Make the trade-off visible: tell the people it affects early, with the reasons, and agree the plan with them.",
        patterns: &[
            r"\b(didn'?t|did not|never) (tell|inform|consult|warn|involve|loop in|ask)( the| my| our| their)? (product|pm|manager|managers|boss|team|anyone|anybody|stakeholders|leadership|customer|client|security|them)\b",
            r"\bwithout (telling|informing|consulting|asking|involving|warning|looping in)( the| my| our| their)? (anyone|anybody|product|pm|manager|team|stakeholders|leadership|customer|client|security|them)\b",
            r"\b(behind (their|his|her|the team'?s) backs?|kept (it|this|them) (quiet|secret|hidden)|kept (them|him|her|product|the team|the client) in the dark|secretly)\b",
        ],
    },
    RedFlag {
        claim: "Dismisses other people's concerns instead of working with them.",
        correction: "Show that you listened: what the others' concerns were, how you weighed them and what you agreed.",
        patterns: &[
            r"\b(didn'?t|did not) see the point\b",
            r"\b(they|he|she|product|leadership|management) should have (prioriti[sz]ed|listened|known|planned|asked)\b",
            r"\bprotect (the codebase|the code|engineering|the team|us) from (product|management|the business|sales|leadership)\b",
            r"\bignored (their|his|her|the team'?s|the client'?s|the customer'?s|them|the decision|the feedback|the concerns|the objections)\b",
            r"\b(overrode|overruled) (their|them|his|her|the team|the client|the customer|product)\b",
        ],
    },
];

/// The red flags.
pub fn flags() -> &'static [RedFlag] {
    FLAGS
}

fn compiled() -> &'static [Vec<Regex>] {
    static COMPILED: OnceLock<Vec<Vec<Regex>>> = OnceLock::new();
    COMPILED.get_or_init(|| {
        FLAGS
            .iter()
            .map(|f| {
                f.patterns
                    .iter()
                    .map(|p| Regex::new(&format!("(?i){p}")).expect("red-flag pattern compiles"))
                    .collect()
            })
            .collect()
    })
}

/// Every (flag, sentence) where a sentence raises a red flag, at most one flag per sentence.
/// "I didn't blame anyone" and "instead of blaming the team" raise nothing: a pattern preceded
/// in its sentence by a negation or a contrast is what a good story says.
pub fn find(text: &str, sentences: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let compiled = compiled();
    let mut hits = Vec::new();
    for (i, &(s, e)) in sentences.iter().enumerate() {
        let sentence = text[s..e].replace('\u{2019}', "'");
        let found = compiled.iter().position(|patterns| {
            patterns.iter().any(|re| {
                re.find_iter(&sentence)
                    .any(|m| !set_aside(&sentence[..m.start()]))
            })
        });
        if let Some(flag) = found {
            hits.push((flag, i));
        }
    }
    hits
}

/// Whether the words just before a match take it back ("instead of", "rather than", "never").
fn set_aside(before: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)\b(instead of|rather than|without|avoid(ed|ing)?|no|never|didn'?t|did not|not)\s+(\w+\s+){0,2}$")
            .expect("set-aside pattern compiles")
    });
    re.is_match(before)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flagged(sentence: &str) -> Option<usize> {
        find(sentence, &[(0, sentence.len())])
            .first()
            .map(|&(f, _)| f)
    }

    #[test]
    fn blame_concealment_and_dismissal_are_flagged() {
        assert_eq!(
            flagged("The churn was really a sales problem since they over-promised."),
            Some(0)
        );
        assert_eq!(flagged("It broke because their docs were incomplete, which wasn't something I could control."), Some(0));
        assert_eq!(
            flagged("I didn't tell the product manager, because they would push back."),
            Some(1)
        );
        assert_eq!(
            flagged("I deleted the logs without telling anyone."),
            Some(1)
        );
        assert_eq!(
            flagged("Honestly, I didn't see the point in learning it."),
            Some(2)
        );
        assert_eq!(
            flagged("Sometimes engineers have to protect the codebase from product."),
            Some(2)
        );
    }

    #[test]
    fn what_a_good_story_says_is_not_flagged() {
        for good in [
            "I didn't blame anyone; I ran a blameless post-mortem.",
            "Instead of blaming the vendor, I asked for their logs.",
            "It was my fault, and I said so in the incident review.",
            "I told the product manager on day one and we agreed a 70/30 split.",
            "We kept the customer informed every hour.",
            "I didn't tell him the answer; I asked questions until he found it.",
        ] {
            assert_eq!(flagged(good), None, "{good}");
        }
    }
}
