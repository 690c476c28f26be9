// Etäpolku browser UI: one page application with History-API routes. The server answers every
// non-API path with index.html, so each route below is also a real address that can be reloaded,
// bookmarked and opened from an email.

import { h, focusElement } from './js/dom.js';
import { t, getLang, useLanguage, startLanguage, storedLanguage, rememberLanguage, statementPath, LANGUAGES } from './js/i18n.js';
import { refresh, currentUser, isSignedIn, onSessionChange, signOut, patch, setCurrentUser } from './js/api.js';
import { saveAllDrafts, clearUserDrafts } from './js/forms.js';
import { routes, homeFor, navFor } from './js/routes.js';

const RETURN_KEY = 'etapolku.returnTo';

const app = {
  renderSeq: 0,
  flash: null,
  firstRender: true,
  navigate,
  homeFor,
  rememberReturn,
  takeReturn,
};

// ---- routing ----------------------------------------------------------------------------------

function match(pathname) {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  for (const route of routes) {
    const m = route.regex.exec(path);
    if (m) return { route, params: m.groups || {} };
  }
  return null;
}

/** Goes to a path inside the app. options: {replace, flash: {text, kind}} */
export function navigate(path, { replace = false, flash = null } = {}) {
  saveAllDrafts();
  if (flash) app.flash = flash;
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render();
}

function rememberReturn(path) {
  try {
    localStorage.setItem(RETURN_KEY, JSON.stringify({ path, at: Date.now() }));
  } catch {
    // ignore
  }
}

/** The page to go back to after signing in, if it is recent and allowed for the user. */
function takeReturn(me) {
  try {
    const raw = localStorage.getItem(RETURN_KEY);
    localStorage.removeItem(RETURN_KEY);
    if (!raw) return null;
    const { path, at } = JSON.parse(raw);
    if (Date.now() - at > 24 * 3600 * 1000) return null;
    const found = match(path);
    if (!found || found.route.access === 'public') return null;
    if (found.route.roles && !found.route.roles.includes(me.role)) return null;
    return path;
  } catch {
    return null;
  }
}

async function render() {
  const seq = ++app.renderSeq;
  const main = document.getElementById('main');
  const found = match(location.pathname);
  const me = currentUser();

  if (location.pathname === '/' || location.pathname === '') {
    history.replaceState(null, '', me ? homeFor(me) : '/kirjaudu');
    return render();
  }

  if (found && found.route.access !== 'public' && !isSignedIn()) {
    rememberReturn(location.pathname);
    history.replaceState(null, '', '/kirjaudu');
    return render();
  }
  if (found && found.route.signedOutOnly && isSignedIn()) {
    history.replaceState(null, '', homeFor(me));
    return render();
  }

  renderChrome(found ? found.route : null);
  const flash = app.flash;
  app.flash = null;

  main.replaceChildren();
  delete main.dataset.ready;
  if (!app.firstRender) window.scrollTo(0, 0);
  const ctx = {
    main,
    params: found ? found.params : {},
    app,
    me,
    flash,
    alive: () => seq === app.renderSeq,
    setTitle: (text) => {
      document.title = `${text} – Etäpolku`;
    },
  };

  let page;
  if (!found) page = (await import('./js/pages/public.js')).notFoundPage;
  else if (found.route.roles && !found.route.roles.includes(me.role)) page = (await import('./js/pages/public.js')).forbiddenPage;
  else page = await found.route.load();

  if (seq !== app.renderSeq) return undefined;
  try {
    await page(ctx);
  } catch (err) {
    if (seq !== app.renderSeq) return undefined;
    console.error(err);
    main.replaceChildren(h('h1', { tabindex: '-1' }, t('error.page_title')),
      h('p', { role: 'alert' }, t('error.unexpected')));
  }
  if (seq !== app.renderSeq) return undefined;
  // After a page change, focus goes to the page's heading so a screen reader starts there; a
  // link to a part of a page (/ohjelma/3#item-cm-7, from a notification) goes to that part.
  const target = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  if (target) focusElement(target);
  else if (!app.firstRender) {
    const heading = main.querySelector('h1');
    if (heading) focusElement(heading);
  }
  app.firstRender = false;
  main.dataset.ready = 'true';
  document.body.dataset.route = found ? found.route.name : 'not-found';
  return undefined;
}

// ---- page chrome: header, navigation, language switch, footer ------------------------------

