//! Liveness, readiness and the public support contact.

use actix_web::{HttpResponse, web};

use crate::config::SupportContact;
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(readyz));
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, description = "up")))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// The database answers.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, description = "ready"), (status = 503, description = "database unreachable")))]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    match state.db.ping().await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({"status": "ready"})),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({"status": "database_unreachable"}))
        }
    }
}

#[utoipa::path(get, path = "/api/v1/support", tag = "public",
    responses((status = 200, body = SupportContact, description = "Technical support shown on every help page (UX A12)")))]
pub async fn support(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(&state.config.support)
}
