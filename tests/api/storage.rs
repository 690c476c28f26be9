//! The embedded database's upkeep (`server/src/db/checkpoint.rs`): WAL checkpoints run in the
//! background, so commits only append and the WAL does not grow with what is written.

use std::time::Duration;

use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::TestApp;

/// About 1 MB of rows in separate commits, as a busy room would write them.
async fn write_a_megabyte(app: &TestApp, round: usize) {
    let db = &app.server.db;
    for i in 0..40 {
        db.execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "INSERT INTO wal_probe (round, body) VALUES (?, ?)",
            [
                (round as i64).into(),
                format!("{i}{}", "x".repeat(25_000)).into(),
            ],
        ))
        .await
        .expect("a probe row");
    }
}

#[tokio::test]
async fn the_sqlite_wal_stays_the_size_of_what_was_written_between_checkpoints() {
    let app = TestApp::new().await;
    if app.server.pg_database.is_some() {
        eprintln!("NOTE: WAL checkpoints are SQLite's; this run is on PostgreSQL");
        return;
    }
    app.server
        .db
        .execute_unprepared("CREATE TABLE wal_probe (round INTEGER, body TEXT)")
        .await
        .expect("probe table");
    let wal = app.server.data_dir.path().join("etapolku.db-wal");
    let mut largest = 0;
    for round in 0..10 {
        write_a_megabyte(&app, round).await;
        largest = largest.max(std::fs::metadata(&wal).expect("the WAL file").len());
        // The background task checkpoints twice a second; the next commit then starts the WAL
        // from its beginning again.
        tokio::time::sleep(Duration::from_millis(1200)).await;
    }
    assert_eq!(app.count("wal_probe").await, 400, "every row is there");
    // 10 MB were written; left to the commits (a checkpoint past 10,000 pages), the WAL would
    // hold all of it.
    assert!(
        largest < 4_000_000,
        "the WAL grew to {largest} bytes: checkpoints are not keeping up"
    );
}
