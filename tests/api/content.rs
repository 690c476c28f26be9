use chrono::Duration;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::{Provider, TestApp, assert_problem, client};

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

async fn upload(app: &TestApp, p: &Provider, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()));
    p.admin
        .client
        .post(app.url("/api/v1/programs/import"))
        .bearer_auth(&p.admin.token)
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

fn stored_blobs(app: &TestApp) -> usize {
    let root = app.server.data_dir.path().join("blobs");
    std::fs::read_dir(root)
        .map(|d| {
            d.flatten()
                .map(|sub| {
                    std::fs::read_dir(sub.path())
                        .map(|f| f.count())
                        .unwrap_or(0)
                })
                .sum()
        })
        .unwrap_or(0)
}

#[tokio::test]
async fn an_admin_uploads_a_moodle_backup_and_the_same_file_again_is_recognised() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;

    let res = upload(
        &app,
        &p,
        "lorem.mbz",
        fixture("ietou_lorem2016_moodle29.mbz"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let report: Value = res.json().await.expect("json");
    assert_eq!(report["modules"], 5);
    assert_eq!(report["files"], 2);
    assert_eq!(report["duplicate"], false);
    let blobs = stored_blobs(&app);
    assert_eq!(blobs, 2);

    let again = upload(
        &app,
        &p,
        "lorem-again.mbz",
        fixture("ietou_lorem2016_moodle29.mbz"),
    )
    .await;
    assert_eq!(again.status(), StatusCode::OK);
    let again: Value = again.json().await.expect("json");
    assert_eq!(again["duplicate"], true);
    assert_eq!(again["version_id"], report["version_id"]);
    assert_eq!(app.count("program_versions").await, 1);
    assert_eq!(stored_blobs(&app), blobs);

    let list: Value = app
        .get(&p.admin, "/api/v1/programs")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list[0]["versions"].as_array().expect("v").len(), 1);
}

#[tokio::test]
async fn a_refused_upload_gets_the_reason_and_stores_nothing() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "random.mbz",
            (0..4096u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect(),
        ),
        ("empty.mbz", Vec::new()),
        ("cartridge.imscc", fixture("imscc_modules_canvas.imscc")),
        (
            "truncated.mbz",
            fixture("gapfill_example_course.mbz")[..20_000].to_vec(),
        ),
    ];
    for (name, bytes) in cases {
        let res = upload(&app, &p, name, bytes).await;
        let body = assert_problem(res, StatusCode::BAD_REQUEST, "import_rejected").await;
        assert!(
            !body["detail"].as_str().unwrap_or("").is_empty(),
            "{name}: a reason"
        );
    }
    assert_eq!(app.count("program_versions").await, 0);
    assert_eq!(app.count("blobs").await, 0);
    assert_eq!(stored_blobs(&app), 0);
}

#[tokio::test]
async fn only_a_provider_admin_imports() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let guide = app
        .staff(
            &p,
            "g@alpha.example",
            etapolku_server::team::profession::Profession::Physiotherapist,
        )
        .await;
    let form = Form::new().part(
        "file",
        Part::bytes(fixture("moodle_28_quiz.mbz")).file_name("q.mbz"),
    );
    let res = guide
        .client
        .post(app.url("/api/v1/programs/import"))
        .bearer_auth(&guide.token)
        .multipart(form)
        .send()
        .await
        .expect("req");
    assert_problem(res, StatusCode::FORBIDDEN, "wrong_role").await;
    assert_eq!(app.count("program_versions").await, 0);
}

