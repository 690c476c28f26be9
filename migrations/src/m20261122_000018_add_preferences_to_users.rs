use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// What a person wants by mail: notices of new feedback, and reminders of the day's
/// self-rehabilitation tasks. Both on by default; either can be turned off in the settings.
#[derive(DeriveIden)]
enum Users {
    Table,
    MailNotifications,
    TaskReminders,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for column in [
            boolean(Users::MailNotifications).default(true).to_owned(),
            boolean(Users::TaskReminders).default(true).to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
