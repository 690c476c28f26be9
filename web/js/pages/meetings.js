// The participant's "Ohjaus ja tapaamiset" (/ryhma/tapaamiset): her guidance time against the
// 4 hours of the remote period (R-GUIDANCE-4H) and her upcoming contacts with the team, with the
// way to join each (video link, or the guide calls), confirming the time or asking for another,
// and a calendar invitation. Text first; nothing here times out.

import { h, add, fill, focusElement } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { get, post, getText, ApiError } from '../api.js';
import { loading, errorPanel, notice, durationText } from '../ui.js';
import { textareaField, submitButton, statusBox, showStatus, onSubmit } from '../forms.js';
import { formatDate, formatDateTime } from '../format.js';

/** "Ohjausta 2 h 15 min / 4 h". */
export function guidanceLine(g) {
  return t('meetings.guidance_line', { done: durationText(g.remote_minutes), needed: durationText(g.required_minutes) });
}

/** How the participant joins a contact, in words (and the link when there is one). */
export function joinPart(c) {
  switch (c.join_by) {
    case 'video_link':
      return h('p', { class: 'actions' },
        h('a', { href: c.video_url, class: 'button', target: '_blank', rel: 'noopener', 'data-action': 'join' }, t('meetings.join_video')),
        ' ', h('span', { class: 'muted' }, t('meetings.join_fallback')));
    case 'link_from_guide':
      return h('p', null, t('meetings.link_from_guide'));
    default:
      return h('p', null, t('meetings.guide_calls'));
  }
}

export function contactTitle(c) {
  return `${t(`meetings.kind.${c.kind}`)}: ${formatDateTime(c.planned_at, getLang())}`;
}

async function downloadInvitation(c, status) {
  try {
    const text = await getText(c.invitation_url);
    const blob = new Blob([text], { type: 'text/calendar;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: `etapolku-${c.id}.ics`, class: 'visually-hidden' }, 'ics');
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (err) {
    showStatus(status, t('meetings.invitation_failed'), { kind: 'error' });
  }
}

function contactCard(c, { onChanged }) {
  const status = statusBox();
  const id = `contact-${c.id}`;
  const actions = h('p', { class: 'actions' });
  const card = h('li', { class: 'card contact', id, 'data-status': c.status },
    h('h3', { id: `${id}-title` }, contactTitle(c)),
    h('dl', { class: 'facts' },
      h('dt', null, t('meetings.with')), h('dd', null, c.professional.display_name),
      h('dt', null, t('meetings.method')), h('dd', null, t(`meetings.method.${c.method}`)),
      h('dt', null, t('meetings.length')), h('dd', null, durationText(c.planned_minutes)),
      h('dt', null, t('meetings.status')), h('dd', { class: 'contact-status' }, t(`meetings.status.${c.status}`))),
    c.participant_message ? h('p', null, t('meetings.your_message'), ' ', h('q', null, c.participant_message)) : null,
    joinPart(c),
    actions,
    status);
  if (c.status === 'planned' || c.status === 'reschedule_requested') {
    const confirm = h('button', { type: 'button', class: 'button', 'data-action': 'confirm' }, t('meetings.confirm'));
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      try {
        await post(`/api/v1/me/contacts/${encodeURIComponent(c.id)}/confirm`);
        await onChanged(t('meetings.confirmed'), c.id);
      } catch (err) {
        confirm.disabled = false;
        showStatus(status, errorText(err), { kind: 'error' });
      }
    });
    actions.append(confirm, ' ');
  }
  const ask = h('button', { type: 'button', class: 'button button-secondary', 'data-action': 'reschedule', 'aria-expanded': 'false' },
    t('meetings.ask_other_time'));
  // The form is made when asked for, so a closed one is not in the page at all.
  let form = null;
  ask.addEventListener('click', () => {
    if (form) {
      form.remove();
      form = null;
    } else {
      form = rescheduleForm(c, { onChanged });
      card.append(form);
      focusElement(form.querySelector('textarea'));
    }
    ask.setAttribute('aria-expanded', String(Boolean(form)));
  });
  const ics = h('button', { type: 'button', class: 'button button-secondary', 'data-action': 'invitation' }, t('meetings.invitation'));
  ics.addEventListener('click', () => downloadInvitation(c, status));
  actions.append(ask, ' ', ics);
  return card;
}

function rescheduleForm(c, { onChanged }) {
  const message = textareaField({ name: 'message', label: t('meetings.reschedule_label'), hint: t('meetings.reschedule_hint'), rows: 3 });
  const form = h('form', { class: 'form', 'data-form': 'reschedule' }, message.wrap,
    h('p', { class: 'actions' }, submitButton(t('meetings.reschedule_send'))));
  onSubmit(form, {
    validate: (v) => (v.message.trim() ? [] : [{ field: 'message', message: t('meetings.reschedule_missing') }]),
    submit: async (v) => {
      await post(`/api/v1/me/contacts/${encodeURIComponent(c.id)}/reschedule`, { message: v.message.trim() });
      await onChanged(t('meetings.reschedule_sent'), c.id);
    },
  });
  return form;
}

function errorText(err) {
  if (err instanceof ApiError && err.code === 'contact_closed') return t('meetings.closed');
  return t('error.try_again');
}

function entryRow(e) {
  return h('li', null,
    h('span', { class: 'entry-date' }, formatDate(e.started_at, getLang())), ': ',
    t(`meetings.entry_kind.${e.kind}`), ', ', e.professional.display_name, ', ', durationText(e.minutes),
    e.outside_remote_period ? [' ', h('span', { class: 'muted' }, t('meetings.outside_remote'))] : null);
}

export async function meetingsPage(ctx) {
  ctx.setTitle(t('meetings.title'));
  const flash = statusBox();
  const slot = h('div', null, loading());
  add(ctx.main, h('h1', { tabindex: '-1' }, t('meetings.title')), flash, slot);

  async function render(message, focusId) {
    let guidance;
    let contacts;
    try {
      [guidance, contacts] = await Promise.all([get('/api/v1/me/guidance'), get('/api/v1/me/contacts')]);
    } catch (err) {
      if (!ctx.alive()) return;
      if (err instanceof ApiError && (err.code === 'no_course' || err.status === 404)) {
        fill(slot, notice('info', h('p', null, t('participant.no_course'))));
      } else fill(slot, errorPanel(err));
      return;
    }
    if (!ctx.alive()) return;
    const list = Array.isArray(contacts) ? contacts : [];
    const entries = Array.isArray(guidance.entries) ? guidance.entries : [];
    fill(slot,
      h('section', { class: 'section', 'aria-labelledby': 'contacts-title' },
        h('h2', { id: 'contacts-title' }, t('meetings.upcoming_title')),
        list.length
          ? h('ul', { class: 'card-list contacts' }, list.map((c) => contactCard(c, { onChanged: render })))
          : h('p', null, t('meetings.none_upcoming'))),
      h('section', { class: 'section', 'aria-labelledby': 'guidance-title' },
        h('h2', { id: 'guidance-title' }, t('meetings.guidance_title')),
        h('p', { class: 'lead', id: 'guidance-line' }, guidanceLine(guidance)),
        h('p', null, t('meetings.guidance_explained')),
        entries.length
          ? h('ul', { class: 'text-list guidance-entries' }, entries.map(entryRow))
          : h('p', null, t('meetings.no_entries'))));
    if (message) {
      showStatus(flash, message);
      const card = focusId && document.getElementById(`contact-${focusId}-title`);
      if (card) {
        card.setAttribute('tabindex', '-1');
        focusElement(card);
      }
    }
  }
  await render();
}
