use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem};

#[tokio::test]
async fn a_course_gets_its_periods_and_current_remote_week_from_its_start_monday() {
    let app = TestApp::new().await; // Monday 2.3.2026
    let p = app.provider("Alpha").await;
    // Started 5 weeks ago: on-site week, then remote weeks 1–4 done, week 5 now.
    let start = app.monday_in(-5);
    let id = app.course(&p, start).await;

    let course: Value = app
        .get(&p.admin, &format!("/api/v1/courses/{id}"))
        .await
        .json()
        .await
        .expect("json");

    assert_eq!(course["schedule"]["onsite1_start"], "2026-01-26");
    assert_eq!(course["schedule"]["onsite1_end"], "2026-01-31"); // Saturday
    assert_eq!(course["schedule"]["remote_start"], "2026-02-02");
    assert_eq!(course["schedule"]["remote_end"], "2026-04-26"); // 12 weeks (R-REMOTE-12W)
    assert_eq!(course["schedule"]["onsite2_start"], "2026-04-27");
    assert_eq!(course["schedule"]["onsite2_end"], "2026-05-02");
    assert_eq!(course["phase"], "remote");
    assert_eq!(course["remote_week"], 5);
    assert_eq!(course["state"], "planned");
}

#[tokio::test]
async fn the_remote_week_turns_at_midnight_helsinki_time_not_utc() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let id = app.course(&p, app.monday_in(-5)).await;
    // Sunday 8.3. 23:30 UTC is already Monday 9.3. 01:30 in Helsinki: week 6.
    app.server.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-03-08T23:30:00Z")
            .expect("t")
            .into(),
    );
    // The admin's token is older than 15 minutes now; sign in again.
    let admin = app.login(&p.admin.email).await;
    let course: Value = app
        .get(&admin, &format!("/api/v1/courses/{id}"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(course["remote_week"], 6);
}

#[tokio::test]
async fn a_course_must_start_on_a_monday() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let tuesday = app.monday_in(4) + Duration::days(1);
    let before = app.count("courses").await;
    let res = app.post(&p.admin, "/api/v1/courses", json!({"title": "K", "language": "fi", "target_group": "adult", "site_id": p.site_id, "onsite1_start": tuesday})).await;
    let body = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "onsite1_start");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .expect("m")
            .contains("Monday")
    );
    assert_eq!(app.count("courses").await, before);
}

