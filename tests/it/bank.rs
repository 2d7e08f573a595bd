//! The bundled banks parse into exactly the questions and answers the documents hold, and user
//! banks (TOML, JSONL, documents) load or fail with one clear line.

use std::collections::BTreeMap;

use hone::bank::{document, Catalog, Kind, Question};

const PSE: &str = include_str!("../../fixtures/banks/pse.txt");
const FDE: &str = include_str!("../../fixtures/banks/fde.txt");

fn bundled() -> Catalog {
    Catalog::bundled().expect("bundled banks load")
}

fn get(id: &str) -> Question {
    bundled().find(id).expect(id).clone()
}

#[test]
fn hundred_questions_ten_per_section_per_bank() {
    let catalog = bundled();
    assert_eq!(catalog.questions().len(), 100);
    let mut per_section: BTreeMap<(String, String), Vec<u32>> = BTreeMap::new();
    for q in catalog.questions() {
        assert_eq!(q.id, format!("{}/{}/{}", q.bank, q.section, q.number));
        per_section
            .entry((q.bank.clone(), q.section.clone()))
            .or_default()
            .push(q.number);
    }
    assert_eq!(per_section.len(), 10);
    for bank in ["pse", "fde"] {
        for section in ["concepts", "dsa", "design", "coding", "behavioural"] {
            let numbers = &per_section[&(bank.to_string(), section.to_string())];
            assert_eq!(numbers, &(1..=10).collect::<Vec<_>>(), "{bank}/{section}");
        }
    }
}

#[test]
fn section_titles_and_kinds() {
    let titles = [
        ("concepts", "Core Concepts", Kind::Concept),
        ("dsa", "Data Structures and Algorithms", Kind::Algorithm),
        ("design", "System Design", Kind::Design),
        ("coding", "Coding and Debugging", Kind::Coding),
        ("behavioural", "Behavioral Questions", Kind::Behavioural),
    ];
    for q in bundled().questions() {
        let (_, title, kind) = titles.iter().find(|(s, _, _)| *s == q.section).unwrap();
        assert_eq!(&q.section_title, title, "{}", q.id);
        assert_eq!(q.kind, *kind, "{}", q.id);
    }
    let banks = bundled().banks().to_vec();
    assert_eq!(
        banks[0].title,
        "Principal Software Engineer — Interview Questions and Answers"
    );
    assert_eq!(
        banks[1].title,
        "Forward Deployed Engineer — Interview Questions and Answers"
    );
}

