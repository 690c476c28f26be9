//! One participant's timeline for the staff: program use per day, completed items, submitted
//! answers, task logs, chat messages, contacts and guidance, newest first. Each source is one
//! statement capped at [`PER_SOURCE`] rows, so the page costs the same after twelve weeks as on
//! the first day.

use chrono::{DateTime, NaiveDate, Utc};
use etapolku_content::model::Localized;
use sea_orm::{ConnectionTrait, QueryResult, Value};
use serde::Serialize;
use utoipa::ToSchema;

use crate::chat::rooms::statement;
use crate::entity::{course, user};
use crate::error::AppResult;
use crate::progress::outline::outline_of;

/// The newest rows read from each source.
const PER_SOURCE: u64 = 60;
/// The newest events sent.
const SHOWN: usize = 150;
/// Chat messages are shown up to this many characters (the whole text is in the chat).
const MESSAGE_PREVIEW_CHARS: usize = 280;

/// What happened.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// Used the program on a Helsinki day.
    Active { day: NaiveDate, minutes: i64 },
    /// Completed a content item.
    Completed {
        item_id: String,
        module_number: Option<usize>,
        #[schema(value_type = Vec<Vec<String>>)]
        title: Option<Localized>,
    },
    /// Submitted the answers of an exercise.
    Answered {
        item_id: String,
        module_number: i32,
        #[schema(value_type = Vec<Vec<String>>)]
        title: Option<Localized>,
    },
    /// Logged a self-rehabilitation task done or not done.
    TaskLog {
        task: String,
        date: NaiveDate,
        done: bool,
        rating: Option<i32>,
        note: Option<String>,
    },
    /// Wrote in the group discussion or the private thread with the team.
    Message {
        room: String,
        text: String,
        hidden: bool,
    },
    /// A contact with the team: its kind, method and state.
    Contact {
        contact_kind: String,
        method: String,
        status: String,
    },
    /// Guidance credited to the participant.
    Guidance {
        guidance_kind: String,
        minutes: i32,
        professional: String,
    },
}

/// One event at its time.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimelineEvent {
    pub at: DateTime<Utc>,
    pub event: Event,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Timeline {
    pub events: Vec<TimelineEvent>,
    /// True when older events exist than those sent.
    pub truncated: bool,
}

/// The events read so far, and whether any source had more than it gave.
#[derive(Default)]
struct Collected {
    events: Vec<TimelineEvent>,
    full: bool,
}

impl Collected {
    /// Reads one source, its newest [`PER_SOURCE`] rows, each turned into an event by `event`.
    async fn add<C: ConnectionTrait>(
        &mut self,
        db: &C,
        sql: &str,
        values: Vec<Value>,
        event: impl Fn(&QueryResult) -> AppResult<TimelineEvent>,
    ) -> AppResult<()> {
        let sql = format!("{sql} LIMIT {PER_SOURCE}");
        let rows = db
            .query_all_raw(statement(db.get_database_backend(), &sql, values))
            .await?;
        self.full |= rows.len() as u64 >= PER_SOURCE;
        for r in &rows {
            self.events.push(event(r)?);
        }
        Ok(())
    }
}

