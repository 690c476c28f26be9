//! `/api/v1/courses/{id}/…contacts…` for the course's staff (reads audited, writes by team
//! members) and `/api/v1/me/contacts…` for the participant: HTTP only.

use actix_web::{HttpResponse, http::header, web};
use uuid::Uuid;

use crate::audit::course::audit_people;
use crate::auth::extract::{Participant, Staff};
use crate::contacts::model::*;
use crate::contacts::service;
use crate::courses::access::{
    course_for_staff, course_participant_for_staff, enrolled_participant,
};
use crate::courses::service::my_course_row;
use crate::entity::{contact, course, user};
use crate::error::{AppError, AppResult, Problem};
use crate::guidance::service::ensure_guide_of_course;
use crate::http::json::Json;
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/contacts", web::get().to(my_contacts))
        .route("/me/contacts/{cid}/confirm", web::post().to(my_confirm))
        .route(
            "/me/contacts/{cid}/reschedule",
            web::post().to(my_reschedule),
        )
        .route(
            "/me/contacts/{cid}/invitation.ics",
            web::get().to(my_invitation),
        )
        .route("/courses/{id}/contacts", web::get().to(course_list))
        .route(
            "/courses/{id}/participants/{pid}/contacts",
            web::get().to(staff_list),
        )
        .route(
            "/courses/{id}/participants/{pid}/contacts",
            web::post().to(staff_create),
        )
        .route(
            "/courses/{id}/contacts/{cid}",
            web::patch().to(staff_change),
        )
        .route(
            "/courses/{id}/contacts/{cid}/done",
            web::post().to(staff_done),
        )
        .route(
            "/courses/{id}/contacts/{cid}/cancel",
            web::post().to(staff_cancel),
        )
        .route(
            "/courses/{id}/contacts/{cid}/no-show",
            web::post().to(staff_no_show),
        )
        .route(
            "/courses/{id}/contacts/{cid}/invitation.ics",
            web::get().to(staff_invitation),
        );
}

fn template(state: &AppState) -> Option<&crate::config::VideoUrlTemplate> {
    state.config.video_url_template.as_ref()
}

fn calendar(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/calendar; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"etapolku.ics\"",
        ))
        .body(body)
}

async fn participant_of(state: &AppState, c: &contact::Model) -> AppResult<user::Model> {
    use sea_orm::EntityTrait;
    user::Entity::find_by_id(c.participant_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A team member's access to one contact of the course, audited as a write on its participant.
async fn staff_contact(
    state: &AppState,
    who: &Staff,
    course_id: Uuid,
    cid: Uuid,
) -> AppResult<(course::Model, contact::Model, user::Model)> {
    let course = ensure_guide_of_course(&state.db, &who.0, course_id).await?;
    let c = service::find(&state.db, &course, cid).await?;
    let person = participant_of(state, &c).await?;
    Ok((course, c, person))
}

async fn respond(
    state: &AppState,
    who: &Staff,
    course: &course::Model,
    person: &user::Model,
    c: contact::Model,
) -> AppResult<HttpResponse> {
    audit_people(
        state,
        &who.0,
        course,
        std::slice::from_ref(person),
        "contacts",
        "update",
    )
    .await?;
    Ok(HttpResponse::Ok().json(service::view(&state.db, c, template(state)).await?))
}

#[utoipa::path(get, path = "/api/v1/me/contacts", tag = "participant",
    responses((status = 200, body = Vec<MyContact>, description = "upcoming contacts (planned, confirmed or waiting for a new time), soonest first"),
              (status = 404, body = Problem, description = "no_course")))]
pub async fn my_contacts(state: web::Data<AppState>, who: Participant) -> AppResult<HttpResponse> {
    let course = my_course_row(&state.db, who.0.id).await?;
    let list = service::for_participant(&state.db, &course, who.0.id, true).await?;
    Ok(HttpResponse::Ok().json(service::my_views(&state.db, list, template(&state)).await?))
}

