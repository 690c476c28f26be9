use chrono::Duration;
use etapolku_server::team::profession::Profession;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{DemoCourse, Session, TestApp, assert_problem};

// The first module's exercise: a multiple-choice question, two essays and a true/false one.
const EXERCISE: &str = "01-omat-voimavarat-3";
const PAGE: &str = "01-omat-voimavarat-1";
const LOCKED_EXERCISE: &str = "03-liikkuminen-arjessa-3";

fn q(n: u8) -> String {
    format!("{EXERCISE}-q{n}")
}

fn path(what: &str) -> String {
    format!("/api/v1/me/answers/{EXERCISE}{what}")
}

async fn json_of(res: reqwest::Response) -> Value {
    assert!(res.status().is_success(), "status {}", res.status());
    res.json().await.expect("json")
}

async fn submit(app: &TestApp, s: &Session, text: &str) -> Value {
    json_of(
        app.post(
            s,
            &path("/submit"),
            json!({"answers": {q(1): ["3 – jonkin verran"], q(2): text}}),
        )
        .await,
    )
    .await
}

async fn staff_answers(app: &TestApp, who: &Session, dc: &DemoCourse, query: &str) -> Value {
    json_of(
        app.get(
            who,
            &format!("/api/v1/courses/{}/answers{query}", dc.course),
        )
        .await,
    )
    .await
}

#[tokio::test]
async fn a_draft_is_saved_replaced_and_read_back_by_the_participant_only() {
    let app = TestApp::new().await;
    let dc = app.demo_course("Alpha").await;
    let s = &dc.participant;

    let empty = json_of(app.get(s, &path("")).await).await;
    assert!(empty["draft"].is_null());
    assert!(empty["submitted"].is_null());

    let saved = json_of(
        app.put(s, &path("/draft"), json!({"answers": {q(2): "Ystävä"}}))
            .await,
    )
    .await;
    assert!(saved["draft_saved_at"].is_string());
    json_of(
        app.put(
            s,
            &path("/draft"),
            json!({"answers": {q(3): "Yöheräily", q(1): ["2 – vähän"]}}),
        )
        .await,
    )
    .await;
    let got = json_of(app.get(s, &path("")).await).await;
    assert_eq!(
        got["draft"],
        json!({q(1): ["2 – vähän"], q(3): "Yöheräily"})
    );
    assert!(got["submitted"].is_null());

    // Guides never see drafts.
    let seen = staff_answers(&app, &dc.guide, &dc, "").await;
    assert_eq!(seen, json!([]));

    let list = json_of(app.get(s, "/api/v1/me/answers").await).await;
    assert_eq!(list[0]["item_id"], EXERCISE);
    assert_eq!(list[0]["module_number"], 1);
    assert!(list[0]["submitted_at"].is_null());
}

#[tokio::test]
async fn submitting_completes_the_exercise_keeps_history_and_clears_the_draft() {
    let app = TestApp::new().await;
    let dc = app.demo_course("Alpha").await;
    let s = &dc.participant;
    json_of(
        app.put(s, &path("/draft"), json!({"answers": {q(2): "luonnos"}}))
            .await,
    )
    .await;

    let first = submit(&app, s, "Ystävät").await;
    assert_eq!(first["submitted"][q(2)], "Ystävät");
    assert!(first["draft"].is_null(), "the draft is cleared");
    assert!(first["submitted_at"].is_string());
    let progress = json_of(app.get(s, "/api/v1/me/progress").await).await;
    assert_eq!(progress["items"][EXERCISE]["completed_how"], "answered");

    app.advance(Duration::minutes(3));
    let second = submit(&app, s, "Ystävät ja kävely").await;
    assert_eq!(second["submitted"][q(2)], "Ystävät ja kävely");
    assert_ne!(second["submitted_at"], first["submitted_at"]);
    assert_eq!(app.count("answer_submissions").await, 2, "history kept");
    assert_eq!(app.count("exercise_answers").await, 1);

    let list = json_of(app.get(s, "/api/v1/me/answers").await).await;
    assert_eq!(list[0]["submitted_at"], second["submitted_at"]);
    assert_eq!(list[0]["comments"], 0);

    // Items without questions have nothing to answer.
    assert_problem(
        app.put(
            s,
            &format!("/api/v1/me/answers/{PAGE}/draft"),
            json!({"answers": {}}),
        )
        .await,
        StatusCode::CONFLICT,
        "no_questions",
    )
    .await;
}

