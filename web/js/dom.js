// Small DOM helpers. Everything is built with createElement and textContent: no innerHTML with
// data from the server, so names and messages can never become markup (SECURITY.md S20).

/**
 * h('p', {class: 'hint', id: 'x'}, 'text', child, [more, children])
 * Attributes: `class`, `text`, `on<event>` (a function), `true` for boolean attributes;
 * null, undefined and false leave the attribute out.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key === 'text') el.textContent = value;
      else if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2), value);
      } else if (value === true) el.setAttribute(key, '');
      else el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Text hidden on screen but read by screen readers. */
export function srOnly(text) {
  return h('span', { class: 'visually-hidden' }, text);
}

let idCounter = 0;
/** A unique id for label/description wiring. */
export function uid(prefix = 'id') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** Moves focus to an element that is not normally focusable (headings, summaries). */
export function focusElement(el) {
  if (!el) return;
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus();
  el.scrollIntoView({ block: 'start' });
}

/** parent.append(...) that skips null, undefined and false (native append would write "null"). */
export function add(parent, ...children) {
  return append(parent, children);
}

/** parent.replaceChildren(...) that skips null, undefined and false. */
export function fill(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}
