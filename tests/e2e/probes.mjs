// Accessibility checks run inside the page: axe-core plus our own probes for what axe does not
// check (UX.md A3, A5, A6, A7, A8, A11, A12, A18).

import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const AXE_PATH = require.resolve('axe-core/axe.min.js');
const AXE_SOURCE = fs.readFileSync(AXE_PATH, 'utf8');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Runs axe with the WCAG 2.x A/AA tags. The app is served with a strict CSP (script-src 'self'),
 * which blocks the inline <script> that page.addScriptTag({path}) creates, and we do not want to
 * switch the CSP off in the very browser that checks the app works under it. So the same file
 * (node_modules/axe-core/axe.min.js) is evaluated through the DevTools protocol instead, which CSP
 * does not govern.
 */
export async function runAxe(page) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  }, AXE_TAGS);
}

export function formatViolations(violations) {
  return violations.map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `      ${n.target}\n        ${String(n.summary).replace(/\n/g, '\n        ')}`).join('\n')}`).join('\n');
}

/** Text size, target size, labels, help link, footer link and load errors on the page as it is. */
export async function probePage(page) {
  return page.evaluate(() => {
    window.scrollTo(0, 0);
    const problems = [];
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) return false;
      const cs = getComputedStyle(el);
      return cs.visibility !== 'hidden' && cs.display !== 'none' && !el.closest('.visually-hidden, [hidden]');
    };
    const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${(el.textContent || el.value || '').trim().slice(0, 40)}"`;

    // A3: body text ≥ 18 px with line-height ≥ 1.5; nothing below 16 px.
    const body = getComputedStyle(document.body);
    if (parseFloat(body.fontSize) < 18) problems.push(`A3 body font-size ${body.fontSize} < 18px`);
    if (parseFloat(body.lineHeight) / parseFloat(body.fontSize) < 1.5) problems.push(`A3 body line-height ${body.lineHeight} < 1.5`);
    for (const el of document.querySelectorAll('p, li, label, td, th, dd, dt, legend, caption, a, button, input, select, textarea, span')) {
      if (!visible(el)) continue;
      const hasText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      const field = ['SELECT', 'TEXTAREA'].includes(el.tagName) || (el.tagName === 'INPUT' && !['checkbox', 'radio'].includes(el.type));
      if (!hasText && !field) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < 16) problems.push(`A3 ${describe(el)} font-size ${size}px < 16px`);
    }

    // A5: targets ≥ 44 × 44 CSS px outside running text.
    for (const el of document.querySelectorAll('a[href], button, input, select, textarea, [role=button]')) {
      if (el.type === 'hidden' || !visible(el)) continue;
      let box = el;
      if (el.type === 'checkbox' || el.type === 'radio') box = el.closest('label') || el;
      if (el.tagName === 'A') {
        const parent = el.parentElement;
        const own = (el.textContent || '').replace(/\s+/g, ' ').trim();
        const around = (parent.textContent || '').replace(/\s+/g, ' ').trim();
        if (around !== own) continue; // an inline link in running text is exempt
      }
      const r = box.getBoundingClientRect();
      if (r.width < 43.5 || r.height < 43.5) problems.push(`A5 ${describe(el)} is ${Math.round(r.width)}×${Math.round(r.height)} px`);
    }

    // A8: every field has a visible <label> (a placeholder is not a label).
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden' || el.type === 'submit' || el.type === 'button') continue;
      const label = (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`)) || el.closest('label');
      if (!label || !label.textContent.trim() || !visible(label)) problems.push(`A8 ${describe(el)} has no visible <label>`);
      if (el.hasAttribute('placeholder')) problems.push(`A8 ${describe(el)} uses a placeholder`);
    }

    // A7: the skip link is the first focusable element.
    const focusables = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')];
    if (!focusables.length || !focusables[0].classList.contains('skip-link')) problems.push('A7 the skip link is not the first focusable element');

    // A12: the help link is the last item of the main navigation.
    const navLinks = [...document.querySelectorAll('nav.main-nav a')];
    const help = navLinks[navLinks.length - 1];
    if (!help || help.getAttribute('href') !== '/apua') problems.push('A12 the help link is not the last item of the main navigation');

    // A18: the footer links the accessibility statement of the current language.
    const lang = document.documentElement.lang;
    const statement = lang === 'fi' ? '/saavutettavuusseloste' : '/tillganglighetsutlatande';
    if (!document.querySelector(`footer a[href="${statement}"]`)) problems.push(`A18 the footer has no link to ${statement}`);

    // A11: one nav item is current when the page is in the navigation; never more than one.
    if (document.querySelectorAll('nav.main-nav [aria-current="page"]').length > 1) problems.push('A11 more than one current nav item');

    // Pages must have loaded their data (an error panel means an API call failed).
    const loadErrors = [...document.querySelectorAll('main .notice-error, main [role=alert]')]
      .filter((el) => visible(el) && !el.closest('form'))
      .map((el) => el.textContent.trim().replace(/\s+/g, ' ').slice(0, 200));

    return {
      problems,
      loadErrors,
      lang,
      title: document.title,
      h1: (document.querySelector('main h1') || {}).textContent || '',
      nav: navLinks.map((a) => ({ text: a.textContent.trim(), href: a.getAttribute('href') })),
      helpRect: help ? (({ x, y, width, height }) => ({ x: Math.round(x), y: Math.round(y + window.scrollY), width: Math.round(width), height: Math.round(height) }))(help.getBoundingClientRect()) : null,
      currentNav: (document.querySelector('nav.main-nav [aria-current="page"]') || {}).textContent || null,
    };
  });
}

/** A6: no horizontal scrolling at 320 × 640. Restores the viewport afterwards. */
export async function probeReflow(page) {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  await page.waitForTimeout(100);
  const r = await page.evaluate(() => {
    const doc = document.documentElement;
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => !el.closest('.table-wrap') && el.getBoundingClientRect().right > doc.clientWidth + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]} right=${Math.round(el.getBoundingClientRect().right)}`);
    return { scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, wide };
  });
  await page.setViewportSize(before);
  return r.scrollWidth <= r.clientWidth ? [] : [`A6 horizontal scroll at 320px: scrollWidth ${r.scrollWidth} > ${r.clientWidth} (${r.wide.join(', ')})`];
}

