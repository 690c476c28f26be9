//! The calendar of one course: two on-site weeks around a 12-week remote period, then follow-up.
//!
//! Dates here are local Finnish calendar days (`NaiveDate`). Instants are stored as `DateTime<Utc>`
//! and turned into a Helsinki day only to count days and remote weeks (STYLE.md, convention 8).

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc, Weekday};
use chrono_tz::Europe::Helsinki;
use serde::Serialize;
use serde::ser::SerializeStruct;

/// R-REMOTE-12W: the remote period is twelve weeks.
pub const REMOTE_WEEKS: u8 = 12;

/// Day offsets from the Monday that opens on-site period 1.
/// R-ONSITE: an on-site period runs Monday–Saturday (6 calendar days, offsets 0..=5).
const ONSITE_LAST_DAY: u64 = 5;
/// R-REMOTE-12W: the remote period starts on the Monday after on-site period 1 …
const REMOTE_FIRST_DAY: u64 = 7;
/// … and ends on the Sunday twelve weeks later (7 + 12 × 7 − 1).
const REMOTE_LAST_DAY: u64 = REMOTE_FIRST_DAY + 7 * REMOTE_WEEKS as u64 - 1;
/// On-site period 2 opens on the Monday straight after the remote period.
const ONSITE2_FIRST_DAY: u64 = REMOTE_LAST_DAY + 1;
/// The follow-up window opens on the Monday after on-site period 2 (its Sunday belongs to the on-site week).
const FOLLOW_UP_FIRST_DAY: u64 = ONSITE2_FIRST_DAY + 7;
/// R-FOLLOWUP: without an explicit end, the follow-up contact is expected within 3 months of on-site period 2.
const DEFAULT_FOLLOW_UP_MONTHS: u32 = 3;

/// The calendar day in Finland at the instant `now`; a course day or remote week is a Finnish one,
/// so 22:30 UTC on a winter Sunday is already Monday for the participants.
pub fn helsinki_today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&Helsinki).date_naive()
}

/// The Monday of the week `day` is in (weeks start on Monday, UX.md A16).
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    // Checked: the first week chrono can hold has no Monday before it to go back to.
    day.checked_sub_days(Days::new(u64::from(day.weekday().num_days_from_monday())))
        .unwrap_or(day)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// R-ONSITE: on-site periods run Monday–Saturday, so a course can only open on a Monday.
    #[error("a course must start on a Monday, but {date} is a {weekday}")]
    NotMonday { date: NaiveDate, weekday: Weekday },
    #[error(
        "the follow-up window cannot end on {follow_up_end}, before it opens on {follow_up_start}"
    )]
    FollowUpBeforeOnsite2 {
        follow_up_start: NaiveDate,
        follow_up_end: NaiveDate,
    },
    #[error("the course dates fall outside the supported calendar range")]
    OutOfRange,
}

/// All the periods of one course, derived from the Monday it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub struct Schedule {
    pub onsite1_start: NaiveDate,
    pub onsite1_end: NaiveDate,
    pub remote_start: NaiveDate,
    pub remote_end: NaiveDate,
    pub onsite2_start: NaiveDate,
    pub onsite2_end: NaiveDate,
    pub follow_up_start: NaiveDate,
    pub follow_up_end: NaiveDate,
}

