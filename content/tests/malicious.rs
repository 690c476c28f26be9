//! Hostile and broken uploads (SECURITY.md S17–S19, fault tests F11–F14), each built here:
//! every one is a clean error, and nothing is written outside the staging directory.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use etapolku_content::{ImportError, Limits, import_path};
use flate2::Compression;
use flate2::write::GzEncoder;

/// A parent folder holding the upload and the staging folder, so escapes can be seen.
struct Scene {
    parent: tempfile::TempDir,
}

impl Scene {
    fn new() -> Scene {
        let parent = tempfile::tempdir().expect("tempdir");
        fs::create_dir(parent.path().join("staging")).expect("staging");
        Scene { parent }
    }

    fn upload(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.parent.path().join(name);
        fs::write(&path, bytes).expect("write upload");
        path
    }

    fn import(&self, upload: &Path, limits: &Limits) -> Result<(), ImportError> {
        import_path(upload, &self.parent.path().join("staging"), limits).map(|_| ())
    }

    /// Only the upload(s) and staging are in the parent, and nothing named `escaped` anywhere.
    fn assert_nothing_escaped(&self) {
        for entry in fs::read_dir(self.parent.path()).expect("list") {
            let name = entry.expect("entry").file_name();
            let name = name.to_string_lossy();
            assert!(
                !name.contains("escaped"),
                "{name} was written outside staging"
            );
        }
        assert!(!Path::new("/tmp/escaped-etapolku").exists());
    }
}

/// A raw tar entry: the name and type are written as given, bypassing the tar crate's checks.
fn raw_entry(name: &str, kind: tar::EntryType, link: &str, data: &[u8]) -> (tar::Header, Vec<u8>) {
    let mut h = tar::Header::new_gnu();
    {
        let old = h.as_old_mut();
        old.name[..name.len()].copy_from_slice(name.as_bytes());
        old.linkname[..link.len()].copy_from_slice(link.as_bytes());
    }
    h.set_entry_type(kind);
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    h.set_cksum();
    (h, data.to_vec())
}

fn tar_gz(entries: Vec<(tar::Header, Vec<u8>)>) -> Vec<u8> {
    let mut b = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::fast()));
    for (h, data) in entries {
        b.append(&h, data.as_slice()).expect("append");
    }
    b.into_inner().expect("tar").finish().expect("gzip")
}

fn file(name: &str, data: &[u8]) -> (tar::Header, Vec<u8>) {
    raw_entry(name, tar::EntryType::Regular, "", data)
}

fn refused(scene: &Scene, name: &str, bytes: &[u8]) -> ImportError {
    let upload = scene.upload(name, bytes);
    let err = scene
        .import(&upload, &Limits::default())
        .expect_err("must be refused");
    scene.assert_nothing_escaped();
    err
}

#[test]
fn a_parent_directory_entry_is_refused() {
    let s = Scene::new();
    let bytes = tar_gz(vec![
        file("moodle_backup.xml", b"<moodle_backup/>"),
        file("../../escaped.txt", b"x"),
    ]);
    let err = refused(&s, "slip.mbz", &bytes);
    assert!(matches!(err, ImportError::UnsafeEntry { .. }), "{err}");
}

#[test]
fn a_windows_parent_directory_entry_in_a_zip_is_refused() {
    let s = Scene::new();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    w.start_file("..\\..\\escaped.txt", opts).expect("start");
    w.write_all(b"x").expect("write");
    let bytes = w.finish().expect("zip").into_inner();
    let err = refused(&s, "slip.zip", &bytes);
    assert!(matches!(err, ImportError::UnsafeEntry { .. }), "{err}");
}

#[test]
fn an_absolute_path_is_refused() {
    let s = Scene::new();
    let bytes = tar_gz(vec![file("/tmp/escaped-etapolku", b"x")]);
    let err = refused(&s, "abs.mbz", &bytes);
    assert!(matches!(err, ImportError::UnsafeEntry { .. }), "{err}");
}

#[test]
fn a_symlink_is_refused() {
    let s = Scene::new();
    let bytes = tar_gz(vec![
        raw_entry("files", tar::EntryType::Symlink, "/etc", b""),
        file("files/passwd", b"x"),
    ]);
    let err = refused(&s, "link.mbz", &bytes);
    assert!(err.to_string().contains("symbolic link"), "{err}");
}

