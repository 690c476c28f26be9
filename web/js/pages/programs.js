// The provider admin's programs page (/hallinta/ohjelmat): import a Moodle backup, a SCORM or H5P
// package or a program folder (zip), see the import report as text and tables, and the list of
// programs and their versions. The upload goes with XMLHttpRequest so its progress shows as text
// in a role=status message ("Lähetetty 45 %").

import { h, add, fill } from '../dom.js';
import { t, tOr, getLang } from '../i18n.js';
import { get, upload, ApiError } from '../api.js';
import { statusBox, showStatus, showErrors, clearErrors, errorMessage } from '../forms.js';
import { loading, errorPanel, dataTable, facts } from '../ui.js';
import { formatDateTime } from '../format.js';

const KINDS = ['page', 'book', 'lesson', 'video', 'audio', 'file', 'folder', 'link', 'exercise', 'discussion', 'embedded_package', 'task'];

function kindName(kind) {
  return KINDS.includes(kind) ? t(`program.kind.${kind}`) : kind;
}

/** "47 kt", "2,7 Mt" — sizes as people read them. */
export function sizeText(bytes, lang = getLang()) {
  const n = Number(bytes) || 0;
  const units = lang === 'en' ? ['B', 'kB', 'MB', 'GB'] : (lang === 'sv' ? ['B', 'kB', 'MB', 'GB'] : ['t', 'kt', 'Mt', 'Gt']);
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const number = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : `${lang}-FI`, { maximumFractionDigits: digits }).format(value);
  return `${number} ${units[unit]}`;
}

function itemTotal(items) {
  return Object.values(items || {}).reduce((a, b) => a + (Number(b) || 0), 0);
}

/** A refusal reason from the importer in the admin's language (the server's own words are English). */
function refusalText(detail) {
  const d = String(detail || '');
  const known = [
    [/IMS Common Cartridge/i, 'import.reason.imscc'],
    [/^the file is empty/i, 'import.reason.empty'],
    [/^unsupported format/i, 'import.reason.unsupported'],
    [/^corrupt archive/i, 'import.reason.corrupt'],
    [/^unsafe archive entry/i, 'import.reason.unsafe'],
    [/^limit exceeded/i, 'import.reason.limit'],
    [/DTD or entity/i, 'import.reason.dtd'],
    [/invalid XML/i, 'import.reason.xml'],
    [/^invalid Moodle backup/i, 'import.reason.moodle'],
    [/^invalid program folder/i, 'import.reason.folder'],
  ];
  const hit = known.find(([re]) => re.test(d));
  return hit ? t(hit[1]) : t('import.reason.other');
}

