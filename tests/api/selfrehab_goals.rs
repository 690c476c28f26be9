//! Self-rehabilitation tasks linked to the participant's GAS goals: linking on create and
//! change, clearing, goals that are not the participant's, and a goal deleted under its tasks.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{DemoCourse, Session, TestApp, assert_problem};

async fn body(res: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(res.status(), status, "status");
    res.json().await.expect("json")
}

async fn goal(app: &TestApp, s: &Session, title: &str) -> String {
    let g = body(
        app.post(
            s,
            "/api/v1/me/goals",
            json!({"title": title, "levels": {"-2": "a", "-1": "b", "0": "c", "1": "d", "2": "e"}}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    g["id"].as_str().expect("goal id").to_owned()
}

fn staff_path(d: &DemoCourse, rest: &str) -> String {
    format!(
        "/api/v1/courses/{}/participants/{}/tasks{rest}",
        d.course, d.participant.id
    )
}

fn walk(goal_id: Option<&str>) -> Value {
    let mut t = json!({"title": "Kävely", "days": ["mon", "wed", "fri"], "weeks": 4});
    if let Some(g) = goal_id {
        t["goal_id"] = json!(g);
    }
    t
}

async fn my_task(app: &TestApp, d: &DemoCourse, goal_id: Option<&str>) -> Value {
    body(
        app.post(&d.participant, "/api/v1/me/tasks", walk(goal_id))
            .await,
        StatusCode::CREATED,
    )
    .await
}

async fn history(app: &TestApp, d: &DemoCourse, task: &str) -> Value {
    body(
        app.get(&d.participant, &format!("/api/v1/me/tasks/{task}/history"))
            .await,
        StatusCode::OK,
    )
    .await
}

async fn my_tasks(app: &TestApp, d: &DemoCourse) -> Vec<Value> {
    body(
        app.get(&d.participant, "/api/v1/me/tasks").await,
        StatusCode::OK,
    )
    .await["tasks"]
        .as_array()
        .expect("tasks")
        .clone()
}

#[tokio::test]
async fn a_task_is_linked_to_a_goal_relinked_and_cleared_without_undoing_the_agreement() {
    let app = TestApp::new().await;
    let d = app.demo_course("Link").await;
    let outdoors = goal(&app, &d.participant, "Liikun ulkona").await;
    let sleep = goal(&app, &d.participant, "Nukun paremmin").await;

    let t = my_task(&app, &d, Some(&outdoors)).await;
    assert_eq!(t["goal"], json!({"id": outdoors, "title": "Liikun ulkona"}));
    let id = t["id"].as_str().expect("id").to_owned();
    let mine = format!("/api/v1/me/tasks/{id}");
    let t = body(
        app.post(
            &d.guide,
            &staff_path(&d, &format!("/{id}/accept")),
            json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (t["agreed"].clone(), t["version"].clone()),
        (json!(true), json!(2))
    );

    // Another goal: a new version, still agreed (what and when did not change).
    let t = body(
        app.patch(&d.participant, &mine, json!({"goal_id": sleep}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t["goal"]["id"], sleep.as_str());
    assert_eq!(t["goal"]["title"], "Nukun paremmin");
    assert_eq!(t["version"], 3);
    assert_eq!(t["agreed"], true);
    assert!(t["guide_accepted_at"].is_string());

    // The same goal again changes nothing; leaving goal_id out keeps it.
    let same = body(
        app.patch(&d.participant, &mine, json!({"goal_id": sleep}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(same["version"], 3);
    let longer = body(
        app.patch(&d.participant, &mine, json!({"weeks": 5})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(longer["goal"]["id"], sleep.as_str());
    assert_eq!(longer["version"], 4);
    assert_eq!(
        longer["agreed"], false,
        "a change of when still needs the guide"
    );

    // null clears the link.
    let t = body(
        app.patch(&d.participant, &mine, json!({"goal_id": null}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t["goal"], Value::Null);
    assert_eq!(t["version"], 5);
    assert!(t["participant_accepted_at"].is_string());

    let h = history(&app, &d, &id).await;
    let goals: Vec<Value> = h
        .as_array()
        .expect("history")
        .iter()
        .map(|e| e["previous"]["goal_id"].clone())
        .collect();
    // Versions 4, 3, 2, 1: the link each had.
    assert_eq!(
        goals,
        vec![json!(sleep), json!(sleep), json!(outdoors), json!(outdoors)]
    );
    assert_eq!(h[0]["change"], "changed");
    assert_eq!(h[2]["change"], "changed");

    // The list shows each task's own goal.
    my_task(&app, &d, Some(&outdoors)).await;
    my_task(&app, &d, None).await;
    let titles: Vec<Value> = my_tasks(&app, &d)
        .await
        .iter()
        .map(|t| t["goal"]["title"].clone())
        .collect();
    assert_eq!(
        titles,
        vec![Value::Null, json!("Liikun ulkona"), Value::Null]
    );
}

#[tokio::test]
async fn a_goal_that_is_not_the_participants_is_refused_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let a = app.demo_course("Alpha").await;
    let b = app.demo_course("Beta").await;
    let theirs = goal(&app, &b.participant, "Toisen tavoite").await;
    let nobodys = "00000000-0000-4000-8000-000000000000";

    for g in [theirs.as_str(), nobodys] {
        let res = app
            .post(&a.participant, "/api/v1/me/tasks", walk(Some(g)))
            .await;
        let p = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
        assert_eq!(p["errors"][0]["field"], "goal_id");
        assert_eq!(p["errors"][0]["code"], "unknown");
        let res = app.post(&a.guide, &staff_path(&a, ""), walk(Some(g))).await;
        let p = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
        assert_eq!(p["errors"][0]["field"], "goal_id");
    }
    let res = app
        .post(&a.participant, "/api/v1/me/tasks", walk(Some("tavoite")))
        .await;
    let p = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "goal_id");
    assert_eq!(app.count("selfrehab_tasks").await, 0);

    // A change naming it leaves the task as it was, the title sent with it too.
    let t = my_task(&app, &a, None).await;
    let id = t["id"].as_str().expect("id");
    let res = app
        .patch(
            &a.participant,
            &format!("/api/v1/me/tasks/{id}"),
            json!({"title": "Uusi", "goal_id": theirs}),
        )
        .await;
    let p = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "goal_id");
    let res = app
        .patch(
            &a.guide,
            &staff_path(&a, &format!("/{id}")),
            json!({"goal_id": theirs}),
        )
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    let t = &my_tasks(&app, &a).await[0];
    assert_eq!(
        (t["title"].clone(), t["version"].clone(), t["goal"].clone()),
        (json!("Kävely"), json!(1), Value::Null)
    );
    assert_eq!(app.count("selfrehab_task_history").await, 0);
}

#[tokio::test]
async fn deleting_a_goal_unlinks_its_tasks_and_their_history_keeps_the_link() {
    let app = TestApp::new().await;
    let d = app.demo_course("Del").await;
    let gone = goal(&app, &d.participant, "Poistuva").await;
    let kept = goal(&app, &d.participant, "Pysyvä").await;
    let t1 = my_task(&app, &d, Some(&gone)).await;
    let t2 = my_task(&app, &d, Some(&gone)).await;
    let t3 = my_task(&app, &d, Some(&kept)).await;
    let (id1, id2, id3) = (
        t1["id"].as_str().expect("id"),
        t2["id"].as_str().expect("id"),
        t3["id"].as_str().expect("id"),
    );
    // One of them agreed, one ended: both lose the link all the same.
    body(
        app.post(
            &d.guide,
            &staff_path(&d, &format!("/{id1}/accept")),
            json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    body(
        app.post(
            &d.participant,
            &format!("/api/v1/me/tasks/{id2}/end"),
            json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;

    let res = app
        .delete(&d.participant, &format!("/api/v1/me/goals/{gone}"))
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    let tasks = my_tasks(&app, &d).await;
    let by_id = |id: &str| {
        tasks
            .iter()
            .find(|t| t["id"] == id)
            .cloned()
            .expect("task listed")
    };
    let (a1, a2, a3) = (by_id(id1), by_id(id2), by_id(id3));
    assert_eq!(a1["goal"], Value::Null);
    assert_eq!(a1["version"], 3);
    assert_eq!(a1["agreed"], true, "unlinking does not undo the agreement");
    assert_eq!(a2["goal"], Value::Null);
    assert_eq!(a2["status"], "ended");
    assert_eq!(a3["goal"]["id"], kept.as_str());
    assert_eq!(a3["version"], 1);
    let h = history(&app, &d, id1).await;
    assert_eq!(h[0]["version"], 2);
    assert_eq!(h[0]["change"], "changed");
    assert_eq!(h[0]["changed_by"]["display_name"], "aino");
    assert_eq!(h[0]["previous"]["goal_id"], gone.as_str());

    // A rated goal cannot be deleted, and its tasks keep it.
    let res = app
        .put(
            &d.guide,
            &format!(
                "/api/v1/courses/{}/participants/{}/goals/{kept}/baseline",
                d.course, d.participant.id
            ),
            json!({"level": -1}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .delete(&d.participant, &format!("/api/v1/me/goals/{kept}"))
        .await;
    assert_problem(res, StatusCode::CONFLICT, "goal_rated").await;
    let tasks = my_tasks(&app, &d).await;
    let a3 = tasks.iter().find(|t| t["id"] == id3).expect("task");
    assert_eq!(a3["goal"]["id"], kept.as_str());
    assert_eq!(a3["version"], 1);
}

#[tokio::test]
async fn a_guide_links_and_unlinks_a_goal_and_the_participant_is_not_asked_again() {
    let app = TestApp::new().await;
    let d = app.demo_course("Staff").await;
    let g = goal(&app, &d.participant, "Jaksan arjessa").await;

    let t = body(
        app.post(&d.guide, &staff_path(&d, ""), walk(Some(&g)))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(t["goal"]["title"], "Jaksan arjessa");
    let id = t["id"].as_str().expect("id").to_owned();
    let listed = body(app.get(&d.guide, &staff_path(&d, "")).await, StatusCode::OK).await;
    assert_eq!(listed[0]["goal"]["id"], g.as_str());
    body(
        app.post(
            &d.participant,
            &format!("/api/v1/me/tasks/{id}/accept"),
            json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let proposed = app.count("notifications").await;

    // Clearing the link alone: a new version, still agreed, no new proposal.
    let t = body(
        app.patch(
            &d.guide,
            &staff_path(&d, &format!("/{id}")),
            json!({"goal_id": null}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t["goal"], Value::Null);
    assert_eq!(
        (t["version"].clone(), t["agreed"].clone()),
        (json!(3), json!(true))
    );
    assert_eq!(app.count("notifications").await, proposed);

    // And linking it again.
    let t = body(
        app.patch(
            &d.guide,
            &staff_path(&d, &format!("/{id}")),
            json!({"goal_id": g}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t["goal"]["id"], g.as_str());
    assert_eq!(
        (t["version"].clone(), t["agreed"].clone()),
        (json!(4), json!(true))
    );
    let h = body(
        app.get(&d.guide, &staff_path(&d, &format!("/{id}/history")))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(h[0]["previous"]["goal_id"], Value::Null);
    assert_eq!(h[0]["changed_by"]["display_name"], "nurse");
    assert_eq!(h[1]["previous"]["goal_id"], g.as_str());
}
