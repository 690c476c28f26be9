//! Request bodies as sent, the checked values they parse into, and the views sent back.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::selfrehab::plan::{DaySet, MAX_WEEKS, Rhythm};

pub const TITLE_MAX: usize = 200;
pub const DETAILS_MAX: usize = 2000;
pub const NOTE_MAX: usize = 2000;
pub const FEEDBACK_MAX: usize = 5000;
pub const MINUTES_MAX: i64 = 1440;

/// A present field, even when `null`: `Some(None)` clears it, a missing field is `None`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A new task. Exactly one of `days` and `times_per_week`. With `source_item_id` (a task
/// suggestion of the course's program) the fields left out are taken from the suggestion.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTask {
    /// What to do, concretely (≤ 200 characters).
    pub title: Option<String>,
    /// How, where, with what (≤ 2000 characters).
    pub details: Option<String>,
    /// Fixed days: `mon`…`sun`.
    pub days: Option<Vec<String>>,
    /// Or any days, this many times a week (1–7).
    pub times_per_week: Option<i64>,
    /// How long one time takes (1–1440).
    pub minutes: Option<i64>,
    /// The first day (default today); within the course's dates.
    pub start_date: Option<NaiveDate>,
    /// For how many weeks (1–52).
    pub weeks: Option<i64>,
    /// A `task` item of the course's program this task was made from.
    pub source_item_id: Option<String>,
    /// One of the participant's goals on this course that the task serves.
    pub goal_id: Option<Uuid>,
}

/// Changes to a task; fields left out stay as they are. Giving `days` switches to fixed days,
/// giving `times_per_week` to a number of times a week. `minutes: null` clears the duration,
/// `goal_id: null` the link to a goal. Changing only the goal keeps both acceptances.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskChange {
    pub title: Option<String>,
    pub details: Option<String>,
    pub days: Option<Vec<String>>,
    pub times_per_week: Option<i64>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub minutes: Option<Option<i64>>,
    pub start_date: Option<NaiveDate>,
    pub weeks: Option<i64>,
    /// One of the participant's goals on this course, or null for none.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub goal_id: Option<Option<Uuid>>,
}

/// One day's log.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogInput {
    pub done: bool,
    /// ≤ 2000 characters.
    pub note: Option<String>,
    /// How did it go, 1–5.
    pub rating: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackInput {
    /// 1–5000 characters.
    pub body: String,
}

/// `?version=n`: accept only if the task is still at version n (what the accepter saw).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AcceptQuery {
    pub version: Option<i32>,
}

pub fn parse_title(raw: &str) -> AppResult<String> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(AppError::field("title", "required", "say what the task is"));
    }
    if t.chars().count() > TITLE_MAX {
        return Err(AppError::field(
            "title",
            "too_long",
            format!("at most {TITLE_MAX} characters"),
        ));
    }
    Ok(t.to_owned())
}

pub fn parse_details(raw: &str) -> AppResult<String> {
    let t = raw.trim();
    if t.chars().count() > DETAILS_MAX {
        return Err(AppError::field(
            "details",
            "too_long",
            format!("at most {DETAILS_MAX} characters"),
        ));
    }
    Ok(t.to_owned())
}

/// Exactly one of the two ways to say when.
pub fn parse_rhythm(days: Option<&[String]>, times: Option<i64>) -> AppResult<Option<Rhythm>> {
    match (days, times) {
        (Some(_), Some(_)) => Err(AppError::field(
            "days",
            "conflict",
            "give either days or times_per_week, not both",
        )),
        (Some(days), None) => DaySet::parse(days)
            .map(|d| Some(Rhythm::Days(d)))
            .map_err(|m| AppError::field("days", "invalid", m)),
        (None, Some(t)) => match u8::try_from(t) {
            Ok(t @ 1..=7) => Ok(Some(Rhythm::TimesPerWeek(t))),
            _ => Err(AppError::field(
                "times_per_week",
                "out_of_range",
                "from 1 to 7 times a week",
            )),
        },
        (None, None) => Ok(None),
    }
}

