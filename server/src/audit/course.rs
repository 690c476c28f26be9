//! The usage-log call every course-scoped staff handler makes: one row per participant whose data
//! a staff member read or changed on a course, written as one chained insert before the answer.

use uuid::Uuid;

use crate::audit::service::{Access, record_each};
use crate::auth::extract::AuthUser;
use crate::entity::{course, user};
use crate::error::AppResult;
use crate::state::AppState;

/// Logs `action` on `category` data of these participants (external ids) on `course`.
pub async fn audit_subjects(
    state: &AppState,
    who: &AuthUser,
    course: &course::Model,
    subjects: &[Uuid],
    category: &'static str,
    action: &'static str,
) -> AppResult<()> {
    let access = Access {
        actor: who,
        subject: Uuid::nil(),
        provider_id: Some(course.provider_id),
        category,
        action,
        purpose: "guidance",
    };
    record_each(&state.db, state.now(), &access, subjects).await
}

/// [`audit_subjects`] for participants already read.
pub async fn audit_people(
    state: &AppState,
    who: &AuthUser,
    course: &course::Model,
    people: &[user::Model],
    category: &'static str,
    action: &'static str,
) -> AppResult<()> {
    let subjects: Vec<Uuid> = people.iter().map(|p| p.uuid).collect();
    audit_subjects(state, who, course, &subjects, category, action).await
}
