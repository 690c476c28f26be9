use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261122_000006_create_courses::Courses;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A participant's answers to one exercise of their course: the autosaved draft (only they see
/// it) and the latest submitted answers (their guides see these). Answers are JSON objects
/// `{question_id: text | [text]}`.
#[derive(DeriveIden)]
pub enum ExerciseAnswers {
    Table,
    Id,
    Uuid,
    ParticipantId,
    CourseId,
    ItemId,
    ModuleNumber,
    Draft,
    DraftSavedAt,
    Submitted,
    SubmittedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ExerciseAnswers::Table)
                    .col(pk_auto(ExerciseAnswers::Id))
                    .col(uuid_uniq(ExerciseAnswers::Uuid))
                    .col(integer(ExerciseAnswers::ParticipantId))
                    .col(integer(ExerciseAnswers::CourseId))
                    .col(string_len(ExerciseAnswers::ItemId, 200))
                    .col(integer(ExerciseAnswers::ModuleNumber))
                    .col(text_null(ExerciseAnswers::Draft))
                    .col(timestamp_with_time_zone_null(ExerciseAnswers::DraftSavedAt))
                    .col(text_null(ExerciseAnswers::Submitted))
                    .col(timestamp_with_time_zone_null(ExerciseAnswers::SubmittedAt))
                    .col(timestamp_with_time_zone(ExerciseAnswers::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ExerciseAnswers::Table, ExerciseAnswers::ParticipantId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ExerciseAnswers::Table, ExerciseAnswers::CourseId)
                            .to(Courses::Table, Courses::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_exercise_answers_participant_course_item")
                    .table(ExerciseAnswers::Table)
                    .col(ExerciseAnswers::ParticipantId)
                    .col(ExerciseAnswers::CourseId)
                    .col(ExerciseAnswers::ItemId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_exercise_answers_course")
                    .table(ExerciseAnswers::Table)
                    .col(ExerciseAnswers::CourseId)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
