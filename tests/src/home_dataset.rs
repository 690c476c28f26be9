//! A large, realistic dataset for the home benchmark: courses of 12 participants in remote week
//! 12 of the demo program, each participant with 12 weeks of activity. Written through the
//! server's own service functions and entities, so it is what the application itself would store.

use std::sync::Arc;

use anyhow::{Context, Result};
use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, Utc};
use etapolku_server::accounts::model::{AccountStatus, DisplayName, Email, Language, Role};
use etapolku_server::accounts::service::{NewUser, create_user};
use etapolku_server::auth::jwt::JwtKeys;
use etapolku_server::auth::session;
use etapolku_server::chat::{ChatUser, RoomKind, rooms, store};
use etapolku_server::clock::Clock;
use etapolku_server::content::blob_store::FsBlobStore;
use etapolku_server::content::import::{ImportRequest, import};
use etapolku_server::courses::schedule::helsinki_today;
use etapolku_server::courses::service::schedule_of;
use etapolku_server::entity::{
    activity_day, chat_message, chat_room, course, enrolment, goal, item_progress, notification,
    program_version, selfrehab_log, selfrehab_task, user,
};
use etapolku_server::progress::outline::outline_of;
use etapolku_server::providers::service as providers;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::spawn::TestServer;

pub struct Dataset {
    /// One access token per participant.
    pub tokens: Vec<String>,
    /// Rows written, all tables together.
    pub rows: usize,
    /// The provider every course belongs to.
    pub provider_id: i32,
}

