//! Progress over time from the attempt history: per bank, section and kind; missed key points;
//! STAR habits; what to practise next. Pure: attempts and questions in, a [`Progress`] out,
//! rendered as text (with sparklines) here and as HTML in `progress_html`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde::Serialize;

use crate::bank::Question;
use crate::grade::Coverage;

use super::attempt::{format_time, Attempt};
use super::schedule;
use super::session::format_duration;

/// How many attempts a trend shows at most (the latest ones).
pub const TREND_LEN: usize = 30;

/// Everything `hone progress` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    /// Whose progress (None = everyone in the database).
    pub candidate: Option<String>,
    /// When the report was made (RFC 3339).
    pub generated_at: String,
    /// All attempts together.
    pub overall: GroupStats,
    /// One row per bank.
    pub banks: Vec<GroupStats>,
    /// One row per bank section.
    pub sections: Vec<GroupStats>,
    /// One row per question kind.
    pub kinds: Vec<GroupStats>,
    /// Key points most often missed, most missed first.
    pub missed_points: Vec<MissedPoint>,
    /// Habits in behavioural (STAR) answers.
    pub star: StarHabits,
    /// What to practise next, most urgent first.
    pub next: Vec<NextQuestion>,
}

/// Statistics of one group of attempts (a bank, a section, a kind, or everything).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GroupStats {
    /// The group's key, e.g. `pse`, `pse/design`, `behavioural`, `all`.
    pub key: String,
    /// Human-readable name, e.g. `System Design`.
    pub title: String,
    /// Attempts in the group.
    pub attempts: usize,
    /// Distinct questions attempted.
    pub questions_tried: usize,
    /// Questions in the group that hone knows (0 when the bank is not loaded).
    pub questions_total: usize,
    /// Best score of any attempt.
    pub best_score: f64,
    /// Score of the most recent attempt.
    pub latest_score: f64,
    /// Mean of each question's latest score.
    pub mean_latest: f64,
    /// Scores of the latest attempts, oldest first (at most [`TREND_LEN`]).
    pub trend: Vec<f64>,
    /// Time spent answering, in milliseconds.
    pub time_spent_ms: u64,
    /// When the latest attempt was made (RFC 3339).
    pub last_attempt_at: String,
}

/// A key point that answers keep missing.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MissedPoint {
    /// The question it belongs to.
    pub question_id: String,
    /// The key point's label.
    pub label: String,
    /// Attempts that missed it.
    pub missed: usize,
    /// Attempts at the question.
    pub attempts: usize,
    /// Whether the latest attempt still missed it.
    pub still_missing: bool,
}

/// Habits seen across behavioural answers.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct StarHabits {
    /// Behavioural attempts analysed.
    pub attempts: usize,
    /// Attempts whose result had no number or before/after.
    pub unquantified_results: usize,
    /// Attempts that told the actions mostly as "we".
    pub told_as_we: usize,
    /// How often each STAR element was thin or missing, by element name.
    pub weak_parts: BTreeMap<String, usize>,
    /// Plain-language notes on the habits worth changing.
    pub notes: Vec<String>,
}

/// A question to practise next and why.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NextQuestion {
    /// Question id.
    pub id: String,
    /// Question text.
    pub text: String,
    /// Why now ("never tried", "latest score 35").
    pub reason: String,
}

/// Builds the progress report from `attempts` (already filtered) and the known `questions`.
pub fn build(
    candidate: Option<&str>,
    attempts: &[Attempt],
    questions: &[Question],
    now_ms: i64,
) -> Progress {
    let mut sorted: Vec<&Attempt> = attempts.iter().collect();
    sorted.sort_by_key(|a| a.answered_at_ms);
    let titles: HashMap<String, String> = questions
        .iter()
        .map(|q| (format!("{}/{}", q.bank, q.section), q.section_title.clone()))
        .collect();
    let overall = group_stats("all", "All questions", &sorted, questions.len());
    let banks = grouped(
        &sorted,
        questions,
        |bank, _, _| bank.to_string(),
        |k| k.to_string(),
    );
    let sections = grouped(
        &sorted,
        questions,
        |bank, section, _| format!("{bank}/{section}"),
        |k| titles.get(k).cloned().unwrap_or_else(|| k.to_string()),
    );
    let kinds = grouped(
        &sorted,
        questions,
        |_, _, kind| kind.to_string(),
        |k| k.to_string(),
    );
    Progress {
        candidate: candidate.map(str::to_string),
        generated_at: format_time(now_ms),
        overall,
        banks,
        sections,
        kinds,
        missed_points: missed_points(&sorted, 10),
        star: star_habits(&sorted),
        next: next_questions(questions, attempts, now_ms, 5),
    }
}

