use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Notices shown in a person's UI ("your guide commented on your answer"). They name what
/// happened and link to it; the words are the UI's, so no message text or health data is kept here.
#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    Uuid,
    UserId,
    Kind,
    Params,
    Link,
    CreatedAt,
    ReadAt,
    MailedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(pk_auto(Notifications::Id))
                    .col(uuid_uniq(Notifications::Uuid))
                    .col(integer(Notifications::UserId))
                    .col(string_len(Notifications::Kind, 40))
                    .col(text(Notifications::Params))
                    .col(string_len(Notifications::Link, 300))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .col(timestamp_with_time_zone_null(Notifications::MailedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Notifications::Table, Notifications::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_notifications_user_created")
                    .table(Notifications::Table)
                    .col(Notifications::UserId)
                    .col(Notifications::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
