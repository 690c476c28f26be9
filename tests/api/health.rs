use crate::helpers::{TestApp, client};
use reqwest::StatusCode;

#[tokio::test]
async fn healthz_and_readyz_answer_ok() {
    let app = TestApp::new().await;
    for path in ["/healthz", "/readyz"] {
        let res = client().get(app.url(path)).send().await.expect("request");
        assert_eq!(res.status(), StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn readyz_reports_an_unreachable_database() {
    let app = TestApp::new().await;
    app.server.db.clone().close().await.expect("close");
    let res = client()
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn the_openapi_document_is_generated_and_the_docs_are_served_locally() {
    let app = TestApp::new().await;
    let doc = app.public_json("/api/openapi.json").await;
    for path in [
        "/api/v1/auth/login",
        "/api/v1/courses/{id}/transitions",
        "/api/v1/courses/{id}/participants",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    let docs = client()
        .get(app.url("/api/docs/"))
        .send()
        .await
        .expect("req");
    assert_eq!(docs.status(), StatusCode::OK);
    let html = docs.text().await.expect("text");
    assert!(
        !html.contains("https://"),
        "the API browser must not load anything from elsewhere"
    );
}

#[tokio::test]
async fn every_response_carries_security_headers_and_a_request_id() {
    let app = TestApp::new().await;
    let res = client()
        .get(app.url("/api/v1/support"))
        .send()
        .await
        .expect("request");
    let h = res.headers();
    let csp = h["content-security-policy"].to_str().expect("csp");
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["cache-control"], "no-store");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert!(!h["x-request-id"].is_empty());
}

#[tokio::test]
async fn ui_paths_get_the_web_shell_and_unknown_api_paths_a_problem() {
    let app = TestApp::new().await;
    let page = client().get(app.url("/tanaan")).send().await.expect("req");
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.expect("text").contains("<html"));
    let api = client()
        .get(app.url("/api/v1/no-such-thing"))
        .send()
        .await
        .expect("req");
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
}