#[test]
fn a_symlink_in_a_zip_is_refused() {
    let s = Scene::new();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.add_symlink("files", "/etc", zip::write::SimpleFileOptions::default())
        .expect("symlink");
    let bytes = w.finish().expect("zip").into_inner();
    let err = refused(&s, "link.zip", &bytes);
    assert!(err.to_string().contains("symbolic link"), "{err}");
}

#[test]
fn a_hardlink_is_refused() {
    let s = Scene::new();
    let bytes = tar_gz(vec![raw_entry(
        "moodle_backup.xml",
        tar::EntryType::Link,
        "/etc/passwd",
        b"",
    )]);
    let err = refused(&s, "hard.mbz", &bytes);
    assert!(err.to_string().contains("hard link"), "{err}");
}

#[test]
fn a_device_file_is_refused() {
    let s = Scene::new();
    let bytes = tar_gz(vec![raw_entry("dev", tar::EntryType::Char, "", b"")]);
    let err = refused(&s, "dev.mbz", &bytes);
    assert!(matches!(err, ImportError::UnsafeEntry { .. }), "{err}");
}

/// 1 MiB of zeros as one gzip member; a multi-member gzip is still one valid gzip stream.
fn zero_member(header: Option<&[u8]>) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    if let Some(h) = header {
        gz.write_all(h).expect("header");
    }
    gz.write_all(&vec![0u8; 1 << 20]).expect("zeros");
    gz.finish().expect("member")
}

#[test]
fn a_gzip_bomb_is_stopped_early() {
    // 3 GiB of zeros after a tar header announcing a file just under the 2 GiB per-entry cap
    // (so only the ratio check can stop it), written member by member: 3 MB on disk.
    let s = Scene::new();
    let mut header = tar::Header::new_gnu();
    header.set_path("zeros.bin").expect("path");
    header.set_size((2 << 30) - 1);
    header.set_mode(0o644);
    header.set_cksum();
    let path = s.parent.path().join("bomb.mbz");
    let mut out = File::create(&path).expect("create");
    out.write_all(&zero_member(Some(header.as_bytes())))
        .expect("first");
    let member = zero_member(None);
    for _ in 1..3072 {
        out.write_all(&member).expect("member");
    }
    drop(out);
    let started = Instant::now();
    let err = s.import(&path, &Limits::default()).expect_err("refused");
    assert!(matches!(err, ImportError::LimitExceeded(_)), "{err}");
    assert!(err.to_string().contains("ratio"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20));
    // The partly written entry is gone with the staging folder it was in.
    assert!(!s.parent.path().join("staging/unpacked").exists());
    s.assert_nothing_escaped();
}

