use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_providers::Providers;
use crate::m20261122_000014_create_programs::Programs;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One import of a program. `document` is the content model as JSON; `source_sha256` is unique
/// per provider, so the same file imported twice is one version (SECURITY.md F15).
#[derive(DeriveIden)]
pub enum ProgramVersions {
    Table,
    Id,
    Uuid,
    ProgramId,
    ProviderId,
    Version,
    SourceSha256,
    SourceName,
    Format,
    Document,
    Report,
    ImportedBy,
    ImportedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProgramVersions::Table)
                    .col(pk_auto(ProgramVersions::Id))
                    .col(uuid_uniq(ProgramVersions::Uuid))
                    .col(integer(ProgramVersions::ProgramId))
                    .col(integer(ProgramVersions::ProviderId))
                    .col(integer(ProgramVersions::Version))
                    .col(string_len(ProgramVersions::SourceSha256, 64))
                    .col(string(ProgramVersions::SourceName))
                    .col(string_len(ProgramVersions::Format, 16))
                    .col(text(ProgramVersions::Document))
                    .col(text(ProgramVersions::Report))
                    .col(integer_null(ProgramVersions::ImportedBy))
                    .col(timestamp_with_time_zone(ProgramVersions::ImportedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProgramVersions::Table, ProgramVersions::ProgramId)
                            .to(Programs::Table, Programs::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProgramVersions::Table, ProgramVersions::ProviderId)
                            .to(Providers::Table, Providers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_program_versions_provider_source")
                    .table(ProgramVersions::Table)
                    .col(ProgramVersions::ProviderId)
                    .col(ProgramVersions::SourceSha256)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_program_versions_program_version")
                    .table(ProgramVersions::Table)
                    .col(ProgramVersions::ProgramId)
                    .col(ProgramVersions::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
