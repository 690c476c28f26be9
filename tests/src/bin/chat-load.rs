//! `chat-load`: N chat clients in rooms of 12 against the real server, then against a bare
//! broadcast websocket server (the ceiling).
//!
//! ```text
//! cargo build --release -p etapolku-server --bin etapolku
//! cargo run --release -p etapolku-tests --bin chat-load -- --clients 2000 --rate 200 --seconds 20
//! ```
//!
//! 1. Seeds a fresh SQLite database in a temporary data directory (N/12 courses of 12
//!    participants, a session and an access token each, signed with the data directory's JWT key),
//!    then starts the real `etapolku serve` on it as a child process.
//! 2. Every client reads its group room from `GET /api/v1/chat/rooms`; the server's RSS is read
//!    from `/proc/PID/status`, all N sockets are opened (ticket, upgrade, `join`) and left idle,
//!    and the RSS read again: the difference over N is the memory per idle connection.
//! 3. Rate run: R messages/s in all, from clients in turn across the rooms, for S seconds; every
//!    body carries its send time, so each member measures send → receive latency. Afterwards every
//!    member must have every acked message of its room exactly once, in seq order.
//! 4. Saturation run: every client sends its next message as soon as the previous one is acked,
//!    at most `--sat-cap` per second, for S seconds; deliveries per second are counted at the
//!    members. The server is started with its per-socket frame limit raised to
//!    `--server-frame-limit` (production: 5 a second), so this run measures what the server
//!    carries, not that limit: at 5 a second 2,000 clients cannot ask for more than 120,000
//!    deliveries a second, well under what the server and the ceiling carry on this machine.
//! 5. The same two runs against a bare broadcast server started in this process (tokio-tungstenite,
//!    no auth, no database, the same frames and room fan-out, no per-client cap): the ceiling.
//! 6. Last line: `{"clients", "rate", "p50_ms", "p99_ms", "lost", "dup", "delivered_per_s",
//!    "ceiling_delivered_per_s", "ratio", "rss_per_conn_kb"}`.
//!
//! It asserts nothing about time (see tests/README.md).

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use chrono::{Days, Utc};
use clap::Parser;
use etapolku_server::auth::jwt::JwtKeys;
use etapolku_server::config::StorageArgs;
use etapolku_server::entity::course;
use etapolku_server::providers::service as providers;
use etapolku_tests::chat_client;
use etapolku_tests::home_dataset::signed_in_participant;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use sea_orm::{ActiveModelTrait, Set, TransactionTrait};
use serde::Deserialize;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, mpsc};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;

#[derive(Parser, Debug)]
#[command(
    about = "Chat clients in rooms of 12 against the real server and a bare broadcast server"
)]
struct Args {
    /// Clients (sockets), one participant each.
    #[arg(long, default_value_t = 2000)]
    clients: usize,
    /// Messages per second, all rooms together, in the rate run.
    #[arg(long, default_value_t = 200.0)]
    rate: f64,
    /// Seconds of each run.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Members per room.
    #[arg(long, default_value_t = 12)]
    room_size: usize,
    /// Highest send rate per client in the saturation run against the real server (keep it under
    /// `--server-frame-limit`).
    #[arg(long, default_value_t = 500.0)]
    sat_cap: f64,
    /// The per-socket frame limit the real server is started with
    /// (`ETAPOLKU_CHAT_FRAMES_PER_SECOND`; production default 5).
    #[arg(long, default_value_t = 1000)]
    server_frame_limit: u32,
    /// The server binary; default: `etapolku` next to this tool (target/release/).
    #[arg(long)]
    etapolku: Option<PathBuf>,
    /// Concurrent connection attempts while opening the sockets.
    #[arg(long, default_value_t = 32)]
    connecting: usize,
    /// Only the bare broadcast server (no etapolku binary needed): checks the tool itself and
    /// measures the ceiling alone.
    #[arg(long)]
    ceiling_only: bool,
}

