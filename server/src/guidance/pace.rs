//! The guidance arithmetic, defined once (DESIGN.md §3): the remote period as instants, the
//! remote week of an instant, and whether a participant is on pace toward 240 minutes.
//!
//! Weeks are Helsinki calendar weeks: a remote week starts at local midnight on Monday, which is
//! 22:00 UTC on Sunday in winter and 21:00 UTC in summer, so a week with a DST change is 167 or
//! 169 hours long. The arithmetic is done on local dates, never by adding hours to an instant.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use chrono_tz::Europe::Helsinki;
use serde::Serialize;
use utoipa::ToSchema;

use crate::courses::schedule::{Phase, REMOTE_WEEKS, Schedule, helsinki_today};

/// R-GUIDANCE-4H: at least 4 hours of guidance per participant in the remote period.
pub const REQUIRED_MINUTES: i64 = 240;

/// The instant local midnight starts `date` in Helsinki. Finnish DST changes happen at 03:00
/// and 04:00, so midnight always exists exactly once; the fallback is never taken.
pub fn helsinki_midnight(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(NaiveTime::MIN)
        .and_local_timezone(Helsinki)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| date.and_time(NaiveTime::MIN).and_utc())
}

/// The remote period as a half-open interval of instants `[start, end)`: from Helsinki midnight
/// of its first Monday to Helsinki midnight after its last Sunday (R-REMOTE-12W).
pub fn remote_window(s: &Schedule) -> (DateTime<Utc>, DateTime<Utc>) {
    let after_end = s
        .remote_end
        .checked_add_days(Days::new(1))
        .unwrap_or(s.remote_end);
    (
        helsinki_midnight(s.remote_start),
        helsinki_midnight(after_end),
    )
}

/// Whether guidance given at `at` counts toward the remote-period total.
pub fn in_remote_period(s: &Schedule, at: DateTime<Utc>) -> bool {
    let (start, end) = remote_window(s);
    start <= at && at < end
}

/// Where a participant stands against the pace line at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Pace {
    /// The remote week 1..=12 at that instant; `null` before and after the remote period.
    pub remote_week: Option<u8>,
    /// Minutes due by now: 240·w/12 in remote week w, 0 before the remote period, 240 after it.
    pub expected_minutes: i64,
    /// `minutes ≥ expected_minutes`.
    pub on_pace: bool,
    /// Minutes still missing from the 240 (0 when reached).
    pub missing_minutes: i64,
}

/// The pace line in words, for the guides' views.
pub const PACE_TEXT: crate::progress::rules::Texts = crate::progress::rules::Texts {
    fi: "Ohjausta tarvitaan vähintään 4 tuntia etäjakson aikana. Tahdissa on, kenellä on viikon w loppuun mennessä 20 · w minuuttia: viikolla 3 siis 60 minuuttia.",
    sv: "Minst 4 timmar handledning behövs under distansperioden. I takt är den som har 20 · w minuter före slutet av vecka w: vecka 3 alltså 60 minuter.",
    en: "At least 4 hours of guidance are needed in the remote period. On pace means 20 · w minutes by the end of week w: 60 minutes in week 3.",
};

