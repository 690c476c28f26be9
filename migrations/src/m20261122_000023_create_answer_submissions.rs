use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000022_create_exercise_answers::ExerciseAnswers;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every submission of an exercise's answers, kept when the participant submits again.
#[derive(DeriveIden)]
enum AnswerSubmissions {
    Table,
    Id,
    AnswerId,
    Answers,
    SubmittedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AnswerSubmissions::Table)
                    .col(pk_auto(AnswerSubmissions::Id))
                    .col(integer(AnswerSubmissions::AnswerId))
                    .col(text(AnswerSubmissions::Answers))
                    .col(timestamp_with_time_zone(AnswerSubmissions::SubmittedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AnswerSubmissions::Table, AnswerSubmissions::AnswerId)
                            .to(ExerciseAnswers::Table, ExerciseAnswers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_answer_submissions_answer")
                    .table(AnswerSubmissions::Table)
                    .col(AnswerSubmissions::AnswerId)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
