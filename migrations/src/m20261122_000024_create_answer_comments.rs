use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261122_000022_create_exercise_answers::ExerciseAnswers;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A guide's comment on a participant's submitted exercise answers.
#[derive(DeriveIden)]
enum AnswerComments {
    Table,
    Id,
    Uuid,
    AnswerId,
    AuthorId,
    Body,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AnswerComments::Table)
                    .col(pk_auto(AnswerComments::Id))
                    .col(uuid_uniq(AnswerComments::Uuid))
                    .col(integer(AnswerComments::AnswerId))
                    .col(integer(AnswerComments::AuthorId))
                    .col(text(AnswerComments::Body))
                    .col(timestamp_with_time_zone(AnswerComments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AnswerComments::Table, AnswerComments::AnswerId)
                            .to(ExerciseAnswers::Table, ExerciseAnswers::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AnswerComments::Table, AnswerComments::AuthorId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_answer_comments_answer")
                    .table(AnswerComments::Table)
                    .col(AnswerComments::AnswerId)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
