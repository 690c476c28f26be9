// The provider's progress overview (/hallinta/yhteenveto): every course against the service rules
// — phase, group size, team, invoicing — and a table per course of its participants' guidance,
// contacts, program and deadlines. Each status is a word and a reason in words; the coloured
// marker beside it is only a second signal (A24, UX A17). The tables sort by any column. The CSV
// files are made by the server (the overview, the guidance ledger) and downloaded as they are.

import { h, add, fill, srOnly } from '../dom.js';
import { t, tOr, getLang } from '../i18n.js';
import { get, getFile } from '../api.js';
import { loading, errorPanel, phaseLabel, stateLabel, facts } from '../ui.js';
import { statusBox, showStatus, errorMessage } from '../forms.js';
import { formatDate } from '../format.js';
import { saveFile } from '../csv.js';

const SEVERITY = { red: 0, amber: 1, green: 2, grey: 3 };

/** Where a code parameter's words are (the same table is in server/src/overview/words.rs). */
function codeKey(param, code) {
  return param === 'roles' ? `team.missing.${code}` : `overview.period.${code}`;
}

function paramText(name, value) {
  if (Array.isArray(value)) return value.map((c) => tOr(codeKey(name, c), c)).join('; ');
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value, getLang());
  if (typeof value === 'string') return tOr(codeKey(name, value), value);
  return String(value);
}

/** A check's reason in words. */
export function reasonText(check) {
  const params = {};
  for (const [name, value] of Object.entries(check.params || {})) params[name] = paramText(name, value);
  return tOr(`overview.reason.${check.code}`, check.code, params);
}

/**
 * "● Huomio 30 / 240 min …": the word first, the marker hidden from screen readers; the rule id
 * after the reason unless the column's heading names it.
 */
export function statusCell(check, { rule = true } = {}) {
  return h('span', { class: `ov-check ov-${check.status}`, 'data-status': check.status },
    h('span', { class: 'ov-marker', 'aria-hidden': 'true' }),
    h('strong', { class: 'ov-word' }, t(`overview.status.${check.status}`)),
    ' ', h('span', { class: 'ov-reason' }, reasonText(check)),
    rule ? [' ', h('span', { class: 'ov-rule' }, `(${check.rule})`)] : null);
}

/**
 * A button that downloads a CSV file the server makes at `path`, in the UI's language, with the
 * signed-in session; failures are told in `box`.
 */
