//! `/api/v1/courses*` and `/api/v1/me/course`: HTTP only.

use actix_web::{HttpResponse, web};
use uuid::Uuid;

use crate::auth::extract::{Participant, ProviderAdmin, Staff};
use crate::courses::access::{course_for_admin, course_for_staff};
use crate::courses::model::{
    CourseDetail, CourseSummary, CreateCourse, MyCourse, TransitionRequest, TransitionView,
    UpdateCourse,
};
use crate::courses::schedule::helsinki_today;
use crate::courses::service;
use crate::error::{AppResult, Problem};
use crate::http::json::Json;
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/course", web::get().to(my_course))
        .route("/courses", web::get().to(list))
        .route("/courses", web::post().to(create))
        .route("/courses/{id}", web::get().to(get))
        .route("/courses/{id}", web::patch().to(update))
        .route("/courses/{id}/transitions", web::post().to(transition))
        .route("/courses/{id}/history", web::get().to(history));
}

#[utoipa::path(get, path = "/api/v1/me/course", tag = "participant",
    responses((status = 200, body = MyCourse), (status = 404, body = Problem, description = "no_course")))]
pub async fn my_course(state: web::Data<AppState>, who: Participant) -> AppResult<HttpResponse> {
    let today = helsinki_today(state.now());
    Ok(HttpResponse::Ok().json(service::my_course(&state.db, who.0.id, today).await?))
}

#[utoipa::path(get, path = "/api/v1/courses", tag = "courses",
    responses((status = 200, body = Vec<CourseSummary>, description = "A guide's team courses, or all of a provider admin's provider")))]
pub async fn list(state: web::Data<AppState>, who: Staff) -> AppResult<HttpResponse> {
    let today = helsinki_today(state.now());
    Ok(HttpResponse::Ok().json(service::list_for_staff(&state.db, &who.0, today).await?))
}

#[utoipa::path(post, path = "/api/v1/courses", tag = "courses", request_body = CreateCourse,
    responses((status = 201, body = CourseDetail), (status = 400, body = Problem)))]
pub async fn create(
    state: web::Data<AppState>,
    who: ProviderAdmin,
    body: Json<CreateCourse>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let now = state.now();
    let course = service::create(&state.db, who.provider_id()?, body, now).await?;
    Ok(HttpResponse::Created()
        .json(service::detail(&state.db, &course, helsinki_today(now)).await?))
}

#[utoipa::path(get, path = "/api/v1/courses/{id}", tag = "courses",
    params(("id" = Uuid, Path)), responses((status = 200, body = CourseDetail), (status = 404, body = Problem)))]
pub async fn get(
    state: web::Data<AppState>,
    who: Staff,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let course = course_for_staff(&state.db, &who.0, *id).await?;
    let today = helsinki_today(state.now());
    Ok(HttpResponse::Ok().json(service::detail(&state.db, &course, today).await?))
}

#[utoipa::path(patch, path = "/api/v1/courses/{id}", tag = "courses", request_body = UpdateCourse,
    params(("id" = Uuid, Path)), responses((status = 200, body = CourseDetail), (status = 409, body = Problem)))]
pub async fn update(
    state: web::Data<AppState>,
    who: ProviderAdmin,
    id: web::Path<Uuid>,
    body: Json<UpdateCourse>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let course = course_for_admin(&state.db, who.provider_id()?, *id).await?;
    let now = state.now();
    let course = service::update(&state.db, course, body, now).await?;
    Ok(HttpResponse::Ok().json(service::detail(&state.db, &course, helsinki_today(now)).await?))
}

#[utoipa::path(post, path = "/api/v1/courses/{id}/transitions", tag = "courses", request_body = TransitionRequest,
    params(("id" = Uuid, Path)),
    responses((status = 200, body = CourseDetail),
              (status = 409, body = Problem, description = "invalid_transition, team_incomplete, group_too_small, six_needs_confirmation, too_early")))]
pub async fn transition(
    state: web::Data<AppState>,
    who: ProviderAdmin,
    id: web::Path<Uuid>,
    body: Json<TransitionRequest>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let course = course_for_admin(&state.db, who.provider_id()?, *id).await?;
    let now = state.now();
    let course = service::transition(&state.db, &who.0, course, body, now).await?;
    Ok(HttpResponse::Ok().json(service::detail(&state.db, &course, helsinki_today(now)).await?))
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/history", tag = "courses",
    params(("id" = Uuid, Path)), responses((status = 200, body = Vec<TransitionView>)))]
pub async fn history(
    state: web::Data<AppState>,
    who: Staff,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let course = course_for_staff(&state.db, &who.0, *id).await?;
    Ok(HttpResponse::Ok().json(service::history(&state.db, &course).await?))
}
