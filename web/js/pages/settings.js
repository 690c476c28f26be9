// /asetukset: the service language, a password (set or change) and the user's own details.

import { h, add } from '../dom.js';
import { t, getLang, useLanguage, rememberLanguage } from '../i18n.js';
import { get, patch, put, currentUser, setCurrentUser } from '../api.js';
import {
  radioGroup, passwordField, submitButton, onSubmit, statusBox, showStatus, checkNewPassword,
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

  add(ctx.main, 
    flash,
    h('section', { class: 'section card', 'aria-labelledby': 'settings-language' },
      h('h2', { id: 'settings-language' }, t('settings.language_title')),
      langForm, langStatus),
    h('section', { class: 'section card', 'aria-labelledby': 'settings-password' },
      h('h2', { id: 'settings-password' }, hasPassword ? t('settings.password_title_change') : t('settings.password_title_set')),
      h('p', null, hasPassword ? t('settings.password_intro_change') : t('settings.password_intro_set')),
      pwStatus, pwForm),
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
