//! Retry policy: exponential backoff with jitter, honouring `Retry-After`, and a
//! requests-per-minute pacer shared by all tasks.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::config::RetryConfig;

/// When and how often to try again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// First backoff delay; doubles per attempt.
    pub base_delay: Duration,
    /// Longest backoff wait between retries.
    pub max_delay: Duration,
    /// Longest server-requested wait (`Retry-After`) honoured; a longer one gives up.
    pub max_retry_after: Duration,
}

impl From<&RetryConfig> for RetryPolicy {
    fn from(c: &RetryConfig) -> Self {
        RetryPolicy {
            max_retries: c.max_retries,
            base_delay: Duration::from_millis(c.base_delay_ms),
            max_delay: Duration::from_millis(c.max_delay_ms),
            max_retry_after: Duration::from_millis(c.max_retry_after_ms),
        }
    }
}

impl RetryPolicy {
    /// How long to wait before retry number `attempt` (0 = first retry), or `None` when the
    /// server asked for a longer wait than `max_retry_after` (the caller gives up and says so).
    ///
    /// A server's `Retry-After` is honoured in full, plus up to 10% jitter so waiting tasks do
    /// not return in lockstep; otherwise `base · 2^attempt`, capped at `max_delay`, with
    /// "equal jitter" (a uniform pick between half and all of it).
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if let Some(wait) = retry_after {
            if wait > self.max_retry_after {
                return None;
            }
            return Some(wait + wait.mul_f64(0.1 * fastrand::f64()));
        }
        let exp = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.min(20)))
            .min(self.max_delay);
        Some(exp.mul_f64(0.5 + 0.5 * fastrand::f64()))
    }
}

/// Spaces request starts so that at most `rpm` begin in any minute.
#[derive(Debug)]
pub struct Pacer {
    interval: Option<Duration>,
    next: Mutex<Option<Instant>>,
}

impl Pacer {
    /// A pacer for `rpm` requests per minute; `None` or 0 means no cap.
    pub fn new(rpm: Option<u32>) -> Pacer {
        Pacer {
            interval: rpm
                .filter(|r| *r > 0)
                .map(|r| Duration::from_secs_f64(60.0 / f64::from(r))),
            next: Mutex::new(None),
        }
    }

    /// Waits for this request's slot.
    pub async fn wait(&self) {
        let Some(interval) = self.interval else {
            return;
        };
        let slot = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_retries: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            max_retry_after: Duration::from_secs(60),
        }
    }

    #[test]
    fn backoff_grows_and_is_capped_with_jitter() {
        let p = policy();
        for _ in 0..50 {
            let d0 = p.delay(0, None).unwrap();
            assert!(d0 >= Duration::from_millis(50) && d0 <= Duration::from_millis(100));
            let d2 = p.delay(2, None).unwrap();
            assert!(d2 >= Duration::from_millis(200) && d2 <= Duration::from_millis(400));
            assert!(p.delay(30, None).unwrap() <= Duration::from_millis(1000));
        }
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_ceiling_then_refused() {
        let p = policy();
        let d = p.delay(0, Some(Duration::from_millis(300))).unwrap();
        assert!(d >= Duration::from_millis(300) && d <= Duration::from_millis(330));
        // Above max_delay but under the ceiling: honoured in full, not cut to max_delay.
        let long = p.delay(0, Some(Duration::from_secs(30))).unwrap();
        assert!(long >= Duration::from_secs(30), "{long:?}");
        assert_eq!(p.delay(0, Some(Duration::from_secs(90))), None);
    }

    #[tokio::test(flavor = "current_thread", start_paused = true)]
    async fn pacer_spaces_requests() {
        let pacer = Pacer::new(Some(120));
        let start = Instant::now();
        for _ in 0..3 {
            pacer.wait().await;
        }
        // Slots at 0, 0.5 s, 1.0 s.
        assert_eq!(start.elapsed(), Duration::from_millis(1000));
    }
}