impl Schedule {
    /// Lays out the whole course from the Monday that opens on-site period 1.
    /// `follow_up_end` defaults to three calendar months after on-site period 2 ends.
    pub fn new(
        onsite1_start: NaiveDate,
        follow_up_end: Option<NaiveDate>,
    ) -> Result<Schedule, ScheduleError> {
        let weekday = onsite1_start.weekday();
        if weekday != Weekday::Mon {
            return Err(ScheduleError::NotMonday {
                date: onsite1_start,
                weekday,
            });
        }
        let day = |offset: u64| {
            onsite1_start
                .checked_add_days(Days::new(offset))
                .ok_or(ScheduleError::OutOfRange)
        };
        let onsite2_end = day(ONSITE2_FIRST_DAY + ONSITE_LAST_DAY)?;
        let follow_up_start = day(FOLLOW_UP_FIRST_DAY)?;
        let follow_up_end = match follow_up_end {
            Some(end) if end < follow_up_start => {
                return Err(ScheduleError::FollowUpBeforeOnsite2 {
                    follow_up_start,
                    follow_up_end: end,
                });
            }
            Some(end) => end,
            None => onsite2_end
                .checked_add_months(Months::new(DEFAULT_FOLLOW_UP_MONTHS))
                .ok_or(ScheduleError::OutOfRange)?,
        };
        Ok(Schedule {
            onsite1_start,
            onsite1_end: day(ONSITE_LAST_DAY)?,
            remote_start: day(REMOTE_FIRST_DAY)?,
            remote_end: day(REMOTE_LAST_DAY)?,
            onsite2_start: day(ONSITE2_FIRST_DAY)?,
            onsite2_end,
            follow_up_start,
            follow_up_end,
        })
    }

    /// Where the course stands on a (Helsinki) calendar day.
    ///
    /// Whole weeks are counted: the Sunday after each on-site Saturday still belongs to that on-site
    /// week, so remote weeks line up Monday–Sunday (R-REMOTE-12W).
    pub fn phase_on(&self, date: NaiveDate) -> Phase {
        if date < self.onsite1_start {
            return Phase::NotStarted;
        }
        // Non-negative because of the check above; a u64 keeps it comparable with the offsets.
        let offset = date.signed_duration_since(self.onsite1_start).num_days();
        let Ok(offset) = u64::try_from(offset) else {
            return Phase::NotStarted;
        };
        match offset {
            0..REMOTE_FIRST_DAY => Phase::Onsite1,
            REMOTE_FIRST_DAY..=REMOTE_LAST_DAY => {
                // Offsets 7..=90 give weeks 1..=12, so the conversion cannot fail.
                let week =
                    u8::try_from((offset - REMOTE_FIRST_DAY) / 7 + 1).unwrap_or(REMOTE_WEEKS);
                Phase::Remote { week }
            }
            _ if offset < ONSITE2_FIRST_DAY + 7 => Phase::Onsite2,
            _ if date <= self.follow_up_end => Phase::FollowUp,
            _ => Phase::Completed,
        }
    }
}

/// The stage of a course on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    NotStarted,
    Onsite1,
    /// `week` is 1..=12 (R-REMOTE-12W).
    Remote {
        week: u8,
    },
    Onsite2,
    FollowUp,
    Completed,
}

impl Phase {
    /// Stable machine-readable code the UI translates.
    pub fn code(&self) -> &'static str {
        match self {
            Phase::NotStarted => "not_started",
            Phase::Onsite1 => "onsite1",
            Phase::Remote { .. } => "remote",
            Phase::Onsite2 => "onsite2",
            Phase::FollowUp => "follow_up",
            Phase::Completed => "completed",
        }
    }

    /// The remote week (1..=12) during the remote period, otherwise `None`.
    pub fn remote_week(&self) -> Option<u8> {
        match self {
            Phase::Remote { week } => Some(*week),
            _ => None,
        }
    }
}

/// Flat JSON shape, `{"code": "remote", "remote_week": 3}`; `remote_week` is left out outside the
/// remote period. A flat code is easier for the UI than serde's externally tagged enum.
impl Serialize for Phase {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Phase", 2)?;
        s.serialize_field("code", self.code())?;
        match self.remote_week() {
            Some(week) => s.serialize_field("remote_week", &week)?,
            None => s.skip_field("remote_week")?,
        }
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    /// 2026-03-02 is a Monday.
    fn monday() -> NaiveDate {
        date(2026, 3, 2)
    }

    fn plus(days: u64) -> NaiveDate {
        monday()
            .checked_add_days(Days::new(days))
            .expect("in range")
    }

    fn schedule() -> Schedule {
        Schedule::new(monday(), None).expect("Monday start is valid")
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().expect("valid RFC 3339 instant")
    }

    #[test]
    fn a_course_starting_on_a_monday_is_accepted_r_onsite() {
        assert!(Schedule::new(monday(), None).is_ok());
    }

