//! Assembling the participant's home from the course, progress, tasks, goals and notices.

use std::collections::HashSet;

use chrono::{DateTime, Days, NaiveDate, Utc};
use etapolku_content::model::Localized;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::courses::model::TeamContact;
use crate::courses::schedule::Phase;
use crate::courses::schedule::helsinki_today;
use crate::courses::service::schedule_of;
use crate::entity::{course, selfrehab_task};
use crate::error::{AppError, AppResult};
use crate::progress::outline::{Outline, outline_of_version};
use crate::progress::service::{module_counts, monday_of};
use crate::selfrehab::model::TaskStatus;
use crate::selfrehab::plan;
use crate::selfrehab::service::plan_of;
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
    /// Contacts with the team come with the guidance feature; `null` until then.
    #[schema(value_type = Option<Object>)]
    pub next_contact: Option<()>,
    /// Unread chat messages of the course's group room and the participant's own thread.
    pub unread_messages: Option<u64>,
    pub unread_notifications: u64,
}

pub async fn home<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    now: DateTime<Utc>,
) -> AppResult<Home> {
    let today = helsinki_today(now);
    let ctx = context(db, participant_id).await?;
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
    let completed: HashSet<&str> = ctx
        .completed
        .split(ITEM_SEPARATOR)
        .filter(|id| !id.is_empty())
        .collect();
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
        tasks_today: tasks_today(db, participant_id, c.id, today).await?,
        goals_set: ctx.goals,
        next_contact: None,
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
    /// Ids of the completed items, joined by [`ITEM_SEPARATOR`] (one row instead of one per item).
    completed: String,
}

/// Joins completed item ids in one value; a control character no item id contains.
const ITEM_SEPARATOR: char = '\u{1f}';

/// One statement for the course (as `my_course_row` picks it), its program version, the personal
/// guide, unread notices, unread chat messages (counted as `chat::rooms::unread` counts them: the
/// group room and the own private thread; the read marker is joined before the messages so only
/// the unread tail of a long room is read, by the (room, seq) index), goals set and completed
/// items: the home is read often, and every statement (and every row) costs a round trip to the
/// database.
fn context_sql(backend: DbBackend) -> String {
    let joined = match backend {
        DbBackend::Postgres => "string_agg(ip.item_id, chr(31))",
        _ => "group_concat(ip.item_id, char(31))",
    };
    format!(
        "SELECT c.*, pv.uuid AS home_version_uuid, \
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
           AND ip.course_id = c.id AND ip.completed_at IS NOT NULL) AS home_completed \
         FROM enrolments e \
         JOIN courses c ON c.id = e.course_id \
         LEFT JOIN program_versions pv ON pv.id = c.program_version_id \
         LEFT JOIN users g ON g.id = e.personal_guide_id \
         WHERE e.participant_id = $1 AND c.state <> 'cancelled' \
         ORDER BY e.id DESC LIMIT 1"
    )
}

/// `$n` parameters as each database writes them (SQLite: `?n`).
fn for_backend(backend: DbBackend, sql: &str) -> String {
    match backend {
        DbBackend::Sqlite => sql.replace('$', "?"),
        _ => sql.to_owned(),
    }
}

async fn context<C: ConnectionTrait>(db: &C, participant_id: i32) -> AppResult<Context> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            for_backend(backend, &context_sql(backend)),
            [participant_id.into()],
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
        course,
    })
}

/// Active tasks of the participant, each with today's log and how many times it was done this
/// week (which tells whether a "times a week" task is still to be done): one row per task.
const TASKS_SQL: &str = "SELECT t.*, l.date AS log_date, l.done AS log_done, \
     l.note AS log_note, l.rating AS log_rating, \
     (SELECT COUNT(*) FROM selfrehab_logs w WHERE w.task_id = t.id AND w.done = $6 \
       AND w.date >= $3 AND w.date <= $4) AS week_done \
     FROM selfrehab_tasks t \
     LEFT JOIN selfrehab_logs l ON l.task_id = t.id AND l.date = $4 \
     WHERE t.participant_id = $1 AND t.course_id = $2 AND t.status = $5 AND t.start_date <= $4 \
     ORDER BY t.start_date, t.id";

/// Active tasks due today, each with today's log when there is one.
async fn tasks_today<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    course_id: i32,
    today: NaiveDate,
) -> AppResult<Vec<TaskToday>> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            for_backend(backend, TASKS_SQL),
            [
                participant_id.into(),
                course_id.into(),
                monday_of(today).into(),
                today.into(),
                TaskStatus::Active.as_str().into(),
                true.into(),
            ],
        ))
        .await?;
    let mut out = Vec::new();
    for row in &rows {
        let t = selfrehab_task::Model::from_query_result(row, "")?;
        let todays = match row.try_get::<Option<NaiveDate>>("", "log_date")? {
            Some(date) => Some(TodayLog {
                date,
                done: row.try_get("", "log_done")?,
                note: row.try_get("", "log_note")?,
                rating: row.try_get("", "log_rating")?,
            }),
            None => None,
        };
        let week_done = usize::try_from(row.try_get::<i64>("", "week_done")?).unwrap_or(0);
        // A task done today stays on today's list, with its log, so the tick shows.
        let due = plan::due_with_count(&plan_of(&t), week_done, today)
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
