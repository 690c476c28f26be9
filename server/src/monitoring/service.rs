//! The monitoring rows of one course, from a fixed number of statements whatever the number of
//! participants: the enrolled people, progress (two), last activity (one), task adherence (two),
//! guidance minutes (one), contact counts (one), open contacts (one) and unread private messages
//! (one).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Value};

use crate::alerts::service::open_alerts;
use crate::chat::rooms::{private_unread, statement};
use crate::contacts::model::Status;
use crate::content::delivery::ReleaseMode;
use crate::courses::schedule::helsinki_today;
use crate::courses::service::schedule_of;
use crate::enrolment::service::enrolled_people;
use crate::entity::{contact, course};
use crate::error::AppResult;
use crate::guidance::model::{ContactCounts, INTERIM_REQUIRED};
use crate::guidance::pace::{self, REQUIRED_MINUTES};
use crate::guidance::service::{contact_counts, remote_minutes};
use crate::monitoring::model::{
    AlertFlag, CourseMonitoring, GuidanceRow, MonitoringRow, OpenContacts, ProgramRow,
};
use crate::progress::pace::{PACE_TEXT, program_pace};
use crate::progress::rules::RuleText;
use crate::progress::service::course_list_of;
use crate::selfrehab::service::course_adherence;

/// Every enrolled participant's row, by name. `viewer` counts the unread private messages of that
/// staff member (none for a provider admin, who is in no room).
pub async fn course_rows<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
    viewer: Option<i32>,
    now: DateTime<Utc>,
) -> AppResult<Vec<MonitoringRow>> {
    let schedule = schedule_of(c)?;
    let today = helsinki_today(now);
    let release = ReleaseMode::parse(&c.release_mode);
    let people = enrolled_people(db, c).await?;
    let ids: Vec<i32> = people.iter().map(|p| p.id).collect();
    let progress = course_list_of(db, c, people, now).await?;
    let active = last_active(db, c.id).await?;
    let tasks = course_adherence(db, c.id, today).await?;
    let minutes = remote_minutes(db, c, None).await?;
    let contacts = contact_counts(db, c, None).await?;
    let open = open_contacts(db, c.id, now).await?;
    let unread = match viewer {
        Some(v) => private_unread(db, c.id, v).await?,
        None => HashMap::new(),
    };
    Ok(ids
        .into_iter()
        .zip(progress)
        .map(|(id, p)| {
            // Program use comes with the progress rows; chat and task logs from `last_active`.
            let last_active_at = active.get(&id).copied().max(p.last_seen_at);
            let mins = minutes.get(&id).copied().unwrap_or(0);
            MonitoringRow {
                participant_id: id,
                participant: p.participant,
                last_active_at,
                inactive_days: last_active_at
                    .map(|at| (today - helsinki_today(at)).num_days().max(0)),
                active_days_this_week: p.active_days_this_week,
                program: {
                    let pp = program_pace(
                        &schedule,
                        release,
                        p.total_modules,
                        p.completed_modules,
                        today,
                    );
                    ProgramRow {
                        completed_modules: p.completed_modules,
                        total_modules: p.total_modules,
                        completed_items: p.completed_items,
                        total_items: p.total_items,
                        expected_modules: pp.expected_modules,
                        on_pace: pp.on_pace,
                    }
                },
                tasks: tasks.get(&id).copied().unwrap_or_default(),
                guidance: GuidanceRow {
                    remote_minutes: mins,
                    required_minutes: REQUIRED_MINUTES,
                    pace: pace::pace(&schedule, now, mins),
                },
                contacts: contacts.get(&id).copied().unwrap_or(ContactCounts {
                    interim_required: INTERIM_REQUIRED,
                    ..ContactCounts::default()
                }),
                open_contacts: open.get(&id).copied().unwrap_or_default(),
                unread_private: unread.get(&id).copied().unwrap_or(0),
                open_alerts: Vec::new(),
            }
        })
        .collect())
}

/// The whole view: the course's phase and week, the pace rules in words, and the rows with their
/// open alerts (one statement more).
pub async fn course_view<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
    viewer: Option<i32>,
    inactive_days_limit: u32,
    now: DateTime<Utc>,
) -> AppResult<CourseMonitoring> {
    let schedule = schedule_of(c)?;
    let today = helsinki_today(now);
    let phase = schedule.phase_on(today);
    let mut participants = course_rows(db, c, viewer, now).await?;
    let mut alerts: HashMap<i32, Vec<AlertFlag>> = HashMap::new();
    for a in open_alerts(db, &[c.id]).await? {
        alerts.entry(a.participant_id).or_default().push(AlertFlag {
            kind: a.kind,
            acknowledged: a.acknowledged,
        });
    }
    for row in &mut participants {
        row.open_alerts = alerts.remove(&row.participant_id).unwrap_or_default();
    }
    Ok(CourseMonitoring {
        inactive_days_limit,
        phase: phase.code(),
        remote_week: phase.remote_week(),
        today,
        rules: vec![
            RuleText {
                kind: "program_pace",
                text: PACE_TEXT,
            },
            RuleText {
                kind: "guidance_pace",
                text: pace::PACE_TEXT,
            },
        ],
        participants,
    })
}

/// The last time each participant of the course wrote in the course's chat or logged a task (one
/// statement; program use is in the progress rows already).
async fn last_active<C: ConnectionTrait>(
    db: &C,
    course_id: i32,
) -> AppResult<HashMap<i32, DateTime<Utc>>> {
    let sql = "SELECT pid, MAX(at) AS at FROM ( \
           SELECT m.sender_id AS pid, m.created_at AS at FROM chat_messages m \
             JOIN chat_rooms r ON r.id = m.room_id \
             WHERE r.course_id = ? AND m.kind = 'message' \
           UNION ALL \
           SELECT t.participant_id, l.updated_at FROM selfrehab_logs l \
             JOIN selfrehab_tasks t ON t.id = l.task_id WHERE t.course_id = ? \
         ) a GROUP BY pid";
    let values: Vec<Value> = vec![course_id.into(), course_id.into()];
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), sql, values))
        .await?;
    let mut out = HashMap::with_capacity(rows.len());
    for row in rows {
        out.insert(row.try_get("", "pid")?, row.try_get("", "at")?);
    }
    Ok(out)
}

/// Each participant's open contacts: the next planned time and how many are already over
/// (one query over the open ones, a handful per participant).
async fn open_contacts<C: ConnectionTrait>(
    db: &C,
    course_id: i32,
    now: DateTime<Utc>,
) -> AppResult<HashMap<i32, OpenContacts>> {
    let open: Vec<&str> = [
        Status::Planned,
        Status::Confirmed,
        Status::RescheduleRequested,
    ]
    .into_iter()
    .map(Status::as_str)
    .collect();
    let rows: Vec<(i32, DateTime<Utc>, i32)> = contact::Entity::find()
        .select_only()
        .column(contact::Column::ParticipantId)
        .column(contact::Column::PlannedAt)
        .column(contact::Column::PlannedMinutes)
        .filter(contact::Column::CourseId.eq(course_id))
        .filter(contact::Column::Status.is_in(open))
        .into_tuple()
        .all(db)
        .await?;
    let mut out: HashMap<i32, OpenContacts> = HashMap::new();
    for (pid, at, minutes) in rows {
        let o = out.entry(pid).or_default();
        if at + chrono::Duration::minutes(i64::from(minutes)) < now {
            o.overdue += 1;
        } else if o.next_at.is_none_or(|n| at < n) {
            o.next_at = Some(at);
        }
    }
    Ok(out)
}
