//! `/api/v1/audit`: a provider admin answers a participant's §11 request (who read my data).

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::audit::service::{self, AuditEntry};
use crate::auth::extract::ProviderAdmin;
use crate::entity::user;
use crate::error::{AppError, AppResult, Problem};
use crate::state::AppState;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/audit", web::get().to(for_subject));
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// The participant whose data was accessed.
    pub subject_id: Uuid,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "provider", params(AuditQuery),
    responses((status = 200, body = Vec<AuditEntry>), (status = 404, body = Problem)))]
pub async fn for_subject(
    state: web::Data<AppState>,
    who: ProviderAdmin,
    q: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    let provider_id = who.provider_id()?;
    let subject = user::Entity::find()
        .filter(user::Column::Uuid.eq(q.subject_id))
        .filter(user::Column::ProviderId.eq(provider_id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(service::for_subject(&state.db, subject.uuid).await?))
}
