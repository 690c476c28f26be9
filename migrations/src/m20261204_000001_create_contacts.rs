use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000003_create_users::Users;
use crate::m20261122_000006_create_courses::Courses;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Individual contacts with one participant (R-INTERIM-3, R-FOLLOWUP): the pre-contact, the
/// interim contacts of the remote period and the follow-up contact, by video or phone.
#[derive(DeriveIden)]
pub enum Contacts {
    Table,
    Id,
    Uuid,
    CourseId,
    ParticipantId,
    /// `pre_contact`, `interim` or `follow_up`.
    Kind,
    /// `video` or `phone`.
    Method,
    ProfessionalId,
    PlannedAt,
    PlannedMinutes,
    /// `planned`, `confirmed`, `reschedule_requested`, `done`, `cancelled` or `no_show`.
    Status,
    /// What the participant wrote when asking for another time.
    ParticipantMessage,
    /// Minutes the contact took, once done.
    DoneMinutes,
    /// The professional's note (done, cancelled, no-show); never shown in mail.
    Note,
    /// The random video room name (≥ 128 bits), unguessable.
    Room,
    /// Bumped on every change of time or status: the iCalendar SEQUENCE.
    Sequence,
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
                    .table(Contacts::Table)
                    .col(pk_auto(Contacts::Id))
                    .col(uuid_uniq(Contacts::Uuid))
                    .col(integer(Contacts::CourseId))
                    .col(integer(Contacts::ParticipantId))
                    .col(string_len(Contacts::Kind, 20))
                    .col(string_len(Contacts::Method, 10))
                    .col(integer(Contacts::ProfessionalId))
                    .col(timestamp_with_time_zone(Contacts::PlannedAt))
                    .col(integer(Contacts::PlannedMinutes))
                    .col(string_len(Contacts::Status, 30))
                    .col(text_null(Contacts::ParticipantMessage))
                    .col(integer_null(Contacts::DoneMinutes))
                    .col(text_null(Contacts::Note))
                    .col(string_len_uniq(Contacts::Room, 64))
                    .col(integer(Contacts::Sequence))
                    .col(integer(Contacts::CreatedBy))
                    .col(timestamp_with_time_zone(Contacts::CreatedAt))
                    .col(timestamp_with_time_zone(Contacts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Contacts::Table, Contacts::CourseId)
                            .to(Courses::Table, Courses::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Contacts::Table, Contacts::ParticipantId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Contacts::Table, Contacts::ProfessionalId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Contacts::Table, Contacts::CreatedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // A course's contacts by participant and time; the reminder job scans by time.
        manager
            .create_index(
                Index::create()
                    .name("ix_contacts_course_participant")
                    .table(Contacts::Table)
                    .col(Contacts::CourseId)
                    .col(Contacts::ParticipantId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_contacts_planned_at")
                    .table(Contacts::Table)
                    .col(Contacts::PlannedAt)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
