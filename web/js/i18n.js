// UI language: fi, sv and en. Messages live in /locales/<lang>.json (flat "a.b.c" keys, the same key
// set in every file; tests/e2e/locales.test.mjs checks that). Finnish is the fallback.

export const LANGUAGES = ['fi', 'sv', 'en'];
const STORAGE_KEY = 'etapolku.lang';

const bundles = new Map();
let current = 'fi';

async function load(lang) {
  if (bundles.has(lang)) return bundles.get(lang);
  const res = await fetch(`/locales/${lang}.json`, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`locale ${lang}: HTTP ${res.status}`);
  const data = await res.json();
  bundles.set(lang, data);
  return data;
}

export function isLanguage(value) {
  return LANGUAGES.includes(value);
}

/** Start language: a stored choice, else the user's language, else Swedish browsers get sv, else fi. */
export function startLanguage(userLanguage) {
  const stored = storedLanguage();
  if (stored) return stored;
  if (isLanguage(userLanguage)) return userLanguage;
  const browser = (navigator.languages && navigator.languages[0]) || navigator.language || '';
  if (browser.toLowerCase().startsWith('sv')) return 'sv';
  return 'fi';
}

export function storedLanguage() {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

export function rememberLanguage(lang) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
}

/** Loads the language and makes it current; <html lang> follows (A2). */
export async function useLanguage(lang) {
  const chosen = isLanguage(lang) ? lang : 'fi';
  await load('fi');
  await load(chosen);
  current = chosen;
  document.documentElement.lang = chosen;
}

export function getLang() {
  return current;
}

/** Translates a key; `{name}` placeholders are filled from params. */
export function t(key, params) {
  const own = bundles.get(current);
  let text = own && Object.prototype.hasOwnProperty.call(own, key) ? own[key] : undefined;
  if (text === undefined) {
    const fi = bundles.get('fi');
    text = fi && Object.prototype.hasOwnProperty.call(fi, key) ? fi[key] : undefined;
  }
  if (text === undefined) return key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (match, name) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : match,
  );
}

/** Translates a key if it exists, else returns the fallback (for codes the server may add later). */
export function tOr(key, fallback, params) {
  const text = t(key, params);
  return text === key ? fallback : text;
}

/** The path of the accessibility statement in the current language (A18). */
export function statementPath(lang = current) {
  return lang === 'fi' ? '/saavutettavuusseloste' : '/tillganglighetsutlatande';
}
