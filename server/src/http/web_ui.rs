//! Serves the browser UI from `web/`: files as they are, and `index.html` for the UI's own
//! paths (`/kirjaudu`, `/tanaan`, …) so links and reloads work. Unknown API paths stay 404 JSON.

use std::path::PathBuf;

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::Method;
use actix_web::http::header::{CacheControl, CacheDirective};

use crate::error::AppError;

pub fn service(web_dir: PathBuf) -> Files {
    let index = web_dir.join("index.html");
    Files::new("/", web_dir)
        .index_file("index.html")
        .use_etag(true)
        .default_handler(fn_service(move |req: ServiceRequest| {
            let index = index.clone();
            async move {
                let (req, _) = req.into_parts();
                let is_ui_path = (req.method() == Method::GET || req.method() == Method::HEAD)
                    && !req.path().starts_with("/api/")
                    && !req.path().rsplit('/').next().unwrap_or("").contains('.');
                if !is_ui_path {
                    return Ok(ServiceResponse::from_err(AppError::NotFound, req));
                }
                let file = NamedFile::open_async(&index).await?;
                let mut res = file.into_response(&req);
                res.headers_mut().insert(
                    actix_web::http::header::CACHE_CONTROL,
                    CacheControl(vec![CacheDirective::NoCache])
                        .to_string()
                        .parse()
                        .map_err(|_| AppError::Internal(anyhow::anyhow!("header")))?,
                );
                Ok(ServiceResponse::new(req, res))
            }
        }))
}
