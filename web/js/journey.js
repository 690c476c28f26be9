// Shared parts of the participant's journey (issue 4): words for tasks, logs, goals and
// notifications, one-click logging of today's tasks, and a bar chart that is a table first (A17).
// Sentences are short and plain (A13).

import { h, uid } from './dom.js';
import { t, getLang } from './i18n.js';
import { put, post } from './api.js';
import { errorMessage } from './forms.js';
import { formatDate, todayInHelsinki } from './format.js';

export const DAY_ORDER = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The fragment id of a content item on its module page ("item-cm-137"); links use it. */
export function itemAnchor(itemId) {
  return `item-${String(itemId).replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export function minutesText(n) {
  return n === 1 ? t('journey.minutes_one') : t('journey.minutes', { n });
}

/** "Joka päivä", "Päivät: ma, to" or "3 kertaa viikossa". */
export function howOftenText(task) {
  const days = Array.isArray(task.days) ? DAY_ORDER.filter((d) => task.days.includes(d)) : null;
  if (days && days.length === 7) return t('journey.every_day');
  if (days && days.length) return t('journey.on_days', { days: days.map((d) => t(`program.day.${d}`)).join(', ') });
  if (task.times_per_week) return task.times_per_week === 1 ? t('journey.times_one') : t('journey.times', { n: task.times_per_week });
  return '';
}

/** "Tehty 3/4 kertaa" (or "Ei vielä yhtään suunniteltua kertaa"). */
export function doneOfPlanned(done, planned) {
  if (!planned) return t('journey.nothing_planned_yet');
  return t('journey.done_of_planned', { done, planned });
}

/** The week of `adherence.weeks` that holds the date (weeks start on Monday). */
export function weekOf(adherence, isoDate) {
  const weeks = adherence && Array.isArray(adherence.weeks) ? adherence.weeks : [];
  return weeks.filter((w) => w.start <= isoDate).sort((a, b) => (a.start < b.start ? 1 : -1))[0] || null;
}

// ---- GAS levels ------------------------------------------------------------------------------------

export const LEVELS = ['-2', '-1', '0', '1', '2'];

/** "−2", "+1", "0": a real minus sign, a plus for the positive levels. */
export function levelNumber(level) {
  const n = Number(level);
  if (n > 0) return `+${n}`;
  if (n < 0) return `−${Math.abs(n)}`;
  return '0';
}

/** "paljon odotettua huonompi" … "paljon odotettua parempi". */
export function levelMeaning(level) {
  return t(`goals.level.${{ '-2': 'm2', '-1': 'm1', 0: 'z0', 1: 'p1', 2: 'p2' }[String(Number(level))]}`);
}

// ---- notifications -----------------------------------------------------------------------------------

const NOTICE_KEYS = {
  answer_comment: 'notice.answer_comment',
  task_feedback: 'notice.task_feedback',
  task_proposed: 'notice.task_proposed',
  chat_message: 'notice.chat_message',
  chat_report: 'notice.chat_report',
};

/** The sentence for a notification, worded by its kind from its params. */
export function noticeText(n) {
  const params = n.params && typeof n.params === 'object' ? n.params : {};
  if (n.kind === 'answer_comment' && params.module) return t('notice.answer_comment_module', { module: params.module });
  return t(NOTICE_KEYS[n.kind] || 'notice.other');
}

/** A path inside the app from a notification's link; anything else becomes the home page. */
export function noticeHref(link) {
  return typeof link === 'string' && /^\/[a-z0-9]/i.test(link) && !link.startsWith('//') ? link : '/tanaan';
}

// ---- logging today's tasks -----------------------------------------------------------------------

function logStateText(log) {
  if (!log) return t('tasks.not_logged');
  return log.done ? t('tasks.logged_done') : t('tasks.logged_skipped');
}

/**
 * "Tein tämän" / "En tänään" for one task and one day, with the state as text in a status line
 * (role=status, it stays). `titleId` names the task for screen readers. onLogged(log) after a save.
 */
export function logButtons(task, { titleId, date = todayInHelsinki(), onLogged = null, log = task.today_log } = {}) {
  const state = h('p', { class: 'log-state', role: 'status' });
  const error = h('p', { class: 'field-error', hidden: true });
  const describedBy = titleId || null;
  const done = h('button', { type: 'button', class: 'button button-primary log-done', 'data-action': 'log-done', 'aria-describedby': describedBy }, t('tasks.did_it'));
  const skip = h('button', { type: 'button', class: 'button button-secondary log-skip', 'data-action': 'log-skip', 'aria-describedby': describedBy }, t('tasks.not_today'));
  let current = log || null;
  const show = () => {
    state.textContent = logStateText(current);
    done.setAttribute('aria-pressed', String(Boolean(current && current.done)));
    skip.setAttribute('aria-pressed', String(Boolean(current && !current.done)));
  };
  const send = async (value) => {
    if (done.getAttribute('aria-busy') === 'true') return;
    done.setAttribute('aria-busy', 'true');
    error.hidden = true;
    try {
      const body = { done: value };
      if (current && current.note) body.note = current.note;
      if (current && current.rating) body.rating = current.rating;
      current = await put(`/api/v1/me/tasks/${encodeURIComponent(task.id)}/logs/${date}`, body);
      show();
      if (onLogged) onLogged(current);
    } catch (err) {
      error.textContent = errorMessage(err).title;
      error.hidden = false;
    } finally {
      done.removeAttribute('aria-busy');
    }
  };
  done.addEventListener('click', () => send(true));
  skip.addEventListener('click', () => send(false));
  show();
  return h('div', { class: 'log-buttons', 'data-task': task.id },
    h('div', { class: 'button-row' }, done, skip), state, error);
}

// ---- a bar chart that is a table (A17) --------------------------------------------------------------

const SVG = 'http://www.w3.org/2000/svg';

function bar(value, max) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'bar');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const track = document.createElementNS(SVG, 'rect');
  track.setAttribute('class', 'bar-track');
  track.setAttribute('width', '100%');
  track.setAttribute('height', '100%');
  const fillRect = document.createElementNS(SVG, 'rect');
  fillRect.setAttribute('class', 'bar-fill');
  const ratio = max > 0 ? Math.max(0, Math.min(1, value / max)) : 0;
  fillRect.setAttribute('width', `${Math.round(ratio * 1000) / 10}%`);
  fillRect.setAttribute('height', '100%');
  svg.append(track, fillRect);
  return svg;
}

/**
 * A small table whose value column also draws a bar: the numbers are text, the bars only repeat
 * them (never colour alone). rows: [{label, value, max, text}]; `text` is what the cell says.
 */
export function barTable({ caption, head, valueHead, rows, id = uid('chart') }) {
  return h('div', { class: 'table-wrap chart-wrap', role: 'region', tabindex: '0', 'aria-labelledby': `${id}-caption` },
    h('table', { class: 'data-table chart-table', id },
      h('caption', { id: `${id}-caption` }, caption),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, head), h('th', { scope: 'col' }, valueHead))),
      h('tbody', null, rows.map((r) => h('tr', null,
        h('th', { scope: 'row' }, r.label),
        h('td', null, h('span', { class: 'bar-cell' }, bar(r.value, r.max), h('span', { class: 'bar-text' }, r.text))))))));
}

/** "ma 16.3." style short date for tables. */
export function shortDate(iso) {
  const full = formatDate(iso, getLang());
  return full.replace(/\d{4}$/, '');
}

/** Marks a notification read; failures are harmless (it stays unread). */
export async function markNoticeRead(id) {
  try {
    await post(`/api/v1/me/notifications/${encodeURIComponent(id)}/read`);
    return true;
  } catch {
    return false;
  }
}