    #[test]
    fn a_course_starting_on_a_tuesday_is_refused_r_onsite() {
        let err = Schedule::new(plus(1), None).expect_err("Tuesday");
        assert_eq!(
            err,
            ScheduleError::NotMonday {
                date: plus(1),
                weekday: Weekday::Tue
            }
        );
    }

    #[test]
    fn a_course_starting_on_a_sunday_is_refused_r_onsite() {
        let sunday = date(2026, 3, 1);
        assert!(matches!(
            Schedule::new(sunday, None),
            Err(ScheduleError::NotMonday {
                weekday: Weekday::Sun,
                ..
            })
        ));
    }

    #[test]
    fn periods_are_laid_out_monday_to_saturday_around_twelve_remote_weeks_r_remote_12w() {
        let s = schedule();
        assert_eq!(s.onsite1_end, plus(5));
        assert_eq!(s.onsite1_end.weekday(), Weekday::Sat);
        assert_eq!(s.remote_start, plus(7));
        assert_eq!(s.remote_start.weekday(), Weekday::Mon);
        assert_eq!(s.remote_end, plus(90));
        assert_eq!(s.remote_end.weekday(), Weekday::Sun);
        assert_eq!(s.onsite2_start, plus(91));
        assert_eq!(s.onsite2_start.weekday(), Weekday::Mon);
        assert_eq!(s.onsite2_end, plus(96));
        assert_eq!(s.onsite2_end.weekday(), Weekday::Sat);
        assert_eq!(s.follow_up_start, plus(98));
    }

    #[test]
    fn follow_up_ends_three_calendar_months_after_onsite2_by_default() {
        let s = schedule();
        // On-site 2 ends Saturday 2026-06-06.
        assert_eq!(s.onsite2_end, date(2026, 6, 6));
        assert_eq!(s.follow_up_end, date(2026, 9, 6));
    }

    #[test]
    fn an_explicit_follow_up_end_is_kept() {
        let s = Schedule::new(monday(), Some(date(2026, 8, 1))).expect("valid");
        assert_eq!(s.follow_up_end, date(2026, 8, 1));
    }

    #[test]
    fn a_follow_up_end_on_the_first_follow_up_day_is_accepted() {
        assert!(Schedule::new(monday(), Some(plus(98))).is_ok());
    }

    #[test]
    fn a_follow_up_end_before_the_follow_up_window_is_refused() {
        let err = Schedule::new(monday(), Some(plus(96))).expect_err("too early");
        assert_eq!(
            err,
            ScheduleError::FollowUpBeforeOnsite2 {
                follow_up_start: plus(98),
                follow_up_end: plus(96)
            }
        );
    }

    #[test]
    fn a_schedule_past_the_end_of_the_calendar_is_refused_not_panicking() {
        let last_monday = NaiveDate::MAX
            .checked_sub_days(Days::new(u64::from(
                NaiveDate::MAX.weekday().num_days_from_monday(),
            )))
            .expect("in range");
        assert_eq!(
            Schedule::new(last_monday, None),
            Err(ScheduleError::OutOfRange)
        );
    }

    #[test]
    fn the_day_before_the_start_is_not_started() {
        let day_before = monday().pred_opt().expect("in range");
        assert_eq!(schedule().phase_on(day_before), Phase::NotStarted);
    }

    #[test]
    fn the_start_day_is_onsite1() {
        assert_eq!(schedule().phase_on(monday()), Phase::Onsite1);
    }

    #[test]
    fn the_sunday_after_onsite1_still_belongs_to_the_onsite_week() {
        assert_eq!(schedule().phase_on(plus(6)), Phase::Onsite1);
    }

    #[test]
    fn the_monday_after_onsite1_is_remote_week_1_r_remote_12w() {
        assert_eq!(schedule().phase_on(plus(7)), Phase::Remote { week: 1 });
    }

    #[test]
    fn the_first_remote_sunday_is_still_week_1() {
        assert_eq!(schedule().phase_on(plus(13)), Phase::Remote { week: 1 });
    }

