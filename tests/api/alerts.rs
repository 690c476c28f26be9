//! Alerts (issue 6, item 4): each kind opens and closes by itself as its fact changes, guides
//! acknowledge with a note, a fact that comes back opens a new alert, the weekly digest and the
//! nudge go out once (not again after a restart, not twice in a week), the nudge's opt-out, no
//! health data in the mails, authorization, bad input.
//!
//! The test clock starts on Monday 2.3.2026 10:00 Helsinki (UTC+2): remote week 2 of the demo
//! course, whose remote period runs from Monday 23.2. to Sunday 17.5.; on-site period 2 is
//! 18.–23.5. Summer time starts on Sunday 29.3. (remote week 5).

use chrono::{DateTime, Duration, TimeZone, Utc};
use etapolku_server::alerts::model::AlertKind;
use etapolku_server::alerts::service::{Evaluation, evaluate, open_alerts};
use etapolku_server::chat::model::{RoomKind, room_key};
use etapolku_server::chat::rooms::ensure_rooms;
use etapolku_server::clock::Clock;
use etapolku_server::entity::{alert, chat_room, course};
use etapolku_server::scheduler::jobs::{activity_nudge, alert_digest, alert_evaluation};
use etapolku_tests::spawn::spawn_restarted;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::chat_moderation::{chat_user, room, say, user_of};
use crate::chat_notifications::mails_to;
use crate::helpers::{DemoCourse, Session, TestApp, assert_problem};

const PAGE: &str = "01-omat-voimavarat-1";
const AUDIO: &str = "01-omat-voimavarat-2";
const EXERCISE: &str = "01-omat-voimavarat-3";
const TASK: &str = "01-omat-voimavarat-4";
const DISCUSSION: &str = "01-omat-voimavarat-5";

/// An instant given as Helsinki wall-clock time in 2026 (EET, or EEST from 29.3. 04:00).
fn helsinki(month: u32, day: u32, h: u32, m: u32) -> DateTime<Utc> {
    let offset = if (month, day) >= (3, 29) && !((month, day) == (3, 29) && h < 4) {
        3
    } else {
        2
    };
    Utc.with_ymd_and_hms(2026, month, day, h, m, 0)
        .single()
        .expect("time")
        - Duration::hours(offset)
}

fn now(app: &TestApp) -> DateTime<Utc> {
    app.server.clock.now()
}

/// Moves the clock to `to` and signs `who` in again (access tokens last 15 minutes).
async fn at(app: &TestApp, to: DateTime<Utc>, who: &Session) -> Session {
    app.server.clock.set(to);
    app.login(&who.email).await
}

async fn evaluate_at(app: &TestApp, when: DateTime<Utc>) -> Evaluation {
    evaluate(
        &app.server.state.db,
        app.server.state.config.inactive_days,
        when,
    )
    .await
    .expect("evaluation")
}

fn alerts_path(d: &DemoCourse) -> String {
    format!("/api/v1/courses/{}/alerts", d.course)
}

fn ack_path(d: &DemoCourse, alert: &str) -> String {
    format!("/api/v1/courses/{}/alerts/{alert}/acknowledge", d.course)
}

async fn alerts(app: &TestApp, d: &DemoCourse, who: &Session) -> Value {
    let res = app.get(who, &alerts_path(d)).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.expect("json")
}

