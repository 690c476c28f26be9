//! One task per websocket (`GET /api/v1/chat/ws?ticket=`): a `tokio::select!` loop over the
//! client's frames, the hub's outbound queue, a close order and the heartbeat (actix examples,
//! "chat-actorless"). Database work for a frame happens here, never in the hub, so a slow
//! database slows only this socket.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::{AggregatedMessage, CloseCode, CloseReason, ProtocolError, Session};
use sea_orm::EntityTrait;
use serde::Deserialize;
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::accounts::model::Role;
use crate::audit::service::{self as audit, Access};
use crate::auth::extract::AuthUser;
use crate::chat::group_commit::SendRequest;
use crate::chat::hub::{CLOSE_RESTART, CLOSE_TRY_AGAIN_LATER, ConnHandle, ConnId, OUTBOUND_QUEUE};
use crate::chat::model::{Body, ChatUser, Membership, UserCard};
use crate::chat::protocol::{self, ClientFrame, Frame, FrameError, MAX_FRAME_BYTES, MAX_REPLAY};
use crate::chat::store::{self, ChatError, Sent};
use crate::chat::{rooms, ticket};
use crate::entity::{chat_room, user};
use crate::error::{AppError, AppResult};
use crate::http::client::request_id;
use crate::state::AppState;

const PING_EVERY: Duration = Duration::from_secs(15);
const IDLE_LIMIT: Duration = Duration::from_secs(45);
/// A write to a client that does not read for this long ends the socket.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long the close frame may wait behind frames the client has not read yet.
const CLOSE_WAIT: Duration = Duration::from_secs(10);
/// The smallest burst a socket may send at once (the rate comes from the configuration).
const MIN_BURST: f64 = 20.0;
/// Bad frames tolerated before the socket is closed with 1008.
const MAX_BAD_FRAMES: u32 = 10;

#[derive(Debug, Deserialize)]
pub struct WsQuery {
    pub ticket: Option<String>,
}

/// Is `origin` the public URL's origin or one configured in `ETAPOLKU_WS_ORIGINS` (F8)?
pub fn origin_allowed(origin: Option<&str>, public_url: &url::Url, extra: &[String]) -> bool {
    let Some(origin) = origin else {
        return false;
    };
    let Ok(parsed) = url::Url::parse(origin) else {
        return false;
    };
    let presented = parsed.origin().ascii_serialization();
    if presented == "null" {
        return false;
    }
    if presented == public_url.origin().ascii_serialization() {
        return true;
    }
    extra
        .iter()
        .any(|o| url::Url::parse(o).is_ok_and(|u| u.origin().ascii_serialization() == presented))
}

/// The upgrade: Origin (403), ticket (401), then the socket task.
pub async fn connect(
    req: HttpRequest,
    body: web::Payload,
    state: web::Data<AppState>,
    query: web::Query<WsQuery>,
) -> AppResult<HttpResponse> {
    let origin = req
        .headers()
        .get(actix_web::http::header::ORIGIN)
        .and_then(|v| v.to_str().ok());
    if !origin_allowed(origin, &state.public_url, &state.config.ws_origins) {
        tracing::warn!(target: "security", event = "ws_origin_refused", origin = origin.unwrap_or(""));
        return Err(AppError::Forbidden {
            code: "origin_not_allowed",
        });
    }
    if state.chat.is_shutting_down() {
        return Err(AppError::Unavailable);
    }
    let presented = query.ticket.as_deref().unwrap_or("");
    let Some(account) = ticket::redeem(&state.db, presented, state.now()).await? else {
        return Err(AppError::Unauthorized {
            code: "ticket_invalid",
        });
    };
    let role = Role::parse(&account.role).unwrap_or(Role::Participant);
    let auth = AuthUser {
        id: account.id,
        uuid: account.uuid,
        role,
        provider_id: account.provider_id,
        session: Uuid::nil(),
        request_id: request_id(&req),
    };
    let (response, session, stream) = actix_ws::handle(&req, body)
        .map_err(|e| AppError::bad_request("not_websocket", e.to_string()))?;
    let stream = stream
        .max_frame_size(MAX_FRAME_BYTES)
        .aggregate_continuations()
        .max_continuation_size(MAX_FRAME_BYTES);
    let (frames_tx, frames_rx) = mpsc::channel(OUTBOUND_QUEUE);
    let (close_tx, close_rx) = mpsc::channel(1);
    let card = Arc::new(UserCard::from_user(&account));
    let conn = state.chat.new_conn_id();
    state.chat.connect(ConnHandle {
        id: conn,
        user: card.clone(),
        frames: frames_tx,
        close: close_tx,
    });
    let socket = Socket {
        // The shared state, not a copy of it: every idle socket keeps this struct.
        state: state.clone(),
        user: ChatUser::from(&auth),
        auth,
        conn,
        session,
        joined: HashMap::new(),
        bucket: TokenBucket::new(state.config.chat_frames_per_second, Instant::now()),
        bad_frames: 0,
    };
    actix_web::rt::spawn(socket.run(stream, frames_rx, close_rx));
    Ok(response)
}

