// The program: the participant's overview (/ohjelma) and module pages (/ohjelma/{n}), the staff
// preview of a module (/ohjaus/kurssi/{id}/ohjelma/{n}, /hallinta/kurssi/{id}/ohjelma/{n}) and the
// program section of the course pages. Items of every kind are rendered here: text, books,
// lessons, audio and video with our own large controls (A15), files, links, exercises as forms
// whose answers are autosaved as server drafts with a copy on this device (A9), and suggested
// self-rehabilitation tasks. On the participant's pages every item shows its state ("Tehty" /
// "Kesken") and how it gets done (js/progress.js).

import { h, add, fill, srOnly, uid } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { get, currentUser, ApiError } from '../api.js';
import { loading, errorPanel, notice, dataTable, facts, languageName, weekLabel } from '../ui.js';
import { formatDate, todayInHelsinki } from '../format.js';
import { pick, pickText, isEmptyLocalized, localizedHtml, htmlBlock, safeHref } from '../content.js';
import { itemAnchor, barTable } from '../journey.js';
import {
  loadProgress, progressStore, progressBlock, trackVisibility, mediaProgress, answerQuestions, answerSync, loadAnswers,
} from '../progress.js';

// ---- loading ------------------------------------------------------------------------------------

/** GET that answers null for the given 404 codes instead of throwing. */
async function getOrNull(path, codes) {
  try {
    return await get(path);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404 && (!err.code || codes.includes(err.code))) return null;
    throw err;
  }
}

/** The participant's program: {overview, course} or {missing: 'no_course' | 'no_program'}. */
export async function loadMyProgram() {
  let course = null;
  try {
    course = await get('/api/v1/me/course');
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { missing: 'no_course' };
    throw err;
  }
  try {
    const overview = await get('/api/v1/me/program');
    return { overview, course: course && course.course ? course.course : null };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { missing: err.code === 'no_course' ? 'no_course' : 'no_program' };
    throw err;
  }
}

/** A course's program for staff, or null when none has been chosen. */
export function loadCourseProgram(courseId) {
  return getOrNull(`/api/v1/courses/${encodeURIComponent(courseId)}/program`, ['no_program']);
}

// ---- words --------------------------------------------------------------------------------------

/** "Viikko 5: Stressi ja tunteet" as nodes (the title may be in another language, A2). */
export function moduleLabel(m) {
  const { text, lang } = pick(m.title);
  const week = t('program.week', { n: m.number });
  if (!text.trim()) return [week];
  return [`${week}: `, h('span', { lang }, text.trim())];
}

export function moduleLabelText(m) {
  const title = pickText(m.title);
  const week = t('program.week', { n: m.number });
  return title ? `${week}: ${title}` : week;
}

function opensText(m) {
  return m.open ? t('program.open') : t('program.opens_on', { date: formatDate(m.opens_on, getLang()) });
}

function itemCountText(n) {
  return n === 1 ? t('program.items_one') : t('program.items_many', { n });
}

/** The module of this remote week: the one numbered like the remote week, when it is open. */
export function currentModule(overview, course) {
  if (!overview || !course || course.phase !== 'remote' || !course.remote_week) return null;
  const m = overview.modules.find((x) => x.number === course.remote_week);
  return m && m.open ? m : null;
}

// ---- the module the participant opened last -------------------------------------------------------

const LAST_KEY = 'etapolku.lastModule.';

function rememberModule(n) {
  const me = currentUser();
  if (!me) return;
  try {
    localStorage.setItem(LAST_KEY + me.id, JSON.stringify({ n, at: Date.now() }));
  } catch {
    // No storage: nothing to remember with.
  }
}

/** The module the participant opened last, if it is still in the program and open. */
export function lastModule(overview) {
  const me = currentUser();
  if (!me || !overview) return null;
  try {
    const raw = localStorage.getItem(LAST_KEY + me.id);
    if (!raw) return null;
    const { n } = JSON.parse(raw);
    const m = overview.modules.find((x) => x.number === n);
    return m && m.open ? m : null;
  } catch {
    return null;
  }
}

/** "Jatka siitä mihin jäit: Viikko 2: Lepo ja uni" as a link, or null. */
export function continueLink(overview, { except = null } = {}) {
  const last = lastModule(overview);
  if (!last || (except && except.number === last.number)) return null;
  return h('p', { class: 'link-row continue-row' },
    h('a', { href: `/ohjelma/${last.number}`, id: 'continue-link', class: 'continue-link' },
      `${t('program.continue')}: `, moduleLabel(last)));
}

function noProgramNotice(missing) {
  if (missing === 'no_course') {
    return notice('info', h('p', null, t('participant.no_course')), h('p', null, t('participant.no_course_next')));
  }
  return notice('info', h('p', null, t('program.none')), h('p', null, t('program.none_next')));
}

// ---- participant: the overview --------------------------------------------------------------------

