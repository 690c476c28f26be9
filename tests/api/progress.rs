use chrono::Duration;
use etapolku_server::team::profession::Profession;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, assert_problem};

// The demo program's first module: a page, an audio, an exercise with questions, a suggested
// task and a discussion. Module 3 opens next week.
const PAGE: &str = "01-omat-voimavarat-1";
const AUDIO: &str = "01-omat-voimavarat-2";
const EXERCISE: &str = "01-omat-voimavarat-3";
const TASK: &str = "01-omat-voimavarat-4";
const DISCUSSION: &str = "01-omat-voimavarat-5";
const LOCKED: &str = "03-liikkuminen-arjessa-1";

fn item(id: &str, what: &str) -> String {
    format!("/api/v1/me/progress/items/{id}/{what}")
}

async fn json_of(res: reqwest::Response) -> Value {
    assert!(res.status().is_success(), "status {}", res.status());
    res.json().await.expect("json")
}

async fn summary(app: &TestApp, s: &Session) -> Value {
    json_of(app.get(s, "/api/v1/me/progress").await).await
}

#[tokio::test]
async fn the_demo_module_has_the_items_these_tests_name() {
    let app = TestApp::new().await;
    let dc = app.demo_course("Alpha").await;
    let module = json_of(
        app.get(&dc.participant, "/api/v1/me/program/modules/1")
            .await,
    )
    .await;
    let items: Vec<(String, String)> = module["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["id"].as_str().expect("id").to_owned(),
                i["kind"].as_str().expect("kind").to_owned(),
            )
        })
        .collect();
    let expected = [
        (PAGE, "page"),
        (AUDIO, "audio"),
        (EXERCISE, "exercise"),
        (TASK, "task"),
        (DISCUSSION, "discussion"),
    ];
    assert_eq!(
        items,
        expected
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn marking_items_done_completes_the_module_and_undo_takes_it_back() {
    let app = TestApp::new().await;
    let dc = app.demo_course("Alpha").await;
    let s = &dc.participant;

    let before = summary(&app, &dc.participant).await;
    assert_eq!(before["total_modules"], 12);
    assert_eq!(before["completed_modules"], 0);
    assert_eq!(before["modules"][0]["required"], 5);
    assert_eq!(before["modules"][0]["done"], 0);
    assert_eq!(before["modules"][0]["open"], true);
    assert_eq!(before["modules"][2]["open"], false);
    assert_eq!(before["weeks"].as_array().expect("weeks").len(), 12);
    assert_eq!(before["rules"].as_array().expect("rules").len(), 14);

    let opened = json_of(app.post(s, &item(PAGE, "open"), json!({})).await).await;
    assert_eq!(opened["item_id"], PAGE);
    assert!(opened["completed_at"].is_null());
    let first_open = opened["opened_at"].clone();
    app.advance(Duration::minutes(5));
    let again = json_of(app.post(s, &item(PAGE, "open"), json!({})).await).await;
    assert_eq!(again["opened_at"], first_open, "the first opening is kept");

    let done = json_of(app.post(s, &item(PAGE, "complete"), json!({})).await).await;
    assert_eq!(done["completed_how"], "marked");
    assert!(done["completed_at"].is_string());
    for id in [TASK, DISCUSSION] {
        json_of(app.post(s, &item(id, "complete"), json!({})).await).await;
    }
    // Audio can be marked done too; the exercise only by answering.
    json_of(app.post(s, &item(AUDIO, "complete"), json!({})).await).await;
    assert_problem(
        app.post(s, &item(EXERCISE, "complete"), json!({})).await,
        StatusCode::CONFLICT,
        "answer_required",
    )
    .await;
    let mid = summary(&app, &dc.participant).await;
    assert_eq!(mid["modules"][0]["done"], 4);
    assert_eq!(mid["modules"][0]["complete"], false);
    assert_eq!(mid["completed_items"], 4);
    assert_eq!(mid["completed_modules"], 0);

    let res = app
        .post(
            s,
            &format!("/api/v1/me/answers/{EXERCISE}/submit"),
            json!({"answers": {format!("{EXERCISE}-q2"): "Ystävät ja kävely"}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let after = summary(&app, &dc.participant).await;
    assert_eq!(after["modules"][0]["done"], 5);
    assert_eq!(after["modules"][0]["complete"], true);
    assert_eq!(after["completed_modules"], 1);
    assert_eq!(after["items"][EXERCISE]["completed_how"], "answered");
    let required: u64 = after["modules"]
        .as_array()
        .expect("modules")
        .iter()
        .map(|m| m["required"].as_u64().expect("required"))
        .sum();
    assert_eq!(
        after["total_items"], required,
        "every visible item is required"
    );
    assert!(required > 12 * 3);

    // Undo the page: the module is no longer complete.
    let undone = json_of(app.delete(s, &item(PAGE, "complete")).await).await;
    assert!(undone["completed_at"].is_null());
    assert!(undone["completed_how"].is_null());
    let last = summary(&app, &dc.participant).await;
    assert_eq!(last["completed_modules"], 0);
    assert_eq!(last["modules"][0]["done"], 4);
    // An answered exercise is not undone by the marking button.
    assert_problem(
        app.delete(s, &item(EXERCISE, "complete")).await,
        StatusCode::CONFLICT,
        "not_marked",
    )
    .await;
}

#[tokio::test]
async fn audio_completes_from_ninety_percent_and_keeps_the_resume_position() {
    let app = TestApp::new().await;
    let dc = app.demo_course("Alpha").await;
    let s = &dc.participant;

    let at89 = json_of(
        app.put(
            s,
            &item(AUDIO, "media"),
            json!({"position_s": 89.0, "duration_s": 100.0}),
        )
        .await,
    )
    .await;
    assert!(at89["completed_at"].is_null(), "89 % is not done");
    assert_eq!(at89["position_s"], 89.0);
    assert_eq!(at89["duration_s"], 100.0);

    // Seeking back keeps the furthest point reached; resume is where they are.
    let back = json_of(
        app.put(
            s,
            &item(AUDIO, "media"),
            json!({"position_s": 12.5, "duration_s": 100.0}),
        )
        .await,
    )
    .await;
    assert_eq!(back["position_s"], 12.5);
    assert!(back["completed_at"].is_null());

    let at90 = json_of(
        app.put(
            s,
            &item(AUDIO, "media"),
            json!({"position_s": 90.0, "duration_s": 100.0}),
        )
        .await,
    )
    .await;
    assert_eq!(at90["completed_how"], "media");
    let summary = summary(&app, &dc.participant).await;
    assert_eq!(summary["items"][AUDIO]["position_s"], 90.0);
    assert_eq!(summary["modules"][0]["done"], 1);

    // Media marked done by listening is not undone by the marking button.
    assert_problem(
        app.delete(s, &item(AUDIO, "complete")).await,
        StatusCode::CONFLICT,
        "not_marked",
    )
    .await;
    // A page has no playing position.
    assert_problem(
        app.put(
            s,
            &item(PAGE, "media"),
            json!({"position_s": 1.0, "duration_s": 10.0}),
        )
        .await,
        StatusCode::CONFLICT,
        "not_media",
    )
    .await;
}

#[tokio::test]
async fn heartbeats_credit_at_most_sixty_seconds_a_minute_even_from_tabs_at_once() {
    let app = TestApp::new().await;
    let dc = app.demo_course("Alpha").await;
    let s = &dc.participant;

    // Four tabs on two items send 30 s at the same instant: 60 s in all are credited.
    let beat = |id: &'static str| {
        let path = item(id, "heartbeat");
        let app = &app;
        async move {
            json_of(app.post(s, &path, json!({"seconds": 30})).await).await["credited"]
                .as_i64()
                .expect("credited")
        }
    };
    let (a, b, c, d) = tokio::join!(beat(PAGE), beat(AUDIO), beat(PAGE), beat(AUDIO));
    let credited = a + b + c + d;
    assert_eq!(credited, 60);
    let extra = json_of(
        app.post(s, &item(PAGE, "heartbeat"), json!({"seconds": 10}))
            .await,
    )
    .await;
    assert_eq!(extra["credited"], 0);

    // The next minute is credited again.
    app.advance(Duration::seconds(60));
    let next = json_of(
        app.post(s, &item(PAGE, "heartbeat"), json!({"seconds": 45}))
            .await,
    )
    .await;
    assert_eq!(next["credited"], 45);

    let summary = summary(&app, &dc.participant).await;
    let items = summary["items"].as_object().expect("items");
    let seconds: i64 = [PAGE, AUDIO]
        .iter()
        .map(|id| items[*id]["visible_seconds"].as_i64().expect("s"))
        .sum();
    assert_eq!(seconds, 105);
    assert_eq!(summary["weeks"][1]["visible_minutes"], 1);
}

#[tokio::test]
async fn active_days_and_last_seen_are_counted_per_week() {
    let app = TestApp::new().await;
    let dc = app.demo_course("Alpha").await;
    let email = dc.participant.email.clone();
    let empty = summary(&app, &dc.participant).await;
    assert!(empty["last_seen_at"].is_null());
    assert_eq!(empty["active_days_this_week"], 0);

    // The test clock is Monday of remote week 2: two days of use, the second twice.
    let s = &dc.participant;
    json_of(app.post(s, &item(PAGE, "open"), json!({})).await).await;
    app.advance(Duration::days(1));
    let s = app.sign_in_by_link(&email).await;
    json_of(app.post(&s, &item(PAGE, "open"), json!({})).await).await;
    json_of(
        app.post(&s, &item(TASK, "heartbeat"), json!({"seconds": 30}))
            .await,
    )
    .await;
    let s2 = summary(&app, &s).await;
    assert_eq!(s2["active_days_this_week"], 2);
    assert_eq!(s2["weeks"][1]["week"], 2);
    assert_eq!(s2["weeks"][1]["active_days"], 2);
    assert_eq!(s2["weeks"][0]["active_days"], 0);
    assert!(s2["last_seen_at"].is_string());

    // Next Monday is a new week.
    app.advance(Duration::days(6));
    let s = app.sign_in_by_link(&email).await;
    let s3 = summary(&app, &s).await;
    assert_eq!(s3["active_days_this_week"], 0);
    assert_eq!(s3["weeks"][1]["active_days"], 2);
}

#[tokio::test]
async fn items_outside_the_program_are_not_found_and_locked_modules_are_refused() {
    let app = TestApp::new().await;
    let dc = app.demo_course("Alpha").await;
    let s = &dc.participant;
    for what in ["open", "complete"] {
        assert_problem(
            app.post(s, &item("no-such-item", what), json!({})).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert_problem(
            app.post(s, &item(LOCKED, what), json!({})).await,
            StatusCode::FORBIDDEN,
            "module_locked",
        )
        .await;
    }
    assert_problem(
        app.post(s, &item(LOCKED, "heartbeat"), json!({"seconds": 30}))
            .await,
        StatusCode::FORBIDDEN,
        "module_locked",
    )
    .await;
    assert_eq!(app.count("item_progress").await, 0);
    assert_eq!(app.count("activity_days").await, 0);
}

#[tokio::test]
async fn bad_progress_input_is_refused_by_field_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let dc = app.demo_course("Alpha").await;
    let s = &dc.participant;
    for (body, field) in [
        (json!({"seconds": 0}), "seconds"),
        (json!({"seconds": -5}), "seconds"),
        (json!({"seconds": 61}), "seconds"),
        (json!({"seconds": 1e12}), "seconds"),
        (json!({"seconds": "30"}), "seconds"),
        (json!({}), "seconds"),
    ] {
        let body = assert_problem(
            app.post(s, &item(PAGE, "heartbeat"), body).await,
            StatusCode::BAD_REQUEST,
            "validation_failed",
        )
        .await;
        assert_eq!(body["errors"][0]["field"], field, "{body}");
    }
    for (body, field) in [
        (
            json!({"position_s": -1.0, "duration_s": 100.0}),
            "position_s",
        ),
        (json!({"position_s": 10.0, "duration_s": 0.0}), "duration_s"),
        (
            json!({"position_s": 10.0, "duration_s": -3.0}),
            "duration_s",
        ),
        (
            json!({"position_s": 500.0, "duration_s": 100.0}),
            "position_s",
        ),
        (
            json!({"position_s": 1e15, "duration_s": 1e16}),
            "duration_s",
        ),
        (
            json!({"position_s": "NaN", "duration_s": 100.0}),
            "position_s",
        ),
    ] {
        let body = assert_problem(
            app.put(s, &item(AUDIO, "media"), body).await,
            StatusCode::BAD_REQUEST,
            "validation_failed",
        )
        .await;
        assert_eq!(body["errors"][0]["field"], field, "{body}");
    }
    assert_eq!(app.count("item_progress").await, 0);
    assert_eq!(app.count("activity_days").await, 0);
}

#[tokio::test]
async fn guides_of_the_course_see_progress_and_every_read_is_audited() {
    let app = TestApp::new().await;
    let dc = app.demo_course("Alpha").await;
    let extra = app.enrol_many(&dc.provider, &dc.course, 3, "x").await;
    let s = &dc.participant;
    json_of(app.post(s, &item(PAGE, "complete"), json!({})).await).await;

    let audits = app.count("audit_log").await;
    let one = json_of(
        app.get(
            &dc.guide,
            &format!(
                "/api/v1/courses/{}/participants/{}/progress",
                dc.course, s.id
            ),
        )
        .await,
    )
    .await;
    assert_eq!(one["completed_items"], 1);
    assert_eq!(one["items"][PAGE]["completed_how"], "marked");
    assert_eq!(app.count("audit_log").await, audits + 1);

    let list = json_of(
        app.get(
            &dc.guide,
            &format!("/api/v1/courses/{}/progress", dc.course),
        )
        .await,
    )
    .await;
    let rows = list.as_array().expect("rows");
    assert_eq!(rows.len(), 1 + extra.len());
    let mine = rows
        .iter()
        .find(|r| r["participant"]["id"] == s.id.as_str())
        .expect("the participant's row");
    assert_eq!(mine["completed_items"], 1);
    assert_eq!(mine["total_modules"], 12);
    assert_eq!(mine["active_days_this_week"], 1);
    assert!(mine["last_seen_at"].is_string());
    let other = rows
        .iter()
        .find(|r| r["participant"]["id"] == extra[0].as_str())
        .expect("another row");
    assert_eq!(other["completed_items"], 0);
    assert!(other["last_seen_at"].is_null());
    assert_eq!(app.count("audit_log").await, audits + 1 + 4);
}

#[tokio::test]
async fn progress_is_out_of_reach_for_everyone_else() {
    let app = TestApp::new().await;
    let dc = app.demo_course("Alpha").await;
    let other = app.demo_course("Beta").await;
    let outsider = app
        .staff(
            &dc.provider,
            "lonely@alpha.example",
            Profession::Physiotherapist,
        )
        .await;
    let one = format!(
        "/api/v1/courses/{}/participants/{}/progress",
        dc.course, dc.participant.id
    );
    let list = format!("/api/v1/courses/{}/progress", dc.course);
    let audits = app.count("audit_log").await;
    for who in [&other.guide, &other.provider.admin, &outsider] {
        for path in [&one, &list] {
            assert_problem(app.get(who, path).await, StatusCode::NOT_FOUND, "not_found").await;
        }
    }
    // Another course's participant is not on this course, even for its own guide.
    assert_problem(
        app.get(
            &dc.guide,
            &format!(
                "/api/v1/courses/{}/participants/{}/progress",
                dc.course, other.participant.id
            ),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // A participant cannot use the staff views, not even of their own course.
    for path in [&one, &list] {
        assert_problem(
            app.get(&dc.participant, path).await,
            StatusCode::FORBIDDEN,
            "wrong_role",
        )
        .await;
    }
    // … and staff have no progress of their own.
    assert_problem(
        app.get(&dc.guide, "/api/v1/me/progress").await,
        StatusCode::FORBIDDEN,
        "wrong_role",
    )
    .await;
    assert_eq!(
        app.count("audit_log").await,
        audits,
        "refusals read nothing"
    );
}

#[tokio::test]
async fn the_rules_are_written_out_for_anyone_signed_in() {
    let app = TestApp::new().await;
    let dc = app.demo_course("Alpha").await;
    for who in [&dc.guide, &dc.participant, &dc.provider.admin] {
        let rules = json_of(app.get(who, "/api/v1/progress/rules").await).await;
        let video = rules
            .as_array()
            .expect("rules")
            .iter()
            .find(|r| r["kind"] == "video")
            .expect("video");
        assert!(video["text"]["fi"].as_str().expect("fi").contains("90 %"));
        assert!(video["text"]["sv"].as_str().expect("sv").contains("90 %"));
        assert!(video["text"]["en"].as_str().expect("en").contains("90 %"));
    }
    let res = reqwest::Client::new()
        .get(app.url("/api/v1/progress/rules"))
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}
