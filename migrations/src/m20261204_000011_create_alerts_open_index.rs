use sea_orm_migration::prelude::*;

use crate::m20261204_000010_create_alerts::Alerts;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// At most one open alert per participant, course and kind: two evaluation passes at once (two
/// instances, or a pass overlapping a slow one) cannot open the same alert twice. Closed rows are
/// outside the index, so a fact that comes back opens a new alert (a partial unique index, which
/// SQLite and PostgreSQL both have).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ux_alerts_open_per_kind")
                    .table(Alerts::Table)
                    .col(Alerts::CourseId)
                    .col(Alerts::ParticipantId)
                    .col(Alerts::Kind)
                    .unique()
                    .and_where(Expr::col(Alerts::ClosedAt).is_null())
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
