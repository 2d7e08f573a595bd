//! The maintained list of competencies a behavioural story can demonstrate, each with the
//! trigger phrases that show it, and the detection of those a model story demonstrates.
//!
//! Triggers are matched on content-word stems, so "piloted" finds "pilot" and "post-mortems"
//! finds "post-mortem". Edit the list here; `hone rubric build` then refreshes the rubrics.

use crate::rubric::Competency;
use crate::text;

/// A competency hone knows: its name and trigger phrases.
pub struct CompetencyDef {
    /// Name a person reads.
    pub name: &'static str,
    /// Phrases whose presence in a story shows it.
    pub triggers: &'static [&'static str],
}

/// Every competency hone can recognise, in display order.
pub const COMPETENCIES: &[CompetencyDef] = &[
    CompetencyDef {
        name: "blameless post-mortem",
        triggers: &[
            "blameless",
            "post-mortem",
            "postmortem",
            "lessons learned",
            "root cause analysis",
            "retrospective",
            "psychological safety",
            "prevent similar incidents",
            "learn from failure",
        ],
    },
    CompetencyDef {
        name: "phased rollout",
        triggers: &[
            "phased",
            "phase 1",
            "phase 2",
            "pilot",
            "piloted",
            "gradual rollout",
            "staged rollout",
            "rollout",
            "incremental",
            "canary",
            "dry-runs",
            "rollback plan",
            "running in parallel",
            "mvp",
        ],
    },
    CompetencyDef {
        name: "data-driven persuasion",
        triggers: &[
            "data-driven",
            "quantified",
            "tco",
            "cost projections",
            "comparative analysis",
            "benchmark",
            "case studies",
            "roi",
            "evidence",
            "metrics",
            "analysis showing",
            "risk analysis",
            "measured",
            "data",
        ],
    },
    CompetencyDef {
        name: "stakeholder alignment",
        triggers: &[
            "stakeholders",
            "leadership",
            "buy-in",
            "aligned",
            "approved",
            "approval",
            "agreed",
            "product team",
            "security team",
            "compliance team",
            "working session",
            "explicit approval",
        ],
    },
    CompetencyDef {
        name: "mentoring",
        triggers: &[
            "mentor",
            "mentoring",
            "coach",
            "coaching",
            "paired",
            "pair-programming",
            "one-on-one",
            "actionable feedback",
            "check-ins",
            "training resources",
            "confidence",
            "structured support",
        ],
    },
    CompetencyDef {
        name: "ownership under pressure",
        triggers: &[
            "deadline",
            "immediately",
            "crisis",
            "outage",
            "within 48 hours",
            "urgent",
            "responsible",
            "war room",
            "on-site",
            "peak traffic",
            "restore service",
            "tight deadlines",
            "took ownership",
        ],
    },
    CompetencyDef {
        name: "trade-off analysis",
        triggers: &[
            "trade-off",
            "trade-offs",
            "must-have",
            "nice-to-have",
            "compromise",
            "compromises",
            "options",
            "pros and cons",
            "build vs. buy",
            "hybrid approach",
            "balance",
            "reduce scope",
            "over-engineering",
        ],
    },
    CompetencyDef {
        name: "building consensus",
        triggers: &[
            "consensus",
            "opposing",
            "disagreement",
            "opposing views",
            "fair process",
            "clear criteria",
            "facilitated a discussion",
            "evaluation session",
            "scorecard",
            "documented reasoning",
            "facilitated",
        ],
    },
    CompetencyDef {
        name: "transparent communication",
        triggers: &[
            "communicated",
            "communication",
            "transparent",
            "transparency",
            "transparently",
            "updates",
            "communication plan",
            "dashboard",
            "burndown",
            "clearly communicated",
        ],
    },
    CompetencyDef {
        name: "risk management",
        triggers: &[
            "risk assessment",
            "risk",
            "risks",
            "contingency",
            "rollback",
            "health checks",
            "mitigation",
            "safeguards",
            "quality gates",
            "rollback triggers",
            "non-negotiable",
        ],
    },
    CompetencyDef {
        name: "prototyping to de-risk decisions",
        triggers: &[
            "prototype",
            "proof-of-concept",
            "proof of concept",
            "poc",
            "demos",
            "working prototype",
            "reference implementation",
            "demonstrated",
        ],
    },
    CompetencyDef {
        name: "rapid learning",
        triggers: &[
            "learning",
            "learn",
            "learning curve",
            "never worked",
            "intensive learning",
            "shadowing",
            "reading documentation",
            "new technology",
        ],
    },
    CompetencyDef {
        name: "knowledge transfer",
        triggers: &[
            "knowledge transfer",
            "documentation",
            "runbooks",
            "workshops",
            "video tutorials",
            "office hours",
            "hands-on",
            "training program",
            "independently",
            "graduated responsibility",
        ],
    },
    CompetencyDef {
        name: "customer focus",
        triggers: &[
            "customer",
            "customers",
            "churn",
            "client satisfaction",
            "relationship",
            "business relationships",
            "customer communication",
            "dedicated support",
        ],
    },
    CompetencyDef {
        name: "scope management",
        triggers: &[
            "scope",
            "scope creep",
            "change request",
            "prioritization",
            "must-have",
            "should-have",
            "nice-to-have",
            "phased enhancements",
            "effort estimates",
            "scope ambiguity",
        ],
    },
    CompetencyDef {
        name: "driving adoption",
        triggers: &[
            "adoption",
            "guild",
            "champion",
            "templates",
            "reduce friction",
            "early wins",
            "resistant",
            "company-wide",
            "organization-wide",
            "adopted",
        ],
    },
    CompetencyDef {
        name: "root-cause investigation",
        triggers: &[
            "root cause",
            "root causes",
            "analyzed",
            "investigate",
            "systemic",
            "interviewed",
            "discovered",
            "correlation",
            "diagnose",
            "pinpoint",
            "identified",
        ],
    },
    CompetencyDef {
        name: "relationship building",
        triggers: &[
            "relationship",
            "concerns",
            "understand their concerns",
            "credit",
            "respecting",
            "respectful",
            "empathy",
            "trust",
            "coffee",
            "asking for their input",
            "acknowledging",
        ],
    },
    CompetencyDef {
        name: "process improvement",
        triggers: &[
            "checklist",
            "process",
            "template",
            "automated",
            "playbook",
            "standard",
            "framework",
            "review checklist",
            "became the standard",
        ],
    },
    CompetencyDef {
        name: "negotiation",
        triggers: &[
            "negotiated",
            "negotiate",
            "negotiation",
            "convince",
            "convinced",
            "persuade",
            "proposed",
        ],
    },
];

