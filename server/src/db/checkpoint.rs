//! WAL checkpoints on SQLite, in the background. By default SQLite copies the WAL back into the
//! database inside whichever commit finds it past 1,000 pages, with two fsyncs: under a stream of
//! chat sends that was half of the writer's time and the rate run's p99. Here a task checkpoints
//! twice a second without waiting for readers or writers (`PASSIVE`), so commits only append.
//! Connections still checkpoint by themselves past [`AUTOCHECKPOINT_PAGES`], should this task
//! fall behind, so the WAL stays bounded.

use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection};

/// A commit that finds the WAL longer than this (40 MiB of 4 KiB pages) checkpoints itself.
pub const AUTOCHECKPOINT_PAGES: &str = "10000";
const EVERY: Duration = Duration::from_millis(500);

/// Starts the checkpoint task on SQLite; nothing on PostgreSQL.
pub fn start(db: DatabaseConnection) {
    if db.get_database_backend() != DatabaseBackend::Sqlite {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = db
                .execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)")
                .await
            {
                tracing::warn!(error = %e, "sqlite: background checkpoint failed");
            }
        }
    });
}
