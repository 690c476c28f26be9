//! Enrolment rules and database work: placing participants on courses (R-GROUP-SIZE), personal
//! guides (R-TEAM), and each participant's deadlines from the decision date.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Set, TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::accounts::model::{AccountStatus, Language, Role};
use crate::courses::access::is_on_team;
use crate::courses::model::CourseState;
use crate::courses::schedule::helsinki_today;
use crate::courses::service::{participant_count, schedule_of};
use crate::enrolment::deadlines::{
    DeadlineFacts, DeadlineWarning, Deadlines, check_deadlines, validate_decision_date,
};
use crate::enrolment::group_size::{MAX_PARTICIPANTS, check_can_enrol};
use crate::entity::{course, enrolment, user};
use crate::error::{AppError, AppResult};
use crate::team::profession::Profession;

#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantRef {
    pub id: Uuid,
    pub display_name: String,
    pub email: String,
    pub language: Language,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GuideRef {
    pub id: Uuid,
    pub display_name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EnrolmentView {
    pub participant: ParticipantRef,
    pub decision_date: NaiveDate,
    pub enrolled_on: NaiveDate,
    pub personal_guide: Option<GuideRef>,
    pub deadlines: Deadlines,
    pub warnings: Vec<DeadlineWarning>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Enrol {
    pub participant_id: Uuid,
    /// The date of Kela's rehabilitation decision; deadlines are counted from it.
    pub decision_date: NaiveDate,
    #[serde(default)]
    pub personal_guide_id: Option<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetPersonalGuide {
    pub staff_id: Uuid,
}

/// The participants enrolled on a course, by name (one query).
pub async fn enrolled_people<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
) -> AppResult<Vec<user::Model>> {
    Ok(user::Entity::find()
        .filter(
            user::Column::Id.in_subquery(
                enrolment::Entity::find()
                    .select_only()
                    .column(enrolment::Column::ParticipantId)
                    .filter(enrolment::Column::CourseId.eq(c.id))
                    .into_query(),
            ),
        )
        .order_by_asc(user::Column::DisplayName)
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?)
}

/// The ids of the participants enrolled on a course (one query).
pub async fn enrolled_ids<C: ConnectionTrait>(db: &C, course_id: i32) -> AppResult<Vec<i32>> {
    Ok(enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::ParticipantId)
        .filter(enrolment::Column::CourseId.eq(course_id))
        .into_tuple()
        .all(db)
        .await?)
}

pub async fn enrolments_of<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
    today: NaiveDate,
) -> AppResult<Vec<EnrolmentView>> {
    let schedule = schedule_of(c)?;
    let rows = enrolment::Entity::find()
        .filter(enrolment::Column::CourseId.eq(c.id))
        .order_by_asc(enrolment::Column::Id)
        .all(db)
        .await?;
    let mut ids: Vec<i32> = rows.iter().map(|r| r.participant_id).collect();
    ids.extend(rows.iter().filter_map(|r| r.personal_guide_id));
    let people = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let person = |id: i32| people.iter().find(|p| p.id == id);
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let Some(p) = person(r.participant_id) else {
            continue;
        };
        let (deadlines, warnings) = check_deadlines(&DeadlineFacts {
            decision_date: r.decision_date,
            enrolled_on: r.enrolled_on,
            course_confirmed_on: c.confirmed_on,
            follow_up_end: schedule.follow_up_end,
            today,
        });
        out.push(EnrolmentView {
            participant: ParticipantRef {
                id: p.uuid,
                display_name: p.display_name.clone(),
                email: p.email.clone(),
                language: Language::parse(&p.language),
            },
            decision_date: r.decision_date,
            enrolled_on: r.enrolled_on,
            personal_guide: r.personal_guide_id.and_then(person).map(|g| GuideRef {
                id: g.uuid,
                display_name: g.display_name.clone(),
            }),
            deadlines,
            warnings,
        });
    }
    Ok(out)
}

