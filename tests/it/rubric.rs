//! Rubric extraction on the bundled banks: every question gets a usable rubric, extraction is
//! deterministic, and the key points match what an expert would list for a sample of questions
//! from both banks and every section.

use hone::bank::{Catalog, Kind, Question};
use hone::rubric::extract::{extract, from_reference};
use hone::rubric::{Rubric, StarPart};

fn catalog() -> Catalog {
    Catalog::bundled().expect("bundled banks parse")
}

fn rubric(id: &str) -> Rubric {
    let cat = catalog();
    let q: &Question = cat.find(id).expect("question exists");
    extract(q)
}

/// Text a person reads for one point: its label and terms, lowercased.
fn point_texts(r: &Rubric) -> Vec<String> {
    r.key_points
        .iter()
        .map(|p| format!("{} | {}", p.label, p.terms.join(" | ")).to_lowercase())
        .collect()
}

/// Asserts that some single key point mentions every word of one of the `alternatives`
/// (each alternative is a list of words that must all appear in that point's label or terms).
fn has_point(r: &Rubric, what: &str, alternatives: &[&[&str]]) {
    let texts = point_texts(r);
    let found = texts.iter().any(|t| {
        alternatives
            .iter()
            .any(|words| words.iter().all(|w| t.contains(w)))
    });
    assert!(
        found,
        "{}: no key point for {what}:\n{}",
        r.id,
        texts.join("\n")
    );
}

/// Asserts the rubric claims `bound` for an operation starting with `op` ("" = overall time).
fn has_claim(r: &Rubric, op: &str, bound: &str) {
    let found = r
        .claims
        .iter()
        .any(|c| c.bound == bound && c.operation.starts_with(op));
    assert!(
        found,
        "{}: no claim {op} -> {bound} in {:?}",
        r.id, r.claims
    );
}

fn has_competency(r: &Rubric, name: &str) {
    assert!(
        r.competencies.iter().any(|c| c.name == name),
        "{}: competency {name} missing from {:?}",
        r.id,
        r.competencies.iter().map(|c| &c.name).collect::<Vec<_>>()
    );
}

#[test]
fn every_bundled_question_has_a_usable_rubric() {
    let cat = catalog();
    assert_eq!(cat.questions().len(), 100);
    for q in cat.questions() {
        let r = extract(q);
        assert_eq!(r.id, q.id);
        if q.kind == Kind::Behavioural {
            let parts: Vec<StarPart> = r.star.iter().map(|e| e.part).collect();
            assert_eq!(parts, StarPart::ALL, "{}", q.id);
            for e in &r.star {
                assert!(!e.reference.is_empty(), "{} {:?} has no text", q.id, e.part);
                assert!(!e.terms.is_empty() && !e.expects.is_empty(), "{}", q.id);
            }
            assert!(r.competencies.len() >= 2, "{}", q.id);
        } else {
            assert!(
                r.key_points.len() >= 3,
                "{} has {} points",
                q.id,
                r.key_points.len()
            );
            for p in &r.key_points {
                assert!(!p.terms.is_empty(), "{}: `{}` has no terms", q.id, p.label);
                assert!(!p.label.is_empty() && !p.reference.is_empty(), "{}", q.id);
                assert!(p.weight > 0.0, "{}", q.id);
            }
        }
    }
}

#[test]
fn extraction_is_deterministic() {
    for q in catalog().questions() {
        let a = toml::to_string_pretty(&extract(q)).unwrap();
        let b = toml::to_string_pretty(&extract(q)).unwrap();
        assert_eq!(a, b, "{}", q.id);
    }
}

