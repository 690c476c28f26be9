// Form building blocks with visible labels, hints and errors (A8).
// - Every field has a <label>; hints and errors are tied to the field with aria-describedby.
// - On a failed submit the errors appear as text next to each field AND in a summary (role=alert)
//   at the top of the form, which takes focus and links to the fields.
// - Drafts (A9): forms opted in with enableDraft() are saved to localStorage while typing and every
//   30 s, restored when the page is opened again (for example after signing in again when the
//   session ended), and removed after a successful submit or an explicit sign-out. Passwords are
//   never saved.

import { h, uid, focusElement } from './dom.js';
import { t, tOr } from './i18n.js';
import { ApiError, currentUser } from './api.js';

function describedBy(...ids) {
  return ids.filter(Boolean).join(' ') || null;
}

function fieldShell({ id, label, hint, optional }) {
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const labelEl = h('label', { for: id, class: 'field-label' }, label,
    optional ? h('span', { class: 'optional' }, ` (${t('form.optional')})`) : null);
  const hintEl = hint ? h('p', { class: 'hint', id: hintId }, hint) : null;
  const errorEl = h('p', { class: 'field-error', id: errorId, hidden: true });
  return { hintId, errorId, labelEl, hintEl, errorEl };
}

/** A text-like input: text, email, date, tel, number. Returns {wrap, input}. */
export function textField({ name, label, type = 'text', hint, required = false, optional = false,
  autocomplete, value, inputmode, id = uid(name), spellcheck, maxlength }) {
  const s = fieldShell({ id, label, hint, optional });
  const input = h('input', {
    id, name, type, class: 'input',
    autocomplete: autocomplete || 'off',
    inputmode, spellcheck, maxlength,
    required: required ? true : null,
    'aria-describedby': describedBy(s.hintId),
  });
  if (value !== undefined && value !== null) input.value = value;
  const wrap = h('div', { class: 'field', 'data-field': name }, s.labelEl, s.hintEl, s.errorEl, input);
  return { wrap, input };
}

export function textareaField({ name, label, hint, required = false, optional = false, rows = 6,
  value, id = uid(name), maxlength }) {
  const s = fieldShell({ id, label, hint, optional });
  const input = h('textarea', {
    id, name, rows, class: 'input textarea', maxlength,
    required: required ? true : null,
    'aria-describedby': describedBy(s.hintId),
  });
  if (value) input.value = value;
  const wrap = h('div', { class: 'field', 'data-field': name }, s.labelEl, s.hintEl, s.errorEl, input);
  return { wrap, input };
}

/** options: [{value, label, lang?}] ; placeholderLabel adds an empty first choice. */
export function selectField({ name, label, hint, options, required = false, optional = false, value,
  placeholderLabel, id = uid(name) }) {
  const s = fieldShell({ id, label, hint, optional });
  const select = h('select', {
    id, name, class: 'input select',
    required: required ? true : null,
    'aria-describedby': describedBy(s.hintId),
  },
  placeholderLabel !== undefined ? h('option', { value: '' }, placeholderLabel) : null,
  options.map((o) => h('option', { value: o.value, lang: o.lang || null }, o.label)));
  if (value !== undefined && value !== null) select.value = value;
  const wrap = h('div', { class: 'field', 'data-field': name }, s.labelEl, s.hintEl, s.errorEl, select);
  return { wrap, input: select };
}

