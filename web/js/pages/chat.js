// Chat pages: the participant's group discussion (/ryhma/keskustelu) and messages with the team
// (/ryhma/viestit), and the guide's course chat with moderation (/ohjaus/kurssi/{id}/keskustelu).

import { h, add, fill, focusElement } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { get, post, put, del } from '../api.js';
import { loading, errorPanel, notice } from '../ui.js';
import { statusBox, showStatus, showErrors, clearErrors, errorMessage, apiFieldErrors, textareaField, selectField, checkboxField } from '../forms.js';
import { formatDateTime } from '../format.js';
import { guidanceSessionSection } from './guideSession.js';
import { chatRoomView, loadRooms, loadUnread, unreadText, roomPath, MUTE_CHOICES } from '../chat/room.js';

const enc = encodeURIComponent;

function start(ctx, title, back) {
  ctx.setTitle(title);
  const heading = h('h1', { tabindex: '-1' }, title);
  const slot = h('div', null, loading());
  add(ctx.main, back ? h('p', { class: 'breadcrumb' }, h('a', { href: back.href }, back.label)) : null, heading, slot);
  return { slot, heading };
}

/** The room's name in words. */
export function roomTitle(room, { staff = false } = {}) {
  switch (room.kind) {
    case 'group': return t('chat.room.group');
    case 'team': return t('chat.room.team');
    case 'private': {
      if (!staff) return t('chat.room.private_mine');
      const p = room.participant || {};
      return t('chat.room.private_of', { name: p.display_name || p.name || room.title || '' });
    }
    default: return room.title || '';
  }
}

/** Keeps the room view alive only while its page is on screen; resolves when its history is shown. */
function mount(ctx, slot, view) {
  fill(slot, view.el);
  const observer = new MutationObserver(() => {
    if (!view.el.isConnected) {
      view.destroy();
      observer.disconnect();
    }
  });
  observer.observe(ctx.main, { childList: true });
  return view.ready;
}

async function participantRoomPage(ctx, kind) {
  const title = kind === 'group' ? t('chat.group_title') : t('chat.private_title');
  const { slot } = start(ctx, title, { href: '/ryhma', label: t('chat.back_to_group') });
  let rooms;
  try {
    rooms = await loadRooms();
  } catch (err) {
    if (ctx.alive()) fill(slot, errorPanel(err));
    return;
  }
  if (!ctx.alive()) return;
  const room = rooms.find((r) => r.kind === kind);
  if (!room) {
    fill(slot, notice('info', h('p', null, t('chat.no_room'))));
    return;
  }
  const intro = h('p', { class: 'lead chat-intro' }, kind === 'group' ? t('chat.group_intro') : t('chat.private_intro'));
  await mount(ctx, slot, chatRoomView({ room, intro }));
}

export const groupChatPage = (ctx) => participantRoomPage(ctx, 'group');
export const privateChatPage = (ctx) => participantRoomPage(ctx, 'private');

/**
 * The participant's "Keskustelut" card (on /ryhma and /tanaan): a link to each room with its
 * unread count in words. Without the chat server it still links the pages.
 */
export async function chatLinksCard({ headingLevel = 'h2', id = 'chat-links-title' } = {}) {
  let rooms = [];
  try {
    rooms = await loadRooms();
  } catch {
    rooms = [];
  }
  const count = (kind) => {
    const r = rooms.find((x) => x.kind === kind);
    return r ? Number(r.unread) || 0 : null;
  };
  const row = (href, label, n, linkId) => h('li', null,
    h('a', { href, class: 'big-link', id: linkId }, label),
    n === null ? null : h('p', { class: 'chat-unread', 'data-unread': n }, unreadText(n)));
  const total = (count('group') || 0) + (count('private') || 0);
  return h('section', { class: 'section card', 'aria-labelledby': id, id: 'chat-links' },
    h(headingLevel, { id }, t('chat.card_title')),
    rooms.length ? h('p', { id: 'chat-unread-total' }, total ? t('chat.unread_total', { n: total }) : t('chat.unread_total_none')) : null,
    h('ul', { class: 'link-list chat-links' },
      row('/ryhma/keskustelu', t('chat.group_title'), count('group'), 'group-chat-link'),
      row('/ryhma/viestit', t('chat.private_title'), count('private'), 'private-chat-link')));
}