/// The participant's timeline on the course.
pub async fn of<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
    person: &user::Model,
) -> AppResult<Timeline> {
    let outline = outline_of(db, c).await?;
    let both = || -> Vec<Value> { vec![person.id.into(), c.id.into()] };
    let title = |item: &str| outline.find(item).map(|(m, i)| (m.number, i.title.clone()));
    let mut all = Collected::default();

    all.add(
        db,
        "SELECT day, visible_seconds, last_seen_at FROM activity_days \
         WHERE participant_id = ? AND course_id = ? ORDER BY day DESC",
        both(),
        |r| {
            let seconds: i64 = r.try_get("", "visible_seconds")?;
            Ok(TimelineEvent {
                at: r.try_get("", "last_seen_at")?,
                event: Event::Active {
                    day: r.try_get("", "day")?,
                    minutes: seconds / 60,
                },
            })
        },
    )
    .await?;

    all.add(
        db,
        "SELECT item_id, completed_at FROM item_progress \
         WHERE participant_id = ? AND course_id = ? AND completed_at IS NOT NULL \
         ORDER BY completed_at DESC",
        both(),
        |r| {
            let item_id: String = r.try_get("", "item_id")?;
            let found = title(&item_id);
            Ok(TimelineEvent {
                at: r.try_get("", "completed_at")?,
                event: Event::Completed {
                    module_number: found.as_ref().map(|f| f.0),
                    title: found.map(|f| f.1),
                    item_id,
                },
            })
        },
    )
    .await?;

    all.add(
        db,
        "SELECT a.item_id, a.module_number, s.submitted_at FROM answer_submissions s \
         JOIN exercise_answers a ON a.id = s.answer_id \
         WHERE a.participant_id = ? AND a.course_id = ? ORDER BY s.submitted_at DESC",
        both(),
        |r| {
            let item_id: String = r.try_get("", "item_id")?;
            Ok(TimelineEvent {
                at: r.try_get("", "submitted_at")?,
                event: Event::Answered {
                    title: title(&item_id).map(|f| f.1),
                    module_number: r.try_get("", "module_number")?,
                    item_id,
                },
            })
        },
    )
    .await?;

    all.add(
        db,
        "SELECT t.title, l.date, l.done, l.rating, l.note, l.updated_at FROM selfrehab_logs l \
         JOIN selfrehab_tasks t ON t.id = l.task_id \
         WHERE t.participant_id = ? AND t.course_id = ? ORDER BY l.updated_at DESC",
        both(),
        |r| {
            Ok(TimelineEvent {
                at: r.try_get("", "updated_at")?,
                event: Event::TaskLog {
                    task: r.try_get("", "title")?,
                    date: r.try_get("", "date")?,
                    done: r.try_get("", "done")?,
                    rating: r.try_get("", "rating")?,
                    note: r.try_get("", "note")?,
                },
            })
        },
    )
    .await?;

    all.add(
        db,
        "SELECT r.kind AS room, m.body, m.created_at, m.hidden_at FROM chat_messages m \
         JOIN chat_rooms r ON r.id = m.room_id \
         WHERE m.sender_id = ? AND r.course_id = ? AND m.kind = 'message' \
           AND m.deleted_at IS NULL ORDER BY m.created_at DESC",
        both(),
        |r| {
            let body: String = r.try_get("", "body")?;
            let hidden: Option<DateTime<Utc>> = r.try_get("", "hidden_at")?;
            Ok(TimelineEvent {
                at: r.try_get("", "created_at")?,
                event: Event::Message {
                    room: r.try_get("", "room")?,
                    text: body.chars().take(MESSAGE_PREVIEW_CHARS).collect(),
                    hidden: hidden.is_some(),
                },
            })
        },
    )
    .await?;

    all.add(
        db,
        "SELECT kind, method, status, planned_at FROM contacts \
         WHERE participant_id = ? AND course_id = ? ORDER BY planned_at DESC",
        both(),
        |r| {
            Ok(TimelineEvent {
                at: r.try_get("", "planned_at")?,
                event: Event::Contact {
                    contact_kind: r.try_get("", "kind")?,
                    method: r.try_get("", "method")?,
                    status: r.try_get("", "status")?,
                },
            })
        },
    )
    .await?;

    all.add(
        db,
        "SELECT e.kind, e.minutes, e.started_at, u.display_name FROM guidance_entries e \
         JOIN guidance_credits gc ON gc.entry_id = e.id \
         JOIN users u ON u.id = e.professional_id \
         WHERE gc.participant_id = ? AND e.course_id = ? AND e.voided_at IS NULL \
         ORDER BY e.started_at DESC",
        both(),
        |r| {
            Ok(TimelineEvent {
                at: r.try_get("", "started_at")?,
                event: Event::Guidance {
                    guidance_kind: r.try_get("", "kind")?,
                    minutes: r.try_get("", "minutes")?,
                    professional: r.try_get("", "display_name")?,
                },
            })
        },
    )
    .await?;

    let Collected { mut events, full } = all;
    events.sort_by_key(|e| std::cmp::Reverse(e.at));
    let truncated = full || events.len() > SHOWN;
    events.truncate(SHOWN);
    Ok(Timeline { events, truncated })
}
