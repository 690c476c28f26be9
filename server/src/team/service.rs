//! A course's team: who is on it, whether it meets R-TEAM, and changing it.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::accounts::model::{AccountStatus, Role};
use crate::courses::model::CourseState;
use crate::entity::{course, enrolment, team_member, user};
use crate::error::{AppError, AppResult};
use crate::team::composition::{TeamCheck, TeamMemberFacts, check_team};
use crate::team::profession::Profession;

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffRef {
    pub id: Uuid,
    pub display_name: String,
    pub profession: Option<Profession>,
    pub role: Role,
}

impl From<&user::Model> for StaffRef {
    fn from(u: &user::Model) -> StaffRef {
        StaffRef {
            id: u.uuid,
            display_name: u.display_name.clone(),
            profession: u
                .profession
                .as_deref()
                .and_then(|p| Profession::parse(p).ok()),
            role: Role::parse(&u.role).unwrap_or(Role::Guide),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TeamMemberView {
    pub staff: StaffRef,
    pub service_manager: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TeamView {
    pub members: Vec<TeamMemberView>,
    pub check: TeamCheck,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddTeamMember {
    pub staff_id: Uuid,
    /// Makes this member the course's one service manager (R-TEAM); others lose the mark.
    #[serde(default)]
    pub service_manager: bool,
}

pub async fn members<C: ConnectionTrait>(
    db: &C,
    course_id: i32,
) -> AppResult<Vec<(user::Model, team_member::Model)>> {
    let rows = team_member::Entity::find()
        .filter(team_member::Column::CourseId.eq(course_id))
        .order_by_asc(team_member::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|r| r.user_id).collect();
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            users
                .iter()
                .find(|u| u.id == r.user_id)
                .cloned()
                .map(|u| (u, r))
        })
        .collect())
}

/// What R-TEAM needs to know of one member, from the stored profession; a member without a
/// known profession fills no role.
pub fn member_facts(profession: Option<&str>, service_manager: bool) -> Option<TeamMemberFacts> {
    Some(TeamMemberFacts {
        profession: Profession::parse(profession?).ok()?,
        service_manager,
    })
}

pub async fn check<C: ConnectionTrait>(db: &C, course_id: i32) -> AppResult<TeamCheck> {
    let facts: Vec<TeamMemberFacts> = members(db, course_id)
        .await?
        .iter()
        .filter_map(|(u, t)| member_facts(u.profession.as_deref(), t.service_manager))
        .collect();
    Ok(check_team(&facts))
}

pub async fn view<C: ConnectionTrait>(db: &C, course_id: i32) -> AppResult<TeamView> {
    let members = members(db, course_id)
        .await?
        .iter()
        .map(|(u, t)| TeamMemberView {
            staff: StaffRef::from(u),
            service_manager: t.service_manager,
        })
        .collect();
    Ok(TeamView {
        members,
        check: check(db, course_id).await?,
    })
}

fn ensure_open(c: &course::Model) -> AppResult<()> {
    if CourseState::parse(&c.state).is_open() {
        Ok(())
    } else {
        Err(AppError::conflict(
            "course_closed",
            "a finished or cancelled course cannot be changed",
        ))
    }
}

/// Staff of the course's own provider with a profession; anything else is an unknown id.
async fn staff_member<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
    id: Uuid,
) -> AppResult<user::Model> {
    let person = user::Entity::find()
        .filter(user::Column::Uuid.eq(id))
        .filter(user::Column::ProviderId.eq(c.provider_id))
        .filter(user::Column::Role.is_in([Role::Guide.as_str(), Role::ProviderAdmin.as_str()]))
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::field(
                "staff_id",
                "unknown",
                "no such staff member at your organisation",
            )
        })?;
    if AccountStatus::parse(&person.status) == AccountStatus::Disabled {
        return Err(AppError::field(
            "staff_id",
            "disabled",
            "this account is disabled",
        ));
    }
    if person.profession.is_none() {
        return Err(AppError::field(
            "staff_id",
            "no_profession",
            "a team member needs a profession (R-TEAM)",
        ));
    }
    Ok(person)
}

pub async fn add<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    c: &course::Model,
    req: AddTeamMember,
    now: DateTime<Utc>,
) -> AppResult<()> {
    ensure_open(c)?;
    let person = staff_member(db, c, req.staff_id).await?;
    let txn = db.begin().await?;
    if req.service_manager {
        team_member::Entity::update_many()
            .col_expr(team_member::Column::ServiceManager, Expr::value(false))
            .filter(team_member::Column::CourseId.eq(c.id))
            .exec(&txn)
            .await?;
    }
    let existing = team_member::Entity::find()
        .filter(team_member::Column::CourseId.eq(c.id))
        .filter(team_member::Column::UserId.eq(person.id))
        .one(&txn)
        .await?;
    match existing {
        Some(row) => {
            let mut active: team_member::ActiveModel = row.into();
            active.service_manager = Set(req.service_manager);
            active.update(&txn).await?;
        }
        None => {
            team_member::ActiveModel {
                course_id: Set(c.id),
                user_id: Set(person.id),
                service_manager: Set(req.service_manager),
                added_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// Takes `staff` off the course's team; returns their user id.
pub async fn remove<C: ConnectionTrait>(db: &C, c: &course::Model, staff: Uuid) -> AppResult<i32> {
    ensure_open(c)?;
    let person = user::Entity::find()
        .filter(user::Column::Uuid.eq(staff))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let guides_someone = enrolment::Entity::find()
        .filter(enrolment::Column::CourseId.eq(c.id))
        .filter(enrolment::Column::PersonalGuideId.eq(person.id))
        .count(db)
        .await?;
    if guides_someone > 0 {
        return Err(AppError::conflict(
            "is_personal_guide",
            format!(
                "{} is a personal guide on this course; choose another personal guide first",
                person.display_name
            ),
        ));
    }
    let deleted = team_member::Entity::delete_many()
        .filter(team_member::Column::CourseId.eq(c.id))
        .filter(team_member::Column::UserId.eq(person.id))
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(person.id)
}