/// R-TEAM: the personal guide is one of the course's mandatory professionals.
async fn personal_guide<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
    id: Uuid,
    field: &str,
) -> AppResult<user::Model> {
    let guide = user::Entity::find()
        .filter(user::Column::Uuid.eq(id))
        .filter(user::Column::ProviderId.eq(c.provider_id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::field(field, "unknown", "no such staff member"))?;
    if !is_on_team(db, c.id, guide.id).await? {
        return Err(AppError::field(
            field,
            "not_on_team",
            "the personal guide must be on the course's team",
        ));
    }
    let mandatory = guide
        .profession
        .as_deref()
        .and_then(|p| Profession::parse(p).ok())
        .is_some_and(|p| p.is_mandatory_professional());
    if !mandatory {
        return Err(AppError::field(
            field,
            "not_mandatory_professional",
            "a personal guide is a nurse, public health nurse, physiotherapist, social worker, socionom or rehabilitation instructor (R-TEAM)",
        ));
    }
    Ok(guide)
}

fn is_open(c: &course::Model) -> bool {
    CourseState::parse(&c.state).is_open()
}

pub async fn enrol<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    c: &course::Model,
    req: Enrol,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if !is_open(c) {
        return Err(AppError::conflict(
            "course_closed",
            "participants cannot join a finished or cancelled course",
        ));
    }
    let today = helsinki_today(now);
    let participant = user::Entity::find()
        .filter(user::Column::Uuid.eq(req.participant_id))
        .filter(user::Column::ProviderId.eq(c.provider_id))
        .filter(user::Column::Role.eq(Role::Participant.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::field(
                "participant_id",
                "unknown",
                "no such participant at your organisation",
            )
        })?;
    if AccountStatus::parse(&participant.status) == AccountStatus::Disabled {
        return Err(AppError::field(
            "participant_id",
            "disabled",
            "this account is disabled",
        ));
    }
    validate_decision_date(req.decision_date, today, c.onsite1_start)
        .map_err(|e| AppError::field("decision_date", "invalid", e.to_string()))?;
    let guide = match req.personal_guide_id {
        Some(id) => Some(personal_guide(db, c, id, "personal_guide_id").await?),
        None => None,
    };
    let txn = db.begin().await?;
    // Take the course's write lock before counting (R-GROUP-SIZE): two admins adding the 12th and
    // 13th at once queue here instead of both seeing 11. An UPDATE locks the row on PostgreSQL and
    // takes SQLite's write lock at once, so neither database reads a stale count.
    course::Entity::update_many()
        .col_expr(course::Column::UpdatedAt, Expr::value(now))
        .filter(course::Column::Id.eq(c.id))
        .exec(&txn)
        .await?;
    // A participant is on one open course at a time; a transfer leaves the old course first.
    for e in enrolment::Entity::find()
        .filter(enrolment::Column::ParticipantId.eq(participant.id))
        .all(&txn)
        .await?
    {
        let other = course::Entity::find_by_id(e.course_id).one(&txn).await?;
        if other.as_ref().is_some_and(is_open) {
            return Err(AppError::conflict(
                "already_enrolled",
                "this participant is already on an open course; remove them from it first",
            ));
        }
    }
    let count = participant_count(&txn, c.id).await?;
    check_can_enrol(count).map_err(|_| {
        AppError::conflict(
            "group_full",
            format!("the course already has {MAX_PARTICIPANTS} participants, the most a group can have (R-GROUP-SIZE)"),
        )
    })?;
    enrolment::ActiveModel {
        course_id: Set(c.id),
        participant_id: Set(participant.id),
        decision_date: Set(req.decision_date),
        personal_guide_id: Set(guide.map(|g| g.id)),
        enrolled_on: Set(today),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let after = participant_count(&txn, c.id).await?;
    if after > MAX_PARTICIPANTS {
        // Lost a race with another enrolment: undo ours.
        txn.rollback().await?;
        return Err(AppError::conflict(
            "group_full",
            "the course is full (R-GROUP-SIZE)",
        ));
    }
    txn.commit().await?;
    Ok(())
}

async fn enrolment_row<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
    participant: Uuid,
) -> AppResult<enrolment::Model> {
    let person = user::Entity::find()
        .filter(user::Column::Uuid.eq(participant))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    enrolment::Entity::find()
        .filter(enrolment::Column::CourseId.eq(c.id))
        .filter(enrolment::Column::ParticipantId.eq(person.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn unenrol<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
    participant: Uuid,
) -> AppResult<i32> {
    let state = CourseState::parse(&c.state);
    if !matches!(state, CourseState::Planned | CourseState::Confirmed) {
        return Err(AppError::conflict(
            "course_started",
            "participants can be removed only before the course starts",
        ));
    }
    let row = enrolment_row(db, c, participant).await?;
    enrolment::Entity::delete_by_id(row.id).exec(db).await?;
    Ok(row.participant_id)
}

pub async fn set_personal_guide<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
    participant: Uuid,
    req: SetPersonalGuide,
) -> AppResult<()> {
    if !is_open(c) {
        return Err(AppError::conflict(
            "course_closed",
            "a finished or cancelled course cannot be changed",
        ));
    }
    let row = enrolment_row(db, c, participant).await?;
    let guide = personal_guide(db, c, req.staff_id, "staff_id").await?;
    let mut active = row.into_active_model();
    active.personal_guide_id = Set(Some(guide.id));
    active.update(db).await?;
    Ok(())
}
