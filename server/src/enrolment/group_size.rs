//! How many participants a course may take, and when it may start (R-GROUP-SIZE, R-GROUP-START).

use serde::Serialize;

/// R-GROUP-SIZE: a course has 6–12 participants.
pub const MIN_PARTICIPANTS: usize = 6;
/// R-GROUP-SIZE: enrolment beyond 12 is refused.
pub const MAX_PARTICIPANTS: usize = 12;
/// R-GROUP-START: from 7 participants the course must start on schedule.
pub const MUST_START_AT: usize = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the course is full: it already has {current_count} participants and takes at most {MAX_PARTICIPANTS}"
)]
pub struct GroupFull {
    pub current_count: usize,
}

/// Whether one more participant fits, given how many are enrolled already.
/// R-GROUP-SIZE: the 13th is refused, whether a new enrolment or a transfer from another course.
pub fn check_can_enrol(current_count: usize) -> Result<(), GroupFull> {
    if current_count >= MAX_PARTICIPANTS {
        return Err(GroupFull { current_count });
    }
    Ok(())
}

/// What R-GROUP-START says about a course with a given number of participants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StartRule {
    /// ≥ 7: the course must start on schedule.
    MustStart,
    /// Exactly 6: the provider may start it, and records why.
    MayStartWithConfirmation,
    /// < 6: postpone, or move the participants to another course.
    CannotStart,
}

impl StartRule {
    pub fn for_count(count: usize) -> StartRule {
        if count >= MUST_START_AT {
            StartRule::MustStart
        } else if count >= MIN_PARTICIPANTS {
            StartRule::MayStartWithConfirmation
        } else {
            StartRule::CannotStart
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StartRefused {
    #[error("a course needs at least {MIN_PARTICIPANTS} participants to start, but has {count}")]
    TooFew { count: usize },
    #[error(
        "a course with exactly {MIN_PARTICIPANTS} participants may start only when the provider gives a reason"
    )]
    SixNeedsConfirmation,
}

/// Whether a course may start. With exactly six the provider's decision must be recorded, so a
/// reason is required; an empty or blank reason counts as none (R-GROUP-START).
pub fn check_can_start(count: usize, six_reason: Option<&str>) -> Result<(), StartRefused> {
    match StartRule::for_count(count) {
        StartRule::MustStart => Ok(()),
        StartRule::MayStartWithConfirmation => match six_reason.map(str::trim) {
            Some(reason) if !reason.is_empty() => Ok(()),
            _ => Err(StartRefused::SixNeedsConfirmation),
        },
        StartRule::CannotStart => Err(StartRefused::TooFew { count }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_twelfth_participant_can_enrol_r_group_size() {
        assert_eq!(check_can_enrol(11), Ok(()));
    }

    #[test]
    fn the_thirteenth_participant_is_refused_r_group_size() {
        assert_eq!(check_can_enrol(12), Err(GroupFull { current_count: 12 }));
    }

    #[test]
    fn an_over_full_course_still_refuses_r_group_size() {
        assert!(check_can_enrol(13).is_err());
    }

    #[test]
    fn an_empty_course_takes_its_first_participant() {
        assert_eq!(check_can_enrol(0), Ok(()));
    }

    #[test]
    fn five_participants_cannot_start_r_group_start() {
        assert_eq!(StartRule::for_count(5), StartRule::CannotStart);
        assert_eq!(
            check_can_start(5, Some("we want to")),
            Err(StartRefused::TooFew { count: 5 })
        );
    }

    #[test]
    fn six_participants_may_start_with_a_reason_r_group_start() {
        assert_eq!(StartRule::for_count(6), StartRule::MayStartWithConfirmation);
        assert_eq!(check_can_start(6, Some("group is cohesive")), Ok(()));
    }

    #[test]
    fn six_participants_without_a_reason_cannot_start_r_group_start() {
        assert_eq!(
            check_can_start(6, None),
            Err(StartRefused::SixNeedsConfirmation)
        );
    }

    #[test]
    fn a_blank_reason_counts_as_no_reason_r_group_start() {
        assert_eq!(
            check_can_start(6, Some("  \t\n")),
            Err(StartRefused::SixNeedsConfirmation)
        );
        assert_eq!(
            check_can_start(6, Some("")),
            Err(StartRefused::SixNeedsConfirmation)
        );
    }

    #[test]
    fn seven_participants_must_start_without_a_reason_r_group_start() {
        assert_eq!(StartRule::for_count(7), StartRule::MustStart);
        assert_eq!(check_can_start(7, None), Ok(()));
    }

    #[test]
    fn twelve_participants_must_start_r_group_start() {
        assert_eq!(StartRule::for_count(12), StartRule::MustStart);
        assert_eq!(check_can_start(12, None), Ok(()));
    }

    #[test]
    fn an_empty_course_cannot_start() {
        assert_eq!(
            check_can_start(0, None),
            Err(StartRefused::TooFew { count: 0 })
        );
    }

    #[test]
    fn start_rules_serialise_as_snake_case() {
        let json = serde_json::to_value(StartRule::MayStartWithConfirmation).expect("serialises");
        assert_eq!(json, "may_start_with_confirmation");
    }
}
