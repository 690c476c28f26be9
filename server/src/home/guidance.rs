//! The home's guidance part: the participant's remote-period guidance minutes against the 240
//! (R-GUIDANCE-4H) and her next open contact with the team, in one statement.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult, Statement};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::config::VideoUrlTemplate;
use crate::contacts::model::{MyContact, Status};
use crate::contacts::service::my_view;
use crate::courses::schedule::Schedule;
use crate::entity::contact;
use crate::error::AppResult;
use crate::guidance::model::Person;
use crate::guidance::pace::{Pace, REQUIRED_MINUTES, pace, remote_window};

/// "Ohjausta 2 h 15 min / 4 h".
#[derive(Debug, Serialize, ToSchema)]
pub struct HomeGuidance {
    /// Minutes credited in the remote period (as `GET /me/guidance` counts them).
    pub remote_minutes: i64,
    /// 240.
    pub required_minutes: i64,
    pub pace: Pace,
}

/// The sum as `guidance::service::remote_minutes` makes it, and the first open contact (by planned
/// time, as `GET /me/contacts` lists them) with its professional's name.
const SQL: &str = "SELECT \
     (SELECT SUM(e.minutes) FROM guidance_credits gc \
       JOIN guidance_entries e ON e.id = gc.entry_id \
       WHERE gc.participant_id = $1 AND e.course_id = $2 AND e.voided_at IS NULL \
         AND e.started_at >= $3 AND e.started_at < $4) AS home_guidance_minutes, \
     ct.*, u.uuid AS home_pro_uuid, u.display_name AS home_pro_name \
     FROM (SELECT 1 AS home_one) one \
     LEFT JOIN contacts ct ON ct.id = (SELECT c2.id FROM contacts c2 \
       WHERE c2.participant_id = $1 AND c2.course_id = $2 AND c2.status IN ($5, $6, $7) \
       ORDER BY c2.planned_at, c2.id LIMIT 1) \
     LEFT JOIN users u ON u.id = ct.professional_id";

pub async fn guidance_part<C: ConnectionTrait>(
    db: &C,
    course_id: i32,
    schedule: &Schedule,
    participant_id: i32,
    now: DateTime<Utc>,
    template: Option<&VideoUrlTemplate>,
) -> AppResult<(HomeGuidance, Option<MyContact>)> {
    let backend = db.get_database_backend();
    let (start, end) = remote_window(schedule);
    let [a, b, c] = Status::OPEN.map(|s| s.as_str());
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            crate::db::for_backend(backend, SQL),
            [
                participant_id.into(),
                course_id.into(),
                start.into(),
                end.into(),
                a.into(),
                b.into(),
                c.into(),
            ],
        ))
        .await?;
    let Some(row) = row else {
        // The statement always answers one row; none would be a database fault.
        return Err(crate::error::AppError::Internal(anyhow::anyhow!(
            "the home's guidance statement gave no row"
        )));
    };
    let minutes: i64 = row
        .try_get::<Option<i64>>("", "home_guidance_minutes")?
        .unwrap_or(0);
    let next = match row.try_get::<Option<i32>>("", "id")? {
        Some(_) => {
            let c = contact::Model::from_query_result(&row, "")?;
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
