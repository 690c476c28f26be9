//! Chat fault tests (SECURITY.md "Fault tests"): F7 malformed and oversized frames, F8 tickets and
//! Origin, F6 a slow consumer, F1 `kill -9` of the real `etapolku` binary during sends.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use etapolku_tests::chat_client::{
    self, Chat, ConnectOptions, Incoming, RawKind, Upgrade, is, is_error, is_error_code, origin_of,
};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::chat::{chat_course, joined, open, say};
use crate::helpers::{Session, TestApp};

async fn healthz(app: &TestApp) -> StatusCode {
    reqwest::get(app.url("/healthz"))
        .await
        .expect("healthz")
        .status()
}

/// A member that must not notice anything: it saw no error frame and gets the next message.
async fn still_receives(app: &TestApp, listener: &mut Chat, sender: &Session, room: &str) {
    let (mut c, _) = joined(app, sender, room, 0).await;
    let ack = say(&mut c, room, "Kaikki hyvin?").await;
    let m = listener
        .wait_for(|f| is(f, "message") && f["seq"] == ack["seq"])
        .await
        .expect("the listener still receives");
    assert_eq!(m["body"], "Kaikki hyvin?");
    assert!(
        listener.pending.iter().all(|f| !is_error(f)),
        "the listener got errors: {:?}",
        listener.pending
    );
    assert!(listener.closed.is_none());
}

// ---------------------------------------------------------------------------------------------
// F7

#[tokio::test]
async fn f7_malformed_frames_get_error_frames_and_the_socket_stays_usable() {
    let app = TestApp::new().await;
    let cc = chat_course(&app, "Malformed", 1).await;
    let (mut listener, _) = joined(&app, &cc.others[0], &cc.group, 0).await;
    let (mut c, _) = joined(&app, &cc.demo.participant, &cc.group, 0).await;
    c.send_text("{not json").await.expect("send");
    let f = c.wait_for(is_error).await.expect("an error frame");
    assert_eq!(f["code"], "bad_frame", "invalid JSON: {f}");
    c.send_json(&json!({"type": "shout", "room": cc.group}))
        .await
        .expect("send");
    let f = c.wait_for(is_error).await.expect("an error frame");
    assert_eq!(f["code"], "unknown_type", "{f}");
    c.send_json(&json!({"room": cc.group})).await.expect("send");
    let f = c.wait_for(is_error).await.expect("an error frame");
    assert!(
        f["code"] == "bad_frame" || f["code"] == "unknown_type",
        "no type: {f}"
    );
    c.send_json(&json!({"type": "send", "room": 42, "body": ["x"]}))
        .await
        .expect("send");
    let f = c.wait_for(is_error).await.expect("an error frame");
    assert_eq!(f["code"], "bad_frame", "wrong field types: {f}");
    c.send_raw(RawKind::Binary, b"\x00\x01binary".to_vec(), true)
        .await
        .expect("send");
    let f = c.wait_for(is_error).await.expect("an error frame");
    assert_eq!(f["code"], "bad_frame", "binary frame: {f}");
    // Four bad frames so far: still open and usable.
    say(&mut c, &cc.group, "Vielä toimii").await;
    let m = listener
        .wait_for(|f| is(f, "message"))
        .await
        .expect("the listener gets the good message");
    assert_eq!(m["body"], "Vielä toimii");
    assert!(
        listener.pending.iter().all(|f| !is_error(f)),
        "{:?}",
        listener.pending
    );
    assert_eq!(healthz(&app).await, StatusCode::OK);
}

