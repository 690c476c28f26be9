use chrono::{Duration, Months};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem};

#[tokio::test]
async fn twelve_participants_fit_and_the_thirteenth_is_refused_without_writing() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let id = app.course(&p, app.monday_in(4)).await;
    app.enrol_many(&p, &id, 12, "x").await;
    let extra = app.participant(&p, "thirteen@alpha.example").await;

    let res = app
        .post(
            &p.admin,
            &format!("/api/v1/courses/{id}/participants"),
            json!({"participant_id": extra, "decision_date": app.today() - Duration::days(10)}),
        )
        .await;

    let body = assert_problem(res, StatusCode::CONFLICT, "group_full").await;
    assert!(body["detail"].as_str().expect("d").contains("R-GROUP-SIZE"));
    assert_eq!(app.count("enrolments").await, 12);
}

#[tokio::test]
async fn a_transfer_into_a_full_course_is_refused_too() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let full = app.course(&p, app.monday_in(4)).await;
    app.enrol_many(&p, &full, 12, "f").await;
    let other = app.course(&p, app.monday_in(8)).await;
    let moving = app.enrol_many(&p, &other, 1, "m").await.remove(0);
    let res = app
        .delete(
            &p.admin,
            &format!("/api/v1/courses/{other}/participants/{moving}"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    let res = app
        .post(
            &p.admin,
            &format!("/api/v1/courses/{full}/participants"),
            json!({"participant_id": moving, "decision_date": app.today() - Duration::days(10)}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "group_full").await;
}

#[tokio::test]
async fn a_participant_is_on_one_open_course_at_a_time() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let a = app.course(&p, app.monday_in(4)).await;
    let b = app.course(&p, app.monday_in(8)).await;
    let pid = app.enrol_many(&p, &a, 1, "o").await.remove(0);
    let res = app
        .post(
            &p.admin,
            &format!("/api/v1/courses/{b}/participants"),
            json!({"participant_id": pid, "decision_date": app.today() - Duration::days(10)}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "already_enrolled").await;
}

#[tokio::test]
async fn the_deadlines_are_counted_from_the_decision_date() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let id = app.course(&p, app.monday_in(20)).await;
    let pid = app.participant(&p, "aino@alpha.example").await;
    let decision = app.today() - Duration::days(10); // 20.2.2026
    app.post(
        &p.admin,
        &format!("/api/v1/courses/{id}/participants"),
        json!({"participant_id": pid, "decision_date": decision}),
    )
    .await;

    let list: Value = app
        .get(&p.admin, &format!("/api/v1/courses/{id}/participants"))
        .await
        .json()
        .await
        .expect("json");
    let d = &list[0]["deadlines"];
    assert_eq!(d["agree_by"], "2026-03-06"); // R-AGREE-2W
    assert_eq!(d["confirm_by"], "2026-08-20"); // R-CONFIRM-6M
    assert_eq!(d["complete_by"], "2027-10-20"); // R-WINDOW-20M
    assert_eq!(list[0]["warnings"].as_array().expect("w").len(), 0);
}

/// R-WINDOW-20M at its boundary: a follow-up window ending on the last allowed day is fine,
/// one day later breaks the rule.
#[tokio::test]
async fn a_twenty_month_window_broken_by_one_day_is_warned_about() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let start = app.monday_in(20);
    let decision = app.today() - Duration::days(10);
    let complete_by = decision.checked_add_months(Months::new(20)).expect("date");
    let id = app.course(&p, start).await;
    let pid = app.participant(&p, "aino@alpha.example").await;
    app.post(
        &p.admin,
        &format!("/api/v1/courses/{id}/participants"),
        json!({"participant_id": pid, "decision_date": decision}),
    )
    .await;

    let res = app
        .patch(
            &p.admin,
            &format!("/api/v1/courses/{id}"),
            json!({"follow_up_end": complete_by}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let list: Value = app
        .get(&p.admin, &format!("/api/v1/courses/{id}/participants"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        list[0]["warnings"].as_array().expect("w").len(),
        0,
        "exactly 20 months is within the window"
    );

    app.patch(
        &p.admin,
        &format!("/api/v1/courses/{id}"),
        json!({"follow_up_end": complete_by + Duration::days(1)}),
    )
    .await;
    let list: Value = app
        .get(&p.admin, &format!("/api/v1/courses/{id}/participants"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list[0]["warnings"][0]["code"], "window_exceeded");
    assert_eq!(list[0]["warnings"][0]["rule"], "R-WINDOW-20M");
    let course: Value = app
        .get(&p.admin, &format!("/api/v1/courses/{id}"))
        .await
        .json()
        .await
        .expect("json");
    assert!(
        course["warnings"]
            .as_array()
            .expect("w")
            .iter()
            .any(|w| w["rule"] == "R-WINDOW-20M")
    );
}

#[tokio::test]
async fn a_decision_date_after_the_course_start_is_refused() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let id = app.course(&p, app.monday_in(-2)).await;
    let pid = app.participant(&p, "aino@alpha.example").await;
    let res = app
        .post(
            &p.admin,
            &format!("/api/v1/courses/{id}/participants"),
            json!({"participant_id": pid, "decision_date": app.today() - Duration::days(1)}),
        )
        .await;
    let body = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "decision_date");
    assert_eq!(app.count("enrolments").await, 0);
}

#[tokio::test]
async fn the_personal_guide_must_be_a_mandatory_professional_on_the_team() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let id = app.course(&p, app.monday_in(4)).await;
    app.full_team(&p, &id).await;
    let doctor: Value = app
        .get(&p.admin, "/api/v1/staff")
        .await
        .json()
        .await
        .expect("json");
    let doctor_id = doctor
        .as_array()
        .expect("list")
        .iter()
        .find(|s| s["profession"] == "physician")
        .expect("doctor")["id"]
        .clone();
    let pid = app.participant(&p, "aino@alpha.example").await;
    let res = app.post(&p.admin, &format!("/api/v1/courses/{id}/participants"), json!({"participant_id": pid, "decision_date": app.today() - Duration::days(5), "personal_guide_id": doctor_id})).await;
    let body = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(body["errors"][0]["code"], "not_mandatory_professional");
}

#[tokio::test]
async fn participants_cannot_be_removed_once_the_course_runs() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let id = app.course(&p, app.monday_in(4)).await;
    app.full_team(&p, &id).await;
    let ids = app.enrol_many(&p, &id, 7, "r").await;
    app.post(
        &p.admin,
        &format!("/api/v1/courses/{id}/transitions"),
        json!({"to": "confirmed"}),
    )
    .await;
    app.post(
        &p.admin,
        &format!("/api/v1/courses/{id}/transitions"),
        json!({"to": "running"}),
    )
    .await;
    let res = app
        .delete(
            &p.admin,
            &format!("/api/v1/courses/{id}/participants/{}", ids[0]),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "course_started").await;
    assert_eq!(app.count("enrolments").await, 7);
}

#[tokio::test]
async fn two_admins_adding_the_twelfth_and_thirteenth_at_once_leave_twelve() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let id = app.course(&p, app.monday_in(4)).await;
    app.enrol_many(&p, &id, 10, "c").await;
    let a = app.participant(&p, "a@alpha.example").await;
    let b = app.participant(&p, "b@alpha.example").await;
    let c = app.participant(&p, "c@alpha.example").await;
    let decision = app.today() - Duration::days(3);
    let path = format!("/api/v1/courses/{id}/participants");

    let (ra, rb, rc) = tokio::join!(
        app.post(
            &p.admin,
            &path,
            json!({"participant_id": a, "decision_date": decision})
        ),
        app.post(
            &p.admin,
            &path,
            json!({"participant_id": b, "decision_date": decision})
        ),
        app.post(
            &p.admin,
            &path,
            json!({"participant_id": c, "decision_date": decision})
        ),
    );

    let mut statuses = [ra.status(), rb.status(), rc.status()];
    statuses.sort();
    assert_eq!(
        statuses,
        [
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::CONFLICT
        ]
    );
    assert_eq!(app.count("enrolments").await, 12);
}
