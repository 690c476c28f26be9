//! Entry names from an archive are attacker input (zip slip, F12): only plain relative paths
//! made of ordinary names are accepted.

use std::path::PathBuf;

use crate::error::ImportError;

const MAX_NAME_BYTES: usize = 255;
const MAX_PATH_BYTES: usize = 4096;
const MAX_DEPTH: usize = 64;

/// Validates an archive entry name and returns it as a relative path, or `None` for a name
/// that denotes the archive root itself (`./`). Backslashes count as separators, because some
/// Windows tools write them and a `..\` must not slip through as an ordinary name.
pub fn safe_relative_path(name: &str) -> Result<Option<PathBuf>, ImportError> {
    let refuse = |why: &str| Err(ImportError::unsafe_entry(name, why));
    if name.len() > MAX_PATH_BYTES {
        return refuse("the path is too long");
    }
    if name.chars().any(|c| c.is_control()) {
        return refuse("control characters in the name");
    }
    let normalised = name.replace('\\', "/");
    if normalised.starts_with('/') {
        return refuse("an absolute path");
    }
    let bytes = normalised.as_bytes();
    if bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic() {
        return refuse("a Windows drive path");
    }
    let mut path = PathBuf::new();
    let mut depth = 0;
    for part in normalised.split('/') {
        match part {
            "" | "." => continue,
            ".." => return refuse("a parent-directory (..) component"),
            _ if part.len() > MAX_NAME_BYTES => return refuse("a name component is too long"),
            _ => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return refuse("the path is nested too deep");
                }
                path.push(part);
            }
        }
    }
    Ok((depth > 0).then_some(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_moodle_paths_are_accepted() {
        let p = safe_relative_path("activities/page_137/page.xml").expect("safe");
        assert_eq!(p, Some(PathBuf::from("activities/page_137/page.xml")));
        assert_eq!(
            safe_relative_path("./files/5a/").expect("safe"),
            Some(PathBuf::from("files/5a"))
        );
        assert_eq!(safe_relative_path("./").expect("safe"), None);
    }

    #[test]
    fn traversal_absolute_and_windows_paths_are_refused() {
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "..\\..\\x",
            "a\\..\\..\\x",
            "C:\\Windows\\x",
            "c:/x",
            "a/\u{0}b",
        ] {
            assert!(
                matches!(
                    safe_relative_path(bad),
                    Err(ImportError::UnsafeEntry { .. })
                ),
                "{bad:?} was accepted"
            );
        }
    }
}