/// Groups attempts (and counts questions) by `key_of(bank, section, kind)`.
fn grouped(
    sorted: &[&Attempt],
    questions: &[Question],
    key_of: impl Fn(&str, &str, crate::bank::Kind) -> String,
    title_of: impl Fn(&str) -> String,
) -> Vec<GroupStats> {
    let mut groups: BTreeMap<String, Vec<&Attempt>> = BTreeMap::new();
    for a in sorted {
        groups
            .entry(key_of(&a.bank, &a.section, a.kind))
            .or_default()
            .push(a);
    }
    let mut totals: HashMap<String, usize> = HashMap::new();
    for q in questions {
        *totals
            .entry(key_of(&q.bank, &q.section, q.kind))
            .or_default() += 1;
    }
    groups
        .iter()
        .map(|(key, items)| {
            group_stats(
                key,
                &title_of(key),
                items,
                totals.get(key).copied().unwrap_or(0),
            )
        })
        .collect()
}

/// Statistics of attempts sorted oldest first.
fn group_stats(key: &str, title: &str, sorted: &[&Attempt], total: usize) -> GroupStats {
    let mut latest_by_question: HashMap<&str, f64> = HashMap::new();
    for a in sorted {
        latest_by_question.insert(&a.question_id, a.score);
    }
    let mean_latest = if latest_by_question.is_empty() {
        0.0
    } else {
        latest_by_question.values().sum::<f64>() / latest_by_question.len() as f64
    };
    let start = sorted.len().saturating_sub(TREND_LEN);
    GroupStats {
        key: key.to_string(),
        title: title.to_string(),
        attempts: sorted.len(),
        questions_tried: latest_by_question.len(),
        questions_total: total,
        best_score: sorted.iter().map(|a| a.score).fold(0.0, f64::max),
        latest_score: sorted.last().map_or(0.0, |a| a.score),
        mean_latest,
        trend: sorted[start..].iter().map(|a| a.score).collect(),
        time_spent_ms: sorted.iter().map(|a| a.duration_ms).sum(),
        last_attempt_at: sorted
            .last()
            .map_or_else(String::new, |a| format_time(a.answered_at_ms)),
    }
}

/// The key points missed most often (partial counts as missed), at most `limit`.
pub fn missed_points(sorted: &[&Attempt], limit: usize) -> Vec<MissedPoint> {
    let mut tally: BTreeMap<(String, String), MissedPoint> = BTreeMap::new();
    let mut attempts_per_question: HashMap<&str, usize> = HashMap::new();
    for a in sorted {
        *attempts_per_question.entry(&a.question_id).or_default() += 1;
        for p in &a.points {
            let entry = tally
                .entry((a.question_id.clone(), p.label.clone()))
                .or_insert_with(|| MissedPoint {
                    question_id: a.question_id.clone(),
                    label: p.label.clone(),
                    missed: 0,
                    attempts: 0,
                    still_missing: false,
                });
            let missed = p.coverage != Coverage::Covered;
            entry.missed += usize::from(missed);
            entry.still_missing = missed;
        }
    }
    let mut out: Vec<MissedPoint> = tally
        .into_values()
        .filter(|m| m.missed > 0)
        .map(|mut m| {
            m.attempts = attempts_per_question
                .get(m.question_id.as_str())
                .copied()
                .unwrap_or(0);
            m
        })
        .collect();
    out.sort_by(|a, b| {
        b.still_missing
            .cmp(&a.still_missing)
            .then(b.missed.cmp(&a.missed))
            .then(a.question_id.cmp(&b.question_id))
    });
    out.truncate(limit);
    out
}

