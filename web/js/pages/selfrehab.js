// /omakuntoutus: the participant's self-rehabilitation (issue 4). Today's tasks with one-click
// logging, every task with what/when/how long and who still has to accept it, a week view of the
// logs with the guide's feedback, adherence as text first with a table-chart (A17), a form to add
// a task from the program's suggestions or freely, and "Omat tavoitteeni" (GAS goals, 1–3).
// Sentences are short and plain (A13). Every action answers in a persistent status (A22).

import { h, add, fill, focusElement, uid } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { get, post, put, patch, del, ApiError } from '../api.js';
import {
  textField, textareaField, selectField, checkboxField, radioGroup, submitButton, onSubmit, statusBox, showStatus,
  errorMessage,
} from '../forms.js';
import { loading, errorPanel, notice, rangeText } from '../ui.js';
import { formatDate, formatDateTime, todayInHelsinki, mondayOf, addDays } from '../format.js';
import { pick, pickText } from '../content.js';
import {
  DAY_ORDER, LEVELS, howOftenText, minutesText, doneOfPlanned, weekOf, levelNumber, levelMeaning, logButtons, barTable,
  shortDate,
} from '../journey.js';

const MAX_GOALS = 3;

async function getOrNull(path) {
  try {
    return await get(path);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** Task suggestions of the program: the `task` items of the open modules. */
async function loadSuggestions() {
  const overview = await getOrNull('/api/v1/me/program').catch(() => null);
  if (!overview || !Array.isArray(overview.modules)) return [];
  const open = overview.modules.filter((m) => m.open);
  const modules = await Promise.all(open.map((m) => getOrNull(`/api/v1/me/program/modules/${m.number}`).catch(() => null)));
  const out = [];
  modules.forEach((mod, i) => {
    if (!mod) return;
    for (const item of mod.items || []) {
      if (item.kind === 'task' && !item.hidden) out.push({ module: open[i].number, item });
    }
  });
  return out;
}

function plainText(localizedHtml) {
  const html = pick(localizedHtml).text;
  const doc = new DOMParser().parseFromString(String(html || ''), 'text/html');
  for (const li of doc.querySelectorAll('li')) li.append('\n');
  for (const p of doc.querySelectorAll('p')) p.append('\n');
  return doc.body.textContent.replace(/[ \t]+/g, ' ').replace(/\n\s*\n+/g, '\n').trim();
}

export async function selfRehabPage(ctx) {
  ctx.setTitle(t('selfrehab.title'));
  const slot = h('div', null, loading());
  add(ctx.main, h('h1', { tabindex: '-1' }, t('selfrehab.title')), slot);
  let tasksData;
  let goalsData;
  let suggestions;
  try {
    [tasksData, goalsData, suggestions] = await Promise.all([
      getOrNull('/api/v1/me/tasks'),
      getOrNull('/api/v1/me/goals'),
      loadSuggestions(),
    ]);
  } catch (err) {
    if (ctx.alive()) fill(slot, errorPanel(err));
    return;
  }
  if (!ctx.alive()) return;
  if (!tasksData) {
    fill(slot, notice('info', h('p', null, t('participant.no_course')), h('p', null, t('participant.no_course_next'))));
    return;
  }
  const state = {
    today: tasksData.today || todayInHelsinki(),
    tasks: Array.isArray(tasksData.tasks) ? tasksData.tasks : [],
    goals: goalsData && Array.isArray(goalsData.goals) ? goalsData.goals : [],
    suggestions,
    editingGoal: null,
  };
  const preset = new URLSearchParams(location.search).get('ehdotus');
  const status = statusBox();
  if (ctx.flash) showStatus(status, ctx.flash.text, { kind: ctx.flash.kind || 'success' });
  const body = h('div', null);

  const reloadTasks = async () => {
    const fresh = await get('/api/v1/me/tasks');
    state.today = fresh.today || state.today;
    state.tasks = fresh.tasks || [];
  };
  const reloadGoals = async () => {
    const fresh = await get('/api/v1/me/goals');
    state.goals = fresh.goals || [];
  };
  /** After an action: draw again and say what happened, with focus on the message. */
  const announce = (text, kind = 'success') => {
    if (!ctx.alive()) return;
    render();
    showStatus(status, text, { kind });
    focusElement(status);
  };
  const run = async (button, work, doneText) => {
    if (button.getAttribute('aria-busy') === 'true') return;
    button.setAttribute('aria-busy', 'true');
    try {
      await work();
      announce(doneText);
    } catch (err) {
      showStatus(status, errorMessage(err).title, { kind: 'error' });
      focusElement(status);
    } finally {
      button.removeAttribute('aria-busy');
    }
  };

  function render() {
    const active = state.tasks.filter((task) => task.status !== 'ended');
    const ended = state.tasks.filter((task) => task.status === 'ended');
    const due = active.filter((task) => task.due_today);
    fill(body,
      h('p', { class: 'lead' }, t('selfrehab.intro')),
      todaySection(due),
      tasksSection(active),
      ended.length ? endedSection(ended) : null,
      addTaskSection(),
      goalsSection());
  }

  // ---- today -----------------------------------------------------------------------------------

  function todaySection(due) {
    return h('section', { class: 'section card card-primary', 'aria-labelledby': 'sr-today-title', id: 'sr-today' },
      h('h2', { id: 'sr-today-title' }, t('selfrehab.today_title', { date: formatDate(state.today, getLang()) })),
      due.length
        ? h('ul', { class: 'task-list' }, due.map((task) => todayRow(task)))
        : h('p', null, t('selfrehab.today_none')));
  }

  function todayRow(task) {
    const titleId = uid('sr-today-task');
    const extra = h('div', null);
    const showExtra = (log) => fill(extra, log ? logDetailsForm(task, log) : null);
    const row = h('li', { class: 'task-row', 'data-task': task.id },
      h('p', { class: 'task-name', id: titleId }, task.title,
        task.minutes ? h('span', { class: 'task-minutes' }, ` (${minutesText(task.minutes)})`) : null),
      logButtons(task, {
        titleId,
        date: state.today,
        onLogged: (log) => {
          task.today_log = log;
          showExtra(log);
        },
      }),
      extra);
    showExtra(task.today_log);
    return row;
  }

  /** "Miten meni?": an optional 1–5 rating and a note for today's log. */
  function logDetailsForm(task, log) {
    const formStatus = statusBox();
    const rating = radioGroup({
      name: 'rating',
      legend: t('selfrehab.rating_legend'),
      value: log.rating ? String(log.rating) : undefined,
      options: [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: t(`selfrehab.rating_${n}`) })),
    });
    const note = textareaField({ name: 'note', label: t('selfrehab.note_label'), optional: true, rows: 3, value: log.note || '', maxlength: 2000 });
    const form = h('form', { class: 'form log-form', 'data-form': `log-${task.id}` },
      rating.wrap, note.wrap, h('p', { class: 'actions' }, submitButton(t('selfrehab.note_save'), { variant: 'secondary' })), formStatus);
    onSubmit(form, {
      submit: async (v) => {
        const body = { done: log.done };
        if (v.rating) body.rating = Number(v.rating);
        if (v.note && v.note.trim()) body.note = v.note.trim();
        const saved = await put(`/api/v1/me/tasks/${encodeURIComponent(task.id)}/logs/${log.date || state.today}`, body);
        Object.assign(log, saved);
        showStatus(formStatus, t('selfrehab.note_saved'));
      },
    });
    return h('details', { class: 'log-details' }, h('summary', null, t('selfrehab.how_did_it_go')), form);
  }

  // ---- the tasks -----------------------------------------------------------------------------------

  function tasksSection(active) {
    return h('section', { class: 'section', 'aria-labelledby': 'sr-tasks-title', id: 'sr-tasks' },
      h('h2', { id: 'sr-tasks-title' }, t('selfrehab.tasks_title')),
      active.length ? active.map((task) => taskCard(task)) : h('p', null, t('selfrehab.tasks_none')));
  }

  /** "Tavoite 1: Ulkoilen" when the task is linked to one of the goals. */
  function goalOf(task) {
    const id = task.goal ? task.goal.id : task.goal_id;
    const g = id ? state.goals.find((x) => x.id === id) : null;
    if (g) return `${t('goals.goal_n', { n: g.position })}: ${g.title}`;
    return task.goal ? task.goal.title : null;
  }

  function agreementText(task) {
    if (task.agreed) {
      const who = task.guide_accepted_by ? task.guide_accepted_by.display_name : null;
      return who ? t('selfrehab.agreed_with', { name: who }) : t('selfrehab.agreed');
    }
    if (!task.participant_accepted_at) return t('selfrehab.waiting_for_you');
    return t('selfrehab.waiting_for_guide');
  }

  function taskCard(task) {
    const titleId = `task-${task.id}-title`;
    const thisWeek = weekOf(task.adherence, state.today);
    const accept = !task.participant_accepted_at
      ? h('button', { type: 'button', class: 'button button-primary', 'data-action': 'accept-task', 'aria-describedby': titleId }, t('selfrehab.accept'))
      : null;
    if (accept) {
      accept.addEventListener('click', () => run(accept, async () => {
        await post(`/api/v1/me/tasks/${encodeURIComponent(task.id)}/accept?version=${encodeURIComponent(task.version)}`);
        await reloadTasks();
      }, t('selfrehab.accepted')));
    }
    const end = h('button', { type: 'button', class: 'button button-secondary', 'data-action': 'end-task', 'aria-describedby': titleId }, t('selfrehab.end'));
    end.addEventListener('click', () => run(end, async () => {
      await post(`/api/v1/me/tasks/${encodeURIComponent(task.id)}/end`);
      await reloadTasks();
    }, t('selfrehab.ended', { title: task.title })));

    const adherence = task.adherence || { done: 0, planned: 0, weeks: [] };
    return h('section', { class: 'card task-card', 'aria-labelledby': titleId, 'data-task': task.id },
      h('h3', { id: titleId }, task.title),
      task.details ? h('p', { class: 'task-details' }, task.details) : null,
      h('dl', { class: 'facts' },
        h('dt', null, t('selfrehab.when')), h('dd', null, howOftenText(task) || '–'),
        h('dt', null, t('selfrehab.how_long')), h('dd', null, task.minutes ? minutesText(task.minutes) : t('selfrehab.no_minutes')),
        h('dt', null, t('selfrehab.period')), h('dd', null, `${rangeText(task.start_date, task.end_date)} (${task.weeks === 1 ? t('selfrehab.weeks_one') : t('selfrehab.weeks', { n: task.weeks })})`),
        goalOf(task) ? [h('dt', null, t('selfrehab.goal_fact')), h('dd', null, goalOf(task))] : null,
        h('dt', null, t('selfrehab.agreement')), h('dd', { class: task.agreed ? 'agreed' : 'not-agreed' }, agreementText(task))),
      accept ? h('p', { class: 'actions' }, accept) : null,
      h('h4', null, t('selfrehab.adherence_title')),
      h('p', { class: 'adherence-week' }, `${t('selfrehab.this_week')}: ${doneOfPlanned(thisWeek ? thisWeek.done : 0, thisWeek ? thisWeek.planned : 0)}.`),
      h('p', { class: 'adherence-total' }, `${t('selfrehab.all_weeks')}: ${doneOfPlanned(adherence.done, adherence.planned)}.`),
      weekLogTable(task),
      adherenceChart(task),
      feedbackList(task),
      h('p', { class: 'actions' }, end));
  }

  /** This week's days, Monday first: what was logged each day (A16: weeks start on Monday). */
  function weekLogTable(task) {
    const monday = mondayOf(state.today);
    const logs = new Map((Array.isArray(task.logs) ? task.logs : []).map((l) => [l.date, l]));
    const planned = (day) => {
      if (day < task.start_date || day > task.end_date) return false;
      if (Array.isArray(task.days)) return task.days.includes(DAY_ORDER[(new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7]);
      return true;
    };
    const rows = DAY_ORDER.map((d, i) => addDays(monday, i)).map((day) => {
      const log = logs.get(day);
      let text;
      if (log) text = log.done ? t('selfrehab.day_done') : t('selfrehab.day_skipped');
      else if (day > state.today) text = t('selfrehab.day_future');
      else if (!planned(day)) text = t('selfrehab.day_free');
      else text = t('selfrehab.day_none');
      const extra = log ? [log.rating ? t('selfrehab.rating_short', { n: log.rating }) : null, log.note].filter(Boolean).join('. ') : '';
      return { day, text, extra, today: day === state.today };
    });
    const captionId = uid('weeklog');
    return h('div', { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-labelledby': captionId },
      h('table', { class: 'data-table week-log' },
        h('caption', { id: captionId }, t('selfrehab.week_caption', { title: task.title })),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, t('selfrehab.day')),
          h('th', { scope: 'col' }, t('selfrehab.logged')),
          h('th', { scope: 'col' }, t('selfrehab.note_col')))),
        h('tbody', null, rows.map((r) => h('tr', { class: r.today ? 'row-today' : null },
          h('th', { scope: 'row' }, shortDate(r.day), r.today ? ` (${t('selfrehab.today_word')})` : ''),
          h('td', null, r.text),
          h('td', null, r.extra || '–'))))));
  }

  /** Done / planned per week up to now, as a table that also draws bars (A17). */
  function adherenceChart(task) {
    const weeks = ((task.adherence && task.adherence.weeks) || []).filter((w) => w.start <= state.today);
    if (!weeks.length) return null;
    return barTable({
      caption: t('selfrehab.chart_caption', { title: task.title }),
      head: t('selfrehab.chart_week'),
      valueHead: t('selfrehab.chart_done'),
      rows: weeks.map((w) => ({
        label: t('selfrehab.week_from', { date: shortDate(w.start) }),
        value: w.done,
        max: w.planned || 1,
        text: doneOfPlanned(w.done, w.planned),
      })),
    });
  }

  /** The guide's feedback on the logs, newest log first. */
  function feedbackList(task) {
    const logs = (Array.isArray(task.logs) ? task.logs : []).filter((l) => Array.isArray(l.feedback) && l.feedback.length);
    if (!logs.length) return null;
    return h('div', { class: 'feedback' },
      h('h4', null, t('selfrehab.feedback_title')),
      h('ul', { class: 'my-comments' }, logs.flatMap((l) => l.feedback.map((f) => h('li', { class: 'my-comment' },
        h('p', { class: 'comment-meta' }, h('strong', null, f.author ? f.author.display_name : ''), ' ',
          h('span', { class: 'muted' }, `${t('selfrehab.feedback_on', { date: formatDate(l.date, getLang()) })}, ${formatDateTime(f.created_at, getLang())}`)),
        h('p', { class: 'comment-body' }, f.body))))));
  }

  function endedSection(ended) {
    return h('section', { class: 'section', 'aria-labelledby': 'sr-ended-title', id: 'sr-ended' },
      h('h2', { id: 'sr-ended-title' }, t('selfrehab.ended_title')),
      h('ul', { class: 'text-list' }, ended.map((task) => h('li', null,
        h('strong', null, task.title), `. ${doneOfPlanned((task.adherence || {}).done || 0, (task.adherence || {}).planned || 0)}.`))));
  }

  // ---- adding a task ----------------------------------------------------------------------------

  function addTaskSection() {
    const sugg = state.suggestions;
    const choice = sugg.length ? selectField({
      name: 'source_item_id',
      label: t('selfrehab.suggestion_label'),
      hint: t('selfrehab.suggestion_hint'),
      placeholderLabel: t('selfrehab.suggestion_own'),
      options: sugg.map((s) => ({ value: s.item.id, label: `${t('program.week', { n: s.module })}: ${pickText(s.item.title)}` })),
      optional: true,
    }) : null;
    const title = textField({ name: 'title', label: t('selfrehab.title_label'), hint: t('selfrehab.title_hint'), maxlength: 200 });
    const details = textareaField({ name: 'details', label: t('selfrehab.details_label'), optional: true, rows: 4, maxlength: 2000 });
    const mode = radioGroup({ name: 'mode', legend: t('selfrehab.mode_legend'), value: 'days', options: [
      { value: 'days', label: t('selfrehab.mode_days') },
      { value: 'times', label: t('selfrehab.mode_times') },
    ] });
    const dayBoxes = DAY_ORDER.map((d) => checkboxField({ name: `day-${d}`, label: t(`selfrehab.day_name.${d}`) }));
    const daysSet = h('fieldset', { class: 'field fieldset days-field', 'data-field': 'days' },
      h('legend', { class: 'field-label' }, t('selfrehab.days_legend')),
      h('p', { class: 'field-error', hidden: true }),
      h('div', { class: 'day-grid' }, dayBoxes.map((b) => b.wrap)));
    const times = selectField({ name: 'times_per_week', label: t('selfrehab.times_label'), value: '3',
      options: [1, 2, 3, 4, 5, 6, 7].map((n) => ({ value: String(n), label: n === 1 ? t('journey.times_one') : t('journey.times', { n }) })) });
    const weeks = selectField({ name: 'weeks', label: t('selfrehab.weeks_label'), value: '4',
      options: Array.from({ length: 12 }, (_, i) => i + 1).map((n) => ({ value: String(n), label: n === 1 ? t('selfrehab.weeks_one') : t('selfrehab.weeks', { n }) })) });
    const minutes = textField({ name: 'minutes', label: t('selfrehab.minutes_label'), hint: t('selfrehab.minutes_hint'), optional: true, inputmode: 'numeric', maxlength: 4 });
    const goals = [...state.goals].sort((a, b) => a.position - b.position);
    const goal = goals.length ? selectField({
      name: 'goal_id',
      label: t('selfrehab.goal_label'),
      hint: t('selfrehab.goal_hint'),
      placeholderLabel: t('selfrehab.goal_none'),
      options: goals.map((g) => ({ value: g.id, label: `${t('goals.goal_n', { n: g.position })}: ${g.title}` })),
      optional: true,
    }) : null;
    // Only the fields of the chosen way are on the page (hidden fields would still be read).
    const modeSlot = h('div', { class: 'mode-slot' });
    const showMode = () => {
      const byDays = mode.inputs.find((i) => i.checked)?.value !== 'times';
      fill(modeSlot, byDays ? daysSet : times.wrap);
    };
    for (const i of mode.inputs) i.addEventListener('change', showMode);
    const applySuggestion = (itemId) => {
      const found = sugg.find((s) => s.item.id === itemId);
      if (!found) return;
      const it = found.item;
      title.input.value = pickText(it.title);
      details.input.value = plainText(it.instructions);
      const days = Array.isArray(it.days) ? it.days : null;
      mode.inputs.forEach((i) => { i.checked = i.value === (days ? 'days' : 'times'); });
      dayBoxes.forEach((b, k) => { b.input.checked = Boolean(days && days.includes(DAY_ORDER[k])); });
      if (it.times_per_week) times.input.value = String(it.times_per_week);
      if (it.weeks) weeks.input.value = String(Math.min(12, it.weeks));
      minutes.input.value = it.minutes ? String(it.minutes) : '';
      showMode();
    };
    if (choice) choice.input.addEventListener('change', () => applySuggestion(choice.input.value));

    const form = h('form', { class: 'form', 'data-form': 'task-add' },
      choice ? choice.wrap : null, title.wrap, details.wrap, mode.wrap, modeSlot, weeks.wrap, minutes.wrap, goal ? goal.wrap : null,
      h('p', { class: 'actions' }, submitButton(t('selfrehab.add_submit'))));
    onSubmit(form, {
      validate: (v) => {
        const problems = [];
        if (!String(v.title || '').trim()) problems.push({ field: 'title', message: t('selfrehab.title_missing') });
        if (v.mode !== 'times' && !DAY_ORDER.some((d) => v[`day-${d}`])) problems.push({ field: 'days', message: t('selfrehab.days_missing') });
        const m = String(v.minutes || '').trim();
        if (m && !(/^\d+$/.test(m) && Number(m) >= 1 && Number(m) <= 1440)) problems.push({ field: 'minutes', message: t('selfrehab.minutes_invalid') });
        return problems;
      },
      submit: async (v) => {
        const body = { title: v.title.trim(), weeks: Number(v.weeks) };
        if (v.details && v.details.trim()) body.details = v.details.trim();
        if (v.mode === 'times') body.times_per_week = Number(v.times_per_week);
        else body.days = DAY_ORDER.filter((d) => v[`day-${d}`]);
        if (String(v.minutes || '').trim()) body.minutes = Number(v.minutes);
        if (v.source_item_id) body.source_item_id = v.source_item_id;
        if (v.goal_id) body.goal_id = v.goal_id;
        await post('/api/v1/me/tasks', body);
        await reloadTasks();
        announce(t('selfrehab.added', { title: body.title }));
      },
    });
    if (choice && preset && sugg.some((s) => s.item.id === preset)) {
      choice.input.value = preset;
      applySuggestion(preset);
    }
    showMode();
    return h('section', { class: 'section card', 'aria-labelledby': 'sr-add-title', id: 'sr-add' },
      h('h2', { id: 'sr-add-title' }, t('selfrehab.add_title')),
      h('p', null, t('selfrehab.add_intro')),
      form);
  }

  // ---- goals (GAS) -------------------------------------------------------------------------------

  function goalsSection() {
    const goals = [...state.goals].sort((a, b) => a.position - b.position);
    return h('section', { class: 'section', 'aria-labelledby': 'goals-title', id: 'goals' },
      h('h2', { id: 'goals-title' }, t('goals.title')),
      h('p', null, t('goals.intro')),
      h('p', null, t('goals.intro_levels')),
      goals.length ? goals.map((g) => (state.editingGoal === g.id ? goalForm(g) : goalCard(g))) : h('p', { id: 'goals-none' }, t('goals.none')),
      goals.length < MAX_GOALS && !state.editingGoal ? goalForm(null) : null,
      goals.length >= MAX_GOALS ? h('p', null, t('goals.max_reached')) : null);
  }

  function ratingText(level, at) {
    return t('goals.rated', { level: levelNumber(level), meaning: levelMeaning(level), date: formatDate(at, getLang()) });
  }

  function goalCard(g) {
    const titleId = `goal-${g.id}-title`;
    const locked = g.baseline !== null && g.baseline !== undefined;
    const edit = h('button', { type: 'button', class: 'button button-secondary', 'data-action': 'edit-goal', 'aria-describedby': titleId }, t('goals.edit'));
    edit.addEventListener('click', () => {
      state.editingGoal = g.id;
      render();
      const field = body.querySelector('form[data-form="goal-edit"] input[name="title"]');
      if (field) field.focus();
    });
    const remove = h('button', { type: 'button', class: 'button button-danger', 'data-action': 'delete-goal', 'aria-describedby': titleId }, t('goals.delete'));
    remove.addEventListener('click', () => run(remove, async () => {
      await del(`/api/v1/me/goals/${encodeURIComponent(g.id)}`);
      await reloadGoals();
    }, t('goals.deleted')));
    const levels = g.levels || {};
    return h('section', { class: 'card goal-card', 'aria-labelledby': titleId, 'data-goal': g.id },
      h('h3', { id: titleId }, t('goals.goal_n', { n: g.position }), ': ', g.title),
      h('ul', { class: 'gas-levels' }, LEVELS.map((l) => h('li', { class: `gas-level${String(g.baseline) === l ? ' gas-baseline' : ''}${String(g.attainment) === l ? ' gas-attained' : ''}` },
        h('span', { class: 'gas-number' }, levelNumber(l)), ' ',
        h('span', { class: 'gas-meaning' }, `(${levelMeaning(l)}): `),
        levels[l] || '–'))),
      h('p', { class: 'gas-rating' }, h('strong', null, `${t('goals.baseline')}: `),
        locked ? ratingText(g.baseline, g.baseline_at) : t('goals.baseline_pending')),
      h('p', { class: 'gas-rating' }, h('strong', null, `${t('goals.attainment')}: `),
        g.attainment !== null && g.attainment !== undefined ? ratingText(g.attainment, g.attained_at) : t('goals.attainment_pending')),
      locked ? h('p', { class: 'muted' }, t('goals.locked')) : h('div', { class: 'button-row' }, edit, remove));
  }

  function goalForm(g) {
    const editing = Boolean(g);
    const title = textField({ name: 'title', label: t('goals.title_label'), hint: t('goals.title_hint'), value: g ? g.title : '', maxlength: 300 });
    const levelFields = LEVELS.map((l) => textField({
      name: `levels.${l}`,
      label: t('goals.level_label', { level: levelNumber(l), meaning: levelMeaning(l) }),
      hint: l === '0' ? t('goals.level_0_hint') : null,
      value: g && g.levels ? g.levels[l] : '',
      maxlength: 500,
    }));
    const cancel = editing ? h('button', { type: 'button', class: 'button button-secondary' }, t('goals.cancel')) : null;
    if (cancel) {
      cancel.addEventListener('click', () => {
        state.editingGoal = null;
        render();
        focusElement(document.getElementById(`goal-${g.id}-title`));
      });
    }
    const formTitleId = uid('goal-form');
    const form = h('form', { class: 'form', 'data-form': editing ? 'goal-edit' : 'goal-add', 'aria-labelledby': formTitleId },
      title.wrap,
      h('fieldset', { class: 'fieldset' }, h('legend', { class: 'field-label' }, t('goals.levels_legend')),
        h('p', { class: 'hint' }, t('goals.levels_hint')),
        levelFields.map((f) => f.wrap)),
      h('p', { class: 'actions button-row' }, submitButton(editing ? t('goals.save') : t('goals.add_submit')), cancel));
    onSubmit(form, {
      validate: (v) => {
        const problems = [];
        if (!String(v.title || '').trim()) problems.push({ field: 'title', message: t('goals.title_missing') });
        for (const l of LEVELS) {
          if (!String(v[`levels.${l}`] || '').trim()) problems.push({ field: `levels.${l}`, message: t('goals.level_missing', { level: levelNumber(l) }) });
        }
        return problems;
      },
      submit: async (v) => {
        const body = { title: v.title.trim(), levels: Object.fromEntries(LEVELS.map((l) => [l, v[`levels.${l}`].trim()])) };
        if (editing) await patch(`/api/v1/me/goals/${encodeURIComponent(g.id)}`, body);
        else await post('/api/v1/me/goals', body);
        state.editingGoal = null;
        await reloadGoals();
        announce(editing ? t('goals.saved') : t('goals.added'));
      },
    });
    return h('section', { class: 'card goal-form-card', 'aria-labelledby': formTitleId },
      h('h3', { id: formTitleId }, editing ? t('goals.edit_title') : t('goals.add_title')),
      form);
  }

  render();
  fill(slot, status, body);
}

