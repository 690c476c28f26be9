use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261203_000050_create_chat_rooms::ChatRooms;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Each user's read marker per room; it only moves forward.
#[derive(DeriveIden)]
pub enum ChatReads {
    Table,
    RoomId,
    UserId,
    LastReadSeq,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ChatReads::Table)
                    .col(integer(ChatReads::RoomId))
                    .col(integer(ChatReads::UserId))
                    .col(big_integer(ChatReads::LastReadSeq).default(0))
                    .col(timestamp_with_time_zone(ChatReads::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(ChatReads::RoomId)
                            .col(ChatReads::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ChatReads::Table, ChatReads::RoomId)
                            .to(ChatRooms::Table, ChatRooms::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ChatReads::Table, ChatReads::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
