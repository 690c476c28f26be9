use chrono::{DateTime, Utc};
use etapolku_server::accounts::model::Role;
use etapolku_server::audit::service::{
    Access, for_subject, record_each, record_listing, verify_chain,
};
use etapolku_server::auth::extract::AuthUser;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;
use uuid::Uuid;

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

/// A provider admin reading outside a request, for the bulk tests below.
fn provider_admin(request_id: &str) -> AuthUser {
    AuthUser {
        id: 1,
        uuid: Uuid::new_v4(),
        role: Role::ProviderAdmin,
        provider_id: Some(1),
        session: Uuid::new_v4(),
        request_id: request_id.into(),
    }
}

/// Her read of the provider's overview.
fn overview_read(admin: &AuthUser) -> Access<'_> {
    Access {
        actor: admin,
        subject: Uuid::nil(),
        provider_id: Some(1),
        category: "overview",
        action: "read",
        purpose: "course_administration",
    }
}

/// An instant with nanoseconds, as the system clock gives; PostgreSQL keeps microseconds.
fn fine_instant() -> DateTime<Utc> {
    "2026-03-02T08:00:00.123456789Z".parse().expect("instant")
}

#[tokio::test]
async fn a_read_of_thousands_of_participants_is_logged_whole_and_the_chain_holds() {
    // More participants than one SQLite statement can bind rows of the usage log (13 values a
    // row, 32,766 values a statement), and a clock finer than the database.
    let app = TestApp::new().await;
    let admin = provider_admin("bulk");
    let subjects: Vec<Uuid> = (0..6000).map(|_| Uuid::new_v4()).collect();
    let before = app.count("audit_log").await;

    record_each(
        &app.server.db,
        fine_instant(),
        &overview_read(&admin),
        &subjects,
    )
    .await
    .expect("recorded");

    assert_eq!(app.count("audit_log").await - before, 6000);
    let chain = verify_chain(&app.server.db).await.expect("read");
    assert_eq!(chain, Ok(usize::try_from(before).expect("n") + 6000));
}

#[tokio::test]
async fn a_listing_row_names_every_participant_read_and_an_edit_to_its_list_is_detected() {
    // The overview writes one row listing everyone it shows; a participant's request finds it.
    let app = TestApp::new().await;
    let admin = provider_admin("listing");
    let subjects: Vec<Uuid> = (0..6000).map(|_| Uuid::new_v4()).collect();
    let before = app.count("audit_log").await;
    let db = &app.server.db;

    record_listing(db, fine_instant(), &overview_read(&admin), &subjects)
        .await
        .expect("recorded");

    assert_eq!(app.count("audit_log").await - before, 1);
    let n = usize::try_from(before).expect("n") + 1;
    assert_eq!(verify_chain(db).await.expect("read"), Ok(n));
    for listed in [subjects[0], subjects[2999], subjects[5999]] {
        let entries = for_subject(db, listed).await.expect("read");
        assert_eq!(entries.len(), 1, "{listed}");
        assert_eq!(entries[0].subject_id, Some(listed));
        assert_eq!(entries[0].category, "overview");
        assert_eq!(entries[0].request_id, "listing");
    }
    assert!(
        for_subject(db, Uuid::new_v4())
            .await
            .expect("read")
            .is_empty()
    );

    // Taking one participant out of the list breaks the chain at that row.
    let id: i32 = i32::try_from(n).expect("id");
    let first = subjects.iter().map(Uuid::to_string).min().expect("one");
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        format!(
            "UPDATE audit_log SET subjects = REPLACE(subjects, '{first} ', '') WHERE id = {id}"
        ),
    ))
    .await
    .expect("tamper");
    assert_eq!(verify_chain(db).await.expect("read"), Err(id));
}
