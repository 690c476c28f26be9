// Signing in: email link first (no password to remember, A10/WCAG 3.3.8), password second;
// the pages the mailed links open (/linkki, /salasana); and the password reset request.

import { h, add, fill } from '../dom.js';
import { t, getLang, storedLanguage, useLanguage } from '../i18n.js';
import { post, signInWith, ApiError } from '../api.js';
import {
  textField, passwordField, totpField, submitButton, onSubmit, statusBox, showStatus, checkEmail,
  checkNewPassword, checkTotp, totpDigits, showErrors, errorMessage, apiFieldErrors,
} from '../forms.js';
import { notice } from '../ui.js';

function pageStart(ctx, title) {
  ctx.setTitle(title);
  const flash = statusBox();
  if (ctx.flash) showStatus(flash, ctx.flash.text, { kind: ctx.flash.kind || 'success' });
  add(ctx.main, h('h1', { tabindex: '-1' }, title), flash);
  return flash;
}

/** After any successful sign-in: use the user's language if none was chosen here, then go home. */
async function afterSignIn(ctx, me) {
  if (!storedLanguage() && me && me.language && me.language !== getLang()) await useLanguage(me.language);
  ctx.app.navigate(ctx.app.takeReturn(me) || ctx.app.homeFor(me), { replace: true });
}

/** The email-link request form (also used when a link has expired). */
function emailLinkForm({ buttonLabel }) {
  const email = textField({ name: 'email', label: t('signin.email'), type: 'email', autocomplete: 'email',
    hint: t('signin.email_hint'), spellcheck: 'false' });
  const status = statusBox();
  const form = h('form', { class: 'form', 'data-form': 'email-link' },
    email.wrap, h('p', { class: 'actions' }, submitButton(buttonLabel)));
  onSubmit(form, {
    validate: (v) => checkEmail(v),
    submit: async (v) => {
      await post('/api/v1/auth/email-link', { email: v.email.trim(), language: getLang() });
      showStatus(status, [t('signin.link_sent'), t('signin.link_sent_next')]);
    },
  });
  return h('div', null, form, status);
}

export async function signInPage(ctx) {
  pageStart(ctx, t('signin.title'));

  const linkSection = h('section', { class: 'section card card-primary', 'aria-labelledby': 'signin-link-title' },
    h('h2', { id: 'signin-link-title' }, t('signin.link_title')),
    h('p', { class: 'lead' }, t('signin.link_instruction')),
    h('p', null, t('signin.link_instruction_2')),
    emailLinkForm({ buttonLabel: t('signin.link_button') }));

  const pwEmail = textField({ name: 'email', label: t('signin.email'), type: 'email', autocomplete: 'username', spellcheck: 'false' });
  const pw = passwordField({ name: 'password', label: t('signin.password'), autocomplete: 'current-password' });
  // The second factor (S8): the code field appears only when the server asks for it (mfa_required);
  // the email and password stay as typed, and the form is sent again with `totp`.
  const totpSlot = h('div', { class: 'totp-slot' });
  let totp = null;
  const pwActions = h('p', { class: 'actions' }, submitButton(t('signin.password_button')));
  const pwForm = h('form', { class: 'form', 'data-form': 'password-login' },
    pwEmail.wrap, pw.wrap, totpSlot, pwActions);
  const askForCode = () => {
    if (!totp) {
      totp = totpField({ name: 'totp', label: t('signin.totp_label'), hint: t('signin.totp_hint') });
      const needed = statusBox();
      showStatus(needed, t('signin.totp_needed'), { kind: 'info' });
      totpSlot.replaceChildren(needed, totp.wrap);
    }
    totp.input.value = '';
    totp.input.focus();
  };
  onSubmit(pwForm, {
    validate: (v) => [
      ...checkEmail(v),
      ...(v.password ? [] : [{ field: 'password', message: t('validation.password_missing') }]),
      ...(totp ? checkTotp(v, 'totp') : []),
    ],
    submit: async (v) => {
      const body = { email: v.email.trim(), password: v.password };
      if (totp) body.totp = totpDigits(v.totp);
      try {
        const me = await signInWith('/api/v1/auth/login', body);
        await afterSignIn(ctx, me);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'mfa_required') {
          askForCode();
          return;
        }
        if (err instanceof ApiError && err.code === 'mfa_invalid' && totp) {
          showErrors(pwForm, {
            title: t('signin.totp_invalid'),
            fieldErrors: [{ field: 'totp', message: t('signin.totp_invalid_field') }],
          });
          return;
        }
        if (err instanceof ApiError && err.code === 'invalid_credentials') {
          showErrors(pwForm, {
            title: t('signin.invalid_credentials'),
            detail: t('signin.invalid_credentials_hint'),
            fieldErrors: [
              { field: 'email', message: t('signin.invalid_credentials_field_email') },
              { field: 'password', message: t('signin.invalid_credentials_field_password') },
            ],
          });
          return;
        }
        throw err;
      }
    },
  });

  const pwSection = h('section', { class: 'section card', 'aria-labelledby': 'signin-password-title' },
    h('h2', { id: 'signin-password-title' }, t('signin.password_title')),
    h('p', null, t('signin.password_intro')),
    pwForm,
    h('p', { class: 'link-row' }, h('a', { href: '/salasana' }, t('signin.forgot_password'))));

  const helpSection = h('section', { class: 'section' },
    h('h2', null, t('signin.help_title')),
    h('p', null, t('signin.help_text'), ' ', h('a', { href: '/apua' }, t('signin.help_link'))));

  add(ctx.main, linkSection, pwSection, helpSection);
}

