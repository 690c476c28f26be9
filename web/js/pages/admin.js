// The provider admin's pages (/hallinta…): courses, one course (schedule, team, enrolment, state),
// staff, participants and sites. Denser than the participant views, but the same rules apply:
// visible labels, errors next to fields and in a summary, status messages that stay (A8, A22, A24).

import { h, srOnly, add, fill } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { get, post, patch, put, del } from '../api.js';
import {
  textField, textareaField, selectField, checkboxField, radioGroup, submitButton, onSubmit,
  statusBox, showStatus, enableDraft, clearDraft, requireText, checkEmail, errorMessage, showErrors,
  apiFieldErrors, clearErrors,
} from '../forms.js';
import {
  loading, errorPanel, dataTable, section, scheduleTable, stateLabel, roleLabel, languageName,
  professionLabel, notice,
} from '../ui.js';
import { isMonday, formatDate } from '../format.js';
import { loadCourseProgram, courseProgramSection } from './program.js';
import { participantPath } from './guideParticipant.js';
import { loadMonitoringSection } from './guideMonitoring.js';
import {
  coursesTable, courseFacts, courseWarnings, teamCheck, teamTable, enrolmentsTable, historyTable,
  sendLinkButton,
} from './courseParts.js';
import { ledgerExportSection } from './overview.js';

const LANG_OPTIONS = () => [
  { value: 'fi', label: t('language.fi') },
  { value: 'sv', label: t('language.sv') },
  { value: 'en', label: t('language.en') },
];
const COURSE_LANG_OPTIONS = () => [
  { value: 'fi', label: t('language.fi') },
  { value: 'sv', label: t('language.sv') },
];

function pageStart(ctx, title, intro) {
  ctx.setTitle(title);
  const flash = statusBox();
  if (ctx.flash) showStatus(flash, ctx.flash.text, { kind: ctx.flash.kind || 'success' });
  add(ctx.main, h('h1', { tabindex: '-1' }, title), intro ? h('p', { class: 'lead' }, intro) : null, flash);
  return flash;
}

function announce(box, text, kind = 'success') {
  showStatus(box, text, { kind });
  box.setAttribute('tabindex', '-1');
  box.focus();
}

function startDateProblems(values, field) {
  const value = values[field];
  if (!value) return [{ field, message: t('validation.start_missing') }];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return [{ field, message: t('validation.date_format') }];
  if (!isMonday(value)) return [{ field, message: t('validation.start_not_monday') }];
  return [];
}

// ---- courses ---------------------------------------------------------------------------------

