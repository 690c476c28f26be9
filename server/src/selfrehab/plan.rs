//! The arithmetic of a task's plan, kept pure so it can be tested at its boundaries: which days a
//! task runs, how many times it was planned up to a day, how many were done (adherence), and
//! whether it is due today. Weeks run Monday–Sunday (UX.md A16).

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::courses::schedule::monday_of;

/// Longest plan, in weeks.
pub const MAX_WEEKS: u8 = 52;

/// A set of weekdays, Monday first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DaySet(u8);

const CODES: [(&str, Weekday); 7] = [
    ("mon", Weekday::Mon),
    ("tue", Weekday::Tue),
    ("wed", Weekday::Wed),
    ("thu", Weekday::Thu),
    ("fri", Weekday::Fri),
    ("sat", Weekday::Sat),
    ("sun", Weekday::Sun),
];

impl DaySet {
    /// Parses `["mon", "wed"]`; an unknown or repeated day is named in the error.
    pub fn parse<S: AsRef<str>>(codes: &[S]) -> Result<DaySet, String> {
        if codes.is_empty() {
            return Err("choose at least one day of the week".to_owned());
        }
        let mut set = DaySet(0);
        for code in codes {
            let code = code.as_ref();
            let Some((_, day)) = CODES.iter().find(|(c, _)| c.eq_ignore_ascii_case(code)) else {
                return Err(format!(
                    "`{code}` is not a day of the week; use mon, tue, wed, thu, fri, sat or sun"
                ));
            };
            if set.contains(*day) {
                return Err(format!("`{code}` is given twice"));
            }
            set.0 |= 1 << day.num_days_from_monday();
        }
        Ok(set)
    }

    pub fn of(days: &[Weekday]) -> DaySet {
        DaySet(
            days.iter()
                .fold(0, |bits, d| bits | 1 << d.num_days_from_monday()),
        )
    }

    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }

    pub fn len(self) -> u32 {
        self.0.count_ones()
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// `mon`…`sun`, Monday first.
    pub fn codes(self) -> Vec<&'static str> {
        CODES
            .iter()
            .filter(|(_, d)| self.contains(*d))
            .map(|(c, _)| *c)
            .collect()
    }

    /// As stored: `mon,wed,fri`.
    pub fn to_stored(self) -> String {
        self.codes().join(",")
    }

    /// Reads the stored form; unknown parts are skipped (they cannot be written).
    pub fn from_stored(s: &str) -> DaySet {
        let codes: Vec<&str> = s.split(',').filter(|c| !c.is_empty()).collect();
        DaySet::parse(&codes).unwrap_or_default()
    }
}

/// When a task is done: on fixed weekdays, or a number of times in each week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rhythm {
    Days(DaySet),
    TimesPerWeek(u8),
}

/// The dates a task runs and how often.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub rhythm: Rhythm,
    pub start: NaiveDate,
    /// The last day, inclusive: the planned end, or the day the task was ended if earlier.
    pub end: NaiveDate,
}

