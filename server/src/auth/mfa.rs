//! The second factor for staff (SECURITY.md S8): turning TOTP on and off at `/api/v1/me/totp*`,
//! and the check password and email-link sign-in make when it is on.

use actix_web::{HttpResponse, web};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::accounts::model::Role;
use crate::accounts::service::find_by_uuid;
use crate::auth::extract::AuthUser;
use crate::auth::totp;
use crate::entity::user;
use crate::error::{AppError, AppResult, Problem};
use crate::http::json::Json;
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/totp", web::post().to(start_setup))
        .route("/me/totp/confirm", web::post().to(confirm))
        .route("/me/totp/disable", web::post().to(disable));
}

/// Checks the code of an account that has TOTP on and marks its step used; accounts without it pass.
pub async fn check_second_factor(
    state: &AppState,
    account: &user::Model,
    code: Option<&str>,
) -> AppResult<()> {
    let (Some(_), Some(secret)) = (account.totp_enabled_at, account.totp_secret.as_deref()) else {
        return Ok(());
    };
    let Some(code) = code.filter(|c| !c.trim().is_empty()) else {
        return Err(AppError::Unauthorized {
            code: "mfa_required",
        });
    };
    let step = totp::verify(
        secret,
        code,
        state.now().timestamp(),
        account.totp_last_step,
    )
    .ok_or(AppError::Unauthorized {
        code: "mfa_invalid",
    })?;
    use_step(state, account.id, step).await
}

/// Records the step as used, unless a parallel sign-in used it (or a later one) first.
async fn use_step(state: &AppState, user_id: i32, step: i64) -> AppResult<()> {
    let claimed = user::Entity::update_many()
        .col_expr(user::Column::TotpLastStep, Expr::value(step))
        .filter(user::Column::Id.eq(user_id))
        .filter(
            Condition::any()
                .add(user::Column::TotpLastStep.is_null())
                .add(user::Column::TotpLastStep.lt(step)),
        )
        .exec(&state.db)
        .await?;
    if claimed.rows_affected == 1 {
        Ok(())
    } else {
        Err(AppError::Unauthorized {
            code: "mfa_invalid",
        })
    }
}

async fn staff_account(state: &AppState, who: &AuthUser) -> AppResult<user::Model> {
    if who.role == Role::Participant {
        return Err(AppError::Forbidden { code: "wrong_role" });
    }
    find_by_uuid(&state.db, who.uuid)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TotpSetup {
    /// Base32 secret to type into an authenticator app.
    pub secret: String,
    /// The same as an `otpauth://` address.
    pub otpauth_uri: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TotpCode {
    /// The 6 digits the app shows now.
    pub code: String,
}

#[utoipa::path(post, path = "/api/v1/me/totp", tag = "me",
    responses((status = 200, body = TotpSetup, description = "A new secret; confirm it with a code to turn the second factor on"),
              (status = 409, body = Problem, description = "mfa_already_enabled")))]
pub async fn start_setup(state: web::Data<AppState>, who: AuthUser) -> AppResult<HttpResponse> {
    let account = staff_account(&state, &who).await?;
    if account.totp_enabled_at.is_some() {
        return Err(AppError::conflict(
            "mfa_already_enabled",
            "the second factor is already on; turn it off first",
        ));
    }
    let secret = totp::new_secret();
    let uri = totp::otpauth_uri(&secret, &account.email);
    let mut active = account.into_active_model();
    active.totp_secret = Set(Some(secret.clone()));
    active.totp_last_step = Set(None);
    active.update(&state.db).await?;
    Ok(HttpResponse::Ok().json(TotpSetup {
        secret,
        otpauth_uri: uri,
    }))
}

#[utoipa::path(post, path = "/api/v1/me/totp/confirm", tag = "me", request_body = TotpCode,
    responses((status = 204, description = "The second factor is on"), (status = 400, body = Problem)))]
pub async fn confirm(
    state: web::Data<AppState>,
    who: AuthUser,
    body: Json<TotpCode>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let account = staff_account(&state, &who).await?;
    let Some(secret) = account
        .totp_secret
        .clone()
        .filter(|_| account.totp_enabled_at.is_none())
    else {
        return Err(AppError::conflict(
            "mfa_not_started",
            "ask for a new secret first",
        ));
    };
    let step =
        totp::verify(&secret, &body.code, state.now().timestamp(), None).ok_or_else(|| {
            AppError::field(
                "code",
                "invalid",
                "the code does not match; check the phone's clock and try the newest code",
            )
        })?;
    let mut active = account.into_active_model();
    active.totp_enabled_at = Set(Some(state.now()));
    active.totp_last_step = Set(Some(step));
    active.update(&state.db).await?;
    tracing::info!(target: "security", event = "mfa_enabled", user = %who.uuid);
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/api/v1/me/totp/disable", tag = "me", request_body = TotpCode,
    responses((status = 204, description = "The second factor is off"), (status = 400, body = Problem)))]
pub async fn disable(
    state: web::Data<AppState>,
    who: AuthUser,
    body: Json<TotpCode>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let account = staff_account(&state, &who).await?;
    check_second_factor(&state, &account, Some(&body.code))
        .await
        .map_err(|_| AppError::field("code", "invalid", "the code does not match"))?;
    let mut active = account.into_active_model();
    active.totp_secret = Set(None);
    active.totp_enabled_at = Set(None);
    active.totp_last_step = Set(None);
    active.update(&state.db).await?;
    tracing::warn!(target: "security", event = "mfa_disabled", user = %who.uuid);
    Ok(HttpResponse::NoContent().finish())
}
