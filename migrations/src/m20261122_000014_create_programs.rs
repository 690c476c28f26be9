use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_providers::Providers;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A web-rehabilitation program of a provider; its imports are its versions. `identity_key`
/// recognises a newer backup of the same source course (Moodle site + course id).
#[derive(DeriveIden)]
pub enum Programs {
    Table,
    Id,
    Uuid,
    ProviderId,
    IdentityKey,
    Title,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Programs::Table)
                    .col(pk_auto(Programs::Id))
                    .col(uuid_uniq(Programs::Uuid))
                    .col(integer(Programs::ProviderId))
                    .col(string_len(Programs::IdentityKey, 200))
                    .col(string(Programs::Title))
                    .col(timestamp_with_time_zone(Programs::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Programs::Table, Programs::ProviderId)
                            .to(Providers::Table, Providers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_programs_provider_identity")
                    .table(Programs::Table)
                    .col(Programs::ProviderId)
                    .col(Programs::IdentityKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
