//! Scaffolding until `hone eval` lands: agreement with human grades on ../shared/asag.
//! Run: cargo test --release --test it asag -- --ignored --nocapture

use hone::bank::Kind;
use hone::grade::{PreparedRubric, TermWeights};
use hone::rubric::{KeyPoint, PointKind, Rubric};

fn rubric_from(qid: &str, question: &str, reference: &str) -> Rubric {
    let from = hone::rubric::extract::from_reference(qid, question, reference, Some(Kind::Concept));
    if !from.key_points.is_empty() {
        return from;
    }
    let key_points = hone::text::sentences(reference)
        .iter()
        .map(|&(s, e)| {
            let sent = &reference[s..e];
            KeyPoint {
                label: sent.to_string(),
                reference: sent.to_string(),
                terms: hone::text::tokens(sent)
                    .iter()
                    .filter(|t| !hone::text::is_stopword(t.text))
                    .map(|t| t.text.to_string())
                    .collect(),
                weight: 1.0,
                kind: PointKind::Concept,
            }
        })
        .collect();
    Rubric {
        id: qid.into(),
        question: question.into(),
        kind: Kind::Concept,
        hand_edited: false,
        key_points,
        claims: vec![],
        star: vec![],
        competencies: vec![],
    }
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    sxy / (sxx.sqrt() * syy.sqrt())
}

fn auc(scores: &[f64], pos: &[bool]) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    for (i, a) in scores.iter().enumerate() {
        if !pos[i] {
            continue;
        }
        for (j, b) in scores.iter().enumerate() {
            if pos[j] {
                continue;
            }
            den += 1.0;
            if a > b {
                num += 1.0
            } else if a == b {
                num += 0.5
            }
        }
    }
    num / den
}

fn load(file: &str) -> Option<Vec<serde_json::Value>> {
    let path = std::env::var("ASAG_DIR")
        .map(|d| std::path::PathBuf::from(d).join(file))
        .ok()
        .or_else(|| crate::common::asag(file))?;
    let text = std::fs::read_to_string(path).unwrap();
    Some(
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
    )
}

fn dump(
    name: &str,
    rows: &[serde_json::Value],
    got: &[(f64, Vec<f64>)],
    target: impl Fn(&serde_json::Value) -> f64,
) {
    let Ok(dir) = std::env::var("DUMP") else {
        return;
    };
    let mut out = String::from("qid,target,score,");
    out += &hone::grade::signals::names().join(",");
    out += "\n";
    for (r, g) in rows.iter().zip(got) {
        let vals: Vec<String> = g.1.iter().map(|v| format!("{v:.4}")).collect();
        out += &format!(
            "{},{},{},{}\n",
            r["qid"].as_str().unwrap(),
            target(r),
            g.0,
            vals.join(",")
        );
    }
    std::fs::write(format!("{dir}/{name}.csv"), out).unwrap();
}

fn graded(rows: &[serde_json::Value]) -> Vec<(f64, Vec<f64>)> {
    let mut rubrics = std::collections::HashMap::new();
    for r in rows {
        let qid = r["qid"].as_str().unwrap();
        rubrics.entry(qid.to_string()).or_insert_with(|| {
            rubric_from(
                qid,
                r["question"].as_str().unwrap(),
                r["reference"].as_str().unwrap(),
            )
        });
    }
    let weights = if std::env::var("NO_IDF").is_ok() {
        TermWeights::default()
    } else {
        TermWeights::from_rubrics(rubrics.values())
    };
    let prepared: std::collections::HashMap<_, _> = rubrics
        .iter()
        .map(|(k, r)| (k.clone(), PreparedRubric::with_weights(r, &weights)))
        .collect();
    let cal = hone::grade::default_calibration();
    rows.iter()
        .map(|r| {
            let p = &prepared[r["qid"].as_str().unwrap()];
            let a = r["answer"].as_str().unwrap();
            (p.grade(a, cal).score, p.signals(a).values)
        })
        .collect()
}

#[test]
#[ignore]
fn asag_mohler_pearson() {
    let Some(rows) = load("mohler_dev.jsonl") else {
        return;
    };
    let got = graded(&rows);
    let human: Vec<f64> = rows.iter().map(|r| r["score"].as_f64().unwrap()).collect();
    let scores: Vec<f64> = got.iter().map(|g| g.0).collect();
    eprintln!("mohler pooled pearson r = {:.3}", pearson(&scores, &human));
    dump("mohler", &rows, &got, |r| r["score"].as_f64().unwrap());
    let names = hone::grade::signals::names();
    for (i, n) in names.iter().enumerate() {
        let col: Vec<f64> = got.iter().map(|g| g.1[i]).collect();
        if col.iter().any(|v| *v != col[0]) {
            eprintln!("  {n:>20}: r = {:.3}", pearson(&col, &human));
        }
    }
}

#[test]
#[ignore]
fn asag_scientsbank_auc() {
    let Some(rows) = load("scientsbank_train.jsonl") else {
        return;
    };
    let got = graded(&rows);
    let pos: Vec<bool> = rows.iter().map(|r| r["label_2way"] == "correct").collect();
    let scores: Vec<f64> = got.iter().map(|g| g.0).collect();
    eprintln!("scientsbank auc = {:.3}", auc(&scores, &pos));
    dump("sciq", &rows, &got, |r| {
        if r["label_2way"] == "correct" {
            1.0
        } else {
            0.0
        }
    });
    let names = hone::grade::signals::names();
    for (i, n) in names.iter().enumerate() {
        let col: Vec<f64> = got.iter().map(|g| g.1[i]).collect();
        if col.iter().any(|v| *v != col[0]) {
            eprintln!("  {n:>20}: auc = {:.3}", auc(&col, &pos));
        }
    }
}

#[test]
#[ignore]
fn asag_debug_flags() {
    let Some(rows) = load("mohler_dev.jsonl") else {
        return;
    };
    for r in rows.iter() {
        let rubric = rubric_from(
            r["qid"].as_str().unwrap(),
            r["question"].as_str().unwrap(),
            r["reference"].as_str().unwrap(),
        );
        let g = hone::grade::grade(&rubric, r["answer"].as_str().unwrap());
        if !g.flags.is_empty() {
            eprintln!(
                "{} {:?} | {}",
                r["score"],
                g.flags.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(),
                r["answer"].as_str().unwrap().replace('\n', " / ")
            );
        }
    }
}

#[test]
#[ignore]
fn asag_dump_fixture_signals() {
    let catalog = hone::bank::Catalog::bundled().unwrap();
    let store = hone::rubric::store::RubricStore::bundled();
    let text = std::fs::read_to_string(crate::common::fixture("answers/levels.jsonl")).unwrap();
    let rows: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<(f64, Vec<f64>)> = rows
        .iter()
        .map(|r| {
            let q = catalog.find(r["question"].as_str().unwrap()).unwrap();
            let rubric = store.rubric_for(q).unwrap();
            let a = r["answer"].as_str().unwrap();
            (
                hone::grade::grade(&rubric, a).score,
                hone::grade::signals(&rubric, a).values,
            )
        })
        .collect();
    let rows: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|mut r| {
            r["qid"] = r["question"].clone();
            r
        })
        .collect();
    dump("fixtures", &rows, &got, |r| r["score"].as_f64().unwrap());
}
