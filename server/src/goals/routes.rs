//! `/api/v1/me/goals*` and `/api/v1/courses/{id}/participants/{pid}/goals*`: HTTP only.

use actix_web::{HttpResponse, web};
use uuid::Uuid;

use crate::audit::service::{self as audit, Access};
use crate::auth::extract::{AuthUser, Participant, Staff};
use crate::courses::service::my_course_row;
use crate::error::{AppResult, Problem};
use crate::goals::model::{GoalHistoryEntry, GoalPatch, GoalView, GoalsView, NewGoal, SetLevel};
use crate::goals::service::{self, Owner, Rating, staff_participant};
use crate::http::json::Json;
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    let staff = "/courses/{id}/participants/{pid}/goals";
    cfg.route("/me/goals", web::get().to(my_list))
        .route("/me/goals", web::post().to(my_create))
        .route("/me/goals/{gid}", web::patch().to(my_update))
        .route("/me/goals/{gid}", web::delete().to(my_delete))
        .route("/me/goals/{gid}/history", web::get().to(my_history))
        .route(staff, web::get().to(staff_list))
        .route(staff, web::post().to(staff_create))
        .route(&format!("{staff}/{{gid}}"), web::patch().to(staff_update))
        .route(&format!("{staff}/{{gid}}"), web::delete().to(staff_delete))
        .route(
            &format!("{staff}/{{gid}}/baseline"),
            web::put().to(set_baseline),
        )
        .route(
            &format!("{staff}/{{gid}}/attainment"),
            web::put().to(set_attainment),
        )
        .route(
            &format!("{staff}/{{gid}}/history"),
            web::get().to(staff_history),
        );
}

async fn mine(state: &AppState, who: &Participant) -> AppResult<Owner> {
    let course = my_course_row(&state.db, who.0.id).await?;
    Ok(Owner {
        course_id: course.id,
        participant_id: who.0.id,
    })
}

#[utoipa::path(get, path = "/api/v1/me/goals", tag = "goals",
    responses((status = 200, body = GoalsView), (status = 404, body = Problem, description = "no_course")))]
pub async fn my_list(state: web::Data<AppState>, who: Participant) -> AppResult<HttpResponse> {
    let owner = mine(&state, &who).await?;
    Ok(HttpResponse::Ok().json(service::list(&state.db, owner).await?))
}

#[utoipa::path(post, path = "/api/v1/me/goals", tag = "goals", request_body = NewGoal,
    responses((status = 201, body = GoalView), (status = 400, body = Problem),
              (status = 409, body = Problem, description = "goal_limit: three goals already")))]
pub async fn my_create(
    state: web::Data<AppState>,
    who: Participant,
    body: Json<NewGoal>,
) -> AppResult<HttpResponse> {
    let content = body.into_inner()?.parse()?;
    let owner = mine(&state, &who).await?;
    let goal = service::create(&state.db, owner, who.0.id, content, state.now()).await?;
    Ok(HttpResponse::Created().json(goal))
}

#[utoipa::path(patch, path = "/api/v1/me/goals/{gid}", tag = "goals", request_body = GoalPatch,
    params(("gid" = Uuid, Path)),
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "goal_rated: the baseline is set")))]
pub async fn my_update(
    state: web::Data<AppState>,
    who: Participant,
    gid: web::Path<Uuid>,
    body: Json<GoalPatch>,
) -> AppResult<HttpResponse> {
    let change = body.into_inner()?.parse()?;
    let owner = mine(&state, &who).await?;
    let goal = service::update(&state.db, owner, *gid, who.0.id, change, state.now()).await?;
    Ok(HttpResponse::Ok().json(goal))
}

#[utoipa::path(delete, path = "/api/v1/me/goals/{gid}", tag = "goals", params(("gid" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "goal_rated: the baseline is set")))]
pub async fn my_delete(
    state: web::Data<AppState>,
    who: Participant,
    gid: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let owner = mine(&state, &who).await?;
    service::delete(&state.db, owner, *gid, who.0.id, state.now()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/v1/me/goals/{gid}/history", tag = "goals", params(("gid" = Uuid, Path)),
    responses((status = 200, body = Vec<GoalHistoryEntry>), (status = 404, body = Problem)))]
pub async fn my_history(
    state: web::Data<AppState>,
    who: Participant,
    gid: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let owner = mine(&state, &who).await?;
    let goal = service::find(&state.db, owner, *gid).await?;
    Ok(HttpResponse::Ok().json(service::history(&state.db, &goal).await?))
}

/// A participant a staff member names in a path, checked before anything else is looked at.
struct StaffTarget {
    owner: Owner,
    subject: Uuid,
    provider_id: i32,
}

async fn staff_target(
    state: &AppState,
    who: &AuthUser,
    ids: (Uuid, Uuid),
) -> AppResult<StaffTarget> {
    let (course, person) = staff_participant(&state.db, who, ids.0, ids.1).await?;
    Ok(StaffTarget {
        owner: Owner {
            course_id: course.id,
            participant_id: person.id,
        },
        subject: person.uuid,
        provider_id: course.provider_id,
    })
}

