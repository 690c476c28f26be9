//! `/api/v1/programs*`, `/api/v1/courses/{id}/program*`, `/api/v1/me/program*` and `/media/*`:
//! HTTP only.

use std::collections::HashSet;
use std::io::Write;
use std::sync::{Arc, Mutex};

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::extract::{Participant, ProviderAdmin, Staff};
use crate::content::delivery::{self, ModuleView, ProgramOverview, ReleaseMode};
use crate::content::import::{self, ImportFailure, ImportOutcome, ImportRequest};
use crate::courses::access::{course_for_admin, course_for_staff};
use crate::courses::schedule::helsinki_today;
use crate::courses::service::my_course_row;
use crate::entity::{program, program_version};
use crate::error::{AppError, AppResult, Problem};
use crate::http::json::Json;
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/programs", web::get().to(list))
        .route("/programs/import", web::post().to(upload))
        .route("/courses/{id}/program", web::put().to(assign))
        .route("/courses/{id}/program", web::get().to(staff_overview))
        .route(
            "/courses/{id}/program/modules/{n}",
            web::get().to(staff_module),
        )
        .route("/me/program", web::get().to(my_overview))
        .route("/me/program/modules/{n}", web::get().to(my_module));
}

/// Providers with an import running; S27: one import at a time per provider.
#[derive(Debug, Default, Clone)]
pub struct ImportsRunning(Arc<Mutex<HashSet<i32>>>);

struct Running(ImportsRunning, i32);

impl ImportsRunning {
    fn start(&self, provider: i32) -> Option<Running> {
        let mut set = self.0.lock().unwrap_or_else(|p| p.into_inner());
        set.insert(provider)
            .then(|| Running(self.clone(), provider))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.0
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.1);
    }
}

#[utoipa::path(post, path = "/api/v1/programs/import", tag = "content",
    request_body(content_type = "multipart/form-data", description = "field `file`: a Moodle backup (.mbz), SCORM or H5P package, or a zip of a program folder"),
    responses((status = 201, body = ImportOutcome), (status = 200, body = ImportOutcome, description = "the same file again: nothing new stored"),
              (status = 400, body = Problem, description = "import_rejected: the reason in `detail`"),
              (status = 409, body = Problem, description = "import_in_progress"), (status = 413, body = Problem)))]
