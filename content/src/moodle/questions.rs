//! questions.xml: the question bank a quiz draws from. Before Moodle 4.0 questions sit directly
//! in their category; from 4.0 in `question_bank_entries/…/question_versions/…/questions`.

use std::collections::HashMap;
use std::path::Path;

use roxmltree::Node;

use crate::Ctx;
use crate::error::ImportError;
use crate::xml;

#[derive(Debug, Clone)]
pub(crate) struct RawAnswer {
    pub id: i64,
    pub text: String,
    pub format: i64,
    pub fraction: f64,
    pub feedback: String,
    pub feedbackformat: i64,
}

#[derive(Debug, Clone)]
pub(crate) struct RawQuestion {
    pub id: i64,
    pub name: String,
    pub qtype: String,
    pub text: String,
    pub textformat: i64,
    pub generalfeedback: String,
    pub generalfeedbackformat: i64,
    /// The context of the question's category: its files are filed under it.
    pub context: i64,
    pub answers: Vec<RawAnswer>,
    /// multichoice: one answer only.
    pub single: bool,
    /// truefalse: the id of the answer that means "true".
    pub true_answer: Option<i64>,
    /// numerical: tolerance by answer id.
    pub tolerance: HashMap<i64, String>,
}

#[derive(Default)]
pub(crate) struct Bank {
    questions: HashMap<i64, RawQuestion>,
    /// Moodle ≥ 4.0: bank entry id → (version, question id).
    entries: HashMap<i64, Vec<(i64, i64)>>,
}

impl Bank {
    pub(crate) fn load(root: &Path, ctx: &mut Ctx<'_>) -> Result<Bank, ImportError> {
        let path = root.join("questions.xml");
        let mut bank = Bank::default();
        if !path.is_file() {
            return Ok(bank);
        }
        let text = xml::read(&path, "questions.xml", ctx.limits)?;
        let doc = xml::parse(&text, "questions.xml", ctx.limits)?;
        for cat in xml::children(doc.root_element(), "question_category") {
            let context = xml::int(cat, "contextid").unwrap_or(-1);
            if let Some(qs) = xml::child(cat, "questions") {
                for q in xml::children(qs, "question") {
                    bank.add(q, context);
                }
            }
            let Some(entries) = xml::child(cat, "question_bank_entries") else {
                continue;
            };
            for entry in xml::children(entries, "question_bank_entry") {
                let entry_id: i64 = entry
                    .attribute("id")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(-1);
                let Some(versions) = xml::child(entry, "question_version") else {
                    continue;
                };
                for v in xml::children(versions, "question_versions") {
                    let version = xml::int(v, "version").unwrap_or(0);
                    let Some(qs) = xml::child(v, "questions") else {
                        continue;
                    };
                    for q in xml::children(qs, "question") {
                        if let Some(id) = bank.add(q, context) {
                            bank.entries
                                .entry(entry_id)
                                .or_default()
                                .push((version, id));
                        }
                    }
                }
            }
        }
        Ok(bank)
    }

    fn add(&mut self, q: Node<'_, '_>, context: i64) -> Option<i64> {
        let id: i64 = q.attribute("id")?.parse().ok()?;
        let qtype = xml::text(q, "qtype");
        let plugin = xml::child(q, &format!("plugin_qtype_{qtype}_question"));
        let answers = plugin
            .and_then(|p| xml::child(p, "answers"))
            .map(|a| {
                xml::children(a, "answer")
                    .map(|a| RawAnswer {
                        id: a.attribute("id").and_then(|v| v.parse().ok()).unwrap_or(-1),
                        text: xml::text(a, "answertext"),
                        format: xml::int(a, "answerformat").unwrap_or(0),
                        fraction: xml::float(a, "fraction").unwrap_or(0.0),
                        feedback: xml::text(a, "feedback"),
                        feedbackformat: xml::int(a, "feedbackformat").unwrap_or(1),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let single = plugin
            .and_then(|p| xml::child(p, "multichoice"))
            .is_none_or(|m| xml::int(m, "single").unwrap_or(1) != 0);
        let true_answer = plugin
            .and_then(|p| xml::child(p, "truefalse"))
            .and_then(|t| xml::int(t, "trueanswer"));
        let tolerance = plugin
            .and_then(|p| xml::child(p, "numerical_records"))
            .map(|r| {
                xml::children(r, "numerical_record")
                    .filter_map(|n| Some((xml::int(n, "answer")?, xml::text(n, "tolerance"))))
                    .collect()
            })
            .unwrap_or_default();
        self.questions.insert(
            id,
            RawQuestion {
                id,
                name: xml::text(q, "name"),
                qtype,
                text: xml::text(q, "questiontext"),
                textformat: xml::int(q, "questiontextformat").unwrap_or(1),
                generalfeedback: xml::text(q, "generalfeedback"),
                generalfeedbackformat: xml::int(q, "generalfeedbackformat").unwrap_or(1),
                context,
                answers,
                single,
                true_answer,
                tolerance,
            },
        );
        Some(id)
    }

    pub(crate) fn question(&self, id: i64) -> Option<&RawQuestion> {
        self.questions.get(&id)
    }

    /// The question of a bank entry: the given version, or the newest when `None`.
    pub(crate) fn entry(&self, entry: i64, version: Option<i64>) -> Option<&RawQuestion> {
        let versions = self.entries.get(&entry)?;
        let id = match version {
            Some(v) => versions.iter().find(|(ver, _)| *ver == v)?.1,
            None => versions.iter().max_by_key(|(ver, _)| *ver)?.1,
        };
        self.questions.get(&id)
    }
}
