//! A small restart-safe scheduler: one tokio task ticks once a minute on the app's clock and runs
//! every job. A job does its work for a key (e.g. one participant on one day) only after claiming
//! `(job, key)` in `scheduled_runs`, whose unique index lets exactly one claim win, so a restart
//! or a second instance never does the same work twice.
//!
//! To add a job: write `jobs::<name>::run(&AppState, now) -> AppResult<usize>` that calls
//! [`claim`] before each unit of work (and [`release`] if the work failed and should be retried
//! on the next tick), then call it from [`jobs::run_all`].

pub mod jobs;

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TryInsertResult};
use tokio::task::JoinHandle;

use crate::entity::scheduled_run;
use crate::error::AppResult;
use crate::state::AppState;

/// How often the jobs run.
pub const TICK: Duration = Duration::from_secs(60);

/// Claims `key` for `job`: `true` for exactly one caller, ever, across restarts and instances.
pub async fn claim<C: ConnectionTrait>(
    db: &C,
    job: &str,
    key: &str,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let inserted = scheduled_run::Entity::insert(scheduled_run::ActiveModel {
        job: Set(job.to_owned()),
        key: Set(key.to_owned()),
        claimed_at: Set(now),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([scheduled_run::Column::Job, scheduled_run::Column::Key])
    .exec_without_returning(db)
    .await?;
    Ok(matches!(inserted, TryInsertResult::Inserted(n) if n > 0))
}

/// Gives a claim back after the work failed, so the next tick tries again.
pub async fn release<C: ConnectionTrait>(db: &C, job: &str, key: &str) -> AppResult<()> {
    scheduled_run::Entity::delete_many()
        .filter(scheduled_run::Column::Job.eq(job))
        .filter(scheduled_run::Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Starts ticking: at once, then every [`TICK`]. A failing job is logged and tried again on the
/// next tick; abort the handle to stop.
pub fn start(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            jobs::run_all(&state, state.now()).await;
        }
    })
}
