//! "Omat tavoitteeni" (R-GAS): goals set by the participant or staff, rated by staff, T-scores.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{DemoCourse, Session, TestApp, assert_problem};
use etapolku_server::team::profession::Profession;

fn levels() -> Value {
    json!({
        "-2": "En käy ulkona lainkaan",
        "-1": "Käyn ulkona kerran viikossa",
        "0": "Käyn ulkona kolmesti viikossa",
        "1": "Käyn ulkona viidesti viikossa",
        "2": "Käyn ulkona joka päivä",
    })
}

fn goal(title: &str) -> Value {
    json!({"title": title, "levels": levels()})
}

fn staff_goals(d: &DemoCourse) -> String {
    format!(
        "/api/v1/courses/{}/participants/{}/goals",
        d.course, d.participant.id
    )
}

async fn create(app: &TestApp, s: &Session, body: Value) -> Value {
    let res = app.post(s, "/api/v1/me/goals", body).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json().await.expect("json")
}

async fn json_of(res: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(res.status(), status);
    res.json().await.expect("json")
}

async fn rate(app: &TestApp, d: &DemoCourse, goal: &Value, which: &str, level: i64) {
    let res = app
        .put(
            &d.guide,
            &format!(
                "{}/{}/{which}",
                staff_goals(d),
                goal["id"].as_str().expect("id")
            ),
            json!({"level": level}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "rating the {which}");
}

#[tokio::test]
async fn a_participant_sets_three_goals_and_a_fourth_is_refused() {
    // Arrange
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;

    // Act
    let mut made = Vec::new();
    for title in ["Liikun enemmän", "Nukun paremmin", "Tapaan ystäviä"] {
        made.push(create(&app, &d.participant, goal(title)).await);
    }
    let fourth = app
        .post(&d.participant, "/api/v1/me/goals", goal("Neljäs"))
        .await;

    // Assert
    assert_problem(fourth, StatusCode::CONFLICT, "goal_limit").await;
    assert_eq!(app.count("goals").await, 3);
    let positions: Vec<_> = made.iter().map(|g| g["position"].clone()).collect();
    assert_eq!(positions, vec![json!(1), json!(2), json!(3)]);
    assert_eq!(made[0]["weight"], 1);
    assert_eq!(made[0]["levels"]["-1"], "Käyn ulkona kerran viikossa");
    assert_eq!(made[0]["baseline"], Value::Null);
    let mine = json_of(
        app.get(&d.participant, "/api/v1/me/goals").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine["goals"].as_array().expect("goals").len(), 3);
    assert_eq!(mine["t_baseline"], Value::Null);
    assert_eq!(mine["t_end"], Value::Null);
}

#[tokio::test]
async fn goals_sent_at_once_still_stop_at_three() {
    // Arrange
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let post = |t: &'static str| app.post(&d.participant, "/api/v1/me/goals", goal(t));

    // Act: five at once, as from five tabs.
    let (a, b, c, e, f) = tokio::join!(post("a"), post("b"), post("c"), post("d"), post("e"));

    // Assert
    let statuses: Vec<_> = [a, b, c, e, f].iter().map(|r| r.status()).collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        3,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count(),
        2,
        "{statuses:?}"
    );
    assert_eq!(app.count("goals").await, 3);
}

