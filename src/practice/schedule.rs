//! Spaced repetition: which question to practise next.
//!
//! An SM-2–like scheme. Each question's review state is replayed from its attempts: a good
//! answer (score ≥ [`GOOD_SCORE`]) grows the interval (1st → 2 days, 2nd → 6 days, then × ease),
//! a poor one resets it to [`POOR_INTERVAL_DAYS`]; the ease moves with the score and never drops
//! below [`MIN_EASE`]. Ordering: questions that are due — never tried first, then weakest latest
//! score, then most overdue — and after them the rest, soonest due first.

use std::collections::HashMap;

use crate::bank::Question;

use super::attempt::Attempt;

/// A score at or above this counts as a good answer.
pub const GOOD_SCORE: f64 = 60.0;
/// The ease a question starts with.
pub const START_EASE: f64 = 2.5;
/// The ease never drops below this.
pub const MIN_EASE: f64 = 1.3;
/// Days before a poorly answered question comes back.
pub const POOR_INTERVAL_DAYS: f64 = 1.0;

const DAY_MS: f64 = 86_400_000.0;

/// Where the current time comes from (injectable so tests control it).
pub trait Clock {
    /// Now, in Unix milliseconds.
    fn now_ms(&self) -> i64;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }
}

/// A clock that reads the time from a cell tests can move.
#[derive(Debug, Default)]
pub struct ManualClock(pub std::cell::Cell<i64>);

impl ManualClock {
    /// A clock at `ms`.
    pub fn at(ms: i64) -> ManualClock {
        ManualClock(std::cell::Cell::new(ms))
    }

    /// Moves the clock forward by `ms`.
    pub fn advance(&self, ms: i64) {
        self.0.set(self.0.get() + ms);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.get()
    }
}

/// The spaced-repetition state of one question after its attempts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReviewState {
    /// Attempts so far.
    pub attempts: u32,
    /// Good answers in a row.
    pub streak: u32,
    /// How fast the interval grows.
    pub ease: f64,
    /// Days until the next review.
    pub interval_days: f64,
    /// Score of the latest attempt.
    pub latest_score: f64,
    /// Best score so far.
    pub best_score: f64,
    /// When the question is due again (Unix ms).
    pub due_at_ms: i64,
}

impl ReviewState {
    /// The state after one more attempt scoring `score` at `at_ms`.
    pub fn after(previous: Option<ReviewState>, score: f64, at_ms: i64) -> ReviewState {
        let prev = previous.unwrap_or(ReviewState {
            attempts: 0,
            streak: 0,
            ease: START_EASE,
            interval_days: 0.0,
            latest_score: 0.0,
            best_score: 0.0,
            due_at_ms: at_ms,
        });
        // SM-2 quality 0..=5 from the score.
        let quality = (score.clamp(0.0, 100.0) / 20.0).min(5.0);
        let miss = 5.0 - quality;
        let ease = (prev.ease + 0.1 - miss * (0.08 + miss * 0.02)).max(MIN_EASE);
        let (streak, interval_days) = if score >= GOOD_SCORE {
            let streak = prev.streak + 1;
            let interval = match streak {
                1 => 2.0,
                2 => 6.0,
                _ => prev.interval_days * ease,
            };
            (streak, interval)
        } else {
            (0, POOR_INTERVAL_DAYS)
        };
        ReviewState {
            attempts: prev.attempts + 1,
            streak,
            ease,
            interval_days,
            latest_score: score,
            best_score: if prev.attempts == 0 {
                score
            } else {
                prev.best_score.max(score)
            },
            due_at_ms: at_ms + (interval_days * DAY_MS) as i64,
        }
    }

    /// The state after a sequence of `(at_ms, score)` attempts, oldest first.
    pub fn replay(attempts: impl IntoIterator<Item = (i64, f64)>) -> Option<ReviewState> {
        attempts.into_iter().fold(None, |state, (at, score)| {
            Some(ReviewState::after(state, score, at))
        })
    }
}

/// One question in practice order, with its review state (None = never tried).
#[derive(Debug, Clone, Copy)]
pub struct Pick<'q> {
    /// The question.
    pub question: &'q Question,
    /// Its review state, if it was ever attempted.
    pub state: Option<ReviewState>,
    /// Whether it is due now.
    pub due: bool,
}

/// Review states of every attempted question, keyed by question id.
pub fn states(attempts: &[Attempt]) -> HashMap<&str, ReviewState> {
    let mut sorted: Vec<&Attempt> = attempts.iter().collect();
    sorted.sort_by_key(|a| a.answered_at_ms);
    let mut out: HashMap<&str, ReviewState> = HashMap::new();
    for a in sorted {
        let prev = out.get(a.question_id.as_str()).copied();
        out.insert(
            a.question_id.as_str(),
            ReviewState::after(prev, a.score, a.answered_at_ms),
        );
    }
    out
}

