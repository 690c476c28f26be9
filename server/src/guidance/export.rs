//! The guidance ledger as a CSV file, for one course or for all of a provider's courses: every
//! entry (removed ones too, marked, for the ledger keeps them) with its professional, kind, time,
//! minutes, credited participants and note, whether it counts toward the 240 minutes, and why
//! not. One statement reads the entries with their names (the participants of an entry folded
//! into one value), one more the credited participants for the usage log, whatever the number
//! of entries.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Value};
use uuid::Uuid;

use crate::accounts::model::Language;
use crate::courses::schedule::Schedule;
use crate::db::{list_agg, select_all, split_list};
use crate::error::AppResult;
use crate::guidance::pace::in_remote_period;
use crate::http::csv::Csv;
use crate::i18n::{date_time, dated_file_name, t, yes_no};

/// Which entries: one course's, or every course's of a provider.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Course(i32),
    Provider(i32),
}

impl Scope {
    fn condition(self) -> (&'static str, Value) {
        match self {
            Scope::Course(id) => ("e.course_id = $1", id.into()),
            Scope::Provider(id) => ("c.provider_id = $1", id.into()),
        }
    }
}

#[derive(Debug, FromQueryResult)]
pub struct LedgerRow {
    pub uuid: Uuid,
    pub course_title: String,
    pub onsite1_start: NaiveDate,
    pub follow_up_end: Option<NaiveDate>,
    pub kind: String,
    pub started_at: DateTime<Utc>,
    pub minutes: i32,
    pub note: String,
    pub version: i32,
    pub voided_at: Option<DateTime<Utc>>,
    pub void_reason: Option<String>,
    pub professional: String,
    pub participants: Option<String>,
}

impl LedgerRow {
    fn outside_remote_period(&self) -> bool {
        Schedule::new(self.onsite1_start, self.follow_up_end)
            .map(|s| !in_remote_period(&s, self.started_at))
            .unwrap_or(true)
    }
}

/// The names an entry credits, in the order credited, folded into one value (`db::list_agg`).
fn names_sql(backend: DbBackend) -> String {
    format!(
        "(SELECT {} FROM (SELECT u.display_name AS name, gc.id AS n \
           FROM guidance_credits gc JOIN users u ON u.id = gc.participant_id \
           WHERE gc.entry_id = e.id ORDER BY gc.id) names)",
        list_agg(backend, "names.name")
    )
}

/// The entries in scope, by course and time.
pub async fn rows<C: ConnectionTrait>(db: &C, scope: Scope) -> AppResult<Vec<LedgerRow>> {
    let (condition, value) = scope.condition();
    let sql = format!(
        "SELECT e.uuid, c.title AS course_title, c.onsite1_start, c.follow_up_end, e.kind, \
           e.started_at, e.minutes, e.note, e.version, e.voided_at, e.void_reason, \
           p.display_name AS professional, {} AS participants \
         FROM guidance_entries e JOIN courses c ON c.id = e.course_id \
         JOIN users p ON p.id = e.professional_id \
         WHERE {condition} \
         ORDER BY c.onsite1_start, c.id, e.started_at, e.id",
        names_sql(db.get_database_backend())
    );
    Ok(select_all(db, &sql, vec![value]).await?)
}

#[derive(Debug, FromQueryResult)]
struct Subject {
    uuid: Uuid,
}

/// Every participant an entry in scope credits: whose data the export holds.
pub async fn credited<C: ConnectionTrait>(db: &C, scope: Scope) -> AppResult<Vec<Uuid>> {
    let (condition, value) = scope.condition();
    let sql = format!(
        "SELECT DISTINCT u.uuid FROM guidance_credits gc \
         JOIN guidance_entries e ON e.id = gc.entry_id \
         JOIN courses c ON c.id = e.course_id \
         JOIN users u ON u.id = gc.participant_id \
         WHERE {condition}"
    );
    let rows: Vec<Subject> = select_all(db, &sql, vec![value]).await?;
    Ok(rows.into_iter().map(|s| s.uuid).collect())
}

/// The columns, as message keys `overview.ledger.<name>`; `course` only for a provider's file.
const COLUMNS: [&str; 11] = [
    "course",
    "started",
    "professional",
    "kind",
    "minutes",
    "participants",
    "counted",
    "outside",
    "removed",
    "note",
    "entry",
];

pub fn csv(lang: Language, rows: &[LedgerRow], with_course: bool) -> Csv {
    let skip = usize::from(!with_course);
    let header: Vec<String> = COLUMNS[skip..]
        .iter()
        .map(|c| t(lang, &format!("overview.ledger.{c}")))
        .collect();
    let mut file = Csv::new(&header);
    for r in rows {
        let outside = r.outside_remote_period();
        let participants = split_list(r.participants.as_deref())
            .collect::<Vec<_>>()
            .join(", ");
        let removed = match (r.voided_at, &r.void_reason) {
            (Some(_), Some(reason)) => reason.clone(),
            (Some(_), None) => yes_no(lang, true),
            (None, _) => String::new(),
        };
        let cells = [
            r.course_title.clone(),
            date_time(lang, r.started_at),
            r.professional.clone(),
            t(lang, &format!("meetings.entry_kind.{}", r.kind)),
            r.minutes.to_string(),
            participants,
            yes_no(lang, !outside && r.voided_at.is_none()),
            yes_no(lang, outside),
            removed,
            r.note.clone(),
            format!("{} v{}", r.uuid, r.version),
        ];
        file.row(&cells[skip..]);
    }
    file
}

/// `ohjaus-2026-03-02.csv`, `handledning-…`, `guidance-…`.
pub fn file_name(lang: Language, today: NaiveDate) -> String {
    dated_file_name(lang, ["ohjaus", "handledning", "guidance"], today)
}
