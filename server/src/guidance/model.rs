//! The ledger's plain types: kinds, a checked duration, requests parsed once, and views.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{AppError, FieldError};
use crate::guidance::pace::Pace;

/// What kind of guidance an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GuidanceKind {
    /// A guidance session in the group chat.
    GroupChat,
    /// A private message thread with the participant.
    PrivateThread,
    VideoCall,
    PhoneCall,
    /// Written feedback on exercise answers or task logs.
    Feedback,
    Other,
}

impl GuidanceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GuidanceKind::GroupChat => "group_chat",
            GuidanceKind::PrivateThread => "private_thread",
            GuidanceKind::VideoCall => "video_call",
            GuidanceKind::PhoneCall => "phone_call",
            GuidanceKind::Feedback => "feedback",
            GuidanceKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<GuidanceKind> {
        Some(match s {
            "group_chat" => GuidanceKind::GroupChat,
            "private_thread" => GuidanceKind::PrivateThread,
            "video_call" => GuidanceKind::VideoCall,
            "phone_call" => GuidanceKind::PhoneCall,
            "feedback" => GuidanceKind::Feedback,
            "other" => GuidanceKind::Other,
            _ => return None,
        })
    }
}

/// Where an entry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Recorded by hand by a guide.
    Manual,
    /// Credited when a contact was marked done.
    Contact,
    /// Credited by a guidance session in a group chat room.
    ChatSession,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Manual => "manual",
            Source::Contact => "contact",
            Source::ChatSession => "chat_session",
        }
    }

    pub fn parse(s: &str) -> Source {
        match s {
            "contact" => Source::Contact,
            "chat_session" => Source::ChatSession,
            _ => Source::Manual,
        }
    }
}

/// Minutes of guidance in one entry: 1 to 600 (ten hours is more than any single session).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuidanceMinutes(i32);

impl GuidanceMinutes {
    pub const MAX: i64 = 600;

