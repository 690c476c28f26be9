//! The facts of the overview for all of a provider's courses at once: a fixed number of
//! statements, each grouped over every course and participant, whatever their number.
//!
//! 1. the courses with their site and program version;
//! 2. the enrolled participants with their decision dates and the ids of the items they have
//!    completed, folded into one value per participant (as the home reads them), so the rows are
//!    one per participant, not one per item;
//! 3. the team members' professions (R-TEAM);
//! 4. the interim and follow-up contacts by kind and status, with the last one's time;
//! 5. the first and last measurement day per participant (R-REPORT-31-3);
//! 6. the remote-period guidance minutes per participant, each course's remote window given as a
//!    `VALUES` table (the window is Helsinki midnight to Helsinki midnight, which SQL cannot work
//!    out portably).
//!
//! Completed modules are counted from the items by `progress::service::module_counts` against
//! the version's outline, which comes from `progress::outline`'s cache: one query per distinct
//! program version on a miss, none on a hit, so their number is bounded by the versions in use,
//! not by the courses.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult, Statement, Value};
use uuid::Uuid;

use crate::accounts::model::CourseLanguage;
use crate::content::delivery::ReleaseMode;
use crate::courses::model::CourseState;
use crate::courses::schedule::{Schedule, helsinki_today};
use crate::courses::service::schedule_of;
use crate::db::{for_backend, list_agg, select_all, split_list};
use crate::entity::course;
use crate::error::AppResult;
use crate::guidance::model::ContactCounts;
use crate::guidance::pace::remote_window;
use crate::overview::checks;
use crate::overview::model::{CourseOverview, Overview, ParticipantOverview};
use crate::progress::outline::{Outline, outline_of_version};
use crate::progress::rules::program_count;
use crate::progress::service::module_counts;
use crate::team::composition::{TeamMemberFacts, check_team};
use crate::team::service::member_facts;

/// The ids of the provider's courses that count: every one but the cancelled. `$1` the provider,
/// `$2` the cancelled state; every statement below starts from it.
const COURSES: &str = "SELECT pc.id FROM courses pc WHERE pc.provider_id = $1 AND pc.state <> $2";

fn course_filter(provider_id: i32) -> Vec<Value> {
    vec![provider_id.into(), CourseState::Cancelled.as_str().into()]
}

struct CourseRow {
    course: course::Model,
    site: String,
    version_uuid: Option<Uuid>,
}

#[derive(Debug, FromQueryResult)]
struct PersonRow {
    course_id: i32,
    decision_date: NaiveDate,
    id: i32,
    uuid: Uuid,
    display_name: String,
    /// The completed items' ids, folded into one value (`db::list_agg`).
    done_items: Option<String>,
}

#[derive(Debug, FromQueryResult)]
struct TeamRow {
    course_id: i32,
    service_manager: bool,
    profession: Option<String>,
}

#[derive(Debug, FromQueryResult)]
struct ContactRow {
    course_id: i32,
    participant_id: i32,
    kind: String,
    status: String,
    n: i64,
    last_at: DateTime<Utc>,
}

#[derive(Debug, FromQueryResult)]
struct MeasureRow {
    course_id: i32,
    participant_id: i32,
    first_on: NaiveDate,
    last_on: NaiveDate,
}

#[derive(Debug, FromQueryResult)]
struct SumRow {
    course_id: i32,
    participant_id: i32,
    n: i64,
}

async fn courses<C: ConnectionTrait>(db: &C, provider_id: i32) -> AppResult<Vec<CourseRow>> {
    let backend = db.get_database_backend();
    let text = format!(
        "SELECT c.*, s.name AS ov_site, pv.uuid AS ov_version_uuid \
         FROM courses c JOIN sites s ON s.id = c.site_id \
         LEFT JOIN program_versions pv ON pv.id = c.program_version_id \
         WHERE c.id IN ({COURSES}) \
         ORDER BY c.onsite1_start, c.title, c.id"
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            for_backend(backend, &text),
            course_filter(provider_id),
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(CourseRow {
                course: course::Model::from_query_result(r, "")?,
                site: r.try_get("", "ov_site")?,
                version_uuid: r.try_get("", "ov_version_uuid")?,
            })
        })
        .collect()
}

