// Browser tests of the staff views of issue 4: the guide's course page with the participants'
// progress, and the participant page (progress, exercise answers and comments, self-rehabilitation
// tasks with logs and feedback, GAS goals, measures with the 3-month rule), for the demo guide and
// the demo provider admin, with axe and the probes in fi and sv.
//
//   cd tests/e2e && node --test --test-concurrency=1 guide.test.mjs
//
// The participant's data (a submitted answer, a task with a log, a goal) is made through the API
// as the demo participant, from inside their signed-in page, with the app's own API client.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startStack, launchBrowser, serverBinaryAvailable, SCREENSHOT_DIR } from './harness.mjs';
import { runAxe, formatViolations, probePage, probeReflow, probeKeyboard } from './probes.mjs';
import * as pages from './pages.mjs';

const HOME = { participant: '/tanaan', guide: '/ohjaus', admin: '/hallinta' };

let stack;
let browser;
const sessions = {};
const problemsSeen = [];

// The shared page helpers (pages.mjs), bound to this file's browser, server and problem list.
const { ready, setLanguage } = pages;
const newContext = () => pages.newContext(browser, problemsSeen);
const open = (page, pathname) => pages.open(page, stack.baseUrl, pathname);
const signInWithLink = (link, home) => pages.signInWithLink(browser, problemsSeen, link, home);

// Filled as the tests go.
const data = { courseId: null, participantId: null, participantName: null, answer: null, task: null, goal: null };

/** One API call with the signed-in page's own client (its token, its refresh). */
async function apiAs(page, method, pathname, body) {
  return page.evaluate(async ({ method: m, pathname: p, body: b }) => {
    const { api } = await import('/js/api.js');
    try {
      return { ok: true, body: await api(m, p, b) };
    } catch (e) {
      return { ok: false, status: e.status, code: e.code, detail: e.detail, errors: e.errors };
    }
  }, { method, pathname, body });
}

async function mustApi(page, method, pathname, body) {
  const r = await apiAs(page, method, pathname, body);
  assert.ok(r.ok, `${method} ${pathname} failed: ${JSON.stringify(r)}`);
  return r.body;
}

/** Today in Helsinki as YYYY-MM-DD, and days added to a date. */
function helsinkiToday() {
  const p = {};
  for (const part of new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date())) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day}`;
}

function addDays(iso, days) {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** axe, probes, reflow and keyboard on the page as it is; returns the problems as text. */
async function checkScreen(page, where) {
  const failures = [];
  const keyboard = await probeKeyboard(page);
  const violations = await runAxe(page);
  const probe = await probePage(page);
  const reflow = await probeReflow(page);
  if (violations.length) failures.push(`${where}: ${violations.length} axe violation(s)\n${formatViolations(violations)}`);
  const problems = [...probe.problems, ...reflow, ...keyboard];
  if (probe.loadErrors.length) problems.push(`the page shows an error: ${probe.loadErrors.join(' | ')}`);
  if (problems.length) failures.push(`${where}:\n  ${problems.join('\n  ')}`);
  return failures;
}

function participantPath(base) {
  return `${base}/kurssi/${data.courseId}/osallistuja/${data.participantId}`;
}

/** The section of the participant page with the given id, after it has loaded. */
async function sectionReady(page, id) {
  const section = page.locator(`section#${id}`);
  await section.waitFor();
  await page.waitForFunction((sid) => !document.querySelector(`section#${sid} .staffp-body > .loading`), id, { timeout: 20_000 });
  return section;
}

before(async () => {
  const available = serverBinaryAvailable();
  if (!available.ok) throw new Error(`cannot run the browser tests: ${available.reason}`);
  stack = await startStack();
  browser = await launchBrowser();
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  sessions.participant = await signInWithLink(stack.accounts.participant.link, HOME.participant);
  sessions.guide = await signInWithLink(stack.accounts.guide.link, HOME.guide);
  sessions.admin = await signInWithLink(stack.accounts['provider admin'].link, HOME.admin);
}, { timeout: 240_000 });

