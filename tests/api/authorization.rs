//! The authorization matrix (SECURITY.md S10–S12): every endpoint that takes an object id or is
//! kept to a role, called by every kind of caller. A foreign id answers 404 (never 403 or 200),
//! a wrong role answers 403 `wrong_role`, nobody answers 401, and a refused write writes nothing.

use chrono::Duration;
use etapolku_server::accounts::model::Role;
use etapolku_server::team::profession::Profession;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Provider, Session, TestApp};

/// One call of the matrix: method, path under the server, and an optional JSON body.
type Call = (Method, String, Option<Value>);

/// A call built around one id, so the same call can be made with a foreign and an unknown id.
type CallWith<'a> = Box<dyn Fn(&str) -> Call + 'a>;

/// Every table a refused request could have written to.
const TABLES: [&str; 11] = [
    "providers",
    "sites",
    "users",
    "courses",
    "course_transitions",
    "team_members",
    "enrolments",
    "one_time_tokens",
    "refresh_tokens",
    "audit_log",
    "accessibility_feedback",
];

/// Two providers, each with a course, a full team and participants, plus the odd ones out.
struct World {
    app: TestApp,
    a: Provider,
    b: Provider,
    course_a: String,
    course_b: String,
    /// The registered nurse on A's course team.
    guide_a: Session,
    /// A guide of A who is on no course team.
    outsider_a: Session,
    /// A participant of A, enrolled on A's course, who can sign in with a password.
    participant_a: Session,
    /// Participants enrolled on A's course.
    enrolled_a: Vec<String>,
    /// A participant of A who is on no course yet.
    unenrolled_a: String,
    /// The registered nurse on B's course team.
    guide_b: Session,
    /// Participants enrolled on B's course.
    enrolled_b: Vec<String>,
    /// A participant of B who is on no course yet.
    unenrolled_b: String,
    platform_admin: Session,
    /// A piece of accessibility feedback, for the platform admin's endpoints.
    feedback_id: String,
}

impl World {
    async fn build() -> World {
        let app = TestApp::new().await;
        let a = app.provider("Alfa").await;
        let b = app.provider("Beta").await;
        let course_a = app.course(&a, app.monday_in(4)).await;
        let course_b = app.course(&b, app.monday_in(4)).await;
        let guide_a = app.full_team(&a, &course_a).await;
        let guide_b = app.full_team(&b, &course_b).await;
        let enrolled_a = app.enrol_many(&a, &course_a, 3, "a").await;
        let enrolled_b = app.enrol_many(&b, &course_b, 3, "b").await;
        let unenrolled_a = app.participant(&a, "waiting@alfa.example").await;
        let unenrolled_b = app.participant(&b, "waiting@beta.example").await;
        let outsider_a = app
            .staff(&a, "outsider@alfa.example", Profession::Physiotherapist)
            .await;

        app.user(
            Some(a.id),
            "aino@alfa.example",
            Role::Participant,
            None,
            true,
        )
        .await;
        let participant_a = app.login("aino@alfa.example").await;
        let decision = app.today() - Duration::days(30);
        let res = app
            .post(
                &a.admin,
                &format!("/api/v1/courses/{course_a}/participants"),
                json!({"participant_id": participant_a.id, "decision_date": decision}),
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::CREATED,
            "enrolling the participant who signs in"
        );

        app.user(
            None,
            "root@etapolku.example",
            Role::PlatformAdmin,
            None,
            true,
        )
        .await;
        let platform_admin = app.login("root@etapolku.example").await;

        let res = send(
            &app,
            None,
            &(
                Method::POST,
                "/api/v1/feedback/accessibility".into(),
                Some(json!({"message": "Fonts are small"})),
            ),
        )
        .await;
        assert_eq!(res.status(), StatusCode::CREATED, "sending feedback");
        let feedback: Value = res.json().await.expect("json");
        let feedback_id = feedback["id"].as_str().expect("id").to_owned();

        World {
            app,
            a,
            b,
            course_a,
            course_b,
            guide_a,
            outsider_a,
            participant_a,
            enrolled_a,
            unenrolled_a,
            guide_b,
            enrolled_b,
            unenrolled_b,
            platform_admin,
            feedback_id,
        }
    }

