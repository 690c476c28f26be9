//! Contacts (R-INTERIM-3, R-FOLLOWUP): booked by the course's guides, confirmed or moved on the
//! participant's request, a done interim or follow-up contact credited to the ledger once, a
//! calendar invitation in Helsinki time and a reminder mail the day before.
//!
//! The test clock is Monday 2.3.2026 10:00 Helsinki (08:00 UTC), remote week 2 of the demo course.

use chrono::{TimeZone, Utc};
use etapolku_server::scheduler::jobs::contact_reminders;
use etapolku_tests::spawn::spawn_restarted;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{DemoCourse, TestApp, assert_problem, decode_quoted_printable};

const VIDEO: &str = "https://meet.example.fi/{room}";

async fn video_app() -> TestApp {
    TestApp::with_config(|c| {
        c.video_url_template = Some(VIDEO.parse().expect("template"));
    })
    .await
}

fn contacts_of(d: &DemoCourse) -> String {
    format!(
        "/api/v1/courses/{}/participants/{}/contacts",
        d.course, d.participant.id
    )
}

fn contact_path(d: &DemoCourse, id: &str) -> String {
    format!("/api/v1/courses/{}/contacts/{id}", d.course)
}

async fn book(app: &TestApp, d: &DemoCourse, kind: &str, method: &str, at: &str) -> Value {
    let res = app
        .post(
            &d.guide,
            &contacts_of(d),
            json!({"kind": kind, "method": method, "planned_at": at}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json().await.expect("json")
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_owned()
}

async fn remote_minutes(app: &TestApp, d: &DemoCourse) -> Value {
    let res = app.get(&d.participant, "/api/v1/me/guidance").await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.expect("json");
    body["remote_minutes"].clone()
}

#[tokio::test]
async fn a_guide_books_a_video_contact_and_the_participant_joins_by_its_link_and_confirms() {
    // Arrange
    let app = video_app().await;
    let d = app.demo_course("Alpha").await;

    // Act
    let booked = book(&app, &d, "interim", "video", "2026-03-05T08:00:00Z").await;
    let mine: Value = app
        .get(&d.participant, "/api/v1/me/contacts")
        .await
        .json()
        .await
        .expect("json");
    let confirmed = app
        .post(
            &d.participant,
            &format!("/api/v1/me/contacts/{}/confirm", id(&booked)),
            json!({}),
        )
        .await;

    // Assert
    assert_eq!(booked["status"], "planned");
    assert_eq!(booked["professional"]["display_name"], "nurse");
    assert_eq!(booked["planned_minutes"], 30);
    let url = booked["video_url"].as_str().expect("a video link");
    let room = url
        .strip_prefix("https://meet.example.fi/ep-")
        .expect("the configured address");
    assert_eq!(room.len(), 32, "128 bits in hex: {room}");
    assert!(room.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(mine[0]["id"], booked["id"]);
    assert_eq!(mine[0]["join_by"], "video_link");
    assert_eq!(mine[0]["video_url"], url);
    assert!(mine[0].get("note").is_none());
    assert_eq!(confirmed.status(), StatusCode::OK);
    let confirmed: Value = confirmed.json().await.expect("json");
    assert_eq!(confirmed["status"], "confirmed");
    // Another contact gets another room.
    let second = book(&app, &d, "interim", "video", "2026-03-19T08:00:00Z").await;
    assert_ne!(second["video_url"], booked["video_url"]);
}

#[tokio::test]
async fn without_a_video_service_the_guide_gives_the_link_and_a_phone_contact_says_the_guide_calls()
{
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;

    let video = book(&app, &d, "interim", "video", "2026-03-05T08:00:00Z").await;
    let phone = book(&app, &d, "interim", "phone", "2026-03-06T08:00:00Z").await;

    assert_eq!(video["join_by"], "link_from_guide");
    assert!(video["video_url"].is_null());
    assert_eq!(phone["join_by"], "guide_calls");
    assert!(phone["video_url"].is_null());
    let mine: Value = app
        .get(&d.participant, "/api/v1/me/contacts")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine[1]["join_by"], "guide_calls");
}

#[tokio::test]
async fn the_participant_asks_for_another_time_and_the_guide_moves_the_contact() {
    // Arrange
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let c = book(&app, &d, "interim", "phone", "2026-03-05T08:00:00Z").await;
    let ask = format!("/api/v1/me/contacts/{}/reschedule", id(&c));

    // Act
    let empty = app
        .post(&d.participant, &ask, json!({"message": " "}))
        .await;
    let asked = app
        .post(
            &d.participant,
            &ask,
            json!({"message": "Sopisiko torstai-iltapäivä?"}),
        )
        .await;
    let seen: Value = app
        .get(&d.guide, &contacts_of(&d))
        .await
        .json()
        .await
        .expect("json");
    let moved = app
        .patch(
            &d.guide,
            &contact_path(&d, &id(&c)),
            json!({"planned_at": "2026-03-05T12:00:00Z"}),
        )
        .await;

    // Assert
    assert_problem(empty, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(asked.status(), StatusCode::OK);
    assert_eq!(seen[0]["status"], "reschedule_requested");
    assert_eq!(
        seen[0]["participant_message"],
        "Sopisiko torstai-iltapäivä?"
    );
    assert_eq!(moved.status(), StatusCode::OK);
    let moved: Value = moved.json().await.expect("json");
    assert_eq!(moved["status"], "planned");
    assert_eq!(moved["planned_at"], "2026-03-05T12:00:00Z");
    assert!(moved["participant_message"].is_null());
    // Once confirmed, a longer slot keeps the confirmation; a new time asks for it again.
    app.post(
        &d.participant,
        &format!("/api/v1/me/contacts/{}/confirm", id(&c)),
        json!({}),
    )
    .await;
    let longer: Value = app
        .patch(
            &d.guide,
            &contact_path(&d, &id(&c)),
            json!({"planned_minutes": 45}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(longer["status"], "confirmed");
    assert_eq!(longer["planned_minutes"], 45);
    let later: Value = app
        .patch(
            &d.guide,
            &contact_path(&d, &id(&c)),
            json!({"planned_at": "2026-03-06T12:00:00Z"}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(later["status"], "planned");
}

#[tokio::test]
async fn a_done_interim_contact_credits_the_ledger_exactly_once() {
    // Arrange: held last Friday.
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let c = book(&app, &d, "interim", "phone", "2026-02-27T08:00:00Z").await;
    let done = format!("{}/done", contact_path(&d, &id(&c)));
    let body = json!({"minutes": 40, "note": "Käytiin läpi viikon tehtävät."});

    // Act: two clicks at once, then a third later.
    let (a, b) = tokio::join!(
        app.post(&d.guide, &done, body.clone()),
        app.post(&d.guide, &done, body.clone())
    );
    let later = app.post(&d.guide, &done, body.clone()).await;

    // Assert
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    assert_problem(later, StatusCode::CONFLICT, "contact_closed").await;
    assert_eq!(app.count("guidance_entries").await, 1);
    assert_eq!(remote_minutes(&app, &d).await, 40);
    let list: Value = app
        .get(&d.guide, &contacts_of(&d))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list[0]["status"], "done");
    assert_eq!(list[0]["done_minutes"], 40);
    let entry_id = list[0]["guidance_entry_id"].as_str().expect("credited");
    let history: Value = app
        .get(
            &d.guide,
            &format!("/api/v1/courses/{}/guidance/entries/{entry_id}", d.course),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(history["entry"]["kind"], "phone_call");
    assert_eq!(history["entry"]["source"], "contact");
    assert_eq!(history["entry"]["contact_id"], c["id"]);
    assert_eq!(history["entry"]["professional"]["display_name"], "nurse");
    assert_eq!(history["entry"]["started_at"], "2026-02-27T08:00:00Z");
    // The course's guidance totals count it as a done interim contact of three.
    let totals: Value = app
        .get(&d.guide, &format!("/api/v1/courses/{}/guidance", d.course))
        .await
        .json()
        .await
        .expect("json");
    let counts = &totals["participants"][0]["contacts"];
    assert_eq!(counts["interim_done"], 1, "{totals}");
    assert_eq!(counts["interim_open"], 0);
    assert_eq!(counts["interim_required"], 3);
    assert_eq!(counts["follow_up_done"], 0);
    // The participant's upcoming list no longer has it.
    let mine: Value = app
        .get(&d.participant, "/api/v1/me/contacts")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine.as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn a_pre_contact_credits_nothing_and_closed_contacts_stay_closed() {
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let pre = book(&app, &d, "pre_contact", "phone", "2026-02-10T08:00:00Z").await;
    let ahead = book(&app, &d, "interim", "video", "2026-03-05T08:00:00Z").await;
    let missed = book(&app, &d, "interim", "phone", "2026-02-26T08:00:00Z").await;

    let pre_done = app
        .post(
            &d.guide,
            &format!("{}/done", contact_path(&d, &id(&pre))),
            json!({"minutes": 20}),
        )
        .await;
    let too_early = app
        .post(
            &d.guide,
            &format!("{}/done", contact_path(&d, &id(&ahead))),
            json!({"minutes": 20}),
        )
        .await;
    let zero = app
        .post(
            &d.guide,
            &format!("{}/done", contact_path(&d, &id(&missed))),
            json!({"minutes": 0}),
        )
        .await;
    let no_show = app
        .post(
            &d.guide,
            &format!("{}/no-show", contact_path(&d, &id(&missed))),
            json!({"note": "Ei vastannut."}),
        )
        .await;
    let cancelled = app
        .post(
            &d.guide,
            &format!("{}/cancel", contact_path(&d, &id(&ahead))),
            json!({}),
        )
        .await;
    let after_cancel = app
        .post(
            &d.guide,
            &format!("{}/done", contact_path(&d, &id(&ahead))),
            json!({"minutes": 20, "started_at": "2026-03-01T08:00:00Z"}),
        )
        .await;
    let confirm_cancelled = app
        .post(
            &d.participant,
            &format!("/api/v1/me/contacts/{}/confirm", id(&ahead)),
            json!({}),
        )
        .await;

    assert_eq!(pre_done.status(), StatusCode::OK);
    let pre_done: Value = pre_done.json().await.expect("json");
    assert!(pre_done["guidance_entry_id"].is_null());
    let problem = assert_problem(too_early, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "started_at");
    assert_problem(zero, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(no_show.status(), StatusCode::OK);
    let no_show: Value = no_show.json().await.expect("json");
    assert_eq!(no_show["status"], "no_show");
    assert_eq!(cancelled.status(), StatusCode::OK);
    assert_problem(after_cancel, StatusCode::CONFLICT, "contact_closed").await;
    assert_problem(confirm_cancelled, StatusCode::CONFLICT, "contact_closed").await;
    assert_eq!(app.count("guidance_entries").await, 0);
    assert_eq!(remote_minutes(&app, &d).await, 0);
    // A no-show and a cancelled interim contact are neither done nor open.
    let ledger: Value = app
        .get(
            &d.guide,
            &format!(
                "/api/v1/courses/{}/participants/{}/guidance",
                d.course, d.participant.id
            ),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(ledger["summary"]["contacts"]["interim_done"], 0);
    assert_eq!(ledger["summary"]["contacts"]["interim_open"], 0);
}

#[tokio::test]
async fn the_invitation_is_an_icalendar_event_in_helsinki_time_with_a_stable_uid() {
    // Arrange: Thursday 5.3.2026 10:00 Helsinki (UTC+2).
    let app = video_app().await;
    let d = app.demo_course("Alpha").await;
    let c = book(&app, &d, "interim", "video", "2026-03-05T08:00:00Z").await;
    let path = format!("/api/v1/me/contacts/{}/invitation.ics", id(&c));

    // Act
    let res = app.get(&d.participant, &path).await;
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let first = res.text().await.expect("text");
    app.patch(
        &d.guide,
        &contact_path(&d, &id(&c)),
        json!({"planned_at": "2026-04-02T07:00:00Z"}),
    )
    .await;
    let second = app
        .get(&d.participant, &path)
        .await
        .text()
        .await
        .expect("text");
    let staff = app
        .get(
            &d.guide,
            &format!("{}/invitation.ics", contact_path(&d, &id(&c))),
        )
        .await;

    // Assert
    assert_eq!(content_type, "text/calendar; charset=utf-8");
    assert!(
        first.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
        "{first}"
    );
    assert!(first.ends_with("END:VCALENDAR\r\n"));
    let uid = format!("\r\nUID:{}@etapolku\r\n", id(&c));
    assert!(first.contains(&uid));
    assert!(first.contains("\r\nDTSTART;TZID=Europe/Helsinki:20260305T100000\r\n"));
    assert!(first.contains("\r\nDTEND;TZID=Europe/Helsinki:20260305T103000\r\n"));
    assert!(first.contains("\r\nDTSTAMP:20260302T080000Z\r\n"));
    assert!(first.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Helsinki\r\n"));
    assert!(first.contains("\r\nSUMMARY:Etäpolku: videopuhelu ohjaajan kanssa\r\n"));
    assert!(first.contains("\r\nSEQUENCE:0\r\n"));
    assert!(
        first
            .replace("\r\n ", "")
            .contains(c["video_url"].as_str().expect("url"))
    );
    for line in first.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    assert!(!first.replace("\r\n", "").contains('\n'));
    // Moved past the spring DST change: same UID, next SEQUENCE, 10:00 EEST.
    assert!(second.contains(&uid));
    assert!(second.contains("\r\nSEQUENCE:1\r\n"));
    assert!(second.contains("\r\nDTSTART;TZID=Europe/Helsinki:20260402T100000\r\n"));
    assert_eq!(staff.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_guide_of_another_course_and_another_participant_see_nothing() {
    // Arrange
    let app = TestApp::new().await;
    let alpha = app.demo_course("Alpha").await;
    let beta = app.demo_course("Beta").await;
    let c = book(&app, &alpha, "interim", "phone", "2026-02-27T08:00:00Z").await;
    let cid = id(&c);

    // Act and assert: Beta's guide gets 404 everywhere in Alpha.
    let res = app.get(&beta.guide, &contacts_of(&alpha)).await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app
        .post(
            &beta.guide,
            &contacts_of(&alpha),
            json!({"kind": "interim", "method": "phone", "planned_at": "2026-03-05T08:00:00Z"}),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app
        .post(
            &beta.guide,
            &format!("{}/done", contact_path(&alpha, &cid)),
            json!({"minutes": 30}),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app
        .get(
            &beta.guide,
            &format!("{}/invitation.ics", contact_path(&alpha, &cid)),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    // Beta's guide cannot reach Alpha's contact through Beta's course either.
    let res = app
        .post(
            &beta.guide,
            &format!("{}/done", contact_path(&beta, &cid)),
            json!({"minutes": 30}),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    // Beta's participant cannot see, confirm or download Alpha's participant's contact.
    let res = app
        .get(
            &beta.participant,
            &format!("/api/v1/me/contacts/{cid}/invitation.ics"),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app
        .post(
            &beta.participant,
            &format!("/api/v1/me/contacts/{cid}/confirm"),
            json!({}),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let mine: Value = app
        .get(&beta.participant, "/api/v1/me/contacts")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine.as_array().map(Vec::len), Some(0));
    // A provider admin reads but does not book: only the team does.
    let res = app.get(&alpha.provider.admin, &contacts_of(&alpha)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .post(
            &alpha.provider.admin,
            &contacts_of(&alpha),
            json!({"kind": "interim", "method": "phone", "planned_at": "2026-03-05T08:00:00Z"}),
        )
        .await;
    assert_problem(res, StatusCode::FORBIDDEN, "not_on_team").await;
    assert_eq!(app.count("contacts").await, 1);
}

#[tokio::test]
async fn each_staff_read_of_a_participants_contacts_is_audited() {
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    book(&app, &d, "interim", "phone", "2026-03-05T08:00:00Z").await;

    app.get(&d.guide, &contacts_of(&d)).await;

    let log: Value = app
        .get(
            &d.provider.admin,
            &format!("/api/v1/audit?subject_id={}", d.participant.id),
        )
        .await
        .json()
        .await
        .expect("json");
    let contacts: Vec<&str> = log
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["category"] == "contacts")
        .map(|e| e["action"].as_str().expect("action"))
        .collect();
    assert_eq!(contacts, vec!["read", "create"]);
}

#[tokio::test]
async fn the_course_list_has_every_participants_contacts_and_is_audited() {
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let others = app.enrol_many(&d.provider, &d.course, 2, "x").await;
    book(&app, &d, "interim", "phone", "2026-03-05T08:00:00Z").await;
    let res = app
        .post(
            &d.guide,
            &format!(
                "/api/v1/courses/{}/participants/{}/contacts",
                d.course, others[1]
            ),
            json!({"kind": "interim", "method": "video", "planned_at": "2026-03-04T08:00:00Z"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let before = app.count("audit_log").await;

    let list: Value = app
        .get(&d.guide, &format!("/api/v1/courses/{}/contacts", d.course))
        .await
        .json()
        .await
        .expect("json");

    let who: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .map(|c| c["participant"]["id"].as_str().expect("id"))
        .collect();
    assert_eq!(who, vec![others[1].as_str(), d.participant.id.as_str()]);
    assert_eq!(app.count("audit_log").await, before + 2);
}

/// Mails in the outbox to `email`, decoded.
fn mails_to(app: &TestApp, email: &str) -> Vec<String> {
    let dir = app.server.data_dir.path().join("outbox");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .map(|raw| decode_quoted_printable(&raw))
        .filter(|m| m.contains(email) && m.contains("huomenna yhteydenotto"))
        .collect()
}

#[tokio::test]
async fn the_reminder_goes_out_once_the_day_before_and_again_for_a_new_time() {
    // Arrange: a phone contact on Tuesday 3.3. at 10:00 Helsinki; a cancelled one the same day.
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let c = book(&app, &d, "interim", "phone", "2026-03-03T08:00:00Z").await;
    let gone = book(&app, &d, "interim", "phone", "2026-03-03T10:00:00Z").await;
    app.post(
        &d.guide,
        &format!("{}/cancel", contact_path(&d, &id(&gone))),
        json!({}),
    )
    .await;
    let state = &app.server.state;
    // Helsinki is UTC+2 in early March.
    let helsinki = |day: u32, h: u32, m: u32| {
        Utc.with_ymd_and_hms(2026, 3, day, h - 2, m, 0)
            .single()
            .expect("time")
    };
    let email = d.participant.email.clone();

    // Act and assert: not before 08:00 on the day before …
    assert_eq!(
        contact_reminders::run(state, helsinki(2, 7, 59))
            .await
            .expect("run"),
        0
    );
    // … then once …
    assert_eq!(
        contact_reminders::run(state, helsinki(2, 8, 0))
            .await
            .expect("run"),
        1
    );
    // … and never again for the same time, on later ticks or after a restart: a server started
    // again on the same database sends nothing.
    assert_eq!(
        contact_reminders::run(state, helsinki(2, 8, 1))
            .await
            .expect("run"),
        0
    );
    let restarted = spawn_restarted(&app.server).await.expect("restart");
    assert_eq!(
        contact_reminders::run(&restarted.state, helsinki(2, 8, 2))
            .await
            .expect("run"),
        0
    );
    restarted.handle.stop(true).await;
    assert_eq!(
        contact_reminders::run(state, helsinki(2, 15, 0))
            .await
            .expect("run"),
        0
    );
    let mails = mails_to(&app, &email);
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("ti 3.3.2026 klo 10.00"), "{}", mails[0]);
    assert!(mails[0].contains("nurse soittaa sinulle"), "{}", mails[0]);
    assert!(mails[0].contains("/ryhma/tapaamiset"), "{}", mails[0]);
    assert_eq!(app.count("scheduled_runs").await, 1);

    // Moved to Wednesday: a new reminder on Tuesday.
    app.patch(
        &d.guide,
        &contact_path(&d, &id(&c)),
        json!({"planned_at": "2026-03-04T08:00:00Z"}),
    )
    .await;
    assert_eq!(
        contact_reminders::run(state, helsinki(3, 9, 0))
            .await
            .expect("run"),
        1
    );
    assert_eq!(
        contact_reminders::run(state, helsinki(3, 9, 1))
            .await
            .expect("run"),
        0
    );
    assert_eq!(mails_to(&app, &email).len(), 2);
}

#[tokio::test]
async fn a_participant_taken_off_the_course_gets_no_reminder() {
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    book(&app, &d, "interim", "phone", "2026-03-03T08:00:00Z").await;
    let res = app
        .delete(
            &d.provider.admin,
            &format!(
                "/api/v1/courses/{}/participants/{}",
                d.course, d.participant.id
            ),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());

    let sent = contact_reminders::run(
        &app.server.state,
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .expect("time"),
    )
    .await
    .expect("run");

    assert_eq!(sent, 0);
    assert_eq!(mails_to(&app, &d.participant.email).len(), 0);
}

/// The guide marks the contact held for `minutes`.
async fn held_for(app: &TestApp, d: &DemoCourse, contact: &Value, minutes: i32) {
    let res = app
        .post(
            &d.guide,
            &format!("{}/done", contact_path(d, &id(contact))),
            json!({"minutes": minutes, "note": ""}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

async fn my_home(app: &TestApp, d: &DemoCourse) -> Value {
    let res = app.get(&d.participant, "/api/v1/me/home").await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.expect("json")
}

#[tokio::test]
async fn the_home_shows_the_next_contact_and_the_guidance_time() {
    // Arrange: no contacts, no guidance yet.
    let app = video_app().await;
    let d = app.demo_course("Alpha").await;
    let empty = my_home(&app, &d).await;
    assert_eq!(empty["next_contact"], Value::Null);
    assert_eq!(empty["guidance"]["remote_minutes"], 0);
    assert_eq!(empty["guidance"]["required_minutes"], 240);

    // Act: two contacts booked (the later first), and last Friday's held for 40 minutes.
    book(&app, &d, "interim", "phone", "2026-03-12T08:00:00Z").await;
    let soon = book(&app, &d, "interim", "video", "2026-03-05T08:00:00Z").await;
    let held = book(&app, &d, "interim", "phone", "2026-02-27T08:00:00Z").await;
    held_for(&app, &d, &held, 40).await;

    // Assert: the soonest open contact, with its link, as /me/contacts shows it; 40 minutes,
    // which is on the pace of remote week 2 (40 by its end).
    let home = my_home(&app, &d).await;
    let next = &home["next_contact"];
    assert_eq!(next["id"], soon["id"], "{home}");
    assert_eq!(next["join_by"], "video_link");
    assert!(
        next["video_url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://meet.example.fi/"))
    );
    assert_eq!(next["professional"]["display_name"], "nurse");
    let mine: Value = app
        .get(&d.participant, "/api/v1/me/contacts")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(&mine[0], next);
    assert_eq!(home["guidance"]["remote_minutes"], 40);
    assert_eq!(home["guidance"]["pace"]["on_pace"], true);

    // A contact held before the remote period began (on-site period 1) counts in neither total.
    let before = book(&app, &d, "interim", "phone", "2026-02-10T08:00:00Z").await;
    held_for(&app, &d, &before, 30).await;
    let home = my_home(&app, &d).await;
    assert_eq!(home["guidance"]["remote_minutes"], 40);
    assert_eq!(remote_minutes(&app, &d).await, 40);
}
