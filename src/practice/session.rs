//! The interactive practice loop: show a question, read an answer, grade it, save it, coach.
//!
//! Line-based so it works in any terminal (and in tests through any reader/writer): the answer
//! ends with a line holding only `.` or with Ctrl-D; then a one-letter menu offers the key
//! points, the model answer, a retry (showing which key points are newly covered), the next
//! question, or quitting. Each attempt is committed to history before its feedback is shown.

use std::collections::HashSet;
use std::io::{BufRead, Write};
use std::sync::Mutex;

use anstyle::{AnsiColor, Style};

use crate::bank::Question;
use crate::grade::{Coverage, Grade};
use crate::report::terminal::safe;
use crate::rubric::store::RubricStore;
use crate::rubric::Rubric;

use super::attempt::Attempt;
use super::history::History;
use super::recovery;
use super::schedule::{self, Clock};

/// Where answers are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerSource {
    /// Typed in the terminal, ended by a line holding only `.` or by Ctrl-D.
    Terminal,
    /// Written in an editor: the command (e.g. `$EDITOR`) run on a scratch file.
    Editor(String),
}

/// Everything a practice session needs.
pub struct Session<'a> {
    /// The questions to practise (already filtered).
    pub questions: Vec<Question>,
    /// Where rubrics come from.
    pub rubrics: &'a RubricStore,
    /// Where attempts go.
    pub history: &'a History,
    /// The time source (answer timer, timestamps, scheduling).
    pub clock: &'a dyn Clock,
    /// Who is practising.
    pub candidate: String,
    /// Terminal or editor.
    pub source: AnswerSource,
    /// Grades an answer: the local grader, or the local grader plus the LLM judge.
    pub grader: &'a dyn Fn(&Rubric, &str) -> Grade,
    /// The answer being typed, for a Ctrl-C handler to keep (none: nobody is watching).
    pub draft: Option<&'a Draft>,
}

/// The answer being typed and not yet saved, line by line, shared with a Ctrl-C handler so an
/// interrupt keeps it instead of dropping it.
#[derive(Debug, Default)]
pub struct Draft {
    typing: Mutex<Option<(String, String)>>,
}

impl Draft {
    fn begin(&self, question_id: &str) {
        *self.lock() = Some((question_id.to_string(), String::new()));
    }

    fn push_line(&self, line: &str) {
        if let Some((_, text)) = self.lock().as_mut() {
            text.push_str(line);
        }
    }

    fn clear(&self) {
        *self.lock() = None;
    }

    /// The question id and the text typed so far, when any was (and forgets them).
    pub fn take(&self) -> Option<(String, String)> {
        self.lock()
            .take()
            .filter(|(_, text)| !text.trim().is_empty())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(String, String)>> {
        self.typing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// What happened in a session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Attempts graded (saved to history, or kept in the recovery file).
    pub attempts: usize,
    /// Distinct questions answered.
    pub questions: usize,
    /// Of those, attempts the history could not take, kept in the recovery file instead.
    pub kept_elsewhere: usize,
}

/// How reading an answer ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    /// Some text.
    Text(String),
    /// An empty answer: skip the question.
    Empty,
    /// End of input before anything was typed: quit.
    Closed,
}

/// The user's choice after seeing feedback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Next,
    Retry,
    Quit,
}

const HEADING: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const GOOD: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));
const SO_SO: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));
const BAD: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));

