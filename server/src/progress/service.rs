//! Recording progress (open, visible time, media position, completion) and summing it up for a
//! participant or a whole course from a fixed number of queries.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Days, NaiveDate, Utc};
use etapolku_content::model::Localized;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::content::delivery::opens_on;
use crate::courses::schedule::{REMOTE_WEEKS, helsinki_today, monday_of};
use crate::courses::service::schedule_of;
use crate::entity::{activity_day, course, item_progress, user};
use crate::error::{AppError, AppResult};
use crate::progress::outline::{Outline, OutlineItem};
use crate::progress::rules::{
    self, CompletedHow, Completion, ModuleCount, RuleText, media_done, program_count,
};

/// One participant's progress on one item.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemProgress {
    pub item_id: String,
    pub opened_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub completed_how: Option<CompletedHow>,
    /// Seconds the item was on screen (capped at 60 per minute).
    pub visible_seconds: i64,
    /// Audio and video: where to resume, in seconds.
    pub position_s: Option<f64>,
    pub duration_s: Option<f64>,
}

impl From<&item_progress::Model> for ItemProgress {
    fn from(m: &item_progress::Model) -> ItemProgress {
        ItemProgress {
            item_id: m.item_id.clone(),
            opened_at: m.opened_at,
            completed_at: m.completed_at,
            completed_how: m.completed_how.as_deref().and_then(CompletedHow::parse),
            visible_seconds: m.visible_seconds,
            position_s: m.position_s,
            duration_s: m.duration_s,
        }
    }
}

/// Activity in one of the course's 12 remote weeks.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WeekActivity {
    /// 1–12.
    pub week: u8,
    /// The Monday it starts.
    pub start: NaiveDate,
    /// Days with any use of the program.
    pub active_days: usize,
    pub visible_minutes: i64,
}

/// One visible module's completion.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ModuleProgress {
    pub number: usize,
    pub module_id: String,
    #[schema(value_type = Vec<Vec<String>>)]
    pub title: Localized,
    pub opens_on: NaiveDate,
    pub open: bool,
    /// Completed required items.
    pub done: usize,
    /// Required items: every visible item of the module.
    pub required: usize,
    pub complete: bool,
}

/// Everything about one participant's progress on their course.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgressSummary {
    pub completed_modules: usize,
    pub total_modules: usize,
    pub completed_items: usize,
    pub total_items: usize,
    pub last_seen_at: Option<DateTime<Utc>>,
    /// Days with use in the current Monday–Sunday week.
    pub active_days_this_week: usize,
    pub weeks: Vec<WeekActivity>,
    pub modules: Vec<ModuleProgress>,
    /// Progress of items the participant has opened, by item id.
    pub items: BTreeMap<String, ItemProgress>,
    /// What "done" means, in words.
    pub rules: Vec<RuleText>,
}

/// Who a row of the course list is about.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonRef {
    pub id: Uuid,
    pub display_name: String,
}

/// One participant's totals in the course's progress list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipantProgress {
    pub participant: PersonRef,
    pub completed_modules: usize,
    pub total_modules: usize,
    pub completed_items: usize,
    pub total_items: usize,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub active_days_this_week: usize,
}

/// Done/required per visible module, from the set of completed item ids.
pub fn module_counts(outline: &Outline, completed: &HashSet<&str>) -> Vec<ModuleCount> {
    outline
        .modules
        .iter()
        .map(|m| ModuleCount {
            done: m
                .items
                .iter()
                .filter(|it| completed.contains(it.id.as_str()))
                .count(),
            required: m.items.len(),
        })
        .collect()
}

/// The summary, computed without the database from the participant's rows on this course.
pub fn summarize(
    c: &course::Model,
    outline: &Outline,
    rows: &[item_progress::Model],
    days: &[activity_day::Model],
    now: DateTime<Utc>,
) -> AppResult<ProgressSummary> {
    let today = helsinki_today(now);
    let completed: HashSet<&str> = rows
        .iter()
        .filter(|r| r.completed_at.is_some())
        .map(|r| r.item_id.as_str())
        .collect();
    let counts = module_counts(outline, &completed);
    let total = program_count(&counts);
    let mut modules = Vec::with_capacity(outline.modules.len());
    for (m, count) in outline.modules.iter().zip(&counts) {
        let opens = opens_on(c, m.number - 1)?;
        modules.push(ModuleProgress {
            number: m.number,
            module_id: m.id.clone(),
            title: m.title.clone(),
            opens_on: opens,
            open: today >= opens,
            done: count.done,
            required: count.required,
            complete: count.complete(),
        });
    }
    let schedule = schedule_of(c)?;
    let weeks = (0..REMOTE_WEEKS)
        .map(|w| {
            let start = schedule.remote_start + Days::new(7 * u64::from(w));
            let end = start + Days::new(7);
            let in_week = days.iter().filter(|d| d.day >= start && d.day < end);
            WeekActivity {
                week: w + 1,
                start,
                active_days: in_week.clone().count(),
                visible_minutes: in_week.map(|d| d.visible_seconds).sum::<i64>() / 60,
            }
        })
        .collect();
    let this_monday = monday_of(today);
    Ok(ProgressSummary {
        completed_modules: total.completed_modules,
        total_modules: total.total_modules,
        completed_items: total.completed_items,
        total_items: total.total_items,
        last_seen_at: days.iter().map(|d| d.last_seen_at).max(),
        active_days_this_week: days
            .iter()
            .filter(|d| d.day >= this_monday && d.day <= today)
            .count(),
        weeks,
        modules,
        items: rows
            .iter()
            .filter(|r| outline.contains(&r.item_id))
            .map(|r| (r.item_id.clone(), ItemProgress::from(r)))
            .collect(),
        rules: rules::rules(),
    })
}

