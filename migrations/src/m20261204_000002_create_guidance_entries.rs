use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261122_000006_create_courses::Courses;
use crate::m20261204_000001_create_contacts::Contacts;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The guidance ledger (R-GUIDANCE-4H, R-GUIDE-ONE): one row per piece of guidance given by
/// exactly one professional. Rows are never deleted: a correction bumps `version` (the earlier
/// state stays in `guidance_entry_revisions`) and removing one sets `voided_at` with a reason.
#[derive(DeriveIden)]
pub enum GuidanceEntries {
    Table,
    Id,
    Uuid,
    CourseId,
    /// R-GUIDE-ONE: the one team member who gave the guidance.
    ProfessionalId,
    /// `group_chat`, `private_thread`, `video_call`, `phone_call`, `feedback` or `other`.
    Kind,
    StartedAt,
    Minutes,
    Note,
    /// `manual`, `contact` (a done contact), later `chat_session`.
    Source,
    /// The contact this entry credits, at most one entry per contact.
    ContactId,
    Version,
    VoidedAt,
    VoidedBy,
    VoidReason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(GuidanceEntries::Table)
                    .col(pk_auto(GuidanceEntries::Id))
                    .col(uuid_uniq(GuidanceEntries::Uuid))
                    .col(integer(GuidanceEntries::CourseId))
                    .col(integer(GuidanceEntries::ProfessionalId))
                    .col(string_len(GuidanceEntries::Kind, 20))
                    .col(timestamp_with_time_zone(GuidanceEntries::StartedAt))
                    .col(integer(GuidanceEntries::Minutes))
                    .col(text(GuidanceEntries::Note))
                    .col(string_len(GuidanceEntries::Source, 20))
                    .col(integer_null(GuidanceEntries::ContactId))
                    .col(integer(GuidanceEntries::Version))
                    .col(timestamp_with_time_zone_null(GuidanceEntries::VoidedAt))
                    .col(integer_null(GuidanceEntries::VoidedBy))
                    .col(text_null(GuidanceEntries::VoidReason))
                    .col(integer(GuidanceEntries::CreatedBy))
                    .col(timestamp_with_time_zone(GuidanceEntries::CreatedAt))
                    .col(timestamp_with_time_zone(GuidanceEntries::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(GuidanceEntries::Table, GuidanceEntries::CourseId)
                            .to(Courses::Table, Courses::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(GuidanceEntries::Table, GuidanceEntries::ProfessionalId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(GuidanceEntries::Table, GuidanceEntries::ContactId)
                            .to(Contacts::Table, Contacts::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(GuidanceEntries::Table, GuidanceEntries::VoidedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(GuidanceEntries::Table, GuidanceEntries::CreatedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // A done contact credits the ledger exactly once (several NULLs are allowed on both
        // SQLite and PostgreSQL).
        manager
            .create_index(
                Index::create()
                    .name("ux_guidance_entries_contact")
                    .table(GuidanceEntries::Table)
                    .col(GuidanceEntries::ContactId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_guidance_entries_course_started")
                    .table(GuidanceEntries::Table)
                    .col(GuidanceEntries::CourseId)
                    .col(GuidanceEntries::StartedAt)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
