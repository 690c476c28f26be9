use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Feedback from the accessibility statement page; answered within 14 days (UX.md A18, A19).
#[derive(DeriveIden)]
enum AccessibilityFeedback {
    Table,
    Id,
    Uuid,
    ReceivedAt,
    Message,
    Email,
    Language,
    RepliedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccessibilityFeedback::Table)
                    .col(pk_auto(AccessibilityFeedback::Id))
                    .col(uuid_uniq(AccessibilityFeedback::Uuid))
                    .col(timestamp_with_time_zone(AccessibilityFeedback::ReceivedAt))
                    .col(text(AccessibilityFeedback::Message))
                    .col(string_null(AccessibilityFeedback::Email))
                    .col(string_len(AccessibilityFeedback::Language, 8))
                    .col(timestamp_with_time_zone_null(
                        AccessibilityFeedback::RepliedAt,
                    ))
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