export async function programPage(ctx) {
  ctx.setTitle(t('program.title'));
  const slot = h('div', null, loading());
  add(ctx.main, h('h1', { tabindex: '-1' }, t('program.title')), slot);
  let data;
  let progress = null;
  try {
    [data, progress] = await Promise.all([loadMyProgram(), loadProgress()]);
  } catch (err) {
    if (ctx.alive()) fill(slot, errorPanel(err));
    return;
  }
  if (!ctx.alive()) return;
  if (data.missing) {
    fill(slot, noProgramNotice(data.missing));
    return;
  }
  const { overview, course } = data;
  const current = currentModule(overview, course);
  const doneOf = new Map((progress && Array.isArray(progress.modules) ? progress.modules : []).map((m) => [m.number, m]));
  const openCount = overview.modules.filter((m) => m.open).length;
  const title = pick(overview.title);

  fill(slot,
    title.text ? h('p', { class: 'lead program-title', lang: title.lang }, title.text) : null,
    h('section', { class: 'section card card-primary', 'aria-labelledby': 'progress-title' },
      h('h2', { id: 'progress-title' }, t('program.progress_title')),
      course && course.phase === 'remote' && course.remote_week
        ? h('p', { class: 'progress-week' }, t('program.progress_week', { week: weekLabel(course.remote_week).toLowerCase() })) : null,
      progress ? progressLines(progress) : null,
      h('p', { id: 'progress-open' }, t('program.progress_open', { open: openCount, total: overview.modules.length })),
      current ? h('p', { class: 'link-row' }, h('a', { href: `/ohjelma/${current.number}`, id: 'current-module-link', class: 'big-link' }, moduleLabel(current))) : null,
      continueLink(overview, { except: current })),
    h('section', { class: 'section', 'aria-labelledby': 'weeks-title' },
      h('h2', { id: 'weeks-title' }, t('program.weeks_title')),
      overview.release === 'all' ? h('p', null, t('program.release_all_note')) : h('p', null, t('program.release_weekly_note')),
      h('ol', { class: 'module-list', id: 'module-list' }, overview.modules.map((m) => {
        const isCurrent = current && current.number === m.number;
        return h('li', { class: `module-row${isCurrent ? ' module-current' : ''}${m.open ? '' : ' module-locked'}`, 'data-module': m.number },
          h('p', { class: 'module-name' },
            m.open ? h('a', { href: `/ohjelma/${m.number}`, class: 'module-link' }, moduleLabel(m)) : h('span', null, moduleLabel(m)),
            isCurrent ? [' ', h('span', { class: 'tag' }, t('program.this_week'))] : null),
          h('p', { class: 'module-status' }, `${opensText(m)}. ${itemCountText(m.items)}.`,
            m.open && doneOf.has(m.number) ? [' ', h('span', { class: 'module-done' }, moduleDoneText(doneOf.get(m.number)))] : null));
      }))),
    progress ? activityChart(progress) : null);
}

/** "Valmis." or "Tehty 2/5." for one module of the progress summary. */
function moduleDoneText(m) {
  return m.complete ? t('progress.module_complete') : t('progress.module_done', { done: m.done, required: m.required });
}

/** Progress as text first (A17): modules, items and this week's active days. */
function progressLines(p) {
  return [
    h('p', { id: 'progress-modules', class: 'progress-line' }, t('progress.program_line', { done: p.completed_modules, total: p.total_modules })),
    h('p', { id: 'progress-items' }, t('progress.items_line', { done: p.completed_items, total: p.total_items })),
    h('p', { id: 'progress-active' }, p.active_days_this_week === 1 ? t('progress.active_one') : t('progress.active_days', { n: p.active_days_this_week || 0 })),
  ];
}

/** Active days per week so far, as a table that also draws the bars (A17). */
function activityChart(p) {
  const today = todayInHelsinki();
  const weeks = (Array.isArray(p.weeks) ? p.weeks : []).filter((w) => !w.start || w.start <= today);
  if (!weeks.length) return null;
  return h('section', { class: 'section', 'aria-labelledby': 'activity-title', id: 'activity' },
    h('h2', { id: 'activity-title' }, t('progress.chart_title')),
    h('p', null, t('progress.chart_intro')),
    barTable({
      caption: t('progress.chart_caption'),
      head: t('progress.chart_week'),
      valueHead: t('progress.chart_days'),
      rows: weeks.map((w) => ({
        label: weekLabel(w.week),
        value: w.active_days,
        max: 7,
        text: `${w.active_days === 1 ? t('progress.days_one') : t('progress.days', { n: w.active_days })}${w.visible_minutes ? `, ${t('progress.minutes', { n: w.visible_minutes })}` : ''}`,
      })),
    }));
}

// ---- participant: one module -------------------------------------------------------------------

