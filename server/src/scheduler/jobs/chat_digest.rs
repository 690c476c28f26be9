//! The guides' daily chat digest: from 15:00 Helsinki time, one mail per opted-in guide and day
//! with the counts of unread messages and open reports per course — counts only, no text.

use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Europe::Helsinki;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::accounts::model::{AccountStatus, Email, Language, Role};
use crate::chat::mail::{GUIDE_LINK, guide_unread_per_course};
use crate::chat::reports::open_per_course;
use crate::entity::{course, user};
use crate::error::AppResult;
use crate::mail::templates::{DigestLine, chat_digest};
use crate::state::AppState;

pub const JOB: &str = "chat_digest";

/// The digest goes out from this Helsinki time, after the day's group work …
pub fn send_from() -> NaiveTime {
    NaiveTime::from_hms_opt(15, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// … and not after this one: a server that was down all afternoon skips that day's digest.
pub fn send_until() -> NaiveTime {
    NaiveTime::from_hms_opt(21, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// Sends the digests due at `now`; returns how many mails were sent.
pub async fn run(state: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    let local = now.with_timezone(&Helsinki);
    if local.time() < send_from() || local.time() >= send_until() {
        return Ok(0);
    }
    let today = local.date_naive();
    let guides = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Guide.as_str()))
        .filter(user::Column::ChatDigest.eq(true))
        .filter(user::Column::Status.eq(AccountStatus::Active.as_str()))
        .all(&state.db)
        .await?;
    let mut url = state.public_url.clone();
    url.set_path(GUIDE_LINK);
    let link = url.to_string();
    let mut sent = 0;
    for g in guides {
        let Ok(address) = Email::parse(&g.email) else {
            continue;
        };
        let key = format!("{}:{today}", g.uuid);
        if !crate::scheduler::claim(&state.db, JOB, &key, now).await? {
            continue;
        }
        let unread = guide_unread_per_course(&state.db, g.id).await?;
        let reports = open_per_course(&state.db, g.id).await?;
        let ids: Vec<i32> = unread
            .iter()
            .chain(reports.iter())
            .filter(|(_, n)| **n > 0)
            .map(|(id, _)| *id)
            .collect();
        // Nothing waiting: no mail today (the claim stands, so no later one either).
        if ids.is_empty() {
            continue;
        }
        let courses = course::Entity::find()
            .filter(course::Column::Id.is_in(ids))
            .order_by_asc(course::Column::Onsite1Start)
            .order_by_asc(course::Column::Id)
            .all(&state.db)
            .await?;
        let lines: Vec<DigestLine<'_>> = courses
            .iter()
            .map(|c| DigestLine {
                course_title: &c.title,
                unread_messages: unread.get(&c.id).copied().unwrap_or(0),
                open_reports: reports.get(&c.id).copied().unwrap_or(0),
            })
            .collect();
        let m = chat_digest(Language::parse(&g.language), &g.display_name, &lines, &link);
        match state.mailer.send(&address, JOB, m).await {
            Ok(()) => sent += 1,
            Err(e) => {
                tracing::warn!(error = %e, "chat digest not sent; trying again on the next tick");
                crate::scheduler::release(&state.db, JOB, &key).await?;
            }
        }
    }
    Ok(sent)
}