/**
 * A7: Tab from the top reaches the skip link first, Enter moves focus to the main content, and the
 * next tab stops all show a focus ring of at least 2 px inside the viewport.
 */
export async function probeKeyboard(page, { stops = 8 } = {}) {
  const problems = [];
  await page.evaluate(() => {
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
    // blur() leaves the browser's sequential focus starting point where the focus was (after a form
    // was used, say), so Tab would continue from there. Focusing <body> moves it back to the top.
    const body = document.body;
    const hadTabindex = body.hasAttribute('tabindex');
    if (!hadTabindex) body.setAttribute('tabindex', '-1');
    body.focus({ preventScroll: true });
    if (!hadTabindex) body.removeAttribute('tabindex');
    window.scrollTo(0, 0);
  });
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => {
    const el = document.activeElement;
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return { skip: el.classList.contains('skip-link'), outline: parseFloat(cs.outlineWidth), style: cs.outlineStyle, top: r.top, text: el.textContent.trim() };
  });
  if (!first.skip) problems.push('A7 the first Tab does not reach the skip link');
  else {
    if (first.top < 0) problems.push('A7 the focused skip link is not visible');
    if (!(first.outline >= 2 && first.style !== 'none')) problems.push(`A7 the skip link has no focus ring (${first.outline}px ${first.style})`);
    await page.keyboard.press('Enter');
    const inMain = await page.evaluate(() => document.activeElement && document.activeElement.id === 'main');
    if (!inMain) problems.push('A7 the skip link does not move focus to the main content');
  }
  for (let i = 0; i < stops; i += 1) {
    await page.keyboard.press('Tab');
    const s = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const cs = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return {
        what: `${el.tagName.toLowerCase()} "${(el.textContent || el.name || '').trim().slice(0, 30)}"`,
        outline: cs.outlineStyle !== 'none' ? parseFloat(cs.outlineWidth) : 0,
        inView: r.bottom > 0 && r.top < window.innerHeight,
      };
    });
    if (!s) break;
    if (s.outline < 2) problems.push(`A7 ${s.what} has no visible focus ring`);
    if (!s.inView) problems.push(`A7 ${s.what} is focused outside the viewport`);
  }
  return problems;
}

/**
 * Everything the screen checks find on the page as it is, as failure texts (none when it
 * passes): axe, the page probes, reflow at 320 px, the page's language when `lang` is given,
 * and an error shown on the page.
 */
export async function screenFailures(page, where, { lang = null } = {}) {
  const failures = [];
  const violations = await runAxe(page);
  if (violations.length) failures.push(`${where}: ${violations.length} axe violation(s)\n${formatViolations(violations)}`);
  const probe = await probePage(page);
  const found = [...probe.problems, ...(await probeReflow(page))];
  if (lang && probe.lang !== lang) found.push(`A2 <html lang="${probe.lang}">, expected ${lang}`);
  if (probe.loadErrors.length) found.push(`the page shows an error: ${probe.loadErrors.join(' | ')}`);
  if (found.length) failures.push(`${where}:\n  ${found.join('\n  ')}`);
  return failures;
}
