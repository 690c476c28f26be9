//! One Moodle activity → one item (or a skip with its reason).

use std::collections::{HashMap, HashSet};

use roxmltree::Node;

use super::questions::{Bank, RawQuestion};
use super::{ActivityRef, Area, Reader};
use crate::error::ImportError;
use crate::model::{
    Chapter, Choice, FolderFile, Item, ItemKind, LessonPage, Localized, NumericAnswer, Question,
    QuestionKind,
};
use crate::{html, xml};

/// Moodle lesson page types (mod/lesson/pagetypes/*.php).
const LESSON_SHORTANSWER: i64 = 1;
const LESSON_TRUEFALSE: i64 = 2;
const LESSON_MULTICHOICE: i64 = 3;
const LESSON_MATCHING: i64 = 5;
const LESSON_NUMERICAL: i64 = 8;
const LESSON_ESSAY: i64 = 10;
const LESSON_BRANCHTABLE: i64 = 20;
const LESSON_STRUCTURE: [i64; 3] = [21, 30, 31];

impl Reader<'_, '_> {
    /// The item for an activity; `None` when it is skipped (and reported).
    pub(crate) fn activity(&mut self, a: &ActivityRef) -> Result<Option<Item>, ImportError> {
        let what = format!("activity {:?} ({})", a.title, a.modulename);
        match self.try_activity(a) {
            Ok(Some(item)) => Ok(Some(item)),
            Ok(None) => Ok(None),
            // Refusals and caps stop the import: they mean hostile or oversized input.
            Err(
                e @ (ImportError::XmlWithDtd { .. }
                | ImportError::LimitExceeded(_)
                | ImportError::Io { .. }),
            ) => Err(e),
            Err(e) => {
                self.ctx.skip(what, e.to_string());
                Ok(None)
            }
        }
    }

