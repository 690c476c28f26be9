use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261122_000006_create_courses::Courses;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// How far one participant has got with one content item of their course: when it was first
/// opened, how long it was visible, where audio or video was left, and whether it is done.
#[derive(DeriveIden)]
pub enum ItemProgress {
    Table,
    Id,
    ParticipantId,
    CourseId,
    ItemId,
    OpenedAt,
    LastSeenAt,
    VisibleSeconds,
    PositionS,
    DurationS,
    FurthestS,
    CompletedAt,
    CompletedHow,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ItemProgress::Table)
                    .col(pk_auto(ItemProgress::Id))
                    .col(integer(ItemProgress::ParticipantId))
                    .col(integer(ItemProgress::CourseId))
                    .col(string_len(ItemProgress::ItemId, 200))
                    .col(timestamp_with_time_zone(ItemProgress::OpenedAt))
                    .col(timestamp_with_time_zone(ItemProgress::LastSeenAt))
                    .col(big_integer(ItemProgress::VisibleSeconds).default(0))
                    .col(double_null(ItemProgress::PositionS))
                    .col(double_null(ItemProgress::DurationS))
                    .col(double_null(ItemProgress::FurthestS))
                    .col(timestamp_with_time_zone_null(ItemProgress::CompletedAt))
                    .col(string_len_null(ItemProgress::CompletedHow, 16))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ItemProgress::Table, ItemProgress::ParticipantId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ItemProgress::Table, ItemProgress::CourseId)
                            .to(Courses::Table, Courses::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_item_progress_participant_course_item")
                    .table(ItemProgress::Table)
                    .col(ItemProgress::ParticipantId)
                    .col(ItemProgress::CourseId)
                    .col(ItemProgress::ItemId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The course's progress list reads every participant's rows at once.
        manager
            .create_index(
                Index::create()
                    .name("ix_item_progress_course")
                    .table(ItemProgress::Table)
                    .col(ItemProgress::CourseId)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
