//! `bench-overview`: the provider's progress overview (`GET /api/v1/overview`) over all of a
//! provider's courses.
//!
//! ```text
//! cargo run --release -p etapolku-tests --bin bench-overview -- [--courses 200] [--seconds 20] [--connections 2]
//! ```
//!
//! 1. Starts the real server in this process (release build, its own SQLite file; `DATABASE_URL`
//!    set → a fresh PostgreSQL database) with the clock on Wednesday of remote week 12.
//! 2. Seeds N courses × 12 participants of one provider with 12 weeks of data (`overview_dataset`:
//!    the home benchmark's progress rows, active days, tasks, goals and chat, and the teams,
//!    guidance entries, contacts and measurements), and a signed-in provider admin; on
//!    PostgreSQL, vacuums and analyses it as autovacuum would have (`bench::settle`).
//! 3. Requests the overview once (it must work) and counts the SQL statements a second request
//!    sends — the reads and the one usage-log row listing every participant in it.
//! 4. Requests it as the provider admin over `connections` keep-alive connections for `seconds`
//!    (after one second of warm-up) and prints, as its last line,
//!    `{"courses": n, "p99_ms": x, "queries": q}`.
//!
//! It asserts nothing about time: it prints figures (see tests/README.md).

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::Parser;
use etapolku_tests::bench::{load, settle, wednesday_of_remote_week_12};
use etapolku_tests::overview_dataset;
use etapolku_tests::spawn::spawn_app_at;

#[derive(Parser, Debug)]
#[command(about = "Load the provider's progress overview")]
struct Args {
    /// Courses to seed, 12 participants each.
    #[arg(long, default_value_t = 200)]
    courses: usize,
    /// Seconds of load (after one second of warm-up).
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Concurrent keep-alive connections (provider admins looking at once).
    #[arg(long, default_value_t = 2)]
    connections: usize,
    /// Another provider-admin endpoint to load instead (e.g. `/api/v1/overview.csv`).
    #[arg(long, default_value = "/api/v1/overview")]
    path: String,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let args = Args::parse();
    let start = NaiveDate::from_ymd_opt(2026, 1, 5).context("date")?; // a Monday
    let server = spawn_app_at(wednesday_of_remote_week_12(start)?).await;
    let seeding = Instant::now();
    let data = overview_dataset::seed(&server, start, args.courses).await?;
    eprintln!(
        "seeded {} courses, {} participants, {} rows in {:.1} s",
        args.courses,
        data.participants,
        data.rows,
        seeding.elapsed().as_secs_f64()
    );
    settle(&server.db).await?;
    let base = server.address.clone();
    let url = format!("{base}{}", args.path);
    let client = reqwest::Client::new();
    let first = client
        .get(&url)
        .bearer_auth(&data.admin_token)
        .send()
        .await?;
    if !first.status().is_success() {
        bail!(
            "GET {} answered {}: {}",
            args.path,
            first.status(),
            first.text().await?
        );
    }
    let size = first.bytes().await?.len();
    let before = server.state.queries.get();
    let timed = Instant::now();
    client
        .get(&url)
        .bearer_auth(&data.admin_token)
        .send()
        .await?
        .bytes()
        .await?;
    let single_ms = timed.elapsed().as_secs_f64() * 1000.0;
    let queries = server.state.queries.get() - before;
    eprintln!(
        "{}: {size} bytes, {queries} statements, {single_ms:.1} ms alone",
        args.path
    );

    let tokens = Arc::new(vec![data.admin_token]);
    let mut run = load(&base, &args.path, tokens, args.connections, args.seconds).await?;
    if run.errors > 0 {
        eprintln!("errors: {}", run.errors);
    }
    let (p50, p99) = (run.percentile_ms(50.0), run.percentile_ms(99.0));
    eprintln!(
        "{} over {} connection(s): {} requests, {:.1} req/s, p50 {p50:.1} ms, p99 {p99:.1} ms",
        args.path,
        args.connections,
        run.requests,
        run.rps(),
    );
    let out = serde_json::json!({
        "courses": args.courses,
        "p99_ms": (p99 * 10.0).round() / 10.0,
        "queries": queries,
    });
    server.handle.stop(true).await;
    println!("{out}");
    Ok(())
}
