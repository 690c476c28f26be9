use chrono::Duration;
use etapolku_server::accounts::model::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, client};

#[tokio::test]
async fn accessibility_feedback_is_stored_and_flagged_when_unanswered_for_fourteen_days() {
    let app = TestApp::new().await;
    let res = client()
        .post(app.url("/api/v1/feedback/accessibility"))
        .json(&json!({"message": "Painikkeet ovat liian pieniä puhelimessa", "language": "fi"}))
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), StatusCode::CREATED);
    let receipt: Value = res.json().await.expect("json");
    assert!(receipt["received_at"].is_string());

    app.user(
        None,
        "root@platform.example",
        Role::PlatformAdmin,
        None,
        true,
    )
    .await;
    app.advance(Duration::days(14) + Duration::minutes(1));
    let admin = app.login("root@platform.example").await;
    let list: Value = app
        .get(&admin, "/api/v1/feedback/accessibility")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list[0]["overdue"], true);

    let id = list[0]["id"].as_str().expect("id");
    let res = app
        .post(
            &admin,
            &format!("/api/v1/feedback/accessibility/{id}/replied"),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let list: Value = app
        .get(&admin, "/api/v1/feedback/accessibility")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list[0]["overdue"], false);
}

#[tokio::test]
async fn empty_feedback_is_refused_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let res = client()
        .post(app.url("/api/v1/feedback/accessibility"))
        .json(&json!({"message": "   "}))
        .send()
        .await
        .expect("req");
    let body = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "message");
    assert_eq!(app.count("accessibility_feedback").await, 0);
}
