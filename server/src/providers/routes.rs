//! `/api/v1/providers` (platform admin) and `/api/v1/sites` (provider admin): HTTP only.

use actix_web::{HttpResponse, web};

use crate::auth::extract::{PlatformAdmin, ProviderAdmin};
use crate::error::{AppResult, Problem};
use crate::http::json::Json;
use crate::providers::service::{self, CreateProvider, CreateSite, ProviderView, SiteView};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/providers", web::get().to(list_providers))
        .route("/providers", web::post().to(create_provider))
        .route("/sites", web::get().to(list_sites))
        .route("/sites", web::post().to(create_site));
}

#[utoipa::path(get, path = "/api/v1/providers", tag = "platform", responses((status = 200, body = Vec<ProviderView>)))]
pub async fn list_providers(
    state: web::Data<AppState>,
    _who: PlatformAdmin,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::list_providers(&state.db).await?))
}

#[utoipa::path(post, path = "/api/v1/providers", tag = "platform", request_body = CreateProvider,
    responses((status = 201, body = ProviderView), (status = 409, body = Problem)))]
pub async fn create_provider(
    state: web::Data<AppState>,
    _who: PlatformAdmin,
    body: Json<CreateProvider>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let p = service::create_provider(&state.db, body, state.now()).await?;
    Ok(HttpResponse::Created().json(ProviderView {
        id: p.uuid,
        name: p.name,
    }))
}

#[utoipa::path(get, path = "/api/v1/sites", tag = "provider", responses((status = 200, body = Vec<SiteView>)))]
pub async fn list_sites(state: web::Data<AppState>, who: ProviderAdmin) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::sites_of(&state.db, who.provider_id()?).await?))
}

#[utoipa::path(post, path = "/api/v1/sites", tag = "provider", request_body = CreateSite,
    responses((status = 201, body = SiteView), (status = 409, body = Problem)))]
pub async fn create_site(
    state: web::Data<AppState>,
    who: ProviderAdmin,
    body: Json<CreateSite>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let s = service::create_site(&state.db, who.provider_id()?, body, state.now()).await?;
    Ok(HttpResponse::Created().json(SiteView {
        id: s.uuid,
        name: s.name,
        municipality: s.municipality,
    }))
}
