// The API client and the browser side of the session.
//
// The access token (JWT, ~15 min) lives in memory only. The refresh token is an HttpOnly cookie set by
// the server on /api/v1/auth/* responses, so script never sees it (SECURITY.md S14). On page load we
// call /auth/refresh; we refresh again shortly before expiry and once on any 401, then retry.
// Refreshes are serialised across tabs with the Web Locks API, because the refresh token rotates and
// two tabs presenting the same old token at once would look like token reuse to the server (S3).

import { getLang } from './i18n.js';

export class ApiError extends Error {
  constructor({ status, code, title, detail, errors, retryAfter }) {
    super(title || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || null;
    this.title = title || null;
    this.detail = detail || null;
    this.errors = Array.isArray(errors) ? errors : [];
    this.retryAfter = retryAfter || null;
  }
}

const state = {
  token: null,
  expiresAt: 0,
  me: null,
  timer: null,
  refreshing: null,
};

const listeners = new Set();
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('etapolku-auth') : null;

/** Called with (me|null, reason) when the session starts, changes or ends. */
export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function emit(reason) {
  for (const fn of listeners) fn(state.me, reason);
}

export function currentUser() {
  return state.me;
}

export function isSignedIn() {
  return Boolean(state.token && state.me);
}

function baseHeaders() {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' };
  try {
    headers['Accept-Language'] = getLang();
  } catch {
    // i18n not ready yet
  }
  return headers;
}

async function parseError(res) {
  let body = null;
  try {
    const text = await res.text();
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  const retry = res.headers.get('Retry-After');
  return new ApiError({
    status: res.status,
    code: body && body.code,
    title: body && body.title,
    detail: body && body.detail,
    errors: body && body.errors,
    retryAfter: retry ? Number(retry) || null : null,
  });
}

function networkError(cause) {
  const err = new ApiError({ status: 0, code: 'network' });
  err.cause = cause;
  return err;
}

function scheduleRefresh(expiresIn) {
  clearTimeout(state.timer);
  // Refresh a minute before expiry (at least 10 s from now) so a form being filled never meets a 401.
  const delay = Math.max(10, (Number(expiresIn) || 900) - 60) * 1000;
  state.timer = setTimeout(() => {
    refresh().catch(() => {});
  }, delay);
}

/** Takes a Token response {access_token, expires_in, user} into use. */
function accept(tokenBody, reason) {
  state.token = tokenBody.access_token;
  state.expiresAt = Date.now() + (Number(tokenBody.expires_in) || 900) * 1000;
  const previous = state.me;
  state.me = tokenBody.user || state.me;
  scheduleRefresh(tokenBody.expires_in);
  if (reason !== 'refresh' || !previous || previous.id !== state.me?.id) emit(reason);
}

function clear(reason) {
  clearTimeout(state.timer);
  const hadSession = Boolean(state.token);
  state.token = null;
  state.expiresAt = 0;
  state.me = null;
  if (hadSession) emit(reason);
}

async function doRefresh() {
  let res;
  try {
    res = await fetch('/api/v1/auth/refresh', {
      method: 'POST',
      credentials: 'same-origin',
      headers: baseHeaders(),
    });
  } catch (e) {
    throw networkError(e);
  }
  if (res.ok) {
    accept(await res.json(), 'refresh');
    return true;
  }
  if (res.status === 401 || res.status === 403) {
    clear('expired');
    return false;
  }
  throw await parseError(res);
}

/** Refreshes the session. Resolves true if signed in afterwards, false if not. */
export function refresh() {
  if (state.refreshing) return state.refreshing;
  const run = () => doRefresh();
  const locked = navigator.locks && typeof navigator.locks.request === 'function'
    ? navigator.locks.request('etapolku-refresh', run)
    : run();
  state.refreshing = locked.finally(() => {
    state.refreshing = null;
  });
  return state.refreshing;
}

/**
 * One API call. `body` is sent as JSON. Resolves with the parsed JSON (or null for 204/202 without
 * a body); rejects with ApiError. A 401 triggers one refresh and one retry.
 */
export async function api(method, path, body, { retry = true, text = false, file = false } = {}) {
  if (state.token && Date.now() > state.expiresAt - 30_000) {
    await refresh().catch(() => false);
  }
  const headers = baseHeaders();
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw networkError(e);
  }
  if (res.status === 401 && retry && state.token && !path.startsWith('/api/v1/auth/')) {
    const ok = await refresh().catch(() => false);
    if (ok) return api(method, path, body, { retry: false, text, file });
    const err = await parseError(res);
    err.code = 'session_ended';
    throw err;
  }
  if (!res.ok) throw await parseError(res);
  if (res.status === 204) return null;
  // A file keeps its bytes: res.text() would drop a CSV's byte-order mark.
  if (file) return { blob: await res.blob(), filename: attachmentName(res) };
  const raw = await res.text();
  if (text) return raw;
  if (!raw) return null;
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

/**
 * Sends a file as multipart/form-data with XMLHttpRequest, so the upload's progress can be shown
 * (fetch cannot report it). onProgress(sentBytes, totalBytes) is called while the body goes out,
 * onUploaded() once it has all been sent (the server then works on it). Resolves with
 * {status, body}; rejects with ApiError like api(). A 401 triggers one refresh and one retry.
 */
export async function upload(path, formData, { onProgress, onUploaded, retry = true } = {}) {
  if (state.token && Date.now() > state.expiresAt - 30_000) {
    await refresh().catch(() => false);
  }
  const result = await new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    try {
      xhr.setRequestHeader('Accept-Language', getLang());
    } catch {
      // i18n not ready yet
    }
    if (state.token) xhr.setRequestHeader('Authorization', `Bearer ${state.token}`);
    xhr.upload.addEventListener('progress', (event) => {
      if (onProgress) onProgress(event.loaded, event.lengthComputable ? event.total : null);
    });
    xhr.upload.addEventListener('load', () => {
      if (onUploaded) onUploaded();
    });
    xhr.addEventListener('load', () => resolve(xhr));
    xhr.addEventListener('error', () => reject(networkError(new Error('upload failed'))));
    xhr.addEventListener('abort', () => reject(networkError(new Error('upload aborted'))));
    xhr.send(formData);
  });
  const text = result.responseText || '';
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (result.status === 401 && retry && state.token) {
    const ok = await refresh().catch(() => false);
    if (ok) return upload(path, formData, { onProgress, onUploaded, retry: false });
    const err = new ApiError({ status: 401, code: 'session_ended' });
    throw err;
  }
  if (result.status < 200 || result.status >= 300) {
    const retryAfter = result.getResponseHeader('Retry-After');
    throw new ApiError({
      status: result.status,
      code: body && body.code,
      title: body && body.title,
      detail: body && body.detail,
      errors: body && body.errors,
      retryAfter: retryAfter ? Number(retryAfter) || null : null,
    });
  }
  return { status: result.status, body };
}

