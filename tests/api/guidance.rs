//! The guidance ledger (R-GUIDANCE-4H, R-GUIDE-ONE): entries with one professional, crediting
//! enrolled participants, counted in the remote period, corrected with history, never deleted.
//!
//! The demo course's remote period started on Monday 23.2.2026 (22.2. 22:00 UTC); the test clock
//! is Monday 2.3.2026 10:00 Helsinki, remote week 2, when the pace line is 40 minutes.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{DemoCourse, Session, TestApp, assert_problem};

fn entries(d: &DemoCourse) -> String {
    format!("/api/v1/courses/{}/guidance/entries", d.course)
}

fn entry_body(d: &DemoCourse, minutes: i64, started_at: &str) -> Value {
    json!({"kind": "video_call", "started_at": started_at, "minutes": minutes,
        "participant_ids": [d.participant.id], "note": "Puhuttiin jaksamisesta."})
}

async fn record(app: &TestApp, d: &DemoCourse, minutes: i64, started_at: &str) -> Value {
    let res = app
        .post(&d.guide, &entries(d), entry_body(d, minutes, started_at))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json().await.expect("json")
}

async fn my_minutes(app: &TestApp, d: &DemoCourse) -> Value {
    let res = app.get(&d.participant, "/api/v1/me/guidance").await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.expect("json")
}

async fn course_row(app: &TestApp, d: &DemoCourse) -> Value {
    course_row_as(app, &d.guide, d).await
}

async fn course_row_as(app: &TestApp, guide: &Session, d: &DemoCourse) -> Value {
    let res = app
        .get(guide, &format!("/api/v1/courses/{}/guidance", d.course))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.expect("json");
    body["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .find(|p| p["participant"]["id"] == d.participant.id.as_str())
        .expect("the participant's row")
        .clone()
}

#[tokio::test]
async fn a_guide_records_guidance_and_the_participant_sees_her_minutes_against_the_pace() {
    // Arrange
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;

    // Act
    let entry = record(&app, &d, 45, "2026-02-26T09:00:00Z").await;

    // Assert
    assert_eq!(entry["minutes"], 45);
    assert_eq!(entry["professional"]["display_name"], "nurse");
    assert_eq!(entry["outside_remote_period"], false);
    assert_eq!(entry["counted"], true);
    assert_eq!(entry["version"], 1);
    let row = course_row(&app, &d).await;
    assert_eq!(row["remote_minutes"], 45);
    assert_eq!(row["required_minutes"], 240);
    assert_eq!(row["pace"]["remote_week"], 2);
    assert_eq!(row["pace"]["expected_minutes"], 40);
    assert_eq!(row["pace"]["on_pace"], true);
    assert_eq!(row["pace"]["missing_minutes"], 195);
    let mine = my_minutes(&app, &d).await;
    assert_eq!(mine["remote_minutes"], 45);
    assert_eq!(mine["entries"][0]["kind"], "video_call");
    assert_eq!(mine["entries"][0]["professional"]["display_name"], "nurse");
    assert!(
        mine["entries"][0].get("note").is_none(),
        "the participant's view carries no notes: {mine}"
    );
}

#[tokio::test]
async fn the_pace_line_moves_at_helsinki_midnight_on_monday_across_the_spring_dst_change() {
    // Arrange: 100 minutes by remote week 5 (23.–29.3.2026, whose Sunday has the spring change).
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    record(&app, &d, 100, "2026-02-26T09:00:00Z").await;
    let at = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().expect("instant");

    // A session signed in at `when` (an access token lives minutes, so each jump signs in again).
    let row_at = |when: &'static str| {
        let app = &app;
        let d = &d;
        async move {
            app.server.clock.set(at(when));
            let guide = app.login(&d.guide.email).await;
            course_row_as(app, &guide, d).await
        }
    };

    // Act and assert: Monday 23.3. 00:00 EET (22.3. 22:00 UTC) starts week 5 …
    let week4 = row_at("2026-03-22T21:59:59Z").await;
    let week5 = row_at("2026-03-22T22:00:00Z").await;
    // … and Monday 30.3. 00:00 EEST (29.3. 21:00 UTC) starts week 6, 23 hours after Sunday began.
    let last_of_week5 = row_at("2026-03-29T20:59:59Z").await;
    let week6 = row_at("2026-03-29T21:00:00Z").await;

    assert_eq!(week4["pace"]["remote_week"], 4);
    assert_eq!(week4["pace"]["expected_minutes"], 80);
    assert_eq!(week5["pace"]["remote_week"], 5);
    assert_eq!(week5["pace"]["expected_minutes"], 100);
    assert_eq!(last_of_week5["pace"]["remote_week"], 5);
    assert_eq!(last_of_week5["pace"]["on_pace"], true);
    assert_eq!(week6["pace"]["remote_week"], 6);
    assert_eq!(week6["pace"]["expected_minutes"], 120);
    assert_eq!(week6["pace"]["on_pace"], false);
}

