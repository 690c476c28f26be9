use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261204_000002_create_guidance_entries::GuidanceEntries;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The participants a guidance entry credits now (a group chat session credits several). Earlier
/// lists stay in the entry's revisions.
#[derive(DeriveIden)]
enum GuidanceCredits {
    Table,
    Id,
    EntryId,
    ParticipantId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(GuidanceCredits::Table)
                    .col(pk_auto(GuidanceCredits::Id))
                    .col(integer(GuidanceCredits::EntryId))
                    .col(integer(GuidanceCredits::ParticipantId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(GuidanceCredits::Table, GuidanceCredits::EntryId)
                            .to(GuidanceEntries::Table, GuidanceEntries::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(GuidanceCredits::Table, GuidanceCredits::ParticipantId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_guidance_credits_entry_participant")
                    .table(GuidanceCredits::Table)
                    .col(GuidanceCredits::EntryId)
                    .col(GuidanceCredits::ParticipantId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_guidance_credits_participant")
                    .table(GuidanceCredits::Table)
                    .col(GuidanceCredits::ParticipantId)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
