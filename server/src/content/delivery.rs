//! What participants and staff get of a course's program: modules with their opening dates, and
//! a module's items ready for the browser (media as signed URLs, answers left out for participants).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};

use chrono::{DateTime, Days, NaiveDate, Utc};
use etapolku_content::model::{Localized, Program};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::content::media::signed_url;
use crate::courses::service::schedule_of;
use crate::entity::{course, program, program_version, program_version_blob};
use crate::error::{AppError, AppResult};

/// How a course's modules open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseMode {
    /// Module n opens on the Monday of remote week n (the OMApolku rhythm).
    Weekly,
    /// Everything is open from the first on-site day.
    All,
}

impl ReleaseMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ReleaseMode::Weekly => "weekly",
            ReleaseMode::All => "all",
        }
    }
    pub fn parse(s: &str) -> ReleaseMode {
        if s == "all" {
            ReleaseMode::All
        } else {
            ReleaseMode::Weekly
        }
    }
}

/// Which program version a course uses, without its (large) document.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct VersionRef {
    pub id: i32,
    pub uuid: uuid::Uuid,
    pub program_id: i32,
    pub version: i32,
}

/// A course's program as stored, with the set of blobs its version may serve.
pub struct CourseProgram {
    pub program_title: String,
    pub version: VersionRef,
    pub document: Arc<Program>,
    pub blobs: Arc<HashSet<String>>,
}

/// A parsed program version. Versions never change once imported, so the parse is kept.
struct Parsed {
    title: String,
    document: Arc<Program>,
    blobs: Arc<HashSet<String>>,
}

/// Parsed versions by uuid (unique across databases, so test servers in one process cannot mix
/// them up). Bounded: a provider has a handful of versions; when full it starts over.
static PARSED: LazyLock<Mutex<HashMap<uuid::Uuid, Arc<Parsed>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));
const PARSED_MAX: usize = 64;

fn cached(uuid: uuid::Uuid) -> Option<Arc<Parsed>> {
    PARSED
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&uuid)
        .cloned()
}

fn remember(uuid: uuid::Uuid, parsed: Arc<Parsed>) {
    let mut map = PARSED.lock().unwrap_or_else(|p| p.into_inner());
    if map.len() >= PARSED_MAX {
        map.clear();
    }
    map.insert(uuid, parsed);
}

async fn parse_version<C: ConnectionTrait>(db: &C, version_id: i32) -> AppResult<Parsed> {
    let version = program_version::Entity::find_by_id(version_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFoundCode("no_program"))?;
    let title = program::Entity::find_by_id(version.program_id)
        .one(db)
        .await?
        .map(|p| p.title)
        .unwrap_or_default();
    let document: Program = serde_json::from_str(&version.document)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("stored program unreadable: {e}")))?;
    let blobs = program_version_blob::Entity::find()
        .filter(program_version_blob::Column::VersionId.eq(version.id))
        .all(db)
        .await?
        .into_iter()
        .map(|b| b.sha256)
        .collect();
    Ok(Parsed {
        title,
        document: Arc::new(document),
        blobs: Arc::new(blobs),
    })
}

