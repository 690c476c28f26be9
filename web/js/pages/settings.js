// /asetukset: the service language, a password (set or change), the second factor for staff
// (TOTP, SECURITY.md S8) and the user's own details.

import { h, add, fill, focusElement } from '../dom.js';
import { t, getLang, useLanguage, rememberLanguage } from '../i18n.js';
import { get, post, patch, put, currentUser, setCurrentUser, ApiError } from '../api.js';
import {
  radioGroup, passwordField, totpField, checkboxField, submitButton, onSubmit, statusBox, showStatus, checkNewPassword,
  checkTotp, totpDigits, showErrors,
} from '../forms.js';
import { facts, roleLabel, professionLabel } from '../ui.js';

export async function settingsPage(ctx) {
  ctx.setTitle(t('settings.title'));
  const me = currentUser();
  add(ctx.main, h('h1', { tabindex: '-1' }, t('settings.title')));

  // Language
  const langStatus = statusBox();
  const langGroup = radioGroup({ name: 'language', legend: t('settings.language_legend'), value: getLang(), options: [
    { value: 'fi', label: 'Suomi', lang: 'fi' },
    { value: 'sv', label: 'Svenska', lang: 'sv' },
    { value: 'en', label: 'English', lang: 'en' },
  ] });
  const langForm = h('form', { class: 'form', 'data-form': 'language' }, langGroup.wrap,
    h('p', { class: 'actions' }, submitButton(t('settings.language_save'))));
  onSubmit(langForm, {
    submit: async (v) => {
      const updated = await patch('/api/v1/me', { language: v.language });
      rememberLanguage(v.language);
      await useLanguage(v.language);
      setCurrentUser(updated);
      ctx.app.navigate('/asetukset', { replace: true, flash: { text: t('settings.language_saved') } });
    },
  });

  // Password
  const pwStatus = statusBox();
  const hasPassword = Boolean(me.has_password);
  const current = hasPassword ? passwordField({ name: 'current_password', label: t('password.current'), autocomplete: 'current-password' }) : null;
  const next = passwordField({ name: 'new_password', label: t('password.new'), hint: t('password.rules'), autocomplete: 'new-password' });
  const pwForm = h('form', { class: 'form', 'data-form': 'password' },
    current ? current.wrap : null, next.wrap,
    h('p', { class: 'actions' }, submitButton(hasPassword ? t('settings.password_change') : t('settings.password_set'))));
  onSubmit(pwForm, {
    validate: (v) => [
      ...(hasPassword && !v.current_password ? [{ field: 'current_password', message: t('validation.current_password_missing') }] : []),
      ...checkNewPassword(v),
    ],
    submit: async (v) => {
      const body = { new_password: v.new_password };
      if (hasPassword) body.current_password = v.current_password;
      await put('/api/v1/me/password', body);
      pwForm.reset();
      try {
        setCurrentUser(await get('/api/v1/me'));
      } catch {
        // The password is saved; the flag refreshes on the next load.
      }
      showStatus(pwStatus, t('settings.password_saved'));
      pwStatus.setAttribute('tabindex', '-1');
      pwStatus.focus();
    },
  });

  const flash = statusBox();
  if (ctx.flash) showStatus(flash, ctx.flash.text, { kind: ctx.flash.kind || 'success' });

  // Mail: whether to be told by mail that there is something new, and the morning reminder of
  // the day's self-rehabilitation tasks (participants only). The mails never carry the content.
  const prefs = me.preferences || {};
  const mailStatus = statusBox();
  const notify = checkboxField({ name: 'mail_notifications', label: t('settings.mail_notifications'), hint: t('settings.mail_notifications_hint'), checked: prefs.mail_notifications !== false });
  const remind = me.role === 'participant'
    ? checkboxField({ name: 'task_reminders', label: t('settings.task_reminders'), hint: t('settings.task_reminders_hint'), checked: prefs.task_reminders !== false })
    : null;
  // Guides may ask for a daily count of unread messages and open reports (off unless chosen).
  const digest = me.role === 'guide'
    ? checkboxField({ name: 'chat_digest', label: t('settings.chat_digest'), hint: t('settings.chat_digest_hint'), checked: prefs.chat_digest === true })
    : null;
  // Participants: a friendly mail after a while without visiting (on unless turned off).
  const nudge = me.role === 'participant'
    ? checkboxField({ name: 'activity_nudges', label: t('alerts.settings_nudge'), hint: t('alerts.settings_nudge_hint'), checked: prefs.activity_nudges !== false })
    : null;
  const mailForm = h('form', { class: 'form', 'data-form': 'mail-preferences' },
    h('fieldset', { class: 'fieldset' }, h('legend', { class: 'field-label' }, t('settings.mail_legend')),
      notify.wrap, remind ? remind.wrap : null, nudge ? nudge.wrap : null, digest ? digest.wrap : null),
    h('p', { class: 'actions' }, submitButton(t('settings.mail_save'))));
  onSubmit(mailForm, {
    submit: async (v) => {
      const body = { mail_notifications: Boolean(v.mail_notifications) };
      if (remind) body.task_reminders = Boolean(v.task_reminders);
      if (digest) body.chat_digest = Boolean(v.chat_digest);
      if (nudge) body.activity_nudges = Boolean(v.activity_nudges);
      const updated = await patch('/api/v1/me', body);
      if (updated && updated.id) setCurrentUser(updated);
      showStatus(mailStatus, t('settings.mail_saved'));
      focusElement(mailStatus);
    },
  });

  add(ctx.main, 
    flash,
    h('section', { class: 'section card', 'aria-labelledby': 'settings-language' },
      h('h2', { id: 'settings-language' }, t('settings.language_title')),
      langForm, langStatus),
    h('section', { class: 'section card', 'aria-labelledby': 'settings-password' },
      h('h2', { id: 'settings-password' }, hasPassword ? t('settings.password_title_change') : t('settings.password_title_set')),
      h('p', null, hasPassword ? t('settings.password_intro_change') : t('settings.password_intro_set')),
      pwStatus, pwForm),
    h('section', { class: 'section card', 'aria-labelledby': 'settings-mail', id: 'mail' },
      h('h2', { id: 'settings-mail' }, t('settings.mail_title')),
      h('p', null, t('settings.mail_intro')),
      mailForm, mailStatus),
    me.role !== 'participant' ? mfaSection(ctx) : null,
    h('section', { class: 'section', 'aria-labelledby': 'settings-me' },
      h('h2', { id: 'settings-me' }, t('settings.me_title')),
      facts([
        [t('person.name'), me.display_name],
        [t('person.email'), me.email],
        [t('person.role'), roleLabel(me.role)],
        me.profession ? [t('person.profession'), professionLabel(me.profession)] : null,
        me.provider ? [t('settings.provider'), me.provider.name] : null,
      ]),
      h('p', null, t('settings.me_change'))));
}

