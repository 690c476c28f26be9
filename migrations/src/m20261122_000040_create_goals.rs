use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261122_000006_create_courses::Courses;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A participant's GAS goals on one course (R-GAS): at most three, each with its five levels
/// written out, an optional weight, and the baseline and attainment staff rate with them.
#[derive(DeriveIden)]
pub enum Goals {
    Table,
    Id,
    Uuid,
    CourseId,
    ParticipantId,
    Position,
    Title,
    LevelMinus2,
    LevelMinus1,
    Level0,
    LevelPlus1,
    LevelPlus2,
    Weight,
    Baseline,
    BaselineAt,
    Attainment,
    AttainedAt,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Goals::Table)
                    .col(pk_auto(Goals::Id))
                    .col(uuid_uniq(Goals::Uuid))
                    .col(integer(Goals::CourseId))
                    .col(integer(Goals::ParticipantId))
                    .col(integer(Goals::Position))
                    .col(text(Goals::Title))
                    .col(text(Goals::LevelMinus2))
                    .col(text(Goals::LevelMinus1))
                    .col(text(Goals::Level0))
                    .col(text(Goals::LevelPlus1))
                    .col(text(Goals::LevelPlus2))
                    .col(integer(Goals::Weight))
                    .col(integer_null(Goals::Baseline))
                    .col(timestamp_with_time_zone_null(Goals::BaselineAt))
                    .col(integer_null(Goals::Attainment))
                    .col(timestamp_with_time_zone_null(Goals::AttainedAt))
                    .col(timestamp_with_time_zone(Goals::CreatedAt))
                    .col(timestamp_with_time_zone(Goals::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Goals::Table, Goals::CourseId)
                            .to(Courses::Table, Courses::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Goals::Table, Goals::ParticipantId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // The last guard of "three at most": two goals can never share a slot.
        manager
            .create_index(
                Index::create()
                    .name("ux_goals_participant_course_position")
                    .table(Goals::Table)
                    .col(Goals::ParticipantId)
                    .col(Goals::CourseId)
                    .col(Goals::Position)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
