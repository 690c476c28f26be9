//! The required items of a program version as participants see it (visible modules, visible
//! items), parsed once per version and kept in memory: versions never change after import, so the
//! hot paths (home, progress) do not re-parse the program JSON on every request.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use chrono::NaiveDate;
use etapolku_content::model::{ItemKind, Localized, Program};
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};
use uuid::Uuid;

use crate::content::delivery::opens_on;
use crate::entity::{course, program_version};
use crate::error::{AppError, AppResult};
use crate::progress::rules::{Completion, answerable, completion_of};

/// One required item.
#[derive(Debug, Clone)]
pub struct OutlineItem {
    pub id: String,
    pub title: Localized,
    /// `page`, `video`, … as in the module JSON.
    pub kind: &'static str,
    pub completion: Completion,
    /// Ids of the questions the participant answers (exercises only).
    pub questions: Vec<String>,
}

/// One visible module.
#[derive(Debug, Clone)]
pub struct OutlineModule {
    /// 1-based, as in `/me/program/modules/{n}`.
    pub number: usize,
    pub id: String,
    pub title: Localized,
    pub items: Vec<OutlineItem>,
}

#[derive(Debug, Default)]
pub struct Outline {
    pub modules: Vec<OutlineModule>,
    /// item id → (module index, item index).
    index: HashMap<String, (usize, usize)>,
}

impl Outline {
    pub fn from_program(p: &Program) -> Outline {
        let mut out = Outline::default();
        for (mi, m) in p.modules.iter().filter(|m| !m.hidden).enumerate() {
            let items: Vec<OutlineItem> = m
                .items
                .iter()
                .filter(|it| !it.hidden)
                .map(|it| OutlineItem {
                    id: it.id.clone(),
                    title: it.title.clone(),
                    kind: it.kind.name(),
                    completion: completion_of(&it.kind),
                    questions: match &it.kind {
                        ItemKind::Exercise { questions, .. } => questions
                            .iter()
                            .filter(|q| answerable(q))
                            .map(|q| q.id.clone())
                            .collect(),
                        _ => Vec::new(),
                    },
                })
                .collect();
            for (ii, it) in items.iter().enumerate() {
                // The first wins should a source repeat an id; ids are unique in practice.
                out.index.entry(it.id.clone()).or_insert((mi, ii));
            }
            out.modules.push(OutlineModule {
                number: mi + 1,
                id: m.id.clone(),
                title: m.title.clone(),
                items,
            });
        }
        out
    }

    pub fn find(&self, item_id: &str) -> Option<(&OutlineModule, &OutlineItem)> {
        let (mi, ii) = *self.index.get(item_id)?;
        let m = self.modules.get(mi)?;
        Some((m, m.items.get(ii)?))
    }

    pub fn contains(&self, item_id: &str) -> bool {
        self.index.contains_key(item_id)
    }

    /// An item the participant may work on today: 404 when it is not a visible item of the
    /// course's version, 403 `module_locked` while its module has not opened (as delivery).
    pub fn open_item(
        &self,
        c: &course::Model,
        item_id: &str,
        today: NaiveDate,
    ) -> AppResult<(&OutlineModule, &OutlineItem)> {
        let (m, it) = self.find(item_id).ok_or(AppError::NotFound)?;
        if today < opens_on(c, m.number - 1)? {
            return Err(AppError::Forbidden {
                code: "module_locked",
            });
        }
        Ok((m, it))
    }
}

type Cache = RwLock<HashMap<Uuid, Arc<Outline>>>;

/// Keyed by the version's uuid (unique everywhere), not its row id.
fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// More versions than any deployment keeps in use; past it the cache starts over.
const CACHE_LIMIT: usize = 512;

/// The outline of the course's program version: one small query when cached, two and a parse
/// otherwise. 404 `no_program` when the course has none.
pub async fn outline_of<C: ConnectionTrait>(db: &C, c: &course::Model) -> AppResult<Arc<Outline>> {
    let version_id = c
        .program_version_id
        .ok_or(AppError::NotFoundCode("no_program"))?;
    let uuid: Uuid = program_version::Entity::find_by_id(version_id)
        .select_only()
        .column(program_version::Column::Uuid)
        .into_tuple()
        .one(db)
        .await?
        .ok_or(AppError::NotFoundCode("no_program"))?;
    outline_of_version(db, version_id, uuid).await
}

/// The outline of a version whose uuid the caller already read: no query when cached.
pub async fn outline_of_version<C: ConnectionTrait>(
    db: &C,
    version_id: i32,
    uuid: Uuid,
) -> AppResult<Arc<Outline>> {
    if let Some(hit) = cache().read().unwrap_or_else(|p| p.into_inner()).get(&uuid) {
        return Ok(hit.clone());
    }
    let version = program_version::Entity::find_by_id(version_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFoundCode("no_program"))?;
    let document: Program = serde_json::from_str(&version.document)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("stored program unreadable: {e}")))?;
    let outline = Arc::new(Outline::from_program(&document));
    let mut map = cache().write().unwrap_or_else(|p| p.into_inner());
    if map.len() >= CACHE_LIMIT {
        map.clear();
    }
    map.insert(uuid, outline.clone());
    Ok(outline)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program() -> Program {
        let page = |id: &str, hidden: bool| serde_json::json!({"id": id, "title": [["fi", id]], "kind": "page", "html": [], "hidden": hidden});
        let exercise = serde_json::json!({
            "id": "ex", "title": [["fi", "Harjoitus"]], "kind": "exercise", "instructions": [],
            "hidden": false,
            "questions": [
                {"id": "ex-q1", "text": [["fi", "Lue"]], "type": "description"},
                {"id": "ex-q2", "text": [["fi", "Kerro"]], "type": "essay"},
            ],
        });
        serde_json::from_value(serde_json::json!({
            "title": [["fi", "Ohjelma"]], "languages": ["fi"],
            "modules": [
                {"id": "m1", "title": [], "summary": [], "hidden": false,
                 "items": [page("a", false), page("secret", true), exercise]},
                {"id": "m-hidden", "title": [], "summary": [], "hidden": true,
                 "items": [page("b", false)]},
                {"id": "m2", "title": [], "summary": [], "hidden": false,
                 "items": [page("c", false)]},
            ],
        }))
        .unwrap_or_else(|e| panic!("test program: {e}"))
    }

    #[test]
    fn hidden_modules_and_items_are_not_required_and_numbers_follow_visible_modules() {
        let o = Outline::from_program(&program());
        assert_eq!(o.modules.len(), 2);
        assert_eq!(o.modules[0].items.len(), 2);
        assert!(o.find("secret").is_none());
        assert!(o.find("b").is_none());
        let (m, it) = o.find("c").unwrap_or_else(|| panic!("c"));
        assert_eq!((m.number, it.kind), (2, "page"));
        let (_, ex) = o.find("ex").unwrap_or_else(|| panic!("ex"));
        assert_eq!(ex.completion, Completion::Answer);
        assert_eq!(
            ex.questions,
            vec!["ex-q2".to_owned()],
            "descriptions are not answered"
        );
    }
}
