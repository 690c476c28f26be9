//! Imported text to safe HTML: format conversion, Moodle multilang splitting and sanitising
//! (SECURITY.md S20, F16).

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{Options, Parser, html::push_html};

use crate::model::BLOB_URL_SCHEME;

/// Moodle's text formats (lib/weblib.php FORMAT_*).
pub(crate) const FORMAT_MOODLE: i64 = 0;
pub(crate) const FORMAT_HTML: i64 = 1;
pub(crate) const FORMAT_PLAIN: i64 = 2;
pub(crate) const FORMAT_MARKDOWN: i64 = 4;

/// ammonia's allowlist (no script, no style, no event handlers, only safe URL schemes), plus
/// the media elements course pages use and our own blob scheme.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags(["video", "audio", "source", "track", "figure", "figcaption"])
        .add_tag_attributes("video", ["src", "controls", "poster", "width", "height"])
        .add_tag_attributes("audio", ["src", "controls"])
        .add_tag_attributes("source", ["src", "type"])
        .add_tag_attributes("track", ["src", "kind", "srclang", "label", "default"])
        .add_url_schemes([BLOB_URL_SCHEME]);
    b
});

pub(crate) fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// Converts a text in one of Moodle's formats to (unsanitised) HTML.
pub(crate) fn to_html(text: &str, format: i64) -> String {
    match format {
        FORMAT_MARKDOWN => markdown(text),
        FORMAT_PLAIN => escape(text).replace('\n', "<br>\n"),
        // Moodle's "auto-format" keeps HTML and turns line breaks into <br> (text_to_html).
        FORMAT_MOODLE => text.replace("\r\n", "\n").replace('\n', "<br>\n"),
        _ => text.to_owned(),
    }
}

pub(crate) fn markdown(text: &str) -> String {
    let mut out = String::new();
    push_html(
        &mut out,
        Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH),
    );
    out
}

pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A title: tags dropped, whitespace collapsed (Moodle label names carry line breaks).
pub(crate) fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

enum Segment<'a> {
    Common(&'a str),
    Lang(String, &'a str),
}

/// Splits Moodle multilang markup (`<span lang="fi" class="multilang">…</span>` of the core
/// filter and `{mlang fi}…{mlang}` of filter_multilang2) into one text per language. `None`
/// when the text has no such markup. Text outside the markup belongs to every language.
pub(crate) fn split_multilang(text: &str) -> Option<Vec<(String, String)>> {
    let segments = segments(text);
    let mut langs: Vec<String> = Vec::new();
    for s in &segments {
        if let Segment::Lang(l, _) = s
            && l != "other"
            && !langs.contains(l)
        {
            langs.push(l.clone());
        }
    }
    let has_other = segments
        .iter()
        .any(|s| matches!(s, Segment::Lang(l, _) if l == "other"));
    if langs.is_empty() {
        if !has_other {
            return None;
        }
        langs.push("und".into());
    }
    let present: HashSet<&str> = langs.iter().map(String::as_str).collect();
    let variants = langs
        .iter()
        .map(|lang| {
            let mut out = String::new();
            for s in &segments {
                match s {
                    Segment::Common(t) => out.push_str(t),
                    Segment::Lang(l, t) if l == lang => out.push_str(t),
                    // filter_multilang2's fallback for languages without their own block.
                    Segment::Lang(l, t) if l == "other" && !present.contains(lang.as_str()) => {
                        out.push_str(t)
                    }
                    Segment::Lang(l, t) if l == "other" && lang == "und" => out.push_str(t),
                    _ => {}
                }
            }
            (lang.clone(), out)
        })
        .collect();
    Some(variants)
}

fn segments(text: &str) -> Vec<Segment<'_>> {
    // ASCII lowercasing keeps byte offsets, so indices found in `lower` slice `text`.
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut common_start = 0;
    let mut i = 0;
    while i < text.len() {
        let found = if lower[i..].starts_with("<span") {
            multilang_span(text, &lower, i)
        } else if lower[i..].starts_with("{mlang") {
            mlang_block(text, &lower, i)
        } else {
            None
        };
        if let Some((lang, body, end)) = found {
            if common_start < i {
                out.push(Segment::Common(&text[common_start..i]));
            }
            out.push(Segment::Lang(lang, body));
            i = end;
            common_start = end;
            continue;
        }
        // Step over the whole character: text often starts with Ä, Ö or Å.
        let step = text[i..].chars().next().map_or(1, char::len_utf8);
        i = match lower[i + step..].find(['<', '{']) {
            Some(n) => i + step + n,
            None => text.len(),
        };
    }
    if common_start < text.len() {
        out.push(Segment::Common(&text[common_start..]));
    }
    out
}

