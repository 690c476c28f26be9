//! `/api/v1/me*`, `/api/v1/staff`, `/api/v1/participants*`: HTTP only.

use actix_web::{HttpResponse, web};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::accounts::model::{AccountStatus, DisplayName, Email, Language, Me, Role};
use crate::accounts::service::{self, NewUser, ParticipantView, StaffView};
use crate::audit::service::{self as audit, Access, AuditEntry};
use crate::auth::extract::{AuthUser, ProviderAdmin, Staff};
use crate::auth::link_mail;
use crate::auth::links::Purpose;
use crate::auth::password::{self, NewPassword};
use crate::auth::session;
use crate::courses::access::participant_for_staff;
use crate::entity::user;
use crate::error::{AppError, AppResult, Problem};
use crate::http::json::Json;
use crate::state::AppState;
use crate::team::profession::Profession;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/me", web::get().to(get_me))
        .route("/me", web::patch().to(update_me))
        .route("/me/password", web::put().to(change_password))
        .route("/me/access-log", web::get().to(my_access_log))
        .route("/staff", web::get().to(list_staff))
        .route("/staff", web::post().to(create_staff))
        .route("/participants", web::get().to(list_participants))
        .route("/participants", web::post().to(invite_participant))
        .route("/participants/{id}", web::get().to(get_participant))
        .route("/participants/{id}/send-link", web::post().to(send_link));
}

async fn account(state: &AppState, who: &AuthUser) -> AppResult<user::Model> {
    service::find_by_uuid(&state.db, who.uuid)
        .await?
        .ok_or(AppError::NotFound)
}

#[utoipa::path(get, path = "/api/v1/me", tag = "me", responses((status = 200, body = Me), (status = 401, body = Problem)))]
pub async fn get_me(state: web::Data<AppState>, who: AuthUser) -> AppResult<HttpResponse> {
    let me = service::me(&state.db, &account(&state, &who).await?).await?;
    Ok(HttpResponse::Ok().json(me))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMe {
    #[serde(default)]
    pub language: Option<Language>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub mail_notifications: Option<bool>,
    #[serde(default)]
    pub task_reminders: Option<bool>,
    /// Guides only: the daily chat digest.
    #[serde(default)]
    pub chat_digest: Option<bool>,
    /// Participants only: the friendly mail after a while without visiting.
    #[serde(default)]
    pub activity_nudges: Option<bool>,
}

#[utoipa::path(patch, path = "/api/v1/me", tag = "me", request_body = UpdateMe, responses((status = 200, body = Me)))]
pub async fn update_me(
    state: web::Data<AppState>,
    who: AuthUser,
    body: Json<UpdateMe>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let current = account(&state, &who).await?;
    let mut active = current.into_active_model();
    if let Some(lang) = body.language {
        active.language = Set(lang.as_str().to_owned());
    }
    if let Some(name) = &body.display_name {
        active.display_name = Set(DisplayName::field(name)?.as_str().to_owned());
    }
    if let Some(on) = body.mail_notifications {
        active.mail_notifications = Set(on);
    }
    if let Some(on) = body.task_reminders {
        active.task_reminders = Set(on);
    }
    if let Some(on) = body.chat_digest {
        if who.role != Role::Guide {
            return Err(AppError::field(
                "chat_digest",
                "not_allowed",
                "the chat digest is for guides",
            ));
        }
        active.chat_digest = Set(on);
    }
    if let Some(on) = body.activity_nudges {
        if who.role != Role::Participant {
            return Err(AppError::field(
                "activity_nudges",
                "not_allowed",
                "these mails are for participants",
            ));
        }
        active.activity_nudges = Set(on);
    }
    active.updated_at = Set(state.now());
    let updated = active.update(&state.db).await?;
    Ok(HttpResponse::Ok().json(service::me(&state.db, &updated).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    /// Required when the account already has a password (S5: re-authentication).
    #[serde(default)]
    pub current_password: Option<String>,
    pub new_password: String,
}

#[utoipa::path(put, path = "/api/v1/me/password", tag = "me", request_body = ChangePassword,
    responses((status = 204, description = "Changed; other sessions are ended"), (status = 400, body = Problem)))]
pub async fn change_password(
    state: web::Data<AppState>,
    who: AuthUser,
    body: Json<ChangePassword>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let current = account(&state, &who).await?;
    let new_password = NewPassword::parse(&body.new_password, "new_password")?;
    if let Some(stored) = current.password_hash.clone() {
        let given = body.current_password.clone().unwrap_or_default();
        if !password::verify_blocking(given, stored).await {
            tracing::warn!(target: "security", event = "password_change_refused", user = %who.uuid);
            return Err(AppError::field(
                "current_password",
                "wrong",
                "the current password is not right",
            ));
        }
    }
    let hash = password::hash_blocking(new_password).await?;
    let now = state.now();
    let mut active = current.into_active_model();
    active.password_hash = Set(Some(hash));
    active.updated_at = Set(now);
    active.update(&state.db).await?;
    // S4: a password change ends every other session.
    session::revoke_all(
        &state.db,
        &state.revocations,
        who.id,
        Some(who.session),
        now,
    )
    .await?;
    state.chat.evict_user(who.id);
    tracing::info!(target: "security", event = "password_changed", user = %who.uuid);
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/v1/me/access-log", tag = "me",
    responses((status = 200, body = Vec<AuditEntry>, description = "Who has read my data (703/2023 §11)")))]
pub async fn my_access_log(state: web::Data<AppState>, who: AuthUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(audit::for_subject(&state.db, who.uuid).await?))
}

