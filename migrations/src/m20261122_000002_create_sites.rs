use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_providers::Providers;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Sites {
    Table,
    Id,
    Uuid,
    ProviderId,
    Name,
    Municipality,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Sites::Table)
                    .col(pk_auto(Sites::Id))
                    .col(uuid_uniq(Sites::Uuid))
                    .col(integer(Sites::ProviderId))
                    .col(string(Sites::Name))
                    .col(string(Sites::Municipality))
                    .col(timestamp_with_time_zone(Sites::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Sites::Table, Sites::ProviderId)
                            .to(Providers::Table, Providers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_sites_provider_name")
                    .table(Sites::Table)
                    .col(Sites::ProviderId)
                    .col(Sites::Name)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