    fn try_activity(&mut self, a: &ActivityRef) -> Result<Option<Item>, ImportError> {
        let what = format!("activity {:?} ({})", a.title, a.modulename);
        let module_name = format!("{}/module.xml", a.directory.display());
        let module_text = xml::read(
            &self.root.join(&a.directory).join("module.xml"),
            &module_name,
            self.ctx.limits,
        )?;
        let module_doc = xml::parse(&module_text, &module_name, self.ctx.limits)?;
        let hidden = xml::int(module_doc.root_element(), "visible").unwrap_or(1) == 0;
        drop(module_doc);

        let supported = [
            "page",
            "label",
            "book",
            "url",
            "resource",
            "folder",
            "lesson",
            "quiz",
            "feedback",
            "assign",
            "forum",
            "glossary",
            "scorm",
            "h5pactivity",
            "imscp",
        ];
        if !supported.contains(&a.modulename.as_str()) {
            let why = match a.modulename.as_str() {
                "qbank" => "a question bank, not course content".to_owned(),
                other => format!("the activity type {other:?} is not supported"),
            };
            self.ctx.skip(what, why);
            return Ok(None);
        }

        let (text, name) = self.activity_xml(a)?;
        let doc = xml::parse(&text, &name, self.ctx.limits)?;
        let activity = doc.root_element();
        let context: i64 = activity
            .attribute("contextid")
            .and_then(|v| v.parse().ok())
            .unwrap_or(-1);
        let Some(m) = xml::child(activity, &a.modulename) else {
            return Err(ImportError::InvalidBackup(format!(
                "{name} has no <{}>",
                a.modulename
            )));
        };
        let component = format!("mod_{}", a.modulename);
        let title = {
            let n = xml::text(m, "name");
            self.title(if n.trim().is_empty() { &a.title } else { &n })
        };
        let intro_area = Area::new(context, &component, "intro", 0);
        let intro = self.rich(
            &xml::text(m, "intro"),
            xml::int(m, "introformat").unwrap_or(html::FORMAT_HTML),
            Some(&intro_area),
        )?;
        let mut item = Item {
            id: format!("cm-{}", a.cmid),
            title,
            intro,
            kind: ItemKind::Discussion,
            hidden,
        };
        let kind = match a.modulename.as_str() {
            "page" => {
                let area = Area::new(context, &component, "content", 0);
                let html = self.rich(
                    &xml::text(m, "content"),
                    xml::int(m, "contentformat").unwrap_or(html::FORMAT_HTML),
                    Some(&area),
                )?;
                ItemKind::Page { html }
            }
            // A label is its intro, shown on the course page.
            "label" => ItemKind::Page {
                html: std::mem::take(&mut item.intro),
            },
            "book" => self.book(m, context)?,
            "url" => match safe_url(&xml::text(m, "externalurl")) {
                Some(url) => ItemKind::Link { url },
                None => {
                    self.ctx
                        .skip(what, "its address is empty or not a web link");
                    return Ok(None);
                }
            },
            "resource" => match self.resource(context)? {
                Some(kind) => kind,
                None => {
                    self.ctx.skip(what, "its file is not in the backup");
                    return Ok(None);
                }
            },
            "folder" => self.folder(context)?,
            "lesson" => self.lesson(m, context, &what)?,
            "quiz" => self.quiz(m, &what)?,
            "feedback" => self.feedback(m, context, &what)?,
            "assign" => {
                let mut instructions = std::mem::take(&mut item.intro);
                // Moodle ≥ 4.0 keeps further instructions in `activity`.
                let area = Area::new(context, &component, "activityattachment", 0);
                let more = self.rich(
                    &xml::text(m, "activity"),
                    xml::int(m, "activityformat").unwrap_or(html::FORMAT_HTML),
                    Some(&area),
                )?;
                for (lang, extra) in more.0 {
                    match instructions.0.iter_mut().find(|(l, _)| *l == lang) {
                        Some((_, t)) => t.push_str(&extra),
                        None => instructions.0.push((lang, extra)),
                    }
                }
                ItemKind::Exercise {
                    instructions,
                    questions: vec![Question {
                        id: format!("cm-{}-answer", a.cmid),
                        text: Localized::default(),
                        feedback: Localized::default(),
                        kind: QuestionKind::Essay,
                    }],
                }
            }
            "forum" => ItemKind::Discussion,
            "glossary" => self.glossary(m, context)?,
            "scorm" | "h5pactivity" | "imscp" => {
                let (area, format) = match a.modulename.as_str() {
                    "scorm" => ("package", "scorm"),
                    "h5pactivity" => ("package", "h5p"),
                    // The original package; `content` holds only its unpacked files.
                    _ => ("backup", "imscp"),
                };
                let recs: Vec<_> = self.files.area_any_item(context, &component, area);
                let mut blob = None;
                for rec in recs {
                    if let Some(sha) = self.files.blob(self.root, &rec, self.ctx)? {
                        blob = Some(sha);
                        break;
                    }
                }
                match blob {
                    Some(blob) => ItemKind::EmbeddedPackage {
                        blob,
                        format: format.to_owned(),
                    },
                    None => {
                        self.ctx.skip(what, "its package file is not in the backup");
                        return Ok(None);
                    }
                }
            }
            _ => return Ok(None),
        };
        item.kind = kind;
        // An exercise's description is its instructions (quiz, feedback).
        if let ItemKind::Exercise { instructions, .. } = &mut item.kind
            && instructions.is_empty()
        {
            *instructions = std::mem::take(&mut item.intro);
        }
        Ok(Some(item))
    }

