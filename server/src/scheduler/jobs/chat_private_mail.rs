//! The mail to a participant whose course team wrote in their private thread: sent when a team
//! message has been unread for 10 minutes and the participant has no chat open, once per batch of
//! unread messages (the key is the thread and the participant's read marker, claimed in
//! `scheduled_runs`, so a restart or a second instance never mails twice). It is the "something
//! new" notice and mail, which respects the participant's mail preference and carries no text.

use chrono::{DateTime, Utc};
use sea_orm::EntityTrait;
use serde_json::json;

use crate::chat::mail::{PARTICIPANT_CHAT_LINK, unread_private_threads};
use crate::entity::user;
use crate::error::AppResult;
use crate::notifications::service::{Kind, Notice, notify};
use crate::state::AppState;

pub const JOB: &str = "chat_private_mail";

/// Tells offline participants about unread team messages; returns how many were told.
pub async fn run(state: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    let mut told = 0;
    for thread in unread_private_threads(&state.db, now).await? {
        // Someone with the chat open sees the message there; try again once they have left.
        if state.chat.is_online(thread.participant_id) {
            continue;
        }
        let key = format!("{}:{}", thread.room_uuid, thread.read_seq);
        if !crate::scheduler::claim(&state.db, JOB, &key, now).await? {
            continue;
        }
        let Some(person) = user::Entity::find_by_id(thread.participant_id)
            .one(&state.db)
            .await?
        else {
            continue;
        };
        let notice = Notice {
            kind: Kind::ChatMessage,
            params: json!({"room": thread.room_uuid}),
            link: PARTICIPANT_CHAT_LINK.to_owned(),
        };
        if let Err(e) = notify(state, &person, notice).await {
            crate::scheduler::release(&state.db, JOB, &key).await?;
            return Err(e);
        }
        told += 1;
    }
    Ok(told)
}
