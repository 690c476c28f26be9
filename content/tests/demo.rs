//! The demo program in `programs/demo/`: 12 weekly modules for family caregivers' own
//! wellbeing, complete in Finnish and Swedish, with exercises, self-rehabilitation task
//! suggestions, audio guides and a captioned video whose files all exist.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use etapolku_content::model::{ItemKind, Localized, QuestionKind};
use etapolku_content::{Imported, Limits, import_path};

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("programs/demo")
}

fn import(staging: &Path) -> Imported {
    import_path(&demo_dir(), staging, &Limits::default()).expect("the demo program imports")
}

fn has_both(t: &Localized) -> bool {
    ["fi", "sv"]
        .iter()
        .all(|lang| t.0.iter().any(|(l, s)| l == lang && !s.trim().is_empty()))
}

#[test]
fn the_demo_program_imports_with_twelve_modules_in_finnish_and_swedish() {
    let staging = tempfile::tempdir().expect("staging");
    let i = import(staging.path());
    assert_eq!(i.report.format, "native");
    assert!(i.report.warnings.is_empty(), "{:?}", i.report.warnings);
    assert!(i.report.skipped.is_empty(), "{:?}", i.report.skipped);
    assert_eq!(i.program.languages, ["fi", "sv"]);
    assert!(has_both(&i.program.title) && has_both(&i.program.summary));
    assert_eq!(i.report.modules, 12);
    assert_eq!(i.program.modules.len(), 12);

    for m in &i.program.modules {
        assert!(!m.hidden, "{}", m.id);
        assert!(has_both(&m.title), "module {} title", m.id);
        assert!(has_both(&m.summary), "module {} summary", m.id);
        for item in &m.items {
            assert!(has_both(&item.title), "item {} title", item.id);
            assert!(!item.hidden, "{}", item.id);
        }
        let kinds: Vec<&str> = m.items.iter().map(|i| i.kind.name()).collect();
        assert!(kinds.contains(&"page"), "module {} has no text", m.id);
        assert!(
            kinds.contains(&"exercise"),
            "module {} has no exercise",
            m.id
        );
        assert!(kinds.contains(&"task"), "module {} has no task", m.id);
    }
    // Every text that exists at all exists in both languages (translations are matched by
    // position, so a missing or extra item in one language shows up here too).
    let mut program = i.program.clone();
    let mut one_language = Vec::new();
    program.for_each_text_mut(&mut |t| {
        if !t.is_empty() && !has_both(t) {
            one_language.push(t.clone());
        }
    });
    assert!(one_language.is_empty(), "{one_language:#?}");
}

#[test]
fn every_module_has_exercises_and_concrete_task_suggestions() {
    let staging = tempfile::tempdir().expect("staging");
    let i = import(staging.path());
    let mut question_kinds = BTreeSet::new();
    let mut scales = 0;
    for m in &i.program.modules {
        for item in &m.items {
            match &item.kind {
                ItemKind::Exercise {
                    instructions,
                    questions,
                } => {
                    assert!(has_both(instructions), "{}", item.id);
                    assert!(!questions.is_empty(), "{}", item.id);
                    for q in questions {
                        assert!(has_both(&q.text), "{}", q.id);
                        question_kinds.insert(q.kind.name());
                        if let QuestionKind::MultiChoice { choices, .. } = &q.kind {
                            assert!(choices.len() >= 2, "{}", q.id);
                            assert!(choices.iter().all(|c| has_both(&c.text)), "{}", q.id);
                            // A scale: five steps, none of them "right".
                            if choices.len() == 5 && choices.iter().all(|c| !c.correct) {
                                scales += 1;
                            }
                        }
                    }
                }
                ItemKind::Task {
                    instructions,
                    times_per_week,
                    days,
                    weeks,
                    ..
                } => {
                    assert!(has_both(instructions), "{}", item.id);
                    // Concrete (R-SELFREHAB): what, when and how long, and a rhythm.
                    let fi = instructions.get("fi").unwrap_or_default();
                    let sv = instructions.get("sv").unwrap_or_default();
                    for word in ["Mitä:", "Milloin:", "Kuinka kauan:"] {
                        assert!(fi.contains(word), "{} lacks {word}", item.id);
                    }
                    for word in ["Vad:", "När:", "Hur länge:"] {
                        assert!(sv.contains(word), "{} lacks {word}", item.id);
                    }
                    let per_week = times_per_week.expect("a rhythm");
                    assert!((1..=7).contains(&per_week), "{}", item.id);
                    assert!(weeks.is_some(), "{}", item.id);
                    if let Some(days) = days {
                        assert_eq!(days.len(), usize::from(per_week), "{}", item.id);
                    }
                }
                _ => {}
            }
        }
    }
    for kind in ["essay", "multichoice", "truefalse"] {
        assert!(question_kinds.contains(kind), "no {kind} question");
    }
    assert!(scales >= 3, "only {scales} scale questions");
    // The example from Kela's self-rehabilitation research: 15 minutes before going to bed.
    let evening = i
        .program
        .items()
        .find(|it| it.title.get("fi") == Some("Iltarauhoittuminen"))
        .expect("the evening task");
    assert!(matches!(
        evening.kind,
        ItemKind::Task {
            times_per_week: Some(7),
            weeks: Some(4),
            minutes: Some(15),
            ..
        }
    ));
}

