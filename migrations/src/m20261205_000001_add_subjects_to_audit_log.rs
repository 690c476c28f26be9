use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A read of many participants at once (a provider's overview of thousands) is one usage-log row
/// that lists them, instead of a row each: a row each cost thousands of scattered index writes
/// per read. `subjects` holds their ids, sorted and separated by spaces; it is NULL on a row about
/// one participant (`subject_user_id`). The partial index finds the listing rows for a
/// participant's request without reading the rows about one.
#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Subjects,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AuditLog::Table)
                    .add_column(text_null(AuditLog::Subjects))
                    .to_owned(),
            )
            .await?;
        // sea-query has no partial index; this statement reads the same on SQLite and PostgreSQL.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX ix_audit_log_listing ON audit_log (id) WHERE subjects IS NOT NULL",
            )
            .await
            .map(|_| ())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