export async function adminCoursesPage(ctx) {
  pageStart(ctx, t('admin.courses_title'), t('admin.courses_intro'));
  const tableSlot = h('div', null, loading());
  const formSlot = h('div', null);
  add(ctx.main, 
    section(t('admin.courses_list'), tableSlot),
    h('section', { class: 'section card', 'aria-labelledby': 'new-course-title' },
      h('h2', { id: 'new-course-title' }, t('admin.new_course')), formSlot));
  let courses;
  let sites;
  try {
    [courses, sites] = await Promise.all([get('/api/v1/courses'), get('/api/v1/sites')]);
  } catch (err) {
    if (ctx.alive()) fill(tableSlot, errorPanel(err));
    return;
  }
  if (!ctx.alive()) return;
  fill(tableSlot, coursesTable(courses, { basePath: '/hallinta' }));

  if (!sites.length) {
    fill(formSlot, notice('info', h('p', null, t('admin.no_sites'), ' ',
      h('a', { href: '/hallinta/toimipisteet' }, t('admin.add_site_first')))));
    return;
  }
  const title = textField({ name: 'title', label: t('course.title'), hint: t('admin.course_title_hint') });
  const site = selectField({ name: 'site_id', label: t('course.site'), placeholderLabel: t('form.choose'),
    options: sites.map((s) => ({ value: s.id, label: `${s.name} (${s.municipality})` })) });
  const language = selectField({ name: 'language', label: t('course.language'), options: COURSE_LANG_OPTIONS(), value: getLang() === 'sv' ? 'sv' : 'fi' });
  const group = radioGroup({ name: 'target_group', legend: t('course.target_group'), value: 'adult', options: [
    { value: 'adult', label: t('course.target.adult') },
    { value: 'child', label: t('course.target.child') },
  ] });
  const startDate = textField({ name: 'onsite1_start', label: t('admin.start_date'), type: 'date', hint: t('admin.start_date_hint') });
  const form = h('form', { class: 'form', 'data-form': 'course-create' },
    title.wrap, site.wrap, language.wrap, group.wrap, startDate.wrap,
    h('p', { class: 'actions' }, submitButton(t('admin.create_course'))));
  enableDraft(form, 'course-create');
  onSubmit(form, {
    validate: (v) => [
      ...requireText(v, 'title', t('validation.title_missing')),
      ...requireText(v, 'site_id', t('validation.site_missing')),
      ...startDateProblems(v, 'onsite1_start'),
    ],
    submit: async (v) => {
      const created = await post('/api/v1/courses', {
        title: v.title.trim(), language: v.language, target_group: v.target_group,
        site_id: v.site_id, onsite1_start: v.onsite1_start,
      });
      clearDraft('course-create');
      ctx.app.navigate(`/hallinta/kurssi/${created.id}`, { flash: { text: t('admin.course_created') } });
    },
  });
  fill(formSlot, form);
}

const TRANSITIONS = {
  planned: ['confirmed', 'cancelled'],
  confirmed: ['running', 'cancelled'],
  running: ['finished', 'cancelled'],
  finished: [],
  cancelled: [],
};

