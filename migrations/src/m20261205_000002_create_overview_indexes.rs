use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Indexes that answer the provider's overview (and the participant's home) from the index alone:
/// - each participant's completed items, in a partial index of completed rows only (the home and
///   the overview fold these ids into one value; read from the table they cost a row lookup each);
/// - contacts grouped by course, participant, kind and status with the last planned time (the
///   old index on course and participant is this one's prefix, so it goes);
/// - measurement days by course and participant (there was no index by course).
///
/// sea-query has no partial index; these statements read the same on SQLite and PostgreSQL.
const STATEMENTS: &[&str] = &[
    "CREATE INDEX ix_item_progress_completed ON item_progress (participant_id, course_id, item_id) \
     WHERE completed_at IS NOT NULL",
    "CREATE INDEX ix_contacts_course_participant_kind \
     ON contacts (course_id, participant_id, kind, status, planned_at)",
    "DROP INDEX ix_contacts_course_participant",
    "CREATE INDEX ix_measures_course ON measures (course_id, participant_id, measured_on)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in STATEMENTS {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
