//! `etapolku serve --demo`: the demo data loads, shows a believable journey, leaves alone what the
//! browser tests do themselves, and a second load changes nothing.

use chrono::Duration;
use etapolku_server::demo;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Session, TestApp};

const TABLES: &[&str] = &[
    "users",
    "courses",
    "enrolments",
    "item_progress",
    "activity_days",
    "exercise_answers",
    "answer_submissions",
    "answer_comments",
    "selfrehab_tasks",
    "selfrehab_task_history",
    "selfrehab_logs",
    "selfrehab_log_feedback",
    "notifications",
    "goals",
    "goal_history",
    "measures",
];

async fn load(app: &TestApp) {
    let state = &app.server.state;
    demo::load(&app.server.db, state.now())
        .await
        .expect("demo data");
    demo::load_program(state).await.expect("demo program");
}

async fn counts(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for t in TABLES {
        out.push(app.count(t).await);
    }
    out
}

async fn get(app: &TestApp, s: &Session, path: &str) -> Value {
    let res = app.get(s, path).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.json().await.expect("json")
}

fn outbox_files(app: &TestApp) -> usize {
    std::fs::read_dir(app.server.data_dir.path().join("outbox"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[tokio::test]
async fn the_demo_journey_loads_once_and_shows_in_the_participants_and_guides_views() {
    let app = TestApp::new().await;
    load(&app).await;
    let first = counts(&app).await;
    assert_eq!(outbox_files(&app), 0, "the demo's notices were mailed");
    for (table, n) in TABLES.iter().zip(&first) {
        if *table != "answer_comments" && *table != "selfrehab_log_feedback" {
            assert!(*n > 1, "nothing seeded in {table}");
        }
    }
    load(&app).await;
    assert_eq!(counts(&app).await, first, "a second load changed something");

    // The demo participant's home: week 5, progress made, tasks today, one unread notice.
    let aino = app.sign_in_by_link(demo::PARTICIPANT).await;
    let home = get(&app, &aino, "/api/v1/me/home").await;
    assert_eq!(home["remote_week"], 5);
    assert_eq!(home["module"]["number"], 5);
    assert_eq!(home["module"]["done"], 1, "{home}");
    assert!(home["progress"]["completed_items"].as_u64().expect("n") >= 15);
    assert!(home["progress"]["completed_modules"].as_u64().expect("n") >= 2);
    assert!(
        !home["tasks_today"].as_array().expect("tasks").is_empty(),
        "{home}"
    );
    assert_eq!(home["unread_notifications"], 1, "{home}");

    let progress = get(&app, &aino, "/api/v1/me/progress").await;
    let weeks = progress["weeks"].as_array().expect("weeks");
    for w in &weeks[..4] {
        assert!(w["active_days"].as_u64().expect("days") >= 3, "{w}");
        assert!(w["visible_minutes"].as_i64().expect("minutes") > 0, "{w}");
    }
    assert!(progress["last_seen_at"].is_string());
    let items = progress["items"].as_object().expect("items");
    let how: Vec<&str> = items
        .values()
        .filter_map(|i| i["completed_how"].as_str())
        .collect();
    for kind in ["marked", "media", "answered"] {
        assert!(how.contains(&kind), "no item completed as {kind}: {how:?}");
    }

    // What the browser tests do themselves is left undone in module 5: the first page, the
    // video, the exercise; and she has no goals or measures yet.
    let module5 = get(&app, &aino, "/api/v1/me/program/modules/5").await;
    for item in module5["items"].as_array().expect("items") {
        let id = item["id"].as_str().expect("id");
        let kind = item["kind"].as_str().unwrap_or_default();
        let done = items.get(id).is_some_and(|p| !p["completed_at"].is_null());
        assert_eq!(done, kind == "task", "module 5 item {id} ({kind})");
    }
    let goals = get(&app, &aino, "/api/v1/me/goals").await;
    assert!(goals["goals"].as_array().expect("goals").is_empty());
    let measures = get(&app, &aino, "/api/v1/me/measures").await;
    assert!(measures.as_array().expect("measures").is_empty());

    // Two agreed tasks, mostly done, one log with the guide's feedback.
    let tasks = get(&app, &aino, "/api/v1/me/tasks").await;
    let tasks = tasks["tasks"].as_array().expect("tasks");
    assert_eq!(tasks.len(), 2);
    let mut feedback = 0;
    for t in tasks {
        assert_eq!(t["agreed"], true, "{t}");
        let ratio = t["adherence"]["ratio"].as_f64().expect("ratio");
        assert!((0.7..1.0).contains(&ratio), "adherence {ratio}");
        for log in t["logs"].as_array().expect("logs") {
            feedback += log["feedback"].as_array().expect("feedback").len();
            if let Some(r) = log["rating"].as_u64() {
                assert!((1..=5).contains(&r));
            }
        }
    }
    assert_eq!(feedback, 1);
    assert_eq!(
        tasks
            .iter()
            .filter(|t| t["created_by"] == "guide" && t["source_item_id"].is_null())
            .count(),
        1
    );

    // A guide's comment on one answer; its notice was read, the feedback's is new.
    let answers = get(&app, &aino, "/api/v1/me/answers").await;
    let answers = answers.as_array().expect("answers");
    assert!(answers.len() >= 4);
    assert_eq!(
        answers
            .iter()
            .map(|a| a["comments"].as_u64().unwrap_or(0))
            .sum::<u64>(),
        1
    );
    let notices = get(&app, &aino, "/api/v1/me/notifications").await;
    let unread: Vec<&str> = notices["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|n| n["read_at"].is_null())
        .filter_map(|n| n["kind"].as_str())
        .collect();
    assert_eq!(unread, vec!["task_feedback"]);

    // The guide's course table shows differences.
    let course = get(&app, &aino, "/api/v1/me/course").await;
    let course_id = course["course"]["id"]
        .as_str()
        .expect("course id")
        .to_owned();
    let guide = app.sign_in_by_link(demo::GUIDE).await;
    let rows = get(
        &app,
        &guide,
        &format!("/api/v1/courses/{course_id}/progress"),
    )
    .await;
    let row = |name: &str| -> Value {
        rows.as_array()
            .expect("rows")
            .iter()
            .find(|r| r["participant"]["display_name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no row for {name}"))
    };
    let now = app.server.state.now();
    assert_eq!(row("Eero Mäkinen")["completed_modules"], 5);
    let never = row("Marjatta Hämäläinen");
    assert_eq!(never["completed_items"], 0);
    assert!(never["last_seen_at"].is_null());
    let idle = row("Pekka Nieminen");
    let seen: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(idle["last_seen_at"].clone()).expect("last seen");
    assert!(seen < now - Duration::days(9) && seen > now - Duration::days(11));
    let behind = row("Liisa Korhonen")["completed_items"]
        .as_u64()
        .expect("n");
    let ahead = row("Eero Mäkinen")["completed_items"].as_u64().expect("n");
    assert!(behind > 0 && behind < ahead);

    // Others have goals with baselines and start measures (read through the staff API).
    let eero = row("Eero Mäkinen")["participant"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let goals = get(
        &app,
        &guide,
        &format!("/api/v1/courses/{course_id}/participants/{eero}/goals"),
    )
    .await;
    let goals = goals["goals"].as_array().expect("goals");
    assert_eq!(goals.len(), 2);
    assert!(goals.iter().all(|g| g["baseline"].is_i64()));
    let measures = get(
        &app,
        &guide,
        &format!("/api/v1/courses/{course_id}/participants/{eero}/measures"),
    )
    .await;
    assert_eq!(measures.as_array().expect("measures").len(), 2);

    // The Swedish course has not started: nothing of its participant.
    let ebba = app.sign_in_by_link(demo::PARTICIPANT_SV).await;
    let tasks = get(&app, &ebba, "/api/v1/me/tasks").await;
    assert!(tasks["tasks"].as_array().expect("tasks").is_empty());
    let answers = get(&app, &ebba, "/api/v1/me/answers").await;
    assert!(answers.as_array().expect("answers").is_empty());
}