    pub fn parse(n: i64) -> Result<GuidanceMinutes, String> {
        match i32::try_from(n) {
            Ok(m) if (1..=Self::MAX).contains(&n) => Ok(GuidanceMinutes(m)),
            _ => Err(format!(
                "the duration is from 1 to {} minutes",
                GuidanceMinutes::MAX
            )),
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// Longest note on an entry.
pub const NOTE_MAX: usize = 4000;
/// Longest reason for a correction or a removal.
pub const REASON_MAX: usize = 1000;

/// Guidance to record. R-GUIDE-ONE: `professional_ids` names exactly one team member (the
/// signed-in guide when left out); a list of two or more is refused, never cut to one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEntry {
    #[serde(default)]
    pub professional_ids: Option<Vec<Uuid>>,
    pub kind: GuidanceKind,
    pub started_at: DateTime<Utc>,
    /// 1–600.
    pub minutes: i64,
    /// The participants it credits: at least one, each enrolled on the course.
    pub participant_ids: Vec<Uuid>,
    #[serde(default)]
    pub note: String,
}

/// A checked entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryInput {
    /// `None`: the signed-in guide.
    pub professional: Option<Uuid>,
    pub kind: GuidanceKind,
    pub started_at: DateTime<Utc>,
    pub minutes: GuidanceMinutes,
    pub participants: Vec<Uuid>,
    pub note: String,
}

fn one_professional(ids: Option<Vec<Uuid>>, errors: &mut Vec<FieldError>) -> Option<Uuid> {
    match ids.as_deref() {
        None => None,
        Some([one]) => Some(*one),
        Some([]) => {
            errors.push(FieldError::new(
                "professional_ids",
                "required",
                "name the professional who gave the guidance",
            ));
            None
        }
        Some(_) => {
            // R-GUIDE-ONE
            errors.push(FieldError::new(
                "professional_ids",
                "one_professional",
                "guidance is given by one professional at a time: record each professional's guidance as its own entry",
            ));
            None
        }
    }
}

fn participants(ids: Vec<Uuid>, errors: &mut Vec<FieldError>) -> Vec<Uuid> {
    if ids.is_empty() {
        errors.push(FieldError::new(
            "participant_ids",
            "required",
            "name at least one participant the guidance was for",
        ));
    }
    let mut out: Vec<Uuid> = Vec::with_capacity(ids.len());
    for id in ids {
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

fn minutes(n: i64, errors: &mut Vec<FieldError>) -> GuidanceMinutes {
    GuidanceMinutes::parse(n).unwrap_or_else(|m| {
        errors.push(FieldError::new("minutes", "out_of_range", m));
        GuidanceMinutes(1)
    })
}

fn started(at: DateTime<Utc>, now: DateTime<Utc>, errors: &mut Vec<FieldError>) {
    if at > now {
        errors.push(FieldError::new(
            "started_at",
            "in_future",
            "guidance is recorded after it was given",
        ));
    }
}

fn note(raw: String, errors: &mut Vec<FieldError>) -> String {
    let t = raw.trim();
    if t.chars().count() > NOTE_MAX {
        errors.push(FieldError::new(
            "note",
            "too_long",
            format!("at most {NOTE_MAX} characters"),
        ));
    }
    t.to_owned()
}

/// A required reason for a correction or removal.
pub fn parse_reason(raw: &str) -> Result<String, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(FieldError::new(
            "reason",
            "required",
            "say why the entry is changed",
        ));
    }
    if t.chars().count() > REASON_MAX {
        return Err(FieldError::new(
            "reason",
            "too_long",
            format!("at most {REASON_MAX} characters"),
        ));
    }
    Ok(t.to_owned())
}

impl NewEntry {
    pub fn parse(self, now: DateTime<Utc>) -> Result<EntryInput, AppError> {
        let mut errors = Vec::new();
        let professional = one_professional(self.professional_ids, &mut errors);
        let minutes = minutes(self.minutes, &mut errors);
        started(self.started_at, now, &mut errors);
        let participants = participants(self.participant_ids, &mut errors);
        let note = note(self.note, &mut errors);
        if errors.is_empty() {
            Ok(EntryInput {
                professional,
                kind: self.kind,
                started_at: self.started_at,
                minutes,
                participants,
                note,
            })
        } else {
            Err(AppError::Validation(errors))
        }
    }
}

/// A correction: the fields that change and why. The entry keeps its id; the earlier state
/// stays in its history.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryCorrection {
    pub reason: String,
    /// The version the correction was made against; a stale one is refused (`entry_changed`).
    #[serde(default)]
    pub version: Option<i32>,
    #[serde(default)]
    pub professional_ids: Option<Vec<Uuid>>,
    #[serde(default)]
    pub kind: Option<GuidanceKind>,
    #[serde(default)]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub minutes: Option<i64>,
    #[serde(default)]
    pub participant_ids: Option<Vec<Uuid>>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A checked correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionInput {
    pub reason: String,
    pub version: Option<i32>,
    pub professional: Option<Uuid>,
    pub kind: Option<GuidanceKind>,
    pub started_at: Option<DateTime<Utc>>,
    pub minutes: Option<GuidanceMinutes>,
    pub participants: Option<Vec<Uuid>>,
    pub note: Option<String>,
}

impl EntryCorrection {
    pub fn parse(self, now: DateTime<Utc>) -> Result<CorrectionInput, AppError> {
        let mut errors = Vec::new();
        let reason = parse_reason(&self.reason).unwrap_or_else(|e| {
            errors.push(e);
            String::new()
        });
        let professional = one_professional(self.professional_ids, &mut errors);
        let minutes = self.minutes.map(|m| minutes(m, &mut errors));
        if let Some(at) = self.started_at {
            started(at, now, &mut errors);
        }
        let participants = self.participant_ids.map(|p| participants(p, &mut errors));
        let note = self.note.map(|n| note(n, &mut errors));
        if errors.is_empty() {
            Ok(CorrectionInput {
                reason,
                version: self.version,
                professional,
                kind: self.kind,
                started_at: self.started_at,
                minutes,
                participants,
                note,
            })
        } else {
            Err(AppError::Validation(errors))
        }
    }
}

/// Removing an entry: it stays in the ledger, marked void, with the reason.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoidEntry {
    pub reason: String,
    #[serde(default)]
    pub version: Option<i32>,
}