impl Session<'_> {
    /// Runs the loop until the user quits, input ends, or no question is left.
    pub fn run(&self, input: &mut dyn BufRead, out: &mut dyn Write) -> anyhow::Result<Summary> {
        let mut summary = Summary::default();
        let mut done: HashSet<String> = HashSet::new();
        loop {
            let Some(question) = self.next_question(&done)? else {
                writeln!(out, "\nNo more questions match these filters for now.")?;
                break;
            };
            done.insert(question.id.clone());
            let rubric = self.rubrics.rubric_for(question)?;
            match self.practise(question, &rubric, input, out, &mut summary)? {
                Choice::Quit => break,
                Choice::Next | Choice::Retry => {}
            }
        }
        writeln!(
            out,
            "\nSaved {} attempt(s) on {} question(s) to {}. See `hone progress`.",
            summary.attempts - summary.kept_elsewhere,
            summary.questions,
            self.history.path().display()
        )?;
        if summary.kept_elsewhere > 0 {
            writeln!(
                out,
                "{BAD}{} attempt(s) could not be saved there and are kept in {}; add them with \
                 `hone history import`.{BAD:#}",
                summary.kept_elsewhere,
                recovery::recovery_path(self.history.path()).display()
            )?;
        }
        Ok(summary)
    }

    /// The most urgent question not yet seen in this session.
    fn next_question(&self, done: &HashSet<String>) -> anyhow::Result<Option<&Question>> {
        let attempts = self.history.attempts(Some(&self.candidate))?;
        let picks = schedule::order(&self.questions, &attempts, self.clock.now_ms());
        Ok(picks
            .into_iter()
            .find(|p| !done.contains(&p.question.id))
            .map(|p| p.question))
    }

    /// One question: answer, feedback, menu; retries until the user moves on.
    fn practise(
        &self,
        question: &Question,
        rubric: &Rubric,
        input: &mut dyn BufRead,
        out: &mut dyn Write,
        summary: &mut Summary,
    ) -> anyhow::Result<Choice> {
        let mut previous: Option<Attempt> = None;
        loop {
            show_question(question, previous.is_some(), &self.source, out)?;
            let started = self.clock.now_ms();
            if let Some(draft) = self.draft {
                draft.begin(&question.id);
            }
            let answer = match self.read_answer(input, out)? {
                Answer::Closed => return Ok(Choice::Quit),
                Answer::Empty => {
                    writeln!(out, "{DIM}Skipped.{DIM:#}")?;
                    return Ok(Choice::Next);
                }
                Answer::Text(text) => text,
            };
            let finished = self.clock.now_ms();
            let grade = (self.grader)(rubric, &answer);
            let attempt = Attempt::from_grade(
                question,
                &self.candidate,
                &answer,
                &grade,
                u64::try_from(finished - started).unwrap_or(0),
                finished,
            );
            if !self.save(&attempt, out)? {
                summary.kept_elsewhere += 1;
            }
            if let Some(draft) = self.draft {
                draft.clear();
            }
            summary.attempts += 1;
            if previous.is_none() {
                summary.questions += 1;
            }
            show_feedback(&grade, attempt.duration_ms, out)?;
            if let Some(before) = &previous {
                show_retry_diff(before, &attempt, out)?;
            }
            match menu(question, rubric, &grade, input, out)? {
                Choice::Retry => previous = Some(attempt),
                other => return Ok(other),
            }
        }
    }

    /// Commits the attempt to history (true); when the database cannot take it (locked too
    /// long, gone read-only), keeps it in the recovery file and says where (false), so no
    /// answer is lost.
    fn save(&self, attempt: &Attempt, out: &mut dyn Write) -> anyhow::Result<bool> {
        let err = match self.history.record(attempt) {
            Ok(_) => {
                writeln!(out, "{DIM}Saved to history.{DIM:#}")?;
                return Ok(true);
            }
            Err(err) => err,
        };
        let kept = recovery::keep(self.history.path(), attempt).map_err(|e| {
            anyhow::anyhow!("{err}; the answer could not be kept elsewhere either: {e}")
        })?;
        writeln!(
            out,
            "{BAD}Not saved to history: {err}{BAD:#}\n\
             Your answer is kept in {kept}; add it to the history later with \
             `hone history import {kept}`.",
            kept = kept.display()
        )?;
        Ok(false)
    }

    fn read_answer(&self, input: &mut dyn BufRead, out: &mut dyn Write) -> anyhow::Result<Answer> {
        match &self.source {
            AnswerSource::Terminal => read_typed_answer(input, out, self.draft),
            AnswerSource::Editor(command) => {
                out.flush()?;
                let text = edit(command)?;
                Ok(if text.trim().is_empty() {
                    Answer::Empty
                } else {
                    Answer::Text(text)
                })
            }
        }
    }
}

