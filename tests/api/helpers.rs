//! Arrange helpers: seeding providers, staff, participants and courses, signing in, reading mail.

#![allow(dead_code)]

use chrono::{Datelike, Duration, NaiveDate, Utc};
use etapolku_server::accounts::model::{AccountStatus, DisplayName, Email, Language, Role};
use etapolku_server::accounts::service::{NewUser, create_user};
use etapolku_server::auth::password::{NewPassword, hash};
use etapolku_server::providers::service as providers;
use etapolku_server::team::profession::Profession;
use etapolku_tests::spawn::{TestServer, spawn_app, spawn_app_at, spawn_app_with};
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{Value, json};

pub const PASSWORD: &str = "kahvia ja pullaa 42";

pub struct TestApp {
    pub server: TestServer,
}

/// A signed-in user with their own cookie jar (the refresh cookie lives there).
pub struct Session {
    pub client: Client,
    pub token: String,
    pub id: String,
    pub email: String,
}

/// A course in remote week 2 (started Monday 16.2.2026; the test clock is Monday 2.3.) using the
/// demo program (12 modules with texts, exercises, suggested tasks, audio and video), released weekly,
/// with a full team and one participant signed in.
pub struct DemoCourse {
    pub provider: Provider,
    /// The course's id.
    pub course: String,
    /// The registered nurse on the team (the team's service manager).
    pub guide: Session,
    pub participant: Session,
}

pub struct Provider {
    pub id: i32,
    pub name: String,
    pub admin: Session,
    pub site_id: String,
}