#[tokio::test]
async fn one_entry_has_one_professional_and_a_second_is_refused_with_nothing_stored() {
    // Arrange
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let team: Value = app
        .get(&d.guide, &format!("/api/v1/courses/{}/team", d.course))
        .await
        .json()
        .await
        .expect("json");
    let physio = team["members"]
        .as_array()
        .expect("members")
        .iter()
        .find(|m| m["staff"]["display_name"] == "physio")
        .expect("physio")["staff"]["id"]
        .clone();
    let mut two = entry_body(&d, 30, "2026-02-26T09:00:00Z");
    two["professional_ids"] = json!([d.guide.id, physio]);
    let mut other = entry_body(&d, 30, "2026-02-26T09:00:00Z");
    other["professional_ids"] = json!([physio]);

    // Act
    let refused = app.post(&d.guide, &entries(&d), two).await;
    let for_physio = app.post(&d.guide, &entries(&d), other).await;

    // Assert
    let problem = assert_problem(refused, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "professional_ids");
    assert_eq!(problem["errors"][0]["code"], "one_professional");
    assert_eq!(for_physio.status(), StatusCode::CREATED);
    let entry: Value = for_physio.json().await.expect("json");
    assert_eq!(entry["professional"]["display_name"], "physio");
    assert_eq!(app.count("guidance_entries").await, 1);
    assert_eq!(app.count("guidance_credits").await, 1);
}

#[tokio::test]
async fn zero_and_negative_minutes_are_refused_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;

    for minutes in [0, -15, 601] {
        let res = app
            .post(
                &d.guide,
                &entries(&d),
                entry_body(&d, minutes, "2026-02-26T09:00:00Z"),
            )
            .await;
        let problem = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "minutes", "{minutes}");
        assert_eq!(problem["errors"][0]["code"], "out_of_range", "{minutes}");
    }
    let no_one = app
        .post(
            &d.guide,
            &entries(&d),
            json!({"kind": "other", "started_at": "2026-02-26T09:00:00Z", "minutes": 10,
                "participant_ids": []}),
        )
        .await;
    assert_problem(no_one, StatusCode::BAD_REQUEST, "validation_failed").await;
    let future = app
        .post(
            &d.guide,
            &entries(&d),
            entry_body(&d, 10, "2026-03-03T09:00:00Z"),
        )
        .await;
    assert_problem(future, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(app.count("guidance_entries").await, 0);
    assert_eq!(app.count("guidance_credits").await, 0);
    assert_eq!(app.count("guidance_entry_revisions").await, 0);
}

