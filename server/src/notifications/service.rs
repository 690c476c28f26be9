//! Recording a notice and, when the person wants it, mailing that there is something new.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::accounts::model::{AccountStatus, Email, Language};
use crate::entity::{notification, user};
use crate::error::AppResult;
use crate::state::AppState;

/// What happened. The UI words each kind in the reader's language from `params`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A guide commented on the participant's exercise answer.
    AnswerComment,
    /// A guide gave feedback on a self-rehabilitation log.
    TaskFeedback,
    /// A guide proposed a self-rehabilitation task or changed one, to be agreed.
    TaskProposed,
    /// The course team wrote in the participant's private thread and it is still unread.
    ChatMessage,
    /// A participant reported a chat message to the course's guides (to a guide).
    ChatReport,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::AnswerComment => "answer_comment",
            Kind::TaskFeedback => "task_feedback",
            Kind::TaskProposed => "task_proposed",
            Kind::ChatMessage => "chat_message",
            Kind::ChatReport => "chat_report",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [
            Kind::AnswerComment,
            Kind::TaskFeedback,
            Kind::TaskProposed,
            Kind::ChatMessage,
            Kind::ChatReport,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One notice to record: short parameters only (a module number, a task title the person
/// wrote themselves), never a guide's text.
pub struct Notice {
    pub kind: Kind,
    pub params: serde_json::Value,
    /// A path in the web UI, e.g. `/ohjelma/3#item-cm-7`.
    pub link: String,
}

/// At most one "something new" mail per person in this time; the notices still all show in the UI.
pub const MAIL_QUIET: Duration = Duration::hours(1);

/// Records the notice; mails the person when they allow it and were not mailed in the last hour.
/// A mail that cannot be sent is logged, not an error: the notice is already stored and shows.
pub async fn notify(state: &AppState, to: &user::Model, notice: Notice) -> AppResult<()> {
    let now = state.now();
    let row = notification::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        user_id: Set(to.id),
        kind: Set(notice.kind.as_str().to_owned()),
        params: Set(notice.params.to_string()),
        link: Set(notice.link.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    if !to.mail_notifications
        || AccountStatus::parse(&to.status) != AccountStatus::Active
        || mailed_recently(&state.db, to.id, now).await?
    {
        return Ok(());
    }
    let Ok(address) = Email::parse(&to.email) else {
        return Ok(());
    };
    let link = {
        let mut url = state.public_url.clone();
        url.set_path(&notice.link);
        url.to_string()
    };
    let mail = super::mail::something_new(
        Language::parse(&to.language),
        &to.display_name,
        notice.kind,
        &link,
    );
    match state
        .mailer
        .send(&address, notice.kind.as_str(), mail)
        .await
    {
        Ok(()) => {
            let mut active: notification::ActiveModel = row.into();
            active.mailed_at = Set(Some(now));
            active.update(&state.db).await?;
        }
        Err(e) => tracing::warn!(error = %e, kind = notice.kind.as_str(), "notice mail not sent"),
    }
    Ok(())
}

async fn mailed_recently<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::MailedAt.gt(now - MAIL_QUIET))
        .count(db)
        .await?
        > 0)
}

pub async fn unread_count<C: ConnectionTrait>(db: &C, user_id: i32) -> AppResult<u64> {
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

/// The newest notices first, at most `limit`.
pub async fn latest<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
    limit: u64,
) -> AppResult<Vec<notification::Model>> {
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}
