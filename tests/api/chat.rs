//! Chat protocol tests with real websocket clients against the started server
//! (`server/src/chat/PROTOCOL.md`; SECURITY.md reliability promises 1–5).

use std::time::Duration;

use chrono::Duration as Minutes;
use etapolku_tests::chat_client::{self, Chat, is, is_error, is_error_code};
use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{DemoCourse, Session, TestApp, assert_problem};

/// A demo course (guide = the nurse, participant Aino) with `others` more participants signed in,
/// and the ids of its group room, team room and Aino's private thread (from the guide's
/// `GET /chat/rooms`, which makes the rooms that are missing).
pub struct ChatCourse {
    pub demo: DemoCourse,
    pub others: Vec<Session>,
    pub group: String,
    pub team: String,
    pub private: String,
}

pub async fn chat_course(app: &TestApp, tag: &str, others: usize) -> ChatCourse {
    let demo = app.demo_course(tag).await;
    app.enrol_many(&demo.provider, &demo.course, others, "c")
        .await;
    let slug = tag.to_lowercase().replace(' ', "");
    let mut sessions = Vec::new();
    for i in 0..others {
        sessions.push(app.sign_in_by_link(&format!("p{i}.c@{slug}.example")).await);
    }
    let rooms = rooms_of(app, &demo.guide).await;
    let group = chat_client::room_id(&rooms, "group", &demo.course).expect("a group room");
    let team = chat_client::room_id(&rooms, "team", &demo.course).expect("a team room");
    let private = rooms
        .iter()
        .find(|r| {
            r["kind"] == "private"
                && r["course_id"] == demo.course.as_str()
                && (r["participant"]["id"] == demo.participant.id.as_str()
                    || r["participant"] == demo.participant.id.as_str())
        })
        .and_then(|r| r["id"].as_str())
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("Aino's private thread in the guide's rooms: {rooms:?}"));
    ChatCourse {
        demo,
        others: sessions,
        group,
        team,
        private,
    }
}

pub async fn rooms_of(app: &TestApp, s: &Session) -> Vec<Value> {
    chat_client::rooms(&s.client, &app.server.address, &s.token)
        .await
        .expect("rooms")
}

pub async fn open(app: &TestApp, s: &Session) -> Chat {
    chat_client::connect(&s.client, &app.server.address, &s.token)
        .await
        .unwrap_or_else(|e| panic!("connecting {}: {e:#}", s.email))
}

/// Opens a socket and joins `room` from `last_seen`.
pub async fn joined(app: &TestApp, s: &Session, room: &str, last_seen: i64) -> (Chat, Value) {
    let mut c = open(app, s).await;
    let j = c
        .join_one(room, last_seen)
        .await
        .unwrap_or_else(|e| panic!("{} joining: {e:#}", s.email));
    (c, j)
}

pub async fn say(c: &mut Chat, room: &str, body: &str) -> Value {
    let ack = c.say(room, body).await.expect("an answer to send");
    assert!(is(&ack, "ack"), "expected an ack, got {ack}");
    ack
}

/// The `message` frames of `room` among `frames`.
fn messages<'a>(frames: &'a [Value], room: &str) -> Vec<&'a Value> {
    frames
        .iter()
        .filter(|f| is(f, "message") && f["room"] == room)
        .collect()
}

/// Waits until `c` has seen the `message` of `room` with `seq` and returns every frame read.
async fn frames_until_seq(c: &mut Chat, room: &str, seq: i64) -> Vec<Value> {
    let mut seen = Vec::new();
    loop {
        let f = c
            .wait_for(|_| true)
            .await
            .unwrap_or_else(|e| panic!("waiting for seq {seq}: {e:#}; seen {seen:?}"));
        let done = (is(&f, "message") || is(&f, "event"))
            && f["room"] == room
            && f["seq"].as_i64() >= Some(seq);
        seen.push(f);
        if done {
            return seen;
        }
    }
}

fn seq(f: &Value) -> i64 {
    f["seq"].as_i64().unwrap_or_else(|| panic!("no seq in {f}"))
}