export async function modulePage(ctx) {
  const n = Number(ctx.params.n);
  ctx.setTitle(t('program.title'));
  const heading = h('h1', { tabindex: '-1' }, t('program.title'));
  const slot = h('div', null, loading());
  add(ctx.main, h('p', { class: 'breadcrumb' }, h('a', { href: '/ohjelma' }, t('program.back'))), heading, slot);
  if (!Number.isInteger(n) || n < 1) {
    fill(slot, notice('error', h('p', null, t('program.no_such_module'))));
    return;
  }
  let data;
  let module = null;
  let locked = false;
  try {
    data = await loadMyProgram();
    if (!data.missing) {
      try {
        module = await get(`/api/v1/me/program/modules/${n}`);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'module_locked') locked = true;
        else if (!(err instanceof ApiError && err.status === 404)) throw err;
      }
    }
  } catch (err) {
    if (ctx.alive()) fill(slot, errorPanel(err));
    return;
  }
  if (!ctx.alive()) return;
  if (data.missing) {
    fill(slot, noProgramNotice(data.missing));
    return;
  }
  const summary = data.overview.modules.find((m) => m.number === n);
  if (!summary) {
    fill(slot, notice('info', h('p', null, t('program.no_such_module'))), h('p', { class: 'link-row' }, h('a', { href: '/ohjelma' }, t('program.back'))));
    return;
  }
  fill(heading, moduleLabel(summary));
  ctx.setTitle(moduleLabelText(summary));
  if (locked || !module) {
    fill(slot, notice('info', h('p', null, t('program.locked', { date: formatDate(summary.opens_on, getLang()) }))),
      pager(data.overview, n, (k) => `/ohjelma/${k}`));
    return;
  }
  rememberModule(n);
  let summaryData = null;
  const records = new Map();
  try {
    const answerItems = (module.items || []).filter((item) => answerQuestions(item).length);
    const [progress, ...answers] = await Promise.all([loadProgress(), ...answerItems.map((item) => loadAnswers(item.id))]);
    summaryData = progress;
    answerItems.forEach((item, i) => records.set(item.id, answers[i]));
  } catch (err) {
    if (ctx.alive()) fill(slot, errorPanel(err));
    return;
  }
  if (!ctx.alive()) return;
  const store = progressStore(summaryData);
  const body = moduleBody(module, { staff: false, store, records });
  const moduleProgress = summaryData && Array.isArray(summaryData.modules) ? summaryData.modules.find((m) => m.number === n) : null;
  fill(slot,
    moduleProgress ? h('p', { class: 'lead module-progress', id: 'module-progress' },
      t('progress.module_line', { done: moduleProgress.done, required: moduleProgress.required })) : null,
    body, pager(data.overview, n, (k) => `/ohjelma/${k}`));
  trackVisibility(body, store);
}

// ---- staff: preview of one module ----------------------------------------------------------------

export async function staffModulePage(ctx) {
  const base = location.pathname.startsWith('/hallinta') ? '/hallinta' : '/ohjaus';
  const id = encodeURIComponent(ctx.params.id);
  const n = Number(ctx.params.n);
  ctx.setTitle(t('program.title'));
  const heading = h('h1', { tabindex: '-1' }, t('program.title'));
  const slot = h('div', null, loading());
  add(ctx.main, h('p', { class: 'breadcrumb' }, h('a', { href: `${base}/kurssi/${id}` }, t('program.back_to_course'))), heading, slot);
  let overview;
  let module;
  try {
    [overview, module] = await Promise.all([
      loadCourseProgram(ctx.params.id),
      getOrNull(`/api/v1/courses/${id}/program/modules/${encodeURIComponent(ctx.params.n)}`, ['no_program']),
    ]);
  } catch (err) {
    if (ctx.alive()) fill(slot, errorPanel(err));
    return;
  }
  if (!ctx.alive()) return;
  if (!overview) {
    fill(slot, notice('info', h('p', null, t('program.staff_none'))));
    return;
  }
  const summary = overview.modules.find((m) => m.number === n);
  if (!summary || !module) {
    fill(slot, notice('info', h('p', null, t('program.no_such_module'))));
    return;
  }
  fill(heading, moduleLabel(summary));
  ctx.setTitle(moduleLabelText(summary));
  fill(slot,
    notice('info', h('p', null, t('program.preview_note')),
      h('p', null, summary.open ? t('program.staff_opens_past', { date: formatDate(summary.opens_on, getLang()) })
        : t('program.staff_opens', { date: formatDate(summary.opens_on, getLang()) }))),
    moduleBody(module, { staff: true }),
    pager(overview, n, (k) => `${base}/kurssi/${id}/ohjelma/${k}`));
}

// ---- a module's content ----------------------------------------------------------------------------

function moduleBody(module, { staff, store = null, records = null }) {
  const items = Array.isArray(module.items) ? module.items : [];
  const ids = items.map((item, i) => (item.id ? itemAnchor(item.id) : `item-${i + 1}`));
  const toc = items.length > 1
    ? h('nav', { class: 'toc', 'aria-labelledby': 'toc-title' },
      h('h2', { id: 'toc-title' }, t('program.toc_title')),
      h('ul', { class: 'toc-list' }, items.map((item, i) => h('li', null,
        h('a', { href: `#${ids[i]}` }, titleNode(item))))))
    : null;
  return h('div', { class: 'module' },
    isEmptyLocalized(module.summary) ? null : localizedHtml(module.summary, { headingLevel: 2, className: 'module-summary lead-content' }),
    toc,
    items.length ? items.map((item, i) => renderItem(item, { id: ids[i], staff, store, record: records ? records.get(item.id) : null }))
      : h('p', null, t('program.module_empty')));
}

