//! Goals in the database: at most three per participant and course, a history of every change,
//! and the texts frozen once a baseline is rated (R-GAS).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::auth::extract::AuthUser;
use crate::courses::access::course_participant_for_staff;
use crate::entity::{course, enrolment, goal, goal_history, user};
use crate::error::{AppError, AppResult};
use crate::goals::gas::{GasLevel, Weight, t_score};
use crate::goals::model::{
    Actor, GoalChange, GoalContent, GoalHistoryEntry, GoalSnapshot, GoalView, GoalsView, LevelTexts,
};

/// R-GAS: one to three goals.
pub const MAX_GOALS: i32 = 3;

/// Whose goals: a participant on a course.
#[derive(Debug, Clone, Copy)]
pub struct Owner {
    pub course_id: i32,
    pub participant_id: i32,
}

/// The course and the participant a staff member names in a path: the course must be theirs
/// (`course_for_staff`) and the participant enrolled on it; anything else is a 404.
pub async fn staff_participant<C: ConnectionTrait>(
    db: &C,
    actor: &AuthUser,
    course_id: Uuid,
    participant: Uuid,
) -> AppResult<(course::Model, user::Model)> {
    course_participant_for_staff(db, actor, course_id, participant).await
}

/// Starts a transaction holding the participant's enrolment row: writers for one participant
/// queue here, so two tabs adding a third and a fourth goal cannot both see two. A no-op UPDATE
/// locks the row on PostgreSQL and takes SQLite's write lock at once.
pub async fn lock_enrolment(
    db: &DatabaseConnection,
    course_id: i32,
    participant_id: i32,
) -> AppResult<DatabaseTransaction> {
    let txn = db.begin().await?;
    let locked = enrolment::Entity::update_many()
        .col_expr(
            enrolment::Column::CreatedAt,
            Expr::col(enrolment::Column::CreatedAt),
        )
        .filter(enrolment::Column::CourseId.eq(course_id))
        .filter(enrolment::Column::ParticipantId.eq(participant_id))
        .exec(&txn)
        .await?;
    if locked.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(txn)
}

fn levels_of(g: &goal::Model) -> LevelTexts {
    LevelTexts {
        minus2: g.level_minus2.clone(),
        minus1: g.level_minus1.clone(),
        zero: g.level0.clone(),
        plus1: g.level_plus1.clone(),
        plus2: g.level_plus2.clone(),
    }
}

fn view(g: &goal::Model) -> GoalView {
    GoalView {
        id: g.uuid,
        position: g.position,
        title: g.title.clone(),
        levels: levels_of(g),
        weight: g.weight,
        baseline: g.baseline,
        baseline_at: g.baseline_at,
        attainment: g.attainment,
        attained_at: g.attained_at,
        updated_at: g.updated_at,
    }
}

fn snapshot(g: &goal::Model) -> GoalSnapshot {
    GoalSnapshot {
        title: g.title.clone(),
        levels: levels_of(g),
        weight: g.weight,
        baseline: g.baseline,
        attainment: g.attainment,
    }
}

/// The T-score when every goal has a rating, rounded to one decimal for showing.
fn t_of(goals: &[goal::Model], rating: impl Fn(&goal::Model) -> Option<i32>) -> Option<f64> {
    let rated: Option<Vec<(Weight, GasLevel)>> = goals
        .iter()
        .map(|g| {
            let level = GasLevel::parse(i64::from(rating(g)?)).ok()?;
            let weight = Weight::parse(i64::from(g.weight)).ok()?;
            Some((weight, level))
        })
        .collect();
    t_score(&rated?).map(|t| (t * 10.0).round() / 10.0)
}

async fn goals_of<C: ConnectionTrait>(db: &C, who: Owner) -> AppResult<Vec<goal::Model>> {
    Ok(goal::Entity::find()
        .filter(goal::Column::CourseId.eq(who.course_id))
        .filter(goal::Column::ParticipantId.eq(who.participant_id))
        .order_by_asc(goal::Column::Position)
        .all(db)
        .await?)
}

