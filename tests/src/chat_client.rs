//! A small chat websocket client for the API tests and `chat-load`, written against
//! `server/src/chat/PROTOCOL.md`: a ticket over HTTP with a Bearer token, the upgrade with an
//! `Origin` header, then JSON text frames (`join`, `send`, …) and waiting for the frames the
//! server sends back.

use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

pub type Ws = WebSocketStream<TcpStream>;

/// How long a test waits for a frame it expects before failing.
pub const WAIT: Duration = Duration::from_secs(5);

/// The origin of a server address `http://127.0.0.1:PORT` (what a browser on the public URL sends).
pub fn origin_of(base: &str) -> String {
    base.trim_end_matches('/').to_owned()
}

/// `POST /api/v1/chat/ticket` with the access token; returns the ticket.
pub async fn ticket(http: &reqwest::Client, base: &str, token: &str) -> Result<String> {
    let res = http
        .post(format!("{base}/api/v1/chat/ticket"))
        .bearer_auth(token)
        .send()
        .await
        .context("requesting a ticket")?;
    let status = res.status();
    let body: Value = res.json().await.context("ticket json")?;
    if !status.is_success() {
        bail!("POST /api/v1/chat/ticket answered {status}: {body}");
    }
    body["ticket"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("no ticket in {body}"))
}

/// What an upgrade attempt ended in.
pub enum Upgrade {
    Open(Box<Chat>),
    /// Refused before the upgrade: the HTTP status and body.
    Refused(u16, String),
}

/// Options of one connection attempt.
#[derive(Clone, Debug)]
pub struct ConnectOptions {
    /// `None`: no `ticket` parameter at all.
    pub ticket: Option<String>,
    /// `None`: no `Origin` header.
    pub origin: Option<String>,
    /// A small receive buffer makes a client that does not read fill up quickly (F6).
    pub recv_buffer: Option<u32>,
}

/// Opens `GET /api/v1/chat/ws?ticket=…` on `base` (`http://127.0.0.1:PORT`).
pub async fn upgrade(base: &str, opts: ConnectOptions) -> Result<Upgrade> {
    let host = base
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let mut url = format!("ws://{host}/api/v1/chat/ws");
    if let Some(t) = &opts.ticket {
        url.push_str("?ticket=");
        url.push_str(t);
    }
    let mut request = url.as_str().into_client_request().context("request")?;
    if let Some(o) = &opts.origin {
        request
            .headers_mut()
            .insert("Origin", HeaderValue::from_str(o).context("origin")?);
    }
    let addr: std::net::SocketAddr = host.parse().context("server address")?;
    let socket = TcpSocket::new_v4().context("socket")?;
    if let Some(size) = opts.recv_buffer {
        socket.set_recv_buffer_size(size).context("SO_RCVBUF")?;
        // With loopback's 64 KiB segments a window this small is never reopened by a window
        // update once the client reads again: the server only probes it, with timers that back
        // off to many seconds, and the socket looks stalled. A real network's segment size
        // keeps the small buffer and lets the window reopen as the client reads.
        socket2::SockRef::from(&socket)
            .set_tcp_mss(1460)
            .context("TCP_MAXSEG")?;
    }
    let stream = socket.connect(addr).await.context("connect")?;
    stream.set_nodelay(true).ok();
    // The client accepts large frames so that it sees what the server sends, whatever it is.
    let config = WebSocketConfig::default()
        .max_frame_size(Some(64 << 20))
        .max_message_size(Some(64 << 20));
    match tokio_tungstenite::client_async_with_config(request, stream, Some(config)).await {
        Ok((ws, _)) => Ok(Upgrade::Open(Box::new(Chat::new(ws)))),
        Err(WsError::Http(res)) => {
            let status = res.status().as_u16();
            let body = res
                .body()
                .as_ref()
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default();
            Ok(Upgrade::Refused(status, body))
        }
        Err(e) => Err(anyhow!("websocket handshake: {e}")),
    }
}

