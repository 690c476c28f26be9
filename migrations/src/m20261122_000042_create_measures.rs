use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261122_000006_create_courses::Courses;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Start and end measurements (R-MEASURES): WHOQOL-BREF domain scores (0–100) or the BDI-21
/// total (0–63). Scores only; the forms' item texts are copyrighted and never stored.
#[derive(DeriveIden)]
enum Measures {
    Table,
    Id,
    Uuid,
    CourseId,
    ParticipantId,
    Instrument,
    Occasion,
    MeasuredOn,
    Physical,
    Psychological,
    Social,
    Environment,
    Total,
    RecordedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Measures::Table)
                    .col(pk_auto(Measures::Id))
                    .col(uuid_uniq(Measures::Uuid))
                    .col(integer(Measures::CourseId))
                    .col(integer(Measures::ParticipantId))
                    .col(string_len(Measures::Instrument, 20))
                    .col(string_len(Measures::Occasion, 10))
                    .col(date(Measures::MeasuredOn))
                    .col(integer_null(Measures::Physical))
                    .col(integer_null(Measures::Psychological))
                    .col(integer_null(Measures::Social))
                    .col(integer_null(Measures::Environment))
                    .col(integer_null(Measures::Total))
                    .col(integer(Measures::RecordedBy))
                    .col(timestamp_with_time_zone(Measures::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Measures::Table, Measures::CourseId)
                            .to(Courses::Table, Courses::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Measures::Table, Measures::ParticipantId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Measures::Table, Measures::RecordedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // One start and one end per instrument, participant and course.
        manager
            .create_index(
                Index::create()
                    .name("ux_measures_one_per_occasion")
                    .table(Measures::Table)
                    .col(Measures::ParticipantId)
                    .col(Measures::CourseId)
                    .col(Measures::Instrument)
                    .col(Measures::Occasion)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