pub fn parse_weeks(w: i64) -> AppResult<u8> {
    match u8::try_from(w) {
        Ok(w) if (1..=MAX_WEEKS).contains(&w) => Ok(w),
        _ => Err(AppError::field(
            "weeks",
            "out_of_range",
            format!("from 1 to {MAX_WEEKS} weeks"),
        )),
    }
}

pub fn parse_minutes(m: i64) -> AppResult<u16> {
    if (1..=MINUTES_MAX).contains(&m) {
        u16::try_from(m).map_err(|_| AppError::field("minutes", "out_of_range", "1–1440"))
    } else {
        Err(AppError::field(
            "minutes",
            "out_of_range",
            format!("from 1 to {MINUTES_MAX} minutes"),
        ))
    }
}

pub fn parse_note(raw: Option<&str>) -> AppResult<Option<String>> {
    let Some(t) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if t.chars().count() > NOTE_MAX {
        return Err(AppError::field(
            "note",
            "too_long",
            format!("at most {NOTE_MAX} characters"),
        ));
    }
    Ok(Some(t.to_owned()))
}

pub fn parse_rating(r: Option<i64>) -> AppResult<Option<u8>> {
    match r {
        None => Ok(None),
        Some(r @ 1..=5) => Ok(u8::try_from(r).ok()),
        Some(_) => Err(AppError::field("rating", "out_of_range", "from 1 to 5")),
    }
}

pub fn parse_feedback(raw: &str) -> AppResult<String> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(AppError::field("body", "required", "write the feedback"));
    }
    if t.chars().count() > FEEDBACK_MAX {
        return Err(AppError::field(
            "body",
            "too_long",
            format!("at most {FEEDBACK_MAX} characters"),
        ));
    }
    Ok(t.to_owned())
}

/// A log's day from the path, `YYYY-MM-DD`.
pub fn parse_log_date(raw: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| AppError::field("date", "invalid", "a date as YYYY-MM-DD"))
}

/// Who made or changed a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Participant,
    Guide,
}