/// A ticket for `token`, then the upgrade with the right Origin.
pub async fn connect(http: &reqwest::Client, base: &str, token: &str) -> Result<Chat> {
    let t = ticket(http, base, token).await?;
    match upgrade(
        base,
        ConnectOptions {
            ticket: Some(t),
            origin: Some(origin_of(base)),
            recv_buffer: None,
        },
    )
    .await?
    {
        Upgrade::Open(c) => Ok(*c),
        Upgrade::Refused(status, body) => bail!("upgrade refused with {status}: {body}"),
    }
}

/// What reading the socket gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    Json(Value),
    /// A text frame that is not JSON, or a binary frame (the server should send neither).
    Other(String),
    /// A close frame with its code (`None`: no code).
    Close(Option<u16>),
    /// The connection ended without a close frame (or with an error).
    Ended(String),
}

pub struct Chat {
    pub ws: Ws,
    /// JSON frames read but not yet returned by `wait_for` (it skips over frames that do not match).
    pub pending: std::collections::VecDeque<Value>,
    /// Set once a close frame or the end of the connection was read.
    pub closed: Option<Incoming>,
}

impl Chat {
    pub fn new(ws: Ws) -> Chat {
        Chat {
            ws,
            pending: Default::default(),
            closed: None,
        }
    }

    pub async fn send_json(&mut self, frame: &Value) -> Result<()> {
        self.ws
            .send(Message::text(frame.to_string()))
            .await
            .context("sending a frame")
    }

    /// Sends any text, JSON or not.
    pub async fn send_text(&mut self, text: impl Into<String>) -> Result<()> {
        self.ws
            .send(Message::text(text.into()))
            .await
            .context("sending text")
    }

    /// Sends a frame as it is: invalid UTF-8 text, a fragment, a binary frame.
    pub async fn send_raw(&mut self, opcode: RawKind, payload: Vec<u8>, fin: bool) -> Result<()> {
        let op = match opcode {
            RawKind::Text => OpCode::Data(Data::Text),
            RawKind::Binary => OpCode::Data(Data::Binary),
            RawKind::Continuation => OpCode::Data(Data::Continue),
        };
        self.ws
            .send(Message::Frame(Frame::message(payload, op, fin)))
            .await
            .context("sending a raw frame")
    }

    pub async fn join(&mut self, rooms: &[(&str, i64)]) -> Result<()> {
        let rooms: Vec<Value> = rooms
            .iter()
            .map(|(r, seen)| json!({"room": r, "last_seen_seq": seen}))
            .collect();
        self.send_json(&json!({"type": "join", "rooms": rooms}))
            .await
    }

    /// Joins one room and waits for `joined`; returns the `joined` frame.
    pub async fn join_one(&mut self, room: &str, last_seen: i64) -> Result<Value> {
        self.join(&[(room, last_seen)]).await?;
        self.wait_for(|f| is(f, "joined") && f["room"] == room || is_error(f))
            .await
            .and_then(|f| {
                if is(&f, "joined") {
                    Ok(f)
                } else {
                    Err(anyhow!("join of {room} answered {f}"))
                }
            })
    }

    pub async fn send_message(
        &mut self,
        room: &str,
        client_msg_id: &str,
        body: &str,
    ) -> Result<()> {
        self.send_json(
            &json!({"type": "send", "room": room, "client_msg_id": client_msg_id, "body": body}),
        )
        .await
    }

    /// Sends a message and waits for its `ack` (or an error frame naming it); returns that frame.
    pub async fn say(&mut self, room: &str, body: &str) -> Result<Value> {
        let id = uuid::Uuid::new_v4().to_string();
        self.send_message(room, &id, body).await?;
        self.answer_to(&id).await
    }

    /// Waits for the `ack` or `error` frame that names `client_msg_id`.
    pub async fn answer_to(&mut self, client_msg_id: &str) -> Result<Value> {
        self.wait_for(|f| (is(f, "ack") || is(f, "error")) && f["client_msg_id"] == client_msg_id)
            .await
    }

