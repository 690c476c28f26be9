//! `/api/v1/courses/{id}/guidance*` for the course's staff (reads audited per participant, writes
//! by team members only) and `/api/v1/me/guidance` for the participant: HTTP only.

use actix_web::{HttpResponse, web};
use sea_orm::TransactionTrait;
use uuid::Uuid;

use crate::accounts::service::find_by_uuid;
use crate::audit::course::{audit_people, audit_subjects};
use crate::audit::service::{Access, record_listing};
use crate::auth::extract::{Participant, ProviderAdmin, Staff};
use crate::courses::access::{course_for_staff, course_participant_for_staff};
use crate::courses::schedule::helsinki_today;
use crate::courses::service::my_course_row;
use crate::error::{AppError, AppResult, Problem};
use crate::guidance::export::{self, Scope};
use crate::guidance::model::*;
use crate::guidance::service::{self, Recording, ensure_guide_of_course};
use crate::http::json::Json;
use crate::overview::model::ExportQuery;
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/guidance", web::get().to(my_guidance))
        .route("/courses/{id}/guidance", web::get().to(course_guidance))
        .route(
            "/courses/{id}/guidance/entries",
            web::post().to(create_entry),
        )
        .route(
            "/courses/{id}/guidance/entries.csv",
            web::get().to(course_ledger_export),
        )
        .route(
            "/guidance/entries.csv",
            web::get().to(provider_ledger_export),
        )
        .route(
            "/courses/{id}/guidance/entries/{eid}",
            web::get().to(entry_history),
        )
        .route(
            "/courses/{id}/guidance/entries/{eid}",
            web::patch().to(correct_entry),
        )
        .route(
            "/courses/{id}/guidance/entries/{eid}/void",
            web::post().to(void_entry),
        )
        .route(
            "/courses/{id}/participants/{pid}/guidance",
            web::get().to(participant_guidance),
        );
}

#[utoipa::path(get, path = "/api/v1/me/guidance", tag = "participant",
    responses((status = 200, body = MyGuidance, description = "own guidance minutes, pace and the entries crediting them (no notes)"),
              (status = 404, body = Problem, description = "no_course")))]
pub async fn my_guidance(state: web::Data<AppState>, who: Participant) -> AppResult<HttpResponse> {
    let course = my_course_row(&state.db, who.0.id).await?;
    let me = find_by_uuid(&state.db, who.0.uuid)
        .await?
        .ok_or(AppError::NotFound)?;
    let view = service::my_guidance(&state.db, &course, &me, state.now()).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/guidance", tag = "guidance",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = CourseGuidance, description = "every participant's remote-period minutes and pace"),
              (status = 404, body = Problem)))]
pub async fn course_guidance(
    state: web::Data<AppState>,
    who: Staff,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let course = course_for_staff(&state.db, &who.0, *id).await?;
    let view = service::course_summary(&state.db, &course, state.now()).await?;
    let ids: Vec<Uuid> = view.participants.iter().map(|p| p.participant.id).collect();
    audit_subjects(&state, &who.0, &course, &ids, "guidance", "read").await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/participants/{pid}/guidance", tag = "guidance",
    params(("id" = Uuid, Path), ("pid" = Uuid, Path)),
    responses((status = 200, body = ParticipantLedger), (status = 404, body = Problem)))]
pub async fn participant_guidance(
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
        "guidance",
        "read",
    )
    .await?;
    let view = service::participant_ledger(&state.db, &course, &person, state.now()).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(post, path = "/api/v1/courses/{id}/guidance/entries", tag = "guidance",
    request_body = NewEntry, params(("id" = Uuid, Path)),
    responses((status = 201, body = EntryView, description = "recorded; `outside_remote_period` entries are kept but not counted"),
              (status = 400, body = Problem, description = "validation_failed: `professional_ids` one_professional / not_on_team, `minutes` out_of_range, `participant_ids[i]` not_enrolled, `started_at` in_future"),
              (status = 403, body = Problem, description = "not_on_team"), (status = 404, body = Problem)))]
pub async fn create_entry(
    state: web::Data<AppState>,
    who: Staff,
    id: web::Path<Uuid>,
    body: Json<NewEntry>,
) -> AppResult<HttpResponse> {
    let course = ensure_guide_of_course(&state.db, &who.0, *id).await?;
    let now = state.now();
    let input = body.into_inner()?.parse(now)?;
    let txn = state.db.begin().await?;
    let (entry, people) = service::create_entry(
        &txn,
        &course,
        Recording {
            actor_id: who.0.id,
            source: Source::Manual,
            contact_id: None,
        },
        input,
        now,
    )
    .await?;
    txn.commit().await?;
    audit_people(&state, &who.0, &course, &people, "guidance", "create").await?;
    let view = service::entry_view(&state.db, &course, entry).await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/guidance/entries/{eid}", tag = "guidance",
    params(("id" = Uuid, Path), ("eid" = Uuid, Path)),
    responses((status = 200, body = EntryHistory, description = "the entry and every earlier state, oldest first"),
              (status = 404, body = Problem)))]
