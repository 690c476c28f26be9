// Browser tests of the chat (issue 5, UX.md A22) against the real server in demo mode: two
// participants of the Finnish demo course (Aino, signed in with the printed link, and Eero, with a
// link mailed to the SMTP sink) and their guide (Sari), each in a browser context of their own.
// Messages arrive without a reload, moderation shows up for everyone, a muted participant's send is
// refused in words, a report reaches the guide's queue, the private thread works both ways, a
// dropped socket reconnects and catches up, a message sent while the connection was gone is kept
// over a reload and delivered once; axe and the probes pass on the chat pages in fi and sv.
//
//   cd tests/e2e && node --test --test-concurrency=1 chat.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startStack, launchBrowser, serverBinaryAvailable, SCREENSHOT_DIR } from './harness.mjs';
import { runAxe, formatViolations, probePage, probeReflow, probeKeyboard } from './probes.mjs';
import * as pages from './pages.mjs';

const PARTICIPANT_B = 'eero.makinen@demo.example';
const WAIT = { timeout: 20_000 };

let stack;
let browser;
let a; // Aino {context, page}
let b; // Eero
let guide; // Sari
const problems = []; // CSP violations and script errors

// The shared page helpers (pages.mjs), bound to this file's browser, server and problem list.
const { ready, setLanguage } = pages;
const newContext = () => pages.newContext(browser, problems);
const open = (page, pathname) => pages.open(page, stack.baseUrl, pathname);
const signInWithLink = (link, home) => pages.signInWithLink(browser, problems, link, home);

const ids = { course: null, aId: null, bId: null, group: null, aPrivate: null, bPrivate: null };
const stamp = Date.now().toString(36);
const text = (s) => `${s} [${stamp}]`;

/** An API call made by the app's own client in the page (the signed-in user's token). */
function callApi(page, method, pathname, body) {
  return page.evaluate(async ([m, p, bd]) => {
    const api = await import('/js/api.js');
    try {
      return await api.api(m, p, bd === null ? undefined : bd);
    } catch (err) {
      return { error: { status: err.status, code: err.code } };
    }
  }, [method, pathname, body === undefined ? null : body]);
}

const roomsOf = (res) => (Array.isArray(res) ? res : res.rooms || res.items || []);

/** Waits until the page's chat connection says it is up. */
async function connected(page) {
  // Generous: on a busy 2-core machine the ticket and the upgrade can take a while.
  await page.waitForSelector('#chat-connection[data-status="open"]', { timeout: 45_000 });
}

/** The message in the log (not the pending list) with this text. */
const logMessage = (page, body) => page.locator('#chat-log li.msg', { hasText: body });

/** Writes a message in the room on screen and sends it with Enter. */
async function send(page, body) {
  const field = page.locator('form[data-form="chat-send"] textarea');
  await field.click();
  await field.fill(body);
  await field.press('Enter');
}

before(async () => {
  const available = serverBinaryAvailable();
  if (!available.ok) throw new Error(`cannot run the browser tests: ${available.reason}`);
  stack = await startStack();
  browser = await launchBrowser();
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  a = await signInWithLink(stack.accounts.participant.link, '/tanaan');
  guide = await signInWithLink(stack.accounts.guide.link, '/ohjaus');
  // The second participant asks for a sign-in link like anyone would, and gets it by mail.
  stack.skipExistingMail();
  const res = await fetch(`${stack.baseUrl}/api/v1/auth/email-link`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: PARTICIPANT_B, language: 'fi' }),
  });
  assert.equal(res.status, 202, 'the sign-in link request was not accepted');
  // Other mail may come first (the scheduler's task reminders): take the one with the link.
  let mail = await stack.waitForMail({ to: PARTICIPANT_B });
  for (let i = 0; i < 5 && !mail.link; i += 1) mail = await stack.waitForMail({ to: PARTICIPANT_B });
  assert.ok(mail.link, `no sign-in link in the mail:\n${mail.text}`);
  b = await signInWithLink(mail.link, '/tanaan');

  ids.aId = await a.page.evaluate(async () => (await import('/js/api.js')).currentUser().id);
  ids.bId = await b.page.evaluate(async () => (await import('/js/api.js')).currentUser().id);
  ids.course = (await callApi(a.page, 'GET', '/api/v1/me/course')).course.id;
  const aRooms = roomsOf(await callApi(a.page, 'GET', '/api/v1/chat/rooms'));
  const bRooms = roomsOf(await callApi(b.page, 'GET', '/api/v1/chat/rooms'));
  ids.group = aRooms.find((r) => r.kind === 'group')?.id;
  ids.aPrivate = aRooms.find((r) => r.kind === 'private')?.id;
  ids.bPrivate = bRooms.find((r) => r.kind === 'private')?.id;
  assert.ok(ids.group && ids.aPrivate && ids.bPrivate, `GET /chat/rooms did not give the rooms: ${JSON.stringify(aRooms)}`);
}, { timeout: 180_000 });