// The token from the mailed link, kept in memory after it is removed from the address bar.
let linkToken = null;
// Whether the last link tried on this page was refused, so a re-render (language change) keeps the
// "link no longer works" explanation.
let linkRefused = false;

function tokenFromHash() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const token = params.get('token');
  if (token) {
    // Remove the token from the address bar and history right away (it is a one-time secret).
    history.replaceState(null, '', location.pathname);
  }
  return token;
}

function linkInvalidView(ctx, { missing }) {
  fill(ctx.main);
  pageStart(ctx, missing ? t('link.missing_title') : t('link.invalid_title'));
  add(ctx.main, 
    h('p', { class: 'lead' }, missing ? t('link.missing_text') : t('link.invalid_text')),
    h('p', null, t('link.invalid_rule')),
    h('section', { class: 'section card card-primary', 'aria-labelledby': 'new-link-title' },
      h('h2', { id: 'new-link-title' }, t('link.new_title')),
      h('p', null, t('signin.link_instruction')),
      emailLinkForm({ buttonLabel: t('link.new_button') })),
    h('p', null, t('link.ask_guide')),
    h('p', { class: 'link-row' }, h('a', { href: '/kirjaudu' }, t('link.to_signin'))));
}

export async function linkPage(ctx) {
  const fromHash = tokenFromHash();
  if (fromHash) {
    linkToken = fromHash;
    linkRefused = false;
  }
  if (!linkToken) {
    linkInvalidView(ctx, { missing: !linkRefused });
    return;
  }
  pageStart(ctx, t('link.title'));
  add(ctx.main, h('p', { role: 'status' }, t('link.signing_in')));
  const token = linkToken;
  try {
    const me = await signInWith('/api/v1/auth/email-link/redeem', { token });
    linkToken = null;
    await afterSignIn(ctx, me);
  } catch (err) {
    if (!ctx.alive()) return;
    // The account has the second factor on: the link is not used up yet, so ask for the code and
    // send the same token again with it.
    if (err instanceof ApiError && (err.code === 'mfa_required' || err.code === 'mfa_invalid')) {
      linkCodeView(ctx);
      return;
    }
    linkFailed(ctx, err);
  }
}

function linkFailed(ctx, err) {
  if (err instanceof ApiError && (err.code === 'link_invalid' || err.status === 400 || err.status === 401)) {
    linkToken = null;
    linkRefused = true;
    linkInvalidView(ctx, { missing: false });
    return;
  }
  const { title, detail } = errorMessage(err);
  const again = h('button', { type: 'button', class: 'button button-primary' }, t('link.try_again'));
  again.addEventListener('click', () => ctx.app.navigate('/linkki', { replace: true }));
  fill(ctx.main, h('h1', { tabindex: '-1' }, t('link.title')),
    notice('error', h('p', { role: 'alert' }, title), detail ? h('p', null, detail) : null),
    h('p', null, again));
}