pub async fn upload(
    state: web::Data<AppState>,
    who: ProviderAdmin,
    req: HttpRequest,
    mut form: Multipart,
) -> AppResult<HttpResponse> {
    let provider_id = who.provider_id()?;
    let limit = state.config.max_upload_mb.saturating_mul(1024 * 1024);
    // Refuse a declared oversize body before reading any of it (F10).
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(AppError::PayloadTooLarge);
    }
    let _running = state.imports.start(provider_id).ok_or_else(|| {
        AppError::conflict(
            "import_in_progress",
            "another import of your organisation is running; try again when it has finished",
        )
    })?;
    let staging_root = state.config.storage.data_dir.join("staging");
    std::fs::create_dir_all(&staging_root).map_err(|e| AppError::Internal(e.into()))?;
    let upload =
        tempfile::NamedTempFile::new_in(&staging_root).map_err(|e| AppError::Internal(e.into()))?;
    let mut name = None;
    let mut written: u64 = 0;
    while let Some(field) = form.next().await {
        let mut field =
            field.map_err(|e| AppError::bad_request("multipart_invalid", e.to_string()))?;
        if field.name() != Some("file") {
            continue;
        }
        name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .map(str::to_owned);
        let mut file = upload.as_file();
        while let Some(chunk) = field.next().await {
            let chunk =
                chunk.map_err(|e| AppError::bad_request("multipart_invalid", e.to_string()))?;
            written += chunk.len() as u64;
            if written > limit {
                return Err(AppError::PayloadTooLarge);
            }
            file.write_all(&chunk)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("writing the upload: {e}")))?;
        }
        break;
    }
    let Some(name) = name else {
        return Err(AppError::field(
            "file",
            "required",
            "send the file in a form field named `file`",
        ));
    };
    let request = ImportRequest {
        provider_id,
        actor_id: Some(who.0.id),
        source: upload.path(),
        source_name: &name,
        staging_root: &staging_root,
        now: state.now(),
    };
    match import::import(&state.db, state.blobs.clone(), request).await {
        Ok(done) if done.duplicate => Ok(HttpResponse::Ok().json(done)),
        Ok(done) => Ok(HttpResponse::Created().json(done)),
        Err(ImportFailure::Rejected(reason)) => {
            tracing::warn!(target: "security", event = "import_rejected", provider_id, reason = %reason);
            Err(AppError::bad_request("import_rejected", reason))
        }
        Err(ImportFailure::Internal(e)) => Err(AppError::Internal(e)),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionView {
    pub id: Uuid,
    pub version: i32,
    pub format: String,
    pub source_name: String,
    pub imported_at: chrono::DateTime<chrono::Utc>,
    #[schema(value_type = Object)]
    pub report: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramView {
    pub id: Uuid,
    pub title: String,
    pub versions: Vec<VersionView>,
}

#[utoipa::path(get, path = "/api/v1/programs", tag = "content", responses((status = 200, body = Vec<ProgramView>)))]
pub async fn list(state: web::Data<AppState>, who: ProviderAdmin) -> AppResult<HttpResponse> {
    let provider_id = who.provider_id()?;
    let programs = program::Entity::find()
        .filter(program::Column::ProviderId.eq(provider_id))
        .order_by_asc(program::Column::Title)
        .all(&state.db)
        .await?;
    let versions = program_version::Entity::find()
        .filter(program_version::Column::ProviderId.eq(provider_id))
        .order_by_desc(program_version::Column::Version)
        .all(&state.db)
        .await?;
    let out: Vec<ProgramView> = programs
        .into_iter()
        .map(|p| ProgramView {
            id: p.uuid,
            title: p.title,
            versions: versions
                .iter()
                .filter(|v| v.program_id == p.id)
                .map(|v| VersionView {
                    id: v.uuid,
                    version: v.version,
                    format: v.format.clone(),
                    source_name: v.source_name.clone(),
                    imported_at: v.imported_at,
                    report: serde_json::from_str(&v.report).unwrap_or(serde_json::Value::Null),
                })
                .collect(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignProgram {
    /// A version of one of your programs; the course stays on it until you change it.
    pub version_id: Uuid,
    #[serde(default = "weekly")]
    pub release: ReleaseMode,
}

fn weekly() -> ReleaseMode {
    ReleaseMode::Weekly
}

#[utoipa::path(put, path = "/api/v1/courses/{id}/program", tag = "content", request_body = AssignProgram,
    params(("id" = Uuid, Path)), responses((status = 200, body = ProgramOverview), (status = 400, body = Problem)))]
pub async fn assign(
    state: web::Data<AppState>,
    who: ProviderAdmin,
    id: web::Path<Uuid>,
    body: Json<AssignProgram>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let provider_id = who.provider_id()?;
    let course = course_for_admin(&state.db, provider_id, *id).await?;
    let version = program_version::Entity::find()
        .filter(program_version::Column::Uuid.eq(body.version_id))
        .filter(program_version::Column::ProviderId.eq(provider_id))
        .one(&state.db)
        .await?
        .ok_or_else(|| {
            AppError::field(
                "version_id",
                "unknown",
                "no such program version at your organisation",
            )
        })?;
    let mut active = course.into_active_model();
    active.program_version_id = Set(Some(version.id));
    active.release_mode = Set(body.release.as_str().to_owned());
    active.updated_at = Set(state.now());
    let course = active.update(&state.db).await?;
    let cp = delivery::course_program(&state.db, &course).await?;
    Ok(HttpResponse::Ok().json(delivery::overview(
        &course,
        &cp,
        helsinki_today(state.now()),
        true,
    )?))
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/program", tag = "content", params(("id" = Uuid, Path)),
    responses((status = 200, body = ProgramOverview), (status = 404, body = Problem, description = "no_program")))]
pub async fn staff_overview(
    state: web::Data<AppState>,
    who: Staff,
    id: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let course = course_for_staff(&state.db, &who.0, *id).await?;
    let cp = delivery::course_program(&state.db, &course).await?;
    Ok(HttpResponse::Ok().json(delivery::overview(
        &course,
        &cp,
        helsinki_today(state.now()),
        true,
    )?))
}

/// `?lang=sv`: the UI language, which picks recordings; the account's language when left out.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct LangQuery {
    pub lang: Option<String>,
}

async fn reader_language(
    state: &AppState,
    who: &crate::auth::extract::AuthUser,
    asked: Option<&str>,
) -> AppResult<String> {
    if let Some(lang) = asked.filter(|l| matches!(*l, "fi" | "sv" | "en")) {
        return Ok(lang.to_owned());
    }
    let account = crate::accounts::service::find_by_uuid(&state.db, who.uuid).await?;
    Ok(account
        .map(|a| a.language)
        .unwrap_or_else(|| "fi".to_owned()))
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/program/modules/{n}", tag = "content",
    params(("id" = Uuid, Path), ("n" = usize, Path), LangQuery), responses((status = 200, body = ModuleView)))]
pub async fn staff_module(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, usize)>,
    q: web::Query<LangQuery>,
) -> AppResult<HttpResponse> {
    let (id, n) = path.into_inner();
    let course = course_for_staff(&state.db, &who.0, id).await?;
    let cp = delivery::course_program(&state.db, &course).await?;
    let now = state.now();
    let lang = reader_language(&state, &who.0, q.lang.as_deref()).await?;
    let reader = delivery::Reader {
        staff: true,
        lang: &lang,
        today: helsinki_today(now),
        now,
        media_key: state.jwt.media_key(),
    };
    Ok(HttpResponse::Ok().json(delivery::module(&course, &cp, n, &reader)?))
}

#[utoipa::path(get, path = "/api/v1/me/program", tag = "participant",
    responses((status = 200, body = ProgramOverview), (status = 404, body = Problem, description = "no_course or no_program")))]
pub async fn my_overview(state: web::Data<AppState>, who: Participant) -> AppResult<HttpResponse> {
    let course = my_course_row(&state.db, who.0.id).await?;
    let cp = delivery::course_program(&state.db, &course).await?;
    Ok(HttpResponse::Ok().json(delivery::overview(
        &course,
        &cp,
        helsinki_today(state.now()),
        false,
    )?))
}

#[utoipa::path(get, path = "/api/v1/me/program/modules/{n}", tag = "participant", params(("n" = usize, Path), LangQuery),
    responses((status = 200, body = ModuleView), (status = 403, body = Problem, description = "module_locked: opens later")))]
pub async fn my_module(
    state: web::Data<AppState>,
    who: Participant,
    n: web::Path<usize>,
    q: web::Query<LangQuery>,
) -> AppResult<HttpResponse> {
    let course = my_course_row(&state.db, who.0.id).await?;
    let cp = delivery::course_program(&state.db, &course).await?;
    let now = state.now();
    let lang = reader_language(&state, &who.0, q.lang.as_deref()).await?;
    let reader = delivery::Reader {
        staff: false,
        lang: &lang,
        today: helsinki_today(now),
        now,
        media_key: state.jwt.media_key(),
    };
    Ok(HttpResponse::Ok().json(delivery::module(&course, &cp, *n, &reader)?))
}