/// A person by id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Person {
    pub id: Uuid,
    pub display_name: String,
}

impl Person {
    /// The account's person; a nil id and no name when the account is not there any more.
    pub fn of(u: Option<&crate::entity::user::Model>) -> Person {
        match u {
            Some(u) => Person {
                id: u.uuid,
                display_name: u.display_name.clone(),
            },
            None => Person {
                id: Uuid::nil(),
                display_name: String::new(),
            },
        }
    }
}

/// Why and when an entry was removed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Voided {
    pub at: DateTime<Utc>,
    pub by: Person,
    pub reason: String,
}

/// One ledger entry as staff see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntryView {
    pub id: Uuid,
    pub kind: GuidanceKind,
    /// R-GUIDE-ONE: the one professional.
    pub professional: Person,
    pub started_at: DateTime<Utc>,
    pub minutes: i32,
    pub participants: Vec<Person>,
    pub note: String,
    pub source: Source,
    /// The contact this entry was credited from.
    pub contact_id: Option<Uuid>,
    /// Given outside the remote period: kept, shown, but not counted toward the 240 minutes.
    pub outside_remote_period: bool,
    /// Counts toward the remote-period total: inside the period and not removed.
    pub counted: bool,
    pub version: i32,
    pub voided: Option<Voided>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The entry as it was after one change (stored as JSON in the revision).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EntrySnapshot {
    pub professional: Person,
    pub kind: GuidanceKind,
    pub started_at: DateTime<Utc>,
    pub minutes: i32,
    pub participants: Vec<Person>,
    pub note: String,
    pub voided: bool,
}

/// One step of an entry's history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RevisionView {
    pub version: i32,
    /// `created`, `corrected` or `voided`.
    pub change: String,
    pub reason: Option<String>,
    pub changed_by: Person,
    pub changed_at: DateTime<Utc>,
    pub entry: EntrySnapshot,
}

/// An entry and its whole history, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntryHistory {
    pub entry: EntryView,
    pub revisions: Vec<RevisionView>,
}

/// R-INTERIM-3: interim contacts expected in the remote period.
pub const INTERIM_REQUIRED: i64 = 3;

/// A participant's individual contacts by kind: done, and open (planned, confirmed or waiting for
/// a new time).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ContactCounts {
    pub interim_done: i64,
    pub interim_open: i64,
    /// 3 (R-INTERIM-3).
    pub interim_required: i64,
    /// At least one is required (R-FOLLOWUP).
    pub follow_up_done: i64,
    pub follow_up_open: i64,
}

impl ContactCounts {
    /// No contacts yet, against the 3 interim contacts required.
    pub fn none() -> ContactCounts {
        ContactCounts {
            interim_required: INTERIM_REQUIRED,
            ..ContactCounts::default()
        }
    }

    /// Adds `n` contacts of one kind and status (as stored): done ones, and open ones (planned,
    /// confirmed or waiting for a new time); the pre-contact and cancelled or missed ones count for
    /// nothing here.
    pub fn add(&mut self, kind: &str, status: &str, n: i64) {
        let done = status == "done";
        let open = matches!(status, "planned" | "confirmed" | "reschedule_requested");
        match (kind, done, open) {
            ("interim", true, _) => self.interim_done += n,
            ("interim", _, true) => self.interim_open += n,
            ("follow_up", true, _) => self.follow_up_done += n,
            ("follow_up", _, true) => self.follow_up_open += n,
            _ => {}
        }
    }
}

/// One participant's guidance time against R-GUIDANCE-4H, and her contacts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipantGuidance {
    pub participant: Person,
    /// Minutes credited in the remote period (removed entries and entries outside it excluded).
    pub remote_minutes: i64,
    /// 240 (R-GUIDANCE-4H).
    pub required_minutes: i64,
    pub pace: Pace,
    pub contacts: ContactCounts,
}

