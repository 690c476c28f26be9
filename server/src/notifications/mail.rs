//! The "something new in Etäpolku" mail: what kind of thing is new and a link, never its text.

use crate::accounts::model::Language;
use crate::mail::templates::{Rendered, Words, render};
use crate::notifications::service::Kind;

/// What is new, then how to see it (and how to stop these mails).
fn lines(lang: Language, kind: Kind) -> &'static [&'static str] {
    match (lang, kind) {
        (Language::Fi, Kind::AnswerComment) => &["ohjaajasi on kommentoinut vastaustasi.", FI_READ],
        (Language::Fi, Kind::TaskFeedback) => &[
            "ohjaajasi on antanut palautetta omakuntoutuksestasi.",
            FI_READ,
        ],
        (Language::Fi, Kind::TaskProposed) => &[
            "ohjaajasi on ehdottanut sinulle omakuntoutustehtävää.",
            FI_READ,
        ],
        (Language::Sv, Kind::AnswerComment) => {
            &["din handledare har kommenterat ditt svar.", SV_READ]
        }
        (Language::Sv, Kind::TaskFeedback) => &[
            "din handledare har gett respons på din egenrehabilitering.",
            SV_READ,
        ],
        (Language::Sv, Kind::TaskProposed) => &[
            "din handledare har föreslagit en egenrehabiliteringsuppgift för dig.",
            SV_READ,
        ],
        (Language::En, Kind::AnswerComment) => {
            &["your guide has commented on your answer.", EN_READ]
        }
        (Language::En, Kind::TaskFeedback) => &[
            "your guide has given feedback on your self-rehabilitation.",
            EN_READ,
        ],
        (Language::En, Kind::TaskProposed) => &[
            "your guide has suggested a self-rehabilitation task for you.",
            EN_READ,
        ],
        (Language::Fi, Kind::ChatMessage) => {
            &["kurssin ohjaaja on kirjoittanut sinulle viestin.", FI_READ]
        }
        (Language::Sv, Kind::ChatMessage) => &[
            "kursens handledare har skrivit ett meddelande till dig.",
            SV_READ,
        ],
        (Language::En, Kind::ChatMessage) => {
            &["your course's guide has written you a message.", EN_READ]
        }
        (Language::Fi, Kind::ChatReport) => &[
            "kurssisi osallistuja on ilmoittanut keskustelun viestistä ohjaajille.",
            FI_READ,
        ],
        (Language::Sv, Kind::ChatReport) => &[
            "en deltagare på din kurs har anmält ett meddelande i diskussionen till handledarna.",
            SV_READ,
        ],
        (Language::En, Kind::ChatReport) => &[
            "a participant of your course has reported a chat message to the guides.",
            EN_READ,
        ],
    }
}

pub fn something_new(lang: Language, name: &str, kind: Kind, link: &str) -> Rendered {
    let lines = lines(lang, kind);
    let w = match lang {
        Language::Fi => Words {
            subject: "Sinulle on uutta Etäpolussa",
            greeting: "Hei {name},",
            lines,
            button: "Avaa Etäpolku",
            closing: "Ystävällisin terveisin, Etäpolku",
        },
        Language::Sv => Words {
            subject: "Du har något nytt i Etäpolku",
            greeting: "Hej {name},",
            lines,
            button: "Öppna Etäpolku",
            closing: "Med vänliga hälsningar, Etäpolku",
        },
        Language::En => Words {
            subject: "Something new for you in Etäpolku",
            greeting: "Hello {name},",
            lines,
            button: "Open Etäpolku",
            closing: "Best regards, Etäpolku",
        },
    };
    render(&w, name, link)
}

const FI_READ: &str = "Kirjaudu Etäpolkuun, niin näet sen. Voit lopettaa nämä viestit asetuksista.";
const SV_READ: &str =
    "Logga in på Etäpolku för att se det. Du kan stänga av de här meddelandena i inställningarna.";
const EN_READ: &str =
    "Sign in to Etäpolku to see it. You can turn these messages off in the settings.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mail_says_what_is_new_but_not_the_text() {
        let m = something_new(
            Language::Fi,
            "Aino",
            Kind::AnswerComment,
            "https://x.fi/ohjelma/3",
        );
        assert!(m.text.contains("kommentoinut vastaustasi"));
        assert!(m.text.contains("https://x.fi/ohjelma/3"));
        let m = something_new(Language::Sv, "Aino", Kind::TaskFeedback, "https://x.fi/");
        assert!(m.subject.contains("nytt"));
    }

    #[test]
    fn every_kind_has_words_in_every_language() {
        for lang in [Language::Fi, Language::Sv, Language::En] {
            for kind in [
                "answer_comment",
                "task_feedback",
                "task_proposed",
                "chat_message",
                "chat_report",
            ]
            .into_iter()
            .filter_map(Kind::parse)
            {
                let m = something_new(lang, "Aino", kind, "https://x.fi/");
                assert!(m.text.lines().count() > 3, "{lang:?} {kind:?}");
            }
        }
    }
}
