//! Chat outside the chat (issue 5, item 5): unread counts on the participant's home and the guide's
//! course list, the mail to an offline participant about the team's message, the guides' digest.

use chrono::{Duration, FixedOffset, TimeZone, Utc};
use etapolku_server::clock::Clock;
use etapolku_server::entity::chat_read;
use etapolku_server::scheduler::jobs::{chat_digest, chat_private_mail};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};

use crate::chat_moderation::{chat, say, user_of};
use crate::helpers::{Session, TestApp, assert_problem, decode_quoted_printable};

/// Every mail in the outbox, oldest first, as (recipient, subject and decoded text).
fn mails(app: &TestApp) -> Vec<(String, String)> {
    let dir = app.server.data_dir.path().join("outbox");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter_map(|f| {
            let raw = std::fs::read_to_string(f).ok()?;
            let text = decode_quoted_printable(&raw);
            let to = text
                .lines()
                .find(|l| l.starts_with("To: "))?
                .trim_start_matches("To: ")
                .trim()
                .to_owned();
            Some((to, text))
        })
        .collect()
}

pub(crate) fn mails_to(app: &TestApp, email: &str) -> Vec<String> {
    mails(app)
        .into_iter()
        .filter(|(to, _)| to.contains(email))
        .map(|(_, text)| text)
        .collect()
}

async fn read_up_to(
    app: &TestApp,
    room: &etapolku_server::entity::chat_room::Model,
    who: &Session,
    seq: i64,
) {
    chat_read::ActiveModel {
        room_id: Set(room.id),
        user_id: Set(user_of(app, who).await.id),
        last_read_seq: Set(seq),
        updated_at: Set(app.server.clock.now()),
    }
    .insert(&app.server.db)
    .await
    .expect("read marker");
}

async fn home_unread(app: &TestApp, s: &Session) -> Value {
    let h: Value = app
        .get(s, "/api/v1/me/home")
        .await
        .json()
        .await
        .expect("json");
    h["unread_messages"].clone()
}

#[tokio::test]
async fn the_home_counts_unread_messages_of_the_group_and_the_own_thread() {
    let app = TestApp::new().await;
    let c = chat(&app, "Alpha").await;
    // Aino's own message does not count; Eino's does.
    assert_eq!(home_unread(&app, &c.demo.participant).await, 1);
    say(&app, &c.private, &c.demo.guide, "Hei Aino").await;
    let last = say(&app, &c.group, &c.demo.guide, "Tervetuloa kaikki").await;
    assert_eq!(home_unread(&app, &c.demo.participant).await, 3);
    // Eino does not count Aino's private thread.
    assert_eq!(home_unread(&app, &c.other).await, 2);
    // A hidden message is not waiting to be read.
    app.post(
        &c.demo.guide,
        &format!(
            "/api/v1/chat/rooms/{}/messages/{}/hide",
            c.group.uuid, c.eino_seq
        ),
        json!({"reason": "x"}),
    )
    .await;
    assert_eq!(home_unread(&app, &c.demo.participant).await, 2);
    read_up_to(&app, &c.group, &c.demo.participant, last).await;
    assert_eq!(home_unread(&app, &c.demo.participant).await, 1);
}

#[tokio::test]
async fn the_guides_course_list_shows_unread_messages_per_course() {
    let app = TestApp::new().await;
    let c = chat(&app, "Alpha").await;
    say(&app, &c.private, &c.demo.participant, "Kysyisin yhtä asiaa").await;
    let team = crate::chat_moderation::room(&app, &c.demo.course, "team").await;
    say(&app, &team, &c.demo.guide, "Oma viesti ei ole lukematon").await;
    let list: Value = app
        .get(&c.demo.guide, "/api/v1/courses")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list[0]["id"], c.demo.course.as_str());
    assert_eq!(list[0]["unread_messages"], 3);
    read_up_to(&app, &c.group, &c.demo.guide, c.eino_seq).await;
    let list: Value = app
        .get(&c.demo.guide, "/api/v1/courses")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list[0]["unread_messages"], 1);
    // Provider admins are in no room: no count for them.
    let list: Value = app
        .get(&c.demo.provider.admin, "/api/v1/courses")
        .await
        .json()
        .await
        .expect("json");
    assert!(list[0].get("unread_messages").is_none(), "{list}");
}

