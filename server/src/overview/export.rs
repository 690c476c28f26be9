//! The overview as a CSV file: one row per participant with the course's columns repeated (a
//! course without participants has one row of its own), each check as a status word and its
//! reason, the header in the language asked for.

use crate::accounts::model::Language;
use crate::http::csv::Csv;
use crate::i18n::{date, dated_file_name, fill, t};
use crate::overview::checks::Check;
use crate::overview::model::{CourseOverview, Overview, ParticipantOverview};
use crate::overview::words::{reason, status};

/// The columns, as message keys `overview.col.<name>`.
const COLUMNS: [&str; 35] = [
    "course",
    "site",
    "language",
    "state",
    "phase",
    "participant_count",
    "group_status",
    "group_reason",
    "team_status",
    "team_reason",
    "invoice_status",
    "invoice_reason",
    "participant",
    "decision_date",
    "guidance_minutes",
    "guidance_status",
    "guidance_reason",
    "interim_done",
    "interim_booked",
    "interim_status",
    "interim_reason",
    "follow_up_status",
    "follow_up_reason",
    "modules_done",
    "modules_total",
    "program_status",
    "program_reason",
    "window_status",
    "window_reason",
    "feedback_status",
    "feedback_reason",
    "report_status",
    "report_reason",
    "remote_week",
    "course_id",
];

fn check_cells(lang: Language, c: &Check) -> [String; 2] {
    [status(lang, c.status), reason(lang, c)]
}

/// "Etäjakso, viikko 5/12" as the UI writes it (`phaseLabel` in web/js/ui.js).
fn phase_text(lang: Language, c: &CourseOverview) -> String {
    let phase = t(lang, &format!("course.phase.{}", c.phase));
    match c.remote_week {
        Some(n) => format!(
            "{phase}, {}",
            fill(
                lang,
                "week.of",
                &[("n", n.to_string()), ("total", "12".to_owned())]
            )
            .to_lowercase()
        ),
        None => phase,
    }
}

fn course_cells(lang: Language, c: &CourseOverview) -> Vec<String> {
    let mut cells = vec![
        c.title.clone(),
        c.site.clone(),
        t(lang, &format!("language.{}", c.language.as_str())),
        t(lang, &format!("course.state.{}", c.state.as_str())),
        phase_text(lang, c),
        c.participant_count.to_string(),
    ];
    for check in [&c.group, &c.team, &c.invoice] {
        cells.extend(check_cells(lang, check));
    }
    cells
}

fn participant_cells(lang: Language, c: &CourseOverview, p: &ParticipantOverview) -> Vec<String> {
    let mut cells = vec![
        p.display_name.clone(),
        date(p.decision_date),
        p.remote_minutes.to_string(),
    ];
    cells.extend(check_cells(lang, &p.guidance));
    cells.push(p.contacts.interim_done.to_string());
    cells.push(p.contacts.interim_open.to_string());
    cells.extend(check_cells(lang, &p.interim));
    cells.extend(check_cells(lang, &p.follow_up));
    cells.push(p.completed_modules.to_string());
    cells.push(c.total_modules.map(|n| n.to_string()).unwrap_or_default());
    for check in [&p.program, &p.window, &p.feedback, &p.report] {
        cells.extend(check_cells(lang, check));
    }
    cells
}

pub fn overview_csv(lang: Language, o: &Overview) -> Csv {
    let header: Vec<String> = COLUMNS
        .iter()
        .map(|c| t(lang, &format!("overview.col.{c}")))
        .collect();
    let mut csv = Csv::new(&header);
    for c in &o.courses {
        let course = course_cells(lang, c);
        let tail = [
            c.remote_week.map(|w| w.to_string()).unwrap_or_default(),
            c.id.to_string(),
        ];
        if c.participants.is_empty() {
            let mut row = course.clone();
            row.extend(std::iter::repeat_n(
                String::new(),
                COLUMNS.len() - course.len() - 2,
            ));
            row.extend(tail.clone());
            csv.row(&row);
        }
        for p in &c.participants {
            let mut row = course.clone();
            row.extend(participant_cells(lang, c, p));
            row.extend(tail.clone());
            csv.row(&row);
        }
    }
    csv
}

/// `yhteenveto-2026-03-02.csv`, `oversikt-…`, `overview-…`.
pub fn file_name(lang: Language, o: &Overview) -> String {
    dated_file_name(lang, ["yhteenveto", "oversikt", "overview"], o.today)
}