/** /linkki for an account with the second factor on: the code, then the same token again. */
function linkCodeView(ctx) {
  fill(ctx.main);
  pageStart(ctx, t('link.totp_title'));
  const code = totpField({ name: 'totp', label: t('signin.totp_label'), hint: t('signin.totp_hint') });
  const form = h('form', { class: 'form', 'data-form': 'link-totp' },
    code.wrap, h('p', { class: 'actions' }, submitButton(t('link.totp_button'))));
  onSubmit(form, {
    validate: (v) => checkTotp(v, 'totp'),
    submit: async (v) => {
      const token = linkToken;
      if (!token) {
        linkInvalidView(ctx, { missing: false });
        return;
      }
      try {
        const me = await signInWith('/api/v1/auth/email-link/redeem', { token, totp: totpDigits(v.totp) });
        linkToken = null;
        await afterSignIn(ctx, me);
      } catch (err) {
        if (!ctx.alive()) return;
        if (err instanceof ApiError && (err.code === 'mfa_invalid' || err.code === 'mfa_required')) {
          showErrors(form, {
            title: t('signin.totp_invalid'),
            fieldErrors: [{ field: 'totp', message: t('signin.totp_invalid_field') }],
          });
          return;
        }
        if (err instanceof ApiError && (err.code === 'link_invalid' || err.status === 401)) {
          linkFailed(ctx, err);
          return;
        }
        throw err;
      }
    },
  });
  add(ctx.main,
    h('p', { class: 'lead' }, t('link.totp_text')),
    form,
    h('p', null, t('link.totp_no_phone'), ' ', h('a', { href: '/apua' }, t('signin.help_link'))));
}

let resetToken = null;

export async function passwordPage(ctx) {
  const fromHash = tokenFromHash();
  if (fromHash) resetToken = fromHash;
  if (resetToken) {
    newPasswordView(ctx);
    return;
  }
  requestResetView(ctx, { expired: false });
}

function requestResetView(ctx, { expired }) {
  fill(ctx.main);
  pageStart(ctx, t('reset.request_title'));
  const email = textField({ name: 'email', label: t('signin.email'), type: 'email', autocomplete: 'email', spellcheck: 'false' });
  const status = statusBox();
  const form = h('form', { class: 'form', 'data-form': 'password-reset' },
    email.wrap, h('p', { class: 'actions' }, submitButton(t('reset.request_button'))));
  onSubmit(form, {
    validate: (v) => checkEmail(v),
    submit: async (v) => {
      await post('/api/v1/auth/password-reset', { email: v.email.trim() });
      showStatus(status, [t('reset.requested'), t('reset.requested_next')]);
    },
  });
  add(ctx.main, 
    expired ? notice('error', h('p', null, t('reset.link_invalid'))) : null,
    h('p', { class: 'lead' }, t('reset.request_intro')),
    form, status,
    h('p', null, t('reset.no_password_needed'), ' ', h('a', { href: '/kirjaudu' }, t('link.to_signin'))));
}

function newPasswordView(ctx) {
  fill(ctx.main);
  pageStart(ctx, t('reset.new_title'));
  const pw = passwordField({ name: 'new_password', label: t('password.new'), hint: t('password.rules'), autocomplete: 'new-password' });
  const form = h('form', { class: 'form', 'data-form': 'password-new' },
    pw.wrap, h('p', { class: 'actions' }, submitButton(t('reset.new_button'))));
  onSubmit(form, {
    validate: (v) => checkNewPassword(v),
    submit: async (v) => {
      try {
        await post('/api/v1/auth/password-reset/complete', { token: resetToken, new_password: v.new_password });
      } catch (err) {
        if (err instanceof ApiError && (err.code === 'link_invalid' || ((err.status === 400 || err.status === 401) && !apiFieldErrors(err).length))) {
          resetToken = null;
          requestResetView(ctx, { expired: true });
          return;
        }
        throw err;
      }
      resetToken = null;
      ctx.app.navigate('/kirjaudu', { replace: true, flash: { text: t('reset.done'), kind: 'success' } });
    },
  });
  add(ctx.main, h('p', { class: 'lead' }, t('reset.new_intro')), form);
}