#[test]
fn technical_rubrics_keep_every_substantive_bullet() {
    // Every bold lead-in of the zero-downtime migration answer is some point's reference.
    let r = rubric("pse/concepts/7");
    let references = r
        .key_points
        .iter()
        .map(|p| p.reference.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    for lead in [
        "Phase 1 - Expand",
        "Phase 2 - Migrate",
        "Phase 3 - Contract",
        "Phase 4 - Cleanup",
        "shadow reads",
    ] {
        assert!(references.contains(lead), "{lead} lost:\n{references}");
    }
}

#[test]
fn lru_cache_matches_the_expert_list() {
    for id in ["pse/dsa/1", "pse/coding/10", "fde/dsa/1"] {
        let r = rubric(id);
        has_point(&r, "hash map", &[&["hash map"], &["hashmap"]]);
        has_point(
            &r,
            "doubly linked list for order",
            &[&["doubly linked list"]],
        );
        has_point(
            &r,
            "move to front on access",
            &[&["move", "head"], &["move", "front"]],
        );
        has_point(
            &r,
            "evict from the tail",
            &[
                &["tail", "evict"],
                &["tail", "remove"],
                &["tail", "least recently used"],
            ],
        );
        has_claim(&r, "get", "O(1)");
        has_claim(&r, "put", "O(1)");
    }
}

#[test]
fn two_sum_matches_the_expert_list() {
    let r = rubric("pse/dsa/2");
    has_point(&r, "hash set of seen numbers", &[&["hash set"]]);
    has_point(
        &r,
        "look up the complement",
        &[&["target"], &["complement"]],
    );
    has_claim(&r, "", "O(n)");
    has_claim(&r, "space", "O(n)");
    has_claim(&r, "(naive", "O(n^2)");
}

#[test]
fn median_finder_matches_the_expert_list() {
    let r = rubric("pse/dsa/4");
    has_point(
        &r,
        "max-heap holds the smaller half",
        &[&["max-heap", "smaller half"]],
    );
    has_point(
        &r,
        "min-heap holds the larger half",
        &[&["min-heap", "larger half"]],
    );
    has_point(&r, "keep the heaps balanced", &[&["balance"]]);
    has_claim(&r, "insert", "O(log n)");
    has_claim(&r, "find median", "O(1)");
}

#[test]
fn floyd_cycle_detection_matches_the_expert_list() {
    let r = rubric("pse/dsa/6");
    has_point(&r, "slow pointer one step", &[&["slow pointer"]]);
    has_point(&r, "fast pointer two steps", &[&["fast pointer"]]);
    has_point(&r, "cycle when they meet", &[&["meet"]]);
    has_claim(&r, "space", "O(1)");
    has_claim(&r, "", "O(n)");
}

#[test]
fn bst_complexity_matches_the_expert_list() {
    let r = rubric("pse/dsa/7");
    has_claim(&r, "search (balanced", "O(log n)");
    has_claim(&r, "search (unbalanced", "O(n)");
    has_claim(&r, "insert (balanced", "O(log n)");
    has_point(&r, "self-balancing trees", &[&["avl"], &["self-balancing"]]);
}

#[test]
fn cap_theorem_matches_the_expert_list() {
    let r = rubric("pse/concepts/2");
    has_point(
        &r,
        "the three properties",
        &[&["consistency", "availability", "partition tolerance"]],
    );
    has_point(&r, "CP systems", &[&["cp systems"]]);
    has_point(
        &r,
        "AP systems with eventual consistency",
        &[&["ap systems", "eventual consistency"]],
    );
    has_point(&r, "hybrid approaches", &[&["hybrid"]]);
}

#[test]
fn zero_downtime_migration_matches_the_expert_list() {
    let r = rubric("pse/concepts/7");
    has_point(&r, "expand", &[&["expand"]]);
    has_point(&r, "backfill", &[&["backfill"]]);
    has_point(&r, "contract", &[&["contract"]]);
    has_point(
        &r,
        "feature flags and shadow reads",
        &[&["feature flags", "shadow reads"]],
    );
}

#[test]
fn rate_limiter_matches_the_expert_list() {
    let r = rubric("pse/design/2");
    has_point(&r, "central store in redis", &[&["redis"]]);
    has_point(&r, "token bucket", &[&["token bucket"]]);
    has_point(&r, "sliding window log", &[&["sliding window"]]);
    has_point(&r, "atomic operations / lua", &[&["atomic"], &["lua"]]);
    has_point(&r, "fail open or closed", &[&["fail open"], &["fallback"]]);
}

#[test]
fn stack_and_queue_matches_the_expert_list() {
    let r = rubric("fde/dsa/3");
    has_point(&r, "stack is LIFO", &[&["last in first out"], &["lifo"]]);
    has_point(&r, "queue is FIFO", &[&["first in first out"], &["fifo"]]);
    has_claim(&r, "(amortized", "O(1)");
}

#[test]
fn deployment_strategy_matches_the_expert_list() {
    let r = rubric("fde/concepts/6");
    has_point(&r, "blue-green deployment", &[&["blue-green"]]);
    has_point(&r, "rolling updates", &[&["rolling update"]]);
    has_point(&r, "feature flags", &[&["feature flags"]]);
    has_point(&r, "automated rollback", &[&["rollback"]]);
    has_point(&r, "health checks", &[&["health checks"]]);
}

#[test]
fn singleton_matches_the_expert_list() {
    let r = rubric("fde/coding/10");
    has_point(&r, "double-checked locking", &[&["double-checked locking"]]);
    has_point(
        &r,
        "global state hurts testing",
        &[&["testing"], &["unit tests"]],
    );
    has_point(
        &r,
        "dependency injection instead",
        &[&["dependency injection"]],
    );
}

#[test]
fn url_shortener_matches_the_expert_list() {
    let r = rubric("fde/design/1");
    has_point(&r, "base62 short codes", &[&["base62"]]);
    has_point(&r, "cache layer", &[&["cache"], &["redis"]]);
    has_point(&r, "partitioning", &[&["partitioning"], &["sharding"]]);
}

#[test]
fn behavioural_rubrics_have_star_and_competencies() {
    let r = rubric("pse/behavioural/3");
    has_competency(&r, "blameless post-mortem");
    has_competency(&r, "ownership under pressure");
    let action = &r.star[2];
    assert!(
        action.terms.iter().any(|t| t.contains("post-mortem")),
        "{:?}",
        action.terms
    );
    assert!(r.star[3].expects.contains("99.8%"), "{}", r.star[3].expects);

    has_competency(&rubric("pse/behavioural/4"), "mentoring");
    has_competency(&rubric("pse/behavioural/6"), "building consensus");
    let failed = rubric("fde/behavioural/5");
    has_competency(&failed, "ownership under pressure");
    assert!(failed.star[3].reference.contains("zero downtime"));
    let stakeholders = rubric("fde/behavioural/4");
    has_competency(&stakeholders, "phased rollout");
}

#[test]
fn from_reference_covers_every_sentence_of_any_reference() {
    let reference =
        "Variables can be declared anywhere in a program. They can be declared inside a \
                     function (local variables) or outside the functions (global variables)";
    let r = from_reference("adhoc", "Where can variables be declared?", reference, None);
    assert_eq!(r.kind, Kind::Concept);
    let covered = r
        .key_points
        .iter()
        .map(|p| p.reference.clone())
        .collect::<Vec<_>>()
        .join(" ");
    for word in ["anywhere", "local", "global", "outside"] {
        assert!(covered.contains(word), "{word} lost: {covered}");
    }
    assert!(r.key_points.iter().all(|p| !p.terms.is_empty()));
}

// ---- rubric files: embedded store, overrides, `hone rubric build|check` ----

use std::path::{Path, PathBuf};

use crate::common::hone;
use hone::rubric::store::{self, RubricStore};

fn committed_rubrics() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rubrics")
}

