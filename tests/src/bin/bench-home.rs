//! `bench-home`: the participant's home endpoint (`GET /api/v1/me/home`) under load.
//!
//! ```text
//! cargo run --release -p etapolku-tests --bin bench-home -- [--courses 100] [--seconds 10] [--connections 32]
//! ```
//!
//! 1. Starts the real server in this process (release build, its own SQLite file; `DATABASE_URL`
//!    set → a fresh PostgreSQL database) with the clock on Wednesday of remote week 12.
//! 2. Seeds N courses × 12 participants with 12 weeks of activity through the service layer:
//!    the demo program, opened items and completions, active days, two self-rehabilitation tasks
//!    each with logs, GAS goals and notifications; one signed-in session per participant. On
//!    PostgreSQL it is then vacuumed and analysed as autovacuum would have (`bench::settle`).
//! 3. Loads `/healthz` (the baseline: the same server, HTTP stack and client, no work) and then
//!    `/me/home` with the same number of keep-alive connections for the same time, rotating
//!    through the participants' tokens, and counts the SQL statements one home request sends.
//! 4. Prints, as its last line,
//!    `{"rps": n, "p99_ms": x, "baseline_rps": m, "ratio": n/m, "queries": q}`.
//!
//! It asserts nothing about time: it prints figures (see tests/README.md).

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::Parser;
use etapolku_tests::bench::{load, settle, wednesday_of_remote_week_12};
use etapolku_tests::home_dataset::{self, Dataset};
use etapolku_tests::spawn::spawn_app_at;

#[derive(Parser, Debug)]
#[command(about = "Load the participant home endpoint and compare with /healthz")]
struct Args {
    /// Courses to seed, 12 participants each.
    #[arg(long, default_value_t = 100)]
    courses: usize,
    /// Seconds of load per endpoint (after one second of warm-up).
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// Another participant endpoint to load instead, for comparison (e.g. `/api/v1/me`).
    #[arg(long, default_value = "/api/v1/me/home")]
    path: String,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let args = Args::parse();
    let start = NaiveDate::from_ymd_opt(2026, 1, 5).context("date")?; // a Monday
    let server = spawn_app_at(wednesday_of_remote_week_12(start)?).await;
    let seeding = Instant::now();
    let Dataset { tokens, rows, .. } = home_dataset::seed(&server, start, args.courses, 12).await?;
    eprintln!(
        "seeded {} courses, {} participants, {rows} rows in {:.1} s",
        args.courses,
        tokens.len(),
        seeding.elapsed().as_secs_f64()
    );
    settle(&server.db).await?;
    let tokens = Arc::new(tokens);
    let base = server.address.clone();

    // One request first: it must work, and it tells how many statements a home request sends.
    let client = reqwest::Client::new();
    let probe = |token: String| {
        let client = client.clone();
        let url = format!("{base}{}", args.path);
        async move { client.get(url).bearer_auth(token).send().await }
    };
    let first = probe(tokens[0].clone()).await?;
    if !first.status().is_success() {
        bail!(
            "GET /me/home answered {}: {}",
            first.status(),
            first.text().await?
        );
    }
    let before = server.state.queries.get();
    probe(tokens[1].clone()).await?.bytes().await?;
    let queries = server.state.queries.get() - before;

    let mut baseline = load(
        &base,
        "/healthz",
        tokens.clone(),
        args.connections,
        args.seconds,
    )
    .await?;
    let mut home = load(
        &base,
        &args.path,
        tokens.clone(),
        args.connections,
        args.seconds,
    )
    .await?;
    if home.errors > 0 || baseline.errors > 0 {
        eprintln!("errors: home {}, healthz {}", home.errors, baseline.errors);
    }
    eprintln!(
        "healthz: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms",
        baseline.rps(),
        baseline.percentile_ms(50.0),
        baseline.percentile_ms(99.0)
    );
    eprintln!(
        "{}: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, {queries} statements per request",
        args.path,
        home.rps(),
        home.percentile_ms(50.0),
        home.percentile_ms(99.0)
    );
    let out = serde_json::json!({
        "rps": home.rps().round(),
        "p99_ms": (home.percentile_ms(99.0) * 100.0).round() / 100.0,
        "baseline_rps": baseline.rps().round(),
        "ratio": ((home.rps() / baseline.rps()) * 1000.0).round() / 1000.0,
        "queries": queries,
    });
    server.handle.stop(true).await;
    println!("{out}");
    Ok(())
}