// ---- the guide's course chat ----------------------------------------------------------------------

export async function guideChatPage(ctx) {
  const courseId = ctx.params.id;
  const back = { href: `/ohjaus/kurssi/${enc(courseId)}`, label: t('chat.back_to_course') };
  const { slot } = start(ctx, t('chat.guide_title'), back);
  let course;
  let rooms;
  let enrolments;
  try {
    [course, rooms, enrolments] = await Promise.all([
      get(`/api/v1/courses/${enc(courseId)}`),
      loadRooms(),
      get(`/api/v1/courses/${enc(courseId)}/participants`),
    ]);
  } catch (err) {
    if (ctx.alive()) fill(slot, errorPanel(err));
    return;
  }
  if (!ctx.alive()) return;
  ctx.setTitle(`${t('chat.guide_title')}: ${course.title}`);
  const mine = rooms.filter((r) => String(r.course_id) === String(course.id));
  const order = { group: 0, team: 1, private: 2 };
  mine.sort((a, b) => (order[a.kind] - order[b.kind]) || roomTitle(a, { staff: true }).localeCompare(roomTitle(b, { staff: true }), getLang()));
  const wanted = new URLSearchParams(location.search).get('huone');
  const selected = mine.find((r) => r.id === wanted) || mine.find((r) => r.kind === 'group') || mine[0];
  const base = `/ohjaus/kurssi/${enc(courseId)}/keskustelu`;

  const roomList = h('ul', { class: 'link-list chat-room-list', id: 'chat-room-list' }, mine.map((r) => h('li', { 'data-kind': r.kind },
    h('a', { href: `${base}?huone=${enc(r.id)}`, class: 'list-link', 'aria-current': selected && r.id === selected.id ? 'true' : null, 'data-room': r.id },
      roomTitle(r, { staff: true }),
      h('span', { class: 'chat-unread' }, `– ${unreadText(Number(r.unread) || 0)}`)))));

  const participants = (enrolments || []).map((e) => e.participant).filter(Boolean);
  const reports = await reportsSection(course, mine, base);
  if (!ctx.alive()) return;

  fill(slot,
    h('p', { class: 'lead', lang: course.language || null }, course.title),
    h('section', { class: 'section', 'aria-labelledby': 'chat-rooms-title' },
      h('h2', { id: 'chat-rooms-title' }, t('chat.rooms_title')),
      mine.length ? roomList : h('p', null, t('chat.no_room'))),
    reports,
    selected ? h('section', { class: 'section chat-selected', 'aria-labelledby': 'chat-selected-title' },
      h('h2', { id: 'chat-selected-title' }, roomTitle(selected, { staff: true })),
      h('div', { id: 'chat-room-slot' })) : null,
    selected && selected.kind === 'group' ? guidanceSessionSection(selected, { courseHref: `/ohjaus/kurssi/${enc(courseId)}` }) : null,
    selected ? settingsSection(selected) : null,
    muteSection(course, participants));
  // The unread counts of the other rooms follow while the page is open (the chosen room is read).
  const refreshCounts = setInterval(async () => {
    if (!roomList.isConnected) {
      clearInterval(refreshCounts);
      return;
    }
    try {
      const { rooms: counts } = await loadUnread();
      for (const a of roomList.querySelectorAll('a[data-room]')) {
        const n = counts[a.dataset.room];
        const span = a.querySelector('.chat-unread');
        if (n !== undefined && span) span.textContent = `– ${unreadText(n)}`;
      }
    } catch {
      // The counts stay as they were.
    }
  }, 30_000);
  if (selected) {
    const view = chatRoomView({ room: selected, staff: true, courseId: course.id });
    await mount(ctx, document.getElementById('chat-room-slot'), view);
  }
}

