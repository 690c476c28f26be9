use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261122_000006_create_courses::Courses;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A participant on a course, with the Kela decision date the deadlines are counted from.
#[derive(DeriveIden)]
enum Enrolments {
    Table,
    Id,
    CourseId,
    ParticipantId,
    DecisionDate,
    PersonalGuideId,
    EnrolledOn,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Enrolments::Table)
                    .col(pk_auto(Enrolments::Id))
                    .col(integer(Enrolments::CourseId))
                    .col(integer(Enrolments::ParticipantId))
                    .col(date(Enrolments::DecisionDate))
                    .col(integer_null(Enrolments::PersonalGuideId))
                    .col(date(Enrolments::EnrolledOn))
                    .col(timestamp_with_time_zone(Enrolments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Enrolments::Table, Enrolments::CourseId)
                            .to(Courses::Table, Courses::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Enrolments::Table, Enrolments::ParticipantId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Enrolments::Table, Enrolments::PersonalGuideId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_enrolments_course_participant")
                    .table(Enrolments::Table)
                    .col(Enrolments::CourseId)
                    .col(Enrolments::ParticipantId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_enrolments_participant")
                    .table(Enrolments::Table)
                    .col(Enrolments::ParticipantId)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
