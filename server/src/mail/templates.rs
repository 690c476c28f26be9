//! The service's mails in Finnish, Swedish and English: plain text and HTML side by side.
//! They carry a greeting and a link only; no health data (SECURITY.md, GDPR Art. 9).

use crate::accounts::model::Language;

pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The words of one mail in one language; `{name}` stands for the recipient's name.
pub(crate) struct Words {
    pub subject: &'static str,
    pub greeting: &'static str,
    pub lines: &'static [&'static str],
    pub button: &'static str,
    pub closing: &'static str,
}

pub(crate) fn render(w: &Words, name: &str, link: &str) -> Rendered {
    render_lines(w, w.lines, name, link)
}

/// As [`render`], with lines made at run time (a count, say) instead of `w.lines`.
pub(crate) fn render_lines<S: AsRef<str>>(
    w: &Words,
    lines: &[S],
    name: &str,
    link: &str,
) -> Rendered {
    let greeting = w.greeting.replace("{name}", name);
    let mut text = format!("{greeting}\n\n");
    for line in lines {
        text.push_str(line.as_ref());
        text.push('\n');
    }
    text.push_str(&format!("\n{link}\n\n{}\n", w.closing));

    let mut html = format!(
        "<!DOCTYPE html><html><body style=\"font-family:sans-serif;font-size:18px;line-height:1.5\">\
         <p>{}</p>",
        escape(&greeting)
    );
    for line in lines {
        html.push_str(&format!("<p>{}</p>", escape(line.as_ref())));
    }
    html.push_str(&format!(
        "<p><a href=\"{href}\" style=\"display:inline-block;padding:12px 20px;background:#0b4f8a;\
         color:#fff;text-decoration:none;border-radius:6px\">{button}</a></p>\
         <p>{href_text}</p><p>{closing}</p></body></html>",
        href = escape(link),
        button = escape(w.button),
        href_text = escape(link),
        closing = escape(w.closing),
    ));
    Rendered {
        subject: w.subject.to_owned(),
        text,
        html,
    }
}

pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

pub fn sign_in_link(lang: Language, name: &str, link: &str) -> Rendered {
    let w = match lang {
        Language::Fi => Words {
            subject: "Kirjautumislinkki Etäpolkuun",
            greeting: "Hei {name},",
            lines: &[
                "pyysit linkkiä, jolla pääset Etäpolkuun.",
                "Avaa linkki 15 minuutin kuluessa. Linkki toimii yhden kerran.",
                "Jos et pyytänyt linkkiä, voit jättää tämän viestin huomiotta.",
            ],
            button: "Kirjaudu Etäpolkuun",
            closing: "Ystävällisin terveisin, Etäpolku",
        },
        Language::Sv => Words {
            subject: "Inloggningslänk till Etäpolku",
            greeting: "Hej {name},",
            lines: &[
                "du bad om en länk för att logga in på Etäpolku.",
                "Öppna länken inom 15 minuter. Länken fungerar en gång.",
                "Om du inte bad om länken kan du lämna det här meddelandet utan åtgärd.",
            ],
            button: "Logga in på Etäpolku",
            closing: "Med vänliga hälsningar, Etäpolku",
        },
        Language::En => Words {
            subject: "Your sign-in link to Etäpolku",
            greeting: "Hello {name},",
            lines: &[
                "you asked for a link to sign in to Etäpolku.",
                "Open the link within 15 minutes. It works once.",
                "If you did not ask for it, you can ignore this message.",
            ],
            button: "Sign in to Etäpolku",
            closing: "Best regards, Etäpolku",
        },
    };
    render(&w, name, link)
}