/** Read-only and slow mode of the room (PUT /rooms/{id}/settings). */
function settingsSection(room) {
  const status = statusBox();
  const readOnly = checkboxField({ name: 'read_only', label: t('chat.settings.read_only'), hint: t('chat.settings.read_only_hint'), checked: Boolean(room.read_only) });
  const slow = selectField({
    name: 'slow_mode_seconds', label: t('chat.settings.slow_mode'), hint: t('chat.settings.slow_mode_hint'),
    value: String(Number(room.slow_mode_seconds) || 0),
    options: [
      { value: '0', label: t('chat.settings.slow_off') },
      { value: '30', label: t('chat.settings.slow_30') },
      { value: '60', label: t('chat.settings.slow_60') },
      { value: '300', label: t('chat.settings.slow_300') },
    ],
  });
  if (![...slow.input.options].some((o) => o.value === slow.input.value)) slow.input.value = '0';
  const form = h('form', { class: 'form', 'data-form': 'chat-settings', novalidate: true }, readOnly.wrap, slow.wrap,
    h('p', { class: 'actions' }, h('button', { type: 'submit', class: 'button button-primary' }, t('chat.settings.save'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      clearErrors(form);
      await put(`${roomPath(room.id)}/settings`, { read_only: readOnly.input.checked, slow_mode_seconds: Number(slow.input.value) });
      showStatus(status, t('chat.settings.saved'));
    } catch (err) {
      const { title, detail } = errorMessage(err);
      showErrors(form, { title, detail, fieldErrors: apiFieldErrors(err) });
    }
  });
  return h('section', { class: 'section card', 'aria-labelledby': 'chat-settings-title', id: 'chat-settings' },
    h('h2', { id: 'chat-settings-title' }, t('chat.settings.title')), status, form);
}

/** Blocking a participant from writing for a while, and ending it early. */
function muteSection(course, participants) {
  const status = statusBox();
  const options = participants.map((p) => ({ value: p.id, label: p.display_name }));
  const who = selectField({ name: 'participant', label: t('chat.mute.who'), options, placeholderLabel: t('form.choose') });
  const minutes = selectField({ name: 'minutes', label: t('chat.mod.mute_minutes'), value: '60', options: MUTE_CHOICES() });
  const reason = textareaField({ name: 'reason', label: t('chat.mod.mute_reason'), hint: t('chat.mod.mute_hint'), rows: 3 });
  const end = h('button', { type: 'button', class: 'button button-secondary', 'data-action': 'unmute' }, t('chat.mute.end'));
  const form = h('form', { class: 'form', 'data-form': 'chat-mute-course', novalidate: true }, who.wrap, minutes.wrap, reason.wrap,
    h('div', { class: 'button-row actions' }, h('button', { type: 'submit', class: 'button button-primary' }, t('chat.mod.mute_send')), end));
  const nameOf = (id) => (participants.find((p) => p.id === id) || {}).display_name || '';
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const problems = [];
    if (!who.input.value) problems.push({ field: 'participant', message: t('chat.mute.who_missing') });
    if (!reason.input.value.trim()) problems.push({ field: 'reason', message: t('chat.validation.reason_missing') });
    if (problems.length) {
      showErrors(form, { fieldErrors: problems });
      return;
    }
    try {
      clearErrors(form);
      await post(`/api/v1/chat/courses/${enc(course.id)}/mutes`, { participant: who.input.value, minutes: Number(minutes.input.value), reason: reason.input.value.trim() });
      showStatus(status, t('chat.mod.done_mute', { name: nameOf(who.input.value) }));
      reason.input.value = '';
      document.dispatchEvent(new Event('chat-mutes-changed'));
    } catch (err) {
      const { title, detail } = errorMessage(err);
      showErrors(form, { title, detail, fieldErrors: apiFieldErrors(err) });
    }
  });
  end.addEventListener('click', async () => {
    if (!who.input.value) {
      showErrors(form, { fieldErrors: [{ field: 'participant', message: t('chat.mute.who_missing') }] });
      return;
    }
    try {
      clearErrors(form);
      await del(`/api/v1/chat/courses/${enc(course.id)}/mutes/${enc(who.input.value)}`);
      showStatus(status, t('chat.mute.ended', { name: nameOf(who.input.value) }));
      document.dispatchEvent(new Event('chat-mutes-changed'));
    } catch (err) {
      const { title, detail } = errorMessage(err);
      showErrors(form, { title, detail, fieldErrors: apiFieldErrors(err) });
    }
  });
  // The mutes running now (GET …/mutes), each with its own "Salli kirjoittaminen taas".
  const running = h('div', { id: 'chat-mute-list' });
  const loadRunning = async () => {
    let list;
    try {
      list = await get(`/api/v1/chat/courses/${enc(course.id)}/mutes`);
    } catch {
      fill(running);
      return;
    }
    const rows = (Array.isArray(list) ? list : (list && list.items) || []).filter((m) => !m.ended_at);
    fill(running, rows.length
      ? h('ul', { class: 'report-list' }, rows.map((m) => {
        const name = m.participant_name || nameOf(m.participant);
        const textId = `mute-${m.participant}`;
        const allow = h('button', { type: 'button', class: 'button button-secondary', 'data-action': 'unmute-row', 'aria-describedby': textId }, t('chat.mute.end'));
        allow.addEventListener('click', async () => {
          try {
            await del(`/api/v1/chat/courses/${enc(course.id)}/mutes/${enc(m.participant)}`);
            showStatus(status, t('chat.mute.ended', { name }));
            await loadRunning();
          } catch (err) {
            showStatus(status, errorMessage(err).title, { kind: 'error' });
          }
        });
        return h('li', { class: 'report-row', 'data-participant': m.participant },
          h('p', { id: textId }, t('chat.mute.running', { name, until: formatDateTime(m.until, getLang()) })),
          m.reason ? h('p', null, t('chat.reason', { reason: m.reason })) : null,
          allow);
      }))
      : h('p', null, t('chat.mute.none')));
  };
  loadRunning();
  const changed = () => {
    if (!running.isConnected) document.removeEventListener('chat-mutes-changed', changed);
    else loadRunning();
  };
  document.addEventListener('chat-mutes-changed', changed);
  return h('section', { class: 'section card', 'aria-labelledby': 'chat-mute-title', id: 'chat-mutes' },
    h('h2', { id: 'chat-mute-title' }, t('chat.mute.title')),
    h('p', null, t('chat.mute.intro')), status, running, form);
}

