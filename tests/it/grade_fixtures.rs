//! The project's graded fixtures (fixtures/answers/): answers written at five quality levels for
//! bank questions, and adversarial answers. Scores must follow the levels, and gaming must not pay.

use std::collections::HashMap;

use hone::bank::Catalog;
use hone::eval::metrics::spearman;
use hone::grade::{Grade, Grader};
use hone::rubric::store::RubricStore;

use crate::common::fixture;

/// One fixture line.
struct Line {
    question: String,
    answer: String,
    score: f64,
    kind: String,
}

fn lines(file: &str) -> Vec<Line> {
    let text = std::fs::read_to_string(fixture(&format!("answers/{file}"))).unwrap();
    text.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            Line {
                question: v["question"].as_str().unwrap().to_string(),
                answer: v["answer"].as_str().unwrap().to_string(),
                score: v["score"].as_f64().unwrap(),
                kind: v["kind"].as_str().unwrap().to_string(),
            }
        })
        .collect()
}

/// Grades every line against its bank question's rubric.
fn graded(file: &str) -> Vec<(Line, Grade)> {
    let catalog = Catalog::bundled().unwrap();
    let store = RubricStore::bundled();
    // The grader every command uses: term weights across the catalog's rubrics.
    let grader = Grader::over(&store.all_rubrics(catalog.questions()));
    lines(file)
        .into_iter()
        .map(|line| {
            let question = catalog.find(&line.question).unwrap();
            let rubric = store.rubric_for(question).unwrap();
            let g = grader.grade_rubric(&rubric, &line.answer);
            (line, g)
        })
        .collect()
}

/// Score of each question's answer at each level.
fn by_question(graded: &[(Line, Grade)]) -> HashMap<String, Vec<(f64, f64)>> {
    let mut map: HashMap<String, Vec<(f64, f64)>> = HashMap::new();
    for (line, g) in graded {
        map.entry(line.question.clone())
            .or_default()
            .push((line.score, g.score));
    }
    map
}

#[test]
fn fixtures_cover_both_banks_every_section_and_five_levels() {
    let all = lines("levels.jsonl");
    let questions: std::collections::BTreeSet<&str> =
        all.iter().map(|l| l.question.as_str()).collect();
    assert!(questions.len() >= 20, "{} questions", questions.len());
    for bank in ["pse", "fde"] {
        for section in ["concepts", "dsa", "design", "coding", "behavioural"] {
            let prefix = format!("{bank}/{section}/");
            assert!(
                questions.iter().any(|q| q.starts_with(&prefix)),
                "no fixture for {prefix}"
            );
        }
    }
    for q in &questions {
        let mut levels: Vec<f64> = all
            .iter()
            .filter(|l| l.question == *q)
            .map(|l| l.score)
            .collect();
        levels.sort_by(f64::total_cmp);
        assert_eq!(levels, [1.0, 2.0, 3.0, 4.0, 5.0], "{q}");
    }
}

#[test]
fn scores_follow_quality_levels() {
    let graded = graded("levels.jsonl");
    let levels: Vec<f64> = graded.iter().map(|(l, _)| l.score).collect();
    let scores: Vec<f64> = graded.iter().map(|(_, g)| g.score).collect();
    let rho = spearman(&scores, &levels).unwrap();
    assert!(rho >= 0.85, "Spearman(score, level) = {rho:.3}");
    // Per question: the excellent answer beats the partial one, which beats the weak one.
    for (q, mut pairs) in by_question(&graded) {
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let at = |level: f64| pairs.iter().find(|p| p.0 == level).unwrap().1;
        assert!(
            at(5.0) > at(3.0) && at(3.0) > at(1.0),
            "{q}: levels 1/3/5 scored {:.1}/{:.1}/{:.1}",
            at(1.0),
            at(3.0),
            at(5.0)
        );
    }
}

#[test]
fn the_model_answer_as_an_ad_hoc_reference_ranks_the_levels_too() {
    // How a team grades its own questions: `--reference` with a model answer. The shipped
    // reference calibration was fitted on other people's short answers, never on these.
    let catalog = Catalog::bundled().unwrap();
    let grader = Grader::over(&[]);
    let (mut levels, mut scores) = (Vec::new(), Vec::new());
    for line in lines("levels.jsonl") {
        let question = catalog.find(&line.question).unwrap();
        let rubric = hone::rubric::extract::from_reference(
            "adhoc",
            &question.text,
            &question.model_answer,
            None,
        );
        let prepared = grader.prepare(&rubric);
        assert_eq!(prepared.origin, hone::grade::Origin::Reference);
        levels.push(line.score);
        scores.push(grader.grade(&prepared, &line.answer).score);
    }
    let rho = spearman(&scores, &levels).unwrap();
    assert!(rho >= 0.85, "Spearman(score, level) = {rho:.3}");
}

#[test]
fn gaming_answers_earn_no_credit() {
    let levels = by_question(&graded("levels.jsonl"));
    for (line, g) in graded("adversarial.jsonl") {
        let partial = levels[&line.question]
            .iter()
            .find(|p| p.0 == 3.0)
            .unwrap()
            .1;
        match line.kind.as_str() {
            "keyword_stuffed" | "question_pasted" | "star_labels_only" => {
                assert!(
                    g.score < partial && g.score <= 1.0,
                    "{} {}: scored {:.1} (partial answer {partial:.1})",
                    line.kind,
                    line.question,
                    g.score
                );
                assert!(
                    !g.flags.is_empty(),
                    "{} {}: no flag says why",
                    line.kind,
                    line.question
                );
            }
            "padded" => assert!(
                g.score <= partial + 1.0,
                "padding raised {} from {partial:.1} to {:.1}",
                line.question,
                g.score
            ),
            "star_no_result" => {
                let full = levels[&line.question]
                    .iter()
                    .find(|p| p.0 == 5.0)
                    .unwrap()
                    .1;
                assert!(
                    g.score < full - 10.0,
                    "{}: {:.1} vs full story {full:.1}",
                    line.question,
                    g.score
                );
                let star = g.star.as_ref().unwrap();
                assert_eq!(star.elements[3].status, hone::grade::ElementStatus::Missing);
            }
            other => panic!("unknown fixture kind {other}"),
        }
    }
}
