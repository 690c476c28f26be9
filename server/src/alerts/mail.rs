//! The mails of the alerts, in Finnish, Swedish and English: the guides' weekly digest (counts
//! per course and a link to each course's page) and the friendly nudge to a participant who has
//! not visited for a while. Neither says anything about anyone's health, progress or messages:
//! the digest has counts and course names only, the nudge only that the course is waiting.

use crate::accounts::model::Language;
use crate::config::SupportContact;
use crate::mail::templates::{Rendered, Words, escape, render_lines};

/// Where the nudge links to: the participant's "Tänään" page.
pub const NUDGE_LINK_PATH: &str = "/tanaan";

/// The guide's page of one course, where the alerts are.
pub fn course_path(course: uuid::Uuid) -> String {
    format!("/ohjaus/kurssi/{course}")
}

/// One course's line in the digest.
pub struct DigestCourse<'a> {
    pub title: &'a str,
    pub open: u64,
    pub unacknowledged: u64,
    /// The course's page, absolute.
    pub link: String,
}

fn counts(lang: Language, c: &DigestCourse<'_>) -> String {
    match lang {
        Language::Fi => format!(
            "{}: {} avointa hälytystä, joista {} kuittaamatta.",
            c.title, c.open, c.unacknowledged
        ),
        Language::Sv => format!(
            "{}: {} öppna larm, varav {} inte kvitterade.",
            c.title, c.open, c.unacknowledged
        ),
        Language::En => format!(
            "{}: {} open alerts, {} not acknowledged yet.",
            c.title, c.open, c.unacknowledged
        ),
    }
}