function reportView(report, { fileName, status }) {
  const items = report.items || {};
  const kinds = Object.keys(items).sort((a, b) => (KINDS.indexOf(a) + 1 || 99) - (KINDS.indexOf(b) + 1 || 99));
  const skipped = Array.isArray(report.skipped) ? report.skipped : [];
  const warnings = Array.isArray(report.warnings) ? report.warnings : [];
  const total = itemTotal(items);
  const summary = report.duplicate
    ? t('import.duplicate', { version: report.version })
    : t('import.done', { version: report.version });
  return h('section', { class: 'section card import-report', 'aria-labelledby': 'report-title', id: 'import-report' },
    h('h2', { id: 'report-title' }, t('import.report_title')),
    h('p', { class: 'import-summary lead', id: 'import-summary' }, summary),
    report.duplicate ? h('p', null, t('import.duplicate_more')) : null,
    h('p', { id: 'import-counts' }, t('import.counts', {
      modules: report.modules, items: total, questions: report.exercises ?? 0, files: report.files ?? 0, size: sizeText(report.bytes),
    })),
    facts([
      [t('import.file'), fileName || ''],
      [t('import.version'), String(report.version ?? '')],
      [t('import.modules'), String(report.modules ?? 0)],
      [t('import.items'), String(total)],
      [t('import.questions'), String(report.exercises ?? 0)],
      [t('import.files'), String(report.files ?? 0)],
      [t('import.size'), sizeText(report.bytes)],
      [t('import.skipped_count'), String(skipped.length)],
      [t('import.warnings_count'), String(warnings.length)],
    ]),
    h('h3', null, t('import.items_title')),
    dataTable({
      caption: t('import.items_caption'),
      filename: 'tuonti-osiot',
      emptyText: t('import.items_none'),
      columns: [
        { label: t('import.kind'), value: (k) => kindName(k) },
        { label: t('import.count'), value: (k) => items[k] },
      ],
      rows: kinds,
    }),
    h('h3', null, t('import.skipped_title')),
    skipped.length ? h('p', null, t('import.skipped_intro')) : null,
    dataTable({
      caption: t('import.skipped_caption'),
      filename: 'tuonti-ohitetut',
      emptyText: t('import.skipped_none'),
      columns: [
        { label: t('import.what'), value: (s) => s.what, cell: (s) => h('span', { lang: 'en' }, s.what) },
        { label: t('import.why'), value: (s) => s.why, cell: (s) => h('span', { lang: 'en' }, s.why) },
      ],
      rows: skipped,
    }),
    h('h3', null, t('import.warnings_title')),
    dataTable({
      caption: t('import.warnings_caption'),
      filename: 'tuonti-varoitukset',
      emptyText: t('import.warnings_none'),
      columns: [
        { label: t('import.warning'), value: (w) => String(w), cell: (w) => h('span', { lang: 'en' }, String(w)) },
      ],
      rows: warnings,
    }),
    status || null);
}

function versionsTable(programs) {
  const lang = getLang();
  const rows = [];
  for (const p of programs) for (const v of p.versions || []) rows.push({ program: p, version: v });
  return dataTable({
    caption: t('programs.caption'),
    filename: 'ohjelmat',
    emptyText: t('programs.empty'),
    columns: [
      { label: t('programs.program'), value: (r) => r.program.title },
      { label: t('import.version'), value: (r) => r.version.version },
      { label: t('programs.format'), value: (r) => tOr(`programs.format.${r.version.format}`, r.version.format) },
      { label: t('import.file'), value: (r) => r.version.source_name },
      { label: t('programs.imported_at'), value: (r) => formatDateTime(r.version.imported_at, lang) },
      { label: t('import.modules'), value: (r) => (r.version.report ? r.version.report.modules : '') },
      { label: t('import.items'), value: (r) => (r.version.report ? itemTotal(r.version.report.items) : '') },
      { label: t('import.questions'), value: (r) => (r.version.report ? r.version.report.exercises : '') },
      { label: t('import.size'), value: (r) => (r.version.report ? sizeText(r.version.report.bytes, lang) : '') },
    ],
    rows,
  });
}

