//! When each alert holds: pure functions of one participant's facts, the course's calendar and
//! the instant, with no database, so every boundary is unit-tested here. The facts are read
//! set-based per course (`alerts::facts`); `alerts::service::evaluate` opens and closes rows.
//!
//! Days and weeks are Helsinki ones (`courses::schedule`); an instant becomes a day only through
//! `helsinki_today`.

use chrono::{DateTime, Duration, Utc};

use crate::alerts::model::AlertKind;
use crate::courses::schedule::{Phase, REMOTE_WEEKS, Schedule, helsinki_today};
use crate::guidance::pace::{REQUIRED_MINUTES, remote_window};
use crate::progress::pace::weeks_passed;

/// R-INTERIM-3: by the end of remote week 4 at least one interim contact is planned or held, by
/// the end of week 8 two, by the end of week 11 all three.
pub const INTERIM_DEADLINES: [usize; 3] = [4, 8, 11];

/// How long a participant's message in their thread with the team may wait for the team's reply.
pub fn answer_within() -> Duration {
    Duration::hours(48)
}

/// What the course contributes to every participant's rules.
#[derive(Debug, Clone, Copy)]
pub struct CourseFrame {
    pub schedule: Schedule,
    /// `ETAPOLKU_INACTIVE_DAYS`.
    pub inactive_days: u32,
}

/// What is known of one participant on one course at the instant of the evaluation (from the
/// guide's monitoring row, see `alerts::facts`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// Whether the monitoring facts below are known; without them (a course without a program)
    /// only `message_unanswered` is evaluated.
    pub monitored: bool,
    /// The last use of the program, a chat message or a task log.
    pub last_active: Option<DateTime<Utc>>,
    /// Fewer modules done than `progress::pace` expects today.
    pub program_behind_pace: bool,
    /// Guidance minutes credited inside the remote period (R-GUIDANCE-4H).
    pub remote_minutes: i64,
    /// Interim contacts held or still planned (cancelled and missed ones do not count).
    pub interim_contacts: i64,
    /// Follow-up contacts held or still planned.
    pub follow_up_contacts: i64,
    /// A contact still open after its planned time has passed (the monitoring view's "overdue").
    pub contact_overdue: bool,
    /// A message of the participant in their private thread waiting for the team's reply longer
    /// than [`answer_within`].
    pub message_unanswered: bool,
}

/// Inactive: nothing for `days` days, counted from the last activity or, for someone never seen,
/// from the start of the remote period. Only during the remote period: in the on-site weeks the
/// group meets face to face, and afterwards there is no program to come back to.
pub fn inactive(
    s: &Schedule,
    last_active: Option<DateTime<Utc>>,
    days: u32,
    now: DateTime<Utc>,
) -> bool {
    if !matches!(s.phase_on(helsinki_today(now)), Phase::Remote { .. }) {
        return false;
    }
    let (remote_start, _) = remote_window(s);
    let since = last_active.map_or(remote_start, |at| at.max(remote_start));
    now - since >= Duration::days(i64::from(days))
}

/// Program behind pace: fewer modules done than `progress::pace` expects, during the remote
/// period and on-site period 2 (when every module is due, R-CONTENT-FULL). Before, nothing is
/// due; afterwards the program is over and there is nothing left to catch up.
pub fn program_behind(s: &Schedule, behind_pace: bool, now: DateTime<Utc>) -> bool {
    behind_pace
        && matches!(
            s.phase_on(helsinki_today(now)),
            Phase::Remote { .. } | Phase::Onsite2
        )
}

/// Guidance minutes an alert expects at `now`, or `None` when there is no such line.
///
/// R-GUIDANCE-4H: `guidance::pace` draws the line at 20·w minutes in remote week w, what is due
/// by the END of the week, so that the guide sees whose week still needs guidance. An alert on
/// that line would open for everybody on Monday morning. The alert uses what was due by the end
/// of the PREVIOUS week, 20·(w−1): it opens only for someone who is really behind. In on-site
/// period 2 all 240 minutes were due (and can no longer be given, so the alert is what the report
/// has to explain).
pub fn guidance_due(s: &Schedule, now: DateTime<Utc>) -> Option<i64> {
    match s.phase_on(helsinki_today(now)) {
        Phase::Remote { week } => {
            Some(REQUIRED_MINUTES * i64::from(week.saturating_sub(1)) / i64::from(REMOTE_WEEKS))
        }
        Phase::Onsite2 => Some(REQUIRED_MINUTES),
        _ => None,
    }
}

pub fn guidance_behind(s: &Schedule, remote_minutes: i64, now: DateTime<Utc>) -> bool {
    guidance_due(s, now).is_some_and(|due| remote_minutes < due)
}

