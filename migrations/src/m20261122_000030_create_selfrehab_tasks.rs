use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261122_000006_create_courses::Courses;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A participant's self-rehabilitation task on one course (R-SELFREHAB): what, when, for how many
/// weeks, and who has accepted the current version. Ended tasks are kept with their logs.
#[derive(DeriveIden)]
pub enum SelfrehabTasks {
    Table,
    Id,
    Uuid,
    ParticipantId,
    CourseId,
    Title,
    Details,
    /// Comma-separated `mon`…`sun`, or NULL when `times_per_week` is used.
    Days,
    TimesPerWeek,
    Minutes,
    StartDate,
    Weeks,
    SourceItemId,
    Status,
    EndedOn,
    ParticipantAcceptedAt,
    GuideAcceptedAt,
    GuideAcceptedBy,
    CreatedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SelfrehabTasks::Table)
                    .col(pk_auto(SelfrehabTasks::Id))
                    .col(uuid_uniq(SelfrehabTasks::Uuid))
                    .col(integer(SelfrehabTasks::ParticipantId))
                    .col(integer(SelfrehabTasks::CourseId))
                    .col(text(SelfrehabTasks::Title))
                    .col(text(SelfrehabTasks::Details))
                    .col(string_len_null(SelfrehabTasks::Days, 40))
                    .col(integer_null(SelfrehabTasks::TimesPerWeek))
                    .col(integer_null(SelfrehabTasks::Minutes))
                    .col(date(SelfrehabTasks::StartDate))
                    .col(integer(SelfrehabTasks::Weeks))
                    .col(string_len_null(SelfrehabTasks::SourceItemId, 100))
                    .col(string_len(SelfrehabTasks::Status, 10))
                    .col(date_null(SelfrehabTasks::EndedOn))
                    .col(timestamp_with_time_zone_null(
                        SelfrehabTasks::ParticipantAcceptedAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        SelfrehabTasks::GuideAcceptedAt,
                    ))
                    .col(integer_null(SelfrehabTasks::GuideAcceptedBy))
                    .col(string_len(SelfrehabTasks::CreatedBy, 20))
                    .col(integer(SelfrehabTasks::Version))
                    .col(timestamp_with_time_zone(SelfrehabTasks::CreatedAt))
                    .col(timestamp_with_time_zone(SelfrehabTasks::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SelfrehabTasks::Table, SelfrehabTasks::ParticipantId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SelfrehabTasks::Table, SelfrehabTasks::CourseId)
                            .to(Courses::Table, Courses::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SelfrehabTasks::Table, SelfrehabTasks::GuideAcceptedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_selfrehab_tasks_participant_course")
                    .table(SelfrehabTasks::Table)
                    .col(SelfrehabTasks::ParticipantId)
                    .col(SelfrehabTasks::CourseId)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
