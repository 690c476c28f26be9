//! Our own program folder: `program.toml`, one Markdown file per module and language, media.
//! The format is documented in `content/README.md`.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Read as _;
use std::path::{Path, PathBuf};

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html::push_html};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::archive::safe_relative_path;
use crate::error::ImportError;
use crate::model::{
    BLOB_URL_SCHEME, Choice, Item, ItemKind, Localized, Module, NumericAnswer, Program, Question,
    QuestionKind, Weekday,
};
use crate::{Ctx, Read, html};

/// Most files a program folder may hold (media included).
const MAX_FOLDER_FILES: usize = 10_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProgramToml {
    languages: Vec<String>,
    title: BTreeMap<String, String>,
    #[serde(default)]
    summary: BTreeMap<String, String>,
    #[serde(default)]
    modules: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: Option<String>,
    #[serde(default)]
    hidden: bool,
}

pub(crate) fn read(dir: &Path, ctx: &mut Ctx<'_>) -> Result<Read, ImportError> {
    let toml_text = read_text(&dir.join("program.toml"), "program.toml", ctx)?;
    let manifest: ProgramToml = toml::from_str(&toml_text).map_err(|e| {
        ImportError::InvalidProgram(format!(
            "program.toml: {}",
            crate::archive::one_line(&e.to_string())
        ))
    })?;
    let Some(primary) = manifest.languages.first().cloned() else {
        return Err(ImportError::InvalidProgram(
            "program.toml: languages is empty".into(),
        ));
    };
    let order = |map: &BTreeMap<String, String>| -> Vec<(String, String)> {
        manifest
            .languages
            .iter()
            .filter_map(|l| map.get(l).map(|t| (l.clone(), t.clone())))
            .collect()
    };
    let title = Localized(order(&manifest.title));
    if title.is_empty() {
        return Err(ImportError::InvalidProgram(format!(
            "program.toml: no title in {primary:?}"
        )));
    }
    let mut reader = Native { dir, ctx };
    let summary = Localized(
        order(&manifest.summary)
            .into_iter()
            .map(|(l, t)| Ok((l, reader.markdown(&t)?)))
            .collect::<Result<_, ImportError>>()?,
    );
    let stems = match &manifest.modules {
        Some(list) => list.clone(),
        None => module_stems(dir, &primary)?,
    };
    let mut modules = Vec::new();
    for stem in &stems {
        modules.push(reader.module(stem, &manifest.languages)?);
    }
    Ok(Read {
        program: Program {
            title,
            summary,
            languages: manifest.languages.clone(),
            modules,
        },
        format: "native",
        moodle: None,
    })
}

/// Every `<stem>.<lang>.md` in the folder, by name.
fn module_stems(dir: &Path, lang: &str) -> Result<Vec<String>, ImportError> {
    let suffix = format!(".{lang}.md");
    let mut stems: Vec<String> = fs::read_dir(dir)
        .map_err(ImportError::io("listing the program folder"))?
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter_map(|n| n.strip_suffix(&suffix).map(str::to_owned))
        .collect();
    stems.sort();
    Ok(stems)
}

struct Native<'r, 'c> {
    dir: &'r Path,
    ctx: &'r mut Ctx<'c>,
}

/// One `## ` section of a module file.
struct RawItem {
    title: String,
    attrs: BTreeMap<String, String>,
    body: String,
    questions: Vec<RawQuestion>,
}

struct RawQuestion {
    title: String,
    attrs: BTreeMap<String, String>,
    body: String,
}

