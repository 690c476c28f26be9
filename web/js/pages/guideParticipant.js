// Staff views of one participant's rehabilitation (issue 4): the participant page (/ohjaus/kurssi/{id}/osallistuja/{pid}, for provider
// admins /hallinta/kurssi/{id}/osallistuja/{pid}) with progress, exercise answers and comments,
// self-rehabilitation tasks with logs and feedback, goals (GAS) and measures.
//
// Denser than the participant views (A24) but with the same rules: text before charts (A17),
// visible labels, errors next to the field and in a summary (A8), status messages that stay (A22),
// a CSV button on every table. Each section loads on its own, so one failing endpoint does not hide
// the others, and reloads itself after an action with the message in its own status box.

import { h, add, fill, srOnly, uid } from '../dom.js';
import { t, tOr, getLang } from '../i18n.js';
import { get, post, put, ApiError } from '../api.js';
import { loading, errorPanel, dataTable, facts, notice, professionLabel } from '../ui.js';
import {
  textField, textareaField, radioGroup, submitButton, onSubmit, statusBox, showStatus, showErrors,
  errorMessage, apiFieldErrors, enableDraft, clearDraft, requireText,
} from '../forms.js';
import { formatDate, formatDateTime, formatTime, todayInHelsinki, dateFromIso, mondayOf } from '../format.js';
import { pick, pickText, isEmptyLocalized, localizedHtml } from '../content.js';
import { drawGuidance } from './guideGuidance.js';
import { drawTimeline } from './guideTimeline.js';

// ---- small helpers ----------------------------------------------------------------------------------

const SVG_NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    el.setAttribute(key === 'class' ? 'class' : key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** A title that may be a plain string or a Localized value ([[lang, text], …]). */
function titleOf(value) {
  if (typeof value === 'string') return { text: value, lang: null };
  return pick(value);
}

function titleSpan(value, fallback = '') {
  const { text, lang } = titleOf(value);
  return h('span', { lang }, text.trim() || fallback);
}

function titleText(value) {
  return titleOf(value).text.trim();
}

/** "7,5" in fi/sv, "7.5" in en. */
function formatNumber(value, digits = 1) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return '–';
  const locale = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' }[getLang()] || 'fi-FI';
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(Number(value));
}

function percent(ratio) {
  if (ratio === null || ratio === undefined) return null;
  return `${Math.round(Number(ratio) * 100)} %`;
}

/** Whole Helsinki calendar days from the day of `iso` to today. */
export function daysSince(iso, now = new Date()) {
  if (!iso) return null;
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return null;
  const a = dateFromIso(todayInHelsinki(then));
  const b = dateFromIso(todayInHelsinki(now));
  return Math.round((b - a) / 86_400_000);
}

/** "3 päivää sitten (pe 14.10.2025)", "tänään klo 10.00", "ei vielä käynyt". */
export function lastSeenText(iso) {
  const lang = getLang();
  const days = daysSince(iso);
  if (days === null) return t('staffp.never_seen');
  if (days <= 0) return t('staffp.seen_today', { time: formatTime(iso, lang) });
  if (days === 1) return t('staffp.seen_yesterday', { date: formatDate(iso, lang) });
  return t('staffp.seen_days_ago', { n: days, date: formatDate(iso, lang) });
}

/** A section with its own heading, status box and body that can be reloaded. */
function sectionShell(id, title) {
  const headingId = `${id}-title`;
  const status = statusBox();
  const body = h('div', { class: 'staffp-body' }, loading());
  const el = h('section', { class: 'section staffp-section', id, 'aria-labelledby': headingId },
    h('h2', { id: headingId }, title), status, body);
  return { el, status, body };
}

function announce(box, text, kind = 'success') {
  showStatus(box, text, { kind });
  box.setAttribute('tabindex', '-1');
  box.focus();
}

/**
 * Field errors of the server placed on this form's fields: an error for `physical` goes to the
 * field named `scores.physical` when there is no field `physical` (and the other way round).
 */
function placedFieldErrors(form, err) {
  return apiFieldErrors(err).map((fe) => {
    const has = (name) => Boolean(form.querySelector(`[data-field="${CSS.escape(name)}"]`));
    if (has(fe.field)) return fe;
    const last = String(fe.field).split('.').pop();
    if (has(`scores.${last}`)) return { ...fe, field: `scores.${last}` };
    if (has(last)) return { ...fe, field: last };
    return fe;
  });
}

// Refusals of this page's endpoints in the staff member's language; the server's English detail
// is not repeated under them.
const LOCAL_CODES = {
  goal_limit: 'staffp.goal_limit',
  goal_rated: 'staffp.error.goal_rated',
  baseline_missing: 'staffp.error.baseline_missing',
  measure_exists: 'staffp.error.measure_exists',
  measure_start_missing: 'staffp.error.measure_start_missing',
};

function pageErrorMessage(err) {
  if (err instanceof ApiError && LOCAL_CODES[err.code]) return { title: t(LOCAL_CODES[err.code]), detail: null };
  return errorMessage(err);
}

/** Shows an ApiError on a form (title and detail in the summary, field errors next to fields). */
function showApiError(form, err) {
  const { title, detail } = pageErrorMessage(err);
  showErrors(form, { title, detail, fieldErrors: placedFieldErrors(form, err) });
}

/** A number field with its range given to the browser and the user (hint). */
function numberField({ name, label, min, max, hint, optional = false, value, step = '1' }) {
  const f = textField({ name, label, type: 'number', hint, optional, value, inputmode: 'numeric' });
  f.input.setAttribute('min', String(min));
  f.input.setAttribute('max', String(max));
  f.input.setAttribute('step', step);
  return f;
}

function checkRange(values, field, min, max, message, { optional = false, integer = true } = {}) {
  const raw = String(values[field] ?? '').trim().replace(',', '.');
  if (!raw) return optional ? [] : [{ field, message }];
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) return [{ field, message }];
  return [];
}

function numberValue(raw) {
  return Number(String(raw).trim().replace(',', '.'));
}

/** Loads a list that may come bare or wrapped ({tasks: […]}). */
function listOf(data, key) {
  if (Array.isArray(data)) return data;
  if (data && Array.isArray(data[key])) return data[key];
  return [];
}

export function participantPath(basePath, courseId, participantId) {
  return `${basePath}/kurssi/${encodeURIComponent(courseId)}/osallistuja/${encodeURIComponent(participantId)}`;
}

// ---- the participant page -----------------------------------------------------------------------------