    /// Reads staff may make of one course and one participant.
    fn staff_reads(&self, course: &str, participant: &str) -> Vec<Call> {
        vec![
            get(format!("/api/v1/courses/{course}")),
            get(format!("/api/v1/courses/{course}/history")),
            get(format!("/api/v1/courses/{course}/team")),
            get(format!("/api/v1/courses/{course}/participants")),
            get(format!("/api/v1/participants/{participant}")),
            post(
                format!("/api/v1/participants/{participant}/send-link"),
                None,
            ),
        ]
    }

    /// Changes only a provider admin may make to one course. Each body would succeed if the
    /// caller were allowed, so a wrong 2xx is a real write the counts catch.
    fn admin_writes(
        &self,
        course: &str,
        enrolled: &str,
        unenrolled: &str,
        team_member: &str,
        personal_guide: &str,
        newcomer_staff: &str,
    ) -> Vec<Call> {
        let decision = self.app.today() - Duration::days(30);
        vec![
            patch(
                format!("/api/v1/courses/{course}"),
                json!({"title": "Kaapattu"}),
            ),
            post(
                format!("/api/v1/courses/{course}/transitions"),
                Some(json!({"to": "cancelled", "reason": "kaapattu"})),
            ),
            post(
                format!("/api/v1/courses/{course}/team"),
                Some(json!({"staff_id": newcomer_staff, "service_manager": false})),
            ),
            delete(format!("/api/v1/courses/{course}/team/{team_member}")),
            post(
                format!("/api/v1/courses/{course}/participants"),
                Some(json!({"participant_id": unenrolled, "decision_date": decision})),
            ),
            delete(format!("/api/v1/courses/{course}/participants/{enrolled}")),
            put(
                format!("/api/v1/courses/{course}/participants/{enrolled}/personal-guide"),
                json!({"staff_id": personal_guide}),
            ),
        ]
    }

    /// Endpoints only a provider admin may call, with no object id of their own.
    fn admin_only(&self, subject: &str) -> Vec<Call> {
        vec![
            post(
                "/api/v1/courses".into(),
                Some(
                    json!({"title": "Uusi", "language": "fi", "target_group": "adult", "site_id": self.a.site_id, "onsite1_start": self.app.monday_in(8)}),
                ),
            ),
            get("/api/v1/staff".into()),
            post(
                "/api/v1/staff".into(),
                Some(
                    json!({"email": "new.guide@alfa.example", "display_name": "Uusi", "role": "guide", "profession": "physiotherapist"}),
                ),
            ),
            get("/api/v1/participants".into()),
            post(
                "/api/v1/participants".into(),
                Some(json!({"email": "new.participant@alfa.example", "display_name": "Uusi"})),
            ),
            get("/api/v1/sites".into()),
            post(
                "/api/v1/sites".into(),
                Some(json!({"name": "Toinen", "municipality": "Oulu"})),
            ),
            get(format!("/api/v1/audit?subject_id={subject}")),
        ]
    }

    /// Everything of provider A's a staff member or provider admin could be refused.
    fn provider_a_endpoints(&self) -> Vec<Call> {
        let mut calls = vec![get("/api/v1/courses".into())];
        calls.extend(self.staff_reads(&self.course_a, &self.enrolled_a[0]));
        calls.extend(self.admin_writes(
            &self.course_a,
            &self.enrolled_a[1],
            &self.unenrolled_a,
            &self.outsider_a.id,
            &self.guide_a.id,
            &self.outsider_a.id,
        ));
        calls.extend(self.admin_only(&self.enrolled_a[0]));
        calls
    }

