//! Alerts in the database: the evaluation pass that opens and closes them as the facts change,
//! the course's list for its staff, acknowledging with a note, and the open alerts of many
//! courses for the monitoring view.
//!
//! Lifecycle: an alert opens when its fact starts to hold and closes (`closed_at`) when it stops.
//! Acknowledging keeps it open (it still holds) with who, when and the note. A closed alert is
//! never reopened: when the fact comes back, a new row opens. A partial unique index allows one
//! open row per course, participant and kind, so two passes at once cannot open it twice.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::accounts::service::users_by_id;
use crate::alerts::facts;
use crate::alerts::model::{
    AckNote, Acknowledgement, AlertKind, AlertView, CourseAlerts, OpenAlert,
};
use crate::alerts::rules::{course_in_scope, due};
use crate::chat::rooms::statement;
use crate::courses::model::CourseState;
use crate::courses::schedule::helsinki_today;
use crate::courses::service::schedule_of;
use crate::enrolment::service::enrolled_ids;
use crate::entity::{alert, course, user};
use crate::error::{AppError, AppResult};
use crate::guidance::model::Person;

/// Closed alerts stay on the course's list this long, so a guide sees what resolved itself.
pub fn closed_shown_for() -> Duration {
    Duration::days(14)
}

/// Rows per insert or update statement: far below SQLite's and PostgreSQL's parameter limits.
const CHUNK: usize = 500;

/// What one evaluation pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Evaluation {
    /// Courses whose participants were evaluated.
    pub courses: usize,
    pub opened: usize,
    pub closed: usize,
}

type Key = (i32, i32, AlertKind);

