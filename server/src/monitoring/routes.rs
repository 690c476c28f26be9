//! HTTP for the monitoring view; each staff read of participant data is audited.

use actix_web::{HttpResponse, web};
use uuid::Uuid;

use crate::audit::course::audit_people;
use crate::auth::extract::Staff;
use crate::courses::access::{course_for_staff, course_participant_for_staff};
use crate::error::{AppResult, Problem};
use crate::monitoring::model::CourseMonitoring;
use crate::monitoring::service;
use crate::monitoring::timeline::{self, Timeline};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/courses/{id}/monitoring", web::get().to(course_monitoring))
        .route(
            "/courses/{id}/participants/{pid}/timeline",
            web::get().to(participant_timeline),
        );
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/monitoring", tag = "monitoring",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = CourseMonitoring, description = "every participant's activity, program, tasks, guidance and contacts against the pace lines"),
              (status = 404, body = Problem)))]
pub async fn course_monitoring(
    state: web::Data<AppState>,
    who: Staff,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let course = course_for_staff(&state.db, &who.0, *id).await?;
    let view = service::course_view(
        &state.db,
        &course,
        Some(who.0.id),
        state.config.inactive_days,
        state.now(),
    )
    .await?;
    let subjects: Vec<Uuid> = view.participants.iter().map(|r| r.participant.id).collect();
    crate::audit::course::audit_subjects(&state, &who.0, &course, &subjects, "monitoring", "read")
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/participants/{pid}/timeline", tag = "monitoring",
    params(("id" = Uuid, Path), ("pid" = Uuid, Path)),
    responses((status = 200, body = Timeline, description = "the participant's latest activity, answers, task logs, messages, contacts and guidance, newest first"),
              (status = 404, body = Problem)))]
pub async fn participant_timeline(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (course, person) = course_participant_for_staff(&state.db, &who.0, path.0, path.1).await?;
    audit_people(
        &state,
        &who.0,
        &course,
        std::slice::from_ref(&person),
        "timeline",
        "read",
    )
    .await?;
    let view = timeline::of(&state.db, &course, &person).await?;
    Ok(HttpResponse::Ok().json(view))
}