fn show_question(
    question: &Question,
    retry: bool,
    source: &AnswerSource,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let again = if retry { " (retry)" } else { "" };
    writeln!(
        out,
        "\n{HEADING}── {} · {} · {}{again} ──{HEADING:#}",
        safe(&question.id),
        safe(&question.section_title),
        question.kind
    )?;
    writeln!(out, "{HEADING}{}{HEADING:#}\n", safe(&question.text))?;
    match source {
        AnswerSource::Terminal => writeln!(
            out,
            "{DIM}Type your answer. End it with a line containing only `.` (or press Ctrl-D).\n\
             An empty answer skips the question; Ctrl-D before typing anything quits.{DIM:#}"
        ),
        AnswerSource::Editor(cmd) => writeln!(
            out,
            "{DIM}Opening `{cmd}`: write your answer, save and close it. An empty file skips.{DIM:#}"
        ),
    }?;
    out.flush()
}

/// Reads lines until one holds only `.`, or input ends.
fn read_typed_answer(
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    draft: Option<&Draft>,
) -> anyhow::Result<Answer> {
    out.flush()?;
    let mut text = String::new();
    let mut line = String::new();
    let mut ended_by_dot = false;
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            break;
        }
        if line.trim_end_matches(['\r', '\n']).trim() == "." {
            ended_by_dot = true;
            break;
        }
        text.push_str(&line);
        if let Some(draft) = draft {
            draft.push_line(&line);
        }
    }
    Ok(if !text.trim().is_empty() {
        Answer::Text(text.trim_end().to_string())
    } else if ended_by_dot {
        Answer::Empty
    } else {
        Answer::Closed
    })
}

/// Runs `command` on a scratch file and returns what was written in it.
fn edit(command: &str) -> anyhow::Result<String> {
    let file = tempfile::Builder::new()
        .prefix("hone-answer-")
        .suffix(".md")
        .tempfile()?;
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{command} \"$1\""))
        .arg("hone")
        .arg(file.path())
        .status()
        .map_err(|e| anyhow::anyhow!("cannot run the editor `{command}`: {e}"))?;
    if !status.success() {
        anyhow::bail!("the editor `{command}` exited with {status}; answer not graded");
    }
    Ok(std::fs::read_to_string(file.path())?)
}

/// Formats a duration as `1m 05s` or `42s`.
pub fn format_duration(ms: u64) -> String {
    let secs = ms / 1000;
    if secs >= 60 {
        format!("{}m {:02}s", secs / 60, secs % 60)
    } else {
        format!("{secs}s")
    }
}

/// The grader's feedback (`report::feedback`) followed by the time the answer took.
fn show_feedback(grade: &Grade, duration_ms: u64, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out)?;
    out.write_all(crate::report::feedback::render(grade).as_bytes())?;
    if let Some(outcome) = &grade.llm {
        out.write_all(crate::report::feedback::llm_outcome_text(outcome).as_bytes())?;
    }
    writeln!(
        out,
        "\n{DIM}Answered in {}{DIM:#}",
        format_duration(duration_ms)
    )
}

/// Which key points (and STAR elements) a retry newly covers, still misses, or lost, compared
/// with the last attempt.
pub fn retry_diff(before: &Attempt, after: &Attempt) -> RetryDiff {
    let was: HashSet<String> = covered(before);
    let now_list = after.checklist();
    let now: HashSet<String> = covered(after);
    let pick = |keep: &dyn Fn(&String) -> bool, list: &[(String, bool)]| {
        list.iter()
            .map(|(label, _)| label)
            .filter(|l| keep(l))
            .cloned()
            .collect()
    };
    RetryDiff {
        newly_covered: pick(&|l| now.contains(l) && !was.contains(l), &now_list),
        still_missing: pick(&|l| !now.contains(l) && !was.contains(l), &now_list),
        lost: pick(
            &|l| was.contains(l) && !now.contains(l),
            &before.checklist(),
        ),
    }
}

fn covered(attempt: &Attempt) -> HashSet<String> {
    attempt
        .checklist()
        .into_iter()
        .filter(|(_, ok)| *ok)
        .map(|(label, _)| label)
        .collect()
}

/// Key-point changes between two attempts at one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryDiff {
    /// Covered now, not before.
    pub newly_covered: Vec<String>,
    /// Covered neither time.
    pub still_missing: Vec<String>,
    /// Covered before, not now.
    pub lost: Vec<String>,
}

