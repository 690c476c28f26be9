//! Account rules and database work: creating users, profiles, provider-scoped lists.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::accounts::model::{
    AccountStatus, DisplayName, Email, Language, Me, Preferences, ProviderRef, Role,
};
use crate::entity::{course, enrolment, provider, user};
use crate::error::{AppError, AppResult};
use crate::team::profession::Profession;

pub async fn me<C: ConnectionTrait>(db: &C, account: &user::Model) -> AppResult<Me> {
    let provider = match account.provider_id {
        Some(id) => provider::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|p| ProviderRef {
                id: p.uuid,
                name: p.name,
            }),
        None => None,
    };
    Ok(Me {
        id: account.uuid,
        email: account.email.clone(),
        display_name: account.display_name.clone(),
        role: Role::parse(&account.role).unwrap_or(Role::Participant),
        profession: account.profession.clone(),
        language: Language::parse(&account.language),
        provider,
        has_password: account.password_hash.is_some(),
        mfa_enabled: account.totp_enabled_at.is_some(),
        preferences: Preferences {
            mail_notifications: account.mail_notifications,
            task_reminders: account.task_reminders,
            chat_digest: (account.role == Role::Guide.as_str()).then_some(account.chat_digest),
            activity_nudges: (account.role == Role::Participant.as_str())
                .then_some(account.activity_nudges),
        },
    })
}

/// Everything needed to make an account; parsed before it gets here.
pub struct NewUser {
    pub provider_id: Option<i32>,
    pub email: Email,
    pub display_name: DisplayName,
    pub role: Role,
    pub profession: Option<Profession>,
    pub language: Language,
    pub status: AccountStatus,
    pub password_hash: Option<String>,
}

pub async fn create_user<C: ConnectionTrait>(
    db: &C,
    new: NewUser,
    now: DateTime<Utc>,
) -> AppResult<user::Model> {
    let taken = user::Entity::find()
        .filter(user::Column::Email.eq(new.email.as_str()))
        .one(db)
        .await?
        .is_some();
    if taken {
        return Err(AppError::Conflict {
            code: "email_taken",
            detail: "an account with this email address already exists".into(),
        });
    }
    Ok(user::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        provider_id: Set(new.provider_id),
        email: Set(new.email.as_str().to_owned()),
        display_name: Set(new.display_name.as_str().to_owned()),
        role: Set(new.role.as_str().to_owned()),
        profession: Set(new.profession.map(|p| p.as_str().to_owned())),
        language: Set(new.language.as_str().to_owned()),
        password_hash: Set(new.password_hash),
        status: Set(new.status.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// A staff member as the provider admin sees them.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffView {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub profession: Option<Profession>,
    pub language: Language,
    pub status: AccountStatus,
    /// Whether the second factor is on; the admin sees who still signs in with a password only.
    pub mfa_enabled: bool,
}

impl From<&user::Model> for StaffView {
    fn from(u: &user::Model) -> StaffView {
        StaffView {
            id: u.uuid,
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            role: Role::parse(&u.role).unwrap_or(Role::Guide),
            profession: u
                .profession
                .as_deref()
                .and_then(|p| Profession::parse(p).ok()),
            language: Language::parse(&u.language),
            status: AccountStatus::parse(&u.status),
            mfa_enabled: u.totp_enabled_at.is_some(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CourseRef {
    pub id: Uuid,
    pub title: String,
}

/// A participant as staff see them in lists.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantView {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub language: Language,
    pub status: AccountStatus,
    pub course: Option<CourseRef>,
}

pub async fn staff_of_provider<C: ConnectionTrait>(
    db: &C,
    provider_id: i32,
) -> AppResult<Vec<StaffView>> {
    Ok(user::Entity::find()
        .filter(user::Column::ProviderId.eq(provider_id))
        .filter(user::Column::Role.is_in([Role::Guide.as_str(), Role::ProviderAdmin.as_str()]))
        .order_by_asc(user::Column::DisplayName)
        .all(db)
        .await?
        .iter()
        .map(StaffView::from)
        .collect())
}

pub async fn participants_of_provider<C: ConnectionTrait>(
    db: &C,
    provider_id: i32,
) -> AppResult<Vec<ParticipantView>> {
    let people = user::Entity::find()
        .filter(user::Column::ProviderId.eq(provider_id))
        .filter(user::Column::Role.eq(Role::Participant.as_str()))
        .order_by_asc(user::Column::DisplayName)
        .all(db)
        .await?;
    let ids: Vec<i32> = people.iter().map(|p| p.id).collect();
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::ParticipantId.is_in(ids))
        .all(db)
        .await?;
    let courses = course::Entity::find()
        .filter(course::Column::ProviderId.eq(provider_id))
        .all(db)
        .await?;
    Ok(people
        .into_iter()
        .map(|p| {
            let course = enrolments
                .iter()
                .filter(|e| e.participant_id == p.id)
                .filter_map(|e| courses.iter().find(|c| c.id == e.course_id))
                .find(|c| c.state != "cancelled" && c.state != "finished")
                .map(|c| CourseRef {
                    id: c.uuid,
                    title: c.title.clone(),
                });
            ParticipantView {
                id: p.uuid,
                email: p.email,
                display_name: p.display_name,
                language: Language::parse(&p.language),
                status: AccountStatus::parse(&p.status),
                course,
            }
        })
        .collect())
}

pub async fn find_by_uuid<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<Option<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Uuid.eq(id))
        .one(db)
        .await?)
}

/// Accounts by internal id, each once (one query).
pub async fn users_by_id<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = i32>,
) -> AppResult<HashMap<i32, user::Model>> {
    let mut ids: Vec<i32> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect())
}
