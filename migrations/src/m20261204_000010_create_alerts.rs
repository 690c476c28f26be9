use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261122_000006_create_courses::Courses;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Alerts about a participant of a course that the guides act on (issue 6, item 4): opened and
/// closed by the scheduler as the facts change, acknowledged by a guide with a note. A row is one
/// spell of one fact: when the fact ends the row is closed, and when it comes back a new row opens.
#[derive(DeriveIden)]
pub enum Alerts {
    Table,
    Id,
    Uuid,
    CourseId,
    /// The participant (a user id) the alert is about.
    ParticipantId,
    /// `inactive`, `program_behind`, `guidance_behind`, `contact_overdue`, `interim_unplanned`,
    /// `follow_up_unplanned` or `message_unanswered`.
    Kind,
    OpenedAt,
    /// Set when the fact no longer holds; an open alert has none.
    ClosedAt,
    AcknowledgedAt,
    AcknowledgedBy,
    /// The guide's note on acknowledging; never mailed.
    AckNote,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Alerts::Table)
                    .col(pk_auto(Alerts::Id))
                    .col(uuid_uniq(Alerts::Uuid))
                    .col(integer(Alerts::CourseId))
                    .col(integer(Alerts::ParticipantId))
                    .col(string_len(Alerts::Kind, 30))
                    .col(timestamp_with_time_zone(Alerts::OpenedAt))
                    .col(timestamp_with_time_zone_null(Alerts::ClosedAt))
                    .col(timestamp_with_time_zone_null(Alerts::AcknowledgedAt))
                    .col(integer_null(Alerts::AcknowledgedBy))
                    .col(text_null(Alerts::AckNote))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Alerts::Table, Alerts::CourseId)
                            .to(Courses::Table, Courses::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Alerts::Table, Alerts::ParticipantId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Alerts::Table, Alerts::AcknowledgedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // A course's alerts, newest first, for its guides and the evaluation pass.
        manager
            .create_index(
                Index::create()
                    .name("ix_alerts_course_opened")
                    .table(Alerts::Table)
                    .col(Alerts::CourseId)
                    .col(Alerts::OpenedAt)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