fn base_instant() -> Instant {
    static BASE: OnceLock<Instant> = OnceLock::new();
    *BASE.get_or_init(Instant::now)
}

fn now_us() -> u64 {
    base_instant().elapsed().as_micros() as u64
}

/// What one client saw during a run.
#[derive(Default)]
struct Seen {
    /// Seqs of `message` frames, in the order received.
    seqs: Vec<i64>,
    /// Send → receive, microseconds.
    latencies_us: Vec<u64>,
    /// Seqs of this client's acks.
    acked: Vec<i64>,
    errors: HashMap<String, usize>,
}

struct Client {
    room: usize,
    tx: mpsc::Sender<Message>,
    seen: Arc<Mutex<Seen>>,
    acks: Arc<Notify>,
    closed: Arc<Mutex<Option<String>>>,
}

/// Deliveries (message frames received by anyone) since start.
static DELIVERED: AtomicU64 = AtomicU64::new(0);

#[derive(Deserialize)]
struct Frame<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    seq: Option<i64>,
    #[serde(borrow)]
    body: Option<Cow<'a, str>>,
    #[serde(borrow)]
    code: Option<Cow<'a, str>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Starts the writer and reader tasks of one socket.
fn start_client<S>(ws: WebSocketStream<S>, room: usize) -> Client
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (sink, stream) = ws.split();
    let (tx, rx) = mpsc::channel(64);
    let seen = Arc::new(Mutex::new(Seen::default()));
    let acks = Arc::new(Notify::new());
    let closed = Arc::new(Mutex::new(None));
    tokio::spawn(writer(sink, rx));
    tokio::spawn(reader(stream, seen.clone(), acks.clone(), closed.clone()));
    Client {
        room,
        tx,
        seen,
        acks,
        closed,
    }
}

async fn writer<S>(
    mut sink: SplitSink<WebSocketStream<S>, Message>,
    mut rx: mpsc::Receiver<Message>,
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    while let Some(m) = rx.recv().await {
        if sink.send(m).await.is_err() {
            break;
        }
    }
    let _ = sink.close().await;
}

async fn reader<S>(
    mut stream: SplitStream<WebSocketStream<S>>,
    seen: Arc<Mutex<Seen>>,
    acks: Arc<Notify>,
    closed: Arc<Mutex<Option<String>>>,
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let end = loop {
        match stream.next().await {
            Some(Ok(Message::Text(t))) => {
                let Ok(f) = serde_json::from_str::<Frame>(&t) else {
                    continue;
                };
                match f.kind {
                    "message" => {
                        let at = now_us();
                        let sent: Option<u64> = f.body.as_deref().and_then(|b| b.parse().ok());
                        DELIVERED.fetch_add(1, Ordering::Relaxed);
                        let mut s = lock(&seen);
                        s.seqs.push(f.seq.unwrap_or(-1));
                        if let Some(sent) = sent {
                            s.latencies_us.push(at.saturating_sub(sent));
                        }
                    }
                    "ack" => {
                        lock(&seen).acked.push(f.seq.unwrap_or(-1));
                        acks.notify_one();
                    }
                    "error" => {
                        let code = f.code.as_deref().unwrap_or("?").to_owned();
                        *lock(&seen).errors.entry(code).or_default() += 1;
                        acks.notify_one(); // a refused send: the closed loop goes on
                    }
                    _ => {}
                }
            }
            Some(Ok(Message::Close(c))) => {
                break format!("close {:?}", c.map(|c| u16::from(c.code)));
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => break format!("error {e}"),
            None => break "ended".to_owned(),
        }
    };
    *lock(&closed) = Some(end);
    acks.notify_one();
}

fn send_frame(room: &str) -> Message {
    Message::text(format!(
        "{{\"type\":\"send\",\"room\":\"{room}\",\"client_msg_id\":\"{}\",\"body\":\"{}\"}}",
        Uuid::new_v4(),
        now_us()
    ))
}

/// The figures of one run.
#[derive(Debug, Default)]
struct Outcome {
    sent: usize,
    acked: usize,
    deliveries: u64,
    delivered_per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    lost: usize,
    dup: usize,
    out_of_order: usize,
    errors: HashMap<String, usize>,
    closed: usize,
}

fn percentile_ms(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank] as f64 / 1000.0
}

