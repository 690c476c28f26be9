//! The guide's monitoring view (issue 6 §3): a row per participant against the pace lines, and
//! one participant's timeline; each staff read audited, nothing visible outside the course.
//!
//! The test clock is Monday 2.3.2026 10:00 Helsinki, remote week 2 of the demo course: one module
//! (the first week's) is due, and the guidance pace line is 40 minutes.

use chrono::Duration;
use etapolku_server::clock::Clock;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::chat::{ChatCourse, chat_course, joined, say};
use crate::helpers::{Session, TestApp, assert_problem};

const PAGE: &str = "01-omat-voimavarat-1";
const AUDIO: &str = "01-omat-voimavarat-2";
const TASK: &str = "01-omat-voimavarat-4";

fn monitoring(c: &ChatCourse) -> String {
    format!("/api/v1/courses/{}/monitoring", c.demo.course)
}

fn timeline(c: &ChatCourse) -> String {
    format!(
        "/api/v1/courses/{}/participants/{}/timeline",
        c.demo.course, c.demo.participant.id
    )
}

async fn ok_json(res: reqwest::Response) -> Value {
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.expect("json")
}

fn row_of<'a>(view: &'a Value, who: &Session) -> &'a Value {
    view["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .find(|r| r["participant"]["id"] == who.id.as_str())
        .expect("the participant's row")
}

/// Aino works on module 1, logs today's walk, writes to the team and gets 45 minutes of guidance
/// and an interim contact booked for tomorrow.
async fn a_busy_week(app: &TestApp, c: &ChatCourse) {
    let p = &c.demo.participant;
    for item in [PAGE, AUDIO, TASK] {
        let path = format!("/api/v1/me/progress/items/{item}/complete");
        assert_eq!(app.post(p, &path, json!({})).await.status(), StatusCode::OK);
    }
    let task = ok_created(
        app.post(
            p,
            "/api/v1/me/tasks",
            json!({"title": "Kävely 20 min", "days": ["mon", "wed", "fri"], "weeks": 4}),
        )
        .await,
    )
    .await;
    let log = format!(
        "/api/v1/me/tasks/{}/logs/2026-03-02",
        task["id"].as_str().expect("id")
    );
    assert_eq!(
        app.put(p, &log, json!({"done": true, "rating": 4}))
            .await
            .status(),
        StatusCode::OK
    );
    let (mut socket, _) = joined(app, p, &c.private, 0).await;
    say(&mut socket, &c.private, "Hei, kysyisin yhtä asiaa.").await;
    socket.close().await;
    let entries = format!("/api/v1/courses/{}/guidance/entries", c.demo.course);
    ok_created(
        app.post(
            &c.demo.guide,
            &entries,
            json!({"kind": "phone_call", "started_at": "2026-02-26T09:00:00Z", "minutes": 45,
                   "participant_ids": [p.id], "note": "Puhelu."}),
        )
        .await,
    )
    .await;
    let contacts = format!(
        "/api/v1/courses/{}/participants/{}/contacts",
        c.demo.course, p.id
    );
    ok_created(
        app.post(
            &c.demo.guide,
            &contacts,
            json!({"kind": "interim", "method": "phone", "planned_at": "2026-03-03T08:00:00Z"}),
        )
        .await,
    )
    .await;
}

async fn ok_created(res: reqwest::Response) -> Value {
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json().await.expect("json")
}

#[tokio::test]
async fn a_guide_sees_every_participant_against_the_pace_lines_and_each_read_is_audited() {
    // Arrange
    let app = TestApp::new().await;
    let c = chat_course(&app, "Mon", 1).await;
    a_busy_week(&app, &c).await;
    let audits = app.count("audit_log").await;

    // Act
    let view = ok_json(app.get(&c.demo.guide, &monitoring(&c)).await).await;

    // Assert
    assert_eq!(view["phase"], "remote");
    assert_eq!(view["remote_week"], 2);
    assert_eq!(view["rules"].as_array().map(Vec::len), Some(2));
    assert_eq!(view["participants"].as_array().map(Vec::len), Some(2));
    let aino = row_of(&view, &c.demo.participant);
    assert_eq!(aino["inactive_days"], 0);
    assert!(aino["last_active_at"].is_string());
    assert_eq!(aino["active_days_this_week"], 1);
    // Module 1 has five items and the exercise is not answered: behind the one module due.
    assert_eq!(aino["program"]["completed_items"], 3);
    assert_eq!(aino["program"]["completed_modules"], 0);
    assert_eq!(aino["program"]["expected_modules"], 1);
    assert_eq!(aino["program"]["on_pace"], false);
    assert_eq!(aino["tasks"]["active_tasks"], 1);
    assert_eq!(aino["tasks"]["agreed_tasks"], 0);
    assert_eq!(aino["tasks"]["done"], 1);
    assert_eq!(aino["tasks"]["planned"], 1);
    assert_eq!(aino["tasks"]["ratio"], 1.0);
    assert_eq!(aino["guidance"]["remote_minutes"], 45);
    assert_eq!(aino["guidance"]["required_minutes"], 240);
    assert_eq!(aino["guidance"]["pace"]["expected_minutes"], 40);
    assert_eq!(aino["guidance"]["pace"]["on_pace"], true);
    assert_eq!(aino["contacts"]["interim_open"], 1);
    assert_eq!(aino["contacts"]["interim_done"], 0);
    assert_eq!(aino["open_contacts"]["next_at"], "2026-03-03T08:00:00Z");
    assert_eq!(aino["open_contacts"]["overdue"], 0);
    assert_eq!(aino["unread_private"], 1);
    assert!(
        aino.get("participant_id").is_none(),
        "no internal ids: {aino}"
    );
    let other = row_of(&view, &c.others[0]);
    assert_eq!(other["last_active_at"], Value::Null);
    assert_eq!(other["inactive_days"], Value::Null);
    assert_eq!(other["program"]["completed_items"], 0);
    assert_eq!(other["tasks"]["ratio"], Value::Null);
    assert_eq!(other["guidance"]["remote_minutes"], 0);
    assert_eq!(other["guidance"]["pace"]["on_pace"], false);
    assert_eq!(other["unread_private"], 0);
    assert_eq!(app.count("audit_log").await, audits + 2);
}

