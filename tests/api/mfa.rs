use chrono::Duration;
use etapolku_server::auth::totp;
use etapolku_server::clock::Clock;
use etapolku_server::team::profession::Profession;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, Session, TestApp, assert_problem, client};

async fn with_totp(app: &TestApp, s: &Session) -> String {
    let setup: Value = app
        .post(s, "/api/v1/me/totp", json!({}))
        .await
        .json()
        .await
        .expect("json");
    let secret = setup["secret"].as_str().expect("secret").to_owned();
    assert!(
        setup["otpauth_uri"]
            .as_str()
            .expect("uri")
            .starts_with("otpauth://totp/")
    );
    let code = totp::code(&secret, app.server.clock.now().timestamp()).expect("code");
    let res = app
        .post(s, "/api/v1/me/totp/confirm", json!({"code": code}))
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    secret
}

fn login_body(email: &str, code: Option<String>) -> Value {
    json!({"email": email, "password": PASSWORD, "totp": code})
}

#[tokio::test]
async fn with_the_second_factor_on_a_password_alone_does_not_sign_in() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let guide = app
        .staff(&p, "sari@alpha.example", Profession::RegisteredNurse)
        .await;
    let secret = with_totp(&app, &guide).await;
    let me: Value = app
        .get(&guide, "/api/v1/me")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["mfa_enabled"], true);
    let url = app.url("/api/v1/auth/login");

    let res = client()
        .post(&url)
        .json(&login_body(&guide.email, None))
        .send()
        .await
        .expect("req");
    assert_problem(res, StatusCode::UNAUTHORIZED, "mfa_required").await;
    let res = client()
        .post(&url)
        .json(&login_body(&guide.email, Some("000000".into())))
        .send()
        .await
        .expect("req");
    assert_problem(res, StatusCode::UNAUTHORIZED, "mfa_invalid").await;

    app.advance(Duration::seconds(30));
    let code = totp::code(&secret, app.server.clock.now().timestamp());
    let res = client()
        .post(&url)
        .json(&login_body(&guide.email, code.clone()))
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), StatusCode::OK);
    // The same code a second time is a replay.
    let res = client()
        .post(&url)
        .json(&login_body(&guide.email, code))
        .send()
        .await
        .expect("req");
    assert_problem(res, StatusCode::UNAUTHORIZED, "mfa_invalid").await;
}

#[tokio::test]
async fn an_email_link_asks_for_the_code_without_using_the_link_up() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let guide = app
        .staff(&p, "sari@alpha.example", Profession::RegisteredNurse)
        .await;
    let secret = with_totp(&app, &guide).await;
    client()
        .post(app.url("/api/v1/auth/email-link"))
        .json(&json!({"email": guide.email}))
        .send()
        .await
        .expect("req");
    let (_, token) = app.last_link_to(&guide.email).expect("link");
    let url = app.url("/api/v1/auth/email-link/redeem");

    let res = client()
        .post(&url)
        .json(&json!({"token": token}))
        .send()
        .await
        .expect("req");
    assert_problem(res, StatusCode::UNAUTHORIZED, "mfa_required").await;

    app.advance(Duration::seconds(30));
    let code = totp::code(&secret, app.server.clock.now().timestamp());
    let res = client()
        .post(&url)
        .json(&json!({"token": token, "totp": code}))
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn turning_the_second_factor_off_needs_a_current_code() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let secret = with_totp(&app, &p.admin).await;
    let res = app
        .post(
            &p.admin,
            "/api/v1/me/totp/disable",
            json!({"code": "123456"}),
        )
        .await;
    let body = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "code");

    app.advance(Duration::seconds(30));
    let code = totp::code(&secret, app.server.clock.now().timestamp()).expect("code");
    let res = app
        .post(&p.admin, "/api/v1/me/totp/disable", json!({"code": code}))
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let staff: Value = app
        .get(&p.admin, "/api/v1/staff")
        .await
        .json()
        .await
        .expect("json");
    assert!(
        staff
            .as_array()
            .expect("list")
            .iter()
            .all(|s| s["mfa_enabled"] == false)
    );
}

#[tokio::test]
async fn participants_have_no_authenticator_setup() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    app.participant(&p, "aino@alpha.example").await;
    let aino = app.sign_in_by_link("aino@alpha.example").await;
    let res = aino
        .client
        .post(app.url("/api/v1/me/totp"))
        .bearer_auth(&aino.token)
        .json(&json!({}))
        .send()
        .await
        .expect("req");
    assert_problem(res, StatusCode::FORBIDDEN, "wrong_role").await;
}
