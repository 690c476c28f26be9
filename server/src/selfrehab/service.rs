//! Tasks, their versions and logs in the database. Every change is a compare-and-swap on
//! `version` that writes the task as it was to the history, so two people editing at once never
//! overwrite each other silently.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use etapolku_content::model::ItemKind;
use sea_orm::sea_query::Expr;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
    TransactionTrait,
};
use uuid::Uuid;

use crate::auth::extract::AuthUser;
use crate::content::delivery::course_program;
use crate::courses::access::course_participant_for_staff;
use crate::courses::schedule::monday_of;
use crate::courses::service::schedule_of;
use crate::entity::{
    course, goal, selfrehab_log, selfrehab_log_feedback, selfrehab_task, selfrehab_task_history,
    user,
};
use crate::error::{AppError, AppResult};
use crate::goals::service::lock_enrolment;
use crate::notifications::service::{Kind, Notice, notify};
use crate::selfrehab::model::*;
use crate::selfrehab::plan::{self, DaySet, Plan, Rhythm};
use crate::state::AppState;

/// The participant and course a plan belongs to.
pub struct Owner {
    pub participant: user::Model,
    pub course: course::Model,
}

/// Who is acting on a task.
pub struct Actor {
    pub user_id: i32,
    pub party: Party,
}

/// A staff member's view of one participant's plan: the course must be theirs (team or provider
/// admin) and the participant enrolled on it; anything else is a 404.
pub async fn owner_for_staff<C: ConnectionTrait>(
    db: &C,
    who: &AuthUser,
    course_id: Uuid,
    participant_id: Uuid,
) -> AppResult<Owner> {
    let (course, participant) =
        course_participant_for_staff(db, who, course_id, participant_id).await?;
    Ok(Owner {
        participant,
        course,
    })
}