#[utoipa::path(get, path = "/api/v1/staff", tag = "provider", responses((status = 200, body = Vec<StaffView>)))]
pub async fn list_staff(state: web::Data<AppState>, who: ProviderAdmin) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::staff_of_provider(&state.db, who.provider_id()?).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateStaff {
    pub email: String,
    pub display_name: String,
    /// `guide` or `provider_admin`.
    pub role: Role,
    pub profession: Profession,
    #[serde(default)]
    pub language: Language,
}

#[utoipa::path(post, path = "/api/v1/staff", tag = "provider", request_body = CreateStaff,
    responses((status = 201, body = StaffView, description = "Created; a set-password link is mailed"), (status = 409, body = Problem)))]
pub async fn create_staff(
    state: web::Data<AppState>,
    who: ProviderAdmin,
    body: Json<CreateStaff>,
) -> AppResult<HttpResponse> {
    let req = body.into_inner()?;
    if !req.role.is_staff() {
        return Err(AppError::field(
            "role",
            "invalid",
            "staff are guides or provider admins",
        ));
    }
    let email = Email::field(&req.email)?;
    let name = DisplayName::field(&req.display_name)?;
    let now = state.now();
    let created = service::create_user(
        &state.db,
        NewUser {
            provider_id: Some(who.provider_id()?),
            email: email.clone(),
            display_name: name,
            role: req.role,
            profession: Some(req.profession),
            language: req.language,
            status: AccountStatus::Invited,
            password_hash: None,
        },
        now,
    )
    .await?;
    // The account exists even if the mail fails; the admin can resend a link.
    if let Err(e) = link_mail::send(&state, &created, Purpose::SetPassword).await {
        tracing::warn!(error = %e, "invitation not sent");
    }
    Ok(HttpResponse::Created().json(StaffView::from(&created)))
}

#[utoipa::path(get, path = "/api/v1/participants", tag = "provider", responses((status = 200, body = Vec<ParticipantView>)))]
pub async fn list_participants(
    state: web::Data<AppState>,
    who: ProviderAdmin,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(service::participants_of_provider(&state.db, who.provider_id()?).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteParticipant {
    pub email: String,
    pub display_name: String,
    #[serde(default)]
    pub language: Language,
}

#[utoipa::path(post, path = "/api/v1/participants", tag = "provider", request_body = InviteParticipant,
    responses((status = 201, body = ParticipantView, description = "Invited; the invitation link is mailed"), (status = 409, body = Problem)))]
pub async fn invite_participant(
    state: web::Data<AppState>,
    who: ProviderAdmin,
    body: Json<InviteParticipant>,
) -> AppResult<HttpResponse> {
    let req = body.into_inner()?;
    let email = Email::field(&req.email)?;
    let name = DisplayName::field(&req.display_name)?;
    let now = state.now();
    let created = service::create_user(
        &state.db,
        NewUser {
            provider_id: Some(who.provider_id()?),
            email: email.clone(),
            display_name: name,
            role: Role::Participant,
            profession: None,
            language: req.language,
            status: AccountStatus::Invited,
            password_hash: None,
        },
        now,
    )
    .await?;
    // The account exists even if the mail fails; the admin can resend a link.
    if let Err(e) = link_mail::send(&state, &created, Purpose::Invitation).await {
        tracing::warn!(error = %e, "invitation not sent");
    }
    Ok(HttpResponse::Created().json(ParticipantView {
        id: created.uuid,
        email: created.email,
        display_name: created.display_name,
        language: req.language,
        status: AccountStatus::Invited,
        course: None,
    }))
}

/// A participant's profile as staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantProfile {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub language: Language,
    pub status: AccountStatus,
}

#[utoipa::path(get, path = "/api/v1/participants/{id}", tag = "provider", params(("id" = Uuid, Path)),
    responses((status = 200, body = ParticipantProfile), (status = 404, body = Problem)))]
pub async fn get_participant(
    state: web::Data<AppState>,
    who: Staff,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let person = participant_for_staff(&state.db, &who.0, *id).await?;
    audit::record(
        &state.db,
        state.now(),
        Access {
            actor: &who.0,
            subject: person.uuid,
            provider_id: person.provider_id,
            category: "profile",
            action: "read",
            purpose: if who.0.role == Role::Guide {
                "guidance"
            } else {
                "course_administration"
            },
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(ParticipantProfile {
        id: person.uuid,
        email: person.email,
        display_name: person.display_name,
        language: Language::parse(&person.language),
        status: AccountStatus::parse(&person.status),
    }))
}

#[utoipa::path(post, path = "/api/v1/participants/{id}/send-link", tag = "provider", params(("id" = Uuid, Path)),
    responses((status = 202, description = "A new sign-in link is mailed to the participant (UX A10)"), (status = 404, body = Problem)))]
pub async fn send_link(
    state: web::Data<AppState>,
    who: Staff,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let person = participant_for_staff(&state.db, &who.0, *id).await?;
    if AccountStatus::parse(&person.status) == AccountStatus::Disabled {
        return Err(AppError::conflict(
            "account_disabled",
            "this account is disabled",
        ));
    }
    audit::record(
        &state.db,
        state.now(),
        Access {
            actor: &who.0,
            subject: person.uuid,
            provider_id: person.provider_id,
            category: "contact_details",
            action: "send_link",
            purpose: "technical_support",
        },
    )
    .await?;
    link_mail::send(&state, &person, Purpose::SignIn).await?;
    Ok(HttpResponse::Accepted().json(serde_json::json!({})))
}
