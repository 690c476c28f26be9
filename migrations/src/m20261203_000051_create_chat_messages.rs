use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261203_000050_create_chat_rooms::ChatRooms;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Each room's append-only log: `message` rows and `event` rows (edits, deletions, moderation),
/// ordered by `seq` without gaps. The target message row keeps its current state.
#[derive(DeriveIden)]
pub enum ChatMessages {
    Table,
    Id,
    Uuid,
    RoomId,
    Seq,
    Kind,
    SenderId,
    ClientMsgId,
    Body,
    Event,
    TargetSeq,
    Detail,
    CreatedAt,
    EditedAt,
    DeletedAt,
    HiddenAt,
    HiddenBy,
    HiddenReason,
    RemovedBy,
    PinnedAt,
    PinnedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ChatMessages::Table)
                    .col(big_pk_auto(ChatMessages::Id))
                    .col(uuid_uniq(ChatMessages::Uuid))
                    .col(integer(ChatMessages::RoomId))
                    .col(big_integer(ChatMessages::Seq))
                    .col(string_len(ChatMessages::Kind, 16))
                    .col(integer(ChatMessages::SenderId))
                    .col(uuid_null(ChatMessages::ClientMsgId))
                    .col(text(ChatMessages::Body))
                    .col(string_len_null(ChatMessages::Event, 24))
                    .col(big_integer_null(ChatMessages::TargetSeq))
                    .col(text_null(ChatMessages::Detail))
                    .col(timestamp_with_time_zone(ChatMessages::CreatedAt))
                    .col(timestamp_with_time_zone_null(ChatMessages::EditedAt))
                    .col(timestamp_with_time_zone_null(ChatMessages::DeletedAt))
                    .col(timestamp_with_time_zone_null(ChatMessages::HiddenAt))
                    .col(integer_null(ChatMessages::HiddenBy))
                    .col(text_null(ChatMessages::HiddenReason))
                    .col(integer_null(ChatMessages::RemovedBy))
                    .col(timestamp_with_time_zone_null(ChatMessages::PinnedAt))
                    .col(integer_null(ChatMessages::PinnedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ChatMessages::Table, ChatMessages::RoomId)
                            .to(ChatRooms::Table, ChatRooms::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ChatMessages::Table, ChatMessages::SenderId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // Promise 3: one row per (room, seq), so a total order without duplicates.
        manager
            .create_index(
                Index::create()
                    .name("ux_chat_messages_room_seq")
                    .table(ChatMessages::Table)
                    .col(ChatMessages::RoomId)
                    .col(ChatMessages::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Promise 2: a resent client message id finds the stored row instead of making a second.
        manager
            .create_index(
                Index::create()
                    .name("ux_chat_messages_room_sender_client_msg")
                    .table(ChatMessages::Table)
                    .col(ChatMessages::RoomId)
                    .col(ChatMessages::SenderId)
                    .col(ChatMessages::ClientMsgId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
