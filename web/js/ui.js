// Shared pieces of pages: headings, loading and error panels, tables with CSV export, and the
// words for course states, phases, professions, durations and rule warnings.

import { h, srOnly } from './dom.js';
import { t, tOr, getLang } from './i18n.js';
import { csvButton } from './csv.js';
import { errorMessage } from './forms.js';
import { formatDate, formatRange } from './format.js';

export function loading() {
  return h('p', { class: 'loading', role: 'status' }, t('common.loading'));
}

/** A panel for a failed load, with the reason as text (and what to do). */
export function errorPanel(err) {
  const { title, detail } = errorMessage(err);
  return h('div', { class: 'notice notice-error', role: 'alert' },
    h('p', { class: 'notice-title' }, title),
    detail ? h('p', null, detail) : null,
    h('p', null, t('error.try_again')));
}

export function notice(kind, ...children) {
  return h('div', { class: `notice notice-${kind}` }, ...children);
}

/** A section with an h2 (ids are used by skip links and tests). */
export function section(title, ...children) {
  return h('section', { class: 'section' }, h('h2', null, title), ...children);
}

/**
 * A data table with a caption and a CSV button (A24).
 * columns: [{label, value(row) → string|number (CSV and default cell), cell?(row) → Node|string,
 *   csvOnly?: true (in the CSV file but not on screen, to keep wide tables readable)}]
 */
