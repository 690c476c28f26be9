//! `/api/v1/overview` and `/api/v1/overview.csv` for a provider admin: HTTP only. Platform admins
//! read no participant data (as `courses::access`), so they get 403 with everyone else.

use actix_web::{HttpResponse, web};
use uuid::Uuid;

use crate::audit::service::{Access, record_listing};
use crate::auth::extract::ProviderAdmin;
use crate::error::{AppResult, Problem};
use crate::overview::export::{file_name, overview_csv};
use crate::overview::model::{ExportQuery, Overview};
use crate::overview::service;
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/overview", web::get().to(overview))
        .route("/overview.csv", web::get().to(overview_export));
}

/// Reads the overview and, before it is answered, writes one usage-log row listing every
/// participant in it; the read is refused if the row cannot be written.
async fn read(state: &AppState, who: &ProviderAdmin, action: &'static str) -> AppResult<Overview> {
    let provider_id = who.provider_id()?;
    let now = state.now();
    let view = service::overview(&state.db, provider_id, now).await?;
    let shown: Vec<Uuid> = view
        .courses
        .iter()
        .flat_map(|c| c.participants.iter().map(|p| p.id))
        .collect();
    let access = Access {
        actor: &who.0,
        subject: Uuid::nil(),
        provider_id: Some(provider_id),
        category: "overview",
        action,
        purpose: "course_administration",
    };
    record_listing(&state.db, now, &access, &shown).await?;
    Ok(view)
}

#[utoipa::path(get, path = "/api/v1/overview", tag = "provider",
    responses((status = 200, body = Overview, description = "every course of the provider (not cancelled) and each participant against the service rules, each check red/amber/green/grey with a reason code and its parameters"),
              (status = 403, body = Problem, description = "wrong_role: provider admins only")))]
pub async fn overview(state: web::Data<AppState>, who: ProviderAdmin) -> AppResult<HttpResponse> {
    let view = read(&state, &who, "read").await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(get, path = "/api/v1/overview.csv", tag = "provider", params(ExportQuery),
    responses((status = 200, content_type = "text/csv", description = "the overview, one row per participant: UTF-8 with a BOM, `;` between cells, CRLF, the header and words in `lang`"),
              (status = 400, body = Problem, description = "invalid_query: `lang` is not fi, sv or en"),
              (status = 403, body = Problem, description = "wrong_role")))]
pub async fn overview_export(
    state: web::Data<AppState>,
    who: ProviderAdmin,
    q: web::Query<ExportQuery>,
) -> AppResult<HttpResponse> {
    let lang = q.language();
    let view = read(&state, &who, "export").await?;
    Ok(overview_csv(lang, &view).into_response(&file_name(lang, &view)))
}
