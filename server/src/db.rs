//! Opening the database: the embedded SQLite file by default, PostgreSQL when a URL is given.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use etapolku_migrations::Migrator;
use etapolku_migrations::sea_orm_migration::MigratorTrait;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

use crate::config::StorageArgs;

pub mod checkpoint;

/// How much of the SQLite file is read through a memory map (bench-home: 9,965-10,169 ->
/// 10,848-11,063 req/s).
const SQLITE_MMAP_BYTES: u64 = 256 * 1024 * 1024;

/// How long a writer waits for a lock held by another connection or process (SECURITY.md F3).
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub async fn connect(storage: &StorageArgs) -> anyhow::Result<DatabaseConnection> {
    connect_with(storage, storage.db_max_connections).await
}

/// The chat writer's own connection on SQLite (`None` on PostgreSQL, where the writer shares the
/// pool). SQLite drops a connection's whole page cache when another connection has committed
/// since its last transaction; a writer that took whichever pooled connection was free read
/// every index page of every group again from the OS. One connection keeps its cache warm.
pub async fn connect_writer(storage: &StorageArgs) -> anyhow::Result<Option<DatabaseConnection>> {
    if storage.database_url.is_some() {
        return Ok(None);
    }
    Ok(Some(connect_with(storage, 1).await?))
}

async fn connect_with(
    storage: &StorageArgs,
    max_connections: u32,
) -> anyhow::Result<DatabaseConnection> {
    std::fs::create_dir_all(&storage.data_dir)
        .with_context(|| format!("creating data directory {}", storage.data_dir.display()))?;
    let url = match &storage.database_url {
        Some(url) => url.expose().to_owned(),
        None => {
            let path = storage.data_dir.join("etapolku.db");
            format!("sqlite://{}?mode=rwc", path.display())
        }
    };
    let sqlite = url.starts_with("sqlite:");
    let mut options = ConnectOptions::new(url);
    if sqlite {
        // A pooled connection to a file in this process cannot have been dropped by a server or
        // a firewall; pinging it on every checkout was a second round trip to SQLite's worker
        // thread for every statement.
        options.test_before_acquire(false);
    } else {
        options.test_before_acquire_if_idle_for(Duration::from_secs(30));
    }
    options
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        // WAL with synchronous=NORMAL survives kill -9 of the process (SECURITY.md promise 1).
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .pragma("wal_autocheckpoint", checkpoint::AUTOCHECKPOINT_PAGES)
                // Pages of the database file are read from the OS's cache in place instead of
                // copied into each connection's own cache, which SQLite empties whenever another
                // connection has committed. SQLite only reads through the map; it writes as before.
                .pragma("mmap_size", SQLITE_MMAP_BYTES.to_string())
        });
    Database::connect(options)
        .await
        .context("connecting to the database")
}

/// Applies every pending migration; each runs in its own transaction.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("running database migrations")
}

/// How many statements the application has sent to its database: read by the benchmarks and by
/// tests that check an endpoint's query count does not grow with the data (no N+1).
#[derive(Debug, Clone, Default)]
pub struct QueryCounter(Arc<AtomicU64>);

impl QueryCounter {
    /// Counts every statement sent through `db` from now on.
    pub fn attach(db: &mut DatabaseConnection) -> QueryCounter {
        let counter = QueryCounter::default();
        let inner = counter.0.clone();
        db.set_metric_callback(move |_| {
            inner.fetch_add(1, Ordering::Relaxed);
        });
        counter
    }

    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// A raw statement's `$n` parameters as each database writes them (SQLite: `?n`). The statement
/// must have no `$` of its own.
pub fn for_backend(backend: sea_orm::DbBackend, sql: &str) -> String {
    match backend {
        sea_orm::DbBackend::Sqlite => sql.replace('$', "?"),
        _ => sql.to_owned(),
    }
}

/// Separates the values of a list folded into one column ([`list_agg`]): a control character no
/// id or name holds, so one row per participant can carry all her items instead of a row each.
pub const LIST_SEPARATOR: char = '\u{1f}';

/// The aggregate that folds `expr` of many rows into one value, apart by [`LIST_SEPARATOR`]
/// (order unspecified).
pub fn list_agg(backend: sea_orm::DbBackend, expr: &str) -> String {
    match backend {
        sea_orm::DbBackend::Postgres => format!("string_agg({expr}, chr(31))"),
        _ => format!("group_concat({expr}, char(31))"),
    }
}

/// The values of a list [`list_agg`] folded (none for NULL).
pub fn split_list(folded: Option<&str>) -> impl Iterator<Item = &str> {
    folded
        .unwrap_or_default()
        .split(LIST_SEPARATOR)
        .filter(|v| !v.is_empty())
}

/// Runs a raw statement written with `$n` parameters on either database and reads each row as a
/// `T` (columns by name).
pub async fn select_all<C: sea_orm::ConnectionTrait, T: sea_orm::FromQueryResult>(
    db: &C,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Result<Vec<T>, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            for_backend(backend, sql),
            values,
        ))
        .await?;
    rows.iter().map(|r| T::from_query_result(r, "")).collect()
}

