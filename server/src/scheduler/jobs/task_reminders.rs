//! The morning reminder of today's self-rehabilitation tasks: one mail per participant and day,
//! from 08:00 Helsinki time, to those with tasks due who have not turned reminders off.

use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Europe::Helsinki;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::accounts::model::{AccountStatus, Email, Language};
use crate::entity::user;
use crate::error::AppResult;
use crate::selfrehab::{mail, service};
use crate::state::AppState;

pub const JOB: &str = "task_reminders";

/// Reminders go out from this Helsinki time …
pub fn send_from() -> NaiveTime {
    NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// … and not after this one: a "today's tasks" mail late in the evening is no help and wakes
/// people, so a server that was down all day skips that day's reminders.
pub fn send_until() -> NaiveTime {
    NaiveTime::from_hms_opt(21, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// Sends the reminders due at `now`; returns how many mails were sent.
pub async fn run(state: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    let local = now.with_timezone(&Helsinki);
    if local.time() < send_from() || local.time() >= send_until() {
        return Ok(0);
    }
    let today = local.date_naive();
    let counts = service::due_counts(&state.db, today).await?;
    if counts.is_empty() {
        return Ok(0);
    }
    let people = user::Entity::find()
        .filter(user::Column::Id.is_in(counts.keys().copied()))
        .filter(user::Column::TaskReminders.eq(true))
        .filter(user::Column::Status.eq(AccountStatus::Active.as_str()))
        .all(&state.db)
        .await?;
    let link = {
        let mut url = state.public_url.clone();
        url.set_path(mail::LINK_PATH);
        url.to_string()
    };
    let mut sent = 0;
    for person in people {
        let Some(&due) = counts.get(&person.id) else {
            continue;
        };
        let Ok(address) = Email::parse(&person.email) else {
            continue;
        };
        let key = format!("{}:{today}", person.uuid);
        if !crate::scheduler::claim(&state.db, JOB, &key, now).await? {
            continue;
        }
        let m = mail::reminder(
            Language::parse(&person.language),
            &person.display_name,
            due,
            &link,
        );
        match state.mailer.send(&address, JOB, m).await {
            Ok(()) => sent += 1,
            Err(e) => {
                tracing::warn!(error = %e, "task reminder not sent; trying again on the next tick");
                crate::scheduler::release(&state.db, JOB, &key).await?;
            }
        }
    }
    Ok(sent)
}