after(async () => {
  if (browser) await browser.close();
  if (stack) await stack.stop();
});

test('(G1) the demo participant makes a task with a log, writes a goal and submits an exercise answer', { timeout: 120_000 }, async () => {
  const { page } = sessions.participant;
  const me = await mustApi(page, 'GET', '/api/v1/me');
  const course = await mustApi(page, 'GET', '/api/v1/me/course');
  data.participantId = me.id;
  data.participantName = me.display_name;
  data.courseId = (course.course || course).id;
  assert.ok(data.courseId, `no course id in ${JSON.stringify(course)}`);

  // A task every day for two weeks, logged today with a note and a rating.
  const today = helsinkiToday();
  const task = await mustApi(page, 'POST', '/api/v1/me/tasks', {
    title: 'Iltakävely', details: 'Kävelen kymmenen minuuttia illalla.',
    days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], weeks: 2, minutes: 10,
  });
  await mustApi(page, 'PUT', `/api/v1/me/tasks/${encodeURIComponent(task.id)}/logs/${today}`, { done: true, note: 'Meni hyvin, sää oli kaunis.', rating: 4 });
  data.task = { id: task.id, title: 'Iltakävely' };

  // A goal with its five levels.
  const goal = await mustApi(page, 'POST', '/api/v1/me/goals', {
    title: 'Jaksan ulkoilla',
    levels: { '-2': 'En ulkoile lainkaan', '-1': 'Ulkoilen kerran viikossa', 0: 'Ulkoilen kolmesti viikossa', 1: 'Ulkoilen viidesti viikossa', 2: 'Ulkoilen joka päivä' },
  });
  data.goal = { id: goal.id, title: 'Jaksan ulkoilla' };

  // An exercise with a question that takes free text, in an open module.
  const overview = await mustApi(page, 'GET', '/api/v1/me/program');
  let found = null;
  for (const m of overview.modules.filter((x) => x.open)) {
    const module = await mustApi(page, 'GET', `/api/v1/me/program/modules/${m.number}`);
    for (const item of module.items) {
      const questions = item.kind === 'exercise' ? (item.questions || []) : [];
      const free = questions.filter((q) => ['essay', 'shortanswer'].includes(q.type || (q.kind && q.kind.type)));
      if (free.length) {
        found = { module: m.number, item, free };
        break;
      }
    }
    if (found) break;
  }
  assert.ok(found, 'no open module has an exercise with a free-text question');
  const answers = Object.fromEntries(found.free.map((q, i) => [q.id, i === 0 ? 'Kävin kävelyllä kolmesti.\nSe auttoi jaksamaan.' : 'Lepo']));
  await mustApi(page, 'POST', `/api/v1/me/answers/${encodeURIComponent(found.item.id)}/submit`, { answers });
  // The first question's words (Finnish variant, without markup), to find them on the guide's page.
  const localized = found.free[0].text || [];
  const fiText = (localized.find(([l]) => String(l).startsWith('fi')) || localized[0] || ['', ''])[1];
  const questionWords = fiText.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 30);
  data.answer = { itemId: found.item.id, module: found.module, firstText: 'Kävin kävelyllä kolmesti.', questionWords };
});