#[tokio::test]
async fn a_team_message_in_the_private_thread_is_mailed_once_ten_minutes_later_without_its_text() {
    let app = TestApp::new().await;
    let c = chat(&app, "Alpha").await;
    let email = c.demo.participant.email.clone();
    let state = &app.server.state;
    let first = say(
        &app,
        &c.private,
        &c.demo.guide,
        "Muistathan huomisen puhelun",
    )
    .await;
    let t0 = app.server.clock.now();
    let before = mails_to(&app, &email).len();

    assert_eq!(
        chat_private_mail::run(state, t0 + Duration::minutes(9))
            .await
            .expect("run"),
        0,
        "not before ten minutes"
    );
    assert_eq!(
        chat_private_mail::run(state, t0 + Duration::minutes(10))
            .await
            .expect("run"),
        1
    );
    let got = mails_to(&app, &email);
    assert_eq!(got.len(), before + 1);
    let mail = got.last().expect("mail");
    assert!(mail.contains("kirjoittanut sinulle viestin"), "{mail}");
    assert!(mail.contains("/viestit"));
    assert!(!mail.contains("puhelun"), "no message text in the mail");

    // The next ticks, a restart (same claims) and more messages in the same batch mail nothing.
    say(&app, &c.private, &c.demo.guide, "Ja toinen asia").await;
    for minutes in [11, 12, 30, 90] {
        assert_eq!(
            chat_private_mail::run(state, t0 + Duration::minutes(minutes))
                .await
                .expect("run"),
            0
        );
    }
    assert_eq!(mails_to(&app, &email).len(), before + 1);

    // Once she has read them, a new message later is a new batch and a new mail.
    read_up_to(&app, &c.private, &c.demo.participant, first + 1).await;
    app.advance(Duration::hours(3));
    say(&app, &c.private, &c.demo.guide, "Uusi asia").await;
    let t1 = app.server.clock.now();
    assert_eq!(
        chat_private_mail::run(state, t1 + Duration::minutes(10))
            .await
            .expect("run"),
        1
    );
    assert_eq!(mails_to(&app, &email).len(), before + 2);

    // Her own messages, and the group room, never mail.
    say(&app, &c.private, &c.demo.participant, "Kiitos").await;
    say(&app, &c.group, &c.demo.guide, "Ryhmälle").await;
    assert_eq!(
        chat_private_mail::run(state, t1 + Duration::hours(2))
            .await
            .expect("run"),
        0
    );
}