#[tokio::test]
async fn rooms_follow_enrolment_and_team_and_participants_see_first_names_only() {
    let app = TestApp::new().await;
    let cc = chat_course(&app, "Rooms", 1).await;
    let mine = rooms_of(&app, &cc.demo.participant).await;
    let kinds: Vec<&str> = mine.iter().filter_map(|r| r["kind"].as_str()).collect();
    assert!(kinds.contains(&"group"), "{mine:?}");
    assert!(kinds.contains(&"private"), "{mine:?}");
    assert!(
        !kinds.contains(&"team"),
        "a participant is not in the team room: {mine:?}"
    );
    assert_eq!(
        mine.iter().filter(|r| r["kind"] == "private").count(),
        1,
        "only her own private thread: {mine:?}"
    );
    // The guide sees the group room, the team room and one private thread per participant.
    let staff = rooms_of(&app, &cc.demo.guide).await;
    assert_eq!(
        staff.iter().filter(|r| r["kind"] == "private").count(),
        2,
        "{staff:?}"
    );
    // A second request makes no second set of rooms.
    let again = rooms_of(&app, &cc.demo.guide).await;
    assert_eq!(again.len(), staff.len());
    assert_eq!(app.count("chat_rooms").await, 2 + 2);
    // Provider admins are members of no room: an empty list or a refusal.
    let res = app.get(&cc.demo.provider.admin, "/api/v1/chat/rooms").await;
    if res.status() == StatusCode::OK {
        let body: Value = res.json().await.expect("json");
        let list = body.get("rooms").unwrap_or(&body);
        assert_eq!(list, &json!([]), "{body}");
    } else {
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }

    // The other participant sees Aino's message with her first name and role only.
    let (mut aino, _) = joined(&app, &cc.demo.participant, &cc.group, 0).await;
    let (mut other, _) = joined(&app, &cc.others[0], &cc.group, 0).await;
    say(&mut aino, &cc.group, "Hei kaikki!").await;
    let m = other
        .wait_for(|f| is(f, "message"))
        .await
        .expect("the message");
    assert_eq!(m["body"], "Hei kaikki!");
    assert_eq!(m["sender"]["id"], cc.demo.participant.id.as_str());
    assert_eq!(m["sender"]["role"], "participant");
    assert_eq!(m["sender"]["name"], "aino");
    let keys: Vec<&String> = m["sender"].as_object().expect("sender").keys().collect();
    assert_eq!(keys.len(), 3, "sender carries id, name and role only: {m}");
}

#[tokio::test]
async fn join_answers_joined_then_what_was_missed_then_presence_and_catches_up_after_reconnect() {
    let app = TestApp::new().await;
    let cc = chat_course(&app, "Catch", 1).await;
    let (mut aino, j) = joined(&app, &cc.demo.participant, &cc.group, 0).await;
    assert_eq!(j["last_seq"], 0);
    assert_eq!(j["read_only"], false);
    assert_eq!(j["slow_mode_seconds"], 0);
    assert_eq!(j["muted_until"], Value::Null);
    aino.wait_for(|f| is(f, "presence") && f["room"] == cc.group.as_str())
        .await
        .expect("presence after join");

    // The other participant is here for message 1, then drops off; 2 and 3 are sent meanwhile.
    let (mut other, _) = joined(&app, &cc.others[0], &cc.group, 0).await;
    let a1 = say(&mut aino, &cc.group, "yksi").await;
    assert_eq!(seq(&a1), 1);
    assert_eq!(a1["duplicate"], false);
    let m1 = other
        .wait_for(|f| is(f, "message"))
        .await
        .expect("message 1");
    assert_eq!(seq(&m1), 1);
    other.close().await;
    assert_eq!(seq(&say(&mut aino, &cc.group, "kaksi").await), 2);
    assert_eq!(seq(&say(&mut aino, &cc.group, "kolme").await), 3);

    // Reconnecting with last_seen_seq 1: joined (last_seq 3), then 2 and 3 in order, then presence.
    let mut other = open(&app, &cc.others[0]).await;
    other.join(&[(&cc.group, 1)]).await.expect("join");
    let frames = other.collect(Duration::from_millis(700)).await;
    let types: Vec<&str> = frames
        .iter()
        .filter(|f| f["room"] == cc.group.as_str())
        .filter_map(|f| f["type"].as_str())
        .collect();
    assert_eq!(
        types,
        ["joined", "message", "message", "presence"],
        "{frames:?}"
    );
    assert_eq!(frames[0]["last_seq"], 3);
    let replayed = messages(&frames, &cc.group);
    assert_eq!(replayed[0]["seq"], 2);
    assert_eq!(replayed[0]["body"], "kaksi");
    assert_eq!(replayed[1]["seq"], 3);
    assert_eq!(replayed[1]["sender"]["name"], "aino");
    assert!(replayed[1]["client_msg_id"].is_string());
    let online = &frames[3]["online"];
    assert_eq!(online.as_array().map(Vec::len), Some(2), "{online}");

    // Joining from 0 replays everything.
    let mut third = open(&app, &cc.demo.guide).await;
    third.join(&[(&cc.group, 0)]).await.expect("join");
    let frames = third.collect(Duration::from_millis(700)).await;
    let seqs: Vec<i64> = messages(&frames, &cc.group)
        .iter()
        .map(|f| seq(f))
        .collect();
    assert_eq!(seqs, [1, 2, 3]);
    // Aino's second socket got nothing it should not: she left no room.
    assert!(
        aino.collect(Duration::from_millis(200))
            .await
            .iter()
            .all(|f| !is(f, "error")),
    );
}

