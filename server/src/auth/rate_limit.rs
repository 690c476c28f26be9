//! Anti-automation for sign-in, email links and password resets (S7).
//!
//! Policy (also in the README):
//! - per account: after 5 failed password attempts in a row, each further attempt waits
//!   2^(n−5) seconds (capped at 15 minutes); a success clears the count;
//! - per account: at most 5 email links or reset mails per 15 minutes;
//! - per client address: at most 30 sign-in attempts and 20 link requests per 10 minutes.
//!
//! Counters live in memory: a restart forgets them, which costs an attacker nothing they would
//! not get by waiting. Several instances each count their own share.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

const FREE_FAILURES: u32 = 5;
const MAX_LOCK: Duration = Duration::minutes(15);
/// Above this many keys, expired ones are dropped, so memory stays bounded under a spray.
const PRUNE_ABOVE: usize = 10_000;

#[derive(Debug, Default)]
pub struct RateLimits {
    failures: Mutex<HashMap<String, Failures>>,
    windows: Mutex<HashMap<String, Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    locked_until: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: DateTime<Utc>,
    count: u32,
}

/// A limit on how many events one key may cause in one window.
#[derive(Debug, Clone, Copy)]
pub struct WindowLimit {
    pub max: u32,
    pub window: Duration,
}

pub const LOGIN_PER_IP: WindowLimit = WindowLimit {
    max: 30,
    window: Duration::minutes(10),
};
pub const MAIL_PER_IP: WindowLimit = WindowLimit {
    max: 20,
    window: Duration::minutes(10),
};
pub const MAIL_PER_ACCOUNT: WindowLimit = WindowLimit {
    max: 5,
    window: Duration::minutes(15),
};

impl RateLimits {
    /// Seconds to wait before this account may try a password again, if it must wait.
    pub fn locked_for(&self, key: &str, now: DateTime<Utc>) -> Option<u64> {
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.get(key)
            .filter(|f| f.locked_until > now)
            .map(|f| (f.locked_until - now).num_seconds().max(1) as u64)
    }

    /// Counts a failed attempt; returns the lock in seconds when one starts.
    pub fn record_failure(&self, key: &str, now: DateTime<Utc>) -> Option<u64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > PRUNE_ABOVE {
            map.retain(|_, f| f.locked_until > now || f.count < FREE_FAILURES);
        }
        let entry = map.entry(key.to_owned()).or_insert(Failures {
            count: 0,
            locked_until: now,
        });
        entry.count += 1;
        if entry.count < FREE_FAILURES {
            return None;
        }
        let exponent = (entry.count - FREE_FAILURES).min(20);
        let lock = Duration::seconds(1i64 << exponent).min(MAX_LOCK);
        entry.locked_until = now + lock;
        Some(lock.num_seconds() as u64)
    }

    pub fn clear_failures(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
    }

    /// Counts one event; `Err(seconds)` when the window is already full.
    pub fn hit(&self, key: &str, limit: WindowLimit, now: DateTime<Utc>) -> Result<(), u64> {
        let mut map = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > PRUNE_ABOVE {
            map.retain(|_, w| now - w.started < limit.window);
        }
        let w = map.entry(key.to_owned()).or_insert(Window {
            started: now,
            count: 0,
        });
        if now - w.started >= limit.window {
            *w = Window {
                started: now,
                count: 0,
            };
        }
        if w.count >= limit.max {
            let wait = (w.started + limit.window - now).num_seconds().max(1);
            return Err(wait as u64);
        }
        w.count += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_are_free_then_the_lock_doubles() {
        let limits = RateLimits::default();
        let now = Utc::now();
        for _ in 0..4 {
            assert_eq!(limits.record_failure("a", now), None);
        }
        assert_eq!(limits.record_failure("a", now), Some(1));
        assert_eq!(limits.record_failure("a", now), Some(2));
        assert_eq!(limits.record_failure("a", now), Some(4));
        assert!(limits.locked_for("a", now).is_some());
        assert!(limits.locked_for("a", now + Duration::seconds(5)).is_none());
        limits.clear_failures("a");
        assert_eq!(limits.record_failure("a", now), None);
    }

    #[test]
    fn the_lock_is_capped_at_fifteen_minutes() {
        let limits = RateLimits::default();
        let now = Utc::now();
        let mut last = None;
        for _ in 0..40 {
            last = limits.record_failure("a", now);
        }
        assert_eq!(last, Some(15 * 60));
    }

    #[test]
    fn a_window_refuses_the_event_over_its_limit_and_reopens() {
        let limits = RateLimits::default();
        let now = Utc::now();
        let limit = WindowLimit {
            max: 2,
            window: Duration::minutes(1),
        };
        assert!(limits.hit("k", limit, now).is_ok());
        assert!(limits.hit("k", limit, now).is_ok());
        assert!(limits.hit("k", limit, now).is_err());
        assert!(limits.hit("other", limit, now).is_ok());
        assert!(limits.hit("k", limit, now + Duration::minutes(1)).is_ok());
    }
}