/// A participant's item rows on a course (one query).
pub async fn item_rows<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    course_id: i32,
) -> AppResult<Vec<item_progress::Model>> {
    Ok(item_progress::Entity::find()
        .filter(item_progress::Column::ParticipantId.eq(participant_id))
        .filter(item_progress::Column::CourseId.eq(course_id))
        .all(db)
        .await?)
}

/// A participant's active days on a course (one query).
pub async fn day_rows<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    course_id: i32,
) -> AppResult<Vec<activity_day::Model>> {
    Ok(activity_day::Entity::find()
        .filter(activity_day::Column::ParticipantId.eq(participant_id))
        .filter(activity_day::Column::CourseId.eq(course_id))
        .order_by_asc(activity_day::Column::Day)
        .all(db)
        .await?)
}

/// One participant's summary from three small queries (the outline is cached per version).
pub async fn summary<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
    participant_id: i32,
    now: DateTime<Utc>,
) -> AppResult<ProgressSummary> {
    let outline = crate::progress::outline::outline_of(db, c).await?;
    let rows = item_rows(db, participant_id, c.id).await?;
    let days = day_rows(db, participant_id, c.id).await?;
    summarize(c, &outline, &rows, &days, now)
}

/// Totals for every participant of a course from three queries, whatever their number.
pub async fn course_list<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
    now: DateTime<Utc>,
) -> AppResult<Vec<ParticipantProgress>> {
    let people = crate::enrolment::service::enrolled_people(db, c).await?;
    course_list_of(db, c, people, now).await
}

/// [`course_list`] for participants already read, in their order (two queries).
pub async fn course_list_of<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
    people: Vec<user::Model>,
    now: DateTime<Utc>,
) -> AppResult<Vec<ParticipantProgress>> {
    let outline = crate::progress::outline::outline_of(db, c).await?;
    let done: Vec<(i32, String)> = item_progress::Entity::find()
        .select_only()
        .column(item_progress::Column::ParticipantId)
        .column(item_progress::Column::ItemId)
        .filter(item_progress::Column::CourseId.eq(c.id))
        .filter(item_progress::Column::CompletedAt.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    let days: Vec<(i32, NaiveDate, DateTime<Utc>)> = activity_day::Entity::find()
        .select_only()
        .column(activity_day::Column::ParticipantId)
        .column(activity_day::Column::Day)
        .column(activity_day::Column::LastSeenAt)
        .filter(activity_day::Column::CourseId.eq(c.id))
        .into_tuple()
        .all(db)
        .await?;
    let today = helsinki_today(now);
    let this_monday = monday_of(today);
    let mut completed: HashMap<i32, HashSet<&str>> = HashMap::new();
    for (pid, item) in &done {
        completed.entry(*pid).or_default().insert(item.as_str());
    }
    let empty = HashSet::new();
    Ok(people
        .into_iter()
        .map(|p| {
            let counts = module_counts(&outline, completed.get(&p.id).unwrap_or(&empty));
            let total = program_count(&counts);
            let mine = days.iter().filter(|(pid, _, _)| *pid == p.id);
            ParticipantProgress {
                participant: PersonRef {
                    id: p.uuid,
                    display_name: p.display_name,
                },
                completed_modules: total.completed_modules,
                total_modules: total.total_modules,
                completed_items: total.completed_items,
                total_items: total.total_items,
                last_seen_at: mine.clone().map(|(_, _, at)| *at).max(),
                active_days_this_week: mine
                    .filter(|(_, day, _)| *day >= this_monday && *day <= today)
                    .count(),
            }
        })
        .collect())
}

/// Records the item as opened (the first time only) and seen now.
pub async fn touch_item<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    course_id: i32,
    item_id: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    item_progress::Entity::insert(item_progress::ActiveModel {
        participant_id: Set(participant_id),
        course_id: Set(course_id),
        item_id: Set(item_id.to_owned()),
        opened_at: Set(now),
        last_seen_at: Set(now),
        visible_seconds: Set(0),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            item_progress::Column::ParticipantId,
            item_progress::Column::CourseId,
            item_progress::Column::ItemId,
        ])
        .update_column(item_progress::Column::LastSeenAt)
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Marks today (Helsinki) as an active day, seen now.
async fn touch_day<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    course_id: i32,
    now: DateTime<Utc>,
) -> AppResult<()> {
    activity_day::Entity::insert(activity_day::ActiveModel {
        participant_id: Set(participant_id),
        course_id: Set(course_id),
        day: Set(helsinki_today(now)),
        visible_seconds: Set(0),
        last_seen_at: Set(now),
        minute_at: Set(0),
        minute_seconds: Set(0),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            activity_day::Column::ParticipantId,
            activity_day::Column::CourseId,
            activity_day::Column::Day,
        ])
        .update_column(activity_day::Column::LastSeenAt)
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

async fn item_row<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    course_id: i32,
    item_id: &str,
) -> AppResult<item_progress::Model> {
    item_progress::Entity::find()
        .filter(item_progress::Column::ParticipantId.eq(participant_id))
        .filter(item_progress::Column::CourseId.eq(course_id))
        .filter(item_progress::Column::ItemId.eq(item_id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("item progress row missing")))
}

