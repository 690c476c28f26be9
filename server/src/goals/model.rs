//! The goal's request and response bodies, and the parsing of what a writer sends.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{AppError, FieldError};
use crate::goals::gas::{GasLevel, Weight};

pub const TITLE_MAX: usize = 300;
pub const LEVEL_TEXT_MAX: usize = 500;

/// The five GAS levels written out: what −2 … +2 would look like for this goal.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LevelTexts {
    /// Much less than expected.
    #[serde(rename = "-2")]
    pub minus2: String,
    /// Somewhat less than expected (usually where one starts).
    #[serde(rename = "-1")]
    pub minus1: String,
    /// The expected outcome.
    #[serde(rename = "0")]
    pub zero: String,
    /// Somewhat more than expected.
    #[serde(rename = "1")]
    pub plus1: String,
    /// Much more than expected.
    #[serde(rename = "2")]
    pub plus2: String,
}

impl LevelTexts {
    fn fields_mut(&mut self) -> [(&'static str, &mut String); 5] {
        [
            ("levels.-2", &mut self.minus2),
            ("levels.-1", &mut self.minus1),
            ("levels.0", &mut self.zero),
            ("levels.1", &mut self.plus1),
            ("levels.2", &mut self.plus2),
        ]
    }
}

/// A new goal.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGoal {
    /// 1–300 characters.
    pub title: String,
    /// All five levels, 1–500 characters each.
    pub levels: LevelTexts,
    /// 1–10; 1 when left out.
    #[serde(default)]
    pub weight: Option<i64>,
}

/// A change to a goal that has no baseline yet; what is left out stays.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalPatch {
    #[serde(default)]
    pub title: Option<String>,
    /// All five levels at once.
    #[serde(default)]
    pub levels: Option<LevelTexts>,
    #[serde(default)]
    pub weight: Option<i64>,
}

/// A rating: the level the participant and the guide agreed on.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetLevel {
    /// −2 … +2.
    pub level: i64,
}

/// What a goal says, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalContent {
    pub title: String,
    pub levels: LevelTexts,
    pub weight: Weight,
}

/// A checked patch; `None` leaves the field as it is.
#[derive(Debug, Default)]
pub struct GoalChange {
    pub title: Option<String>,
    pub levels: Option<LevelTexts>,
    pub weight: Option<Weight>,
}

impl GoalChange {
    pub fn is_empty(&self) -> bool {
        self.title.is_none() && self.levels.is_none() && self.weight.is_none()
    }
}

fn text(errors: &mut Vec<FieldError>, field: &str, value: &str, max: usize, what: &str) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.push(FieldError::new(
            field,
            "required",
            format!("write the {what}"),
        ));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("the {what} is at most {max} characters"),
        ));
    }
    value.to_owned()
}

fn levels(errors: &mut Vec<FieldError>, mut levels: LevelTexts) -> LevelTexts {
    for (field, value) in levels.fields_mut() {
        *value = text(errors, field, value, LEVEL_TEXT_MAX, "level's description");
    }
    levels
}

fn weight(errors: &mut Vec<FieldError>, value: i64) -> Weight {
    Weight::parse(value).unwrap_or_else(|message| {
        errors.push(FieldError::new("weight", "out_of_range", message));
        Weight::DEFAULT
    })
}

fn done<T>(errors: Vec<FieldError>, value: T) -> Result<T, AppError> {
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(AppError::Validation(errors))
    }
}

impl NewGoal {
    pub fn parse(self) -> Result<GoalContent, AppError> {
        let mut errors = Vec::new();
        let content = GoalContent {
            title: text(&mut errors, "title", &self.title, TITLE_MAX, "goal"),
            levels: levels(&mut errors, self.levels),
            weight: self
                .weight
                .map_or(Weight::DEFAULT, |w| weight(&mut errors, w)),
        };
        done(errors, content)
    }
}

impl GoalPatch {
    pub fn parse(self) -> Result<GoalChange, AppError> {
        let mut errors = Vec::new();
        let change = GoalChange {
            title: self
                .title
                .map(|t| text(&mut errors, "title", &t, TITLE_MAX, "goal")),
            levels: self.levels.map(|l| levels(&mut errors, l)),
            weight: self.weight.map(|w| weight(&mut errors, w)),
        };
        done(errors, change)
    }
}

