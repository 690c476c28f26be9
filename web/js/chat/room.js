// One chat room on screen (UX.md A22): the log with sender names and times as text, own messages
// marked in words, an "Uudet viestit" separator, pinned messages at the top, the room's state in
// words (read-only, slow mode, writing blocked), a labelled message field with a big send button
// (Enter sends, Shift+Enter makes a new line), the connection's state and a short summary of new
// messages in role=status regions (the log itself is not live, and focus never moves when a
// message arrives). Participants edit and delete their own messages within 15 minutes and report
// others' messages to the guides; staff (the course team) get the moderation actions.

import { h, fill, uid, focusElement } from '../dom.js';
import { t, tOr, getLang } from '../i18n.js';
import { get, post, currentUser } from '../api.js';
import { formatDate, formatTime, todayInHelsinki } from '../format.js';
import { statusBox, showStatus, showErrors, clearErrors, enableDraft, clearDraft, errorMessage, apiFieldErrors, textareaField, selectField } from '../forms.js';
import { professionLabel } from '../ui.js';
import { chatConnection } from './connection.js';

export const EDIT_WINDOW_MS = 15 * 60 * 1000;
const MAX_BODY = 4000;
const PAGE = 50;
// Events that stand in the log on their own. A guidance session's start counts as read once it is
// on screen, which is how the guide's list knows who was present (guidance/session.rs).
const LOCAL_EVENTS = new Set(['pinned', 'unpinned', 'muted', 'unmuted', 'read_only', 'slow_mode', 'guidance_started', 'guidance_ended']);

const enc = encodeURIComponent;
export const roomPath = (roomId) => `/api/v1/chat/rooms/${enc(roomId)}`;

/** Rooms of the user: GET /chat/rooms as a list. */
export async function loadRooms() {
  const res = await get('/api/v1/chat/rooms');
  return Array.isArray(res) ? res : (res && (res.rooms || res.items)) || [];
}

/** Unread counts: {total, rooms: {id: n}}. */
export async function loadUnread() {
  const res = await get('/api/v1/chat/unread');
  const rooms = {};
  for (const r of (res && res.rooms) || []) rooms[r.id] = Number(r.unread) || 0;
  return { total: Number(res && res.total) || 0, rooms };
}

/** "3 uutta viestiä" / "ei uusia viestejä". */
export function unreadText(n) {
  if (!n) return t('chat.unread_none');
  return n === 1 ? t('chat.unread_one') : t('chat.unread_many', { n });
}

function itemsOf(res) {
  if (Array.isArray(res)) return res;
  return (res && (res.items || res.messages || res.pinned)) || [];
}

function detailOf(x) {
  let d = x.detail;
  if (typeof d === 'string') {
    try {
      d = JSON.parse(d);
    } catch {
      d = null;
    }
  }
  return d && typeof d === 'object' ? d : {};
}

/** A history row or a socket frame as one shape. */
export function normalise(x) {
  const d = { ...detailOf(x), ...x };
  return {
    seq: Number(d.seq),
    id: d.id || null,
    kind: d.kind || (d.event ? 'event' : 'message'),
    at: d.at || d.created_at || null,
    sender: d.sender || d.by || null,
    body: typeof d.body === 'string' ? d.body : '',
    edited_at: d.edited_at || null,
    deleted: Boolean(d.deleted_at || d.deleted === true),
    hidden: Boolean(d.hidden_at || d.hidden === true),
    hidden_reason: d.hidden_reason || (d.hidden_at || d.hidden ? d.reason || null : null),
    removed: Boolean(d.removed_at || d.removed === true || d.removed_by),
    pinned: Boolean(d.pinned_at || d.pinned === true),
    event: d.event || null,
    target_seq: d.target_seq === undefined || d.target_seq === null ? null : Number(d.target_seq),
    reason: d.reason || null,
    user: d.user || null,
    until: d.until || null,
    on: d.on,
    seconds: d.seconds,
    client_msg_id: d.client_msg_id || null,
  };
}

function firstName(name) {
  return String(name || '').trim().split(/\s+/)[0] || '';
}

/** "klo 10.12" today, else "ti 2.12.2026 klo 10.12". */
export function whenText(at) {
  if (!at) return '';
  const lang = getLang();
  const d = new Date(at);
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  return day === todayInHelsinki() ? formatTime(d, lang) : `${formatDate(d, lang)} ${formatTime(d, lang)}`;
}

function senderName(sender) {
  if (!sender) return t('chat.someone');
  return sender.name || sender.display_name || t('chat.someone');
}

/** "Sari Salo, sairaanhoitaja (tiimi)" for staff; the first name for participants. */
function senderLabel(sender) {
  if (!sender) return t('chat.someone');
  const name = senderName(sender);
  if (sender.role && sender.role !== 'participant') {
    const profession = sender.profession ? professionLabel(sender.profession) : '';
    return profession ? `${name}, ${profession}` : name;
  }
  return name;
}