test('(G2) the guide\'s course page monitors the participants with links to their pages and a CSV', { timeout: 120_000 }, async () => {
  assert.ok(data.courseId, 'needs (G1)');
  const { page } = sessions.guide;
  await open(page, `/ohjaus/kurssi/${data.courseId}`);
  const table = page.locator('#monitoring-section table');
  await table.waitFor();
  const link = table.locator(`a[href="${participantPath('/ohjaus')}"]`);
  assert.equal(await link.count(), 1, 'the participant has no link in the progress table');
  const row = await link.locator('xpath=ancestor::tr').innerText();
  assert.match(row, /\d+\/\d+/, `no "n/m" counts in the row: ${row}`);
  assert.match(row, /tänään|eilen|päivää sitten|ei ole vielä käynyt/, `no last-seen text in the row: ${row}`);
  // Sorting by a column header button sets aria-sort.
  await page.click('#monitoring-section .sort-button[data-sort="program"]');
  assert.equal(await page.locator('#monitoring-section th:has(.sort-button[data-sort="program"])').getAttribute('aria-sort'), 'descending');
  // CSV of the table.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('#monitoring-section .csv-button'),
  ]);
  const file = await download.path();
  const csv = fs.readFileSync(file, 'utf8');
  assert.ok(csv.startsWith('\uFEFF'), 'the CSV has no BOM');
  assert.ok(csv.includes(data.participantName), 'the CSV does not name the participant');
  // The enrolment table links the name too, and the link opens the participant page.
  await link.click();
  await page.waitForURL(`**${participantPath('/ohjaus')}`);
  await ready(page);
  assert.equal(await page.locator('main h1').innerText(), data.participantName);
});

test('(G3) the participant page shows progress as text with a chart and the completion rules', { timeout: 120_000 }, async () => {
  const { page } = sessions.guide;
  await open(page, participantPath('/ohjaus'));
  const section = await sectionReady(page, 'edistyminen');
  const text = await section.innerText();
  assert.match(text, /Ohjelmasta tehty \d+\/\d+ moduulia/);
  assert.ok(await section.locator('table').count() >= 2, 'no module and week tables');
  const chart = section.locator('svg[role="img"]');
  assert.equal(await chart.count(), 1, 'no chart');
  assert.match(await chart.locator('title').textContent(), /viikko 1: \d/);
  assert.ok(await section.locator('#staffp-rules li').count() >= 1, 'no completion rules');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'ohjaus-osallistuja.png'), fullPage: true });
});

test('(G4) the guide comments on a submitted answer; the participant is notified', { timeout: 120_000 }, async () => {
  assert.ok(data.answer, 'needs (G1)');
  const { page } = sessions.guide;
  await open(page, participantPath('/ohjaus'));
  await sectionReady(page, 'vastaukset');
  const card = page.locator(`article.answer-card[data-item="${data.answer.itemId}"]`);
  await card.waitFor();
  const cardText = (await card.innerText()).replace(/\s+/g, ' ');
  assert.ok(cardText.includes(data.answer.firstText), `the answer is not shown: ${cardText}`);
  // The question is shown in words from the program, not as an id.
  assert.ok(data.answer.questionWords && cardText.includes(data.answer.questionWords), `the question "${data.answer.questionWords}" is not shown: ${cardText}`);
  // An empty comment is refused next to the field and in a summary (A8).
  const form = card.locator('form[data-form="answer-comment"]');
  await form.locator('button[type="submit"]').click();
  await form.locator('.error-summary[role="alert"]').waitFor();
  assert.ok(await form.locator('textarea[aria-invalid="true"]').count(), 'the empty comment field is not marked invalid');
  await form.locator('textarea[name="body"]').fill('Hienoa, että kävely auttoi! Jatka samaan malliin.');
  await form.locator('button[type="submit"]').click();
  await page.locator('section#vastaukset .status-box').filter({ hasText: 'Kommentti lähetetty' }).waitFor();
  const after = page.locator(`article.answer-card[data-item="${data.answer.itemId}"]`);
  assert.match(await after.locator('.comment-list').innerText(), /Jatka samaan malliin/);

  const notes = await mustApi(sessions.participant.page, 'GET', '/api/v1/me/notifications');
  assert.ok(notes.items.some((n) => n.kind === 'answer_comment'), `no answer_comment notice: ${JSON.stringify(notes.items.map((n) => n.kind))}`);
});

