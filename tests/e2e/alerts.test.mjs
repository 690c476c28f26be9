// Browser tests of the alerts (issue 6, item 4) against the real server in demo mode. The
// scheduler's first tick evaluates the demo course; the section of web/js/pages/guideAlerts.js is
// put on the guide's course page the way the monitoring page places it (the module is
// self-contained: it loads the alerts itself); the guide acknowledges an alert with a note (an
// empty note is refused in words next to the field and in the summary); the participant's name
// links to her page; axe and the probes pass in fi and sv. The participant turns the nudge off.
//
//   cd tests/e2e && node --test --test-concurrency=1 alerts.test.mjs

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
let courseId = null;

const open = (page, pathname) => openPage(page, stack.baseUrl, pathname);

/** The guide's course page, whose alerts section is below the monitoring table. */
async function openAlerts(page) {
  await open(page, `/ohjaus/kurssi/${courseId}`);
  await page.locator('#halytykset .alerts-count').waitFor({ timeout: 20_000 });
}

before(async () => {
  let sessions;
  ({ stack, browser, sessions } = await startDemo(problems, { participant: '/tanaan', guide: '/ohjaus' }));
  ({ participant, guide } = sessions);
  courseId = await participant.page.evaluate(async () => (await (await import('/js/api.js')).get('/api/v1/me/course')).course.id);
  // The scheduler evaluates at start; wait until the course has its alerts.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const n = await guide.page.evaluate(async (id) => (await (await import('/js/api.js')).get(`/api/v1/courses/${id}/alerts`)).alerts.length, courseId);
    if (n > 0) break;
    if (Date.now() > deadline) throw new Error('the demo course got no alerts');
    await new Promise((r) => setTimeout(r, 500));
  }
}, { timeout: 180_000 });

after(async () => {
  if (browser) await browser.close();
  if (stack) await stack.stop();
});

test('(AL1) the guide sees the open alerts in words with links to the participants', { timeout: 60_000 }, async () => {
  const { page } = guide;
  await openAlerts(page);
  assert.equal(await page.locator('#halytykset h2').innerText(), 'Hälytykset');
  assert.match(await page.locator('#halytykset .alerts-count').innerText(), /^Avoimia hälytyksiä \d+, joista kuittaamatta \d+\.$/);
  const person = page.locator('#halytykset .alert-person').first();
  const href = await person.locator('h3 a').getAttribute('href');
  assert.match(href, new RegExp(`^/ohjaus/kurssi/${courseId}/osallistuja/[0-9a-f-]{36}$`));
  assert.match(await person.locator('h3').innerText(), /\(avoimia: \d+\)$/);
  const what = await person.locator('.alert-what').first().innerText();
  assert.ok(!/alerts\./.test(what), what);
  assert.match(what, /\. \(avautui \S+ \d+\.\d+\.\d{4} klo \d+\.\d{2}\)$/);
  await page.locator('#halytykset').screenshot({ path: path.join(SCREENSHOT_DIR, 'alerts-section-fi.png') });
});

test('(AL2) an empty note is refused in words; a note acknowledges the alert, which stays with the note', { timeout: 60_000 }, async () => {
  const { page } = guide;
  await openAlerts(page);
  const row = page.locator('#halytykset .alert-list > li[data-acknowledged="false"]').first();
  const id = await row.getAttribute('data-alert');
  await row.locator('summary', { hasText: 'Kuittaa hälytys' }).click();
  await row.locator('button[type="submit"]').click();
  const summary = row.locator('.error-summary[role="alert"]');
  await summary.waitFor();
  assert.match(await summary.innerText(), /Kirjoita, mitä teit tai päätit\./);
  assert.equal(await row.locator('textarea[name="note"]').getAttribute('aria-invalid'), 'true');

  await row.locator('textarea[name="note"]').fill('Soitin, sovimme ajan torstaille.');
  await row.locator('button[type="submit"]').click();
  await page.locator('#halytykset .status-box', { hasText: 'Hälytys on kuitattu.' }).waitFor();
  const done = page.locator(`#halytykset li[data-alert="${id}"]`);
  assert.equal(await done.getAttribute('data-acknowledged'), 'true');
  assert.match(await done.innerText(), /Kuitattu/);
  assert.match(await done.innerText(), /Soitin, sovimme ajan torstaille\./);
  assert.equal(await done.locator('form').count(), 0);
});

test('(AL3) the participant can turn the nudge mail off in the settings', { timeout: 60_000 }, async () => {
  const { page } = participant;
  await open(page, '/asetukset');
  const box = page.locator('input[name="activity_nudges"]');
  assert.equal(await box.isChecked(), true);
  assert.match(await page.locator('label', { has: box }).innerText(), /ystävällinen muistutus/);
  await box.uncheck();
  await page.locator('form[data-form="mail-preferences"] button[type="submit"]').click();
  await page.locator('.status-box', { hasText: /tallennettu|Tallennettu/ }).first().waitFor();
  const me = await page.evaluate(async () => (await import('/js/api.js')).get('/api/v1/me'));
  assert.equal(me.preferences.activity_nudges, false);
  await open(page, '/asetukset');
  assert.equal(await page.locator('input[name="activity_nudges"]').isChecked(), false);
});

test('(AL4) axe and the probes pass on the alerts and the settings in fi and sv', { timeout: 150_000 }, async () => {
  const failures = [];
  for (const lang of ['fi', 'sv']) {
    for (const who of [participant, guide]) {
      await open(who.page, '/asetukset');
      await setLanguage(who.page, lang);
    }
    for (const [name, who] of [['alerts', guide], ['settings', participant]]) {
      const { page } = who;
      if (name === 'alerts') await openAlerts(page);
      else await open(page, '/asetukset');
      if (name === 'alerts' && lang === 'sv') assert.equal(await page.locator('#halytykset h2').innerText(), 'Larm');
      failures.push(...await screenFailures(page, `${lang} ${name}`, { lang }));
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `alerts-${name}-${lang}.png`), fullPage: true });
    }
  }
  for (const who of [participant, guide]) {
    await open(who.page, '/asetukset');
    await setLanguage(who.page, 'fi');
  }
  assert.deepEqual(problems, []);
  assert.equal(failures.length, 0, failures.join('\n\n'));
});