impl Native<'_, '_> {
    fn module(&mut self, stem: &str, langs: &[String]) -> Result<Module, ImportError> {
        let mut variants = Vec::new();
        for lang in langs {
            let name = format!("{stem}.{lang}.md");
            let rel = checked_rel(&name)?;
            let path = self.dir.join(rel);
            if path.is_file() {
                variants.push((lang.clone(), read_text(&path, &name, self.ctx)?));
            }
        }
        let Some((_, first)) = variants.first() else {
            return Err(ImportError::InvalidProgram(format!(
                "module {stem:?} has no Markdown file ({stem}.{}.md)",
                langs.first().map_or("fi", String::as_str)
            )));
        };
        let (front, _, base_items) = parse_module(first, stem)?;
        let mut module = Module {
            id: stem.to_owned(),
            title: Localized::default(),
            summary: Localized::default(),
            items: Vec::new(),
            hidden: front.hidden,
        };
        let mut parsed = Vec::new();
        for (lang, text) in &variants {
            let (front, summary, items) = parse_module(text, stem)?;
            if items.len() != base_items.len() {
                self.ctx.warn(format!(
                    "{stem}.{lang}.md has {} items, the original {}; extra ones are ignored",
                    items.len(),
                    base_items.len()
                ));
            }
            if let Some(t) = front.title {
                module.title.0.push((lang.clone(), t));
            }
            let s = self.markdown(&summary)?;
            if !s.trim().is_empty() {
                module.summary.0.push((lang.clone(), s));
            }
            parsed.push((lang.clone(), items));
        }
        for (index, base) in base_items.iter().enumerate() {
            let id = format!("{stem}-{}", index + 1);
            let same: Vec<(&String, &RawItem)> = parsed
                .iter()
                .filter_map(|(l, items)| items.get(index).map(|i| (l, i)))
                .collect();
            module.items.push(self.item(&id, base, &same)?);
        }
        Ok(module)
    }