#[tokio::test]
async fn f7_invalid_utf8_oversized_and_repeated_bad_frames_close_the_socket_and_nobody_else_notices()
 {
    let app = TestApp::new().await;
    let cc = chat_course(&app, "Abuse", 1).await;
    let (mut listener, _) = joined(&app, &cc.others[0], &cc.group, 0).await;
    let p = &cc.demo.participant;

    // Invalid UTF-8 in a text frame: 1007 (or an error frame, then still open).
    let (mut c, _) = joined(&app, p, &cc.group, 0).await;
    c.send_raw(
        RawKind::Text,
        b"{\"type\":\"send\",\"body\":\"\xff\xfe\"}".to_vec(),
        true,
    )
    .await
    .expect("send");
    loop {
        match c.next_within(chat_client::WAIT).await {
            Some(Incoming::Json(f)) if is(&f, "presence") => continue,
            Some(Incoming::Close(code)) => assert_eq!(code, Some(1007), "invalid UTF-8"),
            Some(Incoming::Json(f)) => assert!(is_error_code(&f, "bad_frame"), "{f}"),
            other => panic!("invalid UTF-8 answered {other:?}"),
        }
        break;
    }

    // A text frame of 64 KiB + 1: 1009.
    let (mut c, _) = joined(&app, p, &cc.group, 0).await;
    let big = format!(
        "{{\"type\":\"send\",\"room\":\"{}\",\"body\":\"{}\"}}",
        cc.group,
        "x".repeat(64 * 1024)
    );
    c.send_text(big).await.expect("send");
    let (code, _) = c.wait_close(chat_client::WAIT).await.expect("closed");
    assert_eq!(code, Some(1009), "a frame over 64 KiB");

    // One 1 MiB frame: 1009.
    let (mut c, _) = joined(&app, p, &cc.group, 0).await;
    // The write may fail half-way when the server closes first; what counts is the close code.
    let _ = c.send_text("x".repeat(1 << 20)).await;
    let (code, _) = c.wait_close(chat_client::WAIT).await.expect("closed");
    assert_eq!(code, Some(1009), "a 1 MiB frame");

    // A message fragmented into 16 KiB continuations, 2 MiB in all: 1009 once it passes 64 KiB.
    let (mut c, _) = joined(&app, p, &cc.group, 0).await;
    let chunk = vec![b'x'; 16 * 1024];
    let mut sent = c
        .send_raw(RawKind::Text, chunk.clone(), false)
        .await
        .is_ok();
    for _ in 0..127 {
        if !sent {
            break;
        }
        sent = c
            .send_raw(RawKind::Continuation, chunk.clone(), false)
            .await
            .is_ok();
    }
    let (code, _) = c
        .wait_close(chat_client::WAIT)
        .await
        .expect("closed during the continuation");
    assert_eq!(code, Some(1009), "a fragmented message over 64 KiB");

    // Ten bad frames in a row: closed (1008, or 1007).
    let (mut c, _) = joined(&app, p, &cc.group, 0).await;
    for n in 0..10 {
        if c.send_text(format!("roskaa {n}")).await.is_err() {
            break;
        }
    }
    let (code, frames) = c.wait_close(chat_client::WAIT).await.expect("closed");
    assert!(
        code == Some(1008) || code == Some(1007),
        "ten bad frames closed with {code:?}"
    );
    assert!(
        frames.iter().filter(|f| is_error(f)).count() >= 9,
        "every bad frame but the last gets an error frame: {frames:?}"
    );

    // Many sockets doing the same: the server and the listener carry on.
    for _ in 0..20 {
        let (mut c, _) = joined(&app, p, &cc.group, 0).await;
        for n in 0..12 {
            if c.send_text(format!("[{n}")).await.is_err() {
                break;
            }
        }
        let _ = c.wait_close(chat_client::WAIT).await;
    }
    assert_eq!(healthz(&app).await, StatusCode::OK);
    still_receives(&app, &mut listener, &cc.demo.guide, &cc.group).await;
    // Nothing the abusive sockets sent was stored.
    assert_eq!(app.count("chat_messages WHERE kind = 'message'").await, 1);
}

// ---------------------------------------------------------------------------------------------
// F8

async fn try_upgrade(app: &TestApp, ticket: Option<String>, origin: Option<String>) -> Upgrade {
    chat_client::upgrade(
        &app.server.address,
        ConnectOptions {
            ticket,
            origin,
            recv_buffer: None,
        },
    )
    .await
    .expect("the HTTP exchange itself works")
}

fn refused(u: Upgrade, status: u16, what: &str) {
    match u {
        Upgrade::Open(_) => panic!("{what}: the upgrade was accepted"),
        Upgrade::Refused(s, body) => {
            assert_eq!(s, status, "{what}: {body}");
            if status == 401 {
                assert!(
                    body.is_empty() || body.contains("\"code\""),
                    "{what}: {body}"
                );
            }
        }
    }
}

