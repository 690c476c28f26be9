// A course's alerts for its guides (issue 6, item 4), for the guide's monitoring page: what each
// open alert is about in words, the participant's name linking to her page, when it opened, who
// acknowledged it with what note, and a form to acknowledge it with a note; the alerts that closed
// by themselves in the last 14 days below, folded. Self-contained: it loads
// GET /api/v1/courses/{id}/alerts itself and reloads itself after an acknowledgement. Text first,
// no colour as the only signal (A17, A24).
//
//   const section = await guideAlertsSection({ courseId, basePath: '/ohjaus' });

import { h, fill, focusElement, uid } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { get, post, ApiError } from '../api.js';
import { textareaField, submitButton, onSubmit, statusBox, showStatus, showErrors, errorMessage, apiFieldErrors } from '../forms.js';
import { formatDateTime } from '../format.js';
import { loading, errorPanel } from '../ui.js';
import { participantPath } from './guideParticipant.js';

/** The longest note the server takes (alerts::model::NOTE_MAX). */
const NOTE_MAX = 1000;

/** What an alert is about, in words. */
export function alertText(alert, view) {
  return t(`alerts.kind.${alert.kind}`, { days: view.inactive_days });
}

function when(iso) {
  return formatDateTime(iso, getLang());
}

/**
 * The section with its heading. Never throws: a failed load shows its reason inside the section,
 * so the page around it keeps working.
 */
export async function guideAlertsSection({ courseId, basePath = '/ohjaus' }) {
  const headingId = uid('alerts-title');
  const status = statusBox();
  const body = h('div', { class: 'alerts-body' }, loading());
  const section = h('section', { class: 'section alerts', id: 'halytykset', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, t('alerts.title')),
    h('p', null, t('alerts.intro')),
    status, body);
  const env = { courseId, basePath, status, body };
  env.reload = async (message) => {
    await draw(env);
    if (message) {
      showStatus(status, message);
      focusElement(status);
    }
  };
  await draw(env);
  return section;
}

async function draw(env) {
  let view;
  try {
    view = await get(`/api/v1/courses/${encodeURIComponent(env.courseId)}/alerts`);
  } catch (err) {
    fill(env.body, errorPanel(err));
    return;
  }
  const list = Array.isArray(view.alerts) ? view.alerts : [];
  const open = list.filter((a) => !a.closed_at);
  const closed = list.filter((a) => a.closed_at);
  fill(env.body,
    h('p', { class: 'alerts-count', 'data-open': String(open.length) },
      open.length ? t('alerts.count', { n: open.length, unack: open.filter((a) => !a.acknowledged).length }) : t('alerts.none')),
    open.length ? h('ul', { class: 'card-list alert-people' }, byPerson(open).map((alerts) => personCard(env, view, alerts))) : null,
    closed.length
      ? h('details', { class: 'disclosure alerts-closed' },
        h('summary', null, t('alerts.closed_title', { n: closed.length })),
        h('ul', { class: 'text-list' }, closed.map((a) => closedRow(env, view, a))))
      : null);
}

/** The alerts grouped by participant, in the order the server gave (open first, newest first). */
function byPerson(alerts) {
  const groups = new Map();
  for (const a of alerts) {
    if (!groups.has(a.participant.id)) groups.set(a.participant.id, []);
    groups.get(a.participant.id).push(a);
  }
  return [...groups.values()];
}

/** The participant's name, linking to her page; inside a sentence, so an inline link (A5). */
function nameLink(env, a) {
  return h('a', { href: participantPath(env.basePath, env.courseId, a.participant.id) }, a.participant.display_name);
}

/** One participant's open alerts: her name (a link to her page) and each alert with its state. */
function personCard(env, view, alerts) {
  return h('li', { class: 'card alert-person', 'data-participant': alerts[0].participant.id },
    h('h3', null, nameLink(env, alerts[0]), ' ', h('span', { class: 'muted' }, t('alerts.person_count', { n: alerts.length }))),
    h('ul', { class: 'text-list alert-list' }, alerts.map((a) => openRow(env, view, a))));
}

function openRow(env, view, a) {
  const li = h('li', { class: 'alert', 'data-alert': a.id, 'data-kind': a.kind, 'data-acknowledged': String(Boolean(a.acknowledged)) },
    h('p', { class: 'alert-what' }, alertText(a, view), ' ', h('span', { class: 'muted' }, t('alerts.opened', { at: when(a.opened_at) }))));
  if (a.acknowledged) {
    li.append(h('p', { class: 'alert-ack' },
      h('span', { class: 'tag' }, t('alerts.acknowledged')), ' ',
      t('alerts.acknowledged_by', { at: when(a.acknowledged.at), by: a.acknowledged.by.display_name }), ': ',
      h('span', { class: 'alert-note' }, a.acknowledged.note)));
  } else {
    li.append(h('details', { class: 'disclosure' },
      h('summary', null, t('alerts.acknowledge_open')),
      ackForm(env, a)));
  }
  return li;
}

function closedRow(env, view, a) {
  return h('li', { 'data-alert': a.id, 'data-kind': a.kind },
    nameLink(env, a), ': ', alertText(a, view), ' ',
    h('span', { class: 'muted' }, t('alerts.closed_at', { at: when(a.closed_at) })),
    a.acknowledged ? [' ', t('alerts.closed_note', { by: a.acknowledged.by.display_name, note: a.acknowledged.note })] : null);
}

function noteProblems(values) {
  const note = String(values.note || '').trim();
  if (!note) return [{ field: 'note', message: t('alerts.note_missing') }];
  if ([...note].length > NOTE_MAX) return [{ field: 'note', message: t('alerts.note_too_long', { max: NOTE_MAX }) }];
  return [];
}

/** Acknowledging with a note: what was done or decided. The alert stays while its reason holds. */
function ackForm(env, a) {
  const note = textareaField({ name: 'note', label: t('alerts.note_label'), hint: t('alerts.note_hint'), rows: 2 });
  const form = h('form', { class: 'form form-compact', 'data-form': 'alert-ack' },
    note.wrap, h('p', { class: 'actions' }, submitButton(t('alerts.acknowledge'), { variant: 'secondary' })));
  onSubmit(form, {
    validate: noteProblems,
    submit: async (v) => {
      try {
        await post(`/api/v1/courses/${encodeURIComponent(env.courseId)}/alerts/${encodeURIComponent(a.id)}/acknowledge`, { note: v.note.trim() });
      } catch (err) {
        // Someone else got there first, or the reason went away: show the list as it is now.
        if (err instanceof ApiError && (err.code === 'alert_closed' || err.code === 'alert_acknowledged')) {
          await env.reload(t(`alerts.error.${err.code}`));
          return;
        }
        showErrors(form, { ...errorMessage(err), fieldErrors: apiFieldErrors(err) });
        return;
      }
      await env.reload(t('alerts.acknowledged_done'));
    },
  });
  return form;
}
