//! The per-participant timeline counted from Kela's decision date
//! (R-AGREE-2W, R-CONFIRM-6M, R-WINDOW-20M, R-TOTAL-8-20M).
//!
//! Months are calendar months with chrono's month-end clamping: 31 January + 1 month is
//! 28 February, never 3 March, so a deadline never lands later than the rule allows.

use chrono::{Days, Months, NaiveDate};
use serde::Serialize;

/// R-AGREE-2W: a preliminary course date is agreed within 2 weeks of the decision.
const AGREE_DAYS: u64 = 14;
/// R-CONFIRM-6M: the participant knows the confirmed date within 6 months.
const CONFIRM_MONTHS: u32 = 6;
/// R-WINDOW-20M and the upper end of R-TOTAL-8-20M.
const COMPLETE_MONTHS: u32 = 20;
/// The lower end of R-TOTAL-8-20M.
const EARLIEST_END_MONTHS: u32 = 8;

/// The dates the rules put on one participant, all inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub struct Deadlines {
    pub agree_by: NaiveDate,
    pub confirm_by: NaiveDate,
    pub complete_by: NaiveDate,
    pub earliest_end: NaiveDate,
}

impl Deadlines {
    pub fn from_decision(decision: NaiveDate) -> Deadlines {
        Deadlines {
            agree_by: saturate(decision.checked_add_days(Days::new(AGREE_DAYS))),
            confirm_by: saturate(decision.checked_add_months(Months::new(CONFIRM_MONTHS))),
            complete_by: saturate(decision.checked_add_months(Months::new(COMPLETE_MONTHS))),
            earliest_end: saturate(decision.checked_add_months(Months::new(EARLIEST_END_MONTHS))),
        }
    }
}

/// Only a decision within 20 months of chrono's last representable day (year 262143) overflows;
/// clamping to that last day keeps the function total without a panic path.
fn saturate(date: Option<NaiveDate>) -> NaiveDate {
    date.unwrap_or(NaiveDate::MAX)
}

/// What the deadline check needs to know about one participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineFacts {
    pub decision_date: NaiveDate,
    pub enrolled_on: NaiveDate,
    pub course_confirmed_on: Option<NaiveDate>,
    pub follow_up_end: NaiveDate,
    pub today: NaiveDate,
}

/// A broken timeline rule. `date` is the deadline that was missed (or, for
/// `total_too_short`, the earliest allowed end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DeadlineWarning {
    pub code: &'static str,
    pub rule: &'static str,
    pub date: NaiveDate,
}