#[tokio::test]
async fn a_course_cannot_start_with_an_incomplete_team_and_says_what_is_missing() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let id = app.course(&p, app.monday_in(4)).await;
    app.enrol_many(&p, &id, 7, "a").await;
    let nurse = app
        .staff(
            &p,
            "nurse@alpha.example",
            etapolku_server::team::profession::Profession::RegisteredNurse,
        )
        .await;
    app.post(
        &p.admin,
        &format!("/api/v1/courses/{id}/team"),
        json!({"staff_id": nurse.id, "service_manager": true}),
    )
    .await;
    app.post(
        &p.admin,
        &format!("/api/v1/courses/{id}/transitions"),
        json!({"to": "confirmed"}),
    )
    .await;

    let res = app
        .post(
            &p.admin,
            &format!("/api/v1/courses/{id}/transitions"),
            json!({"to": "running"}),
        )
        .await;

    let body = assert_problem(res, StatusCode::CONFLICT, "team_incomplete").await;
    let detail = body["detail"].as_str().expect("detail");
    for missing in [
        "physician",
        "physiotherapist",
        "social_professional",
        "optional_professionals",
    ] {
        assert!(detail.contains(missing), "{detail} should name {missing}");
    }
    let course: Value = app
        .get(&p.admin, &format!("/api/v1/courses/{id}"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(course["state"], "confirmed");
    assert_eq!(course["team_check"]["complete"], false);
    assert_eq!(course["warnings"][0]["rule"], "R-TEAM");
}

async fn confirmed_course_with(
    app: &TestApp,
    participants: usize,
) -> (crate::helpers::Provider, String) {
    let p = app.provider("Alpha").await;
    let id = app.course(&p, app.monday_in(4)).await;
    app.full_team(&p, &id).await;
    app.enrol_many(&p, &id, participants, "s").await;
    let res = app
        .post(
            &p.admin,
            &format!("/api/v1/courses/{id}/transitions"),
            json!({"to": "confirmed"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    (p, id)
}

#[tokio::test]
async fn five_participants_cannot_start_a_course() {
    let app = TestApp::new().await;
    let (p, id) = confirmed_course_with(&app, 5).await;
    let res = app
        .post(
            &p.admin,
            &format!("/api/v1/courses/{id}/transitions"),
            json!({"to": "running", "reason": "we want to"}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "group_too_small").await;
}

#[tokio::test]
async fn six_participants_start_a_course_only_with_a_reason() {
    let app = TestApp::new().await;
    let (p, id) = confirmed_course_with(&app, 6).await;
    let detail: Value = app
        .get(&p.admin, &format!("/api/v1/courses/{id}"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(detail["start_rule"], "may_start_with_confirmation");

    let res = app
        .post(
            &p.admin,
            &format!("/api/v1/courses/{id}/transitions"),
            json!({"to": "running", "reason": "  "}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "six_needs_confirmation").await;

    let res = app
        .post(
            &p.admin,
            &format!("/api/v1/courses/{id}/transitions"),
            json!({"to": "running", "reason": "Kaikki kuusi ovat sitoutuneita"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let history: Value = app
        .get(&p.admin, &format!("/api/v1/courses/{id}/history"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(history[1]["to"], "running");
    assert_eq!(history[1]["reason"], "Kaikki kuusi ovat sitoutuneita");
}

#[tokio::test]
async fn seven_participants_must_start_and_do_without_a_reason() {
    let app = TestApp::new().await;
    let (p, id) = confirmed_course_with(&app, 7).await;
    let detail: Value = app
        .get(&p.admin, &format!("/api/v1/courses/{id}"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(detail["start_rule"], "must_start");
    let res = app
        .post(
            &p.admin,
            &format!("/api/v1/courses/{id}/transitions"),
            json!({"to": "running"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["state"], "running");
}

#[tokio::test]
async fn the_state_machine_refuses_skipping_and_going_back() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let id = app.course(&p, app.monday_in(4)).await;
    let res = app
        .post(
            &p.admin,
            &format!("/api/v1/courses/{id}/transitions"),
            json!({"to": "running"}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "invalid_transition").await;
    let res = app
        .post(
            &p.admin,
            &format!("/api/v1/courses/{id}/transitions"),
            json!({"to": "finished"}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "invalid_transition").await;
}

#[tokio::test]
async fn cancelling_needs_a_reason_and_a_cancelled_course_stays_cancelled() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let id = app.course(&p, app.monday_in(4)).await;
    let res = app
        .post(
            &p.admin,
            &format!("/api/v1/courses/{id}/transitions"),
            json!({"to": "cancelled"}),
        )
        .await;
    let body = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "reason");
    let res = app
        .post(
            &p.admin,
            &format!("/api/v1/courses/{id}/transitions"),
            json!({"to": "cancelled", "reason": "Liian vähän ilmoittautuneita"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .post(
            &p.admin,
            &format!("/api/v1/courses/{id}/transitions"),
            json!({"to": "confirmed"}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "invalid_transition").await;
}

#[tokio::test]
async fn a_running_course_is_finished_only_after_on_site_period_two() {
    let app = TestApp::new().await;
    let (p, id) = confirmed_course_with(&app, 7).await;
    app.post(
        &p.admin,
        &format!("/api/v1/courses/{id}/transitions"),
        json!({"to": "running"}),
    )
    .await;
    let res = app
        .post(
            &p.admin,
            &format!("/api/v1/courses/{id}/transitions"),
            json!({"to": "finished"}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "too_early").await;

    // Course started 30.3.; on-site period 2 ends Saturday 4.7.2026.
    app.server.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-07-04T09:00:00Z")
            .expect("t")
            .into(),
    );
    let admin = app.login(&p.admin.email).await;
    let res = app
        .post(
            &admin,
            &format!("/api/v1/courses/{id}/transitions"),
            json!({"to": "finished"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_running_course_cannot_be_rescheduled_but_can_be_renamed() {
    let app = TestApp::new().await;
    let (p, id) = confirmed_course_with(&app, 7).await;
    app.post(
        &p.admin,
        &format!("/api/v1/courses/{id}/transitions"),
        json!({"to": "running"}),
    )
    .await;
    let res = app
        .patch(
            &p.admin,
            &format!("/api/v1/courses/{id}"),
            json!({"onsite1_start": app.monday_in(8)}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "course_locked").await;
    let res = app
        .patch(
            &p.admin,
            &format!("/api/v1/courses/{id}"),
            json!({"title": "Uusi nimi"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_participant_sees_their_own_course_and_personal_guide() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let id = app.course(&p, app.monday_in(-5)).await;
    let nurse = app.full_team(&p, &id).await;
    let pid = app.participant(&p, "aino@alpha.example").await;
    let res = app.post(&p.admin, &format!("/api/v1/courses/{id}/participants"), json!({"participant_id": pid, "decision_date": app.today() - Duration::days(200), "personal_guide_id": nurse.id})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let aino = app.sign_in_by_link("aino@alpha.example").await;
    let (c, token) = (&aino.client, &aino.token);

    let mine: Value = c
        .get(app.url("/api/v1/me/course"))
        .bearer_auth(token)
        .send()
        .await
        .expect("req")
        .json()
        .await
        .expect("json");

    assert_eq!(mine["course"]["id"], id.as_str());
    assert_eq!(mine["course"]["remote_week"], 5);
    assert_eq!(mine["personal_guide"]["display_name"], "nurse");
    assert_eq!(mine["team"].as_array().expect("team").len(), 6);
    assert!(
        mine.to_string().find("email").is_none(),
        "participants see names, not staff addresses"
    );
}
