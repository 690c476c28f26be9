//! HTTP for guidance sessions in a group room. The socket carries only chat (STYLE.md, Lemmy's
//! lesson): starting, ending and saving a session are HTTP; the room sees their events.

use actix_web::{HttpResponse, web};
use uuid::Uuid;

use crate::audit::course::audit_people;
use crate::auth::extract::Staff;
use crate::error::{AppResult, Problem};
use crate::guidance::model::EntryView;
use crate::guidance::service::entry_view;
use crate::guidance::session::{self, CurrentSession, SaveSession, SessionView};
use crate::http::json::Json;
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chat/rooms/{id}/guidance-session", web::get().to(current))
        .route("/chat/rooms/{id}/guidance-session", web::post().to(start))
        .route("/chat/rooms/{id}/guidance-session/end", web::post().to(end))
        .route(
            "/chat/rooms/{id}/guidance-session/save",
            web::post().to(save),
        )
        .route(
            "/chat/rooms/{id}/guidance-session/cancel",
            web::post().to(cancel),
        );
}

#[utoipa::path(get, path = "/api/v1/chat/rooms/{id}/guidance-session", tag = "guidance",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = CurrentSession, description = "the running session, or an ended one waiting to be saved, with who wrote and who read"),
              (status = 400, body = Problem, description = "not_a_group_room"), (status = 404, body = Problem)))]
pub async fn current(
    state: web::Data<AppState>,
    who: Staff,
    room: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let view = session::current(&state, &who.0, *room).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(post, path = "/api/v1/chat/rooms/{id}/guidance-session", tag = "guidance",
    params(("id" = Uuid, Path)),
    responses((status = 201, body = SessionView, description = "started; the room sees a `guidance_started` event"),
              (status = 400, body = Problem, description = "not_a_group_room"),
              (status = 409, body = Problem, description = "session_running"), (status = 404, body = Problem)))]
pub async fn start(
    state: web::Data<AppState>,
    who: Staff,
    room: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let view = session::start(&state, &who.0, *room).await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(post, path = "/api/v1/chat/rooms/{id}/guidance-session/end", tag = "guidance",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = SessionView, description = "ended; the list of who wrote and who read is frozen for the guide to correct"),
              (status = 404, body = Problem, description = "no_session")))]
pub async fn end(
    state: web::Data<AppState>,
    who: Staff,
    room: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let view = session::end(&state, &who.0, *room).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(post, path = "/api/v1/chat/rooms/{id}/guidance-session/save", tag = "guidance",
    params(("id" = Uuid, Path)), request_body = SaveSession,
    responses((status = 201, body = EntryView, description = "one `group_chat` entry crediting the listed participants"),
              (status = 400, body = Problem, description = "validation_failed: `participant_ids` empty / not_enrolled, `minutes` out_of_range"),
              (status = 409, body = Problem, description = "session_saved"),
              (status = 404, body = Problem, description = "no_session")))]
pub async fn save(
    state: web::Data<AppState>,
    who: Staff,
    room: web::Path<Uuid>,
    body: Json<SaveSession>,
) -> AppResult<HttpResponse> {
    let (entry, people, course) = session::save(&state, &who.0, *room, body.into_inner()?).await?;
    audit_people(&state, &who.0, &course, &people, "guidance", "create").await?;
    let view = entry_view(&state.db, &course, entry).await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(post, path = "/api/v1/chat/rooms/{id}/guidance-session/cancel", tag = "guidance",
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "dropped without an entry"),
              (status = 404, body = Problem, description = "no_session")))]
pub async fn cancel(
    state: web::Data<AppState>,
    who: Staff,
    room: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    session::cancel(&state, &who.0, *room).await?;
    Ok(HttpResponse::NoContent().finish())
}
