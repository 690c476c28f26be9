use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261122_000006_create_courses::Courses;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A guide muting a participant in all the course's rooms until `until` (or until ended early).
#[derive(DeriveIden)]
pub enum ChatMutes {
    Table,
    Id,
    CourseId,
    ParticipantId,
    Until,
    Reason,
    MutedBy,
    CreatedAt,
    EndedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ChatMutes::Table)
                    .col(pk_auto(ChatMutes::Id))
                    .col(integer(ChatMutes::CourseId))
                    .col(integer(ChatMutes::ParticipantId))
                    .col(timestamp_with_time_zone(ChatMutes::Until))
                    .col(text(ChatMutes::Reason))
                    .col(integer(ChatMutes::MutedBy))
                    .col(timestamp_with_time_zone(ChatMutes::CreatedAt))
                    .col(timestamp_with_time_zone_null(ChatMutes::EndedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ChatMutes::Table, ChatMutes::CourseId)
                            .to(Courses::Table, Courses::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ChatMutes::Table, ChatMutes::ParticipantId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ChatMutes::Table, ChatMutes::MutedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_chat_mutes_course_participant")
                    .table(ChatMutes::Table)
                    .col(ChatMutes::CourseId)
                    .col(ChatMutes::ParticipantId)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
