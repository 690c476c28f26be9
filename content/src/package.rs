//! Standalone SCORM / IMS content packages and H5P files: a one-module program whose one item
//! is the package, kept as the uploaded file. IMS Common Cartridges are refused: they are whole
//! courses in a format we do not read, and importing one as an opaque package would hide that.

use std::fs::File;
use std::io::Read as _;
use std::path::Path;

use roxmltree::Node;

use crate::error::ImportError;
use crate::html::course_lang;
use crate::model::{Item, ItemKind, Localized, Module, Program};
use crate::{Ctx, Read, xml};

pub(crate) fn read_ims(input: &Path, root: &Path, ctx: &mut Ctx<'_>) -> Result<Read, ImportError> {
    let text = xml::read(&root.join("imsmanifest.xml"), "imsmanifest.xml", ctx.limits)?;
    let doc = xml::parse(&text, "imsmanifest.xml", ctx.limits)?;
    let manifest = doc.root_element();
    let schema = xml::path(manifest, &["metadata", "schema"])
        .map(xml::node_text)
        .unwrap_or_default();
    let namespace = manifest.tag_name().namespace().unwrap_or_default();
    if schema.contains("Common Cartridge") || namespace.contains("imscc") {
        return Err(ImportError::UnsupportedFormat(
            "IMS Common Cartridge is not supported; export the course as a Moodle backup instead"
                .into(),
        ));
    }
    let scorm = schema.contains("SCORM")
        || manifest.descendants().any(|n| {
            n.attributes()
                .any(|a| a.name().eq_ignore_ascii_case("scormtype"))
        });
    let title = organization_title(manifest)
        .or_else(|| lom_title(manifest))
        .unwrap_or_else(|| file_stem(input));
    let lang = manifest
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "language")
        .map(xml::node_text)
        .or_else(|| {
            manifest
                .descendants()
                .find_map(|n| n.attribute((roxmltree::NS_XML_URI, "lang")))
                .map(str::to_owned)
        })
        .and_then(|l| course_lang(&l));
    drop(doc);
    one_item_program(
        input,
        ctx,
        title,
        lang,
        if scorm { "scorm" } else { "imscp" },
    )
}

pub(crate) fn read_h5p(input: &Path, root: &Path, ctx: &mut Ctx<'_>) -> Result<Read, ImportError> {
    let mut bytes = Vec::new();
    File::open(root.join("h5p.json"))
        .map_err(ImportError::io("opening h5p.json"))?
        .take(ctx.limits.max_xml_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(ImportError::io("reading h5p.json"))?;
    if bytes.len() as u64 > ctx.limits.max_xml_bytes {
        return Err(ImportError::LimitExceeded("h5p.json is too large".into()));
    }
    let meta: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| ImportError::UnsupportedFormat(format!("h5p.json is not valid JSON: {e}")))?;
    let title = meta
        .get("title")
        .and_then(|t| t.as_str())
        .filter(|t| !t.trim().is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| file_stem(input));
    // "und" is H5P's "not set"; defaultLanguage then says what the texts are in.
    let lang = ["language", "defaultLanguage"]
        .iter()
        .filter_map(|k| meta.get(*k).and_then(|l| l.as_str()))
        .find(|l| *l != "und")
        .and_then(course_lang);
    one_item_program(input, ctx, title, lang, "h5p")
}

fn one_item_program(
    input: &Path,
    ctx: &mut Ctx<'_>,
    title: String,
    lang: Option<String>,
    format: &'static str,
) -> Result<Read, ImportError> {
    let filename = input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| format!("package.{format}"));
    let blob = ctx.blobs.copy_in(input, ctx.staging, &filename)?;
    let lang = lang.unwrap_or_else(|| "und".into());
    let title = Localized::single(&lang, crate::html::plain(&title));
    let program = Program {
        title: title.clone(),
        summary: Localized::default(),
        languages: vec![lang],
        modules: vec![Module {
            id: "package".into(),
            title: title.clone(),
            summary: Localized::default(),
            items: vec![Item {
                id: "package".into(),
                title,
                intro: Localized::default(),
                kind: ItemKind::EmbeddedPackage {
                    blob,
                    format: format.to_owned(),
                },
                hidden: false,
            }],
            hidden: false,
        }],
    };
    Ok(Read {
        program,
        format,
        moodle: None,
    })
}

/// The title of the default organization (or the first).
fn organization_title(manifest: Node<'_, '_>) -> Option<String> {
    let orgs = xml::child(manifest, "organizations")?;
    let default = orgs.attribute("default");
    let org = xml::children(orgs, "organization")
        .find(|o| default.is_some() && o.attribute("identifier") == default)
        .or_else(|| xml::children(orgs, "organization").next())?;
    let t = xml::text(org, "title");
    (!t.trim().is_empty()).then(|| t.trim().to_owned())
}

/// LOM `general/title/langstring` (or `string`).
fn lom_title(manifest: Node<'_, '_>) -> Option<String> {
    let general = manifest
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "general")?;
    let title = xml::child(general, "title")?;
    let t: String = title
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    (!t.trim().is_empty()).then(|| t.trim().to_owned())
}

fn file_stem(input: &Path) -> String {
    input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
