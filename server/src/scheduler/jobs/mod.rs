//! The scheduler's jobs; each is callable on its own (tests call them with a chosen `now`).

pub mod activity_nudge;
pub mod alert_digest;
pub mod alert_evaluation;
pub mod chat_digest;
pub mod chat_private_mail;
pub mod contact_reminders;
pub mod task_reminders;

use chrono::{DateTime, Utc};

use crate::state::AppState;

/// Runs every job once; a failure is logged, not raised, so one job cannot stop the others.
pub async fn run_all(state: &AppState, now: DateTime<Utc>) {
    if let Err(e) = task_reminders::run(state, now).await {
        tracing::warn!(error = %e, job = task_reminders::JOB, "scheduled job failed");
    }
    if let Err(e) = chat_private_mail::run(state, now).await {
        tracing::warn!(error = %e, job = chat_private_mail::JOB, "scheduled job failed");
    }
    if let Err(e) = chat_digest::run(state, now).await {
        tracing::warn!(error = %e, job = chat_digest::JOB, "scheduled job failed");
    }
    if let Err(e) = contact_reminders::run(state, now).await {
        tracing::warn!(error = %e, job = contact_reminders::JOB, "scheduled job failed");
    }
    // The alerts are evaluated before the mails that read them.
    if let Err(e) = alert_evaluation::run(state, now).await {
        tracing::warn!(error = %e, job = alert_evaluation::JOB, "scheduled job failed");
    }
    if let Err(e) = activity_nudge::run(state, now).await {
        tracing::warn!(error = %e, job = activity_nudge::JOB, "scheduled job failed");
    }
    if let Err(e) = alert_digest::run(state, now).await {
        tracing::warn!(error = %e, job = alert_digest::JOB, "scheduled job failed");
    }
}