struct Joined {
    room_id: i32,
}

struct Socket {
    state: web::Data<AppState>,
    user: ChatUser,
    auth: AuthUser,
    conn: ConnId,
    session: Session,
    joined: HashMap<Uuid, Joined>,
    bucket: TokenBucket,
    bad_frames: u32,
}

/// Why the loop ended, and the close code to send.
enum End {
    Close(u16, &'static str),
    /// The client went away or stopped reading: nothing more to say.
    Gone,
}

impl Socket {
    async fn run(
        mut self,
        mut stream: actix_ws::AggregatedMessageStream,
        mut frames: mpsc::Receiver<Frame>,
        mut close: mpsc::Receiver<u16>,
    ) {
        let mut last_heard = Instant::now();
        let mut ping =
            tokio::time::interval_at(tokio::time::Instant::now() + PING_EVERY, PING_EVERY);
        let end = loop {
            tokio::select! {
                biased;
                code = close.recv() => {
                    let code = code.unwrap_or(CLOSE_RESTART);
                    break End::Close(code, if code == CLOSE_RESTART { "restart" } else { "too slow" });
                }
                frame = frames.recv() => match frame {
                    Some(f) => {
                        if let Err(end) = self.write_or_close(f, &mut close).await {
                            break end;
                        }
                    }
                    None => break End::Close(CLOSE_RESTART, "restart"),
                },
                msg = stream.recv() => {
                    last_heard = Instant::now();
                    let step = match msg {
                        None => Err(End::Gone),
                        // Boxed: the work on a frame (database calls included) is a large
                        // future, and inline it would make every idle socket's task that big.
                        Some(Ok(AggregatedMessage::Text(text))) => Box::pin(self.on_text(&text)).await,
                        Some(Ok(AggregatedMessage::Binary(_))) => {
                            Box::pin(self.bad_frame("bad_frame", "Frames must be JSON text.")).await
                        }
                        Some(Ok(AggregatedMessage::Ping(bytes))) => {
                            self.session.pong(&bytes).await.map_err(|_| End::Gone)
                        }
                        Some(Ok(AggregatedMessage::Pong(_))) => Ok(()),
                        Some(Ok(AggregatedMessage::Close(_))) => Err(End::Close(1000, "bye")),
                        Some(Err(e)) => Err(Box::pin(self.protocol_error(e)).await),
                    };
                    if let Err(end) = step {
                        break end;
                    }
                }
                _ = ping.tick() => {
                    if last_heard.elapsed() >= IDLE_LIMIT {
                        break End::Close(1000, "idle");
                    }
                    if self.session.ping(b"").await.is_err() {
                        break End::Gone;
                    }
                }
            }
        };
        self.state.chat.disconnect(self.conn);
        // Frames still queued here are not sent: the client catches up from the database when it
        // reconnects, and the close frame should not wait behind them.
        drop(frames);
        if let End::Close(code, why) = end {
            let reason = CloseReason {
                code: CloseCode::from(code),
                description: Some(why.to_owned()),
            };
            // While the close frame waits behind what actix already holds, the client's frames
            // (pongs, its own close) are still read, so the connection keeps moving both ways.
            let closing = tokio::time::timeout(CLOSE_WAIT, self.session.close(Some(reason)));
            tokio::pin!(closing);
            loop {
                tokio::select! {
                    _ = &mut closing => break,
                    msg = stream.recv() => if msg.is_none() { break },
                }
            }
        }
    }

