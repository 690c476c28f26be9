// Dates and times the Finnish way (A16): "ti 14.10.2025", "klo 10.00" / "kl. 10.00", in Europe/Helsinki.
// Pure functions with the language as a parameter, so node can unit-test them.

export const TIME_ZONE = 'Europe/Helsinki';
const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
const cache = new Map();

function formatter(lang, options) {
  const key = `${lang}|${JSON.stringify(options)}`;
  if (!cache.has(key)) {
    cache.set(key, new Intl.DateTimeFormat(LOCALES[lang] || LOCALES.fi, { timeZone: TIME_ZONE, ...options }));
  }
  return cache.get(key);
}

function parts(lang, date, options) {
  const out = {};
  for (const p of formatter(lang, options).formatToParts(date)) out[p.type] = p.value;
  return out;
}

/** A calendar date "YYYY-MM-DD" as an instant at noon UTC, which is the same day in Helsinki. */
export function dateFromIso(isoDate) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate || '');
  if (!m) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12));
}

function toDate(value) {
  if (value instanceof Date) return value;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return dateFromIso(value);
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "ti 14.10.2025" (fi), "tis 14.10.2025" (sv), "Tue 14.10.2025" (en). */
export function formatDate(value, lang = 'fi') {
  const date = toDate(value);
  if (!date) return '';
  const weekday = formatter(lang, { weekday: 'short' }).format(date).replace(/\.$/, '');
  const p = parts(lang, date, { day: 'numeric', month: 'numeric', year: 'numeric' });
  return `${weekday} ${Number(p.day)}.${Number(p.month)}.${p.year}`;
}

/** "klo 10.00" (fi), "kl. 10.00" (sv), "at 10.00" (en). */
export function formatTime(value, lang = 'fi') {
  const date = toDate(value);
  if (!date) return '';
  const p = parts(lang, date, { hour: 'numeric', minute: '2-digit', hourCycle: 'h23' });
  const clock = `${Number(p.hour)}.${p.minute}`;
  const prefix = { fi: 'klo', sv: 'kl.', en: 'at' }[lang] || 'klo';
  return `${prefix} ${clock}`;
}

/** "ti 14.10.2025 klo 10.00". */
export function formatDateTime(value, lang = 'fi') {
  const date = toDate(value);
  if (!date) return '';
  return `${formatDate(date, lang)} ${formatTime(date, lang)}`;
}

/** "ma 6.10.2025 – la 11.10.2025". */
export function formatRange(start, end, lang = 'fi') {
  if (!start && !end) return '';
  return `${formatDate(start, lang)} – ${formatDate(end, lang)}`;
}

/** Today's calendar date in Helsinki as "YYYY-MM-DD". */
export function todayInHelsinki(now = new Date()) {
  const p = {};
  for (const part of new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
  }).formatToParts(now)) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day}`;
}

/** Adds days to "YYYY-MM-DD". */
export function addDays(isoDate, days) {
  const d = dateFromIso(isoDate);
  if (!d) return null;
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The Monday of the week (weeks start on Monday) that holds the date. */
export function mondayOf(isoDate) {
  const d = dateFromIso(isoDate);
  if (!d) return null;
  const offset = (d.getUTCDay() + 6) % 7; // Monday = 0
  return addDays(isoDate, -offset);
}

export function isMonday(isoDate) {
  const d = dateFromIso(isoDate);
  return Boolean(d) && d.getUTCDay() === 1;
}