function untilText(until) {
  return until ? whenText(until) : '';
}

/** A moderation event as a sentence. */
/** The id of an event's `user` (an object per PROTOCOL.md, or just the id). */
export function eventUserId(m) {
  if (!m.user) return null;
  return typeof m.user === 'string' ? m.user : m.user.id || null;
}

export function eventText(m, { staff, meId = null }) {
  const by = senderName(m.sender);
  const userId = eventUserId(m);
  const named = m.user && typeof m.user === 'object' && m.user.name;
  const who = userId && userId === meId ? 'you' : (named ? 'named' : 'someone');
  const user = named ? m.user.name : '';
  switch (m.event) {
    case 'pinned': return t('chat.event.pinned', { by });
    case 'unpinned': return t('chat.event.unpinned', { by });
    case 'muted': {
      const until = untilText(m.until);
      const base = who === 'you' ? t('chat.event.muted_you', { by, until })
        : who === 'named' ? t('chat.event.muted', { by, user, until }) : t('chat.event.muted_someone', { by, until });
      return staff && m.reason ? `${base} ${t('chat.reason', { reason: m.reason })}` : base;
    }
    case 'unmuted':
      return who === 'you' ? t('chat.event.unmuted_you', { by })
        : who === 'named' ? t('chat.event.unmuted', { by, user }) : t('chat.event.unmuted_someone', { by });
    case 'read_only': return m.on ? t('chat.event.read_only_on', { by }) : t('chat.event.read_only_off', { by });
    case 'slow_mode': return Number(m.seconds) > 0 ? t('chat.event.slow_mode_on', { by, seconds: m.seconds }) : t('chat.event.slow_mode_off', { by });
    default: return tOr(`chat.event.${m.event}`, m.event || '', { by });
  }
}

/** Why a send was refused, in words. */
export function refusalText(error, state) {
  if (!error) return '';
  switch (error.code) {
    case 'muted': {
      const until = error.retry_after ? new Date(error.at + error.retry_after * 1000) : state.muted_until;
      return until ? t('chat.refused.muted_until', { until: whenText(until) }) : t('chat.refused.muted');
    }
    case 'read_only': return t('chat.refused.read_only');
    case 'slow_mode': return t('chat.refused.slow_mode', { seconds: error.retry_after || state.slow_mode_seconds || 0 });
    case 'invalid_body': return t('chat.refused.invalid_body');
    case 'rate_limited': return t('chat.refused.rate_limited');
    case 'unavailable': return t('chat.refused.unavailable');
    case 'not_member': return t('chat.refused.not_member');
    default: return tOr(`chat.error.${error.code}`, t('chat.refused.other'));
  }
}

function connectionText(info, conn) {
  const pending = info.pending ? ` ${info.pending === 1 ? t('chat.pending_one') : t('chat.pending_many', { n: info.pending })}` : '';
  switch (info.status) {
    case 'open': return t('chat.connection.open') + pending;
    case 'connecting': return t('chat.connection.connecting') + pending;
    case 'offline': return t('chat.connection.offline') + pending;
    case 'ended': return t('chat.connection.ended') + pending;
    case 'unavailable': return t('chat.connection.unavailable') + pending;
    case 'waiting': {
      const s = info.retryAt ? Math.max(1, Math.round((info.retryAt - Date.now()) / 1000)) : 1;
      return t('chat.connection.waiting', { seconds: s }) + pending;
    }
    default: return conn ? t('chat.connection.connecting') : '';
  }
}

/**
 * Builds the room. options: {room: a row of GET /rooms, staff: bool, courseId, intro}.
 * Returns {el, destroy}.
 */
