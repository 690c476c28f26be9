// A16: dates as "ti 14.10.2025", times as "klo 10.00" / "kl. 10.00", in Europe/Helsinki.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './paths.mjs';

const f = await import(pathToFileURL(path.join(REPO_ROOT, 'web', 'js', 'format.js')).href);

test('a date has the weekday and day.month.year', () => {
  assert.equal(f.formatDate('2025-10-14', 'fi'), 'ti 14.10.2025');
  assert.equal(f.formatDate('2025-10-14', 'sv'), 'tis 14.10.2025');
  assert.equal(f.formatDate('2026-01-05', 'fi'), 'ma 5.1.2026');
});

test('a time is "klo 10.00" in Finnish and "kl. 10.00" in Swedish, Helsinki time', () => {
  // 07:00 UTC in October (summer time, UTC+3) is 10.00 in Helsinki.
  assert.equal(f.formatTime('2025-10-14T07:00:00Z', 'fi'), 'klo 10.00');
  assert.equal(f.formatTime('2025-10-14T07:00:00Z', 'sv'), 'kl. 10.00');
  // 08:00 UTC in January (UTC+2) is 10.00 too.
  assert.equal(f.formatTime('2026-01-14T08:00:00Z', 'fi'), 'klo 10.00');
});

test('late Sunday evening UTC is already Monday in Helsinki', () => {
  assert.equal(f.formatDateTime('2026-01-04T22:30:00Z', 'fi'), 'ma 5.1.2026 klo 0.30');
  assert.equal(f.todayInHelsinki(new Date('2026-01-04T22:30:00Z')), '2026-01-05');
});

test('weeks start on Monday', () => {
  assert.equal(f.mondayOf('2025-10-19'), '2025-10-13'); // Sunday → that week's Monday
  assert.equal(f.mondayOf('2025-10-13'), '2025-10-13');
  assert.equal(f.isMonday('2025-10-13'), true);
  assert.equal(f.isMonday('2025-10-14'), false);
  assert.equal(f.addDays('2025-12-29', 7), '2026-01-05');
});

test('a date range reads "ma 6.10.2025 – la 11.10.2025"', () => {
  assert.equal(f.formatRange('2025-10-06', '2025-10-11', 'fi'), 'ma 6.10.2025 – la 11.10.2025');
});

test('CSV cells follow the server\'s rules: quoting, line breaks and the formula guard', async () => {
  const { csvCell, toCsv } = await import(pathToFileURL(path.join(REPO_ROOT, 'web', 'js', 'csv.js')).href);
  const fs = await import('node:fs');
  const cases = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'tests', 'e2e', 'csv-cases.json'), 'utf8'));
  assert.ok(cases.length >= 10);
  for (const [input, expected] of cases) assert.equal(csvCell(input), expected, JSON.stringify(input));
  assert.equal(toCsv(['a', 'b'], [['1', '=2']]), "a;b\r\n1;'=2");
});