/// A scratch copy of the committed rubrics folder.
fn copy_of_rubrics() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    copy(&committed_rubrics(), tmp.path());
    tmp
}

/// `hone rubric build [args] --out dir`.
fn run_build(dir: &Path, args: &[&str]) -> std::process::Output {
    hone()
        .args(["rubric", "build"])
        .args(args)
        .arg("--out")
        .arg(dir)
        .output()
        .unwrap()
}

fn run_check(dir: &Path) -> (i32, String) {
    let out = hone()
        .args(["rubric", "check", "--dir"])
        .arg(dir)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn committed_rubrics_are_embedded_and_current() {
    let cat = catalog();
    let store = RubricStore::bundled();
    for q in cat.questions() {
        let rel = store::relative_path(q);
        let on_disk = std::fs::read_to_string(committed_rubrics().join(&rel))
            .unwrap_or_else(|e| panic!("rubrics/{rel}: {e}"));
        assert_eq!(
            store::embedded(&rel),
            Some(on_disk.as_str()),
            "{rel} not embedded"
        );
        let from_store = store.rubric_for(q).unwrap();
        assert_eq!(from_store, store::parse(&on_disk, &rel).unwrap());
        if !from_store.hand_edited {
            assert_eq!(
                from_store,
                extract(q),
                "{rel} drifted: run `hone rubric build`"
            );
        }
    }
}

#[test]
fn check_passes_on_the_committed_rubrics() {
    let (code, text) = run_check(&committed_rubrics());
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("100 rubrics OK"), "{text}");
}

