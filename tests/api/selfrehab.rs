//! Self-rehabilitation tasks: planning (from a suggestion or freely), agreement, history, logs,
//! adherence, feedback, the morning reminder and who may see what.

use chrono::{Duration, TimeZone, Utc};
use etapolku_server::scheduler::jobs::task_reminders;
use etapolku_server::team::profession::Profession;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{DemoCourse, TestApp, assert_problem};

async fn body(res: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(res.status(), status, "status");
    res.json().await.expect("json")
}

/// The first task suggestion of module 1 of the demo program: (item id, Finnish title).
async fn first_suggestion(app: &TestApp, d: &DemoCourse) -> (String, String) {
    let module = body(
        app.get(&d.participant, "/api/v1/me/program/modules/1")
            .await,
        StatusCode::OK,
    )
    .await;
    let item = module["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["kind"] == "task")
        .expect("a task suggestion in module 1")
        .clone();
    let title = item["title"]
        .as_array()
        .expect("title variants")
        .iter()
        .find(|v| v[0] == "fi")
        .map(|v| v[1].as_str().expect("text").to_owned())
        .expect("a Finnish title");
    (item["id"].as_str().expect("id").to_owned(), title)
}

fn staff_path(d: &DemoCourse, rest: &str) -> String {
    format!(
        "/api/v1/courses/{}/participants/{}/tasks{rest}",
        d.course, d.participant.id
    )
}

/// A free task of the participant's: Monday, Wednesday, Friday for 4 weeks from today (Monday 2.3.).
async fn walk(app: &TestApp, d: &DemoCourse) -> Value {
    body(
        app.post(
            &d.participant,
            "/api/v1/me/tasks",
            json!({"title": "Kävely 20 min ennen iltapalaa", "days": ["mon", "wed", "fri"],
                   "weeks": 4, "minutes": 20}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await
}

async fn notices(app: &TestApp, s: &crate::helpers::Session) -> Vec<String> {
    let n = body(app.get(s, "/api/v1/me/notifications").await, StatusCode::OK).await;
    n["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["kind"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[tokio::test]
async fn a_participant_makes_a_task_from_a_suggestion_with_its_rhythm_filled_in() {
    let app = TestApp::new().await;
    let d = app.demo_course("Sugg").await;
    let (item, title) = first_suggestion(&app, &d).await;

    let t = body(
        app.post(
            &d.participant,
            "/api/v1/me/tasks",
            json!({"source_item_id": item}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;

    assert_eq!(t["title"], title.as_str());
    assert_eq!(t["source_item_id"], item.as_str());
    // The suggestion: every evening, one week, 5 minutes.
    assert_eq!(t["days"].as_array().map(Vec::len), Some(7));
    assert_eq!(t["times_per_week"], Value::Null);
    assert_eq!(
        (t["weeks"].clone(), t["minutes"].clone()),
        (json!(1), json!(5))
    );
    assert_eq!(t["start_date"], "2026-03-02");
    assert_eq!(t["end_date"], "2026-03-08");
    assert_eq!(t["created_by"], "participant");
    assert!(t["participant_accepted_at"].is_string());
    assert_eq!(t["guide_accepted_at"], Value::Null);
    assert_eq!(
        (t["agreed"].clone(), t["version"].clone()),
        (json!(false), json!(1))
    );
    assert_eq!(t["due_today"], true);
    assert_eq!(t["adherence"]["planned"], 1);
    assert_eq!(t["adherence"]["done"], 0);

    // What the participant gives wins over the suggestion.
    let t = body(
        app.post(
            &d.participant,
            "/api/v1/me/tasks",
            json!({"source_item_id": item, "title": "Oma lause", "times_per_week": 3, "weeks": 2}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(t["title"], "Oma lause");
    assert_eq!(t["times_per_week"], 3);
    assert_eq!(t["days"], Value::Null);
    assert_eq!(t["weeks"], 2);

    // Only task items of the course's program are suggestions.
    let module = body(
        app.get(&d.participant, "/api/v1/me/program/modules/1")
            .await,
        StatusCode::OK,
    )
    .await;
    let not_a_task = module["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["kind"] != "task"))
        .and_then(|i| i["id"].as_str())
        .expect("another item")
        .to_owned();
    for bad in [not_a_task.as_str(), "cm-999999"] {
        let res = app
            .post(
                &d.participant,
                "/api/v1/me/tasks",
                json!({"source_item_id": bad}),
            )
            .await;
        let p = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
        assert_eq!(p["errors"][0]["field"], "source_item_id");
    }
    let mine = body(
        app.get(&d.participant, "/api/v1/me/tasks").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine["today"], "2026-03-02");
    assert_eq!(mine["tasks"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn a_free_task_becomes_agreed_when_the_guide_accepts_it() {
    let app = TestApp::new().await;
    let d = app.demo_course("Free").await;
    let t = walk(&app, &d).await;
    assert_eq!(t["agreed"], false);
    let id = t["id"].as_str().expect("id");

    let list = body(app.get(&d.guide, &staff_path(&d, "")).await, StatusCode::OK).await;
    assert_eq!(list[0]["id"], id);
    let t = body(
        app.post(
            &d.guide,
            &staff_path(&d, &format!("/{id}/accept?version=1")),
            json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t["agreed"], true);
    assert_eq!(t["guide_accepted_by"]["display_name"], "nurse");
    assert_eq!(t["version"], 2);

    let h = body(
        app.get(&d.participant, &format!("/api/v1/me/tasks/{id}/history"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(h.as_array().map(Vec::len), Some(1));
    assert_eq!(h[0]["change"], "accepted");
    assert_eq!(h[0]["version"], 1);
    assert_eq!(h[0]["changed_by"]["display_name"], "nurse");
    assert_eq!(h[0]["previous"]["guide_accepted_at"], Value::Null);
}

#[tokio::test]
async fn a_guide_proposes_a_task_and_the_participant_is_told_and_accepts() {
    let app = TestApp::new().await;
    let d = app.demo_course("Prop").await;
    let t = body(
        app.post(
            &d.guide,
            &staff_path(&d, ""),
            json!({"title": "Hengitysharjoitus", "details": "Istu rauhassa.", "times_per_week": 3, "weeks": 6}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(t["created_by"], "guide");
    assert!(t["guide_accepted_at"].is_string());
    assert_eq!(t["participant_accepted_at"], Value::Null);
    assert_eq!(t["agreed"], false);
    assert!(
        notices(&app, &d.participant)
            .await
            .contains(&"task_proposed".to_owned())
    );

    let id = t["id"].as_str().expect("id");
    let t = body(
        app.post(
            &d.participant,
            &format!("/api/v1/me/tasks/{id}/accept"),
            json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t["agreed"], true);
    assert_eq!(t["version"], 2);
}

#[tokio::test]
async fn a_change_clears_the_other_sides_acceptance_and_the_history_keeps_what_it_was() {
    let app = TestApp::new().await;
    let d = app.demo_course("Chg").await;
    let t = walk(&app, &d).await;
    let id = t["id"].as_str().expect("id").to_owned();
    let mine = format!("/api/v1/me/tasks/{id}");
    app.post(
        &d.guide,
        &staff_path(&d, &format!("/{id}/accept")),
        json!({}),
    )
    .await;

    // The participant makes it longer: their side accepts the new version, the guide's is cleared.
    let t = body(
        app.patch(&d.participant, &mine, json!({"weeks": 6})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t["weeks"], 6);
    assert_eq!(t["version"], 3);
    assert_eq!(t["guide_accepted_at"], Value::Null);
    assert!(t["participant_accepted_at"].is_string());
    assert_eq!(t["agreed"], false);

    // Sending what is already there changes nothing.
    let same = body(
        app.patch(
            &d.participant,
            &mine,
            json!({"days": ["fri", "mon", "wed"], "weeks": 6}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(same["version"], 3);

    // The guide changes what: the participant's acceptance is cleared and they are told.
    let t = body(
        app.patch(
            &d.guide,
            &staff_path(&d, &format!("/{id}")),
            json!({"title": "Kävely 30 min", "times_per_week": 2, "minutes": null}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t["participant_accepted_at"], Value::Null);
    assert!(t["guide_accepted_at"].is_string());
    assert_eq!(
        (t["times_per_week"].clone(), t["days"].clone()),
        (json!(2), Value::Null)
    );
    assert_eq!(t["minutes"], Value::Null);
    assert_eq!(t["version"], 4);
    assert!(
        notices(&app, &d.participant)
            .await
            .contains(&"task_proposed".to_owned())
    );

    // Accepting what one has not seen is refused.
    let res = app
        .post(
            &d.participant,
            &format!("{mine}/accept?version=3"),
            json!({}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "task_changed").await;

    let h = body(
        app.get(&d.guide, &staff_path(&d, &format!("/{id}/history")))
            .await,
        StatusCode::OK,
    )
    .await;
    let versions: Vec<i64> = h
        .as_array()
        .expect("history")
        .iter()
        .map(|e| e["version"].as_i64().unwrap_or(0))
        .collect();
    assert_eq!(versions, vec![3, 2, 1]);
    assert_eq!(h[0]["change"], "changed");
    assert_eq!(h[0]["changed_by"]["display_name"], "nurse");
    assert_eq!(h[0]["previous"]["title"], "Kävely 20 min ennen iltapalaa");
    assert_eq!(h[0]["previous"]["days"], json!(["mon", "wed", "fri"]));
    assert_eq!(h[1]["previous"]["weeks"], 4);
    assert_eq!(h[1]["changed_by"]["display_name"], "aino");

    // Ending keeps the task and refuses further changes.
    let t = body(
        app.post(&d.participant, &format!("{mine}/end"), json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t["status"], "ended");
    assert_eq!(t["ended_on"], "2026-03-02");
    assert_eq!(t["due_today"], false);
    let res = app.patch(&d.participant, &mine, json!({"weeks": 2})).await;
    assert_problem(res, StatusCode::CONFLICT, "task_ended").await;
    let mine = body(
        app.get(&d.participant, "/api/v1/me/tasks").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine["tasks"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn logs_are_one_per_day_and_count_towards_adherence() {
    let app = TestApp::new().await;
    let d = app.demo_course("Logs").await;
    let t = walk(&app, &d).await;
    let id = t["id"].as_str().expect("id").to_owned();
    let log = |date: &str| format!("/api/v1/me/tasks/{id}/logs/{date}");

    let first = body(
        app.put(&d.participant, &log("2026-03-02"), json!({"done": true}))
            .await,
        StatusCode::OK,
    )
    .await;
    // The same day again replaces the log.
    let again = body(
        app.put(
            &d.participant,
            &log("2026-03-02"),
            json!({"done": false, "note": "Satoi vettä.", "rating": 2}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(first["id"], again["id"]);
    assert_eq!(again["done"], false);
    assert_eq!(again["note"], "Satoi vettä.");
    assert_eq!(again["rating"], 2);
    assert_eq!(app.count("selfrehab_logs").await, 1);

    // Wednesday: Monday not done, Tuesday (not a chosen day) and Wednesday done.
    app.advance(Duration::days(2));
    // Access tokens last minutes, not days: sign in again.
    let mut d = d;
    d.participant = app.sign_in_by_link(&d.participant.email).await;
    app.put(&d.participant, &log("2026-03-03"), json!({"done": true}))
        .await;
    let today = app
        .put(
            &d.participant,
            &log("2026-03-04"),
            json!({"done": true, "rating": 4}),
        )
        .await;
    assert_eq!(today.status(), StatusCode::OK);

    let mine = body(
        app.get(&d.participant, "/api/v1/me/tasks").await,
        StatusCode::OK,
    )
    .await;
    let t = &mine["tasks"][0];
    assert_eq!(t["adherence"]["planned"], 2);
    assert_eq!(t["adherence"]["done"], 2);
    assert_eq!(t["adherence"]["ratio"], 1.0);
    assert_eq!(t["adherence"]["weeks"][0]["start"], "2026-03-02");
    assert_eq!(t["today_log"]["rating"], 4);
    assert_eq!(t["logs"].as_array().map(Vec::len), Some(3));

    let due = body(
        app.get(&d.participant, "/api/v1/me/tasks/today").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(due.as_array().map(Vec::len), Some(1));
    assert_eq!(due[0]["id"], id.as_str());
    assert_eq!(due[0]["minutes"], 20);
    assert_eq!(due[0]["today_log"]["done"], true);

    // Once a week, done three times: the counts are real, the ratio stops at 1.
    let once = body(
        app.post(
            &d.participant,
            "/api/v1/me/tasks",
            json!({"title": "Soita ystävälle", "times_per_week": 1, "weeks": 1, "start_date": "2026-03-02"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let oid = once["id"].as_str().expect("id");
    for day in ["2026-03-02", "2026-03-03", "2026-03-04"] {
        let res = app
            .put(
                &d.participant,
                &format!("/api/v1/me/tasks/{oid}/logs/{day}"),
                json!({"done": true}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let mine = body(
        app.get(&d.participant, "/api/v1/me/tasks").await,
        StatusCode::OK,
    )
    .await;
    let once = mine["tasks"]
        .as_array()
        .and_then(|ts| ts.iter().find(|t| t["id"] == oid))
        .expect("the task");
    assert_eq!(once["adherence"]["done"], 3);
    assert_eq!(once["adherence"]["planned"], 1);
    assert_eq!(once["adherence"]["ratio"], 1.0);
    assert_eq!(once["due_today"], false);
}

#[tokio::test]
async fn a_log_outside_the_tasks_weeks_after_its_end_or_in_the_future_is_refused() {
    let app = TestApp::new().await;
    let d = app.demo_course("Dates").await;
    let t = body(
        app.post(
            &d.participant,
            "/api/v1/me/tasks",
            json!({"title": "Venyttely", "times_per_week": 7, "weeks": 1, "start_date": "2026-02-25"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let id = t["id"].as_str().expect("id").to_owned();
    let log = |date: &str| format!("/api/v1/me/tasks/{id}/logs/{date}");

    for (date, code) in [
        ("2026-02-24", "outside_task"),
        ("2026-03-03", "in_future"),
        ("2026-02-30", "invalid"),
    ] {
        let res = app
            .put(&d.participant, &log(date), json!({"done": true}))
            .await;
        let p = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
        assert_eq!(p["errors"][0]["field"], "date", "{date}");
        assert_eq!(p["errors"][0]["code"], code, "{date}");
    }
    let res = app
        .put(
            &d.participant,
            &log("2026-03-02"),
            json!({"done": true, "rating": 6}),
        )
        .await;
    let p = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "rating");
    let res = app
        .put(
            &d.participant,
            &log("2026-03-02"),
            json!({"done": true, "note": "x".repeat(2001)}),
        )
        .await;
    let p = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "note");
    assert_eq!(app.count("selfrehab_logs").await, 0);

    // Ended today: today can still be logged, tomorrow (when it comes) cannot.
    let res = app
        .post(
            &d.participant,
            &format!("/api/v1/me/tasks/{id}/end"),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .put(&d.participant, &log("2026-03-02"), json!({"done": true}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    app.advance(Duration::days(1));
    let p = app.sign_in_by_link(&d.participant.email).await;
    let res = app.put(&p, &log("2026-03-03"), json!({"done": true})).await;
    let p = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "date");
    assert_eq!(app.count("selfrehab_logs").await, 1);
}

#[tokio::test]
async fn a_guide_gives_feedback_on_a_log_and_the_participant_sees_it() {
    let app = TestApp::new().await;
    let d = app.demo_course("Fb").await;
    let t = walk(&app, &d).await;
    let id = t["id"].as_str().expect("id").to_owned();
    app.put(
        &d.participant,
        &format!("/api/v1/me/tasks/{id}/logs/2026-03-02"),
        json!({"done": true, "note": "Meni hyvin"}),
    )
    .await;
    let audited = app.count("audit_log").await;
    let list = body(app.get(&d.guide, &staff_path(&d, "")).await, StatusCode::OK).await;
    assert!(
        app.count("audit_log").await > audited,
        "the staff read is audited"
    );
    let log_id = list[0]["logs"][0]["id"]
        .as_str()
        .expect("log id")
        .to_owned();
    let path = staff_path(&d, &format!("/{id}/logs/{log_id}/feedback"));

    let res = app.post(&d.guide, &path, json!({"body": "   "})).await;
    let p = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "body");
    let fb = body(
        app.post(
            &d.guide,
            &path,
            json!({"body": "Hienoa, että lähdit liikkeelle!"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(fb["author"]["display_name"], "nurse");

    let mine = body(
        app.get(&d.participant, "/api/v1/me/tasks").await,
        StatusCode::OK,
    )
    .await;
    let seen = &mine["tasks"][0]["today_log"]["feedback"][0];
    assert_eq!(seen["body"], "Hienoa, että lähdit liikkeelle!");
    assert_eq!(seen["author"]["display_name"], "nurse");
    assert!(
        notices(&app, &d.participant)
            .await
            .contains(&"task_feedback".to_owned())
    );

    // A log of another task of the plan is not reachable through this task.
    let other = walk(&app, &d).await;
    let other_path = staff_path(
        &d,
        &format!(
            "/{}/logs/{log_id}/feedback",
            other["id"].as_str().expect("id")
        ),
    );
    let res = app.post(&d.guide, &other_path, json!({"body": "x"})).await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn nobody_outside_the_course_reaches_a_participants_plan() {
    let app = TestApp::new().await;
    let a = app.demo_course("Alpha").await;
    let b = app.demo_course("Beta").await;
    let t = walk(&app, &a).await;
    let id = t["id"].as_str().expect("id").to_owned();

    // Another provider's guide and admin.
    for s in [&b.guide, &b.provider.admin] {
        let res = app.get(s, &staff_path(&a, "")).await;
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
        let res = app
            .post(s, &staff_path(&a, &format!("/{id}/accept")), json!({}))
            .await;
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    // Another participant, with a task id that is not theirs.
    for res in [
        app.patch(
            &b.participant,
            &format!("/api/v1/me/tasks/{id}"),
            json!({"weeks": 2}),
        )
        .await,
        app.put(
            &b.participant,
            &format!("/api/v1/me/tasks/{id}/logs/2026-03-02"),
            json!({"done": true}),
        )
        .await,
        app.get(&b.participant, &format!("/api/v1/me/tasks/{id}/history"))
            .await,
    ] {
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    // A guide of the same provider who is not on this course's team; and B's participant
    // through B's course path under A's course id.
    let c2 = app.course(&a.provider, app.monday_in(1)).await;
    let other_guide = app
        .staff(
            &a.provider,
            "other@alpha.example",
            Profession::Physiotherapist,
        )
        .await;
    let res = app
        .post(
            &a.provider.admin,
            &format!("/api/v1/courses/{c2}/team"),
            json!({"staff_id": other_guide.id, "service_manager": true}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = app.get(&other_guide, &staff_path(&a, "")).await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app
        .get(
            &other_guide,
            &format!(
                "/api/v1/courses/{c2}/participants/{}/tasks",
                a.participant.id
            ),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app
        .get(
            &a.guide,
            &format!(
                "/api/v1/courses/{}/participants/{}/tasks",
                a.course, b.participant.id
            ),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    // A participant has no staff role at all.
    let res = app.get(&a.participant, &staff_path(&a, "")).await;
    assert_problem(res, StatusCode::FORBIDDEN, "wrong_role").await;
    // The provider's own admin may.
    let res = app.get(&a.provider.admin, &staff_path(&a, "")).await;
    assert_eq!(res.status(), StatusCode::OK);
    // Nothing was changed by the refused requests.
    let mine = body(
        app.get(&a.participant, "/api/v1/me/tasks").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine["tasks"][0]["version"], 1);
    assert_eq!(app.count("selfrehab_logs").await, 0);
}

#[tokio::test]
async fn bad_task_input_gets_a_clear_error_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let d = app.demo_course("Bad").await;
    let cases = [
        (json!({"title": "A", "days": ["mon"], "weeks": 0}), "weeks"),
        (json!({"title": "A", "days": ["mon"], "weeks": -2}), "weeks"),
        (json!({"title": "A", "days": ["mon"], "weeks": 53}), "weeks"),
        (
            json!({"title": "A", "days": ["mon"], "times_per_week": 2, "weeks": 1}),
            "days",
        ),
        (
            json!({"title": "A", "days": ["mon", "funday"], "weeks": 1}),
            "days",
        ),
        (json!({"title": "A", "days": [], "weeks": 1}), "days"),
        (
            json!({"title": "A", "times_per_week": 8, "weeks": 1}),
            "times_per_week",
        ),
        (json!({"title": "A", "weeks": 1}), "days"),
        (
            json!({"title": "A", "days": ["mon"], "weeks": 1, "minutes": 0}),
            "minutes",
        ),
        (json!({"days": ["mon"], "weeks": 1}), "title"),
        (
            json!({"title": "x".repeat(201), "days": ["mon"], "weeks": 1}),
            "title",
        ),
        (
            json!({"title": "A", "details": "x".repeat(2001), "days": ["mon"], "weeks": 1}),
            "details",
        ),
        (
            json!({"title": "A", "days": ["mon"], "weeks": 1, "start_date": "2026-01-05"}),
            "start_date",
        ),
        (
            json!({"title": "A", "days": ["mon"], "weeks": "two"}),
            "weeks",
        ),
        (
            json!({"title": "A", "days": ["mon"], "weeks": 1, "colour": "red"}),
            "colour",
        ),
    ];
    for (input, field) in cases {
        let res = app
            .post(&d.participant, "/api/v1/me/tasks", input.clone())
            .await;
        let p = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
        assert_eq!(p["errors"][0]["field"], field, "{input}");
        let res = app.post(&d.guide, &staff_path(&d, ""), input.clone()).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "staff: {input}");
    }
    let huge =
        json!({"title": "A", "details": "x".repeat(5 * 1024 * 1024), "days": ["mon"], "weeks": 1});
    let res = app.post(&d.participant, "/api/v1/me/tasks", huge).await;
    assert_problem(res, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    assert_eq!(app.count("selfrehab_tasks").await, 0);

    // A change is checked the same way and leaves the task as it was.
    let t = walk(&app, &d).await;
    let mine = format!("/api/v1/me/tasks/{}", t["id"].as_str().expect("id"));
    for (input, field) in [
        (json!({"weeks": 0}), "weeks"),
        (json!({"days": ["mon"], "times_per_week": 3}), "days"),
        (json!({"days": ["someday"]}), "days"),
        (json!({"minutes": 1441}), "minutes"),
        (json!({"title": ""}), "title"),
    ] {
        let res = app.patch(&d.participant, &mine, input.clone()).await;
        let p = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
        assert_eq!(p["errors"][0]["field"], field, "{input}");
    }
    let mine = body(
        app.get(&d.participant, "/api/v1/me/tasks").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine["tasks"][0]["version"], 1);
    assert_eq!(mine["tasks"][0]["weeks"], 4);
    assert_eq!(app.count("selfrehab_task_history").await, 0);
}

/// Reminder mails in the outbox to `email`.
fn reminders_to(app: &TestApp, email: &str) -> usize {
    let dir = app.server.data_dir.path().join("outbox");
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter_map(|f| std::fs::read_to_string(f.path()).ok())
                .filter(|m| m.contains(email) && m.replace("=\r\n", "").contains("/omakuntoutus"))
                .count()
        })
        .unwrap_or(0)
}

#[tokio::test]
async fn the_morning_reminder_goes_once_a_day_from_eight_to_those_who_want_it() {
    let app = TestApp::new().await;
    let d = app.demo_course("Remind").await;
    let state = &app.server.state;
    // Two tasks due every day; a third not yet started is not counted.
    for (title, start) in [
        ("A", "2026-03-02"),
        ("B", "2026-03-02"),
        ("C", "2026-03-09"),
    ] {
        let res = app
            .post(
                &d.participant,
                "/api/v1/me/tasks",
                json!({"title": title, "times_per_week": 7, "weeks": 2, "start_date": start}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let helsinki = |h: u32, m: u32| {
        // Helsinki is UTC+2 in March before the DST change.
        Utc.with_ymd_and_hms(2026, 3, 2, h - 2, m, 0)
            .single()
            .expect("time")
    };
    let email = d.participant.email.clone();

    assert_eq!(
        task_reminders::run(state, helsinki(7, 59))
            .await
            .expect("run"),
        0
    );
    assert_eq!(reminders_to(&app, &email), 0);

    assert_eq!(
        task_reminders::run(state, helsinki(8, 0))
            .await
            .expect("run"),
        1
    );
    assert_eq!(reminders_to(&app, &email), 1);
    let mail = std::fs::read_dir(app.server.data_dir.path().join("outbox"))
        .expect("outbox")
        .flatten()
        .filter_map(|f| std::fs::read_to_string(f.path()).ok())
        .find(|m| m.replace("=\r\n", "").contains("/omakuntoutus"))
        .expect("the reminder");
    assert!(mail.replace("=\r\n", "").contains("2 omakuntoutusteht"));
    assert!(!mail.contains("Kävely") && !mail.contains("title"));

    // Later the same day, or after a restart (the claim is in the database): nothing more.
    assert_eq!(
        task_reminders::run(state, helsinki(8, 1))
            .await
            .expect("run"),
        0
    );
    assert_eq!(
        task_reminders::run(state, helsinki(12, 0))
            .await
            .expect("run"),
        0
    );
    assert_eq!(reminders_to(&app, &email), 1);
    assert_eq!(app.count("scheduled_runs").await, 1);

    // The next morning again, unless the participant has turned reminders off.
    let next = helsinki(9, 0) + Duration::days(1);
    assert_eq!(task_reminders::run(state, next).await.expect("run"), 1);
    let res = app
        .patch(
            &d.participant,
            "/api/v1/me",
            json!({"task_reminders": false}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let after = helsinki(9, 0) + Duration::days(2);
    assert_eq!(task_reminders::run(state, after).await.expect("run"), 0);
    assert_eq!(reminders_to(&app, &email), 2);
}

#[tokio::test]
async fn no_reminder_when_nothing_is_due_today() {
    let app = TestApp::new().await;
    let d = app.demo_course("Quiet").await;
    let state = &app.server.state;
    // Fridays only; today is Monday.
    let res = app
        .post(
            &d.participant,
            "/api/v1/me/tasks",
            json!({"title": "Perjantaikävely", "days": ["fri"], "weeks": 2}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let now = Utc
        .with_ymd_and_hms(2026, 3, 2, 8, 0, 0)
        .single()
        .expect("time");
    assert_eq!(task_reminders::run(state, now).await.expect("run"), 0);
    assert_eq!(app.count("scheduled_runs").await, 0);
    // Friday morning it is; two instances running the job at once send one mail between them.
    let friday = now + Duration::days(4);
    let (a, b) = tokio::join!(
        task_reminders::run(state, friday),
        task_reminders::run(state, friday)
    );
    assert_eq!(a.expect("run") + b.expect("run"), 1);
    assert_eq!(reminders_to(&app, &d.participant.email), 1);
}
