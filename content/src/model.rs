//! Program → modules → items, with language variants.
//!
//! Plain serde types: importers build them, the server stores them as they are. Media are not
//! inlined: an item or an HTML text refers to a blob by the hex sha256 of its content, and HTML
//! links to a blob as `etapolku-blob:<sha256>` (see [`BLOB_URL_SCHEME`]), which the server
//! rewrites to its own media URL when it delivers the page.

use serde::{Deserialize, Serialize};

/// A language a text is written in: `fi` or `sv` (R-LANG), or another BCP 47 tag found in imports;
/// `und` when the source does not say.
pub type Lang = String;

/// The URL scheme through which imported HTML refers to a blob: `etapolku-blob:<sha256>`.
/// A scheme of our own, so the server can find and rewrite every reference without parsing URLs.
pub const BLOB_URL_SCHEME: &str = "etapolku-blob";

/// A text in one or more languages; the first variant is the original.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Localized(pub Vec<(Lang, String)>);

impl Localized {
    pub fn single(lang: &str, text: impl Into<String>) -> Localized {
        Localized(vec![(lang.to_owned(), text.into())])
    }

    /// The variant in `lang`, else the original.
    pub fn get(&self, lang: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(l, _)| l == lang)
            .or_else(|| self.0.first())
            .map(|(_, t)| t.as_str())
    }

    /// True when no variant has any text.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|(_, t)| t.trim().is_empty())
    }

    /// The languages this text has a variant in.
    pub fn langs(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(l, _)| l.as_str())
    }
}

/// A whole web-rehabilitation program, e.g. the OMApolku content of one course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Program {
    pub title: Localized,
    #[serde(default)]
    pub summary: Localized,
    /// Every language a text of the program has a variant in; the first is the original.
    pub languages: Vec<Lang>,
    pub modules: Vec<Module>,
}

/// One module (a Moodle section); OMApolku has one per remote week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Module {
    /// Stable within the source, so a new version of the same backup keeps its ids
    /// (`section-45` for a Moodle section id, the file stem for our own format).
    pub id: String,
    /// Empty when the source gave no name (Moodle's "Section 3"): the UI names it by its week.
    pub title: Localized,
    pub summary: Localized,
    pub items: Vec<Item>,
    pub hidden: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Stable within the source (`cm-137` for a Moodle course-module id).
    pub id: String,
    pub title: Localized,
    /// The description shown with the item (Moodle's activity intro); may be empty.
    #[serde(default)]
    pub intro: Localized,
    #[serde(flatten)]
    pub kind: ItemKind,
    pub hidden: bool,
}

/// What a participant does with an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ItemKind {
    /// Sanitised HTML (a Moodle page, label or glossary).
    Page {
        html: Localized,
    },
    /// Chapters in reading order (a Moodle book).
    Book {
        chapters: Vec<Chapter>,
    },
    /// Content pages and question pages in reading order (a Moodle lesson).
    Lesson {
        pages: Vec<LessonPage>,
    },
    /// `blob` is the recording in the program's original language; `captions` are WebVTT blobs.
    Video {
        blob: String,
        captions: Vec<(Lang, String)>,
        /// The same video recorded in another language: (language, blob). Empty when there is
        /// one recording for everyone. See [`ItemKind::media_blob`].
        #[serde(default)]
        variants: Vec<(Lang, String)>,
    },
    /// `blob` is the recording in the program's original language.
    Audio {
        blob: String,
        transcript: Option<Localized>,
        /// The same recording in another language: (language, blob), e.g. a relaxation guide
        /// read in Swedish. See [`ItemKind::media_blob`].
        #[serde(default)]
        variants: Vec<(Lang, String)>,
    },
    File {
        blob: String,
        filename: String,
    },
    /// Files in folders (a Moodle folder); `path` is relative, `/`-separated.
    Folder {
        files: Vec<FolderFile>,
    },
    Link {
        url: String,
    },
    /// Questions the participant answers (a quiz, feedback, assignment or our own exercise).
    Exercise {
        instructions: Localized,
        questions: Vec<Question>,
    },
    /// A discussion in the course's group room; `intro` of the item is its description.
    Discussion,
    /// A SCORM, H5P or IMS content package kept as a file (`format`: `scorm`, `h5p`, `imscp`).
    EmbeddedPackage {
        blob: String,
        format: String,
    },
    /// A suggested self-rehabilitation task (omakuntoutus, R-SELFREHAB): something concrete the
    /// participant does in daily life. The participant (with their guide) turns it into a task of
    /// their own plan, keeping or changing the suggested rhythm.
    Task {
        /// What to do, when and for how long (sanitised HTML).
        instructions: Localized,
        /// How many times a week (1–7); with `days`, the number of days.
        #[serde(default)]
        times_per_week: Option<u8>,
        /// Fixed weekdays, Monday first; `None` when any day will do.
        #[serde(default)]
        days: Option<Vec<Weekday>>,
        /// For how many weeks (1–52); `None` until the participant decides.
        #[serde(default)]
        weeks: Option<u8>,
        /// How long one time takes, in minutes (1–1440).
        #[serde(default)]
        minutes: Option<u16>,
    },
}

