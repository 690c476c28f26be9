use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261122_000006_create_courses::Courses;
use crate::m20261203_000050_create_chat_rooms::ChatRooms;
use crate::m20261204_000002_create_guidance_entries::GuidanceEntries;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A guidance session a guide runs in a group room: open, ended (the credited participants
/// proposed), then saved as one guidance entry or cancelled.
#[derive(DeriveIden, Clone, Copy)]
enum ChatGuidanceSessions {
    Table,
    Id,
    Uuid,
    CourseId,
    RoomId,
    /// The room's id while the session runs, NULL after: its unique index allows one running
    /// session per room on SQLite and PostgreSQL alike (NULLs never collide).
    RunningRoomId,
    ProfessionalId,
    StartedAt,
    /// The seq of the room's `guidance_started` event: reading it or later counts as present.
    StartSeq,
    EndedAt,
    EndSeq,
    EndedBy,
    /// JSON list of `{participant, wrote, present}` frozen when the session ended.
    Proposal,
    EntryId,
    CancelledAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let t = ChatGuidanceSessions::Table;
        manager
            .create_table(
                Table::create()
                    .table(t)
                    .col(pk_auto(ChatGuidanceSessions::Id))
                    .col(uuid_uniq(ChatGuidanceSessions::Uuid))
                    .col(integer(ChatGuidanceSessions::CourseId))
                    .col(integer(ChatGuidanceSessions::RoomId))
                    .col(integer_null(ChatGuidanceSessions::RunningRoomId))
                    .col(integer(ChatGuidanceSessions::ProfessionalId))
                    .col(timestamp_with_time_zone(ChatGuidanceSessions::StartedAt))
                    .col(big_integer(ChatGuidanceSessions::StartSeq))
                    .col(timestamp_with_time_zone_null(ChatGuidanceSessions::EndedAt))
                    .col(big_integer_null(ChatGuidanceSessions::EndSeq))
                    .col(integer_null(ChatGuidanceSessions::EndedBy))
                    .col(text_null(ChatGuidanceSessions::Proposal))
                    .col(integer_null(ChatGuidanceSessions::EntryId))
                    .col(timestamp_with_time_zone_null(
                        ChatGuidanceSessions::CancelledAt,
                    ))
                    .col(timestamp_with_time_zone(ChatGuidanceSessions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(t, ChatGuidanceSessions::CourseId)
                            .to(Courses::Table, Courses::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(t, ChatGuidanceSessions::RoomId)
                            .to(ChatRooms::Table, ChatRooms::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(t, ChatGuidanceSessions::ProfessionalId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(t, ChatGuidanceSessions::EntryId)
                            .to(GuidanceEntries::Table, GuidanceEntries::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_chat_guidance_sessions_running_room")
                    .table(t)
                    .col(ChatGuidanceSessions::RunningRoomId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_chat_guidance_sessions_room")
                    .table(t)
                    .col(ChatGuidanceSessions::RoomId)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
