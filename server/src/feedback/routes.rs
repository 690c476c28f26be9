//! `/api/v1/feedback/accessibility`: anyone may send; the platform admin reads and marks replied.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::accounts::model::{Email, Language};
use crate::auth::extract::PlatformAdmin;
use crate::auth::rate_limit::MAIL_PER_IP;
use crate::entity::accessibility_feedback as feedback;
use crate::error::{AppError, AppResult, Problem};
use crate::http::client::client_ip;
use crate::http::json::Json;
use crate::state::AppState;

/// Act 306/2019: feedback on accessibility is answered within 14 days.
const REPLY_WITHIN: Duration = Duration::days(14);

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/feedback/accessibility", web::post().to(create))
        .route("/feedback/accessibility", web::get().to(list))
        .route(
            "/feedback/accessibility/{id}/replied",
            web::post().to(mark_replied),
        );
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFeedback {
    pub message: String,
    /// Where to answer; optional.
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub language: Language,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackReceipt {
    pub id: Uuid,
    pub received_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackView {
    pub id: Uuid,
    pub received_at: DateTime<Utc>,
    pub message: String,
    pub email: Option<String>,
    pub language: Language,
    pub replied_at: Option<DateTime<Utc>>,
    /// No reply yet and more than 14 days since it came.
    pub overdue: bool,
}

#[utoipa::path(post, path = "/api/v1/feedback/accessibility", tag = "public", request_body = NewFeedback,
    responses((status = 201, body = FeedbackReceipt), (status = 400, body = Problem)))]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<NewFeedback>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let now = state.now();
    let ip = client_ip(&req, state.config.trusted_proxy);
    if let Err(wait) = state
        .limits
        .hit(&format!("feedback:ip:{ip}"), MAIL_PER_IP, now)
    {
        return Err(AppError::RateLimited {
            retry_after_secs: wait,
        });
    }
    let message = body.message.trim().to_owned();
    if message.is_empty() {
        return Err(AppError::field(
            "message",
            "required",
            "write your feedback",
        ));
    }
    if message.chars().count() > 5000 {
        return Err(AppError::field(
            "message",
            "too_long",
            "at most 5000 characters",
        ));
    }
    let email = match body
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        Some(e) => Some(Email::field(e)?.as_str().to_owned()),
        None => None,
    };
    let row = feedback::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        received_at: Set(now),
        message: Set(message),
        email: Set(email),
        language: Set(body.language.as_str().to_owned()),
        replied_at: Set(None),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    Ok(HttpResponse::Created().json(FeedbackReceipt {
        id: row.uuid,
        received_at: row.received_at,
    }))
}

#[utoipa::path(get, path = "/api/v1/feedback/accessibility", tag = "platform",
    responses((status = 200, body = Vec<FeedbackView>)))]
pub async fn list(state: web::Data<AppState>, _who: PlatformAdmin) -> AppResult<HttpResponse> {
    let now = state.now();
    let rows = feedback::Entity::find()
        .order_by_desc(feedback::Column::Id)
        .all(&state.db)
        .await?;
    let list: Vec<FeedbackView> = rows
        .into_iter()
        .map(|r| FeedbackView {
            overdue: r.replied_at.is_none() && now - r.received_at > REPLY_WITHIN,
            id: r.uuid,
            received_at: r.received_at,
            message: r.message,
            email: r.email,
            language: Language::parse(&r.language),
            replied_at: r.replied_at,
        })
        .collect();
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(post, path = "/api/v1/feedback/accessibility/{id}/replied", tag = "platform",
    params(("id" = Uuid, Path)), responses((status = 204), (status = 404, body = Problem)))]
pub async fn mark_replied(
    state: web::Data<AppState>,
    _who: PlatformAdmin,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let row = feedback::Entity::find()
        .filter(feedback::Column::Uuid.eq(*id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut active = row.into_active_model();
    active.replied_at = Set(Some(state.now()));
    active.update(&state.db).await?;
    Ok(HttpResponse::NoContent().finish())
}