fn show_retry_diff(before: &Attempt, after: &Attempt, out: &mut dyn Write) -> std::io::Result<()> {
    let diff = retry_diff(before, after);
    let delta = after.score - before.score;
    writeln!(
        out,
        "\nCompared with your last attempt: {:+.0} points ({:.0} → {:.0})",
        delta, before.score, after.score
    )?;
    show_list(out, "Newly covered", "+", GOOD, &diff.newly_covered)?;
    show_list(out, "Still missing", "-", DIM, &diff.still_missing)?;
    if !diff.lost.is_empty() {
        show_list(out, "No longer covered", "!", BAD, &diff.lost)?;
    }
    Ok(())
}

/// `Heading: none`, or the heading and one marked line per item.
fn show_list(
    out: &mut dyn Write,
    heading: &str,
    mark: &str,
    style: Style,
    items: &[String],
) -> std::io::Result<()> {
    if items.is_empty() {
        return writeln!(out, "{heading}: none");
    }
    writeln!(out, "{heading}:")?;
    for item in items {
        writeln!(out, "  {style}{mark}{style:#} {}", safe(item))?;
    }
    Ok(())
}

fn menu(
    question: &Question,
    rubric: &Rubric,
    grade: &Grade,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> anyhow::Result<Choice> {
    loop {
        write!(
            out,
            "\n{HEADING}[k]{HEADING:#} key points  {HEADING}[m]{HEADING:#} model answer  \
             {HEADING}[r]{HEADING:#} retry  {HEADING}[n]{HEADING:#} next  {HEADING}[q]{HEADING:#} quit > "
        )?;
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            writeln!(out)?;
            return Ok(Choice::Quit);
        }
        match line.trim().to_lowercase().as_str() {
            "k" => show_key_points(rubric, grade, out)?,
            "m" => writeln!(
                out,
                "\n{HEADING}Model answer{HEADING:#}\n{}",
                safe(&question.model_answer)
            )?,
            "r" => return Ok(Choice::Retry),
            "n" | "s" | "" => return Ok(Choice::Next),
            "q" => return Ok(Choice::Quit),
            other => writeln!(out, "`{}`? Type k, m, r, n or q, then Enter.", safe(other))?,
        }
    }
}

fn show_key_points(rubric: &Rubric, grade: &Grade, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "\n{HEADING}Key points{HEADING:#}")?;
    for point in &rubric.key_points {
        let coverage = grade
            .points
            .iter()
            .find(|p| p.label == point.label)
            .map(|p| p.coverage);
        let (mark, style) = match coverage {
            Some(Coverage::Covered) => ("✓", GOOD),
            Some(Coverage::Partial) => ("~", SO_SO),
            Some(Coverage::Missing) => ("✗", BAD),
            None => ("•", DIM),
        };
        writeln!(out, "  {style}{mark}{style:#} {}", safe(&point.label))?;
        if adds_to_label(&point.label, &point.reference) {
            writeln!(
                out,
                "      {DIM}{}{DIM:#}",
                safe(&clip(&point.reference, 200))
            )?;
        }
    }
    for element in &rubric.star {
        writeln!(
            out,
            "  {}: {}",
            element.part.title(),
            safe(&element.expects)
        )?;
    }
    if !rubric.competencies.is_empty() {
        let names: Vec<&str> = rubric
            .competencies
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        writeln!(out, "  Competencies: {}", safe(&names.join(", ")))?;
    }
    if rubric.key_points.is_empty() && rubric.star.is_empty() {
        writeln!(out, "  (this question's rubric has no key points)")?;
    }
    Ok(())
}

