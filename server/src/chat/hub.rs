//! The hub: one task owns the live rooms and the sockets in them; everything else talks to it
//! over a channel through the cheap, cloneable [`ChatHub`] handle (actix examples,
//! "chat-actorless"). The hub never touches the database: rows arrive committed (persist first,
//! then notify), and the few lookups it needs (a gap in a room's sequence, a sender it has not
//! seen) run in spawned tasks that send their answer back as a command.
//!
//! Delivery per room is in `seq` order: the hub keeps the next expected seq of each live room and
//! holds back rows that arrive early (two sends committing concurrently may publish in either
//! order); a gap that does not fill within [`GAP_GRACE`] is loaded from the database.
//!
//! Each frame is rendered at most once per audience and shared by every recipient. A socket
//! whose outbound queue is full is closed with 1013 (F6); the room is never slowed.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

use sea_orm::DatabaseConnection;
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::chat::model::{Audience, UserCard};
use crate::chat::protocol::{self, Frame};
use crate::chat::store;
use crate::entity::chat_message;

/// Frames a socket may have waiting before it counts as too slow (F6): 256 in all, of which
/// actix-ws's own session channel holds 32 once the socket task has handed them on.
pub const OUTBOUND_FRAMES: usize = 256;
pub const SESSION_CHANNEL: usize = 32;
pub const OUTBOUND_QUEUE: usize = OUTBOUND_FRAMES - SESSION_CHANNEL;
/// How long an early row waits for the rows before it before they are loaded from the database.
const GAP_GRACE: Duration = Duration::from_millis(150);
/// Rows kept per live room, for sockets whose replay ended just before the newest rows.
const RECENT: usize = 128;
/// Close codes (RFC 6455).
pub const CLOSE_RESTART: u16 = 1012;
/// The user may no longer be in some of her rooms (left a course or a team, signed out): the
/// client reconnects, and joining checks membership again.
pub const CLOSE_POLICY: u16 = 1008;
pub const CLOSE_TRY_AGAIN_LATER: u16 = 1013;

pub type ConnId = u64;

/// What the hub needs to reach one socket.
pub struct ConnHandle {
    pub id: ConnId,
    pub user: Arc<UserCard>,
    /// The bounded outbound queue; the hub only ever `try_send`s.
    pub frames: mpsc::Sender<Frame>,
    /// Tells the socket to close with this code (capacity 1, `try_send`).
    pub close: mpsc::Sender<u16>,
}

enum Command {
    Connect(ConnHandle),
    Disconnect(ConnId),
    Subscribe {
        conn: ConnId,
        room_id: i32,
        room_uuid: Uuid,
        audience: Audience,
        /// The socket's replay ended here; only later rows go to it.
        after_seq: i64,
    },
    Unsubscribe {
        conn: ConnId,
        room_id: i32,
    },
    Publish {
        room_id: i32,
        rows: Vec<chat_message::Model>,
        cards: Vec<Arc<UserCard>>,
    },
    /// Rows up to `seq` exist in the database (another instance wrote them).
    Notice {
        room_id: i32,
        seq: i64,
    },
    /// Every live room may have missed rows (the relay reconnected).
    RecheckAll,
    /// Close this user's sockets on this instance.
    Evict(i32),
    FetchDone {
        room_id: i32,
    },
    Typing {
        conn: ConnId,
        room_id: i32,
    },
    Read {
        user_id: i32,
        except: Option<ConnId>,
        room_uuid: Uuid,
        seq: i64,
    },
    Shutdown,
}

/// One row as the hub delivers it, rendered lazily once per audience.
struct Rendered {
    row: chat_message::Model,
    sender: Arc<UserCard>,
    room: Uuid,
    staff: OnceLock<Frame>,
    participant: OnceLock<Frame>,
}

impl Rendered {
    fn frame(&self, audience: Audience) -> Frame {
        let cell = match audience {
            Audience::Staff => &self.staff,
            Audience::Participant => &self.participant,
        };
        cell.get_or_init(|| {
            protocol::render_row(&self.row, self.room, &self.sender, audience, None)
        })
        .clone()
    }
}

struct Sub {
    audience: Audience,
    after_seq: i64,
}