pub async fn list<C: ConnectionTrait>(db: &C, who: Owner) -> AppResult<GoalsView> {
    let goals = goals_of(db, who).await?;
    Ok(GoalsView {
        t_baseline: t_of(&goals, |g| g.baseline),
        t_end: t_of(&goals, |g| g.attainment),
        goals: goals.iter().map(view).collect(),
    })
}

/// How many goals the participant has set on the course (the home page's "goals set").
pub async fn goals_set<C: ConnectionTrait>(db: &C, who: Owner) -> AppResult<u64> {
    Ok(goal::Entity::find()
        .filter(goal::Column::CourseId.eq(who.course_id))
        .filter(goal::Column::ParticipantId.eq(who.participant_id))
        .count(db)
        .await?)
}

/// One of the owner's goals; another's is a 404.
pub async fn find<C: ConnectionTrait>(db: &C, who: Owner, id: Uuid) -> AppResult<goal::Model> {
    goal::Entity::find()
        .filter(goal::Column::Uuid.eq(id))
        .filter(goal::Column::CourseId.eq(who.course_id))
        .filter(goal::Column::ParticipantId.eq(who.participant_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

async fn remember<C: ConnectionTrait>(
    db: &C,
    g: &goal::Model,
    actor_id: i32,
    action: &str,
    previous: Option<&goal::Model>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let previous = previous
        .map(|p| serde_json::to_string(&snapshot(p)))
        .transpose()
        .map_err(|e| AppError::Internal(e.into()))?;
    goal_history::ActiveModel {
        goal_uuid: Set(g.uuid),
        course_id: Set(g.course_id),
        participant_id: Set(g.participant_id),
        actor_id: Set(actor_id),
        action: Set(action.to_owned()),
        previous: Set(previous),
        at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The lowest free slot 1..=3, or `None` when all three are taken.
pub fn free_position(taken: &[i32]) -> Option<i32> {
    (1..=MAX_GOALS).find(|p| !taken.contains(p))
}

fn rated() -> AppError {
    AppError::conflict(
        "goal_rated",
        "the goal's baseline has been rated, so its texts and weight can no longer change",
    )
}

pub async fn create(
    db: &DatabaseConnection,
    who: Owner,
    actor_id: i32,
    content: GoalContent,
    now: DateTime<Utc>,
) -> AppResult<GoalView> {
    let txn = lock_enrolment(db, who.course_id, who.participant_id).await?;
    let taken: Vec<i32> = goals_of(&txn, who)
        .await?
        .iter()
        .map(|g| g.position)
        .collect();
    let position = free_position(&taken).ok_or_else(|| {
        AppError::conflict(
            "goal_limit",
            format!("a participant has at most {MAX_GOALS} goals (R-GAS)"),
        )
    })?;
    let GoalContent {
        title,
        levels,
        weight,
    } = content;
    let g = goal::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        course_id: Set(who.course_id),
        participant_id: Set(who.participant_id),
        position: Set(position),
        title: Set(title),
        level_minus2: Set(levels.minus2),
        level_minus1: Set(levels.minus1),
        level0: Set(levels.zero),
        level_plus1: Set(levels.plus1),
        level_plus2: Set(levels.plus2),
        weight: Set(weight.value()),
        baseline: Set(None),
        baseline_at: Set(None),
        attainment: Set(None),
        attained_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    remember(&txn, &g, actor_id, "create", None, now).await?;
    txn.commit().await?;
    Ok(view(&g))
}

pub async fn update(
    db: &DatabaseConnection,
    who: Owner,
    id: Uuid,
    actor_id: i32,
    change: GoalChange,
    now: DateTime<Utc>,
) -> AppResult<GoalView> {
    let txn = lock_enrolment(db, who.course_id, who.participant_id).await?;
    let before = find(&txn, who, id).await?;
    if change.is_empty() {
        return Ok(view(&before));
    }
    if before.baseline.is_some() {
        return Err(rated());
    }
    let mut active = before.clone().into_active_model();
    if let Some(title) = change.title {
        active.title = Set(title);
    }
    if let Some(levels) = change.levels {
        active.level_minus2 = Set(levels.minus2);
        active.level_minus1 = Set(levels.minus1);
        active.level0 = Set(levels.zero);
        active.level_plus1 = Set(levels.plus1);
        active.level_plus2 = Set(levels.plus2);
    }
    if let Some(weight) = change.weight {
        active.weight = Set(weight.value());
    }
    active.updated_at = Set(now);
    let after = active.update(&txn).await?;
    remember(&txn, &after, actor_id, "update", Some(&before), now).await?;
    txn.commit().await?;
    Ok(view(&after))
}

/// Deletes a goal whose baseline is not rated; the tasks serving it are unlinked.
pub async fn delete(
    db: &DatabaseConnection,
    who: Owner,
    id: Uuid,
    actor_id: i32,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let txn = lock_enrolment(db, who.course_id, who.participant_id).await?;
    let before = find(&txn, who, id).await?;
    if before.baseline.is_some() {
        return Err(rated());
    }
    // Tasks serving the goal lose the link in the same transaction (each keeps it in its
    // history); the foreign key would refuse the delete otherwise.
    crate::selfrehab::service::unlink_goal(&txn, &before, actor_id, now).await?;
    goal::Entity::delete_by_id(before.id).exec(&txn).await?;
    remember(&txn, &before, actor_id, "delete", Some(&before), now).await?;
    txn.commit().await?;
    Ok(())
}

/// Which rating a staff member sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rating {
    Baseline,
    Attainment,
}

pub async fn rate(
    db: &DatabaseConnection,
    who: Owner,
    id: Uuid,
    actor_id: i32,
    rating: Rating,
    level: GasLevel,
    now: DateTime<Utc>,
) -> AppResult<GoalView> {
    let txn = lock_enrolment(db, who.course_id, who.participant_id).await?;
    let before = find(&txn, who, id).await?;
    let mut active = before.clone().into_active_model();
    match rating {
        Rating::Baseline => {
            // The baseline may be corrected until the end rating is made against it.
            if before.attainment.is_some() {
                return Err(AppError::conflict(
                    "goal_rated",
                    "the goal's attainment has been rated, so its baseline can no longer change",
                ));
            }
            active.baseline = Set(Some(level.value()));
            active.baseline_at = Set(Some(now));
        }
        Rating::Attainment => {
            if before.baseline.is_none() {
                return Err(AppError::conflict(
                    "baseline_missing",
                    "rate the goal's baseline before its attainment",
                ));
            }
            active.attainment = Set(Some(level.value()));
            active.attained_at = Set(Some(now));
        }
    }
    active.updated_at = Set(now);
    let after = active.update(&txn).await?;
    let action = match rating {
        Rating::Baseline => "baseline",
        Rating::Attainment => "attainment",
    };
    remember(&txn, &after, actor_id, action, Some(&before), now).await?;
    txn.commit().await?;
    Ok(view(&after))
}

/// The goal's changes, newest first.
pub async fn history<C: ConnectionTrait>(
    db: &C,
    g: &goal::Model,
) -> AppResult<Vec<GoalHistoryEntry>> {
    let rows = goal_history::Entity::find()
        .filter(goal_history::Column::GoalUuid.eq(g.uuid))
        .order_by_desc(goal_history::Column::Id)
        .all(db)
        .await?;
    let actors = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|r| r.actor_id)))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| GoalHistoryEntry {
            at: r.at,
            actor: Actor {
                display_name: actors
                    .iter()
                    .find(|a| a.id == r.actor_id)
                    .map(|a| a.display_name.clone())
                    .unwrap_or_default(),
            },
            action: r.action,
            previous: r
                .previous
                .as_deref()
                .and_then(|p| serde_json::from_str(p).ok()),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goals_fill_the_lowest_free_slot_and_stop_at_three() {
        assert_eq!(free_position(&[]), Some(1));
        assert_eq!(free_position(&[1, 3]), Some(2));
        assert_eq!(free_position(&[2, 3]), Some(1));
        assert_eq!(free_position(&[1, 2, 3]), None);
    }
}