    fn item(
        &mut self,
        id: &str,
        base: &RawItem,
        variants: &[(&String, &RawItem)],
    ) -> Result<Item, ImportError> {
        let title = Localized(
            variants
                .iter()
                .map(|(l, i)| ((*l).clone(), i.title.clone()))
                .collect(),
        );
        let mut body = Vec::new();
        for (l, i) in variants {
            let html = self.markdown(&i.body)?;
            if !html.trim().is_empty() {
                body.push(((*l).clone(), html));
            }
        }
        let body = Localized(body);
        let attr = |k: &str| base.attrs.get(k).map(String::as_str);
        let (kind, intro) = if let Some(src) = attr("audio") {
            let blob = self.media(src)?;
            let variants = self.recordings("audio", src, variants)?;
            let transcript = (!body.is_empty()).then_some(body);
            (
                ItemKind::Audio {
                    blob,
                    transcript,
                    variants,
                },
                Localized::default(),
            )
        } else if let Some(src) = attr("video") {
            let blob = self.media(src)?;
            let variants = self.recordings("video", src, variants)?;
            let mut captions = Vec::new();
            for (key, value) in &base.attrs {
                if let Some(lang) = key.strip_prefix("captions.") {
                    captions.push((lang.to_owned(), self.media(value)?));
                }
            }
            (
                ItemKind::Video {
                    blob,
                    captions,
                    variants,
                },
                body,
            )
        } else if let Some(src) = attr("file") {
            let blob = self.media(src)?;
            let filename = src.rsplit('/').next().unwrap_or(src).to_owned();
            (ItemKind::File { blob, filename }, body)
        } else if let Some(url) = attr("link") {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(ImportError::InvalidProgram(format!(
                    "item {id}: link {url:?} is not an http(s) address"
                )));
            }
            (
                ItemKind::Link {
                    url: url.to_owned(),
                },
                body,
            )
        } else if base.attrs.contains_key("exercise") {
            let mut questions = Vec::new();
            for (n, q) in base.questions.iter().enumerate() {
                let same: Vec<(&String, &RawQuestion)> = variants
                    .iter()
                    .filter_map(|(l, i)| i.questions.get(n).map(|q| (*l, q)))
                    .collect();
                questions.push(self.question(&format!("{id}-q{}", n + 1), q, &same)?);
            }
            (
                ItemKind::Exercise {
                    instructions: body,
                    questions,
                },
                Localized::default(),
            )
        } else if base.attrs.contains_key("discussion") {
            (ItemKind::Discussion, body)
        } else if base.attrs.contains_key("task") {
            if body.is_empty() {
                return Err(ImportError::InvalidProgram(format!(
                    "item {id}: a task needs instructions (what, when, how long)"
                )));
            }
            let rhythm = TaskRhythm::parse(&base.attrs)
                .map_err(|why| ImportError::InvalidProgram(format!("item {id}: {why}")))?;
            (
                ItemKind::Task {
                    instructions: body,
                    times_per_week: rhythm.times_per_week,
                    days: rhythm.days,
                    weeks: rhythm.weeks,
                    minutes: rhythm.minutes,
                },
                Localized::default(),
            )
        } else {
            (ItemKind::Page { html: body }, Localized::default())
        };
        Ok(Item {
            id: id.to_owned(),
            title,
            intro,
            kind,
            hidden: base.attrs.contains_key("hidden"),
        })
    }

    /// Recordings a translation names in its own heading (`audio=`/`video=` differing from the
    /// original's): the same item recorded in that language.
    fn recordings(
        &mut self,
        key: &str,
        original: &str,
        variants: &[(&String, &RawItem)],
    ) -> Result<Vec<(String, String)>, ImportError> {
        let mut out = Vec::new();
        for (lang, item) in variants.iter().skip(1) {
            if let Some(src) = item.attrs.get(key)
                && src != original
            {
                out.push(((*lang).clone(), self.media(src)?));
            }
        }
        Ok(out)
    }

    fn question(
        &mut self,
        id: &str,
        base: &RawQuestion,
        variants: &[(&String, &RawQuestion)],
    ) -> Result<Question, ImportError> {
        let mut text = Vec::new();
        let mut choice_texts: Vec<Vec<(String, String)>> = Vec::new();
        let mut correct = Vec::new();
        for (n, (lang, q)) in variants.iter().enumerate() {
            let (prose, choices) = split_choices(&q.body);
            let mut t = html::escape(&q.title);
            t = format!("<p>{t}</p>{}", self.markdown(&prose)?);
            text.push(((*lang).clone(), t));
            for (i, (label, right)) in choices.into_iter().enumerate() {
                if choice_texts.len() <= i {
                    choice_texts.push(Vec::new());
                }
                choice_texts[i].push(((*lang).clone(), html::escape(&label)));
                if n == 0 {
                    correct.push(right);
                }
            }
        }
        let attr = |k: &str| base.attrs.get(k).map(String::as_str);
        let kind =
            if base.attrs.contains_key("multichoice") || base.attrs.contains_key("checkboxes") {
                QuestionKind::MultiChoice {
                    single: !base.attrs.contains_key("checkboxes"),
                    choices: choice_texts
                        .into_iter()
                        .zip(correct)
                        .map(|(t, c)| Choice {
                            text: Localized(t),
                            correct: c,
                            feedback: Localized::default(),
                        })
                        .collect(),
                }
            } else if let Some(v) = attr("truefalse") {
                QuestionKind::TrueFalse {
                    correct: v != "false",
                }
            } else if let Some(v) = attr("shortanswer") {
                QuestionKind::ShortAnswer {
                    accepted: v
                        .split('|')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect(),
                }
            } else if let Some(v) = attr("numerical") {
                QuestionKind::Numerical {
                    accepted: vec![NumericAnswer {
                        value: v.to_owned(),
                        tolerance: attr("tolerance").unwrap_or("0").to_owned(),
                    }],
                }
            } else if base.attrs.contains_key("description") {
                QuestionKind::Description
            } else {
                QuestionKind::Essay
            };
        Ok(Question {
            id: id.to_owned(),
            text: Localized(text),
            feedback: Localized::default(),
            kind,
        })
    }

    /// Markdown to sanitised HTML; relative links and images to files of the folder become blobs.
    fn markdown(&mut self, text: &str) -> Result<String, ImportError> {
        let mut failure = None;
        let mut events = Vec::new();
        for event in Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
            let event = match event {
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => Event::Start(Tag::Image {
                    link_type,
                    dest_url: self.local_url(dest_url, &mut failure),
                    title,
                    id,
                }),
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => Event::Start(Tag::Link {
                    link_type,
                    dest_url: self.local_url(dest_url, &mut failure),
                    title,
                    id,
                }),
                other => other,
            };
            events.push(event);
        }
        if let Some(e) = failure {
            return Err(e);
        }
        let mut out = String::new();
        push_html(&mut out, events.into_iter());
        Ok(html::sanitize(&out))
    }

    fn local_url<'a>(&mut self, url: CowStr<'a>, failure: &mut Option<ImportError>) -> CowStr<'a> {
        if url.contains(':') || url.starts_with('#') || url.starts_with('/') || url.is_empty() {
            return url;
        }
        match self.media(&url) {
            Ok(sha) => CowStr::from(format!("{BLOB_URL_SCHEME}:{sha}")),
            Err(e) => {
                failure.get_or_insert(e);
                url
            }
        }
    }

    /// A media file named in the program: inside the folder, a regular file, copied to staging.
    fn media(&mut self, rel: &str) -> Result<String, ImportError> {
        let path = self.dir.join(checked_rel(rel)?);
        let meta = fs::symlink_metadata(&path).map_err(|_| {
            ImportError::InvalidProgram(format!("media file {rel:?} does not exist"))
        })?;
        if !meta.is_file() {
            return Err(ImportError::InvalidProgram(format!(
                "media file {rel:?} is not a regular file"
            )));
        }
        let filename = rel.rsplit('/').next().unwrap_or(rel).to_owned();
        self.ctx.blobs.copy_in(&path, self.ctx.staging, &filename)
    }
}

