//! Our own program folder format (content/README.md), imported as a folder and as a zip of it.

use std::fs;
use std::io::Write;

use etapolku_content::model::{ItemKind, QuestionKind, Weekday};
use etapolku_content::{ImportError, Limits, import_path};

fn program_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    fs::write(
        p.join("program.toml"),
        "languages = [\"fi\", \"sv\"]\n[title]\nfi = \"Omaishoitajan hyvinvointi\"\nsv = \"Närståendevårdarens välbefinnande\"\n",
    )
    .expect("toml");
    fs::create_dir(p.join("media")).expect("media");
    fs::write(p.join("media/lepo.ogg"), b"OggS fake audio").expect("audio");
    fs::write(p.join("media/kuva.png"), b"\x89PNG fake").expect("image");
    fs::write(
        p.join("01-lepo.fi.md"),
        "+++\ntitle = \"Lepo ja uni\"\n+++\nTällä viikolla levätään.\n\n## Lue\nUni on tärkeää. ![kuva](media/kuva.png)\n\n## Rentoutus {audio=media/lepo.ogg}\nHengitä rauhallisesti.\n\n## Harjoitus {exercise}\nVastaa kysymyksiin.\n### ? Nukutko hyvin? {truefalse=true}\n### ? Mikä auttaa? {multichoice}\n- [x] Lepo\n- [ ] Kiire\n### ? Mitä teet huomenna? {essay}\n",
    )
    .expect("fi");
    fs::write(
        p.join("01-lepo.sv.md"),
        "+++\ntitle = \"Vila och sömn\"\n+++\nDen här veckan vilar vi.\n\n## Läs\nSömn är viktigt.\n\n## Avslappning {audio=media/lepo.ogg}\nAndas lugnt.\n\n## Övning {exercise}\nSvara.\n### ? Sover du bra? {truefalse=true}\n### ? Vad hjälper? {multichoice}\n- [x] Vila\n- [ ] Brådska\n### ? Vad gör du i morgon? {essay}\n",
    )
    .expect("sv");
    dir
}

#[test]
fn a_program_folder_imports_with_both_languages() {
    let folder = program_folder();
    let staging = tempfile::tempdir().expect("staging");
    let i = import_path(folder.path(), staging.path(), &Limits::default()).expect("imports");
    assert_eq!(i.report.format, "native");
    assert_eq!(i.program.languages, ["fi", "sv"]);
    assert_eq!(i.report.modules, 1);
    let m = &i.program.modules[0];
    assert_eq!(m.title.get("sv"), Some("Vila och sömn"));
    assert_eq!(m.items.len(), 3);
    assert!(matches!(m.items[1].kind, ItemKind::Audio { .. }));
    let ItemKind::Exercise { questions, .. } = &m.items[2].kind else {
        panic!("exercise");
    };
    assert_eq!(questions.len(), 3);
    assert_eq!(questions[0].kind, QuestionKind::TrueFalse { correct: true });
    let QuestionKind::MultiChoice { choices, .. } = &questions[1].kind else {
        panic!("multichoice");
    };
    assert_eq!(choices[0].text.get("sv"), Some("Vila"));
    assert!(choices[0].correct);
    // The image in the page and the audio are blobs copied into staging.
    assert_eq!(i.report.files, 2);
    let ItemKind::Page { html } = &m.items[0].kind else {
        panic!("page");
    };
    assert!(html.get("fi").is_some_and(|h| h.contains("etapolku-blob:")));
    assert!(i.blobs.iter().all(|b| b.path.starts_with(staging.path())));
    assert_eq!(i.report.exercises, 3);
}

#[test]
fn a_zip_of_a_program_folder_imports_the_same() {
    let folder = program_folder();
    let zip_dir = tempfile::tempdir().expect("zipdir");
    let zip_path = zip_dir.path().join("ohjelma.zip");
    let mut w = zip::ZipWriter::new(fs::File::create(&zip_path).expect("zip"));
    let opts = zip::write::SimpleFileOptions::default();
    for name in [
        "program.toml",
        "01-lepo.fi.md",
        "01-lepo.sv.md",
        "media/lepo.ogg",
        "media/kuva.png",
    ] {
        w.start_file(format!("ohjelma/{name}"), opts)
            .expect("start");
        w.write_all(&fs::read(folder.path().join(name)).expect("read"))
            .expect("write");
    }
    w.finish().expect("finish");
    let staging = tempfile::tempdir().expect("staging");
    let from_zip = import_path(&zip_path, staging.path(), &Limits::default()).expect("zip");
    let staging2 = tempfile::tempdir().expect("staging");
    let from_dir = import_path(folder.path(), staging2.path(), &Limits::default()).expect("dir");
    assert_eq!(from_zip.program, from_dir.program);
}

