use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261122_000006_create_courses::Courses;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A course's chat rooms: one `group`, one `team`, one `private` per participant. Membership is not
/// stored (it follows enrolment and team assignment); `last_seq` hands out each room's sequence
/// numbers inside the insert transaction.
#[derive(DeriveIden)]
pub enum ChatRooms {
    Table,
    Id,
    Uuid,
    CourseId,
    Kind,
    Key,
    ParticipantId,
    ReadOnly,
    SlowModeSeconds,
    LastSeq,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ChatRooms::Table)
                    .col(pk_auto(ChatRooms::Id))
                    .col(uuid_uniq(ChatRooms::Uuid))
                    .col(integer(ChatRooms::CourseId))
                    .col(string_len(ChatRooms::Kind, 16))
                    .col(string_len(ChatRooms::Key, 64))
                    .col(integer_null(ChatRooms::ParticipantId))
                    .col(boolean(ChatRooms::ReadOnly).default(false))
                    .col(integer(ChatRooms::SlowModeSeconds).default(0))
                    .col(big_integer(ChatRooms::LastSeq).default(0))
                    .col(timestamp_with_time_zone(ChatRooms::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ChatRooms::Table, ChatRooms::CourseId)
                            .to(Courses::Table, Courses::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ChatRooms::Table, ChatRooms::ParticipantId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // Two concurrent "get or create" calls can never make two rooms for one key.
        manager
            .create_index(
                Index::create()
                    .name("ux_chat_rooms_course_key")
                    .table(ChatRooms::Table)
                    .col(ChatRooms::CourseId)
                    .col(ChatRooms::Key)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