#[tokio::test]
async fn days_without_activity_and_a_contact_left_open_show_as_time_moves_on() {
    // Arrange
    let app = TestApp::new().await;
    let c = chat_course(&app, "Later", 0).await;
    a_busy_week(&app, &c).await;

    // Act: Friday 6.3., three days after the contact's planned time.
    app.advance(Duration::days(4));
    etapolku_server::alerts::service::evaluate(&app.server.db, 7, app.server.clock.now())
        .await
        .expect("the alerts pass");
    let guide = app.login(&c.demo.guide.email).await;
    let view = ok_json(app.get(&guide, &monitoring(&c)).await).await;

    // Assert
    let aino = row_of(&view, &c.demo.participant);
    assert_eq!(aino["inactive_days"], 4);
    assert_eq!(aino["active_days_this_week"], 1);
    assert_eq!(aino["open_contacts"]["overdue"], 1);
    assert_eq!(aino["open_contacts"]["next_at"], Value::Null);
    // Monday, Wednesday and Friday were planned; one was done.
    assert_eq!(aino["tasks"]["planned"], 3);
    assert_eq!(aino["tasks"]["done"], 1);
    // The alerts the pass opened are on her row, as codes the UI words.
    let kinds: Vec<&str> = aino["open_alerts"]
        .as_array()
        .expect("open_alerts")
        .iter()
        .filter_map(|a| a["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"contact_overdue"), "{kinds:?}");
    assert!(kinds.contains(&"program_behind"), "{kinds:?}");
    assert_eq!(view["inactive_days_limit"], 7);
    // The team's reply marks nothing read for another guide, but reading does for this one.
    let read = format!("/api/v1/chat/rooms/{}/read", c.private);
    let res = app.post(&guide, &read, json!({"seq": 1})).await;
    assert!(res.status().is_success(), "read marker: {}", res.status());
    let view = ok_json(app.get(&guide, &monitoring(&c)).await).await;
    assert_eq!(row_of(&view, &c.demo.participant)["unread_private"], 0);
}

#[tokio::test]
async fn the_timeline_lists_what_the_participant_did_newest_first_and_is_audited() {
    // Arrange
    let app = TestApp::new().await;
    let c = chat_course(&app, "Line", 0).await;
    a_busy_week(&app, &c).await;
    let audits = app.count("audit_log").await;

    // Act
    let line = ok_json(app.get(&c.demo.guide, &timeline(&c)).await).await;

    // Assert
    let events = line["events"].as_array().expect("events");
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"]["kind"].as_str().unwrap_or(""))
        .collect();
    for kind in [
        "active",
        "completed",
        "task_log",
        "message",
        "contact",
        "guidance",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    let times: Vec<&str> = events
        .iter()
        .map(|e| e["at"].as_str().unwrap_or(""))
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");
    let message = events
        .iter()
        .find(|e| e["event"]["kind"] == "message")
        .expect("message");
    assert_eq!(message["event"]["room"], "private");
    assert_eq!(message["event"]["text"], "Hei, kysyisin yhtä asiaa.");
    let done = events
        .iter()
        .find(|e| e["event"]["kind"] == "completed")
        .expect("completed");
    assert_eq!(done["event"]["module_number"], 1);
    assert!(done["event"]["title"].is_array(), "{done}");
    assert_eq!(line["truncated"], false);
    assert_eq!(app.count("audit_log").await, audits + 1);
}

#[tokio::test]
async fn nobody_outside_the_course_sees_its_monitoring_or_timelines() {
    // Arrange
    let app = TestApp::new().await;
    let c = chat_course(&app, "Own", 0).await;
    let other = app.demo_course("Other").await;
    let audits = app.count("audit_log").await;

    // Act and assert: another course's guide and admin get 404, the participant 403.
    for outsider in [&other.guide, &other.provider.admin] {
        assert_problem(
            app.get(outsider, &monitoring(&c)).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert_problem(
            app.get(outsider, &timeline(&c)).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    let me = &c.demo.participant;
    assert_eq!(
        app.get(me, &monitoring(&c)).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(me, &timeline(&c)).await.status(),
        StatusCode::FORBIDDEN
    );
    // A participant of another course is not on this one's timeline.
    let wrong = format!(
        "/api/v1/courses/{}/participants/{}/timeline",
        c.demo.course, other.participant.id
    );
    assert_problem(
        app.get(&c.demo.guide, &wrong).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(app.count("audit_log").await, audits);
    // The course's own provider admin sees the rows (and is in no chat room: nothing unread).
    let view = ok_json(app.get(&c.demo.provider.admin, &monitoring(&c)).await).await;
    assert_eq!(row_of(&view, me)["unread_private"], 0);
}
