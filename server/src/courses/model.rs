//! Course types: states and their allowed transitions, requests, and views.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::accounts::model::CourseLanguage;
use crate::courses::schedule::Schedule;
use crate::enrolment::group_size::StartRule;
use crate::team::composition::TeamCheck;

/// planned → confirmed → running → finished, or cancelled from any state before finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CourseState {
    Planned,
    Confirmed,
    Running,
    Finished,
    Cancelled,
}

impl CourseState {
    pub fn as_str(self) -> &'static str {
        match self {
            CourseState::Planned => "planned",
            CourseState::Confirmed => "confirmed",
            CourseState::Running => "running",
            CourseState::Finished => "finished",
            CourseState::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> CourseState {
        match s {
            "confirmed" => CourseState::Confirmed,
            "running" => CourseState::Running,
            "finished" => CourseState::Finished,
            "cancelled" => CourseState::Cancelled,
            _ => CourseState::Planned,
        }
    }
    /// Whether the state machine has an edge from `self` to `to` (rules are checked separately).
    pub fn can_become(self, to: CourseState) -> bool {
        use CourseState::*;
        matches!(
            (self, to),
            (Planned, Confirmed)
                | (Confirmed, Running)
                | (Running, Finished)
                | (Planned | Confirmed | Running, Cancelled)
        )
    }
    /// Participants and team can still change; a finished or cancelled course is history.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            CourseState::Planned | CourseState::Confirmed | CourseState::Running
        )
    }
}

/// R-TARGET: the two target groups every provider serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetGroup {
    /// Caregivers of an adult.
    Adult,
    /// Caregivers of a special-needs child or youth under 18.
    Child,
}

impl TargetGroup {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetGroup::Adult => "adult",
            TargetGroup::Child => "child",
        }
    }
    pub fn parse(s: &str) -> TargetGroup {
        if s == "child" {
            TargetGroup::Child
        } else {
            TargetGroup::Adult
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCourse {
    pub title: String,
    pub language: CourseLanguage,
    pub target_group: TargetGroup,
    pub site_id: Uuid,
    /// The Monday on-site period 1 starts (YYYY-MM-DD).
    pub onsite1_start: NaiveDate,
    /// Last day of the follow-up window; defaults to 3 months after on-site period 2.
    #[serde(default)]
    pub follow_up_end: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCourse {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub site_id: Option<Uuid>,
    #[serde(default)]
    pub onsite1_start: Option<NaiveDate>,
    #[serde(default)]
    pub follow_up_end: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    pub to: CourseState,
    /// Needed to cancel, and to start with exactly 6 participants (R-GROUP-START).
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SiteRef {
    pub id: Uuid,
    pub name: String,
}

/// Where a course stands today, in Helsinki.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CourseSummary {
    pub id: Uuid,
    pub title: String,
    pub language: CourseLanguage,
    pub target_group: TargetGroup,
    pub state: CourseState,
    pub site: SiteRef,
    pub schedule: Schedule,
    /// `not_started`, `onsite1`, `remote`, `onsite2`, `follow_up` or `completed`.
    pub phase: &'static str,
    /// 1–12 during the remote period.
    pub remote_week: Option<u8>,
    pub participant_count: usize,
    /// In a guide's course list: chat messages the guide has not read in the course's rooms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unread_messages: Option<u64>,
}

/// A rule the course currently breaks or is close to breaking.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CourseWarning {
    pub code: &'static str,
    pub rule: &'static str,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CourseDetail {
    #[serde(flatten)]
    pub summary: CourseSummary,
    pub start_rule: StartRule,
    pub team_check: TeamCheck,
    pub warnings: Vec<CourseWarning>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonRef {
    pub display_name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TransitionView {
    pub from: CourseState,
    pub to: CourseState,
    pub reason: Option<String>,
    pub actor: PersonRef,
    pub at: DateTime<Utc>,
}

/// A team member as participants see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamContact {
    pub display_name: String,
    pub profession: Option<crate::team::profession::Profession>,
}

/// The participant's own course.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyCourse {
    pub course: CourseSummary,
    pub personal_guide: Option<TeamContact>,
    pub team: Vec<TeamContact>,
}

#[cfg(test)]
mod tests {
    use super::CourseState::*;

    #[test]
    fn the_state_machine_allows_only_forward_steps_and_cancelling_open_courses() {
        assert!(Planned.can_become(Confirmed));
        assert!(Confirmed.can_become(Running));
        assert!(Running.can_become(Finished));
        assert!(Running.can_become(Cancelled));
        assert!(!Planned.can_become(Running));
        assert!(!Finished.can_become(Cancelled));
        assert!(!Cancelled.can_become(Planned));
        assert!(!Running.can_become(Confirmed));
    }
}
