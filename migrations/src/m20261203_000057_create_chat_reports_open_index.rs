use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One open report per reporter and message: a second report of the same message by the same
/// participant is refused until the guides have closed the first (a partial unique index, which
/// SQLite and PostgreSQL both have).
#[derive(DeriveIden)]
enum ChatReports {
    Table,
    MessageId,
    ReporterId,
    ResolvedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ux_chat_reports_open_per_reporter")
                    .table(ChatReports::Table)
                    .col(ChatReports::MessageId)
                    .col(ChatReports::ReporterId)
                    .unique()
                    .and_where(Expr::col(ChatReports::ResolvedAt).is_null())
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