export function checkboxField({ name, label, hint, checked = false, id = uid(name) }) {
  const hintId = hint ? `${id}-hint` : null;
  const input = h('input', { type: 'checkbox', id, name, 'aria-describedby': hintId });
  input.checked = checked;
  const wrap = h('div', { class: 'field field-choice', 'data-field': name },
    h('label', { class: 'choice', for: id }, input, h('span', null, label)),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
  return { wrap, input };
}

/** A group of radio buttons in a fieldset with a legend. options: [{value, label, lang?}] */
export function radioGroup({ name, legend, hint, options, value, required = false, id = uid(name) }) {
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const inputs = [];
  const fieldset = h('fieldset', { class: 'field fieldset', 'data-field': name, id,
    'aria-describedby': hintId },
  h('legend', { class: 'field-label' }, legend),
  hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
  h('p', { class: 'field-error', id: errorId, hidden: true }),
  options.map((o, i) => {
    const inputId = `${id}-${i}`;
    const input = h('input', { type: 'radio', id: inputId, name, value: o.value,
      required: required && i === 0 ? true : null });
    if (value !== undefined && o.value === value) input.checked = true;
    inputs.push(input);
    return h('div', { class: 'choice-row' },
      h('label', { class: 'choice', for: inputId }, input, h('span', { lang: o.lang || null }, o.label)));
  }));
  return { wrap: fieldset, inputs };
}

/**
 * A password field with a show/hide button. Paste is allowed and there are no composition rules
 * (SECURITY.md S6): only the length 8–128 is checked here.
 */
export function passwordField({ name, label, hint, autocomplete = 'current-password', id = uid(name) }) {
  const s = fieldShell({ id, label, hint });
  const input = h('input', {
    id, name, type: 'password', class: 'input', autocomplete,
    spellcheck: 'false', autocapitalize: 'none',
    'aria-describedby': describedBy(s.hintId),
  });
  const toggle = h('button', { type: 'button', class: 'button button-secondary password-toggle',
    'aria-controls': id }, t('password.show'));
  toggle.addEventListener('click', () => {
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    toggle.textContent = show ? t('password.hide') : t('password.show');
  });
  const wrap = h('div', { class: 'field', 'data-field': name }, s.labelEl, s.hintEl, s.errorEl,
    h('div', { class: 'password-row' }, input, toggle));
  return { wrap, input };
}

/**
 * A field for the 6-digit code of an authenticator app (TOTP, SECURITY.md S8): numeric keypad on
 * phones, and browsers/password managers may fill it from a one-time-code source.
 */
export function totpField({ name = 'code', label, hint, id = uid(name) }) {
  return textField({ name, label, hint, id, inputmode: 'numeric', autocomplete: 'one-time-code',
    spellcheck: 'false', maxlength: 12 });
}

export function submitButton(label, { variant = 'primary' } = {}) {
  return h('button', { type: 'submit', class: `button button-${variant}` }, label);
}

/** A persistent status message (role=status; it stays until the page changes, A22). */
export function statusBox() {
  return h('div', { class: 'status-box', role: 'status' });
}

export function showStatus(box, text, { kind = 'success' } = {}) {
  box.replaceChildren();
  if (!text) {
    box.className = 'status-box';
    return;
  }
  box.className = `status-box status-${kind}`;
  const lines = Array.isArray(text) ? text : [text];
  for (const line of lines) box.append(h('p', null, line));
}

// ---- errors ---------------------------------------------------------------------------------

function controlFor(form, name) {
  const wrap = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
  if (!wrap) return { wrap: null, control: null };
  const control = wrap.matches('fieldset') ? wrap.querySelector('input') : wrap.querySelector('input, select, textarea');
  return { wrap, control };
}

export function clearErrors(form) {
  form.querySelectorAll('.error-summary').forEach((el) => el.remove());
  form.querySelectorAll('.field-error').forEach((el) => {
    el.hidden = true;
    el.textContent = '';
  });
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  form.querySelectorAll('.field-invalid').forEach((el) => el.classList.remove('field-invalid'));
  form.querySelectorAll('[data-error-linked]').forEach((el) => {
    const ids = (el.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && !x.endsWith('-error'));
    if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
    else el.removeAttribute('aria-describedby');
    el.removeAttribute('data-error-linked');
  });
}

/**
 * Shows errors: fieldErrors [{field, message}] next to the fields, and a summary with the title,
 * optional detail and a link per field error. Focus moves to the summary.
 */
export function showErrors(form, { title, detail, detailLang = null, fieldErrors = [] }) {
  clearErrors(form);
  const items = [];
  const unplaced = [];
  for (const fe of fieldErrors) {
    const { wrap, control } = controlFor(form, fe.field);
    if (!wrap || !control) {
      unplaced.push(fe.message);
      continue;
    }
    const errorEl = wrap.querySelector('.field-error');
    errorEl.textContent = '';
    errorEl.append(h('span', { class: 'visually-hidden' }, `${t('form.error_prefix')} `),
      fe.lang ? h('span', { lang: fe.lang }, fe.message) : fe.message);
    errorEl.hidden = false;
    wrap.classList.add('field-invalid');
    const target = wrap.matches('fieldset') ? wrap : control;
    if (!wrap.matches('fieldset')) control.setAttribute('aria-invalid', 'true');
    const ids = (target.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    if (!ids.includes(errorEl.id)) ids.push(errorEl.id);
    target.setAttribute('aria-describedby', ids.join(' '));
    target.setAttribute('data-error-linked', '');
    items.push({ message: fe.message, lang: fe.lang || null, control });
  }
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1' },
    h('h2', { class: 'error-summary-title' }, title || t('form.errors_title')),
    detail ? h('p', { lang: detailLang }, detail) : null,
    unplaced.map((m) => h('p', null, m)),
    items.length ? h('ul', null, items.map((it) => h('li', null,
      h('a', { href: `#${it.control.id}`, class: 'error-link', lang: it.lang }, it.message)))) : null);
  summary.addEventListener('click', (event) => {
    const link = event.target.closest('a.error-link');
    if (!link) return;
    event.preventDefault();
    const target = document.getElementById(link.getAttribute('href').slice(1));
    if (target) {
      target.focus();
      target.scrollIntoView({ block: 'center' });
    }
  });
  form.prepend(summary);
  focusElement(summary);
}

/** The text for an ApiError: a localised one for codes we know, otherwise the server's title. */
export function errorMessage(err) {
  if (!(err instanceof ApiError)) return { title: t('error.unexpected'), detail: null };
  if (err.code === 'network') return { title: t('error.network'), detail: null };
  if (err.code === 'session_ended') return { title: t('error.session_ended'), detail: null };
  if (err.status === 429 || err.code === 'rate_limited') {
    const minutes = err.retryAfter ? Math.max(1, Math.ceil(err.retryAfter / 60)) : null;
    return { title: minutes ? t('error.rate_limited_minutes', { minutes }) : t('error.rate_limited'), detail: null };
  }
  const known = err.code ? tOr(`error.code.${err.code}`, null) : null;
  if (known) return { title: known, detail: err.detail };
  if (err.status === 403) return { title: t('error.forbidden'), detail: err.detail };
  if (err.status === 404) return { title: t('error.not_found'), detail: err.detail };
  if (err.status >= 500) return { title: t('error.server'), detail: null };
  return { title: err.title || t('error.unexpected'), detail: err.detail };
}

/** Field errors from a problem+json body, in the user's language when we know the code. */
export function apiFieldErrors(err) {
  if (!(err instanceof ApiError)) return [];
  return err.errors.map((e) => ({
    field: e.field,
    message: tOr(`error.field.${e.code}`, e.message || e.code),
  }));
}

/**
 * Wires a form: validate() returns [{field, message}] (empty when fine), submit(values) does the
 * work and may throw ApiError. Double submits are ignored while one is running.
 */
export function onSubmit(form, { validate, submit, errorTitle }) {
  form.setAttribute('novalidate', '');
  let busy = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    const values = formValues(form);
    const problems = validate ? validate(values) : [];
    if (problems.length) {
      showErrors(form, { title: errorTitle || t('form.errors_title'), fieldErrors: problems });
      return;
    }
    busy = true;
    form.setAttribute('aria-busy', 'true');
    try {
      clearErrors(form);
      await submit(values);
    } catch (err) {
      const { title, detail } = errorMessage(err);
      showErrors(form, { title, detail, fieldErrors: apiFieldErrors(err) });
    } finally {
      busy = false;
      form.removeAttribute('aria-busy');
    }
  });
}

