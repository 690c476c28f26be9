use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261122_000006_create_courses::Courses;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every state change of a course, with who made it and why.
#[derive(DeriveIden)]
enum CourseTransitions {
    Table,
    Id,
    CourseId,
    FromState,
    ToState,
    Reason,
    ActorUserId,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CourseTransitions::Table)
                    .col(pk_auto(CourseTransitions::Id))
                    .col(integer(CourseTransitions::CourseId))
                    .col(string_len(CourseTransitions::FromState, 16))
                    .col(string_len(CourseTransitions::ToState, 16))
                    .col(text_null(CourseTransitions::Reason))
                    .col(integer(CourseTransitions::ActorUserId))
                    .col(timestamp_with_time_zone(CourseTransitions::At))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CourseTransitions::Table, CourseTransitions::CourseId)
                            .to(Courses::Table, Courses::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CourseTransitions::Table, CourseTransitions::ActorUserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_course_transitions_course")
                    .table(CourseTransitions::Table)
                    .col(CourseTransitions::CourseId)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