    /// Writes a frame unless the client stops reading or the hub orders a close meanwhile.
    async fn write_or_close(
        &mut self,
        f: Frame,
        close: &mut mpsc::Receiver<u16>,
    ) -> Result<(), End> {
        tokio::select! {
            biased;
            code = close.recv() => Err(End::Close(code.unwrap_or(CLOSE_RESTART), "closing")),
            r = tokio::time::timeout(WRITE_TIMEOUT, self.session.text(f)) => match r {
                Ok(Ok(())) => Ok(()),
                Ok(Err(_)) => Err(End::Gone),
                Err(_) => Err(End::Close(CLOSE_TRY_AGAIN_LATER, "too slow")),
            },
        }
    }

    async fn write(&mut self, f: Frame) -> Result<(), End> {
        match tokio::time::timeout(WRITE_TIMEOUT, self.session.text(f)).await {
            Ok(Ok(())) => Ok(()),
            _ => Err(End::Gone),
        }
    }

    async fn protocol_error(&mut self, e: ProtocolError) -> End {
        match e {
            ProtocolError::Overflow => {
                let _ = self
                    .write(protocol::error(
                        "too_large",
                        "The frame is too large.",
                        None,
                        None,
                        None,
                    ))
                    .await;
                End::Close(1009, "frame too large")
            }
            ProtocolError::Io(io) if io.to_string().contains("maximum continuation size") => {
                let _ = self
                    .write(protocol::error(
                        "too_large",
                        "The frame is too large.",
                        None,
                        None,
                        None,
                    ))
                    .await;
                End::Close(1009, "frame too large")
            }
            ProtocolError::Io(io) if io.kind() == std::io::ErrorKind::InvalidData => {
                End::Close(1007, "invalid UTF-8")
            }
            ProtocolError::Io(_) => End::Gone,
            _ => End::Close(1002, "protocol error"),
        }
    }

    async fn bad_frame(&mut self, code: &str, message: &str) -> Result<(), End> {
        self.bad_frames += 1;
        self.write(protocol::error(code, message, None, None, None))
            .await?;
        if self.bad_frames >= MAX_BAD_FRAMES {
            return Err(End::Close(1008, "too many bad frames"));
        }
        Ok(())
    }

    async fn on_text(&mut self, text: &str) -> Result<(), End> {
        if !self.bucket.take(Instant::now()) {
            return self
                .write(protocol::error(
                    "rate_limited",
                    "Too many messages at once. Please wait a moment.",
                    None,
                    None,
                    Some(1),
                ))
                .await;
        }
        let frame = match ClientFrame::parse(text) {
            Ok(f) => f,
            Err(FrameError::UnknownType) => {
                return self.bad_frame("unknown_type", "Unknown frame type.").await;
            }
            Err(FrameError::Bad(why)) => return self.bad_frame("bad_frame", &why).await,
        };
        match frame {
            ClientFrame::Join { rooms } => {
                for r in rooms {
                    self.join(r.room, r.last_seen_seq).await?;
                }
                Ok(())
            }
            ClientFrame::Send {
                room,
                client_msg_id,
                body,
            } => self.send(room, client_msg_id, &body).await,
            ClientFrame::Edit { room, seq, body } => self.change(room, seq, Some(&body)).await,
            ClientFrame::Delete { room, seq } => self.change(room, seq, None).await,
            ClientFrame::Typing { room } => match self.joined.get(&room) {
                Some(j) => {
                    self.state.chat.typing(self.conn, j.room_id);
                    Ok(())
                }
                None => self.not_member(room).await,
            },
            ClientFrame::Read { room, seq } => self.read(room, seq).await,
            ClientFrame::Leave { room } => {
                if let Some(j) = self.joined.remove(&room) {
                    self.state.chat.unsubscribe(self.conn, j.room_id);
                }
                Ok(())
            }
        }
    }

    async fn not_member(&mut self, room: Uuid) -> Result<(), End> {
        self.not_member_for(room, None).await
    }

    async fn not_member_for(&mut self, room: Uuid, cmid: Option<Uuid>) -> Result<(), End> {
        self.write(protocol::error(
            "not_member",
            ChatError::NotMember.message(),
            Some(room),
            cmid,
            None,
        ))
        .await
    }

    async fn chat_error(
        &mut self,
        e: ChatError,
        room: Uuid,
        cmid: Option<Uuid>,
    ) -> Result<(), End> {
        if let ChatError::Unavailable(inner) = &e {
            tracing::warn!(error = %inner, "chat: database refused a write");
        }
        self.write(protocol::error(
            e.code(),
            e.message(),
            Some(room),
            cmid,
            e.retry_after(),
        ))
        .await
    }