/// One writer at a time inside this process on SQLite. SQLite allows a single writer; without
/// this, concurrent chat sends wait in SQLite's busy handler, which sleeps in steps of up to
/// 100 ms and made a send's p99 ten times its median under load. Waiting here is a queue
/// instead. PostgreSQL locks rows itself and gets no gate. Hold the guard until commit.
static SQLITE_WRITER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub async fn write_gate<C: sea_orm::ConnectionTrait>(
    db: &C,
) -> Option<tokio::sync::MutexGuard<'static, ()>> {
    match db.get_database_backend() {
        sea_orm::DatabaseBackend::Sqlite => Some(SQLITE_WRITER.lock().await),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::sqlx::sqlite::SqliteConnectOptions;
    use sea_orm::sqlx::{ConnectOptions as _, Connection as _, Executor as _, Row as _};
    use sea_orm::{ConnectionTrait, Statement};

    async fn pragma_values(db: &sea_orm::DatabaseConnection, pragma: &str) -> Vec<String> {
        db.query_all_raw(Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            format!("PRAGMA {pragma}"),
        ))
        .await
        .expect("pragma")
        .iter()
        .map(|row| {
            row.try_get_by_index::<String>(0)
                .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
                .expect("value")
        })
        .collect()
    }

    /// The SQLite the server runs on is the one `.cargo/config.toml` asks for, opened as
    /// `connect_with` says: a build that lost the flags would still pass every other test.
    #[tokio::test]
    async fn the_sqlite_pool_has_the_build_options_and_settings_it_was_tuned_with() {
        let dir = tempfile::tempdir().expect("tempdir");
        let storage = crate::config::StorageArgs {
            data_dir: dir.path().to_path_buf(),
            database_url: None,
            db_max_connections: 2,
        };
        let db = super::connect(&storage).await.expect("connect");
        let options = pragma_values(&db, "compile_options").await;
        for wanted in ["DQS=0", "DEFAULT_MEMSTATUS=0"] {
            assert!(
                options.iter().any(|o| o == wanted),
                "{wanted} missing: {options:?}"
            );
        }
        // With it, every connection's page cache was one group behind one global lock.
        assert!(
            !options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"),
            "{options:?}"
        );
        assert_eq!(
            pragma_values(&db, "mmap_size").await,
            [super::SQLITE_MMAP_BYTES.to_string()]
        );
        assert_eq!(pragma_values(&db, "journal_mode").await, ["wal"]);
        db.close().await.expect("close");
    }

    /// A pooled connection that read the schema before another connection added a column must
    /// still read that column by name. With SQLite's double-quoted string literals on, the stale
    /// connection compiled `"x"` as the string 'x', SQLite re-prepared the statement with the
    /// column when it ran, but sqlx kept the names of the first compile: the row had no `x`
    /// (seen as a rare "Missing value for column 'activity_nudges'" when an account was made
    /// right after start-up). `.cargo/config.toml` builds SQLite without them.
    #[tokio::test]
    async fn a_connection_with_an_old_schema_reads_a_new_column_by_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let options = SqliteConnectOptions::new()
            .filename(dir.path().join("t.db"))
            .create_if_missing(true);
        let mut a = options.connect().await.expect("a");
        a.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
            .await
            .expect("create");
        a.execute("INSERT INTO t (id) VALUES (1)")
            .await
            .expect("insert");
        let mut b = options.connect().await.expect("b");
        b.execute("SELECT id FROM t")
            .await
            .expect("b reads the schema");
        a.execute("ALTER TABLE t ADD COLUMN x INTEGER NOT NULL DEFAULT 7")
            .await
            .expect("alter");
        let row = sea_orm::sqlx::query("SELECT \"id\", \"x\" FROM t")
            .fetch_one(&mut b)
            .await
            .expect("select");
        assert_eq!(row.try_get::<i64, _>("x").expect("column x"), 7);
        a.close().await.expect("close a");
        b.close().await.expect("close b");
    }
}