/// `questions` in the order to practise them at `now_ms`, given past `attempts`.
pub fn order<'q>(questions: &'q [Question], attempts: &[Attempt], now_ms: i64) -> Vec<Pick<'q>> {
    let states = states(attempts);
    let mut picks: Vec<(usize, Pick<'q>)> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let state = states.get(q.id.as_str()).copied();
            let due = state.is_none_or(|s| s.due_at_ms <= now_ms);
            (
                i,
                Pick {
                    question: q,
                    state,
                    due,
                },
            )
        })
        .collect();
    picks.sort_by(|(ia, a), (ib, b)| {
        // Due before not due.
        b.due.cmp(&a.due).then_with(|| {
            if a.due {
                // Never tried (-1) first, then weakest latest score, then most overdue.
                let score = |p: &Pick| p.state.map_or(-1.0, |s| s.latest_score);
                let due_at = |p: &Pick| p.state.map_or(i64::MIN, |s| s.due_at_ms);
                score(a)
                    .total_cmp(&score(b))
                    .then(due_at(a).cmp(&due_at(b)))
                    .then(ia.cmp(ib))
            } else {
                let due_at = |p: &Pick| p.state.map_or(i64::MIN, |s| s.due_at_ms);
                due_at(a).cmp(&due_at(b)).then(ia.cmp(ib))
            }
        })
    });
    picks.into_iter().map(|(_, p)| p).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Kind;
    use crate::practice::history::tests::attempt;

    const DAY: i64 = 86_400_000;

    fn question(id: &str) -> Question {
        let mut parts = id.split('/');
        Question {
            id: id.into(),
            bank: parts.next().unwrap().into(),
            section: parts.next().unwrap().into(),
            section_title: "Section".into(),
            number: parts.next().unwrap().parse().unwrap(),
            text: format!("Question {id}?"),
            model_answer: "Model answer.".into(),
            kind: Kind::Concept,
        }
    }

    #[test]
    fn a_good_answer_comes_back_later_than_a_poor_one() {
        let good = ReviewState::after(None, 90.0, 0);
        let poor = ReviewState::after(None, 30.0, 0);
        assert!(good.due_at_ms > poor.due_at_ms, "{good:?} vs {poor:?}");
        assert_eq!(poor.due_at_ms, DAY);
        assert!(good.ease > poor.ease);
    }

    #[test]
    fn intervals_grow_with_each_good_answer_and_reset_after_a_poor_one() {
        let mut state = None;
        let mut intervals = Vec::new();
        for (i, score) in [80.0, 85.0, 90.0, 95.0].into_iter().enumerate() {
            let s = ReviewState::after(state, score, i as i64 * 30 * DAY);
            intervals.push(s.interval_days);
            state = Some(s);
        }
        assert!(
            intervals.windows(2).all(|w| w[1] > w[0]),
            "intervals should grow: {intervals:?}"
        );
        let reset = ReviewState::after(state, 20.0, 200 * DAY);
        assert_eq!(reset.interval_days, POOR_INTERVAL_DAYS);
        assert_eq!(reset.streak, 0);
        assert_eq!(reset.best_score, 95.0);
        assert_eq!(reset.latest_score, 20.0);
    }

    #[test]
    fn a_mediocre_pass_grows_the_interval_less_than_an_excellent_one() {
        // Same history, then a third answer: the ease decides the growth.
        let base = ReviewState::replay([(0, 70.0), (2 * DAY, 70.0)]);
        let excellent = ReviewState::after(base, 100.0, 8 * DAY);
        let scraped = ReviewState::after(base, 61.0, 8 * DAY);
        assert!(excellent.interval_days > scraped.interval_days);
    }

    #[test]
    fn ease_never_drops_below_the_floor() {
        let state = ReviewState::replay((0..20).map(|i| (i * DAY, 0.0))).unwrap();
        assert_eq!(state.ease, MIN_EASE);
        assert_eq!(state.attempts, 20);
    }

    #[test]
    fn order_is_never_tried_then_weakest_due_then_soonest_due() {
        let questions: Vec<Question> = ["b/s/1", "b/s/2", "b/s/3", "b/s/4", "b/s/5"]
            .iter()
            .map(|id| question(id))
            .collect();
        let now = 100 * DAY;
        let attempts = vec![
            // s/1: good, long ago → due, latest 80.
            attempt("b/s/1", 80.0, 10 * DAY),
            // s/2: poor two days ago → due, latest 30 (weaker than s/1).
            attempt("b/s/2", 30.0, now - 2 * DAY),
            // s/3: good an hour ago → not due, due in 2 days.
            attempt("b/s/3", 90.0, now - DAY / 24),
            // s/5: poor an hour ago → not due, due in a day (sooner than s/3).
            attempt("b/s/5", 10.0, now - DAY / 24),
        ];
        let ids: Vec<&str> = order(&questions, &attempts, now)
            .iter()
            .map(|p| p.question.id.as_str())
            .collect();
        assert_eq!(ids, vec!["b/s/4", "b/s/2", "b/s/1", "b/s/5", "b/s/3"]);
    }

    #[test]
    fn a_question_becomes_due_when_the_clock_passes_its_interval() {
        let questions = vec![question("b/s/1"), question("b/s/2")];
        let attempts = vec![attempt("b/s/1", 40.0, 0), attempt("b/s/2", 95.0, 0)];
        let clock = ManualClock::at(DAY / 2);
        let picks = order(&questions, &attempts, clock.now_ms());
        assert!(picks.iter().all(|p| !p.due));
        clock.advance(DAY);
        let picks = order(&questions, &attempts, clock.now_ms());
        assert_eq!(picks[0].question.id, "b/s/1");
        assert!(picks[0].due);
        assert!(!picks[1].due, "the good answer waits two days");
    }
}