function reportsOf(res) {
  if (Array.isArray(res)) return res;
  return (res && (res.items || res.reports)) || [];
}

/** The open reports of the course, each with "Piilota viesti" and "Ei toimenpiteitä". */
async function reportsSection(course, rooms, base) {
  const id = 'chat-reports-title';
  const status = statusBox();
  const body = h('div', null, loading());
  const section = h('section', { class: 'section card', 'aria-labelledby': id, id: 'chat-reports' },
    h('h2', { id, tabindex: '-1' }, t('chat.reports.title')), status, body);
  const roomName = (roomId) => {
    const r = rooms.find((x) => x.id === roomId);
    return r ? roomTitle(r, { staff: true }) : '';
  };
  const render = (list) => {
    if (!list.length) {
      fill(body, h('p', { id: 'chat-reports-none' }, t('chat.reports.none')));
      return;
    }
    fill(body, h('ul', { class: 'report-list', id: 'chat-report-list' }, list.map((r) => {
      const msg = r.message || {};
      const sender = msg.author || msg.sender || r.sender || {};
      const reporter = r.reporter || r.reported_by || {};
      const roomId = (r.room && typeof r.room === 'object' ? r.room.id : r.room) || r.room_id || msg.room || null;
      const seq = msg.seq ?? r.seq ?? null;
      const text = msg.hidden || msg.deleted ? '' : (msg.body ?? r.body ?? '');
      const note = textareaField({ name: 'note', label: t('chat.reports.note'), optional: true, rows: 2 });
      const hide = h('button', { type: 'submit', class: 'button button-primary', 'data-action': 'resolve-hide', value: 'hide' }, t('chat.reports.hide'));
      const dismiss = h('button', { type: 'submit', class: 'button button-secondary', 'data-action': 'resolve-dismiss', value: 'dismiss' }, t('chat.reports.dismiss'));
      const form = h('form', { class: 'form', novalidate: true, 'data-form': 'chat-resolve' }, note.wrap, h('div', { class: 'button-row' }, hide, dismiss));
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const action = event.submitter && event.submitter.value === 'hide' ? 'hide' : 'dismiss';
        try {
          clearErrors(form);
          await post(`/api/v1/chat/reports/${enc(r.id)}/resolve`, { action, note: note.input.value.trim() || null });
          showStatus(status, action === 'hide' ? t('chat.reports.done_hide') : t('chat.reports.done_dismiss'));
          render(list.filter((x) => x !== r));
          focusElement(document.getElementById(id));
        } catch (err) {
          const { title, detail } = errorMessage(err);
          showErrors(form, { title, detail });
        }
      });
      return h('li', { class: 'report-row', 'data-report': r.id },
        h('p', { class: 'report-meta' }, t('chat.reports.meta', {
          who: reporter.name || reporter.display_name || t('chat.someone'),
          when: formatDateTime(r.created_at || r.at, getLang()),
          room: roomId ? roomName(roomId) : '',
        })),
        h('p', null, h('strong', null, `${t('chat.reports.reason')}: `), r.reason || ''),
        h('p', { class: 'report-message' }, h('strong', null, `${t('chat.reports.message', { name: sender.name || sender.display_name || t('chat.someone') })}: `), text || t('chat.reports.message_gone')),
        roomId && seq !== null ? h('p', { class: 'link-row' }, h('a', { href: `${base}?huone=${enc(roomId)}#msg-${enc(seq)}` }, t('chat.reports.open'))) : null,
        form);
    })));
  };
  try {
    render(reportsOf(await get(`/api/v1/chat/courses/${enc(course.id)}/reports?open=true`)));
  } catch (err) {
    fill(body, h('p', null, errorMessage(err).title));
  }
  return section;
}

