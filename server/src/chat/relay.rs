//! Several instances on one PostgreSQL (issue 5, item 6): after commit an instance sends
//! `NOTIFY etapolku_chat, '<instance>:<room id>:<seq>'`; every other instance loads the rows it
//! has not delivered from the database (the source of truth) and publishes them to its sockets.
//! The notice carries no message text (Conduit: the notification is only a nudge).

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::chat::hub::ChatHub;
use crate::chat::rooms::statement;

pub const CHANNEL: &str = "etapolku_chat";

/// Starts the relay on PostgreSQL; `None` on SQLite (one process owns the file).
pub fn start(db: &DatabaseConnection, hub: ChatHub) -> Option<mpsc::UnboundedSender<(i32, i64)>> {
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
pub fn payload(instance: &str, room_id: i32, seq: i64) -> String {
    format!("{instance}:{room_id}:{seq}")
}

/// `(instance, room id, seq)` of a notice.
pub fn parse(payload: &str) -> Option<(&str, i32, i64)> {
    let mut parts = payload.split(':');
    let instance = parts.next()?;
    let room = parts.next()?.parse().ok()?;
    let seq = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some((instance, room, seq))
}

async fn notify_loop(
    db: DatabaseConnection,
    instance: String,
    mut rx: mpsc::UnboundedReceiver<(i32, i64)>,
) {
    while let Some((room, seq)) = rx.recv().await {
        // Coalesce a burst: only the highest seq per room matters.
        let mut latest = std::collections::HashMap::from([(room, seq)]);
        while let Ok((r, s)) = rx.try_recv() {
            let e = latest.entry(r).or_insert(s);
            *e = (*e).max(s);
        }
        for (room, seq) in latest {
            let stmt = statement(
                DbBackend::Postgres,
                "SELECT pg_notify(?, ?)",
                vec![CHANNEL.into(), payload(&instance, room, seq).into()],
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
                Ok(Some(n)) => {
                    if let Some((from, room, seq)) = parse(n.payload())
                        && from != instance
                    {
                        hub.notice(room, seq);
                    }
                }
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
        let p = super::payload("abc", 7, 42);
        assert_eq!(super::parse(&p), Some(("abc", 7, 42)));
        assert_eq!(super::parse("abc:7"), None);
        assert_eq!(super::parse("abc:x:1"), None);
        assert_eq!(super::parse("a:1:2:3"), None);
    }
}