function pager(overview, n, href) {
  const prev = overview.modules.find((m) => m.number === n - 1);
  const next = overview.modules.find((m) => m.number === n + 1);
  if (!prev && !next) return null;
  const link = (m, rel, key) => (m.open
    ? h('a', { href: href(m.number), rel, class: `pager-link pager-${rel}` }, h('span', { class: 'pager-dir' }, t(key)), ' ', moduleLabel(m))
    : h('p', { class: `pager-locked pager-${rel}` }, h('span', { class: 'pager-dir' }, t(key)), ' ', moduleLabel(m), `. ${opensText(m)}.`));
  return h('nav', { class: 'pager', 'aria-label': t('program.pager_label') },
    h('ul', { class: 'pager-list' },
      prev ? h('li', null, link(prev, 'prev', 'program.previous')) : null,
      next ? h('li', null, link(next, 'next', 'program.next')) : null));
}

const KIND_KEYS = {
  page: 'program.kind.page',
  book: 'program.kind.book',
  lesson: 'program.kind.lesson',
  video: 'program.kind.video',
  audio: 'program.kind.audio',
  file: 'program.kind.file',
  folder: 'program.kind.folder',
  link: 'program.kind.link',
  exercise: 'program.kind.exercise',
  discussion: 'program.kind.discussion',
  embedded_package: 'program.kind.embedded_package',
  task: 'program.kind.task',
};

function kindLabel(kind) {
  return KIND_KEYS[kind] ? t(KIND_KEYS[kind]) : t('program.kind.other');
}

function titleNode(item) {
  const { text, lang } = pick(item.title);
  return text.trim() ? h('span', { lang }, text.trim()) : kindLabel(item.kind);
}

function renderItem(item, { id, staff, store, record }) {
  const headingId = `${id}-title`;
  const box = h('section', { class: `item item-${item.kind}${item.kind === 'task' ? ' card card-task' : ''}`, id, 'data-kind': item.kind, 'data-item': item.id },
    h('h2', { id: headingId, class: 'item-title' }, titleNode(item)),
    h('p', { class: 'item-kind' }, kindLabel(item.kind),
      staff && item.hidden ? [' ', h('span', { class: 'tag' }, t('program.hidden'))] : null));
  if (!staff && store) add(box, progressBlock(item, store, { id, headingId }));
  const intro = isEmptyLocalized(item.intro) ? null : localizedHtml(item.intro, { className: 'item-intro' });
  const opts = { staff, id, intro, store, record };
  const body = KIND_RENDERERS[item.kind] ? KIND_RENDERERS[item.kind](item, opts) : [intro, h('p', null, t('program.kind_unknown'))];
  add(box, body);
  return box;
}

const KIND_RENDERERS = {
  page: (item, { intro }) => [intro, localizedHtml(item.html)],
  book: (item, { staff, intro }) => [intro, bookChapters(item, staff)],
  lesson: (item, { staff, intro, id }) => [intro, lessonPages(item, { staff, id })],
  video: (item, { intro, id, store }) => [intro, mediaPlayer(item, 'video', id, store)],
  audio: (item, { intro, id, store }) => [intro, mediaPlayer(item, 'audio', id, store)],
  file: (item, { intro }) => [intro, h('p', { class: 'link-row' }, fileLink(item.blob, item.filename || t('program.file')))],
  folder: (item, { intro }) => [intro, folderList(item)],
  link: (item, { intro }) => [intro, externalLink(item.url)],
  exercise: (item, { staff, intro, id, store, record }) => [intro,
    isEmptyLocalized(item.instructions) ? null : localizedHtml(item.instructions, { className: 'instructions' }),
    staff ? staffQuestions(item.questions || []) : exerciseForm(item, id, item.questions || [], { store, record })],
  discussion: (item, { intro }) => [intro, h('p', { class: 'later-note' }, t('program.discussion_later'))],
  embedded_package: (item, { intro }) => [intro,
    h('p', { class: 'link-row' }, fileLink(item.blob, `${slugName(pickText(item.title) || 'paketti')}.${item.format === 'h5p' ? 'h5p' : 'zip'}`,
      t('program.package_download', { format: packageFormat(item.format) }))),
    h('p', { class: 'later-note' }, t('program.package_later'))],
  task: (item, { intro, staff }) => [intro,
    isEmptyLocalized(item.instructions) ? null : localizedHtml(item.instructions, { className: 'instructions' }),
    taskSuggestion(item),
    staff ? null : h('p', { class: 'link-row' }, h('a', { href: `/omakuntoutus?ehdotus=${encodeURIComponent(item.id)}`, class: 'big-link add-task-link' }, t('program.task_add')))],
};

function packageFormat(format) {
  return { scorm: 'SCORM', h5p: 'H5P', imscp: 'IMS' }[format] || String(format || '').toUpperCase();
}

function slugName(text) {
  return String(text).normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'tiedosto';
}

/** A link that saves a file of the program under its own name. */
function fileLink(url, filename, text) {
  const href = safeHref(url);
  if (!href) return h('span', null, filename);
  return h('a', { href, download: filename, class: 'file-link' }, text || t('program.file_download', { name: filename }));
}

function folderList(item) {
  const files = Array.isArray(item.files) ? item.files : [];
  if (!files.length) return h('p', null, t('program.folder_empty'));
  return h('ul', { class: 'file-list' }, files.map((f) => {
    const name = String(f.path || '').split('/').pop() || f.path;
    return h('li', null, fileLink(f.blob, name, f.path));
  }));
}