after(async () => {
  if (browser) await browser.close();
  if (stack) await stack.stop();
});

test('(C1) "Ryhmä" holds the course and both conversations; the navigation keeps five items with help last (A11, A12)', { timeout: 60_000 }, async () => {
  const { page } = a;
  await open(page, '/ryhma');
  const nav = (await page.locator('nav.main-nav a').allInnerTexts()).map((x) => x.replace(/^\?\s*/, '').trim());
  assert.deepEqual(nav, ['Tänään', 'Ohjelma', 'Omakuntoutus', 'Ryhmä', 'Apua']);
  assert.equal(await page.locator('nav.main-nav [aria-current="page"]').innerText(), 'Ryhmä');
  assert.match(await page.locator('main h1').innerText(), /^Ryhmä$/);
  assert.match(await page.locator('#chat-links').innerText(), /Ryhmän keskustelu[\s\S]*Viestit tiimille/);
  assert.match(await page.locator('main').innerText(), /Kurssin tiedot[\s\S]*Kurssin tiimi/);
  // The old address still works.
  await open(page, '/kurssini');
  assert.match(await page.locator('main h1').innerText(), /^Ryhmä$/);

  await open(page, '/ryhma');
  await page.click('#group-chat-link');
  await page.waitForURL('**/ryhma/keskustelu');
  await ready(page);
  assert.equal(await page.locator('nav.main-nav [aria-current="page"]').innerText(), 'Ryhmä');
  await connected(page);
  assert.match(await page.locator('#chat-connection').innerText(), /Yhteys on kunnossa/);
  // A link at the top takes keyboard users to the message field.
  await page.focus('#chat-to-compose');
  await page.keyboard.press('Enter');
  assert.deepEqual(await page.evaluate(() => [document.activeElement.name, document.activeElement.getAttribute('tabindex')]), ['body', null]);
  // A visible label and the hint about Enter (A8).
  assert.match(await page.locator('form[data-form="chat-send"] label').innerText(), /^Viestisi$/);
  assert.match(await page.locator('form[data-form="chat-send"] .hint').innerText(), /Enter-näppäin lähettää viestin\. Vaihtonäppäin ja Enter tekevät uuden rivin\./);
  // An empty message is not sent: the error is next to the field and in the summary.
  await page.click('#chat-send');
  await page.locator('form[data-form="chat-send"] .error-summary[role="alert"]').waitFor();
  assert.match(await page.locator('form[data-form="chat-send"] .field-error').innerText(), /Kirjoita viesti ennen kuin lähetät sen\./);
});

