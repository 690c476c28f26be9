// The chat socket (server/src/chat/PROTOCOL.md): one connection per signed-in user and tab.
//
// - A ticket comes over HTTP (POST /api/v1/chat/ticket through api.js, so the access token is
//   refreshed as usual); the socket is ws(s)://<this host>/api/v1/chat/ws?ticket=…
// - Rooms are joined with the last seq seen in each; the server replays what was missed. Frames with
//   a seq already seen are dropped (dedupe by seq). `resync_required` is passed to the room's view,
//   which reloads its history over HTTP and tells us the new last seq.
// - Sends go through an outbox kept in memory AND in localStorage (under the user's draft prefix, so
//   an explicit sign-out removes it like the other drafts, A9): nothing typed and sent is lost when
//   the page is reloaded, the network fails or the session ends. A send leaves the outbox only on
//   its `ack` (the server acks after the commit; a resend with the same client_msg_id returns the
//   original ack, so resending is always safe). Unacked sends are resent after a reconnect and
//   every 10 s while connected. A refusal (muted, read-only …) keeps the text in the outbox,
//   marked, until the user sends it again or removes it.
// - It reconnects by itself with jittered exponential back-off from 0.5 s to 30 s, at once when
//   the browser comes back online.
// - Frames out are paced under the server's limit (5/s, burst 20).

import { post, currentUser, onSessionChange, ApiError } from '../api.js';

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
const RESEND_AFTER_MS = 10_000;
const CONNECT_TIMEOUT_MS = 15_000;
const JOIN_TIMEOUT_MS = 10_000;
const OUTBOX_PREFIX = 'etapolku.draft.';
const FAILED_CODES = new Set(['muted', 'read_only', 'invalid_body', 'not_member', 'not_allowed']);
const LATER_CODES = new Set(['slow_mode', 'rate_limited', 'unavailable']);

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Back-off before attempt n (0, 1, 2 …): 0.5 s, 1 s, 2 s … up to 30 s, each with ±25 % jitter. */
export function backoffDelay(attempt, random = Math.random) {
  const base = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** attempt);
  const jittered = base * (0.75 + random() * 0.5);
  return Math.round(Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, jittered)));
}

class ChatConnection {
  constructor(user) {
    this.user = user;
    this.userId = user.id;
    this.outboxKey = `${OUTBOX_PREFIX}${user.id}.chat-outbox`;
    this.ws = null;
    this.status = 'idle'; // idle | connecting | open | waiting | offline | ended | unavailable
    this.attempt = 0;
    this.retryAt = null;
    this.timer = null;
    this.stopped = false;
    this.rooms = new Map(); // room id → {lastSeq, joined, watchers:Set}
    this.statusListeners = new Set();
    this.outbox = this.loadOutbox();
    this.queue = [];
    this.tokens = 10;
    this.tokenTimer = null;
    this.lastRefill = Date.now();
    this.resendTimer = setInterval(() => this.resendStale(), 5000);
    this.onOnline = () => {
      if (this.stopped) return;
      this.attempt = 0;
      if (this.status !== 'open' && this.status !== 'connecting') this.connectNow();
    };
    this.onOffline = () => {
      if (this.status !== 'open') this.setStatus('offline');
    };
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
  }

  // ---- status ---------------------------------------------------------------------------------

  onStatus(fn) {
    this.statusListeners.add(fn);
    fn(this.statusInfo());
    return () => this.statusListeners.delete(fn);
  }

  statusInfo() {
    return { status: this.status, retryAt: this.retryAt, pending: this.outbox.filter((e) => e.state !== 'failed').length };
  }

  setStatus(status) {
    this.status = status;
    const info = this.statusInfo();
    for (const fn of this.statusListeners) fn(info);
  }

  // ---- rooms ------------------------------------------------------------------------------------

  /**
   * Watches a room: handler(frame) gets every frame of the room with a new seq (and acks, errors,
   * typing, presence, read, joined, resync_required, and {type:'outbox'} when the outbox changes).
   * lastSeq is the highest seq the view already has (0 = from the start).
   */
  watch(roomId, lastSeq, handler) {
    const room = this.room(roomId);
    room.lastSeq = Math.max(room.lastSeq, Number(lastSeq) || 0);
    room.wanted = true;
    room.watchers.add(handler);
    this.start();
    if (this.isOpen() && !room.joined) this.join([roomId]);
    return () => {
      room.watchers.delete(handler);
      if (!room.watchers.size && !this.outbox.some((e) => e.room === roomId)) {
        room.wanted = false;
        if (room.joined && this.isOpen()) this.frame({ type: 'leave', room: roomId });
        room.joined = false;
      }
    };
  }

