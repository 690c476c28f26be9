// The participant's progress on a module page (issue 4): each item's state as text ("Tehty" /
// "Kesken"), "Merkitse tehdyksi" and its undo, the completion rule in words, the first open and
// visible-time heartbeats, the resume position of audio and video, and exercise answers kept as a
// server draft with a copy on this device (A9).

import { h, fill, focusElement } from './dom.js';
import { t, getLang } from './i18n.js';
import { get, post, put, del, ApiError } from './api.js';
import { trackDraft, showErrors, errorMessage, apiFieldErrors } from './forms.js';
import { formatDateTime, formatTime } from './format.js';
import { professionLabel } from './ui.js';

const enc = encodeURIComponent;
const HEARTBEAT_MS = 30_000;
const MEDIA_REPORT_MS = 15_000;
const DRAFT_DEBOUNCE_MS = 2_000;
const DRAFT_MAX_WAIT_MS = 30_000;

/** The participant's ProgressSummary, or null when it cannot be had (the page still works). */
export async function loadProgress() {
  try {
    return await get('/api/v1/me/progress');
  } catch {
    return null;
  }
}

/** Item progress by item id, with listeners so every view of an item follows its state. */
export function progressStore(summary) {
  const items = new Map(Object.entries((summary && summary.items) || {}));
  const listeners = new Map();
  return {
    rules: summary && Array.isArray(summary.rules) ? summary.rules : [],
    get: (id) => items.get(id) || null,
    set(id, p) {
      if (!p) return;
      items.set(id, { ...(items.get(id) || {}), ...p });
      for (const fn of listeners.get(id) || []) fn(items.get(id));
    },
    on(id, fn) {
      if (!listeners.has(id)) listeners.set(id, new Set());
      listeners.get(id).add(fn);
    },
  };
}

// ---- how an item is completed -----------------------------------------------------------------------

function questionType(q) {
  const k = q && q.kind && typeof q.kind === 'object' ? q.kind : q || {};
  return k.type;
}

/** The questions of an exercise that take an answer (a description is only text to read). */
export function answerQuestions(item) {
  if (item.kind !== 'exercise') return [];
  return (item.questions || []).filter((q) => questionType(q) && questionType(q) !== 'description');
}

/** 'answered' (send the answers), 'media' (play to the end, or mark) or 'marked'. */
export function completionMode(item) {
  if (answerQuestions(item).length) return 'answered';
  if (item.kind === 'audio' || item.kind === 'video') return 'media';
  return 'marked';
}

function ruleText(store, item, mode) {
  const rule = store.rules.find((r) => r.kind === item.kind) || store.rules.find((r) => r.kind === mode);
  const text = rule && rule.text && (rule.text[getLang()] || rule.text.fi);
  return text || t(`progress.rule_${mode}`);
}

function howText(p) {
  const when = p.completed_at ? formatDateTime(p.completed_at, getLang()) : '';
  switch (p.completed_how) {
    case 'marked': return t('progress.how_marked', { when });
    case 'media': return t('progress.how_media', { when });
    case 'answered': return t('progress.how_answered', { when });
    default: return '';
  }
}

/**
 * The state of one item as text, its completion rule and, for items done by marking, the big
 * "Merkitse tehdyksi" button and "Peru merkintä".
 */
export function progressBlock(item, store, { id, headingId }) {
  const mode = completionMode(item);
  const state = h('p', { class: 'item-state', id: `${id}-state` });
  const how = h('p', { class: 'item-how' });
  const status = h('p', { class: 'item-status', role: 'status' });
  const mark = h('button', { type: 'button', class: 'button button-primary button-large', 'data-action': 'mark-done', 'aria-describedby': headingId }, t('progress.mark'));
  const undo = h('button', { type: 'button', class: 'button button-secondary', 'data-action': 'unmark', 'aria-describedby': headingId }, t('progress.unmark'));
  const render = (p) => {
    const done = Boolean(p && p.completed_at);
    fill(state, h('span', { class: `state-tag ${done ? 'state-done' : 'state-open'}` },
      h('span', { 'aria-hidden': 'true' }, done ? '✓ ' : '○ '), done ? t('progress.done') : t('progress.not_done')));
    how.textContent = done ? howText(p) : '';
    how.hidden = !how.textContent;
    mark.hidden = mode === 'answered' || done;
    undo.hidden = !(done && p.completed_how === 'marked');
  };
  const act = async (button, call, doneText, focusNext) => {
    if (button.getAttribute('aria-busy') === 'true') return;
    button.setAttribute('aria-busy', 'true');
    try {
      store.set(item.id, await call());
      status.textContent = doneText;
      const next = focusNext();
      if (!next.hidden) next.focus();
    } catch (err) {
      status.textContent = err instanceof ApiError && err.code === 'answer_required'
        ? t('progress.answer_required') : errorMessage(err).title;
    } finally {
      button.removeAttribute('aria-busy');
    }
  };
  mark.addEventListener('click', () => act(mark, () => post(`/api/v1/me/progress/items/${enc(item.id)}/complete`), t('progress.marked'), () => undo));
  undo.addEventListener('click', () => act(undo, () => del(`/api/v1/me/progress/items/${enc(item.id)}/complete`), t('progress.unmarked'), () => mark));
  store.on(item.id, render);
  render(store.get(item.id));
  return h('div', { class: 'item-progress', 'data-mode': mode },
    state, how,
    h('p', { class: 'item-rule' }, h('strong', null, `${t('progress.rule_label')}: `), ruleText(store, item, mode)),
    mode === 'answered' ? null : h('div', { class: 'button-row' }, mark, undo),
    status);
}

