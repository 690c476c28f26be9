//! `/api/v1/auth/*`: HTTP only; the rules live in `session`, `links` and `password`.

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use crate::accounts::model::{AccountStatus, Email};
use crate::accounts::service as accounts;
use crate::auth::extract::AuthUser;
use crate::auth::jwt::ACCESS_TTL;
use crate::auth::link_mail;
use crate::auth::links::{self, Purpose};
use crate::auth::mfa;
use crate::auth::model::{
    EmailLinkRequest, LoginRequest, PasswordResetComplete, PasswordResetRequest, RedeemRequest,
    TokenResponse,
};
use crate::auth::password::{self, NewPassword};
use crate::auth::rate_limit::{LOGIN_PER_IP, MAIL_PER_ACCOUNT, MAIL_PER_IP};
use crate::auth::session::{self, RefreshOutcome};
use crate::entity::user;
use crate::error::{AppError, AppResult, Problem};
use crate::http::client::client_ip;
use crate::http::json::Json;
use crate::state::AppState;

/// The refresh cookie is sent only to the auth endpoints (S14).
pub const REFRESH_COOKIE: &str = "etapolku_refresh";
const REFRESH_PATH: &str = "/api/v1/auth";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/auth")
            .route("/login", web::post().to(login))
            .route("/refresh", web::post().to(refresh))
            .route("/logout", web::post().to(logout))
            .route("/email-link", web::post().to(request_email_link))
            .route("/email-link/redeem", web::post().to(redeem_email_link))
            .route("/password-reset", web::post().to(request_password_reset))
            .route(
                "/password-reset/complete",
                web::post().to(complete_password_reset),
            ),
    );
}

fn refresh_cookie(state: &AppState, value: &str, expires: DateTime<Utc>) -> Cookie<'static> {
    let max_age = (expires - state.now()).num_seconds().max(0);
    Cookie::build(REFRESH_COOKIE, value.to_owned())
        .path(REFRESH_PATH)
        .http_only(true)
        .secure(state.secure_cookies())
        .same_site(SameSite::Strict)
        .max_age(time::Duration::seconds(max_age))
        .finish()
}

fn cleared_cookie(state: &AppState) -> Cookie<'static> {
    let mut c = refresh_cookie(state, "", state.now());
    c.make_removal();
    c
}

/// Answers with a fresh access token and sets the rotated refresh cookie.
async fn signed_in(
    state: &AppState,
    account: &user::Model,
    issued: session::Issued,
) -> AppResult<HttpResponse> {
    let access = state.jwt.issue(
        account,
        issued.family,
        issued.family_expires_at,
        state.now(),
    )?;
    let me = accounts::me(&state.db, account).await?;
    Ok(HttpResponse::Ok()
        .cookie(refresh_cookie(
            state,
            &issued.refresh_token,
            issued.family_expires_at,
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(TokenResponse {
            access_token: access,
            token_type: "Bearer",
            expires_in: ACCESS_TTL.num_seconds(),
            user: me,
        }))
}

/// Cookie-authenticated calls must come from our own pages (S14): SameSite=Strict plus this.
fn ensure_same_origin(state: &AppState, req: &HttpRequest) -> AppResult<()> {
    let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return Ok(()); // not a browser cross-site request: browsers send Origin on POST
    };
    let public = state.public_url.origin().ascii_serialization();
    let host = req.connection_info().host().to_owned();
    let same_host = origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(&host));
    if origin == public || same_host {
        Ok(())
    } else {
        tracing::warn!(target: "security", event = "cross_origin_refused", origin);
        Err(AppError::Forbidden {
            code: "cross_origin",
        })
    }
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses((status = 200, body = TokenResponse, description = "Signed in; sets the refresh cookie"),
              (status = 401, body = Problem, description = "invalid_credentials"),
              (status = 429, body = Problem, description = "rate_limited")))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<LoginRequest>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let now = state.now();
    let ip = client_ip(&req, state.config.trusted_proxy);
    let email = Email::field(&body.email)?;
    if body.password.is_empty() {
        return Err(AppError::field(
            "password",
            "required",
            "the password is empty",
        ));
    }
    if let Err(wait) = state
        .limits
        .hit(&format!("login:ip:{ip}"), LOGIN_PER_IP, now)
    {
        tracing::warn!(target: "security", event = "rate_limited", scope = "login_ip", %ip);
        return Err(AppError::RateLimited {
            retry_after_secs: wait,
        });
    }
    let account_key = format!("login:account:{}", email.as_str());
    if let Some(wait) = state.limits.locked_for(&account_key, now) {
        tracing::warn!(target: "security", event = "rate_limited", scope = "login_account", %ip);
        return Err(AppError::RateLimited {
            retry_after_secs: wait,
        });
    }
    let account = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(&state.db)
        .await?;
    let stored = account
        .as_ref()
        .and_then(|a| a.password_hash.clone())
        .unwrap_or_else(|| password::dummy_hash().to_owned());
    let matches = password::verify_blocking(body.password, stored).await;
    let account = match account {
        Some(a) if matches && AccountStatus::parse(&a.status) == AccountStatus::Active => a,
        _ => {
            let lock = state.limits.record_failure(&account_key, now);
            tracing::warn!(target: "security", event = "login_failed", %ip, locked_secs = lock);
            return Err(AppError::Unauthorized {
                code: "invalid_credentials",
            });
        }
    };
    if let Err(e) = mfa::check_second_factor(&state, &account, body.totp.as_deref()).await {
        if e.code() == "mfa_invalid" {
            state.limits.record_failure(&account_key, now);
            tracing::warn!(target: "security", event = "mfa_failed", user = %account.uuid, %ip);
        }
        return Err(e);
    }
    state.limits.clear_failures(&account_key);
    let issued = session::start(&state.db, &account, now).await?;
    tracing::info!(target: "security", event = "login_succeeded", user = %account.uuid, method = "password", %ip);
    signed_in(&state, &account, issued).await
}