#[tokio::test]
async fn f8_no_bad_used_or_expired_ticket_is_401_and_a_foreign_or_missing_origin_403_before_the_upgrade()
 {
    let app = TestApp::new().await;
    let cc = chat_course(&app, "Tickets", 0).await;
    let (mut listener, _) = joined(&app, &cc.demo.guide, &cc.group, 0).await;
    listener.collect(Duration::from_millis(300)).await;
    let p = &cc.demo.participant;
    let base = &app.server.address;
    let origin = Some(origin_of(base));
    let ticket = || async {
        chat_client::ticket(&p.client, base, &p.token)
            .await
            .expect("ticket")
    };

    refused(
        try_upgrade(&app, None, origin.clone()).await,
        401,
        "no ticket",
    );
    refused(
        try_upgrade(&app, Some("not-a-ticket".into()), origin.clone()).await,
        401,
        "a made-up ticket",
    );
    // An access token is not a ticket, and a ticket is not an access token (S2).
    refused(
        try_upgrade(&app, Some(p.token.clone()), origin.clone()).await,
        401,
        "an access token as the ticket",
    );
    let t = ticket().await;
    let res = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&t)
        .send()
        .await
        .expect("request");
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "a ticket as a token"
    );
    // Used once: the second use is refused.
    match try_upgrade(&app, Some(t.clone()), origin.clone()).await {
        Upgrade::Open(c) => c.close().await,
        Upgrade::Refused(s, b) => panic!("a fresh ticket was refused: {s} {b}"),
    }
    refused(
        try_upgrade(&app, Some(t), origin.clone()).await,
        401,
        "a used ticket",
    );
    // Thirty seconds and it has expired.
    let t = ticket().await;
    app.advance(chrono::Duration::seconds(31));
    refused(
        try_upgrade(&app, Some(t), origin.clone()).await,
        401,
        "an expired ticket",
    );
    // Origin: a foreign one, a look-alike, another port, none.
    let port = base.rsplit(':').next().unwrap_or("0").to_owned();
    for bad in [
        Some("http://evil.example".to_owned()),
        Some(format!("http://127.0.0.1.evil.example:{port}")),
        Some("http://127.0.0.1:1".to_owned()),
        Some("null".to_owned()),
        None,
    ] {
        refused(
            try_upgrade(&app, Some(ticket().await), bad.clone()).await,
            403,
            &format!("Origin {bad:?}"),
        );
    }
    // Nothing reached the room.
    let frames = listener.collect(Duration::from_millis(500)).await;
    assert!(frames.is_empty(), "{frames:?}");
    // And the good way in works.
    let (mut c, _) = joined(&app, p, &cc.group, 0).await;
    say(&mut c, &cc.group, "Pääsin sisään").await;
}

// ---------------------------------------------------------------------------------------------
// F6

/// Sends `n` messages as an outbox does: on `rate_limited` it waits and sends the same
/// `client_msg_id` again. Returns the acks.
async fn send_all(c: &mut Chat, room: &str, tag: usize, n: usize, body: &str) -> Vec<Value> {
    let mut acks = Vec::new();
    for k in 0..n {
        let id = uuid::Uuid::new_v4().to_string();
        let ack = c
            .send_until_acked(
                room,
                &id,
                &format!("{tag}/{k} {body}"),
                Duration::from_millis(250),
            )
            .await
            .expect("acked");
        acks.push(ack);
    }
    acks
}

