//! Sessions as refresh-token families (S3–S5): each refresh rotates the token; presenting a
//! token that was already rotated revokes the whole family, since one of the two holders is a thief.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
    TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use crate::accounts::model::{AccountStatus, Role};
use crate::auth::revocation::Revocations;
use crate::auth::token;
use crate::entity::{refresh_token, user};
use crate::error::AppError;

/// S5: how long a session lives without use, and at most. Participants (about 70 years old)
/// stay signed in for days (A10); staff, who see many people's health data, for a work day.
pub fn lifetimes(role: Role) -> (Duration, Duration) {
    match role {
        Role::Participant => (Duration::days(7), Duration::days(30)),
        _ => (Duration::minutes(30), Duration::hours(12)),
    }
}

pub struct Issued {
    pub refresh_token: String,
    pub family: Uuid,
    pub family_expires_at: DateTime<Utc>,
}

/// Starts a new session (a new family) for a user who just proved who they are.
pub async fn start<C: ConnectionTrait>(
    db: &C,
    account: &user::Model,
    now: DateTime<Utc>,
) -> Result<Issued, AppError> {
    let role = Role::parse(&account.role).unwrap_or(Role::Participant);
    let (idle, absolute) = lifetimes(role);
    let family = Uuid::new_v4();
    let family_expires_at = now + absolute;
    let plain = token::generate();
    refresh_token::ActiveModel {
        user_id: Set(account.id),
        family_id: Set(family),
        token_hash: Set(token::hash(&plain)),
        created_at: Set(now),
        expires_at: Set((now + idle).min(family_expires_at)),
        family_expires_at: Set(family_expires_at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Issued {
        refresh_token: plain,
        family,
        family_expires_at,
    })
}

pub enum RefreshOutcome {
    Rotated {
        account: Box<user::Model>,
        issued: Issued,
    },
    /// Unknown, expired, revoked or belonging to a disabled account.
    Invalid,
    /// An already rotated token came back: the family is now revoked.
    Reused { user_id: i32, family: Uuid },
}

pub async fn rotate<C: TransactionTrait + ConnectionTrait>(
    db: &C,
    presented: &str,
    now: DateTime<Utc>,
) -> Result<RefreshOutcome, AppError> {
    let txn = db.begin().await?;
    let Some(row) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token::hash(presented)))
        .one(&txn)
        .await?
    else {
        return Ok(RefreshOutcome::Invalid);
    };
    if row.revoked_at.is_some() {
        return Ok(RefreshOutcome::Invalid);
    }
    if row.used_at.is_some() {
        revoke_family(&txn, row.family_id, now).await?;
        txn.commit().await?;
        return Ok(RefreshOutcome::Reused {
            user_id: row.user_id,
            family: row.family_id,
        });
    }
    if row.expires_at <= now || row.family_expires_at <= now {
        return Ok(RefreshOutcome::Invalid);
    }
    // Mark used only if nobody else did in between: two racing refreshes cannot both win.
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(row.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        revoke_family(&txn, row.family_id, now).await?;
        txn.commit().await?;
        return Ok(RefreshOutcome::Reused {
            user_id: row.user_id,
            family: row.family_id,
        });
    }
    let Some(account) = user::Entity::find_by_id(row.user_id).one(&txn).await? else {
        return Ok(RefreshOutcome::Invalid);
    };
    if AccountStatus::parse(&account.status) == AccountStatus::Disabled {
        return Ok(RefreshOutcome::Invalid);
    }
    let role = Role::parse(&account.role).unwrap_or(Role::Participant);
    let (idle, _) = lifetimes(role);
    let plain = token::generate();
    refresh_token::ActiveModel {
        user_id: Set(account.id),
        family_id: Set(row.family_id),
        token_hash: Set(token::hash(&plain)),
        created_at: Set(now),
        expires_at: Set((now + idle).min(row.family_expires_at)),
        family_expires_at: Set(row.family_expires_at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(RefreshOutcome::Rotated {
        account: Box::new(account),
        issued: Issued {
            refresh_token: plain,
            family: row.family_id,
            family_expires_at: row.family_expires_at,
        },
    })
}

/// Ends one session (S4). Inside a transaction, record the family in the revocation set only
/// after the commit (see [`rotate`]).
pub async fn revoke_family<C: ConnectionTrait>(
    db: &C,
    family: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::FamilyId.eq(family))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends one session and stops its access tokens at once.
pub async fn end_session<C: ConnectionTrait>(
    db: &C,
    revocations: &Revocations,
    family: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    revoke_family(db, family, now).await?;
    revocations.add([family], now);
    Ok(())
}

/// Ends every session of a user, e.g. after a password change (S4), and stops their access
/// tokens at once.
pub async fn revoke_all<C: ConnectionTrait>(
    db: &C,
    revocations: &Revocations,
    user_id: i32,
    except: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut live = refresh_token::Entity::find()
        .select_only()
        .distinct()
        .column(refresh_token::Column::FamilyId)
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null());
    let mut update = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null());
    if let Some(keep) = except {
        live = live.filter(refresh_token::Column::FamilyId.ne(keep));
        update = update.filter(refresh_token::Column::FamilyId.ne(keep));
    }
    let families: Vec<Uuid> = live.into_tuple().all(db).await?;
    update.exec(db).await?;
    // A session started between the two statements is revoked in the database too; the
    // revocation set's next reload (within a second) takes it in.
    revocations.add(families, now);
    Ok(())
}
