//! `/api/v1/me/notifications*`: a person's own notices, newest first.

use actix_web::{HttpResponse, web};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, sea_query::Expr};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::extract::AuthUser;
use crate::entity::notification;
use crate::error::{AppError, AppResult};
use crate::notifications::service::{self, Kind};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/notifications", web::get().to(list))
        .route("/me/notifications/read-all", web::post().to(read_all))
        .route("/me/notifications/{id}/read", web::post().to(read_one));
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationView {
    pub id: Uuid,
    pub kind: Kind,
    /// Short values for the UI's sentence, e.g. `{"module": 3}`.
    #[schema(value_type = Object)]
    pub params: serde_json::Value,
    /// Where in the web UI the new thing is.
    pub link: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub read_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Notifications {
    pub unread: u64,
    /// The newest 50.
    pub items: Vec<NotificationView>,
}

#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "me", responses((status = 200, body = Notifications)))]
pub async fn list(state: web::Data<AppState>, who: AuthUser) -> AppResult<HttpResponse> {
    let unread = service::unread_count(&state.db, who.id).await?;
    let items = service::latest(&state.db, who.id, 50)
        .await?
        .into_iter()
        .filter_map(|n| {
            Some(NotificationView {
                id: n.uuid,
                kind: Kind::parse(&n.kind)?,
                params: serde_json::from_str(&n.params).unwrap_or(serde_json::Value::Null),
                link: n.link,
                created_at: n.created_at,
                read_at: n.read_at,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(Notifications { unread, items }))
}

#[utoipa::path(post, path = "/api/v1/me/notifications/{id}/read", tag = "me", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404)))]
pub async fn read_one(
    state: web::Data<AppState>,
    who: AuthUser,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let row = notification::Entity::find()
        .filter(notification::Column::Uuid.eq(*id))
        .filter(notification::Column::UserId.eq(who.id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.read_at.is_none() {
        let mut active: notification::ActiveModel = row.into();
        active.read_at = Set(Some(state.now()));
        active.update(&state.db).await?;
    }
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/api/v1/me/notifications/read-all", tag = "me", responses((status = 204)))]
pub async fn read_all(state: web::Data<AppState>, who: AuthUser) -> AppResult<HttpResponse> {
    notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(state.now()))
        .filter(notification::Column::UserId.eq(who.id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(&state.db)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
