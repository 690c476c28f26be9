//! Start and end measures (R-MEASURES, R-MEASURE-3M): recorded by staff, read by the participant.

use chrono::{Duration, NaiveDate};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{DemoCourse, TestApp, assert_problem};
use etapolku_server::team::profession::Profession;

fn path(d: &DemoCourse) -> String {
    format!(
        "/api/v1/courses/{}/participants/{}/measures",
        d.course, d.participant.id
    )
}

fn whoqol(occasion: &str, on: &str) -> Value {
    json!({"instrument": "whoqol_bref", "occasion": occasion, "measured_on": on,
        "scores": {"physical": 56, "psychological": 44, "social": 69, "environment": 75}})
}

fn bdi(occasion: &str, on: &str, total: i64) -> Value {
    json!({"instrument": "bdi21", "occasion": occasion, "measured_on": on, "scores": {"total": total}})
}

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

#[tokio::test]
async fn the_end_measurement_waits_until_more_than_three_months_have_passed() {
    // Arrange: the test clock's day is Monday 2.3.2026; the start was on 30.11.2025, and
    // 30.11. + 3 months is 28.2.2026 (not a leap year).
    let app = TestApp::new().await;
    assert_eq!(app.today(), d("2026-03-02"));
    let c = app.demo_course("Alpha").await;
    let res = app
        .post(&c.guide, &path(&c), whoqol("start", "2025-11-30"))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);

    // Act
    let exactly = app
        .post(&c.guide, &path(&c), whoqol("end", "2026-02-28"))
        .await;
    let early = app
        .post(&c.guide, &path(&c), whoqol("end", "2026-01-15"))
        .await;
    let next_day = app
        .post(&c.guide, &path(&c), whoqol("end", "2026-03-01"))
        .await;

    // Assert
    let problem = assert_problem(exactly, StatusCode::CONFLICT, "measure_too_soon").await;
    let detail = problem["detail"].as_str().expect("detail");
    assert!(detail.starts_with("2026-03-01"), "{detail}");
    assert!(detail.contains("2025-11-30"), "{detail}");
    assert_problem(early, StatusCode::CONFLICT, "measure_too_soon").await;
    assert_eq!(next_day.status(), StatusCode::CREATED);
    let end: Value = next_day.json().await.expect("json");
    assert_eq!(end["occasion"], "end");
    assert_eq!(end["measured_on"], "2026-03-01");
    assert_eq!(end["recorded_by"]["display_name"], "nurse");
    assert_eq!(app.count("measures").await, 2);
}

#[tokio::test]
async fn the_three_months_are_counted_per_instrument_and_the_clock_can_catch_up() {
    // Arrange: a BDI start on 2.3.2026 (today); 2.6. is exactly three months later.
    let app = TestApp::new().await;
    let c = app.demo_course("Alpha").await;
    let res = app
        .post(&c.guide, &path(&c), bdi("start", "2026-03-02", 20))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = app
        .post(&c.guide, &path(&c), whoqol("start", "2025-10-01"))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    app.advance(Duration::days(95)); // 5.6.2026
    let guide = app.login(&c.guide.email).await; // the old session has expired

    // Act
    let exactly = app
        .post(&guide, &path(&c), bdi("end", "2026-06-02", 12))
        .await;
    let after = app
        .post(&guide, &path(&c), bdi("end", "2026-06-03", 12))
        .await;
    // WHOQOL's own start was long ago: its end can be any day after 1.1.2026.
    let whoqol_end = app
        .post(&guide, &path(&c), whoqol("end", "2026-03-02"))
        .await;

    // Assert
    let problem = assert_problem(exactly, StatusCode::CONFLICT, "measure_too_soon").await;
    assert!(
        problem["detail"]
            .as_str()
            .expect("detail")
            .starts_with("2026-06-03"),
        "{problem}"
    );
    assert_eq!(after.status(), StatusCode::CREATED);
    assert_eq!(whoqol_end.status(), StatusCode::CREATED);
    assert_eq!(app.count("measures").await, 4);
}

#[tokio::test]
async fn an_end_needs_a_start_and_each_is_recorded_once() {
    // Arrange
    let app = TestApp::new().await;
    let c = app.demo_course("Alpha").await;

    // Act
    let no_start = app
        .post(&c.guide, &path(&c), bdi("end", "2026-03-01", 10))
        .await;
    let start = app
        .post(&c.guide, &path(&c), bdi("start", "2025-10-01", 25))
        .await;
    let second_start = app
        .post(&c.guide, &path(&c), bdi("start", "2025-10-02", 24))
        .await;
    let end = app
        .post(&c.guide, &path(&c), bdi("end", "2026-03-01", 10))
        .await;
    let second_end = app
        .post(&c.guide, &path(&c), bdi("end", "2026-03-02", 9))
        .await;

    // Assert
    assert_problem(no_start, StatusCode::CONFLICT, "measure_start_missing").await;
    assert_eq!(start.status(), StatusCode::CREATED);
    assert_problem(second_start, StatusCode::CONFLICT, "measure_exists").await;
    assert_eq!(end.status(), StatusCode::CREATED);
    assert_problem(second_end, StatusCode::CONFLICT, "measure_exists").await;
    assert_eq!(app.count("measures").await, 2);
}

