//! Program → modules → items, with language variants.

use serde::{Deserialize, Serialize};

/// A language a text is written in: `fi` or `sv` (R-LANG), or another BCP 47 tag found in imports.
pub type Lang = String;

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
}

/// A whole web-rehabilitation program, e.g. the OMApolku content of one course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Program {
    pub title: Localized,
    pub languages: Vec<Lang>,
    pub modules: Vec<Module>,
}

/// One module (a Moodle section); OMApolku has one per remote week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Module {
    pub title: Localized,
    pub summary: Localized,
    pub items: Vec<Item>,
    pub hidden: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub title: Localized,
    pub kind: ItemKind,
    pub hidden: bool,
}

/// What a participant does with an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ItemKind {
    /// Sanitised HTML.
    Page {
        html: Localized,
    },
    Video {
        blob: String,
        captions: Vec<(Lang, String)>,
    },
    Audio {
        blob: String,
        transcript: Option<Localized>,
    },
    File {
        blob: String,
        filename: String,
    },
    Link {
        url: String,
    },
    Exercise {
        instructions: Localized,
    },
    /// A SCORM, H5P or IMS package kept as a file.
    EmbeddedPackage {
        blob: String,
        format: String,
    },
}

impl ItemKind {
    pub fn name(&self) -> &'static str {
        match self {
            ItemKind::Page { .. } => "page",
            ItemKind::Video { .. } => "video",
            ItemKind::Audio { .. } => "audio",
            ItemKind::File { .. } => "file",
            ItemKind::Link { .. } => "link",
            ItemKind::Exercise { .. } => "exercise",
            ItemKind::EmbeddedPackage { .. } => "embedded_package",
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
}