pub fn participant_invitation(lang: Language, name: &str, link: &str) -> Rendered {
    let w = match lang {
        Language::Fi => Words {
            subject: "Tervetuloa Etäpolkuun",
            greeting: "Hei {name},",
            lines: &[
                "sinut on kutsuttu kuntoutuskurssin verkkopalveluun Etäpolkuun.",
                "Avaa alla oleva linkki 7 päivän kuluessa. Linkki avaa tilisi ja kirjaa sinut sisään.",
                "Myöhemmin voit kirjautua sähköpostiin tulevalla linkillä. Salasanaa ei tarvita.",
            ],
            button: "Avaa Etäpolku",
            closing: "Ystävällisin terveisin, Etäpolku",
        },
        Language::Sv => Words {
            subject: "Välkommen till Etäpolku",
            greeting: "Hej {name},",
            lines: &[
                "du har bjudits in till Etäpolku, webbtjänsten för din rehabiliteringskurs.",
                "Öppna länken nedan inom 7 dagar. Länken öppnar ditt konto och loggar in dig.",
                "Senare kan du logga in med en länk som kommer till din e-post. Du behöver inget lösenord.",
            ],
            button: "Öppna Etäpolku",
            closing: "Med vänliga hälsningar, Etäpolku",
        },
        Language::En => Words {
            subject: "Welcome to Etäpolku",
            greeting: "Hello {name},",
            lines: &[
                "you have been invited to Etäpolku, the web service of your rehabilitation course.",
                "Open the link below within 7 days. It opens your account and signs you in.",
                "Later you can sign in with a link sent to your email. No password is needed.",
            ],
            button: "Open Etäpolku",
            closing: "Best regards, Etäpolku",
        },
    };
    render(&w, name, link)
}

pub fn staff_invitation(lang: Language, name: &str, link: &str) -> Rendered {
    let w = match lang {
        Language::Fi => Words {
            subject: "Etäpolku-tunnuksesi",
            greeting: "Hei {name},",
            lines: &[
                "sinulle on tehty työtunnus Etäpolkuun.",
                "Aseta salasana alla olevan linkin kautta 7 päivän kuluessa.",
            ],
            button: "Aseta salasana",
            closing: "Ystävällisin terveisin, Etäpolku",
        },
        Language::Sv => Words {
            subject: "Ditt konto i Etäpolku",
            greeting: "Hej {name},",
            lines: &[
                "ett arbetskonto i Etäpolku har skapats åt dig.",
                "Välj ett lösenord via länken nedan inom 7 dagar.",
            ],
            button: "Välj lösenord",
            closing: "Med vänliga hälsningar, Etäpolku",
        },
        Language::En => Words {
            subject: "Your Etäpolku account",
            greeting: "Hello {name},",
            lines: &[
                "a staff account in Etäpolku has been made for you.",
                "Set your password with the link below within 7 days.",
            ],
            button: "Set password",
            closing: "Best regards, Etäpolku",
        },
    };
    render(&w, name, link)
}

pub fn password_reset(lang: Language, name: &str, link: &str) -> Rendered {
    let w = match lang {
        Language::Fi => Words {
            subject: "Salasanan vaihtaminen",
            greeting: "Hei {name},",
            lines: &[
                "pyysit salasanan vaihtamista Etäpolkuun.",
                "Avaa linkki 30 minuutin kuluessa ja valitse uusi salasana.",
                "Jos et pyytänyt vaihtoa, voit jättää tämän viestin huomiotta.",
            ],
            button: "Vaihda salasana",
            closing: "Ystävällisin terveisin, Etäpolku",
        },
        Language::Sv => Words {
            subject: "Byte av lösenord",
            greeting: "Hej {name},",
            lines: &[
                "du bad om att byta lösenord till Etäpolku.",
                "Öppna länken inom 30 minuter och välj ett nytt lösenord.",
                "Om du inte bad om bytet kan du lämna det här meddelandet utan åtgärd.",
            ],
            button: "Byt lösenord",
            closing: "Med vänliga hälsningar, Etäpolku",
        },
        Language::En => Words {
            subject: "Changing your password",
            greeting: "Hello {name},",
            lines: &[
                "you asked to change your Etäpolku password.",
                "Open the link within 30 minutes and choose a new password.",
                "If you did not ask for this, you can ignore this message.",
            ],
            button: "Change password",
            closing: "Best regards, Etäpolku",
        },
    };
    render(&w, name, link)
}