#[tokio::test]
async fn an_entry_outside_the_remote_period_is_flagged_and_not_counted() {
    // Arrange: Sunday 22.2. 23:59 Helsinki is on-site week 1; Monday 23.2. 00:00 is remote week 1.
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;

    // Act
    let before = record(&app, &d, 30, "2026-02-22T21:59:00Z").await;
    let onsite = record(&app, &d, 60, "2026-02-17T08:00:00Z").await;
    let first_minute = record(&app, &d, 25, "2026-02-22T22:00:00Z").await;

    // Assert
    assert_eq!(before["outside_remote_period"], true);
    assert_eq!(before["counted"], false);
    assert_eq!(onsite["outside_remote_period"], true);
    assert_eq!(first_minute["outside_remote_period"], false);
    let row = course_row(&app, &d).await;
    assert_eq!(row["remote_minutes"], 25);
    assert_eq!(row["pace"]["on_pace"], false);
    let mine = my_minutes(&app, &d).await;
    assert_eq!(mine["remote_minutes"], 25);
    assert_eq!(mine["entries"].as_array().map(Vec::len), Some(3));
    let res = app
        .get(
            &d.guide,
            &format!(
                "/api/v1/courses/{}/participants/{}/guidance",
                d.course, d.participant.id
            ),
        )
        .await;
    let ledger: Value = res.json().await.expect("json");
    assert_eq!(ledger["summary"]["remote_minutes"], 25);
    assert_eq!(ledger["entries"].as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn corrections_keep_history_and_a_removed_entry_stays_but_is_not_counted() {
    // Arrange
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let entry = record(&app, &d, 30, "2026-02-26T09:00:00Z").await;
    let path = format!("{}/{}", entries(&d), entry["id"].as_str().expect("id"));

    // Act
    let no_reason = app.patch(&d.guide, &path, json!({"minutes": 50})).await;
    let corrected = app
        .patch(
            &d.guide,
            &path,
            json!({"minutes": 50, "reason": "Puhelu kesti pidempään.", "version": 1}),
        )
        .await;
    let stale = app
        .patch(
            &d.guide,
            &path,
            json!({"minutes": 55, "reason": "x", "version": 1}),
        )
        .await;
    let after_correction = course_row(&app, &d).await;
    let voided = app
        .post(
            &d.guide,
            &format!("{path}/void"),
            json!({"reason": "Kirjattu väärälle osallistujalle."}),
        )
        .await;
    let again = app
        .post(
            &d.guide,
            &format!("{path}/void"),
            json!({"reason": "twice"}),
        )
        .await;

    // Assert
    assert_problem(no_reason, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(corrected.status(), StatusCode::OK);
    let corrected: Value = corrected.json().await.expect("json");
    assert_eq!(corrected["minutes"], 50);
    assert_eq!(corrected["version"], 2);
    assert_eq!(corrected["id"], entry["id"]);
    assert_problem(stale, StatusCode::CONFLICT, "entry_changed").await;
    assert_eq!(after_correction["remote_minutes"], 50);
    assert_eq!(voided.status(), StatusCode::OK);
    let voided: Value = voided.json().await.expect("json");
    assert_eq!(voided["counted"], false);
    assert_eq!(
        voided["voided"]["reason"],
        "Kirjattu väärälle osallistujalle."
    );
    assert_problem(again, StatusCode::CONFLICT, "entry_voided").await;
    assert_eq!(course_row(&app, &d).await["remote_minutes"], 0);
    assert_eq!(app.count("guidance_entries").await, 1);

    let history: Value = app.get(&d.guide, &path).await.json().await.expect("json");
    let revisions = history["revisions"].as_array().expect("revisions");
    let steps: Vec<(&str, i64)> = revisions
        .iter()
        .map(|r| {
            (
                r["change"].as_str().expect("change"),
                r["entry"]["minutes"].as_i64().expect("minutes"),
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![("created", 30), ("corrected", 50), ("voided", 50)]
    );
    assert_eq!(revisions[1]["reason"], "Puhelu kesti pidempään.");
    assert_eq!(revisions[2]["entry"]["voided"], true);
    assert_eq!(history["entry"]["voided"]["by"]["display_name"], "nurse");
    // The participant no longer sees the removed entry.
    let mine = my_minutes(&app, &d).await;
    assert_eq!(mine["remote_minutes"], 0);
    assert_eq!(mine["entries"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn a_correction_can_move_the_credit_to_another_participant() {
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let others = app.enrol_many(&d.provider, &d.course, 1, "x").await;
    let entry = record(&app, &d, 30, "2026-02-26T09:00:00Z").await;
    let path = format!("{}/{}", entries(&d), entry["id"].as_str().expect("id"));

    let res = app
        .patch(
            &d.guide,
            &path,
            json!({"participant_ids": [others[0]], "reason": "Väärä henkilö."}),
        )
        .await;

    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(course_row(&app, &d).await["remote_minutes"], 0);
    let history: Value = app.get(&d.guide, &path).await.json().await.expect("json");
    assert_eq!(
        history["revisions"][0]["entry"]["participants"][0]["id"],
        d.participant.id.as_str()
    );
    assert_eq!(
        history["revisions"][1]["entry"]["participants"][0]["id"],
        others[0].as_str()
    );
}

#[tokio::test]
async fn a_guide_of_another_course_sees_nothing_and_cannot_write() {
    // Arrange
    let app = TestApp::new().await;
    let alpha = app.demo_course("Alpha").await;
    let beta = app.demo_course("Beta").await;
    let entry = record(&app, &alpha, 30, "2026-02-26T09:00:00Z").await;
    let entry_path = format!("{}/{}", entries(&alpha), entry["id"].as_str().expect("id"));

    // Act and assert: Beta's guide gets 404 for every Alpha path.
    for path in [
        format!("/api/v1/courses/{}/guidance", alpha.course),
        format!(
            "/api/v1/courses/{}/participants/{}/guidance",
            alpha.course, alpha.participant.id
        ),
        entry_path.clone(),
    ] {
        let res = app.get(&beta.guide, &path).await;
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    let res = app
        .post(
            &beta.guide,
            &entries(&alpha),
            entry_body(&alpha, 30, "2026-02-26T09:00:00Z"),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app
        .patch(
            &beta.guide,
            &entry_path,
            json!({"minutes": 5, "reason": "x"}),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    // Alpha's guide cannot credit Beta's participant, nor read her through Alpha's course.
    let mut foreign = entry_body(&alpha, 30, "2026-02-26T09:00:00Z");
    foreign["participant_ids"] = json!([beta.participant.id]);
    let res = app.post(&alpha.guide, &entries(&alpha), foreign).await;
    let problem = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "not_enrolled");
    let res = app
        .get(
            &alpha.guide,
            &format!(
                "/api/v1/courses/{}/participants/{}/guidance",
                alpha.course, beta.participant.id
            ),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    // A participant reaches only her own minutes; staff paths answer 403.
    let res = app
        .get(
            &beta.participant,
            &format!("/api/v1/courses/{}/guidance", alpha.course),
        )
        .await;
    assert_problem(res, StatusCode::FORBIDDEN, "wrong_role").await;
    assert_eq!(my_minutes(&app, &beta).await["remote_minutes"], 0);
    assert_eq!(app.count("guidance_entries").await, 1);
}

#[tokio::test]
async fn the_provider_admin_reads_but_only_team_members_write() {
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;

    let read = app
        .get(
            &d.provider.admin,
            &format!("/api/v1/courses/{}/guidance", d.course),
        )
        .await;
    let write = app
        .post(
            &d.provider.admin,
            &entries(&d),
            entry_body(&d, 30, "2026-02-26T09:00:00Z"),
        )
        .await;

    assert_eq!(read.status(), StatusCode::OK);
    assert_problem(write, StatusCode::FORBIDDEN, "not_on_team").await;
}

#[tokio::test]
async fn each_staff_read_of_a_participants_guidance_is_audited() {
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    record(&app, &d, 30, "2026-02-26T09:00:00Z").await;

    app.get(
        &d.guide,
        &format!(
            "/api/v1/courses/{}/participants/{}/guidance",
            d.course, d.participant.id
        ),
    )
    .await;
    course_row(&app, &d).await;

    let log: Value = app
        .get(
            &d.provider.admin,
            &format!("/api/v1/audit?subject_id={}", d.participant.id),
        )
        .await
        .json()
        .await
        .expect("json");
    let guidance: Vec<&str> = log
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["category"] == "guidance")
        .map(|e| e["action"].as_str().expect("action"))
        .collect();
    // Newest first: the course list read, the participant read, the entry's creation.
    assert_eq!(guidance, vec!["read", "read", "create"]);
}

/// Grouped queries: the statements behind the course's totals do not grow with participants.
#[tokio::test]
async fn the_course_totals_take_a_fixed_number_of_statements() {
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let db = &app.server.state.db;
    let course = etapolku_server::courses::access::find_course(db, d.course.parse().expect("uuid"))
        .await
        .expect("course");
    let now = etapolku_server::clock::Clock::now(&app.server.clock);
    let before = app.server.state.queries.get();
    etapolku_server::guidance::service::course_summary(db, &course, now)
        .await
        .expect("summary");
    let small = app.server.state.queries.get() - before;

    let ids = app.enrol_many(&d.provider, &d.course, 5, "many").await;
    for id in &ids {
        let res = app
            .post(
                &d.guide,
                &entries(&d),
                json!({"kind": "phone_call", "started_at": "2026-02-27T09:00:00Z",
                    "minutes": 20, "participant_ids": [id, d.participant.id]}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let before = app.server.state.queries.get();
    let summary = etapolku_server::guidance::service::course_summary(db, &course, now)
        .await
        .expect("summary");
    let large = app.server.state.queries.get() - before;

    assert_eq!(summary.participants.len(), 6);
    let aino = summary
        .participants
        .iter()
        .find(|p| p.participant.id.to_string() == d.participant.id)
        .expect("aino");
    assert_eq!(aino.remote_minutes, 100);
    assert_eq!(small, large, "{small} statements with 1, {large} with 6");
    assert!(large <= 4, "{large}");
}

#[tokio::test]
async fn the_ledger_and_contact_endpoints_are_in_the_openapi_document() {
    let app = TestApp::new().await;
    let doc = app.public_json("/api/openapi.json").await;
    for (path, method) in [
        ("/api/v1/me/guidance", "get"),
        ("/api/v1/courses/{id}/guidance", "get"),
        ("/api/v1/courses/{id}/participants/{pid}/guidance", "get"),
        ("/api/v1/courses/{id}/guidance/entries", "post"),
        ("/api/v1/courses/{id}/guidance/entries/{eid}", "get"),
        ("/api/v1/courses/{id}/guidance/entries/{eid}", "patch"),
        ("/api/v1/courses/{id}/guidance/entries/{eid}/void", "post"),
        ("/api/v1/me/contacts", "get"),
        ("/api/v1/courses/{id}/contacts", "get"),
        ("/api/v1/me/contacts/{cid}/confirm", "post"),
        ("/api/v1/me/contacts/{cid}/reschedule", "post"),
        ("/api/v1/me/contacts/{cid}/invitation.ics", "get"),
        ("/api/v1/courses/{id}/participants/{pid}/contacts", "get"),
        ("/api/v1/courses/{id}/participants/{pid}/contacts", "post"),
        ("/api/v1/courses/{id}/contacts/{cid}", "patch"),
        ("/api/v1/courses/{id}/contacts/{cid}/done", "post"),
        ("/api/v1/courses/{id}/contacts/{cid}/cancel", "post"),
        ("/api/v1/courses/{id}/contacts/{cid}/no-show", "post"),
        ("/api/v1/courses/{id}/contacts/{cid}/invitation.ics", "get"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} missing from the OpenAPI document"
        );
    }
}