struct Room {
    uuid: Uuid,
    subs: HashMap<ConnId, Sub>,
    next_seq: i64,
    /// Rows that arrived before the ones preceding them.
    pending: BTreeMap<i64, Arc<Rendered>>,
    /// Rows up to here exist (notices from other instances).
    known_max: i64,
    gap_since: Option<Instant>,
    fetching: bool,
    recent: VecDeque<Arc<Rendered>>,
}

struct Conn {
    handle: ConnHandle,
    rooms: HashSet<i32>,
}

/// A cheap handle to the hub; in `AppState` as `state.chat`.
#[derive(Clone)]
pub struct ChatHub {
    tx: mpsc::UnboundedSender<Command>,
    /// Open sockets per user on this instance, kept by the hub task.
    online: Arc<RwLock<HashMap<i32, u32>>>,
    next_conn: Arc<AtomicU64>,
    shutting_down: Arc<AtomicBool>,
    /// On PostgreSQL: tells other instances about committed rows.
    relay: Option<mpsc::UnboundedSender<crate::chat::relay::Notice>>,
}

impl std::fmt::Debug for ChatHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChatHub")
    }
}

impl ChatHub {
    /// Starts the hub task, and on PostgreSQL the relay between instances.
    pub fn start(db: DatabaseConnection) -> ChatHub {
        let (tx, rx) = mpsc::unbounded_channel();
        let online: Arc<RwLock<HashMap<i32, u32>>> = Arc::default();
        let mut hub = ChatHub {
            tx: tx.clone(),
            online: online.clone(),
            next_conn: Arc::new(AtomicU64::new(1)),
            shutting_down: Arc::default(),
            relay: None,
        };
        hub.relay = crate::chat::relay::start(&db, hub.clone());
        let task = HubTask {
            db,
            tx,
            online,
            rooms: HashMap::new(),
            conns: HashMap::new(),
            by_user: HashMap::new(),
            cards: HashMap::new(),
            shutting_down: false,
        };
        tokio::spawn(task.run(rx));
        hub
    }

    /// Hands committed rows of one room to the hub, which renders them per audience, sends them
    /// to the local sockets in `seq` order and, on PostgreSQL, tells the other instances. Call
    /// AFTER commit (promise 1).
    pub fn publish(&self, room_id: i32, rows: Vec<chat_message::Model>) {
        let Some(max) = rows.iter().map(|r| r.seq).max() else {
            return;
        };
        if let Some(relay) = &self.relay {
            let _ = relay.send(crate::chat::relay::Notice::Rows {
                room: room_id,
                seq: max,
            });
        }
        let _ = self.tx.send(Command::Publish {
            room_id,
            rows,
            cards: Vec::new(),
        });
    }

    /// Stops sending to the user's sockets on every instance and closes them with 1008. Call
    /// after a change that may take her out of rooms (unenrolment, leaving a team, signing out);
    /// a client that reconnects is checked again on join (S13).
    pub fn evict_user(&self, user_id: i32) {
        if let Some(relay) = &self.relay {
            let _ = relay.send(crate::chat::relay::Notice::Evict { user: user_id });
        }
        self.evict_here(user_id);
    }

    /// [`ChatHub::evict_user`] on this instance only (the relay's notice from another one).
    pub(crate) fn evict_here(&self, user_id: i32) {
        let _ = self.tx.send(Command::Evict(user_id));
    }

    /// Does the user have an open socket on this instance?
    pub fn is_online(&self, user_id: i32) -> bool {
        self.online
            .read()
            .map(|m| m.get(&user_id).copied().unwrap_or(0) > 0)
            .unwrap_or(false)
    }

    /// Closes every socket with 1012 (service restart) and refuses new ones.
    pub fn shutdown(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
        let _ = self.tx.send(Command::Shutdown);
    }