/// Guidance minutes per (course, participant) inside each course's remote window, not removed.
async fn minutes<C: ConnectionTrait>(
    db: &C,
    windows: &[(i32, DateTime<Utc>, DateTime<Utc>)],
) -> AppResult<HashMap<(i32, i32), i64>> {
    if windows.is_empty() {
        return Ok(HashMap::new());
    }
    let mut values: Vec<Value> = Vec::with_capacity(windows.len() * 3);
    let mut rows = Vec::with_capacity(windows.len());
    for (course_id, start, end) in windows {
        let n = values.len();
        rows.push(format!("(${}, ${}, ${})", n + 1, n + 2, n + 3));
        values.extend([(*course_id).into(), (*start).into(), (*end).into()]);
    }
    let text = format!(
        "WITH w(course_id, start_at, end_at) AS (VALUES {}) \
         SELECT e.course_id, gc.participant_id, SUM(e.minutes) AS n \
         FROM w JOIN guidance_entries e ON e.course_id = w.course_id \
           AND e.started_at >= w.start_at AND e.started_at < w.end_at \
         JOIN guidance_credits gc ON gc.entry_id = e.id \
         WHERE e.voided_at IS NULL \
         GROUP BY e.course_id, gc.participant_id",
        rows.join(", ")
    );
    let sums: Vec<SumRow> = select_all(db, &text, values).await?;
    Ok(sums
        .into_iter()
        .map(|r| ((r.course_id, r.participant_id), r.n))
        .collect())
}

/// Complete modules, as the progress views count them (`module_counts`, `program_count`).
fn completed_modules(outline: &Outline, done_items: Option<&str>) -> usize {
    let done: HashSet<&str> = split_list(done_items).collect();
    program_count(&module_counts(outline, &done)).completed_modules
}

async fn people<C: ConnectionTrait>(db: &C, provider_id: i32) -> AppResult<Vec<PersonRow>> {
    let sql = format!(
        "SELECT e.course_id, e.decision_date, u.id, u.uuid, u.display_name, \
           (SELECT {} FROM item_progress ip WHERE ip.participant_id = e.participant_id \
             AND ip.course_id = e.course_id AND ip.completed_at IS NOT NULL) AS done_items \
         FROM enrolments e JOIN users u ON u.id = e.participant_id \
         WHERE e.course_id IN ({COURSES}) \
         ORDER BY u.display_name, u.id",
        list_agg(db.get_database_backend(), "ip.item_id")
    );
    Ok(select_all(db, &sql, course_filter(provider_id)).await?)
}

async fn team<C: ConnectionTrait>(db: &C, provider_id: i32) -> AppResult<Vec<TeamRow>> {
    let sql = format!(
        "SELECT tm.course_id, tm.service_manager, u.profession \
         FROM team_members tm JOIN users u ON u.id = tm.user_id \
         WHERE tm.course_id IN ({COURSES})"
    );
    Ok(select_all(db, &sql, course_filter(provider_id)).await?)
}

async fn contacts<C: ConnectionTrait>(db: &C, provider_id: i32) -> AppResult<Vec<ContactRow>> {
    let sql = format!(
        "SELECT ct.course_id, ct.participant_id, ct.kind, ct.status, COUNT(*) AS n, \
           MAX(ct.planned_at) AS last_at \
         FROM contacts ct WHERE ct.course_id IN ({COURSES}) \
         GROUP BY ct.course_id, ct.participant_id, ct.kind, ct.status"
    );
    Ok(select_all(db, &sql, course_filter(provider_id)).await?)
}

async fn measures<C: ConnectionTrait>(db: &C, provider_id: i32) -> AppResult<Vec<MeasureRow>> {
    let sql = format!(
        "SELECT m.course_id, m.participant_id, MIN(m.measured_on) AS first_on, \
           MAX(m.measured_on) AS last_on \
         FROM measures m WHERE m.course_id IN ({COURSES}) \
         GROUP BY m.course_id, m.participant_id"
    );
    Ok(select_all(db, &sql, course_filter(provider_id)).await?)
}

