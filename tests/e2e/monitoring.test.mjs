// Browser tests of the guide's monitoring (issue 6, items 1, 3 and 7) against the real server in
// demo mode: a guide runs a guided discussion in the group chat while the participant writes,
// saves its minutes for her, and sees them on the course page's monitoring view and on her
// timeline; axe and the probes pass on those screens in fi and sv.
//
//   cd tests/e2e && node --test --test-concurrency=1 monitoring.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startDemo, SCREENSHOT_DIR } from './harness.mjs';
import { screenFailures } from './probes.mjs';
import { open as openPage, setLanguage } from './pages.mjs';

let stack;
let browser;
let participant; // {context, page}
let guide;
const problems = []; // CSP violations and script errors
const ids = { participant: null, course: null, name: null };

const open = (page, pathname) => openPage(page, stack.baseUrl, pathname);
const chatPath = () => `/ohjaus/kurssi/${ids.course}/keskustelu`;
const coursePath = () => `/ohjaus/kurssi/${ids.course}`;
const participantPath = () => `${coursePath()}/osallistuja/${ids.participant}`;
const panel = (page) => page.locator('#chat-guidance-session');

async function connected(page) {
  await page.waitForSelector('#chat-connection[data-status="open"]', { timeout: 45_000 });
}

async function sessionState(page, state) {
  await page.waitForSelector(`#chat-guidance-session[data-state="${state}"]`, { timeout: 20_000 });
}

before(async () => {
  let sessions;
  ({ stack, browser, sessions } = await startDemo(problems, { participant: '/tanaan', guide: '/ohjaus' }));
  ({ participant, guide } = sessions);
  ids.participant = await participant.page.evaluate(async () => (await import('/js/api.js')).currentUser().id);
  ids.name = await participant.page.evaluate(async () => (await import('/js/api.js')).currentUser().display_name);
  ids.course = await participant.page.evaluate(async () => (await (await import('/js/api.js')).get('/api/v1/me/course')).course.id);
}, { timeout: 180_000 });

after(async () => {
  if (browser) await browser.close();
  if (stack) await stack.stop();
});

test('(S1) a guide runs a guided discussion: the group sees it, the participant who wrote is ticked, the minutes are saved', { timeout: 180_000 }, async () => {
  const g = guide.page;
  await open(g, chatPath());
  await sessionState(g, 'none');
  await panel(g).locator('button[data-action="start-session"]').click();
  await sessionState(g, 'running');
  assert.match(await panel(g).locator('#gsession-running').innerText(), /^Ohjattu keskustelu on käynnissä: alkoi klo \d{1,2}\.\d{2}, kestänyt nyt 1 min\.$/);

  // The participant sees the start in the group chat and writes.
  const p = participant.page;
  await open(p, '/ryhma/keskustelu');
  await connected(p);
  await p.locator('#chat-log li.msg-event', { hasText: 'aloitti ohjatun keskustelun' }).waitFor({ timeout: 20_000 });
  const field = p.locator('form[data-form="chat-send"] textarea');
  await field.click();
  await field.fill('Hyvä että olet paikalla. Minulla on kysymys levosta.');
  await field.press('Enter');
  await p.locator('#chat-log li.msg', { hasText: 'kysymys levosta' }).waitFor({ timeout: 20_000 });

  // The guide ends it: the participant who wrote is ticked, with the reason in words.
  await open(g, chatPath());
  await sessionState(g, 'running');
  await panel(g).locator('button[data-action="end-session"]').click();
  await sessionState(g, 'ended');
  const form = panel(g).locator('form[data-form="guidance-session"]');
  const box = form.locator('label', { hasText: `${ids.name} – kirjoitti` }).locator('input[type="checkbox"]');
  assert.equal(await box.isChecked(), true);
  // Nobody ticked is refused in words, and nothing is saved.
  const ticked = form.locator('input[type="checkbox"]:checked');
  const values = await ticked.evaluateAll((els) => els.map((e) => e.value));
  for (const el of await ticked.all()) await el.uncheck();
  await form.locator('button[type="submit"]').click();
  await form.locator('.field-error', { hasText: 'Valitse vähintään yksi osallistuja.' }).waitFor();
  for (const v of values) await form.locator(`input[type="checkbox"][value="${v}"]`).check();
  // The guide corrects the length: the talk went on by phone for a while.
  await form.locator('input[name="minutes"]').fill('25');
  await form.locator('textarea[name="note"]').fill('Lepo ja jaksaminen.');
  await form.locator('button[type="submit"]').click();
  await panel(g).locator('.status-box', { hasText: 'Ohjausta kirjattiin 25 min' }).waitFor();
  await sessionState(g, 'none');
  await p.locator('#chat-log li.msg-event', { hasText: 'päätti ohjatun keskustelun' }).waitFor({ timeout: 20_000 });
});