/// `<span … class="multilang" … lang="xx">body</span>` at `start`, nested spans balanced.
fn multilang_span<'a>(
    text: &'a str,
    lower: &str,
    start: usize,
) -> Option<(String, &'a str, usize)> {
    let tag_end = start + lower[start..].find('>')?;
    let tag = &lower[start..tag_end];
    if !tag.contains("multilang") {
        return None;
    }
    let lang = attribute(&text[start..tag_end], &lower[start..tag_end], "lang")?;
    let body_start = tag_end + 1;
    let mut depth = 1;
    let mut pos = body_start;
    loop {
        let open = lower[pos..].find("<span").map(|n| pos + n);
        let close = lower[pos..].find("</span").map(|n| pos + n);
        match (open, close) {
            (Some(o), Some(c)) if o < c => {
                depth += 1;
                pos = o + 5;
            }
            (_, Some(c)) => {
                depth -= 1;
                if depth == 0 {
                    let end = c + lower[c..].find('>')? + 1;
                    return Some((normalise_lang(&lang)?, &text[body_start..c], end));
                }
                pos = c + 6;
            }
            _ => return None,
        }
    }
}

/// `{mlang xx}body{mlang}` at `start`.
fn mlang_block<'a>(text: &'a str, lower: &str, start: usize) -> Option<(String, &'a str, usize)> {
    let open_end = start + lower[start..].find('}')?;
    let lang = text[start + "{mlang".len()..open_end].trim();
    if lang.is_empty() || lang.len() > 20 {
        return None;
    }
    let body_start = open_end + 1;
    let close = body_start + lower[body_start..].find("{mlang}")?;
    Some((
        normalise_lang(lang)?,
        &text[body_start..close],
        close + "{mlang}".len(),
    ))
}