/// Interim contacts that must be planned or held at `now` (R-INTERIM-3): one once remote week 4
/// has ended, two after week 8, three after week 11; `None` outside the remote period and
/// on-site period 2.
pub fn interim_due(s: &Schedule, now: DateTime<Utc>) -> Option<i64> {
    let today = helsinki_today(now);
    if !matches!(s.phase_on(today), Phase::Remote { .. } | Phase::Onsite2) {
        return None;
    }
    let passed = weeks_passed(s, today);
    let due = INTERIM_DEADLINES.iter().filter(|w| **w <= passed).count();
    Some(i64::try_from(due).unwrap_or(3))
}

pub fn interim_unplanned(s: &Schedule, interim_contacts: i64, now: DateTime<Utc>) -> bool {
    interim_due(s, now).is_some_and(|due| interim_contacts < due)
}

/// R-FOLLOWUP: once on-site period 2 has ended (its Saturday), a follow-up contact must be
/// planned or held; the alert stays possible until the follow-up window closes.
pub fn follow_up_unplanned(s: &Schedule, follow_up_contacts: i64, now: DateTime<Utc>) -> bool {
    let today = helsinki_today(now);
    today > s.onsite2_end && today <= s.follow_up_end && follow_up_contacts == 0
}

/// Every alert that holds for one participant at `now`.
pub fn due(f: &CourseFrame, facts: &Facts, now: DateTime<Utc>) -> Vec<AlertKind> {
    let s = &f.schedule;
    let m = facts.monitored;
    let holds = [
        (
            AlertKind::Inactive,
            m && inactive(s, facts.last_active, f.inactive_days, now),
        ),
        (
            AlertKind::ProgramBehind,
            m && program_behind(s, facts.program_behind_pace, now),
        ),
        (
            AlertKind::GuidanceBehind,
            m && guidance_behind(s, facts.remote_minutes, now),
        ),
        (AlertKind::ContactOverdue, m && facts.contact_overdue),
        (
            AlertKind::InterimUnplanned,
            m && interim_unplanned(s, facts.interim_contacts, now),
        ),
        (
            AlertKind::FollowUpUnplanned,
            m && follow_up_unplanned(s, facts.follow_up_contacts, now),
        ),
        (AlertKind::MessageUnanswered, facts.message_unanswered),
    ];
    holds
        .into_iter()
        .filter_map(|(k, on)| on.then_some(k))
        .collect()
}