#[tokio::test]
async fn bad_answers_are_refused_by_field_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let dc = app.demo_course("Alpha").await;
    let s = &dc.participant;
    for (answers, field, code) in [
        (
            json!({"nope": "x"}),
            "answers.nope".to_owned(),
            "unknown_question",
        ),
        (
            json!({q(2): "x".repeat(10_001)}),
            format!("answers.{}", q(2)),
            "too_long",
        ),
        (json!({q(2): 42}), format!("answers.{}", q(2)), "wrong_type"),
    ] {
        for what in ["/draft", "/submit"] {
            let body = json!({"answers": answers.clone()});
            let res = if what == "/draft" {
                app.put(s, &path(what), body).await
            } else {
                app.post(s, &path(what), body).await
            };
            let problem = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
            assert_eq!(problem["errors"][0]["field"], field, "{problem}");
            if code != "wrong_type" {
                assert_eq!(problem["errors"][0]["code"], code, "{problem}");
            }
        }
    }
    // An empty submission is not an answer.
    let problem = assert_problem(
        app.post(s, &path("/submit"), json!({"answers": {}})).await,
        StatusCode::BAD_REQUEST,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "answers");
    // A 5 MB answer is refused before it is read.
    let huge = json!({"answers": {q(2): "x".repeat(5 * 1024 * 1024)}});
    for res in [
        app.put(s, &path("/draft"), huge.clone()).await,
        app.post(s, &path("/submit"), huge.clone()).await,
    ] {
        assert_problem(res, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    }
    // Other items: unknown and locked.
    assert_problem(
        app.put(
            s,
            "/api/v1/me/answers/no-such-item/draft",
            json!({"answers": {}}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.post(
            s,
            &format!("/api/v1/me/answers/{LOCKED_EXERCISE}/submit"),
            json!({"answers": {format!("{LOCKED_EXERCISE}-q1"): "x"}}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "module_locked",
    )
    .await;
    assert_eq!(app.count("exercise_answers").await, 0);
    assert_eq!(app.count("answer_submissions").await, 0);
    assert_eq!(app.count("item_progress").await, 0);
}

#[tokio::test]
async fn a_draft_survives_the_access_token_expiring() {
    let app = TestApp::new().await;
    let dc = app.demo_course("Alpha").await;
    let mut s = dc.participant;
    json_of(
        app.put(&s, &path("/draft"), json!({"answers": {q(2): "ennen"}}))
            .await,
    )
    .await;

    app.advance(Duration::minutes(20));
    assert_problem(
        app.put(&s, &path("/draft"), json!({"answers": {q(2): "hukassa?"}}))
            .await,
        StatusCode::UNAUTHORIZED,
        "token_invalid",
    )
    .await;

    // The browser refreshes the session with its cookie and finds the draft as it was.
    let res = s
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .send()
        .await
        .expect("refresh");
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.expect("json");
    s.token = body["access_token"].as_str().expect("token").to_owned();
    let got = json_of(app.get(&s, &path("")).await).await;
    assert_eq!(got["draft"][q(2)], "ennen");
    json_of(
        app.put(&s, &path("/draft"), json!({"answers": {q(2): "jälkeen"}}))
            .await,
    )
    .await;
    let got = json_of(app.get(&s, &path("")).await).await;
    assert_eq!(got["draft"][q(2)], "jälkeen");
}

fn outbox_texts(app: &TestApp) -> Vec<String> {
    let dir = app.server.data_dir.path().join("outbox");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect()
}

#[tokio::test]
async fn guides_read_submitted_answers_and_comment_with_a_notice_and_a_mail_without_the_text() {
    let app = TestApp::new().await;
    let dc = app.demo_course("Alpha").await;
    let s = &dc.participant;
    submit(&app, s, "Ystävät").await;

    let audits = app.count("audit_log").await;
    let seen = staff_answers(&app, &dc.guide, &dc, &format!("?participant={}", s.id)).await;
    assert_eq!(
        app.count("audit_log").await,
        audits + 1,
        "the read is audited"
    );
    let answer = &seen[0];
    assert_eq!(answer["participant"]["id"], s.id.as_str());
    assert_eq!(answer["item_id"], EXERCISE);
    assert_eq!(answer["module_number"], 1);
    assert_eq!(answer["submitted"][q(2)], "Ystävät");
    let by_item = staff_answers(&app, &dc.guide, &dc, &format!("?item={EXERCISE}")).await;
    assert_eq!(by_item.as_array().expect("list").len(), 1);
    let none = staff_answers(&app, &dc.guide, &dc, "?item=01-omat-voimavarat-1").await;
    assert_eq!(none, json!([]));

    let mails_before = outbox_texts(&app).len();
    let secret = "Muista levätä, kirjoitit tärkeän asian";
    let res = app
        .post(
            &dc.guide,
            &format!(
                "/api/v1/courses/{}/answers/{}/comments",
                dc.course,
                answer["id"].as_str().expect("id")
            ),
            json!({"body": format!("  {secret}  ")}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let comment: Value = res.json().await.expect("json");
    assert_eq!(comment["body"], secret);
    assert_eq!(comment["author"]["profession"], "registered_nurse");

    // The participant sees it with their answers, and a notice links to it.
    let mine = json_of(app.get(s, &path("")).await).await;
    assert_eq!(mine["comments"][0]["body"], secret);
    let list = json_of(app.get(s, "/api/v1/me/answers").await).await;
    assert_eq!(list[0]["comments"], 1);
    let notices = json_of(app.get(s, "/api/v1/me/notifications").await).await;
    assert_eq!(notices["unread"], 1);
    assert_eq!(notices["items"][0]["kind"], "answer_comment");
    assert_eq!(notices["items"][0]["params"]["module"], 1);
    assert_eq!(notices["items"][0]["params"]["item_id"], EXERCISE);
    assert_eq!(
        notices["items"][0]["link"],
        format!("/ohjelma/1#item-{EXERCISE}")
    );

    // A mail tells there is something new, without the comment.
    let mails = outbox_texts(&app);
    assert_eq!(mails.len(), mails_before + 1);
    let mail = mails.last().expect("mail");
    assert!(mail.contains(&dc.participant.email));
    assert!(
        !mail.contains("levätä") && !mail.contains("Muista"),
        "{mail}"
    );
    assert!(!mail.contains("Ystävät"));

    // Bad comments are refused, nothing stored.
    let comments = app.count("answer_comments").await;
    for body in [
        json!({"body": "   "}),
        json!({"body": "x".repeat(5001)}),
        json!({}),
    ] {
        let problem = assert_problem(
            app.post(
                &dc.guide,
                &format!(
                    "/api/v1/courses/{}/answers/{}/comments",
                    dc.course,
                    answer["id"].as_str().expect("id")
                ),
                body,
            )
            .await,
            StatusCode::BAD_REQUEST,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "body");
    }
    assert_eq!(app.count("answer_comments").await, comments);
}

#[tokio::test]
async fn answers_are_out_of_reach_for_everyone_else() {
    let app = TestApp::new().await;
    let dc = app.demo_course("Alpha").await;
    let other = app.demo_course("Beta").await;
    let outsider = app
        .staff(
            &dc.provider,
            "lonely@alpha.example",
            Profession::Physiotherapist,
        )
        .await;
    submit(&app, &dc.participant, "Ystävät").await;
    // A draft-only exercise of the other course's participant, which nobody but them may see.
    json_of(
        app.put(
            &other.participant,
            &path("/draft"),
            json!({"answers": {q(2): "oma"}}),
        )
        .await,
    )
    .await;
    let answer_id = staff_answers(&app, &dc.guide, &dc, "").await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let list = format!("/api/v1/courses/{}/answers", dc.course);
    let comment = format!("/api/v1/courses/{}/answers/{answer_id}/comments", dc.course);
    let audits = app.count("audit_log").await;
    for who in [&other.guide, &other.provider.admin, &outsider] {
        assert_problem(
            app.get(who, &list).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert_problem(
            app.post(who, &comment, json!({"body": "hei"})).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    // The answer's id through another course the guide does reach: still 404.
    assert_problem(
        app.post(
            &other.guide,
            &format!(
                "/api/v1/courses/{}/answers/{answer_id}/comments",
                other.course
            ),
            json!({"body": "hei"}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Filtering by a participant of another course is a 404, not an empty list.
    assert_problem(
        app.get(
            &dc.guide,
            &format!("{list}?participant={}", other.participant.id),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Participants cannot use the staff endpoints.
    for who in [&dc.participant, &other.participant] {
        assert_problem(
            app.get(who, &list).await,
            StatusCode::FORBIDDEN,
            "wrong_role",
        )
        .await;
        assert_problem(
            app.post(who, &comment, json!({"body": "hei"})).await,
            StatusCode::FORBIDDEN,
            "wrong_role",
        )
        .await;
    }
    // Each participant sees only their own.
    let theirs = json_of(app.get(&other.participant, &path("")).await).await;
    assert!(theirs["submitted"].is_null());
    assert_eq!(theirs["draft"][q(2)], "oma");
    let mine = json_of(app.get(&dc.participant, &path("")).await).await;
    assert!(mine["draft"].is_null());
    assert_eq!(app.count("audit_log").await, audits);
    assert_eq!(app.count("answer_comments").await, 0);
}
