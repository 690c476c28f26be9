//! Every package in shared/fixtures/ imported, with module and item counts derived by hand from
//! each backup's XML (unpacked with tar/unzip; moodle_backup.xml `contents`, each
//! sections/section_N/section.xml `sequence`, the activities' XML and files.xml), never from
//! the importer's own output.

use std::collections::BTreeMap;
use std::path::PathBuf;

use etapolku_content::model::{ItemKind, LessonPage, QuestionKind};
use etapolku_content::{ImportError, Imported, Limits, import_path};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/fixtures")
        .join(name)
}

fn import(name: &str) -> (tempfile::TempDir, Imported) {
    let staging = tempfile::tempdir().expect("tempdir");
    let imported = import_path(&fixture(name), staging.path(), &Limits::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    for blob in &imported.blobs {
        assert!(
            blob.path.starts_with(staging.path()),
            "{name}: blob outside staging"
        );
        assert!(blob.path.is_file(), "{name}: blob {} missing", blob.sha256);
    }
    (staging, imported)
}

fn items(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

fn skipped_mentioning(imported: &Imported, what: &str) -> usize {
    imported
        .report
        .skipped
        .iter()
        .filter(|s| s.what.contains(what))
        .count()
}

#[test]
fn gapfill_course_keeps_labels_and_page_and_skips_gapfill_questions() {
    // Sections 0 and 1. Section 0 sequence 127,130,133,132,131: 127 and 130 are not in the
    // backup; 133 label, 132 page, 131 label. Section 1: quizzes 128 and 129, whose question
    // instances are gapfill (4 and 2) and ddwtos (1): no supported question, 7 skipped.
    let (_d, i) = import("gapfill_example_course.mbz");
    assert_eq!(i.report.modules, 2);
    assert_eq!(i.report.items, items(&[("page", 3), ("exercise", 2)]));
    assert_eq!(i.report.exercises, 0);
    assert_eq!(skipped_mentioning(&i, "quiz"), 7);
    assert_eq!(
        i.identity.moodle.as_ref().map(|m| m.backup_type.as_str()),
        Some("course")
    );
}

#[test]
fn lorem2016_course_has_pages_links_forums_and_a_folder() {
    // Sections 0–4: forum | label, page, url, forum | folder, page | page | url.
    // files/ holds the folder's two blobs (docx + pdf).
    let (_d, i) = import("ietou_lorem2016_moodle29.mbz");
    assert_eq!(i.report.modules, 5);
    assert_eq!(
        i.report.items,
        items(&[("page", 4), ("link", 2), ("discussion", 2), ("folder", 1)])
    );
    assert_eq!(i.report.files, 2);
    let folder = i
        .program
        .items()
        .find_map(|it| match &it.kind {
            ItemKind::Folder { files } => Some(files.len()),
            _ => None,
        })
        .expect("folder");
    assert_eq!(folder, 2);
}

#[test]
fn lincs_books_course_keeps_every_book_and_skips_the_certificate() {
    // Sections 0–10 (4–10 empty). Section 0: book ×3, forum; 1: book ×8; 2: book ×2;
    // 3: book, page, certificate (third-party), page, resource (PDF, sortorder 1, blob present).
    let (_d, i) = import("lincs_l2a_self_determination_moodle26_books.mbz");
    assert_eq!(i.report.modules, 11);
    assert_eq!(
        i.report.items,
        items(&[("book", 14), ("page", 2), ("discussion", 1), ("file", 1)])
    );
    assert_eq!(skipped_mentioning(&i, "certificate"), 1);
    // Chapter images are blobs referenced from the HTML, never @@PLUGINFILE@@ left behind.
    let json = serde_json::to_string(&i.program).expect("json");
    assert!(!json.contains("@@PLUGINFILE@@"));
    assert!(json.contains("etapolku-blob:"));
    assert!(i.report.files > 1);
}

#[test]
fn lincs_facilitated_module_has_lesson_and_assignments() {
    // One section (1): page, forum, assign, lesson, assign ×3. Lesson 976 page types
    // 20,3,2,3 → 1 content page + 3 question pages; each assignment is one free-text answer.
    let (_d, i) = import("lincs_nested_facilitated_delivery_sample_module_moodle265_zip.mbz");
    assert_eq!(i.report.modules, 1);
    assert_eq!(
        i.report.items,
        items(&[
            ("page", 1),
            ("discussion", 1),
            ("exercise", 4),
            ("lesson", 1)
        ])
    );
    assert_eq!(i.report.exercises, 4 + 3);
}

#[test]
fn lincs_flipped_module_follows_the_lesson_page_chain() {
    // One section: page, label, lesson 1071 (20,3,1,20), page, lesson 1073 (20,3,2,3), label,
    // assign ×3, label.
    let (_d, i) = import("lincs_nested_flipped_delivery_sample_module_moodle265_zip.mbz");
    assert_eq!(i.report.modules, 1);
    assert_eq!(
        i.report.items,
        items(&[("page", 5), ("lesson", 2), ("exercise", 3)])
    );
    assert_eq!(i.report.exercises, 3 + 2 + 3);
    // lesson.xml page 210 → 211 → 212 → 213: Reflect, Respond, And now?, Looking forward.
    let pages = i
        .program
        .items()
        .find(|it| it.id == "cm-1071")
        .and_then(|it| match &it.kind {
            ItemKind::Lesson { pages } => Some(pages.clone()),
            _ => None,
        })
        .expect("lesson 1071");
    let kinds: Vec<&str> = pages
        .iter()
        .map(|p| match p {
            LessonPage::Content { .. } => "content",
            LessonPage::Question { question, .. } => question.kind.name(),
        })
        .collect();
    assert_eq!(kinds, ["content", "multichoice", "shortanswer", "content"]);
}

#[test]
fn lincs_self_study_module_has_three_lessons() {
    // One section: page, page, lesson 1063 (20,3,1,20), page, lesson 1065 (20,3,2,3),
    // lesson 1066 (3,3,3), assign ×2, label.
    let (_d, i) = import("lincs_nested_self-study_delivery_sample_module_moodle265_zip.mbz");
    assert_eq!(i.report.modules, 1);
    assert_eq!(
        i.report.items,
        items(&[("page", 4), ("lesson", 3), ("exercise", 2)])
    );
    assert_eq!(i.report.exercises, 2 + 2 + 3 + 3);
}

#[test]
fn moodle_28_activity_backup_is_one_quiz() {
    // type activity: no sections; one quiz (cmid 4) with slots 1, 2 → questions 15, 16, both
    // truefalse ("False" is the right answer: fraction 1 on the false answer).
    let (_d, i) = import("moodle_28_quiz.mbz");
    assert_eq!(i.report.modules, 1);
    assert_eq!(i.report.items, items(&[("exercise", 1)]));
    assert_eq!(i.report.exercises, 2);
    let item = i.program.items().next().expect("quiz");
    let ItemKind::Exercise { questions, .. } = &item.kind else {
        panic!("not an exercise");
    };
    assert_eq!(questions[0].id, "q-15");
    assert_eq!(
        questions[0].kind,
        QuestionKind::TrueFalse { correct: false }
    );
}

#[test]
fn moodle_311_activity_backup_skips_random_questions() {
    // type activity; quiz 2's three slots are all qtype random.
    let (_d, i) = import("moodle_311_quiz.mbz");
    assert_eq!(i.report.modules, 1);
    assert_eq!(i.report.items, items(&[("exercise", 1)]));
    assert_eq!(i.report.exercises, 0);
    assert_eq!(skipped_mentioning(&i, "question"), 3);
}

#[test]
fn moodle_26_availability_course_reads_the_old_quiz_layout() {
    // Sections 1–4 (no section 0 in the backup). Section 1: page, quiz (2.6 layout:
    // questions "1,0", one truefalse); section 2: 13 pages, forum; 3 and 4 empty.
    let (_d, i) = import("moodle_availability_26_format.mbz");
    assert_eq!(i.report.modules, 4);
    assert_eq!(
        i.report.items,
        items(&[("page", 14), ("exercise", 1), ("discussion", 1)])
    );
    assert_eq!(i.report.exercises, 1);
}

#[test]
fn deadlock_course_keeps_packages_as_files() {
    // Sections 0–4. Section 0: forum; section 1: 3 (not in the backup), folder (test.txt),
    // imscp (original zip in mod_imscp/backup), scorm (validscorm.zip in mod_scorm/package).
    let (_d, i) = import("moodle_backup_controller_deadlock.mbz");
    assert_eq!(i.report.modules, 5);
    assert_eq!(
        i.report.items,
        items(&[("discussion", 1), ("folder", 1), ("embedded_package", 2)])
    );
    assert_eq!(i.report.files, 3);
}

#[test]
fn legacy_completion_course_is_one_assignment() {
    // Sections 0–5; section 0: assign 109000.
    let (_d, i) = import("moodle_legacy_course_completion.mbz");
    assert_eq!(i.report.modules, 6);
    assert_eq!(i.report.items, items(&[("exercise", 1)]));
    assert_eq!(i.report.exercises, 1);
}

#[test]
fn question_category_35_course_has_an_empty_quiz() {
    // Sections 0–4; section 0: forum 82, quiz 83 (no question instances).
    let (_d, i) = import("moodle_question_category_35_format.mbz");
    assert_eq!(i.report.modules, 5);
    assert_eq!(i.report.items, items(&[("discussion", 1), ("exercise", 1)]));
    assert_eq!(i.report.exercises, 0);
}

#[test]
fn missing_users_course_skips_the_absent_activity() {
    // Section 0 sequence 1,2: cmid 1 is not in the backup; 2 is a quiz with one truefalse.
    let (_d, i) = import("moodle_quiz_question_attempts_missing_users.mbz");
    assert_eq!(i.report.modules, 1);
    assert_eq!(i.report.items, items(&[("exercise", 1)]));
    assert_eq!(i.report.exercises, 1);
}

#[test]
fn uploadcourse_zip_backup_has_a_glossary() {
    // A zip .mbz. Sections 0–10; section 0: glossary 112 (a page of its entries).
    let (_d, i) = import("moodle_uploadcourse_backup.mbz");
    assert_eq!(i.report.modules, 11);
    assert_eq!(i.report.items, items(&[("page", 1)]));
}

#[test]
fn studentquiz_30_course_without_files_skips_resources_and_studentquiz() {
    // Sections 0–10 and 999 (hidden). 50 pages, 10 assignments, 1 forum, 3 quizzes (in 999:
    // multichoice | truefalse | multichoice + shortanswer); 3 resources whose files.xml has no
    // record (files stripped) and the third-party studentquiz are skipped.
    let (_d, i) = import("studentquiz_moodle30_mdk101_course_nofiles.mbz");
    assert_eq!(i.report.modules, 12);
    assert_eq!(
        i.report.items,
        items(&[("page", 50), ("exercise", 13), ("discussion", 1)])
    );
    assert_eq!(i.report.exercises, 10 + 1 + 1 + 2);
    assert_eq!(skipped_mentioning(&i, "(resource)"), 3);
    assert_eq!(skipped_mentioning(&i, "(studentquiz)"), 1);
    let last = i.program.modules.last().expect("modules");
    assert!(last.hidden, "section 999 is hidden (visible 0)");
}

#[test]
fn studentquiz_45_course_is_empty_but_reported() {
    // Moodle 4.5: section 0 holds only the third-party studentquiz 2.
    let (_d, i) = import("studentquiz_moodle45_course.mbz");
    assert_eq!(i.report.modules, 1);
    assert!(i.report.items.is_empty());
    assert_eq!(skipped_mentioning(&i, "(studentquiz)"), 1);
}

#[test]
fn scorm_packages_import_as_one_embedded_package() {
    // Titles: imsmanifest.xml organizations/@default → organization/title; in complexscorm the
    // default matches no organization, so the first one's title.
    for (file, title) in [
        (
            "scorm12_singlesco_golf.zip",
            "Golf Explained - CP Single SCO",
        ),
        (
            "scorm12_runtimeminimumcalls_mini_multisco.zip",
            "Golf Explained - Minimum Run-time Calls",
        ),
        ("scorm12_complexscorm_jleyva.zip", "The organization"),
    ] {
        let (_d, i) = import(file);
        assert_eq!(i.report.format, "scorm", "{file}");
        assert_eq!(i.report.modules, 1, "{file}");
        assert_eq!(i.report.items, items(&[("embedded_package", 1)]), "{file}");
        assert_eq!(i.program.title.get("und"), Some(title), "{file}");
        assert_eq!(i.blobs.len(), 1);
        assert_eq!(
            i.blobs[0].size,
            std::fs::metadata(fixture(file)).expect("meta").len()
        );
    }
}

#[test]
fn h5p_packages_import_as_one_embedded_package() {
    // h5p.json: title "Greeting card" (language und), "Multiple Choice" (defaultLanguage en).
    let (_d, i) = import("h5p_greeting_card_887.h5p");
    assert_eq!(i.report.format, "h5p");
    assert_eq!(i.report.items, items(&[("embedded_package", 1)]));
    assert_eq!(i.program.title.get("und"), Some("Greeting card"));
    let (_d, i) = import("h5p_multiple_choice_2_6.h5p");
    assert_eq!(i.program.title.get("en"), Some("Multiple Choice"));
    assert_eq!(i.program.languages, ["en"]);
}

#[test]
fn common_cartridges_are_refused_cleanly() {
    // imsmanifest.xml metadata/schema is "IMS Common Cartridge": not a format we read.
    for file in ["imscc_modules_canvas.imscc", "imscc_empty.imscc"] {
        let staging = tempfile::tempdir().expect("tempdir");
        let err =
            import_path(&fixture(file), staging.path(), &Limits::default()).expect_err("refused");
        assert!(
            matches!(err, ImportError::UnsupportedFormat(_)),
            "{file}: {err}"
        );
        assert!(err.to_string().contains("Common Cartridge"));
    }
}

#[test]
fn reimporting_the_same_file_gives_the_same_identity() {
    let (_a, first) = import("moodle_28_quiz.mbz");
    let (_b, second) = import("moodle_28_quiz.mbz");
    assert_eq!(first.identity, second.identity);
    assert_eq!(first.program, second.program);
    let moodle = first.identity.moodle.expect("moodle identity");
    assert!(!moodle.backup_id.is_empty());
}