export async function adminCoursePage(ctx) {
  const id = encodeURIComponent(ctx.params.id);
  pageStart(ctx, t('course.page_title'));
  const heading = ctx.main.querySelector('h1');
  ctx.main.prepend(h('p', { class: 'breadcrumb' }, h('a', { href: '/hallinta' }, t('guide.back_to_courses'))));
  const slot = h('div', null, loading());
  add(ctx.main, slot);

  const statuses = {
    edit: statusBox(), team: statusBox(), enrol: statusBox(), state: statusBox(), program: statusBox(),
  };

  async function load() {
    const [course, enrolments, team, history, staff, participants, sites, program, programs, progress] = await Promise.all([
      get(`/api/v1/courses/${id}`),
      get(`/api/v1/courses/${id}/participants`),
      get(`/api/v1/courses/${id}/team`),
      get(`/api/v1/courses/${id}/history`),
      get('/api/v1/staff'),
      get('/api/v1/participants'),
      get('/api/v1/sites'),
      loadCourseProgram(ctx.params.id),
      // Only an organisation's own admins have programs; anyone else gets an empty list here.
      get('/api/v1/programs').catch(() => []),
      // The participants' monitoring rows; shows its own error in its section.
      loadMonitoringSection({ courseId: ctx.params.id, basePath: '/hallinta' }),
    ]);
    return { course, enrolments, team, history, staff, participants, sites, program, programs, progress };
  }

  /** Reloads everything and shows the message in the section where the action was taken. */
  async function reload(where, message) {
    let data;
    try {
      data = await load();
    } catch (err) {
      fill(slot, errorPanel(err));
      return;
    }
    if (!ctx.alive()) return;
    draw(data);
    if (where && message) announce(statuses[where], message);
  }

  function draw(data) {
    const { course } = data;
    heading.textContent = course.title;
    if (course.language) heading.lang = course.language; // A2: a Swedish course's name inside a Finnish page
    ctx.setTitle(course.title);
    for (const box of Object.values(statuses)) showStatus(box, null);
    fill(slot, 
      courseFacts(course),
      courseWarnings(course),
      data.progress,
      scheduleSection(data),
      programSection(data),
      teamSection(data),
      enrolSection(data),
      stateSection(data),
      ledgerExportSection(course.id),
      section(t('history.title'), historyTable(data.history)));
  }

  function scheduleSection({ course, sites }) {
    const s = course.schedule || {};
    const title = textField({ name: 'title', label: t('course.title'), value: course.title });
    const site = selectField({ name: 'site_id', label: t('course.site'), value: course.site ? course.site.id : '',
      options: sites.map((x) => ({ value: x.id, label: `${x.name} (${x.municipality})` })) });
    const startDate = textField({ name: 'onsite1_start', label: t('admin.start_date'), type: 'date', value: s.onsite1_start, hint: t('admin.start_date_hint') });
    const followEnd = textField({ name: 'follow_up_end', label: t('admin.follow_up_end'), type: 'date', value: s.follow_up_end, hint: t('admin.follow_up_end_hint'), optional: true });
    const form = h('form', { class: 'form', 'data-form': 'course-edit' },
      title.wrap, site.wrap, startDate.wrap, followEnd.wrap,
      h('p', { class: 'actions' }, submitButton(t('admin.save_changes'))));
    onSubmit(form, {
      validate: (v) => [
        ...requireText(v, 'title', t('validation.title_missing')),
        ...startDateProblems(v, 'onsite1_start'),
      ],
      submit: async (v) => {
        const body = {};
        if (v.title.trim() !== course.title) body.title = v.title.trim();
        if (v.site_id && (!course.site || v.site_id !== course.site.id)) body.site_id = v.site_id;
        if (v.onsite1_start !== s.onsite1_start) body.onsite1_start = v.onsite1_start;
        if (v.follow_up_end && v.follow_up_end !== s.follow_up_end) body.follow_up_end = v.follow_up_end;
        if (!Object.keys(body).length) {
          announce(statuses.edit, t('admin.nothing_changed'), 'info');
          return;
        }
        await patch(`/api/v1/courses/${id}`, body);
        await reload('edit', t('admin.course_saved'));
      },
    });
    return h('section', { class: 'section', 'aria-labelledby': 'schedule-title' },
      h('h2', { id: 'schedule-title' }, t('schedule.title')),
      scheduleTable(course),
      h('h3', null, t('admin.edit_course')),
      statuses.edit,
      form);
  }

  function programSection({ program, programs }) {
    const versions = [];
    for (const p of programs || []) {
      for (const v of p.versions || []) versions.push({ program: p, version: v });
    }
    const originalTitle = program && Array.isArray(program.title) && program.title[0] ? program.title[0][1] : null;
    const chosen = program
      ? versions.find((x) => x.version.version === program.version && x.program.title === originalTitle) : null;
    let extra;
    if (!versions.length) {
      extra = h('p', null, t('program.no_versions'), ' ', h('a', { href: '/hallinta/ohjelmat' }, t('program.go_import')));
    } else {
      const lang = getLang();
      const version = selectField({
        name: 'version_id', label: t('program.choose_version'), hint: t('program.choose_version_hint'),
        placeholderLabel: t('form.choose'), value: chosen ? chosen.version.id : '',
        options: versions.map(({ program: p, version: v }) => ({
          value: v.id,
          label: `${p.title}, ${t('program.version_n', { n: v.version })} (${formatDate(v.imported_at, lang)}, ${v.source_name})`,
        })),
      });
      const release = radioGroup({
        name: 'release', legend: t('program.release'), value: program ? program.release : 'weekly',
        options: [
          { value: 'weekly', label: t('program.release_weekly_choice') },
          { value: 'all', label: t('program.release_all_choice') },
        ],
      });
      const form = h('form', { class: 'form', 'data-form': 'course-program' },
        version.wrap, release.wrap, h('p', { class: 'actions' }, submitButton(t('program.save'))));
      onSubmit(form, {
        validate: (v) => requireText(v, 'version_id', t('validation.version_missing')),
        submit: async (v) => {
          await put(`/api/v1/courses/${id}/program`, { version_id: v.version_id, release: v.release || 'weekly' });
          await reload('program', t('program.saved'));
        },
      });
      extra = [h('h3', null, t('program.choose_title')), form];
    }
    return courseProgramSection(program, { courseId: id, basePath: '/hallinta', status: statuses.program, extra });
  }

  function teamSection({ team, staff }) {
    const members = team.members || [];
    const memberIds = new Set(members.map((m) => m.staff.id));
    const removeButton = (m) => {
      const b = h('button', { type: 'button', class: 'button button-danger' }, t('team.remove'), srOnly(`: ${m.staff.display_name}`));
      b.addEventListener('click', async () => {
        try {
          await del(`/api/v1/courses/${id}/team/${encodeURIComponent(m.staff.id)}`);
          await reload('team', t('team.removed', { name: m.staff.display_name }));
        } catch (err) {
          const { title, detail } = errorMessage(err);
          announce(statuses.team, [title, detail].filter(Boolean), 'error');
        }
      });
      return b;
    };
    const available = staff.filter((s) => !memberIds.has(s.id) && s.status !== 'disabled');
    const who = selectField({ name: 'staff_id', label: t('team.add_who'), placeholderLabel: t('form.choose'),
      options: available.map((s) => ({ value: s.id, label: `${s.display_name}, ${professionLabel(s.profession)}` })) });
    const manager = checkboxField({ name: 'service_manager', label: t('team.service_manager_checkbox'), hint: t('team.service_manager_hint') });
    const form = h('form', { class: 'form', 'data-form': 'team-add' },
      who.wrap, manager.wrap, h('p', { class: 'actions' }, submitButton(t('team.add_button'))));
    onSubmit(form, {
      validate: (v) => requireText(v, 'staff_id', t('validation.staff_missing')),
      submit: async (v) => {
        const body = { staff_id: v.staff_id };
        if (v.service_manager) body.service_manager = true;
        await post(`/api/v1/courses/${id}/team`, body);
        const added = staff.find((s) => s.id === v.staff_id);
        await reload('team', t('team.added', { name: added ? added.display_name : '' }));
      },
    });
    return h('section', { class: 'section', 'aria-labelledby': 'team-title' },
      h('h2', { id: 'team-title' }, t('team.title')),
      teamCheck(team.check),
      statuses.team,
      teamTable(members, { actions: removeButton }),
      h('h3', null, t('team.add_title')),
      available.length ? form : h('p', null, t('team.nobody_to_add')));
  }

  function enrolSection({ course, enrolments, team, participants }) {
    const members = (team.members || []).map((m) => m.staff);
    const guideOptions = members.map((s) => ({ value: s.id, label: `${s.display_name}, ${professionLabel(s.profession)}` }));
    const changeGuide = (e) => {
      const field = selectField({ name: 'staff_id', label: t('enrolment.change_guide_label', { name: e.participant.display_name }),
        value: e.personal_guide ? e.personal_guide.id : '', placeholderLabel: t('form.choose'), options: guideOptions });
      const f = h('form', { class: 'form form-inline', 'data-form': 'change-guide' }, field.wrap,
        h('p', { class: 'actions' }, submitButton(t('enrolment.change_guide'), { variant: 'secondary' })));
      onSubmit(f, {
        validate: (v) => requireText(v, 'staff_id', t('validation.guide_missing')),
        submit: async (v) => {
          await put(`/api/v1/courses/${id}/participants/${encodeURIComponent(e.participant.id)}/personal-guide`, { staff_id: v.staff_id });
          await reload('enrol', t('enrolment.guide_changed', { name: e.participant.display_name }));
        },
      });
      return f;
    };
    const removeButton = (e) => {
      const b = h('button', { type: 'button', class: 'button button-danger' }, t('enrolment.remove'), srOnly(`: ${e.participant.display_name}`));
      b.addEventListener('click', async () => {
        try {
          await del(`/api/v1/courses/${id}/participants/${encodeURIComponent(e.participant.id)}`);
          await reload('enrol', t('enrolment.removed', { name: e.participant.display_name }));
        } catch (err) {
          const { title, detail } = errorMessage(err);
          announce(statuses.enrol, [title, detail].filter(Boolean), 'error');
        }
      });
      return b;
    };

    const free = participants.filter((p) => !p.course && p.status !== 'disabled');
    const who = selectField({ name: 'participant_id', label: t('enrolment.add_who'), placeholderLabel: t('form.choose'),
      options: free.map((p) => ({ value: p.id, label: `${p.display_name} (${p.email})` })) });
    const decision = textField({ name: 'decision_date', label: t('enrolment.decision_date'), type: 'date', hint: t('enrolment.decision_date_hint') });
    const guide = selectField({ name: 'personal_guide_id', label: t('enrolment.personal_guide'), optional: true,
      placeholderLabel: t('enrolment.choose_later'), options: guideOptions });
    const form = h('form', { class: 'form', 'data-form': 'enrol' },
      who.wrap, decision.wrap, guide.wrap, h('p', { class: 'actions' }, submitButton(t('enrolment.add_button'))));
    onSubmit(form, {
      validate: (v) => [
        ...requireText(v, 'participant_id', t('validation.participant_missing')),
        ...(v.decision_date ? [] : [{ field: 'decision_date', message: t('validation.decision_missing') }]),
      ],
      submit: async (v) => {
        const body = { participant_id: v.participant_id, decision_date: v.decision_date };
        if (v.personal_guide_id) body.personal_guide_id = v.personal_guide_id;
        await post(`/api/v1/courses/${id}/participants`, body);
        const p = participants.find((x) => x.id === v.participant_id);
        await reload('enrol', t('enrolment.added', { name: p ? p.display_name : '' }));
      },
    });
    const count = enrolments.length;
    return h('section', { class: 'section', 'aria-labelledby': 'enrol-title' },
      h('h2', { id: 'enrol-title' }, t('enrolment.title')),
      h('p', null, t('enrolment.count', { n: count })),
      statuses.enrol,
      enrolmentsTable(enrolments, { status: statuses.enrol, extraColumns: [changeGuide, removeButton],
        participantHref: (e) => participantPath('/hallinta', course.id, e.participant.id) }),
      h('h3', null, t('enrolment.add_title')),
      count >= 12 ? notice('info', h('p', null, t('enrolment.full'))) : (free.length ? form : h('p', null, t('enrolment.nobody_to_add'), ' ', h('a', { href: '/hallinta/osallistujat' }, t('enrolment.invite_first')))));
  }

  function stateSection({ course }) {
    const targets = TRANSITIONS[course.state] || [];
    const reason = textareaField({ name: 'reason', label: t('state.reason'), hint: t('state.reason_hint'), rows: 3, optional: true });
    const form = h('form', { class: 'form', 'data-form': 'transition', novalidate: true },
      reason.wrap,
      h('div', { class: 'actions button-row' }, targets.map((to) => h('button', {
        type: 'submit', name: 'to', value: to,
        class: `button ${to === 'cancelled' ? 'button-danger' : 'button-primary'}`,
      }, t(`state.to.${to}`)))));
    let busy = false;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (busy) return;
      const to = event.submitter && event.submitter.value;
      if (!to) return;
      busy = true;
      clearErrors(form);
      const body = { to };
      const text = form.elements.reason.value.trim();
      if (text) body.reason = text;
      try {
        await post(`/api/v1/courses/${id}/transitions`, body);
        await reload('state', t('state.changed', { state: stateLabel(to) }));
      } catch (err) {
        const { title, detail } = errorMessage(err);
        showErrors(form, { title, detail, fieldErrors: apiFieldErrors(err) });
      } finally {
        busy = false;
      }
    });
    return h('section', { class: 'section', 'aria-labelledby': 'state-title' },
      h('h2', { id: 'state-title' }, t('state.title')),
      h('p', null, t('state.current', { state: stateLabel(course.state) })),
      h('p', null, t('state.rules')),
      statuses.state,
      targets.length ? form : h('p', null, t('state.final')));
  }

  try {
    const data = await load();
    if (!ctx.alive()) return;
    draw(data);
  } catch (err) {
    if (ctx.alive()) fill(slot, errorPanel(err));
  }
}

