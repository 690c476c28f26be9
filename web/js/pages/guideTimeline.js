// A participant's timeline for the staff (issue 6 §3): what she did and what happened with the
// team, newest first, as sentences with the day and time (GET …/participants/{pid}/timeline,
// each read audited). Grouped by Helsinki day so a guide sees the rhythm of the weeks.

import { h } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { get } from '../api.js';
import { formatDate, formatTime, todayInHelsinki } from '../format.js';
import { pick } from '../content.js';
import { durationText } from '../ui.js';

function titleOf(value) {
  if (!value) return '';
  return pick(value).text.trim();
}

function eventText(e) {
  switch (e.kind) {
    case 'active': return t('timeline.active', { minutes: durationText(e.minutes) });
    case 'completed': return t('timeline.completed', { module: e.module_number ?? '?', title: titleOf(e.title) || e.item_id });
    case 'answered': return t('timeline.answered', { module: e.module_number, title: titleOf(e.title) || e.item_id });
    case 'task_log': {
      const base = t(e.done ? 'timeline.task_done' : 'timeline.task_not_done', { task: e.task, date: formatDate(e.date, getLang()) });
      const rating = e.rating ? ` ${t('timeline.rating', { n: e.rating })}` : '';
      return `${base}${rating}${e.note ? ` ”${e.note}”` : ''}`;
    }
    case 'message': return t(e.room === 'private' ? 'timeline.message_private' : 'timeline.message_group', { text: e.text })
      + (e.hidden ? ` ${t('timeline.hidden')}` : '');
    case 'contact': return t('timeline.contact', {
      kind: t(`meetings.kind.${e.contact_kind}`), method: t(`meetings.method.${e.method}`).toLowerCase(),
      status: t(`gguid.status.${e.status}`) });
    case 'guidance': return t('timeline.guidance', {
      kind: t(`meetings.entry_kind.${e.guidance_kind}`), minutes: durationText(e.minutes), who: e.professional });
    default: return e.kind;
  }
}

/** The section body: days as headings, events as a list under each. */
export async function drawTimeline(env) {
  const { cid, pidq } = env;
  const line = await get(`/api/v1/courses/${cid}/participants/${pidq}/timeline`);
  const events = Array.isArray(line.events) ? line.events : [];
  if (!events.length) return h('p', null, t('timeline.empty'));
  const lang = getLang();
  const days = new Map();
  for (const item of events) {
    const day = todayInHelsinki(new Date(item.at));
    if (!days.has(day)) days.set(day, []);
    days.get(day).push(item);
  }
  return [
    h('ol', { class: 'timeline' }, [...days].map(([day, items]) => h('li', { class: 'timeline-day' },
      h('h3', null, formatDate(day, lang)),
      h('ul', { class: 'text-list' }, items.map((item) => h('li', { 'data-kind': item.event.kind },
        h('time', { datetime: item.at }, item.event.kind === 'active' ? '' : `${formatTime(item.at, lang)} `),
        eventText(item.event))))))),
    line.truncated ? h('p', null, t('timeline.truncated')) : null,
  ];
}