    /// The platform operator's endpoints.
    fn platform_endpoints(&self) -> Vec<Call> {
        vec![
            get("/api/v1/providers".into()),
            post("/api/v1/providers".into(), Some(json!({"name": "Gamma"}))),
            get("/api/v1/feedback/accessibility".into()),
            post(
                format!(
                    "/api/v1/feedback/accessibility/{}/replied",
                    self.feedback_id
                ),
                None,
            ),
        ]
    }

    /// Everything that is about the signed-in user themself.
    fn own_endpoints(&self) -> Vec<Call> {
        vec![
            get("/api/v1/me".into()),
            patch("/api/v1/me".into(), json!({"display_name": "Kaapattu"})),
            put(
                "/api/v1/me/password".into(),
                json!({"new_password": "uusi salasana ja pitkä"}),
            ),
            get("/api/v1/me/access-log".into()),
            get("/api/v1/me/course".into()),
        ]
    }

    /// Every row count, so a refused request can be shown to have written nothing.
    async fn counts(&self) -> Vec<(&'static str, i64)> {
        let mut out = Vec::new();
        for table in TABLES {
            out.push((table, self.app.count(table).await));
        }
        out
    }

    fn mail_count(&self) -> usize {
        self.app.mailed_links().len()
    }
}

fn get(path: String) -> Call {
    (Method::GET, path, None)
}

fn post(path: String, body: Option<Value>) -> Call {
    (Method::POST, path, body)
}

fn patch(path: String, body: Value) -> Call {
    (Method::PATCH, path, Some(body))
}

fn put(path: String, body: Value) -> Call {
    (Method::PUT, path, Some(body))
}

fn delete(path: String) -> Call {
    (Method::DELETE, path, None)
}

/// Sends one call, signed in as `who` or anonymously.
async fn send(app: &TestApp, who: Option<&Session>, (method, path, body): &Call) -> Response {
    let client = who
        .map(|s| s.client.clone())
        .unwrap_or_else(crate::helpers::client);
    let mut req = client.request(method.clone(), app.url(path));
    if let Some(s) = who {
        req = req.bearer_auth(&s.token);
    }
    if let Some(body) = body {
        req = req.json(body);
    }
    req.send().await.expect("request")
}

/// Why a response is not the expected problem, or `None` when it is.
async fn problem_mismatch(res: Response, status: StatusCode, code: &str) -> Option<String> {
    let got = res.status();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    if got != status
        || ct != "application/problem+json"
        || body["code"] != code
        || body["status"] != status.as_u16()
    {
        Some(format!(
            "expected {status} {code} problem+json, got {got} {ct} {body}"
        ))
    } else {
        None
    }
}

/// Calls each endpoint as `who` and collects every answer that is not the expected problem,
/// so one run names all the holes at once.
async fn expect_problem_on_all(
    app: &TestApp,
    who: Option<&Session>,
    calls: &[Call],
    status: StatusCode,
    code: &str,
) -> Vec<String> {
    let mut wrong = Vec::new();
    for call in calls {
        let res = send(app, who, call).await;
        if let Some(why) = problem_mismatch(res, status, code).await {
            wrong.push(format!("{} {}: {why}", call.0, call.1));
        }
    }
    wrong
}

/// Calls each endpoint as `who` and collects every answer that is not a success.
async fn expect_success_on_all(app: &TestApp, who: &Session, calls: &[Call]) -> Vec<String> {
    let mut wrong = Vec::new();
    for call in calls {
        let res = send(app, Some(who), call).await;
        let status = res.status();
        if !status.is_success() {
            let body = res.text().await.unwrap_or_default();
            wrong.push(format!(
                "{} {}: expected success, got {status} {body}",
                call.0, call.1
            ));
        }
    }
    wrong
}

