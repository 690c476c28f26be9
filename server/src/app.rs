//! The route table, read in one place, and the error handlers for extractors actix runs itself.

use actix_web::{HttpResponse, web};
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::AppError;
use crate::openapi::ApiDoc;

pub fn configure(cfg: &mut web::ServiceConfig, web_dir: std::path::PathBuf) {
    cfg.app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
        .app_data(
            web::QueryConfig::default().error_handler(|err, _| {
                AppError::bad_request("invalid_query", err.to_string()).into()
            }),
        )
        .configure(crate::health::routes)
        .service(
            web::scope("/api/v1")
                .route("/support", web::get().to(crate::health::support))
                .configure(crate::auth::routes::routes)
                .configure(crate::accounts::routes::routes)
                .configure(crate::auth::mfa::routes)
                .configure(crate::providers::routes::routes)
                .configure(crate::courses::routes::routes)
                .configure(crate::team::routes::routes)
                .configure(crate::enrolment::routes::routes)
                .configure(crate::audit::routes::routes)
                .configure(crate::feedback::routes::routes)
                .configure(crate::content::routes::routes)
                .configure(crate::notifications::routes::routes)
                .configure(crate::goals::routes::routes)
                .configure(crate::measures::routes::routes)
                .configure(crate::progress::routes::routes)
                .configure(crate::home::routes::routes)
                .configure(crate::answers::routes::routes)
                .configure(crate::selfrehab::routes::routes)
                .configure(crate::guidance::routes::routes)
                .configure(crate::guidance::session_routes::routes)
                .configure(crate::contacts::routes::routes)
                .configure(crate::monitoring::routes::routes)
                .configure(crate::alerts::routes::routes)
                .configure(crate::overview::routes::routes)
                .configure(crate::chat::routes::routes)
                .configure(crate::chat::moderation_routes::routes)
                .default_service(web::to(|| async {
                    HttpResponse::from_error(AppError::NotFound)
                })),
        )
        .route(
            "/media/{sha256}",
            web::get().to(crate::content::media::serve),
        )
        .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", ApiDoc::openapi()))
        .service(crate::http::web_ui::service(web_dir));
}