fn checked_rel(rel: &str) -> Result<PathBuf, ImportError> {
    match safe_relative_path(rel) {
        Ok(Some(p)) => Ok(p),
        _ => Err(ImportError::InvalidProgram(format!(
            "{rel:?} is not a path inside the program folder"
        ))),
    }
}

fn read_text(path: &Path, name: &str, ctx: &Ctx<'_>) -> Result<String, ImportError> {
    let mut bytes = Vec::new();
    File::open(path)
        .map_err(ImportError::io(format!("opening {name}")))?
        .take(ctx.limits.max_xml_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(ImportError::io(format!("reading {name}")))?;
    if bytes.len() as u64 > ctx.limits.max_xml_bytes {
        return Err(ImportError::LimitExceeded(format!("{name} is too large")));
    }
    String::from_utf8(bytes)
        .map_err(|_| ImportError::InvalidProgram(format!("{name} is not UTF-8")))
}

/// Splits a module file into its front matter, summary and `## ` items (with `### ?` questions).
fn parse_module(
    text: &str,
    stem: &str,
) -> Result<(FrontMatter, String, Vec<RawItem>), ImportError> {
    let text = text.replace("\r\n", "\n");
    let (front, rest) = match text.strip_prefix("+++\n") {
        Some(after) => match after.split_once("\n+++") {
            Some((toml_text, rest)) => {
                let front: FrontMatter = toml::from_str(toml_text).map_err(|e| {
                    ImportError::InvalidProgram(format!(
                        "{stem}: front matter: {}",
                        crate::archive::one_line(&e.to_string())
                    ))
                })?;
                (front, rest.trim_start_matches('\n').to_owned())
            }
            None => {
                return Err(ImportError::InvalidProgram(format!(
                    "{stem}: front matter is not closed with +++"
                )));
            }
        },
        None => (FrontMatter::default(), text.clone()),
    };
    let mut summary = String::new();
    let mut items: Vec<RawItem> = Vec::new();
    let mut in_code = false;
    for line in rest.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        if !in_code && let Some(h) = line.strip_prefix("## ") {
            let (title, attrs) = heading(h);
            items.push(RawItem {
                title,
                attrs,
                body: String::new(),
                questions: Vec::new(),
            });
            continue;
        }
        if !in_code
            && let Some(h) = line.strip_prefix("### ?")
            && let Some(item) = items.last_mut()
        {
            let (title, attrs) = heading(h);
            item.questions.push(RawQuestion {
                title,
                attrs,
                body: String::new(),
            });
            continue;
        }
        let target = match items.last_mut() {
            Some(item) => match item.questions.last_mut() {
                Some(q) => &mut q.body,
                None => &mut item.body,
            },
            None => &mut summary,
        };
        target.push_str(line);
        target.push('\n');
    }
    Ok((front, summary, items))
}

