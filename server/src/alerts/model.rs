//! The alerts' plain types: the kinds, an acknowledgement note parsed once, and the views.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::FieldError;
use crate::guidance::model::Person;

/// What an alert is about. Each kind is one fact about one participant of one course; the rule
/// that makes it hold is in `alerts::rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// No activity for the configured number of days during the remote period.
    Inactive,
    /// Fewer modules done than the program pace expects (`progress::pace`, R-CONTENT-FULL).
    ProgramBehind,
    /// Fewer guidance minutes than were due by the end of the previous remote week
    /// (R-GUIDANCE-4H).
    GuidanceBehind,
    /// A contact (an interim one above all, R-INTERIM-3) whose planned time has ended without it
    /// being marked held, cancelled or missed: the monitoring view's "overdue".
    ContactOverdue,
    /// Fewer interim contacts planned or held than due by the end of remote week 4, 8 or 11
    /// (R-INTERIM-3).
    InterimUnplanned,
    /// On-site period 2 has ended and no follow-up contact is planned or held (R-FOLLOWUP).
    FollowUpUnplanned,
    /// The participant wrote in their private thread with the team and nobody of the team has
    /// written there since, for 48 hours.
    MessageUnanswered,
}

impl AlertKind {
    pub const ALL: [AlertKind; 7] = [
        AlertKind::Inactive,
        AlertKind::ProgramBehind,
        AlertKind::GuidanceBehind,
        AlertKind::ContactOverdue,
        AlertKind::InterimUnplanned,
        AlertKind::FollowUpUnplanned,
        AlertKind::MessageUnanswered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::Inactive => "inactive",
            AlertKind::ProgramBehind => "program_behind",
            AlertKind::GuidanceBehind => "guidance_behind",
            AlertKind::ContactOverdue => "contact_overdue",
            AlertKind::InterimUnplanned => "interim_unplanned",
            AlertKind::FollowUpUnplanned => "follow_up_unplanned",
            AlertKind::MessageUnanswered => "message_unanswered",
        }
    }

    pub fn parse(s: &str) -> Option<AlertKind> {
        AlertKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The longest acknowledgement note, in characters: a sentence or two of what was done.
pub const NOTE_MAX: usize = 1000;

/// What the guide did or decided about an alert: 1–1000 characters of text, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AckNote(String);

impl AckNote {
    pub fn parse(raw: &str) -> Result<AckNote, FieldError> {
        let t = raw.trim();
        if t.is_empty() {
            return Err(FieldError::new(
                "note",
                "required",
                "write what was done or decided about the alert",
            ));
        }
        if t.chars().count() > NOTE_MAX {
            return Err(FieldError::new(
                "note",
                "too_long",
                format!("at most {NOTE_MAX} characters"),
            ));
        }
        if crate::text::has_control_chars(t) {
            return Err(FieldError::new(
                "note",
                "invalid",
                "the note contains control characters",
            ));
        }
        Ok(AckNote(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Acknowledging an alert.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Acknowledge {
    /// 1–1000 characters: what was done or decided.
    pub note: String,
}

/// Who acknowledged an alert, when, and their note.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Acknowledgement {
    pub at: DateTime<Utc>,
    pub by: Person,
    pub note: String,
}

/// One alert as the course's staff see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlertView {
    pub id: Uuid,
    pub kind: AlertKind,
    pub participant: Person,
    pub opened_at: DateTime<Utc>,
    /// Set once the fact no longer holds.
    pub closed_at: Option<DateTime<Utc>>,
    pub acknowledged: Option<Acknowledgement>,
}

/// A course's alerts: the open ones and those closed in the last 14 days, open first, newest
/// first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CourseAlerts {
    /// The days without activity that make a participant inactive (the server's setting), for
    /// the words of `inactive` alerts.
    pub inactive_days: u32,
    pub alerts: Vec<AlertView>,
}

/// An open alert, for the monitoring view: [`crate::alerts::service::open_alerts`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct OpenAlert {
    pub id: Uuid,
    pub course_id: i32,
    /// The participant's user id.
    pub participant_id: i32,
    pub kind: AlertKind,
    pub opened_at: DateTime<Utc>,
    pub acknowledged: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in AlertKind::ALL {
            assert_eq!(AlertKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(AlertKind::parse("late"), None);
    }

    #[test]
    fn a_note_is_trimmed_and_must_have_text_that_fits() {
        assert_eq!(
            AckNote::parse("  Soitin, kaikki hyvin.\n ").map(|n| n.0),
            Ok("Soitin, kaikki hyvin.".to_owned())
        );
        assert_eq!(
            AckNote::parse(" \n ").map_err(|e| e.code),
            Err("required".into())
        );
        assert!(AckNote::parse(&"ä".repeat(NOTE_MAX)).is_ok());
        assert_eq!(
            AckNote::parse(&"ä".repeat(NOTE_MAX + 1)).map_err(|e| e.code),
            Err("too_long".into())
        );
        assert_eq!(
            AckNote::parse("soitin\u{0}").map_err(|e| e.code),
            Err("invalid".into())
        );
        assert!(AckNote::parse("rivi 1\nrivi 2\tja sarake").is_ok());
    }
}