// ---- opening and visible time -----------------------------------------------------------------------

/**
 * Records the first look at each item (when a good part of it is on screen) and sends a heartbeat
 * every 30 s for the item most on screen, only while the page is visible: time with the tab hidden
 * is never counted. Stops by itself when the page is left.
 */
export function trackVisibility(root, store) {
  const sections = [...root.querySelectorAll('section.item[data-item]')];
  if (!sections.length || typeof IntersectionObserver !== 'function') return;
  const shown = new Map();
  const opened = new Set();
  let last = Date.now();
  const open = (itemId) => {
    opened.add(itemId);
    post(`/api/v1/me/progress/items/${enc(itemId)}/open`).then((p) => store.set(itemId, p)).catch(() => {});
  };
  const io = new IntersectionObserver((entries) => {
    for (const e of entries) {
      const itemId = e.target.dataset.item;
      shown.set(itemId, e.isIntersecting ? e.intersectionRect.height : 0);
      if (e.isIntersecting && !opened.has(itemId) && document.visibilityState === 'visible'
        && (e.intersectionRatio >= 0.5 || e.intersectionRect.height >= 150)) open(itemId);
    }
  }, { threshold: [0, 0.1, 0.25, 0.5, 0.75, 1] });
  const onVisibility = () => {
    if (document.visibilityState === 'visible') last = Date.now();
  };
  const stop = () => {
    clearInterval(timer);
    io.disconnect();
    document.removeEventListener('visibilitychange', onVisibility);
  };
  const timer = setInterval(() => {
    if (!root.isConnected) {
      stop();
      return;
    }
    if (document.visibilityState !== 'visible') return;
    const now = Date.now();
    const seconds = Math.max(1, Math.min(60, Math.round((now - last) / 1000)));
    last = now;
    let best = null;
    for (const [itemId, height] of shown) if (height > 0 && (!best || height > best[1])) best = [itemId, height];
    if (!best) return;
    post(`/api/v1/me/progress/items/${enc(best[0])}/heartbeat`, { seconds }).catch(() => {});
  }, HEARTBEAT_MS);
  document.addEventListener('visibilitychange', onVisibility);
  for (const s of sections) io.observe(s);
}

// ---- audio and video: position and resume -------------------------------------------------------------

/** "3.20" (minutes.seconds), "1.02.05" over an hour. */
export function resumeClock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return hours ? `${hours}.${String(m).padStart(2, '0')}.${sec}` : `${m}.${sec}`;
}

/**
 * Sends the position of a recording every ~15 s while it plays and when it pauses or ends (the
 * server completes the item at 90 %). Returns a "Jatka kohdasta 3.20" button when there is a saved
 * position to go back to, else null.
 */
