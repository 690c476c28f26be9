// Browser tests of guidance and contacts (issue 6, items 1, 2 and 6) against the real server in
// demo mode: a guide books contacts and records guidance on the participant's page; the
// participant confirms a time and asks for another on "Ohjaus ja tapaamiset"; the minutes show
// to both and on the participant's home; axe and the probes pass on the new screens in fi and sv.
//
//   cd tests/e2e && node --test --test-concurrency=1 meetings.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startDemo, SCREENSHOT_DIR } from './harness.mjs';
import { screenFailures } from './probes.mjs';
import { ready, open as openPage, setLanguage } from './pages.mjs';

let stack;
let browser;
let participant; // {context, page}
let guide;
const problems = []; // CSP violations and script errors
const ids = { participant: null, course: null };

const open = (page, pathname) => openPage(page, stack.baseUrl, pathname);

/** A day in Helsinki `days` from today, as `YYYY-MM-DD`. */
function helsinkiDay(days) {
  const d = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Helsinki' }).format(d);
}

const guidePath = () => `/ohjaus/kurssi/${ids.course}/osallistuja/${ids.participant}`;

async function openGuideSection(page) {
  await open(page, guidePath());
  await page.locator('#ohjaus #gguid-minutes').waitFor({ timeout: 20_000 });
}

async function book(page, { day, time, method }) {
  const before = await page.locator('#ohjaus .gguid-contacts > li').count();
  const form = page.locator('#ohjaus form[data-form="contact-book"]');
  await form.locator('select[name="method"]').selectOption(method);
  await form.locator('input[name="planned_at"]').fill(`${day}T${time}`);
  await form.locator('input[name="planned_minutes"]').fill('30');
  await form.locator('button[type="submit"]').click();
  await page.locator('#ohjaus .status-box', { hasText: 'Yhteydenotto on sovittu.' }).waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('#ohjaus .gguid-contacts > li').length === n, before + 1);
}

before(async () => {
  let sessions;
  ({ stack, browser, sessions } = await startDemo(problems, { participant: '/tanaan', guide: '/ohjaus' }));
  ({ participant, guide } = sessions);
  ids.participant = await participant.page.evaluate(async () => (await import('/js/api.js')).currentUser().id);
  ids.course = await participant.page.evaluate(async () => (await (await import('/js/api.js')).get('/api/v1/me/course')).course.id);
}, { timeout: 180_000 });

after(async () => {
  if (browser) await browser.close();
  if (stack) await stack.stop();
});

test('(M1) a guide books a video contact for tomorrow and one held yesterday on the participant page', { timeout: 90_000 }, async () => {
  const { page } = guide;
  await openGuideSection(page);
  assert.match(await page.locator('#gguid-minutes').innerText(), /^Ohjausta etäjaksolla 0 min \/ 4 h$/);
  await book(page, { day: helsinkiDay(1), time: '10:00', method: 'video' });
  await book(page, { day: helsinkiDay(-1), time: '10:00', method: 'phone' });
  assert.equal(await page.locator('#ohjaus .gguid-contacts li[data-status="planned"]').count(), 2);
  assert.match(await page.locator('#gguid-counts').innerText(), /sovittu 2, vaaditaan 3/);
});

test('(M2) the participant confirms tomorrow\'s time, then asks for another with a message the guide sees', { timeout: 90_000 }, async () => {
  const { page } = participant;
  await open(page, '/ryhma');
  await page.click('#meetings-link');
  await page.waitForURL('**/ryhma/tapaamiset');
  await ready(page);
  const cards = page.locator('ul.contacts > li');
  assert.equal(await cards.count(), 2);
  // Soonest first: yesterday's phone call, then tomorrow's video call.
  assert.match(await cards.nth(0).innerText(), /Ohjaaja soittaa sinulle sovittuna aikana\./);
  const tomorrow = cards.nth(1);
  assert.match(await tomorrow.locator('h3').innerText(), /^Välitapaaminen: /);
  assert.match(await tomorrow.innerText(), /Ohjaaja lähettää sinulle videopuhelun linkin\./);
  await tomorrow.locator('button[data-action="confirm"]').click();
  await page.locator('.status-box', { hasText: 'Aika on vahvistettu.' }).first().waitFor();
  assert.equal(await page.locator('ul.contacts > li').nth(1).locator('.contact-status').innerText(), 'Vahvistettu');
  // Focus went to the card that changed, not to the top of the page.
  assert.match(await page.evaluate(() => document.activeElement.textContent), /^Välitapaaminen: /);

  const again = page.locator('ul.contacts > li').nth(1);
  await again.locator('button[data-action="reschedule"]').click();
  await again.locator('form[data-form="reschedule"] textarea').fill('Sopisiko torstaina iltapäivällä?');
  await again.locator('form[data-form="reschedule"] button[type="submit"]').click();
  await page.locator('.status-box', { hasText: 'Pyyntö on lähetetty ohjaajalle.' }).first().waitFor();
  assert.match(await page.locator('ul.contacts > li').nth(1).innerText(), /Pyysit toista aikaa\./);

  await openGuideSection(guide.page);
  const asked = guide.page.locator('#ohjaus .gguid-contacts li[data-status="reschedule_requested"]');
  assert.match(await asked.innerText(), /Sopisiko torstaina iltapäivällä\?/);
});

