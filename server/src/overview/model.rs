//! The overview's views and the export's query.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::accounts::model::{CourseLanguage, Language};
use crate::courses::model::CourseState;
use crate::courses::schedule::Schedule;
use crate::guidance::model::ContactCounts;
use crate::overview::checks::Check;

/// Every course of the provider (cancelled ones left out) against the service rules.
#[derive(Debug, Serialize, ToSchema)]
pub struct Overview {
    /// The Helsinki day the statuses are for.
    pub today: NaiveDate,
    pub courses: Vec<CourseOverview>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CourseOverview {
    pub id: Uuid,
    pub title: String,
    pub language: CourseLanguage,
    pub state: CourseState,
    pub site: String,
    pub schedule: Schedule,
    /// `not_started`, `onsite1`, `remote`, `onsite2`, `follow_up` or `completed`.
    pub phase: &'static str,
    /// 1–12 during the remote period.
    pub remote_week: Option<u8>,
    pub participant_count: usize,
    /// Visible modules of the course's program; `null` when it has none.
    pub total_modules: Option<usize>,
    /// R-GROUP-SIZE / R-GROUP-START.
    pub group: Check,
    /// R-TEAM.
    pub team: Check,
    /// R-INVOICE-2M: the next period's invoicing deadline.
    pub invoice: Check,
    pub participants: Vec<ParticipantOverview>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantOverview {
    pub id: Uuid,
    pub display_name: String,
    pub decision_date: NaiveDate,
    /// Guidance minutes credited in the remote period (as the ledger counts them).
    pub remote_minutes: i64,
    pub contacts: ContactCounts,
    pub completed_modules: usize,
    /// R-GUIDANCE-4H against the pace line.
    pub guidance: Check,
    /// R-INTERIM-3.
    pub interim: Check,
    /// R-FOLLOWUP.
    pub follow_up: Check,
    /// R-CONTENT-FULL against the program pace.
    pub program: Check,
    /// R-WINDOW-20M.
    pub window: Check,
    /// R-FEEDBACK-2W.
    pub feedback: Check,
    /// R-REPORT-31-3.
    pub report: Check,
}

/// `?lang=fi|sv|en` (default `fi`): the language of the header row and the words; any other
/// value is refused with 400 `invalid_query`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ExportQuery {
    #[param(value_type = Option<String>)]
    pub lang: Option<Language>,
}

impl ExportQuery {
    pub fn language(&self) -> Language {
        self.lang.unwrap_or_default()
    }
}