/// Opens the alerts that hold at `now` and closes the open ones that no longer do, for every
/// course from on-site period 1 until its follow-up window closes (finished, cancelled and past
/// courses have all their alerts closed). The statements are: the courses, the facts (a fixed
/// number per course in scope, see `alerts::facts`), the open alerts, and the inserts and
/// updates in chunks.
pub async fn evaluate<C: ConnectionTrait>(
    db: &C,
    inactive_days: u32,
    now: DateTime<Utc>,
) -> AppResult<Evaluation> {
    let today = helsinki_today(now);
    let candidates = course::Entity::find()
        .filter(course::Column::State.is_in([
            CourseState::Planned.as_str(),
            CourseState::Confirmed.as_str(),
            CourseState::Running.as_str(),
        ]))
        .filter(course::Column::Onsite1Start.lte(today))
        .all(db)
        .await?;
    let mut in_scope = Vec::with_capacity(candidates.len());
    for c in candidates {
        let schedule = schedule_of(&c)?;
        if course_in_scope(&schedule, now) {
            in_scope.push((c, schedule));
        }
    }
    let mut wanted: HashSet<Key> = HashSet::new();
    for course in facts::read(db, &in_scope, inactive_days, now).await? {
        for (pid, f) in &course.participants {
            for kind in due(&course.frame, f, now) {
                wanted.insert((course.course_id, *pid, kind));
            }
        }
    }

    let open: Vec<(i32, i32, i32, String)> = alert::Entity::find()
        .select_only()
        .column(alert::Column::Id)
        .column(alert::Column::CourseId)
        .column(alert::Column::ParticipantId)
        .column(alert::Column::Kind)
        .filter(alert::Column::ClosedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let mut already: HashSet<Key> = HashSet::with_capacity(open.len());
    let mut to_close = Vec::new();
    for (id, course_id, pid, kind) in open {
        match AlertKind::parse(&kind) {
            Some(k) if wanted.contains(&(course_id, pid, k)) => {
                already.insert((course_id, pid, k));
            }
            _ => to_close.push(id),
        }
    }
    let mut to_open: Vec<Key> = wanted.difference(&already).copied().collect();
    to_open.sort();

    let mut closed = 0;
    for ids in to_close.chunks(CHUNK) {
        let res = alert::Entity::update_many()
            .col_expr(alert::Column::ClosedAt, now.into())
            .filter(alert::Column::Id.is_in(ids.iter().copied()))
            .filter(alert::Column::ClosedAt.is_null())
            .exec(db)
            .await?;
        closed += usize::try_from(res.rows_affected).unwrap_or(0);
    }
    let mut opened = 0;
    for keys in to_open.chunks(CHUNK) {
        let rows = keys
            .iter()
            .map(|(course_id, pid, kind)| alert::ActiveModel {
                uuid: Set(Uuid::new_v4()),
                course_id: Set(*course_id),
                participant_id: Set(*pid),
                kind: Set(kind.as_str().to_owned()),
                opened_at: Set(now),
                ..Default::default()
            });
        // A pass running at the same time may have opened some already (the partial unique
        // index); those are skipped, not errors.
        let res = alert::Entity::insert_many(rows)
            .on_conflict(OnConflict::new().do_nothing().to_owned())
            .exec_without_returning(db)
            .await?;
        opened += usize::try_from(res).unwrap_or(0);
    }
    Ok(Evaluation {
        courses: in_scope.len(),
        opened,
        closed,
    })
}

fn view_of(a: &alert::Model, people: &HashMap<i32, user::Model>) -> AlertView {
    AlertView {
        id: a.uuid,
        kind: AlertKind::parse(&a.kind).unwrap_or(AlertKind::Inactive),
        participant: Person::of(people.get(&a.participant_id)),
        opened_at: a.opened_at,
        closed_at: a.closed_at,
        acknowledged: match (a.acknowledged_at, a.acknowledged_by) {
            (Some(at), Some(by)) => Some(Acknowledgement {
                at,
                by: Person::of(people.get(&by)),
                note: a.ack_note.clone().unwrap_or_default(),
            }),
            _ => None,
        },
    }
}

/// The course's open alerts and those closed in the last 14 days, about its enrolled
/// participants: open first, then newest first. Returns the view and the participants it is about
/// (for the usage log). Four statements.
pub async fn course_alerts<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
    inactive_days: u32,
    now: DateTime<Utc>,
) -> AppResult<(CourseAlerts, Vec<Uuid>)> {
    // Staff see alerts only about the participants enrolled now.
    let enrolled = enrolled_ids(db, c.id).await?;
    let rows = alert::Entity::find()
        .filter(alert::Column::CourseId.eq(c.id))
        .filter(alert::Column::ParticipantId.is_in(enrolled))
        .filter(
            Condition::any()
                .add(alert::Column::ClosedAt.is_null())
                .add(alert::Column::ClosedAt.gte(now - closed_shown_for())),
        )
        .order_by_desc(alert::Column::OpenedAt)
        .order_by_desc(alert::Column::Id)
        .all(db)
        .await?;
    let people = users_by_id(
        db,
        rows.iter()
            .flat_map(|a| [Some(a.participant_id), a.acknowledged_by])
            .flatten(),
    )
    .await?;
    let mut alerts: Vec<AlertView> = rows.iter().map(|a| view_of(a, &people)).collect();
    // Open ones first; the sort is stable, so each group stays newest first.
    alerts.sort_by_key(|a| a.closed_at.is_some());
    let mut subjects: Vec<Uuid> = alerts.iter().map(|a| a.participant.id).collect();
    subjects.sort_unstable();
    subjects.dedup();
    Ok((
        CourseAlerts {
            inactive_days,
            alerts,
        },
        subjects,
    ))
}