#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth",
    responses((status = 200, body = TokenResponse, description = "A new access token; the refresh cookie is rotated"),
              (status = 401, body = Problem, description = "refresh_invalid or refresh_reused")))]
pub async fn refresh(state: web::Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    ensure_same_origin(&state, &req)?;
    let Some(cookie) = req.cookie(REFRESH_COOKIE) else {
        return Err(AppError::Unauthorized {
            code: "refresh_invalid",
        });
    };
    let now = state.now();
    match session::rotate(&state.db, cookie.value(), now).await? {
        RefreshOutcome::Rotated { account, issued } => {
            tracing::info!(target: "security", event = "token_refreshed", user = %account.uuid);
            signed_in(&state, &account, issued).await
        }
        RefreshOutcome::Invalid => Err(AppError::Unauthorized {
            code: "refresh_invalid",
        }),
        RefreshOutcome::Reused { user_id, family } => {
            state.revocations.add([family], state.now());
            tracing::warn!(target: "security", event = "refresh_reuse_detected", user_id, %family);
            Err(AppError::Unauthorized {
                code: "refresh_reused",
            })
        }
    }
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204, description = "The session is revoked and the cookie cleared")))]
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: Option<AuthUser>,
) -> AppResult<HttpResponse> {
    ensure_same_origin(&state, &req)?;
    let now = state.now();
    if let Some(user) = user {
        session::end_session(&state.db, &state.revocations, user.session, now).await?;
        // A signed-out user's chat sockets close (another device of hers reconnects by itself).
        state.chat.evict_user(user.id);
    }
    // The cookie alone also ends its session, so a tab with an expired access token can log out.
    if let Some(cookie) = req.cookie(REFRESH_COOKIE)
        && let Some(row) = crate::entity::refresh_token::Entity::find()
            .filter(
                crate::entity::refresh_token::Column::TokenHash
                    .eq(crate::auth::token::hash(cookie.value())),
            )
            .one(&state.db)
            .await?
    {
        session::end_session(&state.db, &state.revocations, row.family_id, now).await?;
        state.chat.evict_user(row.user_id);
    }
    Ok(HttpResponse::NoContent()
        .cookie(cleared_cookie(&state))
        .finish())
}

/// Counts a mail request against the sender's address and the account; a full window refuses.
fn limit_mail(state: &AppState, req: &HttpRequest, kind: &str, email: &Email) -> AppResult<()> {
    let now = state.now();
    let ip = client_ip(req, state.config.trusted_proxy);
    for (key, limit) in [
        (format!("{kind}:ip:{ip}"), MAIL_PER_IP),
        (
            format!("{kind}:account:{}", email.as_str()),
            MAIL_PER_ACCOUNT,
        ),
    ] {
        if let Err(wait) = state.limits.hit(&key, limit, now) {
            tracing::warn!(target: "security", event = "rate_limited", scope = kind, %ip);
            return Err(AppError::RateLimited {
                retry_after_secs: wait,
            });
        }
    }
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/auth/email-link", tag = "auth",
    request_body = EmailLinkRequest,
    responses((status = 202, description = "Sent if the address has an account; the answer is the same either way"),
              (status = 429, body = Problem)))]
