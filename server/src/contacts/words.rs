//! The participant-facing words about a contact in Finnish, Swedish and English: the calendar
//! title and text and the reminder mail. They name the kind of call and the time only; nothing
//! about why (SECURITY.md: no health data in mail).

use chrono::{DateTime, Datelike, Utc, Weekday};
use chrono_tz::Europe::Helsinki;

use crate::accounts::model::Language;
use crate::contacts::model::{JoinBy, Method};
use crate::mail::templates::{Rendered, Words, render_lines};

/// Where the reminder links to in the web UI: the participant's "Ohjaus ja tapaamiset" page.
pub const LINK_PATH: &str = "/ryhma/tapaamiset";

fn weekday(lang: Language, d: Weekday) -> &'static str {
    let i = d.num_days_from_monday() as usize;
    let names: [&str; 7] = match lang {
        Language::Fi => ["ma", "ti", "ke", "to", "pe", "la", "su"],
        Language::Sv => ["mån", "tis", "ons", "tors", "fre", "lör", "sön"],
        Language::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    };
    names.get(i).copied().unwrap_or("")
}

/// UX.md A16: "ti 3.3.2026 klo 10.00" / "tis 3.3.2026 kl. 10.00" in Helsinki time.
pub fn when(lang: Language, at: DateTime<Utc>) -> String {
    let t = at.with_timezone(&Helsinki);
    let day = format!(
        "{} {}.{}.{}",
        weekday(lang, t.weekday()),
        t.day(),
        t.month(),
        t.year()
    );
    match lang {
        Language::Fi => format!("{day} klo {}", t.format("%-H.%M")),
        Language::Sv => format!("{day} kl. {}", t.format("%-H.%M")),
        Language::En => format!("{day} at {}", t.format("%-H:%M")),
    }
}

/// The calendar event's title.
pub fn summary(lang: Language, method: Method) -> &'static str {
    match (lang, method) {
        (Language::Fi, Method::Video) => "Etäpolku: videopuhelu ohjaajan kanssa",
        (Language::Fi, Method::Phone) => "Etäpolku: puhelu ohjaajan kanssa",
        (Language::Sv, Method::Video) => "Etäpolku: videosamtal med handledaren",
        (Language::Sv, Method::Phone) => "Etäpolku: telefonsamtal med handledaren",
        (Language::En, Method::Video) => "Etäpolku: video call with your guide",
        (Language::En, Method::Phone) => "Etäpolku: phone call with your guide",
    }
}

/// One sentence on how to join.
pub fn how_to_join(lang: Language, join: JoinBy, guide: &str, url: Option<&str>) -> String {
    match (lang, join) {
        (Language::Fi, JoinBy::GuideCalls) => format!("{guide} soittaa sinulle."),
        (Language::Fi, JoinBy::LinkFromGuide) => {
            format!("{guide} antaa sinulle linkin videopuheluun.")
        }
        (Language::Fi, JoinBy::VideoLink) => format!(
            "Liity videopuheluun tästä: {}. Jos yhteys ei toimi, {guide} soittaa sinulle.",
            url.unwrap_or_default()
        ),
        (Language::Sv, JoinBy::GuideCalls) => format!("{guide} ringer dig."),
        (Language::Sv, JoinBy::LinkFromGuide) => {
            format!("{guide} ger dig en länk till videosamtalet.")
        }
        (Language::Sv, JoinBy::VideoLink) => format!(
            "Anslut till videosamtalet här: {}. Om det inte fungerar ringer {guide} dig.",
            url.unwrap_or_default()
        ),
        (Language::En, JoinBy::GuideCalls) => format!("{guide} will call you."),
        (Language::En, JoinBy::LinkFromGuide) => {
            format!("{guide} will give you the link to the video call.")
        }
        (Language::En, JoinBy::VideoLink) => format!(
            "Join the video call here: {}. If it does not work, {guide} will call you.",
            url.unwrap_or_default()
        ),
    }
}

/// The reminder mail the day before.
pub fn reminder(
    lang: Language,
    name: &str,
    method: Method,
    at: DateTime<Utc>,
    join_line: &str,
    link: &str,
) -> Rendered {
    let w = match lang {
        Language::Fi => Words {
            subject: "Muistutus: huomenna yhteydenotto",
            greeting: "Hei {name},",
            lines: &[],
            button: "Avaa Etäpolku",
            closing: "Ystävällisin terveisin, Etäpolku",
        },
        Language::Sv => Words {
            subject: "Påminnelse: kontakt i morgon",
            greeting: "Hej {name},",
            lines: &[],
            button: "Öppna Etäpolku",
            closing: "Med vänliga hälsningar, Etäpolku",
        },
        Language::En => Words {
            subject: "Reminder: a call tomorrow",
            greeting: "Hello {name},",
            lines: &[],
            button: "Open Etäpolku",
            closing: "Best regards, Etäpolku",
        },
    };
    let time = when(lang, at);
    let first = match (lang, method) {
        (Language::Fi, Method::Video) => format!("sinulla on videopuhelu ohjaajan kanssa {time}."),
        (Language::Fi, Method::Phone) => format!("sinulla on puhelu ohjaajan kanssa {time}."),
        (Language::Sv, Method::Video) => format!("du har ett videosamtal med handledaren {time}."),
        (Language::Sv, Method::Phone) => {
            format!("du har ett telefonsamtal med handledaren {time}.")
        }
        (Language::En, Method::Video) => {
            format!("you have a video call with your guide on {time}.")
        }
        (Language::En, Method::Phone) => {
            format!("you have a phone call with your guide on {time}.")
        }
    };
    let change = match lang {
        Language::Fi => "Jos aika ei sovi, voit pyytää uutta aikaa Etäpolussa.",
        Language::Sv => "Om tiden inte passar kan du be om en ny tid i Etäpolku.",
        Language::En => "If the time does not suit you, you can ask for another time in Etäpolku.",
    };
    render_lines(
        &w,
        &[first, join_line.to_owned(), change.to_owned()],
        name,
        link,
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_the_finnish_and_swedish_way() {
        let at: DateTime<Utc> = "2026-03-03T08:00:00Z".parse().unwrap();
        assert_eq!(when(Language::Fi, at), "ti 3.3.2026 klo 10.00");
        assert_eq!(when(Language::Sv, at), "tis 3.3.2026 kl. 10.00");
        assert_eq!(when(Language::En, at), "Tue 3.3.2026 at 10:00");
    }

    #[test]
    fn the_reminder_names_the_time_and_the_way_to_join_in_each_language() {
        let at: DateTime<Utc> = "2026-03-03T08:00:00Z".parse().unwrap();
        for lang in [Language::Fi, Language::Sv, Language::En] {
            let join = how_to_join(lang, JoinBy::GuideCalls, "Liisa", None);
            let m = reminder(lang, "Aino", Method::Phone, at, &join, "https://x.fi/");
            assert!(m.text.contains("3.3.2026"), "{}", m.text);
            assert!(m.text.contains("Liisa"));
            assert!(m.html.contains("https://x.fi/"));
        }
    }
}
