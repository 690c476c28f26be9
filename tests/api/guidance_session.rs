//! Guidance sessions in the group room (issue 6 §1): the minutes go to the participants who wrote
//! or read during the session, the guide corrects the list before saving, and the room sees the
//! session start and end.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::chat::{ChatCourse, chat_course, joined, say};
use crate::helpers::{Session, TestApp, assert_problem};

fn session(room: &str, rest: &str) -> String {
    format!("/api/v1/chat/rooms/{room}/guidance-session{rest}")
}

async fn json_with(res: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(res.status(), status);
    res.json().await.expect("json")
}

fn candidate<'a>(view: &'a Value, who: &Session) -> &'a Value {
    view["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .find(|c| c["participant"]["id"] == who.id.as_str())
        .expect("the participant on the list")
}

async fn minutes_of(app: &TestApp, c: &ChatCourse, guide: &Session, who: &Session) -> Value {
    let view = json_with(
        app.get(
            guide,
            &format!("/api/v1/courses/{}/monitoring", c.demo.course),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    view["participants"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["participant"]["id"] == who.id.as_str())
        .expect("row")["guidance"]["remote_minutes"]
        .clone()
}

async fn room_events(app: &TestApp, s: &Session, room: &str) -> Vec<String> {
    let page = json_with(
        app.get(s, &format!("/api/v1/chat/rooms/{room}/messages"))
            .await,
        StatusCode::OK,
    )
    .await;
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["event"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn a_guide_runs_a_session_and_its_minutes_go_to_those_who_wrote_or_read() {
    // Arrange: Aino writes, Pekka reads, the third participant stays away.
    let app = TestApp::new().await;
    let c = chat_course(&app, "Sess", 2).await;
    let guide = &c.demo.guide;
    let started = json_with(
        app.post(guide, &session(&c.group, ""), json!({})).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(started["state"], "running");
    assert_eq!(started["professional"]["display_name"], "nurse");
    let (mut socket, _) = joined(&app, &c.demo.participant, &c.group, 0).await;
    say(&mut socket, &c.group, "Minulla on ollut raskas viikko.").await;
    socket.close().await;
    let read = format!("/api/v1/chat/rooms/{}/read", c.group);
    let res = app.post(&c.others[0], &read, json!({"seq": 2})).await;
    assert!(res.status().is_success(), "read marker: {}", res.status());
    let live = json_with(app.get(guide, &session(&c.group, "")).await, StatusCode::OK).await;
    assert_eq!(
        candidate(&live["session"], &c.demo.participant)["wrote"],
        true
    );

    // Act: half an hour later the guide ends the session, adds the third participant and saves.
    app.advance(Duration::minutes(30));
    let guide = app.login(&c.demo.guide.email).await;
    let ended = json_with(
        app.post(&guide, &session(&c.group, "/end"), json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    let all: Vec<&str> = [&c.demo.participant, &c.others[0], &c.others[1]]
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    let entry = json_with(
        app.post(
            &guide,
            &session(&c.group, "/save"),
            json!({"participant_ids": all, "note": "Jaksaminen"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;

    // Assert
    assert_eq!(ended["state"], "ended");
    assert_eq!(ended["minutes"], 30);
    let aino = candidate(&ended, &c.demo.participant);
    assert_eq!(
        (aino["wrote"].clone(), aino["proposed"].clone()),
        (json!(true), json!(true))
    );
    let pekka = candidate(&ended, &c.others[0]);
    assert_eq!(
        (pekka["present"].clone(), pekka["wrote"].clone()),
        (json!(true), json!(false))
    );
    assert_eq!(pekka["proposed"], true);
    assert_eq!(candidate(&ended, &c.others[1])["proposed"], false);
    assert_eq!(
        ended["candidates"][2]["participant"]["id"],
        c.others[1].id.as_str()
    );
    assert_eq!(entry["kind"], "group_chat");
    assert_eq!(entry["source"], "chat_session");
    assert_eq!(entry["minutes"], 30);
    assert_eq!(entry["professional"]["display_name"], "nurse");
    assert_eq!(entry["participants"].as_array().map(Vec::len), Some(3));
    for who in [&c.demo.participant, &c.others[0], &c.others[1]] {
        assert_eq!(minutes_of(&app, &c, &guide, who).await, 30);
    }
    let events = room_events(&app, &guide, &c.group).await;
    assert!(
        events.contains(&"guidance_started".to_owned()),
        "{events:?}"
    );
    assert!(events.contains(&"guidance_ended".to_owned()), "{events:?}");
    let now = json_with(
        app.get(&guide, &session(&c.group, "")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(now["session"], Value::Null);
}

#[tokio::test]
async fn one_session_runs_per_room_and_a_saved_one_is_not_saved_again() {
    // Arrange
    let app = TestApp::new().await;
    let c = chat_course(&app, "Once", 0).await;
    let guide = &c.demo.guide;
    let start = session(&c.group, "");
    json_with(
        app.post(guide, &start, json!({})).await,
        StatusCode::CREATED,
    )
    .await;

    // Act and assert
    assert_problem(
        app.post(guide, &start, json!({})).await,
        StatusCode::CONFLICT,
        "session_running",
    )
    .await;
    let body = json!({"participant_ids": [c.demo.participant.id], "minutes": 20});
    let entry = json_with(
        app.post(guide, &session(&c.group, "/save"), body.clone())
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(entry["minutes"], 20, "the guide's correction wins");
    assert_problem(
        app.post(guide, &session(&c.group, "/save"), body).await,
        StatusCode::NOT_FOUND,
        "no_session",
    )
    .await;
    assert_eq!(app.count("guidance_entries").await, 1);
    // A new session may start once the last one is saved; a cancelled one leaves no entry.
    json_with(
        app.post(guide, &start, json!({})).await,
        StatusCode::CREATED,
    )
    .await;
    let res = app
        .post(guide, &session(&c.group, "/cancel"), json!({}))
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.count("guidance_entries").await, 1);
    let events = room_events(&app, guide, &c.group).await;
    assert_eq!(events.iter().filter(|e| *e == "guidance_ended").count(), 2);
}

#[tokio::test]
async fn a_bad_list_is_refused_and_the_ended_session_waits_to_be_saved() {
    // Arrange
    let app = TestApp::new().await;
    let c = chat_course(&app, "Bad", 0).await;
    let other = app.demo_course("Elsewhere").await;
    let guide = &c.demo.guide;
    json_with(
        app.post(guide, &session(&c.group, ""), json!({})).await,
        StatusCode::CREATED,
    )
    .await;
    let save = session(&c.group, "/save");

    // Act and assert: nobody, zero minutes, someone from another course, an unknown field.
    for body in [
        json!({"participant_ids": []}),
        json!({"participant_ids": [c.demo.participant.id], "minutes": 0}),
        json!({"participant_ids": [c.demo.participant.id], "minutes": 601}),
        json!({"participant_ids": [other.participant.id]}),
    ] {
        assert_problem(
            app.post(guide, &save, body).await,
            StatusCode::BAD_REQUEST,
            "validation_failed",
        )
        .await;
    }
    let res = app
        .post(
            guide,
            &save,
            json!({"participant_ids": [], "professional_ids": []}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.count("guidance_entries").await, 0);
    assert_eq!(app.count("guidance_credits").await, 0);
    let waiting = json_with(app.get(guide, &session(&c.group, "")).await, StatusCode::OK).await;
    assert_eq!(waiting["session"]["state"], "ended");
    json_with(
        app.post(
            guide,
            &save,
            json!({"participant_ids": [c.demo.participant.id]}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
}

#[tokio::test]
async fn sessions_run_only_in_a_group_room_by_a_guide_of_its_course() {
    // Arrange
    let app = TestApp::new().await;
    let c = chat_course(&app, "Who", 0).await;
    let other = app.demo_course("Stranger").await;

    // Act and assert
    assert_problem(
        app.post(&c.demo.guide, &session(&c.team, ""), json!({}))
            .await,
        StatusCode::BAD_REQUEST,
        "not_a_group_room",
    )
    .await;
    assert_problem(
        app.post(&c.demo.guide, &session(&c.private, ""), json!({}))
            .await,
        StatusCode::BAD_REQUEST,
        "not_a_group_room",
    )
    .await;
    for outsider in [&other.guide, &c.demo.provider.admin] {
        assert_problem(
            app.post(outsider, &session(&c.group, ""), json!({})).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    let res = app
        .post(&c.demo.participant, &session(&c.group, ""), json!({}))
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_problem(
        app.post(&c.demo.guide, &session(&c.group, "/end"), json!({}))
            .await,
        StatusCode::NOT_FOUND,
        "no_session",
    )
    .await;
    assert_eq!(app.count("chat_guidance_sessions").await, 0);
}
