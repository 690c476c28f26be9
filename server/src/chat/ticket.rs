//! One-use websocket tickets (PROTOCOL.md "Connecting"): 30 seconds, stored hashed in
//! `one_time_tokens` with purpose `ws_ticket`, so any instance can redeem one. A ticket is
//! deleted as it is redeemed: the same statement checks and uses it.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::accounts::model::{AccountStatus, Role};
use crate::auth::token;
use crate::entity::{one_time_token, user};
use crate::error::AppResult;

pub const PURPOSE: &str = "ws_ticket";
pub const LIFETIME_SECONDS: i64 = 30;

/// A new ticket for the user; returns the plain ticket.
pub async fn issue<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    now: DateTime<Utc>,
) -> AppResult<String> {
    // The user's spent tickets go as new ones are made, so the table does not grow.
    one_time_token::Entity::delete_many()
        .filter(one_time_token::Column::UserId.eq(user_id))
        .filter(one_time_token::Column::Purpose.eq(PURPOSE))
        .filter(one_time_token::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?;
    let plain = token::generate();
    one_time_token::ActiveModel {
        user_id: Set(user_id),
        purpose: Set(PURPOSE.to_owned()),
        token_hash: Set(token::hash(&plain)),
        created_at: Set(now),
        expires_at: Set(now + Duration::seconds(LIFETIME_SECONDS)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(plain)
}

/// Uses a ticket once: the account of a live ticket whose account is active and may chat
/// (participant or guide). `None` for anything else.
pub async fn redeem<C: ConnectionTrait>(
    db: &C,
    presented: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<user::Model>> {
    if presented.is_empty() || presented.len() > 128 {
        return Ok(None);
    }
    let hash = token::hash(presented);
    let Some(row) = one_time_token::Entity::find()
        .filter(one_time_token::Column::TokenHash.eq(hash.as_str()))
        .filter(one_time_token::Column::Purpose.eq(PURPOSE))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let claimed = one_time_token::Entity::delete_many()
        .filter(one_time_token::Column::Id.eq(row.id))
        .filter(one_time_token::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        return Ok(None);
    }
    let Some(account) = user::Entity::find_by_id(row.user_id).one(db).await? else {
        return Ok(None);
    };
    let may_chat = matches!(
        Role::parse(&account.role),
        Some(Role::Participant | Role::Guide)
    );
    if !may_chat || AccountStatus::parse(&account.status) == AccountStatus::Disabled {
        return Ok(None);
    }
    Ok(Some(account))
}