// ---- staff, participants, sites ---------------------------------------------------------------

/** A list page with a table and an add form; the table reloads after adding. */
async function listPage(ctx, { title, intro, listTitle, formTitle, path, table, buildForm }) {
  pageStart(ctx, title, intro);
  const tableSlot = h('div', null, loading());
  const status = statusBox();
  const formSlot = h('div', null);
  add(ctx.main, section(listTitle, status, tableSlot),
    h('section', { class: 'section card', 'aria-labelledby': 'add-title' },
      h('h2', { id: 'add-title' }, formTitle), formSlot));

  async function refreshTable() {
    try {
      const rows = await get(path);
      if (ctx.alive()) fill(tableSlot, table(rows, status));
    } catch (err) {
      if (ctx.alive()) fill(tableSlot, errorPanel(err));
    }
  }
  const form = await buildForm({
    done: async (message) => {
      await refreshTable();
      announce(status, message);
    },
  });
  if (!ctx.alive()) return;
  fill(formSlot, form);
  await refreshTable();
}

export async function staffPage(ctx) {
  await listPage(ctx, {
    title: t('staff.title'),
    intro: t('staff.intro'),
    listTitle: t('staff.list'),
    formTitle: t('staff.add_title'),
    path: '/api/v1/staff',
    table: (rows) => dataTable({
      caption: t('staff.caption'),
      filename: 'henkilosto',
      emptyText: t('staff.empty'),
      columns: [
        { label: t('person.name'), value: (s) => s.display_name },
        { label: t('person.email'), value: (s) => s.email },
        { label: t('person.role'), value: (s) => roleLabel(s.role) },
        { label: t('person.profession'), value: (s) => professionLabel(s.profession) },
        { label: t('person.language'), value: (s) => languageName(s.language) },
        { label: t('person.status'), value: (s) => t(`status.${s.status}`) },
        { label: t('staff.mfa'), value: (s) => (s.mfa_enabled ? t('staff.mfa_on') : t('staff.mfa_off')) },
      ],
      rows,
    }),
    buildForm: async ({ done }) => {
      let professions = [];
      try {
        professions = await get('/api/v1/professions');
      } catch {
        professions = [];
      }
      const lang = getLang();
      const name = textField({ name: 'display_name', label: t('person.name'), autocomplete: 'off' });
      const email = textField({ name: 'email', label: t('person.email'), type: 'email', spellcheck: 'false' });
      const role = selectField({ name: 'role', label: t('person.role'), value: 'guide', options: [
        { value: 'guide', label: roleLabel('guide') },
        { value: 'provider_admin', label: roleLabel('provider_admin') },
      ] });
      const profession = selectField({ name: 'profession', label: t('person.profession'), placeholderLabel: t('form.choose'),
        options: professions.map((p) => ({ value: p.code, label: p[lang] || p.fi || p.code })) });
      const language = selectField({ name: 'language', label: t('person.language'), options: LANG_OPTIONS(), value: lang });
      const form = h('form', { class: 'form', 'data-form': 'staff-add' },
        name.wrap, email.wrap, role.wrap, profession.wrap, language.wrap,
        h('p', { class: 'hint' }, t('staff.invite_note')),
        h('p', { class: 'actions' }, submitButton(t('staff.add_button'))));
      enableDraft(form, 'staff-add');
      onSubmit(form, {
        validate: (v) => [
          ...requireText(v, 'display_name', t('validation.name_missing')),
          ...checkEmail(v),
          ...requireText(v, 'profession', t('validation.profession_missing')),
        ],
        submit: async (v) => {
          await post('/api/v1/staff', {
            email: v.email.trim(), display_name: v.display_name.trim(), role: v.role,
            profession: v.profession, language: v.language,
          });
          clearDraft('staff-add');
          form.reset();
          await done(t('staff.added', { name: v.display_name.trim(), email: v.email.trim() }));
        },
      });
      return form;
    },
  });
}

