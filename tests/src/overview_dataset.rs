//! The provider overview's benchmark dataset: the home benchmark's courses and twelve weeks of
//! participants' activity (`home_dataset`), and on top of it what the overview reads besides —
//! each course's team, its guidance ledger (a weekly group-chat session for those present, the
//! interim calls, a few private-thread replies), the contacts, and the start measurements — and a
//! signed-in provider admin. Written through the server's entities, as the application stores it.

use anyhow::{Context, Result};
use chrono::{DateTime, Days, Duration, NaiveDate, NaiveTime, Utc};
use etapolku_server::accounts::model::{AccountStatus, DisplayName, Email, Language, Role};
use etapolku_server::accounts::service::{NewUser, create_user};
use etapolku_server::auth::jwt::JwtKeys;
use etapolku_server::clock::Clock;
use etapolku_server::courses::service::schedule_of;
use etapolku_server::entity::{
    contact, course, enrolment, guidance_credit, guidance_entry, measure, team_member, user,
};
use etapolku_server::guidance::pace::helsinki_midnight;
use etapolku_server::team::profession::Profession;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use uuid::Uuid;

use crate::home_dataset::{self, signed_in_user};
use crate::spawn::TestServer;

pub struct Dataset {
    /// The provider admin's access token.
    pub admin_token: String,
    pub participants: usize,
    /// Rows written, all tables together.
    pub rows: usize,
}

/// `courses` courses of 12 participants, their on-site period 1 from `onsite1_start`.
pub async fn seed(
    server: &TestServer,
    onsite1_start: NaiveDate,
    courses: usize,
) -> Result<Dataset> {
    let base = home_dataset::seed(server, onsite1_start, courses, 12).await?;
    let db = &server.db;
    let now = server.clock.now();
    let keys = JwtKeys::load(None, server.data_dir.path())?;
    let account = |email: &str, name: &str, role, profession| -> Result<NewUser> {
        Ok(NewUser {
            provider_id: Some(base.provider_id),
            email: Email::parse(email).map_err(anyhow::Error::msg)?,
            display_name: DisplayName::parse(name).map_err(anyhow::Error::msg)?,
            role,
            profession,
            language: Language::Fi,
            status: AccountStatus::Active,
            password_hash: None,
        })
    };
    let (_, admin_token) = signed_in_user(
        db,
        &keys,
        account(
            "admin@bench.example",
            "Palveluvastaava",
            Role::ProviderAdmin,
            Some(Profession::RegisteredNurse),
        )?,
        now,
    )
    .await?;
    // One complete R-TEAM team that runs every course; the nurse is the service manager.
    let mut team = Vec::new();
    for (n, profession) in [
        Profession::RegisteredNurse,
        Profession::Physiotherapist,
        Profession::Socionom,
        Profession::Physician,
        Profession::Psychologist,
        Profession::OccupationalTherapist,
    ]
    .into_iter()
    .enumerate()
    {
        let u = create_user(
            db,
            account(
                &format!("staff{n}@bench.example"),
                &format!("Ohjaaja {n}"),
                Role::Guide,
                Some(profession),
            )?,
            now,
        )
        .await?;
        team.push(u);
    }

    let all = course::Entity::find()
        .filter(course::Column::ProviderId.eq(base.provider_id))
        .order_by_asc(course::Column::Id)
        .all(db)
        .await?;
    let mut rows = base.rows + 1 + team.len();
    let mut participants = 0;
    for c in &all {
        let people: Vec<i32> = enrolment::Entity::find()
            .filter(enrolment::Column::CourseId.eq(c.id))
            .order_by_asc(enrolment::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|e| e.participant_id)
            .collect();
        participants += people.len();
        let txn = db.begin().await?;
        rows += course_records(&txn, c, &team, &people, now).await?;
        txn.commit().await?;
    }
    Ok(Dataset {
        admin_token,
        participants,
        rows,
    })
}

fn at(day: NaiveDate, hour: i64) -> DateTime<Utc> {
    helsinki_midnight(day) + Duration::hours(hour)
}