#[test]
fn audio_guides_and_the_video_are_in_both_languages_and_every_blob_exists() {
    let staging = tempfile::tempdir().expect("staging");
    let i = import(staging.path());
    let blob = |sha: &str| {
        let b = i
            .blobs
            .iter()
            .find(|b| b.sha256 == sha)
            .unwrap_or_else(|| panic!("blob {sha} is not in the import"));
        let meta = fs::metadata(&b.path).expect("the blob file exists in staging");
        assert_eq!(meta.len(), b.size);
        assert!(b.size > 0);
        b
    };
    let mut audio = 0;
    let mut videos = 0;
    for m in &i.program.modules {
        for item in &m.items {
            match &item.kind {
                ItemKind::Audio {
                    blob: original,
                    transcript,
                    variants,
                } => {
                    audio += 1;
                    assert!(transcript.as_ref().is_some_and(has_both), "{}", item.id);
                    assert_eq!(blob(original).media_type, "audio/mpeg");
                    let sv = item.kind.media_blob("sv").expect("sv audio");
                    assert_ne!(sv, original, "{}: the Swedish audio is its own", item.id);
                    assert_eq!(variants.len(), 1);
                    assert_eq!(blob(sv).media_type, "audio/mpeg");
                }
                ItemKind::Video {
                    blob: original,
                    captions,
                    ..
                } => {
                    videos += 1;
                    assert!(has_both(&item.intro), "{}: transcript", item.id);
                    assert_eq!(blob(original).media_type, "video/mp4");
                    let sv = item.kind.media_blob("sv").expect("sv video");
                    assert_ne!(sv, original);
                    assert_eq!(blob(sv).media_type, "video/mp4");
                    let langs: Vec<&str> = captions.iter().map(|(l, _)| l.as_str()).collect();
                    assert_eq!(langs, ["fi", "sv"], "{}", item.id);
                    let mut timings = Vec::new();
                    for (_, sha) in captions {
                        let b = blob(sha);
                        assert_eq!(b.media_type, "text/vtt");
                        let text = fs::read_to_string(&b.path).expect("vtt");
                        assert!(text.starts_with("WEBVTT"), "{}", b.filename);
                        timings.push(
                            text.lines()
                                .filter(|l| l.contains(" --> "))
                                .map(str::to_owned)
                                .collect::<Vec<_>>(),
                        );
                    }
                    // Both caption files fit both recordings: the same cues at the same times.
                    assert!(!timings[0].is_empty());
                    assert_eq!(timings[0], timings[1]);
                }
                _ => {}
            }
        }
    }
    assert!(audio >= 4, "only {audio} audio items");
    assert!(videos >= 1, "no video");
    // Every blob the import lists exists, and the media stay small.
    for b in &i.blobs {
        blob(&b.sha256);
    }
    assert_eq!(i.report.files, i.blobs.len());
    assert!(
        i.report.bytes < 5 * 1024 * 1024,
        "media take {} bytes",
        i.report.bytes
    );
}

/// Plain language (UX.md A13): no sentence in a participant text is longer than 15 words.
#[test]
fn sentences_are_at_most_fifteen_words() {
    let staging = tempfile::tempdir().expect("staging");
    let mut program = import(staging.path()).program;
    let mut long = Vec::new();
    program.for_each_text_mut(&mut |t| {
        for (lang, html) in &t.0 {
            for sentence in sentences(html) {
                let words = sentence.split_whitespace().count();
                if words > 15 {
                    long.push(format!("{lang} ({words} words): {sentence}"));
                }
            }
        }
    });
    for m in &program.modules {
        for item in &m.items {
            for (lang, title) in &item.title.0 {
                if title.split_whitespace().count() > 15 {
                    long.push(format!("{lang} title: {title}"));
                }
            }
        }
    }
    assert!(long.is_empty(), "{long:#?}");
}

/// The text of an HTML fragment split at tags, line ends and sentence ends.
fn sentences(html: &str) -> Vec<String> {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push('\n');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for line in text.lines() {
        let mut current = String::new();
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            current.push(c);
            if matches!(c, '.' | '!' | '?' | ':') && chars.peek().is_none_or(|n| n.is_whitespace())
            {
                out.push(std::mem::take(&mut current));
            }
        }
        out.push(current);
    }
    out.into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
fn the_media_script_names_every_media_file_of_the_program() {
    // make-media.sh regenerates media/ from the texts; nothing in media/ is left over from an
    // item that no longer exists, and nothing the program names is missing.
    let dir = demo_dir();
    let staging = tempfile::tempdir().expect("staging");
    let i = import(staging.path());
    let named: BTreeSet<String> = i.blobs.iter().map(|b| b.filename.clone()).collect();
    let on_disk: BTreeSet<String> = fs::read_dir(dir.join("media"))
        .expect("media folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(named, on_disk);
    assert!(dir.join("make-media.sh").is_file());
}