test('(M3) the guide marks yesterday\'s call held and records a phone call; the minutes show to both and on the home', { timeout: 90_000 }, async () => {
  const { page } = guide;
  await openGuideSection(page);
  const held = page.locator('#ohjaus .gguid-contacts li[data-status="planned"]').first();
  await held.locator('input[name="minutes"]').fill('45');
  await held.locator('textarea[name="note"]').fill('Käytiin läpi viikon tehtävät.');
  await held.locator('button[type="submit"]').click();
  await page.locator('#ohjaus .status-box', { hasText: 'Tallennettu.' }).waitFor();
  assert.match(await page.locator('#gguid-minutes').innerText(), /^Ohjausta etäjaksolla 45 min \/ 4 h$/);

  const add = page.locator('#ohjaus form[data-form="entry-add"]');
  await add.locator('select[name="kind"]').selectOption('phone_call');
  await add.locator('input[name="minutes"]').fill('30');
  await add.locator('button[type="submit"]').click();
  await page.locator('#ohjaus .status-box', { hasText: 'Ohjaus on kirjattu.' }).waitFor();
  assert.match(await page.locator('#gguid-minutes').innerText(), /^Ohjausta etäjaksolla 1 h 15 min \/ 4 h$/);

  // A bad length is refused in words next to the field, and nothing is stored.
  await add.locator('input[name="minutes"]').fill('0');
  await add.locator('button[type="submit"]').click();
  await add.locator('.field[data-field="minutes"]', { hasText: 'Kirjoita kesto kokonaisina minuutteina, 1–600.' }).waitFor();
  assert.match(await page.locator('#gguid-minutes').innerText(), /1 h 15 min/);

  const p = participant.page;
  await open(p, '/ryhma/tapaamiset');
  assert.equal(await p.locator('#guidance-line').innerText(), 'Ohjausta 1 h 15 min / 4 h');
  assert.equal(await p.locator('.guidance-entries li').count(), 2);
  await open(p, '/tanaan');
  assert.equal(await p.locator('#home-guidance-line').innerText(), 'Ohjausta 1 h 15 min / 4 h');
  assert.match(await p.locator('#next-contact-when').innerText(), /^Välitapaaminen: /);
});

test('(M4) axe and the probes pass on the new screens in fi and sv; no script or CSP errors', { timeout: 300_000 }, async () => {
  const failures = [];
  const screens = [
    { who: participant, name: 'tapaamiset', path: '/ryhma/tapaamiset' },
    { who: participant, name: 'tanaan-tapaaminen', path: '/tanaan' },
    { who: guide, name: 'ohjaus-osallistuja', path: guidePath() },
  ];
  for (const lang of ['fi', 'sv']) {
    for (const who of [participant, guide]) {
      await open(who.page, '/asetukset');
      await setLanguage(who.page, lang);
    }
    for (const s of screens) {
      const { page } = s.who;
      await open(page, s.path);
      if (s.who === guide) await page.locator('#ohjaus #gguid-minutes').waitFor({ timeout: 20_000 });
      failures.push(...await screenFailures(page, `${lang} ${s.path}`, { lang }));
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `meetings-${s.name}-${lang}.png`), fullPage: true });
    }
  }
  for (const who of [participant, guide]) {
    await open(who.page, '/asetukset');
    await setLanguage(who.page, 'fi');
  }
  assert.deepEqual(problems, []);
  assert.equal(failures.length, 0, failures.join('\n\n'));
});