pub async fn seed(
    server: &TestServer,
    onsite1_start: NaiveDate,
    courses: usize,
    per_course: usize,
) -> Result<Dataset> {
    let db = &server.db;
    let now = server.clock.now();
    let provider = providers::create_provider(
        db,
        providers::CreateProvider {
            name: "Bench Oy".into(),
        },
        now,
    )
    .await?;
    let site = providers::create_site(
        db,
        provider.id,
        providers::CreateSite {
            name: "Bench".into(),
            municipality: "Tampere".into(),
        },
        now,
    )
    .await?;
    let outcome = import(
        db,
        Arc::new(FsBlobStore::new(server.data_dir.path().join("blobs"))?),
        ImportRequest {
            provider_id: provider.id,
            actor_id: None,
            source: &etapolku_server::demo::program_dir(),
            source_name: "demo",
            staging_root: &server.data_dir.path().join("staging"),
            now,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("importing the demo program: {e}"))?;
    let version = program_version::Entity::find()
        .filter(program_version::Column::Uuid.eq(outcome.version_id))
        .one(db)
        .await?
        .context("program version")?;
    let keys = JwtKeys::load(None, server.data_dir.path())?;
    let mut tokens = Vec::new();
    let mut rows = 0usize;
    for c in 0..courses {
        let txn = db.begin().await?;
        let course = course::ActiveModel {
            uuid: Set(Uuid::new_v4()),
            provider_id: Set(provider.id),
            site_id: Set(site.id),
            title: Set(format!("Kurssi {c}")),
            language: Set("fi".into()),
            target_group: Set("adult".into()),
            onsite1_start: Set(onsite1_start),
            follow_up_end: Set(None),
            state: Set("running".into()),
            confirmed_on: Set(Some(onsite1_start - Days::new(60))),
            program_version_id: Set(Some(version.id)),
            release_mode: Set("weekly".into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        rows += 1;
        let mut people = Vec::with_capacity(per_course);
        for p in 0..per_course {
            let (person, token) = signed_in_participant(
                &txn,
                &keys,
                provider.id,
                &course,
                onsite1_start,
                (p, c, "bench.example"),
                now,
            )
            .await?;
            tokens.push(token);
            rows += 3;
            rows += activity(&txn, &course, &person, c * per_course + p, now).await?;
            people.push(person);
        }
        rows += group_chat(&txn, &course, &people, now).await?;
        txn.commit().await?;
    }
    Ok(Dataset {
        tokens,
        rows,
        provider_id: provider.id,
    })
}

/// A participant `p{p}.c{c}@{domain}` enrolled on `course` (decided 90 and enrolled 80 days before
/// `start`) with a live session; returns the user and an access token for it.
#[allow(clippy::too_many_arguments)]
pub async fn signed_in_participant<C: ConnectionTrait>(
    txn: &C,
    keys: &JwtKeys,
    provider_id: i32,
    course: &course::Model,
    start: NaiveDate,
    (p, c, domain): (usize, usize, &str),
    now: DateTime<Utc>,
) -> Result<(user::Model, String)> {
    let (person, token) = signed_in_user(
        txn,
        keys,
        NewUser {
            provider_id: Some(provider_id),
            email: Email::parse(&format!("p{p}.c{c}@{domain}")).map_err(anyhow::Error::msg)?,
            display_name: DisplayName::parse(&format!("Osallistuja {p}"))
                .map_err(anyhow::Error::msg)?,
            role: Role::Participant,
            profession: None,
            language: Language::Fi,
            status: AccountStatus::Active,
            password_hash: None,
        },
        now,
    )
    .await?;
    enrolment::ActiveModel {
        course_id: Set(course.id),
        participant_id: Set(person.id),
        decision_date: Set(start - Days::new(90)),
        personal_guide_id: Set(None),
        enrolled_on: Set(start - Days::new(80)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok((person, token))
}

/// An account with a live session, and an access token for it.
pub async fn signed_in_user<C: ConnectionTrait>(
    txn: &C,
    keys: &JwtKeys,
    new: NewUser,
    now: DateTime<Utc>,
) -> Result<(user::Model, String)> {
    let person = create_user(txn, new, now).await?;
    let issued = session::start(txn, &person, now).await?;
    let token = keys.issue(&person, issued.family, issued.family_expires_at, now)?;
    Ok((person, token))
}

/// Twelve weeks of the course's group discussion: each participant wrote twice a week, and has
/// read all but the last few messages.
async fn group_chat<C: ConnectionTrait>(
    db: &C,
    course: &course::Model,
    people: &[user::Model],
    now: DateTime<Utc>,
) -> Result<usize> {
    let Some(first) = people.first() else {
        return Ok(0);
    };
    let member = ChatUser {
        id: first.id,
        uuid: first.uuid,
        role: Role::Participant,
    };
    rooms::ensure_rooms(db, &member, now)
        .await
        .map_err(|e| anyhow::anyhow!("chat rooms: {e}"))?;
    let room = chat_room::Entity::find()
        .filter(chat_room::Column::CourseId.eq(course.id))
        .filter(chat_room::Column::Kind.eq(RoomKind::Group.as_str()))
        .one(db)
        .await?
        .context("the group room")?;
    let per_person = 2 * 12;
    let total = (people.len() * per_person) as i64;
    let messages: Vec<chat_message::ActiveModel> = (1..=total)
        .map(|seq| {
            let sender = &people[(seq as usize * 7) % people.len()];
            chat_message::ActiveModel {
                uuid: Set(Uuid::new_v4()),
                room_id: Set(room.id),
                seq: Set(seq),
                kind: Set("message".to_owned()),
                sender_id: Set(sender.id),
                client_msg_id: Set(Some(Uuid::new_v4())),
                body: Set(format!("Viesti {seq}: tänään kävelin puistossa.")),
                created_at: Set(now - Duration::minutes(60 * (total - seq))),
                ..Default::default()
            }
        })
        .collect();
    for chunk in messages.chunks(200) {
        chat_message::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    let mut active: chat_room::ActiveModel = room.into();
    active.last_seq = Set(total);
    let room = active.update(db).await?;
    for (i, person) in people.iter().enumerate() {
        store::mark_read(db, &room, person.id, total - (i as i64 % 6), now)
            .await
            .map_err(|e| anyhow::anyhow!("read marker: {e}"))?;
    }
    Ok(messages.len() + people.len())
}

/// Twelve weeks of what a participant does: opened and finished items, active days, two
/// self-rehabilitation tasks with a log for every planned day, two goals and a few notices.
/// Participants differ a little (`seed`), as real ones do. Returns the rows written.
async fn activity<C: ConnectionTrait>(
    db: &C,
    course: &course::Model,
    person: &user::Model,
    seed: usize,
    now: DateTime<Utc>,
) -> Result<usize> {
    let outline = outline_of(db, course).await?;
    let schedule = schedule_of(course)?;
    let today = helsinki_today(now);
    let mut rows = 0;

    // Modules 1 to 9–12 done, item by item; the rest opened only.
    let done_modules = 9 + seed % 4;
    let mut items = Vec::new();
    for m in &outline.modules {
        for it in &m.items {
            let done = m.number <= done_modules && !(seed + it.id.len()).is_multiple_of(7);
            items.push(item_progress::ActiveModel {
                participant_id: Set(person.id),
                course_id: Set(course.id),
                item_id: Set(it.id.clone()),
                opened_at: Set(now - Duration::days(90 - 7 * m.number as i64)),
                last_seen_at: Set(now - Duration::days(85 - 7 * m.number as i64)),
                visible_seconds: Set(180 + (seed as i64 * 37) % 600),
                completed_at: Set(done.then(|| now - Duration::days(85 - 7 * m.number as i64))),
                completed_how: Set(done.then(|| "marked".to_owned())),
                ..Default::default()
            });
        }
    }
    rows += items.len();
    item_progress::Entity::insert_many(items).exec(db).await?;

    // Active on about four days of seven.
    let mut days = Vec::new();
    let mut day = schedule.remote_start;
    while day <= today {
        if (day.num_days_from_ce() as usize + seed) % 7 < 4 {
            days.push(activity_day::ActiveModel {
                participant_id: Set(person.id),
                course_id: Set(course.id),
                day: Set(day),
                visible_seconds: Set(600),
                last_seen_at: Set(now - Duration::days((today - day).num_days())),
                minute_at: Set(0),
                minute_seconds: Set(0),
                ..Default::default()
            });
        }
        day = day + Days::new(1);
    }
    rows += days.len();
    activity_day::Entity::insert_many(days).exec(db).await?;

    // Two tasks over the twelve weeks, logged on their days (about one in six skipped).
    for (n, (title, days)) in [("Kävely", "mon,wed,fri"), ("Venyttely", "tue,thu,sat,sun")]
        .into_iter()
        .enumerate()
    {
        let task = selfrehab_task::ActiveModel {
            uuid: Set(Uuid::new_v4()),
            participant_id: Set(person.id),
            course_id: Set(course.id),
            title: Set(title.to_owned()),
            details: Set(String::new()),
            days: Set(Some(days.to_owned())),
            times_per_week: Set(None),
            minutes: Set(Some(20)),
            start_date: Set(schedule.remote_start),
            weeks: Set(12),
            status: Set("active".to_owned()),
            participant_accepted_at: Set(Some(now - Duration::days(80))),
            guide_accepted_at: Set(Some(now - Duration::days(80))),
            created_by: Set("participant".to_owned()),
            version: Set(1),
            created_at: Set(now - Duration::days(80)),
            updated_at: Set(now - Duration::days(80)),
            ..Default::default()
        }
        .insert(db)
        .await?;
        rows += 1;
        let weekdays: Vec<&str> = days.split(',').collect();
        let mut logs = Vec::new();
        let mut day = schedule.remote_start;
        while day < today {
            let code = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
                [day.weekday().num_days_from_monday() as usize];
            if weekdays.contains(&code) {
                let done = !(day.num_days_from_ce() as usize + seed + n).is_multiple_of(6);
                logs.push(selfrehab_log::ActiveModel {
                    uuid: Set(Uuid::new_v4()),
                    task_id: Set(task.id),
                    date: Set(day),
                    done: Set(done),
                    note: Set(None),
                    rating: Set(done.then_some(4)),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                });
            }
            day = day + Days::new(1);
        }
        rows += logs.len();
        selfrehab_log::Entity::insert_many(logs).exec(db).await?;
    }

    for position in 1..=2 {
        goal::ActiveModel {
            uuid: Set(Uuid::new_v4()),
            course_id: Set(course.id),
            participant_id: Set(person.id),
            position: Set(position),
            title: Set(format!("Tavoite {position}")),
            level_minus2: Set("Paljon odotettua huonompi".into()),
            level_minus1: Set("Hieman odotettua huonompi".into()),
            level0: Set("Odotettu tulos".into()),
            level_plus1: Set("Hieman odotettua parempi".into()),
            level_plus2: Set("Paljon odotettua parempi".into()),
            weight: Set(1),
            baseline: Set(Some(-1)),
            baseline_at: Set(Some(now - Duration::days(85))),
            created_at: Set(now - Duration::days(88)),
            updated_at: Set(now - Duration::days(85)),
            ..Default::default()
        }
        .insert(db)
        .await?;
        rows += 1;
    }

    let notices: Vec<notification::ActiveModel> = (0..3)
        .map(|i| notification::ActiveModel {
            uuid: Set(Uuid::new_v4()),
            user_id: Set(person.id),
            kind: Set("task_feedback".into()),
            params: Set("{}".into()),
            link: Set("/omakuntoutus".into()),
            created_at: Set(now - Duration::days(3 * i)),
            read_at: Set((i > 0).then(|| now - Duration::days(i))),
            ..Default::default()
        })
        .collect();
    rows += notices.len();
    notification::Entity::insert_many(notices).exec(db).await?;
    Ok(rows)
}