#[test]
fn check_names_file_and_line_of_a_syntax_error() {
    let tmp = copy_of_rubrics();
    let file = tmp.path().join("pse/dsa-1.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let broken = text.replacen("weight = ", "weight == ", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("weight =="))
        .unwrap()
        + 1;
    std::fs::write(&file, broken).unwrap();
    let (code, out) = run_check(tmp.path());
    assert_eq!(code, 2, "{out}");
    let expected = format!("{}:{line}:", file.display());
    assert!(out.contains(&expected), "expected `{expected}` in:\n{out}");
    assert_eq!(
        out.lines().filter(|l| l.contains(".toml")).count(),
        1,
        "{out}"
    );
}

#[test]
fn check_names_file_line_and_field_of_an_unknown_field() {
    let tmp = copy_of_rubrics();
    let file = tmp.path().join("fde/behavioural-2.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let broken = text.replacen("[[star]]\n", "[[star]]\nexpectz = \"typo\"\n", 1);
    let line = broken
        .lines()
        .position(|l| l.starts_with("expectz"))
        .unwrap()
        + 1;
    std::fs::write(&file, broken).unwrap();
    let (code, out) = run_check(tmp.path());
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(&format!("{}:{line}:", file.display())),
        "{out}"
    );
    assert!(out.contains("expectz"), "{out}");
}

#[test]
fn check_reports_drift_unless_hand_edited() {
    let tmp = copy_of_rubrics();
    let file = tmp.path().join("pse/design-2.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen("weight = ", "weight = 3.5\n#", 1).replacen(
        "hand_edited = true",
        "hand_edited = false",
        1,
    );
    std::fs::write(&file, &edited).unwrap();
    let (code, out) = run_check(tmp.path());
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("design-2.toml") && out.contains("differs"),
        "{out}"
    );

    std::fs::write(
        &file,
        edited.replace("hand_edited = false", "hand_edited = true"),
    )
    .unwrap();
    let (code, out) = run_check(tmp.path());
    assert_eq!(code, 0, "{out}");
}

#[test]
fn check_reports_a_stale_term_weight_table_and_build_rewrites_it() {
    let tmp = copy_of_rubrics();
    let table = tmp.path().join("term-weights.tsv");
    let committed = std::fs::read_to_string(&table).unwrap();
    std::fs::write(
        &table,
        committed.replacen("documents\t100", "documents\t99", 1),
    )
    .unwrap();
    let (code, out) = run_check(tmp.path());
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("term-weights.tsv: out of date with the rubric files"),
        "{out}"
    );

    let out = run_build(tmp.path(), &[]);
    crate::common::assert_success(&out);
    assert!(String::from_utf8_lossy(&out.stdout).contains("term-weights.tsv written"));
    assert_eq!(std::fs::read_to_string(&table).unwrap(), committed);
    // An override folder kept without a table (the embedded one serves) is fine.
    std::fs::remove_file(&table).unwrap();
    let (code, out) = run_check(tmp.path());
    assert_eq!(code, 0, "{out}");
}

#[test]
fn check_reports_missing_and_stray_files() {
    let tmp = copy_of_rubrics();
    std::fs::rename(
        tmp.path().join("pse/dsa-1.toml"),
        tmp.path().join("pse/dsa-99.toml"),
    )
    .unwrap();
    let (code, out) = run_check(tmp.path());
    assert_eq!(code, 2);
    assert!(
        out.contains("dsa-1.toml: missing rubric for pse/dsa/1"),
        "{out}"
    );
    assert!(out.contains("dsa-99.toml: no question"), "{out}");
}

