//! The overview's statuses and reasons in words, for the CSV export, from the same messages the
//! web UI shows (`crate::i18n`).

use crate::accounts::model::Language;
use crate::i18n::{date, fill, t};
use crate::overview::checks::{Check, Param, Status};

/// Where a code parameter's words are: `period` → `overview.period.<code>`, and each of
/// `roles` → `team.missing.<code>` (the same table is in `web/js/pages/overview.js`).
fn code_prefix(param: &str) -> &'static str {
    match param {
        "roles" => "team.missing.",
        _ => "overview.period.",
    }
}

fn param_text(lang: Language, name: &str, value: &Param) -> String {
    match value {
        Param::Number(n) => n.to_string(),
        Param::Date(d) => date(*d),
        Param::Code(c) => t(lang, &format!("{}{c}", code_prefix(name))),
        Param::Codes(cs) => cs
            .iter()
            .map(|c| t(lang, &format!("{}{c}", code_prefix(name))))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

pub fn status(lang: Language, s: Status) -> String {
    t(lang, &format!("overview.status.{}", s.as_str()))
}

/// The reason of a check in words.
pub fn reason(lang: Language, check: &Check) -> String {
    let params: Vec<(&str, String)> = check
        .params
        .iter()
        .map(|(name, value)| (*name, param_text(lang, name, value)))
        .collect();
    fill(lang, &format!("overview.reason.{}", check.code), &params)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::has;
    use crate::overview::checks::CODES;
    use chrono::NaiveDate;

    const LANGS: [Language; 3] = [Language::Fi, Language::Sv, Language::En];

    #[test]
    fn every_reason_and_status_has_words_in_every_language() {
        for lang in LANGS {
            for code in CODES {
                let key = format!("overview.reason.{code}");
                assert!(has(lang, &key), "{key} in {lang:?}");
            }
            for s in [Status::Red, Status::Amber, Status::Green, Status::Grey] {
                let key = format!("overview.status.{}", s.as_str());
                assert!(has(lang, &key), "{key} in {lang:?}");
            }
            for period in ["onsite1", "remote", "onsite2", "follow_up"] {
                let key = format!("overview.period.{period}");
                assert!(has(lang, &key), "{key} in {lang:?}");
            }
        }
    }

    #[test]
    fn a_reason_is_filled_with_its_numbers_dates_and_codes() {
        let check = crate::overview::checks::invoice(
            &crate::courses::schedule::Schedule::new(
                NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default(),
                None,
            )
            .unwrap_or_else(|e| panic!("{e}")),
            NaiveDate::from_ymd_opt(2026, 2, 24).unwrap_or_default(),
        );
        let fi = reason(Language::Fi, &check);
        assert!(fi.contains("10.3.2026"), "{fi}");
        assert!(fi.contains("14"), "{fi}");
        assert!(!fi.contains('{'), "{fi}");
        assert!(reason(Language::Sv, &check).contains("10.3.2026"));
    }

    #[test]
    fn no_reason_is_left_with_a_placeholder_in_any_language() {
        use crate::content::delivery::ReleaseMode;
        use crate::courses::schedule::Schedule;
        use crate::guidance::model::ContactCounts;
        use crate::team::composition::check_team;
        use chrono::{Days, NaiveTime};

        let start = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default();
        let s = Schedule::new(start, None).unwrap_or_else(|e| panic!("{e}"));
        let decision = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or_default();
        let mut checks = Vec::new();
        // Every day from before the course to well after it, with a spread of facts.
        for offset in (0..500u64).step_by(3) {
            let today = start - Days::new(30) + Days::new(offset);
            let now = today.and_time(NaiveTime::MIN).and_utc();
            let n = offset % 5;
            let c = ContactCounts {
                interim_done: (n % 4) as i64,
                interim_open: (n % 2) as i64,
                follow_up_done: (n / 4) as i64,
                follow_up_open: (n % 3 / 2) as i64,
                ..ContactCounts::none()
            };
            let held = (n == 4).then_some(today);
            checks.extend([
                crate::overview::checks::group(n as usize * 3, s.phase_on(today)),
                crate::overview::checks::team(&check_team(&[]), s.phase_on(today)),
                crate::overview::checks::invoice(&s, today),
                crate::overview::checks::guidance(&s, now, (n * 50) as i64),
                crate::overview::checks::interim(&s, today, &c),
                crate::overview::checks::follow_up(&s, today, &c),
                crate::overview::checks::program(
                    &s,
                    ReleaseMode::Weekly,
                    Some(12),
                    n as usize,
                    today,
                ),
                crate::overview::checks::program(&s, ReleaseMode::All, None, 0, today),
                crate::overview::checks::window(&s, decision, held, today),
                crate::overview::checks::window(&s, decision - Days::new(400), None, today),
                crate::overview::checks::feedback(held.or(Some(start)), today),
                crate::overview::checks::report(Some((start, today)), today),
                crate::overview::checks::report(None, today),
            ]);
        }
        let mut seen = std::collections::BTreeSet::new();
        for check in &checks {
            seen.insert(check.code);
            for lang in LANGS {
                let text = reason(lang, check);
                assert!(
                    !text.contains('{') && !text.contains("overview."),
                    "{lang:?} {check:?}: {text}"
                );
            }
        }
        assert!(
            seen.len() >= 35,
            "the sample reaches most reasons: {seen:?}"
        );
    }
}
