//! Shared pieces of the HTTP benchmarks (`bench-home`, `bench-overview`): loading an endpoint
//! with keep-alive connections for a time, the latencies it saw, and the benchmarks' clock.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::{Days, NaiveDate, TimeZone, Utc};

/// What one load run saw: successful requests with their latencies, and failures.
pub struct Run {
    pub requests: usize,
    pub errors: usize,
    pub elapsed: Duration,
    pub latencies_us: Vec<u64>,
}

impl Run {
    pub fn rps(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    pub fn percentile_ms(&mut self, p: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return f64::NAN;
        }
        self.latencies_us.sort_unstable();
        let rank = ((p / 100.0) * (self.latencies_us.len() - 1) as f64).round() as usize;
        self.latencies_us[rank] as f64 / 1000.0
    }
}

/// `connections` loops, each with its own client (its own connection), sending requests to
/// `path` until the time is up; the n-th request of a loop uses token n mod len. The first
/// second is warm-up and not counted.
pub async fn load(
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

/// Wednesday of remote week 12, 10:00 UTC, of courses whose on-site period 1 began on
/// `start`: twelve weeks of data behind every course.
pub fn wednesday_of_remote_week_12(start: NaiveDate) -> Result<chrono::DateTime<Utc>> {
    let day = start + Days::new(7 + 11 * 7 + 2);
    let noon = day.and_hms_opt(10, 0, 0).context("time")?;
    Ok(Utc.from_utc_datetime(&noon))
}

/// Brings a freshly seeded PostgreSQL database to the state a running one is in: autovacuum
/// would have vacuumed and analysed twelve weeks of rows long before anyone reads them, but
/// right after a bulk load the planner has no statistics and index-only scans still visit the
/// table for every row (the visibility map is empty). SQLite has neither (the server never
/// analyses it), so it is left as it is.
pub async fn settle(db: &sea_orm::DatabaseConnection) -> Result<()> {
    use sea_orm::ConnectionTrait;
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        db.execute_unprepared("VACUUM ANALYZE")
            .await
            .context("VACUUM ANALYZE")?;
    }
    Ok(())
}