export async function participantPage(ctx) {
  const base = location.pathname.startsWith('/hallinta') ? '/hallinta' : '/ohjaus';
  const courseId = ctx.params.id;
  const pid = ctx.params.pid;
  const cid = encodeURIComponent(courseId);
  const pidq = encodeURIComponent(pid);
  ctx.setTitle(t('staffp.page_title'));
  const heading = h('h1', { tabindex: '-1' }, t('staffp.page_title'));
  const backLink = h('a', { href: `${base}/kurssi/${cid}` }, t('staffp.back_to_course'));
  const slot = h('div', null, loading());
  add(ctx.main, h('p', { class: 'breadcrumb' }, backLink), heading, slot);

  let course;
  let enrolments;
  try {
    [course, enrolments] = await Promise.all([get(`/api/v1/courses/${cid}`), get(`/api/v1/courses/${cid}/participants`)]);
  } catch (err) {
    if (ctx.alive()) fill(slot, errorPanel(err));
    return;
  }
  if (!ctx.alive()) return;
  const enrolment = (enrolments || []).find((e) => e.participant && e.participant.id === pid);
  if (!enrolment) {
    fill(slot, notice('error', h('p', { class: 'notice-title' }, t('staffp.not_on_course'))));
    return;
  }
  const person = enrolment.participant;
  heading.textContent = person.display_name;
  ctx.setTitle(`${person.display_name} – ${course.title}`);
  fill(backLink, t('staffp.back_to_course'), ': ', h('span', { lang: course.language && course.language !== getLang() ? course.language : null }, course.title));

  const sections = {
    progress: sectionShell('edistyminen', t('staffp.progress_title')),
    timeline: sectionShell('aikajana', t('timeline.title')),
    answers: sectionShell('vastaukset', t('staffp.answers_title')),
    tasks: sectionShell('omakuntoutus', t('staffp.tasks_title')),
    goals: sectionShell('tavoitteet', t('staffp.goals_title')),
    measures: sectionShell('mittaukset', t('staffp.measures_title')),
    guidance: sectionShell('ohjaus', t('gguid.title')),
  };
  const toc = h('nav', { class: 'toc', 'aria-labelledby': 'staffp-toc-title' },
    h('h2', { id: 'staffp-toc-title' }, t('staffp.toc_title')),
    h('ul', { class: 'toc-list' }, Object.values(sections).map((s) => h('li', null,
      h('a', { href: `#${s.el.id}` }, s.el.querySelector('h2').textContent)))));
  fill(slot,
    facts([
      [t('staffp.course'), h('span', { lang: course.language && course.language !== getLang() ? course.language : null }, course.title)],
      [t('enrolment.personal_guide'), enrolment.personal_guide ? enrolment.personal_guide.display_name : t('enrolment.no_guide')],
      person.email ? [t('person.email'), person.email] : null,
    ]),
    toc,
    Object.values(sections).map((s) => s.el));

  const env = { ctx, cid, pidq, base, person, sections };
  const loaders = {
    progress: () => drawProgress(env),
    timeline: () => guarded(env, 'timeline', () => drawTimeline(env)),
    answers: () => drawAnswers(env),
    tasks: () => drawTasks(env),
    goals: () => drawGoals(env),
    measures: () => drawMeasures(env),
    guidance: () => guarded(env, 'guidance', () => drawGuidance(env)),
  };
  env.reload = async (name, message, kind = 'success') => {
    await loaders[name]();
    if (!ctx.alive()) return;
    if (message) announce(sections[name].status, message, kind);
  };
  await Promise.all(Object.values(loaders).map((fn) => fn()));
}

/** Runs a section's loader; a failure shows in that section only. */
async function guarded(env, name, fn) {
  const { body, status } = env.sections[name];
  try {
    const content = await fn();
    if (!env.ctx.alive()) return;
    showStatus(status, null);
    fill(body, content);
  } catch (err) {
    if (!env.ctx.alive()) return;
    if (err instanceof ApiError && err.status === 404 && !err.code) {
      fill(body, notice('info', h('p', null, t('staffp.not_available'))));
      return;
    }
    fill(body, errorPanel(err));
  }
}

// ---- progress ------------------------------------------------------------------------------------------

function ruleText(rule) {
  const text = rule && rule.text;
  if (!text) return '';
  if (typeof text === 'string') return text;
  return text[getLang()] || text.fi || Object.values(text)[0] || '';
}

function moduleState(m) {
  if (m.complete) return t('staffp.module_complete');
  if (!m.open) return t('staffp.module_not_open');
  if ((m.done ?? 0) > 0) return t('staffp.module_started');
  return t('staffp.module_not_started');
}

function drawProgress(env) {
  const { cid, pidq } = env;
  return guarded(env, 'progress', async () => {
    const [summary, rules] = await Promise.all([
      get(`/api/v1/courses/${cid}/participants/${pidq}/progress`),
      get('/api/v1/progress/rules').catch(() => null),
    ]);
    const lang = getLang();
    const weeks = Array.isArray(summary.weeks) ? summary.weeks : [];
    const modules = Array.isArray(summary.modules) ? summary.modules : [];
    const ruleList = Array.isArray(rules) ? rules : (Array.isArray(summary.rules) ? summary.rules : []);
    const totalActive = weeks.reduce((sum, w) => sum + (w.active_days || 0), 0);
    return [
      h('p', { class: 'progress-line', id: 'staffp-progress-line' },
        t('staffp.progress_line', { done: summary.completed_modules ?? 0, total: summary.total_modules ?? 0 })),
      facts([
        [t('staffp.col_modules'), `${summary.completed_modules ?? 0}/${summary.total_modules ?? 0}`],
        [t('staffp.col_items'), `${summary.completed_items ?? 0}/${summary.total_items ?? 0}`],
        [t('staffp.col_active_days'), String(summary.active_days_this_week ?? 0)],
        [t('staffp.col_last_seen'), lastSeenText(summary.last_seen_at)],
      ]),
      h('h3', null, t('staffp.modules_title')),
      dataTable({
        caption: t('staffp.modules_caption'),
        filename: 'moduulit',
        emptyText: t('staffp.modules_empty'),
        columns: [
          { label: t('program.module'), value: (m) => `${t('program.week', { n: m.number })}${titleText(m.title) ? `: ${titleText(m.title)}` : ''}`,
            cell: (m) => [t('program.week', { n: m.number }), titleText(m.title) ? [': ', titleSpan(m.title)] : null] },
          { label: t('program.opens'), value: (m) => formatDate(m.opens_on, lang) },
          { label: t('staffp.col_done_required'), value: (m) => `${m.done ?? 0}/${m.required ?? 0}` },
          { label: t('staffp.col_state'), value: (m) => moduleState(m) },
        ],
        rows: modules,
      }),
      h('h3', null, t('staffp.weeks_title')),
      h('p', null, t('staffp.weeks_text', { days: totalActive, this_week: summary.active_days_this_week ?? 0 })),
      dataTable({
        caption: t('staffp.weeks_caption'),
        filename: 'aktiiviset-paivat',
        emptyText: t('staffp.weeks_empty'),
        columns: [
          { label: t('staffp.col_week'), value: (w) => t('week.of', { n: w.week, total: 12 }) },
          { label: t('staffp.col_week_starts'), value: (w) => formatDate(w.start, lang) },
          { label: t('staffp.col_active_days_week'), value: (w) => w.active_days ?? 0 },
          { label: t('staffp.col_minutes'), value: (w) => w.visible_minutes ?? 0 },
        ],
        rows: weeks,
      }),
      weeks.length ? activityChart(weeks) : null,
      h('div', { class: 'notice notice-info rules-box' },
        h('h3', null, t('staffp.rules_title')),
        ruleList.length
          ? h('ul', { class: 'text-list', id: 'staffp-rules' }, ruleList.map((r) => h('li', null, ruleText(r))))
          : h('p', null, t('staffp.rules_missing'))),
    ];
  });
}

