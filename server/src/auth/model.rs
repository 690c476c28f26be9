//! Request and response bodies of the sign-in endpoints.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::accounts::model::{Language, Me};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// The authenticator code, for accounts with the second factor on (S8).
    #[serde(default)]
    pub totp: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailLinkRequest {
    pub email: String,
    /// The UI language at the time of asking; the mail uses the account's language.
    #[serde(default)]
    pub language: Option<Language>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedeemRequest {
    pub token: String,
    /// The authenticator code, for accounts with the second factor on (S8).
    #[serde(default)]
    pub totp: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetComplete {
    pub token: String,
    pub new_password: String,
}

/// A fresh access token; the refresh token travels only in its HttpOnly cookie.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub user: Me,
}
