use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Append-only usage log of staff reads of participants' data (703/2023 §11, SECURITY.md S21).
/// Rows are hash-chained: each `hash` covers the row and the previous row's hash, so an edited
/// or deleted row breaks the chain, and `prev_hash` is unique so concurrent writers cannot fork it. No health data is stored here, only categories.
#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorUserId,
    ActorRole,
    SubjectUserId,
    ProviderId,
    Category,
    Action,
    Purpose,
    RequestId,
    Outcome,
    PrevHash,
    Hash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(pk_auto(AuditLog::Id))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    // Plain ids, no foreign keys: the log must outlive erased accounts.
                    .col(uuid_null(AuditLog::ActorUserId))
                    .col(string_len(AuditLog::ActorRole, 32))
                    .col(uuid_null(AuditLog::SubjectUserId))
                    .col(integer_null(AuditLog::ProviderId))
                    .col(string_len(AuditLog::Category, 48))
                    .col(string_len(AuditLog::Action, 32))
                    .col(string_len(AuditLog::Purpose, 48))
                    .col(string_len(AuditLog::RequestId, 64))
                    .col(string_len(AuditLog::Outcome, 16))
                    .col(string_len_uniq(AuditLog::PrevHash, 64)) // two rows never share a parent: no forks
                    .col(string_len_uniq(AuditLog::Hash, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_log_subject")
                    .table(AuditLog::Table)
                    .col(AuditLog::SubjectUserId)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
