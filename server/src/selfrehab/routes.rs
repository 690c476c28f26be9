//! `/api/v1/me/tasks*` for the participant and `/api/v1/courses/{id}/participants/{pid}/tasks*`
//! for the course's staff (each staff request audited): HTTP only.

use actix_web::{HttpResponse, web};
use uuid::Uuid;

use crate::accounts::service::find_by_uuid;
use crate::audit::service::{Access, record};
use crate::auth::extract::{AuthUser, Participant, Staff};
use crate::courses::schedule::helsinki_today;
use crate::courses::service::my_course_row;
use crate::error::{AppError, AppResult, Problem};
use crate::http::json::Json;
use crate::selfrehab::model::*;
use crate::selfrehab::service::{self, Actor, Owner};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/tasks", web::get().to(my_tasks))
        .route("/me/tasks", web::post().to(my_create))
        .route("/me/tasks/today", web::get().to(my_today))
        .route("/me/tasks/{id}", web::patch().to(my_change))
        .route("/me/tasks/{id}/accept", web::post().to(my_accept))
        .route("/me/tasks/{id}/end", web::post().to(my_end))
        .route("/me/tasks/{id}/history", web::get().to(my_history))
        .route("/me/tasks/{id}/logs/{date}", web::put().to(my_log))
        .route(
            "/courses/{id}/participants/{pid}/tasks",
            web::get().to(staff_tasks),
        )
        .route(
            "/courses/{id}/participants/{pid}/tasks",
            web::post().to(staff_create),
        )
        .route(
            "/courses/{id}/participants/{pid}/tasks/{tid}",
            web::patch().to(staff_change),
        )
        .route(
            "/courses/{id}/participants/{pid}/tasks/{tid}/accept",
            web::post().to(staff_accept),
        )
        .route(
            "/courses/{id}/participants/{pid}/tasks/{tid}/end",
            web::post().to(staff_end),
        )
        .route(
            "/courses/{id}/participants/{pid}/tasks/{tid}/history",
            web::get().to(staff_history),
        )
        .route(
            "/courses/{id}/participants/{pid}/tasks/{tid}/logs/{log_id}/feedback",
            web::post().to(staff_feedback),
        );
}

/// The signed-in participant's own plan on their current course.
async fn my_owner(state: &AppState, who: &Participant) -> AppResult<Owner> {
    let course = my_course_row(&state.db, who.0.id).await?;
    let participant = find_by_uuid(&state.db, who.0.uuid)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Owner {
        participant,
        course,
    })
}

fn me(who: &Participant) -> Actor {
    Actor {
        user_id: who.0.id,
        party: Party::Participant,
    }
}

fn guide(who: &Staff) -> Actor {
    Actor {
        user_id: who.0.id,
        party: Party::Guide,
    }
}

/// Staff access to one participant's plan, recorded in the usage log.
async fn staff_owner(
    state: &AppState,
    who: &AuthUser,
    course: Uuid,
    participant: Uuid,
    action: &'static str,
) -> AppResult<Owner> {
    let owner = service::owner_for_staff(&state.db, who, course, participant).await?;
    record(
        &state.db,
        state.now(),
        Access {
            actor: who,
            subject: owner.participant.uuid,
            provider_id: owner.participant.provider_id,
            category: "selfrehab",
            action,
            purpose: "guidance",
        },
    )
    .await?;
    Ok(owner)
}

fn today(state: &AppState) -> chrono::NaiveDate {
    helsinki_today(state.now())
}

#[utoipa::path(get, path = "/api/v1/me/tasks", tag = "participant",
    responses((status = 200, body = MyTasks), (status = 404, body = Problem, description = "no_course")))]
pub async fn my_tasks(state: web::Data<AppState>, who: Participant) -> AppResult<HttpResponse> {
    let owner = my_owner(&state, &who).await?;
    let today = today(&state);
    let tasks = service::views(&state.db, &owner, None, today).await?;
    Ok(HttpResponse::Ok().json(MyTasks { today, tasks }))
}

#[utoipa::path(get, path = "/api/v1/me/tasks/today", tag = "participant",
    responses((status = 200, body = Vec<TodayTask>, description = "the tasks due today")))]
pub async fn my_today(state: web::Data<AppState>, who: Participant) -> AppResult<HttpResponse> {
    let owner = my_owner(&state, &who).await?;
    let out: Vec<TodayTask> = service::views(&state.db, &owner, None, today(&state))
        .await?
        .into_iter()
        .filter(|t| t.due_today)
        .map(|t| TodayTask {
            id: t.id,
            title: t.title,
            minutes: t.minutes,
            today_log: t.today_log,
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}

#[utoipa::path(post, path = "/api/v1/me/tasks", tag = "participant", request_body = NewTask,
    responses((status = 201, body = TaskView), (status = 400, body = Problem)))]
