//! Each rule of the provider's overview as a red/amber/green check with its reason, defined once
//! and computed without the database from facts the service gathers for all courses at once.
//!
//! - **red**: the records show the rule broken, or too late to keep without action now;
//! - **amber**: at risk or coming due soon (the thresholds below);
//! - **green**: on track;
//! - **grey**: nothing to check yet, or a deadline whose outcome the platform does not record
//!   (whether the rehabilitation report, the measurements or an invoice reached Kela): then the
//!   check gives the deadline and the days left, and says once it has passed, rather than guess.
//!
//! A reason is a stable `code` with `params` (numbers, ISO dates, codes) that the UI and the CSV
//! export put into words in Finnish, Swedish or English (`overview.reason.<code>` in
//! `web/locales/*.json`).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::content::delivery::ReleaseMode;
use crate::courses::schedule::{Phase, REMOTE_WEEKS, Schedule, helsinki_today};
use crate::enrolment::deadlines::Deadlines;
use crate::enrolment::group_size::{MAX_PARTICIPANTS, MIN_PARTICIPANTS};
use crate::guidance::model::{ContactCounts, INTERIM_REQUIRED};
use crate::guidance::pace::{REQUIRED_MINUTES, pace};
use crate::progress::pace::program_pace;
use crate::team::composition::{MissingRole, TeamCheck};

// ---- thresholds, defined once -------------------------------------------------------------

/// A paperwork deadline (the rehabilitation report, the year's measurements, an invoice) turns
/// amber 14 days before it: the shortest of them, R-FEEDBACK-2W, is two weeks in all, so two
/// weeks is enough notice for any of them, and a longer one would leave every report amber from
/// the day of the last meeting and the others amber for weeks on end.
pub const DUE_SOON_DAYS: i64 = 14;

/// R-WINDOW-20M turns amber 60 days before the 20 months end while the follow-up contact has not
/// been held: it has to be agreed with the participant and held, or Kela and the participant told
/// that it cannot be (RULES.md), which takes weeks rather than days.
pub const WINDOW_SOON_DAYS: i64 = 60;

/// Guidance behind the pace line by at most one remote week's share of the 240 minutes
/// (240 / 12 = 20, R-GUIDANCE-4H over R-REMOTE-12W) is amber: one conversation catches it up.
/// More is red.
pub const GUIDANCE_AMBER_MINUTES: i64 = REQUIRED_MINUTES / REMOTE_WEEKS as i64;

/// The program one module (a week's work) behind its pace is amber; two or more is red.
pub const PROGRAM_AMBER_MODULES: usize = 1;

/// R-INTERIM-3 spread over the remote period (issue 6's alert rule): the first interim contact
/// booked by remote week 4, the second by week 8, the third by week 11, so that they are held
/// about a month apart and the last one before on-site period 2.
pub const INTERIM_BOOKED_BY_WEEK: [u8; 3] = [4, 8, 11];

/// R-INVOICE-2M: invoicing within 2 months of the end of each period.
const INVOICE_MONTHS: u32 = 2;
/// R-FEEDBACK-2W: the rehabilitation report within 2 weeks of the last meeting.
const FEEDBACK_DAYS: u64 = 14;

// ---- the check ----------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Red,
    Amber,
    Green,
    Grey,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Red => "red",
            Status::Amber => "amber",
            Status::Green => "green",
            Status::Grey => "grey",
        }
    }
}

/// A parameter of a reason: a count, a date, a code the words translate, or a list of codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Param {
    Number(i64),
    Date(NaiveDate),
    Code(&'static str),
    Codes(Vec<&'static str>),
}

impl From<i64> for Param {
    fn from(n: i64) -> Param {
        Param::Number(n)
    }
}

impl From<usize> for Param {
    fn from(n: usize) -> Param {
        Param::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<u8> for Param {
    fn from(n: u8) -> Param {
        Param::Number(i64::from(n))
    }
}

impl From<i32> for Param {
    fn from(n: i32) -> Param {
        Param::Number(i64::from(n))
    }
}

impl From<NaiveDate> for Param {
    fn from(d: NaiveDate) -> Param {
        Param::Date(d)
    }
}

impl From<&'static str> for Param {
    fn from(c: &'static str) -> Param {
        Param::Code(c)
    }
}

/// One rule's state with the reason: `{"status": "amber", "rule": "R-GUIDANCE-4H",
/// "code": "guidance_behind", "params": {"minutes": 30, "expected": 40, …}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Check {
    pub status: Status,
    pub rule: &'static str,
    /// The reason, translated by the UI as `overview.reason.<code>`.
    pub code: &'static str,
    /// Numbers, ISO dates (`2026-03-31`) and codes the reason's words are filled with.
    #[schema(value_type = Object)]
    pub params: BTreeMap<&'static str, Param>,
}

impl Check {
    fn new(status: Status, rule: &'static str, code: &'static str) -> Check {
        Check {
            status,
            rule,
            code,
            params: BTreeMap::new(),
        }
    }

    fn with(mut self, name: &'static str, value: impl Into<Param>) -> Check {
        self.params.insert(name, value.into());
        self
    }
}

fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    to.signed_duration_since(from).num_days()
}