#[tokio::test]
async fn resending_a_client_msg_id_answers_the_original_ack_and_stores_and_fans_out_nothing() {
    let app = TestApp::new().await;
    let cc = chat_course(&app, "Dup", 1).await;
    let (mut aino, _) = joined(&app, &cc.demo.participant, &cc.group, 0).await;
    let (mut other, _) = joined(&app, &cc.others[0], &cc.group, 0).await;
    let id = uuid::Uuid::new_v4().to_string();
    aino.send_message(&cc.group, &id, "Tärkeä viesti")
        .await
        .expect("send");
    let first = aino.answer_to(&id).await.expect("ack");
    assert!(is(&first, "ack"), "{first}");
    assert_eq!(first["duplicate"], false);
    // The sender's socket also gets the message.
    aino.wait_for(|f| is(f, "message") && f["client_msg_id"] == id.as_str())
        .await
        .expect("the sender's own copy");

    // The same id again, on the same socket and after a reconnect (the outbox resending).
    aino.send_message(&cc.group, &id, "Tärkeä viesti")
        .await
        .expect("resend");
    let second = aino.answer_to(&id).await.expect("second ack");
    aino.close().await;
    let (mut aino, _) = joined(&app, &cc.demo.participant, &cc.group, 1).await;
    aino.send_message(&cc.group, &id, "Tärkeä viesti")
        .await
        .expect("resend after reconnect");
    let third = aino.answer_to(&id).await.expect("third ack");
    for again in [&second, &third] {
        assert!(is(again, "ack"), "{again}");
        assert_eq!(again["duplicate"], true, "{again}");
        for key in ["seq", "id", "at", "client_msg_id", "room"] {
            assert_eq!(again[key], first[key], "{key}: {again} vs {first}");
        }
    }
    assert_eq!(app.count("chat_messages").await, 1);
    // The other member saw the message once.
    let frames = other.collect(Duration::from_millis(500)).await;
    assert_eq!(messages(&frames, &cc.group).len(), 1, "{frames:?}");

    // The same client_msg_id from another sender is another message (unique per room and sender).
    other
        .send_message(&cc.group, &id, "Eri lähettäjä")
        .await
        .expect("send");
    let theirs = other.answer_to(&id).await.expect("ack");
    assert_eq!(theirs["duplicate"], false, "{theirs}");
    assert_eq!(seq(&theirs), 2);
    assert_eq!(app.count("chat_messages").await, 2);
}

#[tokio::test]
async fn concurrent_senders_give_every_member_the_same_order_without_gaps() {
    let app = TestApp::new().await;
    let cc = chat_course(&app, "Order", 3).await;
    let mut senders = Vec::new();
    for s in [
        &cc.demo.participant,
        &cc.demo.guide,
        &cc.others[0],
        &cc.others[1],
    ] {
        senders.push(joined(&app, s, &cc.group, 0).await.0);
    }
    let (mut listener, _) = joined(&app, &cc.others[2], &cc.group, 0).await;
    const EACH: usize = 8; // within the burst of the rate limit
    let group = cc.group.clone();
    // Every sender writes its frames at once, all senders at the same time.
    join_all(senders.iter_mut().enumerate().map(|(k, c)| {
        let group = group.clone();
        async move {
            for n in 0..EACH {
                let id = uuid::Uuid::new_v4().to_string();
                c.send_message(&group, &id, &format!("lähettäjä {k} viesti {n}"))
                    .await
                    .expect("send");
            }
        }
    }))
    .await;
    let total = (senders.len() * EACH) as i64;
    let mut orders = Vec::new();
    for c in senders.iter_mut().chain(std::iter::once(&mut listener)) {
        let frames = frames_until_seq(c, &group, total).await;
        let order: Vec<(i64, String)> = messages(&frames, &group)
            .iter()
            .map(|f| (seq(f), f["id"].as_str().unwrap_or("").to_owned()))
            .collect();
        let seqs: Vec<i64> = order.iter().map(|(s, _)| *s).collect();
        assert_eq!(seqs, (1..=total).collect::<Vec<_>>(), "{frames:?}");
        orders.push(order);
    }
    for o in &orders[1..] {
        assert_eq!(
            o, &orders[0],
            "every member sees the same message at each seq"
        );
    }
    assert_eq!(app.count("chat_messages").await, total);
}

