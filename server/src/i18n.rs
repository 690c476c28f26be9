//! The web UI's message files (`web/locales/*.json`, built in) on the server, for what the server
//! writes in words itself, such as the CSV exports: a file says what the screen says, and each
//! text is written once. Placeholders are `{name}`, as in `web/js/i18n.js`.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Europe::Helsinki;

use crate::accounts::model::Language;

const FI: &str = include_str!("../../web/locales/fi.json");
const SV: &str = include_str!("../../web/locales/sv.json");
const EN: &str = include_str!("../../web/locales/en.json");

type Bundle = HashMap<String, String>;

fn bundles() -> &'static [Bundle; 3] {
    static BUNDLES: OnceLock<[Bundle; 3]> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        // The files are checked by the locale tests; were one unreadable, its keys would fall
        // back to Finnish and then to the key itself, never fail a request.
        [FI, SV, EN].map(|text| serde_json::from_str(text).unwrap_or_default())
    })
}

fn bundle(lang: Language) -> &'static Bundle {
    let [fi, sv, en] = bundles();
    match lang {
        Language::Fi => fi,
        Language::Sv => sv,
        Language::En => en,
    }
}

/// Whether `lang` has a message `key` of its own.
pub fn has(lang: Language, key: &str) -> bool {
    bundle(lang).contains_key(key)
}

/// The message `key` in `lang`, else in Finnish, else the key itself (as `t()` in the browser).
pub fn t(lang: Language, key: &str) -> String {
    bundle(lang)
        .get(key)
        .or_else(|| bundle(Language::Fi).get(key))
        .cloned()
        .unwrap_or_else(|| key.to_owned())
}

/// [`t`] with `{name}` placeholders filled; unknown ones are left as they are.
pub fn fill(lang: Language, key: &str, params: &[(&str, String)]) -> String {
    let mut text = t(lang, key);
    for (name, value) in params {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// A date as people write it (UX.md A16), and as a Finnish or Swedish spreadsheet reads it:
/// 14.10.2025.
pub fn date(d: NaiveDate) -> String {
    format!("{}.{}.{}", d.day(), d.month(), d.year())
}

/// An instant as a Helsinki date and time for a spreadsheet: `3.3.2026 10.00` (Finnish and
/// Swedish write the time with a dot), `3.3.2026 10:00` in English.
pub fn date_time(lang: Language, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Helsinki);
    let time = match lang {
        Language::En => local.format("%-H:%M"),
        Language::Fi | Language::Sv => local.format("%-H.%M"),
    };
    format!("{} {time}", date(local.date_naive()))
}

/// A download's name in the language's own word, ASCII only: `yhteenveto-2026-03-02.csv`.
pub fn dated_file_name(lang: Language, [fi, sv, en]: [&str; 3], day: NaiveDate) -> String {
    let stem = match lang {
        Language::Fi => fi,
        Language::Sv => sv,
        Language::En => en,
    };
    format!("{stem}-{day}.csv")
}

/// "kyllä" / "ja" / "yes" and "ei" / "nej" / "no".
pub fn yes_no(lang: Language, value: bool) -> String {
    t(lang, if value { "overview.yes" } else { "overview.no" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_filled_and_falls_back_to_finnish_then_to_its_key() {
        assert_eq!(t(Language::Sv, "no.such.key"), "no.such.key");
        assert_eq!(
            fill(Language::En, "meetings.min", &[("m", "45".to_owned())]),
            "45 min"
        );
    }

    #[test]
    fn dates_and_times_are_written_in_helsinki_time() {
        let at: DateTime<Utc> = "2026-03-03T08:05:00Z".parse().unwrap_or_default();
        assert_eq!(date_time(Language::Fi, at), "3.3.2026 10.05");
        assert_eq!(date_time(Language::En, at), "3.3.2026 10:05");
        let summer: DateTime<Utc> = "2026-07-15T21:30:00Z".parse().unwrap_or_default();
        assert_eq!(date_time(Language::Sv, summer), "16.7.2026 0.30");
    }
}
