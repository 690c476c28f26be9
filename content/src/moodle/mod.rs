//! The Moodle 2.6–5.x backup reader (`.mbz`, already unpacked into staging by [`crate::archive`]).
//! The format as observed is described in `shared/fixtures/README.md`.
//!
//! Course, section and single-activity backups: each section becomes a module (in section-number
//! order), its activities become items in the section's `sequence` order, and every activity
//! kind we do not carry is reported as skipped, never as a failure.

mod activities;
mod files;
mod questions;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::archive::safe_relative_path;
use crate::error::ImportError;
use crate::model::{Localized, Module, Program};
use crate::{Ctx, MoodleIdentity, Read, html, xml};

use files::FileIndex;

/// Where the files of a text field live in files.xml.
#[derive(Debug, Clone)]
pub(crate) struct Area {
    pub context: i64,
    pub component: String,
    pub filearea: String,
    pub item: i64,
}

impl Area {
    pub(crate) fn new(context: i64, component: &str, filearea: &str, item: i64) -> Area {
        Area {
            context,
            component: component.to_owned(),
            filearea: filearea.to_owned(),
            item,
        }
    }
}

/// An activity as listed in moodle_backup.xml.
#[derive(Debug, Clone)]
pub(crate) struct ActivityRef {
    pub cmid: i64,
    pub sectionid: i64,
    pub modulename: String,
    pub title: String,
    pub directory: PathBuf,
}

struct Section {
    id: i64,
    number: i64,
    name: String,
    summary: String,
    summaryformat: i64,
    sequence: Vec<i64>,
    visible: bool,
    /// Set for a section delegated to an activity (Moodle 5 subsections): not a module itself.
    component: String,
    itemid: i64,
}

pub(crate) struct Reader<'r, 'c> {
    root: &'r Path,
    ctx: &'r mut Ctx<'c>,
    files: FileIndex,
    bank: Option<questions::Bank>,
}

pub(crate) fn read(root: &Path, ctx: &mut Ctx<'_>) -> Result<Read, ImportError> {
    let text = xml::read(
        &root.join("moodle_backup.xml"),
        "moodle_backup.xml",
        ctx.limits,
    )?;
    let doc = xml::parse(&text, "moodle_backup.xml", ctx.limits)?;
    let info = xml::child(doc.root_element(), "information").ok_or_else(|| {
        ImportError::InvalidBackup("moodle_backup.xml has no <information>".into())
    })?;
    let detail = xml::path(info, &["details", "detail"]);
    let format = detail.map(|d| xml::text(d, "format")).unwrap_or_default();
    if !format.is_empty() && format != "moodle2" {
        return Err(ImportError::UnsupportedFormat(format!(
            "Moodle backup format {format:?} (only moodle2 backups are read)"
        )));
    }
    let identity = MoodleIdentity {
        original_course_id: xml::text(info, "original_course_id"),
        original_site_identifier_hash: xml::text(info, "original_site_identifier_hash"),
        backup_id: detail
            .and_then(|d| d.attribute("backup_id"))
            .unwrap_or_default()
            .to_owned(),
        backup_date: xml::int(info, "backup_date").unwrap_or(0),
        moodle_release: xml::text(info, "moodle_release"),
        backup_type: detail.map(|d| xml::text(d, "type")).unwrap_or_default(),
    };
    let course_title = xml::text(info, "original_course_fullname");
    let contents = xml::child(info, "contents");
    let mut activity_refs = Vec::new();
    let mut section_dirs = Vec::new();
    if let Some(contents) = contents {
        if let Some(acts) = xml::child(contents, "activities") {
            for a in xml::children(acts, "activity") {
                let directory = xml::text(a, "directory");
                let Some(directory) = safe_dir(&directory) else {
                    ctx.warn(format!(
                        "activity directory {directory:?} is not a safe path"
                    ));
                    continue;
                };
                activity_refs.push(ActivityRef {
                    cmid: xml::int(a, "moduleid").unwrap_or(-1),
                    sectionid: xml::int(a, "sectionid").unwrap_or(-1),
                    modulename: xml::text(a, "modulename"),
                    title: xml::text(a, "title"),
                    directory,
                });
            }
        }
        if let Some(secs) = xml::child(contents, "sections") {
            for s in xml::children(secs, "section") {
                let directory = xml::text(s, "directory");
                match safe_dir(&directory) {
                    Some(d) => section_dirs.push(d),
                    None => ctx.warn(format!(
                        "section directory {directory:?} is not a safe path"
                    )),
                }
            }
        }
    }
    drop(doc);

    let files = FileIndex::load(root, ctx)?;
    let mut reader = Reader {
        root,
        ctx,
        files,
        bank: None,
    };
    let course = reader.course()?;
    let mut sections = Vec::new();
    for dir in &section_dirs {
        if let Some(s) = reader.section(dir)? {
            sections.push(s);
        }
    }
    sections.sort_by_key(|s| (s.number, s.id));

    // Only activities whose folder made it into the backup ("<mod>_<cmid>_included" = 1).
    let activities: HashMap<i64, ActivityRef> = activity_refs
        .iter()
        .filter(|a| root.join(&a.directory).join("module.xml").is_file())
        .map(|a| (a.cmid, a.clone()))
        .collect();
    let delegated: HashMap<i64, &Section> = sections
        .iter()
        .filter(|s| s.component == "mod_subsection")
        .map(|s| (s.itemid, s))
        .collect();

    let mut used = HashSet::new();
    let mut modules = Vec::new();
    let mut module_of_section = HashMap::new();
    for s in sections.iter().filter(|s| s.component.is_empty()) {
        let mut items = Vec::new();
        reader.sequence(
            &s.sequence,
            &activities,
            &delegated,
            &mut used,
            &mut items,
            0,
        )?;
        let summary_area = Area::new(course.context, "course", "section", s.id);
        let module = Module {
            id: format!("section-{}", s.id),
            title: reader.title(&s.name),
            summary: reader.rich(&s.summary, s.summaryformat, Some(&summary_area))?,
            items,
            hidden: !s.visible,
        };
        module_of_section.insert(s.id, modules.len());
        modules.push(module);
    }

    // Activities in no sequence: the only one of an activity backup, or strays of a course.
    let mut rest: Vec<&ActivityRef> = activity_refs
        .iter()
        .filter(|a| activities.contains_key(&a.cmid) && !used.contains(&a.cmid))
        .collect();
    rest.sort_by_key(|a| a.cmid);
    for a in rest {
        let Some(item) = reader.activity(a)? else {
            continue;
        };
        let index = match module_of_section.get(&a.sectionid) {
            Some(&i) => i,
            None => {
                if !sections.is_empty() {
                    reader.ctx.warn(format!(
                        "activity {:?} is in no section; added at the end",
                        a.title
                    ));
                }
                modules.push(Module {
                    id: format!("section-{}", a.sectionid),
                    title: if sections.is_empty() {
                        reader.title(&a.title)
                    } else {
                        Localized::default()
                    },
                    summary: Localized::default(),
                    items: Vec::new(),
                    hidden: false,
                });
                module_of_section.insert(a.sectionid, modules.len() - 1);
                modules.len() - 1
            }
        };
        modules[index].items.push(item);
    }

    let program = Program {
        title: reader.title(&course_title),
        summary: course.summary,
        languages: course.lang.into_iter().collect(),
        modules,
    };
    Ok(Read {
        program,
        format: "moodle",
        moodle: Some(identity),
    })
}

