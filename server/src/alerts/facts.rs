//! The facts the alert rules need, read set-based: per course, the guide's monitoring rows
//! (`monitoring::service::course_rows`, a fixed number of statements whatever the number of
//! participants), so the alerts and the monitoring view agree on what "last active", "on pace"
//! and "overdue" mean; and for all courses at once, one statement for the messages waiting for
//! the team's reply. Nothing here runs a query per participant.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, Value};

use crate::alerts::rules::{CourseFrame, Facts, answer_within};
use crate::chat::rooms::statement;
use crate::courses::schedule::Schedule;
use crate::entity::course;
use crate::error::AppResult;
use crate::monitoring::model::MonitoringRow;
use crate::monitoring::service::course_rows;

/// One course's frame and the facts of each enrolled participant (by user id).
pub struct CourseFacts {
    pub course_id: i32,
    pub frame: CourseFrame,
    pub participants: Vec<(i32, Facts)>,
}

impl Facts {
    /// A participant's facts from their monitoring row.
    pub fn of_row(r: &MonitoringRow, message_unanswered: bool) -> Facts {
        Facts {
            monitored: true,
            last_active: r.last_active_at,
            program_behind_pace: !r.program.on_pace,
            remote_minutes: r.guidance.remote_minutes,
            interim_contacts: r.contacts.interim_done + r.contacts.interim_open,
            follow_up_contacts: r.contacts.follow_up_done + r.contacts.follow_up_open,
            contact_overdue: r.open_contacts.overdue > 0,
            message_unanswered,
        }
    }
}

/// The facts of every enrolled participant of `courses` at `now`.
pub async fn read<C: ConnectionTrait>(
    db: &C,
    courses: &[(course::Model, Schedule)],
    inactive_days: u32,
    now: DateTime<Utc>,
) -> AppResult<Vec<CourseFacts>> {
    if courses.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = courses.iter().map(|(c, _)| c.id).collect();
    let unanswered = unanswered_messages(db, &ids, now).await?;
    let mut out = Vec::with_capacity(courses.len());
    for (c, schedule) in courses {
        let frame = CourseFrame {
            schedule: *schedule,
            inactive_days,
        };
        let waiting = |pid: i32| unanswered.contains(&(c.id, pid));
        // The monitoring view needs the course's program; a course without one (a setup not
        // finished) has no rows, and only its unanswered messages are known.
        let participants = if c.program_version_id.is_some() {
            course_rows(db, c, None, now)
                .await?
                .iter()
                .map(|r| {
                    (
                        r.participant_id,
                        Facts::of_row(r, waiting(r.participant_id)),
                    )
                })
                .collect()
        } else {
            unanswered
                .iter()
                .filter(|(course_id, _)| *course_id == c.id)
                .map(|(_, pid)| {
                    (
                        *pid,
                        Facts {
                            message_unanswered: true,
                            ..Facts::default()
                        },
                    )
                })
                .collect()
        };
        out.push(CourseFacts {
            course_id: c.id,
            frame,
            participants,
        });
    }
    Ok(out)
}

/// (course, participant) whose private thread with the team holds a message of the participant,
/// older than [`answer_within`], after which nobody of the team has written a message there. The
/// team's reply is any message (not deleted) by someone other than the participant: only the
/// course's staff can write in the thread. A message the participant deleted, or the guides hid,
/// waits for nothing. Enrolled participants only. One statement for all courses.
async fn unanswered_messages<C: ConnectionTrait>(
    db: &C,
    course_ids: &[i32],
    now: DateTime<Utc>,
) -> AppResult<HashSet<(i32, i32)>> {
    let marks = vec!["?"; course_ids.len()].join(", ");
    let sql = format!(
        "SELECT r.course_id, r.participant_id \
         FROM chat_rooms r \
         WHERE r.kind = 'private' AND r.participant_id IS NOT NULL AND r.course_id IN ({marks}) \
           AND r.participant_id IN \
               (SELECT e.participant_id FROM enrolments e WHERE e.course_id = r.course_id) \
           AND EXISTS (SELECT 1 FROM chat_messages m \
               WHERE m.room_id = r.id AND m.kind = 'message' AND m.sender_id = r.participant_id \
                 AND m.deleted_at IS NULL AND m.hidden_at IS NULL AND m.created_at <= ? \
                 AND NOT EXISTS (SELECT 1 FROM chat_messages s \
                     WHERE s.room_id = r.id AND s.kind = 'message' \
                       AND s.sender_id <> r.participant_id AND s.deleted_at IS NULL \
                       AND s.seq > m.seq))"
    );
    let mut values: Vec<Value> = course_ids.iter().map(|id| (*id).into()).collect();
    values.push((now - answer_within()).into());
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    let mut out = HashSet::with_capacity(rows.len());
    for row in rows {
        out.insert((
            row.try_get::<i32>("", "course_id")?,
            row.try_get::<i32>("", "participant_id")?,
        ));
    }
    Ok(out)
}