#[test]
fn the_total_size_cap_holds_even_for_incompressible_data() {
    let s = Scene::new();
    let noise: Vec<u8> = (0..300_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let bytes = tar_gz(vec![file("a.bin", &noise), file("b.bin", &noise)]);
    let upload = s.upload("big.mbz", &bytes);
    let limits = Limits {
        max_total_bytes: 500_000,
        ..Limits::default()
    };
    let err = s.import(&upload, &limits).expect_err("refused");
    assert!(matches!(err, ImportError::LimitExceeded(_)), "{err}");
}

/// A zip with one deflated entry of `mib` MiB of zeros, its deflate stream built from one
/// full-flushed 1 MiB block repeated (so the test does not compress gigabytes).
fn zip_bomb(mib: u32) -> Vec<u8> {
    let mut c = flate2::Compress::new(Compression::best(), false);
    let mut block = Vec::with_capacity(1 << 20);
    c.compress_vec(&vec![0u8; 1 << 20], &mut block, flate2::FlushCompress::Full)
        .expect("deflate");
    let mut end = Vec::with_capacity(64);
    c.compress_vec(&[], &mut end, flate2::FlushCompress::Finish)
        .expect("finish");
    let mut data = Vec::new();
    for _ in 0..mib {
        data.extend_from_slice(&block);
    }
    data.extend_from_slice(&end);
    let name = b"zeros.bin";
    let size = mib.saturating_mul(1 << 20);
    let crc = 0u32; // never reached: the reader stops long before the end
    let mut z = Vec::new();
    let le16 = |v: u16| v.to_le_bytes();
    let le32 = |v: u32| v.to_le_bytes();
    z.extend_from_slice(&le32(0x0403_4b50));
    for v in [20u16, 0, 8, 0, 0] {
        z.extend_from_slice(&le16(v));
    }
    for v in [crc, data.len() as u32, size] {
        z.extend_from_slice(&le32(v));
    }
    z.extend_from_slice(&le16(name.len() as u16));
    z.extend_from_slice(&le16(0));
    z.extend_from_slice(name);
    z.extend_from_slice(&data);
    let cd_offset = z.len() as u32;
    z.extend_from_slice(&le32(0x0201_4b50));
    for v in [20u16, 20, 0, 8, 0, 0] {
        z.extend_from_slice(&le16(v));
    }
    for v in [crc, data.len() as u32, size] {
        z.extend_from_slice(&le32(v));
    }
    for v in [name.len() as u16, 0, 0, 0, 0] {
        z.extend_from_slice(&le16(v));
    }
    z.extend_from_slice(&le32(0));
    z.extend_from_slice(&le32(0));
    z.extend_from_slice(name);
    let cd_size = z.len() as u32 - cd_offset;
    z.extend_from_slice(&le32(0x0605_4b50));
    for v in [0u16, 0, 1, 1] {
        z.extend_from_slice(&le16(v));
    }
    z.extend_from_slice(&le32(cd_size));
    z.extend_from_slice(&le32(cd_offset));
    z.extend_from_slice(&le16(0));
    z
}

#[test]
fn a_zip_bomb_is_stopped_early() {
    let s = Scene::new();
    let started = Instant::now();
    let err = refused(&s, "bomb.zip", &zip_bomb(2048));
    assert!(matches!(err, ImportError::LimitExceeded(_)), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn too_many_entries_are_refused() {
    let s = Scene::new();
    let entries = (0..60).map(|i| file(&format!("f{i}"), b"x")).collect();
    let upload = s.upload("many.mbz", &tar_gz(entries));
    let limits = Limits {
        max_entries: 50,
        ..Limits::default()
    };
    let err = s.import(&upload, &limits).expect_err("refused");
    assert!(err.to_string().contains("entries"), "{err}");

    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..60 {
        w.start_file(format!("f{i}"), zip::write::SimpleFileOptions::default())
            .expect("start");
    }
    let upload = s.upload("many.zip", &w.finish().expect("zip").into_inner());
    let err = s.import(&upload, &limits).expect_err("refused");
    assert!(err.to_string().contains("entries"), "{err}");
}

fn backup_with(xml: &str) -> Vec<u8> {
    tar_gz(vec![file("moodle_backup.xml", xml.as_bytes())])
}

#[test]
fn xxe_is_refused() {
    let s = Scene::new();
    let xml = r#"<?xml version="1.0"?>
<!DOCTYPE moodle_backup [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<moodle_backup><information><original_course_fullname>&x;</original_course_fullname></information></moodle_backup>"#;
    let err = refused(&s, "xxe.mbz", &backup_with(xml));
    assert!(matches!(err, ImportError::XmlWithDtd { .. }), "{err}");
}

#[test]
fn billion_laughs_is_refused() {
    let s = Scene::new();
    let mut dtd = String::from("<!ENTITY l0 \"lol\">");
    for i in 1..10 {
        let prev = format!("&l{};", i - 1).repeat(10);
        dtd.push_str(&format!("<!ENTITY l{i} \"{prev}\">"));
    }
    let xml = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [{dtd}]><moodle_backup>&l9;</moodle_backup>"
    );
    let started = Instant::now();
    let err = refused(&s, "lol.mbz", &backup_with(&xml));
    assert!(matches!(err, ImportError::XmlWithDtd { .. }), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_dtd_in_an_activity_file_is_refused_too() {
    let s = Scene::new();
    let backup = r#"<moodle_backup><information><details><detail backup_id="b"><type>course</type><format>moodle2</format></detail></details>
<contents><activities><activity><moduleid>5</moduleid><sectionid>1</sectionid><modulename>page</modulename><title>P</title><directory>activities/page_5</directory></activity></activities>
<sections><section><sectionid>1</sectionid><directory>sections/section_1</directory></section></sections></contents></information></moodle_backup>"#;
    let bytes = tar_gz(vec![
        file("moodle_backup.xml", backup.as_bytes()),
        file(
            "sections/section_1/section.xml",
            b"<section id=\"1\"><number>0</number><sequence>5</sequence><visible>1</visible></section>",
        ),
        file("activities/page_5/module.xml", b"<module id=\"5\"><visible>1</visible></module>"),
        file(
            "activities/page_5/page.xml",
            b"<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><activity><page><content>&x;</content></page></activity>",
        ),
    ]);
    let err = refused(&s, "page.mbz", &bytes);
    assert!(matches!(err, ImportError::XmlWithDtd { .. }), "{err}");
}

#[test]
fn a_truncated_archive_is_a_clean_error() {
    let s = Scene::new();
    let whole = fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/fixtures/gapfill_example_course.mbz"),
    )
    .expect("fixture");
    let err = refused(&s, "cut.mbz", &whole[..whole.len() / 2]);
    assert!(matches!(err, ImportError::CorruptArchive(_)), "{err}");

    let zip = fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/moodle_28_quiz.mbz"),
    )
    .expect("fixture");
    let err = refused(&s, "cut-zip.mbz", &zip[..zip.len() / 2]);
    assert!(matches!(err, ImportError::CorruptArchive(_)), "{err}");
}

#[test]
fn a_zip_named_mbz_without_a_backup_is_unsupported() {
    let s = Scene::new();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file("notes.txt", zip::write::SimpleFileOptions::default())
        .expect("start");
    w.write_all(b"hello").expect("write");
    let err = refused(&s, "course.mbz", &w.finish().expect("zip").into_inner());
    assert!(matches!(err, ImportError::UnsupportedFormat(_)), "{err}");
}

#[test]
fn random_bytes_are_unsupported() {
    let s = Scene::new();
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_246_822_519) >> 7) as u8)
        .collect();
    let err = refused(&s, "random.mbz", &bytes);
    assert!(matches!(err, ImportError::UnsupportedFormat(_)), "{err}");
}