/// Every staff read or change of a participant's goals goes in the usage log (S12).
async fn audit(
    state: &AppState,
    who: &AuthUser,
    t: &StaffTarget,
    action: &'static str,
) -> AppResult<()> {
    audit::record(
        &state.db,
        state.now(),
        Access {
            actor: who,
            subject: t.subject,
            provider_id: Some(t.provider_id),
            category: "goals",
            action,
            purpose: "guidance",
        },
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/participants/{pid}/goals", tag = "goals",
    params(("id" = Uuid, Path), ("pid" = Uuid, Path)),
    responses((status = 200, body = GoalsView), (status = 404, body = Problem)))]
pub async fn staff_list(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let t = staff_target(&state, &who.0, *path).await?;
    audit(&state, &who.0, &t, "read").await?;
    Ok(HttpResponse::Ok().json(service::list(&state.db, t.owner).await?))
}

#[utoipa::path(post, path = "/api/v1/courses/{id}/participants/{pid}/goals", tag = "goals",
    request_body = NewGoal, params(("id" = Uuid, Path), ("pid" = Uuid, Path)),
    responses((status = 201, body = GoalView), (status = 400, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "goal_limit")))]
pub async fn staff_create(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<NewGoal>,
) -> AppResult<HttpResponse> {
    let t = staff_target(&state, &who.0, *path).await?;
    let content = body.into_inner()?.parse()?;
    let goal = service::create(&state.db, t.owner, who.0.id, content, state.now()).await?;
    audit(&state, &who.0, &t, "create").await?;
    Ok(HttpResponse::Created().json(goal))
}

#[utoipa::path(patch, path = "/api/v1/courses/{id}/participants/{pid}/goals/{gid}", tag = "goals",
    request_body = GoalPatch, params(("id" = Uuid, Path), ("pid" = Uuid, Path), ("gid" = Uuid, Path)),
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "goal_rated")))]
pub async fn staff_update(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    body: Json<GoalPatch>,
) -> AppResult<HttpResponse> {
    let (id, pid, gid) = *path;
    let t = staff_target(&state, &who.0, (id, pid)).await?;
    let change = body.into_inner()?.parse()?;
    let goal = service::update(&state.db, t.owner, gid, who.0.id, change, state.now()).await?;
    audit(&state, &who.0, &t, "update").await?;
    Ok(HttpResponse::Ok().json(goal))
}

#[utoipa::path(delete, path = "/api/v1/courses/{id}/participants/{pid}/goals/{gid}", tag = "goals",
    params(("id" = Uuid, Path), ("pid" = Uuid, Path), ("gid" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem, description = "goal_rated")))]
pub async fn staff_delete(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (id, pid, gid) = *path;
    let t = staff_target(&state, &who.0, (id, pid)).await?;
    service::delete(&state.db, t.owner, gid, who.0.id, state.now()).await?;
    audit(&state, &who.0, &t, "delete").await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn rate(
    state: &AppState,
    who: &Staff,
    path: (Uuid, Uuid, Uuid),
    body: Json<SetLevel>,
    rating: Rating,
) -> AppResult<HttpResponse> {
    let (id, pid, gid) = path;
    let t = staff_target(state, &who.0, (id, pid)).await?;
    let level = body.into_inner()?.parse()?;
    let goal = service::rate(
        &state.db,
        t.owner,
        gid,
        who.0.id,
        rating,
        level,
        state.now(),
    )
    .await?;
    audit(state, &who.0, &t, "update").await?;
    Ok(HttpResponse::Ok().json(goal))
}

#[utoipa::path(put, path = "/api/v1/courses/{id}/participants/{pid}/goals/{gid}/baseline", tag = "goals",
    request_body = SetLevel, params(("id" = Uuid, Path), ("pid" = Uuid, Path), ("gid" = Uuid, Path)),
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "goal_rated: the attainment is already rated")))]
pub async fn set_baseline(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    body: Json<SetLevel>,
) -> AppResult<HttpResponse> {
    rate(&state, &who, *path, body, Rating::Baseline).await
}

#[utoipa::path(put, path = "/api/v1/courses/{id}/participants/{pid}/goals/{gid}/attainment", tag = "goals",
    request_body = SetLevel, params(("id" = Uuid, Path), ("pid" = Uuid, Path), ("gid" = Uuid, Path)),
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "baseline_missing")))]
pub async fn set_attainment(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    body: Json<SetLevel>,
) -> AppResult<HttpResponse> {
    rate(&state, &who, *path, body, Rating::Attainment).await
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/participants/{pid}/goals/{gid}/history", tag = "goals",
    params(("id" = Uuid, Path), ("pid" = Uuid, Path), ("gid" = Uuid, Path)),
    responses((status = 200, body = Vec<GoalHistoryEntry>), (status = 404, body = Problem)))]
pub async fn staff_history(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (id, pid, gid) = *path;
    let t = staff_target(&state, &who.0, (id, pid)).await?;
    let goal = service::find(&state.db, t.owner, gid).await?;
    audit(&state, &who.0, &t, "read").await?;
    Ok(HttpResponse::Ok().json(service::history(&state.db, &goal).await?))
}
