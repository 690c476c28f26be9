use etapolku_server::entity::{notification, user};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem};

/// Stores a notice for `email` the way a feature would, without mail.
async fn notice_for(app: &TestApp, email: &str, module: i32) -> String {
    let person = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&app.server.db)
        .await
        .expect("query")
        .expect("user");
    let id = uuid::Uuid::new_v4();
    notification::ActiveModel {
        uuid: Set(id),
        user_id: Set(person.id),
        kind: Set("answer_comment".into()),
        params: Set(json!({"module": module}).to_string()),
        link: Set(format!("/ohjelma/{module}")),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&app.server.db)
    .await
    .expect("insert");
    id.to_string()
}

#[tokio::test]
async fn notices_are_listed_newest_first_and_marked_read_one_by_one_or_all_at_once() {
    let app = TestApp::new().await;
    let demo = app.demo_course("Alpha").await;
    let first = notice_for(&app, &demo.participant.email, 1).await;
    let _second = notice_for(&app, &demo.participant.email, 2).await;
    let list: Value = app
        .get(&demo.participant, "/api/v1/me/notifications")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["unread"], 2);
    assert_eq!(list["items"][0]["params"]["module"], 2);
    assert_eq!(list["items"][1]["kind"], "answer_comment");

    let res = app
        .post(
            &demo.participant,
            &format!("/api/v1/me/notifications/{first}/read"),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let list: Value = app
        .get(&demo.participant, "/api/v1/me/notifications")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["unread"], 1);

    let res = app
        .post(
            &demo.participant,
            "/api/v1/me/notifications/read-all",
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let list: Value = app
        .get(&demo.participant, "/api/v1/me/notifications")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["unread"], 0);
}

#[tokio::test]
async fn nobody_reads_or_marks_another_persons_notice() {
    let app = TestApp::new().await;
    let demo = app.demo_course("Alpha").await;
    let theirs = notice_for(&app, &demo.participant.email, 1).await;
    let res = app
        .post(
            &demo.guide,
            &format!("/api/v1/me/notifications/{theirs}/read"),
            json!({}),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let list: Value = app
        .get(&demo.guide, "/api/v1/me/notifications")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["unread"], 0);
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0));
    let mine: Value = app
        .get(&demo.participant, "/api/v1/me/notifications")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine["unread"], 1, "the guide's attempt changed nothing");
}

#[tokio::test]
async fn mail_preferences_are_on_by_default_and_can_be_turned_off() {
    let app = TestApp::new().await;
    let demo = app.demo_course("Alpha").await;
    let me: Value = app
        .get(&demo.participant, "/api/v1/me")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        me["preferences"],
        json!({"mail_notifications": true, "task_reminders": true, "activity_nudges": true})
    );
    let me: Value = app
        .patch(
            &demo.participant,
            "/api/v1/me",
            json!({"task_reminders": false}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        me["preferences"],
        json!({"mail_notifications": true, "task_reminders": false, "activity_nudges": true})
    );
    let res = app
        .patch(
            &demo.participant,
            "/api/v1/me",
            json!({"task_reminders": "no"}),
        )
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
}