/// One course's line in a guide's chat digest: counts only, never a message's text.
pub struct DigestLine<'a> {
    pub course_title: &'a str,
    pub unread_messages: u64,
    pub open_reports: u64,
}

/// The guide's daily chat digest: per course, how many messages are unread and how many reports
/// wait (SECURITY.md: no message text in mail).
pub fn chat_digest(lang: Language, name: &str, courses: &[DigestLine<'_>], link: &str) -> Rendered {
    let w = match lang {
        Language::Fi => Words {
            subject: "Etäpolun keskustelut tänään",
            greeting: "Hei {name},",
            lines: &[],
            button: "Avaa Etäpolku",
            closing: "Ystävällisin terveisin, Etäpolku",
        },
        Language::Sv => Words {
            subject: "Diskussionerna i Etäpolku i dag",
            greeting: "Hej {name},",
            lines: &[],
            button: "Öppna Etäpolku",
            closing: "Med vänliga hälsningar, Etäpolku",
        },
        Language::En => Words {
            subject: "Etäpolku chats today",
            greeting: "Hello {name},",
            lines: &[],
            button: "Open Etäpolku",
            closing: "Best regards, Etäpolku",
        },
    };
    let mut lines = vec![
        match lang {
            Language::Fi => "kurssiesi keskusteluissa on tämä tilanne:",
            Language::Sv => "så här ser diskussionerna på dina kurser ut:",
            Language::En => "this is where the chats of your courses stand:",
        }
        .to_owned(),
    ];
    for c in courses {
        lines.push(match lang {
            Language::Fi => format!(
                "{}: lukemattomia viestejä {}, käsittelemättömiä ilmoituksia {}.",
                c.course_title, c.unread_messages, c.open_reports
            ),
            Language::Sv => format!(
                "{}: olästa meddelanden {}, obehandlade anmälningar {}.",
                c.course_title, c.unread_messages, c.open_reports
            ),
            Language::En => format!(
                "{}: {} unread messages, {} open reports.",
                c.course_title, c.unread_messages, c.open_reports
            ),
        });
    }
    lines.push(
        match lang {
            Language::Fi => "Voit lopettaa tämän koosteen asetuksista.",
            Language::Sv => "Du kan stänga av den här sammanfattningen i inställningarna.",
            Language::En => "You can turn this digest off in the settings.",
        }
        .to_owned(),
    );
    render_lines(&w, &lines, name, link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mail_has_the_link_in_both_parts_and_escapes_the_name() {
        let link = "https://example.fi/linkki#token=abc";
        for lang in [Language::Fi, Language::Sv, Language::En] {
            for mail in [
                sign_in_link(lang, "<b>Aino</b>", link),
                participant_invitation(lang, "<b>Aino</b>", link),
                staff_invitation(lang, "<b>Aino</b>", link),
                password_reset(lang, "<b>Aino</b>", link),
            ] {
                assert!(mail.text.contains(link));
                assert!(mail.html.contains(link));
                assert!(!mail.html.contains("<b>Aino"));
                assert!(!mail.subject.is_empty());
            }
        }
    }

    #[test]
    fn the_chat_digest_has_counts_per_course_and_escapes_titles() {
        let lines = [DigestLine {
            course_title: "<i>Kevät</i>",
            unread_messages: 4,
            open_reports: 1,
        }];
        for lang in [Language::Fi, Language::Sv, Language::En] {
            let m = chat_digest(lang, "Liisa", &lines, "https://x.fi/ohjaus");
            assert!(m.text.contains('4') && m.text.contains('1'));
            assert!(m.html.contains("&lt;i&gt;Kevät"));
            assert!(m.text.contains("https://x.fi/ohjaus"));
        }
    }

    #[test]
    fn the_swedish_mail_is_in_swedish() {
        assert!(
            sign_in_link(Language::Sv, "Ebba", "x")
                .text
                .starts_with("Hej Ebba")
        );
    }
}