/**
 * The "Keskustelut" section of the guide's course page: a link to the course chat and the unread
 * messages per room. It never breaks the course page (without a chat server it is just the link).
 */
export async function guideChatSection(courseId) {
  const id = 'course-chat-title';
  let rooms = [];
  try {
    rooms = (await loadRooms()).filter((r) => String(r.course_id) === String(courseId));
  } catch {
    rooms = [];
  }
  const unread = rooms.reduce((n, r) => n + (Number(r.unread) || 0), 0);
  return h('section', { class: 'section', 'aria-labelledby': id, id: 'course-chat' },
    h('h2', { id }, t('chat.guide_title')),
    rooms.length ? h('p', { id: 'course-chat-unread' }, unread ? t('chat.unread_total', { n: unread }) : t('chat.unread_total_none')) : null,
    h('p', { class: 'link-row' }, h('a', { href: `/ohjaus/kurssi/${enc(courseId)}/keskustelu`, id: 'course-chat-link', class: 'big-link' }, t('chat.guide_open'))));
}

/**
 * "Uudet viestit" on the guide's course list: the courses with unread chat messages, each linking
 * to its conversations. Nothing when the chat cannot be reached (the list still works).
 */
export async function guideUnreadSection() {
  let rooms;
  try {
    rooms = await loadRooms();
  } catch {
    return null;
  }
  const byCourse = new Map();
  for (const r of rooms) {
    const c = byCourse.get(r.course_id) || { id: r.course_id, name: r.course_name || '', unread: 0 };
    c.unread += Number(r.unread) || 0;
    byCourse.set(r.course_id, c);
  }
  const withNew = [...byCourse.values()].filter((c) => c.unread > 0);
  const id = 'guide-unread-title';
  return h('section', { class: 'section card', 'aria-labelledby': id, id: 'guide-unread' },
    h('h2', { id }, t('chat.guide_unread_title')),
    withNew.length
      ? h('ul', { class: 'link-list' }, withNew.map((c) => h('li', null,
        h('a', { href: `/ohjaus/kurssi/${enc(c.id)}/keskustelu`, class: 'list-link' }, `${c.name}: ${unreadText(c.unread)}`))))
      : h('p', null, t('chat.unread_total_none')));
}