    /// The room by uuid for a member: from this socket's joined rooms, else looked up.
    async fn room(&mut self, room: Uuid) -> Result<Option<chat_room::Model>, ChatError> {
        match rooms::room_for_member(&self.state.db, &self.user, room).await {
            Ok((r, _)) => Ok(Some(r)),
            Err(AppError::NotFound) => Ok(None),
            Err(e) => Err(ChatError::Unavailable(e)),
        }
    }

    async fn room_id(&mut self, room: Uuid) -> Result<Option<i32>, ChatError> {
        if let Some(j) = self.joined.get(&room) {
            return Ok(Some(j.room_id));
        }
        Ok(self.room(room).await?.map(|r| r.id))
    }

    async fn join(&mut self, room_uuid: Uuid, last_seen: i64) -> Result<(), End> {
        let (room, member) =
            match rooms::room_for_member(&self.state.db, &self.user, room_uuid).await {
                Ok(found) => found,
                Err(AppError::NotFound) => return self.not_member(room_uuid).await,
                Err(e) => {
                    return self
                        .chat_error(ChatError::Unavailable(e), room_uuid, None)
                        .await;
                }
            };
        if let Some(j) = self.joined.remove(&room_uuid) {
            self.state.chat.unsubscribe(self.conn, j.room_id);
        }
        let frames = match self.join_frames(&room, member, last_seen).await {
            Ok(f) => f,
            Err(e) => {
                return self
                    .chat_error(ChatError::Unavailable(e), room_uuid, None)
                    .await;
            }
        };
        for f in frames {
            self.write(f).await?;
        }
        self.state.chat.subscribe(
            self.conn,
            room.id,
            room.uuid,
            member.audience(),
            room.last_seq,
        );
        self.joined.insert(room_uuid, Joined { room_id: room.id });
        Ok(())
    }

    /// `joined`, then the rows after `last_seen` up to the room's last seq (or
    /// `resync_required` when there are more than 500).
    async fn join_frames(
        &self,
        room: &chat_room::Model,
        member: Membership,
        last_seen: i64,
    ) -> AppResult<Vec<Frame>> {
        let db = &self.state.db;
        let now = self.state.now();
        let read_seq = store::read_seq(db, room.id, self.user.id).await?;
        let muted_until = if member.is_staff() {
            None
        } else {
            store::muted_until(db, room.course_id, self.user.id, now).await?
        };
        let mut frames = vec![protocol::joined(
            room.uuid,
            room.last_seq,
            read_seq,
            room.read_only,
            room.slow_mode_seconds,
            muted_until,
        )];
        let last_seen = last_seen.max(0);
        if room.last_seq - last_seen > MAX_REPLAY as i64 {
            frames.push(protocol::resync_required(room.uuid, room.last_seq));
        } else if room.last_seq > last_seen {
            let rows = store::rows_between(db, room.id, last_seen, Some(room.last_seq), MAX_REPLAY)
                .await?;
            let audience = member.audience();
            let cards = store::load_cards(db, rows.iter().map(|r| r.sender_id)).await?;
            let targets = store::target_states(db, room.id, &rows).await?;
            let unknown = store::unknown_card();
            for r in &rows {
                let card = cards.get(&r.sender_id).unwrap_or(&unknown);
                let target = r.target_seq.and_then(|t| targets.get(&t).copied());
                frames.push(protocol::render_row(r, room.uuid, card, audience, target));
            }
        }
        // S21: staff reading a participant's private thread leaves a trace.
        if member.is_staff()
            && room.kind == "private"
            && let Some(pid) = room.participant_id
            && let Some(p) = user::Entity::find_by_id(pid).one(db).await?
        {
            audit::record(
                db,
                now,
                Access {
                    actor: &self.auth,
                    subject: p.uuid,
                    provider_id: self.auth.provider_id,
                    category: "chat",
                    action: "read",
                    purpose: "guidance",
                },
            )
            .await?;
        }
        Ok(frames)
    }