/** Active days per week as bars; the same numbers are in the table above it (A17). */
function activityChart(weeks) {
  const barW = 28;
  const gap = 12;
  const top = 24;
  const chartH = 140;
  const left = 8;
  const width = left + weeks.length * (barW + gap);
  const height = top + chartH + 28;
  const labelId = uid('chart');
  const summary = weeks.map((w) => t('staffp.chart_point', { week: w.week, days: w.active_days ?? 0 })).join(', ');
  const bars = weeks.map((w, i) => {
    const days = Math.max(0, Math.min(7, Number(w.active_days) || 0));
    const barH = Math.round((days / 7) * chartH);
    const x = left + i * (barW + gap);
    return svg('g', null,
      svg('rect', { x, y: top + chartH - barH, width: barW, height: Math.max(barH, 1), class: 'chart-bar' }),
      svg('text', { x: x + barW / 2, y: top + chartH - barH - 6, 'text-anchor': 'middle', class: 'chart-value' }, String(days)),
      svg('text', { x: x + barW / 2, y: top + chartH + 20, 'text-anchor': 'middle', class: 'chart-label' }, String(w.week)));
  });
  return h('figure', { class: 'chart' },
    svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': labelId, class: 'chart-svg', focusable: 'false' },
      svg('title', { id: labelId }, `${t('staffp.chart_title')}: ${summary}`),
      svg('line', { x1: 0, y1: top + chartH + 0.5, x2: width, y2: top + chartH + 0.5, class: 'chart-axis' }),
      bars),
    h('figcaption', null, t('staffp.chart_caption')));
}

// ---- exercise answers ------------------------------------------------------------------------------------

/** Every question of a module by id: exercise questions and lesson question pages. */
function questionsOf(module) {
  const items = new Map();
  const questions = new Map();
  for (const item of (module && Array.isArray(module.items) ? module.items : [])) {
    items.set(item.id, item);
    const list = [];
    if (Array.isArray(item.questions)) list.push(...item.questions);
    if (Array.isArray(item.pages)) for (const p of item.pages) if (p && p.question) list.push(p.question);
    for (const q of list) if (q && q.id) questions.set(`${item.id}\u0000${q.id}`, q);
  }
  return { items, questions };
}

function questionKindOf(q) {
  if (q && q.kind && typeof q.kind === 'object') return q.kind;
  return q || {};
}

/** An answer value in words: the text of a chosen option, "Totta"/"Ei totta", or the text written. */
function answerWords(q, value) {
  const kind = questionKindOf(q);
  const one = (v) => {
    const s = String(v);
    if (kind.type === 'truefalse' && (s === 'true' || s === 'false')) return t(s === 'true' ? 'program.true' : 'program.false');
    if (kind.type === 'multichoice' && Array.isArray(kind.choices) && /^\d+$/.test(s) && kind.choices[Number(s)]) {
      return pickText(kind.choices[Number(s)].text).replace(/<[^>]*>/g, '').trim() || s;
    }
    return s;
  };
  if (Array.isArray(value)) return value.map(one);
  if (value === null || value === undefined || value === '') return [];
  return [one(value)];
}

function commentList(comments) {
  const lang = getLang();
  if (!comments.length) return h('p', { class: 'muted' }, t('staffp.no_comments'));
  return h('ul', { class: 'comment-list' }, comments.map((c) => h('li', { class: 'comment' },
    h('p', { class: 'comment-meta' },
      h('strong', null, c.author ? c.author.display_name : ''),
      c.author && c.author.profession ? `, ${professionLabel(c.author.profession)}` : '',
      ` – ${formatDateTime(c.created_at, lang)}`),
    h('p', { class: 'comment-body' }, c.body))));
}

function drawAnswers(env) {
  const { cid, pidq } = env;
  return guarded(env, 'answers', async () => {
    const answers = listOf(await get(`/api/v1/courses/${cid}/answers?participant=${pidq}`), 'answers');
    if (!answers.length) return h('p', null, t('staffp.no_answers'));
    // The questions come from the program: one request per module that has answers.
    const loaded = new Map();
    const moduleAt = (n) => {
      if (!loaded.has(n)) {
        loaded.set(n, get(`/api/v1/courses/${cid}/program/modules/${n}`).then(questionsOf, () => null));
      }
      return loaded.get(n);
    };
    // module_number counts the modules the participant sees; staff also see hidden modules, so an
    // item may sit a few numbers later for staff. Look there when it is not where expected.
    const questionsFor = async (answer) => {
      const n = answer.module_number;
      if (!Number.isInteger(n)) return questionsOf(null);
      for (let k = n; k <= n + 3; k += 1) {
        const found = await moduleAt(k);
        if (found && found.items.has(answer.item_id)) return found;
        if (!found && k > n) break;
      }
      return (await moduleAt(n)) || questionsOf(null);
    };
    const sorted = [...answers].sort((a, b) => (a.module_number - b.module_number)
      || String(b.submitted_at).localeCompare(String(a.submitted_at)));
    const found = await Promise.all(sorted.map(questionsFor));
    return [
      h('p', null, t('staffp.answers_intro', { n: answers.length })),
      sorted.map((a, i) => answerCard(env, a, found[i])),
    ];
  });
}