impl SetLevel {
    pub fn parse(self) -> Result<GasLevel, AppError> {
        GasLevel::parse(self.level).map_err(|m| AppError::field("level", "out_of_range", m))
    }
}

/// One goal as its participant and their guides see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct GoalView {
    pub id: Uuid,
    /// 1…3, the order the goals were set in.
    pub position: i32,
    pub title: String,
    pub levels: LevelTexts,
    pub weight: i32,
    /// The level at the start; once set, the goal's texts and weight no longer change.
    pub baseline: Option<i32>,
    pub baseline_at: Option<DateTime<Utc>>,
    /// The level reached at the end.
    pub attainment: Option<i32>,
    pub attained_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// A participant's goals with their GAS T-scores (ρ = 0.3, weights applied), each `null` until
/// every goal has been rated.
#[derive(Debug, Serialize, ToSchema)]
pub struct GoalsView {
    pub goals: Vec<GoalView>,
    /// From the baselines, rounded to one decimal.
    pub t_baseline: Option<f64>,
    /// From the attainments, rounded to one decimal.
    pub t_end: Option<f64>,
}

/// The goal as it was before a change.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GoalSnapshot {
    pub title: String,
    pub levels: LevelTexts,
    pub weight: i32,
    pub baseline: Option<i32>,
    pub attainment: Option<i32>,
}

/// Who changed the goal.
#[derive(Debug, Serialize, ToSchema)]
pub struct Actor {
    pub display_name: String,
}

/// One change to a goal, newest first in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct GoalHistoryEntry {
    pub at: DateTime<Utc>,
    pub actor: Actor,
    /// `create`, `update`, `delete`, `baseline` or `attainment`.
    pub action: String,
    /// The goal before the change; `null` for `create`.
    pub previous: Option<GoalSnapshot>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn texts() -> LevelTexts {
        LevelTexts {
            minus2: "En käy ulkona lainkaan".into(),
            minus1: "Käyn ulkona kerran viikossa".into(),
            zero: "Käyn ulkona kolmesti viikossa".into(),
            plus1: "Käyn ulkona viidesti viikossa".into(),
            plus2: "Käyn ulkona joka päivä".into(),
        }
    }

    fn fields(e: AppError) -> Vec<(String, String)> {
        match e {
            AppError::Validation(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn a_goal_is_trimmed_and_weighs_one_by_default() {
        let goal = NewGoal {
            title: "  Liikun enemmän ".into(),
            levels: texts(),
            weight: None,
        }
        .parse()
        .unwrap();
        assert_eq!(goal.title, "Liikun enemmän");
        assert_eq!(goal.weight, Weight::DEFAULT);
    }

    #[test]
    fn every_wrong_field_is_named() {
        let mut levels = texts();
        levels.zero = "   ".into();
        levels.plus2 = "x".repeat(LEVEL_TEXT_MAX + 1);
        let err = NewGoal {
            title: "ä".repeat(TITLE_MAX + 1),
            levels,
            weight: Some(0),
        }
        .parse()
        .unwrap_err();
        assert_eq!(
            fields(err),
            vec![
                ("title".into(), "too_long".into()),
                ("levels.0".into(), "required".into()),
                ("levels.2".into(), "too_long".into()),
                ("weight".into(), "out_of_range".into()),
            ]
        );
    }

    #[test]
    fn the_longest_texts_are_accepted() {
        let mut levels = texts();
        levels.minus2 = "ö".repeat(LEVEL_TEXT_MAX);
        assert!(
            NewGoal {
                title: "ö".repeat(TITLE_MAX),
                levels,
                weight: Some(10),
            }
            .parse()
            .is_ok()
        );
    }

    #[test]
    fn a_rating_outside_minus_two_to_two_is_refused() {
        assert_eq!(
            fields(SetLevel { level: 3 }.parse().unwrap_err()),
            vec![("level".into(), "out_of_range".into())]
        );
        assert!(SetLevel { level: -3 }.parse().is_err());
        assert_eq!(SetLevel { level: -2 }.parse().unwrap().value(), -2);
    }
}