pub async fn entry_history(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let course = course_for_staff(&state.db, &who.0, path.0).await?;
    let entry = service::find_entry(&state.db, &course, path.1).await?;
    let people = service::credited_participants(&state.db, &entry).await?;
    audit_people(&state, &who.0, &course, &people, "guidance", "read").await?;
    let revisions = service::history(&state.db, &entry).await?;
    let entry = service::entry_view(&state.db, &course, entry).await?;
    Ok(HttpResponse::Ok().json(EntryHistory { entry, revisions }))
}

#[utoipa::path(patch, path = "/api/v1/courses/{id}/guidance/entries/{eid}", tag = "guidance",
    request_body = EntryCorrection, params(("id" = Uuid, Path), ("eid" = Uuid, Path)),
    responses((status = 200, body = EntryView, description = "corrected; the earlier state stays in the history"),
              (status = 400, body = Problem), (status = 403, body = Problem, description = "not_on_team"),
              (status = 404, body = Problem),
              (status = 409, body = Problem, description = "entry_changed (stale `version`) or entry_voided")))]
pub async fn correct_entry(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<EntryCorrection>,
) -> AppResult<HttpResponse> {
    let course = ensure_guide_of_course(&state.db, &who.0, path.0).await?;
    let entry = service::find_entry(&state.db, &course, path.1).await?;
    let now = state.now();
    let input = body.into_inner()?.parse(now)?;
    let (entry, people) =
        service::correct_entry(&state.db, &course, entry, who.0.id, input, now).await?;
    audit_people(&state, &who.0, &course, &people, "guidance", "update").await?;
    let view = service::entry_view(&state.db, &course, entry).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(post, path = "/api/v1/courses/{id}/guidance/entries/{eid}/void", tag = "guidance",
    request_body = VoidEntry, params(("id" = Uuid, Path), ("eid" = Uuid, Path)),
    responses((status = 200, body = EntryView, description = "marked removed with the reason; no longer counted"),
              (status = 400, body = Problem), (status = 403, body = Problem, description = "not_on_team"),
              (status = 404, body = Problem), (status = 409, body = Problem, description = "entry_voided or entry_changed")))]
pub async fn void_entry(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<VoidEntry>,
) -> AppResult<HttpResponse> {
    let course = ensure_guide_of_course(&state.db, &who.0, path.0).await?;
    let entry = service::find_entry(&state.db, &course, path.1).await?;
    let body = body.into_inner()?;
    let reason = parse_reason(&body.reason).map_err(|e| AppError::Validation(vec![e]))?;
    let (entry, people) = service::void_entry(
        &state.db,
        entry,
        who.0.id,
        reason,
        body.version,
        state.now(),
    )
    .await?;
    audit_people(&state, &who.0, &course, &people, "guidance", "delete").await?;
    let view = service::entry_view(&state.db, &course, entry).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/guidance/entries.csv", tag = "guidance",
    params(("id" = Uuid, Path), ExportQuery),
    responses((status = 200, content_type = "text/csv", description = "the course's ledger, removed entries marked: UTF-8 with a BOM, `;` between cells, CRLF, the header and words in `lang`"),
              (status = 400, body = Problem, description = "invalid_query: `lang` is not fi, sv or en"),
              (status = 404, body = Problem)))]
pub async fn course_ledger_export(
    state: web::Data<AppState>,
    who: Staff,
    id: web::Path<Uuid>,
    q: web::Query<ExportQuery>,
) -> AppResult<HttpResponse> {
    let course = course_for_staff(&state.db, &who.0, *id).await?;
    let scope = Scope::Course(course.id);
    let subjects = export::credited(&state.db, scope).await?;
    audit_subjects(&state, &who.0, &course, &subjects, "guidance", "export").await?;
    let rows = export::rows(&state.db, scope).await?;
    let lang = q.language();
    Ok(export::csv(lang, &rows, false)
        .into_response(&export::file_name(lang, helsinki_today(state.now()))))
}

#[utoipa::path(get, path = "/api/v1/guidance/entries.csv", tag = "provider", params(ExportQuery),
    responses((status = 200, content_type = "text/csv", description = "the ledgers of every course of the provider, with a course column"),
              (status = 400, body = Problem, description = "invalid_query"),
              (status = 403, body = Problem, description = "wrong_role: provider admins only")))]
pub async fn provider_ledger_export(
    state: web::Data<AppState>,
    who: ProviderAdmin,
    q: web::Query<ExportQuery>,
) -> AppResult<HttpResponse> {
    let provider_id = who.provider_id()?;
    let scope = Scope::Provider(provider_id);
    let subjects = export::credited(&state.db, scope).await?;
    let access = Access {
        actor: &who.0,
        subject: Uuid::nil(),
        provider_id: Some(provider_id),
        category: "guidance",
        action: "export",
        purpose: "course_administration",
    };
    record_listing(&state.db, state.now(), &access, &subjects).await?;
    let rows = export::rows(&state.db, scope).await?;
    let lang = q.language();
    Ok(export::csv(lang, &rows, true)
        .into_response(&export::file_name(lang, helsinki_today(state.now()))))
}