/// One task of this plan; another plan's task is a 404.
pub async fn find_task<C: ConnectionTrait>(
    db: &C,
    owner: &Owner,
    id: Uuid,
) -> AppResult<selfrehab_task::Model> {
    selfrehab_task::Entity::find()
        .filter(selfrehab_task::Column::Uuid.eq(id))
        .filter(selfrehab_task::Column::ParticipantId.eq(owner.participant.id))
        .filter(selfrehab_task::Column::CourseId.eq(owner.course.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub fn rhythm_of(t: &selfrehab_task::Model) -> Rhythm {
    rhythm_from(t.days.as_deref(), t.times_per_week)
}

/// The rhythm as stored: weekday codes, else a number of times a week (1–7).
pub fn rhythm_from(days: Option<&str>, times_per_week: Option<i32>) -> Rhythm {
    match days {
        Some(days) => Rhythm::Days(DaySet::from_stored(days)),
        None => Rhythm::TimesPerWeek(
            times_per_week
                .and_then(|t| u8::try_from(t).ok())
                .unwrap_or(1)
                .clamp(1, 7),
        ),
    }
}

fn weeks_of(t: &selfrehab_task::Model) -> u8 {
    weeks_from(t.weeks)
}

fn weeks_from(weeks: i32) -> u8 {
    u8::try_from(weeks).unwrap_or(1).clamp(1, plan::MAX_WEEKS)
}

/// The task's dates and rhythm; an ended task stops on the day it was ended.
pub fn plan_of(t: &selfrehab_task::Model) -> Plan {
    plan_from(rhythm_of(t), t.start_date, t.weeks, t.ended_on)
}

/// [`plan_of`] from the stored columns, for callers that read them without the whole row.
pub fn plan_from(
    rhythm: Rhythm,
    start: NaiveDate,
    weeks: i32,
    ended_on: Option<NaiveDate>,
) -> Plan {
    let end = plan::end_date(start, weeks_from(weeks));
    Plan {
        rhythm,
        start,
        end: ended_on.map_or(end, |e| e.min(end)),
    }
}

fn snapshot(t: &selfrehab_task::Model) -> TaskSnapshot {
    let (days, times_per_week) = match rhythm_of(t) {
        Rhythm::Days(d) => (
            Some(d.codes().into_iter().map(str::to_owned).collect()),
            None,
        ),
        Rhythm::TimesPerWeek(n) => (None, Some(n)),
    };
    TaskSnapshot {
        title: t.title.clone(),
        details: t.details.clone(),
        days,
        times_per_week,
        minutes: t.minutes.and_then(|m| u16::try_from(m).ok()),
        start_date: t.start_date,
        weeks: weeks_of(t),
        // Filled in by the caller that writes the history: the goal's id is another query.
        goal_id: None,
        status: TaskStatus::parse(&t.status),
        ended_on: t.ended_on,
        participant_accepted_at: t.participant_accepted_at,
        guide_accepted_at: t.guide_accepted_at,
    }
}

fn set_rhythm(t: &mut selfrehab_task::Model, r: Rhythm) {
    match r {
        Rhythm::Days(d) => {
            t.days = Some(d.to_stored());
            t.times_per_week = None;
        }
        Rhythm::TimesPerWeek(n) => {
            t.days = None;
            t.times_per_week = Some(i32::from(n));
        }
    }
}

/// R-SELFREHAB: tasks are planned within the course, from its first on-site week to the end of
/// its follow-up window.
fn check_start(c: &course::Model, start: NaiveDate) -> AppResult<()> {
    let s = schedule_of(c)?;
    if start < s.onsite1_start || start > s.follow_up_end {
        return Err(AppError::field(
            "start_date",
            "outside_course",
            format!(
                "the start must be within the course, {} – {}",
                s.onsite1_start, s.follow_up_end
            ),
        ));
    }
    Ok(())
}

/// The suggested task `item_id` in the course's program, visible to participants.
async fn suggestion<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
    item_id: &str,
) -> AppResult<etapolku_content::model::Item> {
    let unknown = || {
        AppError::field(
            "source_item_id",
            "unknown",
            "no such task suggestion in the course's program",
        )
    };
    let cp = course_program(db, c).await.map_err(|_| unknown())?;
    cp.document
        .modules
        .iter()
        .filter(|m| !m.hidden)
        .flat_map(|m| m.items.iter())
        .find(|i| i.id == item_id && !i.hidden)
        .filter(|i| matches!(i.kind, ItemKind::Task { .. }))
        .cloned()
        .ok_or_else(unknown)
}

fn unknown_goal() -> AppError {
    AppError::field(
        "goal_id",
        "unknown",
        "no such goal of the participant on this course",
    )
}

/// The plan's goal `id`; a goal of another participant or course is `unknown`, as is none.
async fn goal_of<C: ConnectionTrait>(db: &C, owner: &Owner, id: Uuid) -> AppResult<goal::Model> {
    goal::Entity::find()
        .filter(goal::Column::Uuid.eq(id))
        .filter(goal::Column::ParticipantId.eq(owner.participant.id))
        .filter(goal::Column::CourseId.eq(owner.course.id))
        .one(db)
        .await?
        .ok_or_else(unknown_goal)
}

/// Starts the transaction that writes `task`. When it is linked to a goal (before or after),
/// the participant's enrolment row is held, as deleting a goal does, and the goal it is to be
/// linked to is checked again under that lock: a goal deleted meanwhile is `unknown`, never a
/// dangling link.
async fn begin_write(
    state: &AppState,
    task: &selfrehab_task::Model,
    linked_before: bool,
) -> AppResult<DatabaseTransaction> {
    if !linked_before && task.goal_id.is_none() {
        return Ok(state.db.begin().await?);
    }
    let txn = lock_enrolment(&state.db, task.course_id, task.participant_id).await?;
    if let Some(id) = task.goal_id {
        goal::Entity::find_by_id(id)
            .filter(goal::Column::ParticipantId.eq(task.participant_id))
            .filter(goal::Column::CourseId.eq(task.course_id))
            .one(&txn)
            .await?
            .ok_or_else(unknown_goal)?;
    }
    Ok(txn)
}

/// The goal's uuid for a task's history; a goal that is gone leaves none.
async fn goal_uuid<C: ConnectionTrait>(db: &C, id: Option<i32>) -> AppResult<Option<Uuid>> {
    let Some(id) = id else {
        return Ok(None);
    };
    Ok(goal::Entity::find_by_id(id).one(db).await?.map(|g| g.uuid))
}

/// Creates a task; the creator's side is accepted. A guide's proposal notifies the participant.
pub async fn create(
    state: &AppState,
    owner: &Owner,
    actor: &Actor,
    input: NewTask,
) -> AppResult<selfrehab_task::Model> {
    let now = state.now();
    let today = crate::courses::schedule::helsinki_today(now);
    let source = match input.source_item_id.as_deref() {
        Some(id) => Some(suggestion(&state.db, &owner.course, id).await?),
        None => None,
    };
    let (s_title, s_rhythm, s_weeks, s_minutes) = match &source {
        Some(item) => {
            let title = item
                .title
                .get(&owner.participant.language)
                .map(str::to_owned);
            match &item.kind {
                ItemKind::Task {
                    times_per_week,
                    days,
                    weeks,
                    minutes,
                    ..
                } => {
                    let rhythm = match (days, times_per_week) {
                        (Some(d), _) if !d.is_empty() => {
                            let codes: Vec<&str> = d.iter().map(|d| d.code()).collect();
                            DaySet::parse(&codes).ok().map(Rhythm::Days)
                        }
                        (_, Some(t)) if (1..=7).contains(t) => Some(Rhythm::TimesPerWeek(*t)),
                        _ => None,
                    };
                    (
                        title,
                        rhythm,
                        weeks.filter(|w| (1..=plan::MAX_WEEKS).contains(w)),
                        minutes.filter(|m| (1..=1440).contains(m)),
                    )
                }
                _ => (title, None, None, None),
            }
        }
        None => (None, None, None, None),
    };
    let title = match input.title.as_deref().or(s_title.as_deref()) {
        Some(t) => parse_title(t)?,
        None => return Err(AppError::field("title", "required", "say what the task is")),
    };
    let details = parse_details(input.details.as_deref().unwrap_or(""))?;
    let rhythm = parse_rhythm(input.days.as_deref(), input.times_per_week)?
        .or(s_rhythm)
        .ok_or_else(|| {
            AppError::field(
                "days",
                "required",
                "give the days of the week or times_per_week",
            )
        })?;
    let weeks = match input.weeks {
        Some(w) => parse_weeks(w)?,
        None => s_weeks
            .ok_or_else(|| AppError::field("weeks", "required", "for how many weeks, 1 to 52"))?,
    };
    let minutes = match input.minutes {
        Some(m) => Some(parse_minutes(m)?),
        None => s_minutes,
    };
    let start = input.start_date.unwrap_or(today);
    check_start(&owner.course, start)?;
    let goal_id = match input.goal_id {
        Some(id) => Some(goal_of(&state.db, owner, id).await?.id),
        None => None,
    };
    let (days, times) = match rhythm {
        Rhythm::Days(d) => (Some(d.to_stored()), None),
        Rhythm::TimesPerWeek(n) => (None, Some(i32::from(n))),
    };
    let guide = actor.party == Party::Guide;
    let row = selfrehab_task::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        participant_id: Set(owner.participant.id),
        course_id: Set(owner.course.id),
        title: Set(title),
        details: Set(details),
        days: Set(days),
        times_per_week: Set(times),
        minutes: Set(minutes.map(i32::from)),
        start_date: Set(start),
        weeks: Set(i32::from(weeks)),
        source_item_id: Set(source.map(|s| s.id)),
        goal_id: Set(goal_id),
        status: Set(TaskStatus::Active.as_str().to_owned()),
        ended_on: Set(None),
        participant_accepted_at: Set((!guide).then_some(now)),
        guide_accepted_at: Set(guide.then_some(now)),
        guide_accepted_by: Set(guide.then_some(actor.user_id)),
        created_by: Set(actor.party.as_str().to_owned()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    // As in `save`: the goal is checked again under the lock deleting a goal takes.
    let txn = if let Some(id) = goal_id {
        let txn = lock_enrolment(&state.db, owner.course.id, owner.participant.id).await?;
        goal::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(unknown_goal)?;
        txn
    } else {
        state.db.begin().await?
    };
    let task = row.insert(&txn).await?;
    txn.commit().await?;
    if guide {
        proposed(state, &owner.participant, &task).await?;
    }
    Ok(task)
}

async fn proposed(
    state: &AppState,
    participant: &user::Model,
    task: &selfrehab_task::Model,
) -> AppResult<()> {
    notify(
        state,
        participant,
        Notice {
            kind: Kind::TaskProposed,
            params: serde_json::json!({ "task_id": task.uuid }),
            link: format!("/omakuntoutus#task-{}", task.uuid),
        },
    )
    .await
}

fn refuse_if_ended(t: &selfrehab_task::Model) -> AppResult<()> {
    if TaskStatus::parse(&t.status) == TaskStatus::Ended {
        return Err(AppError::conflict(
            "task_ended",
            "this task has ended; make a new one instead",
        ));
    }
    Ok(())
}

/// Stores `after` if the task is still at `before.version`, and `before` in the history.
async fn save(
    state: &AppState,
    before: &selfrehab_task::Model,
    mut after: selfrehab_task::Model,
    change: Change,
    actor: &Actor,
) -> AppResult<selfrehab_task::Model> {
    let now = state.now();
    after.version = before.version + 1;
    after.updated_at = now;
    let txn = begin_write(state, &after, before.goal_id.is_some()).await?;
    let mut previous = snapshot(before);
    previous.goal_id = goal_uuid(&txn, before.goal_id).await?;
    let previous = serde_json::to_string(&previous)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("task snapshot: {e}")))?;
    let mut values = after.clone().into_active_model().reset_all();
    values.id = NotSet;
    values.uuid = NotSet;
    let swapped = selfrehab_task::Entity::update_many()
        .set(values)
        .filter(selfrehab_task::Column::Id.eq(before.id))
        .filter(selfrehab_task::Column::Version.eq(before.version))
        .exec(&txn)
        .await?;
    if swapped.rows_affected != 1 {
        return Err(AppError::conflict(
            "task_changed",
            "the task was changed meanwhile; reload it and try again",
        ));
    }
    selfrehab_task_history::ActiveModel {
        task_id: Set(before.id),
        version: Set(before.version),
        change: Set(change.as_str().to_owned()),
        changed_by: Set(actor.user_id),
        changed_at: Set(now),
        previous: Set(previous),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Applies a change. When what, when or for how long changes, the changer's side accepts the
/// new version and the other side's acceptance is cleared: it is agreed again only when both
/// have seen it, and a guide's change notifies the participant. Linking the task to another goal
/// (or to none) is a new version too, but leaves both acceptances as they were: it does not
/// change what is agreed to be done.
pub async fn change(
    state: &AppState,
    owner: &Owner,
    task: selfrehab_task::Model,
    actor: &Actor,
    input: TaskChange,
) -> AppResult<selfrehab_task::Model> {
    refuse_if_ended(&task)?;
    let mut after = task.clone();
    if let Some(t) = &input.title {
        after.title = parse_title(t)?;
    }
    if let Some(d) = &input.details {
        after.details = parse_details(d)?;
    }
    if let Some(r) = parse_rhythm(input.days.as_deref(), input.times_per_week)? {
        set_rhythm(&mut after, r);
    }
    if let Some(m) = input.minutes {
        after.minutes = m.map(parse_minutes).transpose()?.map(i32::from);
    }
    if let Some(w) = input.weeks {
        after.weeks = i32::from(parse_weeks(w)?);
    }
    if let Some(s) = input.start_date
        && s != task.start_date
    {
        check_start(&owner.course, s)?;
        after.start_date = s;
    }
    if let Some(g) = input.goal_id {
        after.goal_id = match g {
            Some(id) => Some(goal_of(&state.db, owner, id).await?.id),
            None => None,
        };
    }
    // Compare as read back, so `["wed","mon"]` for a stored `mon,wed` is no change.
    let unchanged = after.title == task.title
        && after.details == task.details
        && rhythm_of(&after) == rhythm_of(&task)
        && after.minutes == task.minutes
        && after.weeks == task.weeks
        && after.start_date == task.start_date;
    if unchanged && after.goal_id == task.goal_id {
        return Ok(task);
    }
    let now = state.now();
    if !unchanged {
        match actor.party {
            Party::Participant => {
                after.participant_accepted_at = Some(now);
                after.guide_accepted_at = None;
                after.guide_accepted_by = None;
            }
            Party::Guide => {
                after.guide_accepted_at = Some(now);
                after.guide_accepted_by = Some(actor.user_id);
                after.participant_accepted_at = None;
            }
        }
    }
    let saved = save(state, &task, after, Change::Changed, actor).await?;
    if actor.party == Party::Guide && !unchanged {
        proposed(state, &owner.participant, &saved).await?;
    }
    Ok(saved)
}

/// The actor's side accepts the current version (`expected`: the version they saw).
pub async fn accept(
    state: &AppState,
    task: selfrehab_task::Model,
    actor: &Actor,
    expected: Option<i32>,
) -> AppResult<selfrehab_task::Model> {
    refuse_if_ended(&task)?;
    if expected.is_some_and(|v| v != task.version) {
        return Err(AppError::conflict(
            "task_changed",
            "the task was changed after you saw it; reload it and look again",
        ));
    }
    let already = match actor.party {
        Party::Participant => task.participant_accepted_at.is_some(),
        Party::Guide => task.guide_accepted_at.is_some(),
    };
    if already {
        return Ok(task);
    }
    let now = state.now();
    let mut after = task.clone();
    match actor.party {
        Party::Participant => after.participant_accepted_at = Some(now),
        Party::Guide => {
            after.guide_accepted_at = Some(now);
            after.guide_accepted_by = Some(actor.user_id);
        }
    }
    save(state, &task, after, Change::Accepted, actor).await
}

/// Ends a task today; it stays, with its logs, and logs up to today can still be written.
pub async fn end(
    state: &AppState,
    task: selfrehab_task::Model,
    actor: &Actor,
) -> AppResult<selfrehab_task::Model> {
    if TaskStatus::parse(&task.status) == TaskStatus::Ended {
        return Ok(task);
    }
    let today = crate::courses::schedule::helsinki_today(state.now());
    let mut after = task.clone();
    after.status = TaskStatus::Ended.as_str().to_owned();
    after.ended_on = Some(today);
    save(state, &task, after, Change::Ended, actor).await
}

/// Unlinks the tasks serving `g`, which is being deleted in `txn`: each becomes a new version
/// with the link in its history, acceptances untouched. The caller holds the participant's
/// enrolment row (as every write of a linked task does), so no task changes under it.
pub async fn unlink_goal(
    txn: &DatabaseTransaction,
    g: &goal::Model,
    actor_id: i32,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let tasks = selfrehab_task::Entity::find()
        .filter(selfrehab_task::Column::GoalId.eq(g.id))
        .all(txn)
        .await?;
    for t in tasks {
        let mut previous = snapshot(&t);
        previous.goal_id = Some(g.uuid);
        let previous = serde_json::to_string(&previous)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("task snapshot: {e}")))?;
        let swapped = selfrehab_task::Entity::update_many()
            .col_expr(selfrehab_task::Column::GoalId, Expr::value(None::<i32>))
            .col_expr(selfrehab_task::Column::Version, Expr::value(t.version + 1))
            .col_expr(selfrehab_task::Column::UpdatedAt, Expr::value(now))
            .filter(selfrehab_task::Column::Id.eq(t.id))
            .filter(selfrehab_task::Column::Version.eq(t.version))
            .exec(txn)
            .await?;
        if swapped.rows_affected != 1 {
            return Err(AppError::conflict(
                "task_changed",
                "a task linked to the goal was changed meanwhile; try again",
            ));
        }
        selfrehab_task_history::ActiveModel {
            task_id: Set(t.id),
            version: Set(t.version),
            change: Set(Change::Changed.as_str().to_owned()),
            changed_by: Set(actor_id),
            changed_at: Set(now),
            previous: Set(previous),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// Earlier versions, newest first.
pub async fn history<C: ConnectionTrait>(
    db: &C,
    task: &selfrehab_task::Model,
) -> AppResult<Vec<HistoryEntry>> {
    let rows = selfrehab_task_history::Entity::find()
        .filter(selfrehab_task_history::Column::TaskId.eq(task.id))
        .order_by_desc(selfrehab_task_history::Column::Version)
        .all(db)
        .await?;
    let names = names(db, rows.iter().map(|r| r.changed_by)).await?;
    rows.into_iter()
        .map(|r| {
            let previous: TaskSnapshot = serde_json::from_str(&r.previous)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("task history unreadable: {e}")))?;
            Ok(HistoryEntry {
                version: r.version,
                change: Change::parse(&r.change),
                changed_by: names.get(&r.changed_by).cloned(),
                changed_at: r.changed_at,
                previous,
            })
        })
        .collect()
}

async fn names<C: ConnectionTrait>(
    db: &C,
    ids: impl Iterator<Item = i32>,
) -> AppResult<HashMap<i32, PersonName>> {
    let ids: HashSet<i32> = ids.collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| {
            (
                u.id,
                PersonName {
                    display_name: u.display_name,
                },
            )
        })
        .collect())
}