/// The overview of every course of the provider on `now` (see the module's notes for the
/// statements it takes).
pub async fn overview<C: ConnectionTrait>(
    db: &C,
    provider_id: i32,
    now: DateTime<Utc>,
) -> AppResult<Overview> {
    let today = helsinki_today(now);
    let courses = courses(db, provider_id).await?;
    let mut schedules: HashMap<i32, Schedule> = HashMap::new();
    let mut windows = Vec::with_capacity(courses.len());
    let mut outlines = HashMap::new();
    for row in &courses {
        let s = schedule_of(&row.course)?;
        let (start, end) = remote_window(&s);
        windows.push((row.course.id, start, end));
        schedules.insert(row.course.id, s);
        if let (Some(version_id), Some(uuid)) = (row.course.program_version_id, row.version_uuid)
            && !outlines.contains_key(&version_id)
        {
            outlines.insert(version_id, outline_of_version(db, version_id, uuid).await?);
        }
    }
    // Independent statements: sent at once, each on a connection of its own, so the request
    // waits for the slowest rather than for their sum.
    let (people, team, contacts, measures, minutes) = tokio::try_join!(
        people(db, provider_id),
        team(db, provider_id),
        contacts(db, provider_id),
        measures(db, provider_id),
        minutes(db, &windows),
    )?;

    let mut team_facts: HashMap<i32, Vec<TeamMemberFacts>> = HashMap::new();
    for t in &team {
        if let Some(f) = member_facts(t.profession.as_deref(), t.service_manager) {
            team_facts.entry(t.course_id).or_default().push(f);
        }
    }
    let mut counts: HashMap<(i32, i32), ContactCounts> = HashMap::new();
    let mut last_follow_up: HashMap<(i32, i32), NaiveDate> = HashMap::new();
    for c in &contacts {
        let key = (c.course_id, c.participant_id);
        counts
            .entry(key)
            .or_insert_with(ContactCounts::none)
            .add(&c.kind, &c.status, c.n);
        if c.kind == "follow_up" && c.status == "done" {
            last_follow_up.insert(key, helsinki_today(c.last_at));
        }
    }
    let measured: HashMap<(i32, i32), (NaiveDate, NaiveDate)> = measures
        .iter()
        .map(|m| ((m.course_id, m.participant_id), (m.first_on, m.last_on)))
        .collect();
    let mut by_course: HashMap<i32, Vec<&PersonRow>> = HashMap::new();
    for p in &people {
        by_course.entry(p.course_id).or_default().push(p);
    }

    let mut out = Vec::with_capacity(courses.len());
    for row in courses {
        let c = &row.course;
        let Some(s) = schedules.get(&c.id) else {
            continue;
        };
        let phase = s.phase_on(today);
        let release = ReleaseMode::parse(&c.release_mode);
        let outline = c.program_version_id.and_then(|v| outlines.get(&v));
        let total_modules = outline.map(|o| o.modules.len());
        let enrolled = by_course.remove(&c.id).unwrap_or_default();
        let participants = enrolled
            .into_iter()
            .map(|p| {
                let key = (c.id, p.id);
                let minutes = minutes.get(&key).copied().unwrap_or(0);
                let contacts = counts
                    .get(&key)
                    .copied()
                    .unwrap_or_else(ContactCounts::none);
                let done = outline.map_or(0, |o| completed_modules(o, p.done_items.as_deref()));
                let held = last_follow_up.get(&key).copied();
                ParticipantOverview {
                    id: p.uuid,
                    display_name: p.display_name.clone(),
                    decision_date: p.decision_date,
                    remote_minutes: minutes,
                    contacts,
                    completed_modules: done,
                    guidance: checks::guidance(s, now, minutes),
                    interim: checks::interim(s, today, &contacts),
                    follow_up: checks::follow_up(s, today, &contacts),
                    program: checks::program(s, release, total_modules, done, today),
                    window: checks::window(s, p.decision_date, held, today),
                    feedback: checks::feedback(held, today),
                    report: checks::report(measured.get(&key).copied(), today),
                }
            })
            .collect::<Vec<_>>();
        let team_check = check_team(team_facts.get(&c.id).map_or(&[][..], Vec::as_slice));
        out.push(CourseOverview {
            id: c.uuid,
            title: c.title.clone(),
            language: CourseLanguage::parse(&c.language),
            state: CourseState::parse(&c.state),
            site: row.site,
            schedule: *s,
            phase: phase.code(),
            remote_week: phase.remote_week(),
            participant_count: participants.len(),
            total_modules,
            group: checks::group(participants.len(), phase),
            team: checks::team(&team_check, phase),
            invoice: checks::invoice(s, today),
            participants,
        });
    }
    Ok(Overview {
        today,
        courses: out,
    })
}
