//! Checks shared by the free-text fields people write (messages, reasons, notes).

/// Does `s` hold a control character other than a line break or a tab? Such characters are not
/// text, and PostgreSQL cannot store NUL at all: a message with one would fail to save forever.
pub fn has_control_chars(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_tabs_are_text_other_controls_are_not() {
        assert!(!has_control_chars("Hei!\r\nMitä kuuluu?\tHyvää."));
        assert!(has_control_chars("a\u{0}b"));
        assert!(has_control_chars("kello\u{7}"));
        assert!(has_control_chars("\u{1b}[31m"));
    }
}