export async function participantsPage(ctx) {
  await listPage(ctx, {
    title: t('participants.title'),
    intro: t('participants.intro'),
    listTitle: t('participants.list'),
    formTitle: t('participants.add_title'),
    path: '/api/v1/participants',
    table: (rows, status) => dataTable({
      caption: t('participants.caption'),
      filename: 'osallistujat',
      emptyText: t('participants.empty'),
      columns: [
        { label: t('person.name'), value: (p) => p.display_name },
        { label: t('person.email'), value: (p) => p.email },
        { label: t('person.language'), value: (p) => languageName(p.language) },
        { label: t('person.status'), value: (p) => t(`status.${p.status}`) },
        {
          label: t('participants.course'),
          value: (p) => (p.course ? p.course.title : t('participants.no_course')),
          cell: (p) => (p.course ? h('a', { href: `/hallinta/kurssi/${p.course.id}` }, p.course.title) : t('participants.no_course')),
        },
        { label: t('common.actions'), cell: (p) => sendLinkButton(p, status) },
      ],
      rows,
    }),
    buildForm: async ({ done }) => {
      const name = textField({ name: 'display_name', label: t('person.name') });
      const email = textField({ name: 'email', label: t('person.email'), type: 'email', spellcheck: 'false' });
      const language = selectField({ name: 'language', label: t('person.language'), options: LANG_OPTIONS(), value: getLang() });
      const form = h('form', { class: 'form', 'data-form': 'participant-add' },
        name.wrap, email.wrap, language.wrap,
        h('p', { class: 'hint' }, t('participants.invite_note')),
        h('p', { class: 'actions' }, submitButton(t('participants.add_button'))));
      enableDraft(form, 'participant-add');
      onSubmit(form, {
        validate: (v) => [
          ...requireText(v, 'display_name', t('validation.name_missing')),
          ...checkEmail(v),
        ],
        submit: async (v) => {
          await post('/api/v1/participants', { email: v.email.trim(), display_name: v.display_name.trim(), language: v.language });
          clearDraft('participant-add');
          form.reset();
          await done(t('participants.added', { name: v.display_name.trim(), email: v.email.trim() }));
        },
      });
      return form;
    },
  });
}

