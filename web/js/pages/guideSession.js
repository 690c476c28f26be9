// A guidance session in the group room, on the guide's chat page (issue 6 §1): start it (the room
// sees "guidance started"), end it, tick who gets the minutes (those who wrote or read are ticked
// already) and save one ledger entry. The state lives on the server, so a reload or another tab
// shows the same session; nothing here times out.

import { h, fill, focusElement } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { get, post } from '../api.js';
import { errorPanel, durationText } from '../ui.js';
import { checkboxField, textareaField, statusBox, showStatus, showErrors, clearErrors, errorMessage, apiFieldErrors, formValues } from '../forms.js';
import { formatTime } from '../format.js';
import { roomPath } from '../chat/room.js';
import { minutesField, minutesError } from './guideGuidance.js';

/** How often a running session's minutes and list refresh on screen. */
const REFRESH_MS = 30_000;

function whyText(c) {
  if (c.wrote) return t('gsession.wrote');
  if (c.present) return t('gsession.present');
  return t('gsession.absent');
}

/** The section for a group room; `courseHref` links to the course page's monitoring view. */
export function guidanceSessionSection(room, { courseHref }) {
  const path = `${roomPath(room.id)}/guidance-session`;
  const status = statusBox();
  const body = h('div', { id: 'gsession-body' });
  const el = h('section', { class: 'section card', id: 'chat-guidance-session', 'aria-labelledby': 'gsession-title' },
    h('h2', { id: 'gsession-title' }, t('gsession.title')), status, body);
  let timer = null;

  async function act(fn, message) {
    try {
      const result = await fn();
      if (message) showStatus(status, typeof message === 'function' ? message(result) : message);
      await load();
    } catch (err) {
      const { title, detail } = errorMessage(err);
      showStatus(status, detail ? `${title} ${detail}` : title, { kind: 'error' });
    }
  }

  function idle() {
    const button = h('button', { type: 'button', class: 'button button-primary', 'data-action': 'start-session' }, t('gsession.start'));
    button.addEventListener('click', () => act(() => post(path), t('gsession.started')));
    return [h('p', null, t('gsession.intro')), h('p', { class: 'actions' }, button)];
  }

  function running(s) {
    const lang = getLang();
    const named = s.candidates.filter((c) => c.proposed);
    const end = h('button', { type: 'button', class: 'button button-primary', 'data-action': 'end-session' }, t('gsession.end'));
    const cancel = h('button', { type: 'button', class: 'button button-secondary', 'data-action': 'cancel-session' }, t('gsession.cancel'));
    end.addEventListener('click', () => act(() => post(`${path}/end`), t('gsession.ended')));
    cancel.addEventListener('click', () => act(() => post(`${path}/cancel`), t('gsession.cancelled')));
    return [
      h('p', { class: 'lead', id: 'gsession-running' }, t('gsession.running', { time: formatTime(s.started_at, lang), minutes: durationText(s.minutes) })),
      h('p', null, named.length
        ? t('gsession.so_far', { names: named.map((c) => `${c.participant.display_name} (${whyText(c)})`).join(', ') })
        : t('gsession.nobody_yet')),
      h('div', { class: 'button-row actions' }, end, cancel),
    ];
  }

  function ended(s) {
    const boxes = s.candidates.map((c) => {
      const f = checkboxField({ name: 'participant', label: `${c.participant.display_name} – ${whyText(c)}`, checked: c.proposed });
      f.input.value = c.participant.id;
      return f;
    });
    const minutes = minutesField('minutes', t('gsession.minutes'), String(s.minutes));
    const note = textareaField({ name: 'note', label: t('gsession.note'), hint: t('gsession.note_hint'), rows: 3, optional: true });
    const cancel = h('button', { type: 'button', class: 'button button-secondary', 'data-action': 'cancel-session' }, t('gsession.cancel'));
    cancel.addEventListener('click', () => act(() => post(`${path}/cancel`), t('gsession.cancelled')));
    const form = h('form', { class: 'form', 'data-form': 'guidance-session', novalidate: true },
      h('p', null, t('gsession.ended_intro', { minutes: durationText(s.minutes) })),
      h('fieldset', { class: 'fieldset', 'data-field': 'participant_ids' },
        h('legend', null, t('gsession.who')),
        // First in the fieldset, so the error is found before the boxes' own.
        h('p', { class: 'field-error', id: 'gsession-who-error', hidden: true }),
        boxes.map((b) => b.wrap)),
      minutes.wrap, note.wrap,
      h('div', { class: 'button-row actions' }, h('button', { type: 'submit', class: 'button button-primary' }, t('gsession.save')), cancel));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const ids = boxes.filter((b) => b.input.checked).map((b) => b.input.value);
      const values = formValues(form);
      const problems = [...minutesError(values, 'minutes')];
      if (!ids.length) problems.push({ field: 'participant_ids', message: t('gsession.nobody_ticked') });
      if (problems.length) {
        showErrors(form, { fieldErrors: problems });
        return;
      }
      try {
        clearErrors(form);
        const entry = await post(`${path}/save`, { participant_ids: ids, minutes: Number(values.minutes), note: String(values.note || '').trim() });
        showStatus(status, t('gsession.saved', {
          minutes: durationText(entry.minutes),
          names: (entry.participants || []).map((p) => p.display_name).join(', '),
        }));
        status.append(h('p', null, h('a', { href: `${courseHref}#monitoring-section` }, t('gsession.to_monitoring'))));
        await load();
        focusElement(status);
      } catch (err) {
        const { title, detail } = errorMessage(err);
        showErrors(form, { title, detail, fieldErrors: apiFieldErrors(err) });
      }
    });
    return form;
  }

  async function load() {
    clearTimeout(timer);
    let current;
    try {
      current = await get(path);
    } catch (err) {
      fill(body, errorPanel(err));
      return;
    }
    const s = current && current.session;
    el.dataset.state = s ? s.state : 'none';
    if (!s) fill(body, idle());
    else if (s.state === 'running') {
      fill(body, running(s));
      // The minutes and the list follow while the page is open.
      timer = setTimeout(() => { if (el.isConnected) load(); }, REFRESH_MS);
    } else fill(body, ended(s));
  }

  load();
  return el;
}