async fn my_contact(state: &AppState, who: &Participant, cid: Uuid) -> AppResult<contact::Model> {
    let course = my_course_row(&state.db, who.0.id).await?;
    service::find_mine(&state.db, &course, who.0.id, cid).await
}

async fn my_one(state: &AppState, c: contact::Model) -> AppResult<HttpResponse> {
    let view = service::my_views(&state.db, vec![c], template(state))
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(post, path = "/api/v1/me/contacts/{cid}/confirm", tag = "participant",
    params(("cid" = Uuid, Path)),
    responses((status = 200, body = MyContact), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "contact_closed")))]
pub async fn my_confirm(
    state: web::Data<AppState>,
    who: Participant,
    cid: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let c = my_contact(&state, &who, *cid).await?;
    let c = service::confirm(&state.db, c, state.now()).await?;
    my_one(&state, c).await
}

#[utoipa::path(post, path = "/api/v1/me/contacts/{cid}/reschedule", tag = "participant",
    request_body = RescheduleRequest, params(("cid" = Uuid, Path)),
    responses((status = 200, body = MyContact, description = "status `reschedule_requested`; the guide sees the message"),
              (status = 400, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "contact_closed")))]
pub async fn my_reschedule(
    state: web::Data<AppState>,
    who: Participant,
    cid: web::Path<Uuid>,
    body: Json<RescheduleRequest>,
) -> AppResult<HttpResponse> {
    let c = my_contact(&state, &who, *cid).await?;
    let message = body.into_inner()?.parse()?;
    let c = service::request_reschedule(&state.db, c, message, state.now()).await?;
    my_one(&state, c).await
}

#[utoipa::path(get, path = "/api/v1/me/contacts/{cid}/invitation.ics", tag = "participant",
    params(("cid" = Uuid, Path)),
    responses((status = 200, content_type = "text/calendar", body = String, description = "RFC 5545 invitation, Europe/Helsinki"),
              (status = 404, body = Problem)))]
pub async fn my_invitation(
    state: web::Data<AppState>,
    who: Participant,
    cid: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let c = my_contact(&state, &who, *cid).await?;
    Ok(calendar(
        service::invitation(&state.db, &c, template(&state), state.now()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/contacts", tag = "guidance",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<ContactView>, description = "every contact of the course, by planned time"),
              (status = 404, body = Problem)))]
pub async fn course_list(
    state: web::Data<AppState>,
    who: Staff,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let course = course_for_staff(&state.db, &who.0, *id).await?;
    let list = service::for_course(&state.db, &course).await?;
    let people = service::participants_in(&state.db, &list).await?;
    audit_people(&state, &who.0, &course, &people, "contacts", "read").await?;
    Ok(HttpResponse::Ok().json(service::views(&state.db, list, template(&state)).await?))
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/participants/{pid}/contacts", tag = "guidance",
    params(("id" = Uuid, Path), ("pid" = Uuid, Path)),
    responses((status = 200, body = Vec<ContactView>, description = "all the participant's contacts, by planned time"),
              (status = 404, body = Problem)))]
pub async fn staff_list(
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
        "contacts",
        "read",
    )
    .await?;
    let list = service::for_participant(&state.db, &course, person.id, false).await?;
    Ok(HttpResponse::Ok().json(service::views(&state.db, list, template(&state)).await?))
}

#[utoipa::path(post, path = "/api/v1/courses/{id}/participants/{pid}/contacts", tag = "guidance",
    request_body = NewContact, params(("id" = Uuid, Path), ("pid" = Uuid, Path)),
    responses((status = 201, body = ContactView), (status = 400, body = Problem),
              (status = 403, body = Problem, description = "not_on_team"), (status = 404, body = Problem)))]