    fn book(&mut self, m: Node<'_, '_>, context: i64) -> Result<ItemKind, ImportError> {
        let mut raw: Vec<(i64, i64, Node<'_, '_>)> = xml::child(m, "chapters")
            .map(|c| {
                xml::children(c, "chapter")
                    .map(|ch| {
                        let id = ch
                            .attribute("id")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(-1);
                        (xml::int(ch, "pagenum").unwrap_or(i64::MAX), id, ch)
                    })
                    .collect()
            })
            .unwrap_or_default();
        // Chapters are not in reading order in the XML (README: book).
        raw.sort_by_key(|(pagenum, id, _)| (*pagenum, *id));
        let mut chapters = Vec::with_capacity(raw.len());
        for (_, id, ch) in raw {
            let area = Area::new(context, "mod_book", "chapter", id);
            chapters.push(Chapter {
                id: format!("chapter-{id}"),
                title: self.title(&xml::text(ch, "title")),
                html: self.rich(
                    &xml::text(ch, "content"),
                    xml::int(ch, "contentformat").unwrap_or(html::FORMAT_HTML),
                    Some(&area),
                )?,
                subchapter: xml::int(ch, "subchapter").unwrap_or(0) != 0,
                hidden: xml::int(ch, "hidden").unwrap_or(0) != 0,
            });
        }
        Ok(ItemKind::Book { chapters })
    }

    fn resource(&mut self, context: i64) -> Result<Option<ItemKind>, ImportError> {
        let recs = self
            .files
            .area(context, "mod_resource", "content", 0)
            .to_vec();
        // Moodle shows the file with the highest sortorder (1 when one is chosen), else the first.
        let mut ordered: Vec<_> = recs.iter().collect();
        ordered.sort_by_key(|r| std::cmp::Reverse(r.sortorder));
        for rec in ordered {
            let Some(blob) = self.files.blob(self.root, rec, self.ctx)? else {
                continue;
            };
            let media_type = self
                .ctx
                .blobs
                .get(&blob)
                .map(|b| b.media_type.clone())
                .unwrap_or_default();
            let kind = if media_type.starts_with("video/") {
                ItemKind::Video {
                    blob,
                    captions: Vec::new(),
                    variants: Vec::new(),
                }
            } else if media_type.starts_with("audio/") {
                ItemKind::Audio {
                    blob,
                    transcript: None,
                    variants: Vec::new(),
                }
            } else {
                ItemKind::File {
                    blob,
                    filename: rec.filename.clone(),
                }
            };
            return Ok(Some(kind));
        }
        Ok(None)
    }

    fn folder(&mut self, context: i64) -> Result<ItemKind, ImportError> {
        let recs = self
            .files
            .area(context, "mod_folder", "content", 0)
            .to_vec();
        let mut files = Vec::new();
        for rec in recs {
            if let Some(blob) = self.files.blob(self.root, &rec, self.ctx)? {
                files.push(FolderFile {
                    path: rec.full_path().trim_start_matches('/').to_owned(),
                    blob,
                });
            }
        }
        Ok(ItemKind::Folder { files })
    }

    fn glossary(&mut self, m: Node<'_, '_>, context: i64) -> Result<ItemKind, ImportError> {
        let mut html: Vec<(String, String)> = Vec::new();
        let entries = xml::child(m, "entries");
        for e in entries.iter().flat_map(|e| xml::children(*e, "entry")) {
            let id = e.attribute("id").and_then(|v| v.parse().ok()).unwrap_or(-1);
            let concept = self.title(&xml::text(e, "concept"));
            let area = Area::new(context, "mod_glossary", "entry", id);
            let definition = self.rich(
                &xml::text(e, "definition"),
                xml::int(e, "definitionformat").unwrap_or(html::FORMAT_HTML),
                Some(&area),
            )?;
            let langs: Vec<String> = concept
                .langs()
                .chain(definition.langs())
                .map(str::to_owned)
                .collect();
            for lang in langs {
                let c = crate::html::escape(concept.get(&lang).unwrap_or_default());
                let d = definition.get(&lang).unwrap_or_default();
                let entry = format!("<dt>{c}</dt><dd>{d}</dd>");
                match html.iter_mut().find(|(l, _)| *l == lang) {
                    Some((_, t)) => t.push_str(&entry),
                    None => html.push((lang, entry)),
                }
            }
        }
        let html = html
            .into_iter()
            .map(|(l, t)| (l, format!("<dl>{t}</dl>")))
            .collect();
        Ok(ItemKind::Page {
            html: Localized(html),
        })
    }

