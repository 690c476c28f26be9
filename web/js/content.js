// Imported program content in the page: language variants and HTML.
//
// The server sanitises every imported HTML text (ammonia) before storing it; here it is parsed with
// DOMParser (scripts in a parsed document never run) and copied node by node through a second,
// stricter allowlist, so nothing but plain document structure reaches the page: no scripts, no
// event handlers, no style attributes (the CSP would refuse them), no frames, no forms, no
// images or links from other origins that the CSP would block. Headings are moved below the
// heading of the item they belong to, tables get a scroll box, stand-alone links get big targets.

import { h } from './dom.js';
import { getLang, t } from './i18n.js';

/** The primary language subtag in lower case: "en-US" → "en". */
function primary(lang) {
  return String(lang || '').toLowerCase().split('-')[0];
}

/** A tag worth putting in a lang attribute: "und" (undetermined) and junk are left out. */
function usableLang(lang) {
  const l = String(lang || '');
  return /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(l) && primary(l) !== 'und' ? l : null;
}

/**
 * The variant of a Localized text ([[lang, text], …]) for the UI language, else the first one.
 * Returns {text, lang}, where lang is set only when it differs from the page's language (A2).
 */
export function pick(localized, uiLang = getLang()) {
  const list = Array.isArray(localized) ? localized.filter((v) => Array.isArray(v) && typeof v[1] === 'string') : [];
  if (!list.length) return { text: '', lang: null };
  const found = list.find(([l]) => primary(l) === primary(uiLang)) || list[0];
  const lang = usableLang(found[0]);
  return { text: found[1], lang: lang && primary(lang) !== primary(uiLang) ? lang : null };
}

/** The plain text of a Localized value (for titles). */
export function pickText(localized, uiLang) {
  return pick(localized, uiLang).text.trim();
}

/** True when no variant of a Localized value has any text. */
export function isEmptyLocalized(localized) {
  return !pick(localized).text.replace(/<[^>]*>/g, '').trim() && !/<img/i.test(pick(localized).text);
}

/** A span (or other element) with the text of a Localized value and its own lang when needed. */
export function localizedText(localized, { tag = 'span', attrs = {}, fallback = '' } = {}) {
  const { text, lang } = pick(localized);
  return h(tag, { ...attrs, lang }, text.trim() || fallback);
}

// ---- HTML ---------------------------------------------------------------------------------------

const KEEP = new Set([
  'p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'small', 'mark', 'span', 'div',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'pre',
  'code', 'hr', 'a', 'img', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption',
  'figure', 'figcaption', 'abbr', 'cite', 'q', 'del', 'ins', 'kbd', 'samp', 'var', 'time',
  'section', 'article', 'aside', 'header', 'footer', 'address',
]);
// Dropped with everything inside them.
const DROP = new Set([
  'script', 'style', 'template', 'noscript', 'iframe', 'frame', 'frameset', 'object', 'embed',
  'applet', 'form', 'input', 'button', 'select', 'textarea', 'option', 'svg', 'math', 'link',
  'meta', 'base', 'head', 'title', 'audio', 'video', 'source', 'track', 'canvas', 'map', 'area',
  'dialog', 'slot',
]);
// Landmark-like elements would add landmarks inside an item; they become plain divs.
const AS_DIV = new Set(['section', 'article', 'aside', 'header', 'footer', 'address']);
const ATTRS = {
  '*': ['lang', 'dir', 'title'],
  a: ['href'],
  img: ['src', 'alt', 'width', 'height'],
  th: ['colspan', 'rowspan', 'scope'],
  td: ['colspan', 'rowspan'],
  ol: ['start', 'reversed'],
  li: ['value'],
  time: ['datetime'],
  q: ['cite'],
  blockquote: ['cite'],
};

/** A URL the page may link to: same-origin paths, http(s), mailto and tel. */
export function safeHref(value) {
  const raw = String(value || '').trim();
  if (!raw) return null;
  if (raw.startsWith('#')) return null; // fragments of the source page mean nothing here
  try {
    const url = new URL(raw, location.origin);
    if (['http:', 'https:', 'mailto:', 'tel:'].includes(url.protocol)) return url.origin === location.origin ? url.pathname + url.search + url.hash : url.href;
  } catch {
    return null;
  }
  return null;
}