/// The pace line at `now` for a participant with `minutes` of remote-period guidance.
///
/// "By remote week w a participant on pace has ≥ 240·w/12 minutes": in week w the line is what
/// is due by the end of that week, so a guide sees in time whose week still needs guidance.
pub fn pace(s: &Schedule, now: DateTime<Utc>, minutes: i64) -> Pace {
    let phase = s.phase_on(helsinki_today(now));
    let weeks_due = match phase {
        Phase::NotStarted | Phase::Onsite1 => 0,
        Phase::Remote { week } => i64::from(week),
        Phase::Onsite2 | Phase::FollowUp | Phase::Completed => i64::from(REMOTE_WEEKS),
    };
    // R-GUIDANCE-4H over R-REMOTE-12W: 240 · w / 12 = 20 · w, exact in integers.
    let expected = REQUIRED_MINUTES * weeks_due / i64::from(REMOTE_WEEKS);
    Pace {
        remote_week: phase.remote_week(),
        expected_minutes: expected,
        on_pace: minutes >= expected,
        missing_minutes: (REQUIRED_MINUTES - minutes).max(0),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// On-site 1 from Monday 2.3.2026; remote week 1 starts Monday 9.3., week 3 on 23.3., and
    /// the spring change (Sunday 29.3.2026, 03:00 → 04:00) is inside week 3; week 4 starts
    /// Monday 30.3. at 00:00 EEST = 29.3. 21:00 UTC.
    fn spring() -> Schedule {
        Schedule::new(d(2026, 3, 2), None).unwrap()
    }

    #[test]
    fn the_remote_period_runs_from_helsinki_midnight_to_helsinki_midnight() {
        let (start, end) = remote_window(&spring());
        // 9.3. is winter time (UTC+2); the day after 31.5. (1.6.) is summer time (UTC+3).
        assert_eq!(start, utc("2026-03-08T22:00:00Z"));
        assert_eq!(end, utc("2026-05-31T21:00:00Z"));
        assert!(!in_remote_period(&spring(), utc("2026-03-08T21:59:59Z")));
        assert!(in_remote_period(&spring(), utc("2026-03-08T22:00:00Z")));
        assert!(in_remote_period(&spring(), utc("2026-05-31T20:59:59Z")));
        assert!(!in_remote_period(&spring(), utc("2026-05-31T21:00:00Z")));
    }

    #[test]
    fn week_one_expects_twenty_minutes_from_its_first_helsinki_second() {
        let s = spring();
        let before = pace(&s, utc("2026-03-08T21:59:59Z"), 0);
        assert_eq!(before.remote_week, None);
        assert_eq!(before.expected_minutes, 0);
        assert!(before.on_pace);
        let first = pace(&s, utc("2026-03-08T22:00:00Z"), 19);
        assert_eq!(first.remote_week, Some(1));
        assert_eq!(first.expected_minutes, 20);
        assert!(!first.on_pace);
        assert!(pace(&s, utc("2026-03-08T22:00:00Z"), 20).on_pace);
    }

    #[test]
    fn the_week_boundary_after_the_spring_dst_change_is_at_21_utc() {
        let s = spring();
        // Sunday 29.3. 23:59:59 EEST is still week 3 …
        let sunday = pace(&s, utc("2026-03-29T20:59:59Z"), 60);
        assert_eq!(sunday.remote_week, Some(3));
        assert_eq!(sunday.expected_minutes, 60);
        assert!(sunday.on_pace);
        // … and Monday 00:00 EEST is week 4, though only 23 hours have passed since Sunday 00:00.
        let monday = pace(&s, utc("2026-03-29T21:00:00Z"), 60);
        assert_eq!(monday.remote_week, Some(4));
        assert_eq!(monday.expected_minutes, 80);
        assert!(!monday.on_pace);
        // The week before the change still turned at 22:00 UTC.
        assert_eq!(
            pace(&s, utc("2026-03-22T21:59:59Z"), 0).remote_week,
            Some(2)
        );
        assert_eq!(
            pace(&s, utc("2026-03-22T22:00:00Z"), 0).remote_week,
            Some(3)
        );
    }

    #[test]
    fn the_autumn_dst_change_moves_the_boundary_back_to_22_utc() {
        // On-site 1 from 5.10.2026: remote week 2 is 19.–25.10. and holds Sunday 25.10.
        // (04:00 → 03:00); week 3 starts Monday 26.10. 00:00 EET = 25.10. 22:00 UTC, while week 2
        // started on Monday 19.10. 00:00 EEST = 18.10. 21:00 UTC.
        let s = Schedule::new(d(2026, 10, 5), None).unwrap();
        assert_eq!(
            pace(&s, utc("2026-10-25T21:59:59Z"), 0).remote_week,
            Some(2)
        );
        assert_eq!(
            pace(&s, utc("2026-10-25T22:00:00Z"), 0).remote_week,
            Some(3)
        );
        assert_eq!(
            pace(&s, utc("2026-10-18T20:59:59Z"), 0).remote_week,
            Some(1)
        );
        assert_eq!(
            pace(&s, utc("2026-10-18T21:00:00Z"), 0).remote_week,
            Some(2)
        );
    }

    #[test]
    fn the_last_week_expects_all_240_minutes_and_after_it_240_stay_due() {
        let s = spring();
        let last = pace(&s, utc("2026-05-31T20:59:59Z"), 239);
        assert_eq!(last.remote_week, Some(12));
        assert_eq!(last.expected_minutes, REQUIRED_MINUTES);
        assert!(!last.on_pace);
        assert_eq!(last.missing_minutes, 1);
        let after = pace(&s, utc("2026-05-31T21:00:00Z"), 250);
        assert_eq!(after.remote_week, None);
        assert_eq!(after.expected_minutes, 240);
        assert!(after.on_pace);
        assert_eq!(after.missing_minutes, 0);
    }

    #[test]
    fn every_week_adds_twenty_minutes_r_guidance_4h() {
        let s = spring();
        for w in 1..=12u64 {
            let monday = s
                .remote_start
                .checked_add_days(Days::new((w - 1) * 7))
                .unwrap();
            let p = pace(&s, helsinki_midnight(monday), 0);
            assert_eq!(p.remote_week, Some(u8::try_from(w).unwrap()));
            assert_eq!(p.expected_minutes, 20 * i64::try_from(w).unwrap());
        }
    }
}