    /// Waits for the `ack` or `error` naming `client_msg_id`, or a `rate_limited` error (which
    /// names no message: the frame was dropped before it was read). Send one frame at a time
    /// when using this, so that a `rate_limited` is known to be about it.
    pub async fn outcome_of(&mut self, client_msg_id: &str) -> Result<Value> {
        self.wait_for(|f| {
            ((is(f, "ack") || is(f, "error")) && f["client_msg_id"] == client_msg_id)
                || is_error_code(f, "rate_limited")
        })
        .await
    }

    /// Sends until acked, as a client's outbox does: after `rate_limited` it waits `pause` and
    /// sends the same `client_msg_id` again. Any other error is returned as an error.
    pub async fn send_until_acked(
        &mut self,
        room: &str,
        client_msg_id: &str,
        body: &str,
        pause: Duration,
    ) -> Result<Value> {
        loop {
            self.send_message(room, client_msg_id, body).await?;
            let f = self.outcome_of(client_msg_id).await?;
            if is(&f, "ack") {
                return Ok(f);
            }
            if !is_error_code(&f, "rate_limited") {
                bail!("sending {client_msg_id} answered {f}");
            }
            tokio::time::sleep(pause).await;
        }
    }

    /// The next frame (pending first), or `None` after `within`.
    pub async fn next_within(&mut self, within: Duration) -> Option<Incoming> {
        if let Some(f) = self.pending.pop_front() {
            return Some(Incoming::Json(f));
        }
        if let Some(c) = &self.closed {
            return Some(c.clone());
        }
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let read = tokio::time::timeout_at(deadline, self.ws.next())
                .await
                .ok()?;
            let got = match read {
                Some(Ok(Message::Text(t))) => match serde_json::from_str::<Value>(&t) {
                    Ok(v) => Incoming::Json(v),
                    Err(_) => Incoming::Other(t.to_string()),
                },
                Some(Ok(Message::Binary(b))) => {
                    Incoming::Other(format!("binary {} bytes", b.len()))
                }
                Some(Ok(Message::Close(c))) => Incoming::Close(c.map(|c| u16::from(c.code))),
                Some(Ok(_)) => continue, // ping, pong (tungstenite answers pings itself)
                Some(Err(e)) => Incoming::Ended(e.to_string()),
                None => Incoming::Ended("end of stream".into()),
            };
            if matches!(got, Incoming::Close(_) | Incoming::Ended(_)) {
                self.closed = Some(got.clone());
            }
            return Some(got);
        }
    }

    /// The first JSON frame that matches, within [`WAIT`]; the frames skipped stay pending, in order.
    pub async fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Result<Value> {
        self.wait_for_within(WAIT, pred).await
    }

    pub async fn wait_for_within(
        &mut self,
        within: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Result<Value> {
        if let Some(i) = self.pending.iter().position(&pred) {
            return Ok(self.pending.remove(i).unwrap_or_default());
        }
        let deadline = tokio::time::Instant::now() + within;
        let mut skipped = Vec::new();
        let result = loop {
            if let Some(c) = &self.closed {
                break Err(anyhow!("the socket closed ({c:?}) while waiting"));
            }
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.read_one(left).await {
                None => break Err(anyhow!("no matching frame within {within:?}")),
                Some(Incoming::Json(v)) if pred(&v) => break Ok(v),
                Some(Incoming::Json(v)) => skipped.push(v),
                Some(Incoming::Other(t)) => skipped.push(json!({"type": "<not json>", "text": t})),
                Some(c) => break Err(anyhow!("the socket closed ({c:?}) while waiting")),
            }
        };
        self.pending.extend(skipped);
        result.map_err(|e| {
            anyhow!(
                "{e}; frames seen meanwhile: {}",
                summary(self.pending.iter())
            )
        })
    }

    /// Reads one frame from the socket, not from `pending`.
    async fn read_one(&mut self, within: Duration) -> Option<Incoming> {
        let saved = std::mem::take(&mut self.pending);
        let got = self.next_within(within).await;
        self.pending = saved;
        got
    }

    /// Every JSON frame until nothing arrives for `quiet` (pending ones first).
    pub async fn collect(&mut self, quiet: Duration) -> Vec<Value> {
        let mut out: Vec<Value> = self.pending.drain(..).collect();
        while let Some(Incoming::Json(v)) = self.next_within(quiet).await {
            out.push(v);
        }
        out
    }

    /// Reads until the server closes; returns the close code (or `None` for an ending without a
    /// close frame) and the JSON frames seen before it.
    pub async fn wait_close(&mut self, within: Duration) -> Result<(Option<u16>, Vec<Value>)> {
        let deadline = tokio::time::Instant::now() + within;
        let mut frames: Vec<Value> = self.pending.drain(..).collect();
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_within(left).await {
                Some(Incoming::Json(v)) => frames.push(v),
                Some(Incoming::Other(_)) => {}
                Some(Incoming::Close(code)) => return Ok((code, frames)),
                Some(Incoming::Ended(e)) => {
                    bail!(
                        "the connection ended without a close frame ({e}); frames: {}",
                        summary(frames.iter())
                    )
                }
                None => bail!(
                    "not closed within {within:?}; frames: {}",
                    summary(frames.iter())
                ),
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}

#[derive(Clone, Copy, Debug)]
pub enum RawKind {
    Text,
    Binary,
    Continuation,
}

/// A short account of frames for failure messages: `type` with `seq`, `code` or `event`, and
/// runs of the same kind folded (`message#1..300`).
pub fn summary<'a>(frames: impl Iterator<Item = &'a Value>) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut run: Option<(i64, i64)> = None;
    let flush = |out: &mut Vec<String>, run: &mut Option<(i64, i64)>| {
        if let Some((a, b)) = run.take() {
            out.push(if a == b {
                format!("message#{a}")
            } else {
                format!("message#{a}..{b}")
            });
        }
    };
    for f in frames {
        if is(f, "message")
            && let Some(s) = f["seq"].as_i64()
        {
            match &mut run {
                Some((_, b)) if *b + 1 == s => *b = s,
                _ => {
                    flush(&mut out, &mut run);
                    run = Some((s, s));
                }
            }
            continue;
        }
        flush(&mut out, &mut run);
        let t = f["type"].as_str().unwrap_or("?");
        let detail = ["code", "event", "seq", "client_msg_id"]
            .iter()
            .find_map(|k| match &f[*k] {
                Value::Null => None,
                v => Some(format!("{k}={v}")),
            })
            .unwrap_or_default();
        out.push(format!("{t}({detail})"));
    }
    flush(&mut out, &mut run);
    format!("[{}]", out.join(", "))
}

