use chrono::Duration;
use etapolku_server::accounts::model::Role;
use etapolku_server::team::profession::Profession;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, assert_problem, client};

#[tokio::test]
async fn staff_sign_in_with_a_password_gets_a_token_and_an_httponly_refresh_cookie() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    app.user(
        Some(p.id),
        "sari@alpha.example",
        Role::Guide,
        Some(Profession::RegisteredNurse),
        true,
    )
    .await;

    let res = client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": "Sari@Alpha.example ", "password": PASSWORD}))
        .send()
        .await
        .expect("req");

    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_owned();
    assert!(cookie.starts_with("etapolku_refresh="));
    for part in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/auth"] {
        assert!(cookie.contains(part), "{cookie} lacks {part}");
    }
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(body["user"]["role"], "guide");
    assert!(
        body.to_string().find("refresh").is_none(),
        "the refresh token never appears in the body"
    );
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_account_get_the_same_answer() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    app.user(
        Some(p.id),
        "sari@alpha.example",
        Role::Guide,
        Some(Profession::RegisteredNurse),
        true,
    )
    .await;
    for email in ["sari@alpha.example", "nobody@alpha.example"] {
        let res = client()
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"email": email, "password": "wrong password"}))
            .send()
            .await
            .expect("req");
        assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    }
}

#[tokio::test]
async fn the_sixth_failed_password_in_a_row_is_rate_limited_with_retry_after() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    app.user(
        Some(p.id),
        "sari@alpha.example",
        Role::Guide,
        Some(Profession::RegisteredNurse),
        true,
    )
    .await;
    let c = client();
    for _ in 0..5 {
        let res = c
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"email": "sari@alpha.example", "password": "nope nope"}))
            .send()
            .await
            .expect("req");
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = c
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": "sari@alpha.example", "password": PASSWORD}))
        .send()
        .await
        .expect("req");
    assert!(res.headers().contains_key("retry-after"));
    assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Another account from elsewhere is not locked by it.
    app.user(
        Some(p.id),
        "petri@alpha.example",
        Role::Guide,
        Some(Profession::Physiotherapist),
        true,
    )
    .await;
    app.login("petri@alpha.example").await;
}

#[tokio::test]
async fn an_email_link_signs_a_participant_in_once() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    app.participant(&p, "aino@alpha.example").await;

    let res = client()
        .post(app.url("/api/v1/auth/email-link"))
        .json(&json!({"email": "aino@alpha.example"}))
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let (path, token) = app
        .last_link_to("aino@alpha.example")
        .expect("a mailed link");
    assert_eq!(path, "/linkki");

    let first = client()
        .post(app.url("/api/v1/auth/email-link/redeem"))
        .json(&json!({"token": token}))
        .send()
        .await
        .expect("req");
    assert_eq!(first.status(), StatusCode::OK);
    let body: Value = first.json().await.expect("json");
    assert_eq!(body["user"]["email"], "aino@alpha.example");

    let again = client()
        .post(app.url("/api/v1/auth/email-link/redeem"))
        .json(&json!({"token": token}))
        .send()
        .await
        .expect("req");
    assert_problem(again, StatusCode::UNAUTHORIZED, "link_invalid").await;
}

#[tokio::test]
async fn an_email_link_expires_after_fifteen_minutes() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    app.participant(&p, "aino@alpha.example").await;
    client()
        .post(app.url("/api/v1/auth/email-link"))
        .json(&json!({"email": "aino@alpha.example"}))
        .send()
        .await
        .expect("req");
    let (_, token) = app.last_link_to("aino@alpha.example").expect("link");

    app.advance(Duration::minutes(15) + Duration::seconds(1));

    let res = client()
        .post(app.url("/api/v1/auth/email-link/redeem"))
        .json(&json!({"token": token}))
        .send()
        .await
        .expect("req");
    assert_problem(res, StatusCode::UNAUTHORIZED, "link_invalid").await;
}

#[tokio::test]
async fn asking_a_link_for_an_unknown_address_answers_the_same_and_mails_nothing() {
    let app = TestApp::new().await;
    let res = client()
        .post(app.url("/api/v1/auth/email-link"))
        .json(&json!({"email": "ghost@nowhere.example"}))
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    assert!(app.mailed_links().is_empty());
}