function answerCard(env, answer, { items, questions }) {
  const lang = getLang();
  const item = items.get(answer.item_id);
  const headingId = uid('answer');
  const itemTitle = item ? titleSpan(item.title, answer.item_id) : h('span', null, answer.item_id);
  const submitted = answer.submitted && typeof answer.submitted === 'object' ? answer.submitted : {};
  // Questions in the program's order first, then any the program no longer has.
  const ordered = [];
  if (item) {
    const list = [...(item.questions || []), ...((item.pages || []).filter((p) => p && p.question).map((p) => p.question))];
    for (const q of list) if (q && q.id in submitted) ordered.push([q.id, q]);
  }
  for (const qid of Object.keys(submitted)) {
    if (!ordered.some(([id]) => id === qid)) ordered.push([qid, questions.get(`${answer.item_id}\u0000${qid}`) || null]);
  }
  const comments = Array.isArray(answer.comments) ? answer.comments : [];
  return h('article', { class: 'card answer-card', 'aria-labelledby': headingId, 'data-answer': answer.id, 'data-item': answer.item_id },
    h('h3', { id: headingId }, t('program.week', { n: answer.module_number }), ': ', itemTitle),
    h('p', { class: 'muted' }, t('staffp.submitted_at', { when: formatDateTime(answer.submitted_at, lang) })),
    ordered.length ? h('dl', { class: 'answer-list' }, ordered.map(([qid, q], i) => {
      const words = answerWords(q, submitted[qid]);
      return [
        h('dt', { class: 'answer-question' },
          q && !isEmptyLocalized(q.text)
            ? localizedHtml(q.text, { headingLevel: 5, className: 'question-text' })
            : t('staffp.question_n', { n: i + 1 })),
        h('dd', { class: 'answer-text' },
          words.length ? (words.length > 1 ? h('ul', null, words.map((w) => h('li', null, w))) : words[0]) : h('span', { class: 'muted' }, t('staffp.no_answer'))),
      ];
    })) : h('p', null, t('staffp.no_answer')),
    h('h4', null, t('staffp.comments_title', { n: comments.length })),
    commentList(comments),
    commentForm(env, answer));
}

function commentForm(env, answer) {
  const body = textareaField({ name: 'body', label: t('staffp.comment_label'), hint: t('staffp.comment_hint'), rows: 4, maxlength: 5000 });
  const form = h('form', { class: 'form comment-form', 'data-form': 'answer-comment' },
    body.wrap, h('p', { class: 'actions' }, submitButton(t('staffp.comment_send'))));
  const draftKey = `staff-comment.${answer.id}`;
  enableDraft(form, draftKey);
  onSubmit(form, {
    validate: (v) => [
      ...requireText(v, 'body', t('staffp.comment_missing')),
      ...(String(v.body || '').length > 5000 ? [{ field: 'body', message: t('staffp.comment_long') }] : []),
    ],
    submit: async (v) => {
      await post(`/api/v1/courses/${env.cid}/answers/${encodeURIComponent(answer.id)}/comments`, { body: v.body.trim() });
      clearDraft(draftKey);
      await env.reload('answers', t('staffp.comment_sent', { name: env.person.display_name }));
    },
  });
  return form;
}

// ---- self-rehabilitation tasks -------------------------------------------------------------------------

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function dayName(d) {
  return t(`program.day.${d}`);
}

function scheduleText(task) {
  const parts = [];
  const days = Array.isArray(task.days) ? DAYS.filter((d) => task.days.includes(d)) : null;
  if (days && days.length === 7) parts.push(t('program.task_daily'));
  else if (days && days.length) parts.push(t('program.task_days', { days: days.map(dayName).join(', ') }));
  else if (task.times_per_week) parts.push(task.times_per_week === 1 ? t('program.task_times_one') : t('program.task_times', { n: task.times_per_week }));
  if (task.minutes) parts.push(task.minutes === 1 ? t('program.task_minutes_one') : t('program.task_minutes', { n: task.minutes }));
  return parts.join(', ');
}

function agreementText(task) {
  const lang = getLang();
  if (task.agreed) {
    return t('staffp.task_agreed', { name: task.guide_accepted_by ? task.guide_accepted_by.display_name : '–', date: formatDate(task.guide_accepted_at, lang) });
  }
  if (task.participant_accepted_at && !task.guide_accepted_at) return t('staffp.task_waiting_guide');
  if (task.guide_accepted_at && !task.participant_accepted_at) return t('staffp.task_waiting_participant');
  return t('staffp.task_not_accepted');
}

function adherenceTexts(task) {
  const a = task.adherence || {};
  const weeks = Array.isArray(a.weeks) ? a.weeks : [];
  const monday = mondayOf(todayInHelsinki());
  const thisWeek = weeks.find((w) => w.start === monday);
  const lines = [];
  if (thisWeek) lines.push(t('staffp.adherence_week', { done: thisWeek.done ?? 0, planned: thisWeek.planned ?? 0 }));
  else lines.push(t('staffp.adherence_week_none'));
  if ((a.planned ?? 0) > 0) {
    const pct = percent(a.ratio);
    lines.push(pct ? t('staffp.adherence_total_pct', { done: a.done ?? 0, planned: a.planned, pct }) : t('staffp.adherence_total', { done: a.done ?? 0, planned: a.planned }));
  } else lines.push(t('staffp.adherence_nothing_yet'));
  return lines;
}

function ratingText(rating) {
  if (!rating) return t('staffp.no_rating');
  return t('staffp.rating', { n: rating });
}

function drawTasks(env) {
  const { cid, pidq } = env;
  return guarded(env, 'tasks', async () => {
    const data = await get(`/api/v1/courses/${cid}/participants/${pidq}/tasks`);
    const tasks = listOf(data, 'tasks');
    const active = tasks.filter((x) => x.status !== 'ended');
    const ended = tasks.filter((x) => x.status === 'ended');
    return [
      h('p', null, t('staffp.tasks_intro')),
      tasks.length ? null : h('p', null, t('staffp.no_tasks')),
      active.map((task) => taskCard(env, task)),
      ended.length ? [h('h3', null, t('staffp.tasks_ended_title')), ended.map((task) => taskCard(env, task))] : null,
      h('section', { class: 'card task-propose', 'aria-labelledby': 'task-propose-title' },
        h('h3', { id: 'task-propose-title' }, t('staffp.propose_title')),
        h('p', null, t('staffp.propose_intro')),
        proposeForm(env)),
    ];
  });
}

