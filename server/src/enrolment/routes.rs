//! `/api/v1/courses/{id}/participants*`: HTTP only. Staff reads of the list are audited (S21).

use actix_web::{HttpResponse, web};
use uuid::Uuid;

use crate::audit::service::{self as audit, Access};
use crate::auth::extract::{ProviderAdmin, Staff};
use crate::courses::access::{course_for_admin, course_for_staff};
use crate::courses::schedule::helsinki_today;
use crate::enrolment::service::{self, Enrol, EnrolmentView, SetPersonalGuide};
use crate::error::{AppError, AppResult, Problem};
use crate::http::json::Json;
use crate::state::AppState;
use sea_orm::EntityTrait;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/courses/{id}/participants", web::get().to(list))
        .route("/courses/{id}/participants", web::post().to(enrol))
        .route(
            "/courses/{id}/participants/{participant_id}",
            web::delete().to(unenrol),
        )
        .route(
            "/courses/{id}/participants/{participant_id}/personal-guide",
            web::put().to(set_personal_guide),
        );
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/participants", tag = "enrolment",
    params(("id" = Uuid, Path)), responses((status = 200, body = Vec<EnrolmentView>)))]
pub async fn list(
    state: web::Data<AppState>,
    who: Staff,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let course = course_for_staff(&state.db, &who.0, *id).await?;
    let now = state.now();
    let list = service::enrolments_of(&state.db, &course, helsinki_today(now)).await?;
    let subjects: Vec<Uuid> = list.iter().map(|e| e.participant.id).collect();
    let access = Access {
        actor: &who.0,
        subject: Uuid::nil(),
        provider_id: Some(course.provider_id),
        category: "enrolment",
        action: "read",
        purpose: "course_administration",
    };
    audit::record_each(&state.db, now, &access, &subjects).await?;
    Ok(HttpResponse::Ok().json(list))
}

async fn one(
    state: &AppState,
    who: &ProviderAdmin,
    course_id: i32,
    participant: Uuid,
) -> AppResult<EnrolmentView> {
    let c = crate::entity::course::Entity::find_by_id(course_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let view = service::enrolments_of(&state.db, &c, helsinki_today(state.now()))
        .await?
        .into_iter()
        .find(|e| e.participant.id == participant)
        .ok_or(AppError::NotFound)?;
    audit::record(
        &state.db,
        state.now(),
        Access {
            actor: &who.0,
            subject: participant,
            provider_id: Some(c.provider_id),
            category: "enrolment",
            action: "update",
            purpose: "course_administration",
        },
    )
    .await?;
    Ok(view)
}

#[utoipa::path(post, path = "/api/v1/courses/{id}/participants", tag = "enrolment", request_body = Enrol,
    params(("id" = Uuid, Path)),
    responses((status = 201, body = EnrolmentView), (status = 409, body = Problem, description = "group_full, already_enrolled, course_closed")))]
pub async fn enrol(
    state: web::Data<AppState>,
    who: ProviderAdmin,
    id: web::Path<Uuid>,
    body: Json<Enrol>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let course = course_for_admin(&state.db, who.provider_id()?, *id).await?;
    let participant = body.participant_id;
    service::enrol(&state.db, &course, body, state.now()).await?;
    Ok(HttpResponse::Created().json(one(&state, &who, course.id, participant).await?))
}

#[utoipa::path(delete, path = "/api/v1/courses/{id}/participants/{participant_id}", tag = "enrolment",
    params(("id" = Uuid, Path), ("participant_id" = Uuid, Path)),
    responses((status = 204), (status = 409, body = Problem, description = "course_started")))]
pub async fn unenrol(
    state: web::Data<AppState>,
    who: ProviderAdmin,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (id, participant) = path.into_inner();
    let course = course_for_admin(&state.db, who.provider_id()?, id).await?;
    let removed = service::unenrol(&state.db, &course, participant).await?;
    // Her open chat sockets stop receiving the course's rooms at once.
    state.chat.evict_user(removed);
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(put, path = "/api/v1/courses/{id}/participants/{participant_id}/personal-guide", tag = "enrolment",
    request_body = SetPersonalGuide, params(("id" = Uuid, Path), ("participant_id" = Uuid, Path)),
    responses((status = 200, body = EnrolmentView), (status = 400, body = Problem)))]
pub async fn set_personal_guide(
    state: web::Data<AppState>,
    who: ProviderAdmin,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<SetPersonalGuide>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let (id, participant) = path.into_inner();
    let course = course_for_admin(&state.db, who.provider_id()?, id).await?;
    service::set_personal_guide(&state.db, &course, participant, body).await?;
    Ok(HttpResponse::Ok().json(one(&state, &who, course.id, participant).await?))
}
