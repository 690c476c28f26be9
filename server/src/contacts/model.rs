//! Contacts' plain types: kinds, methods, statuses, requests parsed once, and views.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{AppError, FieldError};
use crate::guidance::model::{GuidanceKind, GuidanceMinutes, Person};

/// Which contact of the course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    /// Before the course (ennakkoyhteydenotto).
    PreContact,
    /// During the remote period; 3 expected (R-INTERIM-3).
    Interim,
    /// After on-site period 2; at least one (R-FOLLOWUP).
    FollowUp,
}

impl ContactKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactKind::PreContact => "pre_contact",
            ContactKind::Interim => "interim",
            ContactKind::FollowUp => "follow_up",
        }
    }

    pub fn parse(s: &str) -> Option<ContactKind> {
        Some(match s {
            "pre_contact" => ContactKind::PreContact,
            "interim" => ContactKind::Interim,
            "follow_up" => ContactKind::FollowUp,
            _ => return None,
        })
    }

    /// Interim and follow-up contacts are individual guidance and credit the ledger; the
    /// pre-contact happens before the course and prepares it.
    pub fn credits_guidance(self) -> bool {
        matches!(self, ContactKind::Interim | ContactKind::FollowUp)
    }
}

/// How the contact is held; both are first-class (Kela allows calls).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Video,
    Phone,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Video => "video",
            Method::Phone => "phone",
        }
    }

    pub fn parse(s: &str) -> Option<Method> {
        match s {
            "video" => Some(Method::Video),
            "phone" => Some(Method::Phone),
            _ => None,
        }
    }

    /// The ledger kind a done contact of this method is credited as.
    pub fn guidance_kind(self) -> GuidanceKind {
        match self {
            Method::Video => GuidanceKind::VideoCall,
            Method::Phone => GuidanceKind::PhoneCall,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Planned,
    /// The participant confirmed the time.
    Confirmed,
    /// The participant asked for another time (with a message).
    RescheduleRequested,
    Done,
    Cancelled,
    NoShow,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::Confirmed => "confirmed",
            Status::RescheduleRequested => "reschedule_requested",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
            Status::NoShow => "no_show",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "planned" => Status::Planned,
            "confirmed" => Status::Confirmed,
            "reschedule_requested" => Status::RescheduleRequested,
            "done" => Status::Done,
            "cancelled" => Status::Cancelled,
            "no_show" => Status::NoShow,
            _ => return None,
        })
    }

    /// Still to happen: can be confirmed, moved, held or called off.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Planned | Status::Confirmed | Status::RescheduleRequested
        )
    }

    pub const OPEN: [Status; 3] = [
        Status::Planned,
        Status::Confirmed,
        Status::RescheduleRequested,
    ];
}

/// Default planned length of a contact.
pub const DEFAULT_MINUTES: i64 = 30;
/// Longest text a participant or a professional writes on a contact.
pub const TEXT_MAX: usize = 2000;

fn planned_minutes(n: i64, errors: &mut Vec<FieldError>) -> i32 {
    match i32::try_from(n) {
        Ok(m) if (5..=180).contains(&m) => m,
        _ => {
            errors.push(FieldError::new(
                "planned_minutes",
                "out_of_range",
                "a contact is planned for 5 to 180 minutes",
            ));
            0
        }
    }
}

fn text(field: &str, raw: &str, required: bool, errors: &mut Vec<FieldError>) -> String {
    let t = raw.trim();
    if required && t.is_empty() {
        errors.push(FieldError::new(field, "required", "write a few words"));
    }
    if t.chars().count() > TEXT_MAX {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("at most {TEXT_MAX} characters"),
        ));
    }
    t.to_owned()
}

