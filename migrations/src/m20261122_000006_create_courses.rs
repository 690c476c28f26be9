use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_providers::Providers;
use crate::m20261122_000002_create_sites::Sites;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A course; its period dates are computed from `onsite1_start` (a Monday), not stored.
#[derive(DeriveIden)]
pub enum Courses {
    Table,
    Id,
    Uuid,
    ProviderId,
    SiteId,
    Title,
    Language,
    TargetGroup,
    Onsite1Start,
    FollowUpEnd,
    State,
    ConfirmedOn,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Courses::Table)
                    .col(pk_auto(Courses::Id))
                    .col(uuid_uniq(Courses::Uuid))
                    .col(integer(Courses::ProviderId))
                    .col(integer(Courses::SiteId))
                    .col(string(Courses::Title))
                    .col(string_len(Courses::Language, 8))
                    .col(string_len(Courses::TargetGroup, 16))
                    .col(date(Courses::Onsite1Start))
                    .col(date_null(Courses::FollowUpEnd))
                    .col(string_len(Courses::State, 16))
                    .col(date_null(Courses::ConfirmedOn))
                    .col(timestamp_with_time_zone(Courses::CreatedAt))
                    .col(timestamp_with_time_zone(Courses::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Courses::Table, Courses::ProviderId)
                            .to(Providers::Table, Providers::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Courses::Table, Courses::SiteId)
                            .to(Sites::Table, Sites::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_courses_provider")
                    .table(Courses::Table)
                    .col(Courses::ProviderId)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