/// Terms kept per competency.
const MAX_TERMS: usize = 6;

/// Competencies a story demonstrates, strongest first: at least two, at most four.
/// `question` counts too ("mentor an engineer" → mentoring).
pub fn detect(story: &str, question: &str) -> Vec<Competency> {
    let story_stems = text::content_stems(story);
    let question_stems = text::content_stems(question);
    let mut scored: Vec<(f64, usize, Vec<&'static str>)> = COMPETENCIES
        .iter()
        .enumerate()
        .map(|(i, def)| {
            let mut score = 0.0;
            let mut matched = Vec::new();
            for trigger in def.triggers {
                let stems = text::content_stems(trigger);
                let words = stems.len().max(1) as f64;
                if contains_run(&story_stems, &stems) {
                    score += 1.0 + 0.5 * (words - 1.0);
                    matched.push(*trigger);
                }
                if contains_run(&question_stems, &stems) {
                    score += 1.5;
                    if !matched.contains(trigger) {
                        matched.push(*trigger);
                    }
                }
            }
            (score, i, matched)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<(usize, Vec<&'static str>)> = scored
        .iter()
        .filter(|(score, _, _)| *score >= 1.5)
        .take(4)
        .map(|(_, i, m)| (*i, m.clone()))
        .collect();
    for (score, i, m) in &scored {
        if chosen.len() >= 2 {
            break;
        }
        if *score > 0.0 && !chosen.iter().any(|(j, _)| j == i) {
            chosen.push((*i, m.clone()));
        }
    }
    for fallback in ["ownership under pressure", "transparent communication"] {
        if chosen.len() >= 2 {
            break;
        }
        let i = COMPETENCIES
            .iter()
            .position(|d| d.name == fallback)
            .expect("fallback competency is listed");
        if !chosen.iter().any(|(j, _)| *j == i) {
            chosen.push((i, Vec::new()));
        }
    }
    chosen
        .into_iter()
        .map(|(i, matched)| {
            let def = &COMPETENCIES[i];
            let mut terms: Vec<String> = matched.iter().map(|t| t.to_string()).collect();
            // The grader scores the share of terms an answer shows, so keep the list short:
            // what the story used first, then the competency's other main triggers.
            for t in def.triggers {
                if terms.len() >= MAX_TERMS {
                    break;
                }
                if !matched.contains(t) {
                    terms.push(t.to_string());
                }
            }
            terms.truncate(MAX_TERMS.max(matched.len().min(8)));
            Competency {
                name: def.name.to_string(),
                terms,
            }
        })
        .collect()
}

/// Whether `needle` occurs as a contiguous run in `hay`.
pub(crate) fn contains_run(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_triggers_non_empty() {
        let mut names: Vec<&str> = COMPETENCIES.iter().map(|d| d.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COMPETENCIES.len());
        assert!(COMPETENCIES.iter().all(|d| !d.triggers.is_empty()));
    }

    #[test]
    fn detects_post_mortem_and_phased_rollout() {
        let story = "I led the war room, conducted a blameless post-mortem within 48 hours and \
                     implemented automated migration testing and staged rollout procedures.";
        let got: Vec<String> = detect(story, "Tell me about a production failure")
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert!(
            got.contains(&"blameless post-mortem".to_string()),
            "{got:?}"
        );
        assert!(got.contains(&"phased rollout".to_string()), "{got:?}");
    }

    #[test]
    fn every_trigger_has_a_content_word() {
        for def in COMPETENCIES {
            for t in def.triggers {
                let stems = text::content_stems(t);
                assert!(!stems.is_empty(), "{t}");
                // A multi-word trigger must not shrink to one generic word.
                if t.split_whitespace().count() > 1 {
                    assert!(
                        stems.len() > 1 || t.contains('-'),
                        "`{t}` matches too broadly"
                    );
                }
            }
        }
    }

    #[test]
    fn always_at_least_two() {
        let got = detect("Nothing to see.", "Tell me about a time.");
        assert!(got.len() >= 2);
    }
}
