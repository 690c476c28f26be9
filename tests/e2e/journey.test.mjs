// Browser tests of the participant's journey (issue 4) against the real server in demo mode:
// the demo participant (remote week 5) finishes an item by marking it, answers an exercise whose
// draft survives a reload and an expired session (A9), agrees and logs self-rehabilitation tasks,
// sets goals and mail preferences; a guide comments and gives feedback (through the API, from the
// guide's own signed-in page); axe and the probes pass on every new screen in fi and sv.
//
//   cd tests/e2e && node --test --test-concurrency=1 journey.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startStack, launchBrowser, serverBinaryAvailable, SCREENSHOT_DIR } from './harness.mjs';
import { runAxe, formatViolations, probePage, probeReflow, probeKeyboard } from './probes.mjs';
import * as pages from './pages.mjs';

const DEMO_PARTICIPANT = 'aino.virtanen@demo.example';

let stack;
let browser;
let participant; // {context, page}
let guide;
const problems = []; // CSP violations and script errors

// The shared page helpers (pages.mjs), bound to this file's browser, server and problem list.
const { ready, setLanguage } = pages;
const newContext = () => pages.newContext(browser, problems);
const open = (page, pathname) => pages.open(page, stack.baseUrl, pathname);
const signInWithLink = (link, home) => pages.signInWithLink(browser, problems, link, home);

const ids = { participant: null, course: null, module: 5, exerciseItem: null, ownTask: null, guideTask: null, goal: null };

/** An API call made by the app's own client in the page (the signed-in user's token). */
function callApi(page, method, pathname, body) {
  return page.evaluate(async ([m, p, b]) => {
    const api = await import('/js/api.js');
    try {
      return await api.api(m, p, b === null ? undefined : b);
    } catch (err) {
      throw new Error(`${m} ${p}: ${err.status} ${err.code} ${err.detail || ''} ${JSON.stringify(err.errors || [])}`);
    }
  }, [method, pathname, body === undefined ? null : body]);
}

/** The `main` text with runs of white space as one space. */
async function mainText(page) {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
}

before(async () => {
  const available = serverBinaryAvailable();
  if (!available.ok) throw new Error(`cannot run the browser tests: ${available.reason}`);
  stack = await startStack();
  browser = await launchBrowser();
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  participant = await signInWithLink(stack.accounts.participant.link, '/tanaan');
  guide = await signInWithLink(stack.accounts.guide.link, '/ohjaus');
  ids.participant = await participant.page.evaluate(async () => (await import('/js/api.js')).currentUser().id);
  const mine = await callApi(participant.page, 'GET', '/api/v1/me/course');
  ids.course = mine.course.id;
}, { timeout: 180_000 });

after(async () => {
  if (browser) await browser.close();
  if (stack) await stack.stop();
});

test('(J1) the home shows the week, this week\'s module with what is left, today\'s tasks, notifications and the progress line', { timeout: 60_000 }, async () => {
  const { page } = participant;
  await open(page, '/tanaan');
  const text = await mainText(page);
  assert.match(text, /Viikko 5\/12/);
  assert.match(await page.locator('#program-progress').innerText(), /^Ohjelmasta tehty \d+\/\d+ moduulia\.$/);
  const link = page.locator('#this-week-link');
  ids.module = Number((await link.getAttribute('href')).split('/').pop());
  assert.equal(ids.module, 5, 'the demo participant is in remote week 5');
  assert.match(await page.locator('#module-done').innerText(), /^Tehty \d+\/\d+ osiota\.$/);
  // The unfinished items link to their place on the module page.
  const first = page.locator('#unfinished-list a').first();
  assert.match(await first.getAttribute('href'), /^\/ohjelma\/5#item-/);
  assert.match(await page.locator('#tasks-today h2').innerText(), /^Tehtävät tänään$/);
  assert.match(await page.locator('#notices h2').innerText(), /^Uudet ilmoitukset$/);
  // Five navigation items at most, in this order (A11).
  const nav = (await page.locator('nav.main-nav a').allInnerTexts()).map((x) => x.replace(/^\?\s*/, '').trim());
  assert.deepEqual(nav, ['Tänään', 'Ohjelma', 'Omakuntoutus', 'Ryhmä', 'Apua']);
  // Following an unfinished item's link lands on that item, with focus on it.
  await first.click();
  await page.waitForURL(/\/ohjelma\/5#item-/);
  await ready(page);
  const hash = new URL(page.url()).hash.slice(1);
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), hash);
});