/// (id, question text, first words of the model answer, last words of the model answer),
/// read off the source documents by hand.
const PINNED: &[(&str, &str, &str, &str)] = &[
    ("pse/concepts/2", "Explain the CAP theorem and how it influences your architectural decisions in distributed systems.", "CAP Theorem in Practice", "careful domain boundary design."),
    ("pse/concepts/7", "What's your strategy for managing database migrations in a high-traffic production environment with zero downtime?", "Zero-Downtime Migration Strategy", "on production-scale staging environments."),
    ("pse/concepts/10", "How do you balance innovation and experimentation with system stability and reliability?", "Innovation-Stability Balance Framework", "Celebrate intelligent failures."),
    ("pse/dsa/1", "Explain how to implement an LRU (Least Recently Used) cache with $O(1)$ time complexity for both get and put operations.", "LRU Cache Implementation", "for both get and put operations"),
    ("pse/dsa/2", "How would you find all pairs in an array that sum to a specific target value? What is the optimal time complexity?", "Two Sum Problem", "nested loop solution."),
    ("pse/dsa/7", "What is the time complexity of common operations on a balanced BST versus an unbalanced BST?", "BST Time Complexity", "or **Red-Black trees**."),
    ("pse/design/2", "How would you design a distributed rate limiter that works across multiple servers?", "Approaches", "await redis.zadd(key, now, `${now}-${Math.random()}`);\n}\n\n```"),
    ("pse/design/7", "Design a distributed task scheduler that can execute millions of tasks reliably. How do you handle failures and ensure exactly-once execution?", "System Components", "rate per worker"),
    ("pse/coding/2", "Implement an efficient in-place string reversal function and explain memory considerations.", "In-Place String Reversal", "for mutable arrays"),
    ("pse/coding/7", "What is monkey patching? Provide a practical use case and explain the risks.", "Monkey Patching: Dynamic", "and proper abstraction"),
    ("pse/behavioural/2", "Describe a situation where you had to influence senior leadership to change technical direction without having direct authority.", "Situation: Leadership wanted", "than originally planned."),
    ("pse/behavioural/7", "Tell me about a time when you identified and solved a systemic problem that others hadn't noticed.", "Situation: I noticed", "engineer satisfaction scores."),
    ("fde/concepts/2", "How would you approach designing a data integration pipeline for a client who has legacy systems, strict security requirements, and limited technical documentation?", "Data integration in", "quality issues and performance degradation"),
    ("fde/concepts/7", "What strategies do you use to quickly learn and become productive in unfamiliar technology stacks or domains?", "Rapid skill acquisition", "long-term capability building."),
    ("fde/dsa/2", "Given an array of integers, find all pairs that sum to a target value. What's the optimal time complexity?", "Two Sum", "would be $O(n^2)$"),
    ("fde/dsa/7", "How would you detect a cycle in a linked list? Explain the algorithm and its complexity.", "Cycle Detection", "Time $O(n)$, Space $O(1)$"),
    ("fde/design/2", "Design a real-time notification system that can handle millions of concurrent WebSocket connections. What are the key architectural decisions?", "Architecture Overview", "vs user-to-user routing"),
    ("fde/design/7", "Design a video streaming platform like YouTube. How would you handle video upload, transcoding, storage, and adaptive bitrate streaming?", "System Components", "events, quality switches"),
    ("fde/design/10", "Design a distributed key-value store like DynamoDB or Cassandra. Explain partitioning, replication, consistency models, and handling node failures.", "Architecture Components", "Client resolves conflicts"),
    ("fde/coding/2", "How would you reverse a string in-place in Python, and what are the limitations?", "String Reversal Approaches", "list of characters"),
    ("fde/coding/7", "Explain monkey patching in Python. When is it appropriate and what are the risks?", "Monkey Patching Overview", "of least surprise"),
    ("fde/behavioural/2", "Describe a situation where you had to learn a new technology or domain quickly to solve a customer problem.", "Situation: A manufacturing", "on the success."),
    ("fde/behavioural/7", "Describe a time when you had to work with a difficult client or team member. How did you handle the relationship?", "Situation: I was", "for future engagements."),
    ("fde/behavioural/10", "Describe a situation where you had to transfer knowledge or build capability within a client organization.", "Situation: After deploying", "transfer quality, which helped win 2 additional clients."),
];

#[test]
fn pinned_questions_and_answer_edges() {
    let mut sections = std::collections::BTreeSet::new();
    for (id, text, first, last) in PINNED {
        let q = get(id);
        assert_eq!(q.text, *text, "{id}");
        assert!(
            q.model_answer.starts_with(first),
            "{id} starts {:?}",
            &q.model_answer[..40]
        );
        assert!(
            q.model_answer.ends_with(last),
            "{id} ends {:?}",
            q.model_answer
        );
        sections.insert((q.bank, q.section));
    }
    assert_eq!(
        sections.len(),
        10,
        "the pins cover every section of both banks"
    );
}

#[test]
fn no_model_answer_contains_another_question() {
    let catalog = bundled();
    for q in catalog.questions() {
        for other in catalog.questions() {
            if other.text != q.text {
                assert!(
                    !q.model_answer.contains(&other.text),
                    "{} contains the text of {}",
                    q.id,
                    other.id
                );
            }
        }
        for heading in [
            "Behavioral Questions",
            "This section",
            "These questions",
            "Questions in this section",
        ] {
            assert!(
                !q.model_answer.contains(heading),
                "{} has {heading:?}",
                q.id
            );
        }
    }
}

#[test]
fn debris_is_repaired_in_place() {
    // A bullet broken by a blank line.
    let q = get("pse/concepts/10");
    assert!(q
        .model_answer
        .contains("Measure learning velocity, not just success rate\n\nExample policy:"));
    // A sentence broken across two paragraphs.
    let q = get("fde/behavioural/7");
    assert!(q.model_answer.contains(
        "had been burned by previous vendors who ignored their context. I shifted my approach"
    ));
    // A stray `}` after a code block goes back into the block.
    let q = get("fde/concepts/2");
    assert!(q
        .model_answer
        .contains("  }\n}\n}\n```\n\nRisk Mitigation:"));
    // A bullet list split by a blank line is one list again.
    let q = get("pse/dsa/3");
    assert!(q
        .model_answer
        .contains("remains constant\n- **Dynamic Window:**"));
    // Headings inside answers stay in them.
    assert!(get("pse/concepts/1")
        .model_answer
        .starts_with("Strategic Scaling Approach\n\n"));
    assert!(get("pse/design/10")
        .model_answer
        .contains("\nScalability\n"));
}

