use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000030_create_selfrehab_tasks::SelfrehabTasks;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One log per task and day: done or not, an optional note and a 1–5 "how did it go".
#[derive(DeriveIden)]
pub enum SelfrehabLogs {
    Table,
    Id,
    Uuid,
    TaskId,
    Date,
    Done,
    Note,
    Rating,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SelfrehabLogs::Table)
                    .col(pk_auto(SelfrehabLogs::Id))
                    .col(uuid_uniq(SelfrehabLogs::Uuid))
                    .col(integer(SelfrehabLogs::TaskId))
                    .col(date(SelfrehabLogs::Date))
                    .col(boolean(SelfrehabLogs::Done))
                    .col(text_null(SelfrehabLogs::Note))
                    .col(integer_null(SelfrehabLogs::Rating))
                    .col(timestamp_with_time_zone(SelfrehabLogs::CreatedAt))
                    .col(timestamp_with_time_zone(SelfrehabLogs::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SelfrehabLogs::Table, SelfrehabLogs::TaskId)
                            .to(SelfrehabTasks::Table, SelfrehabTasks::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_selfrehab_logs_task_date")
                    .table(SelfrehabLogs::Table)
                    .col(SelfrehabLogs::TaskId)
                    .col(SelfrehabLogs::Date)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