function externalLink(url) {
  const href = safeHref(url);
  if (!href) return h('p', null, String(url || ''));
  const outside = /^https?:/i.test(href);
  return h('p', { class: 'link-row' },
    h('a', { href, rel: outside ? 'noopener noreferrer' : null, class: 'external-link' }, href,
      outside ? h('span', { class: 'visually-hidden' }, ` (${t('program.link_outside')})`) : null));
}

function bookChapters(item, staff) {
  const chapters = (Array.isArray(item.chapters) ? item.chapters : []).filter((c) => staff || !c.hidden);
  if (!chapters.length) return h('p', null, t('program.book_empty'));
  return h('div', { class: 'book' }, chapters.map((c) => {
    const title = pick(c.title);
    const level = c.subchapter ? 'h4' : 'h3';
    const content = localizedHtml(c.html, { headingLevel: c.subchapter ? 5 : 4 });
    // A chapter's text often repeats its title as its first heading.
    const first = content.firstElementChild;
    if (first && /^H[1-6]$/.test(first.tagName) && first.textContent.trim() === title.text.trim()) first.remove();
    return h('div', { class: `chapter${c.subchapter ? ' subchapter' : ''}` },
      h(level, { lang: title.lang }, title.text.trim() || t('program.chapter')),
      staff && c.hidden ? h('p', null, h('span', { class: 'tag' }, t('program.hidden'))) : null,
      content);
  }));
}

function lessonPages(item, { staff, id }) {
  const pages = Array.isArray(item.pages) ? item.pages : [];
  const type = (p) => p.page || p.type;
  const content = pages.map((p, i) => {
    const title = pick(p.title);
    const heading = title.text.trim() ? h('h3', { lang: title.lang }, title.text.trim()) : null;
    if (type(p) === 'question' && p.question) {
      return h('div', { class: 'lesson-page lesson-question' }, heading,
        staff ? staffQuestions([p.question]) : questionField(p.question, `${id}-p${i + 1}`, answerName(p.question, `p${i + 1}`)));
    }
    return h('div', { class: 'lesson-page' }, heading, localizedHtml(p.html, { headingLevel: 4 }));
  });
  if (staff || !pages.some((p) => type(p) === 'question')) return h('div', { class: 'lesson' }, content);
  // A lesson's question pages are for thinking on one's own: the lesson is done by marking it,
  // and these answers are not saved (only exercises send answers to the guides).
  return h('div', { class: 'lesson' }, h('p', { class: 'notice notice-info' }, t('answers.lesson_note')), content);
}

// ---- exercises ------------------------------------------------------------------------------------

/** The parts of a question: kind fields may be flattened into the question or under `kind`. */
function questionKind(q) {
  if (q && q.kind && typeof q.kind === 'object') return q.kind;
  return q || {};
}

/** A question's text as phrasing content, for a <label> or <legend>; a visible fallback when empty (A8). */
function questionText(q, fallback) {
  if (isEmptyLocalized(q.text)) return h('span', { class: 'question-text' }, fallback);
  const block = localizedHtml(q.text, { headingLevel: 4, className: 'question-text' });
  const span = h('span', { class: 'question-text', lang: block.getAttribute('lang') });
  for (const el of [...block.querySelectorAll('p, div, h1, h2, h3, h4, h5, h6, blockquote')]) {
    const repl = h('span', { class: 'q-block' });
    repl.append(...el.childNodes);
    el.replaceWith(repl);
  }
  span.append(...block.childNodes);
  return span;
}

function inlineText(localized) {
  const block = localizedHtml(localized, { headingLevel: 4 });
  const span = h('span', { lang: block.getAttribute('lang') });
  for (const el of [...block.querySelectorAll('p, div')]) {
    const repl = h('span', { class: 'q-block' });
    repl.append(...el.childNodes);
    el.replaceWith(repl);
  }
  span.append(...block.childNodes);
  return span;
}

const TRUE_WORDS = ['Totta', 'Sant', 'True'];
const FALSE_WORDS = ['Ei totta', 'Inte sant', 'False'];

/** The text of an HTML fragment, without markup (parsed, never inserted). */
function plainText(html) {
  return new DOMParser().parseFromString(String(html || ''), 'text/html').body.textContent.replace(/\s+/g, ' ').trim();
}

function plainVariants(localized) {
  return (Array.isArray(localized) ? localized : []).map((v) => plainText(v && v[1])).filter(Boolean);
}

