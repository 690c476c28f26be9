use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261122_000030_create_selfrehab_tasks::SelfrehabTasks;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Earlier versions of a task: what it was before each change, who changed it and when.
#[derive(DeriveIden)]
enum SelfrehabTaskHistory {
    Table,
    Id,
    TaskId,
    Version,
    Change,
    ChangedBy,
    ChangedAt,
    /// JSON of the task as it was before the change.
    Previous,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SelfrehabTaskHistory::Table)
                    .col(pk_auto(SelfrehabTaskHistory::Id))
                    .col(integer(SelfrehabTaskHistory::TaskId))
                    .col(integer(SelfrehabTaskHistory::Version))
                    .col(string_len(SelfrehabTaskHistory::Change, 20))
                    .col(integer(SelfrehabTaskHistory::ChangedBy))
                    .col(timestamp_with_time_zone(SelfrehabTaskHistory::ChangedAt))
                    .col(text(SelfrehabTaskHistory::Previous))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SelfrehabTaskHistory::Table, SelfrehabTaskHistory::TaskId)
                            .to(SelfrehabTasks::Table, SelfrehabTasks::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SelfrehabTaskHistory::Table, SelfrehabTaskHistory::ChangedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_selfrehab_task_history_task_version")
                    .table(SelfrehabTaskHistory::Table)
                    .col(SelfrehabTaskHistory::TaskId)
                    .col(SelfrehabTaskHistory::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