/// Amber within [`DUE_SOON_DAYS`] of `due`, green before.
fn paperwork(days_left: i64) -> Status {
    if days_left <= DUE_SOON_DAYS {
        Status::Amber
    } else {
        Status::Green
    }
}

fn started(phase: Phase) -> bool {
    !matches!(phase, Phase::NotStarted)
}

// ---- the course's checks ------------------------------------------------------------------

/// R-GROUP-SIZE and R-GROUP-START: 6–12 participants; fewer than 6 cannot start, exactly 6 may
/// with a recorded reason (and one cancellation stops it). After the start a smaller group goes
/// on, but is flagged.
pub fn group(count: usize, phase: Phase) -> Check {
    let (status, rule, code) = if count > MAX_PARTICIPANTS {
        (Status::Red, "R-GROUP-SIZE", "group_over")
    } else if started(phase) {
        if count < MIN_PARTICIPANTS {
            (Status::Amber, "R-GROUP-SIZE", "group_shrunk")
        } else {
            (Status::Green, "R-GROUP-SIZE", "group_ok")
        }
    } else if count < MIN_PARTICIPANTS {
        (Status::Red, "R-GROUP-START", "group_too_small")
    } else if count == MIN_PARTICIPANTS {
        (Status::Amber, "R-GROUP-START", "group_six")
    } else {
        (Status::Green, "R-GROUP-START", "group_ok")
    };
    Check::new(status, rule, code)
        .with("count", count)
        .with("min", MIN_PARTICIPANTS)
        .with("max", MAX_PARTICIPANTS)
}

/// R-TEAM: a gap is amber while the course has not started, red once it runs without the role.
pub fn team(check: &TeamCheck, phase: Phase) -> Check {
    if check.complete {
        return Check::new(Status::Green, "R-TEAM", "team_complete");
    }
    let status = if started(phase) {
        Status::Red
    } else {
        Status::Amber
    };
    let mut c = Check::new(status, "R-TEAM", "team_incomplete").with(
        "roles",
        Param::Codes(check.missing.iter().map(MissingRole::code).collect()),
    );
    for m in &check.missing {
        if let MissingRole::OptionalProfessionals { have, need } = m {
            c = c.with("have", *have).with("need", *need);
        }
    }
    c
}

