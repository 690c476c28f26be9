//! The instruments, their score ranges, and the three-month rule, as plain checked types.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{AppError, FieldError};

/// A questionnaire whose scores are recorded (never its items: the texts are copyrighted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Instrument {
    /// WHOQOL-BREF, quality of life: four domain scores on the 0–100 scale.
    WhoqolBref,
    /// BDI-21, depressive symptoms: the total 0–63.
    Bdi21,
}

impl Instrument {
    pub fn as_str(self) -> &'static str {
        match self {
            Instrument::WhoqolBref => "whoqol_bref",
            Instrument::Bdi21 => "bdi21",
        }
    }

    pub fn parse(s: &str) -> Option<Instrument> {
        match s {
            "whoqol_bref" => Some(Instrument::WhoqolBref),
            "bdi21" => Some(Instrument::Bdi21),
            _ => None,
        }
    }
}

/// At the start or the end of the rehabilitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Occasion {
    Start,
    End,
}

impl Occasion {
    pub fn as_str(self) -> &'static str {
        match self {
            Occasion::Start => "start",
            Occasion::End => "end",
        }
    }

    pub fn parse(s: &str) -> Option<Occasion> {
        match s {
            "start" => Some(Occasion::Start),
            "end" => Some(Occasion::End),
            _ => None,
        }
    }
}

/// WHOQOL-BREF's four domains, each transformed to 0–100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct WhoqolScores {
    pub physical: i32,
    pub psychological: i32,
    /// Social relationships.
    pub social: i32,
    pub environment: i32,
}

/// BDI-21's total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct BdiScores {
    /// 0–63.
    pub total: i32,
}

/// An instrument's scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Scores {
    Whoqol(WhoqolScores),
    Bdi(BdiScores),
}

pub const WHOQOL_DOMAINS: [&str; 4] = ["physical", "psychological", "social", "environment"];
pub const WHOQOL_MAX: i64 = 100;
pub const BDI_MAX: i64 = 63;

/// A measurement to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMeasure {
    pub instrument: Instrument,
    pub occasion: Occasion,
    /// The day the form was filled in; not in the future.
    pub measured_on: NaiveDate,
    /// `{physical, psychological, social, environment}` (0–100 each) for `whoqol_bref`,
    /// `{total}` (0–63) for `bdi21`.
    #[schema(value_type = Object)]
    pub scores: serde_json::Map<String, serde_json::Value>,
}

/// A checked measurement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureInput {
    pub instrument: Instrument,
    pub occasion: Occasion,
    pub measured_on: NaiveDate,
    pub scores: Scores,
}

fn score(
    errors: &mut Vec<FieldError>,
    map: &serde_json::Map<String, serde_json::Value>,
    name: &str,
    max: i64,
) -> i32 {
    let field = format!("scores.{name}");
    match map.get(name) {
        None | Some(serde_json::Value::Null) => {
            errors.push(FieldError::new(&field, "required", "enter this score"));
            0
        }
        Some(v) => match v.as_i64() {
            // The range check makes the cast lossless.
            Some(n) if (0..=max).contains(&n) => n as i32,
            Some(_) => {
                errors.push(FieldError::new(
                    &field,
                    "out_of_range",
                    format!("the score is from 0 to {max}"),
                ));
                0
            }
            None => {
                errors.push(FieldError::new(
                    &field,
                    "wrong_type",
                    "the score is a whole number",
                ));
                0
            }
        },
    }
}

impl NewMeasure {
    /// Checks every field against the instrument's ranges; `today` is the Helsinki day.
    pub fn parse(self, today: NaiveDate) -> Result<MeasureInput, AppError> {
        let mut errors = Vec::new();
        if self.measured_on > today {
            errors.push(FieldError::new(
                "measured_on",
                "in_future",
                "the measurement date cannot be in the future",
            ));
        }
        let allowed: &[&str] = match self.instrument {
            Instrument::WhoqolBref => &WHOQOL_DOMAINS,
            Instrument::Bdi21 => &["total"],
        };
        for key in self.scores.keys() {
            if !allowed.contains(&key.as_str()) {
                errors.push(FieldError::new(
                    &format!("scores.{key}"),
                    "unknown_field",
                    format!("{} has no score named {key}", self.instrument.as_str()),
                ));
            }
        }
        let map = &self.scores;
        let scores = match self.instrument {
            Instrument::WhoqolBref => Scores::Whoqol(WhoqolScores {
                physical: score(&mut errors, map, "physical", WHOQOL_MAX),
                psychological: score(&mut errors, map, "psychological", WHOQOL_MAX),
                social: score(&mut errors, map, "social", WHOQOL_MAX),
                environment: score(&mut errors, map, "environment", WHOQOL_MAX),
            }),
            Instrument::Bdi21 => Scores::Bdi(BdiScores {
                total: score(&mut errors, map, "total", BDI_MAX),
            }),
        };
        if errors.is_empty() {
            Ok(MeasureInput {
                instrument: self.instrument,
                occasion: self.occasion,
                measured_on: self.measured_on,
                scores,
            })
        } else {
            Err(AppError::Validation(errors))
        }
    }
}

/// R-MEASURE-3M: the first day an end measurement may be made after one on `previous`: "more
/// than three months" is after `previous` + 3 calendar months, which chrono clamps to the
/// month's last day (30.11. + 3 months = 28.2., or 29.2. in a leap year).
pub fn first_end_date(previous: NaiveDate) -> Option<NaiveDate> {
    previous.checked_add_months(Months::new(3))?.succ_opt()
}