/// `POST …/open`.
pub async fn open<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    course_id: i32,
    item_id: &str,
    now: DateTime<Utc>,
) -> AppResult<ItemProgress> {
    touch_item(db, participant_id, course_id, item_id, now).await?;
    touch_day(db, participant_id, course_id, now).await?;
    Ok(ItemProgress::from(
        &item_row(db, participant_id, course_id, item_id).await?,
    ))
}

/// `POST …/heartbeat`: credits up to `seconds` of visible time within the per-minute cap and
/// returns what was credited. The cap is raised by a compare-and-set UPDATE on the day's row, so
/// two tabs sending at the same instant cannot both get the same minute's seconds.
pub async fn heartbeat<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    course_id: i32,
    item_id: &str,
    seconds: i32,
    now: DateTime<Utc>,
) -> AppResult<i32> {
    touch_item(db, participant_id, course_id, item_id, now).await?;
    touch_day(db, participant_id, course_id, now).await?;
    let minute = now.timestamp().div_euclid(60);
    let today = helsinki_today(now);
    for _ in 0..16 {
        let day = activity_day::Entity::find()
            .filter(activity_day::Column::ParticipantId.eq(participant_id))
            .filter(activity_day::Column::CourseId.eq(course_id))
            .filter(activity_day::Column::Day.eq(today))
            .one(db)
            .await?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("activity day row missing")))?;
        let (credited, used) = rules::credit(seconds, minute, day.minute_at, day.minute_seconds);
        if credited == 0 {
            return Ok(0);
        }
        let claimed = activity_day::Entity::update_many()
            .col_expr(
                activity_day::Column::VisibleSeconds,
                Expr::col(activity_day::Column::VisibleSeconds).add(i64::from(credited)),
            )
            .col_expr(activity_day::Column::MinuteAt, Expr::value(minute))
            .col_expr(activity_day::Column::MinuteSeconds, Expr::value(used))
            .filter(activity_day::Column::Id.eq(day.id))
            .filter(activity_day::Column::MinuteAt.eq(day.minute_at))
            .filter(activity_day::Column::MinuteSeconds.eq(day.minute_seconds))
            .exec(db)
            .await?;
        if claimed.rows_affected == 1 {
            item_progress::Entity::update_many()
                .col_expr(
                    item_progress::Column::VisibleSeconds,
                    Expr::col(item_progress::Column::VisibleSeconds).add(i64::from(credited)),
                )
                .filter(item_progress::Column::ParticipantId.eq(participant_id))
                .filter(item_progress::Column::CourseId.eq(course_id))
                .filter(item_progress::Column::ItemId.eq(item_id))
                .exec(db)
                .await?;
            return Ok(credited);
        }
        // Another heartbeat changed the minute first: read it again.
    }
    Ok(0)
}

/// Longest recording we accept a position for: a day.
pub const MAX_MEDIA_SECONDS: f64 = 86_400.0;

