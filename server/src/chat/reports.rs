//! Reports: a participant tells the course's guides about a message (not a platform admin: the
//! nurse who runs the group decides). The guides see a queue per course and close each report by
//! dismissing it or by hiding the message, which is the hide action in the same transaction.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionTrait, Value,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::accounts::model::{AccountStatus, Role};
use crate::auth::extract::AuthUser;
use crate::chat::model::ChatUser;
use crate::chat::moderation::{
    EventView, MessageAction, Reason, apply, audit_participant, course_for_guide, message_at,
};
use crate::chat::rooms::{is_course_guide, room_for_member, statement};
use crate::entity::{chat_message, chat_report, chat_room, course, team_member, user};
use crate::error::{AppError, AppResult};
use crate::notifications::service::{Kind, Notice, notify};
use crate::state::AppState;

/// Where a guide's notice of a new report points: the course's chat page in the web UI, where the report queue is.
pub fn queue_link(course: Uuid) -> String {
    format!("/ohjaus/kurssi/{course}/keskustelu")
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportCreated {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
}

/// A participant reports message `seq` of a room they are in.
pub async fn report(
    state: &AppState,
    actor: &AuthUser,
    room_uuid: Uuid,
    seq: i64,
    reason: Reason,
) -> AppResult<ReportCreated> {
    let db = &state.db;
    let (room, membership) = room_for_member(db, &ChatUser::from(actor), room_uuid).await?;
    if membership.is_staff() {
        return Err(AppError::Forbidden { code: "wrong_role" });
    }
    let message = message_at(db, &room, seq).await?;
    if message.deleted_at.is_some() {
        return Err(AppError::conflict(
            "message_deleted",
            "the message has been deleted",
        ));
    }
    if message.sender_id == actor.id {
        return Err(AppError::conflict(
            "own_message",
            "you cannot report your own message; you can delete it",
        ));
    }
    let now = state.now();
    let _writer = crate::db::write_gate(db).await;
    let txn = db.begin().await?;
    let open = chat_report::Entity::find()
        .filter(chat_report::Column::MessageId.eq(message.id))
        .filter(chat_report::Column::ReporterId.eq(actor.id))
        .filter(chat_report::Column::ResolvedAt.is_null())
        .one(&txn)
        .await?;
    if open.is_some() {
        return Err(already_reported());
    }
    let row = chat_report::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        room_id: Set(room.id),
        message_id: Set(message.id),
        reporter_id: Set(actor.id),
        reason: Set(reason.as_str().to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    // The unique index on open reports catches a second request racing this one.
    .map_err(|e| match e {
        sea_orm::DbErr::Query(_) | sea_orm::DbErr::Exec(_)
            if e.to_string().to_lowercase().contains("unique") =>
        {
            already_reported()
        }
        e => e.into(),
    })?;
    txn.commit().await?;
    tracing::info!(room = %room.uuid, seq, report = %row.uuid, "chat message reported");
    notify_guides(state, &room).await?;
    Ok(ReportCreated {
        id: row.uuid,
        created_at: row.created_at,
    })
}

fn already_reported() -> AppError {
    AppError::conflict(
        "already_reported",
        "you have already reported this message; the guides will look at it",
    )
}

/// Tells each guide of the course, in the app and (if they want) by a mail without the text.
async fn notify_guides(state: &AppState, room: &chat_room::Model) -> AppResult<()> {
    let Some(c) = course::Entity::find_by_id(room.course_id)
        .one(&state.db)
        .await?
    else {
        return Ok(());
    };
    let team: Vec<i32> = team_member::Entity::find()
        .filter(team_member::Column::CourseId.eq(c.id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|t| t.user_id)
        .collect();
    let guides = user::Entity::find()
        .filter(user::Column::Id.is_in(team))
        .filter(user::Column::Role.eq(Role::Guide.as_str()))
        .filter(user::Column::Status.ne(AccountStatus::Disabled.as_str()))
        .all(&state.db)
        .await?;
    for g in guides {
        notify(
            state,
            &g,
            Notice {
                kind: Kind::ChatReport,
                params: json!({"course": c.uuid, "course_title": c.title}),
                link: queue_link(c.uuid),
            },
        )
        .await?;
    }
    Ok(())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonView {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportedMessage {
    pub seq: i64,
    pub id: Uuid,
    pub author: PersonView,
    /// The current text; '' once deleted. Staff see a hidden message's text.
    pub body: String,
    pub sent_at: DateTime<Utc>,
    pub hidden: bool,
    pub deleted: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportRoom {
    pub id: Uuid,
    /// `group` or `private`.
    pub kind: String,
}

/// One report in a course's queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportView {
    pub id: Uuid,
    pub room: ReportRoom,
    pub message: ReportedMessage,
    pub reporter: PersonView,
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// `dismissed` or `hidden`.
    pub resolution: Option<String>,
    pub note: Option<String>,
    pub resolved_by: Option<String>,
}

/// The queue: `open` true → waiting reports, oldest first; false → closed ones, newest first;
/// none → all, newest first. One statement, at most 500 rows.
pub async fn queue(
    state: &AppState,
    actor: &AuthUser,
    course_uuid: Uuid,
    open: Option<bool>,
) -> AppResult<Vec<ReportView>> {
    let db = &state.db;
    let c = course_for_guide(db, actor, course_uuid).await?;
    let (filter, order) = match open {
        Some(true) => ("AND rp.resolved_at IS NULL", "rp.created_at ASC, rp.id ASC"),
        Some(false) => (
            "AND rp.resolved_at IS NOT NULL",
            "rp.created_at DESC, rp.id DESC",
        ),
        None => ("", "rp.created_at DESC, rp.id DESC"),
    };
    let sql = format!(
        "SELECT rp.uuid AS report_uuid, rp.reason, rp.created_at, rp.resolved_at, rp.resolution, \
                rp.note, r.uuid AS room_uuid, r.kind AS room_kind, \
                m.seq, m.uuid AS message_uuid, m.body, m.created_at AS sent_at, \
                m.hidden_at, m.deleted_at, \
                a.uuid AS author_uuid, a.display_name AS author_name, a.role AS author_role, \
                p.uuid AS reporter_uuid, p.display_name AS reporter_name, \
                g.display_name AS resolver_name \
         FROM chat_reports rp \
         JOIN chat_rooms r ON r.id = rp.room_id \
         JOIN chat_messages m ON m.id = rp.message_id \
         JOIN users a ON a.id = m.sender_id \
         JOIN users p ON p.id = rp.reporter_id \
         LEFT JOIN users g ON g.id = rp.resolved_by \
         WHERE r.course_id = ? {filter} \
         ORDER BY {order} LIMIT 500"
    );
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            &sql,
            vec![Value::from(c.id)],
        ))
        .await?;
    let role = |s: String| Role::parse(&s).unwrap_or(Role::Participant);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(ReportView {
            id: row.try_get("", "report_uuid")?,
            room: ReportRoom {
                id: row.try_get("", "room_uuid")?,
                kind: row.try_get("", "room_kind")?,
            },
            message: ReportedMessage {
                seq: row.try_get("", "seq")?,
                id: row.try_get("", "message_uuid")?,
                author: PersonView {
                    id: row.try_get("", "author_uuid")?,
                    name: row.try_get("", "author_name")?,
                    role: role(row.try_get("", "author_role")?),
                },
                body: row.try_get("", "body")?,
                sent_at: row.try_get("", "sent_at")?,
                hidden: row
                    .try_get::<Option<DateTime<Utc>>>("", "hidden_at")?
                    .is_some(),
                deleted: row
                    .try_get::<Option<DateTime<Utc>>>("", "deleted_at")?
                    .is_some(),
            },
            reporter: PersonView {
                id: row.try_get("", "reporter_uuid")?,
                name: row.try_get("", "reporter_name")?,
                role: Role::Participant,
            },
            reason: row.try_get("", "reason")?,
            created_at: row.try_get("", "created_at")?,
            resolved_at: row.try_get("", "resolved_at")?,
            resolution: row.try_get("", "resolution")?,
            note: row.try_get("", "note")?,
            resolved_by: row.try_get("", "resolver_name")?,
        });
    }
    Ok(out)
}

/// How a guide closes a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Nothing to do; the message stays.
    Dismiss,
    /// Hide the message (as `POST …/hide`), which also closes the other open reports of it.
    Hide,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Resolved {
    pub id: Uuid,
    /// `dismissed` or `hidden`.
    pub resolution: &'static str,
    pub resolved_at: DateTime<Utc>,
    /// How many reports this closed (hiding closes every open report of the message).
    pub closed: u64,
    /// The `hidden` event, when this hid the message.
    pub event: Option<EventView>,
}

/// Closes a report of a course the actor guides.
pub async fn resolve(
    state: &AppState,
    actor: &AuthUser,
    report_uuid: Uuid,
    action: Resolution,
    note: Option<Reason>,
) -> AppResult<Resolved> {
    let db = &state.db;
    let report = chat_report::Entity::find()
        .filter(chat_report::Column::Uuid.eq(report_uuid))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let room = chat_room::Entity::find_by_id(report.room_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = course::Entity::find_by_id(room.course_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if actor.provider_id != Some(c.provider_id)
        || !is_course_guide(db, &ChatUser::from(actor), c.id).await?
    {
        return Err(AppError::NotFound);
    }
    if report.resolved_at.is_some() {
        return Err(already_resolved());
    }
    let message = chat_message::Entity::find_by_id(report.message_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFoundCode("message_not_found"))?;
    // Hiding what is already hidden or deleted only closes the reports.
    let hides =
        action == Resolution::Hide && message.hidden_at.is_none() && message.deleted_at.is_none();
    if hides && let Some(author) = user::Entity::find_by_id(message.sender_id).one(db).await? {
        audit_participant(state, actor, &author, "chat_message", "update").await?;
    }
    let now = state.now();
    let _writer = crate::db::write_gate(db).await;
    let txn = db.begin().await?;
    let event = if hides {
        let reason = match &note {
            Some(n) => n.clone(),
            None => Reason::parse(&report.reason).map_err(|m| {
                AppError::Internal(anyhow::anyhow!("a stored report reason is invalid: {m}"))
            })?,
        };
        Some(
            apply(
                &txn,
                &room,
                &message,
                actor.id,
                &MessageAction::Hide(reason),
                now,
            )
            .await?,
        )
    } else {
        None
    };
    let resolution = match action {
        Resolution::Dismiss => "dismissed",
        Resolution::Hide => "hidden",
    };
    let mut close = chat_report::Entity::update_many()
        .col_expr(chat_report::Column::ResolvedAt, Expr::value(Some(now)))
        .col_expr(chat_report::Column::ResolvedBy, Expr::value(Some(actor.id)))
        .col_expr(
            chat_report::Column::Resolution,
            Expr::value(Some(resolution.to_owned())),
        )
        .col_expr(
            chat_report::Column::Note,
            Expr::value(note.as_ref().map(|n| n.as_str().to_owned())),
        )
        .filter(chat_report::Column::ResolvedAt.is_null());
    close = match action {
        Resolution::Dismiss => close.filter(chat_report::Column::Id.eq(report.id)),
        Resolution::Hide => close.filter(chat_report::Column::MessageId.eq(report.message_id)),
    };
    let closed = close.exec(&txn).await?.rows_affected;
    if closed == 0 {
        // Another guide closed it a moment ago.
        return Err(already_resolved());
    }
    txn.commit().await?;
    tracing::info!(report = %report.uuid, resolution, closed, actor = %actor.uuid, "chat report resolved");
    let view = event.as_ref().map(|e| EventView::of(&room, e));
    if let Some(e) = event {
        state.chat.publish(room.id, vec![e]);
    }
    Ok(Resolved {
        id: report.uuid,
        resolution,
        resolved_at: now,
        closed,
        event: view,
    })
}

fn already_resolved() -> AppError {
    AppError::conflict("already_resolved", "this report has already been closed")
}

/// Open reports per course of the guide's teams, in one statement (the digest).
pub async fn open_per_course<C: ConnectionTrait>(
    db: &C,
    guide_id: i32,
) -> AppResult<std::collections::HashMap<i32, u64>> {
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            "SELECT r.course_id, COUNT(rp.id) AS n FROM chat_reports rp \
             JOIN chat_rooms r ON r.id = rp.room_id \
             WHERE rp.resolved_at IS NULL \
               AND r.course_id IN (SELECT t.course_id FROM team_members t WHERE t.user_id = ?) \
             GROUP BY r.course_id",
            vec![guide_id.into()],
        ))
        .await?;
    let mut out = std::collections::HashMap::new();
    for row in rows {
        let n: i64 = row.try_get("", "n")?;
        out.insert(row.try_get("", "course_id")?, u64::try_from(n).unwrap_or(0));
    }
    Ok(out)
}
