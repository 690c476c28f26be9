//! Single-use mailed links: sign-in (15 min), invitations (7 days), password set/reset.
//! Only the token's hash is stored; using a link marks it used in the same statement that checks it.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::auth::token;
use crate::entity::{one_time_token, user};
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `/linkki`: signs the user in.
    SignIn,
    /// `/linkki`: a participant's invitation; activates the account and signs in.
    Invitation,
    /// `/salasana`: a staff invitation; the new password activates the account.
    SetPassword,
    /// `/salasana`: a forgotten password.
    PasswordReset,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::SignIn => "sign_in",
            Purpose::Invitation => "invitation",
            Purpose::SetPassword => "set_password",
            Purpose::PasswordReset => "password_reset",
        }
    }

    pub fn lifetime(self) -> Duration {
        match self {
            Purpose::SignIn => Duration::minutes(15),
            Purpose::PasswordReset => Duration::minutes(30),
            Purpose::Invitation | Purpose::SetPassword => Duration::days(7),
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            Purpose::SignIn | Purpose::Invitation => "/linkki",
            Purpose::SetPassword | Purpose::PasswordReset => "/salasana",
        }
    }
}

/// Makes a new link token for a user; returns the plain token for the mail.
pub async fn issue<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let plain = token::generate();
    one_time_token::ActiveModel {
        user_id: Set(user_id),
        purpose: Set(purpose.as_str().to_owned()),
        token_hash: Set(token::hash(&plain)),
        created_at: Set(now),
        expires_at: Set(now + purpose.lifetime()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(plain)
}

/// The link's account if the link is still good, without using it.
pub async fn peek<C: ConnectionTrait>(
    db: &C,
    presented: &str,
    purposes: &[Purpose],
    now: DateTime<Utc>,
) -> Result<Option<(Purpose, user::Model)>, AppError> {
    if presented.len() > 128 {
        return Ok(None);
    }
    let Some(row) = one_time_token::Entity::find()
        .filter(one_time_token::Column::TokenHash.eq(token::hash(presented)))
        .filter(one_time_token::Column::UsedAt.is_null())
        .filter(one_time_token::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(purpose) = purposes.iter().copied().find(|p| p.as_str() == row.purpose) else {
        return Ok(None);
    };
    Ok(user::Entity::find_by_id(row.user_id)
        .one(db)
        .await?
        .map(|u| (purpose, u)))
}

/// Uses a link once. `None` when it is unknown, expired, already used or of another purpose.
pub async fn redeem<C: ConnectionTrait>(
    db: &C,
    presented: &str,
    purposes: &[Purpose],
    now: DateTime<Utc>,
) -> Result<Option<(Purpose, user::Model)>, AppError> {
    if presented.len() > 128 {
        return Ok(None);
    }
    let hash = token::hash(presented);
    let Some(row) = one_time_token::Entity::find()
        .filter(one_time_token::Column::TokenHash.eq(hash.as_str()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(purpose) = purposes.iter().copied().find(|p| p.as_str() == row.purpose) else {
        return Ok(None);
    };
    let claimed = one_time_token::Entity::update_many()
        .col_expr(one_time_token::Column::UsedAt, Expr::value(now))
        .filter(one_time_token::Column::Id.eq(row.id))
        .filter(one_time_token::Column::UsedAt.is_null())
        .filter(one_time_token::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        return Ok(None);
    }
    Ok(user::Entity::find_by_id(row.user_id)
        .one(db)
        .await?
        .map(|u| (purpose, u)))
}
