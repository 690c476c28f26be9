use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{DemoCourse, TestApp, assert_problem};

async fn home(app: &TestApp, demo: &DemoCourse) -> Value {
    let res = app.get(&demo.participant, "/api/v1/me/home").await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.expect("json")
}

/// A task done every day of the week, for four weeks from today.
async fn daily_task(app: &TestApp, demo: &DemoCourse, title: &str) -> String {
    let res = app
        .post(
            &demo.participant,
            "/api/v1/me/tasks",
            json!({"title": title, "days": ["mon","tue","wed","thu","fri","sat","sun"], "weeks": 4, "minutes": 15}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let task: Value = res.json().await.expect("json");
    task["id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn the_home_shows_the_week_its_module_and_a_plain_progress_line() {
    let app = TestApp::new().await;
    let demo = app.demo_course("Alpha").await;
    let h = home(&app, &demo).await;
    assert_eq!(h["phase"], "remote");
    assert_eq!(h["remote_week"], 2);
    assert_eq!(
        h["week"],
        json!({"start": "2026-03-02", "end": "2026-03-08"})
    );
    assert_eq!(h["module"]["number"], 2);
    let unfinished = h["module"]["unfinished"]
        .as_array()
        .expect("unfinished")
        .clone();
    assert!(!unfinished.is_empty());
    assert_eq!(h["module"]["done"], 0);
    assert_eq!(h["module"]["required"], unfinished.len());
    assert_eq!(h["progress"]["completed_modules"], 0);
    assert_eq!(h["progress"]["total_modules"], 12);
    assert_eq!(h["tasks_today"], json!([]));
    assert_eq!(h["goals_set"], 0);
    assert_eq!(h["unread_notifications"], 0);
    assert_eq!(h["next_contact"], Value::Null);
    assert_eq!(h["unread_messages"], 0);
    assert_eq!(h["personal_guide"], Value::Null);

    // The nurse becomes the personal guide: the home names her and her profession.
    let res = app
        .put(
            &demo.provider.admin,
            &format!(
                "/api/v1/courses/{}/participants/{}/personal-guide",
                demo.course, demo.participant.id
            ),
            json!({"staff_id": demo.guide.id}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let h = home(&app, &demo).await;
    assert_eq!(h["personal_guide"]["profession"], "registered_nurse");
    assert!(h["personal_guide"]["display_name"].is_string());

    // Finishing an item of this week's module takes it off the unfinished list.
    let page = unfinished
        .iter()
        .find(|i| i["kind"] == "page")
        .expect("a page in module 2");
    let item = page["item_id"].as_str().expect("id");
    let res = app
        .post(
            &demo.participant,
            &format!("/api/v1/me/progress/items/{item}/complete"),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let h = home(&app, &demo).await;
    assert_eq!(h["module"]["done"], 1);
    assert!(
        h["module"]["unfinished"]
            .as_array()
            .expect("unfinished")
            .iter()
            .all(|i| i["item_id"] != item)
    );
    assert_eq!(h["progress"]["completed_items"], 1);
}

#[tokio::test]
async fn todays_tasks_are_listed_with_todays_log() {
    let app = TestApp::new().await;
    let demo = app.demo_course("Alpha").await;
    let walk = daily_task(&app, &demo, "Kävely ennen iltapalaa").await;
    let h = home(&app, &demo).await;
    assert_eq!(h["tasks_today"][0]["id"], walk);
    assert_eq!(h["tasks_today"][0]["minutes"], 15);
    assert_eq!(h["tasks_today"][0]["today_log"], Value::Null);

    let today = app.today();
    let res = app
        .put(
            &demo.participant,
            &format!("/api/v1/me/tasks/{walk}/logs/{today}"),
            json!({"done": true, "rating": 4}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let h = home(&app, &demo).await;
    assert_eq!(h["tasks_today"][0]["today_log"]["done"], true);
    assert_eq!(h["tasks_today"][0]["today_log"]["rating"], 4);
}

/// No N+1: the statements one home request sends do not grow with tasks, logs or progress.
#[tokio::test]
async fn the_home_reads_a_fixed_number_of_statements_whatever_the_history() {
    let app = TestApp::new().await;
    let demo = app.demo_course("Alpha").await;
    daily_task(&app, &demo, "Venyttely").await;
    home(&app, &demo).await; // caches the program outline
    let before = app.server.state.queries.get();
    home(&app, &demo).await;
    let small = app.server.state.queries.get() - before;

    let today = app.today();
    for i in 0..6 {
        let task = daily_task(&app, &demo, &format!("Tehtävä {i}")).await;
        app.put(
            &demo.participant,
            &format!("/api/v1/me/tasks/{task}/logs/{today}"),
            json!({"done": i % 2 == 0}),
        )
        .await;
    }
    let module: Value = app
        .get(&demo.participant, "/api/v1/me/program/modules/1")
        .await
        .json()
        .await
        .expect("json");
    for item in module["items"].as_array().expect("items") {
        let id = item["id"].as_str().expect("id");
        app.post(
            &demo.participant,
            &format!("/api/v1/me/progress/items/{id}/open"),
            json!({}),
        )
        .await;
    }
    let before = app.server.state.queries.get();
    let h = home(&app, &demo).await;
    let large = app.server.state.queries.get() - before;
    assert_eq!(h["tasks_today"].as_array().map(Vec::len), Some(7));
    assert_eq!(
        small, large,
        "statements per home request: {small} with little data, {large} with more"
    );
    assert!(large <= 1, "{large} statements for one home request");
}

#[tokio::test]
async fn only_a_participant_on_a_course_has_a_home() {
    let app = TestApp::new().await;
    let demo = app.demo_course("Alpha").await;
    let res = app.get(&demo.guide, "/api/v1/me/home").await;
    assert_problem(res, StatusCode::FORBIDDEN, "wrong_role").await;
    app.participant(&demo.provider, "eino@alpha.example").await;
    let eino = app.sign_in_by_link("eino@alpha.example").await;
    let res = app.get(&eino, "/api/v1/me/home").await;
    assert_problem(res, StatusCode::NOT_FOUND, "no_course").await;
}
