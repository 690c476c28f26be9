//! `/api/v1/me/progress*`, `/api/v1/progress/rules` and the staff views of progress: HTTP only.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::audit::course::audit_subjects;
use crate::audit::service::{Access, record};
use crate::auth::extract::{AuthUser, Participant, Staff};
use crate::courses::access::{course_for_staff, enrolled_participant};
use crate::courses::schedule::helsinki_today;
use crate::courses::service::my_course_row;
use crate::entity::course;
use crate::error::{AppError, AppResult, Problem};
use crate::http::json::Json;
use crate::progress::outline::outline_of;
use crate::progress::rules::{self, RuleText};
use crate::progress::service::{self, ItemProgress, ParticipantProgress, ProgressSummary};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/progress/rules", web::get().to(rules_text))
        .route("/me/progress", web::get().to(my_progress))
        .route("/me/progress/items/{item_id}/open", web::post().to(open))
        .route(
            "/me/progress/items/{item_id}/heartbeat",
            web::post().to(heartbeat),
        )
        .route("/me/progress/items/{item_id}/media", web::put().to(media))
        .route(
            "/me/progress/items/{item_id}/complete",
            web::post().to(complete),
        )
        .route(
            "/me/progress/items/{item_id}/complete",
            web::delete().to(undo_complete),
        )
        .route("/courses/{id}/progress", web::get().to(course_progress))
        .route(
            "/courses/{id}/participants/{pid}/progress",
            web::get().to(participant_progress),
        );
}

#[utoipa::path(get, path = "/api/v1/progress/rules", tag = "progress",
    responses((status = 200, body = Vec<RuleText>)))]
pub async fn rules_text(_who: AuthUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(rules::rules()))
}

#[utoipa::path(get, path = "/api/v1/me/progress", tag = "participant",
    responses((status = 200, body = ProgressSummary), (status = 404, body = Problem, description = "no_course or no_program")))]
pub async fn my_progress(state: web::Data<AppState>, who: Participant) -> AppResult<HttpResponse> {
    let course = my_course_row(&state.db, who.0.id).await?;
    let summary = service::summary(&state.db, &course, who.0.id, state.now()).await?;
    Ok(HttpResponse::Ok().json(summary))
}

/// The participant's course, after checking the item is theirs to work on today.
async fn my_item(
    state: &AppState,
    who: &Participant,
    item_id: &str,
) -> AppResult<(
    course::Model,
    std::sync::Arc<crate::progress::outline::Outline>,
)> {
    let course = my_course_row(&state.db, who.0.id).await?;
    let outline = outline_of(&state.db, &course).await?;
    outline.open_item(&course, item_id, helsinki_today(state.now()))?;
    Ok((course, outline))
}

#[utoipa::path(post, path = "/api/v1/me/progress/items/{item_id}/open", tag = "participant",
    params(("item_id" = String, Path)),
    responses((status = 200, body = ItemProgress), (status = 403, body = Problem, description = "module_locked"), (status = 404, body = Problem)))]
pub async fn open(
    state: web::Data<AppState>,
    who: Participant,
    item_id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let (course, _) = my_item(&state, &who, &item_id).await?;
    let p = service::open(&state.db, who.0.id, course.id, &item_id, state.now()).await?;
    Ok(HttpResponse::Ok().json(p))
}

/// Visible time since the last heartbeat.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Heartbeat {
    /// 1–60 seconds the item was visible.
    pub seconds: i64,
}

/// What was counted of a heartbeat.
#[derive(Debug, Serialize, ToSchema)]
pub struct Credited {
    /// Seconds credited; less than sent when the minute's 60 seconds are already used.
    pub credited: i32,
}