/// Whether a course's participants are evaluated at all on `now`: from on-site period 1 until the
/// follow-up window closes. Before, nothing can be behind; after, the course is history and its
/// alerts close.
pub fn course_in_scope(s: &Schedule, now: DateTime<Utc>) -> bool {
    !matches!(
        s.phase_on(helsinki_today(now)),
        Phase::NotStarted | Phase::Completed
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::guidance::pace::helsinki_midnight;
    use chrono::{Days, NaiveDate};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// On-site 1 from Monday 2.3.2026: remote week 1 starts Monday 9.3. (UTC+2), the spring
    /// change is on Sunday 29.3. (week 3), week 4 ends on Sunday 5.4. (UTC+3).
    fn spring() -> Schedule {
        Schedule::new(d(2026, 3, 2), None).unwrap()
    }

    /// Helsinki midnight starting the Monday of remote week `w` (13 = on-site period 2).
    fn week_start(s: &Schedule, w: u64) -> DateTime<Utc> {
        helsinki_midnight(
            s.remote_start
                .checked_add_days(Days::new((w - 1) * 7))
                .unwrap(),
        )
    }

    fn second() -> Duration {
        Duration::seconds(1)
    }

    #[test]
    fn interim_contacts_are_due_one_after_week_4_two_after_week_8_three_after_week_11() {
        let s = spring();
        // The last second of week 4 (Sunday 5.4. 23:59:59 EEST) still expects none …
        assert_eq!(interim_due(&s, week_start(&s, 5) - second()), Some(0));
        // … and the first second of week 5 (Monday 6.4. 00:00 EEST = 5.4. 21:00 UTC) expects one.
        assert_eq!(
            week_start(&s, 5),
            "2026-04-05T21:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(interim_due(&s, week_start(&s, 5)), Some(1));
        assert_eq!(interim_due(&s, week_start(&s, 9) - second()), Some(1));
        assert_eq!(interim_due(&s, week_start(&s, 9)), Some(2));
        assert_eq!(interim_due(&s, week_start(&s, 12) - second()), Some(2));
        assert_eq!(interim_due(&s, week_start(&s, 12)), Some(3));
        // On-site period 2 still expects all three; the follow-up time does not.
        assert_eq!(interim_due(&s, week_start(&s, 13)), Some(3));
        assert_eq!(interim_due(&s, week_start(&s, 14)), None);
        assert_eq!(interim_due(&s, helsinki_midnight(s.onsite1_start)), None);
    }

    #[test]
    fn interim_unplanned_holds_only_below_what_is_due() {
        let s = spring();
        let week5 = week_start(&s, 5);
        assert!(interim_unplanned(&s, 0, week5));
        assert!(!interim_unplanned(&s, 1, week5));
        let week12 = week_start(&s, 12);
        assert!(interim_unplanned(&s, 2, week12));
        assert!(!interim_unplanned(&s, 3, week12));
    }

    #[test]
    fn guidance_is_behind_only_against_the_previous_weeks_line_r_guidance_4h() {
        let s = spring();
        // Week 1 expects nothing yet, though `guidance::pace` already draws 20 minutes.
        assert_eq!(guidance_due(&s, week_start(&s, 1)), Some(0));
        assert!(!guidance_behind(&s, 0, week_start(&s, 1)));
        assert!(!guidance_behind(&s, 0, week_start(&s, 2) - second()));
        // Monday of week 2: the 20 minutes of week 1 were due.
        assert!(guidance_behind(&s, 19, week_start(&s, 2)));
        assert!(!guidance_behind(&s, 20, week_start(&s, 2)));
        // Week 4 starts at 21:00 UTC after the spring change and expects 60.
        assert_eq!(guidance_due(&s, week_start(&s, 4) - second()), Some(40));
        assert_eq!(guidance_due(&s, week_start(&s, 4)), Some(60));
        assert_eq!(guidance_due(&s, week_start(&s, 12)), Some(220));
        assert_eq!(guidance_due(&s, week_start(&s, 13)), Some(240));
        assert_eq!(guidance_due(&s, week_start(&s, 14)), None);
        assert_eq!(guidance_due(&s, helsinki_midnight(s.onsite1_start)), None);
    }

    #[test]
    fn inactive_counts_from_the_last_activity_or_the_remote_start() {
        let s = spring();
        let start = week_start(&s, 1);
        // Never seen: seven days after the remote period began.
        assert!(!inactive(&s, None, 7, start + Duration::days(7) - second()));
        assert!(inactive(&s, None, 7, start + Duration::days(7)));
        // Activity during on-site period 1 does not move the count back.
        assert!(inactive(
            &s,
            Some(start - Duration::days(3)),
            7,
            start + Duration::days(7)
        ));
        let seen = start + Duration::days(10);
        assert!(!inactive(
            &s,
            Some(seen),
            7,
            seen + Duration::days(7) - second()
        ));
        assert!(inactive(&s, Some(seen), 7, seen + Duration::days(7)));
        assert!(inactive(&s, Some(seen), 3, seen + Duration::days(3)));
        // Not in the on-site weeks.
        assert!(!inactive(&s, None, 7, week_start(&s, 13)));
        assert!(!inactive(&s, None, 7, start - second()));
    }

    #[test]
    fn a_follow_up_is_expected_from_the_sunday_after_onsite_period_2() {
        let s = spring();
        let saturday = helsinki_midnight(s.onsite2_end);
        assert!(!follow_up_unplanned(&s, 0, saturday + Duration::hours(23)));
        let sunday = helsinki_midnight(s.onsite2_end.checked_add_days(Days::new(1)).unwrap());
        assert!(follow_up_unplanned(&s, 0, sunday));
        assert!(!follow_up_unplanned(&s, 1, sunday));
        let after = helsinki_midnight(s.follow_up_end.checked_add_days(Days::new(1)).unwrap());
        assert!(!follow_up_unplanned(&s, 0, after));
    }

    #[test]
    fn program_pace_alerts_in_the_remote_period_and_onsite_period_2_only() {
        let s = spring();
        assert!(!program_behind(
            &s,
            true,
            helsinki_midnight(s.onsite1_start)
        ));
        assert!(program_behind(&s, true, week_start(&s, 2)));
        assert!(!program_behind(&s, false, week_start(&s, 2)));
        assert!(program_behind(&s, true, week_start(&s, 13)));
        assert!(!program_behind(&s, true, week_start(&s, 14)));
    }

    #[test]
    fn due_lists_every_kind_that_holds() {
        let f = CourseFrame {
            schedule: spring(),
            inactive_days: 7,
        };
        let now = week_start(&f.schedule, 5);
        let behind = Facts {
            monitored: true,
            program_behind_pace: true,
            contact_overdue: true,
            message_unanswered: true,
            ..Facts::default()
        };
        let all_but_follow_up: Vec<AlertKind> = AlertKind::ALL
            .into_iter()
            .filter(|k| *k != AlertKind::FollowUpUnplanned)
            .collect();
        assert_eq!(due(&f, &behind, now), all_but_follow_up);
        let fine = Facts {
            monitored: true,
            last_active: Some(now - Duration::hours(1)),
            remote_minutes: 80,
            interim_contacts: 1,
            ..Facts::default()
        };
        assert!(due(&f, &fine, now).is_empty());
        // Without the monitoring facts only a waiting message is known.
        let unknown = Facts {
            monitored: false,
            ..behind
        };
        assert_eq!(due(&f, &unknown, now), vec![AlertKind::MessageUnanswered]);
    }
}