export function mediaProgress(item, media, store) {
  let lastSent = 0;
  let lastPosition = -1;
  const send = () => {
    const duration = media.duration;
    if (!Number.isFinite(duration) || duration <= 0) return;
    const position = Math.floor(media.currentTime || 0);
    if (position === lastPosition && Date.now() - lastSent < 1000) return;
    lastSent = Date.now();
    lastPosition = position;
    put(`/api/v1/me/progress/items/${enc(item.id)}/media`, { position_s: position, duration_s: Math.round(duration) })
      .then((p) => store.set(item.id, p)).catch(() => {});
  };
  media.addEventListener('play', () => { lastSent = Date.now(); });
  media.addEventListener('timeupdate', () => {
    if (!media.paused && Date.now() - lastSent >= MEDIA_REPORT_MS) send();
  });
  media.addEventListener('pause', send);
  media.addEventListener('ended', send);

  const p = store.get(item.id);
  const at = p && Number(p.position_s);
  if (!at || at < 5 || (p.duration_s && at >= p.duration_s - 3)) return null;
  const button = h('button', { type: 'button', class: 'button button-primary player-resume', 'data-action': 'resume', 'aria-controls': media.id },
    t('player.resume', { at: resumeClock(at) }));
  button.addEventListener('click', () => {
    const go = () => {
      media.currentTime = at;
      const started = media.play();
      if (started && typeof started.catch === 'function') started.catch(() => {});
    };
    if (media.readyState >= 1) go();
    else media.addEventListener('loadedmetadata', go, { once: true });
  });
  media.addEventListener('playing', () => { button.hidden = true; }, { once: true });
  return button;
}

// ---- exercise answers: a server draft plus a copy on this device (A9) --------------------------------

/** The answers on a form: {question_id: text | choice | [choices]}; unanswered questions are left out. */
export function collectAnswers(form, fields) {
  const answers = {};
  for (const f of fields) {
    const inputs = [...form.querySelectorAll(`[name="${CSS.escape(f.name)}"]`)];
    if (f.type === 'multi') {
      const values = inputs.filter((i) => i.checked).map((i) => i.value);
      if (values.length) answers[f.id] = values;
    } else if (f.type === 'single') {
      const chosen = inputs.find((i) => i.checked);
      if (chosen) answers[f.id] = chosen.value;
    } else if (inputs[0] && inputs[0].value.trim()) answers[f.id] = inputs[0].value;
  }
  return answers;
}

/** A saved choice matches an option by its words in any language (see questionField). */
function sameChoice(input, value) {
  if (input.value === value) return true;
  try {
    return JSON.parse(input.dataset.alt || '[]').includes(value);
  } catch {
    return false;
  }
}

export function applyAnswers(form, fields, answers) {
  if (!answers || typeof answers !== 'object') return;
  for (const f of fields) {
    const value = answers[f.id];
    const inputs = [...form.querySelectorAll(`[name="${CSS.escape(f.name)}"]`)];
    if (f.type === 'multi') {
      const list = Array.isArray(value) ? value.map(String) : [];
      for (const i of inputs) i.checked = list.some((v) => sameChoice(i, v));
    } else if (f.type === 'single') {
      for (const i of inputs) i.checked = value !== undefined && sameChoice(i, String(value));
    } else if (inputs[0]) inputs[0].value = typeof value === 'string' ? value : '';
  }
}

