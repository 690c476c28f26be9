// Course views shared by the guide (/ohjaus) and provider admin (/hallinta) pages.

import { h, srOnly } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { post } from '../api.js';
import {
  dataTable, facts, phaseLabel, stateLabel, languageName, targetGroupLabel, startRuleLabel,
  professionLabel, roleLabel, missingText, deadlineWarningText, courseWarningText, textList,
} from '../ui.js';
import { formatDate, formatDateTime } from '../format.js';
import { showStatus, errorMessage } from '../forms.js';

/** The list of courses with links to their pages. */
export function coursesTable(courses, { basePath }) {
  return dataTable({
    caption: t('courses.caption'),
    filename: 'kurssit',
    emptyText: t('courses.empty'),
    columns: [
      { label: t('course.title'), value: (c) => c.title, cell: (c) => h('a', { href: `${basePath}/kurssi/${c.id}`, lang: c.language || null }, c.title) },
      { label: t('course.site'), value: (c) => (c.site ? c.site.name : '') },
      { label: t('course.starts'), value: (c) => formatDate(c.schedule && c.schedule.onsite1_start, getLang()) },
      { label: t('course.phase'), value: (c) => phaseLabel(c) },
      { label: t('course.state'), value: (c) => stateLabel(c.state) },
      { label: t('course.participants'), value: (c) => t('course.participant_count', { n: c.participant_count ?? 0 }) },
    ],
    rows: courses,
  });
}

export function courseFacts(course) {
  return facts([
    [t('course.state'), stateLabel(course.state)],
    [t('course.phase'), phaseLabel(course)],
    [t('course.site'), course.site ? course.site.name : ''],
    [t('course.language'), languageName(course.language)],
    [t('course.target_group'), targetGroupLabel(course.target_group)],
    [t('course.participants'), t('course.participant_count', { n: course.participant_count ?? 0 })],
    course.start_rule ? [t('course.start_rule'), `${startRuleLabel(course.start_rule)} (R-GROUP-START)`] : null,
  ]);
}

/** The course's rule warnings as a text list (never colour alone). */
export function courseWarnings(course) {
  const warnings = Array.isArray(course.warnings) ? course.warnings : [];
  return h('div', { class: warnings.length ? 'notice notice-warning' : 'notice notice-info' },
    h('h3', null, t('course.warnings_title')),
    textList(warnings.map(courseWarningText), t('course.no_warnings')));
}

/** The team check result: complete, or a text list of what is missing (R-TEAM). */
export function teamCheck(check) {
  const missing = check && Array.isArray(check.missing) ? check.missing : [];
  if (check && check.complete) {
    return h('div', { class: 'notice notice-success' }, h('p', null, t('team.complete')));
  }
  return h('div', { class: 'notice notice-warning' },
    h('p', { class: 'notice-title' }, t('team.incomplete')),
    textList(missing.map(missingText), t('team.incomplete_unknown')));
}

export function teamTable(members, { actions } = {}) {
  const columns = [
    { label: t('person.name'), value: (m) => m.staff.display_name },
    { label: t('person.profession'), value: (m) => professionLabel(m.staff.profession) },
    { label: t('person.role'), value: (m) => roleLabel(m.staff.role) },
    { label: t('team.service_manager'), value: (m) => (m.service_manager ? t('common.yes') : t('common.no')) },
  ];
  if (actions) columns.push({ label: t('common.actions'), cell: actions });
  return dataTable({
    caption: t('team.caption'),
    filename: 'tiimi',
    emptyText: t('team.empty'),
    columns,
    rows: members,
  });
}

function deadlineLines(e) {
  const d = e.deadlines || {};
  const lang = getLang();
  return [
    [t('deadline.agree_by'), d.agree_by],
    [t('deadline.confirm_by'), d.confirm_by],
    [t('deadline.complete_by'), d.complete_by],
    [t('deadline.earliest_end'), d.earliest_end],
  ].filter(([, date]) => date).map(([label, date]) => `${label}: ${formatDate(date, lang)}`);
}

/** "Send sign-in link" for one participant (A10: a guide can resend the link). */
export function sendLinkButton(participant, status) {
  const button = h('button', { type: 'button', class: 'button button-secondary' },
    t('participants.send_link'), srOnly(`: ${participant.display_name}`));
  button.addEventListener('click', async () => {
    if (button.getAttribute('aria-busy') === 'true') return;
    button.setAttribute('aria-busy', 'true');
    try {
      await post(`/api/v1/participants/${encodeURIComponent(participant.id)}/send-link`);
      showStatus(status, t('participants.link_sent', { name: participant.display_name, email: participant.email || '' }));
    } catch (err) {
      const { title, detail } = errorMessage(err);
      showStatus(status, [title, detail].filter(Boolean), { kind: 'error' });
    } finally {
      button.removeAttribute('aria-busy');
    }
  });
  return button;
}

/**
 * Participants of a course. extraColumns are appended (admin: change guide, remove).
 * participantHref(e), when given, links each name to the participant's page.
 */
export function enrolmentsTable(enrolments, { status, extraColumns = [], sendLink = true, participantHref = null }) {
  const lang = getLang();
  const columns = [
    { label: t('person.name'), value: (e) => e.participant.display_name,
      cell: participantHref ? (e) => h('a', { href: participantHref(e), class: 'participant-link' }, e.participant.display_name) : null },
    { label: t('person.email'), value: (e) => e.participant.email, csvOnly: true },
    { label: t('enrolment.decision_date'), value: (e) => formatDate(e.decision_date, lang) },
    { label: t('enrolment.personal_guide'), value: (e) => (e.personal_guide ? e.personal_guide.display_name : t('enrolment.no_guide')) },
    {
      label: t('enrolment.deadlines'),
      value: (e) => deadlineLines(e).join('; '),
      cell: (e) => h('ul', { class: 'cell-list' }, deadlineLines(e).map((l) => h('li', null, l))),
    },
    {
      label: t('enrolment.warnings'),
      value: (e) => (e.warnings || []).map(deadlineWarningText).join('; '),
      cell: (e) => ((e.warnings || []).length
        ? h('ul', { class: 'cell-list warning-text' }, e.warnings.map((w) => h('li', null, deadlineWarningText(w))))
        : t('enrolment.no_warnings')),
    },
  ];
  if (sendLink) {
    columns.push({ label: t('common.actions'), cell: (e) => h('div', { class: 'cell-actions' }, sendLinkButton(e.participant, status), ...extraColumns.map((fn) => fn(e))) });
  }
  return dataTable({
    caption: t('enrolment.caption'),
    filename: 'osallistujat',
    emptyText: t('enrolment.empty'),
    columns,
    rows: enrolments,
  });
}

export function historyTable(history) {
  const lang = getLang();
  return dataTable({
    caption: t('history.caption'),
    filename: 'tilahistoria',
    emptyText: t('history.empty'),
    columns: [
      { label: t('history.at'), value: (r) => formatDateTime(r.at, lang) },
      { label: t('history.from'), value: (r) => (r.from ? stateLabel(r.from) : '–') },
      { label: t('history.to'), value: (r) => stateLabel(r.to) },
      { label: t('history.reason'), value: (r) => r.reason || '' },
      { label: t('history.actor'), value: (r) => (r.actor ? r.actor.display_name : '') },
    ],
    rows: history,
  });
}
