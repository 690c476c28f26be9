use etapolku_server::audit::service::verify_chain;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;

use crate::helpers::{TestApp, assert_problem};

#[tokio::test]
async fn a_guide_reading_a_participant_is_logged_and_the_participant_can_see_it() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let id = app.course(&p, app.monday_in(-2)).await;
    let nurse = app.full_team(&p, &id).await;
    let pid = app.enrol_many(&p, &id, 1, "a").await.remove(0);

    let res = app
        .get(&nurse, &format!("/api/v1/participants/{pid}"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let request_id = res.headers()["x-request-id"]
        .to_str()
        .expect("id")
        .to_owned();

    let log: Value = app
        .get(&p.admin, &format!("/api/v1/audit?subject_id={pid}"))
        .await
        .json()
        .await
        .expect("json");
    let entry = log
        .as_array()
        .expect("list")
        .iter()
        .find(|e| e["category"] == "profile")
        .expect("profile read logged")
        .clone();
    assert_eq!(entry["actor_id"], nurse.id.as_str());
    assert_eq!(entry["actor_role"], "guide");
    assert_eq!(entry["action"], "read");
    assert_eq!(entry["purpose"], "guidance");
    assert_eq!(entry["request_id"], request_id.as_str());
}

#[tokio::test]
async fn reading_the_participant_list_logs_one_entry_per_participant() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let id = app.course(&p, app.monday_in(4)).await;
    app.enrol_many(&p, &id, 3, "l").await;
    let before = app.count("audit_log").await;
    app.get(&p.admin, &format!("/api/v1/courses/{id}/participants"))
        .await;
    assert_eq!(app.count("audit_log").await, before + 3);
}

#[tokio::test]
async fn the_log_is_hash_chained_and_an_edited_row_is_detected() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let id = app.course(&p, app.monday_in(4)).await;
    app.enrol_many(&p, &id, 3, "h").await;
    app.get(&p.admin, &format!("/api/v1/courses/{id}/participants"))
        .await;
    assert_eq!(
        verify_chain(&app.server.db).await.expect("verify"),
        Ok(3 + 3)
    );

    let db = &app.server.db;
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        "UPDATE audit_log SET purpose = 'curiosity' WHERE id = 2",
    ))
    .await
    .expect("tamper");

    assert_eq!(verify_chain(db).await.expect("verify"), Err(2));
}

#[tokio::test]
async fn a_provider_admin_cannot_read_the_log_of_another_providers_participant() {
    let app = TestApp::new().await;
    let a = app.provider("Alpha").await;
    let b = app.provider("Beta").await;
    let other = app.participant(&b, "x@beta.example").await;
    let res = app
        .get(&a.admin, &format!("/api/v1/audit?subject_id={other}"))
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}