test('(G5) the guide accepts the participant\'s task and gives feedback on its log', { timeout: 120_000 }, async () => {
  assert.ok(data.task, 'needs (G1)');
  const { page } = sessions.guide;
  await open(page, participantPath('/ohjaus'));
  await sectionReady(page, 'omakuntoutus');
  let card = page.locator(`article.task-card[data-task="${data.task.id}"]`);
  const text = await card.innerText();
  assert.match(text, /odottaa ohjaajan hyväksyntää/);
  assert.match(text, /\d+\/\d+ kertaa tällä viikolla/);
  assert.match(text, /Meni hyvin, sää oli kaunis\./);
  assert.match(text, /Miten meni: 4\/5/);

  await card.locator('button[data-action="accept-task"]').click();
  await page.locator('section#omakuntoutus .status-box').filter({ hasText: 'Hyväksyit tehtävän' }).waitFor();
  card = page.locator(`article.task-card[data-task="${data.task.id}"]`);
  assert.match(await card.innerText(), /Sovittu yhdessä/);
  assert.equal(await card.locator('button[data-action="accept-task"]').count(), 0);
  // The acceptance is in the task's change history (loaded when opened).
  await card.locator('details.task-history > summary').click();
  await card.locator('details.task-history table').waitFor();
  assert.match(await card.locator('details.task-history table').innerText(), /Hyväksytty/);

  const log = card.locator('li.log-entry').first();
  await log.locator('details.disclosure > summary').click();
  await log.locator('textarea[name="body"]').fill('Hyvä! Kaunis sää auttaa lähtemään.');
  await log.locator('form[data-form="log-feedback"] button[type="submit"]').click();
  await page.locator('section#omakuntoutus .status-box').filter({ hasText: 'Palaute lähetetty' }).waitFor();
  assert.match(await page.locator(`article.task-card[data-task="${data.task.id}"] li.log-entry`).first().innerText(), /Kaunis sää auttaa lähtemään/);

  const notes = await mustApi(sessions.participant.page, 'GET', '/api/v1/me/notifications');
  assert.ok(notes.items.some((n) => n.kind === 'task_feedback'), `no task_feedback notice: ${JSON.stringify(notes.items.map((n) => n.kind))}`);
});

test('(G6) the guide proposes a task with weekdays', { timeout: 120_000 }, async () => {
  const { page } = sessions.guide;
  await open(page, participantPath('/ohjaus'));
  await sectionReady(page, 'omakuntoutus');
  const form = page.locator('form[data-form="task-propose"]');
  // Nothing chosen: errors next to the fields and in a summary.
  await form.locator('button[type="submit"]').click();
  await form.locator('.error-summary[role="alert"]').waitFor();
  assert.ok(await form.locator('[data-field="days"] .field-error:not([hidden])').count(), 'no error next to the weekdays');
  await form.locator('input[name="title"]').fill('Venyttely aamulla');
  await form.locator('input[name="day_mon"]').check();
  await form.locator('input[name="day_thu"]').check();
  await form.locator('input[name="weeks"]').fill('3');
  await form.locator('input[name="minutes"]').fill('15');
  await form.locator('button[type="submit"]').click();
  await page.locator('section#omakuntoutus .status-box').filter({ hasText: 'Tehtävä ehdotettu' }).waitFor();
  const card = page.locator('article.task-card', { hasText: 'Venyttely aamulla' });
  assert.match(await card.innerText(), /odottaa osallistujan hyväksyntää/);
});

