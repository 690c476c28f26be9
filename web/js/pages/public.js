// Pages anyone can open: help (A12), the accessibility statement with its feedback form (A18),
// and the "not found" and "no access" pages.

import { h, add, fill } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { get, post, currentUser } from '../api.js';
import {
  textField, textareaField, submitButton, onSubmit, statusBox, showStatus, enableDraft, clearDraft,
} from '../forms.js';
import { loading, notice } from '../ui.js';
import { formatDateTime } from '../format.js';

function start(ctx, title) {
  ctx.setTitle(title);
  add(ctx.main, h('h1', { tabindex: '-1' }, title));
}

function telHref(phone) {
  return `tel:${String(phone).replace(/[^\d+]/g, '')}`;
}

export async function helpPage(ctx) {
  start(ctx, t('help.title'));
  add(ctx.main, h('p', { class: 'lead' }, t('help.intro')));
  const supportSlot = h('section', { class: 'section card card-primary', 'aria-labelledby': 'support-title' },
    h('h2', { id: 'support-title' }, t('help.support_title')), loading());
  add(ctx.main, supportSlot);

  add(ctx.main, 
    h('section', { class: 'section', 'aria-labelledby': 'video-title' },
      h('h2', { id: 'video-title' }, t('help.video_title')),
      h('p', null, t('help.video_intro')),
      h('ol', { class: 'steps' },
        h('li', null, t('help.video_step1')),
        h('li', null, t('help.video_step2')),
        h('li', null, t('help.video_step3')),
        h('li', null, t('help.video_step4'))),
      h('p', null, t('help.video_phone'))),
    h('section', { class: 'section', 'aria-labelledby': 'signin-help-title' },
      h('h2', { id: 'signin-help-title' }, t('help.signin_title')),
      h('ul', { class: 'text-list' },
        h('li', null, t('help.signin_1')),
        h('li', null, t('help.signin_2')),
        h('li', null, t('help.signin_3'))),
      currentUser() ? null : h('p', { class: 'link-row' }, h('a', { href: '/kirjaudu' }, t('link.to_signin')))),
    h('section', { class: 'section', 'aria-labelledby': 'use-help-title' },
      h('h2', { id: 'use-help-title' }, t('help.use_title')),
      h('ul', { class: 'text-list' },
        h('li', null, t('help.use_1')),
        h('li', null, t('help.use_2')),
        h('li', null, t('help.use_3')))));

  let support = null;
  try {
    support = await get('/api/v1/support');
  } catch {
    support = null;
  }
  if (!ctx.alive()) return;
  const heading = supportSlot.querySelector('h2');
  if (!support) {
    fill(supportSlot, heading, h('p', { role: 'alert' }, t('help.support_unavailable')));
    return;
  }
  fill(supportSlot, heading,
    h('p', null, t('help.support_intro')),
    h('dl', { class: 'facts facts-large' },
      h('dt', null, t('help.phone')),
      h('dd', null, h('a', { href: telHref(support.phone), class: 'big-link', id: 'support-phone' }, support.phone)),
      h('dt', null, t('help.hours')),
      h('dd', { id: 'support-hours' }, support.hours),
      h('dt', null, t('help.email')),
      h('dd', null, h('a', { href: `mailto:${support.email}`, id: 'support-email' }, support.email))));
}

export async function statementPage(ctx) {
  const lang = getLang();
  start(ctx, t('a11y.title'));
  const feedbackStatus = statusBox();
  const message = textareaField({ name: 'message', label: t('a11y.feedback_message'), hint: t('a11y.feedback_message_hint'), rows: 6, maxlength: 5000 });
  const email = textField({ name: 'email', label: t('a11y.feedback_email'), type: 'email', optional: true,
    hint: t('a11y.feedback_email_hint'), autocomplete: 'email', spellcheck: 'false' });
  const me = currentUser();
  if (me && me.email) email.input.value = me.email;
  const form = h('form', { class: 'form', 'data-form': 'accessibility-feedback' },
    message.wrap, email.wrap, h('p', { class: 'actions' }, submitButton(t('a11y.feedback_button'))));
  enableDraft(form, 'accessibility-feedback');
  onSubmit(form, {
    validate: (v) => {
      const problems = [];
      if (!v.message.trim()) problems.push({ field: 'message', message: t('a11y.feedback_message_missing') });
      const e = v.email.trim();
      if (e && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e)) problems.push({ field: 'email', message: t('validation.email_invalid') });
      return problems;
    },
    submit: async (v) => {
      const body = { message: v.message.trim(), language: lang };
      if (v.email.trim()) body.email = v.email.trim();
      const ticket = await post('/api/v1/feedback/accessibility', body);
      clearDraft('accessibility-feedback');
      form.reset();
      showStatus(feedbackStatus, [
        t('a11y.feedback_thanks', { when: formatDateTime(ticket && ticket.received_at ? ticket.received_at : new Date(), lang) }),
        t('a11y.feedback_reply_promise'),
      ]);
    },
  });

  add(ctx.main, 
    h('p', { class: 'lead' }, t('a11y.intro')),
    h('p', null, t('a11y.updated')),
    h('section', { class: 'section', 'aria-labelledby': 'a11y-status' },
      h('h2', { id: 'a11y-status' }, t('a11y.status_title')),
      h('p', null, t('a11y.status_text')),
      h('p', null, t('a11y.status_how'))),
    h('section', { class: 'section', 'aria-labelledby': 'a11y-issues' },
      h('h2', { id: 'a11y-issues' }, t('a11y.issues_title')),
      h('ul', { class: 'text-list' },
        h('li', null, t('a11y.issue_1')),
        h('li', null, t('a11y.issue_2')),
        h('li', null, t('a11y.issue_3')))),
    h('section', { class: 'section', 'aria-labelledby': 'a11y-feedback' },
      h('h2', { id: 'a11y-feedback' }, t('a11y.feedback_title')),
      h('p', null, t('a11y.feedback_intro')),
      form, feedbackStatus),
    h('section', { class: 'section', 'aria-labelledby': 'a11y-reply' },
      h('h2', { id: 'a11y-reply' }, t('a11y.reply_title')),
      h('p', null, t('a11y.reply_text'))),
    h('section', { class: 'section', 'aria-labelledby': 'a11y-authority' },
      h('h2', { id: 'a11y-authority' }, t('a11y.authority_title')),
      h('p', null, t('a11y.authority_text')),
      h('p', null, t('a11y.authority_how')),
      h('address', { class: 'contact' },
        h('p', null, t('a11y.authority_name')),
        h('p', null, t('a11y.authority_unit')),
        h('p', { class: 'link-row' }, h('a', { href: t('a11y.authority_url') }, t('a11y.authority_site'))),
        h('p', null, t('a11y.authority_email_label'), ' ', t('a11y.authority_email')),
        h('p', null, t('a11y.authority_phone_label'), ' ', t('a11y.authority_phone')))));
}

export async function notFoundPage(ctx) {
  start(ctx, t('notfound.title'));
  const me = currentUser();
  add(ctx.main, h('p', null, t('notfound.text')),
    h('p', { class: 'link-row' }, h('a', { href: me ? ctx.app.homeFor(me) : '/kirjaudu' }, t('notfound.home'))));
}

export async function forbiddenPage(ctx) {
  start(ctx, t('forbidden.title'));
  const me = currentUser();
  add(ctx.main, notice('info', h('p', null, t('forbidden.text'))),
    h('p', { class: 'link-row' }, h('a', { href: ctx.app.homeFor(me) }, t('notfound.home'))));
}