/// R-MEASURE-3M: `Err(first allowed date)` when `end` is three months or less after `previous`.
pub fn check_end_interval(previous: NaiveDate, end: NaiveDate) -> Result<(), NaiveDate> {
    match first_end_date(previous) {
        Some(first) if end >= first => Ok(()),
        Some(first) => Err(first),
        // Beyond chrono's calendar: nothing can be late enough.
        None => Err(NaiveDate::MAX),
    }
}

/// Who recorded a measurement.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordedBy {
    pub display_name: String,
}

/// One recorded measurement.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureView {
    pub id: Uuid,
    pub instrument: Instrument,
    pub occasion: Occasion,
    pub measured_on: NaiveDate,
    pub scores: Scores,
    pub recorded_by: RecordedBy,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn measure(v: serde_json::Value) -> NewMeasure {
        serde_json::from_value(v).unwrap()
    }

    fn fields(e: AppError) -> Vec<(String, String)> {
        match e {
            AppError::Validation(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn exactly_three_months_is_too_soon_and_the_next_day_is_allowed_r_measure_3m() {
        assert_eq!(
            check_end_interval(d(2026, 1, 15), d(2026, 4, 15)),
            Err(d(2026, 4, 16))
        );
        assert_eq!(check_end_interval(d(2026, 1, 15), d(2026, 4, 16)), Ok(()));
        assert_eq!(
            check_end_interval(d(2026, 1, 15), d(2026, 2, 1)),
            Err(d(2026, 4, 16))
        );
    }

    #[test]
    fn the_end_of_november_plus_three_months_is_the_end_of_february_r_measure_3m() {
        // 30.11.2025 + 3 months = 28.2.2026 (2026 is not a leap year): 28.2. is "exactly three
        // months", so 1.3. is the first day.
        assert_eq!(first_end_date(d(2025, 11, 30)), Some(d(2026, 3, 1)));
        assert!(check_end_interval(d(2025, 11, 30), d(2026, 2, 28)).is_err());
        assert!(check_end_interval(d(2025, 11, 30), d(2026, 3, 1)).is_ok());
        // In a leap year February has a 29th.
        assert_eq!(first_end_date(d(2023, 11, 30)), Some(d(2024, 3, 1)));
        assert!(check_end_interval(d(2023, 11, 30), d(2024, 2, 29)).is_err());
        assert_eq!(first_end_date(d(2023, 11, 29)), Some(d(2024, 3, 1)));
        assert_eq!(first_end_date(d(2025, 11, 28)), Some(d(2026, 3, 1)));
    }

    #[test]
    fn other_month_ends_and_the_turn_of_the_year_r_measure_3m() {
        // 31.5. + 3 months = 31.8.
        assert_eq!(first_end_date(d(2026, 5, 31)), Some(d(2026, 9, 1)));
        // 31.3. + 3 months = 30.6. (June has 30 days).
        assert_eq!(first_end_date(d(2026, 3, 31)), Some(d(2026, 7, 1)));
        // 15.10. + 3 months = 15.1. of the next year.
        assert_eq!(first_end_date(d(2025, 10, 15)), Some(d(2026, 1, 16)));
        // 28.2. + 3 months = 28.5.
        assert_eq!(first_end_date(d(2026, 2, 28)), Some(d(2026, 5, 29)));
    }

    #[test]
    fn whoqol_domain_scores_are_zero_to_a_hundred() {
        let today = d(2026, 3, 2);
        let ok = measure(
            json!({"instrument": "whoqol_bref", "occasion": "start", "measured_on": "2026-03-02",
            "scores": {"physical": 0, "psychological": 100, "social": 50, "environment": 69}}),
        )
        .parse(today)
        .unwrap();
        assert_eq!(
            ok.scores,
            Scores::Whoqol(WhoqolScores {
                physical: 0,
                psychological: 100,
                social: 50,
                environment: 69
            })
        );
        let err = measure(
            json!({"instrument": "whoqol_bref", "occasion": "start", "measured_on": "2026-03-02",
            "scores": {"physical": 101, "psychological": -1, "social": 50.5, "mood": 3}}),
        )
        .parse(today)
        .unwrap_err();
        assert_eq!(
            fields(err),
            vec![
                ("scores.mood".into(), "unknown_field".into()),
                ("scores.physical".into(), "out_of_range".into()),
                ("scores.psychological".into(), "out_of_range".into()),
                ("scores.social".into(), "wrong_type".into()),
                ("scores.environment".into(), "required".into()),
            ]
        );
    }

    #[test]
    fn the_bdi_total_is_zero_to_sixty_three() {
        let today = d(2026, 3, 2);
        let bdi = |total: i64| {
            measure(
                json!({"instrument": "bdi21", "occasion": "end", "measured_on": "2026-03-01",
                "scores": {"total": total}}),
            )
            .parse(today)
        };
        assert!(bdi(0).is_ok());
        assert_eq!(
            bdi(63).unwrap().scores,
            Scores::Bdi(BdiScores { total: 63 })
        );
        assert_eq!(
            fields(bdi(64).unwrap_err()),
            vec![("scores.total".into(), "out_of_range".into())]
        );
        assert!(bdi(-1).is_err());
    }

    #[test]
    fn a_measurement_cannot_be_dated_in_the_future() {
        let err = measure(
            json!({"instrument": "bdi21", "occasion": "start", "measured_on": "2026-03-03",
            "scores": {"total": 10}}),
        )
        .parse(d(2026, 3, 2))
        .unwrap_err();
        assert_eq!(
            fields(err),
            vec![("measured_on".into(), "in_future".into())]
        );
    }
}