/// The periods invoiced separately, with the day each ends.
fn invoice_periods(s: &Schedule) -> [(&'static str, NaiveDate); 4] {
    [
        ("onsite1", s.onsite1_end),
        ("remote", s.remote_end),
        ("onsite2", s.onsite2_end),
        ("follow_up", s.follow_up_end),
    ]
}

/// R-INVOICE-2M: the next period's invoicing deadline (2 calendar months after it ends, clamped
/// to the month's end). The platform keeps no invoices, so a passed deadline is grey.
pub fn invoice(s: &Schedule, today: NaiveDate) -> Check {
    let deadlines = invoice_periods(s).map(|(period, end)| {
        let due = end
            .checked_add_months(Months::new(INVOICE_MONTHS))
            .unwrap_or(NaiveDate::MAX);
        (period, end, due)
    });
    match deadlines.iter().find(|(_, _, due)| *due >= today) {
        Some((period, end, due)) => {
            let days = days_between(today, *due);
            Check::new(paperwork(days), "R-INVOICE-2M", "invoice_due")
                .with("period", *period)
                .with("end", *end)
                .with("date", *due)
                .with("days", days)
        }
        None => {
            let (period, _, due) = deadlines[deadlines.len() - 1];
            Check::new(Status::Grey, "R-INVOICE-2M", "invoice_passed")
                .with("period", period)
                .with("date", due)
        }
    }
}

// ---- each participant's checks ------------------------------------------------------------

/// R-GUIDANCE-4H against the pace line (`guidance::pace`).
pub fn guidance(s: &Schedule, now: DateTime<Utc>, minutes: i64) -> Check {
    let phase = s.phase_on(helsinki_today(now));
    let p = pace(s, now, minutes);
    let rule = "R-GUIDANCE-4H";
    let base = |status, code| {
        Check::new(status, rule, code)
            .with("minutes", minutes)
            .with("required", REQUIRED_MINUTES)
    };
    if minutes >= REQUIRED_MINUTES {
        return base(Status::Green, "guidance_met");
    }
    match phase {
        Phase::NotStarted | Phase::Onsite1 => {
            base(Status::Grey, "guidance_not_started").with("date", s.remote_start)
        }
        Phase::Onsite2 | Phase::FollowUp | Phase::Completed => {
            base(Status::Red, "guidance_short").with("missing", p.missing_minutes)
        }
        Phase::Remote { week } => {
            let behind = p.expected_minutes - minutes;
            let (status, code) = if behind <= 0 {
                (Status::Green, "guidance_on_pace")
            } else if behind <= GUIDANCE_AMBER_MINUTES {
                (Status::Amber, "guidance_behind")
            } else {
                (Status::Red, "guidance_far_behind")
            };
            base(status, code)
                .with("expected", p.expected_minutes)
                .with("behind", behind.max(0))
                .with("week", week)
        }
    }
}

/// How many interim contacts should be booked (or held) by remote week `week`.
fn interim_needed_by(week: u8) -> usize {
    INTERIM_BOOKED_BY_WEEK
        .iter()
        .filter(|w| **w <= week)
        .count()
}

/// R-INTERIM-3: three held in the remote period, booked in time ([`INTERIM_BOOKED_BY_WEEK`]).
pub fn interim(s: &Schedule, today: NaiveDate, c: &ContactCounts) -> Check {
    let rule = "R-INTERIM-3";
    let base = |status, code| {
        Check::new(status, rule, code)
            .with("done", c.interim_done)
            .with("open", c.interim_open)
            .with("required", INTERIM_REQUIRED)
    };
    let booked = c.interim_done + c.interim_open;
    if c.interim_done >= INTERIM_REQUIRED {
        return base(Status::Green, "interim_done");
    }
    match s.phase_on(today) {
        Phase::Onsite2 | Phase::FollowUp | Phase::Completed => base(Status::Red, "interim_missing"),
        _ if booked >= INTERIM_REQUIRED => base(Status::Green, "interim_booked"),
        Phase::NotStarted | Phase::Onsite1 => {
            base(Status::Grey, "interim_later").with("date", s.remote_start)
        }
        Phase::Remote { week } => {
            let needed = interim_needed_by(week);
            if booked < i64::try_from(needed).unwrap_or(i64::MAX) {
                base(Status::Red, "interim_not_booked")
                    .with("needed", needed)
                    .with("week", week)
            } else {
                base(Status::Amber, "interim_to_book")
            }
        }
    }
}

/// R-FOLLOWUP: at least one follow-up contact; booked from on-site period 2 on (issue 6's alert
/// rule), held by the end of the follow-up period.
pub fn follow_up(s: &Schedule, today: NaiveDate, c: &ContactCounts) -> Check {
    let rule = "R-FOLLOWUP";
    if c.follow_up_done > 0 {
        return Check::new(Status::Green, rule, "follow_up_done");
    }
    let phase = s.phase_on(today);
    if matches!(phase, Phase::Completed) {
        return Check::new(Status::Red, rule, "follow_up_missing").with("date", s.follow_up_end);
    }
    if c.follow_up_open > 0 {
        return Check::new(Status::Green, rule, "follow_up_booked");
    }
    match phase {
        Phase::Onsite2 => {
            Check::new(Status::Amber, rule, "follow_up_to_book").with("date", s.follow_up_end)
        }
        Phase::FollowUp => {
            Check::new(Status::Red, rule, "follow_up_not_booked").with("date", s.follow_up_end)
        }
        _ => Check::new(Status::Grey, rule, "follow_up_later").with("date", s.onsite2_start),
    }
}

/// R-CONTENT-FULL against the program pace (`progress::pace::program_pace`).
pub fn program(
    s: &Schedule,
    release: ReleaseMode,
    total: Option<usize>,
    done: usize,
    today: NaiveDate,
) -> Check {
    let rule = "R-CONTENT-FULL";
    let Some(total) = total else {
        return Check::new(Status::Grey, rule, "program_none");
    };
    let base = |status, code| {
        Check::new(status, rule, code)
            .with("done", done)
            .with("total", total)
    };
    if done >= total {
        return base(Status::Green, "program_complete");
    }
    let expected = program_pace(s, release, total, done, today).expected_modules;
    let behind = expected.saturating_sub(done);
    let (status, code) = if behind == 0 {
        (Status::Green, "program_on_pace")
    } else if behind <= PROGRAM_AMBER_MODULES {
        (Status::Amber, "program_behind")
    } else {
        (Status::Red, "program_far_behind")
    };
    base(status, code)
        .with("expected", expected)
        .with("behind", behind)
}

/// R-WINDOW-20M: everything, the follow-up contact included, within 20 months of the decision.
pub fn window(
    s: &Schedule,
    decision: NaiveDate,
    last_follow_up: Option<NaiveDate>,
    today: NaiveDate,
) -> Check {
    let rule = "R-WINDOW-20M";
    let by = Deadlines::from_decision(decision).complete_by;
    if let Some(held) = last_follow_up {
        let (status, code) = if held <= by {
            (Status::Green, "window_kept")
        } else {
            (Status::Red, "window_exceeded")
        };
        return Check::new(status, rule, code)
            .with("date", by)
            .with("held", held);
    }
    if today > by {
        return Check::new(Status::Red, rule, "window_passed").with("date", by);
    }
    if s.follow_up_end > by {
        // The course's own follow-up period runs past the 20 months (as `check_deadlines` warns).
        return Check::new(Status::Red, rule, "window_too_late")
            .with("date", by)
            .with("end", s.follow_up_end);
    }
    let days = days_between(today, by);
    let status = if days <= WINDOW_SOON_DAYS {
        Status::Amber
    } else {
        Status::Green
    };
    Check::new(status, rule, "window_open")
        .with("date", by)
        .with("days", days)
}

/// R-FEEDBACK-2W: the rehabilitation report within 2 weeks of the participant's last meeting,
/// which is the last follow-up contact held. The platform keeps no reports: the check gives the
/// deadline, and grey once it has passed.
pub fn feedback(last_meeting: Option<NaiveDate>, today: NaiveDate) -> Check {
    let rule = "R-FEEDBACK-2W";
    let Some(meeting) = last_meeting else {
        return Check::new(Status::Grey, rule, "feedback_waiting");
    };
    let due = meeting
        .checked_add_days(chrono::Days::new(FEEDBACK_DAYS))
        .unwrap_or(NaiveDate::MAX);
    if today > due {
        return Check::new(Status::Grey, rule, "feedback_passed")
            .with("meeting", meeting)
            .with("date", due);
    }
    let days = days_between(today, due);
    Check::new(paperwork(days), rule, "feedback_due")
        .with("meeting", meeting)
        .with("date", due)
        .with("days", days)
}

/// The day by which the measurements of `year` are delivered (R-REPORT-31-3).
fn report_deadline(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year.saturating_add(1), 3, 31).unwrap_or(NaiveDate::MAX)
}