export function serverCsvButton({ label, path, fallbackName, box, className = '' }) {
  const button = h('button', { type: 'button', class: `button button-secondary ${className}`.trim() }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const sep = path.includes('?') ? '&' : '?';
      const { blob, filename } = await getFile(`${path}${sep}lang=${encodeURIComponent(getLang())}`);
      saveFile(filename || fallbackName, blob);
      showStatus(box, null);
    } catch (err) {
      const { title } = errorMessage(err);
      showStatus(box, [t('overview.export_failed'), title], { kind: 'error' });
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** The course page's ledger export (guides of the course and the provider admin). */
export function ledgerExportSection(courseId) {
  const box = statusBox();
  return h('section', { class: 'section', id: 'ledger-export' },
    h('h2', null, t('overview.ledger_title')),
    h('p', null, t('overview.ledger_intro')),
    h('p', { class: 'actions' }, serverCsvButton({
      label: t('overview.ledger_export'),
      path: `/api/v1/courses/${encodeURIComponent(courseId)}/guidance/entries.csv`,
      fallbackName: 'ohjaus.csv',
      box,
      className: 'ledger-export',
    })),
    box);
}

// ---- one course's table ----------------------------------------------------------------------

/** The participant columns: the check, its heading and rule, and the value that orders a status. */
const COLUMNS = [
  { key: 'guidance', head: 'overview.head.guidance', rule: 'R-GUIDANCE-4H', sort: (p) => p.remote_minutes },
  { key: 'interim', head: 'overview.head.interim', rule: 'R-INTERIM-3', sort: (p) => p.contacts.interim_done * 10 + p.contacts.interim_open },
  { key: 'follow_up', head: 'overview.head.follow_up', rule: 'R-FOLLOWUP', sort: (p) => p.contacts.follow_up_done * 10 + p.contacts.follow_up_open },
  { key: 'program', head: 'overview.head.program', rule: 'R-CONTENT-FULL', sort: (p) => p.completed_modules },
  { key: 'window', head: 'overview.head.window', rule: 'R-WINDOW-20M', sort: (p) => p.window.params.date || '' },
  { key: 'feedback', head: 'overview.head.feedback', rule: 'R-FEEDBACK-2W', sort: (p) => p.feedback.params.date || '' },
  { key: 'report', head: 'overview.head.report', rule: 'R-REPORT-31-3', sort: (p) => p.report.params.date || '' },
];

function compare(a, b) {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

/** Sorts by the column: the name alphabetically, a check by severity (red first), then its value. */
function sorter(column) {
  if (!column) return (a, b) => a.display_name.localeCompare(b.display_name, getLang());
  return (a, b) => compare(SEVERITY[a[column.key].status], SEVERITY[b[column.key].status])
    || compare(column.sort(a), column.sort(b))
    || a.display_name.localeCompare(b.display_name, getLang());
}

function participantsTable(course) {
  const caption = t('overview.table_caption', { course: course.title });
  const state = { by: null, descending: false };
  const heads = [{ key: 'name', label: t('overview.head.participant'), column: null },
    ...COLUMNS.map((c) => ({ key: c.key, label: t(c.head), column: c }))];
  const ths = heads.map((head) => {
    const button = h('button', { type: 'button', class: 'ov-sort', 'data-sort': head.key },
      head.label, head.column ? h('span', { class: 'ov-rule' }, ` ${head.column.rule}`) : null,
      srOnly(t('overview.sort_hint')));
    const th = h('th', { scope: 'col' }, button);
    button.addEventListener('click', () => {
      state.descending = state.by === head.key ? !state.descending : false;
      state.by = head.key;
      draw();
    });
    return th;
  });
  const tbody = h('tbody');
  function draw() {
    const head = heads.find((x) => x.key === state.by);
    const rows = [...course.participants].sort(sorter(head ? head.column : null));
    if (state.descending) rows.reverse();
    heads.forEach((x, i) => {
      if (x.key === state.by) ths[i].setAttribute('aria-sort', state.descending ? 'descending' : 'ascending');
      else ths[i].removeAttribute('aria-sort');
    });
    fill(tbody, rows.map((p) => h('tr', { 'data-participant': p.id },
      h('th', { scope: 'row' }, h('a', { href: `/hallinta/kurssi/${course.id}/osallistuja/${p.id}` }, p.display_name)),
      COLUMNS.map((c) => h('td', { 'data-check': c.key }, statusCell(p[c.key], { rule: false }))))));
  }
  draw();
  const table = h('table', { class: 'data-table ov-table' },
    h('caption', null, caption),
    h('thead', null, h('tr', null, ths)),
    tbody);
  return h('div', { class: 'table-block' },
    h('div', { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-label': caption }, table));
}

function courseSection(course) {
  const link = h('a', { href: `/hallinta/kurssi/${course.id}`, lang: course.language || null }, course.title);
  return h('section', { class: 'section ov-course', 'data-course': course.id },
    h('h2', null, link),
    facts([
      [t('course.phase'), phaseLabel(course)],
      [t('course.state'), stateLabel(course.state)],
      [t('course.site'), course.site],
      [t('overview.head.group'), statusCell(course.group)],
      [t('overview.head.team'), statusCell(course.team)],
      [t('overview.head.invoice'), statusCell(course.invoice)],
    ]),
    course.participants.length
      ? participantsTable(course)
      : h('p', { class: 'table-empty' }, t('overview.no_participants')));
}

function legend() {
  return h('section', { class: 'section', 'aria-labelledby': 'ov-legend-title' },
    h('h2', { id: 'ov-legend-title' }, t('overview.legend_title')),
    h('ul', { class: 'ov-legend' }, ['red', 'amber', 'green', 'grey'].map((s) => h('li', null,
      h('span', { class: `ov-check ov-${s}` },
        h('span', { class: 'ov-marker', 'aria-hidden': 'true' }),
        h('strong', { class: 'ov-word' }, t(`overview.status.${s}`))),
      ' ', t(`overview.legend.${s}`)))));
}

export async function overviewPage(ctx) {
  ctx.setTitle(t('overview.title'));
  const box = statusBox();
  const slot = h('div', null, loading());
  add(ctx.main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/hallinta' }, t('guide.back_to_courses'))),
    h('h1', { tabindex: '-1' }, t('overview.title')),
    h('p', { class: 'lead' }, t('overview.intro')),
    h('p', { class: 'actions ov-exports' },
      serverCsvButton({ label: t('overview.export'), path: '/api/v1/overview.csv', fallbackName: 'yhteenveto.csv', box, className: 'overview-export' }),
      ' ',
      serverCsvButton({ label: t('overview.ledger_export_all'), path: '/api/v1/guidance/entries.csv', fallbackName: 'ohjaus.csv', box, className: 'ledger-export-all' })),
    box,
    slot);
  let overview;
  try {
    overview = await get('/api/v1/overview');
  } catch (err) {
    if (ctx.alive()) fill(slot, errorPanel(err));
    return;
  }
  if (!ctx.alive()) return;
  fill(slot,
    h('p', { id: 'ov-today' }, t('overview.today', { date: formatDate(overview.today, getLang()) })),
    legend(),
    overview.courses.length
      ? overview.courses.map(courseSection)
      : h('p', { class: 'table-empty' }, t('overview.no_courses')));
}