test('(C2) A writes, B sees it without a reload and focus stays where B is; the guide sees it too (A22)', { timeout: 90_000 }, async () => {
  await open(b.page, '/ryhma/keskustelu');
  await connected(b.page);
  await open(guide.page, `/ohjaus/kurssi/${ids.course}/keskustelu`);
  await connected(guide.page);
  // B is writing something when A's message comes.
  const bField = b.page.locator('form[data-form="chat-send"] textarea');
  await bField.click();
  await bField.pressSequentially('Kirjoitan vielä');
  const hello = text('Hei kaikki! Tässä Aino.');
  await send(a.page, hello);
  await logMessage(a.page, hello).waitFor(WAIT);
  await a.page.locator('#chat-pending li').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
  assert.match(await logMessage(a.page, hello).locator('.msg-meta').innerText(), /^Aino \(sinä\) klo \d{1,2}\.\d{2}/, 'own message marked in words');

  await logMessage(b.page, hello).waitFor(WAIT);
  const meta = await logMessage(b.page, hello).locator('.msg-meta').innerText();
  assert.match(meta, /^Aino klo \d{1,2}\.\d{2}/, 'sender name and time as text');
  assert.doesNotMatch(meta, /sinä/);
  const focus = await b.page.evaluate(() => ({ tag: document.activeElement.tagName, name: document.activeElement.name, value: document.activeElement.value }));
  assert.deepEqual(focus, { tag: 'TEXTAREA', name: 'body', value: 'Kirjoitan vielä' }, 'a new message must not move focus or touch the draft');
  assert.match(await b.page.locator('#chat-news').innerText(), /^Uusi viesti: Aino, klo \d{1,2}\.\d{2}\.$/);
  await bField.fill('');

  await logMessage(guide.page, hello).waitFor(WAIT);
  assert.equal(await logMessage(b.page, hello).count(), 1, 'the message is shown once');
});

test('(C3) A22 probes on the chat: 18 px messages, names and times as text, role=status, the log is not live', { timeout: 60_000 }, async () => {
  const r = await b.page.evaluate(() => {
    const msgs = [...document.querySelectorAll('#chat-log li.msg:not(.msg-event)')];
    const sizes = msgs.flatMap((li) => [...li.querySelectorAll('.msg-body, .msg-meta, .msg-sender, .msg-time')].map((el) => parseFloat(getComputedStyle(el).fontSize)));
    const log = document.getElementById('chat-log');
    return {
      count: msgs.length,
      minSize: Math.min(...sizes),
      names: msgs.every((li) => li.querySelector('.msg-sender')?.textContent.trim().length > 0),
      times: msgs.every((li) => /(klo|kl\.|at) \d{1,2}\.\d{2}/.test(li.querySelector('time')?.textContent || '')),
      status: [...document.querySelectorAll('main [role="status"]')].map((el) => el.id).filter(Boolean),
      logLive: log.getAttribute('aria-live') || log.getAttribute('role') || null,
      toasts: document.querySelectorAll('[role="alert"].toast, .toast, .snackbar').length,
    };
  });
  assert.ok(r.count >= 1, 'no messages on the page');
  assert.ok(r.minSize >= 18, `message text ${r.minSize}px < 18px`);
  assert.ok(r.names, 'a message without its sender name as text');
  assert.ok(r.times, 'a message without its time as text');
  assert.ok(r.status.includes('chat-connection') && r.status.includes('chat-news'), `role=status regions: ${r.status}`);
  assert.equal(r.logLive, null, 'the whole log must not be a live region');
  assert.equal(r.toasts, 0);
});

test('(C4) own messages: edit and delete within 15 minutes; the others see the change', { timeout: 60_000 }, async () => {
  const first = text('Tänään sataa');
  await send(a.page, first);
  const mine = logMessage(a.page, first);
  await mine.waitFor(WAIT);
  await mine.locator('button[data-action="edit"]').click();
  const edited = text('Tänään paistaa aurinko');
  await mine.locator('form[data-form="chat-edit"] textarea').fill(edited);
  await mine.locator('form[data-form="chat-edit"] button[type="submit"]').click();
  const onB = logMessage(b.page, edited);
  await onB.waitFor(WAIT);
  assert.match(await onB.locator('.msg-meta').innerText(), /\(muokattu\)/);

  const gone = text('Tämä lähti vahingossa');
  await send(a.page, gone);
  const goneMsg = logMessage(a.page, gone);
  await goneMsg.waitFor(WAIT);
  const seq = await goneMsg.getAttribute('data-seq');
  await logMessage(b.page, gone).waitFor(WAIT);
  await goneMsg.locator('button[data-action="delete"]').click();
  await goneMsg.locator('button[data-action="confirm"]').click();
  await b.page.locator(`#chat-log li.msg[data-seq="${seq}"]`, { hasText: 'Kirjoittaja poisti viestin.' }).waitFor(WAIT);
  assert.equal(await logMessage(b.page, gone).count(), 0, 'the deleted text is still shown');
});