/// STAR habits across behavioural attempts.
pub fn star_habits(sorted: &[&Attempt]) -> StarHabits {
    let mut habits = StarHabits::default();
    for star in sorted.iter().filter_map(|a| a.star.as_ref()) {
        habits.attempts += 1;
        habits.unquantified_results += usize::from(!star.measurable_result);
        habits.told_as_we += usize::from(star.told_as_we());
        for part in &star.weak_parts {
            *habits
                .weak_parts
                .entry(part.title().to_string())
                .or_default() += 1;
        }
    }
    let n = habits.attempts;
    if n == 0 {
        return habits;
    }
    let share = |count: usize| count as f64 / n as f64;
    if share(habits.unquantified_results) >= 0.5 {
        habits.notes.push(format!(
            "Results are rarely quantified ({} of {n} stories): end with a number — time saved, \
             errors cut, revenue, before → after.",
            habits.unquantified_results
        ));
    }
    if share(habits.told_as_we) >= 0.5 {
        habits.notes.push(format!(
            "Actions are told as \"we\" ({} of {n} stories): say what you did yourself, with \"I\".",
            habits.told_as_we
        ));
    }
    if let Some((part, count)) = habits.weak_parts.iter().max_by_key(|(_, c)| **c) {
        if share(*count) >= 0.5 {
            habits.notes.push(format!(
                "The {part} is often thin or missing ({count} of {n} stories)."
            ));
        }
    }
    habits
}

/// The `limit` most urgent questions, with the reason for each.
pub fn next_questions(
    questions: &[Question],
    attempts: &[Attempt],
    now_ms: i64,
    limit: usize,
) -> Vec<NextQuestion> {
    schedule::order(questions, attempts, now_ms)
        .into_iter()
        .take(limit)
        .map(|pick| NextQuestion {
            id: pick.question.id.clone(),
            text: pick.question.text.clone(),
            reason: match pick.state {
                None => "never tried".to_string(),
                Some(s) if pick.due => format!(
                    "due again; latest score {:.0} (best {:.0})",
                    s.latest_score, s.best_score
                ),
                Some(s) => format!(
                    "latest score {:.0}; due in {}",
                    s.latest_score,
                    humanise_wait(s.due_at_ms - now_ms)
                ),
            },
        })
        .collect()
}

fn humanise_wait(ms: i64) -> String {
    let hours = ms / 3_600_000;
    if hours >= 48 {
        format!("{} days", hours / 24)
    } else if hours >= 1 {
        format!("{hours} h")
    } else {
        "under an hour".to_string()
    }
}