/// A folder named in moodle_backup.xml, which is attacker input like any archive entry name.
fn safe_dir(dir: &str) -> Option<PathBuf> {
    safe_relative_path(dir).ok().flatten()
}

struct Course {
    context: i64,
    summary: Localized,
    lang: Option<String>,
}

impl Reader<'_, '_> {
    fn course(&mut self) -> Result<Course, ImportError> {
        let path = self.root.join("course").join("course.xml");
        // Activity backups have an empty course folder.
        if !path.is_file() {
            return Ok(Course {
                context: -1,
                summary: Localized::default(),
                lang: None,
            });
        }
        let text = xml::read(&path, "course/course.xml", self.ctx.limits)?;
        let doc = xml::parse(&text, "course/course.xml", self.ctx.limits)?;
        let c = doc.root_element();
        let context = c
            .attribute("contextid")
            .and_then(|v| v.parse().ok())
            .unwrap_or(-1);
        let area = Area::new(context, "course", "summary", 0);
        let summary = self.rich(
            &xml::text(c, "summary"),
            xml::int(c, "summaryformat").unwrap_or(html::FORMAT_HTML),
            Some(&area),
        )?;
        Ok(Course {
            context,
            summary,
            lang: html::course_lang(&xml::text(c, "lang")),
        })
    }

    fn section(&mut self, dir: &Path) -> Result<Option<Section>, ImportError> {
        let path = self.root.join(dir).join("section.xml");
        if !path.is_file() {
            self.ctx
                .warn(format!("{} is missing", dir.join("section.xml").display()));
            return Ok(None);
        }
        let name = format!("{}/section.xml", dir.display());
        let text = xml::read(&path, &name, self.ctx.limits)?;
        let doc = xml::parse(&text, &name, self.ctx.limits)?;
        let s = doc.root_element();
        Ok(Some(Section {
            id: s.attribute("id").and_then(|v| v.parse().ok()).unwrap_or(-1),
            number: xml::int(s, "number").unwrap_or(i64::MAX),
            name: xml::text(s, "name"),
            summary: xml::text(s, "summary"),
            summaryformat: xml::int(s, "summaryformat").unwrap_or(html::FORMAT_HTML),
            sequence: xml::text(s, "sequence")
                .split(',')
                .filter_map(|v| v.trim().parse().ok())
                .collect(),
            visible: xml::int(s, "visible").unwrap_or(1) != 0,
            component: xml::text(s, "component"),
            itemid: xml::int(s, "itemid").unwrap_or(0),
        }))
    }