test('(C5) the guide hides a message with a reason: participants see "Ohjaaja poisti viestin.", staff see the text marked hidden', { timeout: 60_000 }, async () => {
  const rude = text('Tämä viesti piilotetaan');
  await send(a.page, rude);
  const onGuide = logMessage(guide.page, rude);
  await onGuide.waitFor(WAIT);
  const seq = await onGuide.getAttribute('data-seq');
  await logMessage(b.page, rude).waitFor(WAIT);
  await onGuide.locator('button[data-action="moderate"]').click();
  await onGuide.locator('button[data-action="hide"]').click();
  const form = onGuide.locator('form[data-form="chat-hide"]');
  // A reason is required (A8).
  await form.locator('button[type="submit"]').click();
  await form.locator('.error-summary[role="alert"]').waitFor();
  await form.locator('textarea').fill('Henkilötietoja toisesta ihmisestä');
  await form.locator('button[type="submit"]').click();
  await guide.page.locator('#chat-action-status', { hasText: 'Viesti piilotettiin osallistujilta.' }).waitFor(WAIT);

  for (const p of [a.page, b.page]) {
    const li = p.locator(`#chat-log li.msg[data-seq="${seq}"]`);
    await li.filter({ hasText: 'Ohjaaja poisti viestin.' }).waitFor(WAIT);
    assert.doesNotMatch(await li.innerText(), /piilotetaan/, 'a participant still sees the hidden text');
  }
  const staffView = guide.page.locator(`#chat-log li.msg[data-seq="${seq}"]`);
  await staffView.filter({ hasText: 'Piilotettu osallistujilta.' }).waitFor(WAIT);
  const staffText = await staffView.innerText();
  assert.match(staffText, /Syy: Henkilötietoja toisesta ihmisestä/);
  assert.match(staffText, /Tämä viesti piilotetaan/);
  // After a reload (history over HTTP) it is still hidden for the participant.
  await open(b.page, '/ryhma/keskustelu');
  assert.match(await b.page.locator(`#chat-log li.msg[data-seq="${seq}"]`).innerText(), /Ohjaaja poisti viestin\./);
  await connected(b.page);
});

test('(C6) the guide pins a message and turns read-only and slow mode on and off; participants are told in words', { timeout: 90_000 }, async () => {
  const notice = text('Huomenna ei ole etätapaamista');
  await send(guide.page, notice);
  const onGuide = logMessage(guide.page, notice);
  await onGuide.waitFor(WAIT);
  await onGuide.locator('button[data-action="moderate"]').click();
  await onGuide.locator('button[data-action="pin"]').click();
  await a.page.locator('#chat-pinned', { hasText: 'Huomenna ei ole etätapaamista' }).waitFor(WAIT);
  assert.match(await logMessage(a.page, notice).locator('.msg-meta').innerText(), /^Sari Salo, sairaanhoitaja \(kurssin tiimi\)/);

  const settings = guide.page.locator('form[data-form="chat-settings"]');
  await settings.locator('input[name="read_only"]').check();
  await settings.locator('button[type="submit"]').click();
  await guide.page.locator('#chat-settings [role="status"]', { hasText: 'Asetukset tallennettiin.' }).waitFor(WAIT);
  await a.page.locator('#chat-state [data-state="read_only"]', { hasText: 'Tämä keskustelu on nyt vain luettavissa.' }).waitFor(WAIT);
  const refused = text('Yritän kirjoittaa');
  await send(a.page, refused);
  await a.page.locator('#chat-pending li.msg-failed', { hasText: 'Viestiä ei lähetetty. Keskustelu on nyt vain luettavissa.' }).waitFor(WAIT);
  await a.page.locator('#chat-pending li.msg-failed button[data-action="discard"]').click();
  await a.page.locator('#chat-pending li').waitFor({ state: 'detached' });

  await settings.locator('input[name="read_only"]').uncheck();
  await settings.locator('select[name="slow_mode_seconds"]').selectOption('30');
  await settings.locator('button[type="submit"]').click();
  await a.page.locator('#chat-state [data-state="slow_mode"]', { hasText: 'Hidas tila: jokainen voi lähettää yhden viestin 30 sekunnin välein.' }).waitFor(WAIT);
  assert.equal(await a.page.locator('#chat-state [data-state="read_only"]').count(), 0);
  await settings.locator('select[name="slow_mode_seconds"]').selectOption('0');
  await settings.locator('button[type="submit"]').click();
  await a.page.locator('#chat-state [data-state="slow_mode"]').waitFor({ state: 'detached', timeout: 20_000 });
});