/// Writes the day's log (one per task and day). The day must be within the task's weeks (up to
/// the day it was ended) and not after today.
pub async fn put_log(
    state: &AppState,
    task: &selfrehab_task::Model,
    date: NaiveDate,
    input: LogInput,
) -> AppResult<()> {
    let now = state.now();
    let today = crate::courses::schedule::helsinki_today(now);
    let note = parse_note(input.note.as_deref())?;
    let rating = parse_rating(input.rating)?;
    if date > today {
        return Err(AppError::field(
            "date",
            "in_future",
            "a day that has not yet come cannot be logged",
        ));
    }
    let p = plan_of(task);
    if date < p.start || date > p.end {
        return Err(AppError::field(
            "date",
            "outside_task",
            format!("the task runs {} – {}", p.start, p.end),
        ));
    }
    selfrehab_log::Entity::insert(selfrehab_log::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        task_id: Set(task.id),
        date: Set(date),
        done: Set(input.done),
        note: Set(note),
        rating: Set(rating.map(i32::from)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([selfrehab_log::Column::TaskId, selfrehab_log::Column::Date])
            .update_columns([
                selfrehab_log::Column::Done,
                selfrehab_log::Column::Note,
                selfrehab_log::Column::Rating,
                selfrehab_log::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(&state.db)
    .await?;
    Ok(())
}

/// A guide's feedback on one log of the task; the participant is notified.
pub async fn add_feedback(
    state: &AppState,
    owner: &Owner,
    task: &selfrehab_task::Model,
    log_id: Uuid,
    author: i32,
    body: &str,
) -> AppResult<FeedbackView> {
    let body = parse_feedback(body)?;
    let log = selfrehab_log::Entity::find()
        .filter(selfrehab_log::Column::Uuid.eq(log_id))
        .filter(selfrehab_log::Column::TaskId.eq(task.id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = state.now();
    let row = selfrehab_log_feedback::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        log_id: Set(log.id),
        author_id: Set(author),
        body: Set(body),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    notify(
        state,
        &owner.participant,
        Notice {
            kind: Kind::TaskFeedback,
            params: serde_json::json!({ "task_id": task.uuid, "date": log.date }),
            link: format!("/omakuntoutus#task-{}", task.uuid),
        },
    )
    .await?;
    let author = names(&state.db, std::iter::once(author))
        .await?
        .remove(&author)
        .unwrap_or(PersonName {
            display_name: String::new(),
        });
    Ok(FeedbackView {
        id: row.uuid,
        author,
        body: row.body,
        created_at: row.created_at,
    })
}

/// The plan's tasks as views (active first, then by start), with logs, feedback and adherence,
/// in five queries whatever the number of tasks.
pub async fn views<C: ConnectionTrait>(
    db: &C,
    owner: &Owner,
    only: Option<i32>,
    today: NaiveDate,
) -> AppResult<Vec<TaskView>> {
    let mut q = selfrehab_task::Entity::find()
        .filter(selfrehab_task::Column::ParticipantId.eq(owner.participant.id))
        .filter(selfrehab_task::Column::CourseId.eq(owner.course.id));
    if let Some(id) = only {
        q = q.filter(selfrehab_task::Column::Id.eq(id));
    }
    let tasks = q
        .order_by_asc(selfrehab_task::Column::Status)
        .order_by_asc(selfrehab_task::Column::StartDate)
        .order_by_asc(selfrehab_task::Column::Id)
        .all(db)
        .await?;
    if tasks.is_empty() {
        return Ok(Vec::new());
    }
    let logs = selfrehab_log::Entity::find()
        .filter(selfrehab_log::Column::TaskId.is_in(tasks.iter().map(|t| t.id)))
        .order_by_desc(selfrehab_log::Column::Date)
        .all(db)
        .await?;
    let feedback = if logs.is_empty() {
        Vec::new()
    } else {
        selfrehab_log_feedback::Entity::find()
            .filter(selfrehab_log_feedback::Column::LogId.is_in(logs.iter().map(|l| l.id)))
            .order_by_asc(selfrehab_log_feedback::Column::Id)
            .all(db)
            .await?
    };
    let goals: HashMap<i32, GoalRef> = {
        let ids: HashSet<i32> = tasks.iter().filter_map(|t| t.goal_id).collect();
        if ids.is_empty() {
            HashMap::new()
        } else {
            goal::Entity::find()
                .filter(goal::Column::Id.is_in(ids))
                .all(db)
                .await?
                .into_iter()
                .map(|g| {
                    (
                        g.id,
                        GoalRef {
                            id: g.uuid,
                            title: g.title,
                        },
                    )
                })
                .collect()
        }
    };
    let people = names(
        db,
        feedback
            .iter()
            .map(|f| f.author_id)
            .chain(tasks.iter().filter_map(|t| t.guide_accepted_by)),
    )
    .await?;
    let mut feedback_of: HashMap<i32, Vec<FeedbackView>> = HashMap::new();
    for f in feedback {
        feedback_of.entry(f.log_id).or_default().push(FeedbackView {
            id: f.uuid,
            author: people.get(&f.author_id).cloned().unwrap_or(PersonName {
                display_name: String::new(),
            }),
            body: f.body,
            created_at: f.created_at,
        });
    }
    let mut logs_of: HashMap<i32, Vec<selfrehab_log::Model>> = HashMap::new();
    for l in logs {
        logs_of.entry(l.task_id).or_default().push(l);
    }
    Ok(tasks
        .into_iter()
        .map(|t| {
            let logs = logs_of.remove(&t.id).unwrap_or_default();
            let goal = t.goal_id.and_then(|g| goals.get(&g).cloned());
            view(t, goal, &logs, &mut feedback_of, &people, today)
        })
        .collect())
}

fn view(
    t: selfrehab_task::Model,
    goal: Option<GoalRef>,
    logs: &[selfrehab_log::Model],
    feedback_of: &mut HashMap<i32, Vec<FeedbackView>>,
    people: &HashMap<i32, PersonName>,
    today: NaiveDate,
) -> TaskView {
    let p = plan_of(&t);
    let done: Vec<NaiveDate> = logs.iter().filter(|l| l.done).map(|l| l.date).collect();
    let a = plan::adherence(&p, &done, today);
    let active = TaskStatus::parse(&t.status) == TaskStatus::Active;
    let logs: Vec<LogView> = logs
        .iter()
        .map(|l| LogView {
            id: l.uuid,
            date: l.date,
            done: l.done,
            note: l.note.clone(),
            rating: l.rating.and_then(|r| u8::try_from(r).ok()),
            feedback: feedback_of.remove(&l.id).unwrap_or_default(),
        })
        .collect();
    let snap = snapshot(&t);
    TaskView {
        id: t.uuid,
        title: t.title,
        details: t.details,
        days: snap.days,
        times_per_week: snap.times_per_week,
        minutes: snap.minutes,
        start_date: t.start_date,
        weeks: snap.weeks,
        end_date: plan::end_date(t.start_date, snap.weeks),
        source_item_id: t.source_item_id,
        goal,
        status: snap.status,
        ended_on: t.ended_on,
        participant_accepted_at: t.participant_accepted_at,
        guide_accepted_at: t.guide_accepted_at,
        guide_accepted_by: t.guide_accepted_by.and_then(|g| people.get(&g).cloned()),
        agreed: t.participant_accepted_at.is_some() && t.guide_accepted_at.is_some(),
        created_by: Party::parse(&t.created_by),
        version: t.version,
        due_today: active && plan::due_today(&p, &done, today),
        today_log: logs.iter().find(|l| l.date == today).cloned(),
        adherence: AdherenceView {
            done: a.done,
            planned: a.planned,
            ratio: plan::ratio(a.done, a.planned),
            weeks: a
                .weeks
                .iter()
                .map(|w| WeekAdherence {
                    start: w.start,
                    done: w.done,
                    planned: w.planned,
                    ratio: plan::ratio(w.done, w.planned),
                })
                .collect(),
        },
        logs,
    }
}

/// One task's view.
pub async fn view_one<C: ConnectionTrait>(
    db: &C,
    owner: &Owner,
    task: &selfrehab_task::Model,
    today: NaiveDate,
) -> AppResult<TaskView> {
    views(db, owner, Some(task.id), today)
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)
}

/// How many active tasks each participant has due on `today`, for the morning reminder.
pub async fn due_counts<C: ConnectionTrait>(
    db: &C,
    today: NaiveDate,
) -> AppResult<HashMap<i32, usize>> {
    let tasks: Vec<selfrehab_task::Model> = selfrehab_task::Entity::find()
        .filter(selfrehab_task::Column::Status.eq(TaskStatus::Active.as_str()))
        .filter(selfrehab_task::Column::StartDate.lte(today))
        .all(db)
        .await?
        .into_iter()
        .filter(|t| plan_of(t).end >= today)
        .collect();
    if tasks.is_empty() {
        return Ok(HashMap::new());
    }
    // Only this week's done logs matter for "due today".
    let week_start = monday_of(today);
    let mut done: HashMap<i32, Vec<NaiveDate>> = HashMap::new();
    for l in selfrehab_log::Entity::find()
        .filter(selfrehab_log::Column::TaskId.is_in(tasks.iter().map(|t| t.id)))
        .filter(selfrehab_log::Column::Done.eq(true))
        .filter(selfrehab_log::Column::Date.gte(week_start))
        .filter(selfrehab_log::Column::Date.lte(today))
        .all(db)
        .await?
    {
        done.entry(l.task_id).or_default().push(l.date);
    }
    let mut counts: HashMap<i32, usize> = HashMap::new();
    for t in &tasks {
        let dates = done.get(&t.id).map(Vec::as_slice).unwrap_or(&[]);
        if plan::due_today(&plan_of(t), dates, today) {
            *counts.entry(t.participant_id).or_default() += 1;
        }
    }
    Ok(counts)
}

/// One participant's self-rehabilitation at a glance: tasks, and done logs against planned
/// occurrences over all of them up to today.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct PlanAdherence {
    /// Tasks still active.
    pub active_tasks: u32,
    /// Tasks both the participant and a guide accepted (R-SELFREHAB: planned together).
    pub agreed_tasks: u32,
    pub done: u32,
    pub planned: u32,
    /// done / planned, at most 1; null while nothing was planned.
    pub ratio: Option<f64>,
}

/// [`PlanAdherence`] per participant of a course, from two queries whatever their number.
pub async fn course_adherence<C: ConnectionTrait>(
    db: &C,
    course_id: i32,
    today: NaiveDate,
) -> AppResult<HashMap<i32, PlanAdherence>> {
    let tasks = selfrehab_task::Entity::find()
        .filter(selfrehab_task::Column::CourseId.eq(course_id))
        .all(db)
        .await?;
    let logs: Vec<(i32, NaiveDate)> = selfrehab_log::Entity::find()
        .select_only()
        .column(selfrehab_log::Column::TaskId)
        .column(selfrehab_log::Column::Date)
        .filter(selfrehab_log::Column::Done.eq(true))
        .filter(
            selfrehab_log::Column::TaskId.in_subquery(
                selfrehab_task::Entity::find()
                    .select_only()
                    .column(selfrehab_task::Column::Id)
                    .filter(selfrehab_task::Column::CourseId.eq(course_id))
                    .into_query(),
            ),
        )
        .into_tuple()
        .all(db)
        .await?;
    let mut done_by_task: HashMap<i32, Vec<NaiveDate>> = HashMap::new();
    for (task, date) in logs {
        done_by_task.entry(task).or_default().push(date);
    }
    let mut out: HashMap<i32, PlanAdherence> = HashMap::new();
    for t in &tasks {
        let a = plan::adherence(
            &plan_of(t),
            done_by_task.get(&t.id).map_or(&[][..], Vec::as_slice),
            today,
        );
        let row = out.entry(t.participant_id).or_default();
        row.active_tasks += u32::from(t.status == "active");
        row.agreed_tasks +=
            u32::from(t.participant_accepted_at.is_some() && t.guide_accepted_at.is_some());
        row.done += a.done;
        row.planned += a.planned;
    }
    for row in out.values_mut() {
        row.ratio = plan::ratio(row.done, row.planned);
    }
    Ok(out)
}