fn assert_none_wrong(wrong: &[String]) {
    assert!(
        wrong.is_empty(),
        "{} endpoint(s) answered wrongly:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

async fn json_of(res: Response) -> Value {
    assert!(res.status().is_success(), "status {}", res.status());
    res.json().await.expect("json")
}

#[tokio::test]
async fn an_anonymous_caller_is_asked_to_sign_in_on_every_endpoint_and_writes_nothing() {
    // Arrange
    let w = World::build().await;
    let mut calls = w.provider_a_endpoints();
    calls.extend(w.platform_endpoints());
    calls.extend(w.own_endpoints());
    let before = w.counts().await;
    let mails = w.mail_count();

    // Act
    let wrong = expect_problem_on_all(
        &w.app,
        None,
        &calls,
        StatusCode::UNAUTHORIZED,
        "authentication_required",
    )
    .await;

    // Assert
    assert_none_wrong(&wrong);
    assert_eq!(
        w.counts().await,
        before,
        "an anonymous request wrote to the database"
    );
    assert_eq!(w.mail_count(), mails, "an anonymous request sent mail");
}

#[tokio::test]
async fn a_participant_is_refused_every_staff_endpoint_and_writes_nothing() {
    // Arrange
    let w = World::build().await;
    let mut calls = w.provider_a_endpoints();
    calls.extend(w.staff_reads(&w.course_b, &w.enrolled_b[0]));
    calls.extend(w.platform_endpoints());
    let before = w.counts().await;
    let mails = w.mail_count();

    // Act
    let wrong = expect_problem_on_all(
        &w.app,
        Some(&w.participant_a),
        &calls,
        StatusCode::FORBIDDEN,
        "wrong_role",
    )
    .await;

    // Assert
    assert_none_wrong(&wrong);
    assert_eq!(
        w.counts().await,
        before,
        "a participant's refused request wrote to the database"
    );
    assert_eq!(
        w.mail_count(),
        mails,
        "a participant's refused request sent mail"
    );
}

#[tokio::test]
async fn a_participant_reads_their_own_course() {
    // Arrange
    let w = World::build().await;

    // Act
    let res = w.app.get(&w.participant_a, "/api/v1/me/course").await;

    // Assert
    let body = json_of(res).await;
    assert_eq!(body["course"]["id"], w.course_a.as_str());
}

#[tokio::test]
async fn a_guide_on_the_team_reads_their_own_course_and_its_participants() {
    // Arrange
    let w = World::build().await;
    let calls = w.staff_reads(&w.course_a, &w.enrolled_a[0]);

    // Act
    let wrong = expect_success_on_all(&w.app, &w.guide_a, &calls).await;
    let courses = json_of(w.app.get(&w.guide_a, "/api/v1/courses").await).await;

    // Assert
    assert_none_wrong(&wrong);
    let ids: Vec<&str> = courses
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(ids, vec![w.course_a.as_str()]);
}

#[tokio::test]
async fn a_guide_cannot_read_a_course_or_participant_of_another_provider() {
    // Arrange
    let w = World::build().await;
    let mut calls = w.staff_reads(&w.course_b, &w.enrolled_b[0]);
    calls.push(get(format!("/api/v1/participants/{}", w.unenrolled_b)));
    calls.push(post(
        format!("/api/v1/participants/{}/send-link", w.unenrolled_b),
        None,
    ));
    let before = w.counts().await;
    let mails = w.mail_count();

    // Act
    let wrong = expect_problem_on_all(
        &w.app,
        Some(&w.guide_a),
        &calls,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Assert
    assert_none_wrong(&wrong);
    assert_eq!(
        w.counts().await,
        before,
        "a refused read was audited or wrote something"
    );
    assert_eq!(w.mail_count(), mails, "a refused send-link sent mail");
}

#[tokio::test]
async fn a_guide_cannot_read_a_participant_of_their_provider_who_is_not_on_their_course() {
    // Arrange
    let w = World::build().await;
    let calls = vec![
        get(format!("/api/v1/participants/{}", w.unenrolled_a)),
        post(
            format!("/api/v1/participants/{}/send-link", w.unenrolled_a),
            None,
        ),
    ];
    let before = w.counts().await;
    let mails = w.mail_count();

    // Act
    let wrong = expect_problem_on_all(
        &w.app,
        Some(&w.guide_a),
        &calls,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Assert
    assert_none_wrong(&wrong);
    assert_eq!(w.counts().await, before);
    assert_eq!(w.mail_count(), mails);
}

#[tokio::test]
async fn a_guide_is_refused_the_endpoints_only_a_provider_admin_may_call() {
    // Arrange
    let w = World::build().await;
    let mut calls = w.admin_writes(
        &w.course_a,
        &w.enrolled_a[1],
        &w.unenrolled_a,
        &w.outsider_a.id,
        &w.guide_a.id,
        &w.outsider_a.id,
    );
    calls.extend(w.admin_only(&w.enrolled_a[0]));
    calls.extend(w.platform_endpoints());
    let before = w.counts().await;
    let mails = w.mail_count();

    // Act
    let wrong = expect_problem_on_all(
        &w.app,
        Some(&w.guide_a),
        &calls,
        StatusCode::FORBIDDEN,
        "wrong_role",
    )
    .await;

    // Assert
    assert_none_wrong(&wrong);
    assert_eq!(
        w.counts().await,
        before,
        "a guide's refused request wrote to the database"
    );
    assert_eq!(w.mail_count(), mails, "a guide's refused request sent mail");
}

#[tokio::test]
async fn a_guide_off_the_team_cannot_see_their_own_providers_course() {
    // Arrange
    let w = World::build().await;
    let calls = w.staff_reads(&w.course_a, &w.enrolled_a[0]);
    let before = w.counts().await;
    let mails = w.mail_count();

    // Act
    let wrong = expect_problem_on_all(
        &w.app,
        Some(&w.outsider_a),
        &calls,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let courses = json_of(w.app.get(&w.outsider_a, "/api/v1/courses").await).await;

    // Assert
    assert_none_wrong(&wrong);
    assert_eq!(
        courses,
        json!([]),
        "a guide off every team lists no courses"
    );
    assert_eq!(w.counts().await, before);
    assert_eq!(w.mail_count(), mails);
}

#[tokio::test]
async fn a_provider_admin_reads_and_changes_their_own_providers_course() {
    // Arrange
    let w = World::build().await;
    let mut calls = w.staff_reads(&w.course_a, &w.enrolled_a[0]);
    calls.push(get(format!("/api/v1/participants/{}", w.unenrolled_a)));
    calls.push(get(format!("/api/v1/audit?subject_id={}", w.enrolled_a[0])));
    calls.push(patch(
        format!("/api/v1/courses/{}", w.course_a),
        json!({"title": "Alfan kurssi"}),
    ));
    calls.push(put(
        format!(
            "/api/v1/courses/{}/participants/{}/personal-guide",
            w.course_a, w.enrolled_a[0]
        ),
        json!({"staff_id": w.guide_a.id}),
    ));

    // Act
    let wrong = expect_success_on_all(&w.app, &w.a.admin, &calls).await;

    // Assert
    assert_none_wrong(&wrong);
    let course = json_of(
        w.app
            .get(&w.a.admin, &format!("/api/v1/courses/{}", w.course_a))
            .await,
    )
    .await;
    assert_eq!(course["title"], "Alfan kurssi");
}

#[tokio::test]
async fn a_provider_admin_cannot_read_or_change_anything_of_another_provider() {
    // Arrange
    let w = World::build().await;
    let mut calls = w.staff_reads(&w.course_b, &w.enrolled_b[0]);
    calls.push(get(format!("/api/v1/participants/{}", w.unenrolled_b)));
    calls.push(post(
        format!("/api/v1/participants/{}/send-link", w.unenrolled_b),
        None,
    ));
    calls.push(get(format!("/api/v1/audit?subject_id={}", w.enrolled_b[0])));
    calls.push(get(format!("/api/v1/audit?subject_id={}", w.guide_b.id)));
    // B's course, changed with bodies that would succeed for B's own admin.
    calls.extend(w.admin_writes(
        &w.course_b,
        &w.enrolled_b[1],
        &w.unenrolled_b,
        &w.guide_b.id,
        &w.guide_b.id,
        &w.guide_b.id,
    ));
    // B's course, changed with A's own people in the body.
    calls.extend(w.admin_writes(
        &w.course_b,
        &w.enrolled_b[1],
        &w.unenrolled_a,
        &w.guide_b.id,
        &w.guide_b.id,
        &w.outsider_a.id,
    ));
    // A's own course with B's people in the path.
    calls.push(delete(format!(
        "/api/v1/courses/{}/team/{}",
        w.course_a, w.guide_b.id
    )));
    calls.push(delete(format!(
        "/api/v1/courses/{}/participants/{}",
        w.course_a, w.enrolled_b[0]
    )));
    calls.push(put(
        format!(
            "/api/v1/courses/{}/participants/{}/personal-guide",
            w.course_a, w.enrolled_b[0]
        ),
        json!({"staff_id": w.guide_a.id}),
    ));
    let course_b_before = json_of(
        w.app
            .get(&w.b.admin, &format!("/api/v1/courses/{}", w.course_b))
            .await,
    )
    .await;
    let team_b_before = json_of(
        w.app
            .get(&w.b.admin, &format!("/api/v1/courses/{}/team", w.course_b))
            .await,
    )
    .await;
    let before = w.counts().await;
    let mails = w.mail_count();

    // Act
    let wrong = expect_problem_on_all(
        &w.app,
        Some(&w.a.admin),
        &calls,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Assert
    assert_none_wrong(&wrong);
    assert_eq!(
        w.counts().await,
        before,
        "a refused request wrote to the database"
    );
    assert_eq!(w.mail_count(), mails, "a refused request sent mail");
    let course_b_after = json_of(
        w.app
            .get(&w.b.admin, &format!("/api/v1/courses/{}", w.course_b))
            .await,
    )
    .await;
    let team_b_after = json_of(
        w.app
            .get(&w.b.admin, &format!("/api/v1/courses/{}/team", w.course_b))
            .await,
    )
    .await;
    assert_eq!(course_b_after, course_b_before, "B's course changed");
    assert_eq!(team_b_after, team_b_before, "B's team changed");
}

#[tokio::test]
async fn a_provider_admin_cannot_pull_another_providers_people_or_site_into_their_course() {
    // Arrange: each foreign id in a body must answer exactly as an id that does not exist,
    // so a provider admin cannot even learn that it exists elsewhere.
    let w = World::build().await;
    let decision = w.app.today() - Duration::days(30);
    let nobody = Uuid::new_v4().to_string();
    let cases: Vec<(&str, CallWith)> = vec![
        (
            w.unenrolled_b.as_str(),
            Box::new(|id: &str| {
                post(
                    format!("/api/v1/courses/{}/participants", w.course_a),
                    Some(json!({"participant_id": id, "decision_date": decision})),
                )
            }),
        ),
        (
            w.guide_b.id.as_str(),
            Box::new(|id: &str| {
                post(
                    format!("/api/v1/courses/{}/team", w.course_a),
                    Some(json!({"staff_id": id, "service_manager": false})),
                )
            }),
        ),
        (
            w.guide_b.id.as_str(),
            Box::new(|id: &str| {
                put(
                    format!(
                        "/api/v1/courses/{}/participants/{}/personal-guide",
                        w.course_a, w.enrolled_a[0]
                    ),
                    json!({"staff_id": id}),
                )
            }),
        ),
        (
            w.guide_b.id.as_str(),
            Box::new(|id: &str| {
                post(
                    format!("/api/v1/courses/{}/participants", w.course_a),
                    Some(
                        json!({"participant_id": w.unenrolled_a, "decision_date": decision, "personal_guide_id": id}),
                    ),
                )
            }),
        ),
        (
            w.b.site_id.as_str(),
            Box::new(|id: &str| {
                patch(
                    format!("/api/v1/courses/{}", w.course_a),
                    json!({"site_id": id}),
                )
            }),
        ),
        (
            w.b.site_id.as_str(),
            Box::new(|id: &str| {
                post(
                    "/api/v1/courses".into(),
                    Some(
                        json!({"title": "Uusi", "language": "fi", "target_group": "adult", "site_id": id, "onsite1_start": w.app.monday_in(8)}),
                    ),
                )
            }),
        ),
    ];
    let course_a_before = json_of(
        w.app
            .get(&w.a.admin, &format!("/api/v1/courses/{}", w.course_a))
            .await,
    )
    .await;
    let before = w.counts().await;

    // Act
    let mut wrong = Vec::new();
    for (foreign, call) in &cases {
        let with_foreign = call(foreign);
        let res = send(&w.app, Some(&w.a.admin), &with_foreign).await;
        let (status, body) = (
            res.status(),
            res.json::<Value>().await.unwrap_or(Value::Null),
        );
        let res = send(&w.app, Some(&w.a.admin), &call(&nobody)).await;
        let (unknown_status, unknown_body) = (
            res.status(),
            res.json::<Value>().await.unwrap_or(Value::Null),
        );
        if status.is_success() || status != unknown_status || body != unknown_body {
            wrong.push(format!(
                "{} {}: a foreign id answered {status} {body}, an unknown id {unknown_status} {unknown_body}",
                with_foreign.0, with_foreign.1
            ));
        }
    }

    // Assert
    assert_none_wrong(&wrong);
    assert_eq!(
        w.counts().await,
        before,
        "a refused request wrote to the database"
    );
    let course_a_after = json_of(
        w.app
            .get(&w.a.admin, &format!("/api/v1/courses/{}", w.course_a))
            .await,
    )
    .await;
    assert_eq!(course_a_after, course_a_before);
}

#[tokio::test]
async fn a_provider_admins_lists_show_only_their_own_organisation() {
    // Arrange
    let w = World::build().await;
    let mut foreign: Vec<&str> = vec![
        w.course_b.as_str(),
        w.unenrolled_b.as_str(),
        w.guide_b.id.as_str(),
        w.b.site_id.as_str(),
        w.b.admin.id.as_str(),
    ];
    foreign.extend(w.enrolled_b.iter().map(String::as_str));
    let lists = [
        "/api/v1/courses",
        "/api/v1/staff",
        "/api/v1/participants",
        "/api/v1/sites",
    ];

    // Act
    let mut wrong = Vec::new();
    for path in lists {
        let res = w.app.get(&w.a.admin, path).await;
        let status = res.status();
        let text = res.text().await.unwrap_or_default();
        if status != StatusCode::OK {
            wrong.push(format!("GET {path}: {status} {text}"));
        }
        for id in &foreign {
            if text.contains(id) {
                wrong.push(format!("GET {path}: shows provider B's {id}"));
            }
        }
    }

    // Assert
    assert_none_wrong(&wrong);
}

#[tokio::test]
async fn a_platform_admin_is_refused_provider_endpoints_but_lists_providers() {
    // Arrange
    let w = World::build().await;
    let mut calls = w.provider_a_endpoints();
    calls.extend(w.staff_reads(&w.course_b, &w.enrolled_b[0]));
    calls.push(get("/api/v1/me/course".into()));
    let before = w.counts().await;
    let mails = w.mail_count();

    // Act
    let wrong = expect_problem_on_all(
        &w.app,
        Some(&w.platform_admin),
        &calls,
        StatusCode::FORBIDDEN,
        "wrong_role",
    )
    .await;
    let providers = json_of(w.app.get(&w.platform_admin, "/api/v1/providers").await).await;

    // Assert
    assert_none_wrong(&wrong);
    assert_eq!(
        w.counts().await,
        before,
        "a platform admin's refused request wrote to the database"
    );
    assert_eq!(w.mail_count(), mails);
    let names: Vec<&str> = providers
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(
        names.contains(&"Alfa") && names.contains(&"Beta"),
        "{providers}"
    );
}

#[tokio::test]
async fn a_provider_admin_and_a_guide_are_refused_the_platform_endpoints() {
    // Arrange
    let w = World::build().await;
    let calls = w.platform_endpoints();
    let before = w.counts().await;

    // Act
    let mut wrong = expect_problem_on_all(
        &w.app,
        Some(&w.a.admin),
        &calls,
        StatusCode::FORBIDDEN,
        "wrong_role",
    )
    .await;
    wrong.extend(
        expect_problem_on_all(
            &w.app,
            Some(&w.guide_a),
            &calls,
            StatusCode::FORBIDDEN,
            "wrong_role",
        )
        .await,
    );

    // Assert
    assert_none_wrong(&wrong);
    assert_eq!(w.counts().await, before);
}

#[tokio::test]
async fn a_malformed_id_in_the_path_answers_not_found() {
    // Arrange
    let w = World::build().await;
    let bad = "not-a-uuid";
    let calls = vec![
        get(format!("/api/v1/courses/{bad}")),
        get(format!("/api/v1/courses/{bad}/history")),
        get(format!("/api/v1/courses/{bad}/team")),
        get(format!("/api/v1/courses/{bad}/participants")),
        patch(format!("/api/v1/courses/{bad}"), json!({"title": "x"})),
        post(
            format!("/api/v1/courses/{bad}/transitions"),
            Some(json!({"to": "cancelled", "reason": "x"})),
        ),
        delete(format!("/api/v1/courses/{}/team/{bad}", w.course_a)),
        delete(format!("/api/v1/courses/{}/participants/{bad}", w.course_a)),
        get(format!("/api/v1/participants/{bad}")),
        post(format!("/api/v1/participants/{bad}/send-link"), None),
        get("/api/v1/courses/12345".into()),
        get("/api/v1/courses/%27%20OR%201=1--".into()),
        get("/api/v1/no-such-endpoint".into()),
    ];
    let before = w.counts().await;

    // Act
    let wrong = expect_problem_on_all(
        &w.app,
        Some(&w.a.admin),
        &calls,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Assert
    assert_none_wrong(&wrong);
    assert_eq!(w.counts().await, before);
}

#[tokio::test]
async fn a_malformed_audit_subject_is_refused_without_revealing_anything() {
    // Arrange
    let w = World::build().await;

    // Act
    let res = w
        .app
        .get(&w.a.admin, "/api/v1/audit?subject_id=not-a-uuid")
        .await;

    // Assert
    crate::helpers::assert_problem(res, StatusCode::BAD_REQUEST, "invalid_query").await;
}

#[tokio::test]
async fn a_caller_in_the_wrong_role_is_refused_before_their_body_is_looked_at() {
    // Arrange: deny by default (S10): someone who may not call an endpoint learns nothing from it,
    // not even which of their fields it would have refused.
    let w = World::build().await;
    let bodies: [(&str, &str, &[u8]); 3] = [
        ("malformed JSON", "application/json", b"{\"title\": "),
        (
            "an unknown field",
            "application/json",
            b"{\"provider_id\": 2}",
        ),
        ("not JSON", "text/plain", b"title=Kurssi"),
    ];
    let paths = [
        (Method::POST, "/api/v1/courses".to_owned()),
        (Method::PATCH, format!("/api/v1/courses/{}", w.course_a)),
        (
            Method::POST,
            format!("/api/v1/courses/{}/participants", w.course_a),
        ),
        (Method::POST, "/api/v1/staff".to_owned()),
        (Method::POST, "/api/v1/providers".to_owned()),
    ];
    let before = w.counts().await;

    // Act
    let mut wrong = Vec::new();
    for who in [&w.participant_a, &w.guide_a] {
        for (method, path) in &paths {
            for (what, ct, body) in bodies {
                let res = who
                    .client
                    .request(method.clone(), w.app.url(path))
                    .bearer_auth(&who.token)
                    .header("content-type", ct)
                    .body(body.to_vec())
                    .send()
                    .await
                    .expect("request");
                if let Some(why) = problem_mismatch(res, StatusCode::FORBIDDEN, "wrong_role").await
                {
                    wrong.push(format!("{} {method} {path} with {what}: {why}", who.email));
                }
            }
        }
    }

    // Assert
    assert_none_wrong(&wrong);
    assert_eq!(w.counts().await, before);
}