#[tokio::test]
async fn a_participant_who_turned_mail_off_gets_the_notice_but_no_mail() {
    let app = TestApp::new().await;
    let c = chat(&app, "Alpha").await;
    let res = app
        .patch(
            &c.demo.participant,
            "/api/v1/me",
            json!({"mail_notifications": false}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let before = mails_to(&app, &c.demo.participant.email).len();
    say(&app, &c.private, &c.demo.guide, "Hei").await;
    let t = app.server.clock.now() + Duration::minutes(11);
    assert_eq!(
        chat_private_mail::run(&app.server.state, t)
            .await
            .expect("run"),
        1
    );
    assert_eq!(mails_to(&app, &c.demo.participant.email).len(), before);
    let notes: Value = app
        .get(&c.demo.participant, "/api/v1/me/notifications")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(notes["items"][0]["kind"], "chat_message");
}

/// `h:m` Helsinki time on the test clock's day plus `days` (early March: winter time, UTC+2).
fn helsinki_at(app: &TestApp, days: i64, h: u32, m: u32) -> chrono::DateTime<Utc> {
    let day = app.today() + Duration::days(days);
    FixedOffset::east_opt(2 * 3600)
        .expect("offset")
        .from_local_datetime(&day.and_hms_opt(h, m, 0).expect("time"))
        .single()
        .expect("local time")
        .with_timezone(&Utc)
}

#[tokio::test]
async fn an_opted_in_guide_gets_a_daily_digest_of_counts_once_a_day() {
    let app = TestApp::new().await;
    let c = chat(&app, "Alpha").await;
    let state = &app.server.state;

    // Off by default, for guides only.
    let me: Value = app
        .get(&c.demo.guide, "/api/v1/me")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["preferences"]["chat_digest"], false);
    let res = app
        .patch(
            &c.demo.participant,
            "/api/v1/me",
            json!({"chat_digest": true}),
        )
        .await;
    let body = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "chat_digest");
    assert_eq!(
        chat_digest::run(state, helsinki_at(&app, 0, 15, 0))
            .await
            .expect("run"),
        0,
        "nobody has asked for it"
    );

    let me: Value = app
        .patch(&c.demo.guide, "/api/v1/me", json!({"chat_digest": true}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["preferences"]["chat_digest"], true);
    app.post(
        &c.other,
        &format!(
            "/api/v1/chat/rooms/{}/messages/{}/report",
            c.group.uuid, c.aino_seq
        ),
        json!({"reason": "Sopimaton"}),
    )
    .await;

    assert_eq!(
        chat_digest::run(state, helsinki_at(&app, 0, 14, 59))
            .await
            .expect("run"),
        0
    );
    assert_eq!(
        chat_digest::run(state, helsinki_at(&app, 0, 15, 0))
            .await
            .expect("run"),
        1
    );
    let digest = mails_to(&app, &c.demo.guide.email)
        .into_iter()
        .find(|m| m.contains("kurssiesi keskusteluissa"))
        .expect("digest");
    assert!(
        digest.contains("Kurssi: lukemattomia viestej\u{e4} 2, k\u{e4}sittelem\u{e4}tt\u{f6}mi\u{e4} ilmoituksia 1."),
        "{digest}"
    );
    assert!(!digest.contains("Aino t\u{e4}\u{e4}ll\u{e4}") && !digest.contains("Sopimaton"));
    assert_eq!(
        chat_digest::run(state, helsinki_at(&app, 0, 15, 1))
            .await
            .expect("run"),
        0,
        "once a day"
    );
    assert_eq!(
        chat_digest::run(state, helsinki_at(&app, 1, 15, 0))
            .await
            .expect("run"),
        1,
        "and again the next day"
    );
    // Another guide of the team did not ask for it.
    let physio = mails(&app)
        .into_iter()
        .filter(|(to, text)| to.contains("physio@") && text.contains("kurssiesi keskusteluissa"))
        .count();
    assert_eq!(physio, 0);
}

#[tokio::test]
async fn no_mail_while_the_participant_has_the_chat_open_and_one_after_she_leaves() {
    let app = TestApp::new().await;
    let c = chat(&app, "Alpha").await;
    let state = &app.server.state;
    let email = c.demo.participant.email.clone();
    let before = mails_to(&app, &email).len();
    let mut socket = etapolku_tests::chat_client::connect(
        &c.demo.participant.client,
        &app.server.address,
        &c.demo.participant.token,
    )
    .await
    .expect("socket");
    socket
        .join_one(&c.private.uuid.to_string(), 0)
        .await
        .expect("join");
    say(&app, &c.private, &c.demo.guide, "Hei Aino").await;
    let later = app.server.clock.now() + Duration::minutes(15);
    assert_eq!(
        chat_private_mail::run(state, later).await.expect("run"),
        0,
        "she is online"
    );
    assert_eq!(mails_to(&app, &email).len(), before);
    socket.close().await;
    // The hub notices the closed socket shortly.
    let mut told = 0;
    for _ in 0..50 {
        told = chat_private_mail::run(state, later).await.expect("run");
        if told > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(told, 1, "mailed once she has gone");
    assert_eq!(mails_to(&app, &email).len(), before + 1);
}
