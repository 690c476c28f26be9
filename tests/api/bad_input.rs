//! Bad input to the endpoints that create and change things: every refusal is a problem+json with
//! a stable code that names the wrong field, and a refused request writes nothing.

use chrono::{Duration, NaiveDate};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, Provider, TestApp};

/// Every table one of these requests could write to.
const TABLES: [&str; 9] = [
    "users",
    "courses",
    "course_transitions",
    "team_members",
    "enrolments",
    "one_time_tokens",
    "refresh_tokens",
    "audit_log",
    "sites",
];

/// A provider with a course and a participant not yet on it: what every endpoint needs.
struct Fixture {
    app: TestApp,
    a: Provider,
    course: String,
    newcomer: String,
}

impl Fixture {
    async fn new() -> Fixture {
        let app = TestApp::new().await;
        let a = app.provider("Alfa").await;
        let course = app.course(&a, app.monday_in(4)).await;
        let newcomer = app.participant(&a, "newcomer@alfa.example").await;
        Fixture {
            app,
            a,
            course,
            newcomer,
        }
    }

    fn start(&self) -> NaiveDate {
        self.app.monday_in(4)
    }

    fn create_course(&self) -> Endpoint {
        Endpoint {
            method: Method::POST,
            path: "/api/v1/courses".into(),
            signed_in: true,
            valid: json!({
                "title": "Kurssi", "language": "fi", "target_group": "adult",
                "site_id": self.a.site_id, "onsite1_start": self.start(),
            }),
        }
    }

    fn update_course(&self) -> Endpoint {
        Endpoint {
            method: Method::PATCH,
            path: format!("/api/v1/courses/{}", self.course),
            signed_in: true,
            valid: json!({"title": "Uusi nimi"}),
        }
    }

    fn enrol(&self) -> Endpoint {
        Endpoint {
            method: Method::POST,
            path: format!("/api/v1/courses/{}/participants", self.course),
            signed_in: true,
            valid: json!({"participant_id": self.newcomer, "decision_date": self.app.today() - Duration::days(30)}),
        }
    }

    fn create_staff(&self) -> Endpoint {
        Endpoint {
            method: Method::POST,
            path: "/api/v1/staff".into(),
            signed_in: true,
            valid: json!({
                "email": "new.guide@alfa.example", "display_name": "Uusi Ohjaaja",
                "role": "guide", "profession": "physiotherapist",
            }),
        }
    }

    fn login(&self) -> Endpoint {
        Endpoint {
            method: Method::POST,
            path: "/api/v1/auth/login".into(),
            signed_in: false,
            valid: json!({"email": self.a.admin.email, "password": PASSWORD}),
        }
    }

    fn endpoints(&self) -> Vec<Endpoint> {
        vec![
            self.create_course(),
            self.enrol(),
            self.create_staff(),
            self.login(),
            self.update_course(),
        ]
    }