export function formValues(form) {
  const values = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'checkbox') values[el.name] = el.checked;
    else if (el.type === 'radio') {
      if (el.checked) values[el.name] = el.value;
      else if (!(el.name in values)) values[el.name] = '';
    } else values[el.name] = el.value;
  }
  return values;
}

// ---- common validation ------------------------------------------------------------------------

export function requireText(values, field, message) {
  return String(values[field] || '').trim() ? [] : [{ field, message }];
}

export function checkEmail(values, field = 'email') {
  const value = String(values[field] || '').trim();
  if (!value) return [{ field, message: t('validation.email_missing') }];
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return [{ field, message: t('validation.email_invalid') }];
  return [];
}

export function checkNewPassword(values, field = 'new_password') {
  const value = String(values[field] || '');
  if (value.length < 8) return [{ field, message: t('validation.password_short') }];
  if (value.length > 128) return [{ field, message: t('validation.password_long') }];
  return [];
}

/** The digits of a one-time code as typed (spaces and dashes removed). */
export function totpDigits(value) {
  return String(value || '').replace(/[\s-]+/g, '');
}

export function checkTotp(values, field = 'code') {
  const value = totpDigits(values[field]);
  if (!value) return [{ field, message: t('validation.totp_missing') }];
  if (!/^\d{6}$/.test(value)) return [{ field, message: t('validation.totp_format') }];
  return [];
}

