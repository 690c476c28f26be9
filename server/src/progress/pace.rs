//! The program pace, defined once for the guide's monitoring view, the alerts and the provider's
//! overview: how many modules a participant on pace has completed on a given day.
//!
//! A module is due a full week after it opens: with weekly release, module n opens on the Monday
//! of remote week n, so by remote week w the modules of weeks 1..w−1 are due. With everything open
//! from the start, the same share of the program is due: ⌊modules · (w−1) / 12⌋. From on-site
//! period 2 on, every module is due (R-CONTENT-FULL).

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::content::delivery::ReleaseMode;
use crate::courses::schedule::{Phase, REMOTE_WEEKS, Schedule};
use crate::progress::rules::Texts;

/// Where a participant stands against the program pace line on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct ProgramPace {
    /// Modules due by that day.
    pub expected_modules: usize,
    /// `completed_modules ≥ expected_modules`.
    pub on_pace: bool,
}

/// Remote weeks that have fully passed on `today` (0 before and during week 1, 12 after).
pub fn weeks_passed(s: &Schedule, today: NaiveDate) -> usize {
    match s.phase_on(today) {
        Phase::NotStarted | Phase::Onsite1 => 0,
        Phase::Remote { week } => usize::from(week) - 1,
        Phase::Onsite2 | Phase::FollowUp | Phase::Completed => usize::from(REMOTE_WEEKS),
    }
}

/// Modules due on `today` of a program with `total_modules` visible modules.
pub fn expected_modules(
    s: &Schedule,
    release: ReleaseMode,
    total_modules: usize,
    today: NaiveDate,
) -> usize {
    let passed = weeks_passed(s, today);
    if passed >= usize::from(REMOTE_WEEKS) {
        return total_modules;
    }
    match release {
        // Module n opens in week n (modules past the twelfth all open in week 12).
        ReleaseMode::Weekly => total_modules.min(passed),
        ReleaseMode::All => total_modules * passed / usize::from(REMOTE_WEEKS),
    }
}

/// The pace line on `today` for a participant with `completed_modules` done.
pub fn program_pace(
    s: &Schedule,
    release: ReleaseMode,
    total_modules: usize,
    completed_modules: usize,
    today: NaiveDate,
) -> ProgramPace {
    let expected = expected_modules(s, release, total_modules, today);
    ProgramPace {
        expected_modules: expected,
        on_pace: completed_modules >= expected,
    }
}

/// The pace rule in words, for the guides' views.
pub const PACE_TEXT: Texts = Texts {
    fi: "Tahdissa on, kuka on tehnyt aiempien etäviikkojen moduulit: viikolla 5 moduulit 1–4. Toisen lähijakson alkaessa kaikki moduulit.",
    sv: "I takt är den som har gjort modulerna från de tidigare distansveckorna: vecka 5 modulerna 1–4. När den andra närperioden börjar, alla moduler.",
    en: "On pace means the modules of the earlier remote weeks are done: in week 5, modules 1–4. When on-site period 2 starts, all modules.",
};

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::Days;

    fn schedule() -> Schedule {
        // A Monday.
        Schedule::new(NaiveDate::from_ymd_opt(2026, 1, 5).expect("date"), None).expect("a Monday")
    }

    #[test]
    fn nothing_is_due_before_the_first_remote_week_ends() {
        let s = schedule();
        assert_eq!(
            expected_modules(&s, ReleaseMode::Weekly, 12, s.onsite1_start),
            0
        );
        assert_eq!(
            expected_modules(&s, ReleaseMode::Weekly, 12, s.remote_start),
            0
        );
        let sunday = s.remote_start + Days::new(6);
        assert_eq!(expected_modules(&s, ReleaseMode::Weekly, 12, sunday), 0);
    }

    #[test]
    fn each_week_makes_the_previous_module_due() {
        let s = schedule();
        let week5 = s.remote_start + Days::new(28);
        assert_eq!(expected_modules(&s, ReleaseMode::Weekly, 12, week5), 4);
        // A shorter program is all due once its last module's week has passed.
        assert_eq!(expected_modules(&s, ReleaseMode::Weekly, 3, week5), 3);
        // Everything open at once: the same share of a 10-module program, rounded down.
        assert_eq!(expected_modules(&s, ReleaseMode::All, 10, week5), 3);
        let last_sunday = s.remote_end;
        assert_eq!(
            expected_modules(&s, ReleaseMode::Weekly, 14, last_sunday),
            11
        );
        assert_eq!(
            expected_modules(&s, ReleaseMode::Weekly, 14, s.onsite2_start),
            14
        );
        assert_eq!(
            expected_modules(&s, ReleaseMode::All, 10, s.follow_up_end),
            10
        );
    }

    #[test]
    fn on_pace_means_at_least_the_expected_modules() {
        let s = schedule();
        let week3 = s.remote_start + Days::new(14);
        assert!(program_pace(&s, ReleaseMode::Weekly, 12, 2, week3).on_pace);
        assert!(!program_pace(&s, ReleaseMode::Weekly, 12, 1, week3).on_pace);
    }
}
