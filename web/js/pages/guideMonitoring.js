// The guide's monitoring view on the course page (issue 6 §3): every participant as a row with
// last activity, this week's active days, the program and the guidance minutes against their
// pace lines, task adherence, interim contacts, unread private messages and open alerts (the
// alerts themselves, with acknowledging, are the section below it: guideAlerts.js). Text first: each
// status is a word ("tahdissa", "jäljessä"), the colour of its marker only repeats it (A4).
// Sortable by every column; the CSV button exports the same words (A24).

import { h } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { get } from '../api.js';
import { errorPanel, sortableTable, durationText } from '../ui.js';
import { formatDate } from '../format.js';
import { lastSeenText, participantPath } from './guideParticipant.js';

/** A status word with a marker whose colour repeats the word. */
export function stateWord(ok, okText, behindText) {
  return h('span', { class: `state-word ${ok ? 'state-ok' : 'state-behind'}` },
    h('span', { class: 'state-mark', 'aria-hidden': 'true' }, ok ? '●' : '▲'), ' ', ok ? okText : behindText);
}

function programText(p) {
  return t('monitor.program_done', { done: p.completed_modules, total: p.total_modules });
}

function programState(p) {
  return p.on_pace ? t('monitor.on_pace') : t('monitor.program_behind', { expected: p.expected_modules });
}

function guidanceText(g) {
  return t('monitor.guidance_done', { done: durationText(g.remote_minutes), needed: durationText(g.required_minutes) });
}

function guidanceState(g) {
  return g.pace.on_pace ? t('monitor.on_pace') : t('monitor.guidance_behind', { expected: durationText(g.pace.expected_minutes) });
}

function tasksText(a) {
  if (!a || !a.planned) return a && a.active_tasks ? t('monitor.tasks_none_due') : t('monitor.tasks_none');
  return t('monitor.tasks_done', { done: a.done, planned: a.planned, percent: Math.round(Number(a.ratio || 0) * 100) });
}

/** "ohjelma jäljessä; viesti vastaamatta (kuitattu)", or "ei hälytyksiä". */
function alertsText(r, limit) {
  const list = r.open_alerts || [];
  if (!list.length) return t('monitor.no_alerts');
  return list.map((a) => t(`monitor.alert.${a.kind}`, { days: limit })
    + (a.acknowledged ? ` (${t('monitor.alert_acknowledged')})` : '')).join('; ');
}

function contactsText(r) {
  const c = r.contacts;
  const parts = [t('monitor.interim', { done: c.interim_done, required: c.interim_required, open: c.interim_open })];
  if (r.open_contacts.overdue) parts.push(t('monitor.overdue', { n: r.open_contacts.overdue }));
  if (r.open_contacts.next_at) parts.push(t('monitor.next', { date: formatDate(r.open_contacts.next_at, getLang()) }));
  return parts.join(', ');
}

const NEVER = Number.MAX_SAFE_INTEGER;

function columns({ courseId, basePath, limit }) {
  return [
    { key: 'name', label: t('person.name'), value: (r) => r.participant.display_name,
      sort: (r) => r.participant.display_name.toLocaleLowerCase(),
      cell: (r) => h('a', { href: participantPath(basePath, courseId, r.participant.id), class: 'participant-link' }, r.participant.display_name) },
    { key: 'active', label: t('monitor.col_last_active'), value: (r) => lastSeenText(r.last_active_at),
      sort: (r) => (r.inactive_days === null ? NEVER : r.inactive_days) },
    { key: 'days', label: t('monitor.col_days'), value: (r) => r.active_days_this_week },
    { key: 'program', label: t('monitor.col_program'), value: (r) => `${programText(r.program)} – ${programState(r.program)}`,
      sort: (r) => r.program.completed_modules - r.program.expected_modules,
      cell: (r) => [programText(r.program), h('br'), stateWord(r.program.on_pace, t('monitor.on_pace'), programState(r.program))] },
    { key: 'tasks', label: t('monitor.col_tasks'), value: (r) => tasksText(r.tasks),
      sort: (r) => (r.tasks.ratio === null ? -1 : r.tasks.ratio) },
    { key: 'guidance', label: t('monitor.col_guidance'), value: (r) => `${guidanceText(r.guidance)} – ${guidanceState(r.guidance)}`,
      sort: (r) => r.guidance.remote_minutes - r.guidance.pace.expected_minutes,
      cell: (r) => [guidanceText(r.guidance), h('br'), stateWord(r.guidance.pace.on_pace, t('monitor.on_pace'), guidanceState(r.guidance))] },
    { key: 'contacts', label: t('monitor.col_contacts'), value: contactsText,
      sort: (r) => r.contacts.interim_done * 10 + r.contacts.interim_open - r.open_contacts.overdue * 100 },
    { key: 'unread', label: t('monitor.col_unread'), value: (r) => r.unread_private },
    { key: 'alerts', label: t('monitor.col_alerts'), value: (r) => alertsText(r, limit),
      sort: (r) => (r.open_alerts || []).filter((a) => !a.acknowledged).length * 100 + (r.open_alerts || []).length,
      cell: (r) => ((r.open_alerts || []).length
        ? h('a', { href: '#halytykset' }, alertsText(r, limit))
        : alertsText(r, limit)) },
  ];
}

/** The pace rules in words (from the server, so they match what is counted). */
function rulesText(rules) {
  const lang = getLang();
  return h('details', { class: 'rules-details' },
    h('summary', null, t('monitor.rules_title')),
    h('ul', null, (rules || []).map((r) => h('li', null, (r.text && (r.text[lang] || r.text.fi)) || ''))));
}

/**
 * The section for the course page (guide and provider admin): loads GET /courses/{id}/monitoring
 * and shows its own error, so the rest of the page works without it.
 */
export async function loadMonitoringSection({ courseId, basePath }) {
  let content;
  try {
    const view = await get(`/api/v1/courses/${encodeURIComponent(courseId)}/monitoring`);
    const rows = Array.isArray(view.participants) ? view.participants : [];
    content = [
      rulesText(view.rules),
      sortableTable({
        caption: t('monitor.caption'),
        filename: 'seuranta',
        emptyText: t('staffp.course_progress_empty'),
        columns: columns({ courseId, basePath, limit: view.inactive_days_limit }),
        rows,
      }),
    ];
  } catch (err) {
    content = errorPanel(err);
  }
  return h('section', { class: 'section', id: 'monitoring-section', 'aria-labelledby': 'monitoring-title' },
    h('h2', { id: 'monitoring-title' }, t('monitor.title')),
    h('p', null, t('monitor.intro')),
    content);
}
