//! One typed configuration, read from command-line flags and `ETAPOLKU_*` / `DATABASE_URL`
//! environment variables. Every value and its default is listed in the README.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use clap::Args;

/// A secret that never shows in `Debug` output or logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Secret, Self::Err> {
        Ok(Secret(s.to_owned()))
    }
}

/// Settings shared by every subcommand that touches the data directory or the database.
#[derive(Debug, Clone, Args)]
pub struct StorageArgs {
    /// Directory for the SQLite database, the JWT key, the outbox and blobs.
    #[arg(long, env = "ETAPOLKU_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// PostgreSQL URL; when unset, the embedded SQLite file DATA_DIR/etapolku.db is used.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<Secret>,
    /// Largest number of pooled database connections.
    #[arg(long, env = "ETAPOLKU_DB_MAX_CONNECTIONS", default_value_t = 10)]
    pub db_max_connections: u32,
}

/// Settings of the running server.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (printed at start).
    #[arg(long, env = "ETAPOLKU_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// The address users reach the service at, used in mailed links. Defaults to http://BIND.
    #[arg(long, env = "ETAPOLKU_PUBLIC_URL")]
    pub public_url: Option<url::Url>,
    /// SMTP server for mail, e.g. smtp://host:25 (plain), smtps://user:pass@host (TLS) or
    /// smtp+starttls://user:pass@host:587. Unset: mails are written to DATA_DIR/outbox/.
    #[arg(long, env = "ETAPOLKU_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<Secret>,
    /// Sender of the service's mails.
    #[arg(
        long,
        env = "ETAPOLKU_MAIL_FROM",
        default_value = "Etäpolku <no-reply@etapolku.invalid>"
    )]
    pub mail_from: String,
    /// HS256 signing key for access tokens (at least 32 bytes). Unset: a random key is generated
    /// on first start and kept in DATA_DIR/jwt.key (mode 0600).
    #[arg(long, env = "ETAPOLKU_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<Secret>,
    /// A reverse proxy whose X-Forwarded-For header is trusted for the client address (S30).
    #[arg(long, env = "ETAPOLKU_TRUSTED_PROXY")]
    pub trusted_proxy: Option<IpAddr>,
    /// Directory of the web UI files.
    #[arg(long, env = "ETAPOLKU_WEB_DIR")]
    pub web_dir: Option<PathBuf>,
    /// Technical support phone number shown on every help page (UX.md A12).
    #[arg(long, env = "ETAPOLKU_SUPPORT_PHONE", default_value = "010 123 4567")]
    pub support_phone: String,
    /// Technical support opening hours, as shown to users.
    #[arg(
        long,
        env = "ETAPOLKU_SUPPORT_HOURS",
        default_value = "ma–pe 8.00–16.00"
    )]
    pub support_hours: String,
    /// Technical support email address.
    #[arg(
        long,
        env = "ETAPOLKU_SUPPORT_EMAIL",
        default_value = "tuki@etapolku.invalid"
    )]
    pub support_email: String,
    /// Largest upload accepted by the import endpoint, in MiB (S17, F10).
    #[arg(long, env = "ETAPOLKU_MAX_UPLOAD_MB", default_value_t = 2048)]
    pub max_upload_mb: u64,
    /// Seconds open connections get to finish on SIGINT/SIGTERM.
    #[arg(long, env = "ETAPOLKU_SHUTDOWN_TIMEOUT", default_value_t = 10)]
    pub shutdown_timeout: u64,
    /// Further origins allowed to open the chat websocket besides the public URL's, comma
    /// separated, e.g. `https://app.example.fi,https://etapolku.example.fi:8443` (F8).
    #[arg(long, env = "ETAPOLKU_WS_ORIGINS", value_delimiter = ',')]
    pub ws_origins: Vec<String>,
    /// Address of a contact's video call with a `{room}` placeholder for the contact's random room
    /// name, e.g. `https://meet.example.fi/{room}` (a self-hosted Jitsi). Unset: no video links
    /// are made; video contacts say the guide gives the link, and phone contacts work as ever.
    #[arg(long, env = "ETAPOLKU_VIDEO_URL_TEMPLATE")]
    pub video_url_template: Option<VideoUrlTemplate>,
    /// Days without any activity after which a participant in the remote period gets an
    /// "inactive" alert for the guides and a friendly nudge mail (DESIGN.md §3).
    #[arg(long, env = "ETAPOLKU_INACTIVE_DAYS", default_value_t = 7,
        value_parser = clap::value_parser!(u32).range(1..=84))]
    pub inactive_days: u32,
    /// Frames a second one chat socket may send (bursts of four seconds' worth, at least 20).
    /// Beyond it the socket gets a `rate_limited` error frame (PROTOCOL.md, F7). Raised only by
    /// the load tool, to measure what the server can carry rather than this limit.
    #[arg(long, env = "ETAPOLKU_CHAT_FRAMES_PER_SECOND", default_value_t = 5,
        value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub chat_frames_per_second: u32,
}

/// A video-call address with exactly one `{room}` placeholder, checked at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoUrlTemplate(String);

impl VideoUrlTemplate {
    pub const PLACEHOLDER: &'static str = "{room}";