function renderChrome(route) {
  const me = currentUser();
  document.getElementById('skip-link').textContent = t('chrome.skip_link');

  const header = document.getElementById('site-header');
  const langSwitch = h('div', { class: 'lang-switch', role: 'group', 'aria-labelledby': 'lang-switch-label' },
    h('span', { id: 'lang-switch-label', class: 'visually-hidden' }, t('chrome.language')),
    LANGUAGES.map((lang) => {
      const button = h('button', {
        type: 'button', class: 'lang-button', lang,
        'aria-pressed': String(lang === getLang()), 'data-lang': lang,
      }, t(`chrome.language_name_${lang}`));
      button.addEventListener('click', () => changeLanguage(lang));
      return button;
    }));

  let account = null;
  if (me) {
    const out = h('button', { type: 'button', class: 'button button-secondary', id: 'sign-out' }, t('chrome.sign_out'));
    out.addEventListener('click', onSignOut);
    account = h('div', { class: 'account' },
      h('p', { class: 'account-name' }, h('span', { class: 'visually-hidden' }, `${t('chrome.signed_in_as')} `), me.display_name),
      h('a', { href: '/asetukset', class: 'header-link', 'aria-current': route && route.name === 'settings' ? 'page' : null }, t('chrome.settings')),
      out);
  }

  const items = navFor(me);
  const nav = h('nav', { class: 'main-nav', 'aria-label': t('chrome.main_nav') },
    h('div', { class: 'container' },
      h('ul', null, items.map((item) => h('li', null,
        h('a', {
          href: item.href,
          class: `nav-link${item.key === 'help' ? ' nav-help' : ''}`,
          'data-nav': item.key,
          'aria-current': route && route.nav === item.key ? 'page' : null,
        }, item.key === 'help' ? h('span', { class: 'help-icon', 'aria-hidden': 'true' }, '?') : null, t(item.label)))))));

  header.replaceChildren(
    h('div', { class: 'container header-inner' },
      h('a', { class: 'brand', href: '/', id: 'brand-link' }, h('span', { class: 'brand-name' }, 'Etäpolku'),
        h('span', { class: 'brand-tagline' }, t('chrome.tagline'))),
      h('div', { class: 'header-tools' }, langSwitch, account)),
    nav);

  const footer = document.getElementById('site-footer');
  footer.replaceChildren(h('div', { class: 'container footer-inner' },
    h('p', { class: 'footer-text' }, t('chrome.footer_text')),
    h('ul', { class: 'footer-links' },
      h('li', null, h('a', { class: 'footer-link', href: statementPath(), id: 'statement-link' }, t('chrome.statement'))))));
}

async function changeLanguage(lang) {
  if (lang === getLang()) return;
  saveAllDrafts();
  rememberLanguage(lang);
  await useLanguage(lang);
  const me = currentUser();
  if (me && me.language !== lang) {
    try {
      setCurrentUserQuietly(await patch('/api/v1/me', { language: lang }));
    } catch {
      // The choice is still remembered in this browser.
    }
  }
  // The statement has its own address per language (A18).
  if (location.pathname === '/saavutettavuusseloste' || location.pathname === '/tillganglighetsutlatande') {
    history.replaceState(null, '', statementPath(lang));
  }
  await render();
  const pressed = document.querySelector(`.lang-button[data-lang="${lang}"]`);
  if (pressed) pressed.focus();
}

let quietUserUpdate = false;
function setCurrentUserQuietly(me) {
  quietUserUpdate = true;
  try {
    setCurrentUser(me);
  } finally {
    quietUserUpdate = false;
  }
}

async function onSignOut() {
  const me = currentUser();
  if (me) clearUserDrafts(me.id);
  app.signingOut = true;
  try {
    await signOut();
  } finally {
    app.signingOut = false;
  }
  navigate('/kirjaudu', { replace: true, flash: { text: t('signin.signed_out'), kind: 'success' } });
}

// ---- global listeners ---------------------------------------------------------------------------

document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest('a[href]');
  if (!link || link.target || link.hasAttribute('download')) return;
  const href = link.getAttribute('href');
  if (href.startsWith('#')) {
    // In-page links (skip link, error summary) move focus without changing the route.
    event.preventDefault();
    const target = document.getElementById(href.slice(1));
    if (target) focusElement(target);
    return;
  }
  const url = new URL(link.href, location.href);
  // The API and media files (audio, video, attachments of the program) are the server's, not pages.
  if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/media/')) return;
  event.preventDefault();
  if (url.pathname === location.pathname && url.search === location.search && !url.hash) {
    render();
    return;
  }
  navigate(url.pathname + url.search + url.hash);
});

window.addEventListener('popstate', () => render());
window.addEventListener('pagehide', () => saveAllDrafts());

onSessionChange(async (me, reason) => {
  if (quietUserUpdate || app.signingOut) return;
  if (reason === 'expired' || (reason === 'logout' && location.pathname !== '/kirjaudu')) {
    // The session ended (another tab signed out, or the refresh token expired). Drafts are saved,
    // and after signing in again the user comes back here.
    saveAllDrafts();
    const found = match(location.pathname);
    if (found && found.route.access !== 'public') {
      rememberReturn(location.pathname);
      navigate('/kirjaudu', { replace: true, flash: { text: t('signin.session_ended'), kind: 'info' } });
    } else {
      render();
    }
    return;
  }
  if (reason === 'refresh' && me && location.pathname === '/kirjaudu') {
    // Another tab signed in.
    navigate(takeReturn(me) || homeFor(me), { replace: true });
    sendUnsentChat();
    return;
  }
  if (reason === 'login') sendUnsentChat();
  if (reason === 'user') renderChrome(match(location.pathname)?.route || null);
});

// ---- start -------------------------------------------------------------------------------------

async function start() {
  await useLanguage(startLanguage(null));
  let signedIn = false;
  try {
    signedIn = await refresh();
  } catch {
    signedIn = false;
  }
  const me = currentUser();
  if (signedIn && me && !storedLanguage() && me.language && me.language !== getLang()) {
    await useLanguage(me.language);
  }
  await render();
  sendUnsentChat();
}

/** Chat messages sent while the connection or the session was gone are sent now (A9). */
async function sendUnsentChat() {
  const me = currentUser();
  if (!me) return;
  const chat = await import('./js/chat/connection.js');
  if (chat.hasUnsent(me.id)) chat.chatConnection()?.start();
}

start();
