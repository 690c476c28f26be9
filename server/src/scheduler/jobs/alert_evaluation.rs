//! The evaluation pass of the alerts (`alerts::service::evaluate`): every ten minutes, on one
//! instance. The ten-minute slot is claimed in `scheduled_runs`, so a second instance or a
//! restarted server does not repeat a pass that ran; a pass that failed gives its slot back and
//! runs again on the next tick. Running twice would do no harm anyway (a partial unique index
//! keeps one open alert per participant and kind): the claim only saves the work.

use chrono::{DateTime, Utc};

use crate::alerts::service::{Evaluation, evaluate};
use crate::error::AppResult;
use crate::state::AppState;

pub const JOB: &str = "alert_evaluation";

/// How often the facts are looked at: alerts are about days and weeks (the shortest is 48 hours),
/// so ten minutes is prompt enough and keeps the load of the pass small.
pub const EVERY_SECONDS: i64 = 600;

/// Evaluates the alerts unless this ten-minute slot has been evaluated already.
pub async fn run(state: &AppState, now: DateTime<Utc>) -> AppResult<Option<Evaluation>> {
    let key = now.timestamp().div_euclid(EVERY_SECONDS).to_string();
    if !crate::scheduler::claim(&state.db, JOB, &key, now).await? {
        return Ok(None);
    }
    match evaluate(&state.db, state.config.inactive_days, now).await {
        Ok(done) => {
            if done.opened + done.closed > 0 {
                tracing::info!(
                    courses = done.courses,
                    opened = done.opened,
                    closed = done.closed,
                    "alerts evaluated"
                );
            }
            Ok(Some(done))
        }
        Err(e) => {
            crate::scheduler::release(&state.db, JOB, &key).await?;
            Err(e)
        }
    }
}