#[test]
fn media_outside_the_folder_is_refused() {
    let folder = program_folder();
    fs::write(
        folder.path().join("02-ulos.fi.md"),
        "## Pako {file=../../etc/passwd}\n",
    )
    .expect("md");
    let staging = tempfile::tempdir().expect("staging");
    let err = import_path(folder.path(), staging.path(), &Limits::default()).expect_err("refused");
    assert!(matches!(err, ImportError::InvalidProgram(_)), "{err}");
}

#[test]
fn a_task_item_carries_its_instructions_and_rhythm() {
    let folder = program_folder();
    let p = folder.path();
    fs::write(
        p.join("02-ilta.fi.md"),
        "+++\ntitle = \"Ilta\"\n+++\n## Iltarauhoittuminen {task days=daily weeks=4 minutes=15}\n- **Mitä:** Sammuta televisio.\n- **Milloin:** 15 minuuttia ennen nukkumaanmenoa.\n\n## Kävely {task days=wed,mon}\nKävele.\n",
    )
    .expect("fi");
    fs::write(
        p.join("02-ilta.sv.md"),
        "+++\ntitle = \"Kväll\"\n+++\n## Varva ner {task days=daily weeks=4 minutes=15}\n- **Vad:** Stäng av tv:n.\n- **När:** 15 minuter innan du lägger dig.\n\n## Promenad {task days=wed,mon}\nPromenera.\n",
    )
    .expect("sv");
    let staging = tempfile::tempdir().expect("staging");
    let i = import_path(p, staging.path(), &Limits::default()).expect("imports");
    assert_eq!(i.report.items.get("task"), Some(&2));
    let m = &i.program.modules[1];
    let ItemKind::Task {
        instructions,
        times_per_week,
        days,
        weeks,
        minutes,
    } = &m.items[0].kind
    else {
        panic!("task");
    };
    assert_eq!(m.items[0].title.get("sv"), Some("Varva ner"));
    assert!(
        instructions
            .get("fi")
            .is_some_and(|h| h.contains("<strong>Mitä:</strong>"))
    );
    assert!(
        instructions
            .get("sv")
            .is_some_and(|h| h.contains("Stäng av"))
    );
    assert_eq!(*times_per_week, Some(7));
    assert_eq!(days.as_ref().map(Vec::len), Some(7));
    assert_eq!((*weeks, *minutes), (Some(4), Some(15)));
    let ItemKind::Task {
        times_per_week,
        days,
        ..
    } = &m.items[1].kind
    else {
        panic!("task");
    };
    assert_eq!(*times_per_week, Some(2));
    assert_eq!(days.as_deref(), Some(&[Weekday::Mon, Weekday::Wed][..]));
}

#[test]
fn a_task_without_instructions_or_with_an_impossible_rhythm_is_refused() {
    for module in [
        "## Tyhjä {task days=daily}\n",
        "## Liikaa {task times_per_week=9}\nKävele.\n",
        "## Väärä päivä {task days=maanantai}\nKävele.\n",
    ] {
        let folder = program_folder();
        fs::write(folder.path().join("02-x.fi.md"), module).expect("md");
        let staging = tempfile::tempdir().expect("staging");
        let err = import_path(folder.path(), staging.path(), &Limits::default()).expect_err(module);
        assert!(matches!(err, ImportError::InvalidProgram(_)), "{err}");
        assert!(!err.to_string().contains('\n'), "one line: {err}");
    }
}

#[test]
fn a_translation_may_name_its_own_recording() {
    let folder = program_folder();
    let p = folder.path();
    fs::write(p.join("media/lepo.sv.ogg"), b"OggS fake swedish audio").expect("sv audio");
    let sv = fs::read_to_string(p.join("01-lepo.sv.md")).expect("sv");
    fs::write(
        p.join("01-lepo.sv.md"),
        sv.replace("{audio=media/lepo.ogg}", "{audio=media/lepo.sv.ogg}"),
    )
    .expect("sv");
    let staging = tempfile::tempdir().expect("staging");
    let i = import_path(p, staging.path(), &Limits::default()).expect("imports");
    let audio = &i.program.modules[0].items[1].kind;
    let ItemKind::Audio { blob, variants, .. } = audio else {
        panic!("audio");
    };
    assert_eq!(variants.len(), 1);
    assert_eq!(audio.media_blob("sv"), Some(variants[0].1.as_str()));
    assert_eq!(audio.media_blob("fi"), Some(blob.as_str()));
    assert_ne!(variants[0].1, *blob);
    assert_eq!(i.report.files, 3);
}