/// The open alerts about `about`, as (kind, id), oldest kind first by name.
async fn open_of(
    app: &TestApp,
    d: &DemoCourse,
    viewer: &Session,
    about: &Session,
) -> Vec<(String, String)> {
    let view = alerts(app, d, viewer).await;
    let mut out: Vec<(String, String)> = view["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .filter(|a| a["participant"]["id"] == about.id.as_str() && a["closed_at"].is_null())
        .map(|a| {
            (
                a["kind"].as_str().expect("kind").to_owned(),
                a["id"].as_str().expect("id").to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

async fn kinds_of(app: &TestApp, d: &DemoCourse, viewer: &Session, about: &Session) -> Vec<String> {
    open_of(app, d, viewer, about)
        .await
        .into_iter()
        .map(|(k, _)| k)
        .collect()
}

async fn has(
    app: &TestApp,
    d: &DemoCourse,
    viewer: &Session,
    about: &Session,
    kind: &str,
) -> Option<String> {
    open_of(app, d, viewer, about)
        .await
        .into_iter()
        .find(|(k, _)| k == kind)
        .map(|(_, id)| id)
}

async fn ok(res: reqwest::Response) -> Value {
    assert!(res.status().is_success(), "status {}", res.status());
    res.json().await.expect("json")
}

async fn book(
    app: &TestApp,
    d: &DemoCourse,
    guide: &Session,
    kind: &str,
    when: DateTime<Utc>,
) -> String {
    let body = ok(app
        .post(
            guide,
            &format!(
                "/api/v1/courses/{}/participants/{}/contacts",
                d.course, d.participant.id
            ),
            json!({"kind": kind, "method": "phone", "planned_at": when}),
        )
        .await)
    .await;
    body["id"].as_str().expect("id").to_owned()
}

async fn credit(app: &TestApp, d: &DemoCourse, guide: &Session, when: DateTime<Utc>, minutes: i64) {
    ok(app
        .post(
            guide,
            &format!("/api/v1/courses/{}/guidance/entries", d.course),
            json!({"kind": "phone_call", "started_at": when, "minutes": minutes,
                   "participant_ids": [d.participant.id], "note": "Puhelu"}),
        )
        .await)
    .await;
}

async fn course_row(app: &TestApp, d: &DemoCourse) -> course::Model {
    course::Entity::find()
        .filter(course::Column::Uuid.eq(d.course.parse::<uuid::Uuid>().expect("uuid")))
        .one(&app.server.db)
        .await
        .expect("query")
        .expect("course")
}

/// Aino's private thread with the team.
async fn private_thread(app: &TestApp, d: &DemoCourse) -> chat_room::Model {
    for s in [&d.participant, &d.guide] {
        ensure_rooms(&app.server.db, &chat_user(app, s).await, now(app))
            .await
            .expect("rooms");
    }
    let aino = user_of(app, &d.participant).await;
    room(app, &d.course, &room_key(RoomKind::Private, Some(aino.id))).await
}

// ---- each kind opens and closes -----------------------------------------------------------------

#[tokio::test]
async fn an_inactive_participant_gets_an_alert_that_closes_when_she_comes_back_and_opens_anew() {
    // Arrange: Aino has not been seen since the remote period began on 23.2. (7 days and 10 h).
    let app = TestApp::new().await;
    let d = app.demo_course("Idle").await;

    // Act and assert: the alert opens …
    let done = evaluate_at(&app, now(&app)).await;
    assert_eq!(done.courses, 1);
    let first = has(&app, &d, &d.guide, &d.participant, "inactive")
        .await
        .expect("an inactive alert");
    let view = alerts(&app, &d, &d.guide).await;
    assert_eq!(view["inactive_days"], 7);

    // … closes once she uses the program …
    let beat = format!("/api/v1/me/progress/items/{PAGE}/heartbeat");
    ok(app
        .post(&d.participant, &beat, json!({"seconds": 30}))
        .await)
    .await;
    evaluate_at(&app, now(&app)).await;
    assert_eq!(
        has(&app, &d, &d.guide, &d.participant, "inactive").await,
        None
    );
    let closed = alert::Entity::find()
        .filter(alert::Column::Uuid.eq(first.parse::<uuid::Uuid>().expect("uuid")))
        .one(&app.server.db)
        .await
        .expect("query")
        .expect("row");
    assert_eq!(closed.closed_at, Some(now(&app)));

    // … stays closed a second short of seven days later, and a new one opens at seven days.
    let guide = at(
        &app,
        now(&app) + Duration::days(7) - Duration::seconds(1),
        &d.guide,
    )
    .await;
    evaluate_at(&app, now(&app)).await;
    assert_eq!(
        has(&app, &d, &guide, &d.participant, "inactive").await,
        None
    );
    app.advance(Duration::seconds(1));
    evaluate_at(&app, now(&app)).await;
    let second = has(&app, &d, &guide, &d.participant, "inactive")
        .await
        .expect("a new inactive alert");
    assert_ne!(second, first);
    // The closed one is still listed (closed in the last 14 days), after the open ones.
    let view = alerts(&app, &d, &guide).await;
    let list = view["alerts"].as_array().expect("alerts");
    let pos = |id: &str| list.iter().position(|a| a["id"] == id).expect("listed");
    assert!(pos(&second) < pos(&first));
    assert!(list[pos(&first)]["closed_at"].is_string());
}

#[tokio::test]
async fn program_behind_pace_opens_in_week_2_and_closes_when_module_1_is_done() {
    // Arrange: week 2 expects module 1.
    let app = TestApp::new().await;
    let d = app.demo_course("Prog").await;
    evaluate_at(&app, now(&app)).await;
    assert!(
        has(&app, &d, &d.guide, &d.participant, "program_behind")
            .await
            .is_some()
    );

    // Act: every item of module 1.
    let s = &d.participant;
    for item in [PAGE, AUDIO, TASK, DISCUSSION] {
        ok(app
            .post(
                s,
                &format!("/api/v1/me/progress/items/{item}/complete"),
                json!({}),
            )
            .await)
        .await;
    }
    evaluate_at(&app, now(&app)).await;
    assert!(
        has(&app, &d, &d.guide, &d.participant, "program_behind")
            .await
            .is_some()
    );
    ok(app
        .post(
            s,
            &format!("/api/v1/me/answers/{EXERCISE}/submit"),
            json!({"answers": {format!("{EXERCISE}-q2"): "Kävely"}}),
        )
        .await)
    .await;
    evaluate_at(&app, now(&app)).await;

    // Assert
    assert_eq!(
        has(&app, &d, &d.guide, &d.participant, "program_behind").await,
        None
    );
}

#[tokio::test]
async fn guidance_behind_pace_uses_the_previous_weeks_line_and_turns_at_helsinki_midnight_after_the_dst_change()
 {
    // Arrange: Monday of week 2 expects the 20 minutes of week 1 (not the 40 of week 2).
    let app = TestApp::new().await;
    let d = app.demo_course("Guide").await;
    evaluate_at(&app, now(&app)).await;
    assert!(
        has(&app, &d, &d.guide, &d.participant, "guidance_behind")
            .await
            .is_some()
    );
    credit(&app, &d, &d.guide, helsinki(2, 26, 10, 0), 20).await;
    evaluate_at(&app, now(&app)).await;
    assert_eq!(
        has(&app, &d, &d.guide, &d.participant, "guidance_behind").await,
        None
    );

    // Act: 80 minutes by Sunday 29.3. (week 5, the night summer time starts): on pace until
    // Sunday 23:59:59 EEST; Monday 30.3. 00:00 EEST (21:00 UTC) expects the 100 of weeks 1–5.
    let guide = at(&app, helsinki(3, 29, 12, 0), &d.guide).await;
    credit(&app, &d, &guide, helsinki(3, 10, 10, 0), 60).await;
    let sunday = Utc
        .with_ymd_and_hms(2026, 3, 29, 20, 59, 59)
        .single()
        .expect("t");
    evaluate_at(&app, sunday).await;
    assert_eq!(
        has(&app, &d, &guide, &d.participant, "guidance_behind").await,
        None
    );
    let monday = Utc
        .with_ymd_and_hms(2026, 3, 29, 21, 0, 0)
        .single()
        .expect("t");
    evaluate_at(&app, monday).await;

    // Assert
    assert!(
        has(&app, &d, &guide, &d.participant, "guidance_behind")
            .await
            .is_some()
    );
}

#[tokio::test]
async fn an_interim_contact_is_due_by_the_end_of_week_4_and_closes_the_alert_once_booked() {
    // Arrange: week 4 ends on Sunday 22.3. at 24:00 EET (22:00 UTC).
    let app = TestApp::new().await;
    let d = app.demo_course("Interim").await;
    let guide = at(&app, helsinki(3, 23, 9, 0), &d.guide).await;
    let sunday = Utc
        .with_ymd_and_hms(2026, 3, 22, 21, 59, 59)
        .single()
        .expect("t");
    evaluate_at(&app, sunday).await;
    assert_eq!(
        has(&app, &d, &guide, &d.participant, "interim_unplanned").await,
        None
    );

    // Act and assert: Monday 00:00 of week 5 opens it …
    let monday = Utc
        .with_ymd_and_hms(2026, 3, 22, 22, 0, 0)
        .single()
        .expect("t");
    evaluate_at(&app, monday).await;
    assert!(
        has(&app, &d, &guide, &d.participant, "interim_unplanned")
            .await
            .is_some()
    );
    // … and a planned contact closes it.
    book(&app, &d, &guide, "interim", helsinki(3, 25, 10, 0)).await;
    evaluate_at(&app, now(&app)).await;
    assert_eq!(
        has(&app, &d, &guide, &d.participant, "interim_unplanned").await,
        None
    );
}

#[tokio::test]
async fn a_contact_left_open_after_its_time_is_overdue_until_it_is_marked_held() {
    // Arrange: a call on Tuesday 3.3. at 10:00 for 30 minutes.
    let app = TestApp::new().await;
    let d = app.demo_course("Late").await;
    let contact = book(&app, &d, &d.guide, "interim", helsinki(3, 3, 10, 0)).await;
    evaluate_at(&app, helsinki(3, 3, 10, 30)).await;
    assert_eq!(
        has(&app, &d, &d.guide, &d.participant, "contact_overdue").await,
        None
    );

    // Act and assert: after its end it is overdue …
    let guide = at(&app, helsinki(3, 3, 10, 31), &d.guide).await;
    evaluate_at(&app, now(&app)).await;
    assert!(
        has(&app, &d, &guide, &d.participant, "contact_overdue")
            .await
            .is_some()
    );
    // … until it is marked held.
    ok(app
        .post(
            &guide,
            &format!("/api/v1/courses/{}/contacts/{contact}/done", d.course),
            json!({"minutes": 30, "note": "Hyvä puhelu"}),
        )
        .await)
    .await;
    evaluate_at(&app, now(&app)).await;
    assert_eq!(
        has(&app, &d, &guide, &d.participant, "contact_overdue").await,
        None
    );
}

#[tokio::test]
async fn no_follow_up_planned_after_onsite_period_2_opens_an_alert_until_one_is_booked() {
    // Arrange: on-site period 2 ends on Saturday 23.5.
    let app = TestApp::new().await;
    let d = app.demo_course("Follow").await;
    let guide = at(&app, helsinki(5, 24, 9, 0), &d.guide).await;
    evaluate_at(&app, helsinki(5, 23, 23, 59)).await;
    assert_eq!(
        has(&app, &d, &guide, &d.participant, "follow_up_unplanned").await,
        None
    );

    // Act and assert
    evaluate_at(&app, helsinki(5, 24, 0, 0)).await;
    assert!(
        has(&app, &d, &guide, &d.participant, "follow_up_unplanned")
            .await
            .is_some()
    );
    // The remote period is over: nobody is "inactive" any more.
    assert_eq!(
        has(&app, &d, &guide, &d.participant, "inactive").await,
        None
    );
    book(&app, &d, &guide, "follow_up", helsinki(6, 10, 10, 0)).await;
    evaluate_at(&app, now(&app)).await;
    assert_eq!(
        has(&app, &d, &guide, &d.participant, "follow_up_unplanned").await,
        None
    );
}

#[tokio::test]
async fn a_message_to_the_team_unanswered_for_48_hours_opens_an_alert_that_a_reply_closes() {
    // Arrange: Aino writes to the team on Monday at 10:00.
    let app = TestApp::new().await;
    let d = app.demo_course("Reply").await;
    let thread = private_thread(&app, &d).await;
    say(
        &app,
        &thread,
        &d.participant,
        "Voisinko kysyä harjoituksesta?",
    )
    .await;

    // Act and assert: nothing at 47:59, an alert at 48:00 …
    let guide = at(&app, now(&app) + Duration::hours(48), &d.guide).await;
    evaluate_at(&app, now(&app) - Duration::minutes(1)).await;
    assert_eq!(
        has(&app, &d, &guide, &d.participant, "message_unanswered").await,
        None
    );
    evaluate_at(&app, now(&app)).await;
    assert!(
        has(&app, &d, &guide, &d.participant, "message_unanswered")
            .await
            .is_some()
    );
    // … and the team's reply closes it.
    say(&app, &thread, &guide, "Totta kai, soitan huomenna.").await;
    evaluate_at(&app, now(&app)).await;
    assert_eq!(
        has(&app, &d, &guide, &d.participant, "message_unanswered").await,
        None
    );
}

// ---- acknowledging ------------------------------------------------------------------------------

#[tokio::test]
async fn an_acknowledged_alert_stays_open_with_the_note_and_a_returning_fact_opens_a_new_one() {
    // Arrange
    let app = TestApp::new().await;
    let d = app.demo_course("Ack").await;
    evaluate_at(&app, now(&app)).await;
    let id = has(&app, &d, &d.guide, &d.participant, "guidance_behind")
        .await
        .expect("alert");
    let audits = app.count("audit_log").await;

    // Act
    let res = app
        .post(
            &d.guide,
            &ack_path(&d, &id),
            json!({"note": "  Soitan hänelle tänään.  "}),
        )
        .await;

    // Assert: acknowledged, by whom, when, with the note; still open; in the usage log.
    let view = ok(res).await;
    assert_eq!(view["acknowledged"]["note"], "Soitan hänelle tänään.");
    assert_eq!(view["acknowledged"]["by"]["id"], d.guide.id.as_str());
    assert_eq!(view["acknowledged"]["at"], "2026-03-02T08:00:00Z");
    assert!(view["closed_at"].is_null());
    assert_eq!(app.count("audit_log").await, audits + 1);
    evaluate_at(&app, now(&app)).await;
    assert_eq!(
        has(&app, &d, &d.guide, &d.participant, "guidance_behind").await,
        Some(id.clone())
    );
    assert_problem(
        app.post(&d.guide, &ack_path(&d, &id), json!({"note": "Uudestaan"}))
            .await,
        StatusCode::CONFLICT,
        "alert_acknowledged",
    )
    .await;
    let row = etapolku_server::entity::user::Entity::find()
        .filter(
            etapolku_server::entity::user::Column::Uuid.eq(d
                .participant
                .id
                .parse::<uuid::Uuid>()
                .expect("uuid")),
        )
        .one(&app.server.db)
        .await
        .expect("q")
        .expect("aino");
    let open = open_alerts(&app.server.db, &[course_row(&app, &d).await.id])
        .await
        .expect("open alerts");
    let mine = open
        .iter()
        .find(|a| a.kind == AlertKind::GuidanceBehind)
        .expect("listed for the monitoring view");
    assert_eq!(mine.participant_id, row.id);
    assert!(mine.acknowledged);
    assert_eq!(mine.id.to_string(), id);

    // The fact ends: the alert closes, keeping its acknowledgement; it cannot be acknowledged.
    credit(&app, &d, &d.guide, helsinki(2, 26, 10, 0), 20).await;
    evaluate_at(&app, now(&app)).await;
    let view = alerts(&app, &d, &d.guide).await;
    let closed = view["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .find(|a| a["id"] == id.as_str())
        .expect("still listed");
    assert!(closed["closed_at"].is_string());
    assert_eq!(closed["acknowledged"]["note"], "Soitan hänelle tänään.");
    assert_problem(
        app.post(&d.guide, &ack_path(&d, &id), json!({"note": "Myöhässä"}))
            .await,
        StatusCode::CONFLICT,
        "alert_closed",
    )
    .await;

    // It comes back a week later (40 minutes due): a new alert, not acknowledged.
    let guide = at(&app, helsinki(3, 9, 9, 0), &d.guide).await;
    evaluate_at(&app, now(&app)).await;
    let again = has(&app, &d, &guide, &d.participant, "guidance_behind")
        .await
        .expect("a new alert");
    assert_ne!(again, id);
    let view = alerts(&app, &d, &guide).await;
    let new = view["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .find(|a| a["id"] == again.as_str())
        .expect("listed");
    assert!(new["acknowledged"].is_null());
}

#[tokio::test]
async fn a_bad_acknowledgement_is_refused_clearly_and_nothing_is_stored() {
    // Arrange
    let app = TestApp::new().await;
    let d = app.demo_course("Bad").await;
    evaluate_at(&app, now(&app)).await;
    let id = has(&app, &d, &d.guide, &d.participant, "inactive")
        .await
        .expect("alert");
    let path = ack_path(&d, &id);

    // Act and assert
    let body = assert_problem(
        app.post(&d.guide, &path, json!({"note": "  \n "})).await,
        StatusCode::BAD_REQUEST,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "note");
    assert_eq!(body["errors"][0]["code"], "required");
    let body = assert_problem(
        app.post(&d.guide, &path, json!({"note": "a".repeat(1001)}))
            .await,
        StatusCode::BAD_REQUEST,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "too_long");
    assert_problem(
        app.post(&d.guide, &path, json!({"note": "x".repeat(70_000)}))
            .await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
    assert_problem(
        app.post(&d.guide, &path, json!({})).await,
        StatusCode::BAD_REQUEST,
        "validation_failed",
    )
    .await;
    assert_problem(
        app.post(&d.guide, &path, json!({"note": "ok", "closed": true}))
            .await,
        StatusCode::BAD_REQUEST,
        "validation_failed",
    )
    .await;
    let unknown = uuid::Uuid::new_v4().to_string();
    assert_problem(
        app.post(&d.guide, &ack_path(&d, &unknown), json!({"note": "ok"}))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.post(&d.guide, &ack_path(&d, "not-a-uuid"), json!({"note": "ok"}))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let rows = alert::Entity::find()
        .all(&app.server.db)
        .await
        .expect("rows");
    assert!(
        rows.iter()
            .all(|a| a.acknowledged_at.is_none() && a.ack_note.is_none())
    );
}

// ---- who sees what ------------------------------------------------------------------------------

#[tokio::test]
async fn only_the_courses_staff_see_its_alerts_and_only_its_team_acknowledges_them() {
    // Arrange
    let app = TestApp::new().await;
    let d = app.demo_course("Own").await;
    let other = app.demo_course("Other").await;
    evaluate_at(&app, now(&app)).await;
    let id = has(&app, &d, &d.guide, &d.participant, "inactive")
        .await
        .expect("alert");
    let audits = app.count("audit_log").await;

    // Act and assert: a guide of another course sees nothing and acknowledges nothing …
    assert_problem(
        app.get(&other.guide, &alerts_path(&d)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.post(&other.guide, &ack_path(&d, &id), json!({"note": "x"}))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // … nor through their own course's path …
    assert_problem(
        app.post(&other.guide, &ack_path(&other, &id), json!({"note": "x"}))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // … a participant is refused …
    assert_problem(
        app.get(&d.participant, &alerts_path(&d)).await,
        StatusCode::FORBIDDEN,
        "wrong_role",
    )
    .await;
    assert_problem(
        app.post(&d.participant, &ack_path(&d, &id), json!({"note": "x"}))
            .await,
        StatusCode::FORBIDDEN,
        "wrong_role",
    )
    .await;
    // … and the provider's admin reads them but, not on the team, cannot acknowledge.
    let view = alerts(&app, &d, &d.provider.admin).await;
    assert!(!view["alerts"].as_array().expect("alerts").is_empty());
    assert_problem(
        app.post(&d.provider.admin, &ack_path(&d, &id), json!({"note": "x"}))
            .await,
        StatusCode::FORBIDDEN,
        "not_on_team",
    )
    .await;
    // Only the admin's read was about Aino's data; it is in the usage log.
    assert_eq!(app.count("audit_log").await, audits + 1);
    let listed = kinds_of(&app, &other, &other.guide, &other.participant).await;
    assert!(listed.contains(&"inactive".to_owned()));
    assert_eq!(
        kinds_of(&app, &other, &other.guide, &d.participant).await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn a_participant_taken_off_the_course_has_her_alerts_closed_and_hidden() {
    // Arrange
    let app = TestApp::new().await;
    let d = app.demo_course("Gone").await;
    evaluate_at(&app, now(&app)).await;
    assert!(
        !kinds_of(&app, &d, &d.guide, &d.participant)
            .await
            .is_empty()
    );

    // Act
    let res = app
        .delete(
            &d.provider.admin,
            &format!(
                "/api/v1/courses/{}/participants/{}",
                d.course, d.participant.id
            ),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let done = evaluate_at(&app, now(&app)).await;

    // Assert
    assert!(done.closed > 0);
    let view = alerts(&app, &d, &d.guide).await;
    assert_eq!(view["alerts"], json!([]));
    assert!(
        open_alerts(&app.server.db, &[course_row(&app, &d).await.id])
            .await
            .expect("open")
            .is_empty()
    );
}

// ---- the scheduler: evaluation, digest, nudge ---------------------------------------------------

#[tokio::test]
async fn the_evaluation_runs_once_per_ten_minutes_also_across_a_restart() {
    let app = TestApp::new().await;
    app.demo_course("Tick").await;
    let state = &app.server.state;
    let t = helsinki(3, 2, 10, 0);
    let first = alert_evaluation::run(state, t).await.expect("run");
    assert!(first.is_some_and(|e| e.opened > 0));
    assert_eq!(
        alert_evaluation::run(state, t + Duration::minutes(9))
            .await
            .expect("run"),
        None
    );
    let restarted = spawn_restarted(&app.server).await.expect("restart");
    assert_eq!(
        alert_evaluation::run(&restarted.state, t + Duration::minutes(5))
            .await
            .expect("run"),
        None
    );
    restarted.handle.stop(true).await;
    let next = alert_evaluation::run(state, t + Duration::minutes(10))
        .await
        .expect("run");
    assert_eq!(next.map(|e| (e.opened, e.closed)), Some((0, 0)));
}

#[tokio::test]
async fn the_evaluation_takes_the_same_statements_for_one_participant_or_eight() {
    // Arrange
    let app = TestApp::new().await;
    let d = app.demo_course("Count").await;
    let queries = &app.server.state.queries;
    evaluate_at(&app, now(&app)).await;
    let before = queries.get();
    evaluate_at(&app, now(&app)).await;
    let one = queries.get() - before;

    // Act
    app.enrol_many(&d.provider, &d.course, 7, "more").await;
    evaluate_at(&app, now(&app)).await;
    let before = queries.get();
    evaluate_at(&app, now(&app)).await;
    let eight = queries.get() - before;

    // Assert
    assert_eq!(one, eight, "no statement per participant");
    assert!(eight <= 16, "{eight} statements");
}

/// The nudges in the outbox to `email`, decoded.
fn nudges_to(app: &TestApp, email: &str) -> Vec<String> {
    mails_to(app, email)
        .into_iter()
        .filter(|m| m.contains("emme ole nähneet sinua"))
        .collect()
}

fn assert_no_participant_data(mail: &str) {
    for secret in [
        "aino",
        "Aino",
        "Voisinko",
        "Puhelu",
        "Soitan",
        "voimavarat",
        "Kävely",
    ] {
        assert!(!mail.contains(secret), "{secret} in {mail}");
    }
}

#[tokio::test]
async fn the_weekly_digest_goes_to_each_team_member_once_on_monday_morning() {
    // Arrange: open alerts about Aino on the course of a team of six.
    let app = TestApp::new().await;
    let d = app.demo_course("Digest").await;
    let thread = private_thread(&app, &d).await;
    say(
        &app,
        &thread,
        &d.participant,
        "Voisinko kysyä harjoituksesta?",
    )
    .await;
    evaluate_at(&app, now(&app)).await;
    let state = &app.server.state;

    // Act and assert: not before 08:00 on Monday …
    assert_eq!(
        alert_digest::run(state, helsinki(3, 2, 7, 59))
            .await
            .expect("run"),
        0
    );
    // … then once to each of the six …
    assert_eq!(
        alert_digest::run(state, helsinki(3, 2, 8, 0))
            .await
            .expect("run"),
        6
    );
    // … and not again: later that morning, after a restart, or on Tuesday.
    assert_eq!(
        alert_digest::run(state, helsinki(3, 2, 9, 0))
            .await
            .expect("run"),
        0
    );
    let restarted = spawn_restarted(&app.server).await.expect("restart");
    assert_eq!(
        alert_digest::run(&restarted.state, helsinki(3, 2, 9, 30))
            .await
            .expect("run"),
        0
    );
    restarted.handle.stop(true).await;
    assert_eq!(
        alert_digest::run(state, helsinki(3, 3, 8, 0))
            .await
            .expect("run"),
        0
    );
    let mails = mails_to(&app, &d.guide.email);
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(
        mail.contains("kurssiesi osallistujista on avoimia hälytyksiä"),
        "{mail}"
    );
    assert!(mail.contains("Kurssi: "), "{mail}");
    assert!(mail.contains("avointa hälytystä"), "{mail}");
    assert!(
        mail.contains(&format!("/ohjaus/kurssi/{}", d.course)),
        "{mail}"
    );
    assert_no_participant_data(mail);

    // The next Monday brings the next digest.
    assert_eq!(
        alert_digest::run(state, helsinki(3, 9, 8, 0))
            .await
            .expect("run"),
        6
    );
    assert_eq!(mails_to(&app, &d.guide.email).len(), 2);
}

#[tokio::test]
async fn an_inactive_participant_gets_one_friendly_nudge_a_week_and_none_after_a_restart() {
    // Arrange: Aino has not been seen for a week.
    let app = TestApp::new().await;
    let d = app.demo_course("Nudge").await;
    evaluate_at(&app, now(&app)).await;
    let state = &app.server.state;
    let email = d.participant.email.clone();

    // Act and assert: daytime only …
    assert_eq!(
        activity_nudge::run(state, helsinki(3, 2, 9, 59))
            .await
            .expect("run"),
        0
    );
    assert_eq!(
        activity_nudge::run(state, helsinki(3, 2, 10, 0))
            .await
            .expect("run"),
        1
    );
    // … once: not on the next tick, not after a restart, not later in the week …
    assert_eq!(
        activity_nudge::run(state, helsinki(3, 2, 10, 1))
            .await
            .expect("run"),
        0
    );
    let restarted = spawn_restarted(&app.server).await.expect("restart");
    assert_eq!(
        activity_nudge::run(&restarted.state, helsinki(3, 2, 11, 0))
            .await
            .expect("run"),
        0
    );
    restarted.handle.stop(true).await;
    for day in 3..=8 {
        assert_eq!(
            activity_nudge::run(state, helsinki(3, day, 12, 0))
                .await
                .expect("run"),
            0,
            "day {day}"
        );
    }
    // … and again a week later while she is still away.
    evaluate_at(&app, helsinki(3, 9, 10, 0)).await;
    assert_eq!(
        activity_nudge::run(state, helsinki(3, 9, 10, 0))
            .await
            .expect("run"),
        1
    );
    let mails = nudges_to(&app, &email);
    assert_eq!(mails.len(), 2);
    let mail = &mails[0];
    assert!(mail.contains("Hei aino,"), "{mail}");
    assert!(mail.contains("/tanaan"), "{mail}");
    assert!(mail.contains("asetuksista"), "{mail}");
    for secret in ["voimavarat", "Kävely", "hälytys", "tavoite", "ohjausta"] {
        assert!(!mail.contains(secret), "{secret} in {mail}");
    }
    // Nobody else got one: the guides are not participants.
    assert_eq!(nudges_to(&app, "@").len(), 2);
}

#[tokio::test]
async fn a_participant_who_turned_the_nudge_off_gets_none_and_staff_have_no_such_setting() {
    // Arrange
    let app = TestApp::new().await;
    let d = app.demo_course("Quiet").await;
    let me = ok(app.get(&d.participant, "/api/v1/me").await).await;
    assert_eq!(me["preferences"]["activity_nudges"], true);

    // Act
    let me = ok(app
        .patch(
            &d.participant,
            "/api/v1/me",
            json!({"activity_nudges": false}),
        )
        .await)
    .await;
    evaluate_at(&app, now(&app)).await;

    // Assert
    assert_eq!(me["preferences"]["activity_nudges"], false);
    assert_eq!(
        activity_nudge::run(&app.server.state, helsinki(3, 2, 10, 0))
            .await
            .expect("run"),
        0
    );
    assert!(nudges_to(&app, &d.participant.email).is_empty());
    let body = assert_problem(
        app.patch(&d.guide, "/api/v1/me", json!({"activity_nudges": false}))
            .await,
        StatusCode::BAD_REQUEST,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "activity_nudges");
    let guide_me = ok(app.get(&d.guide, "/api/v1/me").await).await;
    assert!(guide_me["preferences"].get("activity_nudges").is_none());
}

#[tokio::test]
async fn the_inactivity_threshold_comes_from_the_configuration() {
    // Arrange: three days instead of seven.
    let app = TestApp::with_config(|c| c.inactive_days = 3).await;
    let d = app.demo_course("Three").await;
    let beat = format!("/api/v1/me/progress/items/{PAGE}/heartbeat");
    ok(app
        .post(&d.participant, &beat, json!({"seconds": 30}))
        .await)
    .await;

    // Act and assert
    evaluate_at(&app, now(&app) + Duration::days(3) - Duration::seconds(1)).await;
    assert_eq!(
        has(&app, &d, &d.guide, &d.participant, "inactive").await,
        None
    );
    evaluate_at(&app, now(&app) + Duration::days(3)).await;
    assert!(
        has(&app, &d, &d.guide, &d.participant, "inactive")
            .await
            .is_some()
    );
    assert_eq!(alerts(&app, &d, &d.guide).await["inactive_days"], 3);
}