    #[test]
    fn the_second_remote_monday_is_week_2() {
        assert_eq!(schedule().phase_on(plus(14)), Phase::Remote { week: 2 });
    }

    #[test]
    fn the_last_remote_sunday_is_week_12_r_remote_12w() {
        assert_eq!(schedule().phase_on(plus(90)), Phase::Remote { week: 12 });
    }

    #[test]
    fn the_monday_after_the_remote_period_is_onsite2() {
        assert_eq!(schedule().phase_on(plus(91)), Phase::Onsite2);
    }

    #[test]
    fn the_sunday_after_onsite2_still_belongs_to_the_onsite_week() {
        assert_eq!(schedule().phase_on(plus(97)), Phase::Onsite2);
    }

    #[test]
    fn the_monday_after_onsite2_is_follow_up_r_followup() {
        assert_eq!(schedule().phase_on(plus(98)), Phase::FollowUp);
    }

    #[test]
    fn the_last_follow_up_day_is_follow_up_and_the_next_is_completed() {
        let s = schedule();
        assert_eq!(s.phase_on(s.follow_up_end), Phase::FollowUp);
        let after = s.follow_up_end.succ_opt().expect("in range");
        assert_eq!(s.phase_on(after), Phase::Completed);
    }

    #[test]
    fn phase_codes_are_stable_snake_case() {
        assert_eq!(Phase::NotStarted.code(), "not_started");
        assert_eq!(Phase::Onsite1.code(), "onsite1");
        assert_eq!(Phase::Remote { week: 4 }.code(), "remote");
        assert_eq!(Phase::Onsite2.code(), "onsite2");
        assert_eq!(Phase::FollowUp.code(), "follow_up");
        assert_eq!(Phase::Completed.code(), "completed");
    }

    #[test]
    fn only_the_remote_phase_has_a_remote_week() {
        assert_eq!(Phase::Remote { week: 4 }.remote_week(), Some(4));
        assert_eq!(Phase::Onsite1.remote_week(), None);
    }

    #[test]
    fn a_phase_serialises_as_a_flat_code() {
        let remote = serde_json::to_value(Phase::Remote { week: 3 }).expect("serialises");
        assert_eq!(
            remote,
            serde_json::json!({"code": "remote", "remote_week": 3})
        );
        let onsite = serde_json::to_value(Phase::Onsite1).expect("serialises");
        assert_eq!(onsite, serde_json::json!({"code": "onsite1"}));
    }

    #[test]
    fn a_schedule_serialises_dates_as_iso_strings() {
        let json = serde_json::to_value(schedule()).expect("serialises");
        assert_eq!(json["onsite1_start"], "2026-03-02");
        assert_eq!(json["follow_up_end"], "2026-09-06");
    }

    #[test]
    fn late_sunday_evening_utc_in_winter_is_already_monday_in_helsinki() {
        // UTC+2 in winter.
        assert_eq!(
            helsinki_today(utc("2026-03-01T22:30:00Z")),
            date(2026, 3, 2)
        );
        assert_eq!(
            helsinki_today(utc("2026-03-01T21:59:59Z")),
            date(2026, 3, 1)
        );
    }

    #[test]
    fn summer_time_moves_helsinki_midnight_to_21_utc() {
        // UTC+3 in summer (EEST).
        assert_eq!(
            helsinki_today(utc("2026-07-15T20:59:59Z")),
            date(2026, 7, 15)
        );
        assert_eq!(
            helsinki_today(utc("2026-07-15T21:00:00Z")),
            date(2026, 7, 16)
        );
    }

    #[test]
    fn just_after_midnight_utc_is_the_same_day_in_helsinki() {
        assert_eq!(
            helsinki_today(utc("2026-03-02T00:30:00Z")),
            date(2026, 3, 2)
        );
    }

    #[test]
    fn weeks_start_on_monday() {
        let sunday = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap_or_default();
        assert_eq!(
            monday_of(sunday),
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default()
        );
        assert_eq!(monday_of(monday_of(sunday)), monday_of(sunday));
    }
}