export function chatRoomView({ room, staff = false, courseId = null, intro = null }) {
  const me = currentUser();
  const conn = chatConnection();
  const roomId = room.id;
  const messages = new Map(); // seq → normalised row (messages and local events)
  const nodes = new Map(); // seq → li
  const state = {
    read_seq: Number(room.read_seq) || 0,
    read_only: Boolean(room.read_only),
    slow_mode_seconds: Number(room.slow_mode_seconds) || 0,
    muted_until: room.muted_until || null,
    oldest: null,
    hasOlder: false,
    separatorAt: null,
    joinedLastSeq: 0,
    replayed: 0,
    lastReadSent: Number(room.read_seq) || 0,
    typing: new Map(),
  };
  const ids = { log: uid('chat-log'), title: uid('chat-log-title') };

  // ---- the parts on screen ----------------------------------------------------------------------
  const connectionLine = h('p', { class: 'chat-connection', role: 'status', id: 'chat-connection', 'data-status': 'idle' }, t('chat.connection.connecting'));
  const news = h('p', { class: 'chat-news', role: 'status', 'aria-live': 'polite', id: 'chat-news' });
  const statusMsg = statusBox();
  statusMsg.id = 'chat-action-status';
  const stateNotes = h('div', { class: 'chat-state', id: 'chat-state' });
  const pinnedBox = h('section', { class: 'chat-pinned', id: 'chat-pinned', 'aria-labelledby': `${ids.log}-pinned`, hidden: true },
    h('h2', { id: `${ids.log}-pinned` }, t('chat.pinned_title')), h('ul', { class: 'chat-pinned-list' }));
  const olderButton = h('button', { type: 'button', class: 'button button-secondary', id: 'chat-older', hidden: true }, t('chat.load_older'));
  const log = h('ol', { class: 'chat-log', id: 'chat-log', 'aria-labelledby': ids.title });
  const pendingList = h('ol', { class: 'chat-log chat-pending', id: 'chat-pending', 'aria-label': t('chat.pending_title'), hidden: true });
  const emptyNote = h('p', { class: 'chat-empty', id: 'chat-empty', hidden: true }, t('chat.empty'));
  const typingLine = h('p', { class: 'chat-typing muted', id: 'chat-typing' });
  const presenceLine = h('p', { class: 'chat-presence muted', id: 'chat-presence' });

  // ---- the message form --------------------------------------------------------------------------
  const body = textareaField({ name: 'body', label: t('chat.compose_label'), hint: t('chat.compose_hint'), rows: 4, id: `chat-body-${roomId}` });
  body.input.classList.add('chat-input');
  const sendButton = h('button', { type: 'submit', class: 'button button-primary button-large', id: 'chat-send' }, t('chat.send'));
  const form = h('form', { class: 'form chat-form', 'data-form': 'chat-send', novalidate: true }, body.wrap, h('p', { class: 'actions' }, sendButton));
  enableDraft(form, `chat.${roomId}`);
  let lastTyping = 0;
  body.input.addEventListener('input', () => {
    if (Date.now() - lastTyping > 4000 && body.input.value.trim()) {
      lastTyping = Date.now();
      conn.typing(roomId);
    }
  });
  body.input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = body.input.value.trim();
    if (!text) {
      showErrors(form, { fieldErrors: [{ field: 'body', message: t('chat.validation.empty') }] });
      return;
    }
    if (text.length > MAX_BODY) {
      showErrors(form, { fieldErrors: [{ field: 'body', message: t('chat.validation.too_long', { max: MAX_BODY, n: text.length }) }] });
      return;
    }
    clearErrors(form);
    conn.send(roomId, text);
    body.input.value = '';
    clearDraft(`chat.${roomId}`);
    if (document.activeElement !== body.input) body.input.focus();
  });

  // Keyboard users reach the message field without going through every message's buttons.
  const toComposeLink = h('a', { href: `#${body.input.id}`, id: 'chat-to-compose' }, t('chat.to_compose'));
  toComposeLink.addEventListener('click', (event) => {
    // Focus the field itself (the app's in-page link handler would make it tabindex=-1).
    event.preventDefault();
    body.input.focus();
    body.input.scrollIntoView({ block: 'center' });
  });
  const toCompose = h('p', { class: 'link-row chat-to-compose' }, toComposeLink);
  const el = h('div', { class: 'chat-room', 'data-room': roomId, 'data-kind': room.kind || '' },
    connectionLine,
    intro,
    toCompose,
    stateNotes,
    pinnedBox,
    h('section', { class: 'chat-messages', 'aria-labelledby': ids.title },
      h('h2', { id: ids.title, class: 'chat-log-title' }, t('chat.messages_title')),
      h('p', { class: 'chat-older-row' }, olderButton),
      emptyNote,
      log,
      pendingList,
      typingLine),
    news,
    statusMsg,
    presenceLine,
    h('section', { class: 'chat-compose', 'aria-labelledby': `${ids.log}-compose` },
      h('h2', { id: `${ids.log}-compose`, class: 'visually-hidden' }, t('chat.compose_title')),
      form));

  // ---- state notes (read-only, slow mode, writing blocked) ----------------------------------------
  function renderState() {
    const notes = [];
    const mutedUntil = state.muted_until && new Date(state.muted_until) > new Date() ? state.muted_until : null;
    if (state.read_only) notes.push(h('p', { 'data-state': 'read_only' }, staff ? t('chat.state.read_only_staff') : t('chat.state.read_only')));
    if (mutedUntil && !staff) notes.push(h('p', { 'data-state': 'muted' }, t('chat.state.muted', { until: whenText(mutedUntil) })));
    if (state.slow_mode_seconds > 0) notes.push(h('p', { 'data-state': 'slow_mode' }, t('chat.state.slow_mode', { seconds: state.slow_mode_seconds })));
    fill(stateNotes, notes.length ? h('div', { class: 'notice notice-warning' }, notes) : null);
  }

  // ---- one message --------------------------------------------------------------------------------
  // The name others see: participants are shown to each other by their first name (S11).
  const ownName = () => (me && me.role === 'participant' ? firstName(me.display_name) : (me && me.display_name) || '');
  const isOwn = (m) => Boolean(m.sender && me && m.sender.id === me.id);
  const inWindow = (m) => m.at && Date.now() - new Date(m.at).getTime() < EDIT_WINDOW_MS;

  function metaLine(m, { pending = false } = {}) {
    const own = isOwn(m) || pending;
    const staffSender = m.sender && m.sender.role && m.sender.role !== 'participant';
    return h('p', { class: 'msg-meta' },
      h('span', { class: 'msg-sender' }, pending ? ownName() : senderLabel(m.sender)),
      own ? h('span', { class: 'msg-own-label' }, ` (${t('chat.you')})`) : null,
      !own && staffSender ? h('span', { class: 'msg-team-label' }, ` (${t('chat.team_member')})`) : null,
      m.at ? [' ', h('time', { class: 'msg-time', datetime: m.at }, whenText(m.at))] : null,
      m.edited_at && !m.deleted && !m.removed ? h('span', { class: 'msg-edited' }, ` (${t('chat.edited')})`) : null,
      m.pinned ? h('span', { class: 'msg-pinned-label' }, ` (${t('chat.pinned')})`) : null);
  }

  function bodyNodes(m) {
    if (m.removed) return [h('p', { class: 'msg-body msg-removed' }, t('chat.removed_by_guide'))];
    if (m.deleted) return [h('p', { class: 'msg-body msg-removed' }, t('chat.deleted_by_writer'))];
    if (m.hidden) {
      if (!staff || !m.body) return [h('p', { class: 'msg-body msg-removed' }, t('chat.removed_by_guide'))];
      return [
        h('p', { class: 'msg-hidden-note' }, t('chat.hidden_staff'), m.hidden_reason ? ` ${t('chat.reason', { reason: m.hidden_reason })}` : ''),
        h('p', { class: 'msg-body msg-hidden-body' }, m.body),
      ];
    }
    return [h('p', { class: 'msg-body' }, m.body)];
  }

  function actionButton(label, action, onClick, variant = 'secondary') {
    const b = h('button', { type: 'button', class: `button button-${variant} button-small`, 'data-action': action }, label);
    b.addEventListener('click', onClick);
    return b;
  }

  function messageNode(m) {
    if (m.kind === 'event') {
      return h('li', { class: 'msg msg-event', 'data-seq': m.seq, id: `msg-${m.seq}` },
        h('p', { class: 'msg-event-text' }, eventText(m, { staff, meId: me && me.id }), m.at ? [' ', h('time', { class: 'msg-time', datetime: m.at }, whenText(m.at))] : null));
    }
    const own = isOwn(m);
    const classes = ['msg'];
    if (own) classes.push('msg-own');
    if (m.sender && m.sender.role && m.sender.role !== 'participant') classes.push('msg-staff');
    if (m.hidden || m.removed || m.deleted) classes.push('msg-gone');
    const panel = h('div', { class: 'msg-panel' });
    const li = h('li', { class: classes.join(' '), 'data-seq': m.seq, id: `msg-${m.seq}`, 'data-own': own ? 'true' : null },
      metaLine(m), bodyNodes(m));
    const actions = [];
    const live = !m.deleted && !m.removed;
    if (own && live && !m.hidden && inWindow(m)) {
      actions.push(actionButton(t('chat.edit'), 'edit', () => openEdit(m, panel)));
      actions.push(actionButton(t('chat.delete'), 'delete', () => openDelete(m, panel), 'danger'));
    }
    if (!own && live && !m.hidden && !staff) {
      actions.push(actionButton(t('chat.report'), 'report', () => openReport(m, panel)));
    }
    if (staff && live) {
      const toggle = h('button', { type: 'button', class: 'button button-secondary button-small', 'data-action': 'moderate', 'aria-expanded': 'false' }, t('chat.moderate'));
      const modRow = h('div', { class: 'button-row msg-mod', hidden: true }, moderationButtons(m, panel));
      toggle.addEventListener('click', () => {
        const open = toggle.getAttribute('aria-expanded') !== 'true';
        toggle.setAttribute('aria-expanded', String(open));
        modRow.hidden = !open;
      });
      actions.push(toggle);
      li.append(h('div', { class: 'button-row msg-actions' }, actions), modRow, panel);
      return li;
    }
    if (actions.length) li.append(h('div', { class: 'button-row msg-actions' }, actions));
    li.append(panel);
    return li;
  }

  function moderationButtons(m, panel) {
    const out = [];
    if (m.hidden) out.push(actionButton(t('chat.mod.unhide'), 'unhide', () => moderate(m, 'unhide', {})));
    else out.push(actionButton(t('chat.mod.hide'), 'hide', () => openReasonForm(m, panel, 'hide')));
    out.push(actionButton(m.pinned ? t('chat.mod.unpin') : t('chat.mod.pin'), m.pinned ? 'unpin' : 'pin', () => moderate(m, m.pinned ? 'unpin' : 'pin', {})));
    out.push(actionButton(t('chat.mod.remove'), 'remove', () => openConfirm(panel, t('chat.mod.remove_confirm'), t('chat.mod.remove_yes'), () => moderate(m, 'remove', {})), 'danger'));
    if (m.sender && m.sender.role === 'participant' && courseId) {
      out.push(actionButton(t('chat.mod.mute'), 'mute', () => openMute(m, panel)));
    }
    return out;
  }

  async function moderate(m, action, payload) {
    try {
      await post(`${roomPath(roomId)}/messages/${enc(m.seq)}/${action}`, payload);
      showStatus(statusMsg, t(`chat.mod.done_${action}`));
      if (!conn.isOpen()) await reloadHistory();
    } catch (err) {
      showStatus(statusMsg, errorMessage(err).title, { kind: 'error' });
    }
  }

  function closePanel(panel, focusBack) {
    panel.replaceChildren();
    if (focusBack && focusBack.isConnected) focusBack.focus();
  }

  function smallForm(panel, { name, label, hint, submitLabel, onSend, required = true, extra = null, dataForm }) {
    const opener = document.activeElement;
    const field = textareaField({ name, label, hint, rows: 3 });
    const cancel = h('button', { type: 'button', class: 'button button-secondary' }, t('chat.cancel'));
    const form2 = h('form', { class: 'form msg-form', novalidate: true, 'data-form': dataForm }, extra ? extra.wrap : null, field.wrap,
      h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button button-primary' }, submitLabel), cancel));
    cancel.addEventListener('click', () => closePanel(panel, opener));
    form2.addEventListener('submit', async (event) => {
      event.preventDefault();
      const text = field.input.value.trim();
      if (required && !text) {
        showErrors(form2, { fieldErrors: [{ field: name, message: t('chat.validation.reason_missing') }] });
        return;
      }
      try {
        clearErrors(form2);
        await onSend(text, extra ? extra.input.value : null);
        closePanel(panel, opener);
      } catch (err) {
        const { title, detail } = errorMessage(err);
        showErrors(form2, { title, detail, fieldErrors: apiFieldErrors(err) });
      }
    });
    panel.replaceChildren(form2);
    field.input.focus();
    return field;
  }

  function openConfirm(panel, question, yesLabel, onYes) {
    const opener = document.activeElement;
    const yes = h('button', { type: 'button', class: 'button button-danger', 'data-action': 'confirm' }, yesLabel);
    const no = h('button', { type: 'button', class: 'button button-secondary' }, t('chat.cancel'));
    yes.addEventListener('click', async () => {
      await onYes();
      closePanel(panel, null);
      if (opener && opener.isConnected) opener.focus();
    });
    no.addEventListener('click', () => closePanel(panel, opener));
    panel.replaceChildren(h('div', { class: 'msg-confirm' }, h('p', null, question), h('div', { class: 'button-row' }, yes, no)));
    yes.focus();
  }

  function openReasonForm(m, panel, action) {
    smallForm(panel, {
      name: 'reason', label: t('chat.mod.hide_reason'), hint: t('chat.mod.hide_hint'), submitLabel: t('chat.mod.hide_send'), dataForm: 'chat-hide',
      onSend: async (reason) => {
        await post(`${roomPath(roomId)}/messages/${enc(m.seq)}/${action}`, { reason });
        showStatus(statusMsg, t(`chat.mod.done_${action}`));
        if (!conn.isOpen()) await reloadHistory();
      },
    });
  }

  function openMute(m, panel) {
    const minutes = selectField({ name: 'minutes', label: t('chat.mod.mute_minutes'), value: '60', options: MUTE_CHOICES() });
    smallForm(panel, {
      name: 'reason', label: t('chat.mod.mute_reason'), hint: t('chat.mod.mute_hint'), submitLabel: t('chat.mod.mute_send'), extra: minutes, dataForm: 'chat-mute',
      onSend: async (reason, mins) => {
        await post(`/api/v1/chat/courses/${enc(courseId)}/mutes`, { participant: m.sender.id, minutes: Number(mins), reason });
        showStatus(statusMsg, t('chat.mod.done_mute', { name: senderName(m.sender) }));
        document.dispatchEvent(new Event('chat-mutes-changed'));
      },
    });
  }

  function openReport(m, panel) {
    smallForm(panel, {
      name: 'reason', label: t('chat.report_reason'), hint: t('chat.report_hint'), submitLabel: t('chat.report_send'), dataForm: 'chat-report',
      onSend: async (reason) => {
        await post(`${roomPath(roomId)}/messages/${enc(m.seq)}/report`, { reason });
        showStatus(statusMsg, t('chat.report_done'));
      },
    });
  }

  function openEdit(m, panel) {
    if (!inWindow(m)) {
      showStatus(statusMsg, t('chat.error.edit_window_passed'), { kind: 'error' });
      return;
    }
    const field = smallForm(panel, {
      name: 'body', label: t('chat.edit_label'), submitLabel: t('chat.edit_save'), dataForm: 'chat-edit',
      onSend: async (text) => {
        if (text.length > MAX_BODY) throw new Error(t('chat.validation.too_long', { max: MAX_BODY, n: text.length }));
        if (!conn.edit(roomId, m.seq, text)) {
          showStatus(statusMsg, t('chat.not_connected'), { kind: 'error' });
          return;
        }
        showStatus(statusMsg, t('chat.edit_sent'));
      },
    });
    field.input.value = m.body;
  }

  function openDelete(m, panel) {
    openConfirm(panel, t('chat.delete_confirm'), t('chat.delete_yes'), async () => {
      if (!conn.remove(roomId, m.seq)) showStatus(statusMsg, t('chat.not_connected'), { kind: 'error' });
      else showStatus(statusMsg, t('chat.delete_sent'));
    });
  }

  // ---- the log ------------------------------------------------------------------------------------
  function place(seq, node) {
    const old = nodes.get(seq);
    if (old) {
      const hadFocus = old.contains(document.activeElement);
      const action = hadFocus && document.activeElement.dataset ? document.activeElement.dataset.action : null;
      old.replaceWith(node);
      nodes.set(seq, node);
      if (hadFocus) {
        const same = action && node.querySelector(`[data-action="${action}"]`);
        if (same) same.focus();
        else focusElement(node);
      }
      return;
    }
    nodes.set(seq, node);
    let next = null;
    for (const child of log.children) {
      const s = Number(child.dataset.seq);
      if (Number.isFinite(s) && s > seq) {
        next = child;
        break;
      }
    }
    if (next && next.previousElementSibling && next.previousElementSibling.classList.contains('chat-separator') && seq <= state.read_seq) {
      next = next.previousElementSibling;
    }
    log.insertBefore(node, next);
  }

  function upsert(m) {
    if (!Number.isFinite(m.seq)) return;
    if (m.kind === 'event' && !LOCAL_EVENTS.has(m.event)) return;
    messages.set(m.seq, m);
    place(m.seq, messageNode(m));
    emptyNote.hidden = messages.size > 0;
  }

  function applyEvent(m) {
    const target = m.target_seq !== null ? messages.get(m.target_seq) : null;
    switch (m.event) {
      case 'edited':
        if (target) Object.assign(target, { body: m.body, edited_at: m.at });
        break;
      case 'deleted':
        if (target) Object.assign(target, { deleted: true, body: '' });
        break;
      case 'hidden':
        if (target) Object.assign(target, { hidden: true, hidden_reason: m.reason, body: staff ? (m.body || target.body) : '' });
        break;
      case 'unhidden':
        if (target) Object.assign(target, { hidden: false, hidden_reason: null, body: m.body || target.body });
        break;
      case 'removed':
        if (target) Object.assign(target, { removed: true, body: '' });
        break;
      case 'pinned':
      case 'unpinned':
        if (target) target.pinned = m.event === 'pinned';
        loadPinned();
        break;
      case 'muted':
      case 'unmuted':
        if (me && eventUserId(m) === me.id) state.muted_until = m.event === 'muted' ? m.until : null;
        renderState();
        break;
      case 'read_only':
        state.read_only = Boolean(m.on);
        renderState();
        break;
      case 'slow_mode':
        state.slow_mode_seconds = Number(m.seconds) || 0;
        renderState();
        break;
      default:
    }
    if (target) place(target.seq, messageNode(target));
    if (LOCAL_EVENTS.has(m.event)) upsert(m);
  }

  function renderSeparator() {
    log.querySelectorAll('.chat-separator').forEach((x) => x.remove());
    const first = [...messages.values()].filter((m) => m.kind === 'message' && m.seq > state.read_seq && !isOwn(m)).sort((a, b) => a.seq - b.seq)[0];
    if (!first) return;
    state.separatorAt = first.seq;
    const node = nodes.get(first.seq);
    if (node) log.insertBefore(h('li', { class: 'chat-separator', id: 'chat-unread-separator' }, h('p', null, t('chat.new_messages'))), node);
  }

  function renderPending() {
    const entries = conn.outboxFor(roomId);
    pendingList.hidden = !entries.length;
    const hadFocus = pendingList.contains(document.activeElement);
    fill(pendingList, entries.map((e) => {
      const failed = e.state === 'failed';
      const li = h('li', { class: `msg msg-own msg-pending${failed ? ' msg-failed' : ''}`, 'data-client-id': e.client_msg_id },
        metaLine({ at: e.created_at }, { pending: true }),
        h('p', { class: 'msg-body' }, e.body),
        h('p', { class: failed ? 'msg-state msg-state-failed' : 'msg-state' },
          failed ? `${t('chat.not_sent')} ${refusalText(e.error, state)}`
            : (e.wait_until ? refusalText(e.error, state) : t('chat.sending'))));
      if (failed) {
        li.append(h('div', { class: 'button-row msg-actions' },
          actionButton(t('chat.send_again'), 'send-again', () => conn.retry(e.client_msg_id)),
          actionButton(t('chat.discard'), 'discard', () => conn.discard(e.client_msg_id), 'danger')));
      }
      return li;
    }));
    if (hadFocus) body.input.focus();
    if (entries.some((e) => e.state === 'failed')) {
      const latest = entries.filter((e) => e.state === 'failed').pop();
      showStatus(statusMsg, `${t('chat.not_sent')} ${refusalText(latest.error, state)}`, { kind: 'error' });
    }
  }

  // ---- typing and presence -------------------------------------------------------------------------
  function renderTyping() {
    const names = [...state.typing.values()].map((x) => x.name);
    typingLine.textContent = names.length ? t('chat.typing', { names: names.join(', ') }) : '';
  }

  function onTyping(user) {
    if (!user || (me && user.id === me.id)) return;
    const name = user.role === 'participant' ? firstName(user.name) : user.name;
    const prev = state.typing.get(user.id);
    if (prev) clearTimeout(prev.timer);
    const timer = setTimeout(() => {
      state.typing.delete(user.id);
      renderTyping();
    }, 6000);
    state.typing.set(user.id, { name, timer });
    renderTyping();
  }

  function onPresence(online) {
    const others = (online || []).filter((u) => !me || u.id !== me.id).map((u) => senderName(u));
    presenceLine.textContent = others.length ? t('chat.online', { names: others.join(', ') }) : t('chat.online_none');
  }

  // ---- read marker --------------------------------------------------------------------------------
  let readTimer = null;
  function markRead() {
    clearTimeout(readTimer);
    readTimer = setTimeout(() => {
      if (document.visibilityState !== 'visible' || !el.isConnected) return;
      const max = Math.max(0, ...[...messages.values()].map((m) => m.seq));
      if (max <= state.lastReadSent) return;
      state.lastReadSent = max;
      if (!conn.read(roomId, max)) post(`${roomPath(roomId)}/read`, { seq: max }).catch(() => {});
    }, 1200);
  }
  const onVisible = () => {
    if (document.visibilityState === 'visible') markRead();
  };
  document.addEventListener('visibilitychange', onVisible);

  // ---- history over HTTP ----------------------------------------------------------------------------
  async function fetchPage(beforeSeq) {
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (beforeSeq) q.set('before_seq', String(beforeSeq));
    const res = await get(`${roomPath(roomId)}/messages?${q}`);
    const rows = itemsOf(res).map(normalise).filter((m) => Number.isFinite(m.seq));
    // `more` says whether older items exist; without it a full page is taken to mean so.
    rows.more = res && typeof res.more === 'boolean' ? res.more : rows.length >= PAGE;
    return rows;
  }

  function takePage(rows) {
    for (const m of rows) {
      if (m.kind === 'event' && !LOCAL_EVENTS.has(m.event)) continue;
      upsert(m);
    }
    const seqs = rows.map((m) => m.seq);
    if (seqs.length) state.oldest = Math.min(state.oldest ?? Infinity, ...seqs);
    state.hasOlder = Boolean(rows.more) && state.oldest > 1;
    olderButton.hidden = !state.hasOlder;
    return seqs.length ? Math.max(...seqs) : 0;
  }

  async function reloadHistory() {
    const rows = await fetchPage(null);
    messages.clear();
    nodes.clear();
    log.replaceChildren();
    state.oldest = null;
    const max = takePage(rows);
    viewSeq = Math.max(max, Number(room.last_seq) || 0);
    conn.setLastSeq(roomId, viewSeq);
    renderSeparator();
    emptyNote.hidden = messages.size > 0;
    return max;
  }

  olderButton.addEventListener('click', async () => {
    try {
      const rows = await fetchPage(state.oldest);
      takePage(rows);
      renderSeparator();
      olderButton.focus();
    } catch (err) {
      showStatus(statusMsg, errorMessage(err).title, { kind: 'error' });
    }
  });

  async function loadPinned() {
    try {
      const rows = itemsOf(await get(`${roomPath(roomId)}/pinned`)).map(normalise);
      const list = pinnedBox.querySelector('ul');
      fill(list, rows.map((m) => h('li', { class: 'msg msg-pinned' }, metaLine(m), bodyNodes(m))));
      pinnedBox.hidden = !rows.length;
    } catch {
      pinnedBox.hidden = true;
    }
  }

  // ---- frames from the socket ---------------------------------------------------------------------
  function onFrame(frame) {
    switch (frame.type) {
      case 'joined':
        state.read_only = Boolean(frame.read_only);
        state.slow_mode_seconds = Number(frame.slow_mode_seconds) || 0;
        state.muted_until = frame.muted_until || null;
        // Frames up to the room's last seq at joining are the catch-up; later ones are new.
        state.joinedLastSeq = Number(frame.last_seq) || 0;
        state.replayed = 0;
        renderState();
        break;
      case 'message': {
        const m = normalise({ ...frame, kind: 'message' });
        upsert(m);
        if (!isOwn(m)) {
          if (m.seq <= (state.joinedLastSeq || 0)) {
            state.replayed += 1;
            clearTimeout(state.replayTimer);
            state.replayTimer = setTimeout(() => {
              if (state.replayed) news.textContent = state.replayed === 1 ? t('chat.news_caught_up_one') : t('chat.news_caught_up', { n: state.replayed });
              state.replayed = 0;
            }, 800);
          } else news.textContent = t('chat.news_one', { name: senderName(m.sender), time: whenText(m.at) });
        }
        markRead();
        break;
      }
      case 'event':
        applyEvent(normalise({ ...frame, kind: 'event' }));
        break;
      case 'ack':
        break;
      case 'outbox':
        renderPending();
        break;
      case 'resync_required':
        reloadHistory().then(() => markRead()).catch(() => {});
        break;
      case 'presence':
        onPresence(frame.online);
        break;
      case 'typing':
        onTyping(frame.user);
        break;
      case 'read':
        state.lastReadSent = Math.max(state.lastReadSent, Number(frame.seq) || 0);
        break;
      case 'error':
        if (!frame.client_msg_id) showStatus(statusMsg, tOr(`chat.error.${frame.code}`, t('chat.refused.other')), { kind: 'error' });
        break;
      default:
    }
  }

  let unwatch = null;
  let viewSeq = 0; // the highest seq the history on screen covers
  const unstatus = conn.onStatus((info) => {
    // While retrying, "Yhdistetään…" would alternate with "Yhteys katkesi…" at every attempt and be
    // read out each time: the line keeps saying the connection is down until it is up again.
    if (info.status === 'connecting' && conn.attempt > 0 && connectionLine.dataset.status !== 'idle') return;
    const text = connectionText(info, conn);
    if (connectionLine.textContent !== text) connectionLine.textContent = text;
    connectionLine.dataset.status = info.status;
  });
  // The "waiting" text counts down only on screen; the region is re-announced only when the state
  // changes, because its text changes then.
  const tick = setInterval(() => {
    if (!el.isConnected) {
      destroy();
      return;
    }
    // Edit and delete go away when the 15 minutes have passed (not while focus is on them).
    for (const m of messages.values()) {
      if (m.kind !== 'message' || !isOwn(m)) continue;
      const node = nodes.get(m.seq);
      if (node && node.querySelector('[data-action="edit"]') && !inWindow(m) && !node.contains(document.activeElement)) place(m.seq, messageNode(m));
    }
  }, 30_000);

  function connectRoom() {
    loadPinned();
    unwatch = conn.watch(roomId, conn.lastSeq(roomId), onFrame);
    // The connection may have been open before this view watched (it sends the outbox after a
    // sign-in): acks and messages that came while the history loaded reached no view.
    renderPending();
    if (conn.lastSeq(roomId) > viewSeq) reloadHistory().then(() => markRead()).catch(() => {});
    else markRead();
  }

  /** The history could not be loaded: say so, and try again by itself (2 s, 4 s … 30 s). */
  async function retryHistory(err) {
    for (let attempt = 0; el.isConnected && !destroyed; attempt += 1) {
      fill(log, h('li', { class: 'chat-load-error' }, h('div', { class: 'notice notice-error', role: 'alert' },
        h('p', null, errorMessage(err).title), h('p', null, t('chat.history_retrying')))));
      await new Promise((resolve) => { setTimeout(resolve, Math.min(30_000, 2000 * 2 ** attempt)); });
      if (!el.isConnected || destroyed) return;
      try {
        await reloadHistory();
        connectRoom();
        return;
      } catch (e) {
        err = e;
      }
    }
  }

  async function start() {
    renderState();
    renderPending();
    try {
      await reloadHistory();
    } catch (err) {
      retryHistory(err);
      return;
    }
    connectRoom();
  }

  let destroyed = false;
  function destroy() {
    destroyed = true;
    clearInterval(tick);
    clearTimeout(readTimer);
    document.removeEventListener('visibilitychange', onVisible);
    if (unwatch) unwatch();
    unstatus();
  }

  // Resolves when the history is on screen (pages wait for it, so a link to #msg-<seq> finds it).
  const ready = start();
  return { el, destroy, state, ready };
}

export function MUTE_CHOICES() {
  return [
    { value: '15', label: t('chat.mod.minutes_15') },
    { value: '60', label: t('chat.mod.minutes_60') },
    { value: '240', label: t('chat.mod.minutes_240') },
    { value: '1440', label: t('chat.mod.minutes_1440') },
    { value: '10080', label: t('chat.mod.minutes_10080') },
  ];
}
