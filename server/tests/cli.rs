//! The `etapolku` binary itself: migrate, create-user, `serve --demo` twice, and SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_etapolku");

fn etapolku(data_dir: &std::path::Path) -> Command {
    let mut c = Command::new(BIN);
    c.env_remove("DATABASE_URL")
        .env("ETAPOLKU_DATA_DIR", data_dir)
        .env("ETAPOLKU_LOG", "warn");
    c
}

/// Starts `serve --demo` on a free port and returns the child with the lines it printed first.
fn serve_demo(data_dir: &std::path::Path) -> (Child, Vec<String>) {
    let mut child = etapolku(data_dir)
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = Vec::new();
    for line in BufReader::new(stdout).lines().take(7) {
        lines.push(line.expect("line"));
    }
    (child, lines)
}

fn port_of(lines: &[String]) -> u16 {
    lines[0]
        .rsplit(':')
        .next()
        .and_then(|p| p.trim().parse().ok())
        .expect("port")
}

fn http_get(port: u16, path: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    out
}

fn terminate(child: &mut Child) -> Duration {
    let started = Instant::now();
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = child.wait().expect("wait");
    assert!(exit.success(), "graceful shutdown exits 0, got {exit}");
    started.elapsed()
}

#[test]
fn serve_demo_prints_sign_in_links_and_a_second_start_keeps_the_same_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut first, lines) = serve_demo(dir.path());
    assert!(
        lines[0].starts_with("Etäpolku listening on http://127.0.0.1:"),
        "{lines:?}"
    );
    for role in [
        "participant:",
        "participant (sv):",
        "guide:",
        "provider admin:",
    ] {
        assert!(
            lines
                .iter()
                .any(|l| l.trim_start().starts_with(role) && l.contains("/linkki#token=")),
            "no {role} link in {lines:?}"
        );
    }
    let port = port_of(&lines);
    assert!(http_get(port, "/readyz").starts_with("HTTP/1.1 200"));
    terminate(&mut first);

    let (mut second, lines_again) = serve_demo(dir.path());
    assert_ne!(lines[2], lines_again[2], "fresh links on every start");
    terminate(&mut second);
    let db = std::fs::metadata(dir.path().join("etapolku.db")).expect("db file");
    assert!(db.len() > 0);
    // The demo provider is still usable; provider names are unique, so loading the demo a second
    // time would have failed the second start above.
    let out = etapolku(dir.path())
        .args([
            "create-user",
            "--email",
            "x@demo.example",
            "--role",
            "guide",
            "--provider",
            "Demokuntoutus Oy",
            "--profession",
            "physician",
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sigterm_stops_the_server_within_ten_seconds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut child, _) = serve_demo(dir.path());
    let took = terminate(&mut child);
    assert!(took < Duration::from_secs(10), "shutdown took {took:?}");
}

#[test]
fn migrate_creates_the_database_and_can_run_twice() {
    let dir = tempfile::tempdir().expect("tempdir");
    for _ in 0..2 {
        let out = etapolku(dir.path()).arg("migrate").output().expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(dir.path().join("etapolku.db").exists());
}

#[test]
fn create_user_makes_a_platform_admin_with_a_password_from_stdin() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = etapolku(dir.path())
        .args([
            "create-user",
            "--email",
            "root@example.fi",
            "--role",
            "platform_admin",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"pitka ja hyva lause\n")
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(printed.contains("created platform_admin root@example.fi"));
    assert!(!printed.contains("pitka"), "the password is never printed");
}

#[test]
fn create_user_without_a_password_prints_a_one_time_link_and_refuses_bad_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = etapolku(dir.path())
        .args([
            "create-user",
            "--email",
            "admin@example.fi",
            "--role",
            "provider_admin",
            "--provider",
            "Uusi Oy",
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("/salasana#token="));

    for args in [
        vec![
            "--email",
            "admin@example.fi",
            "--role",
            "provider_admin",
            "--provider",
            "Uusi Oy",
        ], // taken
        vec![
            "--email",
            "not-an-email",
            "--role",
            "guide",
            "--provider",
            "Uusi Oy",
            "--profession",
            "physician",
        ],
        vec!["--email", "a@example.fi", "--role", "wizard"],
        vec![
            "--email",
            "b@example.fi",
            "--role",
            "guide",
            "--provider",
            "Uusi Oy",
        ], // no profession
        vec!["--email", "c@example.fi", "--role", "participant"], // no provider
    ] {
        let out = etapolku(dir.path())
            .arg("create-user")
            .args(&args)
            .output()
            .expect("run");
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(
            String::from_utf8_lossy(&out.stderr).starts_with("error: "),
            "{args:?}"
        );
    }
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/fixtures")
        .join(name)
}

#[test]
fn import_prints_its_report_as_json_and_a_second_import_is_a_duplicate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = || {
        etapolku(dir.path())
            .args(["import", "--provider", "Testi Oy", "--json"])
            .arg(fixture("ietou_lorem2016_moodle29.mbz"))
            .output()
            .expect("run")
    };
    let first = run();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let stdout = String::from_utf8_lossy(&first.stdout);
    let last: serde_json::Value =
        serde_json::from_str(stdout.lines().last().expect("line")).expect("json");
    // Five sections; page 3 + label 1 are pages, url 2, forum 2, folder 1 (moodle_backup.xml).
    assert_eq!(last["modules"], 5);
    assert_eq!(last["items"]["page"], 4);
    assert_eq!(last["items"]["link"], 2);
    assert_eq!(last["duplicate"], false);
    assert_eq!(last["version"], 1);
    let blobs = std::fs::read_dir(dir.path().join("blobs"))
        .expect("blobs")
        .count();
    assert!(blobs > 0, "the folder's files are stored");

    let again = run();
    let stdout = String::from_utf8_lossy(&again.stdout);
    let last: serde_json::Value =
        serde_json::from_str(stdout.lines().last().expect("line")).expect("json");
    assert_eq!(last["duplicate"], true);
    assert_eq!(last["version"], 1);
}

#[test]
fn import_refuses_bad_input_with_exit_two_a_one_line_reason_and_nothing_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let junk = dir.path().join("junk.mbz");
    std::fs::write(&junk, b"\x00\x01 this is not a backup at all").expect("write");
    for input in [
        junk.clone(),
        fixture("imscc_empty.imscc"),
        dir.path().join("missing.mbz"),
    ] {
        let out = etapolku(dir.path())
            .args(["import", "--provider", "Testi Oy"])
            .arg(&input)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{input:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(err.starts_with("refused: "), "{err}");
    }
    let blobs = dir.path().join("blobs");
    let stored = std::fs::read_dir(&blobs).map(|d| d.count()).unwrap_or(0);
    assert_eq!(stored, 0, "no blobs kept from refused imports");
}