#[tokio::test]
async fn the_participant_reads_their_own_scores_and_the_guide_reads_them_audited() {
    // Arrange
    let app = TestApp::new().await;
    let c = app.demo_course("Alpha").await;
    for body in [
        whoqol("start", "2025-11-01"),
        bdi("start", "2025-11-01", 18),
        bdi("end", "2026-03-02", 9),
    ] {
        let res = app.post(&c.guide, &path(&c), body).await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let before = app.count("audit_log").await;

    // Act
    let mine: Value = app
        .get(&c.participant, "/api/v1/me/measures")
        .await
        .json()
        .await
        .expect("json");
    let res = app.get(&c.guide, &path(&c)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let theirs: Value = res.json().await.expect("json");

    // Assert
    assert_eq!(mine, theirs);
    let list = mine.as_array().expect("list");
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["instrument"], "bdi21");
    assert_eq!(list[0]["scores"], json!({"total": 18}));
    assert_eq!(list[1]["scores"], json!({"total": 9}));
    assert_eq!(list[2]["instrument"], "whoqol_bref");
    assert_eq!(
        list[2]["scores"],
        json!({"physical": 56, "psychological": 44, "social": 69, "environment": 75})
    );
    assert_eq!(app.count("audit_log").await, before + 1);
}

#[tokio::test]
async fn bad_measurements_are_refused_with_the_field_named_and_nothing_stored() {
    // Arrange
    let app = TestApp::new().await;
    let c = app.demo_course("Alpha").await;
    let tomorrow = (app.today() + Duration::days(1)).to_string();
    let with_score = |name: &str, v: Value| {
        let mut b = whoqol("start", "2026-03-01");
        b["scores"][name] = v;
        b
    };
    let mut missing = whoqol("start", "2026-03-01");
    missing["scores"]
        .as_object_mut()
        .expect("scores")
        .remove("social");
    let cases = [
        (
            with_score("physical", json!(101)),
            "scores.physical",
            "out_of_range",
        ),
        (
            with_score("environment", json!(-1)),
            "scores.environment",
            "out_of_range",
        ),
        (
            with_score("social", json!(50.5)),
            "scores.social",
            "wrong_type",
        ),
        (
            with_score("item_1", json!(3)),
            "scores.item_1",
            "unknown_field",
        ),
        (missing, "scores.social", "required"),
        (
            bdi("start", "2026-03-01", 64),
            "scores.total",
            "out_of_range",
        ),
        (
            bdi("start", "2026-03-01", -1),
            "scores.total",
            "out_of_range",
        ),
        (bdi("start", &tomorrow, 10), "measured_on", "in_future"),
        (
            json!({"instrument": "bdi21", "occasion": "start", "measured_on": "2026-03-01", "scores": {"physical": 50}}),
            "scores.physical",
            "unknown_field",
        ),
        (
            json!({"instrument": "phq9", "occasion": "start", "measured_on": "2026-03-01", "scores": {"total": 5}}),
            "instrument",
            "invalid",
        ),
        (
            json!({"instrument": "bdi21", "occasion": "middle", "measured_on": "2026-03-01", "scores": {"total": 5}}),
            "occasion",
            "invalid",
        ),
        (
            json!({"instrument": "bdi21", "occasion": "start", "measured_on": "1.3.2026", "scores": {"total": 5}}),
            "measured_on",
            "invalid",
        ),
    ];

    // Act + Assert
    for (body, field, code) in cases {
        let res = app.post(&c.guide, &path(&c), body.clone()).await;
        let problem = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
        assert!(
            problem["errors"]
                .as_array()
                .expect("errors")
                .iter()
                .any(|e| e["field"] == field && e["code"] == code),
            "{body} → {problem}"
        );
    }
    let mut huge = bdi("start", "2026-03-01", 5);
    huge["note"] = json!("x".repeat(5 * 1024 * 1024));
    let res = app.post(&c.guide, &path(&c), huge).await;
    assert_problem(res, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    assert_eq!(app.count("measures").await, 0);
}

#[tokio::test]
async fn only_the_courses_staff_record_and_read_measures() {
    // Arrange
    let app = TestApp::new().await;
    let c = app.demo_course("Alpha").await;
    let beta = app.demo_course("Beta").await;
    let res = app
        .post(&c.guide, &path(&c), bdi("start", "2025-11-01", 18))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let other_course = app.course(&c.provider, app.monday_in(-2)).await;
    let other_guide = app
        .staff(
            &c.provider,
            "other@alpha.example",
            Profession::Physiotherapist,
        )
        .await;
    let res = app
        .post(
            &c.provider.admin,
            &format!("/api/v1/courses/{other_course}/team"),
            json!({"staff_id": other_guide.id, "service_manager": true}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    app.enrol_many(&c.provider, &c.course, 1, "toinen").await;
    let neighbour = app.sign_in_by_link("p0.toinen@alpha.example").await;
    let audit_before = app.count("audit_log").await;

    // Act + Assert: another course's guide and another provider's staff get 404.
    for who in [&other_guide, &beta.guide, &beta.provider.admin] {
        for (method, body) in [
            (Method::GET, None),
            (Method::POST, Some(bdi("end", "2026-03-02", 5))),
        ] {
            let res = app.request(method.clone(), who, &path(&c), body).await;
            assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
        }
    }
    // Beta's guide naming their own course with Alpha's participant.
    let res = app
        .get(
            &beta.guide,
            &format!(
                "/api/v1/courses/{}/participants/{}/measures",
                beta.course, c.participant.id
            ),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    // A participant is not staff, and sees only their own.
    let res = app.get(&neighbour, &path(&c)).await;
    assert_problem(res, StatusCode::FORBIDDEN, "wrong_role").await;
    let res = app
        .post(&c.participant, &path(&c), bdi("end", "2026-03-02", 5))
        .await;
    assert_problem(res, StatusCode::FORBIDDEN, "wrong_role").await;
    let theirs: Value = app
        .get(&neighbour, "/api/v1/me/measures")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(theirs, json!([]));
    // The provider's admin is staff of every course of the provider.
    let res = app.get(&c.provider.admin, &path(&c)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(app.count("measures").await, 1);
    assert_eq!(app.count("audit_log").await, audit_before + 1);
}