/// `Title {key=value flag}` → title and attributes.
fn heading(h: &str) -> (String, BTreeMap<String, String>) {
    let h = h.trim();
    let mut attrs = BTreeMap::new();
    if let Some(open) = h.rfind('{')
        && h.ends_with('}')
    {
        for token in h[open + 1..h.len() - 1].split_whitespace() {
            let (k, v) = token.split_once('=').unwrap_or((token, ""));
            attrs.insert(k.to_owned(), v.to_owned());
        }
        return (h[..open].trim().to_owned(), attrs);
    }
    (h.to_owned(), attrs)
}

/// The suggested rhythm of a `{task}` item, from its heading attributes.
#[derive(Debug, PartialEq, Eq, Default)]
struct TaskRhythm {
    times_per_week: Option<u8>,
    days: Option<Vec<Weekday>>,
    weeks: Option<u8>,
    minutes: Option<u16>,
}

impl TaskRhythm {
    /// `times_per_week=1..7`, `days=mon,wed,fri` or `days=daily`, `weeks=1..52`,
    /// `minutes=1..1440`; all optional. `days` alone sets `times_per_week` to its count.
    fn parse(attrs: &BTreeMap<String, String>) -> Result<TaskRhythm, String> {
        fn number<T: std::str::FromStr + PartialOrd + Copy + std::fmt::Display>(
            attrs: &BTreeMap<String, String>,
            key: &str,
            min: T,
            max: T,
        ) -> Result<Option<T>, String> {
            let Some(v) = attrs.get(key) else {
                return Ok(None);
            };
            match v.parse::<T>() {
                Ok(n) if n >= min && n <= max => Ok(Some(n)),
                _ => Err(format!(
                    "task {key}={v:?} is not a number from {min} to {max}"
                )),
            }
        }
        let days = match attrs.get("days").map(String::as_str) {
            None => None,
            Some("daily") => Some(Weekday::ALL.to_vec()),
            Some(list) => {
                let mut days = Vec::new();
                for code in list.split(',') {
                    let day = Weekday::from_code(code.trim()).ok_or_else(|| {
                        format!("task days: {code:?} is not one of mon, tue, wed, thu, fri, sat, sun or daily")
                    })?;
                    if !days.contains(&day) {
                        days.push(day);
                    }
                }
                days.sort();
                Some(days)
            }
        };
        let mut times_per_week = number::<u8>(attrs, "times_per_week", 1, 7)?;
        if let Some(days) = &days {
            let count = u8::try_from(days.len()).unwrap_or(7);
            match times_per_week {
                None => times_per_week = Some(count),
                Some(n) if n != count => {
                    return Err(format!(
                        "task times_per_week={n} does not match the {count} days given"
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(TaskRhythm {
            times_per_week,
            days,
            weeks: number::<u8>(attrs, "weeks", 1, 52)?,
            minutes: number::<u16>(attrs, "minutes", 1, 1440)?,
        })
    }
}

/// `- [x] right` / `- [ ] wrong` lines are choices; the rest is question text.
fn split_choices(body: &str) -> (String, Vec<(String, bool)>) {
    let mut prose = String::new();
    let mut choices = Vec::new();
    for line in body.lines() {
        let t = line.trim_start();
        if let Some(c) = t
            .strip_prefix("- [x] ")
            .or_else(|| t.strip_prefix("- [X] "))
        {
            choices.push((c.trim().to_owned(), true));
        } else if let Some(c) = t.strip_prefix("- [ ] ") {
            choices.push((c.trim().to_owned(), false));
        } else {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    (prose, choices)
}

/// Identity of a program folder: sha256 over its sorted file list and each file's sha256.
pub(crate) fn folder_digest(dir: &Path) -> Result<String, ImportError> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files)?;
    files.sort();
    let mut hasher = Sha256::new();
    for rel in files {
        let f =
            File::open(dir.join(&rel)).map_err(ImportError::io("reading the program folder"))?;
        let (sha, _) = crate::blobs::hash(f, std::io::sink())
            .map_err(ImportError::io("reading the program folder"))?;
        hasher.update(rel.as_bytes());
        hasher.update([0]);
        hasher.update(sha.as_bytes());
        hasher.update([b'\n']);
    }
    Ok(hex::encode(hasher.finalize()))
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), ImportError> {
    for entry in fs::read_dir(dir).map_err(ImportError::io("listing the program folder"))? {
        let entry = entry.map_err(ImportError::io("listing the program folder"))?;
        // Symlinks are not followed: they could point anywhere on the server.
        let kind = entry
            .file_type()
            .map_err(ImportError::io("listing the program folder"))?;
        let path = entry.path();
        if kind.is_dir() {
            collect(root, &path, out)?;
        } else if kind.is_file() {
            if out.len() >= MAX_FOLDER_FILES {
                return Err(ImportError::LimitExceeded(format!(
                    "more than {MAX_FOLDER_FILES} files in the program folder"
                )));
            }
            let rel = path
                .strip_prefix(root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            out.push(rel);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_module_file_splits_into_items_and_questions() {
        let text = "+++\ntitle = \"Lepo\"\n+++\nJohdanto.\n\n## Lue\nTeksti\n\n## Harjoitus {exercise}\nOhje\n### ? Nukutko hyvin? {truefalse=true}\n### ? Mikä auttaa? {multichoice}\n- [x] Lepo\n- [ ] Kiire\n";
        let (front, summary, items) = parse_module(text, "m").expect("parses");
        assert_eq!(front.title.as_deref(), Some("Lepo"));
        assert_eq!(summary.trim(), "Johdanto.");
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].questions.len(), 2);
        assert!(items[1].attrs.contains_key("exercise"));
        let (_, choices) = split_choices(&items[1].questions[1].body);
        assert_eq!(
            choices,
            vec![("Lepo".to_owned(), true), ("Kiire".to_owned(), false)]
        );
    }

    fn rhythm(heading_text: &str) -> Result<TaskRhythm, String> {
        let (_, attrs) = heading(heading_text);
        TaskRhythm::parse(&attrs)
    }

    #[test]
    fn a_task_heading_gives_its_rhythm() {
        let (title, attrs) = heading("Iltarauhoittuminen {task days=daily weeks=4 minutes=15}");
        assert_eq!(title, "Iltarauhoittuminen");
        assert!(attrs.contains_key("task"));
        assert_eq!(
            TaskRhythm::parse(&attrs),
            Ok(TaskRhythm {
                times_per_week: Some(7),
                days: Some(Weekday::ALL.to_vec()),
                weeks: Some(4),
                minutes: Some(15),
            })
        );
        assert_eq!(
            rhythm("Kävely {task times_per_week=3}"),
            Ok(TaskRhythm {
                times_per_week: Some(3),
                ..TaskRhythm::default()
            })
        );
        // Weekdays are sorted Monday first and duplicates dropped; their count is the rhythm.
        let r = rhythm("Soitto {task days=fri,Mon,fri}").expect("days");
        assert_eq!(r.days, Some(vec![Weekday::Mon, Weekday::Fri]));
        assert_eq!(r.times_per_week, Some(2));
        assert_eq!(rhythm("Vapaa {task}"), Ok(TaskRhythm::default()));
    }

    #[test]
    fn a_task_with_an_impossible_rhythm_is_refused() {
        for bad in [
            "X {task times_per_week=8}",
            "X {task times_per_week=0}",
            "X {task times_per_week=kolme}",
            "X {task weeks=53}",
            "X {task minutes=0}",
            "X {task days=ma,ke}",
            "X {task days=}",
            "X {task days=mon,wed times_per_week=3}",
        ] {
            assert!(rhythm(bad).is_err(), "{bad} should be refused");
        }
        assert!(rhythm("X {task days=mon,wed times_per_week=2}").is_ok());
    }
}
