//! files.xml: which stored blob a (context, component, file area, item, path) refers to.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::Ctx;
use crate::error::ImportError;
use crate::xml;

/// sha1 of the empty string: Moodle's directory records, which have no blob.
const EMPTY_SHA1: &str = "da39a3ee5e6b4b0d3255bfef95601890afd80709";

#[derive(Debug, Clone)]
pub(crate) struct FileRec {
    pub contenthash: String,
    /// `/` or `/sub/dir/`.
    pub filepath: String,
    pub filename: String,
    pub mimetype: String,
    pub sortorder: i64,
}

impl FileRec {
    /// The path inside its file area, as `@@PLUGINFILE@@` references write it.
    pub(crate) fn full_path(&self) -> String {
        format!("{}{}", self.filepath, self.filename)
    }
}

type AreaKey = (i64, String, String, i64);

#[derive(Default)]
pub(crate) struct FileIndex {
    areas: HashMap<AreaKey, Vec<FileRec>>,
    warned: HashSet<String>,
}

impl FileIndex {
    pub(crate) fn load(root: &Path, ctx: &mut Ctx<'_>) -> Result<FileIndex, ImportError> {
        let path = root.join("files.xml");
        if !path.is_file() {
            ctx.warn("files.xml is missing: the backup's files cannot be used");
            return Ok(FileIndex::default());
        }
        let text = xml::read(&path, "files.xml", ctx.limits)?;
        let doc = xml::parse(&text, "files.xml", ctx.limits)?;
        let mut index = FileIndex::default();
        for f in xml::children(doc.root_element(), "file") {
            let rec = FileRec {
                contenthash: xml::text(f, "contenthash").to_ascii_lowercase(),
                filepath: xml::text(f, "filepath"),
                filename: xml::text(f, "filename"),
                mimetype: xml::text(f, "mimetype"),
                sortorder: xml::int(f, "sortorder").unwrap_or(0),
            };
            if rec.filename == "." || rec.contenthash == EMPTY_SHA1 {
                continue;
            }
            let key = (
                xml::int(f, "contextid").unwrap_or(-1),
                xml::text(f, "component"),
                xml::text(f, "filearea"),
                xml::int(f, "itemid").unwrap_or(0),
            );
            index.areas.entry(key).or_default().push(rec);
        }
        for recs in index.areas.values_mut() {
            recs.sort_by_key(FileRec::full_path);
        }
        Ok(index)
    }

    /// The files of one area, sorted by path.
    pub(crate) fn area(&self, context: i64, component: &str, area: &str, item: i64) -> &[FileRec] {
        self.areas
            .get(&(context, component.to_owned(), area.to_owned(), item))
            .map_or(&[], Vec::as_slice)
    }

    /// The files of an area whatever their item id (a package's revision number), by path.
    pub(crate) fn area_any_item(&self, context: i64, component: &str, area: &str) -> Vec<FileRec> {
        let mut keys: Vec<&AreaKey> = self
            .areas
            .keys()
            .filter(|(c, comp, a, _)| *c == context && comp == component && a == area)
            .collect();
        keys.sort();
        keys.into_iter()
            .flat_map(|k| self.areas[k].iter().cloned())
            .collect()
    }

    /// Registers the record's blob and returns its sha256; a missing blob is a warning.
    pub(crate) fn blob(
        &mut self,
        root: &Path,
        rec: &FileRec,
        ctx: &mut Ctx<'_>,
    ) -> Result<Option<String>, ImportError> {
        let hash = &rec.contenthash;
        let valid = hash.len() == 40 && hash.bytes().all(|b| b.is_ascii_hexdigit());
        let path = root
            .join("files")
            .join(hash.get(..2).unwrap_or(""))
            .join(hash);
        if !valid || !path.is_file() {
            if self.warned.insert(format!("{hash}{}", rec.full_path())) {
                ctx.warn(format!(
                    "file {:?} is listed in files.xml but its content is not in the backup",
                    rec.full_path()
                ));
            }
            return Ok(None);
        }
        let mime = Some(rec.mimetype.as_str());
        ctx.blobs.add(&path, &rec.filename, mime).map(Some)
    }
}