    pub fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::SeqCst)
    }

    /// Echoes a read marker to the user's sockets (but `except`).
    pub fn read_marker(&self, user_id: i32, except: Option<ConnId>, room_uuid: Uuid, seq: i64) {
        let _ = self.tx.send(Command::Read {
            user_id,
            except,
            room_uuid,
            seq,
        });
    }

    pub(crate) fn new_conn_id(&self) -> ConnId {
        self.next_conn.fetch_add(1, Ordering::Relaxed)
    }

    pub(crate) fn connect(&self, handle: ConnHandle) {
        let _ = self.tx.send(Command::Connect(handle));
    }

    pub(crate) fn disconnect(&self, conn: ConnId) {
        let _ = self.tx.send(Command::Disconnect(conn));
    }

    pub(crate) fn subscribe(
        &self,
        conn: ConnId,
        room_id: i32,
        room_uuid: Uuid,
        audience: Audience,
        after_seq: i64,
    ) {
        let _ = self.tx.send(Command::Subscribe {
            conn,
            room_id,
            room_uuid,
            audience,
            after_seq,
        });
    }

    pub(crate) fn unsubscribe(&self, conn: ConnId, room_id: i32) {
        let _ = self.tx.send(Command::Unsubscribe { conn, room_id });
    }

    pub(crate) fn typing(&self, conn: ConnId, room_id: i32) {
        let _ = self.tx.send(Command::Typing { conn, room_id });
    }

    /// Another instance committed rows up to `seq` in the room.
    pub(crate) fn notice(&self, room_id: i32, seq: i64) {
        let _ = self.tx.send(Command::Notice { room_id, seq });
    }

    pub(crate) fn recheck_all(&self) {
        let _ = self.tx.send(Command::RecheckAll);
    }
}

struct HubTask {
    db: DatabaseConnection,
    tx: mpsc::UnboundedSender<Command>,
    online: Arc<RwLock<HashMap<i32, u32>>>,
    rooms: HashMap<i32, Room>,
    conns: HashMap<ConnId, Conn>,
    by_user: HashMap<i32, HashSet<ConnId>>,
    /// How senders appear; filled by connecting sockets and by lookups.
    cards: HashMap<i32, Arc<UserCard>>,
    shutting_down: bool,
}

