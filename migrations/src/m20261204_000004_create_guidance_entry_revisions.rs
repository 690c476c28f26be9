use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261204_000002_create_guidance_entries::GuidanceEntries;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every state a guidance entry has had: version 1 as created, then one row per correction or
/// void, with who, when, why and the whole entry (credited participants included) as JSON.
#[derive(DeriveIden)]
enum GuidanceEntryRevisions {
    Table,
    Id,
    EntryId,
    Version,
    /// `created`, `corrected` or `voided`.
    Change,
    Reason,
    ChangedBy,
    ChangedAt,
    /// JSON of the entry after this change.
    Snapshot,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(GuidanceEntryRevisions::Table)
                    .col(pk_auto(GuidanceEntryRevisions::Id))
                    .col(integer(GuidanceEntryRevisions::EntryId))
                    .col(integer(GuidanceEntryRevisions::Version))
                    .col(string_len(GuidanceEntryRevisions::Change, 20))
                    .col(text_null(GuidanceEntryRevisions::Reason))
                    .col(integer(GuidanceEntryRevisions::ChangedBy))
                    .col(timestamp_with_time_zone(GuidanceEntryRevisions::ChangedAt))
                    .col(text(GuidanceEntryRevisions::Snapshot))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                GuidanceEntryRevisions::Table,
                                GuidanceEntryRevisions::EntryId,
                            )
                            .to(GuidanceEntries::Table, GuidanceEntries::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                GuidanceEntryRevisions::Table,
                                GuidanceEntryRevisions::ChangedBy,
                            )
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_guidance_entry_revisions_entry_version")
                    .table(GuidanceEntryRevisions::Table)
                    .col(GuidanceEntryRevisions::EntryId)
                    .col(GuidanceEntryRevisions::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
