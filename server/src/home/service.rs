//! Assembling the participant's home from the course, progress, tasks, goals and notices.

use std::collections::HashSet;
use std::sync::OnceLock;

use chrono::{DateTime, Days, NaiveDate, Utc};
use etapolku_content::model::Localized;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::config::VideoUrlTemplate;
use crate::contacts::model::MyContact;
use crate::courses::model::TeamContact;
use crate::courses::schedule::Phase;
use crate::courses::schedule::{helsinki_today, monday_of};
use crate::courses::service::schedule_of;
use crate::db::{list_agg, split_list};
use crate::entity::course;
use crate::error::{AppError, AppResult};
use crate::home::guidance::{self, HomeGuidance, guidance_part};
use crate::progress::outline::{Outline, outline_of_version};
use crate::progress::service::module_counts;
use crate::selfrehab::model::TaskStatus;
use crate::selfrehab::plan;
use crate::selfrehab::service::{plan_from, rhythm_from};
use crate::team::profession::Profession;

#[derive(Debug, Serialize, ToSchema)]
pub struct Week {
    /// Monday.
    pub start: NaiveDate,
    /// Sunday.
    pub end: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnfinishedItem {
    pub item_id: String,
    #[schema(value_type = Vec<Vec<String>>)]
    pub title: Localized,
    /// `page`, `video`, … as in the module JSON.
    pub kind: &'static str,
}

/// This week's module: the one of the current remote week (the last one after the remote period).
#[derive(Debug, Serialize, ToSchema)]
pub struct ThisWeeksModule {
    pub number: usize,
    #[schema(value_type = Vec<Vec<String>>)]
    pub title: Localized,
    pub opens_on: NaiveDate,
    pub done: usize,
    pub required: usize,
    pub unfinished: Vec<UnfinishedItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressLine {
    pub completed_modules: usize,
    pub total_modules: usize,
    pub completed_items: usize,
    pub total_items: usize,
}

/// How today's log of a task went, as the participant wrote it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TodayLog {
    pub date: NaiveDate,
    pub done: bool,
    pub note: Option<String>,
    pub rating: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskToday {
    pub id: Uuid,
    pub title: String,
    pub minutes: Option<i32>,
    pub today_log: Option<TodayLog>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Home {
    /// `not_started`, `onsite1`, `remote`, `onsite2`, `follow_up` or `completed`.
    pub phase: &'static str,
    /// 1–12 during the remote period.
    pub remote_week: Option<u8>,
    pub week: Week,
    pub personal_guide: Option<TeamContact>,
    /// `null` when the course has no program yet or the remote period has not begun.
    pub module: Option<ThisWeeksModule>,
    /// `null` when the course has no program yet.
    pub progress: Option<ProgressLine>,
    /// Tasks of the participant's plan due today, with today's log when there is one.
    pub tasks_today: Vec<TaskToday>,
    pub goals_set: u64,
    /// The next open contact with the team (planned, confirmed or waiting for a new time).
    pub next_contact: Option<MyContact>,
    /// Guidance minutes in the remote period against the 240.
    pub guidance: HomeGuidance,
    /// Unread chat messages of the course's group room and the participant's own thread.
    pub unread_messages: Option<u64>,
    pub unread_notifications: u64,
}

pub async fn home<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    now: DateTime<Utc>,
    video: Option<&VideoUrlTemplate>,
) -> AppResult<Home> {
    let today = helsinki_today(now);
    let ctx = context(db, participant_id, today).await?;
    let c = &ctx.course;
    let schedule = schedule_of(c)?;
    let phase = schedule.phase_on(today);
    let remote_week = phase.remote_week();
    let monday = match remote_week {
        Some(w) => schedule.remote_start + Days::new(7 * u64::from(w - 1)),
        None => monday_of(today),
    };
    let outline = match (c.program_version_id, ctx.version_uuid) {
        (Some(id), Some(uuid)) => Some(outline_of_version(db, id, uuid).await?),
        _ => None,
    };
    let completed: HashSet<&str> = split_list(Some(&ctx.completed)).collect();
    let (guidance, next_contact) = guidance_part(&ctx.row, &schedule, now, video)?;
    let (module, progress) = match &outline {
        Some(outline) => {
            let module = this_weeks_module(c, outline, &completed, &phase)?;
            let counts = module_counts(outline, &completed);
            let total = crate::progress::rules::program_count(&counts);
            (
                module,
                Some(ProgressLine {
                    completed_modules: total.completed_modules,
                    total_modules: total.total_modules,
                    completed_items: total.completed_items,
                    total_items: total.total_items,
                }),
            )
        }
        None => (None, None),
    };
    Ok(Home {
        phase: phase.code(),
        remote_week,
        week: Week {
            start: monday,
            end: monday + Days::new(6),
        },
        personal_guide: ctx.guide,
        module,
        progress,
        tasks_today: tasks_today(&ctx.tasks, today)?,
        goals_set: ctx.goals,
        next_contact,
        guidance,
        unread_messages: Some(ctx.unread_messages),
        unread_notifications: ctx.unread,
    })
}

/// The module of the current remote week; the last module after the remote period; none before.
fn this_weeks_module(
    c: &course::Model,
    outline: &Outline,
    completed: &HashSet<&str>,
    phase: &Phase,
) -> AppResult<Option<ThisWeeksModule>> {
    let index = match phase {
        Phase::Remote { week } => usize::from(*week) - 1,
        Phase::Onsite2 | Phase::FollowUp | Phase::Completed => usize::MAX,
        Phase::NotStarted | Phase::Onsite1 => return Ok(None),
    };
    let Some(m) = outline
        .modules
        .get(index)
        .or_else(|| outline.modules.last().filter(|_| index == usize::MAX))
    else {
        return Ok(None);
    };
    let unfinished: Vec<UnfinishedItem> = m
        .items
        .iter()
        .filter(|it| !completed.contains(it.id.as_str()))
        .map(|it| UnfinishedItem {
            item_id: it.id.clone(),
            title: it.title.clone(),
            kind: it.kind,
        })
        .collect();
    Ok(Some(ThisWeeksModule {
        number: m.number,
        title: m.title.clone(),
        opens_on: crate::content::delivery::opens_on(c, m.number - 1)?,
        done: m.items.len() - unfinished.len(),
        required: m.items.len(),
        unfinished,
    }))
}

/// The participant's current course with what the home shows beside it.
struct Context {
    course: course::Model,
    version_uuid: Option<Uuid>,
    guide: Option<TeamContact>,
    unread: u64,
    unread_messages: u64,
    goals: u64,
    /// Ids of the completed items, folded into one value (`db::list_agg`: one row instead of one per item).
    completed: String,
    /// The active tasks started by today, as a JSON array of [`TaskRow`] (one value, not one row each).
    tasks: String,
    /// The row itself, for the guidance part's columns (`guidance::columns`).
    row: sea_orm::QueryResult,
}

/// One statement for the course (as `my_course_row` picks it), its program version, the personal
/// guide, the active tasks with today's log (as one JSON array), the guidance part
/// (`guidance::columns`: credited minutes and the next contact), unread notices, unread chat messages (counted as `chat::rooms::unread` counts them: the
/// group room and the own private thread; the read marker is joined before the messages so only
/// the unread tail of a long room is read, by the (room, seq) index), goals set and completed
/// items: the home is read often, and every statement (and every row) costs a round trip to the
/// database.
fn context_sql(backend: DbBackend) -> &'static str {
    // Built once per database: the text does not change, and the home is read often.
    static SQLITE: OnceLock<String> = OnceLock::new();
    static POSTGRES: OnceLock<String> = OnceLock::new();
    let cell = match backend {
        DbBackend::Postgres => &POSTGRES,
        _ => &SQLITE,
    };
    cell.get_or_init(|| crate::db::for_backend(backend, &build_context_sql(backend)))
}

/// The guidance part's three parameters (`guidance::open_statuses`) follow the statement's five.
const GUIDANCE_FIRST_PARAM: usize = 6;

fn build_context_sql(backend: DbBackend) -> String {
    let joined = list_agg(backend, "ip.item_id");
    // SQLite keeps a uuid as a 16-byte blob, which its JSON cannot hold: it goes as hex.
    let (tasks_open, tasks_close, object, task_uuid) = match backend {
        DbBackend::Postgres => (
            "COALESCE((SELECT json_agg(",
            "::text",
            "json_build_object",
            "t.uuid",
        ),
        _ => (
            "COALESCE((SELECT json_group_array(",
            "",
            "json_object",
            "lower(hex(t.uuid))",
        ),
    };
    let guidance = guidance::columns(backend, GUIDANCE_FIRST_PARAM);
    format!(
        "SELECT c.*, pv.uuid AS home_version_uuid, {guidance_select}, \
         g.display_name AS home_guide_name, g.profession AS home_guide_profession, \
         (SELECT COUNT(*) FROM notifications n WHERE n.user_id = $1 AND n.read_at IS NULL) AS home_unread, \
         (SELECT COUNT(*) FROM goals gl WHERE gl.participant_id = $1 AND gl.course_id = c.id) AS home_goals, \
         (SELECT COUNT(*) FROM chat_rooms r \
           LEFT JOIN chat_reads rd ON rd.room_id = r.id AND rd.user_id = $1 \
           JOIN chat_messages m ON m.room_id = r.id AND m.seq > COALESCE(rd.last_read_seq, 0) \
             AND m.kind = 'message' AND m.deleted_at IS NULL AND m.hidden_at IS NULL AND m.sender_id <> $1 \
           WHERE r.course_id = c.id AND (r.kind = 'group' OR (r.kind = 'private' AND r.participant_id = $1))) \
           AS home_unread_messages, \
         (SELECT {joined} FROM item_progress ip WHERE ip.participant_id = $1 \
           AND ip.course_id = c.id AND ip.completed_at IS NOT NULL) AS home_completed, \
         {tasks_open}{object}('id', t.id, 'uuid', {task_uuid}, 'title', t.title, 'minutes', t.minutes, \
             'days', t.days, 'times_per_week', t.times_per_week, 'start_date', t.start_date, \
             'weeks', t.weeks, 'ended_on', t.ended_on, 'log_date', l.date, 'log_done', l.done, \
             'log_note', l.note, 'log_rating', l.rating, \
             'week_done', (SELECT COUNT(*) FROM selfrehab_logs w WHERE w.task_id = t.id \
               AND w.done = $5 AND w.date >= $2 AND w.date <= $3))){tasks_close} \
           FROM selfrehab_tasks t \
           LEFT JOIN selfrehab_logs l ON l.task_id = t.id AND l.date = $3 \
           WHERE t.participant_id = $1 AND t.course_id = c.id AND t.status = $4 \
             AND t.start_date <= $3), '[]') AS home_tasks \
         FROM enrolments e \
         JOIN courses c ON c.id = e.course_id \
         LEFT JOIN program_versions pv ON pv.id = c.program_version_id \
         LEFT JOIN users g ON g.id = e.personal_guide_id \
         {guidance_joins} \
         WHERE e.participant_id = $1 AND c.state <> 'cancelled' \
         ORDER BY e.id DESC LIMIT 1",
        guidance_select = guidance.select,
        guidance_joins = guidance.joins,
    )
}

async fn context<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    today: NaiveDate,
) -> AppResult<Context> {
    let backend = db.get_database_backend();
    let mut values: Vec<sea_orm::Value> = vec![
        participant_id.into(),
        monday_of(today).into(),
        today.into(),
        TaskStatus::Active.as_str().into(),
        true.into(),
    ];
    debug_assert_eq!(values.len() + 1, GUIDANCE_FIRST_PARAM);
    values.extend(guidance::open_statuses());
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            context_sql(backend),
            values,
        ))
        .await?
        .ok_or(AppError::NotFoundCode("no_course"))?;
    let course = course::Model::from_query_result(&row, "")?;
    let guide = row
        .try_get::<Option<String>>("", "home_guide_name")?
        .map(|display_name| -> AppResult<TeamContact> {
            let profession: Option<String> = row.try_get("", "home_guide_profession")?;
            Ok(TeamContact {
                display_name,
                profession: profession
                    .as_deref()
                    .and_then(|p| Profession::parse(p).ok()),
            })
        })
        .transpose()?;
    let count = |col: &str| -> AppResult<u64> {
        Ok(u64::try_from(row.try_get::<i64>("", col)?).unwrap_or(0))
    };
    Ok(Context {
        version_uuid: row.try_get("", "home_version_uuid")?,
        guide,
        unread: count("home_unread")?,
        goals: count("home_goals")?,
        unread_messages: count("home_unread_messages")?,
        completed: row
            .try_get::<Option<String>>("", "home_completed")?
            .unwrap_or_default(),
        tasks: row.try_get("", "home_tasks")?,
        course,
        row,
    })
}

