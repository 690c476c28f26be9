use etapolku_server::team::profession::Profession;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem};

#[tokio::test]
async fn a_full_team_passes_the_r_team_check() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let id = app.course(&p, app.monday_in(4)).await;
    app.full_team(&p, &id).await;
    let team: Value = app
        .get(&p.admin, &format!("/api/v1/courses/{id}/team"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(team["check"]["complete"], true);
    assert_eq!(team["members"].as_array().expect("m").len(), 6);
}

#[tokio::test]
async fn the_check_lists_every_missing_profession() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let id = app.course(&p, app.monday_in(4)).await;
    let psych = app
        .staff(&p, "psych@alpha.example", Profession::Psychologist)
        .await;
    app.post(
        &p.admin,
        &format!("/api/v1/courses/{id}/team"),
        json!({"staff_id": psych.id}),
    )
    .await;

    let team: Value = app
        .get(&p.admin, &format!("/api/v1/courses/{id}/team"))
        .await
        .json()
        .await
        .expect("json");

    let codes: Vec<&str> = team["check"]["missing"]
        .as_array()
        .expect("m")
        .iter()
        .map(|m| m["code"].as_str().expect("c"))
        .collect();
    assert_eq!(
        codes,
        [
            "physician",
            "nurse",
            "physiotherapist",
            "social_professional",
            "optional_professionals",
            "service_manager"
        ]
    );
    let optional = &team["check"]["missing"][4];
    assert_eq!(
        (optional["have"].clone(), optional["need"].clone()),
        (json!(1), json!(2))
    );
}

#[tokio::test]
async fn marking_a_new_service_manager_unmarks_the_old_one() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let id = app.course(&p, app.monday_in(4)).await;
    let a = app
        .staff(&p, "a@alpha.example", Profession::RegisteredNurse)
        .await;
    let b = app
        .staff(&p, "b@alpha.example", Profession::Physiotherapist)
        .await;
    app.post(
        &p.admin,
        &format!("/api/v1/courses/{id}/team"),
        json!({"staff_id": a.id, "service_manager": true}),
    )
    .await;
    app.post(
        &p.admin,
        &format!("/api/v1/courses/{id}/team"),
        json!({"staff_id": b.id, "service_manager": true}),
    )
    .await;
    let team: Value = app
        .get(&p.admin, &format!("/api/v1/courses/{id}/team"))
        .await
        .json()
        .await
        .expect("json");
    let managers: Vec<&Value> = team["members"]
        .as_array()
        .expect("m")
        .iter()
        .filter(|m| m["service_manager"] == true)
        .collect();
    assert_eq!(managers.len(), 1);
    assert_eq!(managers[0]["staff"]["id"], b.id.as_str());
}

#[tokio::test]
async fn a_personal_guide_cannot_be_removed_from_the_team() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let id = app.course(&p, app.monday_in(20)).await;
    let nurse = app.full_team(&p, &id).await;
    let pid = app.participant(&p, "aino@alpha.example").await;
    app.post(
        &p.admin,
        &format!("/api/v1/courses/{id}/participants"),
        json!({"participant_id": pid, "decision_date": app.today(), "personal_guide_id": nurse.id}),
    )
    .await;
    let res = app
        .delete(&p.admin, &format!("/api/v1/courses/{id}/team/{}", nurse.id))
        .await;
    assert_problem(res, StatusCode::CONFLICT, "is_personal_guide").await;
    assert_eq!(app.count("team_members").await, 6);
}

#[tokio::test]
async fn the_professions_list_has_finnish_and_swedish_names() {
    let app = TestApp::new().await;
    let list = app.public_json("/api/v1/professions").await;
    let nurse = list
        .as_array()
        .expect("l")
        .iter()
        .find(|p| p["code"] == "registered_nurse")
        .expect("nurse")
        .clone();
    assert_eq!(nurse["fi"], "sairaanhoitaja");
    assert_eq!(nurse["sv"], "sjukskötare");
}

#[tokio::test]
async fn a_participant_without_a_personal_guide_is_warned_about() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let id = app.course(&p, app.monday_in(20)).await;
    let nurse = app.full_team(&p, &id).await;
    let pid = app.enrol_many(&p, &id, 1, "g").await.remove(0);
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
            .any(|w| w["code"] == "personal_guide_missing")
    );

    let res = app
        .put(
            &p.admin,
            &format!("/api/v1/courses/{id}/participants/{pid}/personal-guide"),
            json!({"staff_id": nurse.id}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let course: Value = app
        .get(&p.admin, &format!("/api/v1/courses/{id}"))
        .await
        .json()
        .await
        .expect("json");
    assert!(
        !course["warnings"]
            .as_array()
            .expect("w")
            .iter()
            .any(|w| w["code"] == "personal_guide_missing")
    );
}