#[test]
fn build_writes_all_files_and_keeps_hand_edited_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_build(tmp.path(), &[]);
    crate::common::assert_success(&out);
    assert!(String::from_utf8_lossy(&out.stdout).contains("100 written"));
    let (code, text) = run_check(tmp.path());
    assert_eq!(code, 0, "{text}");

    // A coach's edit survives a rebuild when marked hand-edited, and only then.
    let file = tmp.path().join("fde/dsa-3.toml");
    let edited = std::fs::read_to_string(&file)
        .unwrap()
        .replace("hand_edited = false", "hand_edited = true")
        .replacen("label = \"", "label = \"COACH: ", 1);
    std::fs::write(&file, &edited).unwrap();
    let other = tmp.path().join("fde/dsa-4.toml");
    std::fs::write(&other, "# emptied\nid = \"fde/dsa/4\"\n").unwrap();
    let out = run_build(tmp.path(), &[]);
    // The broken file is neither overwritten nor silently accepted.
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("dsa-4.toml"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), edited);

    std::fs::remove_file(&other).unwrap();
    let out = run_build(tmp.path(), &["--id", "fde/dsa/4"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 written"));
}

#[test]
fn an_override_folder_wins_over_the_embedded_rubric() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("pse")).unwrap();
    let edited = std::fs::read_to_string(committed_rubrics().join("pse/dsa-1.toml"))
        .unwrap()
        .replace("hand_edited = false", "hand_edited = true")
        .replacen("label = \"", "label = \"Edited by a coach: ", 1);
    std::fs::write(tmp.path().join("pse/dsa-1.toml"), edited).unwrap();
    for flag in [true, false] {
        let mut cmd = hone();
        cmd.args(["show", "pse/dsa/1", "--rubric"]);
        if flag {
            cmd.arg("--rubrics").arg(tmp.path());
        } else {
            cmd.env("HONE_RUBRICS", tmp.path());
        }
        let out = cmd.output().unwrap();
        crate::common::assert_success(&out);
        assert!(String::from_utf8_lossy(&out.stdout).contains("Edited by a coach"));
    }
    // Without the override, the embedded rubric is used.
    let out = hone()
        .args(["show", "pse/dsa/1", "--rubric"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Edited by a coach"));
}

#[test]
fn a_broken_override_is_an_input_error_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("pse")).unwrap();
    std::fs::write(
        tmp.path().join("pse/dsa-1.toml"),
        "id = \"pse/dsa/1\"\nbogus = 1\n",
    )
    .unwrap();
    let out = hone()
        .args(["show", "pse/dsa/1", "--rubric", "--rubrics"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("dsa-1.toml:2:"), "{err}");
}

#[test]
fn bundled_labels_are_short_whole_phrases_unique_per_rubric() {
    let cat = catalog();
    let store = hone::rubric::store::RubricStore::bundled();
    let mut labels = 0;
    for q in cat.questions() {
        let r = store.rubric_for(q).expect("bundled rubric loads");
        let mut seen = std::collections::HashSet::new();
        for p in &r.key_points {
            let words = p.label.split_whitespace().count();
            assert!(
                (1..=8).contains(&words),
                "{}: `{}` has {words} words",
                q.id,
                p.label
            );
            assert!(
                !p.label.ends_with(['…', ':']) && !p.label.ends_with("..."),
                "{}: `{}` is cut off",
                q.id,
                p.label
            );
            assert!(
                seen.insert(p.label.to_lowercase()),
                "{}: label `{}` repeats",
                q.id,
                p.label
            );
            labels += 1;
        }
    }
    assert!(labels > 300, "only {labels} labels checked");
}

#[test]
fn reference_rubric_labels_are_short_too() {
    let reference = "An LRU cache requires a combination of a hash map and a doubly linked list. \
        The hash map provides O(1) lookup, while the doubly linked list maintains the access order. \
        On every access we move the node to the front of the list so that the least recently used \
        entry always sits at the tail, where it can be evicted in constant time.";
    let r = from_reference("adhoc", "How does an LRU cache work?", reference, None);
    for p in &r.key_points {
        assert!(p.label.split_whitespace().count() <= 8, "{}", p.label);
        assert!(!p.label.ends_with(['…', ':']), "{}", p.label);
    }
    let labels: Vec<String> = r
        .key_points
        .iter()
        .map(|p| p.label.to_lowercase())
        .collect();
    assert!(labels.iter().any(|l| l.contains("hash map")), "{labels:?}");
}
