//! What "done" means, defined once: how each kind of content item completes, when a module and
//! the program count as complete, and the per-minute cap on visible time. The same rules are
//! written out in plain language for guides and participants (`GET /progress/rules`).

use etapolku_content::model::{ItemKind, Question, QuestionKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Audio and video complete when the furthest position reached is at least this share of the
/// duration, so the closing credits need not be sat through.
pub const MEDIA_DONE_PERCENT: f64 = 90.0;

/// At most this many visible seconds are credited per wall-clock minute, however many tabs or
/// items send heartbeats at once.
pub const SECONDS_PER_MINUTE: i32 = 60;

/// How an item was completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CompletedHow {
    /// The participant marked it done ("Merkitse tehdyksi").
    Marked,
    /// Audio or video played far enough.
    Media,
    /// The exercise's answers were submitted.
    Answered,
}

impl CompletedHow {
    pub fn as_str(self) -> &'static str {
        match self {
            CompletedHow::Marked => "marked",
            CompletedHow::Media => "media",
            CompletedHow::Answered => "answered",
        }
    }

    pub fn parse(s: &str) -> Option<CompletedHow> {
        [
            CompletedHow::Marked,
            CompletedHow::Media,
            CompletedHow::Answered,
        ]
        .into_iter()
        .find(|h| h.as_str() == s)
    }
}

/// The way one kind of item becomes complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    /// Played to ≥ 90 % (automatic), or marked done.
    Media,
    /// Completes when answers are submitted; cannot be marked done.
    Answer,
    /// The participant marks it done.
    Mark,
}

impl Completion {
    /// May the participant mark an item of this kind done themselves?
    pub fn markable(self) -> bool {
        !matches!(self, Completion::Answer)
    }
}

/// A question the participant answers (a description is only text to read).
pub fn answerable(q: &Question) -> bool {
    !matches!(q.kind, QuestionKind::Description)
}

/// The one place that says how each kind of item completes.
pub fn completion_of(kind: &ItemKind) -> Completion {
    match kind {
        ItemKind::Video { .. } | ItemKind::Audio { .. } => Completion::Media,
        ItemKind::Exercise { questions, .. } if questions.iter().any(answerable) => {
            Completion::Answer
        }
        ItemKind::Exercise { .. }
        | ItemKind::Page { .. }
        | ItemKind::Book { .. }
        | ItemKind::Lesson { .. }
        | ItemKind::File { .. }
        | ItemKind::Folder { .. }
        | ItemKind::Link { .. }
        | ItemKind::Discussion
        | ItemKind::EmbeddedPackage { .. }
        | ItemKind::Task { .. } => Completion::Mark,
    }
}

/// Has audio or video been played far enough? `furthest` and `duration` in seconds.
pub fn media_done(furthest: f64, duration: f64) -> bool {
    duration > 0.0 && furthest * 100.0 >= duration * MEDIA_DONE_PERCENT
}

/// Done and required items of one module. A module is complete when every required item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ModuleCount {
    pub done: usize,
    pub required: usize,
}

impl ModuleCount {
    /// A module with nothing to do counts as complete.
    pub fn complete(self) -> bool {
        self.done >= self.required
    }
}

/// Program completion: complete modules of the visible ones, and done items of all required ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProgramCount {
    pub completed_modules: usize,
    pub total_modules: usize,
    pub completed_items: usize,
    pub total_items: usize,
}

pub fn program_count(modules: &[ModuleCount]) -> ProgramCount {
    modules.iter().fold(ProgramCount::default(), |mut p, m| {
        p.total_modules += 1;
        p.completed_modules += usize::from(m.complete());
        p.total_items += m.required;
        p.completed_items += m.done.min(m.required);
        p
    })
}

/// The heartbeat cap: how much of `asked` seconds to credit in wall-clock minute `minute`, when
/// `used` seconds were already credited in minute `used_minute`. Returns (credited, used after).
pub fn credit(asked: i32, minute: i64, used_minute: i64, used: i32) -> (i32, i32) {
    let used = if used_minute == minute { used } else { 0 };
    let credited = asked.clamp(0, (SECONDS_PER_MINUTE - used).max(0));
    (credited, used + credited)
}

/// A text in the three UI languages.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Texts {
    pub fi: &'static str,
    pub sv: &'static str,
    pub en: &'static str,
}

/// One completion rule in plain language.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RuleText {
    /// An item kind (`video`, `exercise`, …), or `module` / `program` for the totals.
    pub kind: &'static str,
    pub text: Texts,
}

const MARKED: Texts = Texts {
    fi: "Valmis, kun merkitset sen tehdyksi (”Merkitse tehdyksi”).",
    sv: "Klar när du markerar den som gjord (”Markera som gjord”).",
    en: "Done when you mark it done (“Mark as done”).",
};

const MEDIA: Texts = Texts {
    fi: "Valmis, kun olet kuunnellut tai katsonut vähintään 90 % tallenteesta, tai kun merkitset sen tehdyksi.",
    sv: "Klar när du har lyssnat på eller sett minst 90 % av inspelningen, eller när du markerar den som gjord.",
    en: "Done when you have listened to or watched at least 90 % of the recording, or when you mark it done.",
};