test('(C7) the guide stops B from writing: B\'s send is refused in words; after the guide allows it again B sends it', { timeout: 90_000 }, async () => {
  const fromB = text('Eero tässä, hei');
  await send(b.page, fromB);
  const onGuide = logMessage(guide.page, fromB);
  await onGuide.waitFor(WAIT);
  await onGuide.locator('button[data-action="moderate"]').click();
  await onGuide.locator('button[data-action="mute"]').click();
  const form = onGuide.locator('form[data-form="chat-mute"]');
  await form.locator('select[name="minutes"]').selectOption('15');
  await form.locator('textarea[name="reason"]').fill('Sovitaan säännöistä ensin');
  await form.locator('button[type="submit"]').click();
  await guide.page.locator('#chat-action-status', { hasText: 'ei voi nyt kirjoittaa' }).waitFor(WAIT);
  await guide.page.locator('#chat-mute-list li', { hasText: /Eero Mäkinen ei voi kirjoittaa .* asti\./ }).waitFor(WAIT);

  // B is told at once, in words, until when.
  await b.page.locator('#chat-state [data-state="muted"]', { hasText: /^Ohjaaja on estänyt sinua kirjoittamasta klo \d{1,2}\.\d{2} asti\. Voit lukea viestejä\.$/ }).waitFor(WAIT);
  await b.page.locator('#chat-log li.msg-event', { hasText: /esti sinua kirjoittamasta klo \d{1,2}\.\d{2} asti\./ }).waitFor(WAIT);
  const blocked = text('Saanko vielä sanoa');
  await send(b.page, blocked);
  const failed = b.page.locator('#chat-pending li.msg-failed', { hasText: blocked });
  await failed.waitFor(WAIT);
  assert.match(await failed.innerText(), /Viestiä ei lähetetty\. Ohjaaja on estänyt sinua kirjoittamasta (klo \d{1,2}\.\d{2} asti|toistaiseksi)\./);
  assert.match(await b.page.locator('#chat-action-status').innerText(), /Viestiä ei lähetetty\./);
  await b.page.waitForTimeout(1000);
  assert.equal(await logMessage(a.page, blocked).count(), 0, 'a muted participant\'s message reached the group');

  // The guide ends it early from the course's form; B sends the kept message again.
  const mute = guide.page.locator('form[data-form="chat-mute-course"]');
  await mute.locator('select[name="participant"]').selectOption(ids.bId);
  await mute.locator('button[data-action="unmute"]').click();
  await guide.page.locator('#chat-mutes [role="status"]', { hasText: 'voi taas kirjoittaa' }).waitFor(WAIT);
  await guide.page.locator('#chat-mute-list', { hasText: 'Kaikki osallistujat voivat nyt kirjoittaa.' }).waitFor(WAIT);
  await failed.locator('button[data-action="send-again"]').click();
  await logMessage(a.page, blocked).waitFor(WAIT);
  assert.equal(await b.page.locator('#chat-pending li').count(), 0);
});

