// Client-side CSV export for every table (A24). Semicolon-separated with a BOM so that Excel in
// Finnish and Swedish opens it in columns with ä and ö intact. Cells that start with = + - @ are
// prefixed with an apostrophe so a spreadsheet does not run them as formulas (CSV injection).

import { h, srOnly } from './dom.js';
import { t } from './i18n.js';

function cell(value) {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  if (/[;"\r\n]/.test(text)) text = `"${text.replace(/"/g, '""')}"`;
  return text;
}

export function toCsv(headers, rows) {
  return [headers, ...rows].map((row) => row.map(cell).join(';')).join('\r\n');
}

export function downloadCsv(filename, headers, rows) {
  const blob = new Blob(['\uFEFF', toCsv(headers, rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: filename, class: 'visually-hidden' }, filename);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A "Lataa CSV" button; getData() returns {headers, rows} at click time. */
export function csvButton({ tableName, filename, getData }) {
  const button = h('button', { type: 'button', class: 'button button-secondary csv-button' },
    t('csv.download'), srOnly(`: ${tableName}`));
  button.addEventListener('click', () => {
    const { headers, rows } = getData();
    downloadCsv(filename, headers, rows);
  });
  return button;
}