#[test]
fn code_bullets_and_bold_are_kept() {
    let q = get("pse/dsa/1");
    assert!(q
        .model_answer
        .contains("- **Hash Map:** Maps keys to nodes in the linked list"));
    let fences = q.model_answer.matches("```").count();
    assert!(fences >= 2 && fences % 2 == 0, "{fences} fences");
    let code = get("pse/concepts/2").model_answer;
    assert!(code.contains(
        "```\nif (data_loss_unacceptable || regulatory_requirements) {\n  choose_CP_system();"
    ));
}

/// Tokens of a text, `*` removed (the title loses its bold), empty ones dropped.
fn tokens(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|t| t.replace('*', ""))
        .filter(|t| !t.is_empty())
        .collect()
}

/// Every word of each document lands in exactly one place: title, section heading, section
/// intro, question text (with its number) or model answer — nothing lost, nothing doubled.
#[test]
fn every_line_of_the_documents_is_accounted_for() {
    for (name, text) in [("pse", PSE), ("fde", FDE)] {
        let doc = document::parse(text).expect("parses");
        let mut placed: Vec<String> = Vec::new();
        for paragraph in doc.title.split(" — ") {
            placed.extend(tokens(paragraph));
        }
        for section in &doc.sections {
            placed.extend(tokens(&section.title));
            placed.extend(tokens(&section.intro));
            assert!(
                !section.intro.is_empty(),
                "{name}: {} has its intro",
                section.title
            );
            for q in &section.questions {
                placed.push(format!("{}.", q.number));
                placed.extend(tokens(&q.text));
                placed.extend(tokens(&q.answer));
            }
        }
        let mut source = tokens(text);
        source.sort();
        placed.sort();
        assert_eq!(source.len(), placed.len(), "{name}: token count");
        assert_eq!(source, placed, "{name}: same words");
        // And each longer line shows up, whole, in exactly one part (or as many as it is written).
        let unbold = |t: &str| t.replace("**", "");
        let parts: Vec<String> = std::iter::once(doc.title.clone())
            .chain(doc.sections.iter().flat_map(|s| {
                [s.title.clone(), s.intro.clone()].into_iter().chain(
                    s.questions
                        .iter()
                        .flat_map(|q| [format!("{}. {}", q.number, q.text), q.answer.clone()]),
                )
            }))
            .map(|p| unbold(&p))
            .collect();
        let source: Vec<String> = text.lines().map(|l| unbold(l.trim())).collect();
        for line in source.iter().filter(|l| l.len() > 25) {
            let hits = parts.iter().filter(|p| p.contains(line.as_str())).count();
            assert!(hits >= 1, "{name}: line lost: {line}");
            let in_source = source.iter().filter(|l| l.contains(line.as_str())).count();
            assert!(hits <= in_source, "{name}: line doubled: {line}");
        }
    }
}

#[test]
fn the_catalog_agrees_with_the_documents() {
    let catalog = bundled();
    for (bank, text) in [("pse", PSE), ("fde", FDE)] {
        let doc = document::parse(text).unwrap();
        let from_doc: Vec<(&str, &str)> = doc
            .sections
            .iter()
            .flat_map(|s| {
                s.questions
                    .iter()
                    .map(|q| (q.text.as_str(), q.answer.as_str()))
            })
            .collect();
        let from_catalog: Vec<(&str, &str)> = catalog
            .questions()
            .iter()
            .filter(|q| q.bank == bank)
            .map(|q| (q.text.as_str(), q.model_answer.as_str()))
            .collect();
        assert_eq!(from_doc, from_catalog);
    }
}