function readLocal(key) {
  try {
    const raw = localStorage.getItem(key);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

function writeLocal(key, answers, synced) {
  try {
    if (!Object.keys(answers).length && synced) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify({ savedAt: Date.now(), answers, synced }));
  } catch {
    // Storage full or blocked: the server draft still holds the answers.
  }
}

function commentList(comments) {
  const list = Array.isArray(comments) ? comments : [];
  return list.map((c) => h('li', { class: 'my-comment' },
    h('p', { class: 'comment-meta' },
      h('strong', null, c.author ? c.author.display_name : ''),
      c.author && c.author.profession ? `, ${professionLabel(c.author.profession)}` : '',
      ' ', h('span', { class: 'muted' }, formatDateTime(c.created_at, getLang()))),
    h('p', { class: 'comment-body' }, c.body)));
}

/**
 * Wires an answer form: every change is copied to this device at once and saved to the server as
 * a draft 2 s after typing stops (and at least every 30 s while typing). A draft the server did
 * not get (the session had ended, the network was down) is put back on the form when the page
 * opens again, and saved then. "Lähetä vastaukset" sends them; the guide's comments follow.
 * `record` is GET /me/answers/{item} (null when it could not be loaded).
 */
export function answerSync(item, form, fields, record, store, { savedLine, submittedBox, commentsBox, submitButton }) {
  const path = `/api/v1/me/answers/${enc(item.id)}`;
  let key = null;
  let timer = null;
  let firstUnsaved = 0;
  let dirty = false;
  let saving = false;
  let ended = false;

  const showRecord = (rec) => {
    fill(submittedBox, rec && rec.submitted_at
      ? h('p', { class: 'notice notice-success submitted-note' }, t('answers.submitted_at', { when: formatDateTime(rec.submitted_at, getLang()) }))
      : null);
    const comments = rec && Array.isArray(rec.comments) ? rec.comments : [];
    fill(commentsBox, rec && rec.submitted_at ? [
      h('h3', null, t('answers.comments_title')),
      comments.length ? h('ul', { class: 'my-comments' }, commentList(comments)) : h('p', null, t('answers.no_comments')),
    ] : null);
  };

  const saveLocal = () => writeLocal(key, collectAnswers(form, fields), false);
  const saveServer = async () => {
    clearTimeout(timer);
    timer = null;
    if (!dirty || saving) return;
    dirty = false;
    firstUnsaved = 0;
    saving = true;
    const answers = collectAnswers(form, fields);
    try {
      const res = await put(`${path}/draft`, { answers });
      writeLocal(key, answers, true);
      savedLine.textContent = t('answers.saved', { time: formatTime(res && res.draft_saved_at ? res.draft_saved_at : new Date(), getLang()) });
    } catch (err) {
      dirty = true;
      writeLocal(key, answers, false);
      // A session that ended keeps the copy here; it is saved after signing in again.
      ended = err instanceof ApiError && err.code === 'session_ended';
      savedLine.textContent = ended ? t('answers.kept_session') : t('answers.kept_local');
      if (form.isConnected && !ended) schedule(DRAFT_MAX_WAIT_MS);
    } finally {
      saving = false;
      if (dirty && form.isConnected && !timer && !ended) schedule(DRAFT_DEBOUNCE_MS);
    }
  };
  const schedule = (delay) => {
    clearTimeout(timer);
    timer = setTimeout(saveServer, delay);
  };
  const changed = () => {
    saveLocal();
    dirty = true;
    const now = Date.now();
    if (!firstUnsaved) firstUnsaved = now;
    schedule(Math.max(0, Math.min(DRAFT_DEBOUNCE_MS, firstUnsaved + DRAFT_MAX_WAIT_MS - now)));
  };

  // Before a page change, on pagehide and when the session ends, the copy on this device is
  // brought up to date (marked unsaved if the server has not got it yet).
  key = trackDraft(form, `answers.${item.id}`, () => {
    if (dirty) saveLocal();
  });

  const local = readLocal(key);
  if (local && !local.synced && local.answers) {
    applyAnswers(form, fields, local.answers);
    savedLine.textContent = t('answers.restored');
    dirty = true;
    schedule(0);
  } else if (record && record.draft) {
    applyAnswers(form, fields, record.draft);
    if (record.draft_saved_at) savedLine.textContent = t('answers.saved', { time: formatTime(record.draft_saved_at, getLang()) });
  } else if (record && record.submitted) {
    applyAnswers(form, fields, record.submitted);
  } else if (!record && local && local.answers) {
    applyAnswers(form, fields, local.answers);
  }
  showRecord(record);

  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.setAttribute('novalidate', '');
  let sending = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending) return;
    const answers = collectAnswers(form, fields);
    if (!Object.keys(answers).length) {
      showErrors(form, { title: t('answers.empty_title'), fieldErrors: [{ field: fields[0].name, message: t('answers.empty') }] });
      return;
    }
    sending = true;
    clearTimeout(timer);
    timer = null;
    writeLocal(key, answers, false);
    form.setAttribute('aria-busy', 'true');
    submitButton.setAttribute('aria-busy', 'true');
    try {
      const rec = await post(`${path}/submit`, { answers });
      dirty = false;
      firstUnsaved = 0;
      try {
        localStorage.removeItem(key);
      } catch {
        // ignore
      }
      form.querySelectorAll('.error-summary').forEach((el) => el.remove());
      showRecord(rec);
      savedLine.textContent = '';
      store.set(item.id, { completed_at: (rec && rec.submitted_at) || new Date().toISOString(), completed_how: 'answered' });
      focusElement(submittedBox.firstElementChild || submittedBox);
    } catch (err) {
      const { title, detail } = errorMessage(err);
      const fieldErrors = apiFieldErrors(err).map((e) => {
        const qid = String(e.field || '').replace(/^answers\./, '');
        const f = fields.find((x) => x.id === qid);
        return { ...e, field: f ? f.name : e.field };
      });
      showErrors(form, { title, detail, fieldErrors });
      if (err instanceof ApiError && err.code === 'session_ended') savedLine.textContent = t('answers.kept_session');
    } finally {
      sending = false;
      form.removeAttribute('aria-busy');
      submitButton.removeAttribute('aria-busy');
    }
  });
}

/** GET /me/answers/{item}, or null when it cannot be had (the local copy still works). */
export async function loadAnswers(itemId) {
  try {
    return await get(`/api/v1/me/answers/${enc(itemId)}`);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'session_ended') throw err;
    return null;
  }
}