test('(J2) the participant finishes an item by marking it, undoes it and marks it again; the state stays after a reload', { timeout: 60_000 }, async () => {
  const { page } = participant;
  await open(page, `/ohjelma/${ids.module}`);
  assert.match(await page.locator('#module-progress').innerText(), /^Tästä moduulista tehty \d+\/\d+ osiota\.$/);
  const item = page.locator('section.item:has(.item-progress[data-mode="marked"])').first();
  const itemId = await item.getAttribute('data-item');
  const state = item.locator('.item-state');
  assert.match(await state.innerText(), /Kesken/);
  assert.match(await item.locator('.item-rule').innerText(), /^Milloin tämä on tehty: \S/);
  const mark = item.locator('button[data-action="mark-done"]');
  const done = page.waitForResponse((r) => r.url().endsWith(`/progress/items/${itemId}/complete`) && r.request().method() === 'POST');
  await mark.click();
  assert.equal((await done).status(), 200);
  await state.filter({ hasText: 'Tehty' }).waitFor();
  assert.match(await item.locator('.item-how').innerText(), /^Merkitsit tämän tehdyksi /);
  await item.locator('button[data-action="unmark"]').click();
  await state.filter({ hasText: 'Kesken' }).waitFor();
  await item.locator('button[data-action="mark-done"]').click();
  await state.filter({ hasText: 'Tehty' }).waitFor();
  await page.reload();
  await ready(page);
  assert.match(await page.locator(`section.item[data-item="${itemId}"] .item-state`).innerText(), /Tehty/);
  // An exercise is done by sending answers: it has no mark button.
  assert.equal(await page.locator('section.item[data-kind="exercise"] button[data-action="mark-done"]').count(), 0);
});

test('(J2b) the video reports its position when paused, and the module page offers "Jatka kohdasta m.ss" afterwards', { timeout: 90_000 }, async () => {
  const { page } = participant;
  await open(page, `/ohjelma/${ids.module}`);
  const box = page.locator('section.item[data-kind="video"]').first();
  const itemId = await box.getAttribute('data-item');
  const video = box.locator('video');
  await video.evaluate((m) => (m.readyState >= 1 ? null : new Promise((r) => m.addEventListener('loadedmetadata', r, { once: true }))));
  const duration = await video.evaluate((m) => m.duration);
  assert.ok(duration > 40, `the demo video is too short for this test (${duration} s)`);
  await box.locator('button.player-forward').click();
  await box.locator('button.player-forward').click();
  await box.locator('button.player-play').click();
  await page.waitForFunction((m) => !m.paused && m.currentTime > 30, await video.elementHandle(), { timeout: 20_000 });
  const sent = page.waitForResponse((r) => r.url().endsWith(`/progress/items/${itemId}/media`) && r.request().method() === 'PUT');
  await box.locator('button.player-play').click();
  const response = await sent;
  assert.equal(response.status(), 200);
  const body = JSON.parse(response.request().postData());
  assert.ok(body.position_s >= 30 && body.duration_s === Math.round(duration), `sent ${JSON.stringify(body)}`);
  await page.reload();
  await ready(page);
  const resume = page.locator(`section.item[data-item="${itemId}"] button.player-resume`);
  assert.match(await resume.innerText(), /^Jatka kohdasta 0\.[3-5]\d$/);
  assert.match(await page.locator(`section.item[data-item="${itemId}"] .item-state`).innerText(), /Kesken/);
  // The button continues from there.
  await resume.click();
  await page.waitForFunction((m) => !m.paused && m.currentTime >= 30, await page.locator(`section.item[data-item="${itemId}"] video`).elementHandle(), { timeout: 20_000 });
  await page.locator(`section.item[data-item="${itemId}"] button.player-play`).click();
});

