//! What the monitoring view sends: plain types, no entities.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::alerts::model::AlertKind;
use crate::guidance::model::ContactCounts;
use crate::guidance::pace::Pace;
use crate::progress::rules::RuleText;
use crate::progress::service::PersonRef;
use crate::selfrehab::service::PlanAdherence;

/// A participant's program completion against the program pace (`progress::pace`).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct ProgramRow {
    pub completed_modules: usize,
    pub total_modules: usize,
    pub completed_items: usize,
    pub total_items: usize,
    /// Modules due today.
    pub expected_modules: usize,
    pub on_pace: bool,
}

/// Remote-period guidance minutes against the pace line and the 240 (R-GUIDANCE-4H).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct GuidanceRow {
    pub remote_minutes: i64,
    pub required_minutes: i64,
    pub pace: Pace,
}

/// Open contacts: the next one, and those whose planned time has passed without a result.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct OpenContacts {
    pub next_at: Option<DateTime<Utc>>,
    /// Planned, confirmed or waiting for a new time, and already over.
    pub overdue: u32,
}

/// One participant's row.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonitoringRow {
    /// The internal id, for the alerts that are evaluated from these rows.
    #[serde(skip)]
    pub participant_id: i32,
    pub participant: PersonRef,
    /// Last use of the program, a chat message or a task log.
    pub last_active_at: Option<DateTime<Utc>>,
    /// Whole Helsinki days since then; null when never active.
    pub inactive_days: Option<i64>,
    /// Days with program use in the current Monday–Sunday week.
    pub active_days_this_week: usize,
    pub program: ProgramRow,
    pub tasks: PlanAdherence,
    pub guidance: GuidanceRow,
    pub contacts: ContactCounts,
    pub open_contacts: OpenContacts,
    /// Messages in the participant's private thread that the viewer has not read.
    pub unread_private: i64,
    /// Her open alerts (`alerts`), empty in the rows the alerts are evaluated from.
    pub open_alerts: Vec<AlertFlag>,
}

/// One open alert on a row.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct AlertFlag {
    pub kind: AlertKind,
    pub acknowledged: bool,
}

/// The course's monitoring view.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CourseMonitoring {
    /// `not_started`, `onsite1`, `remote`, `onsite2`, `follow_up`, `completed`.
    pub phase: &'static str,
    pub remote_week: Option<u8>,
    pub today: NaiveDate,
    /// Days without activity that open an "inactive" alert (`ETAPOLKU_INACTIVE_DAYS`).
    pub inactive_days_limit: u32,
    /// The pace rules in words (program and guidance), so nobody has to guess.
    pub rules: Vec<RuleText>,
    pub participants: Vec<MonitoringRow>,
}