function taskCard(env, task) {
  const lang = getLang();
  const headingId = uid('task');
  const logs = Array.isArray(task.logs) ? task.logs : (task.today_log ? [task.today_log] : []);
  const sortedLogs = [...logs].sort((a, b) => String(b.date).localeCompare(String(a.date)));
  const weeks = task.adherence && Array.isArray(task.adherence.weeks) ? task.adherence.weeks : [];
  const canAccept = task.status !== 'ended' && !task.guide_accepted_at;
  let acceptButton = null;
  if (canAccept) {
    acceptButton = h('button', { type: 'button', class: 'button button-primary', 'data-action': 'accept-task' },
      t('staffp.accept'), srOnly(`: ${task.title}`));
    acceptButton.addEventListener('click', async () => {
      if (acceptButton.getAttribute('aria-busy') === 'true') return;
      acceptButton.setAttribute('aria-busy', 'true');
      try {
        await post(`/api/v1/courses/${env.cid}/participants/${env.pidq}/tasks/${encodeURIComponent(task.id)}/accept`);
        await env.reload('tasks', t('staffp.task_accepted', { title: task.title }));
      } catch (err) {
        const { title, detail } = errorMessage(err);
        announce(env.sections.tasks.status, [title, detail].filter(Boolean), 'error');
      } finally {
        acceptButton.removeAttribute('aria-busy');
      }
    });
  }
  return h('article', { class: `card task-card${task.agreed ? ' task-agreed' : ''}`, 'aria-labelledby': headingId, 'data-task': task.id },
    h('h3', { id: headingId }, task.title),
    task.details ? h('p', { class: 'task-details' }, task.details) : null,
    facts([
      [t('staffp.task_when'), scheduleText(task) || '–'],
      [t('staffp.task_period'), `${formatDate(task.start_date, lang)} – ${formatDate(task.end_date, lang)} (${task.weeks === 1 ? t('program.task_weeks_one') : t('program.task_weeks', { n: task.weeks })})`],
      [t('staffp.task_state'), task.status === 'ended' ? t('staffp.task_ended') : t('staffp.task_active')],
      [t('staffp.task_agreement'), agreementText(task)],
      [t('staffp.task_made_by'), task.created_by === 'guide' ? t('staffp.made_by_guide') : t('staffp.made_by_participant')],
      [t('staffp.task_adherence'), h('span', { class: 'adherence' }, adherenceTexts(task).join('. '))],
    ]),
    acceptButton ? h('p', { class: 'actions' }, acceptButton) : null,
    weeks.length ? h('details', { class: 'disclosure' },
      h('summary', null, t('staffp.adherence_weeks')),
      dataTable({
        caption: t('staffp.adherence_caption', { title: task.title }),
        filename: 'omakuntoutus-viikot',
        columns: [
          { label: t('staffp.col_week_starts'), value: (w) => formatDate(w.start, lang) },
          { label: t('staffp.col_done'), value: (w) => w.done ?? 0 },
          { label: t('staffp.col_planned'), value: (w) => w.planned ?? 0 },
          { label: t('staffp.col_ratio'), value: (w) => percent(w.ratio) || '–' },
        ],
        rows: weeks,
      })) : null,
    historyDisclosure(env, task),
    h('h4', null, t('staffp.logs_title', { n: sortedLogs.length })),
    sortedLogs.length
      ? h('ol', { class: 'log-list' }, sortedLogs.map((log) => logEntry(env, task, log)))
      : h('p', { class: 'muted' }, t('staffp.no_logs')));
}

function changeName(code) {
  return tOr(`staffp.change.${code}`, code);
}

/** The task's earlier versions, loaded when opened (each staff read is audited by the server). */
function historyDisclosure(env, task) {
  const lang = getLang();
  const body = h('div', null, loading());
  const details = h('details', { class: 'disclosure task-history' },
    h('summary', null, t('staffp.history_open')), body);
  let loaded = false;
  details.addEventListener('toggle', async () => {
    if (!details.open || loaded) return;
    loaded = true;
    try {
      const entries = listOf(await get(`/api/v1/courses/${env.cid}/participants/${env.pidq}/tasks/${encodeURIComponent(task.id)}/history`), 'history');
      fill(body, dataTable({
        caption: t('staffp.history_caption', { title: task.title }),
        filename: 'omakuntoutus-muutokset',
        emptyText: t('staffp.history_empty'),
        columns: [
          { label: t('staffp.col_changed_at'), value: (e) => formatDateTime(e.changed_at, lang) },
          { label: t('staffp.col_change'), value: (e) => changeName(e.change) },
          { label: t('staffp.col_changed_by'), value: (e) => (e.changed_by ? e.changed_by.display_name : '–') },
          { label: t('staffp.col_before'), value: (e) => {
            const p = e.previous || {};
            return [p.title, scheduleText(p), p.start_date ? `${formatDate(p.start_date, lang)}, ${p.weeks === 1 ? t('program.task_weeks_one') : t('program.task_weeks', { n: p.weeks })}` : null]
              .filter(Boolean).join('; ');
          } },
        ],
        rows: entries,
      }));
    } catch (err) {
      loaded = false;
      fill(body, errorPanel(err));
    }
  });
  return details;
}

function logEntry(env, task, log) {
  const lang = getLang();
  const feedback = Array.isArray(log.feedback) ? log.feedback : [];
  const body = textareaField({ name: 'body', label: t('staffp.feedback_label'), rows: 3, maxlength: 5000 });
  const form = h('form', { class: 'form feedback-form', 'data-form': 'log-feedback' },
    body.wrap, h('p', { class: 'actions' }, submitButton(t('staffp.feedback_send'), { variant: 'secondary' })));
  const draftKey = `staff-feedback.${log.id}`;
  const restored = enableDraft(form, draftKey);
  onSubmit(form, {
    validate: (v) => requireText(v, 'body', t('staffp.feedback_missing')),
    submit: async (v) => {
      await post(`/api/v1/courses/${env.cid}/participants/${env.pidq}/tasks/${encodeURIComponent(task.id)}/logs/${encodeURIComponent(log.id)}/feedback`, { body: v.body.trim() });
      clearDraft(draftKey);
      await env.reload('tasks', t('staffp.feedback_sent', { name: env.person.display_name }));
    },
  });
  return h('li', { class: 'log-entry', 'data-log': log.id },
    h('p', { class: 'log-head' },
      h('strong', null, formatDate(log.date, lang)), ': ',
      log.done ? t('staffp.log_done') : t('staffp.log_not_done'),
      '. ', ratingText(log.rating), '.'),
    log.note ? h('p', { class: 'log-note' }, h('span', { class: 'log-note-label' }, `${t('staffp.log_note')}: `), log.note) : null,
    feedback.length ? h('ul', { class: 'comment-list' }, feedback.map((f) => h('li', { class: 'comment' },
      h('p', { class: 'comment-meta' }, h('strong', null, f.author ? f.author.display_name : ''), ` – ${formatDateTime(f.created_at, lang)}`),
      h('p', { class: 'comment-body' }, f.body)))) : null,
    // A started feedback (a draft kept on this device, A9) stays open.
    h('details', { class: 'disclosure', open: restored },
      h('summary', null, t('staffp.feedback_open', { date: formatDate(log.date, lang) })),
      form));
}