// ---- the second factor (staff only) ------------------------------------------------------------

// A setup that was started but not confirmed yet ({userId, secret, uri}). Kept in memory so a
// re-render (a language change, coming back to the page) shows the same key: asking the server
// again would make a new key, and the one already added to the phone would stop working.
let pendingSetup = null;

/** The key in groups of four, easier to read and type: "ABCD EFGH IJKL …". */
export function groupSecret(secret) {
  return String(secret || '').replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

function mfaSection(ctx) {
  const status = statusBox();
  const body = h('div', { class: 'mfa-body' });
  const section = h('section', { class: 'section card', 'aria-labelledby': 'settings-mfa', id: 'mfa' },
    h('h2', { id: 'settings-mfa' }, t('settings.mfa_title')),
    h('p', null, t('settings.mfa_intro')),
    status, body);

  const me = () => currentUser();
  const announce = (text) => {
    showStatus(status, text);
    focusElement(status);
  };
  const reloadMe = async () => {
    try {
      setCurrentUser(await get('/api/v1/me'));
    } catch {
      // The change is saved; the flag refreshes on the next load.
    }
  };
  const codeWrong = (form) => showErrors(form, {
    title: t('form.errors_title'),
    fieldErrors: [{ field: 'code', message: t('settings.mfa_code_wrong') }],
  });
  const isCodeError = (err) => err instanceof ApiError && err.status === 400
    && (err.errors.some((e) => e.field === 'code') || err.code === 'validation_failed');

  function render() {
    if (!ctx.alive()) return;
    const user = me();
    if (pendingSetup && (!user || pendingSetup.userId !== user.id)) pendingSetup = null;
    if (user && user.mfa_enabled) {
      pendingSetup = null;
      fill(body, onView());
    } else if (pendingSetup) fill(body, setupView());
    else fill(body, offView());
  }

  function offView() {
    const form = h('form', { class: 'form', 'data-form': 'totp-start' },
      h('p', { class: 'actions' }, submitButton(t('settings.mfa_start'))));
    onSubmit(form, {
      submit: async () => {
        try {
          const setup = await post('/api/v1/me/totp');
          pendingSetup = { userId: me().id, secret: setup.secret, uri: setup.otpauth_uri };
        } catch (err) {
          if (err instanceof ApiError && err.code === 'mfa_already_enabled') {
            await reloadMe();
            render();
            announce(t('settings.mfa_on'));
            return;
          }
          throw err;
        }
        showStatus(status, null);
        render();
        const heading = body.querySelector('h3');
        if (heading) focusElement(heading);
      },
    });
    return [h('p', { class: 'mfa-state' }, t('settings.mfa_off')), form];
  }

  function setupView() {
    const code = totpField({ name: 'code', label: t('settings.mfa_code_label'), hint: t('settings.mfa_code_hint') });
    const cancel = h('button', { type: 'button', class: 'button button-secondary' }, t('settings.mfa_cancel'));
    cancel.addEventListener('click', () => {
      pendingSetup = null;
      render();
      announce(t('settings.mfa_cancelled'));
    });
    const form = h('form', { class: 'form', 'data-form': 'totp-confirm' },
      code.wrap,
      h('p', { class: 'actions button-row' }, submitButton(t('settings.mfa_confirm')), cancel));
    onSubmit(form, {
      validate: (v) => checkTotp(v, 'code'),
      submit: async (v) => {
        try {
          await post('/api/v1/me/totp/confirm', { code: totpDigits(v.code) });
        } catch (err) {
          if (isCodeError(err)) {
            codeWrong(form);
            return;
          }
          if (err instanceof ApiError && (err.code === 'mfa_not_started' || err.code === 'mfa_already_enabled')) {
            pendingSetup = null;
            await reloadMe();
            render();
            announce(err.code === 'mfa_already_enabled' ? t('settings.mfa_on') : t('error.code.mfa_not_started'));
            return;
          }
          throw err;
        }
        pendingSetup = null;
        await reloadMe();
        const user = me();
        if (user && !user.mfa_enabled) setCurrentUser({ ...user, mfa_enabled: true });
        render();
        announce(t('settings.mfa_enabled'));
      },
    });
    const keyId = 'totp-secret';
    return [
      h('h3', { id: 'mfa-setup-title', tabindex: '-1' }, t('settings.mfa_setup_title')),
      h('ol', { class: 'steps' },
        h('li', null, t('settings.mfa_step_app')),
        h('li', null, t('settings.mfa_step_key')),
        h('li', null, t('settings.mfa_step_code'))),
      h('p', { class: 'totp-key' },
        h('span', { class: 'field-label' }, t('settings.mfa_key_label')),
        h('span', { class: 'totp-secret', id: keyId, 'data-secret': pendingSetup.secret }, groupSecret(pendingSetup.secret))),
      h('p', { class: 'hint' }, t('settings.mfa_key_hint')),
      h('p', { class: 'link-row' }, h('a', { href: pendingSetup.uri, class: 'otpauth-link' }, t('settings.mfa_link'))),
      form,
    ];
  }

  function onView() {
    const code = totpField({ name: 'code', label: t('settings.mfa_code_label'), hint: t('settings.mfa_code_hint') });
    const form = h('form', { class: 'form', 'data-form': 'totp-disable' },
      code.wrap,
      h('p', { class: 'actions' }, submitButton(t('settings.mfa_disable'), { variant: 'danger' })));
    onSubmit(form, {
      validate: (v) => checkTotp(v, 'code'),
      submit: async (v) => {
        try {
          await post('/api/v1/me/totp/disable', { code: totpDigits(v.code) });
        } catch (err) {
          if (isCodeError(err)) {
            codeWrong(form);
            return;
          }
          throw err;
        }
        await reloadMe();
        const user = me();
        if (user && user.mfa_enabled) setCurrentUser({ ...user, mfa_enabled: false });
        render();
        announce(t('settings.mfa_disabled'));
      },
    });
    return [
      h('p', { class: 'mfa-state mfa-on' }, t('settings.mfa_on')),
      h('h3', null, t('settings.mfa_disable_title')),
      h('p', null, t('settings.mfa_disable_intro')),
      form,
    ];
  }

  render();
  return section;
}