/// Whether the model-answer sentence says more than the key point's label.
fn adds_to_label(label: &str, reference: &str) -> bool {
    let norm = |t: &str| {
        t.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let reference = norm(reference);
    if reference.is_empty() {
        return false;
    }
    let label_norm = norm(label.trim_end_matches('…'));
    label.ends_with('…') || !reference.starts_with(&label_norm)
}

/// The first `max` characters of `text` on one line, with `…` when cut.
fn clip(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        one_line.chars().take(max - 1).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Kind;
    use crate::practice::history::tests::attempt;
    use crate::practice::schedule::ManualClock;
    use crate::rubric::{KeyPoint, PointKind};

    fn question(n: u32) -> Question {
        Question {
            id: format!("pse/dsa/{n}"),
            bank: "pse".into(),
            section: "dsa".into(),
            section_title: "Data Structures".into(),
            number: n,
            text: format!("Question number {n}?"),
            model_answer: format!("Model answer {n}: use a hash map and a linked list."),
            kind: Kind::Concept,
        }
    }

    fn rubric_with_points() -> Rubric {
        let point = |label: &str, term: &str| KeyPoint {
            label: label.into(),
            reference: String::new(),
            terms: vec![term.into()],
            weight: 1.0,
            kind: PointKind::Concept,
            statement: String::new(),
            phrasings: Vec::new(),
            importance: Default::default(),
        };
        Rubric {
            id: "x".into(),
            question: "q".into(),
            kind: Kind::Concept,
            hand_edited: false,
            format: 1,
            focus: None,
            misconceptions: Vec::new(),
            built_from_reference: false,
            key_points: vec![
                point("hash map lookup", "hash"),
                point("linked list order", "linked"),
            ],
            claims: vec![],
            star: vec![],
            competencies: vec![],
        }
    }

    #[test]
    fn typed_answers_end_at_a_dot_line_or_eof() {
        let mut out = Vec::new();
        let mut input: &[u8] = b"line one\nline two\n.\nrest";
        assert_eq!(
            read_typed_answer(&mut input, &mut out, None).unwrap(),
            Answer::Text("line one\nline two".into())
        );
        assert_eq!(
            read_typed_answer(&mut input, &mut out, None).unwrap(),
            Answer::Text("rest".into())
        );
        assert_eq!(
            read_typed_answer(&mut input, &mut out, None).unwrap(),
            Answer::Closed
        );
        let mut input: &[u8] = b"  \n.\n";
        assert_eq!(
            read_typed_answer(&mut input, &mut out, None).unwrap(),
            Answer::Empty
        );
    }

    #[test]
    fn retry_diff_names_new_missing_and_lost_points() {
        let before = attempt("pse/dsa/1", 50.0, 0); // covers "hash map", misses "eviction order"
        let mut after = attempt("pse/dsa/1", 50.0, 1);
        after.points[0].coverage = Coverage::Missing;
        after.points[1].coverage = Coverage::Covered;
        let diff = retry_diff(&before, &after);
        assert_eq!(diff.newly_covered, vec!["eviction order"]);
        assert_eq!(diff.lost, vec!["hash map"]);
        assert!(diff.still_missing.is_empty());
    }

    #[test]
    fn retry_diff_counts_star_elements_for_behavioural_answers() {
        use crate::practice::attempt::StarSummary;
        use crate::rubric::StarPart;
        let star = |weak: Vec<StarPart>| StarSummary {
            measurable_result: false,
            first_person_share: 1.0,
            weak_parts: weak,
        };
        let mut before = attempt("fde/behavioural/1", 30.0, 0);
        before.points.clear();
        before.star = Some(star(vec![StarPart::Situation, StarPart::Result]));
        let mut after = before.clone();
        after.star = Some(star(vec![StarPart::Result]));
        let diff = retry_diff(&before, &after);
        assert_eq!(diff.newly_covered, vec!["STAR Situation"]);
        assert_eq!(diff.still_missing, vec!["STAR Result"]);
        assert!(diff.lost.is_empty());
    }

    #[test]
    fn the_reference_is_shown_only_when_it_adds_to_the_label() {
        assert!(!adds_to_label("Use a hash map", "Use a hash map."));
        assert!(adds_to_label(
            "Phase 1: monolith…",
            "Phase 1: monolith with one database"
        ));
        assert!(adds_to_label(
            "hash map",
            "Lookups go through a hash map in O(1)."
        ));
        assert!(!adds_to_label("hash map", "  "));
    }

    #[test]
    fn durations_read_as_minutes_and_seconds() {
        assert_eq!(format_duration(42_900), "42s");
        assert_eq!(format_duration(65_000), "1m 05s");
    }

    #[test]
    fn a_scripted_session_answers_reveals_retries_and_quits() {
        let dir = tempfile::tempdir().unwrap();
        let history = History::open(&dir.path().join("h.sqlite3")).unwrap();
        let clock = ManualClock::at(1_000_000);
        let rubrics = RubricStore::bundled();
        let session = Session {
            questions: vec![question(1), question(2)],
            rubrics: &rubrics,
            history: &history,
            clock: &clock,
            candidate: "ada".into(),
            source: AnswerSource::Terminal,
            grader: &crate::grade::grade,
            draft: None,
        };
        let script =
            "I would use a hash map.\n.\nk\nm\nr\nA hash map plus a linked list.\n.\nn\n.\nq\n";
        let mut input = script.as_bytes();
        let mut out = Vec::new();
        let summary = session.run(&mut input, &mut out).unwrap();
        let text = anstream::adapter::strip_str(&String::from_utf8(out).unwrap()).to_string();
        assert_eq!(
            summary,
            Summary {
                attempts: 2,
                questions: 1,
                kept_elsewhere: 0,
            }
        );
        assert!(text.contains("Question number 1?"), "{text}");
        assert!(text.contains("Model answer 1"), "{text}");
        assert!(text.contains("Compared with your last attempt"), "{text}");
        assert!(text.contains("Skipped."), "second question skipped: {text}");
        let saved = history.attempts(Some("ada")).unwrap();
        assert_eq!(saved.len(), 2);
        assert!(saved.iter().all(|a| a.question_id == "pse/dsa/1"));
        assert_eq!(saved[1].answer, "A hash map plus a linked list.");
    }

    #[test]
    fn an_editor_answer_is_graded_and_saved() {
        let dir = tempfile::tempdir().unwrap();
        let written = dir.path().join("written.md");
        std::fs::write(&written, "Answer written in the editor.\n").unwrap();
        let history = History::open(&dir.path().join("h.sqlite3")).unwrap();
        let clock = ManualClock::at(5_000);
        let rubrics = RubricStore::bundled();
        let session = Session {
            questions: vec![question(1)],
            rubrics: &rubrics,
            history: &history,
            clock: &clock,
            candidate: "ed".into(),
            // The "editor" copies a prepared answer into the scratch file.
            source: AnswerSource::Editor(format!("cp '{}'", written.display())),
            grader: &crate::grade::grade,
            draft: None,
        };
        let mut input: &[u8] = b"q\n";
        let mut out = Vec::new();
        session.run(&mut input, &mut out).unwrap();
        let saved = history.attempts(Some("ed")).unwrap();
        assert_eq!(saved.len(), 1);
        assert_eq!(saved[0].answer, "Answer written in the editor.\n");
    }

    #[test]
    fn a_failing_editor_is_an_error_and_nothing_is_saved() {
        let dir = tempfile::tempdir().unwrap();
        let history = History::open(&dir.path().join("h.sqlite3")).unwrap();
        let clock = ManualClock::at(5_000);
        let rubrics = RubricStore::bundled();
        let session = Session {
            questions: vec![question(1)],
            rubrics: &rubrics,
            history: &history,
            clock: &clock,
            candidate: "ed".into(),
            source: AnswerSource::Editor("false".into()),
            grader: &crate::grade::grade,
            draft: None,
        };
        let err = session.run(&mut &b""[..], &mut Vec::new()).unwrap_err();
        assert!(
            err.to_string().contains("the editor `false` exited"),
            "{err}"
        );
        assert_eq!(history.count(None).unwrap(), 0);
    }

    #[test]
    fn feedback_lists_key_point_coverage() {
        let rubric = rubric_with_points();
        let grade = crate::grade::grade(&rubric, "A hash table maps each key to its value.");
        let mut out = Vec::new();
        show_key_points(&rubric, &grade, &mut out).unwrap();
        let text = anstream::adapter::strip_str(&String::from_utf8(out).unwrap()).to_string();
        assert!(text.contains("✓ hash map lookup"), "{text}");
        assert!(text.contains("✗ linked list order"), "{text}");
    }
}
