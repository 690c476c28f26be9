//! Moderation by the course's guides and participants' reports (issue 5, item 4), over HTTP.
//! Messages are put in the rooms through the store directly: the socket has its own tests.

use chrono::Duration;
use etapolku_server::accounts::model::Role;
use etapolku_server::chat::model::{ChatUser, RoomKind, room_key};
use etapolku_server::chat::rooms::{ensure_rooms, my_rooms};
use etapolku_server::chat::store::next_seq;
use etapolku_server::clock::Clock;
use etapolku_server::entity::{chat_message, chat_mute, chat_report, chat_room, course, user};
use reqwest::StatusCode;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde_json::{Value, json};

use crate::helpers::{DemoCourse, Session, TestApp, assert_problem};

/// A demo course with a second participant, its rooms made, and a message from each participant
/// in the group room.
pub(crate) struct Chat {
    pub demo: DemoCourse,
    /// Eino, the second participant.
    pub other: Session,
    pub group: chat_room::Model,
    /// Aino's private thread with the team.
    pub private: chat_room::Model,
    /// Aino's message in the group room.
    pub aino_seq: i64,
    /// Eino's message in the group room.
    pub eino_seq: i64,
}

pub(crate) async fn user_of(app: &TestApp, s: &Session) -> user::Model {
    user::Entity::find()
        .filter(user::Column::Uuid.eq(s.id.parse::<uuid::Uuid>().expect("uuid")))
        .one(&app.server.db)
        .await
        .expect("query")
        .expect("user")
}

pub(crate) async fn chat_user(app: &TestApp, s: &Session) -> ChatUser {
    let u = user_of(app, s).await;
    ChatUser {
        id: u.id,
        uuid: u.uuid,
        role: Role::parse(&u.role).expect("role"),
    }
}

pub(crate) async fn room(app: &TestApp, course: &str, key: &str) -> chat_room::Model {
    let c = course::Entity::find()
        .filter(course::Column::Uuid.eq(course.parse::<uuid::Uuid>().expect("uuid")))
        .one(&app.server.db)
        .await
        .expect("query")
        .expect("course");
    chat_room::Entity::find()
        .filter(chat_room::Column::CourseId.eq(c.id))
        .filter(chat_room::Column::Key.eq(key))
        .one(&app.server.db)
        .await
        .expect("query")
        .expect("room")
}