/// The course's program: one small query when the version was read before.
pub async fn course_program<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
) -> AppResult<CourseProgram> {
    let version_id = c
        .program_version_id
        .ok_or(AppError::NotFoundCode("no_program"))?;
    let version = program_version::Entity::find_by_id(version_id)
        .select_only()
        .columns([
            program_version::Column::Id,
            program_version::Column::Uuid,
            program_version::Column::ProgramId,
            program_version::Column::Version,
        ])
        .into_model::<VersionRef>()
        .one(db)
        .await?
        .ok_or(AppError::NotFoundCode("no_program"))?;
    let parsed = match cached(version.uuid) {
        Some(parsed) => parsed,
        None => {
            let parsed = Arc::new(parse_version(db, version.id).await?);
            remember(version.uuid, parsed.clone());
            parsed
        }
    };
    Ok(CourseProgram {
        program_title: parsed.title.clone(),
        version,
        document: parsed.document.clone(),
        blobs: parsed.blobs.clone(),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ModuleSummary {
    /// 1-based position among the modules a participant sees.
    pub number: usize,
    #[schema(value_type = Vec<Vec<String>>)]
    pub title: Localized,
    pub opens_on: NaiveDate,
    pub open: bool,
    pub items: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramOverview {
    #[schema(value_type = Vec<Vec<String>>)]
    pub title: Localized,
    pub release: ReleaseMode,
    /// The program version the course uses.
    pub version_id: uuid::Uuid,
    pub version: i32,
    pub languages: Vec<String>,
    pub modules: Vec<ModuleSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ModuleView {
    pub number: usize,
    #[schema(value_type = Vec<Vec<String>>)]
    pub title: Localized,
    /// Sanitised HTML in each language.
    #[schema(value_type = Vec<Vec<String>>)]
    pub summary: Localized,
    /// Items as in the content model (`kind` tells which), media as signed URLs.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Value>,
}

/// The day module `index` (0-based) opens.
pub fn opens_on(c: &course::Model, index: usize) -> AppResult<NaiveDate> {
    let schedule = schedule_of(c)?;
    Ok(match ReleaseMode::parse(&c.release_mode) {
        ReleaseMode::All => schedule.onsite1_start,
        // Modules past the twelfth open with the last remote week.
        ReleaseMode::Weekly => schedule.remote_start + Days::new(7 * index.min(11) as u64),
    })
}

/// Participants see visible modules only; staff see every module.
fn visible(document: &Program, staff: bool) -> Vec<&etapolku_content::model::Module> {
    document
        .modules
        .iter()
        .filter(|m| staff || !m.hidden)
        .collect()
}

pub fn overview(
    c: &course::Model,
    cp: &CourseProgram,
    today: NaiveDate,
    staff: bool,
) -> AppResult<ProgramOverview> {
    let mut modules = Vec::new();
    for (i, m) in visible(&cp.document, staff).into_iter().enumerate() {
        let opens = opens_on(c, i)?;
        modules.push(ModuleSummary {
            number: i + 1,
            title: m.title.clone(),
            opens_on: opens,
            open: staff || today >= opens,
            items: m.items.iter().filter(|it| staff || !it.hidden).count(),
        });
    }
    let title = if cp.document.title.0.is_empty() {
        Localized::single("fi", cp.program_title.clone())
    } else {
        cp.document.title.clone()
    };
    Ok(ProgramOverview {
        title,
        release: ReleaseMode::parse(&c.release_mode),
        version_id: cp.version.uuid,
        version: cp.version.version,
        languages: cp.document.languages.clone(),
        modules,
    })
}

/// Who is reading a module, and when.
pub struct Reader<'a> {
    pub staff: bool,
    /// Audio and video recorded in this language are chosen when the item has them.
    pub lang: &'a str,
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
    pub media_key: &'a [u8],
}

/// Puts the recording in the reader's language in `blob`, so a Swedish reader hears Swedish.
fn pick_recording(item: &mut etapolku_content::model::Item, lang: &str) {
    use etapolku_content::model::ItemKind;
    if let ItemKind::Audio { blob, variants, .. } | ItemKind::Video { blob, variants, .. } =
        &mut item.kind
        && let Some((_, chosen)) = variants.iter().find(|(l, _)| l == lang)
    {
        *blob = chosen.clone();
    }
}

pub fn module(
    c: &course::Model,
    cp: &CourseProgram,
    number: usize,
    reader: &Reader<'_>,
) -> AppResult<ModuleView> {
    let (staff, today, now, media_key) = (reader.staff, reader.today, reader.now, reader.media_key);
    let modules = visible(&cp.document, staff);
    let index = number.checked_sub(1).ok_or(AppError::NotFound)?;
    let m = modules.get(index).ok_or(AppError::NotFound)?;
    let opens = opens_on(c, index)?;
    if !staff && today < opens {
        return Err(AppError::Forbidden {
            code: "module_locked",
        });
    }
    let url = |sha: &str| signed_url(media_key, sha, now);
    let mut items = Vec::new();
    for item in m.items.iter().filter(|it| staff || !it.hidden) {
        let mut item = item.clone();
        pick_recording(&mut item, reader.lang);
        let mut v = serde_json::to_value(&item).map_err(|e| AppError::Internal(e.into()))?;
        prepare(&mut v, &cp.blobs, &url, !staff);
        items.push(v);
    }
    let mut summary = serde_json::to_value(&m.summary).map_err(|e| AppError::Internal(e.into()))?;
    prepare(&mut summary, &cp.blobs, &url, !staff);
    let summary: Localized =
        serde_json::from_value(summary).map_err(|e| AppError::Internal(e.into()))?;
    Ok(ModuleView {
        number,
        title: m.title.clone(),
        summary,
        items,
    })
}

/// Keys that would give away right answers before a participant has answered.
const ANSWER_KEYS: [&str; 3] = ["correct", "accepted", "feedback"];
const BLOB_REF: &str = "etapolku-blob:";

/// Rewrites blob references to signed URLs (only blobs of this version) and, for participants,
/// removes answer keys.
fn prepare(
    v: &mut Value,
    blobs: &HashSet<String>,
    url: &dyn Fn(&str) -> String,
    strip_answers: bool,
) {
    match v {
        Value::Object(map) => {
            if strip_answers {
                for k in ANSWER_KEYS {
                    map.remove(k);
                }
            }
            for child in map.values_mut() {
                prepare(child, blobs, url, strip_answers);
            }
        }
        Value::Array(list) => list
            .iter_mut()
            .for_each(|c| prepare(c, blobs, url, strip_answers)),
        Value::String(s) => {
            if blobs.contains(s.as_str()) {
                *s = url(s);
            } else if s.contains(BLOB_REF) {
                *s = rewrite_refs(s, blobs, url);
            }
        }
        _ => {}
    }
}

fn rewrite_refs(html: &str, blobs: &HashSet<String>, url: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(BLOB_REF) {
        out.push_str(&rest[..at]);
        let after = &rest[at + BLOB_REF.len()..];
        let sha: String = after.chars().take(64).collect();
        if sha.len() == 64 && blobs.contains(&sha) {
            out.push_str(&url(&sha));
            rest = &after[64..];
        } else {
            // Not ours: leave a dead reference rather than reach another program's media.
            out.push('#');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_references_become_urls_and_answers_disappear_for_participants() {
        let sha = "c".repeat(64);
        let blobs: HashSet<String> = [sha.clone()].into();
        let mut v = serde_json::json!({
            "html": format!("<img src=\"etapolku-blob:{sha}\"><img src=\"etapolku-blob:{}\">", "d".repeat(64)),
            "blob": sha,
            "choices": [{"text": "a", "correct": true, "feedback": "yes"}],
        });
        prepare(&mut v, &blobs, &|s| format!("/media/{s}"), true);
        let html = v["html"].as_str().expect("html");
        assert!(html.contains(&format!("/media/{}", "c".repeat(64))));
        assert!(!html.contains("etapolku-blob:"));
        assert_eq!(v["blob"], format!("/media/{}", "c".repeat(64)));
        assert!(v["choices"][0].get("correct").is_none());
        assert!(v["choices"][0].get("feedback").is_none());
    }
}