#[tokio::test]
async fn link_requests_for_one_account_are_limited_to_five_per_quarter_hour() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    app.participant(&p, "aino@alpha.example").await;
    for _ in 0..5 {
        let res = client()
            .post(app.url("/api/v1/auth/email-link"))
            .json(&json!({"email": "aino@alpha.example"}))
            .send()
            .await
            .expect("req");
        assert_eq!(res.status(), StatusCode::ACCEPTED);
    }
    let res = client()
        .post(app.url("/api/v1/auth/email-link"))
        .json(&json!({"email": "aino@alpha.example"}))
        .send()
        .await
        .expect("req");
    assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert_eq!(app.mailed_links().len(), 5);
}

#[tokio::test]
async fn an_invited_participant_is_activated_by_the_invitation_link() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let res = app
        .post(
            &p.admin,
            "/api/v1/participants",
            json!({"email": "eero@alpha.example", "display_name": "Eero", "language": "sv"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let invited: Value = res.json().await.expect("json");
    assert_eq!(invited["status"], "invited");
    let (path, token) = app.last_link_to("eero@alpha.example").expect("invitation");
    assert_eq!(path, "/linkki");

    let res = client()
        .post(app.url("/api/v1/auth/email-link/redeem"))
        .json(&json!({"token": token}))
        .send()
        .await
        .expect("req");

    assert_eq!(res.status(), StatusCode::OK);
    let list: Value = app
        .get(&p.admin, "/api/v1/participants")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list[0]["status"], "active");
}

#[tokio::test]
async fn a_new_staff_member_sets_a_password_from_the_mailed_link_and_signs_in() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let res = app.post(&p.admin, "/api/v1/staff", json!({"email": "new@alpha.example", "display_name": "Uusi", "role": "guide", "profession": "physiotherapist"})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let (path, token) = app.last_link_to("new@alpha.example").expect("invitation");
    assert_eq!(path, "/salasana");

    let weak = client()
        .post(app.url("/api/v1/auth/password-reset/complete"))
        .json(&json!({"token": token, "new_password": "salasana"}))
        .send()
        .await
        .expect("req");
    let body = assert_problem(weak, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "new_password");
    // The refused password did not use the link up.
    let ok = client()
        .post(app.url("/api/v1/auth/password-reset/complete"))
        .json(&json!({"token": token, "new_password": PASSWORD}))
        .send()
        .await
        .expect("req");
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);

    app.login("new@alpha.example").await;
}

#[tokio::test]
async fn refresh_rotates_the_token_and_a_reused_one_revokes_the_whole_session() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let s = p.admin;
    let old_cookie = cookie_of(&app, &s.email).await;

    // Rotate once with the first token: works, and hands out a new one.
    let plain = client();
    let first = plain
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", format!("etapolku_refresh={old_cookie}"))
        .send()
        .await
        .expect("req");
    assert_eq!(first.status(), StatusCode::OK);
    let new_cookie = set_cookie_value(&first);
    assert_ne!(new_cookie, old_cookie);
    let new_access = first.json::<Value>().await.expect("json")["access_token"]
        .as_str()
        .expect("t")
        .to_owned();

    // The old token comes back: reuse is detected and the family dies.
    let reuse = plain
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", format!("etapolku_refresh={old_cookie}"))
        .send()
        .await
        .expect("req");
    assert_problem(reuse, StatusCode::UNAUTHORIZED, "refresh_reused").await;
    let after = plain
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", format!("etapolku_refresh={new_cookie}"))
        .send()
        .await
        .expect("req");
    assert_problem(after, StatusCode::UNAUTHORIZED, "refresh_invalid").await;
    let me = plain
        .get(app.url("/api/v1/me"))
        .bearer_auth(&new_access)
        .send()
        .await
        .expect("req");
    assert_problem(me, StatusCode::UNAUTHORIZED, "token_invalid").await;
}