/// Stores a message as a send over the socket would (next seq in one transaction); its seq.
pub(crate) async fn say(app: &TestApp, room: &chat_room::Model, from: &Session, body: &str) -> i64 {
    let sender = user_of(app, from).await;
    let db = &app.server.db;
    let txn = db.begin().await.expect("begin");
    let r = next_seq(&txn, room.id).await.expect("seq");
    chat_message::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        room_id: Set(room.id),
        seq: Set(r.last_seq),
        kind: Set("message".into()),
        sender_id: Set(sender.id),
        client_msg_id: Set(Some(uuid::Uuid::new_v4())),
        body: Set(body.into()),
        created_at: Set(app.server.clock.now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .expect("insert");
    txn.commit().await.expect("commit");
    r.last_seq
}

pub(crate) async fn chat(app: &TestApp, tag: &str) -> Chat {
    let demo = app.demo_course(tag).await;
    let slug = tag.to_lowercase().replace(' ', "");
    app.enrol_many(&demo.provider, &demo.course, 1, "eino")
        .await;
    let other = app
        .sign_in_by_link(&format!("p0.eino@{slug}.example"))
        .await;
    let now = app.server.clock.now();
    for s in [&demo.participant, &other, &demo.guide] {
        ensure_rooms(&app.server.db, &chat_user(app, s).await, now)
            .await
            .expect("rooms");
    }
    let aino = user_of(app, &demo.participant).await;
    let group = room(app, &demo.course, &room_key(RoomKind::Group, None)).await;
    let private = room(
        app,
        &demo.course,
        &room_key(RoomKind::Private, Some(aino.id)),
    )
    .await;
    let aino_seq = say(app, &group, &demo.participant, "Hei kaikki, Aino täällä").await;
    let eino_seq = say(app, &group, &other, "Eino tässä, huomenta").await;
    Chat {
        demo,
        other,
        group,
        private,
        aino_seq,
        eino_seq,
    }
}

pub(crate) async fn message(
    app: &TestApp,
    room: &chat_room::Model,
    seq: i64,
) -> chat_message::Model {
    chat_message::Entity::find()
        .filter(chat_message::Column::RoomId.eq(room.id))
        .filter(chat_message::Column::Seq.eq(seq))
        .one(&app.server.db)
        .await
        .expect("query")
        .expect("row")
}

async fn events(app: &TestApp, room: &chat_room::Model) -> Vec<chat_message::Model> {
    chat_message::Entity::find()
        .filter(chat_message::Column::RoomId.eq(room.id))
        .filter(chat_message::Column::Kind.eq("event"))
        .order_by_asc(chat_message::Column::Seq)
        .all(&app.server.db)
        .await
        .expect("query")
}

async fn row_count(app: &TestApp, room: &chat_room::Model) -> u64 {
    chat_message::Entity::find()
        .filter(chat_message::Column::RoomId.eq(room.id))
        .count(&app.server.db)
        .await
        .expect("count")
}

fn path(room: &chat_room::Model, seq: i64, action: &str) -> String {
    format!("/api/v1/chat/rooms/{}/messages/{seq}/{action}", room.uuid)
}

fn detail(ev: &chat_message::Model) -> Value {
    serde_json::from_str(ev.detail.as_deref().unwrap_or("null")).expect("json")
}

#[tokio::test]
async fn a_guide_hides_and_unhides_a_message_and_each_is_an_event_in_the_room() {
    let app = TestApp::new().await;
    let c = chat(&app, "Alpha").await;
    let guide = user_of(&app, &c.demo.guide).await;

    let res = app
        .post(
            &c.demo.guide,
            &path(&c.group, c.eino_seq, "hide"),
            json!({"reason": "  Loukkaava sanavalinta "}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let ev: Value = res.json().await.expect("json");
    assert_eq!(ev["event"], "hidden");
    assert_eq!(ev["target_seq"], c.eino_seq);
    assert_eq!(ev["seq"], c.eino_seq + 1);
    let m = message(&app, &c.group, c.eino_seq).await;
    assert!(m.hidden_at.is_some());
    assert_eq!(m.hidden_by, Some(guide.id));
    assert_eq!(m.hidden_reason.as_deref(), Some("Loukkaava sanavalinta"));
    assert_eq!(
        m.body, "Eino tässä, huomenta",
        "hiding keeps the text for staff"
    );
    let evs = events(&app, &c.group).await;
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0].event.as_deref(), Some("hidden"));
    assert_eq!(evs[0].sender_id, guide.id, "the event names the guide");
    assert_eq!(detail(&evs[0])["reason"], "Loukkaava sanavalinta");

    let res = app
        .post(
            &c.demo.guide,
            &path(&c.group, c.eino_seq, "hide"),
            json!({"reason": "uudestaan"}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "already_hidden").await;

    let res = app
        .post(
            &c.demo.guide,
            &path(&c.group, c.eino_seq, "unhide"),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let m = message(&app, &c.group, c.eino_seq).await;
    assert!(m.hidden_at.is_none() && m.hidden_reason.is_none());
    let evs = events(&app, &c.group).await;
    assert_eq!(evs.len(), 2);
    assert_eq!(evs[1].event.as_deref(), Some("unhidden"));
    assert_eq!(evs[1].target_seq, Some(c.eino_seq));
    assert_eq!(
        evs[1].body, "Eino tässä, huomenta",
        "unhidden carries the text again"
    );

    let res = app
        .post(
            &c.demo.guide,
            &path(&c.group, c.eino_seq, "unhide"),
            json!({}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "not_hidden").await;

    // Both actions on Eino's message are in his usage log, for group moderation (S21).
    let log: Value = app
        .get(&c.other, "/api/v1/me/access-log")
        .await
        .json()
        .await
        .expect("json");
    let entries: Vec<&Value> = log
        .as_array()
        .expect("log")
        .iter()
        .filter(|e| e["purpose"] == "group_moderation")
        .collect();
    assert_eq!(entries.len(), 2, "{log}");
    assert_eq!(entries[0]["actor_id"], c.demo.guide.id.as_str());
    assert_eq!(entries[0]["category"], "chat_message");
}

#[tokio::test]
async fn a_guide_removes_a_message_and_its_text_is_gone_for_good() {
    let app = TestApp::new().await;
    let c = chat(&app, "Alpha").await;
    app.post(
        &c.demo.guide,
        &path(&c.group, c.eino_seq, "hide"),
        json!({"reason": "tarkistan"}),
    )
    .await;
    let res = app
        .post(
            &c.demo.guide,
            &path(&c.group, c.eino_seq, "remove"),
            json!({"reason": "henkilötietoja"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let m = message(&app, &c.group, c.eino_seq).await;
    assert_eq!(m.body, "");
    assert!(m.deleted_at.is_some());
    assert_eq!(m.removed_by, Some(user_of(&app, &c.demo.guide).await.id));
    let evs = events(&app, &c.group).await;
    assert_eq!(evs.last().and_then(|e| e.event.as_deref()), Some("removed"));
    assert!(
        evs.iter().all(|e| e.body.is_empty()),
        "no event keeps the removed text"
    );
    let res = app
        .post(
            &c.demo.guide,
            &path(&c.group, c.eino_seq, "remove"),
            json!({}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "already_deleted").await;
    let res = app
        .post(
            &c.demo.guide,
            &path(&c.group, c.eino_seq, "hide"),
            json!({"reason": "x"}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "message_deleted").await;
}

#[tokio::test]
async fn a_guide_pins_and_unpins_a_message_but_not_a_hidden_one() {
    let app = TestApp::new().await;
    let c = chat(&app, "Alpha").await;
    let res = app
        .post(&c.demo.guide, &path(&c.group, c.aino_seq, "pin"), json!({}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        message(&app, &c.group, c.aino_seq)
            .await
            .pinned_at
            .is_some()
    );
    let res = app
        .post(&c.demo.guide, &path(&c.group, c.aino_seq, "pin"), json!({}))
        .await;
    assert_problem(res, StatusCode::CONFLICT, "already_pinned").await;
    let res = app
        .post(
            &c.demo.guide,
            &path(&c.group, c.aino_seq, "unpin"),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        message(&app, &c.group, c.aino_seq)
            .await
            .pinned_at
            .is_none()
    );
    let res = app
        .post(
            &c.demo.guide,
            &path(&c.group, c.aino_seq, "unpin"),
            json!({}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "not_pinned").await;

    app.post(
        &c.demo.guide,
        &path(&c.group, c.eino_seq, "hide"),
        json!({"reason": "x"}),
    )
    .await;
    let res = app
        .post(&c.demo.guide, &path(&c.group, c.eino_seq, "pin"), json!({}))
        .await;
    assert_problem(res, StatusCode::CONFLICT, "message_hidden").await;
    let kinds: Vec<Option<String>> = events(&app, &c.group)
        .await
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(
        kinds,
        [
            Some("pinned".into()),
            Some("unpinned".into()),
            Some("hidden".into())
        ]
    );
}

#[tokio::test]
async fn room_settings_are_events_and_slow_mode_is_0_to_3600_seconds() {
    let app = TestApp::new().await;
    let c = chat(&app, "Alpha").await;
    let url = format!("/api/v1/chat/rooms/{}/settings", c.group.uuid);
    let res = app
        .put(
            &c.demo.guide,
            &url,
            json!({"read_only": true, "slow_mode_seconds": 30}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["read_only"], true);
    assert_eq!(body["events"].as_array().map(Vec::len), Some(2));
    let r = room(&app, &c.demo.course, "group").await;
    assert!(r.read_only);
    assert_eq!(r.slow_mode_seconds, 30);
    let evs = events(&app, &c.group).await;
    assert_eq!(evs[0].event.as_deref(), Some("read_only"));
    assert_eq!(detail(&evs[0])["on"], true);
    assert_eq!(evs[1].event.as_deref(), Some("slow_mode"));
    assert_eq!(detail(&evs[1])["seconds"], 30);

    // The same settings again change nothing and add no event.
    let res = app
        .put(
            &c.demo.guide,
            &url,
            json!({"read_only": true, "slow_mode_seconds": 30}),
        )
        .await;
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["events"], json!([]));

    let before = row_count(&app, &c.group).await;
    for bad in [json!(-1), json!(3601), json!(100000000000_i64), json!("30")] {
        let res = app
            .put(
                &c.demo.guide,
                &url,
                json!({"read_only": false, "slow_mode_seconds": bad}),
            )
            .await;
        let body = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
        assert_eq!(body["errors"][0]["field"], "slow_mode_seconds", "{body}");
    }
    let r = room(&app, &c.demo.course, "group").await;
    assert!(r.read_only, "a refused change stores nothing");
    assert_eq!(row_count(&app, &c.group).await, before);
}

#[tokio::test]
async fn an_event_or_an_unknown_seq_or_a_bad_reason_is_a_clear_error_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let c = chat(&app, "Alpha").await;
    app.post(&c.demo.guide, &path(&c.group, c.aino_seq, "pin"), json!({}))
        .await;
    let event_seq = c.eino_seq + 1;
    let before = row_count(&app, &c.group).await;

    let res = app
        .post(
            &c.demo.guide,
            &path(&c.group, event_seq, "hide"),
            json!({"reason": "x"}),
        )
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "not_a_message").await;
    for seq in [999, 0, -3] {
        let res = app
            .post(
                &c.demo.guide,
                &path(&c.group, seq, "hide"),
                json!({"reason": "x"}),
            )
            .await;
        assert_problem(res, StatusCode::NOT_FOUND, "message_not_found").await;
    }
    let res = app
        .post(
            &c.demo.guide,
            &format!("/api/v1/chat/rooms/{}/messages/abc/hide", c.group.uuid),
            json!({"reason": "x"}),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    for (reason, code) in [
        (json!("   "), "required"),
        (json!("x".repeat(1001)), "too_long"),
        (json!(null), "wrong_type"),
    ] {
        let res = app
            .post(
                &c.demo.guide,
                &path(&c.group, c.eino_seq, "hide"),
                json!({"reason": reason}),
            )
            .await;
        let body = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
        assert_eq!(body["errors"][0]["field"], "reason", "{body}");
        if code != "wrong_type" {
            assert_eq!(body["errors"][0]["code"], code, "{body}");
        }
    }
    let res = app
        .post(
            &c.demo.guide,
            &path(&c.group, c.eino_seq, "hide"),
            json!({}),
        )
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(row_count(&app, &c.group).await, before);
    assert!(
        message(&app, &c.group, c.eino_seq)
            .await
            .hidden_at
            .is_none()
    );
}

#[tokio::test]
async fn only_the_courses_guides_moderate() {
    let app = TestApp::new().await;
    let c = chat(&app, "Alpha").await;
    let beta = app.demo_course("Beta").await;
    // A guide of the same provider who is not on this course's team.
    let outsider = app
        .staff(
            &c.demo.provider,
            "outsider@alpha.example",
            etapolku_server::team::profession::Profession::RegisteredNurse,
        )
        .await;
    let before = row_count(&app, &c.group).await;
    let settings = format!("/api/v1/chat/rooms/{}/settings", c.group.uuid);
    let mutes = format!("/api/v1/chat/courses/{}/mutes", c.demo.course);
    let mute = json!({"participant": c.other.id, "minutes": 10, "reason": "x"});

    for action in ["hide", "unhide", "remove", "pin", "unpin"] {
        let body = json!({"reason": "x"});
        let res = app
            .post(
                &c.demo.participant,
                &path(&c.group, c.eino_seq, action),
                body.clone(),
            )
            .await;
        assert_problem(res, StatusCode::FORBIDDEN, "wrong_role").await;
        for s in [&beta.guide, &outsider, &c.demo.provider.admin] {
            let res = app
                .post(s, &path(&c.group, c.eino_seq, action), body.clone())
                .await;
            assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
        }
    }
    let res = app
        .put(
            &c.demo.participant,
            &settings,
            json!({"read_only": true, "slow_mode_seconds": 0}),
        )
        .await;
    assert_problem(res, StatusCode::FORBIDDEN, "wrong_role").await;
    let res = app.post(&c.demo.participant, &mutes, mute.clone()).await;
    assert_problem(res, StatusCode::FORBIDDEN, "wrong_role").await;
    for s in [&beta.guide, &outsider, &c.demo.provider.admin] {
        let res = app
            .put(
                s,
                &settings,
                json!({"read_only": true, "slow_mode_seconds": 0}),
            )
            .await;
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
        let res = app.post(s, &mutes, mute.clone()).await;
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
        let res = app.get(s, &mutes).await;
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
        let res = app
            .get(
                s,
                &format!("/api/v1/chat/courses/{}/reports?open=true", c.demo.course),
            )
            .await;
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    // An unknown room is the same 404 as a foreign one.
    let res = app
        .post(
            &c.demo.guide,
            &format!("/api/v1/chat/rooms/{}/messages/1/pin", uuid::Uuid::new_v4()),
            json!({}),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(
        row_count(&app, &c.group).await,
        before,
        "nothing was stored"
    );
    assert_eq!(app.count("chat_mutes").await, 0);
    let m = message(&app, &c.group, c.eino_seq).await;
    assert!(m.hidden_at.is_none() && m.deleted_at.is_none() && m.pinned_at.is_none());
}

#[tokio::test]
async fn a_guide_mutes_a_participant_in_the_courses_rooms_and_ends_the_mute() {
    let app = TestApp::new().await;
    let c = chat(&app, "Alpha").await;
    let mutes = format!("/api/v1/chat/courses/{}/mutes", c.demo.course);
    let now = app.server.clock.now();
    let res = app
        .post(
            &c.demo.guide,
            &mutes,
            json!({"participant": c.demo.participant.id, "minutes": 30, "reason": "Rauhoittumisaika"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.expect("json");
    let until = now + Duration::minutes(30);
    assert_eq!(
        body["until"]
            .as_str()
            .map(|s| s.parse::<chrono::DateTime<chrono::Utc>>().ok()),
        Some(Some(until))
    );
    // The mute shows in both rooms Aino writes in, as an event naming her and the end time.
    assert_eq!(body["events"].as_array().map(Vec::len), Some(2));
    for r in [&c.group, &c.private] {
        let evs = events(&app, r).await;
        let ev = evs.last().expect("event");
        assert_eq!(ev.event.as_deref(), Some("muted"));
        assert_eq!(detail(ev)["user"]["id"], c.demo.participant.id.as_str());
        assert!(
            detail(ev).get("reason").is_none(),
            "the reason is not shown to the room"
        );
    }
    // What the rooms list shows her: muted until then, in every room of the course.
    let aino = chat_user(&app, &c.demo.participant).await;
    let rooms = my_rooms(&app.server.db, &aino, app.server.clock.now())
        .await
        .expect("rooms");
    assert!(!rooms.is_empty());
    assert!(
        rooms.iter().all(|r| r.muted_until == Some(until)),
        "{rooms:?}"
    );
    let eino = chat_user(&app, &c.other).await;
    let rooms = my_rooms(&app.server.db, &eino, app.server.clock.now())
        .await
        .expect("rooms");
    assert!(rooms.iter().all(|r| r.muted_until.is_none()));

    let list: Value = app
        .get(&c.demo.guide, &mutes)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list[0]["participant"], c.demo.participant.id.as_str());
    assert_eq!(list[0]["reason"], "Rauhoittumisaika");

    let res = app
        .delete(&c.demo.guide, &format!("{mutes}/{}", c.demo.participant.id))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let evs = events(&app, &c.group).await;
    assert_eq!(evs.last().and_then(|e| e.event.as_deref()), Some("unmuted"));
    let rooms = my_rooms(&app.server.db, &aino, app.server.clock.now())
        .await
        .expect("rooms");
    assert!(rooms.iter().all(|r| r.muted_until.is_none()));
    let res = app
        .delete(&c.demo.guide, &format!("{mutes}/{}", c.demo.participant.id))
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_muted").await;

    // A mute ends by itself when its time is up.
    app.post(
        &c.demo.guide,
        &mutes,
        json!({"participant": c.other.id, "minutes": 5, "reason": "hetki"}),
    )
    .await;
    app.advance(Duration::minutes(6));
    let rooms = my_rooms(&app.server.db, &eino, app.server.clock.now())
        .await
        .expect("rooms");
    assert!(rooms.iter().all(|r| r.muted_until.is_none()));
    let list: Value = app
        .get(&c.demo.guide, &mutes)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list, json!([]));
}

#[tokio::test]
async fn a_mute_needs_1_to_10080_minutes_a_reason_and_a_participant_of_the_course() {
    let app = TestApp::new().await;
    let c = chat(&app, "Alpha").await;
    let beta = app.demo_course("Beta").await;
    let mutes = format!("/api/v1/chat/courses/{}/mutes", c.demo.course);
    for (minutes, reason, field) in [
        (json!(0), json!("syy"), "minutes"),
        (json!(-5), json!("syy"), "minutes"),
        (json!(10081), json!("syy"), "minutes"),
        (json!("10"), json!("syy"), "minutes"),
        (json!(10), json!(""), "reason"),
        (json!(10), json!("x".repeat(1001)), "reason"),
    ] {
        let res = app
            .post(
                &c.demo.guide,
                &mutes,
                json!({"participant": c.other.id, "minutes": minutes, "reason": reason}),
            )
            .await;
        let body = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
        assert_eq!(body["errors"][0]["field"], field, "{body}");
    }
    // Someone not on this course: another course's participant, the guide, an unknown id.
    for who in [
        beta.participant.id.clone(),
        c.demo.guide.id.clone(),
        uuid::Uuid::new_v4().to_string(),
    ] {
        let res = app
            .post(
                &c.demo.guide,
                &mutes,
                json!({"participant": who, "minutes": 10, "reason": "syy"}),
            )
            .await;
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    assert_eq!(
        chat_mute::Entity::find()
            .count(&app.server.db)
            .await
            .expect("count"),
        0
    );
    assert!(events(&app, &c.group).await.is_empty());
}

fn report_path(room: &chat_room::Model, seq: i64) -> String {
    path(room, seq, "report")
}

#[tokio::test]
async fn a_participant_reports_a_message_and_the_guides_hide_it_from_their_queue() {
    let app = TestApp::new().await;
    let c = chat(&app, "Alpha").await;
    let res = app
        .post(
            &c.other,
            &report_path(&c.group, c.aino_seq),
            json!({"reason": "Tämä loukkasi minua"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let first: Value = res.json().await.expect("json");
    let res = app
        .post(
            &c.other,
            &report_path(&c.group, c.aino_seq),
            json!({"reason": "uudestaan"}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "already_reported").await;

    // The guides are told in the app; the notice carries no text of the message.
    let notes: Value = app
        .get(&c.demo.guide, "/api/v1/me/notifications")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(notes["items"][0]["kind"], "chat_report");
    assert_eq!(
        notes["items"][0]["params"]["course"],
        c.demo.course.as_str()
    );
    assert!(!notes.to_string().contains("Aino täällä"));

    let queue_url = format!("/api/v1/chat/courses/{}/reports?open=true", c.demo.course);
    let audits = app.count("audit_log").await;
    let queue: Value = app
        .get(&c.demo.guide, &queue_url)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(queue.as_array().map(Vec::len), Some(1), "{queue}");
    // S21: reading the queue leaves a trace for the writer and for the reporter.
    assert_eq!(app.count("audit_log").await, audits + 2);
    let r = &queue[0];
    assert_eq!(r["id"], first["id"]);
    assert_eq!(r["reason"], "Tämä loukkasi minua");
    assert_eq!(r["room"]["id"], c.group.uuid.to_string());
    assert_eq!(r["message"]["seq"], c.aino_seq);
    assert_eq!(r["message"]["body"], "Hei kaikki, Aino täällä");
    assert_eq!(r["message"]["author"]["id"], c.demo.participant.id.as_str());
    assert_eq!(r["message"]["author"]["name"], "aino");
    assert_eq!(r["reporter"]["id"], c.other.id.as_str());
    assert!(r["created_at"].is_string());

    let res = app
        .post(
            &c.demo.guide,
            &format!(
                "/api/v1/chat/reports/{}/resolve",
                first["id"].as_str().expect("id")
            ),
            json!({"action": "hide", "note": "Puhuin Ainon kanssa"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let done: Value = res.json().await.expect("json");
    assert_eq!(done["resolution"], "hidden");
    assert_eq!(done["event"]["event"], "hidden");
    let m = message(&app, &c.group, c.aino_seq).await;
    assert_eq!(m.hidden_reason.as_deref(), Some("Puhuin Ainon kanssa"));
    let queue: Value = app
        .get(&c.demo.guide, &queue_url)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(queue, json!([]));
    let closed: Value = app
        .get(
            &c.demo.guide,
            &format!("/api/v1/chat/courses/{}/reports?open=false", c.demo.course),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(closed[0]["resolution"], "hidden");
    assert_eq!(closed[0]["note"], "Puhuin Ainon kanssa");
    assert_eq!(closed[0]["message"]["hidden"], true);
    let res = app
        .post(
            &c.demo.guide,
            &format!(
                "/api/v1/chat/reports/{}/resolve",
                first["id"].as_str().expect("id")
            ),
            json!({"action": "dismiss"}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "already_resolved").await;

    // Once closed, the same participant may report the message again.
    let res = app
        .post(
            &c.other,
            &report_path(&c.group, c.aino_seq),
            json!({"reason": "vielä"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn dismissing_a_report_leaves_the_message_as_it_was() {
    let app = TestApp::new().await;
    let c = chat(&app, "Alpha").await;
    let res = app
        .post(
            &c.demo.participant,
            &report_path(&c.group, c.eino_seq),
            json!({"reason": "epäasiallinen"}),
        )
        .await;
    let report: Value = res.json().await.expect("json");
    let before = row_count(&app, &c.group).await;
    let res = app
        .post(
            &c.demo.guide,
            &format!(
                "/api/v1/chat/reports/{}/resolve",
                report["id"].as_str().expect("id")
            ),
            json!({"action": "dismiss", "note": "Asiallinen viesti"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let done: Value = res.json().await.expect("json");
    assert_eq!(done["resolution"], "dismissed");
    assert_eq!(done["event"], Value::Null);
    assert!(
        message(&app, &c.group, c.eino_seq)
            .await
            .hidden_at
            .is_none()
    );
    assert_eq!(row_count(&app, &c.group).await, before, "no event");
    let stored = chat_report::Entity::find()
        .one(&app.server.db)
        .await
        .expect("query")
        .expect("report");
    assert_eq!(stored.resolution.as_deref(), Some("dismissed"));
    assert_eq!(stored.note.as_deref(), Some("Asiallinen viesti"));
    assert_eq!(
        stored.resolved_by,
        Some(user_of(&app, &c.demo.guide).await.id)
    );
}

#[tokio::test]
async fn reports_are_checked_and_a_refused_one_stores_nothing() {
    let app = TestApp::new().await;
    let c = chat(&app, "Alpha").await;
    let beta = app.demo_course("Beta").await;
    let ok = json!({"reason": "syy"});
    let res = app
        .post(
            &c.demo.participant,
            &report_path(&c.group, c.aino_seq),
            ok.clone(),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "own_message").await;
    let res = app
        .post(
            &c.demo.participant,
            &report_path(&c.group, c.eino_seq),
            json!({"reason": "x".repeat(1001)}),
        )
        .await;
    let body = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "reason");
    assert_eq!(body["errors"][0]["code"], "too_long");
    let res = app
        .post(
            &c.demo.participant,
            &report_path(&c.group, c.eino_seq),
            json!({"reason": " "}),
        )
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    let res = app
        .post(&c.demo.participant, &report_path(&c.group, 999), ok.clone())
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "message_not_found").await;
    // Staff do not report; they hide.
    let res = app
        .post(
            &c.demo.guide,
            &report_path(&c.group, c.eino_seq),
            ok.clone(),
        )
        .await;
    assert_problem(res, StatusCode::FORBIDDEN, "wrong_role").await;
    // Another course's participant cannot see the room; nor Eino Aino's private thread.
    let res = app
        .post(
            &beta.participant,
            &report_path(&c.group, c.eino_seq),
            ok.clone(),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let staff_seq = say(&app, &c.private, &c.demo.guide, "Hei Aino, miten menee?").await;
    let res = app
        .post(&c.other, &report_path(&c.private, staff_seq), ok.clone())
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(app.count("chat_reports").await, 0);

    // The queue is for the course's guides only.
    let queue = format!("/api/v1/chat/courses/{}/reports", c.demo.course);
    let res = app.get(&c.demo.participant, &queue).await;
    assert_problem(res, StatusCode::FORBIDDEN, "wrong_role").await;
    // A report of another course cannot be closed by this course's guide.
    let other_msg = {
        let now = app.server.clock.now();
        for s in [&beta.participant, &beta.guide] {
            ensure_rooms(&app.server.db, &chat_user(&app, s).await, now)
                .await
                .expect("rooms");
        }
        let g = room(&app, &beta.course, "group").await;
        (g.clone(), say(&app, &g, &beta.guide, "Tervetuloa").await)
    };
    let res = app
        .post(
            &beta.participant,
            &report_path(&other_msg.0, other_msg.1),
            ok.clone(),
        )
        .await;
    let r: Value = res.json().await.expect("json");
    let res = app
        .post(
            &c.demo.guide,
            &format!(
                "/api/v1/chat/reports/{}/resolve",
                r["id"].as_str().expect("id")
            ),
            json!({"action": "hide"}),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app
        .post(
            &beta.guide,
            &format!(
                "/api/v1/chat/reports/{}/resolve",
                r["id"].as_str().expect("id")
            ),
            json!({"action": "delete"}),
        )
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert!(
        message(&app, &other_msg.0, other_msg.1)
            .await
            .hidden_at
            .is_none()
    );
}

#[tokio::test]
async fn the_room_sees_a_hide_at_once_participants_without_the_text() {
    use etapolku_tests::chat_client::{connect, is};
    let app = TestApp::new().await;
    let c = chat(&app, "Alpha").await;
    let room_id = c.group.uuid.to_string();
    let mut eino = connect(&c.other.client, &app.server.address, &c.other.token)
        .await
        .expect("socket");
    eino.join_one(&room_id, c.eino_seq).await.expect("join");
    let mut guide = connect(
        &c.demo.guide.client,
        &app.server.address,
        &c.demo.guide.token,
    )
    .await
    .expect("socket");
    guide.join_one(&room_id, c.eino_seq).await.expect("join");
    let res = app
        .post(
            &c.demo.guide,
            &path(&c.group, c.aino_seq, "hide"),
            json!({"reason": "Henkilötietoja"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let seen = eino
        .wait_for(|f| is(f, "event") && f["event"] == "hidden")
        .await
        .expect("the participant's socket gets the event");
    assert_eq!(seen["target_seq"], c.aino_seq);
    assert!(
        !seen.to_string().contains("Aino täällä") && !seen.to_string().contains("Henkilötietoja"),
        "participants see neither the text nor the reason: {seen}"
    );
    let staff = guide
        .wait_for(|f| is(f, "event") && f["event"] == "hidden")
        .await
        .expect("the guide's socket gets the event");
    assert_eq!(staff["reason"], "Henkilötietoja", "{staff}");
}
