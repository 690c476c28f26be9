use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every change to a goal: who, when, what, and the goal as it was before. Keyed by the goal's
/// uuid, not a foreign key, so the record of a deleted goal stays.
#[derive(DeriveIden)]
enum GoalHistory {
    Table,
    Id,
    GoalUuid,
    CourseId,
    ParticipantId,
    ActorId,
    Action,
    Previous,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(GoalHistory::Table)
                    .col(pk_auto(GoalHistory::Id))
                    .col(uuid(GoalHistory::GoalUuid))
                    .col(integer(GoalHistory::CourseId))
                    .col(integer(GoalHistory::ParticipantId))
                    .col(integer(GoalHistory::ActorId))
                    .col(string_len(GoalHistory::Action, 20))
                    .col(text_null(GoalHistory::Previous))
                    .col(timestamp_with_time_zone(GoalHistory::At))
                    .foreign_key(
                        ForeignKey::create()
                            .from(GoalHistory::Table, GoalHistory::ActorId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_goal_history_goal")
                    .table(GoalHistory::Table)
                    .col(GoalHistory::GoalUuid)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