/// A terminal sparkline of 0..=100 scores (`▁▃▅█`).
pub fn sparkline(scores: &[f64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    scores
        .iter()
        .map(|s| BARS[((s.clamp(0.0, 100.0) / 100.0) * 7.0).round() as usize])
        .collect()
}

/// The report as plain text for the terminal.
pub fn render_text(progress: &Progress) -> String {
    let mut out = String::new();
    let who = progress.candidate.as_deref().unwrap_or("everyone");
    let o = &progress.overall;
    let _ = writeln!(out, "Progress for {who}");
    if o.attempts == 0 {
        let _ = writeln!(out, "\nNo attempts yet. Start with `hone practice`.");
    } else {
        let _ = writeln!(
            out,
            "{} attempts on {} questions · best {:.0} · latest {:.0} · time spent {}",
            o.attempts,
            o.questions_tried,
            o.best_score,
            o.latest_score,
            format_duration(o.time_spent_ms)
        );
        let _ = writeln!(out, "trend {}", sparkline(&o.trend));
        for (heading, rows) in [
            ("By bank", &progress.banks),
            ("By section", &progress.sections),
            ("By kind", &progress.kinds),
        ] {
            render_table(&mut out, heading, rows);
        }
    }
    render_missed(&mut out, &progress.missed_points);
    if !progress.star.notes.is_empty() {
        let _ = writeln!(
            out,
            "\nSTAR habits ({} behavioural answers)",
            progress.star.attempts
        );
        for note in &progress.star.notes {
            let _ = writeln!(out, "  • {note}");
        }
    }
    if !progress.next.is_empty() {
        let _ = writeln!(out, "\nPractise next");
        for q in &progress.next {
            let _ = writeln!(out, "  {:<16} {}  ({})", q.id, q.text, q.reason);
        }
    }
    out
}

fn render_table(out: &mut String, heading: &str, rows: &[GroupStats]) {
    let _ = writeln!(out, "\n{heading}");
    let _ = writeln!(
        out,
        "  {:<24} {:>8} {:>9} {:>5} {:>7}  trend",
        "", "attempts", "questions", "best", "latest"
    );
    for row in rows {
        let questions = if row.questions_total > 0 {
            format!("{}/{}", row.questions_tried, row.questions_total)
        } else {
            row.questions_tried.to_string()
        };
        let _ = writeln!(
            out,
            "  {:<24} {:>8} {:>9} {:>5.0} {:>7.0}  {}",
            truncate(&row.title, 24),
            row.attempts,
            questions,
            row.best_score,
            row.latest_score,
            sparkline(&row.trend)
        );
    }
}

fn render_missed(out: &mut String, missed: &[MissedPoint]) {
    if missed.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nKey points most often missed");
    for m in missed {
        let status = if m.still_missing {
            ""
        } else {
            " — covered last time"
        };
        let _ = writeln!(
            out,
            "  {}×/{}  {}  ({}){status}",
            m.missed, m.attempts, m.label, m.question_id
        );
    }
}

pub(crate) fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let cut: String = text.chars().take(width - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Kind;
    use crate::practice::attempt::StarSummary;
    use crate::practice::history::tests::attempt;
    use crate::rubric::StarPart;

    const DAY: i64 = 86_400_000;

    fn behavioural(at: i64, measurable: bool, i_share: f64) -> Attempt {
        let mut a = attempt("fde/behavioural/1", 50.0, at);
        a.kind = Kind::Behavioural;
        a.points.clear();
        a.star = Some(StarSummary {
            measurable_result: measurable,
            first_person_share: i_share,
            weak_parts: vec![StarPart::Result],
        });
        a
    }

    #[test]
    fn groups_report_attempts_best_latest_and_trend() {
        let attempts = vec![
            attempt("pse/dsa/1", 40.0, DAY),
            attempt("pse/dsa/1", 75.0, 2 * DAY),
            attempt("pse/design/1", 55.0, 3 * DAY),
            attempt("pse/dsa/2", 30.0, 4 * DAY),
        ];
        let p = build(Some("ada"), &attempts, &[], 5 * DAY);
        assert_eq!(p.overall.attempts, 4);
        assert_eq!(p.overall.questions_tried, 3);
        assert_eq!(p.overall.best_score, 75.0);
        assert_eq!(p.overall.latest_score, 30.0);
        assert_eq!(p.overall.trend, vec![40.0, 75.0, 55.0, 30.0]);
        let dsa = p.sections.iter().find(|s| s.key == "pse/dsa").unwrap();
        assert_eq!(
            (dsa.attempts, dsa.best_score, dsa.latest_score),
            (3, 75.0, 30.0)
        );
        assert_eq!(dsa.mean_latest, (75.0 + 30.0) / 2.0);
        assert_eq!(p.banks.len(), 1);
    }

    #[test]
    fn the_most_missed_points_come_first() {
        let mut fixed = attempt("pse/dsa/1", 90.0, 3 * DAY);
        fixed.points[1].coverage = Coverage::Covered;
        let attempts = [
            attempt("pse/dsa/1", 40.0, DAY),
            attempt("pse/dsa/1", 45.0, 2 * DAY),
            attempt("pse/dsa/2", 45.0, 2 * DAY),
            fixed,
        ];
        let sorted: Vec<&Attempt> = attempts.iter().collect();
        let missed = missed_points(&sorted, 10);
        // pse/dsa/2's miss is still open; pse/dsa/1's was fixed in the last attempt.
        assert_eq!(missed[0].question_id, "pse/dsa/2");
        assert!(missed[0].still_missing);
        assert_eq!((missed[1].missed, missed[1].attempts), (2, 3));
        assert!(!missed[1].still_missing);
    }

    #[test]
    fn star_habits_note_unquantified_results_and_we() {
        let attempts = [
            behavioural(DAY, false, 0.2),
            behavioural(2 * DAY, false, 0.3),
            behavioural(3 * DAY, true, 0.9),
        ];
        let sorted: Vec<&Attempt> = attempts.iter().collect();
        let habits = star_habits(&sorted);
        assert_eq!(habits.attempts, 3);
        assert_eq!(habits.unquantified_results, 2);
        assert_eq!(habits.told_as_we, 2);
        assert_eq!(habits.notes.len(), 3, "{:?}", habits.notes);
        assert!(habits.notes[0].contains("rarely quantified"));
    }

    #[test]
    fn sparklines_map_scores_to_bar_heights() {
        assert_eq!(sparkline(&[0.0, 50.0, 100.0]), "▁▅█");
        assert_eq!(sparkline(&[]), "");
    }

    #[test]
    fn text_report_names_every_group() {
        let attempts = vec![
            attempt("pse/dsa/1", 40.0, DAY),
            attempt("pse/dsa/1", 80.0, 2 * DAY),
        ];
        let text = render_text(&build(Some("ada"), &attempts, &[], 3 * DAY));
        assert!(text.contains("2 attempts on 1 questions"), "{text}");
        assert!(text.contains("By section"), "{text}");
        assert!(text.contains("eviction order"), "{text}");
    }
}