/// Acknowledges an open alert of the course with the guide's note. An unknown alert, or one of
/// another course or about someone no longer enrolled, is a 404; a closed one is `alert_closed`,
/// one already acknowledged `alert_acknowledged` (both 409, nothing changed). Returns the alert
/// and its participant.
pub async fn acknowledge(
    db: &DatabaseConnection,
    c: &course::Model,
    alert_id: Uuid,
    actor_id: i32,
    note: AckNote,
    now: DateTime<Utc>,
) -> AppResult<(AlertView, Uuid)> {
    // Staff see alerts only about the participants enrolled now.
    let enrolled = enrolled_ids(db, c.id).await?;
    let find = || {
        alert::Entity::find()
            .filter(alert::Column::Uuid.eq(alert_id))
            .filter(alert::Column::CourseId.eq(c.id))
            .filter(alert::Column::ParticipantId.is_in(enrolled.iter().copied()))
            .one(db)
    };
    let found = find().await?.ok_or(AppError::NotFound)?;
    check_open(&found)?;
    // Only an open, unacknowledged row changes: a pass closing it, or another guide
    // acknowledging it, between the read and the write wins, and this one says so.
    let res = alert::Entity::update_many()
        .col_expr(alert::Column::AcknowledgedAt, now.into())
        .col_expr(alert::Column::AcknowledgedBy, actor_id.into())
        .col_expr(alert::Column::AckNote, note.as_str().into())
        .filter(alert::Column::Id.eq(found.id))
        .filter(alert::Column::ClosedAt.is_null())
        .filter(alert::Column::AcknowledgedAt.is_null())
        .exec(db)
        .await?;
    let now_row = find().await?.ok_or(AppError::NotFound)?;
    if res.rows_affected == 0 {
        check_open(&now_row)?;
    }
    let people = users_by_id(db, [now_row.participant_id, actor_id]).await?;
    let view = view_of(&now_row, &people);
    let subject = view.participant.id;
    Ok((view, subject))
}

fn check_open(a: &alert::Model) -> AppResult<()> {
    if a.closed_at.is_some() {
        return Err(AppError::conflict(
            "alert_closed",
            "the alert has closed by itself: its reason no longer holds",
        ));
    }
    if a.acknowledged_at.is_some() {
        return Err(AppError::conflict(
            "alert_acknowledged",
            "the alert has already been acknowledged",
        ));
    }
    Ok(())
}

/// The open alerts of `course_ids`, oldest first, for the guide's monitoring view: one statement.
pub async fn open_alerts<C: ConnectionTrait>(
    db: &C,
    course_ids: &[i32],
) -> AppResult<Vec<OpenAlert>> {
    if course_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = alert::Entity::find()
        .filter(alert::Column::CourseId.is_in(course_ids.iter().copied()))
        .filter(alert::Column::ClosedAt.is_null())
        .order_by_asc(alert::Column::OpenedAt)
        .order_by_asc(alert::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|a| {
            Some(OpenAlert {
                id: a.uuid,
                course_id: a.course_id,
                participant_id: a.participant_id,
                kind: AlertKind::parse(&a.kind)?,
                opened_at: a.opened_at,
                acknowledged: a.acknowledged_at.is_some(),
            })
        })
        .collect())
}

/// Open alerts of one course for one member of its team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TeamCount {
    pub user_id: i32,
    pub course_id: i32,
    pub open: u64,
    /// Of those, not acknowledged yet.
    pub unacknowledged: u64,
}

/// Open alerts per course and member of its team, for the guides' weekly digest: one statement
/// for every team.
pub async fn open_counts_per_team_member<C: ConnectionTrait>(db: &C) -> AppResult<Vec<TeamCount>> {
    let sql = "SELECT t.user_id, a.course_id, COUNT(a.id) AS open_alerts, \
                      SUM(CASE WHEN a.acknowledged_at IS NULL THEN 1 ELSE 0 END) AS unacknowledged \
               FROM alerts a JOIN team_members t ON t.course_id = a.course_id \
               WHERE a.closed_at IS NULL \
                 AND a.participant_id IN \
                     (SELECT e.participant_id FROM enrolments e WHERE e.course_id = a.course_id) \
               GROUP BY t.user_id, a.course_id \
               ORDER BY t.user_id, a.course_id";
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), sql, Vec::new()))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let open: i64 = row.try_get("", "open_alerts")?;
        let unacknowledged: i64 = row.try_get("", "unacknowledged")?;
        out.push(TeamCount {
            user_id: row.try_get("", "user_id")?,
            course_id: row.try_get("", "course_id")?,
            open: u64::try_from(open).unwrap_or(0),
            unacknowledged: u64::try_from(unacknowledged).unwrap_or(0),
        });
    }
    Ok(out)
}