/** One question as form fields with visible labels (A8). name is unique within the form. */
function questionField(q, baseId, name) {
  const kind = questionKind(q);
  const type = kind.type;
  const id = `${baseId}-${uid('q')}`;
  if (type === 'description') {
    return h('div', { class: 'question question-description' }, localizedHtml(q.text, { headingLevel: 4 }));
  }
  if (type === 'multichoice' || type === 'truefalse') {
    const single = type === 'truefalse' || kind.single !== false;
    // A chosen option is saved as its words, so the guide reads the answer as it was seen;
    // `alt` lists the same option's words in the other languages (and older saved forms).
    const options = type === 'truefalse'
      ? [{ value: t('program.true'), alt: ['true', ...TRUE_WORDS], label: t('program.true') },
        { value: t('program.false'), alt: ['false', ...FALSE_WORDS], label: t('program.false') }]
      : (kind.choices || []).map((c, i) => ({ value: plainText(pick(c.text).text) || String(i), alt: [String(i), ...plainVariants(c.text)], label: inlineText(c.text) }));
    const hintId = `${id}-hint`;
    return h('fieldset', { class: 'field fieldset question', 'data-field': name, id, 'aria-describedby': single ? null : hintId },
      h('legend', { class: 'field-label' }, questionText(q, t('program.choose_answer'))),
      single ? null : h('p', { class: 'hint', id: hintId }, t('program.choose_many')),
      options.map((o, i) => {
        const inputId = `${id}-${i}`;
        const input = single
          ? h('input', { type: 'radio', id: inputId, name, value: o.value, 'data-alt': JSON.stringify(o.alt) })
          : h('input', { type: 'checkbox', id: inputId, name, value: o.value, 'data-alt': JSON.stringify(o.alt) });
        return h('div', { class: 'choice-row' }, h('label', { class: 'choice', for: inputId }, input, h('span', null, o.label)));
      }));
  }
  const label = h('label', { for: id, class: 'field-label' }, questionText(q, t('program.your_answer')));
  if (type === 'essay') {
    return h('div', { class: 'field question', 'data-field': name }, label,
      h('textarea', { id, name, rows: 6, class: 'input textarea' }));
  }
  const numeric = type === 'numerical';
  const hintId = numeric ? `${id}-hint` : null;
  return h('div', { class: 'field question', 'data-field': name }, label,
    numeric ? h('p', { class: 'hint', id: hintId }, t('program.numeric_hint')) : null,
    h('input', { id, name, type: 'text', class: 'input', autocomplete: 'off', inputmode: numeric ? 'decimal' : null, 'aria-describedby': hintId }));
}

/** The form field name of a question: its id (unique within the item). */
function answerName(q, fallback) {
  return q && q.id ? `answer-${q.id}` : fallback;
}

/** How a question's answer is read from the form: typed text, one choice or several. */
function answerField(q, name) {
  const kind = questionKind(q);
  const type = kind.type === 'truefalse' || (kind.type === 'multichoice' && kind.single !== false) ? 'single'
    : kind.type === 'multichoice' ? 'multi' : 'text';
  return { id: q.id || name, name, type };
}

/**
 * A form around answer fields. Answers are saved as a draft on the server and copied to this
 * device while typing (A9); "Lähetä vastaukset" sends them to the guides; their comments follow.
 */
function answersForm(item, id, content, questions, { store, record }) {
  const saved = h('p', { class: 'hint draft-saved', id: `${id}-saved`, role: 'status' });
  const submittedBox = h('div', { class: 'submitted-box', tabindex: '-1' });
  const commentsBox = h('div', { class: 'comments', id: `${id}-comments` });
  const submit = h('button', { type: 'submit', class: 'button button-primary button-large', 'data-action': 'send-answers' }, t('answers.send'));
  const form = h('form', { class: 'form exercise-form', 'data-form': `exercise-${item.id}`, novalidate: true },
    content,
    h('div', { class: 'notice notice-info answers-note' }, h('p', null, t('answers.note_autosave')), h('p', null, t('answers.note_send'))),
    saved,
    h('p', { class: 'actions' }, submit));
  const fields = questions.filter(({ q }) => questionKind(q).type !== 'description')
    .map(({ q, fallback }) => answerField(q, answerName(q, fallback)));
  if (store) answerSync(item, form, fields, record || null, store, { savedLine: saved, submittedBox, commentsBox, submitButton: submit });
  else form.addEventListener('submit', (event) => event.preventDefault());
  return h('div', { class: 'answers' }, submittedBox, form, commentsBox);
}

function exerciseForm(item, id, questions, { store, record } = {}) {
  if (!questions.length) return h('p', null, t('program.no_questions'));
  return answersForm(item, id, questions.map((q, i) => questionField(q, `${id}-q${i + 1}`, answerName(q, `q${i + 1}`))),
    questions.map((q, i) => ({ q, fallback: `q${i + 1}` })), { store, record });
}