    async fn send(&mut self, room: Uuid, cmid: Uuid, body: &str) -> Result<(), End> {
        let room_id = match self.room_id(room).await {
            Ok(Some(id)) => id,
            Ok(None) => return self.not_member_for(room, Some(cmid)).await,
            Err(e) => return self.chat_error(e, room, Some(cmid)).await,
        };
        let Some(body) = Body::parse(body) else {
            return self
                .chat_error(ChatError::InvalidBody, room, Some(cmid))
                .await;
        };
        let request = SendRequest {
            user: self.user.clone(),
            room_id,
            client_msg_id: cmid,
            body,
            now: self.state.now(),
        };
        match self.state.chat_sends.send(request).await {
            Ok(Sent::New(row)) => {
                self.write(protocol::ack(room, &row, false)).await?;
                self.state.chat.publish(room_id, vec![row]);
                Ok(())
            }
            Ok(Sent::Duplicate(row)) => self.write(protocol::ack(room, &row, true)).await,
            Err(ChatError::NotMember) => self.not_member_for(room, Some(cmid)).await,
            Err(e) => self.chat_error(e, room, Some(cmid)).await,
        }
    }

    async fn change(&mut self, room: Uuid, seq: i64, body: Option<&str>) -> Result<(), End> {
        let room_id = match self.room_id(room).await {
            Ok(Some(id)) => id,
            Ok(None) => return self.not_member(room).await,
            Err(e) => return self.chat_error(e, room, None).await,
        };
        let now = self.state.now();
        match store::change_own(&self.state.db, &self.user, room_id, seq, body, now).await {
            Ok(event) => {
                self.state.chat.publish(room_id, vec![event]);
                Ok(())
            }
            Err(ChatError::NotMember) => self.not_member(room).await,
            Err(e) => self.chat_error(e, room, None).await,
        }
    }

    async fn read(&mut self, room_uuid: Uuid, seq: i64) -> Result<(), End> {
        let room = match self.room(room_uuid).await {
            Ok(Some(r)) => r,
            Ok(None) => return self.not_member(room_uuid).await,
            Err(e) => return self.chat_error(e, room_uuid, None).await,
        };
        let now = self.state.now();
        match store::mark_read(&self.state.db, &room, self.user.id, seq, now).await {
            Ok(Some(seq)) => {
                self.state
                    .chat
                    .read_marker(self.user.id, Some(self.conn), room_uuid, seq);
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(e) => {
                self.chat_error(ChatError::Unavailable(e), room_uuid, None)
                    .await
            }
        }
    }
}

/// `rate` frames a second with bursts of four seconds' worth, at least 20: by default 5 a second
/// and 20 at once (PROTOCOL.md, F7).
struct TokenBucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    at: Instant,
}

impl TokenBucket {
    fn new(per_second: u32, now: Instant) -> TokenBucket {
        let rate = f64::from(per_second);
        let burst = (4.0 * rate).max(MIN_BURST);
        TokenBucket {
            rate,
            burst,
            tokens: burst,
            at: now,
        }
    }

    fn take(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_allows_a_burst_of_twenty_then_five_a_second() {
        let t0 = Instant::now();
        let mut b = TokenBucket::new(5, t0);
        assert!((0..20).all(|_| b.take(t0)));
        assert!(!b.take(t0));
        assert!(b.take(t0 + Duration::from_millis(200)));
        assert!(!b.take(t0 + Duration::from_millis(200)));
        let later = t0 + Duration::from_secs(60);
        assert_eq!((0..25).filter(|_| b.take(later)).count(), 20);
    }

    #[test]
    fn a_raised_limit_allows_four_seconds_of_it_at_once() {
        let t0 = Instant::now();
        let mut b = TokenBucket::new(1000, t0);
        assert_eq!((0..5000).filter(|_| b.take(t0)).count(), 4000);
        // Ten milliseconds later: ten more (nine if the float sum falls just short).
        let soon = t0 + Duration::from_millis(10);
        let n = (0..20).filter(|_| b.take(soon)).count();
        assert!((9..=10).contains(&n), "{n}");
    }

    #[test]
    fn only_the_public_origin_and_configured_ones_may_open_a_socket() {
        let public = url::Url::parse("https://etapolku.example.fi/").expect("url");
        let extra = vec!["http://localhost:5173".to_owned()];
        assert!(origin_allowed(
            Some("https://etapolku.example.fi"),
            &public,
            &extra
        ));
        assert!(origin_allowed(
            Some("http://localhost:5173"),
            &public,
            &extra
        ));
        assert!(!origin_allowed(
            Some("https://evil.example"),
            &public,
            &extra
        ));
        assert!(!origin_allowed(
            Some("http://etapolku.example.fi"),
            &public,
            &extra
        ));
        assert!(!origin_allowed(Some("null"), &public, &extra));
        assert!(!origin_allowed(None, &public, &extra));
    }
}