export function dataTable({ caption, columns, rows, emptyText, filename, csv = true, className }) {
  if (!rows.length) {
    return h('div', { class: 'table-block' },
      h('p', { class: 'table-empty' }, emptyText || t('common.no_rows')));
  }
  const shown = columns.filter((c) => !c.csvOnly);
  const table = h('table', { class: `data-table ${className || ''}`.trim() },
    h('caption', null, caption),
    h('thead', null, h('tr', null, shown.map((c) => h('th', { scope: 'col' }, c.label)))),
    h('tbody', null, rows.map((row) => h('tr', null, shown.map((c, i) => {
      const content = c.cell ? c.cell(row) : String(c.value(row) ?? '');
      return i === 0 && c.rowHeader !== false
        ? h('th', { scope: 'row' }, content)
        : h('td', null, content);
    })))));
  const wrap = h('div', { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-label': caption }, table);
  return h('div', { class: 'table-block' }, wrap,
    csv ? h('p', { class: 'table-actions' }, csvButton({
      tableName: caption,
      filename: `${filename || 'taulukko'}.csv`,
      getData: () => ({
        headers: columns.filter((c) => c.value).map((c) => c.label),
        rows: rows.map((row) => columns.filter((c) => c.value).map((c) => c.value(row) ?? '')),
      }),
    })) : null);
}

/**
 * A data table whose column headers are buttons that sort the rows (A24). Each column also has
 * `key` and `sort(row)` → a comparable value; ties fall back to the first column's sort.
 * `aria-sort` and a status line say which column and which way, never the arrow alone.
 */
export function sortableTable({ caption, filename, emptyText, columns, rows, initial }) {
  const wrap = h('div', { class: 'sortable-table' });
  const state = { key: initial ? initial.key : columns[0].key, dir: initial ? initial.dir : 1 };
  const byKey = Object.fromEntries(columns.map((c) => [c.key, c.sort || c.value]));
  const first = byKey[columns[0].key];
  const sortStatus = h('p', { class: 'visually-hidden', role: 'status' });
  function draw(focusKey) {
    const sortOf = byKey[state.key];
    const sorted = [...rows].sort((a, b) => {
      const x = sortOf(a);
      const y = sortOf(b);
      if (x < y) return -state.dir;
      if (x > y) return state.dir;
      return first(a) < first(b) ? -1 : 1;
    });
    const table = dataTable({ caption, filename, emptyText, columns, rows: sorted });
    const shown = columns.filter((c) => !c.csvOnly);
    table.querySelectorAll('thead th').forEach((th, i) => {
      const col = shown[i];
      const active = state.key === col.key;
      th.setAttribute('aria-sort', active ? (state.dir === 1 ? 'ascending' : 'descending') : 'none');
      const button = h('button', { type: 'button', class: 'sort-button', 'data-sort': col.key },
        col.label,
        h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, active ? (state.dir === 1 ? ' ▲' : ' ▼') : ''),
        srOnly(`, ${t('staffp.sort_by')}`));
      button.addEventListener('click', () => {
        if (state.key === col.key) state.dir = -state.dir;
        else {
          state.key = col.key;
          state.dir = col.key === columns[0].key ? 1 : -1;
        }
        draw(col.key);
        sortStatus.textContent = t(state.dir === 1 ? 'staffp.sorted_asc' : 'staffp.sorted_desc', { column: col.label });
      });
      th.replaceChildren(button);
    });
    wrap.replaceChildren(table, sortStatus);
    if (focusKey) {
      const b = wrap.querySelector(`.sort-button[data-sort="${focusKey}"]`);
      if (b) b.focus();
    }
  }
  draw(null);
  return wrap;
}

/** A description list of label → value pairs. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(Boolean).map(([label, value]) => [
    h('dt', null, label), h('dd', null, value === null || value === undefined || value === '' ? '–' : value),
  ]));
}

// ---- words for codes ---------------------------------------------------------------------------

export function professionLabel(code) {
  if (!code) return '';
  return tOr(`profession.${code}`, code);
}

export function roleLabel(role) {
  return tOr(`role.${role}`, role);
}

export function stateLabel(state) {
  return tOr(`course.state.${state}`, state);
}

export function languageName(lang) {
  return tOr(`language.${lang}`, lang);
}

export function targetGroupLabel(group) {
  return tOr(`course.target.${group}`, group);
}

/** "Etäjakso, viikko 5/12" — the phase in words (with the remote week when there is one). */
export function phaseLabel(course) {
  const phase = course.phase;
  const text = tOr(`course.phase.${phase}`, phase);
  if (phase === 'remote' && course.remote_week) {
    return `${text}, ${weekLabel(course.remote_week).toLowerCase()}`;
  }
  return text;
}

/** "2 h 15 min", "45 min", "4 h". */
export function durationText(minutes) {
  const m = Math.max(0, Math.round(Number(minutes) || 0));
  const hours = Math.floor(m / 60);
  const rest = m % 60;
  if (!hours) return t('meetings.min', { m: rest });
  if (!rest) return t('meetings.h', { h: hours });
  return t('meetings.h_min', { h: hours, m: rest });
}

/** "Viikko 5/12" (A16). */
export function weekLabel(n) {
  return t('week.of', { n, total: 12 });
}

export function startRuleLabel(rule) {
  return tOr(`course.start_rule.${rule}`, rule);
}

/** One missing-team item as text: "Erikoislääkäri puuttuu (R-TEAM)", with have/need when given. */
export function missingText(m) {
  const base = tOr(`team.missing.${m.code}`, m.code);
  const counts = m.have !== undefined && m.need !== undefined
    ? ` ${t('team.have_need', { have: m.have, need: m.need })}` : '';
  return `${base}${counts} (${m.rule || 'R-TEAM'})`;
}

/** A deadline warning of one participant: "Alustava kurssiaika sopimatta (R-AGREE-2W, 24.3.2025)". */
export function deadlineWarningText(w) {
  const base = tOr(`warning.${w.code}`, w.code);
  const date = w.date ? `, ${t('warning.deadline')} ${formatDate(w.date, getLang())}` : '';
  return `${base} (${w.rule}${date})`;
}

/** A course warning from the server: its message plus the rule id. */
export function courseWarningText(w) {
  const base = tOr(`course.warning.${w.code}`, w.message || w.code);
  return `${base} (${w.rule})`;
}

/** The course's periods as [label, start, end] rows. */
export function schedulePeriods(schedule) {
  const s = schedule || {};
  return [
    ['schedule.onsite1', s.onsite1_start, s.onsite1_end],
    ['schedule.remote', s.remote_start, s.remote_end],
    ['schedule.onsite2', s.onsite2_start, s.onsite2_end],
    ['schedule.follow_up', s.follow_up_start, s.follow_up_end],
  ].map(([key, start, end]) => ({ label: t(key), start, end }));
}

export function scheduleTable(course, { filename } = {}) {
  const lang = getLang();
  return dataTable({
    caption: t('schedule.caption'),
    filename: filename || 'aikataulu',
    columns: [
      { label: t('schedule.period'), value: (r) => r.label },
      { label: t('schedule.starts'), value: (r) => formatDate(r.start, lang) },
      { label: t('schedule.ends'), value: (r) => formatDate(r.end, lang) },
    ],
    rows: schedulePeriods(course.schedule),
  });
}

export function rangeText(start, end) {
  return formatRange(start, end, getLang());
}

/** A list of text lines, or a "none" sentence. */
export function textList(lines, noneText) {
  if (!lines.length) return h('p', null, noneText);
  return h('ul', { class: 'text-list' }, lines.map((l) => h('li', null, l)));
}

export { srOnly };