/// The value of attribute `name` (whole word, so `xml:lang` or `data-lang` do not count).
fn attribute(tag: &str, lower: &str, name: &str) -> Option<String> {
    let mut from = 0;
    while let Some(n) = lower[from..].find(name) {
        let at = from + n;
        from = at + name.len();
        let before = lower[..at].chars().last();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = lower[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let offset = tag.len() - rest.len();
        let quote = rest.chars().next()?;
        if quote == '"' || quote == '\'' {
            let value = &tag[offset + 1..];
            return value.find(quote).map(|end| value[..end].to_owned());
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '>')
            .unwrap_or(rest.len());
        return Some(tag[offset..offset + end].to_owned());
    }
    None
}

/// Moodle language codes (`fi`, `sv`, `en_us`) as BCP 47 tags (`en-us`).
fn normalise_lang(lang: &str) -> Option<String> {
    let l = lang.trim().to_ascii_lowercase().replace('_', "-");
    let ok =
        !l.is_empty() && l.len() <= 20 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    ok.then_some(l)
}

/// Moodle's course language (`fi`, `sv_fi`, `en_utf8` in very old backups), if set.
pub(crate) fn course_lang(lang: &str) -> Option<String> {
    let l = lang.trim().trim_end_matches("_utf8");
    normalise_lang(l)
}

/// Rewrites every `@@PLUGINFILE@@/<url-encoded path>` in `html` through `resolve`, which gets
/// the decoded path (`/sub/dir/name.png`) and returns the new URL (or `None`: left empty).
pub(crate) fn rewrite_pluginfile(
    html: &str,
    mut resolve: impl FnMut(&str) -> Option<String>,
) -> String {
    const MARK: &str = "@@PLUGINFILE@@";
    if !html.contains(MARK) {
        return html.to_owned();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        let after = &rest[at + MARK.len()..];
        let end = after
            .find(|c: char| c.is_whitespace() || "\"'<>)?#".contains(c))
            .unwrap_or(after.len());
        let raw = after[..end].replace("&amp;", "&");
        let decoded = percent_encoding::percent_decode_str(&raw)
            .decode_utf8_lossy()
            .into_owned();
        let path = if decoded.starts_with('/') {
            decoded
        } else {
            format!("/{decoded}")
        };
        if let Some(url) = resolve(&path) {
            out.push_str(&url);
        }
        let mut tail = &after[end..];
        // A query such as ?forcedownload=1 belongs to Moodle's file server, not to us.
        if let Some(q) = tail.strip_prefix('?') {
            let qend = q
                .find(|c: char| c.is_whitespace() || "\"'<>)#".contains(c))
                .unwrap_or(q.len());
            tail = &q[qend..];
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_event_handlers_and_javascript_urls_are_removed() {
        let dirty = r#"<p onclick="steal()">Hi<script>alert(1)</script><a href="javascript:alert(1)">x</a><img src="x" onerror="e()"></p>"#;
        let clean = sanitize(dirty);
        assert!(!clean.contains("script"), "{clean}");
        assert!(!clean.contains("onclick"), "{clean}");
        assert!(!clean.contains("onerror"), "{clean}");
        assert!(!clean.contains("javascript"), "{clean}");
        assert!(clean.contains("Hi"));
    }

    #[test]
    fn blob_links_survive_sanitising() {
        let html = format!(r#"<img src="{BLOB_URL_SCHEME}:abc123" alt="a">"#);
        assert!(sanitize(&html).contains("etapolku-blob:abc123"));
    }

    #[test]
    fn text_starting_with_a_non_ascii_letter_is_not_a_panic() {
        for t in [
            "Äänite 9",
            "Översikt {mlang fi}Yleistä{mlang}",
            "Å",
            "ö<span>x</span>",
            "€{",
        ] {
            let _ = split_multilang(t);
        }
        let v =
            split_multilang("Äiti: {mlang fi}Hei{mlang}{mlang sv}Hej{mlang}").expect("multilang");
        assert_eq!(v[0], ("fi".to_owned(), "Äiti: Hei".to_owned()));
    }

    #[test]
    fn multilang_spans_become_language_variants() {
        let t = r#"<p><span lang="fi" class="multilang">Hei <span>sinä</span></span><span class="multilang" lang="sv_fi">Hej</span>!</p>"#;
        let v = split_multilang(t).expect("multilang");
        assert_eq!(
            v,
            vec![
                ("fi".to_owned(), "<p>Hei <span>sinä</span>!</p>".to_owned()),
                ("sv-fi".to_owned(), "<p>Hej!</p>".to_owned()),
            ]
        );
        assert!(split_multilang("<span lang=\"fi\">ei</span>").is_none());
    }

    #[test]
    fn mlang_blocks_become_language_variants() {
        let v = split_multilang("{mlang fi}Lepo{mlang}{mlang sv}Vila{mlang} ja uni").expect("ml");
        assert_eq!(v[0], ("fi".to_owned(), "Lepo ja uni".to_owned()));
        assert_eq!(v[1], ("sv".to_owned(), "Vila ja uni".to_owned()));
    }

    #[test]
    fn pluginfile_references_are_decoded_before_lookup() {
        let html = r#"<img src="@@PLUGINFILE@@/divider-wave-1%20%282%29.png?forcedownload=1">"#;
        let mut seen = Vec::new();
        let out = rewrite_pluginfile(html, |p| {
            seen.push(p.to_owned());
            Some("etapolku-blob:ff".into())
        });
        assert_eq!(seen, vec!["/divider-wave-1 (2).png".to_owned()]);
        assert_eq!(out, r#"<img src="etapolku-blob:ff">"#);
    }

    #[test]
    fn markdown_is_rendered() {
        assert!(to_html("# Otsikko\n\n*lepo*", FORMAT_MARKDOWN).contains("<em>lepo</em>"));
    }
}
