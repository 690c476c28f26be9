use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_providers::Providers;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every account: participants, guides, provider admins and platform admins.
#[derive(DeriveIden)]
pub enum Users {
    Table,
    Id,
    Uuid,
    ProviderId,
    Email,
    DisplayName,
    Role,
    Profession,
    Language,
    PasswordHash,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(pk_auto(Users::Id))
                    .col(uuid_uniq(Users::Uuid))
                    // Platform admins belong to no provider.
                    .col(integer_null(Users::ProviderId))
                    // Stored lower-cased, so uniqueness is case-insensitive.
                    .col(string_uniq(Users::Email))
                    .col(string(Users::DisplayName))
                    .col(string_len(Users::Role, 32))
                    .col(string_len_null(Users::Profession, 48))
                    .col(string_len(Users::Language, 8))
                    .col(string_null(Users::PasswordHash))
                    .col(string_len(Users::Status, 16))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Users::Table, Users::ProviderId)
                            .to(Providers::Table, Providers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_users_provider_role")
                    .table(Users::Table)
                    .col(Users::ProviderId)
                    .col(Users::Role)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