/// A day of the week (weeks start on Monday, UX.md A16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    /// Monday to Sunday.
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    /// `mon`…`sun`, as serialised.
    pub fn code(self) -> &'static str {
        match self {
            Weekday::Mon => "mon",
            Weekday::Tue => "tue",
            Weekday::Wed => "wed",
            Weekday::Thu => "thu",
            Weekday::Fri => "fri",
            Weekday::Sat => "sat",
            Weekday::Sun => "sun",
        }
    }

    /// Parses `mon`…`sun` (case-insensitive).
    pub fn from_code(code: &str) -> Option<Weekday> {
        Weekday::ALL
            .into_iter()
            .find(|d| d.code().eq_ignore_ascii_case(code))
    }
}

impl ItemKind {
    pub fn name(&self) -> &'static str {
        match self {
            ItemKind::Page { .. } => "page",
            ItemKind::Book { .. } => "book",
            ItemKind::Lesson { .. } => "lesson",
            ItemKind::Video { .. } => "video",
            ItemKind::Audio { .. } => "audio",
            ItemKind::File { .. } => "file",
            ItemKind::Folder { .. } => "folder",
            ItemKind::Link { .. } => "link",
            ItemKind::Exercise { .. } => "exercise",
            ItemKind::Discussion => "discussion",
            ItemKind::EmbeddedPackage { .. } => "embedded_package",
            ItemKind::Task { .. } => "task",
        }
    }

    /// The audio or video blob to play for a reader of `lang`: that language's recording if
    /// there is one, else the original. `None` for other kinds.
    pub fn media_blob(&self, lang: &str) -> Option<&str> {
        match self {
            ItemKind::Audio { blob, variants, .. } | ItemKind::Video { blob, variants, .. } => {
                Some(
                    variants
                        .iter()
                        .find(|(l, _)| l == lang)
                        .map_or(blob.as_str(), |(_, b)| b.as_str()),
                )
            }
            _ => None,
        }
    }

    /// How many questions a participant answers in this item.
    pub fn question_count(&self) -> usize {
        match self {
            ItemKind::Exercise { questions, .. } => questions.len(),
            ItemKind::Lesson { pages } => pages
                .iter()
                .filter(|p| matches!(p, LessonPage::Question { .. }))
                .count(),
            _ => 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chapter {
    pub id: String,
    pub title: Localized,
    pub html: Localized,
    /// A subchapter of the chapter before it.
    pub subchapter: bool,
    pub hidden: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "page", rename_all = "snake_case")]
pub enum LessonPage {
    Content {
        id: String,
        title: Localized,
        html: Localized,
    },
    Question {
        id: String,
        title: Localized,
        question: Question,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderFile {
    pub path: String,
    pub blob: String,
}

/// One question of an exercise. Marks are not kept: rehabilitation exercises are not graded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    /// Sanitised HTML.
    pub text: Localized,
    #[serde(default)]
    pub feedback: Localized,
    #[serde(flatten)]
    pub kind: QuestionKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum QuestionKind {
    MultiChoice {
        single: bool,
        choices: Vec<Choice>,
    },
    TrueFalse {
        correct: bool,
    },
    /// Free short text; `accepted` lists the answers the source marks right (may be empty).
    ShortAnswer {
        accepted: Vec<String>,
    },
    /// `accepted` values as written in the source, with their tolerance.
    Numerical {
        accepted: Vec<NumericAnswer>,
    },
    /// A free-text answer.
    Essay,
    /// Text only, nothing to answer.
    Description,
}

impl QuestionKind {
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::MultiChoice { .. } => "multichoice",
            QuestionKind::TrueFalse { .. } => "truefalse",
            QuestionKind::ShortAnswer { .. } => "shortanswer",
            QuestionKind::Numerical { .. } => "numerical",
            QuestionKind::Essay => "essay",
            QuestionKind::Description => "description",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Sanitised HTML.
    pub text: Localized,
    /// The source gives this choice a positive mark.
    pub correct: bool,
    #[serde(default)]
    pub feedback: Localized,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumericAnswer {
    pub value: String,
    pub tolerance: String,
}

impl Program {
    /// Every item of every module, in order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.modules.iter().flat_map(|m| m.items.iter())
    }

    /// Calls `f` on every text of the program, so an importer can fix language tags afterwards.
    pub fn for_each_text_mut(&mut self, f: &mut dyn FnMut(&mut Localized)) {
        f(&mut self.title);
        f(&mut self.summary);
        for module in &mut self.modules {
            f(&mut module.title);
            f(&mut module.summary);
            for item in &mut module.items {
                f(&mut item.title);
                f(&mut item.intro);
                item.kind.for_each_text_mut(f);
            }
        }
    }
}

impl ItemKind {
    fn for_each_text_mut(&mut self, f: &mut dyn FnMut(&mut Localized)) {
        match self {
            ItemKind::Page { html } => f(html),
            ItemKind::Book { chapters } => {
                for c in chapters {
                    f(&mut c.title);
                    f(&mut c.html);
                }
            }
            ItemKind::Lesson { pages } => {
                for p in pages {
                    match p {
                        LessonPage::Content { title, html, .. } => {
                            f(title);
                            f(html);
                        }
                        LessonPage::Question {
                            title, question, ..
                        } => {
                            f(title);
                            question.for_each_text_mut(f);
                        }
                    }
                }
            }
            ItemKind::Audio {
                transcript: Some(t),
                ..
            } => f(t),
            ItemKind::Exercise {
                instructions,
                questions,
            } => {
                f(instructions);
                for q in questions {
                    q.for_each_text_mut(f);
                }
            }
            ItemKind::Task { instructions, .. } => f(instructions),
            _ => {}
        }
    }
}

impl Question {
    fn for_each_text_mut(&mut self, f: &mut dyn FnMut(&mut Localized)) {
        f(&mut self.text);
        f(&mut self.feedback);
        if let QuestionKind::MultiChoice { choices, .. } = &mut self.kind {
            for c in choices {
                f(&mut c.text);
                f(&mut c.feedback);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_language_variant_falls_back_to_the_original() {
        let t = Localized(vec![
            ("fi".into(), "Lepo".into()),
            ("sv".into(), "Vila".into()),
        ]);
        assert_eq!(t.get("sv"), Some("Vila"));
        assert_eq!(t.get("en"), Some("Lepo"));
        assert_eq!(Localized::default().get("fi"), None);
    }

    #[test]
    fn items_serialise_with_their_kind() {
        let item = ItemKind::Link {
            url: "https://example.fi".into(),
        };
        let json = serde_json::to_string(&item).expect("json");
        assert!(json.contains(r#""kind":"link""#));
        assert_eq!(item.name(), "link");
    }

    #[test]
    fn an_item_round_trips_through_json() {
        let item = Item {
            id: "cm-1".into(),
            title: Localized::single("fi", "Kysely"),
            intro: Localized::default(),
            kind: ItemKind::Exercise {
                instructions: Localized::single("fi", "<p>Vastaa</p>"),
                questions: vec![Question {
                    id: "q-1".into(),
                    text: Localized::single("fi", "Nukutko hyvin?"),
                    feedback: Localized::default(),
                    kind: QuestionKind::TrueFalse { correct: true },
                }],
            },
            hidden: false,
        };
        let json = serde_json::to_string(&item).expect("json");
        assert!(json.contains(r#""kind":"exercise""#));
        assert!(json.contains(r#""type":"truefalse""#));
        let back: Item = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, item);
    }

    #[test]
    fn a_task_round_trips_through_json_with_its_rhythm() {
        let item = Item {
            id: "02-lepo-ja-uni-4".into(),
            title: Localized::single("fi", "Iltarauhoittuminen"),
            intro: Localized::default(),
            kind: ItemKind::Task {
                instructions: Localized::single("fi", "<p>15 minuuttia ennen nukkumaanmenoa.</p>"),
                times_per_week: Some(3),
                days: Some(vec![Weekday::Mon, Weekday::Wed, Weekday::Fri]),
                weeks: Some(4),
                minutes: Some(15),
            },
            hidden: false,
        };
        let json = serde_json::to_string(&item).expect("json");
        assert!(json.contains(r#""kind":"task""#));
        assert!(json.contains(r#""days":["mon","wed","fri"]"#));
        assert_eq!(item.kind.name(), "task");
        assert_eq!(item.kind.question_count(), 0);
        let back: Item = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, item);
        // Optional fields may be left out of stored JSON.
        let bare: ItemKind =
            serde_json::from_str(r#"{"kind":"task","instructions":[["fi","x"]]}"#).expect("bare");
        assert!(matches!(
            bare,
            ItemKind::Task {
                times_per_week: None,
                days: None,
                weeks: None,
                minutes: None,
                ..
            }
        ));
    }

    #[test]
    fn a_recording_in_the_readers_language_is_chosen() {
        let audio = ItemKind::Audio {
            blob: "fi-sha".into(),
            transcript: None,
            variants: vec![("sv".into(), "sv-sha".into())],
        };
        assert_eq!(audio.media_blob("sv"), Some("sv-sha"));
        assert_eq!(audio.media_blob("fi"), Some("fi-sha"));
        assert_eq!(audio.media_blob("en"), Some("fi-sha"));
        // Stored JSON from before variants existed still reads.
        let old: ItemKind =
            serde_json::from_str(r#"{"kind":"video","blob":"v","captions":[["fi","c"]]}"#)
                .expect("old video");
        assert_eq!(old.media_blob("sv"), Some("v"));
        assert_eq!(ItemKind::Discussion.media_blob("fi"), None);
    }

    #[test]
    fn weekday_codes_parse_case_insensitively() {
        assert_eq!(Weekday::from_code("Wed"), Some(Weekday::Wed));
        assert_eq!(Weekday::from_code("ke"), None);
        assert!(
            Weekday::ALL
                .iter()
                .all(|d| Weekday::from_code(d.code()) == Some(*d))
        );
    }
}
