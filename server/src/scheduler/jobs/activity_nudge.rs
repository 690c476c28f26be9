//! The friendly nudge to a participant with an open `inactive` alert: from 10:00 to 18:00
//! Helsinki time, at most one mail in seven days, to those who have not turned it off in the
//! settings. The mail says only that the course is waiting (no health data). The claim's key is
//! the participant and the day, and a claim in the last seven days holds the next one back, so a
//! restart or a second instance never sends one twice, nor two in a week.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveTime, Utc};
use chrono_tz::Europe::Helsinki;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::accounts::model::{AccountStatus, Email, Language, Role};
use crate::alerts::mail::{NUDGE_LINK_PATH, nudge};
use crate::alerts::model::AlertKind;
use crate::entity::{alert, scheduled_run, user};
use crate::error::AppResult;
use crate::state::AppState;

pub const JOB: &str = "activity_nudge";

/// At most one nudge in this time.
pub fn at_most_every() -> Duration {
    Duration::days(7)
}

/// Nudges go out in the daytime only: from this Helsinki time …
pub fn send_from() -> NaiveTime {
    NaiveTime::from_hms_opt(10, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// … until this one.
pub fn send_until() -> NaiveTime {
    NaiveTime::from_hms_opt(18, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// Sends the nudges due at `now`; returns how many mails were sent.
pub async fn run(state: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    let local = now.with_timezone(&Helsinki);
    if local.time() < send_from() || local.time() >= send_until() {
        return Ok(0);
    }
    let inactive: Vec<i32> = alert::Entity::find()
        .select_only()
        .column(alert::Column::ParticipantId)
        .filter(alert::Column::Kind.eq(AlertKind::Inactive.as_str()))
        .filter(alert::Column::ClosedAt.is_null())
        .into_tuple()
        .all(&state.db)
        .await?;
    if inactive.is_empty() {
        return Ok(0);
    }
    let people = user::Entity::find()
        .filter(user::Column::Id.is_in(inactive))
        .filter(user::Column::Role.eq(Role::Participant.as_str()))
        .filter(user::Column::ActivityNudges.eq(true))
        .filter(user::Column::Status.eq(AccountStatus::Active.as_str()))
        .all(&state.db)
        .await?;
    // Who was nudged in the last seven days: the keys start with the participant's id.
    let recent: HashSet<String> = scheduled_run::Entity::find()
        .select_only()
        .column(scheduled_run::Column::Key)
        .filter(scheduled_run::Column::Job.eq(JOB))
        .filter(scheduled_run::Column::ClaimedAt.gt(now - at_most_every()))
        .into_tuple::<String>()
        .all(&state.db)
        .await?
        .into_iter()
        .filter_map(|k| k.split(':').next().map(str::to_owned))
        .collect();
    let link = {
        let mut url = state.public_url.clone();
        url.set_path(NUDGE_LINK_PATH);
        url.to_string()
    };
    let today = local.date_naive();
    let mut sent = 0;
    for person in people {
        if recent.contains(&person.uuid.to_string()) {
            continue;
        }
        let Ok(address) = Email::parse(&person.email) else {
            continue;
        };
        let key = format!("{}:{today}", person.uuid);
        if !crate::scheduler::claim(&state.db, JOB, &key, now).await? {
            continue;
        }
        let m = nudge(
            Language::parse(&person.language),
            &person.display_name,
            &state.config.support,
            &link,
        );
        match state.mailer.send(&address, JOB, m).await {
            Ok(()) => sent += 1,
            Err(e) => {
                tracing::warn!(error = %e, "activity nudge not sent; trying again on the next tick");
                crate::scheduler::release(&state.db, JOB, &key).await?;
            }
        }
    }
    Ok(sent)
}