test('(J2c) visible time: a heartbeat every 30 s while the page is visible, none while it is hidden', { timeout: 90_000 }, async () => {
  const page = await participant.context.newPage();
  await page.clock.install();
  await page.goto(`${stack.baseUrl}/ohjelma/${ids.module}`);
  await ready(page);
  const beats = [];
  page.on('request', (r) => { if (r.url().endsWith('/heartbeat')) beats.push(JSON.parse(r.postData())); });
  let next = page.waitForRequest((r) => r.url().endsWith('/heartbeat'));
  await page.clock.runFor(31_000);
  await next;
  assert.ok(beats[0].seconds >= 1 && beats[0].seconds <= 31, `first heartbeat ${JSON.stringify(beats[0])}`);
  const setVisibility = (state) => page.evaluate((v) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => v });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
  await setVisibility('hidden');
  await page.clock.runFor(95_000);
  await page.waitForTimeout(500);
  assert.equal(beats.length, 1, 'a heartbeat was sent while the page was hidden');
  await setVisibility('visible');
  next = page.waitForRequest((r) => r.url().endsWith('/heartbeat'));
  await page.clock.runFor(31_000);
  await next;
  assert.ok(beats[1].seconds <= 31, `the hidden time was counted: ${JSON.stringify(beats[1])}`);
  await page.close();
});

test('(J3) exercise answers are saved on the server as a draft, survive a reload and an expired session (A9), and are sent', { timeout: 180_000 }, async () => {
  const { page, context } = participant;
  await open(page, `/ohjelma/${ids.module}`);
  const box = page.locator('section.item[data-kind="exercise"]').first();
  ids.exerciseItem = await box.getAttribute('data-item');
  const form = box.locator('form.exercise-form');
  const essay = form.locator('textarea').first();

  // Autosave: the server gets the draft ~2 s after typing stops.
  const saved = page.waitForResponse((r) => r.url().endsWith(`/answers/${ids.exerciseItem}/draft`) && r.request().method() === 'PUT', { timeout: 15_000 });
  await essay.fill('Kävely iltaisin auttaa minua.');
  await form.locator('input[type="checkbox"]').first().check();
  assert.equal((await saved).status(), 200);
  await form.locator('.draft-saved', { hasText: /^Tallennettu klo \d/ }).waitFor();
  // The server's draft alone brings it back: the copy on this device is removed before the reload.
  await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith('etapolku.draft.')) localStorage.removeItem(k); });
  await page.reload();
  await ready(page);
  assert.equal(await page.locator('section.item[data-kind="exercise"] textarea').first().inputValue(), 'Kävely iltaisin auttaa minua.');
  assert.ok(await page.locator('section.item[data-kind="exercise"] input[type="checkbox"]').first().isChecked(), 'the ticked choice was lost');

  // The session ends while typing: every API call, the refresh included, now answers 401.
  const longText = 'Kävely iltaisin auttaa minua. Myös ystävän kanssa puhuminen auttaa, ja lepo päivällä.';
  const expired = JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, code: 'unauthorized' });
  await context.route('**/api/v1/**', (route) => route.fulfill({ status: 401, contentType: 'application/problem+json', body: expired }));
  await page.locator('section.item[data-kind="exercise"] textarea').first().fill(longText);
  await page.waitForURL('**/kirjaudu', { timeout: 20_000 });
  await page.locator('main .status-box', { hasText: 'Kirjautumisesi päättyi' }).waitFor();
  await context.unroute('**/api/v1/**');

  // Sign in again with a mailed link: the page comes back with the text, and the server gets it.
  stack.skipExistingMail();
  await page.fill('form[data-form="email-link"] input[name="email"]', DEMO_PARTICIPANT);
  await page.click('form[data-form="email-link"] button[type="submit"]');
  // Other mails (a "something new" notice, a task reminder) may come too: take the one with a link.
  const mail = await stack.waitForMail({ to: DEMO_PARTICIPANT, withLink: true });
  assert.ok(mail.link, 'no sign-in link in the mail');
  const resaved = page.waitForResponse((r) => r.url().endsWith(`/answers/${ids.exerciseItem}/draft`) && r.request().method() === 'PUT', { timeout: 30_000 });
  await page.goto(mail.link);
  await page.waitForURL(`**/ohjelma/${ids.module}`, { timeout: 20_000 });
  await ready(page);
  assert.equal(await page.locator('section.item[data-kind="exercise"] textarea').first().inputValue(), longText, 'the draft was lost when the session ended');
  assert.equal((await resaved).status(), 200);
  await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith('etapolku.draft.')) localStorage.removeItem(k); });
  await page.reload();
  await ready(page);
  assert.equal(await page.locator('section.item[data-kind="exercise"] textarea').first().inputValue(), longText, 'the server did not get the restored draft');

  // Send: the item is done, the page says the guide sees the answers.
  const exercise = page.locator(`section.item[data-item="${ids.exerciseItem}"]`);
  const sent = page.waitForResponse((r) => r.url().endsWith(`/answers/${ids.exerciseItem}/submit`));
  await exercise.locator('button[data-action="send-answers"]').click();
  assert.equal((await sent).status(), 200);
  await exercise.locator('.submitted-note', { hasText: /^Lähetit vastauksesi .* Ohjaajasi näkee ne\.$/ }).waitFor();
  await exercise.locator('.item-state', { hasText: 'Tehty' }).waitFor();
  assert.match(await exercise.locator('.comments').innerText(), /Ohjaaja ei ole vielä kommentoinut\./);
});