test('(C8) A reports B\'s message; it is in the guide\'s queue and the guide closes it', { timeout: 60_000 }, async () => {
  const fromB = text('Eero tässä, hei');
  const msg = logMessage(a.page, fromB);
  await msg.waitFor(WAIT);
  await msg.locator('button[data-action="report"]').click();
  const form = msg.locator('form[data-form="chat-report"]');
  await form.locator('textarea').fill('Tämä loukkasi minua');
  await form.locator('button[type="submit"]').click();
  await a.page.locator('#chat-action-status', { hasText: 'Kiitos. Ilmoitus meni kurssin ohjaajille.' }).waitFor(WAIT);

  await open(guide.page, `/ohjaus/kurssi/${ids.course}/keskustelu`);
  const row = guide.page.locator('#chat-report-list li', { hasText: 'Tämä loukkasi minua' });
  await row.waitFor(WAIT);
  assert.match(await row.innerText(), /Eero tässä, hei/);
  await guide.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'chat-ohjaus-ilmoitus.png'), fullPage: true });
  await row.locator('button[data-action="resolve-dismiss"]').click();
  await guide.page.locator('#chat-reports [role="status"]', { hasText: 'Ilmoitus suljettiin ilman toimenpiteitä.' }).waitFor(WAIT);
  assert.equal(await guide.page.locator('#chat-report-list li', { hasText: 'Tämä loukkasi minua' }).count(), 0);
});

test('(C9) the private thread: A writes to the team, the guide sees it with an unread count and answers; B cannot read it', { timeout: 90_000 }, async () => {
  await open(a.page, '/ryhma/viestit');
  await connected(a.page);
  assert.match(await a.page.locator('main h1').innerText(), /^Viestit tiimille$/);
  const question = text('Voiko kurssin aikana soittaa?');
  await send(a.page, question);
  await logMessage(a.page, question).waitFor(WAIT);
  await open(a.page, '/tanaan');

  // The guide's course list says where the new messages are.
  await open(guide.page, '/ohjaus');
  const unread = guide.page.locator('#guide-unread a', { hasText: /^Omaishoitajien kuntoutuskurssi, Tampere: (1 uusi viesti|\d+ uutta viestiä)$/ });
  await unread.waitFor(WAIT);
  await unread.click();
  await guide.page.waitForURL(`**/ohjaus/kurssi/${ids.course}/keskustelu`);
  await ready(guide.page);
  const link = guide.page.locator(`#chat-room-list a[data-room="${ids.aPrivate}"]`);
  assert.match(await link.innerText(), /Viestit: Aino Virtanen\s*– (1 uusi viesti|\d+ uutta viestiä)/);
  await link.click();
  await ready(guide.page);
  await connected(guide.page);
  await logMessage(guide.page, question).waitFor(WAIT);
  const answer = text('Voi soittaa arkisin kello 9–15.');
  await send(guide.page, answer);
  await logMessage(guide.page, answer).waitFor(WAIT);

  // A's home counts it; the thread shows it after "Uudet viestit".
  await open(a.page, '/tanaan');
  await a.page.locator('#messages-unread', { hasText: /Sinulla on \d+ lukematonta viestiä\./ }).waitFor(WAIT);
  await a.page.click('#home-private-chat-link');
  await ready(a.page);
  await logMessage(a.page, answer).waitFor(WAIT);
  assert.equal(await a.page.locator('#chat-unread-separator + li.msg', { hasText: answer }).count(), 1, 'no "Uudet viestit" before the new message');
  assert.match(await a.page.locator('#chat-unread-separator').innerText(), /Uudet viestit/);

  const denied = await callApi(b.page, 'GET', `/api/v1/chat/rooms/${ids.aPrivate}/messages`);
  assert.equal(denied.error && denied.error.status, 404, 'B could read A\'s private thread');
  const bRooms = roomsOf(await callApi(b.page, 'GET', '/api/v1/chat/rooms'));
  assert.ok(!bRooms.some((r) => r.id === ids.aPrivate || r.kind === 'team'), 'B sees a room that is not theirs');
});