pub fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .build()
        .expect("client")
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp {
            server: spawn_app().await,
        }
    }

    pub async fn at(now: chrono::DateTime<Utc>) -> TestApp {
        TestApp {
            server: spawn_app_at(now).await,
        }
    }

    /// At the default time, with the configuration changed by `configure`.
    pub async fn with_config(
        configure: impl FnOnce(&mut etapolku_server::config::Config),
    ) -> TestApp {
        TestApp {
            server: spawn_app_with(etapolku_tests::spawn::default_now(), configure).await,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.server.address, path)
    }

    /// What `path` answers without signing in, as JSON.
    pub async fn public_json(&self, path: &str) -> Value {
        client()
            .get(self.url(path))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json")
    }

    pub fn today(&self) -> NaiveDate {
        etapolku_server::courses::schedule::helsinki_today(etapolku_server::clock::Clock::now(
            &self.server.clock,
        ))
    }

    pub fn advance(&self, by: Duration) {
        self.server.clock.advance(by);
    }

    /// One authenticated request as `s`, with an optional JSON body.
    pub async fn request(
        &self,
        method: Method,
        s: &Session,
        path: &str,
        body: Option<Value>,
    ) -> Response {
        let mut req = s
            .client
            .request(method, self.url(path))
            .bearer_auth(&s.token);
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.expect("request")
    }

    pub async fn get(&self, s: &Session, path: &str) -> Response {
        self.request(Method::GET, s, path, None).await
    }

    pub async fn post(&self, s: &Session, path: &str, body: Value) -> Response {
        self.request(Method::POST, s, path, Some(body)).await
    }

    pub async fn patch(&self, s: &Session, path: &str, body: Value) -> Response {
        self.request(Method::PATCH, s, path, Some(body)).await
    }

    pub async fn put(&self, s: &Session, path: &str, body: Value) -> Response {
        self.request(Method::PUT, s, path, Some(body)).await
    }

    pub async fn delete(&self, s: &Session, path: &str) -> Response {
        self.request(Method::DELETE, s, path, None).await
    }

    /// Makes an account straight in the database (the endpoint that does it has its own tests).
    pub async fn user(
        &self,
        provider: Option<i32>,
        email: &str,
        role: Role,
        profession: Option<Profession>,
        with_password: bool,
    ) -> String {
        let password_hash = with_password
            .then(|| hash(&NewPassword::parse(PASSWORD, "p").expect("pw")).expect("hash"));
        let u = create_user(
            &self.server.db,
            NewUser {
                provider_id: provider,
                email: Email::parse(email).expect("email"),
                display_name: DisplayName::parse(email.split('@').next().unwrap_or("x"))
                    .expect("name"),
                role,
                profession,
                language: Language::Fi,
                status: AccountStatus::Active,
                password_hash,
            },
            Utc::now(),
        )
        .await
        .expect("user");
        u.uuid.to_string()
    }

    pub async fn login(&self, email: &str) -> Session {
        let client = client();
        let res = client
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), StatusCode::OK, "login of {email}");
        let body: Value = res.json().await.expect("json");
        Session {
            client,
            token: body["access_token"].as_str().expect("token").to_owned(),
            id: body["user"]["id"].as_str().expect("id").to_owned(),
            email: email.to_owned(),
        }
    }

    /// Signs in with a mailed link, as a participant without a password does.
    pub async fn sign_in_by_link(&self, email: &str) -> Session {
        let client = client();
        let res = client
            .post(self.url("/api/v1/auth/email-link"))
            .json(&json!({"email": email}))
            .send()
            .await
            .expect("request a link");
        assert_eq!(res.status(), StatusCode::ACCEPTED);
        let (_, token) = self.last_link_to(email).expect("a mailed link");
        let res = client
            .post(self.url("/api/v1/auth/email-link/redeem"))
            .json(&json!({"token": token}))
            .send()
            .await
            .expect("redeem");
        assert_eq!(res.status(), StatusCode::OK, "sign-in link of {email}");
        let body: Value = res.json().await.expect("json");
        Session {
            client,
            token: body["access_token"].as_str().expect("token").to_owned(),
            id: body["user"]["id"].as_str().expect("id").to_owned(),
            email: email.to_owned(),
        }
    }

    /// A provider with a site and a signed-in provider admin.
    pub async fn provider(&self, name: &str) -> Provider {
        let now = Utc::now();
        let p = providers::create_provider(
            &self.server.db,
            providers::CreateProvider { name: name.into() },
            now,
        )
        .await
        .expect("provider");
        let slug = name.to_lowercase().replace(' ', "");
        let admin_email = format!("admin@{slug}.example");
        self.user(
            Some(p.id),
            &admin_email,
            Role::ProviderAdmin,
            Some(Profession::RegisteredNurse),
            true,
        )
        .await;
        let admin = self.login(&admin_email).await;
        let res = self
            .post(
                &admin,
                "/api/v1/sites",
                json!({"name": format!("{name} site"), "municipality": "Tampere"}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let site: Value = res.json().await.expect("json");
        Provider {
            id: p.id,
            name: name.into(),
            admin,
            site_id: site["id"].as_str().expect("id").to_owned(),
        }
    }

    /// A staff member of the provider, signed in.
    pub async fn staff(&self, p: &Provider, email: &str, profession: Profession) -> Session {
        self.user(Some(p.id), email, Role::Guide, Some(profession), true)
            .await;
        self.login(email).await
    }

    /// The Monday `weeks` weeks from the test clock's week.
    pub fn monday_in(&self, weeks: i64) -> NaiveDate {
        let today = self.today();
        today - Duration::days(i64::from(today.weekday().num_days_from_monday()))
            + Duration::weeks(weeks)
    }

    pub async fn course(&self, p: &Provider, start: NaiveDate) -> String {
        let res = self
            .post(
                &p.admin,
                "/api/v1/courses",
                json!({
                    "title": "Kurssi", "language": "fi", "target_group": "adult",
                    "site_id": p.site_id, "onsite1_start": start,
                }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let body: Value = res.json().await.expect("json");
        body["id"].as_str().expect("id").to_owned()
    }

    /// Staff making a complete R-TEAM team on the course; returns the personal-guide nurse.
    pub async fn full_team(&self, p: &Provider, course: &str) -> Session {
        let slug = p.name.to_lowercase().replace(' ', "");
        let mut nurse = None;
        for (who, profession, manager) in [
            ("nurse", Profession::RegisteredNurse, true),
            ("physio", Profession::Physiotherapist, false),
            ("socionom", Profession::Socionom, false),
            ("doctor", Profession::Physician, false),
            ("psych", Profession::Psychologist, false),
            ("ot", Profession::OccupationalTherapist, false),
        ] {
            let s = self
                .staff(p, &format!("{who}@{slug}.example"), profession)
                .await;
            let res = self
                .post(
                    &p.admin,
                    &format!("/api/v1/courses/{course}/team"),
                    json!({"staff_id": s.id, "service_manager": manager}),
                )
                .await;
            assert_eq!(res.status(), StatusCode::CREATED, "adding {who}");
            if who == "nurse" {
                nurse = Some(s);
            }
        }
        nurse.expect("nurse")
    }

    /// Imports the demo program for `p` (as `etapolku serve --demo` does); returns its version id.
    pub async fn import_demo_program(&self, p: &Provider) -> String {
        let done = etapolku_server::content::import::import(
            &self.server.db,
            std::sync::Arc::new(
                etapolku_server::content::blob_store::FsBlobStore::new(
                    self.server.data_dir.path().join("blobs"),
                )
                .expect("blob store"),
            ),
            etapolku_server::content::import::ImportRequest {
                provider_id: p.id,
                actor_id: None,
                source: &etapolku_server::demo::program_dir(),
                source_name: "demo",
                staging_root: &self.server.data_dir.path().join("staging"),
                now: Utc::now(),
            },
        )
        .await
        .expect("the demo program imports");
        done.version_id.to_string()
    }

    /// See [`DemoCourse`]; `tag` keeps e-mail addresses apart when one test makes several.
    pub async fn demo_course(&self, tag: &str) -> DemoCourse {
        let provider = self.provider(tag).await;
        let version = self.import_demo_program(&provider).await;
        let course = self.course(&provider, self.monday_in(-2)).await;
        let res = self
            .put(
                &provider.admin,
                &format!("/api/v1/courses/{course}/program"),
                json!({"version_id": version, "release": "weekly"}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK, "assigning the demo program");
        let guide = self.full_team(&provider, &course).await;
        let slug = tag.to_lowercase().replace(' ', "");
        let email = format!("aino@{slug}.example");
        let pid = self.participant(&provider, &email).await;
        let res = self
            .post(
                &provider.admin,
                &format!("/api/v1/courses/{course}/participants"),
                json!({"participant_id": pid, "decision_date": self.today() - Duration::days(60)}),
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::CREATED,
            "enrolling the participant"
        );
        let participant = self.sign_in_by_link(&email).await;
        DemoCourse {
            provider,
            course,
            guide,
            participant,
        }
    }

    /// A participant account of the provider (active), by id.
    pub async fn participant(&self, p: &Provider, email: &str) -> String {
        self.user(Some(p.id), email, Role::Participant, None, false)
            .await
    }

    /// Enrols `n` new participants; returns their ids.
    pub async fn enrol_many(&self, p: &Provider, course: &str, n: usize, tag: &str) -> Vec<String> {
        let decision = self.today() - Duration::days(30);
        let mut ids = Vec::new();
        for i in 0..n {
            let id = self
                .participant(
                    p,
                    &format!(
                        "p{i}.{tag}@{}.example",
                        p.name.to_lowercase().replace(' ', "")
                    ),
                )
                .await;
            let res = self
                .post(
                    &p.admin,
                    &format!("/api/v1/courses/{course}/participants"),
                    json!({"participant_id": id, "decision_date": decision}),
                )
                .await;
            assert_eq!(
                res.status(),
                StatusCode::CREATED,
                "enrolling participant {i}"
            );
            ids.push(id);
        }
        ids
    }

    /// Mailed links in the outbox, oldest first, as (recipient, path, token).
    pub fn mailed_links(&self) -> Vec<(String, String, String)> {
        let dir = self.server.data_dir.path().join("outbox");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        files
            .iter()
            .filter_map(|f| {
                let raw = std::fs::read_to_string(f).ok()?;
                let text = decode_quoted_printable(&raw);
                let to = text
                    .lines()
                    .find(|l| l.starts_with("To: "))?
                    .trim_start_matches("To: ")
                    .trim()
                    .to_owned();
                let start = text.find("http://")?;
                let link: String = text[start..]
                    .chars()
                    .take_while(|c| !c.is_whitespace() && *c != '<' && *c != '"')
                    .collect();
                let (path, token) = link.split_once("#token=")?;
                let path = path.splitn(4, '/').nth(3).map(|p| format!("/{p}"))?;
                Some((to, path, token.to_owned()))
            })
            .collect()
    }

    pub fn last_link_to(&self, email: &str) -> Option<(String, String)> {
        self.mailed_links()
            .into_iter()
            .rev()
            .find(|(to, _, _)| to.contains(email))
            .map(|(_, p, t)| (p, t))
    }

    pub async fn count(&self, table: &str) -> i64 {
        use sea_orm::{ConnectionTrait, Statement};
        let backend = self.server.db.get_database_backend();
        let row = self
            .server
            .db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count")
            .expect("row");
        row.try_get::<i64>("", "n").expect("n")
    }
}

/// A mail body's quoted-printable text as plain text.
pub fn decode_quoted_printable(s: &str) -> String {
    let joined = s.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads a problem+json body and checks its status and code.
pub async fn assert_problem(res: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(res.status(), status, "status");
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert_eq!(ct, "application/problem+json");
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["code"], code, "{body}");
    body
}
