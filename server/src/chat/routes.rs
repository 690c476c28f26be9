//! `/api/v1/chat/*`: HTTP only. Every room endpoint starts with `room_for_member` (404 for anyone
//! not in the room, S10/S13).

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::accounts::model::Role;
use crate::audit::service::{self as audit, Access};
use crate::auth::extract::AuthUser;
use crate::chat::history::{self, Items, Page};
use crate::chat::model::{ChatUser, Membership};
use crate::chat::rooms::{self, RoomView, Unread};
use crate::chat::{socket, store, ticket};
use crate::entity::{chat_room, user};
use crate::error::{AppError, AppResult, Problem};
use crate::http::json::Json;
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chat/ticket", web::post().to(issue_ticket))
        .route("/chat/ws", web::get().to(socket::connect))
        .route("/chat/rooms", web::get().to(list_rooms))
        .route("/chat/unread", web::get().to(unread))
        .route("/chat/rooms/{id}/messages", web::get().to(messages))
        .route("/chat/rooms/{id}/search", web::get().to(search))
        .route("/chat/rooms/{id}/read", web::post().to(read))
        .route("/chat/rooms/{id}/pinned", web::get().to(pinned));
}

/// Chat is for participants and guides; provider and platform admins are in no room.
fn chat_user(who: &AuthUser) -> AppResult<ChatUser> {
    match who.role {
        Role::Participant | Role::Guide => Ok(ChatUser::from(who)),
        Role::ProviderAdmin | Role::PlatformAdmin => {
            Err(AppError::Forbidden { code: "wrong_role" })
        }
    }
}

#[derive(Debug, serde::Serialize, ToSchema)]
pub struct TicketResponse {
    pub ticket: String,
    pub expires_in: i64,
}

#[utoipa::path(post, path = "/api/v1/chat/ticket", tag = "chat",
    responses((status = 200, body = TicketResponse), (status = 403, body = Problem)))]
pub async fn issue_ticket(state: web::Data<AppState>, who: AuthUser) -> AppResult<HttpResponse> {
    let user = chat_user(&who)?;
    let plain = ticket::issue(&state.db, user.id, state.now()).await?;
    Ok(HttpResponse::Ok().json(TicketResponse {
        ticket: plain,
        expires_in: ticket::LIFETIME_SECONDS,
    }))
}

#[utoipa::path(get, path = "/api/v1/chat/rooms", tag = "chat",
    responses((status = 200, body = Vec<RoomView>), (status = 403, body = Problem)))]
pub async fn list_rooms(state: web::Data<AppState>, who: AuthUser) -> AppResult<HttpResponse> {
    let user = chat_user(&who)?;
    let now = state.now();
    rooms::ensure_rooms(&state.db, &user, now).await?;
    Ok(HttpResponse::Ok().json(rooms::my_rooms(&state.db, &user, now).await?))
}

#[utoipa::path(get, path = "/api/v1/chat/unread", tag = "chat",
    responses((status = 200, body = Unread), (status = 403, body = Problem)))]
pub async fn unread(state: web::Data<AppState>, who: AuthUser) -> AppResult<HttpResponse> {
    let user = chat_user(&who)?;
    Ok(HttpResponse::Ok().json(rooms::unread(&state.db, &user).await?))
}

async fn member_room(
    state: &AppState,
    who: &AuthUser,
    id: Uuid,
) -> AppResult<(chat_room::Model, Membership)> {
    let user = chat_user(who)?;
    rooms::room_for_member(&state.db, &user, id).await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct HistoryQuery {
    /// Items with a smaller seq than this (omit for the newest).
    pub before_seq: Option<i64>,
    /// 1–100, default 50.
    pub limit: Option<u64>,
}

#[utoipa::path(get, path = "/api/v1/chat/rooms/{id}/messages", tag = "chat", params(HistoryQuery),
    responses((status = 200, body = Page), (status = 404, body = Problem)))]
pub async fn messages(
    state: web::Data<AppState>,
    who: AuthUser,
    path: web::Path<Uuid>,
    query: web::Query<HistoryQuery>,
) -> AppResult<HttpResponse> {
    let (room, member) = member_room(&state, &who, path.into_inner()).await?;
    let page = history::page(&state.db, &room, member, query.before_seq, query.limit).await?;
    audit_private_read(&state, &who, &room, member).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// S21: staff reading a participant's private thread leaves a trace.
async fn audit_private_read(
    state: &AppState,
    who: &AuthUser,
    room: &chat_room::Model,
    member: Membership,
) -> AppResult<()> {
    if !member.is_staff() || room.kind != "private" {
        return Ok(());
    }
    let Some(pid) = room.participant_id else {
        return Ok(());
    };
    use sea_orm::EntityTrait;
    let Some(p) = user::Entity::find_by_id(pid).one(&state.db).await? else {
        return Ok(());
    };
    audit::record(
        &state.db,
        state.now(),
        Access {
            actor: who,
            subject: p.uuid,
            provider_id: who.provider_id,
            category: "chat",
            action: "read",
            purpose: "guidance",
        },
    )
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchQuery {
    /// The text to look for (case-insensitive).
    pub q: String,
}

#[utoipa::path(get, path = "/api/v1/chat/rooms/{id}/search", tag = "chat", params(SearchQuery),
    responses((status = 200, body = Items), (status = 404, body = Problem)))]
pub async fn search(
    state: web::Data<AppState>,
    who: AuthUser,
    path: web::Path<Uuid>,
    query: web::Query<SearchQuery>,
) -> AppResult<HttpResponse> {
    let (room, member) = member_room(&state, &who, path.into_inner()).await?;
    let found = history::search(&state.db, &room, member, &query.q).await?;
    audit_private_read(&state, &who, &room, member).await?;
    Ok(HttpResponse::Ok().json(found))
}

#[utoipa::path(get, path = "/api/v1/chat/rooms/{id}/pinned", tag = "chat",
    responses((status = 200, body = Items), (status = 404, body = Problem)))]
pub async fn pinned(
    state: web::Data<AppState>,
    who: AuthUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let (room, member) = member_room(&state, &who, path.into_inner()).await?;
    let items = history::pinned(&state.db, &room, member).await?;
    audit_private_read(&state, &who, &room, member).await?;
    Ok(HttpResponse::Ok().json(items))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadMarker {
    pub seq: i64,
}

#[derive(Debug, serde::Serialize, ToSchema)]
pub struct ReadState {
    pub read_seq: i64,
}

#[utoipa::path(post, path = "/api/v1/chat/rooms/{id}/read", tag = "chat", request_body = ReadMarker,
    responses((status = 200, body = ReadState), (status = 404, body = Problem)))]
pub async fn read(
    state: web::Data<AppState>,
    who: AuthUser,
    path: web::Path<Uuid>,
    body: Json<ReadMarker>,
) -> AppResult<HttpResponse> {
    let (room, _) = member_room(&state, &who, path.into_inner()).await?;
    let marker = body.into_inner()?;
    let moved = store::mark_read(&state.db, &room, who.id, marker.seq, state.now()).await?;
    if let Some(seq) = moved {
        state.chat.read_marker(who.id, None, room.uuid, seq);
    }
    let read_seq = store::read_seq(&state.db, room.id, who.id).await?;
    Ok(HttpResponse::Ok().json(ReadState { read_seq }))
}