export async function programsPage(ctx) {
  ctx.setTitle(t('programs.title'));
  add(ctx.main, h('h1', { tabindex: '-1' }, t('programs.title')), h('p', { class: 'lead' }, t('programs.intro')));

  // ---- the import form ----
  const inputId = 'program-file';
  const hintId = `${inputId}-hint`;
  const input = h('input', {
    type: 'file', id: inputId, name: 'file', class: 'input input-file', accept: '.mbz,.zip,.h5p',
    'aria-describedby': hintId,
  });
  const progress = statusBox();
  progress.id = 'import-progress';
  const bar = h('progress', { class: 'upload-bar', max: '100', value: '0', hidden: true, 'aria-hidden': 'true' });
  const button = h('button', { type: 'submit', class: 'button button-primary' }, t('import.button'));
  const form = h('form', { class: 'form', 'data-form': 'program-import', novalidate: true },
    h('div', { class: 'field', 'data-field': 'file' },
      h('label', { for: inputId, class: 'field-label' }, t('import.file_label')),
      h('p', { class: 'hint', id: hintId }, t('import.file_hint')),
      h('p', { class: 'field-error', id: `${inputId}-error`, hidden: true }),
      input),
    h('p', { class: 'actions' }, button));
  const reportSlot = h('div', { id: 'import-report-slot' });
  const listStatus = statusBox();
  const listSlot = h('div', null, loading());

  add(ctx.main,
    h('section', { class: 'section card', 'aria-labelledby': 'import-title' },
      h('h2', { id: 'import-title' }, t('import.title')),
      h('p', null, t('import.intro')),
      h('ul', { class: 'text-list' },
        h('li', null, t('import.kind_mbz')),
        h('li', null, t('import.kind_package')),
        h('li', null, t('import.kind_folder'))),
      form, bar, progress),
    reportSlot,
    h('section', { class: 'section', 'aria-labelledby': 'programs-list-title' },
      h('h2', { id: 'programs-list-title' }, t('programs.list_title')),
      h('p', null, t('programs.list_intro')),
      listStatus,
      listSlot));

  async function refreshList() {
    try {
      const programs = await get('/api/v1/programs');
      if (ctx.alive()) fill(listSlot, versionsTable(programs));
    } catch (err) {
      if (ctx.alive()) fill(listSlot, errorPanel(err));
    }
  }

  let busy = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    clearErrors(form);
    const file = input.files && input.files[0];
    if (!file) {
      showErrors(form, { title: t('form.errors_title'), fieldErrors: [{ field: 'file', message: t('validation.file_missing') }] });
      return;
    }
    busy = true;
    form.setAttribute('aria-busy', 'true');
    fill(reportSlot);
    bar.hidden = false;
    bar.value = 0;
    let shownStep = -1;
    const showPercent = (percent) => {
      // role=status is read aloud: a new text every 5 % is enough.
      const step = Math.floor(percent / 5);
      bar.value = percent;
      if (step === shownStep) return;
      shownStep = step;
      showStatus(progress, t('import.sent', { percent }), { kind: 'info' });
    };
    showPercent(0);
    const body = new FormData();
    body.append('file', file, file.name);
    try {
      const { body: report } = await upload('/api/v1/programs/import', body, {
        onProgress: (sent, total) => {
          if (total) showPercent(Math.min(100, Math.round((sent / total) * 100)));
        },
        onUploaded: () => {
          bar.value = 100;
          showStatus(progress, [t('import.sent', { percent: 100 }), t('import.reading')], { kind: 'info' });
        },
      });
      if (!ctx.alive()) return;
      // The list first, so the page does not move under the reader once the report is there.
      await refreshList();
      if (!ctx.alive()) return;
      bar.hidden = true;
      showStatus(progress, report.duplicate ? t('import.duplicate', { version: report.version }) : t('import.done', { version: report.version }),
        { kind: report.duplicate ? 'info' : 'success' });
      fill(reportSlot, reportView(report, { fileName: file.name }));
      form.reset();
    } catch (err) {
      if (!ctx.alive()) return;
      bar.hidden = true;
      showStatus(progress, null);
      if (err instanceof ApiError && err.code === 'import_rejected') {
        const reason = refusalText(err.detail);
        showErrors(form, {
          title: t('import.rejected_title', { name: file.name }),
          detail: err.detail ? `${err.detail}` : null,
          detailLang: 'en',
          fieldErrors: [{ field: 'file', message: reason }],
        });
        const summary = form.querySelector('.error-summary');
        const server = summary && summary.querySelector('p[lang="en"]');
        if (server) server.prepend(h('span', { lang: getLang() }, `${t('import.server_said')} `));
      } else if (err instanceof ApiError && err.status === 413) {
        showErrors(form, { title: t('import.rejected_title', { name: file.name }), fieldErrors: [{ field: 'file', message: t('import.too_large') }] });
      } else if (err instanceof ApiError && err.code === 'import_in_progress') {
        showErrors(form, { title: t('import.rejected_title', { name: file.name }), fieldErrors: [{ field: 'file', message: t('import.in_progress') }] });
      } else {
        const { title, detail } = errorMessage(err);
        showErrors(form, { title, detail, fieldErrors: [] });
      }
    } finally {
      busy = false;
      form.removeAttribute('aria-busy');
    }
  });

  await refreshList();
}

