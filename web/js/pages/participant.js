// The participant's pages: "Tämä viikko" (/tanaan) and "Ryhmä" (/ryhma, also /kurssini): the course's
// information with links to the group discussion and the messages with the team (pages/chat.js).
// The home is one call (GET /me/home) plus the course (for the phase sentences), the program
// overview (for "Jatka siitä mihin jäit") and the notifications. Sentences are short and plain
// (A13). The next contact and the guidance time come with the home (pages/meetings.js has the rest).

import { h, add, fill, focusElement } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { get, post, currentUser, ApiError } from '../api.js';
import { loading, errorPanel, notice, phaseLabel, weekLabel, professionLabel, schedulePeriods, rangeText } from '../ui.js';
import { statusBox, showStatus, errorMessage } from '../forms.js';
import { formatDate, formatDateTime, todayInHelsinki, mondayOf, addDays } from '../format.js';
import { pick } from '../content.js';
import { logButtons, minutesText, noticeText, noticeHref, markNoticeRead, itemAnchor } from '../journey.js';
import { moduleLabel, continueLink } from './program.js';
import { chatLinksCard } from './chat.js';
import { contactTitle, joinPart, guidanceLine } from './meetings.js';
import { loadUnread } from '../chat/room.js';

function start(ctx, title) {
  ctx.setTitle(title);
  const slot = h('div', null, loading());
  add(ctx.main, h('h1', { tabindex: '-1' }, title), slot);
  return slot;
}

/** Loads the participant's course; null when not enrolled (404 no_course). */
async function loadMyCourse() {
  try {
    return await get('/api/v1/me/course');
  } catch (err) {
    if (err instanceof ApiError && (err.code === 'no_course' || err.status === 404)) return null;
    throw err;
  }
}

function firstName(displayName) {
  return String(displayName || '').trim().split(/\s+/)[0] || '';
}

function noCourse() {
  return notice('info', h('p', null, t('participant.no_course')), h('p', null, t('participant.no_course_next')));
}

function guideText(guide) {
  if (!guide) return t('participant.no_guide');
  const profession = professionLabel(guide.profession);
  return profession ? `${guide.display_name}, ${profession}` : guide.display_name;
}

/** The dates of "this week": the remote week when in the remote period, else Monday–Sunday now. */
function thisWeek(course) {
  const s = course.schedule || {};
  if (course.phase === 'remote' && course.remote_week && s.remote_start) {
    const startDay = addDays(s.remote_start, (course.remote_week - 1) * 7);
    return [startDay, addDays(startDay, 6)];
  }
  const monday = mondayOf(todayInHelsinki());
  return [monday, addDays(monday, 6)];
}

function phaseSentences(course) {
  const lang = getLang();
  const s = course.schedule || {};
  const site = course.site ? course.site.name : '';
  switch (course.phase) {
    case 'not_started':
      return [t('participant.phase_not_started', { date: formatDate(s.onsite1_start, lang) })];
    case 'onsite1':
      return [t('participant.phase_onsite1'), t('participant.phase_onsite_where', { range: rangeText(s.onsite1_start, s.onsite1_end), site })];
    case 'remote':
      return [t('participant.phase_remote'), t('participant.phase_remote_ends', { date: formatDate(s.remote_end, lang) })];
    case 'onsite2':
      return [t('participant.phase_onsite2'), t('participant.phase_onsite_where', { range: rangeText(s.onsite2_start, s.onsite2_end), site })];
    case 'follow_up':
      return [t('participant.phase_follow_up'), t('participant.phase_follow_up_ends', { date: formatDate(s.follow_up_end, lang) })];
    case 'completed':
      return [t('participant.phase_completed')];
    default:
      return [phaseLabel(course)];
  }
}

