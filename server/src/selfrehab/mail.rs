//! The morning reminder: how many self-rehabilitation tasks are due today and a link, nothing
//! about what they are (SECURITY.md: no health data in mail).

use crate::accounts::model::Language;
use crate::mail::templates::{Rendered, Words, render_lines};

/// Where the reminder links to in the web UI.
pub const LINK_PATH: &str = "/omakuntoutus";

fn count_line(lang: Language, n: usize) -> String {
    match (lang, n) {
        (Language::Fi, 1) => "sinulla on tänään yksi omakuntoutustehtävä.".to_owned(),
        (Language::Fi, n) => format!("sinulla on tänään {n} omakuntoutustehtävää."),
        (Language::Sv, 1) => "du har en egenrehabiliteringsuppgift i dag.".to_owned(),
        (Language::Sv, n) => format!("du har {n} egenrehabiliteringsuppgifter i dag."),
        (Language::En, 1) => "you have one self-rehabilitation task for today.".to_owned(),
        (Language::En, n) => format!("you have {n} self-rehabilitation tasks for today."),
    }
}

pub fn reminder(lang: Language, name: &str, due: usize, link: &str) -> Rendered {
    let (w, stop) = match lang {
        Language::Fi => (
            Words {
                subject: "Muistutus Etäpolusta",
                greeting: "Hei {name},",
                lines: &[],
                button: "Avaa omakuntoutus",
                closing: "Ystävällisin terveisin, Etäpolku",
            },
            "Voit lopettaa nämä muistutukset asetuksista.",
        ),
        Language::Sv => (
            Words {
                subject: "Påminnelse från Etäpolku",
                greeting: "Hej {name},",
                lines: &[],
                button: "Öppna egenrehabiliteringen",
                closing: "Med vänliga hälsningar, Etäpolku",
            },
            "Du kan stänga av de här påminnelserna i inställningarna.",
        ),
        Language::En => (
            Words {
                subject: "A reminder from Etäpolku",
                greeting: "Hello {name},",
                lines: &[],
                button: "Open self-rehabilitation",
                closing: "Best regards, Etäpolku",
            },
            "You can turn these reminders off in the settings.",
        ),
    };
    render_lines(&w, &[count_line(lang, due), stop.to_owned()], name, link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reminder_says_how_many_and_links_to_the_tasks() {
        let m = reminder(Language::Fi, "Aino", 3, "https://x.fi/omakuntoutus");
        assert!(m.text.contains("3 omakuntoutustehtävää"));
        assert!(m.text.contains("https://x.fi/omakuntoutus"));
        assert!(m.html.contains("asetuksista"));
        let m = reminder(Language::Sv, "Aino", 1, "https://x.fi/omakuntoutus");
        assert!(m.text.contains("en egenrehabiliteringsuppgift"));
        let m = reminder(Language::En, "Aino", 2, "https://x.fi/omakuntoutus");
        assert!(m.text.contains("2 self-rehabilitation tasks"));
    }
}