/// A course in remote week 2 using the lorem backup (five modules), released weekly.
async fn course_with_program(app: &TestApp) -> (Provider, String, String) {
    let p = app.provider("Alpha").await;
    let report: Value = upload(
        app,
        &p,
        "lorem.mbz",
        fixture("ietou_lorem2016_moodle29.mbz"),
    )
    .await
    .json()
    .await
    .expect("json");
    let course = app.course(&p, app.monday_in(-2)).await;
    let res = app
        .put(
            &p.admin,
            &format!("/api/v1/courses/{course}/program"),
            json!({"version_id": report["version_id"], "release": "weekly"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let pid = app.participant(&p, "aino@alpha.example").await;
    let res = app
        .post(
            &p.admin,
            &format!("/api/v1/courses/{course}/participants"),
            json!({"participant_id": pid, "decision_date": app.today() - Duration::days(60)}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let aino = app.sign_in_by_link("aino@alpha.example").await;
    (p, course, aino.token.clone())
}

#[tokio::test]
async fn modules_open_week_by_week_for_participants() {
    let app = TestApp::new().await; // Monday 2.3.2026; the course started 16.2., remote week 1 is 23.2.
    let (_, _, token) = course_with_program(&app).await;
    let c = client();
    let overview: Value = c
        .get(app.url("/api/v1/me/program"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("req")
        .json()
        .await
        .expect("json");
    let modules = overview["modules"].as_array().expect("modules");
    assert_eq!(modules.len(), 5);
    assert_eq!(modules[0]["opens_on"], "2026-02-23");
    assert_eq!(modules[1]["opens_on"], "2026-03-02");
    let open: Vec<bool> = modules
        .iter()
        .map(|m| m["open"].as_bool().expect("b"))
        .collect();
    assert_eq!(open, [true, true, false, false, false]);

    let res = c
        .get(app.url("/api/v1/me/program/modules/3"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("req");
    assert_problem(res, StatusCode::FORBIDDEN, "module_locked").await;
    let res = c
        .get(app.url("/api/v1/me/program/modules/2"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn media_are_served_by_signed_url_with_range_and_refused_with_a_bad_signature() {
    let app = TestApp::new().await;
    let (p, course, _) = course_with_program(&app).await;
    // Staff see every module; find the folder item and its files' URLs.
    let mut url = None;
    for n in 1..=5 {
        let m: Value = app
            .get(
                &p.admin,
                &format!("/api/v1/courses/{course}/program/modules/{n}"),
            )
            .await
            .json()
            .await
            .expect("json");
        for item in m["items"].as_array().expect("items") {
            if item["kind"] == "folder" {
                url = item["files"][0]["blob"].as_str().map(str::to_owned);
            }
        }
    }
    let url = url.expect("the folder has files");
    assert!(url.starts_with("/media/"), "{url}");

    let full = client().get(app.url(&url)).send().await.expect("req");
    assert_eq!(full.status(), StatusCode::OK);
    assert!(
        full.headers()["cache-control"]
            .to_str()
            .expect("cc")
            .contains("immutable")
    );
    assert!(full.headers().contains_key("etag"));
    let len = full.bytes().await.expect("body").len();
    assert!(len > 10);

    let part = client()
        .get(app.url(&url))
        .header("range", "bytes=0-9")
        .send()
        .await
        .expect("req");
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.bytes().await.expect("body").len(), 10);

    let forged = format!("{}0", &url[..url.len() - 1]);
    let forged = if forged == url {
        format!("{}1", &url[..url.len() - 1])
    } else {
        forged
    };
    assert_eq!(
        client()
            .get(app.url(&forged))
            .send()
            .await
            .expect("req")
            .status(),
        StatusCode::NOT_FOUND
    );
    app.advance(Duration::hours(13));
    assert_eq!(
        client()
            .get(app.url(&url))
            .send()
            .await
            .expect("req")
            .status(),
        StatusCode::NOT_FOUND,
        "expired"
    );
}

#[tokio::test]
async fn right_answers_are_not_sent_to_participants() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let report: Value = upload(&app, &p, "quiz.mbz", fixture("moodle_28_quiz.mbz"))
        .await
        .json()
        .await
        .expect("json");
    let course = app.course(&p, app.monday_in(-2)).await;
    app.put(
        &p.admin,
        &format!("/api/v1/courses/{course}/program"),
        json!({"version_id": report["version_id"], "release": "all"}),
    )
    .await;
    let staff_view: Value = app
        .get(
            &p.admin,
            &format!("/api/v1/courses/{course}/program/modules/1"),
        )
        .await
        .json()
        .await
        .expect("json");
    assert!(
        staff_view.to_string().contains("\"correct\""),
        "staff see the answers"
    );

    let pid = app.participant(&p, "aino@alpha.example").await;
    app.post(
        &p.admin,
        &format!("/api/v1/courses/{course}/participants"),
        json!({"participant_id": pid, "decision_date": app.today() - Duration::days(60)}),
    )
    .await;
    let aino = app.sign_in_by_link("aino@alpha.example").await;
    let mine: Value = client()
        .get(app.url("/api/v1/me/program/modules/1"))
        .bearer_auth(&aino.token)
        .send()
        .await
        .expect("req")
        .json()
        .await
        .expect("json");
    assert_eq!(mine["items"][0]["kind"], "exercise");
    assert!(!mine.to_string().contains("\"correct\""), "{mine}");
}

#[tokio::test]
async fn another_providers_version_cannot_be_assigned_to_a_course() {
    let app = TestApp::new().await;
    let a = app.provider("Alpha").await;
    let b = app.provider("Beta").await;
    let report: Value = upload(&app, &b, "quiz.mbz", fixture("moodle_28_quiz.mbz"))
        .await
        .json()
        .await
        .expect("json");
    let course = app.course(&a, app.monday_in(2)).await;
    let res = app
        .put(
            &a.admin,
            &format!("/api/v1/courses/{course}/program"),
            json!({"version_id": report["version_id"]}),
        )
        .await;
    let body = assert_problem(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "version_id");
}

#[tokio::test]
async fn the_demo_program_imports_and_a_swedish_reader_hears_the_swedish_recording() {
    let app = TestApp::new().await;
    let p = app.provider("Alpha").await;
    let dir = etapolku_server::demo::program_dir();
    let done = etapolku_server::content::import::import(
        &app.server.db,
        std::sync::Arc::new(
            etapolku_server::content::blob_store::FsBlobStore::new(
                app.server.data_dir.path().join("blobs"),
            )
            .expect("store"),
        ),
        etapolku_server::content::import::ImportRequest {
            provider_id: p.id,
            actor_id: None,
            source: &dir,
            source_name: "demo",
            staging_root: &app.server.data_dir.path().join("staging"),
            now: chrono::Utc::now(),
        },
    )
    .await
    .expect("the demo program imports");
    assert_eq!(done.modules, 12);
    let course = app.course(&p, app.monday_in(-2)).await;
    app.put(
        &p.admin,
        &format!("/api/v1/courses/{course}/program"),
        json!({"version_id": done.version_id, "release": "all"}),
    )
    .await;

    let audio_of = |m: &Value| {
        m["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["kind"] == "audio")
            .map(|i| {
                i["blob"]
                    .as_str()
                    .expect("url")
                    .split('?')
                    .next()
                    .expect("path")
                    .to_owned()
            })
    };
    let fi: Value = app
        .get(
            &p.admin,
            &format!("/api/v1/courses/{course}/program/modules/1?lang=fi"),
        )
        .await
        .json()
        .await
        .expect("json");
    let sv: Value = app
        .get(
            &p.admin,
            &format!("/api/v1/courses/{course}/program/modules/1?lang=sv"),
        )
        .await
        .json()
        .await
        .expect("json");
    let (fi, sv) = (
        audio_of(&fi).expect("module 1 has audio"),
        audio_of(&sv).expect("audio"),
    );
    assert_ne!(fi, sv, "each language has its own recording");
}

#[tokio::test]
async fn the_demo_course_fixture_opens_two_modules_to_its_participant() {
    let app = TestApp::new().await;
    let demo = app.demo_course("Demo").await;
    let overview: Value = app
        .get(&demo.participant, "/api/v1/me/program")
        .await
        .json()
        .await
        .expect("json");
    let open = overview["modules"]
        .as_array()
        .expect("modules")
        .iter()
        .filter(|m| m["open"] == true)
        .count();
    assert_eq!(open, 2, "remote week 2: modules 1 and 2 are open");
    let res = app
        .get(
            &demo.guide,
            &format!("/api/v1/courses/{}/program", demo.course),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}