#[test]
fn bundled_is_parsed_once_and_fast() {
    let start = std::time::Instant::now();
    let first = bundled();
    let second = bundled();
    assert!(
        std::ptr::eq(first.questions(), second.questions()),
        "shared, not re-parsed"
    );
    // Generous for an unoptimised test build on a busy machine; release is far below 1 ms.
    assert!(start.elapsed().as_millis() < 200, "{:?}", start.elapsed());
}

#[test]
fn lookup_by_id_short_form_prefix_and_text() {
    let c = bundled();
    let id = |query: &str| c.find(query).map(|q| q.id.clone());
    assert_eq!(id("fde/design/1").unwrap(), "fde/design/1");
    assert_eq!(id("fde/design/10").unwrap(), "fde/design/10");
    assert_eq!(id("FDE/Design/1").unwrap(), "fde/design/1");
    assert_eq!(id("p.dsa.1").unwrap(), "pse/dsa/1");
    assert_eq!(id("f.b.3").unwrap(), "fde/behavioural/3");
    assert_eq!(id("pse behavioral 4").unwrap(), "pse/behavioural/4");
    assert_eq!(
        id("Explain Floyd's Cycle Detection Algorithm").unwrap(),
        "pse/dsa/6"
    );
    assert_eq!(
        id("how do you detect a cycle in a linked list? explain floyds cycle detection algorithm")
            .unwrap(),
        "pse/dsa/6"
    );
    assert_eq!(
        id("Implement a thread-safe singleton patern in Python").unwrap(),
        "fde/coding/10"
    );
    for q in c.questions() {
        assert_eq!(id(&c.short_id(q)).unwrap(), q.id, "short id round-trips");
    }
    let err = c.find("pse/dsa/11").unwrap_err();
    assert_eq!(err.message, "unknown question `pse/dsa/11`");
    assert!(err.hint.unwrap().contains("did you mean `pse/dsa/1`"));
    let err = c.find("pse/design").unwrap_err();
    assert!(err.message.contains("matches 10 questions"), "{err}");
}

/// (question, answer) pairs of a parsed document.
fn pairs(doc: &document::Document) -> Vec<(String, String)> {
    doc.sections
        .iter()
        .flat_map(|s| {
            s.questions
                .iter()
                .map(|q| (q.text.clone(), q.answer.clone()))
        })
        .collect()
}

/// The same documents written a little differently parse to the same questions and answers:
/// other section names, no intro sentences, CRLF line ends, Markdown headings.
#[test]
fn variants_of_the_documents_parse_the_same() {
    const HEADINGS: [(&str, &str); 5] = [
        ("Core Concepts", "Fundamentals"),
        ("Data Structures and Algorithms", "Problem Solving"),
        ("System Design", "Scaling Systems"),
        ("Coding and Debugging", "Hands-on Work"),
        ("Behavioral Questions", "Leadership Stories"),
    ];
    for text in [PSE, FDE] {
        let expected = pairs(&document::parse(text).unwrap());
        let renamed = HEADINGS.iter().fold(text.to_string(), |t, (from, to)| {
            t.replace(&format!("\n{from}\n"), &format!("\n{to}\n"))
        });
        let no_intros: String = text
            .lines()
            .filter(|l| {
                ![
                    "This section",
                    "These questions",
                    "Questions in this section",
                ]
                .iter()
                .any(|p| l.starts_with(p))
            })
            .collect::<Vec<_>>()
            .join("\n");
        let crlf = text.replace('\n', "\r\n");
        let markdown = {
            let mut t = HEADINGS.iter().fold(text.to_string(), |t, (h, _)| {
                t.replace(&format!("\n{h}\n"), &format!("\n## {h}\n"))
            });
            for n in 1..=10 {
                t = t.replace(&format!("\n{n}. "), &format!("\n### {n}. "));
            }
            t
        };
        for (name, variant) in [
            ("renamed", &renamed),
            ("no intros", &no_intros),
            ("crlf", &crlf),
            ("markdown", &markdown),
        ] {
            let doc = document::parse(variant).unwrap();
            assert_eq!(doc.sections.len(), 5, "{name}");
            assert_eq!(pairs(&doc), expected, "{name}");
        }
        let renamed_doc = document::parse(&renamed).unwrap();
        let titles: Vec<&str> = renamed_doc
            .sections
            .iter()
            .map(|s| s.title.as_str())
            .collect();
        assert_eq!(titles, HEADINGS.map(|(_, to)| to));
    }
}
