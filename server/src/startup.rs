//! Builds the application: opens and migrates the database, binds its own listener (port 0 in
//! tests), and runs actix with graceful shutdown on SIGINT/SIGTERM.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use tracing_actix_web::TracingLogger;

use crate::auth::jwt::JwtKeys;
use crate::auth::rate_limit::RateLimits;
use crate::clock::Clock;
use crate::config::Config;
use crate::content::blob_store::FsBlobStore;
use crate::content::routes::ImportsRunning;
use crate::db;
use crate::http::headers::security_headers;
use crate::mail::Mailer;
use crate::state::AppState;

pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
    /// The scheduler's task, when `config.scheduler` is on; stopped with the server.
    scheduler: Option<tokio::task::JoinHandle<()>>,
}

impl Application {
    pub async fn build(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Application> {
        let db = db::connect(&config.storage).await?;
        db::migrate(&db).await?;
        Application::build_with_db(config, clock, db).await
    }

    /// For callers that already opened and migrated the database (the demo loader).
    pub async fn build_with_db(
        config: Config,
        clock: Arc<dyn Clock>,
        mut db: sea_orm::DatabaseConnection,
    ) -> anyhow::Result<Application> {
        // Background tasks (the revocation poll every second, the chat hub's own reads) get a
        // connection handle taken before the counter, so it counts what requests run.
        let background = db.clone();
        let queries = db::QueryCounter::attach(&mut db);
        let listener =
            TcpListener::bind(config.bind).with_context(|| format!("binding {}", config.bind))?;
        let addr = listener.local_addr()?;
        let public_url = match &config.public_url {
            Some(url) => url.clone(),
            None => url::Url::parse(&format!("http://{addr}/")).context("public url")?,
        };
        let jwt = JwtKeys::load(config.jwt_secret.as_ref(), &config.storage.data_dir)?;
        let mailer = Mailer::from_config(&config)?;
        let blobs = Arc::new(
            FsBlobStore::new(config.storage.data_dir.join("blobs"))
                .context("opening the blob store")?,
        );
        db::checkpoint::start(background.clone());
        let chat = crate::chat::ChatHub::start(background.clone());
        let chat_writer = match db::connect_writer(&config.storage).await? {
            Some(own) => own,
            None => db.clone(),
        };
        let chat_sends = crate::chat::SendQueue::start(chat_writer);
        let revocations = crate::auth::revocation::Revocations::start(background, clock.clone())
            .await
            .context("loading the session revocation set")?;
        let state = AppState {
            db,
            config: Arc::new(config),
            jwt,
            mailer,
            clock,
            limits: Arc::new(RateLimits::default()),
            blobs,
            imports: ImportsRunning::default(),
            public_url,
            queries,
            chat,
            chat_sends,
            revocations,
        };
        let data = web::Data::new(state.clone());
        let web_dir = state.config.web_dir.clone();
        let server = HttpServer::new(move || {
            let web_dir = web_dir.clone();
            App::new()
                .wrap(from_fn(security_headers))
                .wrap(Compress::default())
                .wrap(TracingLogger::default())
                .app_data(data.clone())
                .configure(|cfg| crate::app::configure(cfg, web_dir))
        })
        // S27 / F10: slow or endless request heads are cut off.
        .client_request_timeout(Duration::from_secs(10))
        .client_disconnect_timeout(Duration::from_secs(5))
        .shutdown_timeout(state.config.shutdown_timeout)
        // Signals are handled by `stop_on_signals`, installed before the address is printed.
        .disable_signals()
        .listen(listener)?
        .run();
        let scheduler = state
            .config
            .scheduler
            .then(|| crate::scheduler::start(state.clone()));
        Ok(Application {
            port: addr.port(),
            server,
            state,
            scheduler,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Stops gracefully on SIGINT or SIGTERM: no new connections, open requests get
    /// `shutdown_timeout` seconds (SECURITY.md, promise 7). Call before announcing the address.
    pub fn stop_on_signals(&self) -> std::io::Result<()> {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        let handle = self.server.handle();
        let chat = self.state.chat.clone();
        tokio::spawn(async move {
            tokio::select! {
                _ = term.recv() => tracing::info!("SIGTERM: shutting down"),
                _ = int.recv() => tracing::info!("SIGINT: shutting down"),
            }
            stop(&chat, &handle, true).await;
        });
        Ok(())
    }

    /// Stops the server as the signal handler does: sockets first, then actix.
    pub async fn stop(&self, graceful: bool) {
        stop(&self.state.chat, &self.server.handle(), graceful).await;
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        if let Some(scheduler) = self.scheduler {
            scheduler.abort();
        }
        result
    }
}

/// Stops a running server: closes every chat socket with 1012 first, so open websockets do not
/// hold up actix's graceful stop for `shutdown_timeout`, then stops actix. Tests call this too.
pub async fn stop(chat: &crate::chat::ChatHub, handle: &ServerHandle, graceful: bool) {
    chat.shutdown();
    handle.stop(graceful).await;
}