function proposeForm(env) {
  const title = textField({ name: 'title', label: t('staffp.task_title'), hint: t('staffp.task_title_hint'), maxlength: 200 });
  const details = textareaField({ name: 'details', label: t('staffp.task_details'), hint: t('staffp.task_details_hint'), rows: 3, optional: true, maxlength: 2000 });
  const mode = radioGroup({ name: 'mode', legend: t('staffp.task_mode'), value: 'days', options: [
    { value: 'days', label: t('staffp.task_mode_days') },
    { value: 'times', label: t('staffp.task_mode_times') },
  ] });
  const dayBoxes = DAYS.map((d) => {
    const id = uid(`day-${d}`);
    const input = h('input', { type: 'checkbox', id, name: `day_${d}` });
    return h('div', { class: 'choice-row' }, h('label', { class: 'choice', for: id }, input, h('span', null, t(`staffp.day_long.${d}`))));
  });
  const daysId = uid('days');
  const daysSet = h('fieldset', { class: 'field fieldset days-fieldset', 'data-field': 'days', id: daysId, 'aria-describedby': `${daysId}-hint` },
    h('legend', { class: 'field-label' }, t('staffp.task_days')),
    h('p', { class: 'hint', id: `${daysId}-hint` }, t('staffp.task_days_hint')),
    h('p', { class: 'field-error', id: `${daysId}-error`, hidden: true }),
    h('div', { class: 'day-grid' }, dayBoxes));
  const times = numberField({ name: 'times_per_week', label: t('staffp.task_times'), min: 1, max: 7, hint: t('staffp.task_times_hint') });
  const weeks = numberField({ name: 'weeks', label: t('staffp.task_weeks'), min: 1, max: 52, hint: t('staffp.task_weeks_hint'), value: '4' });
  const minutes = numberField({ name: 'minutes', label: t('staffp.task_minutes'), min: 1, max: 1440, optional: true });
  const start = textField({ name: 'start_date', label: t('staffp.task_start'), type: 'date', hint: t('staffp.task_start_hint'), optional: true });
  // Only the chosen way of scheduling is in the form (a hidden field would still be a field).
  const scheduleSlot = h('div', { class: 'schedule-slot' });
  const form = h('form', { class: 'form', 'data-form': 'task-propose' },
    title.wrap, details.wrap, mode.wrap, scheduleSlot, weeks.wrap, minutes.wrap, start.wrap,
    h('p', { class: 'actions' }, submitButton(t('staffp.propose_send'))));
  const showMode = () => {
    const byDays = form.elements.mode.value !== 'times';
    fill(scheduleSlot, byDays ? daysSet : times.wrap);
  };
  for (const input of mode.inputs) input.addEventListener('change', showMode);
  const draftKey = `staff-task.${env.pidq}`;
  fill(scheduleSlot, daysSet, times.wrap); // both in the form while a saved draft is restored
  enableDraft(form, draftKey);
  showMode();
  onSubmit(form, {
    validate: (v) => {
      const problems = [
        ...requireText(v, 'title', t('staffp.task_title_missing')),
        ...checkRange(v, 'weeks', 1, 52, t('staffp.task_weeks_invalid')),
        ...checkRange(v, 'minutes', 1, 1440, t('staffp.task_minutes_invalid'), { optional: true }),
      ];
      if (v.mode === 'times') problems.push(...checkRange(v, 'times_per_week', 1, 7, t('staffp.task_times_invalid')));
      else if (!DAYS.some((d) => v[`day_${d}`])) problems.push({ field: 'days', message: t('staffp.task_days_missing') });
      if (v.start_date && !/^\d{4}-\d{2}-\d{2}$/.test(v.start_date)) problems.push({ field: 'start_date', message: t('validation.date_format') });
      return problems;
    },
    submit: async (v) => {
      const body = { title: v.title.trim(), weeks: numberValue(v.weeks) };
      if (v.details && v.details.trim()) body.details = v.details.trim();
      if (v.mode === 'times') body.times_per_week = numberValue(v.times_per_week);
      else body.days = DAYS.filter((d) => v[`day_${d}`]);
      if (String(v.minutes || '').trim()) body.minutes = numberValue(v.minutes);
      if (v.start_date) body.start_date = v.start_date;
      try {
        await post(`/api/v1/courses/${env.cid}/participants/${env.pidq}/tasks`, body);
      } catch (err) {
        showApiError(form, err);
        return;
      }
      clearDraft(draftKey);
      await env.reload('tasks', t('staffp.task_proposed', { name: env.person.display_name }));
    },
  });
  return form;
}

// ---- goals (GAS) -------------------------------------------------------------------------------------------

const LEVELS = ['-2', '-1', '0', '1', '2'];

/** "−2", "−1", "0", "+1", "+2" (a real minus sign). */
function levelSign(level) {
  const n = Number(level);
  if (n > 0) return `+${n}`;
  if (n < 0) return `−${Math.abs(n)}`;
  return '0';
}

function levelName(level) {
  return t(`staffp.level.${String(Number(level)).replace('-', 'm')}`);
}

function levelText(goal, level) {
  const levels = goal.levels || {};
  return levels[String(level)] || levels[level] || '';
}

