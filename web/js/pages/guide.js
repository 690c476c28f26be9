// The guide's pages: their courses (/ohjaus) and one course (/ohjaus/kurssi/{id}).

import { h, add, fill } from '../dom.js';
import { t } from '../i18n.js';
import { get } from '../api.js';
import { loading, errorPanel, scheduleTable, section } from '../ui.js';
import { statusBox } from '../forms.js';
import { coursesTable, courseFacts, courseWarnings, teamCheck, teamTable, enrolmentsTable } from './courseParts.js';
import { loadCourseProgram, courseProgramSection } from './program.js';
import { participantPath } from './guideParticipant.js';
import { loadMonitoringSection } from './guideMonitoring.js';
import { guideAlertsSection } from './guideAlerts.js';
import { guideChatSection, guideUnreadSection } from './chat.js';
import { ledgerExportSection } from './overview.js';

export async function guideCoursesPage(ctx) {
  ctx.setTitle(t('guide.courses_title'));
  const slot = h('div', null, loading());
  add(ctx.main, h('h1', { tabindex: '-1' }, t('guide.courses_title')),
    h('p', { class: 'lead' }, t('guide.courses_intro')), slot);
  try {
    const [courses, messages] = await Promise.all([get('/api/v1/courses'), guideUnreadSection()]);
    if (!ctx.alive()) return;
    fill(slot, messages, coursesTable(courses, { basePath: '/ohjaus' }));
  } catch (err) {
    if (ctx.alive()) fill(slot, errorPanel(err));
  }
}

export async function guideCoursePage(ctx) {
  const id = encodeURIComponent(ctx.params.id);
  ctx.setTitle(t('course.page_title'));
  const heading = h('h1', { tabindex: '-1' }, t('course.page_title'));
  const slot = h('div', null, loading());
  add(ctx.main, h('p', { class: 'breadcrumb' }, h('a', { href: '/ohjaus' }, t('guide.back_to_courses'))), heading, slot);
  let course;
  let enrolments;
  let team;
  let program;
  let monitoring;
  let alerts;
  let chat;
  try {
    [course, enrolments, team, program, monitoring, alerts, chat] = await Promise.all([
      get(`/api/v1/courses/${id}`),
      get(`/api/v1/courses/${id}/participants`),
      get(`/api/v1/courses/${id}/team`),
      loadCourseProgram(ctx.params.id),
      // Shows its own error in its section, so the rest of the page still works without it.
      loadMonitoringSection({ courseId: ctx.params.id, basePath: '/ohjaus' }),
      // The open alerts with acknowledging; never fails the page either.
      guideAlertsSection({ courseId: ctx.params.id, basePath: '/ohjaus' }),
      // The course chat's link and unread count; never fails the page.
      guideChatSection(ctx.params.id),
    ]);
  } catch (err) {
    if (ctx.alive()) fill(slot, errorPanel(err));
    return;
  }
  if (!ctx.alive()) return;
  heading.textContent = course.title;
  if (course.language) heading.lang = course.language; // A2: a Swedish course's name inside a Finnish page
  ctx.setTitle(course.title);
  const linkStatus = statusBox();
  fill(slot, 
    courseFacts(course),
    courseWarnings(course),
    chat,
    monitoring,
    alerts,
    section(t('schedule.title'), scheduleTable(course)),
    courseProgramSection(program, { courseId: id, basePath: '/ohjaus' }),
    section(t('enrolment.title'),
      h('p', null, t('guide.participants_intro')),
      linkStatus,
      enrolmentsTable(enrolments, { status: linkStatus,
        participantHref: (e) => participantPath('/ohjaus', course.id, e.participant.id) })),
    section(t('team.title'),
      teamCheck(team.check),
      teamTable(team.members || [])),
    ledgerExportSection(course.id));
}