/// Waits until `sent` sends have an answer (ack or error) and every member has received the
/// highest acked seq of its room (or `limit`), then takes what every client saw and checks it.
/// Without the first wait, the last acks of a run were counted in the next one.
async fn finish(clients: &[Client], rooms: usize, limit: Duration, sent: usize) -> Outcome {
    let until = Instant::now() + limit;
    loop {
        let answered: usize = clients
            .iter()
            .map(|c| {
                let s = lock(&c.seen);
                s.acked.len() + s.errors.values().sum::<usize>()
            })
            .sum();
        if answered < sent && Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        }
        let mut top = vec![i64::MIN; rooms];
        for c in clients {
            if let Some(m) = lock(&c.seen).acked.iter().max() {
                top[c.room] = top[c.room].max(*m);
            }
        }
        let behind = clients.iter().any(|c| {
            lock(&c.closed).is_none()
                && top[c.room] > i64::MIN
                && lock(&c.seen).seqs.last().copied().unwrap_or(i64::MIN) < top[c.room]
        });
        if !behind || Instant::now() >= until {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let seen: Vec<Seen> = clients
        .iter()
        .map(|c| std::mem::take(&mut *lock(&c.seen)))
        .collect();
    let mut out = Outcome::default();
    let mut acked_in_room: Vec<Vec<i64>> = vec![Vec::new(); rooms];
    for (c, s) in clients.iter().zip(&seen) {
        acked_in_room[c.room].extend(&s.acked);
        out.acked += s.acked.len();
        for (code, n) in &s.errors {
            *out.errors.entry(code.clone()).or_default() += n;
        }
    }
    for a in acked_in_room.iter_mut() {
        a.sort_unstable();
    }
    let mut latencies = Vec::new();
    for (c, s) in clients.iter().zip(seen) {
        if lock(&c.closed).is_some() {
            out.closed += 1;
        }
        let mut got = s.seqs.clone();
        out.out_of_order += s.seqs.windows(2).filter(|w| w[1] <= w[0]).count();
        got.sort_unstable();
        let before = got.len();
        got.dedup();
        out.dup += before - got.len();
        out.lost += acked_in_room[c.room]
            .iter()
            .filter(|q| got.binary_search(q).is_err())
            .count();
        latencies.extend(s.latencies_us);
    }
    latencies.sort_unstable();
    out.deliveries = latencies.len() as u64;
    out.p50_ms = percentile_ms(&latencies, 50.0);
    out.p99_ms = percentile_ms(&latencies, 99.0);
    out
}

/// R messages/s in all for `seconds`, from the clients in turn (client k+1 is in another room
/// than client k when there are several rooms).
async fn rate_run(clients: &[Client], room_ids: &[String], rate: f64, seconds: u64) -> Outcome {
    let order = interleave(clients, room_ids.len());
    let start = Instant::now();
    let total = (rate * seconds as f64).round() as usize;
    let mut sent = 0;
    for k in 0..total {
        let at = start + Duration::from_secs_f64(k as f64 / rate);
        tokio::time::sleep_until(at.into()).await;
        let c = &clients[order[k % order.len()]];
        if c.tx.try_send(send_frame(&room_ids[c.room])).is_ok() {
            sent += 1;
        }
    }
    let mut out = finish(clients, room_ids.len(), Duration::from_secs(15), sent).await;
    out.sent = sent;
    out.delivered_per_s = out.deliveries as f64 / seconds as f64;
    out
}

/// Client indices ordered room by room in turn: room 0's first member, room 1's first, …
fn interleave(clients: &[Client], rooms: usize) -> Vec<usize> {
    let mut by_room: Vec<Vec<usize>> = vec![Vec::new(); rooms];
    for (i, c) in clients.iter().enumerate() {
        by_room[c.room].push(i);
    }
    let longest = by_room.iter().map(Vec::len).max().unwrap_or(0);
    let mut order = Vec::with_capacity(clients.len());
    for k in 0..longest {
        for r in &by_room {
            if let Some(i) = r.get(k) {
                order.push(*i);
            }
        }
    }
    order
}

/// Every client sends as soon as its previous message is acked, at most `cap` per second
/// (0: no cap), for `seconds`; deliveries are counted during that time.
async fn saturation_run(
    clients: &[Client],
    room_ids: &[String],
    cap: f64,
    seconds: u64,
) -> Outcome {
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for c in clients {
        let tx = c.tx.clone();
        let acks = c.acks.clone();
        let room = room_ids[c.room].clone();
        let stop = stop.clone();
        let sent = sent.clone();
        let gap = if cap > 0.0 {
            Duration::from_secs_f64(1.0 / cap)
        } else {
            Duration::ZERO
        };
        // A random phase so that the clients do not all start at once.
        let phase = Duration::from_micros(rand_below(gap.as_micros().max(1) as u64));
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(phase).await;
            while !stop.load(Ordering::Relaxed) {
                let next = Instant::now() + gap;
                if tx.send(send_frame(&room)).await.is_err() {
                    break;
                }
                sent.fetch_add(1, Ordering::Relaxed);
                if tokio::time::timeout(Duration::from_secs(10), acks.notified())
                    .await
                    .is_err()
                {
                    continue;
                }
                tokio::time::sleep_until(next.into()).await;
            }
        }));
    }
    let before = DELIVERED.load(Ordering::Relaxed);
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let during = DELIVERED.load(Ordering::Relaxed) - before;
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.acks.notify_one();
    }
    for t in tasks {
        let _ = t.await;
    }
    let sent_total = sent.load(Ordering::Relaxed) as usize;
    let mut out = finish(clients, room_ids.len(), Duration::from_secs(30), sent_total).await;
    out.sent = sent_total;
    out.delivered_per_s = during as f64 / seconds as f64;
    out
}

