// The participant's pages: "Tämä viikko" (/tanaan) and "Kurssini" (/kurssini).
// Sentences are short and plain (A13). Parts that come in a later version say so honestly; no
// made-up content is shown.

import { h, add, fill } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { get, currentUser, ApiError } from '../api.js';
import { loading, errorPanel, notice, phaseLabel, weekLabel, professionLabel, schedulePeriods, rangeText } from '../ui.js';
import { formatDate, todayInHelsinki, mondayOf, addDays } from '../format.js';
import { currentModule, moduleLabel, continueLink } from './program.js';

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

function laterSection(id, title, text) {
  return h('section', { class: 'section card', 'aria-labelledby': id },
    h('h2', { id }, title),
    h('p', null, text),
    h('p', { class: 'muted' }, t('participant.later')));
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

/** "Tämän viikon moduuli": the current week's module as a link, and where the participant left off. */
function moduleSection(course, overview) {
  const id = 'module-title';
  if (!overview) {
    return h('section', { class: 'section card', 'aria-labelledby': id, id: 'this-week-module' },
      h('h2', { id }, t('today.module_title')),
      h('p', null, t('program.none')),
      h('p', null, t('program.none_next')));
  }
  const current = currentModule(overview, course);
  return h('section', { class: 'section card', 'aria-labelledby': id, id: 'this-week-module' },
    h('h2', { id }, t('today.module_title')),
    current
      ? h('p', { class: 'link-row' }, h('a', { href: `/ohjelma/${current.number}`, class: 'big-link', id: 'this-week-link' }, moduleLabel(current)))
      : h('p', null, t('today.module_none')),
    continueLink(overview, { except: current }),
    h('p', { class: 'link-row' }, h('a', { href: '/ohjelma', id: 'program-link' }, t('today.program_link'))));
}

export async function todayPage(ctx) {
  const slot = start(ctx, t('today.title'));
  const me = currentUser();
  let mine;
  let overview = null;
  try {
    mine = await loadMyCourse();
    if (mine) overview = await loadMyProgramOverview();
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
  const [weekStart, weekEnd] = thisWeek(course);
  const phase = phaseSentences(course);

  fill(slot, 
    greeting,
    h('section', { class: 'section card card-primary', 'aria-labelledby': 'now-title' },
      h('h2', { id: 'now-title' }, t('today.now_title')),
      course.phase === 'remote' && course.remote_week
        ? h('p', { class: 'week-badge', id: 'remote-week' }, weekLabel(course.remote_week)) : null,
      phase.map((line) => h('p', null, line)),
      h('p', null, t('today.week_dates', { range: rangeText(weekStart, weekEnd) }))),
    h('section', { class: 'section card', 'aria-labelledby': 'guide-title' },
      h('h2', { id: 'guide-title' }, t('participant.personal_guide')),
      h('p', { class: 'person' }, guideText(mine.personal_guide)),
      mine.personal_guide ? h('p', null, t('participant.guide_role')) : null),
    moduleSection(course, overview),
    laterSection('tasks-title', t('today.tasks_title'), t('today.tasks_text')),
    laterSection('contact-title', t('today.contact_title'), t('today.contact_text')),
    laterSection('messages-title', t('today.messages_title'), t('today.messages_text')),
    h('p', null, t('today.help_text'), ' ', h('a', { href: '/apua' }, t('today.help_link'))));
}

export async function myCoursePage(ctx) {
  const slot = start(ctx, t('mycourse.title'));
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

  fill(slot, 
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
