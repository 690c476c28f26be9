//! `/api/v1/me/measures` and `/api/v1/courses/{id}/participants/{pid}/measures`: HTTP only.

use actix_web::{HttpResponse, web};
use sea_orm::EntityTrait;
use uuid::Uuid;

use crate::audit::service::{self as audit, Access};
use crate::auth::extract::{AuthUser, Participant, Staff};
use crate::courses::schedule::helsinki_today;
use crate::courses::service::my_course_row;
use crate::entity::user;
use crate::error::{AppError, AppResult, Problem};
use crate::goals::service::{Owner, staff_participant};
use crate::http::json::Json;
use crate::measures::model::{MeasureView, NewMeasure};
use crate::measures::service;
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/measures", web::get().to(my_list))
        .route(
            "/courses/{id}/participants/{pid}/measures",
            web::get().to(staff_list),
        )
        .route(
            "/courses/{id}/participants/{pid}/measures",
            web::post().to(staff_record),
        );
}

#[utoipa::path(get, path = "/api/v1/me/measures", tag = "measures",
    responses((status = 200, body = Vec<MeasureView>), (status = 404, body = Problem, description = "no_course")))]
pub async fn my_list(state: web::Data<AppState>, who: Participant) -> AppResult<HttpResponse> {
    let course = my_course_row(&state.db, who.0.id).await?;
    let owner = Owner {
        course_id: course.id,
        participant_id: who.0.id,
    };
    Ok(HttpResponse::Ok().json(service::list(&state.db, owner).await?))
}

async fn audit(
    state: &AppState,
    who: &AuthUser,
    subject: Uuid,
    provider_id: i32,
    action: &'static str,
) -> AppResult<()> {
    audit::record(
        &state.db,
        state.now(),
        Access {
            actor: who,
            subject,
            provider_id: Some(provider_id),
            category: "measures",
            action,
            purpose: "guidance",
        },
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/participants/{pid}/measures", tag = "measures",
    params(("id" = Uuid, Path), ("pid" = Uuid, Path)),
    responses((status = 200, body = Vec<MeasureView>), (status = 404, body = Problem)))]
pub async fn staff_list(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (course, person) = staff_participant(&state.db, &who.0, path.0, path.1).await?;
    audit(&state, &who.0, person.uuid, course.provider_id, "read").await?;
    let owner = Owner {
        course_id: course.id,
        participant_id: person.id,
    };
    Ok(HttpResponse::Ok().json(service::list(&state.db, owner).await?))
}

#[utoipa::path(post, path = "/api/v1/courses/{id}/participants/{pid}/measures", tag = "measures",
    request_body = NewMeasure, params(("id" = Uuid, Path), ("pid" = Uuid, Path)),
    responses((status = 201, body = MeasureView), (status = 400, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "measure_exists, measure_start_missing, or measure_too_soon with the first allowed date (YYYY-MM-DD) at the start of `detail`")))]
pub async fn staff_record(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<NewMeasure>,
) -> AppResult<HttpResponse> {
    let (course, person) = staff_participant(&state.db, &who.0, path.0, path.1).await?;
    let now = state.now();
    let input = body.into_inner()?.parse(helsinki_today(now))?;
    let actor = user::Entity::find_by_id(who.0.id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let owner = Owner {
        course_id: course.id,
        participant_id: person.id,
    };
    let view = service::record(&state.db, owner, &actor, input, now).await?;
    audit(&state, &who.0, person.uuid, course.provider_id, "create").await?;
    Ok(HttpResponse::Created().json(view))
}