impl Party {
    pub fn as_str(self) -> &'static str {
        match self {
            Party::Participant => "participant",
            Party::Guide => "guide",
        }
    }
    pub fn parse(s: &str) -> Party {
        if s == "guide" {
            Party::Guide
        } else {
            Party::Participant
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Active,
    /// Kept with its logs; no longer planned after `ended_on`.
    Ended,
}

impl TaskStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Active => "active",
            TaskStatus::Ended => "ended",
        }
    }
    pub fn parse(s: &str) -> TaskStatus {
        if s == "ended" {
            TaskStatus::Ended
        } else {
            TaskStatus::Active
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonName {
    pub display_name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeedbackView {
    pub id: Uuid,
    pub author: PersonName,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LogView {
    pub id: Uuid,
    pub date: NaiveDate,
    pub done: bool,
    pub note: Option<String>,
    pub rating: Option<u8>,
    /// Guides' feedback, oldest first.
    pub feedback: Vec<FeedbackView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WeekAdherence {
    /// The Monday.
    pub start: NaiveDate,
    pub done: u32,
    pub planned: u32,
    /// done / planned, at most 1; null while nothing was planned.
    pub ratio: Option<f64>,
}

/// Done logs against planned occurrences up to today.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdherenceView {
    pub done: u32,
    pub planned: u32,
    pub ratio: Option<f64>,
    pub weeks: Vec<WeekAdherence>,
}

/// The goal a task serves.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GoalRef {
    pub id: Uuid,
    pub title: String,
}

/// A self-rehabilitation task with its logs and adherence.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskView {
    pub id: Uuid,
    pub title: String,
    pub details: String,
    /// Fixed days (`mon`…`sun`), or null with `times_per_week`.
    pub days: Option<Vec<String>>,
    pub times_per_week: Option<u8>,
    pub minutes: Option<u16>,
    pub start_date: NaiveDate,
    pub weeks: u8,
    /// The last planned day.
    pub end_date: NaiveDate,
    pub source_item_id: Option<String>,
    /// The participant's goal this task serves, if any.
    pub goal: Option<GoalRef>,
    pub status: TaskStatus,
    /// The day it was ended, when it was.
    pub ended_on: Option<NaiveDate>,
    pub participant_accepted_at: Option<DateTime<Utc>>,
    pub guide_accepted_at: Option<DateTime<Utc>>,
    pub guide_accepted_by: Option<PersonName>,
    /// Both the participant and a guide have accepted this version.
    pub agreed: bool,
    pub created_by: Party,
    pub version: i32,
    pub due_today: bool,
    pub today_log: Option<LogView>,
    pub adherence: AdherenceView,
    /// Every log, newest first.
    pub logs: Vec<LogView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyTasks {
    pub today: NaiveDate,
    pub tasks: Vec<TaskView>,
}

/// A task due today.
#[derive(Debug, Serialize, ToSchema)]
pub struct TodayTask {
    pub id: Uuid,
    pub title: String,
    pub minutes: Option<u16>,
    pub today_log: Option<LogView>,
}

/// A task as it was before one change.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TaskSnapshot {
    pub title: String,
    pub details: String,
    pub days: Option<Vec<String>>,
    pub times_per_week: Option<u8>,
    pub minutes: Option<u16>,
    pub start_date: NaiveDate,
    pub weeks: u8,
    /// The goal the task served (its id; the goal may since have been deleted). Missing in
    /// entries written before tasks could be linked to goals.
    #[serde(default)]
    pub goal_id: Option<Uuid>,
    pub status: TaskStatus,
    pub ended_on: Option<NaiveDate>,
    pub participant_accepted_at: Option<DateTime<Utc>>,
    pub guide_accepted_at: Option<DateTime<Utc>>,
}

/// What kind of change a history entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// What, when, for how long, or the goal it serves changed.
    Changed,
    Accepted,
    Ended,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Changed => "changed",
            Change::Accepted => "accepted",
            Change::Ended => "ended",
        }
    }
    pub fn parse(s: &str) -> Change {
        match s {
            "accepted" => Change::Accepted,
            "ended" => Change::Ended,
            _ => Change::Changed,
        }
    }
}

/// One earlier version: what the task was, and who changed it into the next version, when.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    /// The version this entry shows.
    pub version: i32,
    pub change: Change,
    pub changed_by: Option<PersonName>,
    pub changed_at: DateTime<Utc>,
    pub previous: TaskSnapshot,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn when_is_exactly_one_of_days_and_times() {
        let days = vec!["mon".to_owned()];
        assert!(parse_rhythm(Some(&days), Some(2)).is_err());
        assert!(parse_rhythm(Some(&days), None).is_ok_and(|r| r.is_some()));
        assert!(parse_rhythm(None, Some(0)).is_err());
        assert!(parse_rhythm(None, Some(8)).is_err());
        assert!(parse_rhythm(None, None).is_ok_and(|r| r.is_none()));
        let odd = vec!["moon".to_owned()];
        assert!(parse_rhythm(Some(&odd), None).is_err());
    }

    #[test]
    fn ranges_are_checked() {
        assert!(parse_weeks(0).is_err());
        assert!(parse_weeks(-3).is_err());
        assert!(parse_weeks(53).is_err());
        assert_eq!(parse_weeks(52).ok(), Some(52));
        assert!(parse_minutes(0).is_err());
        assert!(parse_minutes(1441).is_err());
        assert!(parse_rating(Some(6)).is_err());
        assert_eq!(parse_rating(Some(5)).ok(), Some(Some(5)));
        assert!(parse_title("   ").is_err());
        assert!(parse_title(&"ä".repeat(201)).is_err());
        assert!(parse_title(&"ä".repeat(200)).is_ok());
        assert_eq!(parse_note(Some("  ")).ok(), Some(None));
        assert!(parse_log_date("2026-02-30").is_err());
    }
}