/// One active task as the context statement aggregates it, with today's log and how many times
/// it was done this week (which tells whether a "times a week" task is still to be done).
#[derive(Debug, Deserialize)]
struct TaskRow {
    id: i64,
    uuid: Uuid,
    title: String,
    minutes: Option<i32>,
    days: Option<String>,
    times_per_week: Option<i32>,
    start_date: NaiveDate,
    weeks: i32,
    ended_on: Option<NaiveDate>,
    log_date: Option<NaiveDate>,
    /// SQLite's JSON has 0/1 for a boolean column, PostgreSQL's true/false.
    #[serde(default, deserialize_with = "flag")]
    log_done: Option<bool>,
    log_note: Option<String>,
    log_rating: Option<i32>,
    week_done: i64,
}

fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Int(i64),
    }
    Ok(Option::<Flag>::deserialize(d)?.map(|f| match f {
        Flag::Bool(b) => b,
        Flag::Int(i) => i != 0,
    }))
}

/// The tasks due today, in plan order, each with today's log when there is one.
fn tasks_today(json: &str, today: NaiveDate) -> AppResult<Vec<TaskToday>> {
    let mut rows: Vec<TaskRow> = serde_json::from_str(json)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("the home's task list: {e}")))?;
    rows.sort_by_key(|t| (t.start_date, t.id));
    let mut out = Vec::new();
    for t in rows {
        let todays = t.log_date.map(|date| TodayLog {
            date,
            done: t.log_done.unwrap_or(false),
            note: t.log_note,
            rating: t.log_rating,
        });
        let plan = plan_from(
            rhythm_from(t.days.as_deref(), t.times_per_week),
            t.start_date,
            t.weeks,
            t.ended_on,
        );
        let week_done = usize::try_from(t.week_done).unwrap_or(0);
        // A task done today stays on today's list, with its log, so the tick shows.
        let due = plan::due_with_count(&plan, week_done, today)
            || todays.as_ref().is_some_and(|l| l.done);
        if due {
            out.push(TaskToday {
                id: t.uuid,
                title: t.title,
                minutes: t.minutes,
                today_log: todays,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn the_task_list_reads_both_databases_json_and_keeps_plan_order() {
        // Wednesday 2026-03-25; SQLite's form: hex uuid, 0/1 flags.
        let sqlite = r#"[
          {"id":2,"uuid":"0010deb811fd454599d747f2842f5b0e","title":"Venyttely","minutes":null,
           "days":"tue,thu","times_per_week":null,"start_date":"2026-01-12","weeks":12,"ended_on":null,
           "log_date":null,"log_done":null,"log_note":null,"log_rating":null,"week_done":0},
          {"id":1,"uuid":"0010deb811fd454599d747f2842f5b0f","title":"Kävely","minutes":20,
           "days":"mon,wed,fri","times_per_week":null,"start_date":"2026-01-12","weeks":12,"ended_on":null,
           "log_date":"2026-03-25","log_done":1,"log_note":"Hyvin meni","log_rating":4,"week_done":2}
        ]"#;
        let tasks = tasks_today(sqlite, day("2026-03-25")).expect("parsed");
        // Tuesday/Thursday's task is not due on a Wednesday; the walk is, with its log.
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].title, "Kävely");
        let log = tasks[0].today_log.as_ref().expect("log");
        assert!(log.done);
        assert_eq!(log.rating, Some(4));

        // PostgreSQL's form: dashed uuid, true/false.
        let pg = r#"[{"id":3,"uuid":"0010deb8-11fd-4545-99d7-47f2842f5b0e","title":"Lepo","minutes":10,
          "days":null,"times_per_week":3,"start_date":"2026-01-12","weeks":12,"ended_on":null,
          "log_date":null,"log_done":false,"log_note":null,"log_rating":null,"week_done":1}]"#;
        assert_eq!(tasks_today(pg, day("2026-03-25")).expect("parsed").len(), 1);
        assert!(
            tasks_today("[]", day("2026-03-25"))
                .expect("empty")
                .is_empty()
        );
        assert!(tasks_today("not json", day("2026-03-25")).is_err());
    }
}