test('(C10) a dropped socket reconnects by itself and catches up; a message sent meanwhile arrives once', { timeout: 120_000 }, async () => {
  await open(a.page, '/ryhma/keskustelu');
  await open(b.page, '/ryhma/keskustelu');
  await connected(a.page);
  await connected(b.page);
  const meanwhile = text('Tämä tuli katkon aikana');
  const fromB = text('Eeron viesti ilman verkkoa');
  // B's network goes away and the socket with it.
  await b.context.setOffline(true);
  try {
    await b.page.evaluate(async () => (await import('/js/chat/connection.js')).currentConnection().drop());
    await b.page.waitForFunction(() => document.getElementById('chat-connection').dataset.status !== 'open', null, WAIT);
    assert.match(await b.page.locator('#chat-connection').innerText(), /Yhteys katkesi|Laite ei ole verkossa|Yhdistetään/);
    await send(a.page, meanwhile);
    await logMessage(a.page, meanwhile).waitFor(WAIT);
    await send(b.page, fromB);
    const pending = b.page.locator('#chat-pending li', { hasText: fromB });
    await pending.waitFor(WAIT);
    assert.match(await pending.innerText(), /Lähetetään…/);
    assert.equal(await logMessage(b.page, meanwhile).count(), 0);
  } finally {
    await b.context.setOffline(false);
  }
  await connected(b.page);
  await logMessage(b.page, meanwhile).waitFor({ timeout: 40_000 });
  await logMessage(a.page, fromB).waitFor({ timeout: 40_000 });
  await b.page.locator('#chat-pending li').waitFor({ state: 'detached', timeout: 20_000 });
  // Said once, politely: not every caught-up message on its own.
  await b.page.locator('#chat-news', { hasText: /Sillä aikaa kun yhteys oli poikki, tuli \d+ viesti/ }).waitFor(WAIT);
  await b.page.waitForTimeout(1000);
  assert.equal(await logMessage(b.page, meanwhile).count(), 1, 'the caught-up message is shown twice');
  assert.equal(await logMessage(a.page, fromB).count(), 1, 'the resent message arrived twice');
});

test('(C11) a message sent while no connection can be made is kept over a reload (A9) and delivered once', { timeout: 120_000 }, async () => {
  const { page } = b;
  await open(page, '/ryhma/keskustelu');
  await connected(page);
  // No tickets: the socket cannot come back.
  await page.route('**/api/v1/chat/ticket', (route) => route.abort());
  await page.evaluate(async () => (await import('/js/chat/connection.js')).currentConnection().drop());
  await page.waitForFunction(() => document.getElementById('chat-connection').dataset.status !== 'open', null, WAIT);
  const kept = text('Tämä ei saa kadota');
  await send(page, kept);
  await page.locator('#chat-pending li', { hasText: kept }).waitFor(WAIT);
  // A half-written message is a draft of its own.
  const field = page.locator('form[data-form="chat-send"] textarea');
  await field.fill('Keskeneräinen ajatus');
  await page.waitForTimeout(700);

  try {
    await page.reload();
    await ready(page);
    await page.locator('#chat-pending li', { hasText: kept }).waitFor(WAIT);
    assert.equal(await field.inputValue(), 'Keskeneräinen ajatus', 'the draft was lost');
  } finally {
    await page.unroute('**/api/v1/chat/ticket');
  }
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await connected(page);
  await logMessage(a.page, kept).waitFor({ timeout: 40_000 });
  await page.locator('#chat-pending li').waitFor({ state: 'detached', timeout: 20_000 });
  await page.waitForTimeout(1500);
  assert.equal(await logMessage(a.page, kept).count(), 1);
  assert.equal(await logMessage(page, kept).count(), 1);
  await field.fill('');
});

