//! `GET /api/v1/me/home`.

use actix_web::{HttpResponse, web};

use crate::auth::extract::Participant;
use crate::error::{AppResult, Problem};
use crate::home::service::{self, Home};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/home", web::get().to(my_home));
}

#[utoipa::path(get, path = "/api/v1/me/home", tag = "participant",
    responses((status = 200, body = Home), (status = 404, body = Problem, description = "no_course")))]
pub async fn my_home(state: web::Data<AppState>, who: Participant) -> AppResult<HttpResponse> {
    let video = state.config.video_url_template.as_ref();
    Ok(HttpResponse::Ok().json(service::home(&state.db, who.0.id, state.now(), video).await?))
}
