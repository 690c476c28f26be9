//! What chat tells people outside the chat (issue 5, item 5): the statements behind the mail to
//! an offline participant whose team wrote in their private thread, the guides' daily digest and
//! the unread counts on the guide's course list. Counts and links only: no message text ever
//! leaves the chat (SECURITY.md: no health data in mail).

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, Value};
use uuid::Uuid;

use crate::chat::rooms::statement;
use crate::error::AppResult;

/// Where a participant's "your team wrote to you" notice points: the chat in the web UI.
pub const PARTICIPANT_CHAT_LINK: &str = "/ryhma/viestit";
/// Where the guide's digest points: the course list, which shows unread counts per course.
pub const GUIDE_LINK: &str = "/ohjaus";

/// A private-thread message from the team is mailed about once it has been unread this long: a
/// participant who reads it soon gets no mail, and several messages in a row make one mail.
pub fn private_mail_delay() -> Duration {
    Duration::minutes(10)
}

/// Messages older than this are not mailed about: a server that was down for days, or the first
/// start of this feature, does not mail about old conversations.
pub fn private_mail_horizon() -> Duration {
    Duration::days(2)
}

/// A private thread whose participant has team messages unread for at least the delay.
#[derive(Debug, Clone)]
pub struct UnreadThread {
    pub room_uuid: Uuid,
    pub participant_id: i32,
    /// The participant's read marker: the mail is for the batch of messages after it, so it is
    /// part of the key that makes the mail go out once.
    pub read_seq: i64,
}

/// Private threads with a message from the team (not deleted or hidden) after the participant's
/// read marker, sent between the horizon and `now - delay`. One statement for all threads.
pub async fn unread_private_threads<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> AppResult<Vec<UnreadThread>> {
    let sql = "SELECT r.uuid AS room_uuid, r.participant_id, \
                      COALESCE(rd.last_read_seq, 0) AS read_seq \
               FROM chat_rooms r \
               LEFT JOIN chat_reads rd ON rd.room_id = r.id AND rd.user_id = r.participant_id \
               WHERE r.kind = 'private' AND r.participant_id IS NOT NULL \
                 AND r.participant_id IN \
                     (SELECT e.participant_id FROM enrolments e WHERE e.course_id = r.course_id) \
                 AND EXISTS (SELECT 1 FROM chat_messages m WHERE m.room_id = r.id \
                     AND m.kind = 'message' AND m.deleted_at IS NULL AND m.hidden_at IS NULL \
                     AND m.sender_id <> r.participant_id \
                     AND m.seq > COALESCE(rd.last_read_seq, 0) \
                     AND m.created_at <= ? AND m.created_at > ?) \
               ORDER BY r.id";
    let values: Vec<Value> = vec![
        (now - private_mail_delay()).into(),
        (now - private_mail_horizon()).into(),
    ];
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), sql, values))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(UnreadThread {
            room_uuid: row.try_get("", "room_uuid")?,
            participant_id: row.try_get("", "participant_id")?,
            read_seq: row.try_get("", "read_seq")?,
        });
    }
    Ok(out)
}

/// Unread messages per course for one guide, over the rooms the guide is a member of (the
/// course's group and team rooms and the private threads of its enrolled participants), counted
/// as `rooms::unread` counts them: messages, not deleted or hidden, by someone else, after the
/// guide's read marker. One statement for all the guide's courses.
pub async fn guide_unread_per_course<C: ConnectionTrait>(
    db: &C,
    guide_id: i32,
) -> AppResult<HashMap<i32, u64>> {
    let sql = "SELECT r.course_id, COUNT(m.id) AS unread \
               FROM chat_rooms r \
               LEFT JOIN chat_reads rd ON rd.room_id = r.id AND rd.user_id = ? \
               JOIN chat_messages m ON m.room_id = r.id AND m.kind = 'message' \
                    AND m.deleted_at IS NULL AND m.hidden_at IS NULL AND m.sender_id <> ? \
                    AND m.seq > COALESCE(rd.last_read_seq, 0) \
               WHERE r.course_id IN (SELECT t.course_id FROM team_members t WHERE t.user_id = ?) \
                 AND (r.kind <> 'private' OR r.participant_id IN \
                      (SELECT e.participant_id FROM enrolments e WHERE e.course_id = r.course_id)) \
               GROUP BY r.course_id";
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            sql,
            vec![guide_id.into(), guide_id.into(), guide_id.into()],
        ))
        .await?;
    let mut out = HashMap::new();
    for row in rows {
        let n: i64 = row.try_get("", "unread")?;
        out.insert(
            row.try_get::<i32>("", "course_id")?,
            u64::try_from(n).unwrap_or(0),
        );
    }
    Ok(out)
}