fn done_or_fail(errors: Vec<FieldError>) -> Result<(), AppError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Booking a contact.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewContact {
    pub kind: ContactKind,
    pub method: Method,
    pub planned_at: DateTime<Utc>,
    /// 5–180, default 30.
    #[serde(default)]
    pub planned_minutes: Option<i64>,
    /// The team member who holds the contact; the signed-in guide when left out.
    #[serde(default)]
    pub professional_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactInput {
    pub kind: ContactKind,
    pub method: Method,
    pub planned_at: DateTime<Utc>,
    pub planned_minutes: i32,
    pub professional: Option<Uuid>,
}

impl NewContact {
    pub fn parse(self) -> Result<ContactInput, AppError> {
        let mut errors = Vec::new();
        let minutes = planned_minutes(self.planned_minutes.unwrap_or(DEFAULT_MINUTES), &mut errors);
        done_or_fail(errors)?;
        Ok(ContactInput {
            kind: self.kind,
            method: self.method,
            planned_at: self.planned_at,
            planned_minutes: minutes,
            professional: self.professional_id,
        })
    }
}

/// Moving a contact or changing how or with whom it is held; a new time or method makes it
/// `planned` again, for the participant to confirm.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactChange {
    #[serde(default)]
    pub planned_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub method: Option<Method>,
    #[serde(default)]
    pub planned_minutes: Option<i64>,
    #[serde(default)]
    pub professional_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeInput {
    pub planned_at: Option<DateTime<Utc>>,
    pub method: Option<Method>,
    pub planned_minutes: Option<i32>,
    pub professional: Option<Uuid>,
}

impl ContactChange {
    pub fn parse(self) -> Result<ChangeInput, AppError> {
        let mut errors = Vec::new();
        let minutes = self
            .planned_minutes
            .map(|m| planned_minutes(m, &mut errors));
        done_or_fail(errors)?;
        Ok(ChangeInput {
            planned_at: self.planned_at,
            method: self.method,
            planned_minutes: minutes,
            professional: self.professional_id,
        })
    }
}

/// Recording a held contact.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactDone {
    /// How long it took, 1–600 minutes; credited to the ledger for interim and follow-up contacts.
    pub minutes: i64,
    #[serde(default)]
    pub note: String,
    /// When it started, if not at the planned time; not in the future.
    #[serde(default)]
    pub started_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoneInput {
    pub minutes: GuidanceMinutes,
    pub note: String,
    pub started_at: Option<DateTime<Utc>>,
}

impl ContactDone {
    pub fn parse(self, now: DateTime<Utc>) -> Result<DoneInput, AppError> {
        let mut errors = Vec::new();
        let minutes = GuidanceMinutes::parse(self.minutes)
            .map_err(|m| errors.push(FieldError::new("minutes", "out_of_range", m)))
            .ok();
        let note = text("note", &self.note, false, &mut errors);
        if self.started_at.is_some_and(|at| at > now) {
            errors.push(FieldError::new(
                "started_at",
                "in_future",
                "a contact is marked done after it was held",
            ));
        }
        done_or_fail(errors)?;
        match minutes {
            Some(minutes) => Ok(DoneInput {
                minutes,
                note,
                started_at: self.started_at,
            }),
            None => Err(AppError::field("minutes", "out_of_range", "1–600")),
        }
    }
}

/// Closing a contact that was not held (cancelled or no-show).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactClose {
    #[serde(default)]
    pub note: String,
}

impl ContactClose {
    pub fn parse(self) -> Result<String, AppError> {
        let mut errors = Vec::new();
        let note = text("note", &self.note, false, &mut errors);
        done_or_fail(errors)?;
        Ok(note)
    }
}

/// The participant asks for another time.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleRequest {
    /// E.g. "Sopisiko torstai-iltapäivä?"
    pub message: String,
}

impl RescheduleRequest {
    pub fn parse(self) -> Result<String, AppError> {
        let mut errors = Vec::new();
        let message = text("message", &self.message, true, &mut errors);
        done_or_fail(errors)?;
        Ok(message)
    }
}

/// How the participant joins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JoinBy {
    /// Open `video_url` at the time.
    VideoLink,
    /// A video call whose link the guide gives (no video service is configured).
    LinkFromGuide,
    /// The guide calls the participant.
    GuideCalls,
}

/// A contact as the course's staff see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactView {
    pub id: Uuid,
    pub participant: Person,
    pub kind: ContactKind,
    pub method: Method,
    pub professional: Person,
    pub planned_at: DateTime<Utc>,
    pub planned_minutes: i32,
    pub status: Status,
    pub participant_message: Option<String>,
    pub done_minutes: Option<i32>,
    pub note: Option<String>,
    pub video_url: Option<String>,
    pub join_by: JoinBy,
    /// The ledger entry a done interim or follow-up contact credited.
    pub guidance_entry_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A contact as the participant sees it: no notes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyContact {
    pub id: Uuid,
    pub kind: ContactKind,
    pub method: Method,
    pub professional: Person,
    pub planned_at: DateTime<Utc>,
    pub planned_minutes: i32,
    pub status: Status,
    pub participant_message: Option<String>,
    pub video_url: Option<String>,
    pub join_by: JoinBy,
    /// The calendar invitation (text/calendar).
    pub invitation_url: String,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_done_contact_needs_one_to_six_hundred_minutes_and_no_future_start() {
        let now: DateTime<Utc> = "2026-03-02T08:00:00Z".parse().unwrap();
        let done = |v| serde_json::from_value::<ContactDone>(v).unwrap().parse(now);
        assert!(done(json!({"minutes": 0})).is_err());
        assert!(done(json!({"minutes": -3})).is_err());
        assert!(done(json!({"minutes": 30, "started_at": "2026-03-02T09:00:00Z"})).is_err());
        assert_eq!(done(json!({"minutes": 30})).unwrap().minutes.get(), 30);
    }

    #[test]
    fn only_interim_and_follow_up_contacts_credit_guidance() {
        assert!(!ContactKind::PreContact.credits_guidance());
        assert!(ContactKind::Interim.credits_guidance());
        assert!(ContactKind::FollowUp.credits_guidance());
    }

    #[test]
    fn a_reschedule_request_needs_a_message() {
        let r = RescheduleRequest {
            message: "  ".into(),
        };
        assert!(r.parse().is_err());
    }

    #[test]
    fn statuses_round_trip_and_three_are_open() {
        for s in [
            Status::Planned,
            Status::Confirmed,
            Status::RescheduleRequested,
            Status::Done,
            Status::Cancelled,
            Status::NoShow,
        ] {
            assert_eq!(Status::parse(s.as_str()), Some(s));
            assert_eq!(s.is_open(), Status::OPEN.contains(&s));
        }
    }
}