/// `frame.type == t`
pub fn is(frame: &Value, t: &str) -> bool {
    frame["type"] == t
}

pub fn is_error(frame: &Value) -> bool {
    is(frame, "error")
}

/// An `error` frame with this code.
pub fn is_error_code(frame: &Value, code: &str) -> bool {
    is(frame, "error") && frame["code"] == code
}

/// `GET /api/v1/chat/rooms` as a list (accepts a bare array or `{"rooms": [...]}`).
pub async fn rooms(http: &reqwest::Client, base: &str, token: &str) -> Result<Vec<Value>> {
    let res = http
        .get(format!("{base}/api/v1/chat/rooms"))
        .bearer_auth(token)
        .send()
        .await
        .context("GET /api/v1/chat/rooms")?;
    let status = res.status();
    let body: Value = res.json().await.context("rooms json")?;
    if !status.is_success() {
        bail!("GET /api/v1/chat/rooms answered {status}: {body}");
    }
    let list = match body {
        Value::Array(a) => a,
        Value::Object(mut o) => match o.remove("rooms") {
            Some(Value::Array(a)) => a,
            other => bail!("no room list in {other:?}"),
        },
        other => bail!("no room list in {other}"),
    };
    Ok(list)
}

/// The id of the room of `kind` (`group`, `team`, `private`) of `course` in a room list.
pub fn room_id(rooms: &[Value], kind: &str, course: &str) -> Option<String> {
    rooms
        .iter()
        .find(|r| r["kind"] == kind && r["course_id"] == course)
        .and_then(|r| r["id"].as_str())
        .map(str::to_owned)
}