#[test]
fn gzip_of_random_bytes_is_corrupt() {
    let s = Scene::new();
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(&[7u8; 2000]).expect("write");
    let err = refused(&s, "junk.mbz", &gz.finish().expect("gz"));
    assert!(matches!(err, ImportError::CorruptArchive(_)), "{err}");
}

#[test]
fn an_empty_file_is_refused() {
    let s = Scene::new();
    let err = refused(&s, "empty.mbz", b"");
    assert!(matches!(err, ImportError::Empty), "{err}");
}

#[test]
fn imported_html_is_sanitised() {
    let s = Scene::new();
    let backup = r#"<moodle_backup><information><original_course_fullname>C</original_course_fullname><details><detail backup_id="b"><type>course</type><format>moodle2</format></detail></details>
<contents><activities><activity><moduleid>5</moduleid><sectionid>1</sectionid><modulename>page</modulename><title>P</title><directory>activities/page_5</directory></activity></activities>
<sections><section><sectionid>1</sectionid><directory>sections/section_1</directory></section></sections></contents></information></moodle_backup>"#;
    let page = r#"<activity id="1" moduleid="5" modulename="page" contextid="9"><page id="1"><name>{mlang fi}Lepo{mlang}{mlang sv}Vila{mlang}</name><content>&lt;p onclick="x()"&gt;Hei&lt;script&gt;alert(1)&lt;/script&gt;&lt;a href="javascript:alert(1)"&gt;linkki&lt;/a&gt;&lt;/p&gt;</content><contentformat>1</contentformat></page></activity>"#;
    let bytes = tar_gz(vec![
        file("moodle_backup.xml", backup.as_bytes()),
        file(
            "sections/section_1/section.xml",
            b"<section id=\"1\"><number>0</number><sequence>5</sequence><visible>1</visible></section>",
        ),
        file("activities/page_5/module.xml", b"<module id=\"5\"><visible>0</visible></module>"),
        file("activities/page_5/page.xml", page.as_bytes()),
    ]);
    let upload = s.upload("xss.mbz", &bytes);
    let staging = s.parent.path().join("staging");
    let imported = import_path(&upload, &staging, &Limits::default()).expect("imports");
    let item = imported.program.items().next().expect("page");
    assert!(item.hidden, "visible 0 stays hidden");
    assert_eq!(item.title.get("sv"), Some("Vila"));
    assert_eq!(imported.program.languages, ["fi", "sv"]);
    let json = serde_json::to_string(&item.kind).expect("json");
    assert!(json.contains("Hei"));
    for bad in ["script", "onclick", "javascript"] {
        assert!(!json.contains(bad), "{bad} survived: {json}");
    }
}