/// Computes the participant's deadlines and lists every rule the facts break, in a fixed order.
/// These are warnings, not refusals: R-WINDOW-20M asks the provider to notify Kela, not to stop.
pub fn check_deadlines(f: &DeadlineFacts) -> (Deadlines, Vec<DeadlineWarning>) {
    let d = Deadlines::from_decision(f.decision_date);
    let mut warnings = Vec::new();
    let mut warn = |code, rule, date| warnings.push(DeadlineWarning { code, rule, date });

    if f.enrolled_on > d.agree_by {
        warn("agree_late", "R-AGREE-2W", d.agree_by);
    }
    let confirm_late = match f.course_confirmed_on {
        Some(confirmed) => confirmed > d.confirm_by,
        // Not confirmed yet: late only once the deadline has passed.
        None => f.today > d.confirm_by,
    };
    if confirm_late {
        warn("confirm_late", "R-CONFIRM-6M", d.confirm_by);
    }
    if f.follow_up_end > d.complete_by {
        warn("window_exceeded", "R-WINDOW-20M", d.complete_by);
    }
    if f.follow_up_end < d.earliest_end {
        warn("total_too_short", "R-TOTAL-8-20M", d.earliest_end);
    }
    (d, warnings)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionDateError {
    #[error("the decision date {decision} is in the future (today is {today})")]
    InFuture {
        decision: NaiveDate,
        today: NaiveDate,
    },
    #[error("the decision date {decision} is after the course starts on {onsite1_start}")]
    AfterCourseStart {
        decision: NaiveDate,
        onsite1_start: NaiveDate,
    },
}

/// A decision date must already have happened, and the participant cannot join a course that began
/// before Kela decided. A decision on the start day itself is accepted.
pub fn validate_decision_date(
    decision: NaiveDate,
    today: NaiveDate,
    onsite1_start: NaiveDate,
) -> Result<(), DecisionDateError> {
    if decision > today {
        return Err(DecisionDateError::InFuture { decision, today });
    }
    if decision > onsite1_start {
        return Err(DecisionDateError::AfterCourseStart {
            decision,
            onsite1_start,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    fn decision() -> NaiveDate {
        date(2025, 3, 10)
    }

    /// A participant on time for every rule.
    fn on_time() -> DeadlineFacts {
        DeadlineFacts {
            decision_date: decision(),
            enrolled_on: date(2025, 3, 20),
            course_confirmed_on: Some(date(2025, 5, 1)),
            follow_up_end: date(2026, 3, 1),
            today: date(2025, 6, 1),
        }
    }

    fn codes(f: &DeadlineFacts) -> Vec<&'static str> {
        check_deadlines(f).1.iter().map(|w| w.code).collect()
    }

    #[test]
    fn deadlines_are_counted_from_the_decision() {
        assert_eq!(
            Deadlines::from_decision(decision()),
            Deadlines {
                agree_by: date(2025, 3, 24),
                confirm_by: date(2025, 9, 10),
                complete_by: date(2026, 11, 10),
                earliest_end: date(2025, 11, 10),
            }
        );
    }

    #[test]
    fn a_participant_on_time_gets_no_warnings() {
        assert_eq!(codes(&on_time()), Vec::<&str>::new());
    }

    #[test]
    fn enrolling_on_the_fourteenth_day_is_on_time_r_agree_2w() {
        let f = DeadlineFacts {
            enrolled_on: date(2025, 3, 24),
            ..on_time()
        };
        assert_eq!(codes(&f), Vec::<&str>::new());
    }

    #[test]
    fn enrolling_on_the_fifteenth_day_is_late_r_agree_2w() {
        let f = DeadlineFacts {
            enrolled_on: date(2025, 3, 25),
            ..on_time()
        };
        let (_, warnings) = check_deadlines(&f);
        assert_eq!(
            warnings,
            vec![DeadlineWarning {
                code: "agree_late",
                rule: "R-AGREE-2W",
                date: date(2025, 3, 24)
            }]
        );
    }

    #[test]
    fn confirming_on_the_six_month_day_is_on_time_r_confirm_6m() {
        let f = DeadlineFacts {
            course_confirmed_on: Some(date(2025, 9, 10)),
            ..on_time()
        };
        assert_eq!(codes(&f), Vec::<&str>::new());
    }

    #[test]
    fn confirming_a_day_after_six_months_is_late_r_confirm_6m() {
        let f = DeadlineFacts {
            course_confirmed_on: Some(date(2025, 9, 11)),
            ..on_time()
        };
        assert_eq!(codes(&f), vec!["confirm_late"]);
    }

    #[test]
    fn an_unconfirmed_course_is_not_late_until_the_deadline_passes_r_confirm_6m() {
        let f = DeadlineFacts {
            course_confirmed_on: None,
            today: date(2025, 9, 10),
            ..on_time()
        };
        assert_eq!(codes(&f), Vec::<&str>::new());
    }

    #[test]
    fn an_unconfirmed_course_is_late_the_day_after_the_deadline_r_confirm_6m() {
        let f = DeadlineFacts {
            course_confirmed_on: None,
            today: date(2025, 9, 11),
            ..on_time()
        };
        let (_, warnings) = check_deadlines(&f);
        assert_eq!(
            warnings,
            vec![DeadlineWarning {
                code: "confirm_late",
                rule: "R-CONFIRM-6M",
                date: date(2025, 9, 10)
            }]
        );
    }

    #[test]
    fn a_confirmation_in_time_stays_in_time_however_late_today_is_r_confirm_6m() {
        let f = DeadlineFacts {
            today: date(2027, 1, 1),
            ..on_time()
        };
        assert_eq!(codes(&f), Vec::<&str>::new());
    }

    #[test]
    fn a_follow_up_ending_exactly_at_twenty_months_is_within_the_window_r_window_20m() {
        let f = DeadlineFacts {
            follow_up_end: date(2026, 11, 10),
            ..on_time()
        };
        assert_eq!(codes(&f), Vec::<&str>::new());
    }

    #[test]
    fn a_follow_up_ending_one_day_after_twenty_months_exceeds_the_window_r_window_20m() {
        let f = DeadlineFacts {
            follow_up_end: date(2026, 11, 11),
            ..on_time()
        };
        let (_, warnings) = check_deadlines(&f);
        assert_eq!(
            warnings,
            vec![DeadlineWarning {
                code: "window_exceeded",
                rule: "R-WINDOW-20M",
                date: date(2026, 11, 10)
            }]
        );
    }

    #[test]
    fn a_follow_up_ending_exactly_at_eight_months_is_long_enough_r_total_8_20m() {
        let f = DeadlineFacts {
            follow_up_end: date(2025, 11, 10),
            ..on_time()
        };
        assert_eq!(codes(&f), Vec::<&str>::new());
    }

    #[test]
    fn a_follow_up_ending_one_day_before_eight_months_is_too_short_r_total_8_20m() {
        let f = DeadlineFacts {
            follow_up_end: date(2025, 11, 9),
            ..on_time()
        };
        let (_, warnings) = check_deadlines(&f);
        assert_eq!(
            warnings,
            vec![DeadlineWarning {
                code: "total_too_short",
                rule: "R-TOTAL-8-20M",
                date: date(2025, 11, 10)
            }]
        );
    }

    #[test]
    fn every_broken_rule_is_reported_at_once() {
        let f = DeadlineFacts {
            enrolled_on: date(2025, 4, 1),
            course_confirmed_on: Some(date(2025, 10, 1)),
            follow_up_end: date(2027, 1, 1),
            ..on_time()
        };
        assert_eq!(
            codes(&f),
            vec!["agree_late", "confirm_late", "window_exceeded"]
        );
    }

    #[test]
    fn months_from_the_last_of_january_clamp_to_the_month_end() {
        let d = Deadlines::from_decision(date(2025, 1, 31));
        assert_eq!(d.agree_by, date(2025, 2, 14));
        assert_eq!(d.confirm_by, date(2025, 7, 31));
        assert_eq!(d.earliest_end, date(2025, 9, 30));
        assert_eq!(d.complete_by, date(2026, 9, 30));
    }

    #[test]
    fn six_months_from_the_end_of_august_is_the_end_of_february_r_confirm_6m() {
        assert_eq!(
            Deadlines::from_decision(date(2025, 8, 31)).confirm_by,
            date(2026, 2, 28)
        );
        assert_eq!(
            Deadlines::from_decision(date(2027, 8, 31)).confirm_by,
            date(2028, 2, 29)
        );
    }

    #[test]
    fn a_decision_at_the_end_of_the_calendar_does_not_panic() {
        let d = Deadlines::from_decision(NaiveDate::MAX);
        assert_eq!(d.complete_by, NaiveDate::MAX);
    }

    #[test]
    fn deadlines_and_warnings_serialise_as_iso_dates() {
        let (d, _) = check_deadlines(&on_time());
        let json = serde_json::to_value(d).expect("serialises");
        assert_eq!(json["agree_by"], "2025-03-24");
        let w = DeadlineWarning {
            code: "agree_late",
            rule: "R-AGREE-2W",
            date: date(2025, 3, 24),
        };
        assert_eq!(
            serde_json::to_value(w).expect("serialises"),
            serde_json::json!({"code": "agree_late", "rule": "R-AGREE-2W", "date": "2025-03-24"})
        );
    }

    #[test]
    fn a_decision_today_before_the_course_is_valid() {
        assert_eq!(
            validate_decision_date(date(2025, 3, 10), date(2025, 3, 10), date(2025, 5, 5)),
            Ok(())
        );
    }

    #[test]
    fn a_decision_on_the_course_start_day_is_valid() {
        assert_eq!(
            validate_decision_date(date(2025, 5, 5), date(2025, 6, 1), date(2025, 5, 5)),
            Ok(())
        );
    }

    #[test]
    fn a_decision_tomorrow_is_refused() {
        assert_eq!(
            validate_decision_date(date(2025, 3, 11), date(2025, 3, 10), date(2025, 5, 5)),
            Err(DecisionDateError::InFuture {
                decision: date(2025, 3, 11),
                today: date(2025, 3, 10)
            })
        );
    }

    #[test]
    fn a_decision_the_day_after_the_course_started_is_refused() {
        assert_eq!(
            validate_decision_date(date(2025, 5, 6), date(2025, 6, 1), date(2025, 5, 5)),
            Err(DecisionDateError::AfterCourseStart {
                decision: date(2025, 5, 6),
                onsite1_start: date(2025, 5, 5)
            })
        );
    }
}
