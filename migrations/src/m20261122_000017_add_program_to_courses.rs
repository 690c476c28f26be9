use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The program version a course uses, and how its modules open: `weekly` (module n in remote
/// week n) or `all` at once.
#[derive(DeriveIden)]
enum Courses {
    Table,
    ProgramVersionId,
    ReleaseMode,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Courses::Table)
                    .add_column(integer_null(Courses::ProgramVersionId))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Courses::Table)
                    .add_column(string_len(Courses::ReleaseMode, 16).default("weekly"))
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