test('(G7) the guide rates a goal\'s baseline and attainment and sees the T-scores', { timeout: 120_000 }, async () => {
  assert.ok(data.goal, 'needs (G1)');
  const { page } = sessions.guide;
  await open(page, participantPath('/ohjaus'));
  await sectionReady(page, 'tavoitteet');
  let card = page.locator(`article.goal-card[data-goal="${data.goal.id}"]`);
  assert.match(await card.innerText(), /Ulkoilen kolmesti viikossa/);
  // The level texts are the radio buttons' labels.
  const baseline = card.locator('form[data-form="goal-baseline"]');
  await baseline.getByLabel(/Ulkoilen kerran viikossa/).check();
  await baseline.locator('button[type="submit"]').click();
  await page.locator('section#tavoitteet .status-box').filter({ hasText: 'Lähtötaso −1 tallennettu' }).waitFor();
  card = page.locator(`article.goal-card[data-goal="${data.goal.id}"]`);
  const attainment = card.locator('form[data-form="goal-attainment"]');
  await attainment.getByLabel(/Ulkoilen viidesti viikossa/).check();
  await attainment.locator('button[type="submit"]').click();
  await page.locator('section#tavoitteet .status-box').filter({ hasText: 'Saavutettu taso +1 tallennettu' }).waitFor();
  const text = await page.locator('section#tavoitteet').innerText();
  assert.match(text, /GAS T-luku alussa\s*\d/);
  assert.match(text, /GAS T-luku lopussa\s*\d/);
});

test('(G8) the guide records a start measure; an end measure within 3 months is refused next to the date (A8)', { timeout: 120_000 }, async () => {
  const { page } = sessions.guide;
  await open(page, participantPath('/ohjaus'));
  await sectionReady(page, 'mittaukset');
  const today = helsinkiToday();
  let form = page.locator('form[data-form="measure"]');
  await form.locator('input[name="instrument"][value="whoqol_bref"]').check();
  await form.locator('input[name="occasion"][value="start"]').check();
  await form.locator('input[name="measured_on"]').fill(addDays(today, -40));
  for (const [k, v] of [['physical', '56'], ['psychological', '50'], ['social', '69'], ['environment', '75']]) {
    await form.locator(`input[name="scores.${k}"]`).fill(v);
  }
  await form.locator('button[type="submit"]').click();
  await page.locator('section#mittaukset .status-box').filter({ hasText: 'tallennettu' }).waitFor();
  const table = await page.locator('section#mittaukset table').innerText();
  assert.match(table, /WHOQOL-BREF/);
  assert.match(table, /Alkumittaus/);
  assert.match(table, /Fyysinen 56/);

  form = page.locator('form[data-form="measure"]');
  await form.locator('input[name="occasion"][value="end"]').check();
  await form.locator('input[name="measured_on"]').fill(today);
  for (const [k, v] of [['physical', '60'], ['psychological', '55'], ['social', '70'], ['environment', '75']]) {
    await form.locator(`input[name="scores.${k}"]`).fill(v);
  }
  await form.locator('button[type="submit"]').click();
  const summary = form.locator('.error-summary[role="alert"]');
  await summary.waitFor();
  const check = await page.evaluate(() => {
    const f = document.querySelector('form[data-form="measure"]');
    const date = f.querySelector('input[name="measured_on"]');
    const ids = (date.getAttribute('aria-describedby') || '').split(' ');
    const error = ids.map((id) => document.getElementById(id)).find((el) => el && el.classList.contains('field-error'));
    return {
      invalid: date.getAttribute('aria-invalid'),
      errorText: error && !error.hidden ? error.textContent.trim() : '',
      summary: f.querySelector('.error-summary').textContent,
      links: [...f.querySelectorAll('.error-summary a')].map((a) => a.getAttribute('href')),
      dateId: date.id,
      focused: document.activeElement === f.querySelector('.error-summary'),
    };
  });
  assert.equal(check.invalid, 'true', 'the date field is not aria-invalid');
  assert.match(check.errorText, /3 kuukautta tai vähemmän/);
  assert.match(check.summary, /Loppumittausta ei voi vielä kirjata/);
  assert.ok(check.links.includes(`#${check.dateId}`), 'the summary does not link to the date field');
  assert.ok(check.focused, 'the summary did not take focus');
  const violations = await runAxe(page);
  assert.equal(violations.length, 0, `axe with the refusal on screen:\n${formatViolations(violations)}`);
  await page.locator('form[data-form="measure"]').screenshot({ path: path.join(SCREENSHOT_DIR, 'ohjaus-mittaus-liian-aikaisin.png') });
  // Nothing was stored: still one measure.
  const rows = await page.locator('section#mittaukset table tbody tr').count();
  assert.equal(rows, 1);

  // A BDI-21 start measure: only the total field is in the form then.
  form = page.locator('form[data-form="measure"]');
  await form.locator('input[name="instrument"][value="bdi21"]').check();
  assert.equal(await form.locator('input[name^="scores."]').count(), 1, 'the WHOQOL fields are still in the form');
  await form.locator('input[name="occasion"][value="start"]').check();
  await form.locator('input[name="measured_on"]').fill(addDays(today, -10));
  await form.locator('input[name="scores.total"]').fill('64');
  await form.locator('button[type="submit"]').click();
  await form.locator('[data-field="scores.total"] .field-error:not([hidden])').waitFor();
  await form.locator('input[name="scores.total"]').fill('21');
  await form.locator('button[type="submit"]').click();
  await page.locator('section#mittaukset .status-box').filter({ hasText: 'BDI-21' }).waitFor();
  assert.match(await page.locator('section#mittaukset table').innerText(), /Kokonaispisteet 21/);
});

