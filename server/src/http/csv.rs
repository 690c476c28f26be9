//! CSV files made on the server for spreadsheets (UX.md A24), the one definition of the format:
//!
//! - UTF-8 with a byte-order mark and `;` between cells, so Excel set to Finnish or Swedish opens
//!   the file in columns with ä and ö intact (it takes `,` as the decimal separator, so `,` cannot
//!   separate cells);
//! - CRLF line ends (RFC 4180);
//! - a cell holding `;`, `"`, CR or LF is quoted, its quotes doubled;
//! - a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading apostrophe, so a spreadsheet
//!   shows it as text instead of running it as a formula (CSV injection: a participant's name or a
//!   note is typed by someone else than the one who opens the file).
//!
//! `web/js/csv.js` writes the tables the browser exports itself by the same rules; both are tested
//! against the cases in `tests/e2e/csv-cases.json`.

use std::borrow::Cow;

use actix_web::HttpResponse;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};

const BOM: &str = "\u{feff}";
const SEPARATOR: char = ';';
const LINE_END: &str = "\r\n";

/// One cell as written in the file.
pub fn cell(text: &str) -> Cow<'_, str> {
    let guarded: Cow<'_, str> = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    };
    if guarded.contains([SEPARATOR, '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", guarded.replace('"', "\"\"")))
    } else {
        guarded
    }
}

/// A CSV file being written: the header row first, then one row per call.
pub struct Csv {
    text: String,
    columns: usize,
}

impl Csv {
    pub fn new<S: AsRef<str>>(header: &[S]) -> Csv {
        let mut csv = Csv {
            text: String::from(BOM),
            columns: header.len(),
        };
        csv.row(header);
        csv
    }

    /// Appends a row; a short row is padded with empty cells so every line has the header's width.
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        let mut first = true;
        for c in cells {
            if !first {
                self.text.push(SEPARATOR);
            }
            first = false;
            self.text.push_str(&cell(c.as_ref()));
        }
        for _ in cells.len()..self.columns {
            self.text.push(SEPARATOR);
        }
        self.text.push_str(LINE_END);
    }

    pub fn into_string(self) -> String {
        self.text
    }

    /// The file as a download named `filename` (ASCII).
    pub fn into_response(self, filename: &str) -> HttpResponse {
        HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .insert_header(ContentDisposition {
                disposition: DispositionType::Attachment,
                parameters: vec![DispositionParam::Filename(filename.to_owned())],
            })
            .body(self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cases `web/js/csv.js` is tested against too (tests/e2e/format.test.mjs).
    const SHARED_CASES: &str = include_str!("../../../tests/e2e/csv-cases.json");

    #[test]
    fn every_shared_case_is_written_as_the_browser_writes_it() {
        let cases: Vec<(String, String)> =
            serde_json::from_str(SHARED_CASES).unwrap_or_else(|e| panic!("csv-cases.json: {e}"));
        assert!(cases.len() >= 10);
        for (input, expected) in cases {
            assert_eq!(cell(&input), expected, "cell {input:?}");
        }
    }

    #[test]
    fn a_file_starts_with_the_bom_and_ends_each_row_with_crlf() {
        let mut csv = Csv::new(&["Nimi", "Minuutit"]);
        csv.row(&["Aino; \"Ansu\"", "45"]);
        csv.row(&["=HYPERLINK(\"x\")"]);
        assert_eq!(
            csv.into_string(),
            "\u{feff}Nimi;Minuutit\r\n\"Aino; \"\"Ansu\"\"\";45\r\n\"'=HYPERLINK(\"\"x\"\")\";\r\n"
        );
    }

    #[test]
    fn the_download_is_named_and_typed() {
        let res = Csv::new(&["a"]).into_response("yhteenveto-2026-03-02.csv");
        let get = |h| {
            res.headers()
                .get(h)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(get(header::CONTENT_TYPE), "text/csv; charset=utf-8");
        assert_eq!(
            get(header::CONTENT_DISPOSITION),
            "attachment; filename=\"yhteenveto-2026-03-02.csv\""
        );
    }
}