    fn lesson(
        &mut self,
        m: Node<'_, '_>,
        context: i64,
        what: &str,
    ) -> Result<ItemKind, ImportError> {
        let mut by_id: HashMap<i64, Node<'_, '_>> = HashMap::new();
        let mut ids = Vec::new();
        for p in xml::child(m, "pages")
            .iter()
            .flat_map(|p| xml::children(*p, "page"))
        {
            let id = p.attribute("id").and_then(|v| v.parse().ok()).unwrap_or(-1);
            by_id.insert(id, p);
            ids.push(id);
        }
        // Pages form a linked list (prevpageid/nextpageid); the XML order is not reading order.
        let mut order = Vec::new();
        let mut seen = HashSet::new();
        let first = ids.iter().copied().find(|id| {
            by_id
                .get(id)
                .is_some_and(|p| xml::int(*p, "prevpageid") == Some(0))
        });
        let mut next = first;
        while let Some(id) = next {
            if !seen.insert(id) {
                break;
            }
            order.push(id);
            next = by_id
                .get(&id)
                .and_then(|p| xml::int(*p, "nextpageid"))
                .filter(|n| *n != 0 && by_id.contains_key(n));
        }
        let stray: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !seen.contains(id))
            .collect();
        if !stray.is_empty() {
            self.ctx.warn(format!(
                "{what}: {} pages outside the page chain were added at the end",
                stray.len()
            ));
            order.extend(stray);
        }
        let mut pages = Vec::new();
        for id in order {
            let Some(p) = by_id.get(&id).copied() else {
                continue;
            };
            let qtype = xml::int(p, "qtype").unwrap_or(LESSON_BRANCHTABLE);
            let title = self.title(&xml::text(p, "title"));
            let area = Area::new(context, "mod_lesson", "page_contents", id);
            let html = self.rich(
                &xml::text(p, "contents"),
                xml::int(p, "contentsformat").unwrap_or(html::FORMAT_HTML),
                Some(&area),
            )?;
            if LESSON_STRUCTURE.contains(&qtype) {
                continue;
            }
            if qtype == LESSON_BRANCHTABLE {
                pages.push(LessonPage::Content {
                    id: format!("page-{id}"),
                    title,
                    html,
                });
                continue;
            }
            let answers: Vec<(String, bool, String)> = {
                let raw: Vec<(String, i64, i64, String)> = xml::child(p, "answers")
                    .iter()
                    .flat_map(|a| xml::children(*a, "answer"))
                    .map(|a| {
                        (
                            xml::text(a, "answer_text"),
                            xml::int(a, "score").unwrap_or(0),
                            xml::int(a, "jumpto").unwrap_or(0),
                            xml::text(a, "response"),
                        )
                    })
                    .collect();
                // Without custom scoring every score is 0 and a right answer is one that moves on.
                let scored = raw.iter().any(|(_, s, _, _)| *s != 0);
                raw.into_iter()
                    .map(|(t, s, j, r)| (t, if scored { s > 0 } else { j != 0 }, r))
                    .collect()
            };
            let kind = match qtype {
                LESSON_MULTICHOICE | LESSON_TRUEFALSE => {
                    let mut choices = Vec::new();
                    for (text, correct, response) in &answers {
                        choices.push(Choice {
                            text: self.rich(text, 1, Some(&area))?,
                            correct: *correct,
                            feedback: self.rich(response, 1, Some(&area))?,
                        });
                    }
                    let single = qtype == LESSON_TRUEFALSE || xml::int(p, "qoption") != Some(1);
                    QuestionKind::MultiChoice { single, choices }
                }
                LESSON_SHORTANSWER => QuestionKind::ShortAnswer {
                    accepted: answers
                        .iter()
                        .filter(|a| a.1)
                        .map(|a| crate::html::plain(&a.0))
                        .collect(),
                },
                LESSON_NUMERICAL => QuestionKind::Numerical {
                    accepted: answers
                        .iter()
                        .filter(|a| a.1)
                        .map(|a| lesson_number(&a.0))
                        .collect(),
                },
                LESSON_ESSAY => QuestionKind::Essay,
                LESSON_MATCHING => {
                    self.ctx.skip(
                        format!("{what}: page {:?}", xml::text(p, "title")),
                        "matching questions are not supported",
                    );
                    continue;
                }
                other => {
                    self.ctx.skip(
                        format!("{what}: page {:?}", xml::text(p, "title")),
                        format!("lesson page type {other} is not supported"),
                    );
                    continue;
                }
            };
            pages.push(LessonPage::Question {
                id: format!("page-{id}"),
                title,
                question: Question {
                    id: format!("lesson-page-{id}"),
                    text: html,
                    feedback: Localized::default(),
                    kind,
                },
            });
        }
        Ok(ItemKind::Lesson { pages })
    }

    fn quiz(&mut self, m: Node<'_, '_>, what: &str) -> Result<ItemKind, ImportError> {
        if self.bank.is_none() {
            self.bank = Some(Bank::load(self.root, self.ctx)?);
        }
        let bank = self.bank.take().unwrap_or_default();
        let result = self.quiz_questions(m, what, &bank);
        self.bank = Some(bank);
        let questions = result?;
        Ok(ItemKind::Exercise {
            instructions: Localized::default(),
            questions,
        })
    }

    fn quiz_questions(
        &mut self,
        m: Node<'_, '_>,
        what: &str,
        bank: &Bank,
    ) -> Result<Vec<Question>, ImportError> {
        // Moodle 2.6 orders questions by the quiz's `questions` list ("1,0,2,0", 0 = page break).
        let legacy_order: Vec<i64> = xml::text(m, "questions")
            .split(',')
            .filter_map(|v| v.trim().parse().ok())
            .filter(|v| *v != 0)
            .collect();
        let mut slots: Vec<(i64, usize, Result<i64, &'static str>)> = Vec::new();
        let instances = xml::child(m, "question_instances");
        for (n, qi) in instances
            .iter()
            .flat_map(|i| xml::children(*i, "question_instance"))
            .enumerate()
        {
            let slot = xml::int(qi, "slot");
            let resolved: Result<i64, &'static str> =
                if let Some(r) = xml::child(qi, "question_reference") {
                    let entry = xml::int(r, "questionbankentryid").unwrap_or(-1);
                    let version = xml::int(r, "version");
                    bank.entry(entry, version)
                        .map(|q| q.id)
                        .ok_or("its question is not in the backup")
                } else if xml::child(qi, "question_set_reference").is_some() {
                    Err("random questions are not supported")
                } else {
                    xml::int(qi, "questionid")
                        .or_else(|| xml::int(qi, "question"))
                        .ok_or("it names no question")
                };
            let order = match (slot, &resolved) {
                (Some(s), _) => s,
                (None, Ok(id)) => legacy_order
                    .iter()
                    .position(|q| q == id)
                    .map_or(i64::MAX, |p| p as i64),
                (None, Err(_)) => i64::MAX,
            };
            slots.push((order, n, resolved));
        }
        slots.sort_by_key(|(order, n, _)| (*order, *n));
        let mut questions = Vec::new();
        for (order, n, resolved) in slots {
            let slot_name = if order == i64::MAX {
                n as i64 + 1
            } else {
                order
            };
            let id = match resolved {
                Ok(id) => id,
                Err(why) => {
                    self.ctx.skip(format!("{what}: question {slot_name}"), why);
                    continue;
                }
            };
            let Some(raw) = bank.question(id) else {
                self.ctx.skip(
                    format!("{what}: question {slot_name}"),
                    "its question is not in the backup",
                );
                continue;
            };
            if let Some(q) = self.question(raw, what)? {
                questions.push(q);
            }
        }
        Ok(questions)
    }

    /// A bank question in our model; `None` (reported) for question types we do not carry.
    fn question(&mut self, raw: &RawQuestion, what: &str) -> Result<Option<Question>, ImportError> {
        let text_area = Area::new(raw.context, "question", "questiontext", raw.id);
        let feedback_area = Area::new(raw.context, "question", "generalfeedback", raw.id);
        let kind = match raw.qtype.as_str() {
            "multichoice" => {
                let mut choices = Vec::new();
                for a in &raw.answers {
                    let answer_area = Area::new(raw.context, "question", "answer", a.id);
                    let fb_area = Area::new(raw.context, "question", "answerfeedback", a.id);
                    choices.push(Choice {
                        text: self.rich(&a.text, a.format, Some(&answer_area))?,
                        correct: a.fraction > 0.0,
                        feedback: self.rich(&a.feedback, a.feedbackformat, Some(&fb_area))?,
                    });
                }
                QuestionKind::MultiChoice {
                    single: raw.single,
                    choices,
                }
            }
            "truefalse" => {
                let true_is_right = raw
                    .answers
                    .iter()
                    .find(|a| Some(a.id) == raw.true_answer)
                    .or_else(|| raw.answers.first())
                    .is_some_and(|a| a.fraction > 0.0);
                QuestionKind::TrueFalse {
                    correct: true_is_right,
                }
            }
            "shortanswer" => QuestionKind::ShortAnswer {
                accepted: raw
                    .answers
                    .iter()
                    .filter(|a| a.fraction > 0.0)
                    .map(|a| a.text.clone())
                    .collect(),
            },
            "numerical" => QuestionKind::Numerical {
                accepted: raw
                    .answers
                    .iter()
                    .filter(|a| a.fraction > 0.0)
                    .map(|a| NumericAnswer {
                        value: a.text.clone(),
                        tolerance: raw.tolerance.get(&a.id).cloned().unwrap_or_default(),
                    })
                    .collect(),
            },
            "essay" => QuestionKind::Essay,
            "description" => QuestionKind::Description,
            other => {
                let why = if other == "random" {
                    "random questions are not supported".to_owned()
                } else {
                    format!("the question type {other:?} is not supported")
                };
                self.ctx
                    .skip(format!("{what}: question {:?}", raw.name), why);
                return Ok(None);
            }
        };
        Ok(Some(Question {
            id: format!("q-{}", raw.id),
            text: self.rich(&raw.text, raw.textformat, Some(&text_area))?,
            feedback: self.rich(
                &raw.generalfeedback,
                raw.generalfeedbackformat,
                Some(&feedback_area),
            )?,
            kind,
        }))
    }

    fn feedback(
        &mut self,
        m: Node<'_, '_>,
        context: i64,
        what: &str,
    ) -> Result<ItemKind, ImportError> {
        let mut items: Vec<(i64, Node<'_, '_>)> = xml::child(m, "items")
            .iter()
            .flat_map(|i| xml::children(*i, "item"))
            .map(|i| (xml::int(i, "position").unwrap_or(i64::MAX), i))
            .collect();
        items.sort_by_key(|(p, _)| *p);
        let mut questions = Vec::new();
        for (_, i) in items {
            let id = i.attribute("id").and_then(|v| v.parse().ok()).unwrap_or(-1);
            let typ = xml::text(i, "typ");
            let name = xml::text(i, "name");
            let presentation = xml::text(i, "presentation");
            let kind = match typ.as_str() {
                "multichoice" | "multichoicerated" => {
                    let (single, options) = feedback_options(&presentation);
                    QuestionKind::MultiChoice {
                        single,
                        choices: options
                            .into_iter()
                            .map(|o| Choice {
                                text: Localized::single("und", crate::html::escape(&o)),
                                correct: false,
                                feedback: Localized::default(),
                            })
                            .collect(),
                    }
                }
                "textarea" => QuestionKind::Essay,
                "textfield" => QuestionKind::ShortAnswer {
                    accepted: Vec::new(),
                },
                "numeric" => QuestionKind::Numerical {
                    accepted: Vec::new(),
                },
                "label" => QuestionKind::Description,
                // Layout only.
                "pagebreak" | "captcha" => continue,
                other => {
                    self.ctx.skip(
                        format!("{what}: item {name:?}"),
                        format!("feedback item type {other:?} is not supported"),
                    );
                    continue;
                }
            };
            let text = if typ == "label" {
                let area = Area::new(context, "mod_feedback", "item", id);
                self.rich(&presentation, 1, Some(&area))?
            } else {
                let t = self.title(&name);
                Localized(
                    t.0.into_iter()
                        .map(|(l, s)| (l, crate::html::escape(&s)))
                        .collect(),
                )
            };
            questions.push(Question {
                id: format!("feedback-item-{id}"),
                text,
                feedback: Localized::default(),
                kind,
            });
        }
        Ok(ItemKind::Exercise {
            instructions: Localized::default(),
            questions,
        })
    }
}