pub async fn staff_create(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<NewContact>,
) -> AppResult<HttpResponse> {
    let course = ensure_guide_of_course(&state.db, &who.0, path.0).await?;
    let person = enrolled_participant(&state.db, &course, path.1).await?;
    let input = body.into_inner()?.parse()?;
    let c = service::create(&state.db, &course, &person, who.0.id, input, state.now()).await?;
    audit_people(
        &state,
        &who.0,
        &course,
        std::slice::from_ref(&person),
        "contacts",
        "create",
    )
    .await?;
    Ok(HttpResponse::Created().json(service::view(&state.db, c, template(&state)).await?))
}

#[utoipa::path(patch, path = "/api/v1/courses/{id}/contacts/{cid}", tag = "guidance",
    request_body = ContactChange, params(("id" = Uuid, Path), ("cid" = Uuid, Path)),
    responses((status = 200, body = ContactView, description = "changed; a new time or method makes it `planned` again"),
              (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "contact_closed or contact_changed")))]
pub async fn staff_change(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<ContactChange>,
) -> AppResult<HttpResponse> {
    let (course, c, person) = staff_contact(&state, &who, path.0, path.1).await?;
    let input = body.into_inner()?.parse()?;
    let c = service::change(&state.db, &course, c, who.0.id, input, state.now()).await?;
    respond(&state, &who, &course, &person, c).await
}

#[utoipa::path(post, path = "/api/v1/courses/{id}/contacts/{cid}/done", tag = "guidance",
    request_body = ContactDone, params(("id" = Uuid, Path), ("cid" = Uuid, Path)),
    responses((status = 200, body = ContactView, description = "done; an interim or follow-up contact credits the ledger once (`guidance_entry_id`)"),
              (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "contact_closed: already done, cancelled or no-show")))]
pub async fn staff_done(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<ContactDone>,
) -> AppResult<HttpResponse> {
    let (course, c, person) = staff_contact(&state, &who, path.0, path.1).await?;
    let now = state.now();
    let input = body.into_inner()?.parse(now)?;
    let (c, _) = service::mark_done(&state.db, &course, c, who.0.id, input, now).await?;
    respond(&state, &who, &course, &person, c).await
}

async fn close(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<ContactClose>,
    status: Status,
) -> AppResult<HttpResponse> {
    let (course, c, person) = staff_contact(&state, &who, path.0, path.1).await?;
    let note = body.into_inner()?.parse()?;
    let c = service::close(&state.db, c, status, note, state.now()).await?;
    respond(&state, &who, &course, &person, c).await
}

#[utoipa::path(post, path = "/api/v1/courses/{id}/contacts/{cid}/cancel", tag = "guidance",
    request_body = ContactClose, params(("id" = Uuid, Path), ("cid" = Uuid, Path)),
    responses((status = 200, body = ContactView), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "contact_closed")))]
pub async fn staff_cancel(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<ContactClose>,
) -> AppResult<HttpResponse> {
    close(state, who, path, body, Status::Cancelled).await
}

#[utoipa::path(post, path = "/api/v1/courses/{id}/contacts/{cid}/no-show", tag = "guidance",
    request_body = ContactClose, params(("id" = Uuid, Path), ("cid" = Uuid, Path)),
    responses((status = 200, body = ContactView), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "contact_closed")))]
pub async fn staff_no_show(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<ContactClose>,
) -> AppResult<HttpResponse> {
    close(state, who, path, body, Status::NoShow).await
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/contacts/{cid}/invitation.ics", tag = "guidance",
    params(("id" = Uuid, Path), ("cid" = Uuid, Path)),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = Problem)))]
pub async fn staff_invitation(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let course = course_for_staff(&state.db, &who.0, path.0).await?;
    let c = service::find(&state.db, &course, path.1).await?;
    let person = participant_of(&state, &c).await?;
    audit_people(
        &state,
        &who.0,
        &course,
        std::slice::from_ref(&person),
        "contacts",
        "read",
    )
    .await?;
    Ok(calendar(
        service::invitation(&state.db, &c, template(&state), state.now()).await?,
    ))
}
