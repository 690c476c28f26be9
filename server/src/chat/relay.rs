//! Several instances on one PostgreSQL (issue 5, item 6): after commit an instance sends
//! `NOTIFY etapolku_chat, '<instance>:<room id>:<seq>'`; every other instance loads the rows it
//! has not delivered from the database (the source of truth) and publishes them to its sockets.
//! The notice carries no message text (Conduit: the notification is only a nudge).
//! `'<instance>:evict:<user id>'` tells every instance to close that user's sockets (she left a
//! course or a team, or signed out), so no instance keeps sending her a room she has left.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::chat::hub::ChatHub;
use crate::chat::rooms::statement;

pub const CHANNEL: &str = "etapolku_chat";

/// What one instance tells the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// Rows up to `seq` are committed in the room.
    Rows { room: i32, seq: i64 },
    /// Close the user's sockets.
    Evict { user: i32 },
}

/// Starts the relay on PostgreSQL; `None` on SQLite (one process owns the file).
pub fn start(db: &DatabaseConnection, hub: ChatHub) -> Option<mpsc::UnboundedSender<Notice>> {
    if db.get_database_backend() != DbBackend::Postgres {
        return None;
    }
    let instance = Uuid::new_v4().simple().to_string();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(notify_loop(db.clone(), instance.clone(), rx));
    tokio::spawn(listen_loop(db.clone(), instance, hub));
    Some(tx)
}

/// The payload of one notice.
pub fn payload(instance: &str, notice: Notice) -> String {
    match notice {
        Notice::Rows { room, seq } => format!("{instance}:{room}:{seq}"),
        Notice::Evict { user } => format!("{instance}:evict:{user}"),
    }
}

/// `(instance, notice)` of a payload.
pub fn parse(payload: &str) -> Option<(&str, Notice)> {
    let mut parts = payload.split(':');
    let instance = parts.next()?;
    let first = parts.next()?;
    let second = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    let notice = if first == "evict" {
        Notice::Evict {
            user: second.parse().ok()?,
        }
    } else {
        Notice::Rows {
            room: first.parse().ok()?,
            seq: second.parse().ok()?,
        }
    };
    Some((instance, notice))
}

async fn notify_loop(
    db: DatabaseConnection,
    instance: String,
    mut rx: mpsc::UnboundedReceiver<Notice>,
) {
    while let Some(first) = rx.recv().await {
        // Coalesce a burst: only the highest seq per room matters; every eviction is sent.
        let mut latest = std::collections::HashMap::new();
        let mut evictions = Vec::new();
        let mut take = |n: Notice| match n {
            Notice::Rows { room, seq } => {
                let e = latest.entry(room).or_insert(seq);
                *e = (*e).max(seq);
            }
            Notice::Evict { .. } => evictions.push(n),
        };
        take(first);
        while let Ok(n) = rx.try_recv() {
            take(n);
        }
        let rows = latest
            .into_iter()
            .map(|(room, seq)| Notice::Rows { room, seq });
        for notice in evictions.into_iter().chain(rows) {
            let stmt = statement(
                DbBackend::Postgres,
                "SELECT pg_notify(?, ?)",
                vec![CHANNEL.into(), payload(&instance, notice).into()],
            );
            if let Err(e) = db.execute_raw(stmt).await {
                tracing::warn!(error = %e, "chat relay: NOTIFY failed");
            }
        }
    }
}

async fn listen_loop(db: DatabaseConnection, instance: String, hub: ChatHub) {
    use sea_orm::sqlx::postgres::PgListener;
    let mut backoff = std::time::Duration::from_millis(500);
    loop {
        let pool = db.get_postgres_connection_pool().clone();
        let listener = async {
            let mut l = PgListener::connect_with(&pool).await?;
            l.listen(CHANNEL).await?;
            Ok::<_, sea_orm::sqlx::Error>(l)
        }
        .await;
        let mut listener = match listener {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "chat relay: LISTEN failed; retrying");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(std::time::Duration::from_secs(30));
                continue;
            }
        };
        backoff = std::time::Duration::from_millis(500);
        // Notices sent while not listening are lost: look at every live room once.
        hub.recheck_all();
        loop {
            match listener.try_recv().await {
                Ok(Some(n)) => match parse(n.payload()) {
                    Some((from, _)) if from == instance => {}
                    Some((_, Notice::Rows { room, seq })) => hub.notice(room, seq),
                    Some((_, Notice::Evict { user })) => hub.evict_here(user),
                    None => {}
                },
                // The connection was lost; sqlx reconnects on the next call.
                Ok(None) => hub.recheck_all(),
                Err(e) => {
                    tracing::warn!(error = %e, "chat relay: listener failed; reconnecting");
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn notices_round_trip_and_junk_is_ignored() {
        use super::Notice;
        let p = super::payload("abc", Notice::Rows { room: 7, seq: 42 });
        assert_eq!(
            super::parse(&p),
            Some(("abc", Notice::Rows { room: 7, seq: 42 }))
        );
        let e = super::payload("abc", Notice::Evict { user: 9 });
        assert_eq!(super::parse(&e), Some(("abc", Notice::Evict { user: 9 })));
        assert_eq!(super::parse("abc:evict:x"), None);
        assert_eq!(super::parse("abc:7"), None);
        assert_eq!(super::parse("abc:x:1"), None);
        assert_eq!(super::parse("a:1:2:3"), None);
    }
}