pub async fn my_create(
    state: web::Data<AppState>,
    who: Participant,
    body: Json<NewTask>,
) -> AppResult<HttpResponse> {
    let owner = my_owner(&state, &who).await?;
    let body = body.into_inner()?;
    let task = service::create(&state, &owner, &me(&who), body).await?;
    let view = service::view_one(&state.db, &owner, &task, today(&state)).await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(patch, path = "/api/v1/me/tasks/{id}", tag = "participant", request_body = TaskChange,
    params(("id" = Uuid, Path)),
    responses((status = 200, body = TaskView), (status = 400, body = Problem),
              (status = 409, body = Problem, description = "task_ended or task_changed")))]
pub async fn my_change(
    state: web::Data<AppState>,
    who: Participant,
    id: web::Path<Uuid>,
    body: Json<TaskChange>,
) -> AppResult<HttpResponse> {
    let owner = my_owner(&state, &who).await?;
    let task = service::find_task(&state.db, &owner, *id).await?;
    let body = body.into_inner()?;
    let task = service::change(&state, &owner, task, &me(&who), body).await?;
    let view = service::view_one(&state.db, &owner, &task, today(&state)).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(post, path = "/api/v1/me/tasks/{id}/accept", tag = "participant",
    params(("id" = Uuid, Path), AcceptQuery),
    responses((status = 200, body = TaskView), (status = 409, body = Problem, description = "task_ended or task_changed")))]
pub async fn my_accept(
    state: web::Data<AppState>,
    who: Participant,
    id: web::Path<Uuid>,
    q: web::Query<AcceptQuery>,
) -> AppResult<HttpResponse> {
    let owner = my_owner(&state, &who).await?;
    let task = service::find_task(&state.db, &owner, *id).await?;
    let task = service::accept(&state, task, &me(&who), q.version).await?;
    let view = service::view_one(&state.db, &owner, &task, today(&state)).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(post, path = "/api/v1/me/tasks/{id}/end", tag = "participant",
    params(("id" = Uuid, Path)), responses((status = 200, body = TaskView)))]
pub async fn my_end(
    state: web::Data<AppState>,
    who: Participant,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let owner = my_owner(&state, &who).await?;
    let task = service::find_task(&state.db, &owner, *id).await?;
    let task = service::end(&state, task, &me(&who)).await?;
    let view = service::view_one(&state.db, &owner, &task, today(&state)).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(get, path = "/api/v1/me/tasks/{id}/history", tag = "participant",
    params(("id" = Uuid, Path)), responses((status = 200, body = Vec<HistoryEntry>)))]
pub async fn my_history(
    state: web::Data<AppState>,
    who: Participant,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let owner = my_owner(&state, &who).await?;
    let task = service::find_task(&state.db, &owner, *id).await?;
    Ok(HttpResponse::Ok().json(service::history(&state.db, &task).await?))
}

#[utoipa::path(put, path = "/api/v1/me/tasks/{id}/logs/{date}", tag = "participant", request_body = LogInput,
    params(("id" = Uuid, Path), ("date" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 200, body = LogView),
              (status = 400, body = Problem, description = "field `date`: outside the task's weeks, after its end, or in the future")))]
pub async fn my_log(
    state: web::Data<AppState>,
    who: Participant,
    path: web::Path<(Uuid, String)>,
    body: Json<LogInput>,
) -> AppResult<HttpResponse> {
    let (id, date) = path.into_inner();
    let owner = my_owner(&state, &who).await?;
    let task = service::find_task(&state.db, &owner, id).await?;
    let body = body.into_inner()?;
    let date = parse_log_date(&date)?;
    service::put_log(&state, &task, date, body).await?;
    let view = service::view_one(&state.db, &owner, &task, today(&state)).await?;
    let log = view
        .logs
        .into_iter()
        .find(|l| l.date == date)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the log just written is missing")))?;
    Ok(HttpResponse::Ok().json(log))
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/participants/{pid}/tasks", tag = "guidance",
    params(("id" = Uuid, Path), ("pid" = Uuid, Path)),
    responses((status = 200, body = Vec<TaskView>), (status = 404, body = Problem)))]
pub async fn staff_tasks(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (course, pid) = path.into_inner();
    let owner = staff_owner(&state, &who.0, course, pid, "read").await?;
    Ok(HttpResponse::Ok().json(service::views(&state.db, &owner, None, today(&state)).await?))
}

