//! An iCalendar (RFC 5545) invitation for one contact: one VEVENT with its start in
//! Europe/Helsinki (TZID and a VTIMEZONE with the EU rules), a UID stable per contact, a SEQUENCE
//! that grows with every change, CRLF line ends and lines folded at 75 octets. The texts name
//! the service and the kind of call only: no health data.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Europe::Helsinki;

/// One invitation's content.
#[derive(Debug, Clone)]
pub struct Invitation<'a> {
    /// Stable per contact, e.g. `{uuid}@etapolku`.
    pub uid: String,
    pub sequence: i32,
    /// When this invitation was made.
    pub stamp: DateTime<Utc>,
    pub start: DateTime<Utc>,
    pub minutes: i32,
    pub summary: &'a str,
    pub description: &'a str,
    /// The video address, if any (also in LOCATION so calendar apps show it).
    pub url: Option<&'a str>,
    pub cancelled: bool,
}

/// Europe/Helsinki since 1983: EET (UTC+2) in winter, EEST (UTC+3) from 03:00 on the last
/// Sunday of March to 04:00 on the last Sunday of October.
const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Helsinki",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0300",
    "TZNAME:EEST",
    "DTSTART:19700329T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0300",
    "TZOFFSETTO:+0200",
    "TZNAME:EET",
    "DTSTART:19701025T040000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// RFC 5545 §3.3.11: backslash, semicolon, comma and newlines are escaped in TEXT values.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// RFC 5545 §3.1: a line longer than 75 octets continues on the next line after CRLF and one
/// space; a UTF-8 character is never split.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            // The leading space counts toward the continuation line's 75 octets.
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&Helsinki)
        .format("%Y%m%dT%H%M%S")
        .to_string()
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The whole `text/calendar` body.
pub fn write(inv: &Invitation<'_>) -> String {
    let end = inv.start + Duration::minutes(i64::from(inv.minutes));
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//Etäpolku//Contacts//FI".into(),
        "CALSCALE:GREGORIAN".into(),
        // A published calendar object (no organizer or attendees): a cancellation is the same
        // UID with a higher SEQUENCE and STATUS:CANCELLED.
        "METHOD:PUBLISH".into(),
    ];
    lines.extend(VTIMEZONE.iter().map(|l| (*l).to_owned()));
    lines.push("BEGIN:VEVENT".into());
    lines.push(format!("UID:{}", inv.uid));
    lines.push(format!("SEQUENCE:{}", inv.sequence));
    lines.push(format!("DTSTAMP:{}", utc(inv.stamp)));
    lines.push(format!("DTSTART;TZID=Europe/Helsinki:{}", local(inv.start)));
    lines.push(format!("DTEND;TZID=Europe/Helsinki:{}", local(end)));
    lines.push(format!("SUMMARY:{}", escape(inv.summary)));
    lines.push(format!("DESCRIPTION:{}", escape(inv.description)));
    if let Some(url) = inv.url {
        lines.push(format!("LOCATION:{}", escape(url)));
        lines.push(format!("URL:{url}"));
    }
    lines.push(format!(
        "STATUS:{}",
        if inv.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        }
    ));
    lines.push("TRANSP:OPAQUE".into());
    if !inv.cancelled {
        // The calendar's own alarm an hour before; the mail reminder comes the day before.
        lines.extend(
            [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                "TRIGGER:-PT1H",
                &format!("DESCRIPTION:{}", escape(inv.summary)),
                "END:VALARM",
            ]
            .iter()
            .map(|l| (*l).to_owned()),
        );
    }
    lines.push("END:VEVENT".into());
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in &lines {
        fold(l, &mut out);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn invitation<'a>(summary: &'a str, description: &'a str) -> Invitation<'a> {
        Invitation {
            uid: "5f0c7a3e-0000-4000-8000-000000000001@etapolku".into(),
            sequence: 2,
            stamp: at("2026-03-02T08:00:00Z"),
            start: at("2026-03-30T07:00:00Z"),
            minutes: 45,
            summary,
            description,
            url: Some("https://meet.example.fi/ep-0123456789abcdef0123456789abcdef"),
            cancelled: false,
        }
    }

    #[test]
    fn the_event_starts_in_helsinki_time_after_the_dst_change() {
        let ics = write(&invitation("Etäpolku: videopuhelu", "Liity puheluun."));
        // 07:00 UTC on 30.3.2026 is 10:00 EEST (UTC+3, the day after the spring change).
        assert!(ics.contains("\r\nDTSTART;TZID=Europe/Helsinki:20260330T100000\r\n"));
        assert!(ics.contains("\r\nDTEND;TZID=Europe/Helsinki:20260330T104500\r\n"));
        assert!(ics.contains("\r\nDTSTAMP:20260302T080000Z\r\n"));
        assert!(ics.contains("\r\nUID:5f0c7a3e-0000-4000-8000-000000000001@etapolku\r\n"));
        assert!(ics.contains("\r\nSEQUENCE:2\r\n"));
        assert!(ics.contains("TZID:Europe/Helsinki\r\n"));
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
    }

    #[test]
    fn a_winter_start_is_utc_plus_two() {
        let mut inv = invitation("x", "y");
        inv.start = at("2026-03-02T08:00:00Z");
        assert!(write(&inv).contains("DTSTART;TZID=Europe/Helsinki:20260302T100000\r\n"));
    }

    #[test]
    fn every_line_ends_in_crlf_and_has_at_most_75_octets() {
        let long = "Ohjaaja soittaa sinulle sovittuna aikana. Pidä puhelin lähellä; \
                    jos puhelu ei tule, soita tukinumeroon, niin autamme. Ääkköset: åäöÅÄÖ";
        let ics = write(&invitation("Etäpolku: puhelu ohjaajan kanssa", long));
        assert!(!ics.replace("\r\n", "").contains('\n'));
        assert!(!ics.replace("\r\n", "").contains('\r'));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        }
        // Unfolding gives back the escaped text, with no character split.
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(
            "DESCRIPTION:Ohjaaja soittaa sinulle sovittuna aikana. Pidä puhelin lähellä\\; jos"
        ));
        assert!(unfolded.contains("Ääkköset: åäöÅÄÖ"));
    }

    #[test]
    fn text_values_are_escaped() {
        let ics = write(&invitation("a, b; c\\d", "rivi 1\nrivi 2"));
        assert!(ics.contains("SUMMARY:a\\, b\\; c\\\\d\r\n"));
        assert!(ics.contains("DESCRIPTION:rivi 1\\nrivi 2\r\n"));
    }

    #[test]
    fn a_cancelled_contact_cancels_the_event() {
        let mut inv = invitation("x", "y");
        inv.cancelled = true;
        let ics = write(&inv);
        assert!(ics.contains("STATUS:CANCELLED\r\n"));
        assert!(!ics.contains("VALARM"));
    }
}