/// The last day of a task of `weeks` weeks from `start` (inclusive).
pub fn end_date(start: NaiveDate, weeks: u8) -> NaiveDate {
    start
        .checked_add_days(Days::new(7 * u64::from(weeks)))
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// Done and planned in one Monday–Sunday week, counted up to today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekCount {
    /// The Monday.
    pub start: NaiveDate,
    pub done: u32,
    pub planned: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adherence {
    pub done: u32,
    pub planned: u32,
    pub weeks: Vec<WeekCount>,
}

/// done / planned, at most 1.0 (the counts show when more was done); `None` before anything
/// was planned.
pub fn ratio(done: u32, planned: u32) -> Option<f64> {
    (planned > 0).then(|| (f64::from(done) / f64::from(planned)).min(1.0))
}

/// Planned occurrences in the days `from..=to` of one week: the chosen weekdays among them, or
/// `times` pro-rated for a partial week, ceil(times × days / 7).
fn planned_in(rhythm: Rhythm, from: NaiveDate, to: NaiveDate) -> u32 {
    let days = u32::try_from((to - from).num_days() + 1).unwrap_or(0);
    match rhythm {
        Rhythm::Days(set) => from
            .iter_days()
            .take(days as usize)
            .filter(|d| set.contains(d.weekday()))
            .count() as u32,
        Rhythm::TimesPerWeek(times) => (u32::from(times) * days).div_ceil(7),
    }
}

/// Done logs against planned occurrences, per week and overall, counting only days within the
/// plan and not after `today` (future days are not yet missed).
pub fn adherence(plan: &Plan, done_dates: &[NaiveDate], today: NaiveDate) -> Adherence {
    let last = plan.end.min(today);
    let mut weeks = Vec::new();
    let mut monday = monday_of(plan.start);
    while monday <= last {
        let sunday = monday + Days::new(6);
        let from = monday.max(plan.start);
        let to = sunday.min(last);
        let planned = planned_in(plan.rhythm, from, to);
        let done = done_dates
            .iter()
            .filter(|d| (from..=to).contains(*d))
            .count() as u32;
        weeks.push(WeekCount {
            start: monday,
            done,
            planned,
        });
        monday = monday + Days::new(7);
    }
    Adherence {
        done: weeks.iter().map(|w| w.done).sum(),
        planned: weeks.iter().map(|w| w.planned).sum(),
        weeks,
    }
}

/// Whether a task asks to be done today: a chosen weekday within its dates, or, for a number of
/// times a week, within its dates while this week's done count is below the number.
pub fn due_today(plan: &Plan, done_dates: &[NaiveDate], today: NaiveDate) -> bool {
    let monday = monday_of(today);
    let done_this_week = done_dates
        .iter()
        .filter(|d| (monday..=today).contains(*d))
        .count();
    due_with_count(plan, done_this_week, today)
}

/// [`due_today`] from the number of times done this week (Monday up to today), for callers that
/// count in the database.
pub fn due_with_count(plan: &Plan, done_this_week: usize, today: NaiveDate) -> bool {
    if today < plan.start || today > plan.end {
        return false;
    }
    match plan.rhythm {
        Rhythm::Days(set) => set.contains(today.weekday()),
        Rhythm::TimesPerWeek(times) => done_this_week < usize::from(times),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    fn days(codes: &[&str]) -> Rhythm {
        Rhythm::Days(DaySet::parse(codes).unwrap_or_default())
    }

    // 2026-03-04 is a Wednesday.
    const WED: &str = "2026-03-04";

    #[test]
    fn day_sets_parse_known_days_and_name_the_wrong_one() {
        let set = DaySet::parse(&["wed", "MON"]).unwrap_or_default();
        assert_eq!(set.codes(), vec!["mon", "wed"]);
        assert_eq!(set.to_stored(), "mon,wed");
        assert_eq!(DaySet::from_stored("mon,wed"), set);
        assert!(DaySet::parse(&["mon", "funday"]).is_err_and(|e| e.contains("funday")));
        assert!(DaySet::parse(&["mon", "mon"]).is_err());
        assert!(DaySet::parse::<&str>(&[]).is_err());
    }

    #[test]
    fn a_task_of_two_weeks_ends_on_the_day_before_the_same_weekday() {
        assert_eq!(end_date(d(WED), 1), d("2026-03-10"));
        assert_eq!(end_date(d(WED), 2), d("2026-03-17"));
    }

    #[test]
    fn fixed_days_count_only_the_chosen_days_from_a_wednesday_start() {
        // Mon/Wed/Fri from Wednesday 4.3. for 2 weeks (to Tue 17.3.), today Sunday 22.3.
        let plan = Plan {
            rhythm: days(&["mon", "wed", "fri"]),
            start: d(WED),
            end: end_date(d(WED), 2),
        };
        let a = adherence(&plan, &[d("2026-03-04"), d("2026-03-09")], d("2026-03-22"));
        // Week of 2.3.: Wed, Fri (Monday 2.3. is before the start) = 2.
        // Week of 9.3.: Mon, Wed, Fri = 3. Week of 16.3.: Mon only (ends Tuesday) = 1.
        let planned: Vec<u32> = a.weeks.iter().map(|w| w.planned).collect();
        assert_eq!(planned, vec![2, 3, 1]);
        assert_eq!(a.weeks[0].start, d("2026-03-02"));
        assert_eq!((a.done, a.planned), (2, 6));
        assert_eq!(ratio(a.done, a.planned), Some(2.0 / 6.0));
    }

    #[test]
    fn times_per_week_is_pro_rated_for_the_first_and_last_partial_weeks() {
        // 3×/week from Wednesday 4.3. for 2 weeks: 5 days in week 1, 7 in week 2, 2 in week 3.
        let plan = Plan {
            rhythm: Rhythm::TimesPerWeek(3),
            start: d(WED),
            end: end_date(d(WED), 2),
        };
        let a = adherence(&plan, &[], d("2026-04-01"));
        let planned: Vec<u32> = a.weeks.iter().map(|w| w.planned).collect();
        // ceil(3·5/7) = 3, 3, ceil(3·2/7) = 1
        assert_eq!(planned, vec![3, 3, 1]);
        assert_eq!(ratio(a.done, a.planned), Some(0.0));
    }

    #[test]
    fn today_mid_week_counts_only_the_days_so_far() {
        let plan = Plan {
            rhythm: Rhythm::TimesPerWeek(3),
            start: d("2026-03-02"),
            end: end_date(d("2026-03-02"), 4),
        };
        // Wednesday of the second week: week 1 whole (3), week 2 Mon–Wed: ceil(9/7) = 2.
        let a = adherence(&plan, &[d("2026-03-03")], d("2026-03-11"));
        let planned: Vec<u32> = a.weeks.iter().map(|w| w.planned).collect();
        assert_eq!(planned, vec![3, 2]);
        let fixed = Plan {
            rhythm: days(&["tue", "thu"]),
            ..plan
        };
        // Tuesday 10.3. has passed, Thursday 12.3. has not.
        let a = adherence(&fixed, &[], d("2026-03-11"));
        let planned: Vec<u32> = a.weeks.iter().map(|w| w.planned).collect();
        assert_eq!(planned, vec![2, 1]);
    }

    #[test]
    fn nothing_is_planned_before_the_start() {
        let plan = Plan {
            rhythm: days(&["mon"]),
            start: d("2026-03-09"),
            end: end_date(d("2026-03-09"), 1),
        };
        let a = adherence(&plan, &[], d("2026-03-04"));
        assert_eq!((a.done, a.planned), (0, 0));
        assert!(a.weeks.is_empty());
        assert_eq!(ratio(a.done, a.planned), None);
        // The start day itself counts once it is today.
        let a = adherence(&plan, &[], d("2026-03-09"));
        assert_eq!(a.planned, 1);
    }

    #[test]
    fn more_done_than_planned_caps_the_ratio_but_keeps_the_counts() {
        let plan = Plan {
            rhythm: Rhythm::TimesPerWeek(1),
            start: d("2026-03-02"),
            end: end_date(d("2026-03-02"), 1),
        };
        let done = [d("2026-03-02"), d("2026-03-03"), d("2026-03-04")];
        let a = adherence(&plan, &done, d("2026-03-08"));
        assert_eq!((a.done, a.planned), (3, 1));
        assert_eq!(ratio(a.done, a.planned), Some(1.0));
    }

    #[test]
    fn the_last_week_stops_at_the_end_and_later_logs_do_not_count() {
        let plan = Plan {
            rhythm: days(&["mon", "sun"]),
            start: d("2026-03-02"),
            end: end_date(d("2026-03-02"), 2),
        };
        let done = [d("2026-03-15"), d("2026-03-16")];
        let a = adherence(&plan, &done, d("2026-06-01"));
        assert_eq!(a.weeks.len(), 2);
        assert_eq!((a.done, a.planned), (1, 4));
    }

    #[test]
    fn an_ended_task_counts_up_to_its_end_day() {
        let plan = Plan {
            rhythm: Rhythm::TimesPerWeek(7),
            start: d("2026-03-02"),
            // Ended on Tuesday of the first week.
            end: d("2026-03-03"),
        };
        let a = adherence(&plan, &[], d("2026-03-20"));
        assert_eq!(a.planned, 2);
        assert!(!due_today(&plan, &[], d("2026-03-04")));
    }

    #[test]
    fn fixed_days_are_due_on_the_chosen_days_within_the_dates() {
        let plan = Plan {
            rhythm: days(&["wed"]),
            start: d(WED),
            end: end_date(d(WED), 1),
        };
        assert!(due_today(&plan, &[], d(WED)));
        assert!(!due_today(&plan, &[], d("2026-03-05")));
        assert!(!due_today(&plan, &[], d("2026-02-25")));
        assert!(!due_today(&plan, &[], d("2026-03-11")));
    }

    #[test]
    fn times_per_week_is_due_until_the_week_has_enough_done() {
        let plan = Plan {
            rhythm: Rhythm::TimesPerWeek(2),
            start: d("2026-03-02"),
            end: end_date(d("2026-03-02"), 2),
        };
        let today = d(WED);
        assert!(due_today(&plan, &[d("2026-03-02")], today));
        assert!(!due_today(
            &plan,
            &[d("2026-03-02"), d("2026-03-03")],
            today
        ));
        // Last week's logs do not count for this week.
        assert!(due_today(&plan, &[d("2026-02-28"), d("2026-03-01")], today));
    }
}