#[utoipa::path(post, path = "/api/v1/me/progress/items/{item_id}/heartbeat", tag = "participant",
    params(("item_id" = String, Path)), request_body = Heartbeat,
    responses((status = 200, body = Credited), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn heartbeat(
    state: web::Data<AppState>,
    who: Participant,
    item_id: web::Path<String>,
    body: Json<Heartbeat>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let seconds = i32::try_from(body.seconds)
        .ok()
        .filter(|s| (1..=rules::SECONDS_PER_MINUTE).contains(s))
        .ok_or_else(|| {
            AppError::field(
                "seconds",
                "out_of_range",
                "send 1–60 seconds of visible time",
            )
        })?;
    let (course, _) = my_item(&state, &who, &item_id).await?;
    let credited = service::heartbeat(
        &state.db,
        who.0.id,
        course.id,
        &item_id,
        seconds,
        state.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Credited { credited }))
}

/// Where audio or video playback is.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MediaPosition {
    /// Seconds from the start, 0 or more.
    pub position_s: f64,
    /// The recording's length in seconds, more than 0.
    pub duration_s: f64,
}

#[utoipa::path(put, path = "/api/v1/me/progress/items/{item_id}/media", tag = "participant",
    params(("item_id" = String, Path)), request_body = MediaPosition,
    responses((status = 200, body = ItemProgress), (status = 400, body = Problem), (status = 409, body = Problem, description = "not_media")))]
pub async fn media(
    state: web::Data<AppState>,
    who: Participant,
    item_id: web::Path<String>,
    body: Json<MediaPosition>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    service::check_media(body.position_s, body.duration_s)?;
    let (course, outline) = my_item(&state, &who, &item_id).await?;
    let item = outline.find(&item_id).ok_or(AppError::NotFound)?.1;
    let p = service::media(
        &state.db,
        who.0.id,
        course.id,
        item,
        body.position_s,
        body.duration_s,
        state.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(p))
}

#[utoipa::path(post, path = "/api/v1/me/progress/items/{item_id}/complete", tag = "participant",
    params(("item_id" = String, Path)),
    responses((status = 200, body = ItemProgress), (status = 409, body = Problem, description = "answer_required")))]
pub async fn complete(
    state: web::Data<AppState>,
    who: Participant,
    item_id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let (course, outline) = my_item(&state, &who, &item_id).await?;
    let item = outline.find(&item_id).ok_or(AppError::NotFound)?.1;
    let p = service::mark(&state.db, who.0.id, course.id, item, state.now()).await?;
    Ok(HttpResponse::Ok().json(p))
}

#[utoipa::path(delete, path = "/api/v1/me/progress/items/{item_id}/complete", tag = "participant",
    params(("item_id" = String, Path)),
    responses((status = 200, body = ItemProgress), (status = 409, body = Problem, description = "not_marked")))]
pub async fn undo_complete(
    state: web::Data<AppState>,
    who: Participant,
    item_id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let (course, _) = my_item(&state, &who, &item_id).await?;
    let p = service::unmark(&state.db, who.0.id, course.id, &item_id, state.now()).await?;
    Ok(HttpResponse::Ok().json(p))
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/progress", tag = "progress", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<ParticipantProgress>), (status = 404, body = Problem)))]
pub async fn course_progress(
    state: web::Data<AppState>,
    who: Staff,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let course = course_for_staff(&state.db, &who.0, *id).await?;
    let now = state.now();
    let list = service::course_list(&state.db, &course, now).await?;
    let subjects: Vec<Uuid> = list.iter().map(|row| row.participant.id).collect();
    audit_subjects(&state, &who.0, &course, &subjects, "progress", "read").await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/participants/{pid}/progress", tag = "progress",
    params(("id" = Uuid, Path), ("pid" = Uuid, Path)),
    responses((status = 200, body = ProgressSummary), (status = 404, body = Problem)))]
pub async fn participant_progress(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (id, pid) = path.into_inner();
    let course = course_for_staff(&state.db, &who.0, id).await?;
    let person = enrolled_participant(&state.db, &course, pid).await?;
    let now = state.now();
    record(
        &state.db,
        now,
        Access {
            actor: &who.0,
            subject: person.uuid,
            provider_id: Some(course.provider_id),
            category: "progress",
            action: "read",
            purpose: "guidance",
        },
    )
    .await?;
    let summary = service::summary(&state.db, &course, person.id, now).await?;
    Ok(HttpResponse::Ok().json(summary))
}
