// The guidance section of the staff's participant page: the participant's guidance minutes in the
// remote period against 240 and the pace line (R-GUIDANCE-4H), her contacts (R-INTERIM-3,
// R-FOLLOWUP) with booking and marking done, cancelled or no-show, and the ledger with recording
// and removing entries (one professional each, R-GUIDE-ONE: the signed-in one). Denser than the
// participant's pages (A24), text first.

import { h } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { get, post } from '../api.js';
import { textField, textareaField, selectField, submitButton, onSubmit, showErrors, errorMessage, apiFieldErrors } from '../forms.js';
import { formatDateTime } from '../format.js';
import { durationText } from '../ui.js';

const CONTACT_KINDS = ['interim', 'pre_contact', 'follow_up'];
const ENTRY_KINDS = ['video_call', 'phone_call', 'private_thread', 'group_chat', 'feedback', 'other'];
const OPEN = new Set(['planned', 'confirmed', 'reschedule_requested']);

/** `datetime-local` value (the browser's time, Helsinki for our users) → ISO instant. */
function instant(local) {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Now as a `datetime-local` value, to the minute. */
function localNow() {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function minutesError(values, field) {
  const n = Number(String(values[field] ?? '').trim());
  return Number.isInteger(n) && n >= 1 && n <= 600 ? [] : [{ field, message: t('gguid.minutes_invalid') }];
}

function whenError(values, field) {
  return instant(values[field]) ? [] : [{ field, message: t('gguid.when_invalid') }];
}

export function minutesField(name, label, value) {
  const f = textField({ name, label, type: 'number', value, inputmode: 'numeric', hint: t('gguid.minutes_hint') });
  f.input.setAttribute('min', '1');
  f.input.setAttribute('max', '600');
  return f;
}

function paceText(summary) {
  const p = summary.pace || {};
  if (p.remote_week == null && !p.expected_minutes) return t('gguid.pace_before');
  return p.on_pace
    ? t('gguid.pace_ok', { expected: durationText(p.expected_minutes) })
    : t('gguid.pace_behind', { expected: durationText(p.expected_minutes), missing: durationText(p.expected_minutes - summary.remote_minutes) });
}

function countsText(c) {
  return t('gguid.contacts_counts', {
    done: c.interim_done, open: c.interim_open, required: c.interim_required,
    fdone: c.follow_up_done, fopen: c.follow_up_open,
  });
}

/** Draws the section into env.sections.guidance (see guideParticipant.js). */
export async function drawGuidance(env) {
  const { cid, pidq } = env;
  const [ledger, contacts] = await Promise.all([
    get(`/api/v1/courses/${cid}/participants/${pidq}/guidance`),
    get(`/api/v1/courses/${cid}/participants/${pidq}/contacts`),
  ]);
  const s = ledger.summary;
  const list = Array.isArray(contacts) ? contacts : [];
  const entries = Array.isArray(ledger.entries) ? ledger.entries : [];
  return [
    h('p', { class: 'lead', id: 'gguid-minutes' }, t('gguid.minutes_line', { done: durationText(s.remote_minutes), needed: durationText(s.required_minutes) })),
    h('p', { id: 'gguid-pace', 'data-on-pace': String(Boolean(s.pace && s.pace.on_pace)) }, paceText(s)),
    h('p', { id: 'gguid-counts' }, countsText(s.contacts)),
    h('h3', null, t('gguid.contacts_title')),
    list.length
      ? h('ul', { class: 'card-list gguid-contacts' }, list.map((c) => contactRow(env, c)))
      : h('p', null, t('gguid.no_contacts')),
    bookForm(env),
    h('h3', null, t('gguid.entries_title')),
    entries.length
      ? h('ul', { class: 'text-list gguid-entries' }, entries.map((e) => entryRow(env, e)))
      : h('p', null, t('gguid.no_entries')),
    entryForm(env),
  ];
}

function contactRow(env, c) {
  const li = h('li', { class: 'card contact', 'data-status': c.status, 'data-contact': c.id },
    h('p', { class: 'contact-when' }, h('strong', null, `${t(`meetings.kind.${c.kind}`)}: ${formatDateTime(c.planned_at, getLang())}`),
      ', ', t(`meetings.method.${c.method}`).toLowerCase(), ', ', c.professional.display_name,
      ', ', durationText(c.done_minutes || c.planned_minutes)),
    h('p', null, t('meetings.status'), ': ', t(`gguid.status.${c.status}`)),
    c.participant_message ? h('p', null, t('gguid.participant_asks'), ' ', h('q', null, c.participant_message)) : null,
    c.video_url ? h('p', null, h('a', { href: c.video_url, target: '_blank', rel: 'noopener' }, t('gguid.open_video'))) : null,
    c.note ? h('p', { class: 'muted' }, t('gguid.note'), ': ', c.note) : null);
  if (OPEN.has(c.status)) li.append(closeForm(env, c));
  return li;
}

/** Done (minutes and a note, credited to the ledger once), cancelled or no-show. */
function closeForm(env, c) {
  const outcome = selectField({
    name: 'outcome', label: t('gguid.outcome'),
    options: [
      { value: 'done', label: t('gguid.outcome_done') },
      { value: 'cancel', label: t('gguid.outcome_cancel') },
      { value: 'no-show', label: t('gguid.outcome_no_show') },
    ],
    value: 'done',
  });
  const minutes = minutesField('minutes', t('gguid.minutes'), String(c.planned_minutes || 30));
  const note = textareaField({ name: 'note', label: t('gguid.note'), optional: true, rows: 2 });
  const form = h('form', { class: 'form form-compact', 'data-form': 'contact-close' },
    outcome.wrap, minutes.wrap, note.wrap, h('p', { class: 'actions' }, submitButton(t('gguid.save'), { variant: 'secondary' })));
  onSubmit(form, {
    validate: (v) => (v.outcome === 'done' ? minutesError(v, 'minutes') : []),
    submit: async (v) => {
      const base = `/api/v1/courses/${env.cid}/contacts/${encodeURIComponent(c.id)}`;
      try {
        if (v.outcome === 'done') await post(`${base}/done`, { minutes: Number(v.minutes), note: v.note.trim() });
        else await post(`${base}/${v.outcome}`, { note: v.note.trim() });
      } catch (err) {
        showErrors(form, { ...errorMessage(err), fieldErrors: apiFieldErrors(err) });
        return;
      }
      await env.reload('guidance', t('gguid.saved'));
    },
  });
  return form;
}

function bookForm(env) {
  const kind = selectField({ name: 'kind', label: t('gguid.kind'), options: CONTACT_KINDS.map((k) => ({ value: k, label: t(`meetings.kind.${k}`) })), value: 'interim' });
  const method = selectField({ name: 'method', label: t('meetings.method'), options: ['video', 'phone'].map((m) => ({ value: m, label: t(`meetings.method.${m}`) })), value: 'video' });
  const when = textField({ name: 'planned_at', label: t('gguid.when'), type: 'datetime-local' });
  const minutes = minutesField('planned_minutes', t('meetings.length'), '30');
  const form = h('form', { class: 'form form-compact', 'data-form': 'contact-book' },
    h('h4', null, t('gguid.book_title')), kind.wrap, method.wrap, when.wrap, minutes.wrap,
    h('p', { class: 'actions' }, submitButton(t('gguid.book'))));
  onSubmit(form, {
    validate: (v) => [...whenError(v, 'planned_at'), ...minutesError(v, 'planned_minutes')],
    submit: async (v) => {
      await post(`/api/v1/courses/${env.cid}/participants/${env.pidq}/contacts`, {
        kind: v.kind, method: v.method, planned_at: instant(v.planned_at), planned_minutes: Number(v.planned_minutes),
      });
      await env.reload('guidance', t('gguid.booked'));
    },
  });
  return form;
}

function entryRow(env, e) {
  const li = h('li', { 'data-entry': e.id, class: e.voided ? 'voided' : null },
    h('span', null, formatDateTime(e.started_at, getLang())), ': ',
    t(`meetings.entry_kind.${e.kind}`), ', ', e.professional.display_name, ', ', durationText(e.minutes),
    e.outside_remote_period ? [' ', h('span', { class: 'tag' }, t('gguid.outside'))] : null,
    e.voided ? [' ', h('span', { class: 'tag' }, t('gguid.voided', { reason: e.voided.reason }))] : null,
    e.note ? h('p', { class: 'muted' }, e.note) : null);
  if (!e.voided) {
    const reason = textField({ name: 'reason', label: t('gguid.void_reason') });
    const form = h('form', { class: 'form form-inline', 'data-form': 'entry-void' }, reason.wrap,
      h('p', { class: 'actions' }, submitButton(t('gguid.void'), { variant: 'secondary' })));
    onSubmit(form, {
      validate: (v) => (v.reason.trim() ? [] : [{ field: 'reason', message: t('gguid.void_reason_missing') }]),
      submit: async (v) => {
        await post(`/api/v1/courses/${env.cid}/guidance/entries/${encodeURIComponent(e.id)}/void`, { reason: v.reason.trim(), version: e.version });
        await env.reload('guidance', t('gguid.voided_done'));
      },
    });
    li.append(form);
  }
  return li;
}

/** Records guidance given by the signed-in professional to this participant. */
function entryForm(env) {
  const kind = selectField({ name: 'kind', label: t('gguid.kind'), options: ENTRY_KINDS.map((k) => ({ value: k, label: t(`meetings.entry_kind.${k}`) })), value: 'phone_call' });
  const when = textField({ name: 'started_at', label: t('gguid.started'), type: 'datetime-local', value: localNow() });
  const minutes = minutesField('minutes', t('gguid.minutes'), '');
  const note = textareaField({ name: 'note', label: t('gguid.note'), optional: true, rows: 2 });
  const form = h('form', { class: 'form form-compact', 'data-form': 'entry-add' },
    h('h4', null, t('gguid.add_title')), h('p', { class: 'muted' }, t('gguid.add_hint')),
    kind.wrap, when.wrap, minutes.wrap, note.wrap, h('p', { class: 'actions' }, submitButton(t('gguid.add'))));
  onSubmit(form, {
    validate: (v) => [...whenError(v, 'started_at'), ...minutesError(v, 'minutes')],
    submit: async (v) => {
      await post(`/api/v1/courses/${env.cid}/guidance/entries`, {
        kind: v.kind, started_at: instant(v.started_at), minutes: Number(v.minutes),
        participant_ids: [env.person.id], note: v.note.trim(),
      });
      await env.reload('guidance', t('gguid.added'));
    },
  });
  return form;
}
