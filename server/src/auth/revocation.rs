//! The revocation set of S4: sessions (refresh-token families) revoked recently enough that an
//! access token of theirs could still be within its lifetime.
//!
//! An access token carries who its user is (signed), so a request needs no database read to know
//! it; what the token cannot know is that its session ended after it was issued. That is this set,
//! held in memory:
//! - a revocation made by this process enters the set before the revoking request answers;
//! - every second the set takes in what the database says was revoked in the last
//!   [`WINDOW`], so a revocation by another instance (or a command-line run against the same
//!   file) is in force here within about a second;
//! - on start the set is loaded before the server answers anything.
//!
//! An access token lives [`ACCESS_TTL`] (plus the clock leeway), so a family revoked longer ago
//! than [`WINDOW`] has no live access token left and leaves the set. Account disabling, when it is
//! built, must revoke the account's sessions like a password change does (S4).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use crate::auth::jwt::ACCESS_TTL;
use crate::clock::Clock;
use crate::entity::refresh_token;

/// Longer than an access token can be valid after it was issued (15 min + 60 s leeway).
const WINDOW: Duration = Duration::minutes(20);
/// How often the set is read again from the database.
const POLL: StdDuration = StdDuration::from_secs(1);

#[derive(Debug, Clone, Default)]
pub struct Revocations {
    /// Family → when it was revoked (by the service's clock).
    families: Arc<RwLock<HashMap<Uuid, DateTime<Utc>>>>,
}

impl Revocations {
    pub fn is_revoked(&self, family: Uuid) -> bool {
        self.families
            .read()
            .map(|set| set.contains_key(&family))
            // A poisoned lock means a panic while it was held; refuse rather than guess.
            .unwrap_or(true)
    }

    /// Records revocations this process just committed.
    pub fn add(&self, families: impl IntoIterator<Item = Uuid>, at: DateTime<Utc>) {
        if let Ok(mut set) = self.families.write() {
            for f in families {
                set.insert(f, at);
            }
        }
    }

    /// Takes in the families the database says were revoked within [`WINDOW`] of `now`, and
    /// forgets those revoked before it. Adds only (besides the pruning), so a revocation made
    /// here while the query ran is never lost.
    pub async fn reload<C: ConnectionTrait>(
        &self,
        db: &C,
        now: DateTime<Utc>,
    ) -> Result<(), sea_orm::DbErr> {
        let since = now - WINDOW;
        let rows: Vec<(Uuid, Option<DateTime<Utc>>)> = refresh_token::Entity::find()
            .select_only()
            .column(refresh_token::Column::FamilyId)
            .column(refresh_token::Column::RevokedAt)
            .filter(refresh_token::Column::RevokedAt.gt(since))
            .into_tuple()
            .all(db)
            .await?;
        if let Ok(mut set) = self.families.write() {
            set.retain(|_, at| *at > since);
            for (family, at) in rows {
                set.insert(family, at.unwrap_or(now));
            }
        }
        Ok(())
    }

    /// Loads the set, then keeps reloading it every second for as long as the runtime runs.
    pub async fn start(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
    ) -> Result<Revocations, sea_orm::DbErr> {
        let revocations = Revocations::default();
        revocations.reload(&db, clock.now()).await?;
        let poller = revocations.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(POLL);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = poller.reload(&db, clock.now()).await {
                    // The set keeps what it had; local revocations still enter it at once.
                    tracing::warn!(error = %e, "reloading the session revocation set failed");
                }
            }
        });
        Ok(revocations)
    }
}

// The window must outlast every access token issued before a revocation.
const _: () = assert!(WINDOW.num_seconds() > ACCESS_TTL.num_seconds() + 60);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_added_family_is_revoked_and_others_are_not() {
        let r = Revocations::default();
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        r.add([a], Utc::now());
        assert!(r.is_revoked(a));
        assert!(!r.is_revoked(b));
    }
}