/// A small xorshift, enough for start phases.
fn rand_below(n: u64) -> u64 {
    static STATE: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
    let mut x = STATE.load(Ordering::Relaxed);
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    STATE.store(x, Ordering::Relaxed);
    x % n.max(1)
}

// ---------------------------------------------------------------------------------------------
// The real server

struct Seeded {
    tokens: Vec<String>,
}

/// N participants in courses of `room_size`, each with a session and an access token.
async fn seed(data_dir: &std::path::Path, n: usize, room_size: usize) -> Result<Seeded> {
    let storage = StorageArgs {
        data_dir: data_dir.to_path_buf(),
        database_url: None,
        db_max_connections: 4,
    };
    let db = etapolku_server::db::connect(&storage).await?;
    etapolku_server::db::migrate(&db).await?;
    let now = Utc::now();
    let today = now.date_naive();
    let provider = providers::create_provider(
        &db,
        providers::CreateProvider {
            name: "Chat Load Oy".into(),
        },
        now,
    )
    .await?;
    let site = providers::create_site(
        &db,
        provider.id,
        providers::CreateSite {
            name: "Load".into(),
            municipality: "Tampere".into(),
        },
        now,
    )
    .await?;
    let keys = JwtKeys::load(None, data_dir)?;
    // A course starts on a Monday (the scheduler's jobs refuse any other): three weeks back.
    let start = etapolku_server::courses::schedule::monday_of(today) - Days::new(21);
    let mut tokens = Vec::with_capacity(n);
    let courses = n.div_ceil(room_size);
    for c in 0..courses {
        let txn = db.begin().await?;
        let course = course::ActiveModel {
            uuid: Set(Uuid::new_v4()),
            provider_id: Set(provider.id),
            site_id: Set(site.id),
            title: Set(format!("Kurssi {c}")),
            language: Set("fi".into()),
            target_group: Set("adult".into()),
            onsite1_start: Set(start),
            follow_up_end: Set(None),
            state: Set("running".into()),
            confirmed_on: Set(Some(start - Days::new(60))),
            program_version_id: Set(None),
            release_mode: Set("weekly".into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for p in 0..room_size.min(n - c * room_size) {
            let (_, token) = signed_in_participant(
                &txn,
                &keys,
                provider.id,
                &course,
                start,
                (p, c, "load.example"),
                now,
            )
            .await?;
            tokens.push(token);
        }
        txn.commit().await?;
    }
    db.close().await?;
    Ok(Seeded { tokens })
}

struct ServerProcess {
    child: Child,
    base: String,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

fn start_server(
    bin: &std::path::Path,
    data_dir: &std::path::Path,
    frame_limit: u32,
) -> Result<ServerProcess> {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(bin)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env_remove("DATABASE_URL")
        .env_remove("ETAPOLKU_PUBLIC_URL")
        .env("ETAPOLKU_DATA_DIR", data_dir)
        .env("ETAPOLKU_LOG", "warn")
        .env("ETAPOLKU_CHAT_FRAMES_PER_SECOND", frame_limit.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    let stdout = child.stdout.take().context("stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let first = lines
        .next()
        .context("the server printed nothing")?
        .context("reading the server's output")?;
    std::thread::spawn(move || for _ in lines {});
    let base = first
        .split_whitespace()
        .last()
        .context("no address")?
        .trim_end_matches('/')
        .to_owned();
    if !base.starts_with("http://") {
        bail!("unexpected first line: {first}");
    }
    Ok(ServerProcess { child, base })
}

fn rss_kb(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| anyhow!("no VmRSS for {pid}"))
}

/// Opens `n` sockets (ticket, upgrade with Origin, join) `connecting` at a time.
async fn connect_all(
    base: &str,
    tokens: &[String],
    rooms: &[usize],
    room_ids: &[String],
    connecting: usize,
) -> Result<Vec<Client>> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(connecting)
        .build()?;
    let results: Vec<Result<Client>> = futures_util::stream::iter(tokens.iter().zip(rooms))
        .map(|(token, &room)| {
            let http = http.clone();
            let room_id = room_ids[room].clone();
            async move {
                let mut chat = chat_client::connect(&http, base, token).await?;
                chat.join_one(&room_id, 0).await?;
                Ok(start_client(chat.ws, room))
            }
        })
        .buffered(connecting)
        .collect()
        .await;
    results.into_iter().collect()
}

// ---------------------------------------------------------------------------------------------
// The bare broadcast server: no auth, no database, the same room fan-out.

type Outbox = mpsc::Sender<Message>;

#[derive(Default)]
struct BareRoom {
    seq: i64,
    members: Vec<(u64, Outbox)>,
}

#[derive(Deserialize)]
struct BareIn<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    #[serde(borrow)]
    room: Option<Cow<'a, str>>,
    #[serde(borrow)]
    rooms: Option<Vec<BareJoin<'a>>>,
    #[serde(borrow)]
    client_msg_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    body: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct BareJoin<'a> {
    #[serde(borrow)]
    room: Cow<'a, str>,
}

async fn bare_server() -> Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let rooms: Arc<Mutex<HashMap<String, BareRoom>>> = Arc::default();
    tokio::spawn(async move {
        let mut next_id = 0u64;
        while let Ok((stream, _)) = listener.accept().await {
            next_id += 1;
            tokio::spawn(bare_connection(stream, next_id, rooms.clone()));
        }
    });
    Ok(format!("ws://{addr}/ws"))
}

async fn bare_connection(stream: TcpStream, me: u64, rooms: Arc<Mutex<HashMap<String, BareRoom>>>) {
    stream.set_nodelay(true).ok();
    let Ok(ws) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let (mut sink, mut stream) = ws.split();
    let (tx, mut rx) = mpsc::channel::<Message>(256);
    tokio::spawn(async move {
        while let Some(m) = rx.recv().await {
            if sink.send(m).await.is_err() {
                break;
            }
        }
    });
    let mut joined: Vec<String> = Vec::new();
    while let Some(Ok(m)) = stream.next().await {
        let Message::Text(t) = m else { continue };
        let Ok(f) = serde_json::from_str::<BareIn>(&t) else {
            continue;
        };
        match f.kind {
            "join" => {
                for j in f.rooms.unwrap_or_default() {
                    let last = {
                        let mut rs = lock(&rooms);
                        let r = rs.entry(j.room.to_string()).or_default();
                        r.members.push((me, tx.clone()));
                        r.seq
                    };
                    joined.push(j.room.to_string());
                    let _ = tx
                        .send(Message::text(format!(
                            "{{\"type\":\"joined\",\"room\":\"{}\",\"last_seq\":{last},\"read_seq\":0,\"read_only\":false,\"slow_mode_seconds\":0,\"muted_until\":null}}",
                            j.room
                        )))
                        .await;
                }
            }
            "send" => {
                let (Some(room), Some(cmid), Some(body)) = (f.room, f.client_msg_id, f.body) else {
                    continue;
                };
                let id = Uuid::new_v4();
                let at = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                let body = serde_json::to_string(&body).unwrap_or_default();
                let seq;
                {
                    let mut rs = lock(&rooms);
                    let Some(r) = rs.get_mut(room.as_ref()) else {
                        continue;
                    };
                    r.seq += 1;
                    seq = r.seq;
                    let frame = Message::text(format!(
                        "{{\"type\":\"message\",\"room\":\"{room}\",\"seq\":{seq},\"id\":\"{id}\",\"client_msg_id\":\"{cmid}\",\"at\":\"{at}\",\"sender\":{{\"id\":\"{me}\",\"name\":\"Osallistuja\",\"role\":\"participant\"}},\"body\":{body},\"edited_at\":null}}"
                    ));
                    // A full queue drops that member, as the real server closes it (F6).
                    r.members
                        .retain(|(_, out)| match out.try_send(frame.clone()) {
                            Ok(()) => true,
                            Err(mpsc::error::TrySendError::Full(_)) => false,
                            Err(mpsc::error::TrySendError::Closed(_)) => false,
                        });
                }
                let _ = tx
                    .send(Message::text(format!(
                        "{{\"type\":\"ack\",\"room\":\"{room}\",\"client_msg_id\":\"{cmid}\",\"id\":\"{id}\",\"seq\":{seq},\"at\":\"{at}\",\"duplicate\":false}}"
                    )))
                    .await;
            }
            _ => {}
        }
    }
    let mut rs = lock(&rooms);
    for room in joined {
        if let Some(r) = rs.get_mut(&room) {
            r.members.retain(|(id, _)| *id != me);
        }
    }
}

async fn connect_bare(
    url: &str,
    rooms: &[usize],
    room_ids: &[String],
    connecting: usize,
) -> Result<Vec<Client>> {
    let results: Vec<Result<Client>> = futures_util::stream::iter(rooms.iter())
        .map(|&room| {
            let room_id = room_ids[room].clone();
            async move {
                let addr = url
                    .trim_start_matches("ws://")
                    .trim_end_matches("/ws")
                    .to_owned();
                let stream = TcpStream::connect(addr).await?;
                stream.set_nodelay(true).ok();
                let (ws, _) = tokio_tungstenite::client_async(url, stream).await?;
                let mut chat = chat_client::Chat::new(ws);
                chat.join_one(&room_id, 0).await?;
                Ok(start_client(chat.ws, room))
            }
        })
        .buffered(connecting)
        .collect()
        .await;
    results.into_iter().collect()
}

// ---------------------------------------------------------------------------------------------

async fn ceiling_only(args: &Args) -> Result<()> {
    let room_ids: Vec<String> = (0..args.clients.div_ceil(args.room_size))
        .map(|_| Uuid::new_v4().to_string())
        .collect();
    let rooms: Vec<usize> = (0..args.clients).map(|i| i / args.room_size).collect();
    let url = bare_server().await?;
    let bare = connect_bare(&url, &rooms, &room_ids, args.connecting).await?;
    finish(&bare, room_ids.len(), Duration::ZERO, 0).await;
    let rate = rate_run(&bare, &room_ids, args.rate, args.seconds).await;
    report("bare broadcast, rate run", &rate);
    let sat = saturation_run(&bare, &room_ids, 0.0, args.seconds).await;
    report("bare broadcast, saturation", &sat);
    println!(
        "{}",
        serde_json::json!({
            "clients": args.clients,
            "rate": args.rate,
            "ceiling_p50_ms": round(rate.p50_ms, 2),
            "ceiling_p99_ms": round(rate.p99_ms, 2),
            "lost": rate.lost,
            "dup": rate.dup,
            "ceiling_delivered_per_s": sat.delivered_per_s.round(),
        })
    );
    Ok(())
}

fn raise_open_files(want: u64) -> Result<()> {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE)?;
    if soft < want {
        setrlimit(Resource::RLIMIT_NOFILE, hard, hard)?;
        if hard < want {
            eprintln!(
                "warning: at most {hard} open files (ulimit -Hn); {want} wanted for the sockets"
            );
        }
    }
    Ok(())
}

