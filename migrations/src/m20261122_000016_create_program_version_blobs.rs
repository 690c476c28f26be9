use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000013_create_blobs::Blobs;
use crate::m20261122_000015_create_program_versions::ProgramVersions;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Which blobs a program version uses: the media endpoint serves only these to its readers.
#[derive(DeriveIden)]
enum ProgramVersionBlobs {
    Table,
    Id,
    VersionId,
    Sha256,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProgramVersionBlobs::Table)
                    .col(pk_auto(ProgramVersionBlobs::Id))
                    .col(integer(ProgramVersionBlobs::VersionId))
                    .col(string_len(ProgramVersionBlobs::Sha256, 64))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProgramVersionBlobs::Table, ProgramVersionBlobs::VersionId)
                            .to(ProgramVersions::Table, ProgramVersions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProgramVersionBlobs::Table, ProgramVersionBlobs::Sha256)
                            .to(Blobs::Table, Blobs::Sha256),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_program_version_blobs")
                    .table(ProgramVersionBlobs::Table)
                    .col(ProgramVersionBlobs::VersionId)
                    .col(ProgramVersionBlobs::Sha256)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