test('(C11b) the session ends with a message waiting: after signing in again with a mailed link it is sent (A9)', { timeout: 120_000 }, async () => {
  const { page, context } = a;
  await open(page, '/ryhma/keskustelu');
  await connected(page);
  await page.route('**/api/v1/chat/ticket', (route) => route.abort());
  await page.evaluate(async () => (await import('/js/chat/connection.js')).currentConnection().drop());
  await page.waitForFunction(() => document.getElementById('chat-connection').dataset.status !== 'open', null, WAIT);
  const waiting = text('Lähetin tämän juuri ennen kuin istunto päättyi');
  await send(page, waiting);
  await page.locator('#chat-pending li', { hasText: waiting }).waitFor(WAIT);
  // Now the session ends: every API call, the refresh included, answers 401.
  await page.unroute('**/api/v1/chat/ticket');
  const expired = JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, code: 'unauthorized' });
  await context.route('**/api/v1/**', (route) => route.fulfill({ status: 401, contentType: 'application/problem+json', body: expired }));
  try {
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.waitForURL('**/kirjaudu', WAIT);
  } finally {
    await context.unroute('**/api/v1/**');
  }
  assert.equal(await logMessage(b.page, waiting).count(), 0);

  stack.skipExistingMail();
  await page.fill('form[data-form="email-link"] input[name="email"]', 'aino.virtanen@demo.example');
  await page.click('form[data-form="email-link"] button[type="submit"]');
  let mail = await stack.waitForMail({ to: 'aino.virtanen@demo.example' });
  for (let i = 0; i < 3 && !mail.link; i += 1) mail = await stack.waitForMail({ to: 'aino.virtanen@demo.example' });
  assert.ok(mail.link, 'no sign-in link in the mail');
  await page.goto(mail.link);
  await page.waitForURL('**/ryhma/keskustelu', WAIT);
  await ready(page);
  await connected(page);
  await logMessage(b.page, waiting).waitFor({ timeout: 30_000 });
  await logMessage(page, waiting).waitFor(WAIT);
  await page.locator('#chat-pending li').waitFor({ state: 'detached', timeout: 20_000 });
  assert.equal(await logMessage(b.page, waiting).count(), 1);
});

test('(C12) axe and the probes pass on the chat pages in fi and sv; screenshots', { timeout: 240_000 }, async () => {
  const failures = [];
  const screens = [
    { who: a, name: 'chat-ryhma', path: '/ryhma' },
    { who: a, name: 'chat-keskustelu', path: '/ryhma/keskustelu' },
    { who: a, name: 'chat-viestit', path: '/ryhma/viestit' },
    { who: a, name: 'chat-tanaan', path: '/tanaan' },
    { who: guide, name: 'chat-ohjaus-kurssit', path: '/ohjaus' },
    { who: guide, name: 'chat-ohjaus', path: `/ohjaus/kurssi/${ids.course}/keskustelu` },
    { who: guide, name: 'chat-ohjaus-yksityinen', path: `/ohjaus/kurssi/${ids.course}/keskustelu?huone=${ids.aPrivate}` },
  ];
  for (const lang of ['fi', 'sv']) {
    for (const who of [a, guide]) {
      await open(who.page, '/asetukset');
      await setLanguage(who.page, lang);
    }
    for (const screen of screens) {
      const { page } = screen.who;
      const where = `${lang} ${screen.path}`;
      await open(page, screen.path);
      if (screen.path.includes('keskustelu') || screen.path.includes('viestit')) {
        await connected(page);
        // The forms that open inside the log are checked too.
        const first = page.locator('#chat-log li.msg:not(.msg-event)').last();
        if (screen.who === guide) {
          await first.locator('button[data-action="moderate"]').click();
          await first.locator('button[data-action="hide"]').click();
        } else if (await first.locator('button[data-action="report"]').count()) {
          await first.locator('button[data-action="report"]').click();
        }
      }
      const keyboard = await probeKeyboard(page);
      const violations = await runAxe(page);
      const probe = await probePage(page);
      const reflow = await probeReflow(page);
      if (violations.length) failures.push(`${where}: ${violations.length} axe violation(s)\n${formatViolations(violations)}`);
      const found = [...probe.problems, ...reflow, ...keyboard];
      if (probe.lang !== lang) found.push(`A2 <html lang="${probe.lang}">, expected ${lang}`);
      if (probe.loadErrors.length) found.push(`the page shows an error: ${probe.loadErrors.join(' | ')}`);
      if (screen.who === a && probe.nav.length > 5) found.push(`A11 ${probe.nav.length} nav items`);
      if (found.length) failures.push(`${where}:\n  ${found.join('\n  ')}`);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${screen.name}${lang === 'fi' ? '' : `-${lang}`}.png`), fullPage: true });
    }
  }
  for (const who of [a, guide]) {
    await open(who.page, '/asetukset');
    await setLanguage(who.page, 'fi');
  }
  if (problems.length) failures.push(`CSP violations or script errors:\n  ${problems.join('\n  ')}`);
  assert.equal(failures.length, 0, `\n${failures.join('\n\n')}`);
});