export async function sitesPage(ctx) {
  await listPage(ctx, {
    title: t('sites.title'),
    intro: t('sites.intro'),
    listTitle: t('sites.list'),
    formTitle: t('sites.add_title'),
    path: '/api/v1/sites',
    table: (rows) => dataTable({
      caption: t('sites.caption'),
      filename: 'toimipisteet',
      emptyText: t('sites.empty'),
      columns: [
        { label: t('sites.name'), value: (s) => s.name },
        { label: t('sites.municipality'), value: (s) => s.municipality },
      ],
      rows,
    }),
    buildForm: async ({ done }) => {
      const name = textField({ name: 'name', label: t('sites.name') });
      const municipality = textField({ name: 'municipality', label: t('sites.municipality') });
      const form = h('form', { class: 'form', 'data-form': 'site-add' },
        name.wrap, municipality.wrap, h('p', { class: 'actions' }, submitButton(t('sites.add_button'))));
      enableDraft(form, 'site-add');
      onSubmit(form, {
        validate: (v) => [
          ...requireText(v, 'name', t('validation.site_name_missing')),
          ...requireText(v, 'municipality', t('validation.municipality_missing')),
        ],
        submit: async (v) => {
          await post('/api/v1/sites', { name: v.name.trim(), municipality: v.municipality.trim() });
          clearDraft('site-add');
          form.reset();
          await done(t('sites.added', { name: v.name.trim() }));
        },
      });
      return form;
    },
  });
}