impl HubTask {
    async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Command>) {
        let mut tick = tokio::time::interval(Duration::from_millis(50));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                cmd = rx.recv() => match cmd {
                    Some(cmd) => self.handle(cmd),
                    None => break,
                },
                _ = tick.tick() => self.check_gaps(),
            }
        }
    }

    fn handle(&mut self, cmd: Command) {
        match cmd {
            Command::Connect(handle) => self.connect(handle),
            Command::Disconnect(conn) => self.disconnect(conn),
            Command::Subscribe {
                conn,
                room_id,
                room_uuid,
                audience,
                after_seq,
            } => self.subscribe(conn, room_id, room_uuid, audience, after_seq),
            Command::Unsubscribe { conn, room_id } => {
                if let Some(c) = self.conns.get_mut(&conn) {
                    c.rooms.remove(&room_id);
                }
                self.leave_room(conn, room_id);
            }
            Command::Publish {
                room_id,
                rows,
                cards,
            } => {
                for card in cards {
                    self.cards.insert(card.id, card);
                }
                self.publish(room_id, rows);
            }
            Command::Notice { room_id, seq } => {
                if let Some(room) = self.rooms.get_mut(&room_id)
                    && seq >= room.next_seq
                {
                    room.known_max = room.known_max.max(seq);
                    self.fetch(room_id);
                }
            }
            Command::RecheckAll => {
                let ids: Vec<i32> = self.rooms.keys().copied().collect();
                for id in ids {
                    self.fetch(id);
                }
            }
            Command::FetchDone { room_id } => {
                if let Some(room) = self.rooms.get_mut(&room_id) {
                    room.fetching = false;
                    // Still short of what another instance announced: ask again.
                    if room.known_max >= room.next_seq {
                        self.fetch(room_id);
                    }
                }
            }
            Command::Typing { conn, room_id } => self.typing(conn, room_id),
            Command::Read {
                user_id,
                except,
                room_uuid,
                seq,
            } => {
                let frame = protocol::read(room_uuid, seq);
                let targets: Vec<ConnId> = self
                    .by_user
                    .get(&user_id)
                    .map(|s| s.iter().copied().filter(|c| Some(*c) != except).collect())
                    .unwrap_or_default();
                for c in targets {
                    self.send(c, frame.clone());
                }
            }
            Command::Evict(user_id) => self.evict(user_id),
            Command::Shutdown => {
                self.shutting_down = true;
                for conn in self.conns.values() {
                    let _ = conn.handle.close.try_send(CLOSE_RESTART);
                }
            }
        }
    }

    /// Leaves every room at once (no frame more goes out), then asks each socket to close.
    fn evict(&mut self, user_id: i32) {
        let conns: Vec<ConnId> = self
            .by_user
            .get(&user_id)
            .map(|c| c.iter().copied().collect())
            .unwrap_or_default();
        for conn in conns {
            let rooms: Vec<i32> = self
                .conns
                .get_mut(&conn)
                .map(|c| c.rooms.drain().collect())
                .unwrap_or_default();
            for room in rooms {
                self.leave_room(conn, room);
            }
            if let Some(c) = self.conns.get(&conn) {
                let _ = c.handle.close.try_send(CLOSE_POLICY);
            }
        }
    }

    fn connect(&mut self, handle: ConnHandle) {
        if self.shutting_down {
            let _ = handle.close.try_send(CLOSE_RESTART);
            return;
        }
        let user = handle.user.clone();
        self.cards.insert(user.id, user.clone());
        self.by_user.entry(user.id).or_default().insert(handle.id);
        if let Ok(mut online) = self.online.write() {
            *online.entry(user.id).or_default() += 1;
        }
        self.conns.insert(
            handle.id,
            Conn {
                handle,
                rooms: HashSet::new(),
            },
        );
    }

    fn disconnect(&mut self, conn: ConnId) {
        let Some(c) = self.conns.remove(&conn) else {
            return;
        };
        let user_id = c.handle.user.id;
        if let Some(set) = self.by_user.get_mut(&user_id) {
            set.remove(&conn);
            if set.is_empty() {
                self.by_user.remove(&user_id);
            }
        }
        if let Ok(mut online) = self.online.write()
            && let Some(n) = online.get_mut(&user_id)
        {
            *n = n.saturating_sub(1);
            if *n == 0 {
                online.remove(&user_id);
            }
        }
        for room_id in c.rooms {
            self.leave_room(conn, room_id);
        }
    }

    fn subscribe(
        &mut self,
        conn: ConnId,
        room_id: i32,
        room_uuid: Uuid,
        audience: Audience,
        after_seq: i64,
    ) {
        let Some(c) = self.conns.get_mut(&conn) else {
            return;
        };
        c.rooms.insert(room_id);
        let mut created = false;
        let room = self.rooms.entry(room_id).or_insert_with(|| {
            created = true;
            Room {
                uuid: room_uuid,
                subs: HashMap::new(),
                next_seq: after_seq + 1,
                pending: BTreeMap::new(),
                known_max: 0,
                gap_since: None,
                fetching: false,
                recent: VecDeque::new(),
            }
        });
        let published = room.next_seq - 1;
        let mut catch_up: Vec<Frame> = Vec::new();
        if after_seq < published {
            // The socket's replay ended before rows this hub already delivered.
            let covered = room
                .recent
                .front()
                .is_some_and(|r| r.row.seq <= after_seq + 1);
            if covered {
                catch_up.extend(
                    room.recent
                        .iter()
                        .filter(|r| r.row.seq > after_seq)
                        .map(|r| r.frame(audience)),
                );
            } else {
                catch_up.push(protocol::resync_required(room.uuid, published));
            }
        }
        let before = online_users(room, &self.conns);
        room.subs.insert(
            conn,
            Sub {
                audience,
                after_seq,
            },
        );
        for f in catch_up {
            self.send(conn, f);
        }
        self.presence(room_id, before, Some(conn));
        if created {
            // A row committed between the socket's replay and this subscription was published
            // while the room had no local sockets: look once.
            self.fetch(room_id);
        }
    }

    fn leave_room(&mut self, conn: ConnId, room_id: i32) {
        let Some(room) = self.rooms.get_mut(&room_id) else {
            return;
        };
        let before = online_users(room, &self.conns);
        room.subs.remove(&conn);
        if room.subs.is_empty() {
            self.rooms.remove(&room_id);
            return;
        }
        self.presence(room_id, before, None);
    }

    /// Sends `presence` to the room when the set of people in it changed, and to a newcomer.
    fn presence(&mut self, room_id: i32, before: Vec<Arc<UserCard>>, newcomer: Option<ConnId>) {
        let Some(room) = self.rooms.get(&room_id) else {
            return;
        };
        let now = online_users(room, &self.conns);
        let changed = before.iter().map(|u| u.id).ne(now.iter().map(|u| u.id));
        let mut frames: HashMap<Audience, Frame> = HashMap::new();
        let mut out: Vec<(ConnId, Frame)> = Vec::new();
        for (&conn, sub) in &room.subs {
            if !changed && Some(conn) != newcomer {
                continue;
            }
            let f = frames
                .entry(sub.audience)
                .or_insert_with(|| {
                    protocol::presence(room.uuid, now.iter().map(|u| &**u), sub.audience)
                })
                .clone();
            out.push((conn, f));
        }
        for (conn, f) in out {
            self.send(conn, f);
        }
    }

    fn typing(&mut self, conn: ConnId, room_id: i32) {
        let (Some(c), Some(room)) = (self.conns.get(&conn), self.rooms.get(&room_id)) else {
            return;
        };
        if !room.subs.contains_key(&conn) {
            return;
        }
        let who = c.handle.user.clone();
        let mut frames: HashMap<Audience, Frame> = HashMap::new();
        let mut out = Vec::new();
        for (&other, sub) in &room.subs {
            let same_user = self
                .conns
                .get(&other)
                .is_some_and(|o| o.handle.user.id == who.id);
            if same_user {
                continue;
            }
            let f = frames
                .entry(sub.audience)
                .or_insert_with(|| protocol::typing(room.uuid, &who, sub.audience))
                .clone();
            out.push((other, f));
        }
        for (other, f) in out {
            self.send(other, f);
        }
    }

    fn publish(&mut self, room_id: i32, rows: Vec<chat_message::Model>) {
        let Some(room) = self.rooms.get_mut(&room_id) else {
            return; // no local sockets in the room
        };
        let mut unknown: Vec<chat_message::Model> = Vec::new();
        for row in rows {
            if row.seq < room.next_seq || room.pending.contains_key(&row.seq) {
                continue; // delivered already
            }
            let Some(sender) = self.cards.get(&row.sender_id).cloned() else {
                unknown.push(row);
                continue;
            };
            room.pending.insert(
                row.seq,
                Arc::new(Rendered {
                    row,
                    sender,
                    room: room.uuid,
                    staff: OnceLock::new(),
                    participant: OnceLock::new(),
                }),
            );
        }
        if !unknown.is_empty() {
            self.load_senders(room_id, unknown);
        }
        self.drain(room_id);
    }

    /// Delivers the rows that are next in sequence.
    fn drain(&mut self, room_id: i32) {
        let Some(room) = self.rooms.get_mut(&room_id) else {
            return;
        };
        let mut ready = Vec::new();
        while let Some(r) = room.pending.remove(&room.next_seq) {
            room.next_seq += 1;
            room.recent.push_back(r.clone());
            if room.recent.len() > RECENT {
                room.recent.pop_front();
            }
            ready.push(r);
        }
        room.gap_since = if room.pending.is_empty() {
            None
        } else {
            room.gap_since.or(Some(Instant::now()))
        };
        if ready.is_empty() {
            return;
        }
        let subs: Vec<(ConnId, Audience, i64)> = room
            .subs
            .iter()
            .map(|(c, s)| (*c, s.audience, s.after_seq))
            .collect();
        for r in &ready {
            for &(conn, audience, after) in &subs {
                if r.row.seq > after {
                    self.send(conn, r.frame(audience));
                }
            }
        }
    }

    /// Queues a frame for a socket without waiting; a full queue closes the socket (F6).
    fn send(&mut self, conn: ConnId, frame: Frame) {
        let Some(c) = self.conns.get(&conn) else {
            return;
        };
        match c.handle.frames.try_send(frame) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => {
                tracing::info!(conn, "chat socket too slow: closing with 1013");
                let _ = c.handle.close.try_send(CLOSE_TRY_AGAIN_LATER);
                self.disconnect(conn);
            }
            Err(mpsc::error::TrySendError::Closed(_)) => self.disconnect(conn),
        }
    }

    fn check_gaps(&mut self) {
        let late: Vec<i32> = self
            .rooms
            .iter()
            .filter(|(_, r)| !r.fetching && r.gap_since.is_some_and(|t| t.elapsed() >= GAP_GRACE))
            .map(|(id, _)| *id)
            .collect();
        for id in late {
            self.fetch(id);
        }
    }

    /// Loads the room's rows from the next expected seq on, in a task of its own.
    fn fetch(&mut self, room_id: i32) {
        let Some(room) = self.rooms.get_mut(&room_id) else {
            return;
        };
        if room.fetching {
            return;
        }
        room.fetching = true;
        let from = room.next_seq - 1;
        let db = self.db.clone();
        let tx = self.tx.clone();
        tokio::spawn(async move {
            match load_rows(&db, room_id, from).await {
                Ok((rows, cards)) => {
                    let _ = tx.send(Command::Publish {
                        room_id,
                        rows,
                        cards,
                    });
                }
                Err(e) => tracing::warn!(error = %e, room_id, "chat: loading missed rows failed"),
            }
            let _ = tx.send(Command::FetchDone { room_id });
        });
    }

    /// Loads the people of rows whose sender the hub has not seen, then publishes them again.
    fn load_senders(&self, room_id: i32, rows: Vec<chat_message::Model>) {
        let db = self.db.clone();
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let ids: Vec<i32> = rows.iter().map(|r| r.sender_id).collect();
            match store::load_cards(&db, ids).await {
                Ok(found) => {
                    let mut cards: Vec<Arc<UserCard>> = found.into_values().collect();
                    // A sender whose account is gone still gets a (nameless) card.
                    for r in &rows {
                        if !cards.iter().any(|c| c.id == r.sender_id) {
                            let mut unknown = (*store::unknown_card()).clone();
                            unknown.id = r.sender_id;
                            cards.push(Arc::new(unknown));
                        }
                    }
                    let _ = tx.send(Command::Publish {
                        room_id,
                        rows,
                        cards,
                    });
                }
                Err(e) => tracing::warn!(error = %e, room_id, "chat: loading senders failed"),
            }
        });
    }
}