/// mod_feedback's multichoice `presentation`: `r>>>>>a|b|c` (r radio, c checkbox, d dropdown),
/// rated options as `1####label`, an optional `<<<<<1` tail for horizontal layout.
fn feedback_options(presentation: &str) -> (bool, Vec<String>) {
    let (kind, rest) = presentation
        .split_once(">>>>>")
        .unwrap_or(("r", presentation));
    let rest = rest.split("<<<<<").next().unwrap_or_default();
    let options = rest
        .split('|')
        .map(|o| {
            o.split_once("####")
                .map_or(o, |(_, label)| label)
                .trim()
                .to_owned()
        })
        .filter(|o| !o.is_empty())
        .collect();
    (!kind.trim().starts_with('c'), options)
}

/// A lesson numerical answer: `5` or a range `4:6`.
fn lesson_number(answer: &str) -> NumericAnswer {
    match answer.split_once(':') {
        Some((lo, hi)) => {
            let (lo, hi) = (lo.trim(), hi.trim());
            match (lo.parse::<f64>(), hi.parse::<f64>()) {
                (Ok(l), Ok(h)) => NumericAnswer {
                    value: format!("{}", (l + h) / 2.0),
                    tolerance: format!("{}", (h - l).abs() / 2.0),
                },
                _ => NumericAnswer {
                    value: answer.trim().to_owned(),
                    tolerance: String::new(),
                },
            }
        }
        None => NumericAnswer {
            value: answer.trim().to_owned(),
            tolerance: "0".into(),
        },
    }
}

/// A web link from a url activity, or `None` for anything a browser should not follow from us.
fn safe_url(raw: &str) -> Option<String> {
    let url = raw.trim();
    if url.is_empty() {
        return None;
    }
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
    {
        return Some(url.to_owned());
    }
    // Moodle adds http:// to addresses typed without a scheme (url_fix_submitted_url).
    if !lower.contains(':') && !lower.starts_with('/') {
        return Some(format!("http://{url}"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links_are_kept() {
        assert_eq!(
            safe_url("www.kela.fi").as_deref(),
            Some("http://www.kela.fi")
        );
        assert_eq!(
            safe_url(" https://a.fi/x ").as_deref(),
            Some("https://a.fi/x")
        );
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url("data:text/html,x"), None);
    }

    #[test]
    fn feedback_multichoice_options_are_parsed() {
        assert_eq!(
            feedback_options("c>>>>>yksi|kaksi<<<<<1"),
            (false, vec!["yksi".to_owned(), "kaksi".to_owned()])
        );
        assert_eq!(
            feedback_options("r>>>>>0####huono|1####hyvä"),
            (true, vec!["huono".to_owned(), "hyvä".to_owned()])
        );
    }
}