/// Every participant of a course.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CourseGuidance {
    pub remote_start: NaiveDate,
    pub remote_end: NaiveDate,
    pub remote_week: Option<u8>,
    pub participants: Vec<ParticipantGuidance>,
}

/// One participant's total and the entries crediting them, newest first (staff view).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipantLedger {
    pub summary: ParticipantGuidance,
    pub entries: Vec<EntryView>,
}

/// One entry as the credited participant sees it: no notes, no other participants.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyEntry {
    pub kind: GuidanceKind,
    pub professional: Person,
    pub started_at: DateTime<Utc>,
    pub minutes: i32,
    pub outside_remote_period: bool,
}

/// The participant's own guidance time.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyGuidance {
    pub remote_minutes: i64,
    pub required_minutes: i64,
    pub pace: Pace,
    pub entries: Vec<MyEntry>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> DateTime<Utc> {
        "2026-03-02T08:00:00Z".parse().unwrap()
    }

    fn entry(v: serde_json::Value) -> NewEntry {
        serde_json::from_value(v).unwrap()
    }

    fn codes(e: AppError) -> Vec<(String, String)> {
        match e {
            AppError::Validation(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn minutes_are_one_to_six_hundred() {
        assert!(GuidanceMinutes::parse(0).is_err());
        assert!(GuidanceMinutes::parse(-5).is_err());
        assert_eq!(GuidanceMinutes::parse(1).unwrap().get(), 1);
        assert_eq!(GuidanceMinutes::parse(600).unwrap().get(), 600);
        assert!(GuidanceMinutes::parse(601).is_err());
        assert!(GuidanceMinutes::parse(i64::MAX).is_err());
    }

    #[test]
    fn two_professionals_are_refused_not_cut_to_one_r_guide_one() {
        let p = Uuid::new_v4();
        let err = entry(json!({"professional_ids": [Uuid::new_v4(), Uuid::new_v4()],
            "kind": "video_call", "started_at": "2026-03-01T10:00:00Z", "minutes": 30,
            "participant_ids": [p]}))
        .parse(now())
        .unwrap_err();
        assert_eq!(
            codes(err),
            vec![("professional_ids".into(), "one_professional".into())]
        );
        let one = Uuid::new_v4();
        let ok = entry(json!({"professional_ids": [one], "kind": "video_call",
            "started_at": "2026-03-01T10:00:00Z", "minutes": 30, "participant_ids": [p, p]}))
        .parse(now())
        .unwrap();
        assert_eq!(ok.professional, Some(one));
        assert_eq!(ok.participants, vec![p]);
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let err = entry(
            json!({"kind": "other", "started_at": "2026-03-03T10:00:00Z",
            "minutes": 0, "participant_ids": [], "professional_ids": []}),
        )
        .parse(now())
        .unwrap_err();
        assert_eq!(
            codes(err),
            vec![
                ("professional_ids".into(), "required".into()),
                ("minutes".into(), "out_of_range".into()),
                ("started_at".into(), "in_future".into()),
                ("participant_ids".into(), "required".into()),
            ]
        );
    }

    #[test]
    fn a_correction_needs_a_reason() {
        let c: EntryCorrection =
            serde_json::from_value(json!({"reason": "  ", "minutes": -1})).unwrap();
        assert_eq!(
            codes(c.parse(now()).unwrap_err()),
            vec![
                ("reason".into(), "required".into()),
                ("minutes".into(), "out_of_range".into()),
            ]
        );
    }

    #[test]
    fn kinds_round_trip() {
        for k in [
            GuidanceKind::GroupChat,
            GuidanceKind::PrivateThread,
            GuidanceKind::VideoCall,
            GuidanceKind::PhoneCall,
            GuidanceKind::Feedback,
            GuidanceKind::Other,
        ] {
            assert_eq!(GuidanceKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(GuidanceKind::parse("coffee"), None);
    }
}