test('(J4) a guide comments on the answer: the participant sees a notification, follows it, and reads the comment', { timeout: 90_000 }, async () => {
  const answers = await callApi(guide.page, 'GET', `/api/v1/courses/${ids.course}/answers?participant=${ids.participant}&item=${encodeURIComponent(ids.exerciseItem)}`);
  assert.equal(answers.length, 1, 'the guide does not see the sent answer');
  await callApi(guide.page, 'POST', `/api/v1/courses/${ids.course}/answers/${answers[0].id}/comments`, { body: 'Hyvä havainto! Kokeile kävelyä myös aamulla.' });

  const { page } = participant;
  await open(page, '/tanaan');
  const row = page.locator('#notice-list li[data-kind="answer_comment"]').first();
  assert.match(await row.innerText(), /Ohjaaja kommentoi vastaustasi viikolla 5\./);
  await row.locator('a.notice-link').click();
  await page.waitForURL(/\/ohjelma\/5#item-/);
  await ready(page);
  const exercise = page.locator(`section.item[data-item="${ids.exerciseItem}"]`);
  assert.match(await exercise.locator('.comments').innerText(), /Hyvä havainto! Kokeile kävelyä myös aamulla\./);
  // Opening it marked it read.
  await open(page, '/tanaan');
  assert.equal(await page.locator('#notice-list li[data-kind="answer_comment"]').count(), 0, 'the opened notification is still unread');
});

test('(J5) the participant adds a task from the program\'s suggestion, logs today with one click, and the guide agrees and gives feedback', { timeout: 120_000 }, async () => {
  const { page } = participant;
  await open(page, `/ohjelma/${ids.module}`);
  // The module's task suggestion links to the form with the suggestion chosen.
  await page.locator('section.item[data-kind="task"] a.add-task-link').first().click();
  await page.waitForURL(/\/omakuntoutus\?ehdotus=/);
  await ready(page);
  const form = page.locator('form[data-form="task-add"]');
  const title = await form.locator('input[name="title"]').inputValue();
  assert.ok(title.trim(), 'the suggestion did not fill the title');
  // Empty title: the error is next to the field and in a summary (A8).
  await form.locator('input[name="title"]').fill('');
  await form.locator('button[type="submit"]').click();
  await form.locator('.error-summary[role="alert"]').waitFor();
  assert.equal(await form.locator('input[name="title"]').getAttribute('aria-invalid'), 'true');
  await form.locator('input[name="title"]').fill(title);
  const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/tasks') && r.request().method() === 'POST');
  await form.locator('button[type="submit"]').click();
  assert.equal((await created).status(), 201);
  await page.locator('.status-box', { hasText: 'on lisätty' }).waitFor();
  const card = page.locator('#sr-tasks .task-card', { hasText: title }).first();
  ids.ownTask = await card.getAttribute('data-task');
  assert.match(await card.innerText(), /Odottaa ohjaajan hyväksyntää\./);

  // Today: one click logs it, and the week view says so after a reload.
  const row = page.locator(`#sr-today li[data-task="${ids.ownTask}"]`);
  await row.locator('button[data-action="log-done"]').click();
  await row.locator('.log-state', { hasText: 'Merkitty: tehty' }).waitFor();
  assert.equal(await row.locator('button[data-action="log-done"]').getAttribute('aria-pressed'), 'true');
  await page.reload();
  await ready(page);
  const again = page.locator(`#sr-tasks .task-card[data-task="${ids.ownTask}"]`);
  assert.match(await again.locator('.adherence-week').innerText(), /^Tällä viikolla: tehty 1\/\d+ kertaa\.$/);
  assert.match(await again.locator('table.week-log .row-today').innerText(), /Tehty/);

  // The guide accepts the participant's task and proposes another one; the participant accepts that.
  await callApi(guide.page, 'POST', `/api/v1/courses/${ids.course}/participants/${ids.participant}/tasks/${ids.ownTask}/accept`);
  const proposed = await callApi(guide.page, 'POST', `/api/v1/courses/${ids.course}/participants/${ids.participant}/tasks`,
    { title: 'Venyttely aamulla', times_per_week: 3, weeks: 2, minutes: 10 });
  ids.guideTask = proposed.id;
  await open(page, '/omakuntoutus');
  assert.match(await page.locator(`.task-card[data-task="${ids.ownTask}"] dd.agreed`).innerText(), /^Sovittu\. Ohjaaja .+ hyväksyi tehtävän\.$/);
  const guideCard = page.locator(`.task-card[data-task="${ids.guideTask}"]`);
  assert.match(await guideCard.innerText(), /Ohjaaja ehdotti tätä tehtävää\./);
  assert.match(await guideCard.innerText(), /3 kertaa viikossa/);
  await guideCard.locator('button[data-action="accept-task"]').click();
  await page.locator('.status-box', { hasText: 'Hyväksyit tehtävän.' }).waitFor();
  assert.match(await page.locator(`.task-card[data-task="${ids.guideTask}"] dd.agreed`).innerText(), /^Sovittu/);

  // The guide's feedback on today's log shows under the logs, and as a notification at home.
  const staffTasks = await callApi(guide.page, 'GET', `/api/v1/courses/${ids.course}/participants/${ids.participant}/tasks`);
  const list = Array.isArray(staffTasks) ? staffTasks : staffTasks.tasks;
  const own = list.find((x) => x.id === ids.ownTask);
  assert.ok(own && own.logs && own.logs.length, 'the guide does not see the log');
  await callApi(guide.page, 'POST', `/api/v1/courses/${ids.course}/participants/${ids.participant}/tasks/${ids.ownTask}/logs/${own.logs[0].id}/feedback`, { body: 'Hienoa, jatka samaan malliin!' });
  await open(page, '/omakuntoutus');
  assert.match(await page.locator(`.task-card[data-task="${ids.ownTask}"] .feedback`).innerText(), /Hienoa, jatka samaan malliin!/);
  await open(page, '/tanaan');
  assert.ok(await page.locator('#notice-list li[data-kind="task_feedback"]').count() >= 1, 'no task_feedback notification at home');
  // The home logs today's tasks too.
  const homeRow = page.locator(`#tasks-today li[data-task="${ids.ownTask}"]`);
  assert.equal(await homeRow.locator('button[data-action="log-done"]').getAttribute('aria-pressed'), 'true');
  await homeRow.locator('button[data-action="log-skip"]').click();
  await homeRow.locator('.log-state', { hasText: 'Merkitty: ei tänään.' }).waitFor();
  await homeRow.locator('button[data-action="log-done"]').click();
  await homeRow.locator('.log-state', { hasText: 'Merkitty: tehty' }).waitFor();
  // Mark every notification read.
  const readAll = page.locator('#notices-read-all');
  if (await readAll.count()) {
    await readAll.click();
    await page.locator('#no-notices').waitFor();
  }
});

test('(J6) the participant sets two goals with their five levels, edits one, and sees the baseline once the guide rates it', { timeout: 90_000 }, async () => {
  const { page } = participant;
  await open(page, '/omakuntoutus');
  const fillGoal = async (form, title) => {
    await form.locator('input[name="title"]').fill(title);
    const levels = { '-2': 'En ulkoile lainkaan.', '-1': 'Ulkoilen kerran viikossa.', 0: 'Ulkoilen kaksi kertaa viikossa.', 1: 'Ulkoilen kolme kertaa viikossa.', 2: 'Ulkoilen joka päivä.' };
    for (const [l, text] of Object.entries(levels)) await form.locator(`input[name="levels.${l}"]`).fill(text);
  };
  // An empty level is named next to its field.
  let form = page.locator('form[data-form="goal-add"]');
  await form.locator('input[name="title"]').fill('Ulkoilen säännöllisesti');
  await form.locator('button[type="submit"]').click();
  await form.locator('.error-summary', { hasText: 'Kirjoita taso −2.' }).waitFor();
  await fillGoal(form, 'Ulkoilen säännöllisesti');
  await form.locator('button[type="submit"]').click();
  await page.locator('.status-box', { hasText: 'Tavoite on tallennettu.' }).waitFor();
  form = page.locator('form[data-form="goal-add"]');
  await fillGoal(form, 'Nukun paremmin');
  await form.locator('button[type="submit"]').click();
  await page.locator('.goal-card', { hasText: 'Tavoite 2: Nukun paremmin' }).waitFor();

  const card = page.locator('.goal-card', { hasText: 'Ulkoilen säännöllisesti' });
  ids.goal = await card.getAttribute('data-goal');
  const text = (await card.innerText()).replace(/\s+/g, ' ');
  for (const words of ['−2 (paljon odotettua huonompi): En ulkoile lainkaan.', '0 (odotettu tulos): Ulkoilen kaksi kertaa viikossa.', '+2 (paljon odotettua parempi): Ulkoilen joka päivä.']) {
    assert.ok(text.includes(words), `the goal card does not say "${words}": ${text}`);
  }
  assert.match(text, /Lähtötaso: Ohjaaja arvioi lähtötason kanssasi kurssin alussa\./);

  // Edit the title.
  await card.locator('button[data-action="edit-goal"]').click();
  const edit = page.locator('form[data-form="goal-edit"]');
  await edit.locator('input[name="title"]').fill('Ulkoilen säännöllisesti joka viikko');
  await edit.locator('button[type="submit"]').click();
  await page.locator('.status-box', { hasText: 'Muutokset on tallennettu.' }).waitFor();
  assert.equal(await page.locator('.goal-card', { hasText: 'Ulkoilen säännöllisesti joka viikko' }).count(), 1);

  // A new task can be linked to the goal; its card names the goal.
  const taskForm = page.locator('form[data-form="task-add"]');
  await taskForm.locator('input[name="title"]').fill('Iltakävely');
  await taskForm.locator('input[name="mode"][value="times"]').check();
  await taskForm.locator('select[name="times_per_week"]').selectOption('2');
  await taskForm.locator('select[name="goal_id"]').selectOption(ids.goal);
  await taskForm.locator('button[type="submit"]').click();
  await page.locator('.status-box', { hasText: 'on lisätty' }).waitFor();
  const linked = page.locator('#sr-tasks .task-card', { hasText: 'Iltakävely' });
  assert.match((await linked.innerText()).replace(/\s+/g, ' '), /Tavoite Tavoite 1: Ulkoilen säännöllisesti joka viikko/);
  assert.match(await linked.innerText(), /2 kertaa viikossa/);

  // The guide rates the baseline: the participant sees it and can no longer change the goal.
  await callApi(guide.page, 'PUT', `/api/v1/courses/${ids.course}/participants/${ids.participant}/goals/${ids.goal}/baseline`, { level: -1 });
  await open(page, '/omakuntoutus');
  const rated = page.locator(`.goal-card[data-goal="${ids.goal}"]`);
  assert.match((await rated.innerText()).replace(/\s+/g, ' '), /Lähtötaso: −1, vähän odotettua huonompi \(arvioitu /);
  assert.equal(await rated.locator('button[data-action="edit-goal"]').count(), 0);
});

test('(J7) the mail preferences are two checkboxes in the settings and are kept', { timeout: 60_000 }, async () => {
  const { page } = participant;
  await open(page, '/asetukset');
  const form = page.locator('form[data-form="mail-preferences"]');
  assert.ok(await form.locator('input[name="mail_notifications"]').isChecked());
  await form.locator('input[name="task_reminders"]').uncheck();
  const patched = page.waitForResponse((r) => r.url().endsWith('/api/v1/me') && r.request().method() === 'PATCH');
  await form.locator('button[type="submit"]').click();
  assert.equal((await patched).status(), 200);
  await page.locator('#mail .status-box', { hasText: 'Valinnat on tallennettu.' }).waitFor();
  await page.reload();
  await ready(page);
  assert.equal(await page.locator('form[data-form="mail-preferences"] input[name="task_reminders"]').isChecked(), false);
  assert.equal(await page.locator('form[data-form="mail-preferences"] input[name="mail_notifications"]').isChecked(), true);
  await page.locator('form[data-form="mail-preferences"] input[name="task_reminders"]').check();
  await page.locator('form[data-form="mail-preferences"] button[type="submit"]').click();
  await page.locator('#mail .status-box', { hasText: 'Valinnat on tallennettu.' }).waitFor();
});

test('(J8) every new screen passes axe and the probes (A1, A3, A5, A6, A7, A8, A11, A12, A17) in fi and sv', { timeout: 600_000 }, async () => {
  const { page } = participant;
  const screens = [
    { name: 'tanaan', path: '/tanaan' },
    { name: 'ohjelma', path: '/ohjelma' },
    { name: 'ohjelma-moduuli', path: `/ohjelma/${ids.module}` },
    { name: 'omakuntoutus', path: '/omakuntoutus' },
    { name: 'asetukset', path: '/asetukset' },
  ];
  const failures = [];
  for (const lang of ['fi', 'sv']) {
    await open(page, '/asetukset');
    await setLanguage(page, lang);
    const navs = [];
    for (const screen of screens) {
      const where = `${lang} ${screen.path}`;
      await open(page, screen.path);
      if (screen.name === 'omakuntoutus') {
        // The optional parts open too: "how did it go" under today's log.
        for (const d of await page.locator('details.log-details').all()) await d.locator('summary').click();
      }
      const keyboard = await probeKeyboard(page);
      const violations = await runAxe(page);
      const probe = await probePage(page);
      const reflow = await probeReflow(page);
      if (violations.length) failures.push(`${where}: ${violations.length} axe violation(s)\n${formatViolations(violations)}`);
      const found = [...probe.problems, ...reflow, ...keyboard];
      if (probe.lang !== lang) found.push(`A2 <html lang="${probe.lang}">, expected ${lang}`);
      if (probe.loadErrors.length) found.push(`the page shows an error: ${probe.loadErrors.join(' | ')}`);
      if (found.length) failures.push(`${where}:\n  ${found.join('\n  ')}`);
      navs.push({ where, nav: probe.nav, helpRect: probe.helpRect });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `journey-${screen.name}-${lang}.png`), fullPage: true });
    }
    const first = navs[0];
    if (first.nav.length > 5) failures.push(`A11 participants have ${first.nav.length} nav items (max 5)`);
    for (const n of navs.slice(1)) {
      if (JSON.stringify(n.nav) !== JSON.stringify(first.nav)) failures.push(`A11 ${n.where}: the navigation differs`);
      if (JSON.stringify(n.helpRect) !== JSON.stringify(first.helpRect)) failures.push(`A12 ${n.where}: the help link moved`);
    }
  }
  // A17: progress is text first, and the chart is a table with a caption.
  await open(page, '/ohjelma');
  await setLanguage(page, 'fi');
  const progressText = await page.locator('#progress-modules').innerText({ timeout: 5000 }).catch(() => '(missing)');
  if (!/^Ohjelmasta tehty \d+\/\d+ moduulia\.$/.test(progressText)) failures.push(`A17 /ohjelma has no progress text: ${progressText}`);
  const caption = await page.locator('#activity table caption').innerText({ timeout: 5000 }).catch(() => '(missing)');
  if (caption !== 'Aktiiviset päivät viikoittain' || !(await page.locator('#activity table tbody tr').count())) failures.push(`A17 /ohjelma has no table of active days: ${caption}`);
  if (problems.length) failures.push(`CSP violations or script errors:\n  ${problems.join('\n  ')}`);
  assert.equal(failures.length, 0, `\n${failures.join('\n\n')}`);
});
