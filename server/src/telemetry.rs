//! Structured logs: JSON lines on stderr, filtered by ETAPOLKU_LOG.

use tracing_subscriber::EnvFilter;

/// `default` applies when ETAPOLKU_LOG is unset: `info` for the server, `warn` for one-shot
/// commands, whose stderr is for the person running them.
pub fn init(default: &str) {
    let filter =
        EnvFilter::try_from_env("ETAPOLKU_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_current_span(false)
        .try_init();
}
