use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A task may serve one of the participant's GAS goals (issue 4: "optionally linked to a module
/// or a goal"). Registered after the goals table's migration, which it refers to.
#[derive(DeriveIden)]
enum SelfrehabTasks {
    Table,
    GoalId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(add_goal_id()).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

fn add_goal_id() -> TableAlterStatement {
    // sea-query refuses `ADD FOREIGN KEY` on SQLite (it cannot add table constraints), but
    // both SQLite and PostgreSQL accept a column constraint in `ADD COLUMN` when the column
    // defaults to NULL, so the reference is written into the column itself. No ON DELETE
    // action: deleting a goal unlinks its tasks first, with a history entry for each
    // (goals::service::delete), and the key catches any path that forgets to.
    Table::alter()
        .table(SelfrehabTasks::Table)
        .add_column(
            integer_null(SelfrehabTasks::GoalId)
                .extra(r#"REFERENCES "goals" ("id")"#)
                .take(),
        )
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_is_a_column_constraint_on_both_backends() {
        let want = r#"ALTER TABLE "selfrehab_tasks" ADD COLUMN "goal_id" integer NULL REFERENCES "goals" ("id")"#;
        assert_eq!(add_goal_id().to_string(PostgresQueryBuilder), want);
        assert_eq!(add_goal_id().to_string(SqliteQueryBuilder), want);
    }
}
