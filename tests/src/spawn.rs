//! `spawn_app()`: the real application, bound to port 0, with its own data directory and its own
//! database, and a clock the test can move.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use etapolku_server::clock::ManualClock;
use etapolku_server::config::Config;
use etapolku_server::startup::Application;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

pub struct TestServer {
    pub address: String,
    pub db: DatabaseConnection,
    pub clock: ManualClock,
    pub data_dir: tempfile::TempDir,
    pub handle: actix_web::dev::ServerHandle,
    /// The server's state, for calling scheduled jobs directly (the ticking scheduler is off).
    pub state: etapolku_server::state::AppState,
    /// Set on PostgreSQL: the per-test database, dropped at the end.
    pub pg_database: Option<(String, String)>,
}

/// Monday 2 March 2026, 10:00 Helsinki time: the default "now" of tests.
pub fn default_now() -> DateTime<Utc> {
    // unwrap: a fixed, valid instant.
    #[allow(clippy::unwrap_used)]
    Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap()
}

/// Creates a database of its own for one test on the PostgreSQL server `DATABASE_URL` names.
async fn fresh_pg_database(admin_url: &str) -> anyhow::Result<(String, String)> {
    let admin = Database::connect(admin_url).await?;
    let name = format!("etapolku_test_{}", uuid::Uuid::new_v4().simple());
    // A database name cannot be a bind parameter; it is made here from hex digits only.
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    admin.close().await?;
    let mut url = url::Url::parse(admin_url)?;
    url.set_path(&format!("/{name}"));
    Ok((url.to_string(), name))
}

pub async fn spawn_app() -> TestServer {
    spawn_app_at(default_now()).await
}

pub async fn spawn_app_at(now: DateTime<Utc>) -> TestServer {
    try_spawn(now)
        .await
        .unwrap_or_else(|e| panic!("starting the test server failed: {e:#}"))
}

/// As [`spawn_app_at`], with the test configuration changed by `configure` first.
pub async fn spawn_app_with(now: DateTime<Utc>, configure: impl FnOnce(&mut Config)) -> TestServer {
    try_spawn_with(now, configure)
        .await
        .unwrap_or_else(|e| panic!("starting the test server failed: {e:#}"))
}

async fn try_spawn(now: DateTime<Utc>) -> anyhow::Result<TestServer> {
    try_spawn_with(now, |_| {}).await
}

async fn try_spawn_with(
    now: DateTime<Utc>,
    configure: impl FnOnce(&mut Config),
) -> anyhow::Result<TestServer> {
    let data_dir = tempfile::tempdir()?;
    let pg = match std::env::var("DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(fresh_pg_database(&url).await?),
        _ => None,
    };
    let mut config = test_config(&data_dir, pg.as_ref().map(|(u, _)| u.clone()));
    configure(&mut config);
    let clock = ManualClock::at(now);
    start(config, clock, data_dir, pg).await
}

/// A second server on the same PostgreSQL database as `first`, as two instances behind a load
/// balancer would be. It uses the first one's JWT key, so a token from either works on both.
pub async fn spawn_second_instance(first: &TestServer) -> anyhow::Result<TestServer> {
    let Some((url, _)) = &first.pg_database else {
        anyhow::bail!("a second instance shares a PostgreSQL database; this test runs on SQLite");
    };
    let data_dir = tempfile::tempdir()?;
    std::fs::copy(
        first.data_dir.path().join("jwt.key"),
        data_dir.path().join("jwt.key"),
    )?;
    let config = test_config(&data_dir, Some(url.clone()));
    // The database belongs to the first instance.
    start(config, first.clock.clone(), data_dir, None).await
}

/// The server started again on `first`'s data directory and database (SQLite file or PostgreSQL
/// database), as after a restart: nothing is shared with `first` but what is stored. Mails land in
/// `first`'s outbox.
pub async fn spawn_restarted(first: &TestServer) -> anyhow::Result<TestServer> {
    let url = first.pg_database.as_ref().map(|(u, _)| u.clone());
    let config = test_config(&first.data_dir, url);
    // The data directory belongs to the first server; this one's own stays empty.
    let unused = tempfile::tempdir()?;
    start(config, first.clock.clone(), unused, None).await
}

fn test_config(data_dir: &tempfile::TempDir, database_url: Option<String>) -> Config {
    let mut config = Config::for_data_dir(data_dir.path().to_path_buf(), database_url);
    config.smtp_url = None; // mails go to the outbox folder, where tests read them
    config.public_url = None;
    config.scheduler = false; // tests run scheduled jobs themselves, at a time they choose
    config.web_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../web");
    config
}

async fn start(
    config: Config,
    clock: ManualClock,
    data_dir: tempfile::TempDir,
    pg: Option<(String, String)>,
) -> anyhow::Result<TestServer> {
    let app = Application::build(config, Arc::new(clock.clone())).await?;
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.state().db.clone();
    let handle = app.handle();
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());
    Ok(TestServer {
        address,
        db,
        clock,
        data_dir,
        handle,
        state,
        pg_database: pg,
    })
}