/// Every rule, in the order the UI lists them.
pub fn rules() -> Vec<RuleText> {
    let marked = |kind| RuleText { kind, text: MARKED };
    vec![
        RuleText {
            kind: "video",
            text: MEDIA,
        },
        RuleText {
            kind: "audio",
            text: MEDIA,
        },
        RuleText {
            kind: "exercise",
            text: Texts {
                fi: "Tehtävä, jossa on kysymyksiä, on valmis, kun lähetät vastauksesi. Tehtävä ilman kysymyksiä on valmis, kun merkitset sen tehdyksi.",
                sv: "En uppgift med frågor är klar när du skickar dina svar. En uppgift utan frågor är klar när du markerar den som gjord.",
                en: "An exercise with questions is done when you send your answers. An exercise without questions is done when you mark it done.",
            },
        },
        marked("page"),
        marked("book"),
        marked("lesson"),
        marked("file"),
        marked("folder"),
        marked("link"),
        marked("discussion"),
        marked("embedded_package"),
        marked("task"),
        RuleText {
            kind: "module",
            text: Texts {
                fi: "Moduuli on valmis, kun sen kaikki osiot ovat valmiita.",
                sv: "En modul är klar när alla dess delar är klara.",
                en: "A module is done when all its items are done.",
            },
        },
        RuleText {
            kind: "program",
            text: Texts {
                fi: "Ohjelman edistyminen on valmiiden moduulien määrä kaikista moduuleista.",
                sv: "Framstegen i programmet är antalet klara moduler av alla moduler.",
                en: "Progress through the program is the number of done modules out of all modules.",
            },
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use etapolku_content::model::Localized;

    fn question(kind: QuestionKind) -> Question {
        Question {
            id: "q1".into(),
            text: Localized::single("fi", "?"),
            feedback: Localized::default(),
            kind,
        }
    }

    #[test]
    fn each_kind_completes_its_own_way() {
        let video = ItemKind::Video {
            blob: "x".into(),
            captions: vec![],
            variants: vec![],
        };
        assert_eq!(completion_of(&video), Completion::Media);
        let answered = ItemKind::Exercise {
            instructions: Localized::default(),
            questions: vec![question(QuestionKind::Essay)],
        };
        assert_eq!(completion_of(&answered), Completion::Answer);
        assert!(!completion_of(&answered).markable());
        // Only text to read: nothing to answer, so it is marked like a page.
        let reading = ItemKind::Exercise {
            instructions: Localized::default(),
            questions: vec![question(QuestionKind::Description)],
        };
        assert_eq!(completion_of(&reading), Completion::Mark);
        assert_eq!(completion_of(&ItemKind::Discussion), Completion::Mark);
        let page = ItemKind::Page {
            html: Localized::default(),
        };
        assert_eq!(completion_of(&page), Completion::Mark);
        assert!(completion_of(&page).markable());
    }

    #[test]
    fn media_is_done_from_ninety_percent() {
        assert!(media_done(90.0, 100.0));
        assert!(!media_done(89.0, 100.0));
        assert!(!media_done(89.99, 100.0));
        assert!(media_done(100.0, 100.0));
        assert!(media_done(27.0, 30.0));
        assert!(!media_done(0.0, 0.0));
    }

    #[test]
    fn modules_and_the_program_are_counted_from_items() {
        let modules = [
            ModuleCount {
                done: 3,
                required: 3,
            },
            ModuleCount {
                done: 2,
                required: 3,
            },
            ModuleCount {
                done: 0,
                required: 0,
            },
            ModuleCount {
                done: 0,
                required: 4,
            },
        ];
        assert!(modules[0].complete());
        assert!(!modules[1].complete());
        assert!(modules[2].complete(), "nothing to do is done");
        assert_eq!(
            program_count(&modules),
            ProgramCount {
                completed_modules: 2,
                total_modules: 4,
                completed_items: 5,
                total_items: 10,
            }
        );
        assert_eq!(program_count(&[]), ProgramCount::default());
    }

    #[test]
    fn a_minute_credits_at_most_sixty_seconds() {
        assert_eq!(credit(30, 100, 100, 0), (30, 30));
        assert_eq!(credit(30, 100, 100, 30), (30, 60));
        assert_eq!(credit(30, 100, 100, 60), (0, 60));
        assert_eq!(credit(45, 100, 100, 30), (30, 60));
        // A new minute starts from nothing.
        assert_eq!(credit(60, 101, 100, 60), (60, 60));
    }

    #[test]
    fn every_kind_has_a_rule_in_three_languages() {
        let rules = rules();
        for kind in [
            "video",
            "audio",
            "exercise",
            "page",
            "book",
            "lesson",
            "file",
            "folder",
            "link",
            "discussion",
            "embedded_package",
            "task",
            "module",
            "program",
        ] {
            let r = rules.iter().find(|r| r.kind == kind).expect(kind);
            assert!(!r.text.fi.is_empty() && !r.text.sv.is_empty() && !r.text.en.is_empty());
        }
    }
}
