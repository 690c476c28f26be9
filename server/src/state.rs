//! What every handler can reach: the database, configuration, keys, mail, clock and limits.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use crate::auth::jwt::JwtKeys;
use crate::auth::rate_limit::RateLimits;
use crate::clock::Clock;
use crate::config::Config;
use crate::content::blob_store::BlobStore;
use crate::content::routes::ImportsRunning;
use crate::mail::Mailer;

#[derive(Debug, Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub jwt: JwtKeys,
    pub mailer: Mailer,
    pub clock: Arc<dyn Clock>,
    pub limits: Arc<RateLimits>,
    /// Imported media, by sha256.
    pub blobs: Arc<dyn BlobStore>,
    pub imports: ImportsRunning,
    /// Where mailed links point, e.g. `https://etapolku.example.fi`.
    pub public_url: url::Url,
    /// Statements sent to `db` so far (benchmarks, N+1 tests).
    pub queries: crate::db::QueryCounter,
    /// The chat hub: live rooms and sockets of this instance.
    pub chat: crate::chat::ChatHub,
    /// This instance's chat writer: sends are committed in groups.
    pub chat_sends: crate::chat::SendQueue,
    /// Sessions revoked recently (S4): checked on every request instead of a database read.
    pub revocations: crate::auth::revocation::Revocations,
}

impl AppState {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// An absolute link into the web UI, e.g. `link("/linkki", Some(token))` → `…/linkki#token=…`.
    /// The token rides in the fragment so it never reaches server logs or Referer headers.
    pub fn link(&self, path: &str, token: &str) -> String {
        let mut url = self.public_url.clone();
        url.set_path(path);
        url.set_fragment(Some(&format!("token={token}")));
        url.to_string()
    }

    /// Mail over HTTPS only when the public address is HTTPS, so cookies get `Secure` then.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }
}