#[tokio::test]
async fn a_deleted_goal_frees_its_place_and_its_history_stays() {
    // Arrange
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let first = create(&app, &d.participant, goal("Yksi")).await;
    create(&app, &d.participant, goal("Kaksi")).await;
    create(&app, &d.participant, goal("Kolme")).await;
    let id = first["id"].as_str().expect("id");

    // Act
    let res = app
        .delete(&d.participant, &format!("/api/v1/me/goals/{id}"))
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let again = create(&app, &d.participant, goal("Uusi")).await;

    // Assert
    assert_eq!(again["position"], 1);
    assert_eq!(app.count("goals").await, 3);
    // create + delete of the first, and the three creates.
    assert_eq!(app.count("goal_history").await, 5);
    let gone = app
        .get(&d.participant, &format!("/api/v1/me/goals/{id}/history"))
        .await;
    assert_problem(gone, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn edits_keep_who_changed_what_and_what_it_was_before() {
    // Arrange
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let g = create(&app, &d.participant, goal("Liikun")).await;
    let id = g["id"].as_str().expect("id");

    // Act: the participant rewrites the title, the guide changes the weight and a level text.
    let mine = app
        .patch(
            &d.participant,
            &format!("/api/v1/me/goals/{id}"),
            json!({"title": "Liikun enemmän ulkona"}),
        )
        .await;
    let mine = json_of(mine, StatusCode::OK).await;
    let mut new_levels = levels();
    new_levels["2"] = json!("Käyn ulkona kahdesti päivässä");
    let theirs = app
        .patch(
            &d.guide,
            &format!("{}/{id}", staff_goals(&d)),
            json!({"weight": 3, "levels": new_levels}),
        )
        .await;
    let theirs = json_of(theirs, StatusCode::OK).await;

    // Assert
    assert_eq!(mine["title"], "Liikun enemmän ulkona");
    assert_eq!(theirs["title"], "Liikun enemmän ulkona");
    assert_eq!(theirs["weight"], 3);
    assert_eq!(theirs["levels"]["2"], "Käyn ulkona kahdesti päivässä");
    let history = app
        .get(&d.participant, &format!("/api/v1/me/goals/{id}/history"))
        .await;
    let history = json_of(history, StatusCode::OK).await;
    let actions: Vec<_> = history
        .as_array()
        .expect("list")
        .iter()
        .map(|h| h["action"].as_str().expect("action").to_owned())
        .collect();
    assert_eq!(actions, ["update", "update", "create"]);
    assert_eq!(history[0]["actor"]["display_name"], "nurse");
    assert_eq!(history[0]["previous"]["weight"], 1);
    assert_eq!(
        history[0]["previous"]["levels"]["2"],
        "Käyn ulkona joka päivä"
    );
    assert_eq!(history[1]["actor"]["display_name"], "aino");
    assert_eq!(history[1]["previous"]["title"], "Liikun");
    assert_eq!(history[2]["previous"], Value::Null);
}

#[tokio::test]
async fn a_rated_baseline_freezes_the_goal() {
    // Arrange
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let g = create(&app, &d.participant, goal("Liikun")).await;
    let id = g["id"].as_str().expect("id");

    // Act
    rate(&app, &d, &g, "baseline", -1).await;
    let by_participant = app
        .patch(
            &d.participant,
            &format!("/api/v1/me/goals/{id}"),
            json!({"levels": levels(), "title": "Toinen"}),
        )
        .await;
    let by_guide = app
        .patch(
            &d.guide,
            &format!("{}/{id}", staff_goals(&d)),
            json!({"weight": 2}),
        )
        .await;
    let deleted = app
        .delete(&d.participant, &format!("/api/v1/me/goals/{id}"))
        .await;

    // Assert
    assert_problem(by_participant, StatusCode::CONFLICT, "goal_rated").await;
    assert_problem(by_guide, StatusCode::CONFLICT, "goal_rated").await;
    assert_problem(deleted, StatusCode::CONFLICT, "goal_rated").await;
    let mine = json_of(
        app.get(&d.participant, "/api/v1/me/goals").await,
        StatusCode::OK,
    )
    .await;
    let g = &mine["goals"][0];
    assert_eq!(g["title"], "Liikun");
    assert_eq!(g["weight"], 1);
    assert_eq!(g["baseline"], -1);
    assert!(g["baseline_at"].is_string());
    assert_eq!(mine["t_baseline"], 40.0);
    // The participant reads ratings but cannot make them.
    let res = app
        .put(
            &d.participant,
            &format!("{}/{id}/baseline", staff_goals(&d)),
            json!({"level": 2}),
        )
        .await;
    assert_problem(res, StatusCode::FORBIDDEN, "wrong_role").await;
    let history = app
        .get(&d.guide, &format!("{}/{id}/history", staff_goals(&d)))
        .await;
    let history = json_of(history, StatusCode::OK).await;
    assert_eq!(history[0]["action"], "baseline");
    assert_eq!(history[0]["previous"]["baseline"], Value::Null);
}

#[tokio::test]
async fn t_scores_follow_the_ratings_of_all_goals() {
    // Arrange: three unweighted goals set by the guide.
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let mut goals = Vec::new();
    for t in ["Yksi", "Kaksi", "Kolme"] {
        let res = app.post(&d.guide, &staff_goals(&d), goal(t)).await;
        goals.push(json_of(res, StatusCode::CREATED).await);
    }
    let early = app
        .put(
            &d.guide,
            &format!(
                "{}/{}/attainment",
                staff_goals(&d),
                goals[0]["id"].as_str().expect("id")
            ),
            json!({"level": 1}),
        )
        .await;
    assert_problem(early, StatusCode::CONFLICT, "baseline_missing").await;

    // Act: baselines −1 on two goals, then the third.
    rate(&app, &d, &goals[0], "baseline", -1).await;
    rate(&app, &d, &goals[1], "baseline", -1).await;
    let partly = json_of(
        app.get(&d.participant, "/api/v1/me/goals").await,
        StatusCode::OK,
    )
    .await;
    rate(&app, &d, &goals[2], "baseline", -1).await;
    let start = json_of(
        app.get(&d.participant, "/api/v1/me/goals").await,
        StatusCode::OK,
    )
    .await;
    for g in &goals {
        rate(&app, &d, g, "attainment", 1).await;
    }
    let end = json_of(
        app.get(&d.participant, "/api/v1/me/goals").await,
        StatusCode::OK,
    )
    .await;

    // Assert: 50 ± 10·3/√(0.7·3 + 0.3·9) = 50 ± 13.69.
    assert_eq!(partly["t_baseline"], Value::Null);
    assert_eq!(start["t_baseline"], 36.3);
    assert_eq!(start["t_end"], Value::Null);
    assert_eq!(end["t_baseline"], 36.3);
    assert_eq!(end["t_end"], 63.7);
    let staff_view = json_of(app.get(&d.guide, &staff_goals(&d)).await, StatusCode::OK).await;
    assert_eq!(staff_view["t_end"], 63.7);
    // Once the end is rated the baseline stays.
    let late = app
        .put(
            &d.guide,
            &format!(
                "{}/{}/baseline",
                staff_goals(&d),
                goals[0]["id"].as_str().expect("id")
            ),
            json!({"level": -2}),
        )
        .await;
    assert_problem(late, StatusCode::CONFLICT, "goal_rated").await;
}

#[tokio::test]
async fn weights_count_in_the_t_score() {
    // Arrange: weights 1, 2, 3 reaching +1, 0, −1.
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let mut goals = Vec::new();
    for w in [1, 2, 3] {
        let mut body = goal("Tavoite");
        body["weight"] = json!(w);
        goals.push(create(&app, &d.participant, body).await);
    }

    // Act
    for (g, end) in goals.iter().zip([1, 0, -1]) {
        rate(&app, &d, g, "baseline", -2).await;
        rate(&app, &d, g, "attainment", end).await;
    }

    // Assert: Σwx = −2, Σw² = 14, (Σw)² = 36: 50 − 20/√(9.8 + 10.8) = 45.59; all at −2: 50 − 120/√20.6 = 23.56.
    let mine = json_of(
        app.get(&d.participant, "/api/v1/me/goals").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine["t_end"], 45.6);
    assert_eq!(mine["t_baseline"], 23.6);
}

#[tokio::test]
async fn bad_goals_are_refused_with_the_field_named_and_nothing_stored() {
    // Arrange
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let mut missing_level = goal("Liikun");
    missing_level["levels"]
        .as_object_mut()
        .expect("levels")
        .remove("0");
    let mut empty_level = goal("Liikun");
    empty_level["levels"]["-2"] = json!("  ");
    let mut level_three = goal("Liikun");
    level_three["levels"]["3"] = json!("Vielä parempi");
    let mut weight_zero = goal("Liikun");
    weight_zero["weight"] = json!(0);
    let mut weight_eleven = goal("Liikun");
    weight_eleven["weight"] = json!(11);
    let long_title = goal(&"ä".repeat(301));
    let mut long_level = goal("Liikun");
    long_level["levels"]["1"] = json!("x".repeat(501));
    let mut rated = goal("Liikun");
    rated["baseline"] = json!(-1);
    let cases = [
        (missing_level, "levels.0", "required"),
        (empty_level, "levels.-2", "required"),
        (level_three, "levels.3", "unknown_field"),
        (weight_zero, "weight", "out_of_range"),
        (weight_eleven, "weight", "out_of_range"),
        (long_title, "title", "too_long"),
        (long_level, "levels.1", "too_long"),
        (rated, "baseline", "unknown_field"),
    ];

    // Act + Assert
    for (body, field, code) in cases {
        for (who, path) in [
            (&d.participant, "/api/v1/me/goals".to_owned()),
            (&d.guide, staff_goals(&d)),
        ] {
            let res = app.post(who, &path, body.clone()).await;
            let problem = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
            assert_eq!(problem["errors"][0]["field"], field, "{problem}");
            assert_eq!(problem["errors"][0]["code"], code, "{problem}");
        }
    }
    let huge = json!({"title": "x".repeat(5 * 1024 * 1024), "levels": levels()});
    let res = app.post(&d.participant, "/api/v1/me/goals", huge).await;
    assert_problem(res, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    assert_eq!(app.count("goals").await, 0);
    assert_eq!(app.count("goal_history").await, 0);

    // Ratings outside −2…+2 leave the goal unrated.
    let g = create(&app, &d.participant, goal("Liikun")).await;
    let id = g["id"].as_str().expect("id");
    for (which, level) in [("baseline", 3), ("baseline", -3), ("attainment", 3)] {
        let res = app
            .put(
                &d.guide,
                &format!("{}/{id}/{which}", staff_goals(&d)),
                json!({"level": level}),
            )
            .await;
        let problem = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "level");
    }
    let res = app
        .patch(
            &d.participant,
            &format!("/api/v1/me/goals/{id}"),
            json!({"weight": 0}),
        )
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    let mine = json_of(
        app.get(&d.participant, "/api/v1/me/goals").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine["goals"][0]["baseline"], Value::Null);
    assert_eq!(mine["goals"][0]["weight"], 1);
    assert_eq!(app.count("goal_history").await, 1);
}

#[tokio::test]
async fn nobody_else_sees_or_changes_a_participants_goals() {
    // Arrange: Alpha's participant has a goal; a second participant on the same course, a guide
    // of another Alpha course, and all of Beta try.
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let beta = app.demo_course("Beta").await;
    let g = create(&app, &d.participant, goal("Liikun")).await;
    let id = g["id"].as_str().expect("id");
    app.enrol_many(&d.provider, &d.course, 1, "toinen").await;
    let neighbour = app.sign_in_by_link("p0.toinen@alpha.example").await;
    let other_course = app.course(&d.provider, app.monday_in(-2)).await;
    let other_guide = app
        .staff(
            &d.provider,
            "other@alpha.example",
            Profession::Physiotherapist,
        )
        .await;
    let res = app
        .post(
            &d.provider.admin,
            &format!("/api/v1/courses/{other_course}/team"),
            json!({"staff_id": other_guide.id, "service_manager": true}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let audit_before = app.count("audit_log").await;
    let history_before = app.count("goal_history").await;

    let base = staff_goals(&d);
    let calls: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, base.clone(), None),
        (Method::POST, base.clone(), Some(goal("Vieras"))),
        (
            Method::PATCH,
            format!("{base}/{id}"),
            Some(json!({"title": "Vieras"})),
        ),
        (Method::DELETE, format!("{base}/{id}"), None),
        (
            Method::PUT,
            format!("{base}/{id}/baseline"),
            Some(json!({"level": 0})),
        ),
        (
            Method::PUT,
            format!("{base}/{id}/attainment"),
            Some(json!({"level": 0})),
        ),
        (Method::GET, format!("{base}/{id}/history"), None),
    ];

    // Act + Assert: staff of other courses and providers get 404 everywhere.
    for who in [&other_guide, &beta.guide, &beta.provider.admin] {
        for (method, path, body) in &calls {
            let res = app.request(method.clone(), who, path, body.clone()).await;
            assert_eq!(
                res.status(),
                StatusCode::NOT_FOUND,
                "{} {method} {path}",
                who.email
            );
        }
    }
    // The other course's guide naming their own course still cannot reach Alpha's participant.
    let res = app
        .get(
            &other_guide,
            &format!(
                "/api/v1/courses/{other_course}/participants/{}/goals",
                d.participant.id
            ),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    // Beta's guide naming Beta's course and Alpha's goal.
    let res = app
        .patch(
            &beta.guide,
            &format!(
                "/api/v1/courses/{}/participants/{}/goals/{id}",
                beta.course, beta.participant.id
            ),
            json!({"title": "Vieras"}),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    // Participants: another's goal is not found, staff endpoints are not theirs.
    for (method, path, body) in [
        (
            Method::PATCH,
            format!("/api/v1/me/goals/{id}"),
            Some(json!({"title": "Vieras"})),
        ),
        (Method::DELETE, format!("/api/v1/me/goals/{id}"), None),
        (Method::GET, format!("/api/v1/me/goals/{id}/history"), None),
    ] {
        let res = app.request(method, &neighbour, &path, body).await;
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    let theirs = json_of(
        app.get(&neighbour, "/api/v1/me/goals").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(theirs["goals"], json!([]));
    for (method, path, body) in &calls {
        let res = app
            .request(method.clone(), &neighbour, path, body.clone())
            .await;
        assert_problem(res, StatusCode::FORBIDDEN, "wrong_role").await;
    }
    let mine = json_of(
        app.get(&d.participant, "/api/v1/me/goals").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine["goals"][0]["title"], "Liikun");
    assert_eq!(mine["goals"][0]["baseline"], Value::Null);
    assert_eq!(app.count("goals").await, 1);
    assert_eq!(app.count("goal_history").await, history_before);
    assert_eq!(app.count("audit_log").await, audit_before);
}

#[tokio::test]
async fn every_staff_read_of_goals_is_in_the_usage_log() {
    // Arrange
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let g = create(&app, &d.participant, goal("Liikun")).await;
    let before = app.count("audit_log").await;

    // Act
    let res = app.get(&d.guide, &staff_goals(&d)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .get(
            &d.guide,
            &format!(
                "{}/{}/history",
                staff_goals(&d),
                g["id"].as_str().expect("id")
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let own = app.get(&d.participant, "/api/v1/me/goals").await;
    assert_eq!(own.status(), StatusCode::OK);

    // Assert: two staff reads, none for the participant's own.
    assert_eq!(app.count("audit_log").await, before + 2);
    let log = app
        .get(&d.participant, "/api/v1/me/access-log")
        .await
        .json::<Value>()
        .await
        .expect("json");
    let goals_reads = log
        .as_array()
        .map(|l| l.iter().filter(|e| e["category"] == "goals").count())
        .unwrap_or(0);
    assert_eq!(goals_reads, 2, "{log}");
}
