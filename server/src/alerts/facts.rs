//! The facts the alert rules need, read set-based: a fixed number of statements per course in
//! scope (the same per-course reads the guides' views use), and two statements for all courses
//! at once (open contacts whose day has passed, and unanswered private messages). Nothing here
//! runs a query per participant.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Value};

use crate::alerts::rules::{CourseFrame, Facts, answer_within};
use crate::chat::rooms::statement;
use crate::content::delivery::ReleaseMode;
use crate::courses::schedule::{Schedule, helsinki_today};
use crate::entity::{contact, course, enrolment, user};
use crate::error::AppResult;
use crate::guidance::pace::helsinki_midnight;
use crate::guidance::service::{contact_counts, remote_minutes};
use crate::progress::service::course_list;

/// One course's frame and the facts of each enrolled participant (by user id).
pub struct CourseFacts {
    pub course_id: i32,
    pub frame: CourseFrame,
    pub participants: Vec<(i32, Facts)>,
}

/// Contact statuses that are still waiting to happen.
const OPEN_STATUSES: [&str; 3] = ["planned", "confirmed", "reschedule_requested"];

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
    let enrolled: Vec<(i32, i32)> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::CourseId)
        .column(enrolment::Column::ParticipantId)
        .filter(enrolment::Column::CourseId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let people: HashMap<uuid::Uuid, i32> = user::Entity::find()
        .select_only()
        .column(user::Column::Uuid)
        .column(user::Column::Id)
        .filter(user::Column::Id.is_in(enrolled.iter().map(|(_, p)| *p)))
        .into_tuple::<(uuid::Uuid, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let overdue = overdue_contacts(db, &ids, now).await?;
    let unanswered = unanswered_messages(db, &ids, now).await?;

    let mut out = Vec::with_capacity(courses.len());
    for (c, schedule) in courses {
        let per_course = course_facts(db, c, &people, now).await?;
        let frame = CourseFrame {
            schedule: *schedule,
            release: ReleaseMode::parse(&c.release_mode),
            total_modules: per_course.total_modules,
            inactive_days,
        };
        let participants = enrolled
            .iter()
            .filter(|(course_id, _)| *course_id == c.id)
            .map(|(_, pid)| {
                let mut f = per_course.facts.get(pid).copied().unwrap_or_default();
                f.contact_overdue = overdue.contains(&(c.id, *pid));
                f.message_unanswered = unanswered.contains(&(c.id, *pid));
                (*pid, f)
            })
            .collect();
        out.push(CourseFacts {
            course_id: c.id,
            frame,
            participants,
        });
    }
    Ok(out)
}

struct PerCourse {
    total_modules: usize,
    facts: HashMap<i32, Facts>,
}

/// Activity, modules, guidance minutes and contact counts of one course's participants, from the
/// course-wide reads of the progress list and the guidance totals.
async fn course_facts<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
    ids: &HashMap<uuid::Uuid, i32>,
    now: DateTime<Utc>,
) -> AppResult<PerCourse> {
    let mut facts: HashMap<i32, Facts> = HashMap::new();
    let mut total_modules = 0;
    // Without a program there is nothing to complete and no activity to see.
    if c.program_version_id.is_some() {
        for p in course_list(db, c, now).await? {
            let Some(pid) = ids.get(&p.participant.id) else {
                continue;
            };
            total_modules = p.total_modules;
            let f = facts.entry(*pid).or_default();
            f.last_active = p.last_seen_at;
            f.completed_modules = p.completed_modules;
        }
    }
    for (pid, minutes) in remote_minutes(db, c, None).await? {
        facts.entry(pid).or_default().remote_minutes = minutes;
    }
    for (pid, counts) in contact_counts(db, c, None).await? {
        let f = facts.entry(pid).or_default();
        f.interim_contacts = counts.interim_done + counts.interim_open;
        f.follow_up_contacts = counts.follow_up_done + counts.follow_up_open;
    }
    Ok(PerCourse {
        total_modules,
        facts,
    })
}

/// (course, participant) with an interim or follow-up contact still open after the Helsinki day
/// it was planned for: the guide records a contact on its day, so from the next midnight it is
/// overdue. One statement for all courses.
async fn overdue_contacts<C: ConnectionTrait>(
    db: &C,
    course_ids: &[i32],
    now: DateTime<Utc>,
) -> AppResult<HashSet<(i32, i32)>> {
    let rows: Vec<(i32, i32)> = contact::Entity::find()
        .select_only()
        .column(contact::Column::CourseId)
        .column(contact::Column::ParticipantId)
        .distinct()
        .filter(contact::Column::CourseId.is_in(course_ids.iter().copied()))
        .filter(contact::Column::Kind.is_in(["interim", "follow_up"]))
        .filter(contact::Column::Status.is_in(OPEN_STATUSES))
        .filter(contact::Column::PlannedAt.lt(helsinki_midnight(helsinki_today(now))))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// (course, participant) whose private thread with the team holds a message of the participant,
/// older than [`answer_within`], after which nobody of the team has written a message there. The
/// team's reply is any message (not deleted) by someone other than the participant: only the
/// course's staff can write in the thread. A message the participant deleted, or the guides hid,
/// waits for nothing. One statement for all courses.
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