function drawGoals(env) {
  const { cid, pidq } = env;
  return guarded(env, 'goals', async () => {
    const data = await get(`/api/v1/courses/${cid}/participants/${pidq}/goals`);
    const goals = listOf(data, 'goals').sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
    const tBase = data && !Array.isArray(data) ? data.t_baseline : null;
    const tEnd = data && !Array.isArray(data) ? data.t_end : null;
    return [
      h('p', null, t('staffp.goals_intro')),
      facts([
        [t('staffp.t_baseline'), tBase === null || tBase === undefined ? t('staffp.t_missing') : formatNumber(tBase)],
        [t('staffp.t_end'), tEnd === null || tEnd === undefined ? t('staffp.t_missing') : formatNumber(tEnd)],
      ]),
      h('p', { class: 'hint' }, t('staffp.t_explained')),
      goals.length ? goals.map((g) => goalCard(env, g)) : h('p', null, t('staffp.no_goals')),
      goals.length < 3
        ? h('section', { class: 'card goal-new', 'aria-labelledby': 'goal-new-title' },
          h('h3', { id: 'goal-new-title' }, t('staffp.goal_new_title')),
          h('p', null, t('staffp.goal_new_intro')),
          goalForm(env))
        : h('p', null, t('staffp.goal_limit')),
    ];
  });
}

/** A new goal written together with the participant: the title, the five levels and a weight. */
function goalForm(env) {
  const title = textField({ name: 'title', label: t('staffp.goal_title'), hint: t('staffp.goal_title_hint'), maxlength: 300 });
  const levels = [...LEVELS].reverse().map((l) => textareaField({
    name: `levels.${l}`, rows: 2, maxlength: 500,
    label: `${levelSign(l)} (${levelName(l)})`,
    hint: l === '0' ? t('staffp.goal_level0_hint') : null,
  }));
  const weight = numberField({ name: 'weight', label: t('staffp.goal_weight'), min: 1, max: 10, optional: true, hint: t('staffp.goal_weight_hint') });
  const form = h('form', { class: 'form', 'data-form': 'goal-new' },
    title.wrap, h('fieldset', { class: 'fieldset' }, h('legend', { class: 'field-label' }, t('staffp.goal_levels_legend')), levels.map((x) => x.wrap)),
    weight.wrap, h('p', { class: 'actions' }, submitButton(t('staffp.goal_add'))));
  const draftKey = `staff-goal.${env.pidq}`;
  enableDraft(form, draftKey);
  onSubmit(form, {
    validate: (v) => [
      ...requireText(v, 'title', t('staffp.goal_title_missing')),
      ...[...LEVELS].reverse().flatMap((l) => requireText(v, `levels.${l}`, t('staffp.goal_level_missing', { level: levelSign(l) }))),
      ...checkRange(v, 'weight', 1, 10, t('staffp.goal_weight_invalid'), { optional: true }),
    ],
    submit: async (v) => {
      const body = { title: v.title.trim(), levels: Object.fromEntries(LEVELS.map((l) => [l, v[`levels.${l}`].trim()])) };
      if (String(v.weight || '').trim()) body.weight = numberValue(v.weight);
      try {
        await post(`/api/v1/courses/${env.cid}/participants/${env.pidq}/goals`, body);
      } catch (err) {
        showApiError(form, err);
        return;
      }
      clearDraft(draftKey);
      await env.reload('goals', t('staffp.goal_added', { title: body.title }));
    },
  });
  return form;
}

function goalCard(env, goal) {
  const lang = getLang();
  const headingId = uid('goal');
  const current = (value, at) => (value === null || value === undefined
    ? t('staffp.level_not_set')
    : `${levelSign(value)} ${levelName(value)}${at ? ` (${formatDate(at, lang)})` : ''}`);
  return h('article', { class: 'card goal-card', 'aria-labelledby': headingId, 'data-goal': goal.id },
    h('h3', { id: headingId }, t('staffp.goal_n', { n: goal.position ?? '' }), ': ', goal.title),
    facts([
      [t('staffp.goal_weight'), String(goal.weight ?? 1)],
      [t('staffp.goal_baseline'), current(goal.baseline, goal.baseline_at)],
      [t('staffp.goal_attainment'), current(goal.attainment, goal.attained_at)],
    ]),
    dataTable({
      caption: t('staffp.levels_caption', { title: goal.title }),
      filename: 'tavoitetasot',
      columns: [
        { label: t('staffp.col_level'), value: (l) => `${levelSign(l)} ${levelName(l)}` },
        { label: t('staffp.col_level_text'), value: (l) => levelText(goal, l) },
      ],
      rows: [...LEVELS].reverse(),
    }),
    h('div', { class: 'goal-forms' },
      // The baseline is fixed once the attainment is rated; the attainment needs a baseline.
      hasLevel(goal.attainment)
        ? h('div', { class: 'level-form' }, h('p', { class: 'field-label' }, t('staffp.set_baseline')), h('p', null, t('staffp.baseline_fixed')))
        : levelForm(env, goal, 'baseline'),
      hasLevel(goal.baseline)
        ? levelForm(env, goal, 'attainment')
        : h('div', { class: 'level-form' }, h('p', { class: 'field-label' }, t('staffp.set_attainment')), h('p', null, t('staffp.attainment_needs_baseline')))));
}

function hasLevel(value) {
  return value !== null && value !== undefined;
}

function levelForm(env, goal, which) {
  const value = goal[which];
  const group = radioGroup({
    name: 'level',
    legend: t(which === 'baseline' ? 'staffp.set_baseline' : 'staffp.set_attainment'),
    hint: t(which === 'baseline' ? 'staffp.set_baseline_hint' : 'staffp.set_attainment_hint'),
    value: value === null || value === undefined ? undefined : String(value),
    options: [...LEVELS].reverse().map((l) => ({ value: l, label: `${levelSign(l)} (${levelName(l)}): ${levelText(goal, l) || '–'}` })),
  });
  const form = h('form', { class: 'form level-form', 'data-form': `goal-${which}` },
    group.wrap, h('p', { class: 'actions' }, submitButton(t(which === 'baseline' ? 'staffp.save_baseline' : 'staffp.save_attainment'), { variant: 'secondary' })));
  onSubmit(form, {
    validate: (v) => (LEVELS.includes(v.level) ? [] : [{ field: 'level', message: t('staffp.level_missing') }]),
    submit: async (v) => {
      try {
        await put(`/api/v1/courses/${env.cid}/participants/${env.pidq}/goals/${encodeURIComponent(goal.id)}/${which}`, { level: Number(v.level) });
      } catch (err) {
        showApiError(form, err);
        return;
      }
      await env.reload('goals', t(which === 'baseline' ? 'staffp.baseline_saved' : 'staffp.attainment_saved', { title: goal.title, level: levelSign(v.level) }));
    },
  });
  return form;
}

// ---- measures ------------------------------------------------------------------------------------------------

