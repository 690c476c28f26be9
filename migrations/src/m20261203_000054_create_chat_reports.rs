use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261203_000050_create_chat_rooms::ChatRooms;
use crate::m20261203_000051_create_chat_messages::ChatMessages;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A participant's report of a message, for the course's guides to resolve.
#[derive(DeriveIden)]
pub enum ChatReports {
    Table,
    Id,
    Uuid,
    RoomId,
    MessageId,
    ReporterId,
    Reason,
    CreatedAt,
    ResolvedAt,
    ResolvedBy,
    Resolution,
    Note,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ChatReports::Table)
                    .col(pk_auto(ChatReports::Id))
                    .col(uuid_uniq(ChatReports::Uuid))
                    .col(integer(ChatReports::RoomId))
                    .col(big_integer(ChatReports::MessageId))
                    .col(integer(ChatReports::ReporterId))
                    .col(text(ChatReports::Reason))
                    .col(timestamp_with_time_zone(ChatReports::CreatedAt))
                    .col(timestamp_with_time_zone_null(ChatReports::ResolvedAt))
                    .col(integer_null(ChatReports::ResolvedBy))
                    .col(string_len_null(ChatReports::Resolution, 16))
                    .col(text_null(ChatReports::Note))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ChatReports::Table, ChatReports::RoomId)
                            .to(ChatRooms::Table, ChatRooms::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ChatReports::Table, ChatReports::MessageId)
                            .to(ChatMessages::Table, ChatMessages::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ChatReports::Table, ChatReports::ReporterId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_chat_reports_room")
                    .table(ChatReports::Table)
                    .col(ChatReports::RoomId)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
