// A20: fi, sv and en have exactly the same message keys, with the same {placeholders}.
// Also: every key the code asks for exists, and no English UI words slip into fi/sv (A13).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths.mjs';

const WEB = path.join(REPO_ROOT, 'web');
const load = (lang) => JSON.parse(fs.readFileSync(path.join(WEB, 'locales', `${lang}.json`), 'utf8'));
const locales = { fi: load('fi'), sv: load('sv'), en: load('en') };

function sourceFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'locales') out.push(...sourceFiles(full));
    } else if (/\.m?js$/.test(entry.name)) out.push(full);
  }
  return out;
}

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('fi, sv and en have the same keys (A20)', () => {
  const fiKeys = Object.keys(locales.fi).sort();
  for (const lang of ['sv', 'en']) {
    const keys = Object.keys(locales[lang]).sort();
    const missing = fiKeys.filter((k) => !(k in locales[lang]));
    const extra = keys.filter((k) => !(k in locales.fi));
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${lang} differs from fi`);
  }
});

test('no message is empty and placeholders match across languages', () => {
  for (const [key, fi] of Object.entries(locales.fi)) {
    for (const lang of ['fi', 'sv', 'en']) {
      const text = locales[lang][key];
      assert.equal(typeof text, 'string', `${lang}:${key} is not a string`);
      assert.ok(text.trim().length > 0, `${lang}:${key} is empty`);
      assert.deepEqual(placeholders(text), placeholders(fi), `${lang}:${key} placeholders differ from fi`);
    }
  }
});

test('every message key used in the code exists', () => {
  const used = new Set();
  for (const file of sourceFiles(WEB)) {
    const src = fs.readFileSync(file, 'utf8');
    for (const m of src.matchAll(/\bt(?:Or)?\(\s*'([a-z0-9_.]+)'/g)) used.add(m[1]);
    for (const m of src.matchAll(/label:\s*'([a-z_]+\.[a-z0-9_.]+)'/g)) used.add(m[1]);
  }
  // Keys built from codes: every code the API documents must have a text.
  const families = {
    'chrome.language_name_': ['fi', 'sv', 'en'],
    'language.': ['fi', 'sv', 'en'],
    'role.': ['participant', 'guide', 'provider_admin', 'platform_admin'],
    'course.state.': ['planned', 'confirmed', 'running', 'finished', 'cancelled'],
    'course.phase.': ['not_started', 'onsite1', 'remote', 'onsite2', 'follow_up', 'completed'],
    'course.target.': ['adult', 'child'],
    'course.start_rule.': ['must_start', 'may_start_with_confirmation', 'cannot_start'],
    'state.to.': ['confirmed', 'running', 'finished', 'cancelled'],
    'status.': ['invited', 'active', 'disabled'],
    'warning.': ['agree_late', 'confirm_late', 'window_exceeded', 'total_too_short'],
    'team.missing.': ['physician', 'nurse', 'physiotherapist', 'social_professional', 'optional_professionals', 'service_manager', 'service_manager_not_licensed'],
    'profession.': ['physician', 'registered_nurse', 'public_health_nurse', 'physiotherapist', 'social_worker', 'socionom',
      'rehabilitation_instructor', 'occupational_therapist', 'nutritionist', 'nutrition_advisor', 'psychologist',
      'exercise_instructor', 'practical_nurse', 'other'],
  };
  for (const [prefix, codes] of Object.entries(families)) for (const c of codes) used.add(prefix + c);
  const missing = [...used].filter((k) => !(k in locales.fi)).sort();
  assert.deepEqual(missing, [], 'keys used in web/ but missing from the locale files');
});

test('no English UI words in the Finnish and Swedish texts (A13)', () => {
  const banned = /\b(dashboard|submit|upload|download|login|logout|log in|sign in|settings|password|click|email)\b/i;
  for (const lang of ['fi', 'sv']) {
    for (const [key, text] of Object.entries(locales[lang])) {
      if (key.startsWith('chrome.language_name_') || key.startsWith('a11y.authority_')) continue;
      assert.ok(!banned.test(text.replace(/\{\w+\}/g, '')), `${lang}:${key} has an English UI word: ${text}`);
    }
  }
});

test('the skip link and help words are the agreed ones (A7, A12)', () => {
  assert.equal(locales.fi['chrome.skip_link'], 'Siirry sisältöön');
  assert.equal(locales.sv['chrome.skip_link'], 'Till innehållet');
  assert.equal(locales.en['chrome.skip_link'], 'Skip to content');
  assert.deepEqual([locales.fi['nav.help'], locales.sv['nav.help'], locales.en['nav.help']], ['Apua', 'Hjälp', 'Help']);
  assert.equal(locales.fi['week.of'].replace('{n}', 5).replace('{total}', 12), 'Viikko 5/12');
  assert.equal(locales.sv['week.of'].replace('{n}', 5).replace('{total}', 12), 'Vecka 5/12');
});

test('index.html has no inline script, inline style or event handler attribute (CSP, S15)', () => {
  const html = fs.readFileSync(path.join(WEB, 'index.html'), 'utf8');
  assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/i.test(html), 'inline <script>');
  assert.ok(!/\sstyle\s*=/i.test(html), 'style attribute');
  assert.ok(!/\son[a-z]+\s*=/i.test(html), 'inline event handler');
  assert.ok(!/<style/i.test(html), '<style> element');
  for (const file of sourceFiles(WEB)) {
    const src = fs.readFileSync(file, 'utf8');
    assert.ok(!/innerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/.test(src), `${path.relative(WEB, file)} builds markup from strings or evals`);
    assert.ok(!/\.style\.|setAttribute\(\s*'style'/.test(src), `${path.relative(WEB, file)} sets inline styles`);
    assert.ok(!/https?:\/\/(?!www\.(saavutettavuusvaatimukset|tillganglighetskrav|webaccessibility)\.fi)/.test(src.replace(/\/\/.*$/gm, '')), `${path.relative(WEB, file)} refers to an outside address`);
  }
});