const WHOQOL = ['physical', 'psychological', 'social', 'environment'];

function instrumentName(code) {
  return tOr(`staffp.instrument.${code}`, code);
}

function occasionName(code) {
  return tOr(`staffp.occasion.${code}`, code);
}

function scoresText(m) {
  const s = m.scores || {};
  if (m.instrument === 'bdi21' || 'total' in s) return t('staffp.score_total', { n: formatNumber(s.total) });
  return WHOQOL.filter((k) => k in s).map((k) => `${t(`staffp.domain.${k}`)} ${formatNumber(s[k])}`).join(', ');
}

function drawMeasures(env) {
  const { cid, pidq } = env;
  return guarded(env, 'measures', async () => {
    const measures = listOf(await get(`/api/v1/courses/${cid}/participants/${pidq}/measures`), 'measures');
    const lang = getLang();
    const sorted = [...measures].sort((a, b) => String(a.measured_on).localeCompare(String(b.measured_on)));
    return [
      h('p', null, t('staffp.measures_intro')),
      dataTable({
        caption: t('staffp.measures_caption'),
        filename: 'mittaukset',
        emptyText: t('staffp.no_measures'),
        columns: [
          { label: t('staffp.col_instrument'), value: (m) => instrumentName(m.instrument) },
          { label: t('staffp.col_occasion'), value: (m) => occasionName(m.occasion) },
          { label: t('staffp.col_measured_on'), value: (m) => formatDate(m.measured_on, lang) },
          { label: t('staffp.col_scores'), value: (m) => scoresText(m) },
          { label: t('staffp.col_recorded_by'), value: (m) => (m.recorded_by ? m.recorded_by.display_name : '') },
        ],
        rows: sorted,
      }),
      h('section', { class: 'card measure-record', 'aria-labelledby': 'measure-form-title' },
        h('h3', { id: 'measure-form-title' }, t('staffp.measure_form_title')),
        h('p', null, t('staffp.measure_form_intro')),
        measureForm(env)),
    ];
  });
}

/** The date in the detail of a measure_too_soon refusal ("… 2026-03-02 …"), if there is one. */
export function firstAllowedDate(detail) {
  const m = /(\d{4}-\d{2}-\d{2})/.exec(String(detail || ''));
  return m ? m[1] : null;
}

function measureForm(env) {
  const instrument = radioGroup({ name: 'instrument', legend: t('staffp.col_instrument'), value: 'whoqol_bref', options: [
    { value: 'whoqol_bref', label: t('staffp.instrument_choice.whoqol_bref') },
    { value: 'bdi21', label: t('staffp.instrument_choice.bdi21') },
  ] });
  const occasion = radioGroup({ name: 'occasion', legend: t('staffp.col_occasion'), value: 'start', hint: t('staffp.occasion_hint'), options: [
    { value: 'start', label: t('staffp.occasion.start') },
    { value: 'end', label: t('staffp.occasion.end') },
  ] });
  const date = textField({ name: 'measured_on', label: t('staffp.col_measured_on'), type: 'date', value: todayInHelsinki(), hint: t('staffp.measured_on_hint') });
  const domains = WHOQOL.map((k) => numberField({ name: `scores.${k}`, label: t(`staffp.domain_label.${k}`), min: 0, max: 100 }));
  const whoqolSet = h('fieldset', { class: 'fieldset score-fieldset' },
    h('legend', { class: 'field-label' }, t('staffp.whoqol_legend')),
    h('p', { class: 'hint' }, t('staffp.whoqol_hint')),
    domains.map((d) => d.wrap));
  const total = numberField({ name: 'scores.total', label: t('staffp.bdi_label'), min: 0, max: 63, hint: t('staffp.bdi_hint') });
  // Only the chosen instrument's score fields are in the form.
  const scoreSlot = h('div', { class: 'score-slot' });
  const form = h('form', { class: 'form', 'data-form': 'measure' },
    instrument.wrap, occasion.wrap, date.wrap, scoreSlot,
    h('p', { class: 'actions' }, submitButton(t('staffp.measure_save'))));
  const showInstrument = () => {
    fill(scoreSlot, form.elements.instrument.value === 'bdi21' ? total.wrap : whoqolSet);
  };
  for (const input of instrument.inputs) input.addEventListener('change', showInstrument);
  showInstrument();
  onSubmit(form, {
    validate: (v) => {
      const problems = [];
      if (!v.measured_on) problems.push({ field: 'measured_on', message: t('staffp.measured_on_missing') });
      else if (!/^\d{4}-\d{2}-\d{2}$/.test(v.measured_on)) problems.push({ field: 'measured_on', message: t('validation.date_format') });
      if (v.instrument === 'bdi21') problems.push(...checkRange(v, 'scores.total', 0, 63, t('staffp.bdi_invalid')));
      else for (const k of WHOQOL) problems.push(...checkRange(v, `scores.${k}`, 0, 100, t('staffp.whoqol_invalid', { domain: t(`staffp.domain.${k}`) })));
      return problems;
    },
    submit: async (v) => {
      const scores = {};
      if (v.instrument === 'bdi21') scores.total = numberValue(v['scores.total']);
      else for (const k of WHOQOL) scores[k] = numberValue(v[`scores.${k}`]);
      try {
        await post(`/api/v1/courses/${env.cid}/participants/${env.pidq}/measures`, {
          instrument: v.instrument, occasion: v.occasion, measured_on: v.measured_on, scores,
        });
      } catch (err) {
        if (err instanceof ApiError && err.code === 'measure_too_soon') {
          // R-MEASURE-3M: the refusal belongs to the date, so it is shown there and in the summary.
          const first = firstAllowedDate(err.detail);
          const message = first
            ? t('staffp.too_soon', { date: formatDate(first, getLang()) })
            : t('staffp.too_soon_nodate');
          showErrors(form, { title: t('staffp.too_soon_title'), fieldErrors: [{ field: 'measured_on', message }] });
          return;
        }
        if (err instanceof ApiError && (err.code === 'measure_exists' || err.code === 'measure_start_missing')) {
          showErrors(form, { title: t('staffp.measure_refused'), fieldErrors: [{ field: 'occasion', message: t(LOCAL_CODES[err.code]) }] });
          return;
        }
        showApiError(form, err);
        return;
      }
      await env.reload('measures', t('staffp.measure_saved', {
        instrument: instrumentName(v.instrument), occasion: occasionName(v.occasion).toLowerCase(),
      }));
    },
  });
  return form;
}