test('(S2) the minutes show on the course page\'s monitoring view and on the participant\'s timeline', { timeout: 120_000 }, async () => {
  const g = guide.page;
  await open(g, coursePath());
  const table = g.locator('#monitoring-section table');
  await table.waitFor();
  const row = table.locator('tr', { has: g.locator(`a[href="${participantPath()}"]`) });
  const text = await row.innerText();
  assert.match(text, /25 min \/ 4 h/, `no guidance minutes in the row: ${text}`);
  assert.match(text, /tahdissa|jäljessä/, `no pace word in the row: ${text}`);
  assert.match(text, /väliyhteydenotot \d\/3 tehty/, `no interim contacts in the row: ${text}`);
  assert.match(text, /ei hälytyksiä|ohjelma jäljessä|ohjaus jäljessä|sopimatta|kirjaamatta|vastaamatta|ei käynyt/, `no alerts column in the row: ${text}`);
  assert.match(await g.locator('#monitoring-section details summary').innerText(), /Mitä ”tahdissa” tarkoittaa\?/);
  // Sorting by guidance puts the column's aria-sort on.
  await g.click('#monitoring-section .sort-button[data-sort="guidance"]');
  assert.equal(await g.locator('#monitoring-section th:has(.sort-button[data-sort="guidance"])').getAttribute('aria-sort'), 'descending');

  await row.locator('a.participant-link').click();
  await g.waitForURL(`**${participantPath()}`);
  const line = g.locator('section#aikajana');
  await line.locator('.timeline').waitFor({ timeout: 20_000 });
  const events = await line.innerText();
  assert.match(events, /Ohjausta: ryhmäkeskustelu, 25 min/);
  assert.match(events, /Kirjoitti ryhmään: ”Hyvä että olet paikalla\./);
});

test('(S3) axe and the probes pass on the chat page with a running session, the monitoring view and the timeline, in fi and sv', { timeout: 300_000 }, async () => {
  const failures = [];
  const g = guide.page;
  await open(g, chatPath());
  await sessionState(g, 'none');
  await panel(g).locator('button[data-action="start-session"]').click();
  await sessionState(g, 'running');
  const screens = [
    { name: 'ohjattu-keskustelu', path: chatPath(), wait: '#chat-guidance-session[data-state="running"]' },
    { name: 'seuranta', path: coursePath(), wait: '#monitoring-section table' },
    { name: 'aikajana', path: participantPath(), wait: 'section#aikajana .timeline' },
  ];
  for (const lang of ['fi', 'sv']) {
    await open(g, '/asetukset');
    await setLanguage(g, lang);
    for (const s of screens) {
      await open(g, s.path);
      await g.locator(s.wait).waitFor({ timeout: 20_000 });
      failures.push(...await screenFailures(g, `${lang} ${s.path}`, { lang }));
      await g.screenshot({ path: path.join(SCREENSHOT_DIR, `${s.name}-${lang}.png`), fullPage: true });
    }
  }
  // The session ended without an entry; the language goes back.
  await open(g, chatPath());
  await sessionState(g, 'running');
  await panel(g).locator('button[data-action="cancel-session"]').click();
  await sessionState(g, 'none');
  await open(g, '/asetukset');
  await setLanguage(g, 'fi');
  assert.deepEqual(problems, []);
  assert.equal(failures.length, 0, failures.join('\n\n'));
});