/// Checks a reported media position; field errors name `position_s` and `duration_s`.
pub fn check_media(position_s: f64, duration_s: f64) -> AppResult<()> {
    let mut errors = Vec::new();
    if !duration_s.is_finite() || duration_s <= 0.0 || duration_s > MAX_MEDIA_SECONDS {
        errors.push(crate::error::FieldError::new(
            "duration_s",
            "out_of_range",
            "the duration must be more than 0 and at most 86400 seconds",
        ));
    }
    if !(0.0..=MAX_MEDIA_SECONDS).contains(&position_s) {
        errors.push(crate::error::FieldError::new(
            "position_s",
            "out_of_range",
            "the position must be between 0 and 86400 seconds",
        ));
    } else if errors.is_empty() && position_s > duration_s + 1.0 {
        errors.push(crate::error::FieldError::new(
            "position_s",
            "out_of_range",
            "the position cannot be past the end of the recording",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// `PUT …/media`: keeps where the participant is and completes the item (`media`) once the
/// furthest position reached is at least 90 % of the duration.
pub async fn media<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    course_id: i32,
    item: &OutlineItem,
    position_s: f64,
    duration_s: f64,
    now: DateTime<Utc>,
) -> AppResult<ItemProgress> {
    if item.completion != Completion::Media {
        return Err(AppError::conflict(
            "not_media",
            "only audio and video have a playing position",
        ));
    }
    check_media(position_s, duration_s)?;
    touch_item(db, participant_id, course_id, &item.id, now).await?;
    touch_day(db, participant_id, course_id, now).await?;
    let row = item_row(db, participant_id, course_id, &item.id).await?;
    let position = position_s.min(duration_s);
    let furthest = row.furthest_s.unwrap_or(0.0).max(position);
    let newly_done = row.completed_at.is_none() && media_done(furthest, duration_s);
    let mut active = row.into_active_model();
    active.position_s = Set(Some(position));
    active.duration_s = Set(Some(duration_s));
    active.furthest_s = Set(Some(furthest));
    if newly_done {
        active.completed_at = Set(Some(now));
        active.completed_how = Set(Some(CompletedHow::Media.as_str().to_owned()));
    }
    Ok(ItemProgress::from(&active.update(db).await?))
}

/// Sets the item complete in the given way unless it is complete already.
pub async fn complete<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    course_id: i32,
    item_id: &str,
    how: CompletedHow,
    now: DateTime<Utc>,
) -> AppResult<ItemProgress> {
    touch_item(db, participant_id, course_id, item_id, now).await?;
    touch_day(db, participant_id, course_id, now).await?;
    let row = item_row(db, participant_id, course_id, item_id).await?;
    if row.completed_at.is_some() {
        return Ok(ItemProgress::from(&row));
    }
    let mut active = row.into_active_model();
    active.completed_at = Set(Some(now));
    active.completed_how = Set(Some(how.as_str().to_owned()));
    Ok(ItemProgress::from(&active.update(db).await?))
}

/// `POST …/complete`: the participant marks the item done; exercises with questions are done
/// by answering instead (409 `answer_required`).
pub async fn mark<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    course_id: i32,
    item: &OutlineItem,
    now: DateTime<Utc>,
) -> AppResult<ItemProgress> {
    if !item.completion.markable() {
        return Err(AppError::conflict(
            "answer_required",
            "this exercise is done when you send your answers",
        ));
    }
    complete(
        db,
        participant_id,
        course_id,
        &item.id,
        CompletedHow::Marked,
        now,
    )
    .await
}

/// `DELETE …/complete`: undoes a `marked` completion; other completions stand (409 `not_marked`).
pub async fn unmark<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    course_id: i32,
    item_id: &str,
    now: DateTime<Utc>,
) -> AppResult<ItemProgress> {
    touch_item(db, participant_id, course_id, item_id, now).await?;
    let row = item_row(db, participant_id, course_id, item_id).await?;
    match row.completed_how.as_deref().and_then(CompletedHow::parse) {
        None => Ok(ItemProgress::from(&row)),
        Some(CompletedHow::Marked) => {
            let mut active = row.into_active_model();
            active.completed_at = Set(None);
            active.completed_how = Set(None);
            Ok(ItemProgress::from(&active.update(db).await?))
        }
        Some(_) => Err(AppError::conflict(
            "not_marked",
            "this item was completed by listening, watching or answering, not by marking",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_positions_are_checked() {
        assert!(check_media(0.0, 120.0).is_ok());
        assert!(check_media(120.0, 120.0).is_ok());
        for (p, d) in [
            (-1.0, 120.0),
            (10.0, 0.0),
            (10.0, -5.0),
            (f64::NAN, 120.0),
            (10.0, f64::INFINITY),
            (500.0, 120.0),
            (10.0, 1e12),
        ] {
            assert!(check_media(p, d).is_err(), "{p} / {d}");
        }
    }
}
