//! XML from imports (SECURITY.md S19, F13): documents with a DTD or entity declarations are
//! refused outright, before and by the parser, so nothing is ever fetched or expanded.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use roxmltree::{Document, Node, ParsingOptions};

use crate::archive::Limits;
use crate::error::ImportError;

/// Moodle writes a NULL column as this literal.
pub(crate) const MOODLE_NULL: &str = "$@NULL@$";

/// Reads an XML file from staging, within the size cap. `name` is how errors refer to it.
pub(crate) fn read(path: &Path, name: &str, limits: &Limits) -> Result<String, ImportError> {
    let file = File::open(path).map_err(ImportError::io(format!("opening {name}")))?;
    let mut bytes = Vec::new();
    file.take(limits.max_xml_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(ImportError::io(format!("reading {name}")))?;
    if bytes.len() as u64 > limits.max_xml_bytes {
        return Err(ImportError::LimitExceeded(format!(
            "{name} is larger than {} bytes",
            limits.max_xml_bytes
        )));
    }
    // A UTF-8 byte order mark is legal XML; the parser wants text after it.
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
    String::from_utf8(bytes).map_err(|_| ImportError::InvalidXml {
        file: name.to_owned(),
        why: "not UTF-8".into(),
    })
}

/// Parses a document, refusing any DTD.
pub(crate) fn parse<'a>(
    text: &'a str,
    name: &str,
    limits: &Limits,
) -> Result<Document<'a>, ImportError> {
    if has_dtd(text) {
        return Err(ImportError::XmlWithDtd {
            file: name.to_owned(),
        });
    }
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: limits.max_xml_nodes,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => ImportError::XmlWithDtd {
            file: name.to_owned(),
        },
        roxmltree::Error::NodesLimitReached => ImportError::LimitExceeded(format!(
            "{name} has more than {} XML nodes",
            limits.max_xml_nodes
        )),
        other => ImportError::InvalidXml {
            file: name.to_owned(),
            why: other.to_string(),
        },
    })
}

/// A declaration can only appear in the prolog, before the root element.
fn has_dtd(text: &str) -> bool {
    let prolog_end = text
        .match_indices('<')
        .find(|(i, _)| {
            text[i + 1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
        })
        .map_or(text.len(), |(i, _)| i);
    let prolog = text[..prolog_end].to_ascii_uppercase();
    prolog.contains("<!DOCTYPE") || prolog.contains("<!ENTITY")
}

/// The first child element called `name`.
pub(crate) fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// All child elements called `name`.
pub(crate) fn children<'a, 'i>(
    node: Node<'a, 'i>,
    name: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// Follows a path of child element names.
pub(crate) fn path<'a, 'i>(node: Node<'a, 'i>, names: &[&str]) -> Option<Node<'a, 'i>> {
    names.iter().try_fold(node, |n, name| child(n, name))
}

/// The text of child `name`; empty when missing or NULL.
pub(crate) fn text(node: Node<'_, '_>, name: &str) -> String {
    child(node, name).map(node_text).unwrap_or_default()
}

/// The text content of an element; empty when NULL.
pub(crate) fn node_text(node: Node<'_, '_>) -> String {
    let t: String = node
        .children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect();
    if t == MOODLE_NULL { String::new() } else { t }
}

/// The integer in child `name`, if any.
pub(crate) fn int(node: Node<'_, '_>, name: &str) -> Option<i64> {
    text(node, name).trim().parse().ok()
}

/// The number in child `name`, if any.
pub(crate) fn float(node: Node<'_, '_>, name: &str) -> Option<f64> {
    text(node, name).trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_entities_are_refused() {
        let xxe = r#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>"#;
        assert!(matches!(
            parse(xxe, "t.xml", &Limits::default()),
            Err(ImportError::XmlWithDtd { .. })
        ));
    }

    #[test]
    fn entity_like_text_inside_the_document_is_fine() {
        let doc = "<r><summary>&lt;!DOCTYPE html&gt; is HTML</summary></r>";
        let d = parse(doc, "t.xml", &Limits::default()).expect("parses");
        assert_eq!(text(d.root_element(), "summary"), "<!DOCTYPE html> is HTML");
    }

    #[test]
    fn the_moodle_null_is_empty() {
        let d = parse("<r><name>$@NULL@$</name></r>", "t.xml", &Limits::default()).expect("xml");
        assert_eq!(text(d.root_element(), "name"), "");
    }
}