#[tokio::test]
async fn logout_ends_the_session_and_its_access_token() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let s = p.admin;
    let res = s
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&s.token)
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_problem(
        app.get(&s, "/api/v1/me").await,
        StatusCode::UNAUTHORIZED,
        "token_invalid",
    )
    .await;
    let refresh = s
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .send()
        .await
        .expect("req");
    assert_eq!(refresh.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_access_token_stops_working_after_fifteen_minutes_and_a_refresh_renews_it() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let s = p.admin;
    app.advance(Duration::minutes(16) + Duration::seconds(1));
    assert_problem(
        app.get(&s, "/api/v1/me").await,
        StatusCode::UNAUTHORIZED,
        "token_invalid",
    )
    .await;
    let res = s
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_staff_session_ends_after_thirty_idle_minutes() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    app.advance(Duration::minutes(31));
    let res = p
        .admin
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .send()
        .await
        .expect("req");
    assert_problem(res, StatusCode::UNAUTHORIZED, "refresh_invalid").await;
}

#[tokio::test]
async fn a_tampered_or_unsigned_token_is_refused() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let parts: Vec<&str> = p.admin.token.split('.').collect();
    for bad in [
        format!("{}.{}.AAAA", parts[0], parts[1]),
        format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{}.", parts[1]),
        "not-a-jwt".to_owned(),
    ] {
        let res = client()
            .get(app.url("/api/v1/me"))
            .bearer_auth(&bad)
            .send()
            .await
            .expect("req");
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{bad}");
    }
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let other = app.login(&p.admin.email).await;

    let wrong = app
        .put(
            &p.admin,
            "/api/v1/me/password",
            json!({"current_password": "guess guess", "new_password": "uusi hyvä salasana"}),
        )
        .await;
    let body = assert_problem(wrong, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "current_password");

    let ok = app
        .put(
            &p.admin,
            "/api/v1/me/password",
            json!({"current_password": PASSWORD, "new_password": "uusi hyvä salasana"}),
        )
        .await;
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&p.admin, "/api/v1/me").await.status(),
        StatusCode::OK,
        "this session goes on"
    );
    assert_eq!(
        app.get(&other, "/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED,
        "the other session ended"
    );
}

#[tokio::test]
async fn a_password_reset_link_sets_a_new_password() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let res = client()
        .post(app.url("/api/v1/auth/password-reset"))
        .json(&json!({"email": p.admin.email}))
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let (path, token) = app.last_link_to(&p.admin.email).expect("link");
    assert_eq!(path, "/salasana");
    let res = client()
        .post(app.url("/api/v1/auth/password-reset/complete"))
        .json(&json!({"token": token, "new_password": "toinen hyvä lause"}))
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let login = client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": p.admin.email, "password": "toinen hyvä lause"}))
        .send()
        .await
        .expect("req");
    assert_eq!(login.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_refresh_from_another_site_is_refused() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let res = p
        .admin
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .expect("req");
    assert_problem(res, StatusCode::FORBIDDEN, "cross_origin").await;
}

async fn cookie_of(app: &TestApp, email: &str) -> String {
    let res = client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .expect("req");
    set_cookie_value(&res)
}

fn set_cookie_value(res: &reqwest::Response) -> String {
    let raw = res.headers()["set-cookie"].to_str().expect("cookie");
    raw.split(';')
        .next()
        .and_then(|kv| kv.split_once('='))
        .map(|(_, v)| v.to_owned())
        .expect("value")
}

#[tokio::test]
async fn a_session_revoked_by_another_process_stops_its_access_token_within_seconds() {
    use etapolku_server::clock::Clock;
    use etapolku_server::entity::{refresh_token, user};
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let app = TestApp::new().await;
    let s = app.provider("Alpha").await.admin;
    assert_eq!(app.get(&s, "/api/v1/me").await.status(), StatusCode::OK);
    // Another instance or a command-line run writes the revocation; this server did not make it.
    let account = user::Entity::find()
        .filter(user::Column::Email.eq(s.email.as_str()))
        .one(&app.server.db)
        .await
        .expect("query")
        .expect("the account");
    refresh_token::Entity::update_many()
        .col_expr(
            refresh_token::Column::RevokedAt,
            Expr::value(app.server.clock.now()),
        )
        .filter(refresh_token::Column::UserId.eq(account.id))
        .exec(&app.server.db)
        .await
        .expect("revoke");
    let mut status = StatusCode::OK;
    for _ in 0..50 {
        status = app.get(&s, "/api/v1/me").await.status();
        if status == StatusCode::UNAUTHORIZED {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the access token still works 5 s after its session was revoked"
    );
}