/** The file name a download's Content-Disposition gives, or null. */
function attachmentName(res) {
  const match = /filename="?([^";]+)"?/i.exec(res.headers.get('Content-Disposition') || '');
  return match ? match[1] : null;
}

export const get = (path) => api('GET', path);
/** A GET of a file the server makes (a CSV export): resolves with {blob, filename}. */
export const getFile = (path) => api('GET', path, undefined, { file: true });
/** A GET whose answer is not JSON (a calendar invitation): resolves with the text. */
export const getText = (path) => api('GET', path, undefined, { text: true });
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);
export const patch = (path, body) => api('PATCH', path, body);
export const put = (path, body) => api('PUT', path, body);
export const del = (path) => api('DELETE', path);

/** Signs in with a Token-returning auth endpoint (login or link redeem). */
export async function signInWith(path, body) {
  const token = await api('POST', path, body, { retry: false });
  accept(token, 'login');
  if (channel) channel.postMessage({ type: 'login' });
  return token.user;
}

export async function signOut() {
  try {
    await api('POST', '/api/v1/auth/logout', undefined, { retry: false });
  } catch {
    // Even if the server cannot be reached, forget the session here.
  }
  clear('logout');
  if (channel) channel.postMessage({ type: 'logout' });
}

/** Replaces the cached user after PATCH /me or similar. */
export function setCurrentUser(me) {
  state.me = me;
  emit('user');
}

if (channel) {
  channel.addEventListener('message', (event) => {
    const type = event.data && event.data.type;
    if (type === 'logout') clear('logout');
    if (type === 'login' && !state.token) refresh().catch(() => {});
  });
}