async fn entry<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
    professional: &user::Model,
    (kind, started_at, minutes): (&str, DateTime<Utc>, i32),
    contact_id: Option<i32>,
    credited: &[i32],
    now: DateTime<Utc>,
) -> Result<usize> {
    let e = guidance_entry::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        course_id: Set(c.id),
        professional_id: Set(professional.id),
        kind: Set(kind.to_owned()),
        started_at: Set(started_at),
        minutes: Set(minutes),
        note: Set("Käytiin läpi viikon harjoitukset.".to_owned()),
        source: Set(if contact_id.is_some() {
            "contact"
        } else {
            "manual"
        }
        .to_owned()),
        contact_id: Set(contact_id),
        version: Set(1),
        voided_at: Set(None),
        voided_by: Set(None),
        void_reason: Set(None),
        created_by: Set(professional.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    guidance_credit::Entity::insert_many(credited.iter().map(|p| guidance_credit::ActiveModel {
        entry_id: Set(e.id),
        participant_id: Set(*p),
        ..Default::default()
    }))
    .exec_without_returning(db)
    .await?;
    Ok(1 + credited.len())
}

#[allow(clippy::too_many_arguments)]
fn contact_row(
    c: &course::Model,
    participant: i32,
    professional: i32,
    kind: &str,
    planned_at: DateTime<Utc>,
    done: bool,
    now: DateTime<Utc>,
) -> contact::ActiveModel {
    contact::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        course_id: Set(c.id),
        participant_id: Set(participant),
        kind: Set(kind.to_owned()),
        method: Set("phone".to_owned()),
        professional_id: Set(professional),
        planned_at: Set(planned_at),
        planned_minutes: Set(30),
        status: Set(if done { "done" } else { "planned" }.to_owned()),
        participant_message: Set(None),
        done_minutes: Set(done.then_some(30)),
        note: Set(None),
        room: Set(Uuid::new_v4().simple().to_string()),
        sequence: Set(0),
        created_by: Set(professional),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Twelve weeks of one course's team, ledger, contacts and measurements. Participants differ:
/// some miss group sessions, some have had two interim calls of three.
async fn course_records<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
    team: &[user::Model],
    people: &[i32],
    now: DateTime<Utc>,
) -> Result<usize> {
    let schedule = schedule_of(c)?;
    let nurse = team.first().context("a team")?;
    let mut rows = 0;
    team_member::Entity::insert_many(team.iter().enumerate().map(|(i, u)| {
        team_member::ActiveModel {
            course_id: Set(c.id),
            user_id: Set(u.id),
            service_manager: Set(i == 0),
            added_at: Set(now),
            ..Default::default()
        }
    }))
    .exec_without_returning(db)
    .await?;
    rows += team.len();

    // A group-chat guidance session on Tuesday of every past remote week, for those present.
    for week in 0..11u64 {
        let day = schedule.remote_start + Days::new(7 * week + 1);
        if at(day, 14) > now {
            break;
        }
        let present: Vec<i32> = people
            .iter()
            .enumerate()
            .filter(|(i, _)| !(*i as u64 + week).is_multiple_of(4))
            .map(|(_, p)| *p)
            .collect();
        let pro = &team[week as usize % team.len()];
        rows += entry(
            db,
            c,
            pro,
            ("group_chat", at(day, 14), 15),
            None,
            &present,
            now,
        )
        .await?;
    }
    // Interim calls in weeks 3, 7 and 10 (every third participant has had two), each credited
    // from its contact; a follow-up booked for the follow-up period; two private-thread replies.
    for (i, p) in people.iter().enumerate() {
        let pro = &team[i % 3];
        let held = if i % 3 == 0 { 2 } else { 3 };
        for (n, week) in [3u64, 7, 10].into_iter().enumerate() {
            let when = at(
                schedule.remote_start + Days::new(7 * (week - 1) + 2),
                9 + i as i64 % 6,
            );
            let done = n < held && when < now;
            let contact = contact_row(c, *p, pro.id, "interim", when, done, now)
                .insert(db)
                .await?;
            rows += 1;
            if done {
                rows += entry(
                    db,
                    c,
                    pro,
                    ("phone_call", when, 30),
                    Some(contact.id),
                    &[*p],
                    now,
                )
                .await?;
            }
        }
        let follow_up = at(schedule.follow_up_start + Days::new(14 + i as u64), 10);
        contact_row(c, *p, pro.id, "follow_up", follow_up, false, now)
            .insert(db)
            .await?;
        rows += 1;
        for week in [2u64, 6] {
            let when = at(schedule.remote_start + Days::new(7 * (week - 1) + 3), 16);
            rows += entry(db, c, nurse, ("private_thread", when, 15), None, &[*p], now).await?;
        }
        measure::ActiveModel {
            uuid: Set(Uuid::new_v4()),
            course_id: Set(c.id),
            participant_id: Set(*p),
            instrument: Set("bdi21".to_owned()),
            occasion: Set("start".to_owned()),
            measured_on: Set(schedule.onsite1_start + Days::new(1)),
            physical: Set(None),
            psychological: Set(None),
            social: Set(None),
            environment: Set(None),
            total: Set(Some(10 + (i % 9) as i32)),
            recorded_by: Set(nurse.id),
            created_at: Set(schedule.onsite1_start.and_time(NaiveTime::MIN).and_utc()),
            ..Default::default()
        }
        .insert(db)
        .await?;
        rows += 1;
    }
    Ok(rows)
}
