// Browser test of the provider's progress overview (issue 6, items 5 and 6): the provider admin of
// the demo opens "Yhteenveto" from the navigation, reads each course's and participant's status in
// words (the colour is a second signal only), sorts a table, downloads the overview and a course's
// guidance ledger as CSV files made by the server (a BOM, `;` between cells, CRLF), and axe and
// the probes pass on the page in fi, sv and en.
//
//   cd tests/e2e && node --test --test-concurrency=1 overview.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startDemo, SCREENSHOT_DIR } from './harness.mjs';
import { screenFailures } from './probes.mjs';
import { open as openPage, setLanguage } from './pages.mjs';

let stack;
let browser;
let admin; // {context, page}
const problems = []; // CSP violations and script errors

const open = (page, pathname) => openPage(page, stack.baseUrl, pathname);
const STATUS_WORDS = {
  fi: ['Korjattava', 'Huomio', 'Kunnossa', 'Ei arviota'],
  sv: ['Åtgärda', 'Observera', 'I ordning', 'Ingen bedömning'],
  en: ['Action needed', 'Attention', 'On track', 'Not rated'],
};

/** Clicks `selector` and reads the file it downloads. */
async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const bytes = fs.readFileSync(await file.path());
  return { name: file.suggestedFilename(), bytes, text: bytes.toString('utf8') };
}

before(async () => {
  let sessions;
  ({ stack, browser, sessions } = await startDemo(problems, { 'provider admin': '/hallinta' }));
  admin = sessions['provider admin'];
}, { timeout: 180_000 });

after(async () => {
  if (browser) await browser.close();
  if (stack) await stack.stop();
});

test('(O1) the provider admin opens the overview and reads every status in words', { timeout: 90_000 }, async () => {
  const { page } = admin;
  await page.click('nav.main-nav a[href="/hallinta/yhteenveto"]');
  await page.waitForURL('**/hallinta/yhteenveto');
  await page.locator('main .ov-course').first().waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('nav.main-nav [aria-current="page"]').innerText(), 'Yhteenveto');
  assert.equal(await page.locator('main h1').innerText(), 'Kurssien yhteenveto');

  // The demo's running Finnish course: its phase, group, team and invoicing in words.
  const running = page.locator('main .ov-course', { hasText: 'Etäjakso, viikko' }).first();
  const facts = await running.locator('dl.facts').innerText();
  assert.match(facts, /Ryhmän koko\s+(Kunnossa|Huomio|Korjattava) \d+ osallistujaa/);
  assert.match(facts, /Tiimi\s+\S+/);
  assert.match(facts, /Laskutus\s+(Kunnossa|Huomio|Ei arviota) /);

  // Every cell starts with a status word, then the reason in words: no codes. The rule is in the
  // column's heading.
  const cells = running.locator('tbody td .ov-check');
  const n = await cells.count();
  assert.ok(n >= 7 * 8, `a row of 7 checks for each of the 8 participants, got ${n} cells`);
  for (let i = 0; i < n; i += 1) {
    const cell = cells.nth(i);
    const word = await cell.locator('.ov-word').innerText();
    assert.ok(STATUS_WORDS.fi.includes(word), `a status word, got "${word}"`);
    const reason = await cell.locator('.ov-reason').innerText();
    assert.ok(reason.length > 5 && !/overview\.|_|\{/.test(reason), `a reason in words, got "${reason}"`);
    assert.equal(await cell.locator('.ov-marker').getAttribute('aria-hidden'), 'true');
  }
  const guidance = await running.locator('tbody tr').first().locator('td[data-check="guidance"]').innerText();
  assert.match(guidance, /\d+ \/ 240 min/);
  assert.match(await running.locator('thead button[data-sort="guidance"]').innerText(), /^Ohjaus\s+R-GUIDANCE-4H/);

  // Sorting by guidance puts the most urgent first and says so to screen readers.
  await running.locator('button.ov-sort[data-sort="guidance"]').click();
  const th = running.locator('th', { has: page.locator('button[data-sort="guidance"]') });
  assert.equal(await th.getAttribute('aria-sort'), 'ascending');
  const severity = { red: 0, amber: 1, green: 2, grey: 3 };
  const order = await running.locator('tbody td[data-check="guidance"] .ov-check').evaluateAll(
    (els) => els.map((el) => el.dataset.status));
  assert.deepEqual(order, [...order].sort((a, b) => severity[a] - severity[b]));
  await running.locator('button.ov-sort[data-sort="guidance"]').click();
  assert.equal(await th.getAttribute('aria-sort'), 'descending');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'overview-fi.png'), fullPage: true });
});