  room(roomId) {
    if (!this.rooms.has(roomId)) this.rooms.set(roomId, { lastSeq: 0, joined: false, wanted: false, watchers: new Set() });
    return this.rooms.get(roomId);
  }

  /** After the view reloaded its history over HTTP. */
  setLastSeq(roomId, seq) {
    const room = this.room(roomId);
    room.lastSeq = Math.max(room.lastSeq, Number(seq) || 0);
  }

  lastSeq(roomId) {
    return this.room(roomId).lastSeq;
  }

  emit(roomId, frame) {
    const room = this.rooms.get(roomId);
    if (!room) return;
    for (const fn of room.watchers) {
      try {
        fn(frame);
      } catch (err) {
        console.error(err);
      }
    }
  }

  // ---- connecting -------------------------------------------------------------------------------

  isOpen() {
    return Boolean(this.ws && this.ws.readyState === WebSocket.OPEN);
  }

  start() {
    if (this.stopped) return;
    if (this.ws || this.status === 'connecting' || this.timer) return;
    this.connectNow();
  }

  connectNow() {
    clearTimeout(this.timer);
    this.timer = null;
    this.retryAt = null;
    if (this.ws) return;
    this.connect().catch((err) => console.error(err));
  }

  scheduleReconnect() {
    if (this.stopped || this.timer) return;
    const delay = backoffDelay(this.attempt);
    this.attempt += 1;
    this.retryAt = Date.now() + delay;
    this.setStatus(navigator.onLine === false ? 'offline' : (this.status === 'unavailable' ? 'unavailable' : 'waiting'));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connectNow();
    }, delay);
  }

  async connect() {
    this.setStatus('connecting');
    let ticket;
    try {
      const res = await post('/api/v1/chat/ticket');
      ticket = res && res.ticket;
      if (!ticket) throw new ApiError({ status: 0, code: 'no_ticket' });
    } catch (err) {
      if (this.stopped) return;
      if (err instanceof ApiError && (err.code === 'session_ended' || err.status === 401)) {
        // The session ended; the app sends the user to sign in. The outbox stays in localStorage.
        this.setStatus('ended');
        return;
      }
      if (err instanceof ApiError && (err.status === 404 || err.status === 405 || err.status === 501 || err.status === 503)) {
        this.status = 'unavailable';
      }
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/api/v1/chat/ws?ticket=${encodeURIComponent(ticket)}`);
    this.ws = ws;
    let heard = false;
    // An upgrade that hangs is given up after 15 s (the close event schedules the next attempt).
    const openTimer = setTimeout(() => {
      if (ws.readyState === WebSocket.CONNECTING) ws.close();
    }, CONNECT_TIMEOUT_MS);
    ws.addEventListener('open', () => {
      clearTimeout(openTimer);
      if (this.ws !== ws) return;
      for (const room of this.rooms.values()) room.joined = false;
      this.setStatus('open');
      const wanted = [...this.rooms.entries()].filter(([, r]) => r.wanted).map(([id]) => id);
      for (const e of this.outbox) if (!wanted.includes(e.room)) wanted.push(e.room);
      if (wanted.length) this.join(wanted);
    });
    ws.addEventListener('message', (event) => {
      if (this.ws !== ws) return;
      if (!heard) {
        heard = true;
        this.attempt = 0; // the server talks to us: the next failure starts the back-off again
      }
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      this.receive(frame);
    });
    ws.addEventListener('close', () => {
      clearTimeout(openTimer);
      this.lost(ws);
    });
    ws.addEventListener('error', () => {
      // A close event follows; the reconnect is scheduled there.
    });
  }

  /** The socket `ws` is gone: forget it and reconnect (once per socket). */
  lost(ws) {
    if (this.ws !== ws) return;
    this.ws = null;
    for (const room of this.rooms.values()) room.joined = false;
    this.queue = [];
    if (this.stopped) {
      this.setStatus('idle');
      return;
    }
    this.scheduleReconnect();
  }

  /**
   * Drops the socket as a lost network would (the tests use this): the connection counts as gone
   * at once, without waiting for a closing handshake that may never come back, and reconnects.
   */
  drop() {
    const ws = this.ws;
    if (!ws) return;
    this.lost(ws);
    ws.close();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.resendTimer);
    clearTimeout(this.tokenTimer);
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    if (this.ws) this.ws.close(1000);
    this.ws = null;
    this.setStatus('idle');
  }

  // ---- frames out -------------------------------------------------------------------------------

  join(roomIds) {
    const now = Date.now();
    for (const id of roomIds) this.room(id).joinSentAt = now;
    const rooms = roomIds.map((id) => ({ room: id, last_seen_seq: this.room(id).lastSeq }));
    if (rooms.length) this.frame({ type: 'join', rooms });
  }

  /** Sends a frame, paced under the server's rate limit. Returns false when not connected. */
  frame(obj) {
    if (!this.isOpen()) return false;
    this.queue.push(JSON.stringify(obj));
    this.pump();
    return true;
  }

  pump() {
    const now = Date.now();
    this.tokens = Math.min(10, this.tokens + ((now - this.lastRefill) / 1000) * 4);
    this.lastRefill = now;
    while (this.queue.length && this.tokens >= 1 && this.isOpen()) {
      this.ws.send(this.queue.shift());
      this.tokens -= 1;
    }
    if (this.queue.length && !this.tokenTimer) {
      this.tokenTimer = setTimeout(() => {
        this.tokenTimer = null;
        this.pump();
      }, 260);
    }
  }

  send(roomId, body) {
    const entry = { room: roomId, client_msg_id: uuid(), body, created_at: new Date().toISOString(), state: 'pending', sent_at: 0 };
    this.outbox.push(entry);
    this.saveOutbox();
    this.room(roomId);
    this.emit(roomId, { type: 'outbox' });
    this.start();
    this.trySend(entry);
    this.notifyPending();
    return entry;
  }

  trySend(entry) {
    const room = this.room(entry.room);
    if (!room.joined || !this.isOpen()) return;
    if (entry.wait_until && Date.now() < entry.wait_until) return;
    entry.sent_at = Date.now();
    this.frame({ type: 'send', room: entry.room, client_msg_id: entry.client_msg_id, body: entry.body });
  }

  resendStale() {
    if (!this.isOpen()) return;
    const now = Date.now();
    // A join that got no answer (a lost frame) is asked again.
    const unanswered = [...this.rooms.entries()]
      .filter(([id, r]) => (r.wanted || this.outbox.some((e) => e.room === id)) && !r.joined && !r.refused
        && r.joinSentAt && now - r.joinSentAt > JOIN_TIMEOUT_MS)
      .map(([id]) => id);
    if (unanswered.length) this.join(unanswered);
    for (const e of this.outbox) {
      if (e.state === 'failed') continue;
      if (e.wait_until && now >= e.wait_until) {
        delete e.wait_until;
        this.trySend(e);
      } else if (!e.wait_until && now - (e.sent_at || 0) > RESEND_AFTER_MS) this.trySend(e);
    }
  }

  /** The user sends a refused message again. */
  retry(clientMsgId) {
    const e = this.outbox.find((x) => x.client_msg_id === clientMsgId);
    if (!e) return;
    e.state = 'pending';
    delete e.error;
    delete e.wait_until;
    e.sent_at = 0;
    this.saveOutbox();
    this.emit(e.room, { type: 'outbox' });
    this.start();
    this.trySend(e);
  }

  /** The user removes an unsent message. */
  discard(clientMsgId) {
    const e = this.outbox.find((x) => x.client_msg_id === clientMsgId);
    this.outbox = this.outbox.filter((x) => x.client_msg_id !== clientMsgId);
    this.saveOutbox();
    if (e) this.emit(e.room, { type: 'outbox' });
    this.notifyPending();
  }

  outboxFor(roomId) {
    return this.outbox.filter((e) => e.room === roomId);
  }

  edit(roomId, seq, body) { return this.frame({ type: 'edit', room: roomId, seq, body }); }

  remove(roomId, seq) { return this.frame({ type: 'delete', room: roomId, seq }); }

  typing(roomId) { return this.frame({ type: 'typing', room: roomId }); }

  read(roomId, seq) { return this.frame({ type: 'read', room: roomId, seq }); }

  notifyPending() {
    const info = this.statusInfo();
    for (const fn of this.statusListeners) fn(info);
  }

  // ---- frames in --------------------------------------------------------------------------------

  receive(frame) {
    const roomId = frame.room;
    switch (frame.type) {
      case 'joined': {
        const room = this.room(roomId);
        room.joined = true;
        room.refused = false;
        this.emit(roomId, frame);
        for (const e of this.outbox) if (e.room === roomId && e.state !== 'failed') this.trySend(e);
        break;
      }
      case 'message':
      case 'event': {
        const room = this.room(roomId);
        const seq = Number(frame.seq);
        if (Number.isFinite(seq)) {
          if (seq <= room.lastSeq) return; // already seen (replay after a reconnect)
          room.lastSeq = seq;
        }
        if (frame.type === 'message' && frame.client_msg_id && frame.sender && frame.sender.id === this.userId) {
          this.acked(roomId, frame.client_msg_id);
        }
        this.emit(roomId, frame);
        break;
      }
      case 'ack':
        this.acked(roomId, frame.client_msg_id);
        this.emit(roomId, frame);
        break;
      case 'resync_required':
        this.emit(roomId, frame);
        if (!this.rooms.get(roomId)?.watchers.size) this.setLastSeq(roomId, frame.last_seq);
        break;
      case 'error':
        this.receiveError(frame);
        break;
      default:
        if (roomId) this.emit(roomId, frame);
    }
  }

  acked(roomId, clientMsgId) {
    const before = this.outbox.length;
    this.outbox = this.outbox.filter((e) => e.client_msg_id !== clientMsgId);
    if (this.outbox.length !== before) {
      this.saveOutbox();
      this.emit(roomId, { type: 'outbox' });
      this.notifyPending();
    }
  }

  receiveError(frame) {
    const entry = frame.client_msg_id ? this.outbox.find((e) => e.client_msg_id === frame.client_msg_id) : null;
    if (entry) {
      if (FAILED_CODES.has(frame.code)) {
        entry.state = 'failed';
        entry.error = { code: frame.code, retry_after: frame.retry_after || null, at: Date.now() };
      } else if (LATER_CODES.has(frame.code)) {
        entry.wait_until = Date.now() + Math.max(1, Number(frame.retry_after) || 3) * 1000;
        entry.error = { code: frame.code, retry_after: frame.retry_after || null, at: Date.now() };
      }
      this.saveOutbox();
      this.emit(entry.room, { type: 'outbox' });
      this.notifyPending();
    }
    if (frame.room) this.emit(frame.room, frame);
    if (frame.code === 'not_member' && frame.room) {
      const room = this.rooms.get(frame.room);
      if (room) {
        room.joined = false;
        room.refused = true;
      }
    }
  }

  // ---- the outbox in localStorage ---------------------------------------------------------------

  loadOutbox() {
    try {
      const raw = localStorage.getItem(this.outboxKey);
      const list = raw ? JSON.parse(raw) : [];
      return Array.isArray(list) ? list.filter((e) => e && e.room && e.client_msg_id && typeof e.body === 'string') : [];
    } catch {
      return [];
    }
  }

  saveOutbox() {
    try {
      if (this.outbox.length) localStorage.setItem(this.outboxKey, JSON.stringify(this.outbox));
      else localStorage.removeItem(this.outboxKey);
    } catch {
      // Storage full or blocked: the outbox is still in memory.
    }
  }
}

let current = null;

/** The connection of the signed-in user (made when first asked for). */
export function chatConnection() {
  const me = currentUser();
  if (!me) return null;
  if (current && current.userId !== me.id) {
    current.stop();
    current = null;
  }
  if (!current) current = new ChatConnection(me);
  return current;
}

/** The connection if one exists (for tests and the header). */
export function currentConnection() {
  return current;
}

/** Whether this browser holds unsent chat messages of the user (sent when the chat opens). */
export function hasUnsent(userId) {
  try {
    const raw = localStorage.getItem(`${OUTBOX_PREFIX}${userId}.chat-outbox`);
    return Boolean(raw && JSON.parse(raw).length);
  } catch {
    return false;
  }
}

onSessionChange((me, reason) => {
  if (!current) return;
  if (!me || me.id !== current.userId) {
    current.stop();
    current = null;
    return;
  }
  if (reason === 'login' && current.status === 'ended') {
    current.stopped = false;
    current.attempt = 0;
    current.connectNow();
  }
});