    /// Items for a section's `sequence`; a Moodle 5 subsection is expanded in place.
    fn sequence(
        &mut self,
        sequence: &[i64],
        activities: &HashMap<i64, ActivityRef>,
        delegated: &HashMap<i64, &Section>,
        used: &mut HashSet<i64>,
        items: &mut Vec<crate::model::Item>,
        depth: u32,
    ) -> Result<(), ImportError> {
        for cmid in sequence {
            // Ids of activities left out of the backup are expected (README: gapfill, deadlock).
            let Some(a) = activities.get(cmid) else {
                continue;
            };
            if !used.insert(*cmid) {
                continue;
            }
            if a.modulename == "subsection" {
                let instance = self.instance_id(a)?;
                match delegated.get(&instance) {
                    Some(s) if depth < 4 => {
                        let seq = s.sequence.clone();
                        self.sequence(&seq, activities, delegated, used, items, depth + 1)?;
                    }
                    _ => self.ctx.skip(
                        format!("subsection {:?}", a.title),
                        "its section is not in the backup",
                    ),
                }
                continue;
            }
            if let Some(item) = self.activity(a)? {
                items.push(item);
            }
        }
        Ok(())
    }

    /// A title: plain text, split into language variants.
    pub(crate) fn title(&mut self, raw: &str) -> Localized {
        match html::split_multilang(raw) {
            Some(variants) => Localized(
                variants
                    .into_iter()
                    .map(|(l, t)| (l, html::plain(&t)))
                    .collect(),
            ),
            None if raw.trim().is_empty() => Localized::default(),
            None => Localized::single("und", html::plain(raw)),
        }
    }

    /// A rich text field: language variants, converted to HTML, its files resolved to blobs,
    /// sanitised.
    pub(crate) fn rich(
        &mut self,
        raw: &str,
        format: i64,
        area: Option<&Area>,
    ) -> Result<Localized, ImportError> {
        if raw.trim().is_empty() {
            return Ok(Localized::default());
        }
        let variants =
            html::split_multilang(raw).unwrap_or_else(|| vec![("und".into(), raw.to_owned())]);
        let mut out = Vec::with_capacity(variants.len());
        for (lang, text) in variants {
            let converted = html::to_html(&text, format);
            let resolved = self.resolve_pluginfiles(&converted, area)?;
            out.push((lang, html::sanitize(&resolved)));
        }
        Ok(Localized(out))
    }

    fn resolve_pluginfiles(
        &mut self,
        html: &str,
        area: Option<&Area>,
    ) -> Result<String, ImportError> {
        let mut failure = None;
        let mut missing = Vec::new();
        let out = html::rewrite_pluginfile(html, |path| {
            let area = area?;
            let rec = self
                .files
                .area(area.context, &area.component, &area.filearea, area.item)
                .iter()
                .find(|r| r.full_path() == path)
                .cloned();
            let Some(rec) = rec else {
                missing.push(path.to_owned());
                return None;
            };
            match self.files.blob(self.root, &rec, self.ctx) {
                Ok(sha) => sha.map(|s| format!("{}:{s}", crate::model::BLOB_URL_SCHEME)),
                Err(e) => {
                    failure = Some(e);
                    None
                }
            }
        });
        if let Some(e) = failure {
            return Err(e);
        }
        for path in missing {
            self.ctx.warn(format!(
                "a text refers to {path:?}, which is not in the backup's files"
            ));
        }
        Ok(out)
    }

    fn instance_id(&mut self, a: &ActivityRef) -> Result<i64, ImportError> {
        let (text, name) = self.activity_xml(a)?;
        let doc = xml::parse(&text, &name, self.ctx.limits)?;
        Ok(doc
            .root_element()
            .attribute("id")
            .and_then(|v| v.parse().ok())
            .unwrap_or(-1))
    }

    /// The text of `<dir>/<modulename>.xml` and how errors name it.
    pub(crate) fn activity_xml(
        &mut self,
        a: &ActivityRef,
    ) -> Result<(String, String), ImportError> {
        let file = format!("{}.xml", a.modulename);
        if safe_relative_path(&file).ok().flatten().is_none() || file.contains('/') {
            return Err(ImportError::InvalidBackup(format!(
                "module name {:?} is not a plain name",
                a.modulename
            )));
        }
        let name = format!("{}/{file}", a.directory.display());
        let text = xml::read(
            &self.root.join(&a.directory).join(&file),
            &name,
            self.ctx.limits,
        )?;
        Ok((text, name))
    }
}
