// CSV export for every table (A24). The format is defined in server/src/http/csv.rs: semicolons
// and a BOM so that Excel in Finnish and Swedish opens it in columns with ä and ö intact, CRLF,
// quotes around cells with ; " or a line break, and an apostrophe before a cell that starts with
// = + - @ tab or CR so a spreadsheet does not run it as a formula (CSV injection). Tables the page
// has are written here by the same rules (both are tested against tests/e2e/csv-cases.json);
// the server's own exports (the overview, the guidance ledger) are downloaded as they are.

import { h, srOnly } from './dom.js';
import { t } from './i18n.js';

function cell(value) {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  if (/[;"\r\n]/.test(text)) text = `"${text.replace(/"/g, '""')}"`;
  return text;
}

export { cell as csvCell };

export function toCsv(headers, rows) {
  return [headers, ...rows].map((row) => row.map(cell).join(';')).join('\r\n');
}

export function downloadCsv(filename, headers, rows) {
  saveFile(filename, new Blob(['\uFEFF', toCsv(headers, rows)], { type: 'text/csv;charset=utf-8' }));
}

/** Offers a Blob the page holds as a download named `filename`. */
export function saveFile(filename, blob) {
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