/// R-REPORT-31-3: the measurements of a year to Kela by 31 March of the next. `measured` is the
/// first and the last day the participant was measured on; the check follows the next deadline of
/// those years. The platform does not record the delivery: a passed deadline is grey.
pub fn report(measured: Option<(NaiveDate, NaiveDate)>, today: NaiveDate) -> Check {
    let rule = "R-REPORT-31-3";
    let Some((first, last)) = measured else {
        return Check::new(Status::Grey, rule, "report_no_measurements");
    };
    let mut years = vec![first.year(), last.year()];
    years.dedup();
    match years.iter().find(|y| report_deadline(**y) >= today) {
        Some(year) => {
            let due = report_deadline(*year);
            let days = days_between(today, due);
            Check::new(paperwork(days), rule, "report_due")
                .with("year", *year)
                .with("date", due)
                .with("days", days)
        }
        None => Check::new(Status::Grey, rule, "report_passed")
            .with("year", last.year())
            .with("date", report_deadline(last.year())),
    }
}

/// Every reason code the checks can give, for the test that each has words in every language.
pub const CODES: [&str; 43] = [
    "group_over",
    "group_shrunk",
    "group_ok",
    "group_too_small",
    "group_six",
    "team_complete",
    "team_incomplete",
    "invoice_due",
    "invoice_passed",
    "guidance_met",
    "guidance_not_started",
    "guidance_short",
    "guidance_on_pace",
    "guidance_behind",
    "guidance_far_behind",
    "interim_done",
    "interim_missing",
    "interim_booked",
    "interim_later",
    "interim_not_booked",
    "interim_to_book",
    "follow_up_done",
    "follow_up_missing",
    "follow_up_booked",
    "follow_up_to_book",
    "follow_up_not_booked",
    "follow_up_later",
    "program_none",
    "program_complete",
    "program_on_pace",
    "program_behind",
    "program_far_behind",
    "window_kept",
    "window_exceeded",
    "window_passed",
    "window_too_late",
    "window_open",
    "feedback_waiting",
    "feedback_passed",
    "feedback_due",
    "report_no_measurements",
    "report_due",
    "report_passed",
];

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::guidance::pace::helsinki_midnight;
    use crate::team::composition::check_team;
    use chrono::Days;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// On-site 1 from Monday 5.1.2026: remote week 1 is 12.–18.1., week 12 ends Sunday 5.4.,
    /// on-site 2 is 6.–11.4., the follow-up period 13.4.–11.7.2026.
    fn s() -> Schedule {
        Schedule::new(d(2026, 1, 5), None).unwrap()
    }

    /// Monday of remote week `w`, 10:00 Helsinki.
    fn week(w: u64) -> DateTime<Utc> {
        helsinki_midnight(s().remote_start + Days::new(7 * (w - 1))) + chrono::Duration::hours(10)
    }

    fn counts(done: i64, open: i64, fdone: i64, fopen: i64) -> ContactCounts {
        ContactCounts {
            interim_done: done,
            interim_open: open,
            follow_up_done: fdone,
            follow_up_open: fopen,
            ..ContactCounts::none()
        }
    }

    fn look(c: &Check) -> (Status, &'static str) {
        (c.status, c.code)
    }

    #[test]
    fn a_group_of_six_may_start_with_a_reason_so_it_is_amber_r_group_start() {
        let before = Phase::NotStarted;
        assert_eq!(look(&group(5, before)), (Status::Red, "group_too_small"));
        assert_eq!(look(&group(6, before)), (Status::Amber, "group_six"));
        assert_eq!(look(&group(7, before)), (Status::Green, "group_ok"));
        assert_eq!(look(&group(12, before)), (Status::Green, "group_ok"));
        assert_eq!(look(&group(13, before)), (Status::Red, "group_over"));
        let running = Phase::Remote { week: 2 };
        assert_eq!(look(&group(6, running)), (Status::Green, "group_ok"));
        assert_eq!(look(&group(5, running)), (Status::Amber, "group_shrunk"));
        assert_eq!(group(5, before).params["min"], Param::Number(6));
    }

    #[test]
    fn a_team_gap_is_amber_before_the_start_and_red_after_r_team() {
        let gap = check_team(&[]);
        assert_eq!(
            look(&team(&gap, Phase::NotStarted)),
            (Status::Amber, "team_incomplete")
        );
        let red = team(&gap, Phase::Onsite1);
        assert_eq!(red.status, Status::Red);
        let Param::Codes(roles) = &red.params["roles"] else {
            panic!("roles: {red:?}");
        };
        assert_eq!(roles[0], "physician");
        assert_eq!(red.params["have"], Param::Number(0));
        assert_eq!(red.params["need"], Param::Number(2));
    }

    #[test]
    fn guidance_is_amber_up_to_one_weeks_share_behind_and_red_beyond_r_guidance_4h() {
        // Week 3: 60 minutes due.
        let now = week(3);
        assert_eq!(
            look(&guidance(&s(), now, 60)),
            (Status::Green, "guidance_on_pace")
        );
        assert_eq!(
            look(&guidance(&s(), now, 59)),
            (Status::Amber, "guidance_behind")
        );
        assert_eq!(
            look(&guidance(&s(), now, 40)),
            (Status::Amber, "guidance_behind")
        );
        assert_eq!(
            look(&guidance(&s(), now, 39)),
            (Status::Red, "guidance_far_behind")
        );
        assert_eq!(guidance(&s(), now, 39).params["behind"], Param::Number(21));
        assert_eq!(
            look(&guidance(&s(), now, 240)),
            (Status::Green, "guidance_met")
        );
        let before = helsinki_midnight(s().remote_start) - chrono::Duration::seconds(1);
        assert_eq!(
            look(&guidance(&s(), before, 0)),
            (Status::Grey, "guidance_not_started")
        );
        let onsite2 = helsinki_midnight(s().onsite2_start);
        assert_eq!(
            look(&guidance(&s(), onsite2, 239)),
            (Status::Red, "guidance_short")
        );
    }

    #[test]
    fn interim_contacts_must_be_booked_by_weeks_4_8_and_11_r_interim_3() {
        let today = |w| helsinki_today(week(w));
        assert_eq!(
            look(&interim(&s(), today(3), &counts(0, 0, 0, 0))),
            (Status::Amber, "interim_to_book")
        );
        assert_eq!(
            look(&interim(&s(), today(4), &counts(0, 0, 0, 0))),
            (Status::Red, "interim_not_booked")
        );
        assert_eq!(
            look(&interim(&s(), today(4), &counts(0, 1, 0, 0))),
            (Status::Amber, "interim_to_book")
        );
        assert_eq!(
            look(&interim(&s(), today(8), &counts(1, 0, 0, 0))),
            (Status::Red, "interim_not_booked")
        );
        assert_eq!(
            look(&interim(&s(), today(11), &counts(1, 2, 0, 0))),
            (Status::Green, "interim_booked")
        );
        assert_eq!(
            look(&interim(&s(), s().onsite2_start, &counts(2, 1, 0, 0))),
            (Status::Red, "interim_missing")
        );
        assert_eq!(
            look(&interim(&s(), s().onsite2_start, &counts(3, 0, 0, 0))),
            (Status::Green, "interim_done")
        );
        assert_eq!(
            look(&interim(&s(), s().onsite1_start, &counts(0, 0, 0, 0))),
            (Status::Grey, "interim_later")
        );
    }

    #[test]
    fn a_follow_up_unbooked_is_amber_in_onsite_2_and_red_after_it_r_followup() {
        let none = counts(3, 0, 0, 0);
        assert_eq!(
            look(&follow_up(&s(), s().remote_end, &none)),
            (Status::Grey, "follow_up_later")
        );
        assert_eq!(
            look(&follow_up(&s(), s().onsite2_start, &none)),
            (Status::Amber, "follow_up_to_book")
        );
        assert_eq!(
            look(&follow_up(&s(), s().follow_up_start, &none)),
            (Status::Red, "follow_up_not_booked")
        );
        assert_eq!(
            look(&follow_up(&s(), s().follow_up_start, &counts(3, 0, 0, 1))),
            (Status::Green, "follow_up_booked")
        );
        let after = s().follow_up_end + Days::new(1);
        assert_eq!(
            look(&follow_up(&s(), after, &counts(3, 0, 0, 1))),
            (Status::Red, "follow_up_missing")
        );
        assert_eq!(
            look(&follow_up(&s(), after, &counts(3, 0, 1, 0))),
            (Status::Green, "follow_up_done")
        );
    }

    #[test]
    fn the_program_is_amber_one_module_behind_and_red_two_behind_r_content_full() {
        // Week 5 of weekly release: modules 1–4 due.
        let today = helsinki_today(week(5));
        let p = |done| look(&program(&s(), ReleaseMode::Weekly, Some(12), done, today));
        assert_eq!(p(4), (Status::Green, "program_on_pace"));
        assert_eq!(p(3), (Status::Amber, "program_behind"));
        assert_eq!(p(2), (Status::Red, "program_far_behind"));
        assert_eq!(p(12), (Status::Green, "program_complete"));
        assert_eq!(
            look(&program(&s(), ReleaseMode::Weekly, None, 0, today)),
            (Status::Grey, "program_none")
        );
    }

    #[test]
    fn the_twenty_months_turn_amber_sixty_days_before_their_end_r_window_20m() {
        // Decided 1.3.2025: complete by 1.11.2026; the course's follow-up ends 11.7.2026.
        let decision = d(2025, 3, 1);
        let by = d(2026, 11, 1);
        let w = |today| look(&window(&s(), decision, None, today));
        assert_eq!(w(by - Days::new(61)), (Status::Green, "window_open"));
        assert_eq!(w(by - Days::new(60)), (Status::Amber, "window_open"));
        assert_eq!(w(by), (Status::Amber, "window_open"));
        assert_eq!(w(by + Days::new(1)), (Status::Red, "window_passed"));
        assert_eq!(
            look(&window(
                &s(),
                decision,
                Some(d(2026, 5, 4)),
                by + Days::new(1)
            )),
            (Status::Green, "window_kept")
        );
        // Decided 1.9.2024: the 20 months end 1.5.2026, before the course's follow-up period does.
        assert_eq!(
            look(&window(&s(), d(2024, 9, 1), None, d(2026, 1, 5))),
            (Status::Red, "window_too_late")
        );
    }

    #[test]
    fn the_report_is_due_two_weeks_after_the_last_meeting_then_grey_r_feedback_2w() {
        let meeting = d(2026, 5, 4);
        assert_eq!(
            look(&feedback(None, meeting)),
            (Status::Grey, "feedback_waiting")
        );
        let due = feedback(Some(meeting), meeting);
        assert_eq!(look(&due), (Status::Amber, "feedback_due"));
        assert_eq!(due.params["date"], Param::Date(d(2026, 5, 18)));
        assert_eq!(due.params["days"], Param::Number(14));
        assert_eq!(
            look(&feedback(Some(meeting), d(2026, 5, 18))),
            (Status::Amber, "feedback_due")
        );
        assert_eq!(
            look(&feedback(Some(meeting), d(2026, 5, 19))),
            (Status::Grey, "feedback_passed")
        );
    }

    #[test]
    fn measurements_of_a_year_are_due_on_31_march_of_the_next_r_report_31_3() {
        let measured = Some((d(2025, 11, 3), d(2026, 2, 9)));
        let r = |today| report(measured, today);
        assert_eq!(look(&r(d(2026, 3, 16))), (Status::Green, "report_due"));
        assert_eq!(r(d(2026, 3, 16)).params["year"], Param::Number(2025));
        assert_eq!(look(&r(d(2026, 3, 17))), (Status::Amber, "report_due"));
        assert_eq!(look(&r(d(2026, 3, 31))), (Status::Amber, "report_due"));
        // Then the end measurement's year, due 31.3.2027.
        let next = r(d(2026, 4, 1));
        assert_eq!(look(&next), (Status::Green, "report_due"));
        assert_eq!(next.params["date"], Param::Date(d(2027, 3, 31)));
        assert_eq!(look(&r(d(2027, 4, 1))), (Status::Grey, "report_passed"));
        assert_eq!(
            look(&report(None, d(2026, 1, 1))),
            (Status::Grey, "report_no_measurements")
        );
    }

    #[test]
    fn each_period_is_invoiced_within_two_months_of_its_end_r_invoice_2m() {
        // On-site 1 ends Saturday 10.1.2026: invoice by 10.3.; the remote period ends 5.4.: by 5.6.
        let i = |today| invoice(&s(), today);
        let first = i(d(2026, 1, 5));
        assert_eq!(look(&first), (Status::Green, "invoice_due"));
        assert_eq!(first.params["period"], Param::Code("onsite1"));
        assert_eq!(first.params["date"], Param::Date(d(2026, 3, 10)));
        assert_eq!(look(&i(d(2026, 2, 24))), (Status::Amber, "invoice_due"));
        let remote = i(d(2026, 3, 11));
        assert_eq!(remote.params["period"], Param::Code("remote"));
        assert_eq!(remote.params["date"], Param::Date(d(2026, 6, 5)));
        // The follow-up period ends 11.7.2026: its deadline 11.9. is the last.
        assert_eq!(look(&i(d(2026, 9, 11))), (Status::Amber, "invoice_due"));
        assert_eq!(look(&i(d(2026, 9, 12))), (Status::Grey, "invoice_passed"));
    }

    #[test]
    fn every_reason_code_is_listed_once() {
        let mut codes = CODES.to_vec();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), CODES.len());
    }
}
