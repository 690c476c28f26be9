use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every instance reads the sessions revoked in the last minutes once a second (the revocation
/// set, S4); a partial index over revoked rows keeps that read small as the table grows.
#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    RevokedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ix_refresh_tokens_revoked_at")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::RevokedAt)
                    .and_where(Expr::col(RefreshTokens::RevokedAt).is_not_null())
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