test('(O2) the overview and a course ledger download as CSV files with a BOM and semicolons', { timeout: 90_000 }, async () => {
  const { page } = admin;
  await open(page, '/hallinta/yhteenveto');
  await page.locator('main .ov-course').first().waitFor({ timeout: 20_000 });

  const overview = await download(page, 'main button.overview-export');
  assert.match(overview.name, /^yhteenveto-\d{4}-\d{2}-\d{2}\.csv$/);
  assert.deepEqual([...overview.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
  const lines = overview.text.slice(1).split('\r\n');
  assert.ok(lines[0].startsWith('Kurssi;Toimipiste;Kieli;Tila;Vaihe;Osallistujia;'), lines[0]);
  assert.equal(lines.at(-1), '', 'every line ends with CRLF');
  const width = lines[0].split(';').length;
  // The demo's names and reasons hold no `;`, so each row splits into the header's cells.
  assert.ok(lines.length >= 10, `a row per participant, got ${lines.length - 2}`);
  for (const line of lines.slice(1, -1)) assert.equal(line.split(';').length, width, line);
  assert.ok(STATUS_WORDS.fi.some((w) => lines[1].includes(`;${w};`)), lines[1]);

  // In Swedish the header is Swedish.
  await open(page, '/asetukset');
  await setLanguage(page, 'sv');
  await open(page, '/hallinta/yhteenveto');
  await page.locator('main .ov-course').first().waitFor({ timeout: 20_000 });
  const sv = await download(page, 'main button.overview-export');
  assert.match(sv.name, /^oversikt-/);
  assert.ok(sv.text.startsWith('\uFEFFKurs;Verksamhetsställe;'), sv.text.slice(0, 60));
  await open(page, '/asetukset');
  await setLanguage(page, 'fi');

  // A course's page offers its guidance ledger.
  await open(page, '/hallinta/yhteenveto');
  await page.locator('main .ov-course h2 a').first().click();
  await page.locator('#ledger-export button.ledger-export').waitFor({ timeout: 20_000 });
  const ledger = await download(page, '#ledger-export button.ledger-export');
  assert.match(ledger.name, /^ohjaus-/);
  assert.ok(ledger.text.startsWith('\uFEFFAika;Ammattilainen;Laji;Minuutit;Osallistujat;'), ledger.text.slice(0, 80));
});

test('(O3) axe and the probes pass on the overview in fi, sv and en; no script or CSP errors', { timeout: 300_000 }, async () => {
  const { page } = admin;
  const failures = [];
  for (const lang of ['fi', 'sv', 'en']) {
    await open(page, '/asetukset');
    await setLanguage(page, lang);
    await open(page, '/hallinta/yhteenveto');
    await page.locator('main .ov-course').first().waitFor({ timeout: 20_000 });
    const words = await page.locator('main tbody .ov-word').allInnerTexts();
    assert.ok(words.every((w) => STATUS_WORDS[lang].includes(w)), `${lang}: ${[...new Set(words)]}`);
    failures.push(...await screenFailures(page, `${lang} /hallinta/yhteenveto`, { lang }));
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `overview-${lang}.png`), fullPage: true });
  }
  await open(page, '/asetukset');
  await setLanguage(page, 'fi');
  assert.deepEqual(problems, []);
  assert.equal(failures.length, 0, failures.join('\n\n'));
});
