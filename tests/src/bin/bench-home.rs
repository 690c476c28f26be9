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
//!    each with logs, GAS goals and notifications; one signed-in session per participant.
//! 3. Loads `/healthz` (the baseline: the same server, HTTP stack and client, no work) and then
//!    `/me/home` with the same number of keep-alive connections for the same time, rotating
//!    through the participants' tokens, and counts the SQL statements one home request sends.
//! 4. Prints, as its last line,
//!    `{"rps": n, "p99_ms": x, "baseline_rps": m, "ratio": n/m, "queries": q}`.
//!
//! It asserts nothing about time: it prints figures (see tests/README.md).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use chrono::{Days, NaiveDate, TimeZone, Utc};
use clap::Parser;
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

struct Run {
    requests: usize,
    errors: usize,
    elapsed: Duration,
    latencies_us: Vec<u64>,
}

impl Run {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile_ms(&mut self, p: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return f64::NAN;
        }
        self.latencies_us.sort_unstable();
        let rank = ((p / 100.0) * (self.latencies_us.len() - 1) as f64).round() as usize;
        self.latencies_us[rank] as f64 / 1000.0
    }
}

/// `connections` loops, each with its own client (its own connection), sending requests to
/// `path` until the time is up; the n-th request of a loop uses token n mod len.
async fn load(
    base: &str,
    path: &str,
    tokens: Arc<Vec<String>>,
    connections: usize,
    seconds: u64,
) -> Result<Run> {
    let warm_up = Instant::now() + Duration::from_secs(1);
    let deadline = warm_up + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for worker in 0..connections {
        let url = format!("{base}{path}");
        let tokens = tokens.clone();
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .pool_max_idle_per_host(1)
                .build()
                .context("client")?;
            let mut latencies = Vec::with_capacity(4096);
            let mut errors = 0usize;
            let mut n = worker;
            loop {
                let started = Instant::now();
                if started >= deadline {
                    break;
                }
                let token = &tokens[n % tokens.len()];
                n += connections;
                let res = client.get(&url).bearer_auth(token).send().await;
                let ok = match res {
                    Ok(r) => {
                        let status = r.status();
                        r.bytes().await.is_ok() && status.is_success()
                    }
                    Err(_) => false,
                };
                if started < warm_up {
                    continue;
                }
                if ok {
                    latencies.push(started.elapsed().as_micros() as u64);
                } else {
                    errors += 1;
                }
            }
            anyhow::Ok((latencies, errors))
        }));
    }
    let mut run = Run {
        requests: 0,
        errors: 0,
        elapsed: Duration::from_secs(seconds),
        latencies_us: Vec::new(),
    };
    for t in tasks {
        let (latencies, errors) = t.await.context("load task")??;
        run.requests += latencies.len();
        run.errors += errors;
        run.latencies_us.extend(latencies);
    }
    Ok(run)
}

/// Wednesday of remote week 12 of courses whose on-site period 1 began on `start`.
fn now_for(start: NaiveDate) -> Result<chrono::DateTime<Utc>> {
    let day = start + Days::new(7 + 11 * 7 + 2);
    let noon = day.and_hms_opt(10, 0, 0).context("time")?;
    Ok(Utc.from_utc_datetime(&noon))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let args = Args::parse();
    let start = NaiveDate::from_ymd_opt(2026, 1, 5).context("date")?; // a Monday
    let server = spawn_app_at(now_for(start)?).await;
    let seeding = Instant::now();
    let Dataset { tokens, rows } = home_dataset::seed(&server, start, args.courses, 12).await?;
    eprintln!(
        "seeded {} courses, {} participants, {rows} rows in {:.1} s",
        args.courses,
        tokens.len(),
        seeding.elapsed().as_secs_f64()
    );
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
