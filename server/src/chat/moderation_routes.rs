//! `/api/v1/chat/…` moderation and reports (PROTOCOL.md, "HTTP"): HTTP only. Moderation is for the
//! guides of the course: a participant gets 403 `wrong_role`; a guide of another course and a
//! provider admin (who is in no room) get 404, as for an unknown id.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::extract::{Participant, Staff};
use crate::chat::moderation::{
    self, EventView, MessageAction, MuteView, Reason, RoomSettings, minutes_field, slow_mode_field,
};
use crate::chat::reports::{self, ReportCreated, ReportView, Resolution, Resolved};
use crate::error::{AppResult, Problem};
use crate::http::json::Json;
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/chat/rooms/{id}/messages/{seq}/hide", web::post().to(hide))
        .route(
            "/chat/rooms/{id}/messages/{seq}/unhide",
            web::post().to(unhide),
        )
        .route(
            "/chat/rooms/{id}/messages/{seq}/remove",
            web::post().to(remove),
        )
        .route("/chat/rooms/{id}/messages/{seq}/pin", web::post().to(pin))
        .route(
            "/chat/rooms/{id}/messages/{seq}/unpin",
            web::post().to(unpin),
        )
        .route(
            "/chat/rooms/{id}/messages/{seq}/report",
            web::post().to(report),
        )
        .route("/chat/rooms/{id}/settings", web::put().to(settings))
        .route("/chat/courses/{course}/mutes", web::get().to(mutes))
        .route("/chat/courses/{course}/mutes", web::post().to(mute))
        .route(
            "/chat/courses/{course}/mutes/{participant}",
            web::delete().to(unmute),
        )
        .route("/chat/courses/{course}/reports", web::get().to(queue))
        .route("/chat/reports/{id}/resolve", web::post().to(resolve));
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HideRequest {
    /// Why, in a few words; staff see it, participants see "removed by the guide".
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoveRequest {
    #[serde(default)]
    pub reason: Option<String>,
}

type MessagePath = web::Path<(Uuid, i64)>;

#[utoipa::path(post, path = "/api/v1/chat/rooms/{id}/messages/{seq}/hide", tag = "chat",
    request_body = HideRequest, params(("id" = Uuid, Path), ("seq" = i64, Path)),
    responses((status = 200, body = EventView),
              (status = 400, body = Problem, description = "validation_failed, not_a_message"),
              (status = 404, body = Problem, description = "not_found, message_not_found"),
              (status = 409, body = Problem, description = "already_hidden, message_deleted")))]
pub async fn hide(
    state: web::Data<AppState>,
    who: Staff,
    path: MessagePath,
    body: Json<HideRequest>,
) -> AppResult<HttpResponse> {
    let reason = Reason::field("reason", &body.into_inner()?.reason)?;
    let (room, seq) = path.into_inner();
    let ev = moderation::moderate_message(&state, &who.0, room, seq, MessageAction::Hide(reason))
        .await?;
    Ok(HttpResponse::Ok().json(ev))
}

#[utoipa::path(post, path = "/api/v1/chat/rooms/{id}/messages/{seq}/unhide", tag = "chat",
    params(("id" = Uuid, Path), ("seq" = i64, Path)),
    responses((status = 200, body = EventView), (status = 409, body = Problem, description = "not_hidden")))]
pub async fn unhide(
    state: web::Data<AppState>,
    who: Staff,
    path: MessagePath,
) -> AppResult<HttpResponse> {
    let (room, seq) = path.into_inner();
    let ev = moderation::moderate_message(&state, &who.0, room, seq, MessageAction::Unhide).await?;
    Ok(HttpResponse::Ok().json(ev))
}

#[utoipa::path(post, path = "/api/v1/chat/rooms/{id}/messages/{seq}/remove", tag = "chat",
    request_body = RemoveRequest, params(("id" = Uuid, Path), ("seq" = i64, Path)),
    responses((status = 200, body = EventView), (status = 409, body = Problem, description = "already_deleted")))]
pub async fn remove(
    state: web::Data<AppState>,
    who: Staff,
    path: MessagePath,
    body: Json<RemoveRequest>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let reason = Reason::optional("reason", body.reason.as_deref())?;
    let (room, seq) = path.into_inner();
    let ev = moderation::moderate_message(&state, &who.0, room, seq, MessageAction::Remove(reason))
        .await?;
    Ok(HttpResponse::Ok().json(ev))
}

#[utoipa::path(post, path = "/api/v1/chat/rooms/{id}/messages/{seq}/pin", tag = "chat",
    params(("id" = Uuid, Path), ("seq" = i64, Path)),
    responses((status = 200, body = EventView), (status = 409, body = Problem, description = "already_pinned, message_hidden, message_deleted")))]
pub async fn pin(
    state: web::Data<AppState>,
    who: Staff,
    path: MessagePath,
) -> AppResult<HttpResponse> {
    let (room, seq) = path.into_inner();
    let ev = moderation::moderate_message(&state, &who.0, room, seq, MessageAction::Pin).await?;
    Ok(HttpResponse::Ok().json(ev))
}

#[utoipa::path(post, path = "/api/v1/chat/rooms/{id}/messages/{seq}/unpin", tag = "chat",
    params(("id" = Uuid, Path), ("seq" = i64, Path)),
    responses((status = 200, body = EventView), (status = 409, body = Problem, description = "not_pinned")))]