/// Monday's digest for one guide: the open alerts per course of their teams.
pub fn digest(lang: Language, name: &str, courses: &[DigestCourse<'_>]) -> Rendered {
    let (subject, greeting, intro, open_course, outro, closing) = match lang {
        Language::Fi => (
            "Etäpolun hälytykset tällä viikolla",
            "Hei {name},",
            "kurssiesi osallistujista on avoimia hälytyksiä:",
            "Avaa kurssin sivu",
            "Hälytysten syyt ja kuittaukset näet kurssin sivulta.",
            "Ystävällisin terveisin, Etäpolku",
        ),
        Language::Sv => (
            "Etäpolkus larm den här veckan",
            "Hej {name},",
            "det finns öppna larm om deltagare på dina kurser:",
            "Öppna kursens sida",
            "Larmens orsaker och kvitteringar finns på kursens sida.",
            "Med vänliga hälsningar, Etäpolku",
        ),
        Language::En => (
            "Etäpolku alerts this week",
            "Hello {name},",
            "there are open alerts about participants of your courses:",
            "Open the course's page",
            "The reasons and acknowledgements are on the course's page.",
            "Best regards, Etäpolku",
        ),
    };
    let greeting = greeting.replace("{name}", name);
    let mut text = format!("{greeting}\n\n{intro}\n\n");
    let mut items = String::new();
    for c in courses {
        let line = counts(lang, c);
        text.push_str(&format!("- {line}\n  {}\n", c.link));
        items.push_str(&format!(
            "<li>{} <a href=\"{href}\">{}</a></li>",
            escape(&line),
            escape(open_course),
            href = escape(&c.link),
        ));
    }
    text.push_str(&format!("\n{outro}\n\n{closing}\n"));
    let html = format!(
        "<!DOCTYPE html><html><body style=\"font-family:sans-serif;font-size:18px;line-height:1.5\">\
         <p>{}</p><p>{}</p><ul>{items}</ul><p>{}</p><p>{}</p></body></html>",
        escape(&greeting),
        escape(intro),
        escape(outro),
        escape(closing),
    );
    Rendered {
        subject: subject.to_owned(),
        text,
        html,
    }
}

/// The friendly mail to a participant who has not visited for a while: short sentences, no
/// blame, the way back and the support number, and how to stop these mails.
pub fn nudge(lang: Language, name: &str, support: &SupportContact, link: &str) -> Rendered {
    let (w, lines): (Words, [&str; 4]) = match lang {
        Language::Fi => (
            Words {
                subject: "Terveisiä Etäpolusta",
                greeting: "Hei {name},",
                lines: &[],
                button: "Avaa Etäpolku",
                closing: "Ystävällisin terveisin, Etäpolku",
            },
            [
                "emme ole nähneet sinua Etäpolussa vähään aikaan. Toivottavasti voit hyvin.",
                "Kurssi odottaa sinua silloin, kun sinulle sopii. Pienikin hetki riittää.",
                "Jos tarvitset apua, soita meille: {phone} ({hours}).",
                "Jos et halua näitä viestejä, voit lopettaa ne asetuksista.",
            ],
        ),
        Language::Sv => (
            Words {
                subject: "Hälsningar från Etäpolku",
                greeting: "Hej {name},",
                lines: &[],
                button: "Öppna Etäpolku",
                closing: "Med vänliga hälsningar, Etäpolku",
            },
            [
                "vi har inte sett dig i Etäpolku på en tid. Vi hoppas att du mår bra.",
                "Kursen väntar på dig när det passar dig. En liten stund räcker.",
                "Om du behöver hjälp, ring oss: {phone} ({hours}).",
                "Om du inte vill få de här meddelandena kan du stänga av dem i inställningarna.",
            ],
        ),
        Language::En => (
            Words {
                subject: "Greetings from Etäpolku",
                greeting: "Hello {name},",
                lines: &[],
                button: "Open Etäpolku",
                closing: "Best regards, Etäpolku",
            },
            [
                "we have not seen you in Etäpolku for a while. We hope you are well.",
                "Your course is waiting for you whenever it suits you. A short moment is enough.",
                "If you need help, call us: {phone} ({hours}).",
                "If you do not want these messages, you can turn them off in the settings.",
            ],
        ),
    };
    let lines: Vec<String> = lines
        .iter()
        .map(|l| {
            l.replace("{phone}", &support.phone)
                .replace("{hours}", &support.hours)
        })
        .collect();
    render_lines(&w, &lines, name, link)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn support() -> SupportContact {
        SupportContact {
            phone: "010 123 4567".into(),
            hours: "ma–pe 8.00–16.00".into(),
            email: "tuki@x.fi".into(),
        }
    }

    #[test]
    fn the_digest_has_counts_and_a_link_per_course_and_escapes_titles() {
        let courses = [DigestCourse {
            title: "<i>Kevät</i>",
            open: 3,
            unacknowledged: 2,
            link: "https://x.fi/ohjaus/kurssi/abc".into(),
        }];
        for lang in [Language::Fi, Language::Sv, Language::En] {
            let m = digest(lang, "Liisa", &courses);
            assert!(m.text.contains('3') && m.text.contains('2'), "{}", m.text);
            assert!(m.text.contains("https://x.fi/ohjaus/kurssi/abc"));
            assert!(m.html.contains("href=\"https://x.fi/ohjaus/kurssi/abc\""));
            assert!(m.html.contains("&lt;i&gt;Kevät"));
            assert!(!m.html.contains("<i>"));
        }
        assert!(
            digest(Language::Fi, "Liisa", &courses)
                .text
                .contains("3 avointa hälytystä, joista 2 kuittaamatta")
        );
    }

    #[test]
    fn the_nudge_is_warm_gives_the_way_back_and_says_how_to_stop_it() {
        for lang in [Language::Fi, Language::Sv, Language::En] {
            let m = nudge(lang, "Aino", &support(), "https://x.fi/tanaan");
            assert!(m.text.contains("https://x.fi/tanaan"));
            assert!(m.text.contains("010 123 4567"));
            assert!(m.text.contains("Aino"));
        }
        let fi = nudge(Language::Fi, "Aino", &support(), "https://x.fi/tanaan");
        assert!(fi.text.contains("asetuksista"));
        assert!(fi.text.starts_with("Hei Aino,"));
        // Plain language for participants (A13): no sentence longer than 15 words.
        for sentence in fi.text.split(['.', '\n']) {
            assert!(sentence.split_whitespace().count() <= 15, "{sentence}");
        }
    }
}