/** The participant's program overview, or null when the course has none yet (404 no_program). */
async function loadMyProgramOverview() {
  try {
    return await get('/api/v1/me/program');
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** A title that may be a Localized value ([[lang, text], …]) or plain text, as a node. */
function titleNode(title, fallback = '') {
  if (typeof title === 'string') return h('span', null, title || fallback);
  const { text, lang } = pick(title);
  return h('span', { lang }, text.trim() || fallback);
}

/** "Tämän viikon moduuli": the module as a link, how much of it is done and what is left. */
function moduleSection(home, overview) {
  const id = 'module-title';
  const wrap = (...children) => h('section', { class: 'section card', 'aria-labelledby': id, id: 'this-week-module' },
    h('h2', { id }, t('today.module_title')), ...children);
  if (!overview) return wrap(h('p', null, t('program.none')), h('p', null, t('program.none_next')));
  const m = home.module;
  if (!m) {
    return wrap(h('p', null, t('today.module_none')), continueLink(overview),
      h('p', { class: 'link-row' }, h('a', { href: '/ohjelma', id: 'program-link' }, t('today.program_link'))));
  }
  const summary = overview.modules.find((x) => x.number === m.number) || { number: m.number, title: m.title };
  const unfinished = Array.isArray(m.unfinished) ? m.unfinished : [];
  return wrap(
    h('p', { class: 'link-row' }, h('a', { href: `/ohjelma/${m.number}`, class: 'big-link', id: 'this-week-link' }, moduleLabel(summary))),
    h('p', { id: 'module-done' }, t('today.module_done', { done: m.done, required: m.required })),
    unfinished.length
      ? [h('p', null, t('today.unfinished_intro')),
        h('ul', { class: 'link-list', id: 'unfinished-list' }, unfinished.map((item) => h('li', null,
          h('a', { href: `/ohjelma/${m.number}#${itemAnchor(item.item_id)}`, class: 'list-link' }, titleNode(item.title, t('today.item_untitled'))))))]
      : h('p', { class: 'notice notice-success' }, t('today.module_all_done')),
    continueLink(overview, { except: summary }),
    h('p', { class: 'link-row' }, h('a', { href: '/ohjelma', id: 'program-link' }, t('today.program_link'))));
}

/** "Tehtävät tänään": today's self-rehabilitation tasks with one-click logging. */
function tasksSection(home) {
  const id = 'tasks-title';
  const tasks = Array.isArray(home.tasks_today) ? home.tasks_today : [];
  return h('section', { class: 'section card', 'aria-labelledby': id, id: 'tasks-today' },
    h('h2', { id }, t('today.tasks_today')),
    tasks.length
      ? h('ul', { class: 'task-list' }, tasks.map((task) => {
        const titleId = `today-task-${task.id}`;
        return h('li', { class: 'task-row', 'data-task': task.id },
          h('p', { class: 'task-name', id: titleId }, task.title,
            task.minutes ? h('span', { class: 'task-minutes' }, ` (${minutesText(task.minutes)})`) : null),
          logButtons(task, { titleId }));
      }))
      : h('p', null, t('today.no_tasks')),
    h('p', { class: 'link-row' }, h('a', { href: '/omakuntoutus', id: 'selfrehab-link' }, t('today.selfrehab_link'))));
}

/** New notifications, each worded by its kind, with a link and "Merkitse luetuksi". */
function noticesSection(list) {
  const id = 'notices-title';
  const status = statusBox();
  const items = (list && Array.isArray(list.items) ? list.items : []).filter((n) => !n.read_at);
  const body = h('div', null);
  const render = () => {
    const unread = items.filter((n) => !n.read_at);
    if (!unread.length) {
      fill(body, h('p', { id: 'no-notices' }, t('today.no_notices')));
      return;
    }
    const all = h('button', { type: 'button', class: 'button button-secondary', id: 'notices-read-all' }, t('today.notices_read_all'));
    all.addEventListener('click', async () => {
      try {
        await post('/api/v1/me/notifications/read-all');
        for (const n of items) n.read_at = new Date().toISOString();
        render();
        showStatus(status, t('today.notices_all_read'));
      } catch (err) {
        showStatus(status, errorMessage(err).title, { kind: 'error' });
      }
    });
    fill(body,
      h('ul', { class: 'notice-list', id: 'notice-list' }, unread.map((n) => {
        const textId = `notice-${n.id}`;
        const read = h('button', { type: 'button', class: 'button button-secondary', 'aria-describedby': textId, 'data-action': 'notice-read' }, t('today.notice_read'));
        read.addEventListener('click', async () => {
          if (await markNoticeRead(n.id)) {
            n.read_at = new Date().toISOString();
            render();
            showStatus(status, t('today.notice_marked'));
            focusElement(document.getElementById(id));
          }
        });
        const link = h('a', { href: noticeHref(n.link), class: 'list-link notice-link' }, t('today.notice_open'));
        // Opening the notice also marks it read.
        link.addEventListener('click', () => { markNoticeRead(n.id); });
        return h('li', { class: 'notice-row', 'data-kind': n.kind },
          h('p', { id: textId }, noticeText(n), ' ', h('span', { class: 'muted' }, formatDateTime(n.created_at, getLang()))),
          h('div', { class: 'button-row' }, link, read));
      })),
      unread.length > 1 ? h('p', { class: 'actions' }, all) : null);
  };
  render();
  return h('section', { class: 'section card', 'aria-labelledby': id, id: 'notices' },
    h('h2', { id, tabindex: '-1' }, t('today.notices_title')), status, body);
}

/**
 * "Seuraava tapaaminen": the next contact with the team with the way to join it, and the guidance
 * time so far ("Ohjausta 2 h 15 min / 4 h"); the whole list is on /ryhma/tapaamiset.
 */
function contactSection(home) {
  const id = 'contact-title';
  const next = home.next_contact;
  return h('section', { class: 'section card', 'aria-labelledby': id, id: 'next-contact' },
    h('h2', { id }, t('today.contact_title')),
    next
      ? [h('p', { class: 'lead', id: 'next-contact-when' }, contactTitle(next)),
        h('p', null, t('meetings.with'), ': ', next.professional.display_name, ', ', t(`meetings.method.${next.method}`).toLowerCase()),
        joinPart(next)]
      : h('p', null, t('meetings.next_none')),
    home.guidance ? h('p', { id: 'home-guidance-line' }, guidanceLine(home.guidance)) : null,
    h('p', null, h('a', { href: '/ryhma/tapaamiset', class: 'list-link', id: 'home-meetings-link' }, t('meetings.link'))));
}

/**
 * "Viestit": unread chat messages (GET /chat/unread, or the home's own count when it has one) and
 * links to the group discussion and the messages with the team.
 */
function messagesSection(home, unread) {
  const id = 'messages-title';
  const fromHome = home && typeof home.unread_messages === 'number' ? home.unread_messages : null;
  const total = fromHome !== null ? fromHome : (unread ? unread.total : null);
  let line = null;
  if (total !== null) {
    line = h('p', { id: 'messages-unread', class: total ? 'lead' : null, 'data-unread': total },
      total ? t('chat.unread_total', { n: total }) : t('chat.unread_total_none'));
  }
  return h('section', { class: 'section card', 'aria-labelledby': id, id: 'messages' },
    h('h2', { id }, t('today.messages_title')),
    line,
    h('ul', { class: 'link-list chat-links' },
      h('li', null, h('a', { href: '/ryhma/keskustelu', class: 'list-link', id: 'home-group-chat-link' }, t('chat.group_title'))),
      h('li', null, h('a', { href: '/ryhma/viestit', class: 'list-link', id: 'home-private-chat-link' }, t('chat.private_title')))));
}

export async function todayPage(ctx) {
  const slot = start(ctx, t('today.title'));
  const me = currentUser();
  let mine;
  let home = null;
  let overview = null;
  let notices = null;
  let unread = null;
  try {
    mine = await loadMyCourse();
    if (mine) {
      [home, overview, notices, unread] = await Promise.all([
        get('/api/v1/me/home'),
        loadMyProgramOverview(),
        get('/api/v1/me/notifications').catch(() => null),
        // The chat's unread count; the home works without it.
        loadUnread().catch(() => null),
      ]);
    }
  } catch (err) {
    if (ctx.alive()) fill(slot, errorPanel(err));
    return;
  }
  if (!ctx.alive()) return;
  const greeting = h('p', { class: 'lead greeting' }, t('today.greeting', { name: firstName(me.display_name) }));
  if (!mine) {
    fill(slot, greeting, noCourse());
    return;
  }
  const { course } = mine;
  const [weekStart, weekEnd] = home.week && home.week.start ? [home.week.start, home.week.end] : thisWeek(course);
  const phase = phaseSentences(course);
  const remoteWeek = home.remote_week || (course.phase === 'remote' ? course.remote_week : null);
  const p = home.progress || {};

  fill(slot,
    greeting,
    h('section', { class: 'section card card-primary', 'aria-labelledby': 'now-title' },
      h('h2', { id: 'now-title' }, t('today.now_title')),
      remoteWeek ? h('p', { class: 'week-badge', id: 'remote-week' }, weekLabel(remoteWeek)) : null,
      phase.map((line) => h('p', null, line)),
      h('p', null, t('today.week_dates', { range: rangeText(weekStart, weekEnd) })),
      overview && p.total_modules
        ? h('p', { id: 'program-progress', class: 'progress-line' }, t('today.progress_line', { done: p.completed_modules, total: p.total_modules }))
        : null),
    moduleSection(home, overview),
    tasksSection(home),
    noticesSection(notices),
    contactSection(home),
    messagesSection(home, unread),
    h('section', { class: 'section card', 'aria-labelledby': 'guide-title' },
      h('h2', { id: 'guide-title' }, t('participant.personal_guide')),
      h('p', { class: 'person' }, guideText(home.personal_guide || mine.personal_guide)),
      home.personal_guide || mine.personal_guide ? h('p', null, t('participant.guide_role')) : null),
    h('p', null, t('today.help_text'), ' ', h('a', { href: '/apua' }, t('today.help_link'))));
}

export async function myCoursePage(ctx) {
  const slot = start(ctx, t('group.title'));
  let mine;
  try {
    mine = await loadMyCourse();
  } catch (err) {
    if (ctx.alive()) fill(slot, errorPanel(err));
    return;
  }
  if (!ctx.alive()) return;
  if (!mine) {
    fill(slot, noCourse());
    return;
  }
  const { course } = mine;
  const current = { onsite1: 0, remote: 1, onsite2: 2, follow_up: 3 }[course.phase];
  const periods = schedulePeriods(course.schedule);
  const team = Array.isArray(mine.team) ? mine.team : [];

  const chatCard = await chatLinksCard();
  if (!ctx.alive()) return;
  fill(slot,
    chatCard,
    h('p', null, h('a', { href: '/ryhma/tapaamiset', class: 'big-link', id: 'meetings-link' }, t('meetings.link'))),
    h('h2', { id: 'course-info-title' }, t('group.course_title')),
    h('p', { class: 'lead', lang: course.language || null }, course.title),
    h('dl', { class: 'facts' },
      h('dt', null, t('course.site')), h('dd', null, course.site ? course.site.name : '–'),
      h('dt', null, t('course.language')), h('dd', null, t(`language.${course.language}`)),
      h('dt', null, t('mycourse.now')), h('dd', null, phaseLabel(course))),
    h('section', { class: 'section', 'aria-labelledby': 'periods-title' },
      h('h2', { id: 'periods-title' }, t('mycourse.periods_title')),
      h('ol', { class: 'periods' }, periods.map((p, i) => h('li', { class: i === current ? 'period period-current' : 'period' },
        h('p', { class: 'period-name' }, p.label, i === current ? [' ', h('span', { class: 'tag' }, t('mycourse.current'))] : null),
        h('p', null, rangeText(p.start, p.end)),
        i === 1 ? h('p', { class: 'muted' }, t('mycourse.remote_length')) : null)))),
    h('section', { class: 'section', 'aria-labelledby': 'my-guide-title' },
      h('h2', { id: 'my-guide-title' }, t('participant.personal_guide')),
      h('p', { class: 'person' }, guideText(mine.personal_guide))),
    h('section', { class: 'section', 'aria-labelledby': 'team-title' },
      h('h2', { id: 'team-title' }, t('mycourse.team_title')),
      h('p', null, t('mycourse.team_intro')),
      team.length
        ? h('ul', { class: 'text-list people' }, team.map((m) => h('li', null,
          h('span', { class: 'person-name' }, m.display_name),
          m.profession ? `, ${professionLabel(m.profession)}` : '')))
        : h('p', null, t('mycourse.team_empty'))));
}
