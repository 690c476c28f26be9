use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261122_000006_create_courses::Courses;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One Helsinki calendar day on which a participant used the program, with the visible time
/// credited that day. `minute_at`/`minute_seconds` hold the current wall-clock minute's credit,
/// so the per-minute cap is checked and raised in one conditional UPDATE.
#[derive(DeriveIden)]
pub enum ActivityDays {
    Table,
    Id,
    ParticipantId,
    CourseId,
    Day,
    VisibleSeconds,
    LastSeenAt,
    MinuteAt,
    MinuteSeconds,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ActivityDays::Table)
                    .col(pk_auto(ActivityDays::Id))
                    .col(integer(ActivityDays::ParticipantId))
                    .col(integer(ActivityDays::CourseId))
                    .col(date(ActivityDays::Day))
                    .col(big_integer(ActivityDays::VisibleSeconds).default(0))
                    .col(timestamp_with_time_zone(ActivityDays::LastSeenAt))
                    .col(big_integer(ActivityDays::MinuteAt).default(0))
                    .col(integer(ActivityDays::MinuteSeconds).default(0))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ActivityDays::Table, ActivityDays::ParticipantId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ActivityDays::Table, ActivityDays::CourseId)
                            .to(Courses::Table, Courses::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_activity_days_participant_course_day")
                    .table(ActivityDays::Table)
                    .col(ActivityDays::ParticipantId)
                    .col(ActivityDays::CourseId)
                    .col(ActivityDays::Day)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_activity_days_course_day")
                    .table(ActivityDays::Table)
                    .col(ActivityDays::CourseId)
                    .col(ActivityDays::Day)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