#[tokio::test]
async fn f6_a_client_that_never_reads_is_closed_with_1013_and_the_room_carries_on_in_order() {
    let app = TestApp::new().await;
    // A course has room for 12 participants; the rate limit is per socket, so 10 participants
    // send from 3 sockets each.
    let users = 10;
    let senders = 30;
    let cc = chat_course(&app, "Slow", users + 1).await;
    let p = &cc.demo.participant;
    // The slow member: a small receive buffer, joins, then reads nothing.
    let t = chat_client::ticket(&p.client, &app.server.address, &p.token)
        .await
        .expect("ticket");
    let mut slow = match chat_client::upgrade(
        &app.server.address,
        ConnectOptions {
            ticket: Some(t),
            origin: Some(origin_of(&app.server.address)),
            recv_buffer: Some(4096),
        },
    )
    .await
    .expect("upgrade")
    {
        Upgrade::Open(c) => *c,
        Upgrade::Refused(s, b) => panic!("{s} {b}"),
    };
    slow.join_one(&cc.group, 0).await.expect("join");
    let (mut normal, _) = joined(&app, &cc.others[users], &cc.group, 0).await;

    // 30 senders, 30 messages of ~8 KB each: 900 frames, 7 MB, more than the 256 queued plus
    // what the kernel holds (the server's send buffer grows to 4 MiB, tcp_wmem).
    let body = "ä".repeat(3900);
    let mut clients = Vec::new();
    for k in 0..senders {
        clients.push(joined(&app, &cc.others[k % users], &cc.group, 0).await.0);
    }
    let per = 30;
    let started = std::time::Instant::now();
    let group = cc.group.clone();
    let reader = tokio::spawn(async move {
        let total = (senders * per) as i64;
        let mut seqs = Vec::new();
        while seqs.last().copied() != Some(total) {
            let f = normal
                .wait_for_within(Duration::from_secs(60), |f| is(f, "message"))
                .await
                .unwrap_or_else(|e| panic!("the normal member after {seqs:?}: {e:#}"));
            seqs.push(f["seq"].as_i64().unwrap_or(-1));
        }
        seqs
    });
    let all_acks = futures_util::future::join_all(
        clients
            .iter_mut()
            .enumerate()
            .map(|(k, c)| send_all(c, &group, k, per, &body)),
    )
    .await;
    eprintln!(
        "F6: {} messages sent in {:?}",
        senders * per,
        started.elapsed()
    );
    assert_eq!(
        all_acks.iter().map(Vec::len).sum::<usize>(),
        senders * per,
        "every send acked: the room was not slowed to a stop"
    );
    let seqs = reader.await.expect("reader");
    assert_eq!(
        seqs,
        (1..=(senders * per) as i64).collect::<Vec<_>>(),
        "the normal member gets everything once, in order"
    );
    // What the kernel holds between the server and a socket that reads nothing varies from run
    // to run (the server's send buffer grows up to 4 MiB), so while the slow member is still
    // online the room sends more: up to 6 rounds of 100.
    let slow_user = etapolku_server::entity::user::Entity::find()
        .filter(
            etapolku_server::entity::user::Column::Uuid
                .eq(uuid::Uuid::parse_str(&p.id).expect("uuid")),
        )
        .one(&app.server.db)
        .await
        .expect("db")
        .expect("the slow member")
        .id;
    let mut total = (senders * per) as i64;
    for _ in 0..6 {
        if !app.server.state.chat.is_online(slow_user) {
            break;
        }
        let extra = futures_util::future::join_all(
            clients
                .iter_mut()
                .take(10)
                .enumerate()
                .map(|(k, c)| send_all(c, &group, 100 + k, 10, &body)),
        )
        .await;
        total += extra.iter().map(Vec::len).sum::<usize>() as i64;
    }
    // The slow member now reads: some messages, then the close with 1013.
    let (code, frames) = slow
        .wait_close(Duration::from_secs(20))
        .await
        .expect("the slow socket was closed");
    assert_eq!(
        code,
        Some(1013),
        "after {}",
        chat_client::summary(frames.iter())
    );
    let got = frames.iter().filter(|f| is(f, "message")).count();
    assert!(
        (got as i64) < total,
        "the slow member got {got}: not closed"
    );
    // It reconnects and catches up from where it was: replayed when at most 500 were missed,
    // otherwise resync_required (and the client reloads over HTTP).
    let last = frames
        .iter()
        .filter(|f| is(f, "message"))
        .filter_map(|f| f["seq"].as_i64())
        .max()
        .unwrap_or(0);
    let mut again = open(&app, p).await;
    again.join(&[(&cc.group, last)]).await.expect("join");
    if total - last > 500 {
        let f = again
            .wait_for(|f| is(f, "resync_required"))
            .await
            .expect("resync_required");
        assert_eq!(f["last_seq"], total);
    } else {
        let mut seen = Vec::new();
        while seen.last().copied() != Some(total) {
            let f = again
                .wait_for(|f| is(f, "message"))
                .await
                .unwrap_or_else(|e| panic!("catching up after {seen:?}: {e:#}"));
            seen.push(f["seq"].as_i64().unwrap_or(-1));
        }
        assert_eq!(seen, ((last + 1)..=total).collect::<Vec<_>>());
    }
}