/** Staff see each question with its right answers marked in words (never colour alone). */
function staffQuestions(questions) {
  if (!questions.length) return h('p', null, t('program.no_questions'));
  return h('ol', { class: 'staff-questions' }, questions.map((q) => {
    const kind = questionKind(q);
    const parts = [localizedHtml(q.text, { headingLevel: 4, className: 'question-text' })];
    switch (kind.type) {
      case 'multichoice':
        parts.push(h('p', { class: 'hint' }, kind.single === false ? t('program.staff_many') : t('program.staff_one')));
        parts.push(h('ul', { class: 'staff-choices' }, (kind.choices || []).map((c) => h('li', { class: c.correct ? 'choice-correct' : null },
          inlineText(c.text), c.correct ? [' ', h('strong', { class: 'tag tag-correct' }, t('program.correct'))] : null))));
        break;
      case 'truefalse':
        parts.push(h('p', null, h('strong', null, `${t('program.correct_answer')}: `),
          typeof kind.correct === 'boolean' ? (kind.correct ? t('program.true') : t('program.false')) : '–'));
        break;
      case 'shortanswer':
      case 'numerical': {
        const accepted = (kind.accepted || []).map((a) => (typeof a === 'object' && a
          ? (a.tolerance && Number(a.tolerance) !== 0 ? `${a.value} ± ${a.tolerance}` : String(a.value))
          : String(a)));
        parts.push(h('p', null, h('strong', null, `${t('program.accepted')}: `),
          accepted.length ? accepted.join(' | ') : t('program.accepted_none')));
        break;
      }
      case 'essay':
        parts.push(h('p', null, t('program.staff_essay')));
        break;
      default:
        break;
    }
    if (!isEmptyLocalized(q.feedback)) parts.push(h('div', { class: 'staff-feedback' }, h('p', null, h('strong', null, t('program.feedback'))), localizedHtml(q.feedback, { headingLevel: 5 })));
    return h('li', { class: 'staff-question' }, parts);
  }));
}

// ---- self-rehabilitation task --------------------------------------------------------------------

const DAY_ORDER = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function taskSuggestion(item) {
  const parts = [];
  const days = Array.isArray(item.days) ? DAY_ORDER.filter((d) => item.days.includes(d)) : null;
  if (days && days.length === 7) parts.push(t('program.task_daily'));
  else if (days && days.length) parts.push(t('program.task_days', { days: days.map((d) => t(`program.day.${d}`)).join(', ') }));
  else if (item.times_per_week) parts.push(item.times_per_week === 1 ? t('program.task_times_one') : t('program.task_times', { n: item.times_per_week }));
  if (item.minutes) parts.push(item.minutes === 1 ? t('program.task_minutes_one') : t('program.task_minutes', { n: item.minutes }));
  if (item.weeks) parts.push(item.weeks === 1 ? t('program.task_weeks_one') : t('program.task_weeks', { n: item.weeks }));
  if (!parts.length) return null;
  return h('p', { class: 'task-suggestion' }, h('strong', null, `${t('program.task_suggestion')}: `), `${parts.join(', ')}.`);
}

// ---- audio and video ----------------------------------------------------------------------------------

function primaryLang(lang) {
  return String(lang || '').toLowerCase().split('-')[0];
}

