// What every browser test file does with pages: a context in Finnish and Helsinki time that
// collects CSP violations and script errors, waiting for a page to be ready, opening a path,
// switching the language, and signing in with a mailed link.

/** A new context; CSP violations and uncaught errors of its pages go to `problems`. */
export async function newContext(browser, problems) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fi-FI', timezoneId: 'Europe/Helsinki' });
  context.on('page', (page) => {
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) problems.push(`${page.url()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`${page.url()}: uncaught ${err.message}`));
  });
  return context;
}

export async function ready(page) {
  await page.waitForSelector('main[data-ready="true"]', { timeout: 20_000 });
}

/** Opens `pathname` afresh (through about:blank, so the app starts again). */
export async function open(page, baseUrl, pathname) {
  await page.goto('about:blank');
  await page.goto(baseUrl + pathname);
  await ready(page);
}

export async function setLanguage(page, lang) {
  const current = await page.evaluate(() => document.documentElement.lang);
  if (current === lang) return;
  await page.click(`.lang-button[data-lang="${lang}"]`);
  await page.waitForSelector(`html[lang="${lang}"]`);
  await page.waitForFunction((l) => document.querySelector(`.lang-button[data-lang="${l}"]`)?.getAttribute('aria-pressed') === 'true', lang);
  await ready(page);
}

/** Signs in with a mailed link in a new context and waits for the `home` path. */
export async function signInWithLink(browser, problems, link, home) {
  const context = await newContext(browser, problems);
  const page = await context.newPage();
  await page.goto(link);
  await page.waitForURL(`**${home}`, { timeout: 20_000 });
  await ready(page);
  return { context, page };
}
