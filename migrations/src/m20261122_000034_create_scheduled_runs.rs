use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Work the scheduler has claimed: a job does its work for a key only after inserting
/// (job, key) here, so a restart or a second instance never does it twice.
#[derive(DeriveIden)]
enum ScheduledRuns {
    Table,
    Id,
    Job,
    Key,
    ClaimedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ScheduledRuns::Table)
                    .col(pk_auto(ScheduledRuns::Id))
                    .col(string_len(ScheduledRuns::Job, 60))
                    .col(string_len(ScheduledRuns::Key, 200))
                    .col(timestamp_with_time_zone(ScheduledRuns::ClaimedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_scheduled_runs_job_key")
                    .table(ScheduledRuns::Table)
                    .col(ScheduledRuns::Job)
                    .col(ScheduledRuns::Key)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