pub async fn unpin(
    state: web::Data<AppState>,
    who: Staff,
    path: MessagePath,
) -> AppResult<HttpResponse> {
    let (room, seq) = path.into_inner();
    let ev = moderation::moderate_message(&state, &who.0, room, seq, MessageAction::Unpin).await?;
    Ok(HttpResponse::Ok().json(ev))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsRequest {
    /// Only the course's guides can write while on.
    pub read_only: bool,
    /// A participant can send one message per this many seconds; 0 (off) to 3600.
    pub slow_mode_seconds: i64,
}

#[utoipa::path(put, path = "/api/v1/chat/rooms/{id}/settings", tag = "chat",
    request_body = SettingsRequest, params(("id" = Uuid, Path)),
    responses((status = 200, body = RoomSettings), (status = 400, body = Problem, description = "validation_failed")))]
pub async fn settings(
    state: web::Data<AppState>,
    who: Staff,
    id: web::Path<Uuid>,
    body: Json<SettingsRequest>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let slow = slow_mode_field(body.slow_mode_seconds)?;
    let out = moderation::set_room_settings(&state, &who.0, *id, body.read_only, slow).await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MuteRequest {
    /// The participant's id.
    pub participant: Uuid,
    /// 1 to 10080 (7 days).
    pub minutes: i64,
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/chat/courses/{course}/mutes", tag = "chat",
    request_body = MuteRequest, params(("course" = Uuid, Path)),
    responses((status = 201, body = MuteView), (status = 400, body = Problem, description = "validation_failed"),
              (status = 404, body = Problem)))]
pub async fn mute(
    state: web::Data<AppState>,
    who: Staff,
    course: web::Path<Uuid>,
    body: Json<MuteRequest>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let length = minutes_field(body.minutes)?;
    let reason = Reason::field("reason", &body.reason)?;
    let out = moderation::mute(&state, &who.0, *course, body.participant, length, reason).await?;
    Ok(HttpResponse::Created().json(out))
}

#[utoipa::path(get, path = "/api/v1/chat/courses/{course}/mutes", tag = "chat",
    params(("course" = Uuid, Path)), responses((status = 200, body = Vec<MuteView>)))]
pub async fn mutes(
    state: web::Data<AppState>,
    who: Staff,
    course: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(moderation::running_mutes(&state, &who.0, *course).await?))
}

#[utoipa::path(delete, path = "/api/v1/chat/courses/{course}/mutes/{participant}", tag = "chat",
    params(("course" = Uuid, Path), ("participant" = Uuid, Path)),
    responses((status = 200, body = Vec<EventView>), (status = 404, body = Problem, description = "not_found, not_muted")))]
pub async fn unmute(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (course, participant) = path.into_inner();
    let events = moderation::unmute(&state, &who.0, course, participant).await?;
    Ok(HttpResponse::Ok().json(events))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// What is wrong with the message, up to 1000 characters.
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/chat/rooms/{id}/messages/{seq}/report", tag = "chat",
    request_body = ReportRequest, params(("id" = Uuid, Path), ("seq" = i64, Path)),
    responses((status = 201, body = ReportCreated),
              (status = 400, body = Problem, description = "validation_failed, not_a_message"),
              (status = 409, body = Problem, description = "already_reported, own_message, message_deleted")))]
pub async fn report(
    state: web::Data<AppState>,
    who: Participant,
    path: MessagePath,
    body: Json<ReportRequest>,
) -> AppResult<HttpResponse> {
    let reason = Reason::field("reason", &body.into_inner()?.reason)?;
    let (room, seq) = path.into_inner();
    let out = reports::report(&state, &who.0, room, seq, reason).await?;
    Ok(HttpResponse::Created().json(out))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct QueueQuery {
    /// true: waiting reports (oldest first); false: closed ones; absent: all.
    #[serde(default)]
    pub open: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/chat/courses/{course}/reports", tag = "chat",
    params(("course" = Uuid, Path), QueueQuery), responses((status = 200, body = Vec<ReportView>)))]
pub async fn queue(
    state: web::Data<AppState>,
    who: Staff,
    course: web::Path<Uuid>,
    q: web::Query<QueueQuery>,
) -> AppResult<HttpResponse> {
    let list = reports::queue(&state, &who.0, *course, q.open).await?;
    // S21: the queue shows participants' messages and who reported them; each participant read
    // leaves one trace per request, written before the answer.
    let mut subjects: Vec<Uuid> = list
        .iter()
        .flat_map(|r| [&r.message.author, &r.reporter])
        .filter(|p| p.role == crate::accounts::model::Role::Participant)
        .map(|p| p.id)
        .collect();
    subjects.sort_unstable();
    subjects.dedup();
    crate::audit::service::record_each(
        &state.db,
        state.now(),
        &crate::audit::service::Access {
            actor: &who.0,
            subject: Uuid::nil(),
            provider_id: who.0.provider_id,
            category: "chat",
            action: "read",
            purpose: moderation::PURPOSE,
        },
        &subjects,
    )
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveRequest {
    pub action: Resolution,
    /// For the team's records; also the hide reason when hiding (else the report's reason).
    #[serde(default)]
    pub note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/chat/reports/{id}/resolve", tag = "chat",
    request_body = ResolveRequest, params(("id" = Uuid, Path)),
    responses((status = 200, body = Resolved), (status = 409, body = Problem, description = "already_resolved")))]
pub async fn resolve(
    state: web::Data<AppState>,
    who: Staff,
    id: web::Path<Uuid>,
    body: Json<ResolveRequest>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let note = Reason::optional("note", body.note.as_deref())?;
    let out = reports::resolve(&state, &who.0, *id, body.action, note).await?;
    Ok(HttpResponse::Ok().json(out))
}