// ---------------------------------------------------------------------------------------------
// F1

/// The `etapolku` binary next to this test binary (`target/debug/deps/api-…` → `target/debug/`),
/// or `ETAPOLKU_BIN`.
fn etapolku_bin() -> Option<std::path::PathBuf> {
    if let Ok(p) = std::env::var("ETAPOLKU_BIN") {
        return Some(p.into());
    }
    let exe = std::env::current_exe().ok()?;
    let bin = exe.parent()?.parent()?.join("etapolku");
    bin.exists().then_some(bin)
}

struct Served {
    child: Child,
    base: String,
    /// role → sign-in token from the printed links.
    links: HashMap<String, String>,
}

/// `etapolku serve --demo` on a free port with `dir` as the data directory (SQLite).
fn serve(bin: &std::path::Path, dir: &std::path::Path) -> Served {
    let mut child = Command::new(bin)
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .env_remove("DATABASE_URL")
        .env_remove("ETAPOLKU_PUBLIC_URL")
        .env_remove("ETAPOLKU_WS_ORIGINS")
        .env("ETAPOLKU_DATA_DIR", dir)
        .env("ETAPOLKU_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn etapolku");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().expect("a line").expect("line");
    let base = first
        .split_whitespace()
        .last()
        .expect("address")
        .trim_end_matches('/')
        .to_owned();
    let mut links = HashMap::new();
    for line in lines.by_ref().take(6) {
        let line = line.expect("line");
        let t = line.trim_start();
        if let (Some((role, _)), Some((_, token))) = (t.split_once(':'), t.split_once("#token=")) {
            links.insert(role.trim().to_owned(), token.trim().to_owned());
        }
    }
    // Keep draining stdout so that the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Served { child, base, links }
}

async fn redeem(base: &str, token: &str) -> (reqwest::Client, String) {
    let http = crate::helpers::client();
    let res = http
        .post(format!("{base}/api/v1/auth/email-link/redeem"))
        .json(&json!({"token": token}))
        .send()
        .await
        .expect("redeem");
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.expect("json");
    (
        http,
        body["access_token"].as_str().expect("token").to_owned(),
    )
}