pub async fn request_email_link(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<EmailLinkRequest>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let email = Email::field(&body.email)?;
    limit_mail(&state, &req, "email_link", &email)?;
    link_mail::send_if_account(&state, &email, Purpose::SignIn).await?;
    Ok(HttpResponse::Accepted().json(serde_json::json!({})))
}

#[utoipa::path(post, path = "/api/v1/auth/email-link/redeem", tag = "auth",
    request_body = RedeemRequest,
    responses((status = 200, body = TokenResponse, description = "Signed in (an invited account is activated)"),
              (status = 401, body = Problem, description = "link_invalid: unknown, expired or used")))]
pub async fn redeem_email_link(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<RedeemRequest>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let now = state.now();
    let ip = client_ip(&req, state.config.trusted_proxy);
    if let Err(wait) = state
        .limits
        .hit(&format!("redeem:ip:{ip}"), LOGIN_PER_IP, now)
    {
        return Err(AppError::RateLimited {
            retry_after_secs: wait,
        });
    }
    let purposes = [Purpose::SignIn, Purpose::Invitation];
    // The second factor is checked before the link is used up, so a missing code costs nothing.
    if let Some((_, account)) = links::peek(&state.db, body.token.trim(), &purposes, now).await? {
        mfa::check_second_factor(&state, &account, body.totp.as_deref()).await?;
    }
    let redeemed = links::redeem(&state.db, body.token.trim(), &purposes, now).await?;
    let Some((_, account)) = redeemed else {
        tracing::warn!(target: "security", event = "link_refused", %ip);
        return Err(AppError::Unauthorized {
            code: "link_invalid",
        });
    };
    let account = match AccountStatus::parse(&account.status) {
        AccountStatus::Disabled => {
            return Err(AppError::Unauthorized {
                code: "link_invalid",
            });
        }
        // Opening the mailed link proves the address: the invitation is accepted.
        AccountStatus::Invited => {
            let mut active = account.into_active_model();
            active.status = Set(AccountStatus::Active.as_str().to_owned());
            active.updated_at = Set(now);
            active.update(&state.db).await?
        }
        AccountStatus::Active => account,
    };
    let issued = session::start(&state.db, &account, now).await?;
    tracing::info!(target: "security", event = "login_succeeded", user = %account.uuid, method = "email_link", %ip);
    signed_in(&state, &account, issued).await
}

#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth",
    request_body = PasswordResetRequest,
    responses((status = 202, description = "Sent if the address has an account"), (status = 429, body = Problem)))]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<PasswordResetRequest>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let email = Email::field(&body.email)?;
    limit_mail(&state, &req, "password_reset", &email)?;
    link_mail::send_if_account(&state, &email, Purpose::PasswordReset).await?;
    Ok(HttpResponse::Accepted().json(serde_json::json!({})))
}

#[utoipa::path(post, path = "/api/v1/auth/password-reset/complete", tag = "auth",
    request_body = PasswordResetComplete,
    responses((status = 204, description = "Password set; every session of the account is ended"),
              (status = 400, body = Problem, description = "the password breaks a rule"),
              (status = 401, body = Problem, description = "link_invalid")))]
pub async fn complete_password_reset(
    state: web::Data<AppState>,
    body: Json<PasswordResetComplete>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let now = state.now();
    // Check the password first, so a rule error does not use up the link.
    let new_password = NewPassword::parse(&body.new_password, "new_password")?;
    let hash = password::hash_blocking(new_password).await?;
    let redeemed = links::redeem(
        &state.db,
        body.token.trim(),
        &[Purpose::PasswordReset, Purpose::SetPassword],
        now,
    )
    .await?;
    let Some((_, account)) = redeemed else {
        return Err(AppError::Unauthorized {
            code: "link_invalid",
        });
    };
    if AccountStatus::parse(&account.status) == AccountStatus::Disabled {
        return Err(AppError::Unauthorized {
            code: "link_invalid",
        });
    }
    let user_id = account.id;
    let uuid = account.uuid;
    let mut active = account.into_active_model();
    active.password_hash = Set(Some(hash));
    active.status = Set(AccountStatus::Active.as_str().to_owned());
    active.updated_at = Set(now);
    active.update(&state.db).await?;
    session::revoke_all(&state.db, &state.revocations, user_id, None, now).await?;
    state.chat.evict_user(user_id);
    tracing::info!(target: "security", event = "password_set", user = %uuid);
    Ok(HttpResponse::NoContent().finish())
}