    /// Row counts, the course as its admin sees it, and the mail sent: all a write could change.
    async fn snapshot(&self) -> (Vec<(&'static str, i64)>, Value, usize) {
        let mut counts = Vec::new();
        for table in TABLES {
            counts.push((table, self.app.count(table).await));
        }
        let res = self
            .app
            .get(&self.a.admin, &format!("/api/v1/courses/{}", self.course))
            .await;
        assert_eq!(res.status(), StatusCode::OK, "reading the course");
        let course = res.json().await.expect("json");
        (counts, course, self.app.mailed_links().len())
    }

    /// Sends every case and returns what went wrong with each, so one run names all the holes.
    async fn refusals(&self, cases: Vec<Case>) -> Vec<String> {
        let mut wrong = Vec::new();
        for case in cases {
            let before = self.snapshot().await;
            let why = self.send_and_check(&case).await;
            let after = self.snapshot().await;
            let label = format!(
                "{} {} ({})",
                case.endpoint.method, case.endpoint.path, case.what
            );
            if let Err(why) = why {
                wrong.push(format!("{label}: {why}"));
            }
            if let Some(what) = written(&before, &after) {
                wrong.push(format!("{label}: something was written: {what}"));
            }
        }
        wrong
    }

    async fn send_and_check(&self, case: &Case) -> Result<(), String> {
        let ep = &case.endpoint;
        let mut req = crate::helpers::client().request(ep.method.clone(), self.app.url(&ep.path));
        if ep.signed_in {
            req = req.bearer_auth(&self.a.admin.token);
        }
        if let Some(ct) = case.content_type {
            req = req.header("content-type", ct);
        }
        let res = req
            .body(case.body.clone())
            .send()
            .await
            .map_err(|e| format!("request failed: {e}"))?;
        let status = res.status();
        let ct = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        let field_ok = case.field.is_none_or(|(field, code)| {
            body["errors"][0]["field"] == field && body["errors"][0]["code"] == code
        });
        if status == case.status
            && ct == "application/problem+json"
            && body["code"] == case.code
            && body["status"] == case.status.as_u16()
            && field_ok
        {
            Ok(())
        } else {
            Err(format!(
                "expected {} {}{}, got {status} {ct} {body}",
                case.status,
                case.code,
                case.field
                    .map(|(f, c)| format!(" on {f} ({c})"))
                    .unwrap_or_default()
            ))
        }
    }
}

/// What differs between two snapshots, named briefly, or `None` when nothing does.
fn written(
    before: &(Vec<(&'static str, i64)>, Value, usize),
    after: &(Vec<(&'static str, i64)>, Value, usize),
) -> Option<String> {
    let mut what: Vec<String> = before
        .0
        .iter()
        .zip(&after.0)
        .filter(|(b, a)| b != a)
        .map(|((table, b), (_, a))| format!("{table} {b} -> {a}"))
        .collect();
    if before.1 != after.1 {
        what.push("the course changed".into());
    }
    if before.2 != after.2 {
        what.push(format!("mail {} -> {}", before.2, after.2));
    }
    (!what.is_empty()).then(|| what.join(", "))
}

/// An endpoint under test and a body it accepts, which each case spoils in one way.
#[derive(Clone)]
struct Endpoint {
    method: Method,
    path: String,
    signed_in: bool,
    valid: Value,
}

impl Endpoint {
    /// The valid body with `key` set to `value`.
    fn with(&self, key: &str, value: Value) -> Value {
        let mut body = self.valid.clone();
        body[key] = value;
        body
    }

    /// The valid body without `key`.
    fn without(&self, key: &str) -> Value {
        let mut body = self.valid.clone();
        if let Some(map) = body.as_object_mut() {
            map.remove(key);
        }
        body
    }

    /// A JSON body that must be refused as a validation error on `field`.
    fn invalid(&self, what: &str, body: Value, field: &'static str, code: &'static str) -> Case {
        Case {
            what: what.to_owned(),
            endpoint: self.clone(),
            content_type: Some("application/json"),
            body: body.to_string().into_bytes(),
            status: StatusCode::BAD_REQUEST,
            code: "validation_failed",
            field: Some((field, code)),
        }
    }

    /// Raw bytes that must be refused with `status` and `code`.
    fn raw(
        &self,
        what: &str,
        content_type: Option<&'static str>,
        body: Vec<u8>,
        status: StatusCode,
        code: &'static str,
    ) -> Case {
        Case {
            what: what.to_owned(),
            endpoint: self.clone(),
            content_type,
            body,
            status,
            code,
            field: None,
        }
    }
}

struct Case {
    what: String,
    endpoint: Endpoint,
    content_type: Option<&'static str>,
    body: Vec<u8>,
    status: StatusCode,
    code: &'static str,
    /// The field the first error must name, and its code.
    field: Option<(&'static str, &'static str)>,
}

fn assert_none_wrong(wrong: &[String]) {
    assert!(
        wrong.is_empty(),
        "{} case(s) answered wrongly:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[tokio::test]
async fn malformed_json_is_refused_on_every_endpoint_and_nothing_is_written() {
    // Arrange
    let fx = Fixture::new().await;
    let mut cases = Vec::new();
    for ep in fx.endpoints() {
        let valid = ep.valid.to_string();
        for (what, body) in [
            ("cut short", valid[..valid.len() - 1].to_owned()),
            (
                "cut in the middle of a value",
                valid[..valid.len() / 2].to_owned(),
            ),
            (
                "a trailing comma",
                format!("{},}}", &valid[..valid.len() - 1]),
            ),
            ("single quotes", valid.replace('"', "'")),
            ("not json at all", "title=Kurssi&language=fi".to_owned()),
            ("an empty body", String::new()),
            ("only whitespace", "  \n ".to_owned()),
        ] {
            cases.push(ep.raw(
                what,
                Some("application/json"),
                body.into_bytes(),
                StatusCode::BAD_REQUEST,
                "malformed_json",
            ));
        }
    }

    // Act
    let wrong = fx.refusals(cases).await;

    // Assert
    assert_none_wrong(&wrong);
}

#[tokio::test]
async fn a_body_over_64_kib_is_refused_as_too_large_and_nothing_is_written() {
    // Arrange
    let fx = Fixture::new().await;
    let mut cases = Vec::new();
    for ep in fx.endpoints() {
        let padded = ep
            .with("padding", json!("x".repeat(65 * 1024)))
            .to_string()
            .into_bytes();
        cases.push(ep.raw(
            "65 KiB of JSON",
            Some("application/json"),
            padded,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ));
        let garbage = vec![b'{'; 1024 * 1024];
        cases.push(ep.raw(
            "1 MiB of garbage",
            Some("application/json"),
            garbage,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ));
    }

    // Act
    let wrong = fx.refusals(cases).await;

    // Assert
    assert_none_wrong(&wrong);
}

#[tokio::test]
async fn a_body_not_declared_as_json_is_refused_as_unsupported_and_nothing_is_written() {
    // Arrange
    let fx = Fixture::new().await;
    let mut cases = Vec::new();
    for ep in fx.endpoints() {
        let body = ep.valid.to_string().into_bytes();
        for (what, ct) in [
            ("text/plain", Some("text/plain")),
            ("a form", Some("application/x-www-form-urlencoded")),
            ("multipart", Some("multipart/form-data; boundary=x")),
            ("json-ish", Some("application/jsonp")),
            ("no content type", None),
        ] {
            cases.push(ep.raw(
                what,
                ct,
                body.clone(),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
            ));
        }
    }

    // Act
    let wrong = fx.refusals(cases).await;

    // Assert
    assert_none_wrong(&wrong);
}

#[tokio::test]
async fn a_field_of_the_wrong_type_is_named_and_nothing_is_written() {
    // Arrange
    let fx = Fixture::new().await;
    let (course, enrol, staff, login, update) = (
        fx.create_course(),
        fx.enrol(),
        fx.create_staff(),
        fx.login(),
        fx.update_course(),
    );
    let mut cases = vec![
        course.invalid(
            "title a number",
            course.with("title", json!(42)),
            "title",
            "wrong_type",
        ),
        course.invalid(
            "start a number",
            course.with("onsite1_start", json!(20_260_330)),
            "onsite1_start",
            "wrong_type",
        ),
        course.invalid(
            "site an object",
            course.with("site_id", json!({"id": fx.a.site_id})),
            "site_id",
            "wrong_type",
        ),
        enrol.invalid(
            "participant a number",
            enrol.with("participant_id", json!(5)),
            "participant_id",
            "wrong_type",
        ),
        enrol.invalid(
            "decision a boolean",
            enrol.with("decision_date", json!(true)),
            "decision_date",
            "wrong_type",
        ),
        staff.invalid(
            "email a number",
            staff.with("email", json!(5)),
            "email",
            "wrong_type",
        ),
        login.invalid(
            "password a boolean",
            login.with("password", json!(true)),
            "password",
            "wrong_type",
        ),
        login.invalid(
            "email null",
            login.with("email", Value::Null),
            "email",
            "wrong_type",
        ),
        update.invalid(
            "title a number",
            update.with("title", json!(42)),
            "title",
            "wrong_type",
        ),
        update.invalid(
            "site a boolean",
            update.with("site_id", json!(false)),
            "site_id",
            "wrong_type",
        ),
        update.invalid(
            "follow-up end a number",
            update.with("follow_up_end", json!(1)),
            "follow_up_end",
            "wrong_type",
        ),
    ];
    for ep in fx.endpoints() {
        cases.push(ep.invalid(
            "a string instead of an object",
            json!("x"),
            "body",
            "wrong_type",
        ));
        cases.push(ep.invalid(
            "a number instead of an object",
            json!(7),
            "body",
            "wrong_type",
        ));
    }

    // Act
    let wrong = fx.refusals(cases).await;

    // Assert
    assert_none_wrong(&wrong);
}

#[tokio::test]
async fn a_missing_required_field_is_named_and_nothing_is_written() {
    // Arrange
    let fx = Fixture::new().await;
    let (course, enrol, staff, login) = (
        fx.create_course(),
        fx.enrol(),
        fx.create_staff(),
        fx.login(),
    );
    let mut cases = Vec::new();
    for field in [
        "title",
        "language",
        "target_group",
        "site_id",
        "onsite1_start",
    ] {
        cases.push(course.invalid("missing", course.without(field), field, "required"));
    }
    for field in ["participant_id", "decision_date"] {
        cases.push(enrol.invalid("missing", enrol.without(field), field, "required"));
    }
    for field in ["email", "display_name", "role", "profession"] {
        cases.push(staff.invalid("missing", staff.without(field), field, "required"));
    }
    for field in ["email", "password"] {
        cases.push(login.invalid("missing", login.without(field), field, "required"));
    }
    cases.push(login.invalid(
        "empty password",
        login.with("password", json!("")),
        "password",
        "required",
    ));

    // Act
    let wrong = fx.refusals(cases).await;

    // Assert
    assert_none_wrong(&wrong);
}

#[tokio::test]
async fn an_unknown_field_is_refused_by_name_and_nothing_is_written() {
    // Arrange: unknown fields are refused rather than ignored, so a typo is not silently lost
    // and no field outside the request type can be assigned (S29).
    let fx = Fixture::new().await;
    let (course, enrol, staff, login, update) = (
        fx.create_course(),
        fx.enrol(),
        fx.create_staff(),
        fx.login(),
        fx.update_course(),
    );
    let cases = vec![
        course.invalid(
            "state",
            course.with("state", json!("running")),
            "state",
            "unknown_field",
        ),
        course.invalid(
            "provider",
            course.with("provider_id", json!(2)),
            "provider_id",
            "unknown_field",
        ),
        enrol.invalid(
            "enrolled on",
            enrol.with("enrolled_on", json!("2020-01-01")),
            "enrolled_on",
            "unknown_field",
        ),
        enrol.invalid(
            "course",
            enrol.with("course_id", json!(fx.course)),
            "course_id",
            "unknown_field",
        ),
        staff.invalid(
            "provider",
            staff.with("provider_id", json!(2)),
            "provider_id",
            "unknown_field",
        ),
        staff.invalid(
            "status",
            staff.with("status", json!("active")),
            "status",
            "unknown_field",
        ),
        staff.invalid(
            "password hash",
            staff.with("password_hash", json!("$argon2id$")),
            "password_hash",
            "unknown_field",
        ),
        login.invalid(
            "remember me",
            login.with("remember_me", json!(true)),
            "remember_me",
            "unknown_field",
        ),
        update.invalid(
            "state",
            update.with("state", json!("finished")),
            "state",
            "unknown_field",
        ),
        update.invalid(
            "provider",
            update.with("provider_id", json!(2)),
            "provider_id",
            "unknown_field",
        ),
        update.invalid(
            "a typo",
            json!({"titel": "Uusi nimi"}),
            "titel",
            "unknown_field",
        ),
    ];

    // Act
    let wrong = fx.refusals(cases).await;

    // Assert
    assert_none_wrong(&wrong);
}

#[tokio::test]
async fn impossible_dates_are_refused_on_the_date_field_and_nothing_is_written() {
    // Arrange
    let fx = Fixture::new().await;
    let (course, enrol, update) = (fx.create_course(), fx.enrol(), fx.update_course());
    let mut cases = Vec::new();
    for date in [
        "2026-02-30",
        "2026-13-01",
        "yesterday",
        "30.3.2026",
        "2026-03-30T00:00:00Z",
        "",
    ] {
        let what = format!("date {date:?}");
        cases.push(course.invalid(
            &what,
            course.with("onsite1_start", json!(date)),
            "onsite1_start",
            "invalid",
        ));
        cases.push(course.invalid(
            &what,
            course.with("follow_up_end", json!(date)),
            "follow_up_end",
            "invalid",
        ));
        cases.push(enrol.invalid(
            &what,
            enrol.with("decision_date", json!(date)),
            "decision_date",
            "invalid",
        ));
        cases.push(update.invalid(
            &what,
            json!({"onsite1_start": date}),
            "onsite1_start",
            "invalid",
        ));
        cases.push(update.invalid(
            &what,
            json!({"follow_up_end": date}),
            "follow_up_end",
            "invalid",
        ));
    }

    // Act
    let wrong = fx.refusals(cases).await;

    // Assert
    assert_none_wrong(&wrong);
}

#[tokio::test]
async fn a_course_must_start_on_a_monday() {
    // Arrange: R-ONSITE, on-site periods run Monday to Saturday.
    let fx = Fixture::new().await;
    let (course, update) = (fx.create_course(), fx.update_course());
    let mut cases = Vec::new();
    for days in 1..=6 {
        let day = fx.start() + Duration::days(days);
        let what = format!("start on {}", day.format("%A"));
        cases.push(course.invalid(
            &what,
            course.with("onsite1_start", json!(day)),
            "onsite1_start",
            "invalid",
        ));
        cases.push(update.invalid(
            &what,
            json!({"onsite1_start": day}),
            "onsite1_start",
            "invalid",
        ));
    }

    // Act
    let wrong = fx.refusals(cases).await;

    // Assert
    assert_none_wrong(&wrong);
}

#[tokio::test]
async fn the_follow_up_window_cannot_end_before_onsite_period_2() {
    // Arrange
    let fx = Fixture::new().await;
    let (course, update) = (fx.create_course(), fx.update_course());
    let mut cases = Vec::new();
    for (what, end) in [
        ("the day the course starts", fx.start()),
        ("a week after the start", fx.start() + Duration::days(7)),
        ("before the start", fx.start() - Duration::days(1)),
    ] {
        cases.push(course.invalid(
            what,
            course.with("follow_up_end", json!(end)),
            "follow_up_end",
            "invalid",
        ));
        cases.push(update.invalid(
            what,
            json!({"follow_up_end": end}),
            "follow_up_end",
            "invalid",
        ));
    }
    // Moving the start later must also be checked against the follow-up end already stored.
    let res = fx
        .app
        .patch(
            &fx.a.admin,
            &format!("/api/v1/courses/{}", fx.course),
            json!({"follow_up_end": fx.start() + Duration::weeks(30)}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "setting a follow-up end");
    cases.push(update.invalid(
        "a start past the stored follow-up end",
        json!({"onsite1_start": fx.start() + Duration::weeks(30)}),
        "follow_up_end",
        "invalid",
    ));

    // Act
    let wrong = fx.refusals(cases).await;

    // Assert
    assert_none_wrong(&wrong);
}

#[tokio::test]
async fn a_course_title_must_have_text_and_at_most_200_characters() {
    // Arrange
    let fx = Fixture::new().await;
    let (course, update) = (fx.create_course(), fx.update_course());
    let mut cases = Vec::new();
    for (what, title, code) in [
        ("empty", String::new(), "required"),
        ("spaces", "   ".to_owned(), "required"),
        ("tabs and newlines", "\t\n \r\n".to_owned(), "required"),
        ("201 letters", "k".repeat(201), "too_long"),
        ("201 letters with umlauts", "ä".repeat(201), "too_long"),
    ] {
        cases.push(course.invalid(what, course.with("title", json!(title)), "title", code));
        cases.push(update.invalid(what, json!({"title": title}), "title", code));
    }

    // Act
    let wrong = fx.refusals(cases).await;

    // Assert
    assert_none_wrong(&wrong);
}

#[tokio::test]
async fn a_course_title_of_exactly_200_characters_is_accepted() {
    // Arrange: the limit counts characters, not bytes: 200 umlauts are 400 bytes.
    let fx = Fixture::new().await;
    let title = "ä".repeat(200);
    let courses = fx.app.count("courses").await;

    // Act
    let created = fx
        .app
        .post(
            &fx.a.admin,
            "/api/v1/courses",
            fx.create_course().with("title", json!(title)),
        )
        .await;
    let updated = fx
        .app
        .patch(
            &fx.a.admin,
            &format!("/api/v1/courses/{}", fx.course),
            json!({"title": title}),
        )
        .await;

    // Assert
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(updated.status(), StatusCode::OK);
    let body: Value = updated.json().await.expect("json");
    assert_eq!(body["title"], title.as_str());
    assert_eq!(fx.app.count("courses").await, courses + 1);
}

#[tokio::test]
async fn an_unknown_enum_value_is_refused_on_its_field_and_nothing_is_written() {
    // Arrange
    let fx = Fixture::new().await;
    let (course, staff) = (fx.create_course(), fx.create_staff());
    let cases = vec![
        course.invalid(
            "German",
            course.with("language", json!("de")),
            "language",
            "invalid",
        ),
        // R-LANG: English is a UI language only; courses are run in Finnish or Swedish.
        course.invalid(
            "English",
            course.with("language", json!("en")),
            "language",
            "invalid",
        ),
        course.invalid(
            "upper case",
            course.with("language", json!("FI")),
            "language",
            "invalid",
        ),
        course.invalid(
            "elderly",
            course.with("target_group", json!("elderly")),
            "target_group",
            "invalid",
        ),
        course.invalid(
            "empty",
            course.with("target_group", json!("")),
            "target_group",
            "invalid",
        ),
        staff.invalid(
            "superuser",
            staff.with("role", json!("superuser")),
            "role",
            "invalid",
        ),
        staff.invalid(
            "wizard",
            staff.with("profession", json!("wizard")),
            "profession",
            "invalid",
        ),
        staff.invalid(
            "a label, not a code",
            staff.with("profession", json!("Registered nurse")),
            "profession",
            "invalid",
        ),
        staff.invalid(
            "German",
            staff.with("language", json!("de")),
            "language",
            "invalid",
        ),
    ];

    // Act
    let wrong = fx.refusals(cases).await;

    // Assert
    assert_none_wrong(&wrong);
}

#[tokio::test]
async fn staff_cannot_be_created_with_a_participant_or_platform_role() {
    // Arrange
    let fx = Fixture::new().await;
    let staff = fx.create_staff();
    let cases = vec![
        staff.invalid(
            "participant",
            staff.with("role", json!("participant")),
            "role",
            "invalid",
        ),
        staff.invalid(
            "platform admin",
            staff.with("role", json!("platform_admin")),
            "role",
            "invalid",
        ),
    ];

    // Act
    let wrong = fx.refusals(cases).await;

    // Assert
    assert_none_wrong(&wrong);
}

#[tokio::test]
async fn a_decision_date_in_the_future_is_refused() {
    // Arrange
    let fx = Fixture::new().await;
    let enrol = fx.enrol();
    let cases = vec![
        enrol.invalid(
            "tomorrow",
            enrol.with("decision_date", json!(fx.app.today() + Duration::days(1))),
            "decision_date",
            "invalid",
        ),
        enrol.invalid(
            "next year",
            enrol.with("decision_date", json!(fx.app.today() + Duration::days(365))),
            "decision_date",
            "invalid",
        ),
    ];

    // Act
    let wrong = fx.refusals(cases).await;

    // Assert
    assert_none_wrong(&wrong);
}

#[tokio::test]
async fn an_email_address_that_is_not_one_is_refused() {
    // Arrange
    let fx = Fixture::new().await;
    let (staff, login) = (fx.create_staff(), fx.login());
    let mut cases = Vec::new();
    for email in [
        "aino.example.fi",
        "aino",
        "aino@",
        "@alfa.example",
        "ai no@alfa.example",
        "",
        "   ",
    ] {
        let what = format!("email {email:?}");
        cases.push(staff.invalid(&what, staff.with("email", json!(email)), "email", "invalid"));
        cases.push(login.invalid(&what, login.with("email", json!(email)), "email", "invalid"));
    }

    // Act
    let wrong = fx.refusals(cases).await;

    // Assert
    assert_none_wrong(&wrong);
}

#[tokio::test]
async fn a_choice_field_of_the_wrong_type_is_named() {
    // Arrange: language, target group, role and profession are choices from a list; a JSON value
    // of another type is valid JSON, so it must be named as a wrong field, not as malformed JSON.
    let fx = Fixture::new().await;
    let (course, staff) = (fx.create_course(), fx.create_staff());
    let cases = vec![
        course.invalid(
            "language a list",
            course.with("language", json!(["fi"])),
            "language",
            "wrong_type",
        ),
        course.invalid(
            "target group a number",
            course.with("target_group", json!(1)),
            "target_group",
            "wrong_type",
        ),
        staff.invalid(
            "role a list",
            staff.with("role", json!(["guide"])),
            "role",
            "wrong_type",
        ),
        staff.invalid(
            "profession a boolean",
            staff.with("profession", json!(true)),
            "profession",
            "wrong_type",
        ),
    ];

    // Act
    let wrong = fx.refusals(cases).await;

    // Assert
    assert_none_wrong(&wrong);
}

#[tokio::test]
async fn a_json_array_in_place_of_an_object_is_refused_and_nothing_is_written() {
    // Arrange: the body of every endpoint is an object with named fields; fields by position
    // (["admin@…", "password"]) are not part of the API.
    let fx = Fixture::new().await;
    let mut cases = Vec::new();
    for ep in fx.endpoints() {
        let positional: Vec<Value> = ep
            .valid
            .as_object()
            .map(|m| m.values().cloned().collect())
            .unwrap_or_default();
        cases.push(ep.raw(
            "the fields by position",
            Some("application/json"),
            Value::Array(positional).to_string().into_bytes(),
            StatusCode::BAD_REQUEST,
            "validation_failed",
        ));
        cases.push(ep.raw(
            "an empty list",
            Some("application/json"),
            b"[]".to_vec(),
            StatusCode::BAD_REQUEST,
            "validation_failed",
        ));
    }

    // Act
    let wrong = fx.refusals(cases).await;

    // Assert
    assert_none_wrong(&wrong);
}

#[tokio::test]
async fn a_valid_body_followed_by_trailing_garbage_is_refused_as_malformed_json() {
    // Arrange
    let fx = Fixture::new().await;
    let mut cases = Vec::new();
    for ep in fx.endpoints() {
        for (what, tail) in [
            ("a second document", " {}"),
            ("garbage", " garbage"),
            ("a stray brace", "}"),
        ] {
            let body = format!("{}{tail}", ep.valid).into_bytes();
            cases.push(ep.raw(
                what,
                Some("application/json"),
                body,
                StatusCode::BAD_REQUEST,
                "malformed_json",
            ));
        }
    }

    // Act
    let wrong = fx.refusals(cases).await;

    // Assert
    assert_none_wrong(&wrong);
}