/** An image source the CSP allows (img-src 'self' data:): our own media, or a data: image. */
function safeImageSrc(value) {
  const raw = String(value || '').trim();
  if (/^data:image\/(png|gif|jpe?g|webp);base64,/i.test(raw)) return raw;
  try {
    const url = new URL(raw, location.origin);
    if (url.origin === location.origin && (url.protocol === 'http:' || url.protocol === 'https:')) return url.pathname + url.search;
  } catch {
    return null;
  }
  return null;
}

function copyNode(node, out) {
  if (node.nodeType === Node.TEXT_NODE) {
    out.append(document.createTextNode(node.textContent));
    return;
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  const tag = node.tagName.toLowerCase();
  if (DROP.has(tag)) return;
  if (!KEEP.has(tag)) {
    // Unknown element: keep what it says, not what it is.
    for (const child of node.childNodes) copyNode(child, out);
    return;
  }
  if (tag === 'img') {
    const src = safeImageSrc(node.getAttribute('src'));
    const alt = (node.getAttribute('alt') || '').trim();
    if (!src) {
      if (alt) out.append(h('span', { class: 'content-missing-image' }, `[${alt}]`));
      return;
    }
    // An image without alt text gets an empty one: we cannot invent a description.
    const img = h('img', { src, alt, loading: 'lazy' });
    for (const a of ['width', 'height']) {
      const v = node.getAttribute(a);
      if (v && /^\d{1,4}$/.test(v)) img.setAttribute(a, v);
    }
    out.append(img);
    return;
  }
  const el = document.createElement(AS_DIV.has(tag) ? 'div' : tag);
  for (const name of [...(ATTRS['*'] || []), ...(ATTRS[tag] || [])]) {
    if (!node.hasAttribute(name)) continue;
    let value = node.getAttribute(name);
    if (name === 'href') {
      value = safeHref(value);
      if (!value) continue;
    } else if (name === 'lang') {
      value = usableLang(value);
      if (!value) continue;
    } else if (name === 'dir' && !['ltr', 'rtl', 'auto'].includes(value)) continue;
    else if (name === 'cite') continue;
    el.setAttribute(name, value);
  }
  for (const child of node.childNodes) copyNode(child, el);
  out.append(el);
}

/**
 * Renders an imported HTML text into a new <div class="content">. headingLevel is the level the
 * highest heading of the text gets (one below the heading of the item).
 */
export function htmlBlock(html, { lang = null, headingLevel = 3, className = '' } = {}) {
  const box = h('div', { class: `content ${className}`.trim(), lang });
  if (!html) return box;
  const doc = new DOMParser().parseFromString(String(html), 'text/html');
  const frag = document.createDocumentFragment();
  for (const child of doc.body.childNodes) copyNode(child, frag);
  box.append(frag);
  tidy(box, headingLevel);
  return box;
}

/** The HTML of a Localized value in the UI language (or the first one), as a content block. */
export function localizedHtml(localized, options = {}) {
  const { text, lang } = pick(localized);
  return htmlBlock(text, { ...options, lang });
}

function tidy(box, headingLevel) {
  // Headings: the highest one in the text becomes headingLevel, the rest keep their distance.
  const headings = [...box.querySelectorAll('h1, h2, h3, h4, h5, h6')];
  if (headings.length) {
    const top = Math.min(...headings.map((el) => Number(el.tagName[1])));
    const shift = Math.max(0, headingLevel - top);
    for (const el of headings) {
      const level = Math.min(6, Number(el.tagName[1]) + shift);
      if (level === Number(el.tagName[1])) continue;
      const repl = document.createElement(`h${level}`);
      for (const a of el.attributes) repl.setAttribute(a.name, a.value);
      repl.append(...el.childNodes);
      el.replaceWith(repl);
    }
  }
  // Tables scroll sideways in their own box, which can be reached with the keyboard (A6, A7).
  for (const table of box.querySelectorAll('table')) {
    const caption = table.querySelector('caption');
    const wrap = h('div', { class: 'table-wrap content-table', role: 'region', tabindex: '0',
      'aria-label': caption && caption.textContent.trim() ? caption.textContent.trim() : t('content.table') });
    table.replaceWith(wrap);
    wrap.append(table);
  }
  // Links: a link that stands alone on its line gets a 44 px target (A5); links to other
  // services say so for screen readers.
  for (const a of box.querySelectorAll('a[href]')) {
    const own = a.textContent.replace(/\s+/g, ' ').trim();
    const around = (a.parentElement ? a.parentElement.textContent : '').replace(/\s+/g, ' ').trim();
    if (own === around) a.classList.add('link-alone');
    if (!own && !a.querySelector('img[alt]:not([alt=""])')) a.append(a.getAttribute('href'));
  }
}