// ---- drafts (A9) ------------------------------------------------------------------------------

const DRAFT_PREFIX = 'etapolku.draft.';
const liveDrafts = new Set();

function draftKey(key) {
  const me = currentUser();
  return `${DRAFT_PREFIX}${me ? me.id : 'anon'}.${key}`;
}

function saveDraft(form, storageKey, choices = false) {
  const values = {};
  let any = false;
  for (const el of form.elements) {
    if (!el.name || el.type === 'password' || el.type === 'hidden' || el.type === 'submit') continue;
    if (el.type === 'checkbox') {
      values[el.name] = el.checked;
      if (choices && el.checked) any = true;
    } else if (el.type === 'radio') {
      if (el.checked) {
        values[el.name] = el.value;
        if (choices) any = true;
      }
    } else {
      values[el.name] = el.value;
      if (el.value && el.tagName !== 'SELECT') any = true;
    }
  }
  try {
    if (any) localStorage.setItem(storageKey, JSON.stringify({ savedAt: Date.now(), values }));
    else localStorage.removeItem(storageKey);
  } catch {
    // Storage full or blocked: nothing more we can do.
  }
}

/**
 * Saves the form as a draft while typing and every 30 s; restores a saved draft now.
 * With {choices: true} a ticked radio button or checkbox alone is worth saving too (answers to
 * exercises); otherwise only typed text is, so a form left with its defaults leaves no draft.
 * onSave(savedAt) is called after each save.
 */
export function enableDraft(form, key, { choices = false, onSave = null } = {}) {
  // The storage key is fixed now, while the user is known: when the session ends the user is
  // already forgotten, and the draft must still be saved under their id.
  const storageKey = draftKey(key);
  try {
    const raw = localStorage.getItem(storageKey);
    if (raw) {
      const { values } = JSON.parse(raw);
      for (const el of form.elements) {
        if (!el.name || !(el.name in values) || el.type === 'password') continue;
        if (el.type === 'checkbox') el.checked = Boolean(values[el.name]);
        else if (el.type === 'radio') el.checked = values[el.name] === el.value;
        else el.value = values[el.name];
      }
      form.dataset.draftRestored = 'true';
    }
  } catch {
    // A broken draft is ignored.
  }
  let pending = null;
  const entry = {
    form,
    key,
    save: () => {
      saveDraft(form, storageKey, choices);
      if (onSave) onSave(Date.now());
    },
  };
  const changed = () => {
    clearTimeout(pending);
    pending = setTimeout(entry.save, 400);
  };
  form.addEventListener('input', changed);
  if (choices) form.addEventListener('change', changed);
  const interval = setInterval(() => {
    if (!form.isConnected) {
      clearInterval(interval);
      liveDrafts.delete(entry);
      return;
    }
    entry.save();
  }, 30_000);
  liveDrafts.add(entry);
  return Boolean(form.dataset.draftRestored);
}

export function clearDraft(key) {
  try {
    localStorage.removeItem(draftKey(key));
  } catch {
    // ignore
  }
}

/**
 * Registers a draft kept by its own code (exercise answers keep a server draft and a local copy):
 * save() runs with the others before a page change, on pagehide and when the session ends.
 * Returns the localStorage key for `key`, fixed now while the user is known; an explicit sign-out
 * removes it with the user's other drafts.
 */
export function trackDraft(form, key, save) {
  liveDrafts.add({ form, key, save });
  return draftKey(key);
}

/** Saves every draft on screen now (before a page change or when the session ends). */
export function saveAllDrafts() {
  for (const entry of liveDrafts) {
    if (entry.form.isConnected) entry.save();
    else liveDrafts.delete(entry);
  }
}

/** Removes this user's drafts (explicit sign-out). */
export function clearUserDrafts(userId) {
  try {
    const prefix = `${DRAFT_PREFIX}${userId}.`;
    for (let i = localStorage.length - 1; i >= 0; i -= 1) {
      const k = localStorage.key(i);
      if (k && k.startsWith(prefix)) localStorage.removeItem(k);
    }
  } catch {
    // ignore
  }
}