/** "1:05" */
function clock(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.floor(seconds);
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * A player: the browser's own controls plus our large buttons (A15): Play/Pause, −15 s and
 * +15 s, each a real <button> of at least 44 px that works with the keyboard. Nothing plays by
 * itself (A14). Videos get a captions track per language, the UI language's on by default.
 */
function mediaPlayer(item, kind, id, store = null) {
  const ui = getLang();
  const variants = Array.isArray(item.variants) ? item.variants : [];
  const own = variants.find(([l]) => primaryLang(l) === primaryLang(ui));
  const src = safeHref(own ? own[1] : item.blob);
  if (!src) return h('p', null, t('program.media_missing'));
  const captions = kind === 'video' && Array.isArray(item.captions) ? item.captions.filter(([, url]) => safeHref(url)) : [];
  const defaultCaption = captions.find(([l]) => primaryLang(l) === primaryLang(ui)) || captions[0];
  const media = h(kind, { controls: true, preload: 'metadata', class: `player-media player-${kind}`, id: `${id}-media`, playsinline: kind === 'video' ? true : null },
    captions.map(([lang, url]) => h('track', {
      kind: 'captions', srclang: lang, label: languageName(primaryLang(lang)), src: safeHref(url), default: defaultCaption && defaultCaption[0] === lang ? true : null,
    })));
  media.src = src;

  const playLabel = h('span', { class: 'player-label' }, t('player.play'));
  const playIcon = h('span', { class: 'player-icon', 'aria-hidden': 'true' }, '▶');
  const play = h('button', { type: 'button', class: 'button button-primary player-play', 'data-action': 'play', 'aria-controls': media.id }, playIcon, playLabel);
  const back = h('button', { type: 'button', class: 'button button-secondary player-back', 'data-action': 'back', 'aria-controls': media.id },
    '−15 s', srOnly(` ${t('player.back')}`));
  const forward = h('button', { type: 'button', class: 'button button-secondary player-forward', 'data-action': 'forward', 'aria-controls': media.id },
    '+15 s', srOnly(` ${t('player.forward')}`));
  const time = h('p', { class: 'player-time' }, t('player.time', { at: clock(0), total: '–' }));
  const problem = h('p', { class: 'player-problem', hidden: true });

  const showState = () => {
    const playing = !media.paused && !media.ended;
    playLabel.textContent = playing ? t('player.pause') : t('player.play');
    playIcon.textContent = playing ? '❚❚' : '▶';
  };
  const showTime = () => {
    time.textContent = t('player.time', { at: clock(media.currentTime), total: clock(media.duration) });
  };
  const seek = (delta) => {
    const end = Number.isFinite(media.duration) ? media.duration : Infinity;
    media.currentTime = Math.max(0, Math.min(end, (media.currentTime || 0) + delta));
    showTime();
  };
  play.addEventListener('click', () => {
    if (media.paused || media.ended) {
      const started = media.play();
      if (started && typeof started.catch === 'function') {
        started.catch(() => {
          problem.hidden = false;
          problem.textContent = t('player.cannot_play');
        });
      }
    } else {
      media.pause();
      // `paused` is already true; the pause event comes a task later. Show it at once.
      showState();
    }
  });
  back.addEventListener('click', () => seek(-15));
  forward.addEventListener('click', () => seek(15));
  for (const ev of ['play', 'playing', 'pause', 'ended']) media.addEventListener(ev, showState);
  for (const ev of ['timeupdate', 'durationchange', 'loadedmetadata', 'seeked']) media.addEventListener(ev, showTime);
  media.addEventListener('error', () => {
    problem.hidden = false;
    problem.textContent = t('player.cannot_play');
  });

  const titleText = pickText(item.title) || t(`program.kind.${kind}`);
  const resume = store ? mediaProgress(item, media, store) : null;
  const controls = h('div', { class: 'player-controls', role: 'group', 'aria-label': t('player.controls', { title: titleText }) }, resume, play, back, forward);
  const parts = [media, controls, time, problem];
  if (kind === 'video') {
    parts.push(h('p', { class: 'player-note' }, captions.length
      ? t('player.captions_note', { langs: captions.map(([l]) => languageName(primaryLang(l))).join(', ') })
      : t('player.no_captions')));
    if (defaultCaption) parts.push(captionsTranscript(defaultCaption[1], defaultCaption[0]));
  } else {
    const transcript = item.transcript && !isEmptyLocalized(item.transcript) ? item.transcript : null;
    parts.push(transcript
      ? h('details', { class: 'transcript' }, h('summary', null, t('player.transcript')), localizedHtml(transcript, { headingLevel: 4 }))
      : h('p', { class: 'player-note' }, t('player.no_transcript')));
  }
  return h('div', { class: `player player-${kind}-box` }, parts);
}

/** The captions as text under the video: read from the WebVTT file when first opened. */
function captionsTranscript(url, lang) {
  const body = h('div', { class: 'content', lang: primaryLang(lang) !== primaryLang(getLang()) ? lang : null }, h('p', null, t('common.loading')));
  const details = h('details', { class: 'transcript' }, h('summary', null, t('player.video_transcript')), body);
  let loaded = false;
  details.addEventListener('toggle', async () => {
    if (!details.open || loaded) return;
    loaded = true;
    try {
      const res = await fetch(safeHref(url), { credentials: 'same-origin' });
      if (!res.ok) throw new Error(String(res.status));
      const cues = vttText(await res.text());
      fill(body, cues.length ? cues.map((line) => h('p', null, line)) : h('p', null, t('player.no_transcript')));
    } catch {
      loaded = false;
      fill(body, h('p', null, t('player.transcript_failed')));
    }
  });
  return details;
}

/** The cue texts of a WebVTT file, without timings, settings or markup. */
export function vttText(vtt) {
  const blocks = String(vtt).replace(/\r\n?/g, '\n').split(/\n{2,}/);
  const lines = [];
  for (const block of blocks) {
    const rows = block.split('\n').filter((r) => r.trim());
    if (!rows.length || /^(WEBVTT|NOTE|STYLE|REGION)\b/.test(rows[0])) continue;
    const at = rows.findIndex((r) => r.includes('-->'));
    if (at < 0) continue;
    const text = rows.slice(at + 1).join(' ').replace(/<[^>]*>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&nbsp;/g, ' ').trim();
    if (text && lines[lines.length - 1] !== text) lines.push(text);
  }
  return lines;
}

// ---- course pages: the program section ---------------------------------------------------------------

function releaseLabel(release) {
  return release === 'all' ? t('program.release_all') : t('program.release_weekly');
}

/** The program of a course for staff, with links to the module previews. */
export function courseProgramSection(overview, { courseId, basePath, extra = null, status = null }) {
  const children = [];
  if (!overview) {
    children.push(h('p', null, t('program.staff_none')));
  } else {
    const title = pick(overview.title);
    children.push(facts([
      [t('program.name'), h('span', { lang: title.lang }, title.text)],
      [t('program.version'), String(overview.version)],
      [t('program.release'), releaseLabel(overview.release)],
      [t('program.languages'), (overview.languages || []).map((l) => languageName(primaryLang(l))).join(', ')],
    ]));
    children.push(dataTable({
      caption: t('program.modules_caption'),
      filename: 'ohjelma',
      columns: [
        { label: t('program.module'), value: (m) => moduleLabelText(m),
          cell: (m) => h('a', { href: `${basePath}/kurssi/${courseId}/ohjelma/${m.number}`, class: 'module-preview-link' }, moduleLabel(m)) },
        { label: t('program.opens'), value: (m) => formatDate(m.opens_on, getLang()) },
        { label: t('program.items'), value: (m) => m.items },
      ],
      rows: overview.modules,
    }));
  }
  return h('section', { class: 'section', 'aria-labelledby': 'program-title', id: 'program-section' },
    h('h2', { id: 'program-title' }, t('program.title')),
    status,
    children,
    extra);
}