#[tokio::test]
async fn f1_kill_9_during_sends_loses_no_acked_message_and_the_outbox_resend_makes_no_duplicate() {
    let Some(bin) = etapolku_bin() else {
        eprintln!(
            "SKIPPED f1: no etapolku binary next to the test binary; run \
             `cargo build -p etapolku-server --bin etapolku` first or set ETAPOLKU_BIN"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut first = serve(&bin, dir.path());
    let token = first
        .links
        .get("participant")
        .cloned()
        .unwrap_or_else(|| panic!("a participant link in {:?}", first.links));
    let (http, access) = redeem(&first.base, &token).await;
    let rooms = chat_client::rooms(&http, &first.base, &access)
        .await
        .expect("rooms");
    let group = rooms
        .iter()
        .find(|r| r["kind"] == "group")
        .and_then(|r| r["id"].as_str())
        .expect("the demo course's group room")
        .to_owned();
    let mut c = chat_client::connect(&http, &first.base, &access)
        .await
        .expect("connect");
    let joined = c.join_one(&group, 0).await.expect("join");
    let before = joined["last_seq"].as_i64().unwrap_or(0);

    // Send without waiting (an outbox of ids), faster than the rate limit, reading acks as they
    // come; kill -9 after 3 seconds.
    let mut outbox: Vec<String> = Vec::new();
    let mut acked: HashMap<String, i64> = HashMap::new();
    let kill_at = tokio::time::Instant::now() + Duration::from_secs(3);
    let mut n = 0;
    while tokio::time::Instant::now() < kill_at {
        let id = uuid::Uuid::new_v4().to_string();
        if c.send_message(&group, &id, &format!("F1 viesti {n}"))
            .await
            .is_err()
        {
            break;
        }
        outbox.push(id);
        n += 1;
        while let Some(Incoming::Json(f)) = c.next_within(Duration::from_millis(20)).await {
            if is(&f, "ack") {
                acked.insert(
                    f["client_msg_id"].as_str().unwrap_or("").to_owned(),
                    f["seq"].as_i64().unwrap_or(-1),
                );
            }
        }
    }
    first.child.kill().expect("kill -9");
    first.child.wait().expect("wait");
    // Frames already in our socket buffer were sent before the kill: they count as acked too.
    while let Some(Incoming::Json(f)) = c.next_within(Duration::from_millis(100)).await {
        if is(&f, "ack") {
            acked.insert(
                f["client_msg_id"].as_str().unwrap_or("").to_owned(),
                f["seq"].as_i64().unwrap_or(-1),
            );
        }
    }
    assert!(
        !acked.is_empty(),
        "some messages were acked before the kill"
    );
    eprintln!(
        "F1: {} sent, {} acked before kill -9",
        outbox.len(),
        acked.len()
    );

    // Restart on the same data directory; the access token still works (same key, same session).
    let second = serve(&bin, dir.path());
    let mut c = chat_client::connect(&http, &second.base, &access)
        .await
        .expect("reconnect");
    c.join_one(&group, 0).await.expect("join again");
    // The outbox resends every unacked message with its own id, then the acked ones once more
    // (as a client that lost its acks would): all must answer with an ack.
    let mut final_acks: HashMap<String, Value> = HashMap::new();
    for id in outbox.iter() {
        let f = c
            .send_until_acked(&group, id, "uudelleen", Duration::from_millis(300))
            .await
            .expect("acked after the restart");
        final_acks.insert(id.clone(), f);
    }
    for (id, seq) in &acked {
        let f = &final_acks[id];
        assert_eq!(f["duplicate"], true, "an acked message resent: {f}");
        assert_eq!(
            f["seq"].as_i64(),
            Some(*seq),
            "the same seq as before the kill"
        );
    }

    // The room's log, replayed from 0: seqs without gaps, each of our ids exactly once.
    let mut r = chat_client::connect(&http, &second.base, &access)
        .await
        .expect("connect");
    r.join(&[(&group, 0)]).await.expect("join");
    let frames = r.collect(Duration::from_millis(1500)).await;
    let logged: Vec<&Value> = frames
        .iter()
        .filter(|f| (is(f, "message") || is(f, "event")) && f["room"] == group.as_str())
        .collect();
    let seqs: Vec<i64> = logged.iter().filter_map(|f| f["seq"].as_i64()).collect();
    let last = seqs.last().copied().unwrap_or(0);
    assert_eq!(seqs, (1..=last).collect::<Vec<_>>(), "no gaps in seq");
    assert_eq!(
        last,
        before + outbox.len() as i64,
        "nothing more, nothing less"
    );
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for f in &logged {
        if let Some(id) = f["client_msg_id"].as_str() {
            *counts.entry(id).or_default() += 1;
        }
    }
    for id in &outbox {
        assert_eq!(counts.get(id.as_str()), Some(&1), "{id} exactly once");
    }
    // Bodies of messages acked before the kill are the originals (the resend changed nothing).
    let acked_ids: HashSet<&String> = acked.keys().collect();
    for f in &logged {
        if let Some(id) = f["client_msg_id"].as_str()
            && acked_ids.contains(&id.to_owned())
        {
            assert!(
                f["body"].as_str().unwrap_or("").starts_with("F1 viesti"),
                "{f}"
            );
        }
    }
    let mut second = second;
    let _ = Command::new("kill")
        .args(["-TERM", &second.child.id().to_string()])
        .status();
    second.child.wait().expect("wait");

    // The database file is sound.
    let url = format!(
        "sqlite://{}?mode=rw",
        dir.path().join("etapolku.db").display()
    );
    let db = sea_orm::Database::connect(&url).await.expect("open the db");
    use sea_orm::ConnectionTrait;
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "PRAGMA integrity_check".to_owned(),
        ))
        .await
        .expect("integrity_check")
        .expect("a row");
    let verdict: String = row.try_get_by_index(0).expect("text");
    assert_eq!(verdict, "ok");
}
