//! `/api/v1/courses/{id}/team*` and `/api/v1/professions`: HTTP only.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::extract::{ProviderAdmin, Staff};
use crate::courses::access::{course_for_admin, course_for_staff};
use crate::error::{AppResult, Problem};
use crate::http::json::Json;
use crate::state::AppState;
use crate::team::profession::Profession;
use crate::team::service::{self, AddTeamMember, TeamView};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/professions", web::get().to(professions))
        .route("/courses/{id}/team", web::get().to(get))
        .route("/courses/{id}/team", web::post().to(add))
        .route("/courses/{id}/team/{staff_id}", web::delete().to(remove));
}

#[derive(Serialize, ToSchema)]
pub struct ProfessionLabel {
    pub code: Profession,
    pub fi: &'static str,
    pub sv: &'static str,
    pub en: &'static str,
}

#[utoipa::path(get, path = "/api/v1/professions", tag = "team",
    responses((status = 200, body = Vec<ProfessionLabel>, description = "The professions of R-TEAM with their names")))]
pub async fn professions() -> HttpResponse {
    let list: Vec<ProfessionLabel> = Profession::ALL
        .iter()
        .map(|p| {
            let (fi, sv, en) = p.labels();
            ProfessionLabel {
                code: *p,
                fi,
                sv,
                en,
            }
        })
        .collect();
    HttpResponse::Ok().json(list)
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/team", tag = "team",
    params(("id" = Uuid, Path)), responses((status = 200, body = TeamView)))]
pub async fn get(
    state: web::Data<AppState>,
    who: Staff,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let course = course_for_staff(&state.db, &who.0, *id).await?;
    Ok(HttpResponse::Ok().json(service::view(&state.db, course.id).await?))
}

#[utoipa::path(post, path = "/api/v1/courses/{id}/team", tag = "team", request_body = AddTeamMember,
    params(("id" = Uuid, Path)), responses((status = 201, body = TeamView), (status = 400, body = Problem)))]
pub async fn add(
    state: web::Data<AppState>,
    who: ProviderAdmin,
    id: web::Path<Uuid>,
    body: Json<AddTeamMember>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let course = course_for_admin(&state.db, who.provider_id()?, *id).await?;
    service::add(&state.db, &course, body, state.now()).await?;
    Ok(HttpResponse::Created().json(service::view(&state.db, course.id).await?))
}

#[utoipa::path(delete, path = "/api/v1/courses/{id}/team/{staff_id}", tag = "team",
    params(("id" = Uuid, Path), ("staff_id" = Uuid, Path)),
    responses((status = 204), (status = 409, body = Problem, description = "is_personal_guide")))]
pub async fn remove(
    state: web::Data<AppState>,
    who: ProviderAdmin,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (id, staff) = path.into_inner();
    let course = course_for_admin(&state.db, who.provider_id()?, id).await?;
    let removed = service::remove(&state.db, &course, staff).await?;
    // Their open chat sockets stop receiving the course's rooms (the team room too) at once.
    state.chat.evict_user(removed);
    Ok(HttpResponse::NoContent().finish())
}
