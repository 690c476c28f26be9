//! The provider's progress overview (issue 6, item 5) and the CSV exports of it and of the
//! guidance ledger: each rule red/amber/green/grey with its reason, at its boundaries in Helsinki
//! time; the files' format; who may read them; a fixed number of statements.
//!
//! The demo course started on Monday 16.2.2026: remote week 1 is 23.2.–1.3., on-site period 2
//! 18.–23.5., the follow-up period 25.5.–23.8.2026. The test clock starts on Monday 2.3.2026
//! 10:00 Helsinki, remote week 2, when the guidance pace line is 40 minutes.

use chrono::{DateTime, Utc};
use etapolku_server::accounts::model::Role;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{DemoCourse, Session, TestApp, assert_problem};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("instant")
}

/// Moves the clock and signs `who` in again (an access token lives only minutes).
async fn at_time(app: &TestApp, who: &Session, when: &str) -> Session {
    app.server.clock.set(at(when));
    app.login(&who.email).await
}

async fn overview(app: &TestApp, admin: &Session) -> Value {
    let res = app.get(admin, "/api/v1/overview").await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.expect("json")
}

fn course<'a>(o: &'a Value, id: &str) -> &'a Value {
    o["courses"]
        .as_array()
        .expect("courses")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("course {id} in {o}"))
}