async fn load_rows(
    db: &DatabaseConnection,
    room_id: i32,
    after: i64,
) -> crate::error::AppResult<(Vec<chat_message::Model>, Vec<Arc<UserCard>>)> {
    let rows = store::rows_between(db, room_id, after, None, 500).await?;
    let cards = store::load_cards(db, rows.iter().map(|r| r.sender_id)).await?;
    Ok((rows, cards.into_values().collect()))
}

/// The people with a socket in the room, once each, by name.
fn online_users(room: &Room, conns: &HashMap<ConnId, Conn>) -> Vec<Arc<UserCard>> {
    let mut seen = HashSet::new();
    let mut users: Vec<Arc<UserCard>> = room
        .subs
        .keys()
        .filter_map(|c| conns.get(c))
        .map(|c| c.handle.user.clone())
        .filter(|u| seen.insert(u.id))
        .collect();
    users.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    users
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::model::Role;
    use chrono::{DateTime, Utc};

    fn task() -> (HubTask, mpsc::UnboundedReceiver<Command>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let task = HubTask {
            db: DatabaseConnection::default(),
            tx,
            online: Arc::default(),
            rooms: HashMap::new(),
            conns: HashMap::new(),
            by_user: HashMap::new(),
            cards: HashMap::new(),
            shutting_down: false,
        };
        (task, rx)
    }

    fn card(id: i32) -> Arc<UserCard> {
        Arc::new(UserCard {
            id,
            uuid: Uuid::from_u128(id as u128),
            name: format!("User {id}"),
            role: Role::Participant,
            profession: None,
        })
    }

    struct Client {
        frames: mpsc::Receiver<Frame>,
        close: mpsc::Receiver<u16>,
    }

    fn connect(t: &mut HubTask, id: ConnId, user: i32, queue: usize) -> Client {
        let (ftx, frames) = mpsc::channel(queue);
        let (ctx, close) = mpsc::channel(1);
        t.connect(ConnHandle {
            id,
            user: card(user),
            frames: ftx,
            close: ctx,
        });
        Client { frames, close }
    }

    fn row(seq: i64, sender: i32) -> chat_message::Model {
        chat_message::Model {
            id: seq,
            uuid: Uuid::new_v4(),
            room_id: 1,
            seq,
            kind: "message".into(),
            sender_id: sender,
            client_msg_id: Some(Uuid::new_v4()),
            body: format!("message {seq}"),
            event: None,
            target_seq: None,
            detail: None,
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            edited_at: None,
            deleted_at: None,
            hidden_at: None,
            hidden_by: None,
            hidden_reason: None,
            removed_by: None,
            pinned_at: None,
            pinned_by: None,
        }
    }

    fn seqs(c: &mut Client) -> Vec<i64> {
        let mut out = Vec::new();
        while let Ok(f) = c.frames.try_recv() {
            let v: serde_json::Value = serde_json::from_str(&f).expect("json");
            if v["type"] == "message" {
                out.push(v["seq"].as_i64().unwrap_or(-1));
            }
        }
        out
    }

    #[tokio::test]
    async fn rows_published_out_of_order_are_delivered_in_seq_order() {
        let (mut t, _rx) = task();
        let mut a = connect(&mut t, 1, 10, 64);
        t.subscribe(1, 1, Uuid::nil(), Audience::Participant, 0);
        t.publish(1, vec![row(2, 10)]);
        t.publish(1, vec![row(3, 10)]);
        assert_eq!(seqs(&mut a), Vec::<i64>::new(), "held back until 1 arrives");
        t.publish(1, vec![row(1, 10)]);
        t.publish(1, vec![row(2, 10)]); // a repeat is not delivered twice
        assert_eq!(seqs(&mut a), vec![1, 2, 3]);
    }

    #[tokio::test]
    async fn a_late_joiner_gets_only_rows_after_its_replay_and_the_recent_ones_it_missed() {
        let (mut t, _rx) = task();
        let _a = connect(&mut t, 1, 10, 64);
        t.subscribe(1, 1, Uuid::nil(), Audience::Participant, 0);
        t.publish(1, (1..=5).map(|s| row(s, 10)).collect());
        // Its replay ended at 3: 4 and 5 come from the hub's recent rows.
        let mut b = connect(&mut t, 2, 11, 64);
        t.subscribe(2, 1, Uuid::nil(), Audience::Participant, 3);
        t.publish(1, vec![row(6, 10)]);
        assert_eq!(seqs(&mut b), vec![4, 5, 6]);
        // Its replay ended at 8 (rows 7 and 8 still on their way): nothing twice.
        let mut c = connect(&mut t, 3, 12, 64);
        t.subscribe(3, 1, Uuid::nil(), Audience::Participant, 8);
        t.publish(1, vec![row(8, 10), row(7, 10), row(9, 10)]);
        assert_eq!(seqs(&mut c), vec![9]);
    }

    #[tokio::test]
    async fn a_full_queue_closes_that_socket_with_1013_and_the_room_carries_on() {
        let (mut t, _rx) = task();
        let mut slow = connect(&mut t, 1, 10, 4);
        let mut fast = connect(&mut t, 2, 11, 64);
        t.subscribe(1, 1, Uuid::nil(), Audience::Participant, 0);
        t.subscribe(2, 1, Uuid::nil(), Audience::Participant, 0);
        t.publish(1, (1..=10).map(|s| row(s, 11)).collect());
        assert_eq!(slow.close.try_recv().ok(), Some(CLOSE_TRY_AGAIN_LATER));
        assert_eq!(seqs(&mut fast), (1..=10).collect::<Vec<_>>());
        assert!(
            !t.conns.contains_key(&1),
            "the slow socket is gone from the hub"
        );
        assert!(seqs(&mut slow).len() < 10);
    }

    #[tokio::test]
    async fn frames_are_rendered_once_per_audience_and_shared() {
        let (mut t, _rx) = task();
        let mut a = connect(&mut t, 1, 10, 64);
        let mut b = connect(&mut t, 2, 11, 64);
        t.subscribe(1, 1, Uuid::nil(), Audience::Participant, 0);
        t.subscribe(2, 1, Uuid::nil(), Audience::Participant, 0);
        t.publish(1, vec![row(1, 10)]);
        let next = |c: &mut Client| loop {
            let f = c.frames.try_recv().expect("a frame");
            if f.contains("\"message\"") {
                break f;
            }
        };
        let (fa, fb) = (next(&mut a), next(&mut b));
        assert_eq!(fa, fb);
        assert_eq!(
            fa.as_bytes().as_ptr(),
            fb.as_bytes().as_ptr(),
            "one buffer, shared"
        );
    }

    #[tokio::test]
    async fn shutdown_closes_every_socket_with_1012_and_refuses_new_ones() {
        let (mut t, _rx) = task();
        let mut a = connect(&mut t, 1, 10, 64);
        t.handle(Command::Shutdown);
        assert_eq!(a.close.try_recv().ok(), Some(CLOSE_RESTART));
        let mut b = connect(&mut t, 2, 11, 64);
        assert_eq!(b.close.try_recv().ok(), Some(CLOSE_RESTART));
    }
}