test('(G9) the provider admin sees the progress and reaches the participant page from the course\'s participant table', { timeout: 120_000 }, async () => {
  const { page } = sessions.admin;
  await open(page, `/hallinta/kurssi/${data.courseId}`);
  // The participants' progress is on the admin's course page too, linking to the same page.
  assert.equal(await page.locator(`#monitoring-section a[href="${participantPath('/hallinta')}"]`).count(), 1);
  const link = page.locator(`#enrol-title ~ * a[href="${participantPath('/hallinta')}"]`).first();
  await link.waitFor();
  await link.click();
  await page.waitForURL(`**${participantPath('/hallinta')}`);
  await ready(page);
  assert.equal(await page.locator('main h1').innerText(), data.participantName);
  await sectionReady(page, 'vastaukset');
  assert.match(await page.locator('section#vastaukset').innerText(), /Jatka samaan malliin/);
});

test('(G10) the new screens pass axe and the probes in fi and sv', { timeout: 600_000 }, async () => {
  const failures = [];
  const screens = [
    ['guide', `/ohjaus/kurssi/${data.courseId}`],
    ['guide', participantPath('/ohjaus')],
    ['admin', `/hallinta/kurssi/${data.courseId}`],
    ['admin', participantPath('/hallinta')],
  ];
  for (const lang of ['fi', 'sv']) {
    for (const [role, pathname] of screens) {
      const { page } = sessions[role];
      await open(page, pathname);
      await setLanguage(page, lang);
      await open(page, pathname);
      if (pathname.includes('/osallistuja/')) {
        for (const id of ['edistyminen', 'vastaukset', 'omakuntoutus', 'tavoitteet', 'mittaukset']) await sectionReady(page, id);
        // Open the disclosures so the forms inside them are checked too.
        await page.evaluate(() => document.querySelectorAll('details.disclosure').forEach((d) => { d.open = true; }));
        await page.waitForFunction(() => !document.querySelector('details.task-history .loading'), null, { timeout: 20_000 });
      } else {
        await page.locator('#monitoring-section').waitFor();
      }
      failures.push(...await checkScreen(page, `${lang} ${role} ${pathname}`));
      if (lang === 'sv' && pathname.includes('/osallistuja/') && role === 'guide') {
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'ohjaus-osallistuja-sv.png'), fullPage: true });
      }
    }
  }
  for (const role of ['guide', 'admin']) await setLanguage(sessions[role].page, 'fi');
  if (problemsSeen.length) failures.push(`CSP violations or script errors:\n  ${problemsSeen.join('\n  ')}`);
  assert.equal(failures.length, 0, `\n${failures.join('\n\n')}`);
});
