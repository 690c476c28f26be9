//! The reminder of a contact the day before: one mail per contact and planned time, from 08:00
//! Helsinki time on the previous day, to the participant. A contact moved to another time gets a
//! new reminder; a restart or a second instance never sends one twice (the claim's key is the
//! contact and its time). The mail says when and how, never why (no health data).

use chrono::{DateTime, Days, NaiveTime, Utc};
use chrono_tz::Europe::Helsinki;

use crate::accounts::model::{AccountStatus, Email, Language};
use crate::contacts::model::Method;
use crate::contacts::{service, words};
use crate::error::AppResult;
use crate::guidance::pace::helsinki_midnight;
use crate::state::AppState;

pub const JOB: &str = "contact_reminders";

/// Reminders go out from this Helsinki time on the day before …
pub fn send_from() -> NaiveTime {
    NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// … and not after this one, so nobody is woken by a reminder.
pub fn send_until() -> NaiveTime {
    NaiveTime::from_hms_opt(21, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// Sends the reminders due at `now` for tomorrow's contacts; returns how many were sent.
pub async fn run(state: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    let local = now.with_timezone(&Helsinki);
    if local.time() < send_from() || local.time() >= send_until() {
        return Ok(0);
    }
    let today = local.date_naive();
    let (Some(tomorrow), Some(after)) = (
        today.checked_add_days(Days::new(1)),
        today.checked_add_days(Days::new(2)),
    ) else {
        return Ok(0);
    };
    let contacts = service::starting_between(
        &state.db,
        helsinki_midnight(tomorrow),
        helsinki_midnight(after),
    )
    .await?;
    if contacts.is_empty() {
        return Ok(0);
    }
    let people = service::people_of(&state.db, &contacts).await?;
    let link = {
        let mut url = state.public_url.clone();
        url.set_path(words::LINK_PATH);
        url.to_string()
    };
    let template = state.config.video_url_template.as_ref();
    let mut sent = 0;
    for c in contacts {
        let Some(person) = people.get(&c.participant_id) else {
            continue;
        };
        if person.status != AccountStatus::Active.as_str() {
            continue;
        }
        let Ok(address) = Email::parse(&person.email) else {
            continue;
        };
        let key = format!("{}:{}", c.uuid, c.planned_at.to_rfc3339());
        if !crate::scheduler::claim(&state.db, JOB, &key, now).await? {
            continue;
        }
        let lang = Language::parse(&person.language);
        let method = Method::parse(&c.method).unwrap_or(Method::Phone);
        let guide = people
            .get(&c.professional_id)
            .map(|g| g.display_name.as_str())
            .unwrap_or_default();
        let (join_by, url) = service::join_of(method, &c.room, template);
        let join_line = words::how_to_join(lang, join_by, guide, url.as_deref());
        let mail = words::reminder(
            lang,
            &person.display_name,
            method,
            c.planned_at,
            &join_line,
            &link,
        );
        match state.mailer.send(&address, JOB, mail).await {
            Ok(()) => sent += 1,
            Err(e) => {
                tracing::warn!(error = %e, "contact reminder not sent; trying again on the next tick");
                crate::scheduler::release(&state.db, JOB, &key).await?;
            }
        }
    }
    Ok(sent)
}
