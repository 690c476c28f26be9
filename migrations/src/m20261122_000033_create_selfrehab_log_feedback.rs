use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261122_000032_create_selfrehab_logs::SelfrehabLogs;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A guide's feedback on one log.
#[derive(DeriveIden)]
enum SelfrehabLogFeedback {
    Table,
    Id,
    Uuid,
    LogId,
    AuthorId,
    Body,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SelfrehabLogFeedback::Table)
                    .col(pk_auto(SelfrehabLogFeedback::Id))
                    .col(uuid_uniq(SelfrehabLogFeedback::Uuid))
                    .col(integer(SelfrehabLogFeedback::LogId))
                    .col(integer(SelfrehabLogFeedback::AuthorId))
                    .col(text(SelfrehabLogFeedback::Body))
                    .col(timestamp_with_time_zone(SelfrehabLogFeedback::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SelfrehabLogFeedback::Table, SelfrehabLogFeedback::LogId)
                            .to(SelfrehabLogs::Table, SelfrehabLogs::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SelfrehabLogFeedback::Table, SelfrehabLogFeedback::AuthorId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_selfrehab_log_feedback_log")
                    .table(SelfrehabLogFeedback::Table)
                    .col(SelfrehabLogFeedback::LogId)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