fn report(name: &str, o: &Outcome) {
    eprintln!(
        "{name}: sent {}, acked {}, deliveries {} ({:.0}/s), p50 {:.2} ms, p99 {:.2} ms, lost {}, dup {}, out of order {}, closed sockets {}, errors {:?}",
        o.sent,
        o.acked,
        o.deliveries,
        o.delivered_per_s,
        o.p50_ms,
        o.p99_ms,
        o.lost,
        o.dup,
        o.out_of_order,
        o.closed,
        o.errors
    );
}

/// A JSON number (`null` for NaN or infinity).
fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        "null".to_owned()
    }
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let args = Args::parse();
    base_instant();
    if args.clients == 0 || args.room_size == 0 {
        bail!("--clients and --room-size must be at least 1");
    }
    // Both this process and the server (its child inherits the limit) hold a socket per client.
    raise_open_files(args.clients as u64 * 2 + 256)?;
    if args.ceiling_only {
        return ceiling_only(&args).await;
    }
    let bin = match &args.etapolku {
        Some(p) => p.clone(),
        None => std::env::current_exe()?
            .parent()
            .context("tool directory")?
            .join("etapolku"),
    };
    if !bin.exists() {
        bail!(
            "{} not found: build it first (cargo build --release -p etapolku-server --bin etapolku) or pass --etapolku",
            bin.display()
        );
    }

    // 1. Seed and start the real server.
    let dir = tempfile::tempdir()?;
    let seeding = Instant::now();
    let Seeded { tokens } = seed(dir.path(), args.clients, args.room_size).await?;
    eprintln!(
        "seeded {} participants in {} courses in {:.1} s",
        tokens.len(),
        args.clients.div_ceil(args.room_size),
        seeding.elapsed().as_secs_f64()
    );
    if args.sat_cap >= f64::from(args.server_frame_limit) {
        bail!(
            "--sat-cap must stay under --server-frame-limit, or the saturation run measures the limit"
        );
    }
    let server = start_server(&bin, dir.path(), args.server_frame_limit)?;
    eprintln!(
        "server's per-socket frame limit: {} a second (production default 5)",
        args.server_frame_limit
    );
    let pid = server.child.id();
    eprintln!("server {} (pid {pid}) at {}", bin.display(), server.base);

    // 2. Every client's group room.
    let http = reqwest::Client::new();
    let room_of: Vec<String> = futures_util::stream::iter(tokens.iter())
        .map(|t| {
            let http = http.clone();
            let base = server.base.clone();
            async move {
                let rooms = chat_client::rooms(&http, &base, t).await?;
                rooms
                    .iter()
                    .find(|r| r["kind"] == "group")
                    .and_then(|r| r["id"].as_str())
                    .map(str::to_owned)
                    .ok_or_else(|| anyhow!("no group room in {rooms:?}"))
            }
        })
        .buffered(args.connecting)
        .collect::<Vec<Result<String>>>()
        .await
        .into_iter()
        .collect::<Result<_>>()?;
    let mut room_ids: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let rooms: Vec<usize> = room_of
        .iter()
        .map(|r| {
            *index.entry(r.clone()).or_insert_with(|| {
                room_ids.push(r.clone());
                room_ids.len() - 1
            })
        })
        .collect();
    eprintln!("{} rooms", room_ids.len());

    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_before = rss_kb(pid)?;
    let opening = Instant::now();
    let clients = connect_all(&server.base, &tokens, &rooms, &room_ids, args.connecting).await?;
    eprintln!(
        "{} sockets open and joined in {:.1} s",
        clients.len(),
        opening.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_after = rss_kb(pid)?;
    let rss_per_conn_kb = (rss_after.saturating_sub(rss_before)) as f64 / clients.len() as f64;
    eprintln!(
        "server RSS {rss_before} KiB before, {rss_after} KiB with {} idle sockets: {rss_per_conn_kb:.1} KiB each",
        clients.len()
    );
    // Presence frames and the like from the joins are not part of any run.
    finish(&clients, room_ids.len(), Duration::ZERO, 0).await;

    // 3. and 4. against the server.
    let server_rate = rate_run(&clients, &room_ids, args.rate, args.seconds).await;
    report("server, rate run", &server_rate);
    let server_sat = saturation_run(&clients, &room_ids, args.sat_cap, args.seconds).await;
    report("server, saturation", &server_sat);
    eprintln!(
        "server peak RSS now {} KiB",
        rss_kb(pid).unwrap_or_default()
    );
    drop(clients);
    drop(server);

    // 5. The ceiling.
    let url = bare_server().await?;
    let bare = connect_bare(&url, &rooms, &room_ids, args.connecting).await?;
    finish(&bare, room_ids.len(), Duration::ZERO, 0).await;
    let bare_rate = rate_run(&bare, &room_ids, args.rate, args.seconds).await;
    report("bare broadcast, rate run", &bare_rate);
    let bare_sat = saturation_run(&bare, &room_ids, 0.0, args.seconds).await;
    report("bare broadcast, saturation", &bare_sat);
    drop(bare);

    let ratio = if bare_sat.delivered_per_s > 0.0 {
        server_sat.delivered_per_s / bare_sat.delivered_per_s
    } else {
        f64::NAN
    };
    // The keys in this order, as issue 5 asks (serde_json would sort them).
    let out = format!(
        "{{\"clients\": {}, \"rate\": {}, \"p50_ms\": {}, \"p99_ms\": {}, \"lost\": {}, \"dup\": {}, \"delivered_per_s\": {}, \"ceiling_delivered_per_s\": {}, \"ratio\": {}, \"rss_per_conn_kb\": {}}}",
        args.clients,
        num(args.rate),
        num(round(server_rate.p50_ms, 2)),
        num(round(server_rate.p99_ms, 2)),
        server_rate.lost,
        server_rate.dup,
        num(server_sat.delivered_per_s.round()),
        num(bare_sat.delivered_per_s.round()),
        num(round(ratio, 3)),
        num(round(rss_per_conn_kb, 1)),
    );
    println!("{out}");
    Ok(())
}
