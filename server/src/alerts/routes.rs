//! `/api/v1/courses/{id}/alerts*` for the course's staff: the list (reads audited per
//! participant) and acknowledging with a note (team members only). HTTP only.

use actix_web::{HttpResponse, web};
use uuid::Uuid;

use crate::alerts::model::{AckNote, Acknowledge, AlertView, CourseAlerts};
use crate::alerts::service;
use crate::audit::course::audit_subjects;
use crate::auth::extract::Staff;
use crate::courses::access::course_for_staff;
use crate::error::{AppError, AppResult, Problem};
use crate::guidance::service::ensure_guide_of_course;
use crate::http::json::Json;
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/courses/{id}/alerts", web::get().to(course_alerts))
        .route(
            "/courses/{id}/alerts/{alert_id}/acknowledge",
            web::post().to(acknowledge),
        );
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/alerts", tag = "alerts",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = CourseAlerts, description = "open alerts and those closed in the last 14 days, open first, newest first"),
              (status = 403, body = Problem, description = "wrong_role (participants)"),
              (status = 404, body = Problem, description = "not a course of the caller's team (guides) or provider (admins)")))]
pub async fn course_alerts(
    state: web::Data<AppState>,
    who: Staff,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let course = course_for_staff(&state.db, &who.0, *id).await?;
    let (view, subjects) =
        service::course_alerts(&state.db, &course, state.config.inactive_days, state.now()).await?;
    audit_subjects(&state, &who.0, &course, &subjects, "alerts", "read").await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(post, path = "/api/v1/courses/{id}/alerts/{alert_id}/acknowledge", tag = "alerts",
    request_body = Acknowledge, params(("id" = Uuid, Path), ("alert_id" = Uuid, Path)),
    responses((status = 200, body = AlertView, description = "acknowledged; it stays open while its reason holds"),
              (status = 400, body = Problem, description = "validation_failed: `note` required / too_long / invalid"),
              (status = 403, body = Problem, description = "not_on_team, wrong_role"),
              (status = 404, body = Problem),
              (status = 409, body = Problem, description = "alert_closed or alert_acknowledged"),
              (status = 413, body = Problem, description = "payload_too_large")))]
pub async fn acknowledge(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<Acknowledge>,
) -> AppResult<HttpResponse> {
    let course = ensure_guide_of_course(&state.db, &who.0, path.0).await?;
    let body = body.into_inner()?;
    let note = AckNote::parse(&body.note).map_err(|e| AppError::Validation(vec![e]))?;
    let (view, subject) =
        service::acknowledge(&state.db, &course, path.1, who.0.id, note, state.now()).await?;
    audit_subjects(&state, &who.0, &course, &[subject], "alerts", "update").await?;
    Ok(HttpResponse::Ok().json(view))
}
