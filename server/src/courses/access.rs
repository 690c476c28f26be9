//! Who may see which course and whose data: deny by default, and a foreign id is a 404 (S10, S12).
//! Every handler that takes a course or participant id calls one of these first.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use crate::accounts::model::Role;
use crate::auth::extract::AuthUser;
use crate::entity::{course, enrolment, team_member, user};
use crate::error::{AppError, AppResult};

pub async fn find_course<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<course::Model> {
    course::Entity::find()
        .filter(course::Column::Uuid.eq(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn is_on_team<C: ConnectionTrait>(
    db: &C,
    course_id: i32,
    user_id: i32,
) -> AppResult<bool> {
    Ok(team_member::Entity::find()
        .filter(team_member::Column::CourseId.eq(course_id))
        .filter(team_member::Column::UserId.eq(user_id))
        .count(db)
        .await?
        > 0)
}

/// A course a staff member may see: a provider admin's own provider's, a guide's own team's.
pub async fn course_for_staff<C: ConnectionTrait>(
    db: &C,
    actor: &AuthUser,
    id: Uuid,
) -> AppResult<course::Model> {
    let course = find_course(db, id).await?;
    let visible = match actor.role {
        Role::ProviderAdmin => actor.provider_id == Some(course.provider_id),
        Role::Guide => {
            actor.provider_id == Some(course.provider_id)
                && is_on_team(db, course.id, actor.id).await?
        }
        Role::Participant | Role::PlatformAdmin => false,
    };
    if visible {
        Ok(course)
    } else {
        Err(AppError::NotFound)
    }
}

/// A course a provider admin may change: only their own provider's.
pub async fn course_for_admin<C: ConnectionTrait>(
    db: &C,
    provider_id: i32,
    id: Uuid,
) -> AppResult<course::Model> {
    let course = find_course(db, id).await?;
    if course.provider_id == provider_id {
        Ok(course)
    } else {
        Err(AppError::NotFound)
    }
}

/// A participant whose data this staff member may see: a provider admin's own provider's;
/// a guide's only while the participant is on a course whose team the guide is on.
pub async fn participant_for_staff<C: ConnectionTrait>(
    db: &C,
    actor: &AuthUser,
    id: Uuid,
) -> AppResult<user::Model> {
    let person = user::Entity::find()
        .filter(user::Column::Uuid.eq(id))
        .filter(user::Column::Role.eq(Role::Participant.as_str()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if person.provider_id.is_none() || person.provider_id != actor.provider_id {
        return Err(AppError::NotFound);
    }
    let visible = match actor.role {
        Role::ProviderAdmin => true,
        Role::Guide => {
            let courses: Vec<i32> = enrolment::Entity::find()
                .filter(enrolment::Column::ParticipantId.eq(person.id))
                .all(db)
                .await?
                .into_iter()
                .map(|e| e.course_id)
                .collect();
            team_member::Entity::find()
                .filter(team_member::Column::UserId.eq(actor.id))
                .filter(team_member::Column::CourseId.is_in(courses))
                .count(db)
                .await?
                > 0
        }
        Role::Participant | Role::PlatformAdmin => false,
    };
    if visible {
        Ok(person)
    } else {
        Err(AppError::NotFound)
    }
}

/// A participant enrolled on `course`, by id; anyone else (another course's participant, staff, an
/// unknown id) is a 404.
pub async fn enrolled_participant<C: ConnectionTrait>(
    db: &C,
    course: &course::Model,
    participant: Uuid,
) -> AppResult<user::Model> {
    let person = user::Entity::find()
        .filter(user::Column::Uuid.eq(participant))
        .filter(user::Column::Role.eq(Role::Participant.as_str()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let enrolled = enrolment::Entity::find()
        .filter(enrolment::Column::CourseId.eq(course.id))
        .filter(enrolment::Column::ParticipantId.eq(person.id))
        .count(db)
        .await?
        > 0;
    if enrolled {
        Ok(person)
    } else {
        Err(AppError::NotFound)
    }
}

/// A course this staff member may see (as [`course_for_staff`]) and a participant enrolled on it:
/// the check every staff endpoint about one participant's data starts with.
pub async fn course_participant_for_staff<C: ConnectionTrait>(
    db: &C,
    actor: &AuthUser,
    course_id: Uuid,
    participant: Uuid,
) -> AppResult<(course::Model, user::Model)> {
    let course = course_for_staff(db, actor, course_id).await?;
    let person = enrolled_participant(db, &course, participant).await?;
    Ok((course, person))
}