/// The demo participant's row.
async fn aino(app: &TestApp, admin: &Session, d: &DemoCourse) -> Value {
    let o = overview(app, admin).await;
    course(&o, &d.course)["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .find(|p| p["id"] == d.participant.id.as_str())
        .expect("the participant's row")
        .clone()
}

/// `(status, code)` of a check.
fn look(check: &Value) -> (&str, &str) {
    (
        check["status"].as_str().expect("status"),
        check["code"].as_str().expect("code"),
    )
}

async fn record(
    app: &TestApp,
    d: &DemoCourse,
    minutes: i64,
    started_at: &str,
    note: &str,
) -> Value {
    let res = app
        .post(
            &d.guide,
            &format!("/api/v1/courses/{}/guidance/entries", d.course),
            json!({"kind": "phone_call", "started_at": started_at, "minutes": minutes,
                "participant_ids": [d.participant.id], "note": note}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json().await.expect("json")
}

async fn book(app: &TestApp, guide: &Session, d: &DemoCourse, kind: &str, when: &str) -> String {
    let res = app
        .post(
            guide,
            &format!(
                "/api/v1/courses/{}/participants/{}/contacts",
                d.course, d.participant.id
            ),
            json!({"kind": kind, "method": "phone", "planned_at": when}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.expect("json");
    body["id"].as_str().expect("id").to_owned()
}

/// The body of a CSV download, after checking it is one.
async fn csv_text(res: Response) -> (String, String) {
    assert_eq!(res.status(), StatusCode::OK);
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("content-type"), "text/csv; charset=utf-8");
    let disposition = header("content-disposition");
    let bytes = res.bytes().await.expect("body");
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 byte-order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
    (disposition, text)
}

/// RFC 4180 with `;`: the rows and their cells, quotes undone.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ';') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "a line ends with CRLF");
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\n') => panic!("a bare LF ends a line outside quotes"),
            (false, c) => cell.push(c),
        }
    }
    assert!(cell.is_empty() && row.is_empty(), "the file ends with CRLF");
    rows
}

#[tokio::test]
async fn a_provider_admin_sees_each_course_with_its_phase_group_team_and_participants() {
    // Arrange
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;

    // Act
    let o = overview(&app, &d.provider.admin).await;

    // Assert
    assert_eq!(o["today"], "2026-03-02");
    let c = course(&o, &d.course);
    assert_eq!(c["phase"], "remote");
    assert_eq!(c["remote_week"], 2);
    assert_eq!(c["participant_count"], 1);
    assert_eq!(c["total_modules"], 12);
    // A started course keeps going with fewer than 6, flagged (R-GROUP-SIZE).
    assert_eq!(look(&c["group"]), ("amber", "group_shrunk"));
    assert_eq!(
        c["group"]["params"],
        json!({"count": 1, "min": 6, "max": 12})
    );
    assert_eq!(look(&c["team"]), ("green", "team_complete"));
    // On-site period 1 ended on Saturday 21.2.: invoiced by 21.4., 50 days away.
    assert_eq!(look(&c["invoice"]), ("green", "invoice_due"));
    assert_eq!(c["invoice"]["params"]["period"], "onsite1");
    assert_eq!(c["invoice"]["params"]["date"], "2026-04-21");
    assert_eq!(c["invoice"]["params"]["days"], 50);
    let p = &c["participants"][0];
    assert_eq!(p["display_name"], "aino");
    assert_eq!(look(&p["guidance"]), ("red", "guidance_far_behind"));
    assert_eq!(look(&p["interim"]), ("amber", "interim_to_book"));
    assert_eq!(look(&p["follow_up"]), ("grey", "follow_up_later"));
    // Weekly release: module 1 is due once remote week 1 has passed.
    assert_eq!(look(&p["program"]), ("amber", "program_behind"));
    assert_eq!(p["program"]["params"]["expected"], 1);
    // Decided 1.1.2026: everything done by 1.9.2027.
    assert_eq!(look(&p["window"]), ("green", "window_open"));
    assert_eq!(p["window"]["params"]["date"], "2027-09-01");
    assert_eq!(look(&p["feedback"]), ("grey", "feedback_waiting"));
    assert_eq!(look(&p["report"]), ("grey", "report_no_measurements"));
    assert_eq!(p["remote_minutes"], 0);
    assert_eq!(p["contacts"]["interim_required"], 3);
}

#[tokio::test]
async fn guidance_is_amber_up_to_one_weeks_share_behind_the_pace_line_and_red_beyond() {
    // Arrange: 40 minutes are due in remote week 2.
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let admin = &d.provider.admin;

    // Act and assert: 19 minutes are 21 behind …
    record(&app, &d, 19, "2026-02-26T09:00:00Z", "").await;
    let red = aino(&app, admin, &d).await;
    assert_eq!(look(&red["guidance"]), ("red", "guidance_far_behind"));
    assert_eq!(red["guidance"]["params"]["behind"], 21);
    // … 20 minutes are one week's share (20) behind …
    record(&app, &d, 1, "2026-02-26T10:00:00Z", "").await;
    let amber = aino(&app, admin, &d).await;
    assert_eq!(look(&amber["guidance"]), ("amber", "guidance_behind"));
    assert_eq!(amber["guidance"]["params"]["behind"], 20);
    assert_eq!(amber["remote_minutes"], 20);
    // … and 40 are on the line.
    record(&app, &d, 20, "2026-02-27T10:00:00Z", "").await;
    let green = aino(&app, admin, &d).await;
    assert_eq!(look(&green["guidance"]), ("green", "guidance_on_pace"));
    assert_eq!(green["guidance"]["params"]["expected"], 40);
    // Guidance outside the remote period does not count (as in the ledger).
    record(&app, &d, 200, "2026-02-17T10:00:00Z", "").await;
    assert_eq!(aino(&app, admin, &d).await["remote_minutes"], 40);
}

#[tokio::test]
async fn an_unbooked_interim_contact_turns_red_at_helsinki_midnight_starting_remote_week_4() {
    // Arrange
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;

    // Act: Sunday 15.3. 23:59:59 and Monday 16.3. 00:00 Helsinki (UTC+2).
    let admin = at_time(&app, &d.provider.admin, "2026-03-15T21:59:59Z").await;
    let week3 = aino(&app, &admin, &d).await;
    let admin = at_time(&app, &d.provider.admin, "2026-03-15T22:00:00Z").await;
    let week4 = aino(&app, &admin, &d).await;
    let guide = app.login(&d.guide.email).await;
    book(&app, &guide, &d, "interim", "2026-03-18T08:00:00Z").await;
    let booked = aino(&app, &admin, &d).await;

    // Assert
    assert_eq!(look(&week3["interim"]), ("amber", "interim_to_book"));
    assert_eq!(look(&week4["interim"]), ("red", "interim_not_booked"));
    assert_eq!(week4["interim"]["params"]["needed"], 1);
    assert_eq!(week4["interim"]["params"]["week"], 4);
    assert_eq!(look(&booked["interim"]), ("amber", "interim_to_book"));
    assert_eq!(booked["interim"]["params"]["open"], 1);
}

#[tokio::test]
async fn a_held_follow_up_contact_starts_the_two_weeks_of_the_rehabilitation_report() {
    // Arrange: Monday 1.6.2026 10:00 Helsinki, in the follow-up period, nothing booked.
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let admin = at_time(&app, &d.provider.admin, "2026-06-01T07:00:00Z").await;
    let guide = app.login(&d.guide.email).await;
    let unbooked = aino(&app, &admin, &d).await;

    // Act: a follow-up call at 9.00 that morning, held.
    let id = book(&app, &guide, &d, "follow_up", "2026-06-01T06:00:00Z").await;
    let booked = aino(&app, &admin, &d).await;
    let res = app
        .post(
            &guide,
            &format!("/api/v1/courses/{}/contacts/{id}/done", d.course),
            json!({"minutes": 30}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let held = aino(&app, &admin, &d).await;
    // The last day of the two weeks (Monday 15.6., 23:59:59 Helsinki, UTC+3), and the next.
    let admin = at_time(&app, &d.provider.admin, "2026-06-15T20:59:59Z").await;
    let last_day = aino(&app, &admin, &d).await;
    let admin = at_time(&app, &d.provider.admin, "2026-06-15T21:00:00Z").await;
    let passed = aino(&app, &admin, &d).await;

    // Assert
    assert_eq!(
        look(&unbooked["follow_up"]),
        ("red", "follow_up_not_booked")
    );
    assert_eq!(unbooked["follow_up"]["params"]["date"], "2026-08-23");
    assert_eq!(look(&booked["follow_up"]), ("green", "follow_up_booked"));
    assert_eq!(look(&held["follow_up"]), ("green", "follow_up_done"));
    assert_eq!(look(&held["window"]), ("green", "window_kept"));
    assert_eq!(held["window"]["params"]["held"], "2026-06-01");
    assert_eq!(look(&held["feedback"]), ("amber", "feedback_due"));
    assert_eq!(
        held["feedback"]["params"],
        json!({"meeting": "2026-06-01", "date": "2026-06-15", "days": 14})
    );
    assert_eq!(look(&last_day["feedback"]), ("amber", "feedback_due"));
    assert_eq!(last_day["feedback"]["params"]["days"], 0);
    // No record of the report: past its deadline the check says so, without a colour.
    assert_eq!(look(&passed["feedback"]), ("grey", "feedback_passed"));
    // The remote period is over: 30 minutes after it do not count toward the 240.
    assert_eq!(look(&passed["guidance"]), ("red", "guidance_short"));
    assert_eq!(look(&passed["interim"]), ("red", "interim_missing"));
}

#[tokio::test]
async fn the_measurements_of_a_year_are_due_by_31_march_of_the_next() {
    // Arrange: a start measurement on 16.2.2026.
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let res = app
        .post(
            &d.guide,
            &format!(
                "/api/v1/courses/{}/participants/{}/measures",
                d.course, d.participant.id
            ),
            json!({"instrument": "bdi21", "occasion": "start", "measured_on": "2026-02-16",
                "scores": {"total": 12}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);

    // Act
    let now = aino(&app, &d.provider.admin, &d).await;
    let admin = at_time(&app, &d.provider.admin, "2027-03-16T21:59:59Z").await;
    let green = aino(&app, &admin, &d).await;
    let admin = at_time(&app, &d.provider.admin, "2027-03-16T22:00:00Z").await;
    let amber = aino(&app, &admin, &d).await;
    // 31.3.2027 ends at 21:00 UTC (summer time from 28.3.).
    let admin = at_time(&app, &d.provider.admin, "2027-03-31T20:59:59Z").await;
    let last_day = aino(&app, &admin, &d).await;
    let admin = at_time(&app, &d.provider.admin, "2027-03-31T21:00:00Z").await;
    let passed = aino(&app, &admin, &d).await;

    // Assert
    assert_eq!(look(&now["report"]), ("green", "report_due"));
    assert_eq!(
        now["report"]["params"],
        json!({"year": 2026, "date": "2027-03-31", "days": 394})
    );
    assert_eq!(green["report"]["params"]["days"], 15);
    assert_eq!(look(&green["report"]), ("green", "report_due"));
    assert_eq!(look(&amber["report"]), ("amber", "report_due"));
    assert_eq!(look(&last_day["report"]), ("amber", "report_due"));
    assert_eq!(look(&passed["report"]), ("grey", "report_passed"));
}

#[tokio::test]
async fn the_overview_csv_has_a_bom_semicolons_crlf_and_the_header_in_the_language_asked() {
    // Arrange: the demo course and a course without participants yet.
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let empty = app.course(&d.provider, app.monday_in(4)).await;
    let admin = &d.provider.admin;

    // Act
    let (disposition, fi) = csv_text(app.get(admin, "/api/v1/overview.csv").await).await;
    let (_, sv) = csv_text(app.get(admin, "/api/v1/overview.csv?lang=sv").await).await;
    let (sv_name, _) = csv_text(app.get(admin, "/api/v1/overview.csv?lang=sv").await).await;
    let (_, en) = csv_text(app.get(admin, "/api/v1/overview.csv?lang=en").await).await;

    // Assert
    assert_eq!(
        disposition,
        "attachment; filename=\"yhteenveto-2026-03-02.csv\""
    );
    assert_eq!(sv_name, "attachment; filename=\"oversikt-2026-03-02.csv\"");
    assert!(
        fi.starts_with("Kurssi;Toimipiste;Kieli;Tila;Vaihe;Osallistujia;"),
        "{fi}"
    );
    assert!(
        sv.starts_with("Kurs;Verksamhetsställe;Språk;Status;Skede;"),
        "{sv}"
    );
    assert!(
        en.starts_with("Course;Site;Language;State;Phase;Participants;"),
        "{en}"
    );
    let rows = parse_csv(&fi);
    assert_eq!(rows.len(), 3, "the header, Aino, and the empty course");
    assert!(rows.iter().all(|r| r.len() == rows[0].len()), "{rows:?}");
    let col = |name: &str| {
        rows[0]
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name} in {:?}", rows[0]))
    };
    let aino = rows
        .iter()
        .find(|r| r[col("Osallistuja")] == "aino")
        .expect("aino's row");
    assert_eq!(aino[col("Vaihe")], "Etäjakso, viikko 2/12");
    assert_eq!(aino[col("Ohjaus")], "Korjattava");
    assert_eq!(
        aino[col("Ohjaus: syy")],
        "0 / 240 min, 40 min jäljessä tahdista, yli viikon osuus: viikolla 2 tarvitaan 40 min"
    );
    assert_eq!(aino[col("Kuntoutuspäätös")], "1.1.2026");
    assert_eq!(aino[col("Laskutus")], "Kunnossa");
    assert!(
        aino[col("Laskutus: syy")].contains("ensimmäinen lähijakso"),
        "{aino:?}"
    );
    let last = rows.last().expect("row");
    assert_eq!(last[col("Kurssin tunnus")], empty);
    assert_eq!(last[col("Osallistuja")], "");
    assert_eq!(last[col("Ryhmän koko")], "Korjattava");
    let en_rows = parse_csv(&en);
    assert_eq!(
        en_rows[1][en_rows[0]
            .iter()
            .position(|h| h == "Guidance")
            .expect("col")],
        "Action needed"
    );
}

#[tokio::test]
async fn a_name_or_note_that_looks_like_a_formula_is_written_as_text() {
    // Arrange: the participant names herself like a spreadsheet formula; a guide writes a note
    // with a separator, quotes and a line break.
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let evil = "=HYPERLINK(\"http://evil.example\";\"klikkaa\")";
    let res = app
        .patch(&d.participant, "/api/v1/me", json!({"display_name": evil}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let note = "+358 40 123; \"soita\"\nhuomenna";
    record(&app, &d, 30, "2026-02-26T09:00:00Z", note).await;
    record(&app, &d, 15, "2026-02-26T11:00:00Z", "@SUM(A1) -5").await;

    // Act
    let (_, overview) = csv_text(app.get(&d.provider.admin, "/api/v1/overview.csv").await).await;
    let (name, ledger) = csv_text(
        app.get(
            &d.guide,
            &format!("/api/v1/courses/{}/guidance/entries.csv", d.course),
        )
        .await,
    )
    .await;

    // Assert: the raw text quotes and guards …
    assert!(
        overview.contains("\"'=HYPERLINK(\"\"http://evil.example\"\";\"\"klikkaa\"\")\""),
        "{overview}"
    );
    assert!(
        ledger.contains("\"'+358 40 123; \"\"soita\"\"\nhuomenna\""),
        "{ledger}"
    );
    assert!(ledger.contains(";'@SUM(A1) -5;"), "{ledger}");
    assert_eq!(name, "attachment; filename=\"ohjaus-2026-03-02.csv\"");
    // … and a spreadsheet reads every cell back whole, as text.
    let rows = parse_csv(&ledger);
    assert_eq!(
        rows[0][..5],
        ["Aika", "Ammattilainen", "Laji", "Minuutit", "Osallistujat"]
    );
    assert!(rows.iter().all(|r| r.len() == rows[0].len()), "{rows:?}");
    let notes: Vec<&str> = rows[1..].iter().map(|r| r[8].as_str()).collect();
    assert_eq!(notes, vec![format!("'{note}").as_str(), "'@SUM(A1) -5"]);
    assert_eq!(rows[1][4], format!("'{evil}"));
    let o = parse_csv(&overview);
    assert!(o.iter().any(|r| r.contains(&format!("'{evil}"))), "{o:?}");
}

#[tokio::test]
async fn the_ledger_csv_marks_removed_entries_and_guidance_outside_the_remote_period() {
    // Arrange
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    record(&app, &d, 45, "2026-02-26T09:00:00Z", "Puhelu").await;
    record(&app, &d, 20, "2026-02-17T09:00:00Z", "Lähijaksolla").await;
    let wrong = record(&app, &d, 60, "2026-02-27T09:00:00Z", "Väärä").await;
    let res = app
        .post(
            &d.guide,
            &format!(
                "/api/v1/courses/{}/guidance/entries/{}/void",
                d.course,
                wrong["id"].as_str().expect("id")
            ),
            json!({"reason": "Kirjattu väärälle osallistujalle"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    // Act
    let (_, text) = csv_text(
        app.get(
            &d.provider.admin,
            &format!("/api/v1/courses/{}/guidance/entries.csv?lang=en", d.course),
        )
        .await,
    )
    .await;
    let (all_name, all) = csv_text(
        app.get(&d.provider.admin, "/api/v1/guidance/entries.csv")
            .await,
    )
    .await;

    // Assert: by time, in Helsinki time, each counted or not and why.
    let rows = parse_csv(&text);
    assert_eq!(
        rows[0],
        [
            "Time",
            "Professional",
            "Kind",
            "Minutes",
            "Participants",
            "Counts toward 4 hours",
            "Outside the remote period",
            "Removed (reason)",
            "Note",
            "Entry id and version"
        ]
    );
    let lines: Vec<[&str; 8]> = rows[1..]
        .iter()
        .map(|r| [&r[0], &r[1], &r[2], &r[3], &r[4], &r[5], &r[6], &r[7]].map(String::as_str))
        .collect();
    assert_eq!(
        lines,
        vec![
            [
                "17.2.2026 11:00",
                "nurse",
                "phone call",
                "20",
                "aino",
                "no",
                "yes",
                ""
            ],
            [
                "26.2.2026 11:00",
                "nurse",
                "phone call",
                "45",
                "aino",
                "yes",
                "no",
                ""
            ],
            [
                "27.2.2026 11:00",
                "nurse",
                "phone call",
                "60",
                "aino",
                "no",
                "no",
                "Kirjattu väärälle osallistujalle"
            ],
        ]
    );
    assert!(
        rows[3][9].ends_with(" v2"),
        "a removal is the entry's second version"
    );
    assert_eq!(all_name, "attachment; filename=\"ohjaus-2026-03-02.csv\"");
    let all = parse_csv(&all);
    assert_eq!(all[0][0], "Kurssi");
    assert_eq!(all.len(), 4);
    assert!(all[1..].iter().all(|r| r[0] == "Kurssi"), "{all:?}");
}

#[tokio::test]
async fn an_unknown_language_is_refused_with_a_clear_error() {
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let admin = &d.provider.admin;

    let overview = app.get(admin, "/api/v1/overview.csv?lang=de").await;
    let ledger = app
        .get(
            admin,
            &format!("/api/v1/courses/{}/guidance/entries.csv?lang=FI", d.course),
        )
        .await;

    let problem = assert_problem(overview, StatusCode::BAD_REQUEST, "invalid_query").await;
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("fi") && detail.contains("sv") && detail.contains("en"),
        "{problem}"
    );
    assert_problem(ledger, StatusCode::BAD_REQUEST, "invalid_query").await;
}

#[tokio::test]
async fn only_provider_admins_read_the_overview_and_only_their_own_providers() {
    // Arrange: two providers, each with a course.
    let app = TestApp::new().await;
    let a = app.demo_course("Alpha").await;
    let b = app.demo_course("Beta").await;
    app.user(
        None,
        "root@platform.example",
        Role::PlatformAdmin,
        None,
        true,
    )
    .await;
    let platform = app.login("root@platform.example").await;

    // Act
    let theirs = overview(&app, &b.provider.admin).await;
    let (_, their_csv) = csv_text(app.get(&b.provider.admin, "/api/v1/overview.csv").await).await;

    // Assert: Beta's admin sees Beta's course only, in the overview and in the file.
    let ids: Vec<&str> = theirs["courses"]
        .as_array()
        .expect("courses")
        .iter()
        .map(|c| c["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, vec![b.course.as_str()]);
    assert!(!their_csv.contains(&a.course), "{their_csv}");
    assert_eq!(parse_csv(&their_csv).len(), 2);
    for who in [&a.participant, &a.guide, &platform] {
        for path in [
            "/api/v1/overview",
            "/api/v1/overview.csv",
            "/api/v1/guidance/entries.csv",
        ] {
            assert_problem(
                app.get(who, path).await,
                StatusCode::FORBIDDEN,
                "wrong_role",
            )
            .await;
        }
    }
}

#[tokio::test]
async fn a_course_ledger_is_exported_to_the_courses_own_staff_only() {
    // Arrange: a guide of the same provider who is not on the team, and another provider.
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let other = app.demo_course("Beta").await;
    let outsider = app
        .staff(
            &d.provider,
            "outsider@alpha.example",
            etapolku_server::team::profession::Profession::Psychologist,
        )
        .await;
    let path = format!("/api/v1/courses/{}/guidance/entries.csv", d.course);

    // Act and assert
    assert_eq!(app.get(&d.guide, &path).await.status(), StatusCode::OK);
    assert_eq!(
        app.get(&d.provider.admin, &path).await.status(),
        StatusCode::OK
    );
    assert_problem(
        app.get(&outsider, &path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(&other.provider.admin, &path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(&other.guide, &path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(&d.participant, &path).await,
        StatusCode::FORBIDDEN,
        "wrong_role",
    )
    .await;
}

#[tokio::test]
async fn each_read_and_export_of_the_overview_and_the_ledger_is_in_the_usage_log() {
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    record(&app, &d, 30, "2026-02-26T09:00:00Z", "").await;
    let admin = &d.provider.admin;

    overview(&app, admin).await;
    csv_text(app.get(admin, "/api/v1/overview.csv").await).await;
    csv_text(
        app.get(
            &d.guide,
            &format!("/api/v1/courses/{}/guidance/entries.csv", d.course),
        )
        .await,
    )
    .await;
    csv_text(app.get(admin, "/api/v1/guidance/entries.csv").await).await;

    let log: Value = app
        .get(
            admin,
            &format!("/api/v1/audit?subject_id={}", d.participant.id),
        )
        .await
        .json()
        .await
        .expect("json");
    let seen: Vec<(String, String, String)> = log
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["category"] == "overview" || e["action"] == "export")
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
            (s("category"), s("action"), s("actor_role"))
        })
        .collect();
    let own = |c: &str, a: &str, r: &str| (c.to_owned(), a.to_owned(), r.to_owned());
    // Newest first.
    assert_eq!(
        seen,
        vec![
            own("guidance", "export", "provider_admin"),
            own("guidance", "export", "guide"),
            own("overview", "export", "provider_admin"),
            own("overview", "read", "provider_admin"),
        ]
    );
}

#[tokio::test]
async fn the_overview_takes_the_same_number_of_statements_for_one_course_or_three() {
    // Arrange: one course, read once so the program's outline is in the cache.
    let app = TestApp::new().await;
    let d = app.demo_course("Alpha").await;
    let admin = &d.provider.admin;
    overview(&app, admin).await;
    let count = || app.server.state.queries.get();
    let before = count();
    overview(&app, admin).await;
    let one = count() - before;

    // Two more courses on the same program, with participants, guidance and contacts.
    let programs: Value = app
        .get(admin, "/api/v1/programs")
        .await
        .json()
        .await
        .expect("json");
    let version = programs[0]["versions"][0]["id"].as_str().expect("version");
    for n in 0..2 {
        let c = app.course(&d.provider, app.monday_in(-2)).await;
        let res = app
            .put(
                admin,
                &format!("/api/v1/courses/{c}/program"),
                json!({"version_id": version, "release": "weekly"}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        app.enrol_many(&d.provider, &c, 7, &format!("more{n}"))
            .await;
    }
    record(&app, &d, 30, "2026-02-26T09:00:00Z", "").await;
    book(&app, &d.guide, &d, "interim", "2026-03-05T08:00:00Z").await;

    // Act
    let before = count();
    let o = overview(&app, admin).await;
    let three = count() - before;

    // Assert
    assert_eq!(o["courses"].as_array().expect("courses").len(), 3);
    assert_eq!(
        one, three,
        "{one} statements for one course, {three} for three"
    );
    assert!(three <= 10, "{three}");
}

#[tokio::test]
async fn the_overview_and_the_exports_are_in_the_openapi_document() {
    let app = TestApp::new().await;
    let doc = app.public_json("/api/openapi.json").await;
    for path in [
        "/api/v1/overview",
        "/api/v1/overview.csv",
        "/api/v1/courses/{id}/guidance/entries.csv",
        "/api/v1/guidance/entries.csv",
    ] {
        assert!(doc["paths"][path]["get"].is_object(), "{path}");
    }
}
