//! Goal Attainment Scaling (R-GAS): the levels, the weights, and the T-score.

/// The inter-goal correlation the standard GAS formula assumes (Kiresuk & Sherman).
pub const RHO: f64 = 0.3;

/// A GAS level, −2 (much less than expected) … +2 (much more than expected).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GasLevel(i32);

impl GasLevel {
    pub fn parse(value: i64) -> Result<GasLevel, &'static str> {
        if (-2..=2).contains(&value) {
            // The range check makes the cast lossless.
            Ok(GasLevel(value as i32))
        } else {
            Err("a GAS level is -2, -1, 0, 1 or 2")
        }
    }

    pub fn value(self) -> i32 {
        self.0
    }
}

/// A goal's weight, 1…10; 1 when the goals count equally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weight(i32);

impl Weight {
    pub const DEFAULT: Weight = Weight(1);

    pub fn parse(value: i64) -> Result<Weight, &'static str> {
        if (1..=10).contains(&value) {
            Ok(Weight(value as i32))
        } else {
            Err("the weight is a whole number from 1 to 10")
        }
    }

    pub fn value(self) -> i32 {
        self.0
    }
}

/// The GAS T-score of goals rated at the given levels:
/// T = 50 + 10·Σ(wᵢxᵢ) / √((1−ρ)·Σwᵢ² + ρ·(Σwᵢ)²). `None` without goals.
pub fn t_score(goals: &[(Weight, GasLevel)]) -> Option<f64> {
    if goals.is_empty() {
        return None;
    }
    let (mut wx, mut w2, mut w) = (0.0, 0.0, 0.0);
    for (weight, level) in goals {
        let wi = f64::from(weight.value());
        wx += wi * f64::from(level.value());
        w2 += wi * wi;
        w += wi;
    }
    // Weights are ≥ 1, so the denominator is positive.
    Some(50.0 + 10.0 * wx / ((1.0 - RHO) * w2 + RHO * w * w).sqrt())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn t(goals: &[(i64, i64)]) -> f64 {
        let goals: Vec<_> = goals
            .iter()
            .map(|&(w, x)| (Weight::parse(w).unwrap(), GasLevel::parse(x).unwrap()))
            .collect();
        t_score(&goals).unwrap()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 0.005
    }

    #[test]
    fn one_goal_at_the_expected_level_is_fifty() {
        // Σwx = 0 → T = 50 whatever the denominator.
        assert!(close(t(&[(1, 0)]), 50.0));
    }

    #[test]
    fn one_goal_moves_ten_points_a_level_whatever_its_weight() {
        // w = 5, x = +2: Σwx = 10, √(0.7·25 + 0.3·25) = √25 = 5 → 50 + 10·10/5 = 70.
        assert!(close(t(&[(5, 2)]), 70.0));
        // w = 1, x = −2: 50 + 10·(−2)/√(0.7 + 0.3) = 30.
        assert!(close(t(&[(1, -2)]), 30.0));
    }

    #[test]
    fn three_unweighted_goals_one_level_better_than_expected() {
        // Σwx = 3, Σw² = 3, (Σw)² = 9: 50 + 10·3/√(0.7·3 + 0.3·9) = 50 + 30/√4.8
        // = 50 + 30/2.19089 = 63.69.
        assert!(close(t(&[(1, 1), (1, 1), (1, 1)]), 63.69));
    }

    #[test]
    fn three_unweighted_goals_one_level_worse_than_expected() {
        // The mirror image: 50 − 13.69 = 36.31.
        assert!(close(t(&[(1, -1), (1, -1), (1, -1)]), 36.31));
    }

    #[test]
    fn two_unweighted_goals_at_the_baseline_floor() {
        // Σwx = −4, Σw² = 2, (Σw)² = 4: 50 − 40/√(1.4 + 1.2) = 50 − 40/1.61245 = 25.19.
        assert!(close(t(&[(1, -2), (1, -2)]), 25.19));
    }

    #[test]
    fn weights_count_each_goal_by_its_importance() {
        // w = 1, 2, 3 at x = +1, 0, −1: Σwx = 1 + 0 − 3 = −2, Σw² = 14, (Σw)² = 36:
        // 50 − 20/√(9.8 + 10.8) = 50 − 20/4.53872 = 45.59.
        assert!(close(t(&[(1, 1), (2, 0), (3, -1)]), 45.59));
        // w = 10, 1, 1 at x = +2, −2, 0: Σwx = 18, Σw² = 102, (Σw)² = 144:
        // 50 + 180/√(71.4 + 43.2) = 50 + 180/10.70514 = 66.81.
        assert!(close(t(&[(10, 2), (1, -2), (1, 0)]), 66.81));
    }

    #[test]
    fn no_goals_have_no_score() {
        assert_eq!(t_score(&[]), None);
    }

    #[test]
    fn levels_and_weights_outside_their_range_do_not_parse() {
        assert!(GasLevel::parse(3).is_err());
        assert!(GasLevel::parse(-3).is_err());
        assert_eq!(GasLevel::parse(-2).map(GasLevel::value), Ok(-2));
        assert!(Weight::parse(0).is_err());
        assert!(Weight::parse(11).is_err());
        assert_eq!(Weight::parse(10).map(Weight::value), Ok(10));
    }
}