    /// The address of one room.
    pub fn link(&self, room: &str) -> String {
        self.0.replace(Self::PLACEHOLDER, room)
    }
}

impl std::str::FromStr for VideoUrlTemplate {
    type Err = String;
    fn from_str(s: &str) -> Result<VideoUrlTemplate, String> {
        let s = s.trim();
        if s.matches(Self::PLACEHOLDER).count() != 1 {
            return Err(format!(
                "the video address must contain {} exactly once",
                Self::PLACEHOLDER
            ));
        }
        let sample = url::Url::parse(&s.replace(Self::PLACEHOLDER, "room"))
            .map_err(|e| format!("the video address is not a URL: {e}"))?;
        if sample.scheme() != "https" && sample.scheme() != "http" {
            return Err("the video address must be an http(s) URL".to_owned());
        }
        Ok(VideoUrlTemplate(s.to_owned()))
    }
}

/// Everything the running server needs, resolved once at start.
#[derive(Debug, Clone)]
pub struct Config {
    pub storage: StorageArgs,
    pub bind: SocketAddr,
    pub public_url: Option<url::Url>,
    pub smtp_url: Option<Secret>,
    pub mail_from: String,
    pub jwt_secret: Option<Secret>,
    pub trusted_proxy: Option<IpAddr>,
    pub web_dir: PathBuf,
    pub support: SupportContact,
    pub shutdown_timeout: u64,
    pub max_upload_mb: u64,
    /// Origins the chat websocket accepts besides the public URL's.
    pub ws_origins: Vec<String>,
    /// Where contacts' video calls are held; `None`: no links are made.
    pub video_url_template: Option<VideoUrlTemplate>,
    /// Days without activity that make a participant "inactive" (alerts and the nudge mail).
    pub inactive_days: u32,
    /// Frames a second one chat socket may send (see `ServeArgs`).
    pub chat_frames_per_second: u32,
    /// Run the scheduled jobs (reminder mails) in this process. Tests turn it off and call the
    /// jobs themselves with a chosen time.
    pub scheduler: bool,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SupportContact {
    pub phone: String,
    pub hours: String,
    pub email: String,
}

impl Config {
    pub fn from_args(storage: StorageArgs, serve: ServeArgs) -> Config {
        Config {
            storage,
            bind: serve.bind,
            public_url: serve.public_url,
            smtp_url: serve.smtp_url,
            mail_from: serve.mail_from,
            jwt_secret: serve.jwt_secret,
            trusted_proxy: serve.trusted_proxy,
            web_dir: serve.web_dir.unwrap_or_else(default_web_dir),
            support: SupportContact {
                phone: serve.support_phone,
                hours: serve.support_hours,
                email: serve.support_email,
            },
            shutdown_timeout: serve.shutdown_timeout,
            max_upload_mb: serve.max_upload_mb,
            ws_origins: serve
                .ws_origins
                .into_iter()
                .map(|o| o.trim().trim_end_matches('/').to_owned())
                .filter(|o| !o.is_empty())
                .collect(),
            video_url_template: serve.video_url_template,
            inactive_days: serve.inactive_days,
            chat_frames_per_second: serve.chat_frames_per_second,
            scheduler: true,
        }
    }

    /// Defaults for tests and tools: a data dir, everything else as documented.
    pub fn for_data_dir(data_dir: PathBuf, database_url: Option<String>) -> Config {
        use clap::Parser;
        #[derive(Parser)]
        struct Defaults {
            #[command(flatten)]
            storage: StorageArgs,
            #[command(flatten)]
            serve: ServeArgs,
        }
        // Parsing an empty command line gives the documented defaults (plus any env vars set).
        let d = Defaults::parse_from(["etapolku"]);
        let mut config = Config::from_args(d.storage, d.serve);
        config.storage.data_dir = data_dir;
        config.storage.database_url = database_url.map(Secret::new);
        config.bind = SocketAddr::from(([127, 0, 0, 1], 0));
        config
    }
}

/// The `web/` folder of the source tree when run from a checkout, else `./web`.
fn default_web_dir() -> PathBuf {
    let in_tree = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../web");
    if in_tree.is_dir() {
        in_tree
    } else {
        PathBuf::from("web")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_video_template_needs_one_room_placeholder_in_an_http_url() {
        let t: VideoUrlTemplate = "https://meet.example.fi/{room}".parse().expect("valid");
        assert_eq!(t.link("ep-abc"), "https://meet.example.fi/ep-abc");
        assert!(
            "https://meet.example.fi/"
                .parse::<VideoUrlTemplate>()
                .is_err()
        );
        assert!(
            "https://x.fi/{room}/{room}"
                .parse::<VideoUrlTemplate>()
                .is_err()
        );
        assert!("ftp://x.fi/{room}".parse::<VideoUrlTemplate>().is_err());
        assert!("{room}".parse::<VideoUrlTemplate>().is_err());
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let s = Secret::new("hunter2-very-secret");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        let c = Config::for_data_dir(
            PathBuf::from("/tmp/x"),
            Some("postgres://u:pw-123@h/db".into()),
        );
        let printed = format!("{c:?}");
        assert!(!printed.contains("pw-123"), "{printed}");
    }
}