#[tokio::test]
async fn own_message_can_be_edited_within_fifteen_minutes_and_not_after() {
    let app = TestApp::new().await;
    let cc = chat_course(&app, "Edit", 1).await;
    let (mut aino, _) = joined(&app, &cc.demo.participant, &cc.group, 0).await;
    let (mut other, _) = joined(&app, &cc.others[0], &cc.group, 0).await;
    let first = say(&mut aino, &cc.group, "Hei kaikki").await;
    let s1 = seq(&first);
    app.advance(Minutes::minutes(14));
    aino.send_json(&json!({"type": "edit", "room": cc.group, "seq": s1, "body": "Hei kaikille!"}))
        .await
        .expect("edit");
    let ev = other
        .wait_for(|f| is(f, "event") && f["event"] == "edited")
        .await
        .expect("the edited event");
    assert_eq!(ev["target_seq"], s1);
    assert_eq!(ev["seq"], s1 + 1);
    assert_eq!(ev["body"], "Hei kaikille!");
    assert_eq!(ev["by"]["id"], cc.demo.participant.id.as_str());
    // History shows the current state.
    let res = app
        .get(
            &cc.others[0],
            &format!("/api/v1/chat/rooms/{}/messages", cc.group),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let history = res.text().await.expect("text");
    assert!(history.contains("Hei kaikille!"), "{history}");

    // Someone else's message cannot be edited.
    other
        .send_json(&json!({"type": "edit", "room": cc.group, "seq": s1, "body": "Minun nyt"}))
        .await
        .expect("edit");
    let refused = other.wait_for(|f| is(f, "error")).await.expect("an error");
    assert!(
        refused["code"] == "not_allowed" || refused["code"] == "not_found",
        "{refused}"
    );

    // Sixteen minutes after sending: too late.
    app.advance(Minutes::minutes(2));
    aino.send_json(&json!({"type": "edit", "room": cc.group, "seq": s1, "body": "Myöhässä"}))
        .await
        .expect("edit");
    let late = aino.wait_for(|f| is(f, "error")).await.expect("an error");
    assert_eq!(late["code"], "edit_window_passed", "{late}");
    aino.send_json(&json!({"type": "delete", "room": cc.group, "seq": s1}))
        .await
        .expect("delete");
    let late = aino.wait_for(|f| is(f, "error")).await.expect("an error");
    assert_eq!(late["code"], "edit_window_passed", "{late}");
    let frames = other.collect(Duration::from_millis(300)).await;
    assert!(
        frames.iter().all(|f| !is(f, "event")),
        "nothing more happened: {frames:?}"
    );
}

#[tokio::test]
async fn own_message_can_be_deleted_and_its_text_is_blanked() {
    let app = TestApp::new().await;
    let cc = chat_course(&app, "Delete", 1).await;
    let (mut aino, _) = joined(&app, &cc.demo.participant, &cc.group, 0).await;
    let (mut other, _) = joined(&app, &cc.others[0], &cc.group, 0).await;
    let s1 = seq(&say(&mut aino, &cc.group, "Väärä ryhmä, anteeksi").await);
    aino.send_json(&json!({"type": "delete", "room": cc.group, "seq": s1}))
        .await
        .expect("delete");
    let ev = other
        .wait_for(|f| is(f, "event") && f["event"] == "deleted")
        .await
        .expect("the deleted event");
    assert_eq!(ev["target_seq"], s1);
    assert_eq!(ev["seq"], s1 + 1);
    let res = app
        .get(
            &cc.others[0],
            &format!("/api/v1/chat/rooms/{}/messages", cc.group),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let history = res.text().await.expect("text");
    assert!(!history.contains("Väärä ryhmä"), "{history}");
    // The row stays; the text is gone.
    assert_eq!(app.count("chat_messages WHERE kind = 'message'").await, 1);
    assert_eq!(
        app.count("chat_messages WHERE kind = 'message' AND body = ''")
            .await,
        1
    );
    // A reconnecting client replays the event after the message.
    let mut late = open(&app, &cc.demo.guide).await;
    late.join(&[(&cc.group, 0)]).await.expect("join");
    let frames = late.collect(Duration::from_millis(500)).await;
    let replay: Vec<(String, i64)> = frames
        .iter()
        .filter(|f| is(f, "message") || is(f, "event"))
        .map(|f| (f["type"].as_str().unwrap_or("").to_owned(), seq(f)))
        .collect();
    assert_eq!(
        replay,
        [("message".to_owned(), 1), ("event".to_owned(), 2)],
        "{frames:?}"
    );
    assert!(!frames[1].to_string().contains("Väärä ryhmä"), "{frames:?}");
}

#[tokio::test]
async fn a_participant_cannot_join_the_team_room_another_participants_thread_or_another_course() {
    let app = TestApp::new().await;
    let a = chat_course(&app, "Aalto", 1).await;
    let b = chat_course(&app, "Beta", 0).await;
    let mut aino = open(&app, &a.demo.participant).await;
    let unknown = uuid::Uuid::new_v4().to_string();
    for room in [&a.team, &b.group, &b.team, &b.private, &unknown] {
        aino.join(&[(room, 0)]).await.expect("join");
        let f = aino
            .wait_for(|f| f["room"] == room.as_str())
            .await
            .expect("an answer");
        assert!(is_error_code(&f, "not_member"), "{room}: {f}");
    }
    // Another participant of the same course cannot join Aino's private thread.
    let mut other = open(&app, &a.others[0]).await;
    other.join(&[(&a.private, 0)]).await.expect("join");
    let f = other
        .wait_for(|f| f["room"] == a.private.as_str())
        .await
        .expect("an answer");
    assert!(is_error_code(&f, "not_member"), "{f}");
    // Nor send into a room it has not joined and is not a member of.
    let id = uuid::Uuid::new_v4().to_string();
    other
        .send_message(&b.group, &id, "Hei toinen kurssi")
        .await
        .expect("send");
    // not_member names the room only (PROTOCOL.md), not the message.
    let f = other
        .wait_for(|f| is_error(f) && f["room"] == b.group.as_str())
        .await
        .expect("an answer");
    assert!(is_error_code(&f, "not_member"), "{f}");
    // And nothing else: no message, no presence, no joined in those rooms.
    let rest = aino.collect(Duration::from_millis(400)).await;
    assert!(
        rest.iter()
            .all(|f| is(f, "error") || f["room"] == a.group.as_str()),
        "{rest:?}"
    );
    assert_eq!(app.count("chat_messages").await, 0);
    // A staff member of course B is not on A's team either.
    let mut b_guide = open(&app, &b.demo.guide).await;
    b_guide.join(&[(&a.team, 0)]).await.expect("join");
    let f = b_guide
        .wait_for(|f| f["room"] == a.team.as_str())
        .await
        .expect("an answer");
    assert!(is_error_code(&f, "not_member"), "{f}");
    // The guide of course A joins all three.
    let mut guide = open(&app, &a.demo.guide).await;
    for room in [&a.group, &a.team, &a.private] {
        guide.join_one(room, 0).await.expect("the guide joins");
    }
}

#[tokio::test]
async fn rooms_of_another_course_answer_404_over_http() {
    let app = TestApp::new().await;
    let a = chat_course(&app, "Aalto", 0).await;
    let b = chat_course(&app, "Beta", 0).await;
    let p = &a.demo.participant;
    for room in [&b.group, &b.team, &b.private, &a.team] {
        for path in [
            format!("/api/v1/chat/rooms/{room}/messages"),
            format!("/api/v1/chat/rooms/{room}/search?q=hei"),
            format!("/api/v1/chat/rooms/{room}/pinned"),
        ] {
            let res = app.get(p, &path).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        }
        let res = app
            .post(
                p,
                &format!("/api/v1/chat/rooms/{room}/read"),
                json!({"seq": 1}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "read marker in {room}");
    }
    // The provider admin is no member either: refused by role (403) or as a foreign id (404).
    let res = app
        .get(
            &a.demo.provider.admin,
            &format!("/api/v1/chat/rooms/{}/messages", a.group),
        )
        .await;
    assert!(
        res.status() == StatusCode::NOT_FOUND || res.status() == StatusCode::FORBIDDEN,
        "{}",
        res.status()
    );
    // No ticket without signing in.
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/chat/ticket"))
        .send()
        .await
        .expect("request");
    assert_problem(res, StatusCode::UNAUTHORIZED, "authentication_required").await;
}

#[tokio::test]
async fn a_muted_participant_cannot_send_until_the_mute_ends() {
    let app = TestApp::new().await;
    let cc = chat_course(&app, "Mute", 1).await;
    let (mut aino, _) = joined(&app, &cc.demo.participant, &cc.group, 0).await;
    let (mut other, _) = joined(&app, &cc.others[0], &cc.group, 0).await;
    let res = app
        .post(
            &cc.demo.guide,
            &format!("/api/v1/chat/courses/{}/mutes", cc.demo.course),
            json!({"participant": cc.demo.participant.id, "minutes": 30, "reason": "Sovitaan asiasta puhelimessa"}),
        )
        .await;
    if res.status() == StatusCode::NOT_FOUND {
        // The moderation endpoint is not there (yet): the mute row straight in the database.
        eprintln!(
            "NOTE: POST /chat/courses/{{course}}/mutes answered 404; chat_mutes row inserted directly"
        );
        insert_mute(
            &app,
            &cc.demo.course,
            &cc.demo.participant.id,
            &cc.demo.guide.id,
            30,
        )
        .await;
    } else {
        assert!(
            res.status().is_success(),
            "muting: {} {}",
            res.status(),
            res.text().await.unwrap_or_default()
        );
        other
            .wait_for(|f| is(f, "event") && f["event"] == "muted")
            .await
            .expect("the room sees the mute");
    }
    let id = uuid::Uuid::new_v4().to_string();
    aino.send_message(&cc.group, &id, "Mutta minä haluan sanoa")
        .await
        .expect("send");
    let f = aino.answer_to(&id).await.expect("an answer");
    assert!(is_error_code(&f, "muted"), "{f}");
    let retry = f["retry_after"].as_i64().unwrap_or(0);
    assert!(retry > 25 * 60 && retry <= 30 * 60, "{f}");
    // A fresh join says so.
    let (_, j) = joined(&app, &cc.demo.participant, &cc.group, 0).await;
    assert!(j["muted_until"].is_string(), "{j}");
    // The other participant still can.
    say(&mut other, &cc.group, "Minä voin").await;
    assert_eq!(app.count("chat_messages WHERE kind = 'message'").await, 1);
    // After the mute has run out (31 minutes), Aino can send again.
    app.advance(Minutes::minutes(31));
    say(&mut aino, &cc.group, "Nyt onnistuu").await;
}

#[tokio::test]
async fn a_read_only_room_refuses_participants_sends_but_not_the_guides() {
    let app = TestApp::new().await;
    let cc = chat_course(&app, "Readonly", 1).await;
    let (mut aino, _) = joined(&app, &cc.demo.participant, &cc.group, 0).await;
    let (mut guide, _) = joined(&app, &cc.demo.guide, &cc.group, 0).await;
    let res = app
        .put(
            &cc.demo.guide,
            &format!("/api/v1/chat/rooms/{}/settings", cc.group),
            json!({"read_only": true, "slow_mode_seconds": 0}),
        )
        .await;
    if res.status() == StatusCode::NOT_FOUND {
        eprintln!(
            "NOTE: PUT /chat/rooms/{{id}}/settings answered 404; chat_rooms.read_only set directly"
        );
        set_read_only(&app, &cc.group).await;
    } else {
        assert!(
            res.status().is_success(),
            "settings: {} {}",
            res.status(),
            res.text().await.unwrap_or_default()
        );
        aino.wait_for(|f| is(f, "event") && f["event"] == "read_only")
            .await
            .expect("the room hears it is read-only");
    }
    let id = uuid::Uuid::new_v4().to_string();
    aino.send_message(&cc.group, &id, "Saanko kysyä?")
        .await
        .expect("send");
    let f = aino.answer_to(&id).await.expect("an answer");
    assert!(is_error_code(&f, "read_only"), "{f}");
    say(&mut guide, &cc.group, "Tiedote: huomenna ei ryhmää.").await;
    let (_, j) = joined(&app, &cc.others[0], &cc.group, 0).await;
    assert_eq!(j["read_only"], true, "{j}");
    // A participant cannot change the settings.
    let res = app
        .put(
            &cc.demo.participant,
            &format!("/api/v1/chat/rooms/{}/settings", cc.group),
            json!({"read_only": false, "slow_mode_seconds": 0}),
        )
        .await;
    assert!(
        res.status() == StatusCode::FORBIDDEN || res.status() == StatusCode::NOT_FOUND,
        "{}",
        res.status()
    );
}

async fn unread(app: &TestApp, s: &Session) -> Value {
    let res = app.get(s, "/api/v1/chat/unread").await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.expect("json")
}

fn unread_in(u: &Value, room: &str) -> i64 {
    u["rooms"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["id"] == room))
        .and_then(|r| r["unread"].as_i64())
        .unwrap_or(0)
}

#[tokio::test]
async fn unread_counts_go_down_after_a_read_marker_and_other_sockets_hear_it() {
    let app = TestApp::new().await;
    let cc = chat_course(&app, "Unread", 1).await;
    let (mut aino, _) = joined(&app, &cc.demo.participant, &cc.group, 0).await;
    for n in 1..=4 {
        say(&mut aino, &cc.group, &format!("viesti {n}")).await;
    }
    let reader = &cc.others[0];
    let u = unread(&app, reader).await;
    assert_eq!(unread_in(&u, &cc.group), 4, "{u}");
    assert_eq!(u["total"], 4, "{u}");
    // Aino's own messages are not unread to her.
    assert_eq!(unread(&app, &cc.demo.participant).await["total"], 0);

    // Over HTTP…
    let res = app
        .post(
            reader,
            &format!("/api/v1/chat/rooms/{}/read", cc.group),
            json!({"seq": 1}),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(unread_in(&unread(&app, reader).await, &cc.group), 3);
    // …and over the socket; a second socket of the same user hears it.
    let (mut tab1, j) = joined(&app, reader, &cc.group, 4).await;
    assert_eq!(j["read_seq"], 1);
    let (mut tab2, _) = joined(&app, reader, &cc.group, 4).await;
    tab1.send_json(&json!({"type": "read", "room": cc.group, "seq": 3}))
        .await
        .expect("read");
    let echo = tab2
        .wait_for(|f| is(f, "read"))
        .await
        .expect("the other tab hears the read marker");
    assert_eq!(echo["seq"], 3);
    assert_eq!(echo["room"], cc.group.as_str());
    assert_eq!(unread_in(&unread(&app, reader).await, &cc.group), 1);
    // A lower marker is ignored.
    tab1.send_json(&json!({"type": "read", "room": cc.group, "seq": 2}))
        .await
        .expect("read");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(unread_in(&unread(&app, reader).await, &cc.group), 1);
    // The room list says the same.
    let rooms = rooms_of(&app, reader).await;
    let group = rooms
        .iter()
        .find(|r| r["id"] == cc.group.as_str())
        .expect("group");
    assert_eq!(group["unread"], 1, "{group}");
    assert_eq!(group["read_seq"], 3, "{group}");
    assert_eq!(group["last_seq"], 4, "{group}");
}

#[tokio::test]
async fn more_than_500_missed_answers_resync_required_instead_of_a_replay() {
    let app = TestApp::new().await;
    let cc = chat_course(&app, "Resync", 0).await;
    let n = 502;
    insert_messages(&app, &cc.group, &cc.demo.guide.id, n).await;
    // 500 missed: replayed.
    let mut c = open(&app, &cc.demo.participant).await;
    c.join(&[(&cc.group, n - 500)]).await.expect("join");
    let frames = c.collect(Duration::from_millis(1500)).await;
    let seqs: Vec<i64> = messages(&frames, &cc.group)
        .iter()
        .map(|f| seq(f))
        .collect();
    assert_eq!(seqs, ((n - 499)..=n).collect::<Vec<_>>());
    assert!(frames.iter().all(|f| !is(f, "resync_required")));
    // 501 missed: resync_required and no replay.
    let mut c = open(&app, &cc.demo.participant).await;
    c.join(&[(&cc.group, n - 501)]).await.expect("join");
    let frames = c.collect(Duration::from_millis(1000)).await;
    let resync = frames
        .iter()
        .find(|f| is(f, "resync_required"))
        .unwrap_or_else(|| panic!("{:?}", &frames[..frames.len().min(5)]));
    assert_eq!(resync["room"], cc.group.as_str());
    assert_eq!(resync["last_seq"], n);
    assert!(messages(&frames, &cc.group).is_empty());
}

/// Appends `n` messages of `sender` to the room straight in the database, as the server's store
/// would (sending 500 over the socket would take 100 s at the rate limit).
async fn insert_messages(app: &TestApp, room_uuid: &str, sender_uuid: &str, n: i64) {
    use etapolku_server::entity::{chat_message, chat_room, user};
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
    let db = &app.server.db;
    let room = room_row(app, room_uuid).await;
    let sender = user::Entity::find()
        .filter(user::Column::Uuid.eq(uuid::Uuid::parse_str(sender_uuid).expect("uuid")))
        .one(db)
        .await
        .expect("user")
        .expect("user row");
    let now = chrono::Utc::now();
    for s in 1..=n {
        chat_message::ActiveModel {
            uuid: Set(uuid::Uuid::new_v4()),
            room_id: Set(room.id),
            seq: Set(room.last_seq + s),
            kind: Set("message".into()),
            sender_id: Set(sender.id),
            client_msg_id: Set(Some(uuid::Uuid::new_v4())),
            body: Set(format!("viesti {s}")),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("message row");
    }
    let mut r: chat_room::ActiveModel = room.clone().into();
    r.last_seq = Set(room.last_seq + n);
    r.update(db).await.expect("room last_seq");
}

#[tokio::test]
async fn sending_faster_than_the_rate_limit_gets_rate_limited_and_the_frame_is_dropped() {
    let app = TestApp::new().await;
    let cc = chat_course(&app, "Rate", 0).await;
    let (mut aino, _) = joined(&app, &cc.demo.participant, &cc.group, 0).await;
    let mut ids = Vec::new();
    for n in 0..40 {
        let id = uuid::Uuid::new_v4().to_string();
        aino.send_message(&cc.group, &id, &format!("nopea {n}"))
            .await
            .expect("send");
        ids.push(id);
    }
    // Acks name their message; a rate_limited error names none (the frame was dropped unread).
    let frames = aino.collect(Duration::from_millis(1500)).await;
    let acked = frames
        .iter()
        .filter(|f| is(f, "ack") && ids.iter().any(|id| f["client_msg_id"] == id.as_str()))
        .count() as i64;
    let limited = frames
        .iter()
        .filter(|f| is_error_code(f, "rate_limited"))
        .count() as i64;
    assert_eq!(acked + limited, 40, "every frame is answered: {frames:?}");
    assert!(limited > 0, "40 frames at once: some are limited");
    // The burst is 20 frames; the join was one of them.
    assert!(acked >= 19, "the burst goes through, got {acked}");
    assert!(acked < 40);
    assert_eq!(
        app.count("chat_messages WHERE kind = 'message'").await,
        acked
    );
    // After a pause the client's outbox resends the dropped ones and they go through.
    tokio::time::sleep(Duration::from_secs(2)).await;
    say(&mut aino, &cc.group, "taas").await;
}

#[tokio::test]
async fn invalid_bodies_and_frames_for_unjoined_rooms_get_error_frames() {
    let app = TestApp::new().await;
    let cc = chat_course(&app, "Body", 0).await;
    let (mut aino, _) = joined(&app, &cc.demo.participant, &cc.group, 0).await;
    for body in ["   ".to_owned(), "x".repeat(4001)] {
        let id = uuid::Uuid::new_v4().to_string();
        aino.send_message(&cc.group, &id, &body)
            .await
            .expect("send");
        let f = aino.answer_to(&id).await.expect("an answer");
        assert!(is_error_code(&f, "invalid_body"), "{f}");
    }
    // 4,000 characters of two-byte letters is allowed.
    say(&mut aino, &cc.group, &"ä".repeat(4000)).await;
    assert_eq!(app.count("chat_messages").await, 1);
}

/// The room row of a room id the API gave.
pub async fn room_row(app: &TestApp, uuid: &str) -> etapolku_server::entity::chat_room::Model {
    use etapolku_server::entity::chat_room;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    chat_room::Entity::find()
        .filter(chat_room::Column::Uuid.eq(uuid::Uuid::parse_str(uuid).expect("uuid")))
        .one(&app.server.db)
        .await
        .expect("room")
        .expect("room row")
}

pub async fn user_row(app: &TestApp, uuid: &str) -> etapolku_server::entity::user::Model {
    use etapolku_server::entity::user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    user::Entity::find()
        .filter(user::Column::Uuid.eq(uuid::Uuid::parse_str(uuid).expect("uuid")))
        .one(&app.server.db)
        .await
        .expect("user")
        .expect("user row")
}

/// A mute of `minutes` from the test clock's now, as the moderation endpoint would store it.
pub async fn insert_mute(
    app: &TestApp,
    course: &str,
    participant: &str,
    guide: &str,
    minutes: i64,
) {
    use etapolku_server::clock::Clock;
    use etapolku_server::entity::{chat_mute, course as course_entity};
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
    let db = &app.server.db;
    let c = course_entity::Entity::find()
        .filter(course_entity::Column::Uuid.eq(uuid::Uuid::parse_str(course).expect("uuid")))
        .one(db)
        .await
        .expect("course")
        .expect("course row");
    let now = app.server.clock.now();
    chat_mute::ActiveModel {
        course_id: Set(c.id),
        participant_id: Set(user_row(app, participant).await.id),
        until: Set(now + Minutes::minutes(minutes)),
        reason: Set("Sovitaan asiasta puhelimessa".into()),
        muted_by: Set(user_row(app, guide).await.id),
        created_at: Set(now),
        ended_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("mute row");
}

async fn set_read_only(app: &TestApp, room: &str) {
    use etapolku_server::entity::chat_room;
    use sea_orm::{ActiveModelTrait, Set};
    let db = &app.server.db;
    let mut a: chat_room::ActiveModel = room_row(app, room).await.into();
    a.read_only = Set(true);
    a.update(db).await.expect("read_only");
}

#[tokio::test]
async fn typing_reaches_the_others_and_presence_follows_who_comes_and_goes() {
    let app = TestApp::new().await;
    let cc = chat_course(&app, "Typing", 1).await;
    let (mut aino, _) = joined(&app, &cc.demo.participant, &cc.group, 0).await;
    let (mut other, _) = joined(&app, &cc.others[0], &cc.group, 0).await;
    let p = aino
        .wait_for(|f| is(f, "presence") && f["online"].as_array().map(Vec::len) == Some(2))
        .await
        .expect("presence with both");
    assert_eq!(p["room"], cc.group.as_str());
    aino.send_json(&json!({"type": "typing", "room": cc.group}))
        .await
        .expect("typing");
    let t = other
        .wait_for(|f| is(f, "typing"))
        .await
        .expect("the other sees typing");
    assert_eq!(t["user"]["id"], cc.demo.participant.id.as_str());
    assert_eq!(t["user"]["name"], "aino");
    // The other leaves: Aino's presence shows her alone, and the other gets no more messages.
    other
        .send_json(&json!({"type": "leave", "room": cc.group}))
        .await
        .expect("leave");
    aino.wait_for(|f| is(f, "presence") && f["online"].as_array().map(Vec::len) == Some(1))
        .await
        .expect("presence after leave");
    say(&mut aino, &cc.group, "Oletko siellä?").await;
    let frames = other.collect(Duration::from_millis(500)).await;
    assert!(messages(&frames, &cc.group).is_empty(), "{frames:?}");
    // Nor does the typing frame come back to its sender.
    let mine = aino.collect(Duration::from_millis(300)).await;
    assert!(mine.iter().all(|f| !is(f, "typing")), "{mine:?}");
}

#[tokio::test]
async fn search_finds_finnish_letters_in_either_case_and_never_deleted_messages() {
    // Arrange
    let app = TestApp::new().await;
    let cc = chat_course(&app, "Haku", 0).await;
    let (mut aino, _) = joined(&app, &cc.demo.participant, &cc.group, 0).await;
    for body in [
        "Äiti soitti tänään",
        "Huomenna on äitienpäivä",
        "Isä jaksaa hyvin",
        "50% päivästä levossa",
    ] {
        say(&mut aino, &cc.group, body).await;
    }
    let found = |q: &'static str| {
        let app = &app;
        let s = &cc.demo.participant;
        let room = cc.group.clone();
        async move {
            let res = app
                .get(
                    s,
                    &format!("/api/v1/chat/rooms/{room}/search?q={}", urlencode(q)),
                )
                .await;
            assert_eq!(res.status(), StatusCode::OK, "searching {q}");
            let body: Value = res.json().await.expect("json");
            body["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|m| m["body"].as_str().unwrap_or("").to_owned())
                .collect::<Vec<_>>()
        }
    };

    // Act and assert: newest first, case folded beyond ASCII, wildcards taken literally.
    assert_eq!(
        found("ÄITI").await,
        vec!["Huomenna on äitienpäivä", "Äiti soitti tänään"]
    );
    assert_eq!(found("isä").await, vec!["Isä jaksaa hyvin"]);
    assert_eq!(found("PÄIVÄ").await.len(), 2);
    assert_eq!(found("50%").await, vec!["50% päivästä levossa"]);
    assert!(
        found("%").await.len() == 1,
        "a lone % is a character, not a wildcard"
    );
    assert!(found("ätiä").await.is_empty());
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
