//! Assembling the participant's home from the course, progress, tasks, goals and notices.

use std::collections::HashSet;

use chrono::{DateTime, Days, NaiveDate, Utc};
use etapolku_content::model::Localized;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::courses::model::TeamContact;
use crate::courses::schedule::Phase;
use crate::courses::schedule::helsinki_today;
use crate::courses::service::{my_course_row, schedule_of};
use crate::entity::{course, enrolment, item_progress, selfrehab_log, selfrehab_task, user};
use crate::error::AppResult;
use crate::goals::service::{Owner as GoalOwner, goals_set};
use crate::notifications::service::unread_count;
use crate::progress::outline::{Outline, outline_of};
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
    /// Messages come with the chat feature; `null` until then.
    pub unread_messages: Option<u64>,
    pub unread_notifications: u64,
}

pub async fn home<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    now: DateTime<Utc>,
) -> AppResult<Home> {
    let today = helsinki_today(now);
    let c = my_course_row(db, participant_id).await?;
    let schedule = schedule_of(&c)?;
    let phase = schedule.phase_on(today);
    let remote_week = phase.remote_week();
    let monday = match remote_week {
        Some(w) => schedule.remote_start + Days::new(7 * u64::from(w - 1)),
        None => monday_of(today),
    };
    let outline = match outline_of(db, &c).await {
        Ok(outline) => Some(outline),
        Err(crate::error::AppError::NotFoundCode("no_program")) => None,
        Err(e) => return Err(e),
    };
    let completed: HashSet<String> = if outline.is_some() {
        item_progress::Entity::find()
            .select_only()
            .column(item_progress::Column::ItemId)
            .filter(item_progress::Column::ParticipantId.eq(participant_id))
            .filter(item_progress::Column::CourseId.eq(c.id))
            .filter(item_progress::Column::CompletedAt.is_not_null())
            .into_tuple()
            .all(db)
            .await?
            .into_iter()
            .collect()
    } else {
        HashSet::new()
    };
    let (module, progress) = match &outline {
        Some(outline) => {
            let module = this_weeks_module(&c, outline, &completed, &phase)?;
            let done: HashSet<&str> = completed.iter().map(String::as_str).collect();
            let counts = module_counts(outline, &done);
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
        personal_guide: personal_guide(db, participant_id, c.id).await?,
        module,
        progress,
        tasks_today: tasks_today(db, participant_id, c.id, today).await?,
        goals_set: goals_set(
            db,
            GoalOwner {
                course_id: c.id,
                participant_id,
            },
        )
        .await?,
        next_contact: None,
        unread_messages: None,
        unread_notifications: unread_count(db, participant_id).await?,
    })
}

/// The module of the current remote week; the last module after the remote period; none before.
fn this_weeks_module(
    c: &course::Model,
    outline: &Outline,
    completed: &HashSet<String>,
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
        .filter(|it| !completed.contains(&it.id))
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

async fn personal_guide<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    course_id: i32,
) -> AppResult<Option<TeamContact>> {
    let guide_of_enrolment = Query::select()
        .column(enrolment::Column::PersonalGuideId)
        .from(enrolment::Entity)
        .and_where(Expr::col(enrolment::Column::ParticipantId).eq(participant_id))
        .and_where(Expr::col(enrolment::Column::CourseId).eq(course_id))
        .to_owned();
    Ok(user::Entity::find()
        .filter(user::Column::Id.in_subquery(guide_of_enrolment))
        .one(db)
        .await?
        .map(|u| TeamContact {
            display_name: u.display_name,
            profession: u
                .profession
                .as_deref()
                .and_then(|p| Profession::parse(p).ok()),
        }))
}

/// Active tasks due today, from two statements: the tasks, and their logs of this week (which
/// also tell how many times a "times a week" task is still to be done).
async fn tasks_today<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    course_id: i32,
    today: NaiveDate,
) -> AppResult<Vec<TaskToday>> {
    let tasks = selfrehab_task::Entity::find()
        .filter(selfrehab_task::Column::ParticipantId.eq(participant_id))
        .filter(selfrehab_task::Column::CourseId.eq(course_id))
        .filter(selfrehab_task::Column::Status.eq(TaskStatus::Active.as_str()))
        .filter(selfrehab_task::Column::StartDate.lte(today))
        .order_by_asc(selfrehab_task::Column::StartDate)
        .order_by_asc(selfrehab_task::Column::Id)
        .all(db)
        .await?;
    if tasks.is_empty() {
        return Ok(Vec::new());
    }
    let logs = selfrehab_log::Entity::find()
        .filter(selfrehab_log::Column::TaskId.is_in(tasks.iter().map(|t| t.id)))
        .filter(selfrehab_log::Column::Date.gte(monday_of(today)))
        .filter(selfrehab_log::Column::Date.lte(today))
        .all(db)
        .await?;
    Ok(tasks
        .into_iter()
        .filter_map(|t| {
            let mine: Vec<&selfrehab_log::Model> =
                logs.iter().filter(|l| l.task_id == t.id).collect();
            let done: Vec<NaiveDate> = mine.iter().filter(|l| l.done).map(|l| l.date).collect();
            let todays = mine.iter().find(|l| l.date == today);
            // A task done today stays on today's list, with its log, so the tick shows.
            let due = plan::due_today(&plan_of(&t), &done, today) || todays.is_some_and(|l| l.done);
            due.then(|| TaskToday {
                id: t.uuid,
                title: t.title.clone(),
                minutes: t.minutes,
                today_log: todays.map(|l| TodayLog {
                    date: l.date,
                    done: l.done,
                    note: l.note.clone(),
                    rating: l.rating,
                }),
            })
        })
        .collect())
}
