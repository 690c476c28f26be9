//! The guides' weekly digest of alerts: on Monday from 08:00 Helsinki time, one mail per member of
//! a course team with the counts of open alerts per course and a link to each course's page —
//! counts and course names only, nothing about any participant (no health data in mails). The
//! claim's key is the person and the week's Monday, so a restart or a second instance never
//! sends a week's digest twice.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveTime, Utc, Weekday};
use chrono_tz::Europe::Helsinki;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::accounts::model::{AccountStatus, Email, Language, Role};
use crate::alerts::mail::{DigestCourse, course_path, digest};
use crate::alerts::service::{TeamCount, open_counts_per_team_member};
use crate::entity::{course, user};
use crate::error::AppResult;
use crate::state::AppState;

pub const JOB: &str = "alert_digest";

/// The digest goes out on Monday morning from this Helsinki time …
pub fn send_from() -> NaiveTime {
    NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// … and not after this one: a server down all Monday morning skips that week's digest (the
/// alerts themselves are on the course pages all the time).
pub fn send_until() -> NaiveTime {
    NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// Sends the digests due at `now`; returns how many mails were sent.
pub async fn run(state: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    let local = now.with_timezone(&Helsinki);
    if local.weekday() != Weekday::Mon || local.time() < send_from() || local.time() >= send_until()
    {
        return Ok(0);
    }
    let monday = local.date_naive();
    let counts = open_counts_per_team_member(&state.db).await?;
    if counts.is_empty() {
        return Ok(0);
    }
    let mut per_person: HashMap<i32, Vec<TeamCount>> = HashMap::new();
    for c in &counts {
        per_person.entry(c.user_id).or_default().push(*c);
    }
    let people = user::Entity::find()
        .filter(user::Column::Id.is_in(per_person.keys().copied()))
        .filter(user::Column::Role.is_in([Role::Guide.as_str(), Role::ProviderAdmin.as_str()]))
        .filter(user::Column::Status.eq(AccountStatus::Active.as_str()))
        .all(&state.db)
        .await?;
    let courses: HashMap<i32, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(counts.iter().map(|c| c.course_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut sent = 0;
    for person in people {
        let Ok(address) = Email::parse(&person.email) else {
            continue;
        };
        let Some(mine) = per_person.get(&person.id) else {
            continue;
        };
        let mut lines: Vec<DigestCourse<'_>> = mine
            .iter()
            .filter_map(|c| {
                let course = courses.get(&c.course_id)?;
                let mut url = state.public_url.clone();
                url.set_path(&course_path(course.uuid));
                Some(DigestCourse {
                    title: &course.title,
                    open: c.open,
                    unacknowledged: c.unacknowledged,
                    link: url.to_string(),
                })
            })
            .collect();
        if lines.is_empty() {
            continue;
        }
        lines.sort_by(|a, b| a.title.cmp(b.title));
        let key = format!("{}:{monday}", person.uuid);
        if !crate::scheduler::claim(&state.db, JOB, &key, now).await? {
            continue;
        }
        let m = digest(
            Language::parse(&person.language),
            &person.display_name,
            &lines,
        );
        match state.mailer.send(&address, JOB, m).await {
            Ok(()) => sent += 1,
            Err(e) => {
                tracing::warn!(error = %e, "alert digest not sent; trying again on the next tick");
                crate::scheduler::release(&state.db, JOB, &key).await?;
            }
        }
    }
    Ok(sent)
}
