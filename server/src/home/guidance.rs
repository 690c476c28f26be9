//! The home's guidance part: the participant's remote-period guidance minutes against the 240
//! (R-GUIDANCE-4H) and her next open contact with the team. Both come as columns of the home's
//! one statement (`service::context_sql`); this file holds those columns and reads them back.

use chrono::{DateTime, Utc};
use sea_orm::{DbBackend, FromQueryResult, Iterable, QueryResult};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::config::VideoUrlTemplate;
use crate::contacts::model::{MyContact, Status};
use crate::contacts::service::my_view;
use crate::courses::schedule::Schedule;
use crate::db::{list_agg, split_list};
use crate::entity::contact;
use crate::error::{AppError, AppResult};
use crate::guidance::model::Person;
use crate::guidance::pace::{Pace, REQUIRED_MINUTES, in_remote_period, pace};

/// "Ohjausta 2 h 15 min / 4 h".
#[derive(Debug, Serialize, ToSchema)]
pub struct HomeGuidance {
    /// Minutes credited in the remote period (as `GET /me/guidance` counts them).
    pub remote_minutes: i64,
    /// 240.
    pub required_minutes: i64,
    pub pace: Pace,
}

/// The next contact's columns carry this prefix, apart from the course's.
const CONTACT: &str = "home_ct_";
/// Its id column, read on every home request (so not built with `format!` each time).
const CONTACT_ID: &str = "home_ct_id";

/// The open statuses, bound as the parameters `columns` numbers from `statuses` on.
pub fn open_statuses() -> [sea_orm::Value; 3] {
    Status::OPEN.map(|s| s.as_str().into())
}

/// What the home's statement adds for the guidance part: select-list columns and joins.
pub struct Columns {
    pub select: String,
    pub joins: String,
}

/// The participant's (`$1`) guidance in course `c`: her credited, not voided entries folded as
/// `epoch:minutes` (the remote window depends on the course's dates, which the same statement
/// reads, so the window is applied in Rust with `in_remote_period`), and the first open contact
/// by planned time (as `GET /me/contacts` lists them) with its professional. `statuses` is the
/// number of the first of three parameters holding [`open_statuses`].
pub fn columns(backend: DbBackend, statuses: usize) -> Columns {
    let epoch = match backend {
        DbBackend::Postgres => {
            "floor(extract(epoch from e.started_at))::bigint::text || ':' || e.minutes::text"
        }
        _ => "CAST(strftime('%s', e.started_at) AS INTEGER) || ':' || e.minutes",
    };
    let entries = list_agg(backend, epoch);
    let contact_columns: Vec<String> = contact::Column::iter()
        .map(|c| {
            let name = sea_orm::IdenStatic::as_str(&c);
            format!("ct.{name} AS {CONTACT}{name}")
        })
        .collect();
    let (a, b, c) = (statuses, statuses + 1, statuses + 2);
    Columns {
        select: format!(
            "(SELECT {entries} FROM guidance_credits gc \
               JOIN guidance_entries e ON e.id = gc.entry_id \
               WHERE gc.participant_id = $1 AND e.course_id = c.id AND e.voided_at IS NULL) \
               AS home_guidance_entries, \
             {contacts}, pu.uuid AS home_pro_uuid, pu.display_name AS home_pro_name",
            contacts = contact_columns.join(", "),
        ),
        joins: format!(
            "LEFT JOIN contacts ct ON ct.id = (SELECT c2.id FROM contacts c2 \
               WHERE c2.participant_id = $1 AND c2.course_id = c.id \
                 AND c2.status IN (${a}, ${b}, ${c}) \
               ORDER BY c2.planned_at, c2.id LIMIT 1) \
             LEFT JOIN users pu ON pu.id = ct.professional_id"
        ),
    }
}

/// The columns [`columns`] put in `row`, as the home shows them.
pub fn guidance_part(
    row: &QueryResult,
    schedule: &Schedule,
    now: DateTime<Utc>,
    template: Option<&VideoUrlTemplate>,
) -> AppResult<(HomeGuidance, Option<MyContact>)> {
    let entries: Option<String> = row.try_get("", "home_guidance_entries")?;
    let mut minutes = 0i64;
    for entry in split_list(entries.as_deref()) {
        let (at, m) = parse_entry(entry).ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!("the home's guidance entry {entry:?}"))
        })?;
        if in_remote_period(schedule, at) {
            minutes += m;
        }
    }
    let next = match row.try_get::<Option<i32>>("", CONTACT_ID)? {
        Some(_) => {
            let c = contact::Model::from_query_result(row, CONTACT)?;
            let professional = Person {
                id: row
                    .try_get::<Option<Uuid>>("", "home_pro_uuid")?
                    .unwrap_or_else(Uuid::nil),
                display_name: row
                    .try_get::<Option<String>>("", "home_pro_name")?
                    .unwrap_or_default(),
            };
            Some(my_view(c, professional, template))
        }
        None => None,
    };
    Ok((
        HomeGuidance {
            remote_minutes: minutes,
            required_minutes: REQUIRED_MINUTES,
            pace: pace(schedule, now, minutes),
        },
        next,
    ))
}

/// `"1772438400:45"` → (that instant, 45 minutes).
fn parse_entry(entry: &str) -> Option<(DateTime<Utc>, i64)> {
    let (epoch, minutes) = entry.split_once(':')?;
    let at = DateTime::from_timestamp(epoch.parse().ok()?, 0)?;
    Some((at, minutes.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contact_id_column_has_the_contact_prefix() {
        assert_eq!(
            CONTACT_ID,
            format!(
                "{CONTACT}{}",
                sea_orm::IdenStatic::as_str(&contact::Column::Id)
            )
        );
    }

    #[test]
    fn an_entry_is_read_as_its_instant_and_minutes() {
        let (at, m) = parse_entry("1772438400:45").expect("entry");
        assert_eq!(at.to_rfc3339(), "2026-03-02T08:00:00+00:00");
        assert_eq!(m, 45);
        assert!(parse_entry("1772438400").is_none());
        assert!(parse_entry("x:45").is_none());
        assert!(parse_entry("1772438400:").is_none());
    }
}