#[utoipa::path(post, path = "/api/v1/courses/{id}/participants/{pid}/tasks", tag = "guidance",
    request_body = NewTask, params(("id" = Uuid, Path), ("pid" = Uuid, Path)),
    responses((status = 201, body = TaskView, description = "guide accepted; the participant is notified (`task_proposed`)"),
              (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn staff_create(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<NewTask>,
) -> AppResult<HttpResponse> {
    let (course, pid) = path.into_inner();
    let owner = staff_owner(&state, &who.0, course, pid, "create").await?;
    let body = body.into_inner()?;
    let task = service::create(&state, &owner, &guide(&who), body).await?;
    let view = service::view_one(&state.db, &owner, &task, today(&state)).await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(patch, path = "/api/v1/courses/{id}/participants/{pid}/tasks/{tid}", tag = "guidance",
    request_body = TaskChange, params(("id" = Uuid, Path), ("pid" = Uuid, Path), ("tid" = Uuid, Path)),
    responses((status = 200, body = TaskView), (status = 400, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
pub async fn staff_change(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    body: Json<TaskChange>,
) -> AppResult<HttpResponse> {
    let (course, pid, tid) = path.into_inner();
    let owner = staff_owner(&state, &who.0, course, pid, "update").await?;
    let task = service::find_task(&state.db, &owner, tid).await?;
    let body = body.into_inner()?;
    let task = service::change(&state, &owner, task, &guide(&who), body).await?;
    let view = service::view_one(&state.db, &owner, &task, today(&state)).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(post, path = "/api/v1/courses/{id}/participants/{pid}/tasks/{tid}/accept", tag = "guidance",
    params(("id" = Uuid, Path), ("pid" = Uuid, Path), ("tid" = Uuid, Path), AcceptQuery),
    responses((status = 200, body = TaskView), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn staff_accept(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    q: web::Query<AcceptQuery>,
) -> AppResult<HttpResponse> {
    let (course, pid, tid) = path.into_inner();
    let owner = staff_owner(&state, &who.0, course, pid, "update").await?;
    let task = service::find_task(&state.db, &owner, tid).await?;
    let task = service::accept(&state, task, &guide(&who), q.version).await?;
    let view = service::view_one(&state.db, &owner, &task, today(&state)).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(post, path = "/api/v1/courses/{id}/participants/{pid}/tasks/{tid}/end", tag = "guidance",
    params(("id" = Uuid, Path), ("pid" = Uuid, Path), ("tid" = Uuid, Path)),
    responses((status = 200, body = TaskView), (status = 404, body = Problem)))]
pub async fn staff_end(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (course, pid, tid) = path.into_inner();
    let owner = staff_owner(&state, &who.0, course, pid, "update").await?;
    let task = service::find_task(&state.db, &owner, tid).await?;
    let task = service::end(&state, task, &guide(&who)).await?;
    let view = service::view_one(&state.db, &owner, &task, today(&state)).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/participants/{pid}/tasks/{tid}/history", tag = "guidance",
    params(("id" = Uuid, Path), ("pid" = Uuid, Path), ("tid" = Uuid, Path)),
    responses((status = 200, body = Vec<HistoryEntry>), (status = 404, body = Problem)))]
pub async fn staff_history(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (course, pid, tid) = path.into_inner();
    let owner = staff_owner(&state, &who.0, course, pid, "read").await?;
    let task = service::find_task(&state.db, &owner, tid).await?;
    Ok(HttpResponse::Ok().json(service::history(&state.db, &task).await?))
}

#[utoipa::path(post, path = "/api/v1/courses/{id}/participants/{pid}/tasks/{tid}/logs/{log_id}/feedback", tag = "guidance",
    request_body = FeedbackInput,
    params(("id" = Uuid, Path), ("pid" = Uuid, Path), ("tid" = Uuid, Path), ("log_id" = Uuid, Path)),
    responses((status = 201, body = FeedbackView, description = "the participant is notified (`task_feedback`)"),
              (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn staff_feedback(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid, Uuid, Uuid)>,
    body: Json<FeedbackInput>,
) -> AppResult<HttpResponse> {
    let (course, pid, tid, log_id) = path.into_inner();
    let owner = staff_owner(&state, &who.0, course, pid, "create").await?;
    let task = service::find_task(&state.db, &owner, tid).await?;
    let body = body.into_inner()?;
    let fb = service::add_feedback(&state, &owner, &task, log_id, who.0.id, &body.body).await?;
    Ok(HttpResponse::Created().json(fb))
}
