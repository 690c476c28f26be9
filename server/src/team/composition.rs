//! Whether a course team has every role R-TEAM asks for.

use serde::Serialize;
use serde::ser::SerializeStruct;

use crate::team::profession::Profession;

/// R-TEAM: at least two of the three optional professions must be used on the course.
pub const OPTIONAL_PROFESSIONS_NEEDED: usize = 2;

/// What the rule needs to know about one team member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TeamMemberFacts {
    pub profession: Profession,
    pub service_manager: bool,
}

/// One gap in a team, with a stable code the UI translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingRole {
    Physician,
    NurseOrPublicHealthNurse,
    Physiotherapist,
    SocialWorkerSocionomOrRehabInstructor,
    /// Fewer than two distinct optional professions (occupational therapist; nutritionist or
    /// nutrition advisor; psychologist).
    OptionalProfessionals {
        have: usize,
        need: usize,
    },
    /// No service manager is named, or more than one is: the rule asks for one named person.
    ServiceManager,
    /// The one named service manager is not a licensed health care professional.
    ServiceManagerNotLicensed,
}

impl MissingRole {
    pub fn code(&self) -> &'static str {
        match self {
            MissingRole::Physician => "physician",
            MissingRole::NurseOrPublicHealthNurse => "nurse",
            MissingRole::Physiotherapist => "physiotherapist",
            MissingRole::SocialWorkerSocionomOrRehabInstructor => "social_professional",
            MissingRole::OptionalProfessionals { .. } => "optional_professionals",
            MissingRole::ServiceManager => "service_manager",
            MissingRole::ServiceManagerNotLicensed => "service_manager_not_licensed",
        }
    }

    pub fn rule(&self) -> &'static str {
        "R-TEAM"
    }
}

/// `{"code": "optional_professionals", "rule": "R-TEAM", "have": 1, "need": 2}`; `have`/`need`
/// appear only for the optional professionals.
impl Serialize for MissingRole {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("MissingRole", 4)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("rule", self.rule())?;
        match self {
            MissingRole::OptionalProfessionals { have, need } => {
                s.serialize_field("have", have)?;
                s.serialize_field("need", need)?;
            }
            _ => {
                s.skip_field("have")?;
                s.skip_field("need")?;
            }
        }
        s.end()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TeamCheck {
    pub complete: bool,
    /// Each gap as `{"code", "rule": "R-TEAM", "have"?, "need"?}`.
    #[schema(value_type = Vec<Object>)]
    pub missing: Vec<MissingRole>,
}

/// Checks a team against R-TEAM and lists every gap, in a fixed order.
pub fn check_team(members: &[TeamMemberFacts]) -> TeamCheck {
    let has = |wanted: &dyn Fn(Profession) -> bool| members.iter().any(|m| wanted(m.profession));
    let mut missing = Vec::new();

    if !has(&|p| p == Profession::Physician) {
        missing.push(MissingRole::Physician);
    }
    if !has(&|p| {
        matches!(
            p,
            Profession::RegisteredNurse | Profession::PublicHealthNurse
        )
    }) {
        missing.push(MissingRole::NurseOrPublicHealthNurse);
    }
    if !has(&|p| p == Profession::Physiotherapist) {
        missing.push(MissingRole::Physiotherapist);
    }
    if !has(&|p| {
        matches!(
            p,
            Profession::SocialWorker | Profession::Socionom | Profession::RehabilitationInstructor
        )
    }) {
        missing.push(MissingRole::SocialWorkerSocionomOrRehabInstructor);
    }

    // Distinct professions, not heads: two nutritionists are one optional profession, and a
    // nutritionist plus a nutrition advisor are still the one "nutrition" group.
    let optional_groups: [&dyn Fn(Profession) -> bool; 3] = [
        &|p| p == Profession::OccupationalTherapist,
        &|p| matches!(p, Profession::Nutritionist | Profession::NutritionAdvisor),
        &|p| p == Profession::Psychologist,
    ];
    let have = optional_groups.iter().filter(|group| has(*group)).count();
    if have < OPTIONAL_PROFESSIONS_NEEDED {
        missing.push(MissingRole::OptionalProfessionals {
            have,
            need: OPTIONAL_PROFESSIONS_NEEDED,
        });
    }

    let mut managers = members.iter().filter(|m| m.service_manager);
    match (managers.next(), managers.next()) {
        (Some(manager), None) => {
            if !manager.profession.is_licensed_health_professional() {
                missing.push(MissingRole::ServiceManagerNotLicensed);
            }
        }
        // None, or more than one: the rule names exactly one person.
        _ => missing.push(MissingRole::ServiceManager),
    }

    TeamCheck {
        complete: missing.is_empty(),
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(profession: Profession) -> TeamMemberFacts {
        TeamMemberFacts {
            profession,
            service_manager: false,
        }
    }

    fn manager(profession: Profession) -> TeamMemberFacts {
        TeamMemberFacts {
            profession,
            service_manager: true,
        }
    }

    /// Physician, nurse (also service manager), physiotherapist, socionom, occupational therapist,
    /// psychologist.
    fn complete_team() -> Vec<TeamMemberFacts> {
        vec![
            member(Profession::Physician),
            manager(Profession::RegisteredNurse),
            member(Profession::Physiotherapist),
            member(Profession::Socionom),
            member(Profession::OccupationalTherapist),
            member(Profession::Psychologist),
        ]
    }

    fn without(profession: Profession) -> Vec<TeamMemberFacts> {
        complete_team()
            .into_iter()
            .filter(|m| m.profession != profession)
            .collect()
    }

    #[test]
    fn a_complete_team_has_nothing_missing_r_team() {
        let check = check_team(&complete_team());
        assert!(check.complete);
        assert_eq!(check.missing, vec![]);
    }

    #[test]
    fn an_empty_team_misses_every_role_r_team() {
        let check = check_team(&[]);
        assert!(!check.complete);
        assert_eq!(
            check.missing,
            vec![
                MissingRole::Physician,
                MissingRole::NurseOrPublicHealthNurse,
                MissingRole::Physiotherapist,
                MissingRole::SocialWorkerSocionomOrRehabInstructor,
                MissingRole::OptionalProfessionals { have: 0, need: 2 },
                MissingRole::ServiceManager,
            ]
        );
    }

    #[test]
    fn a_team_without_a_physician_is_incomplete_r_team() {
        let check = check_team(&without(Profession::Physician));
        assert!(!check.complete);
        assert_eq!(check.missing, vec![MissingRole::Physician]);
    }

    #[test]
    fn a_team_without_a_nurse_is_incomplete_r_team() {
        let mut team = without(Profession::RegisteredNurse);
        team.push(manager(Profession::Physiotherapist));
        let check = check_team(&team);
        assert_eq!(check.missing, vec![MissingRole::NurseOrPublicHealthNurse]);
    }

    #[test]
    fn a_public_health_nurse_fills_the_nurse_role_r_team() {
        let mut team = without(Profession::RegisteredNurse);
        team.push(manager(Profession::PublicHealthNurse));
        assert!(check_team(&team).complete);
    }

    #[test]
    fn a_team_without_a_physiotherapist_is_incomplete_r_team() {
        let check = check_team(&without(Profession::Physiotherapist));
        assert_eq!(check.missing, vec![MissingRole::Physiotherapist]);
    }

    #[test]
    fn a_team_without_a_social_professional_is_incomplete_r_team() {
        let check = check_team(&without(Profession::Socionom));
        assert_eq!(
            check.missing,
            vec![MissingRole::SocialWorkerSocionomOrRehabInstructor]
        );
    }

    #[test]
    fn a_social_worker_or_rehabilitation_instructor_fills_the_social_role_r_team() {
        for p in [
            Profession::SocialWorker,
            Profession::RehabilitationInstructor,
        ] {
            let mut team = without(Profession::Socionom);
            team.push(member(p));
            assert!(check_team(&team).complete, "{p}");
        }
    }

    #[test]
    fn a_team_with_one_optional_profession_is_incomplete_r_team() {
        let check = check_team(&without(Profession::Psychologist));
        assert_eq!(
            check.missing,
            vec![MissingRole::OptionalProfessionals { have: 1, need: 2 }]
        );
    }

    #[test]
    fn two_nutritionists_count_as_one_optional_profession_r_team() {
        let mut team = without(Profession::OccupationalTherapist);
        team.retain(|m| m.profession != Profession::Psychologist);
        team.push(member(Profession::Nutritionist));
        team.push(member(Profession::Nutritionist));
        let check = check_team(&team);
        assert_eq!(
            check.missing,
            vec![MissingRole::OptionalProfessionals { have: 1, need: 2 }]
        );
    }

    #[test]
    fn a_nutritionist_and_a_nutrition_advisor_are_one_optional_profession_r_team() {
        let mut team = without(Profession::OccupationalTherapist);
        team.retain(|m| m.profession != Profession::Psychologist);
        team.push(member(Profession::Nutritionist));
        team.push(member(Profession::NutritionAdvisor));
        let check = check_team(&team);
        assert_eq!(
            check.missing,
            vec![MissingRole::OptionalProfessionals { have: 1, need: 2 }]
        );
    }

    #[test]
    fn a_nutrition_advisor_and_a_psychologist_are_two_optional_professions_r_team() {
        let mut team = without(Profession::OccupationalTherapist);
        team.push(member(Profession::NutritionAdvisor));
        assert!(check_team(&team).complete);
    }

    #[test]
    fn a_practical_nurse_does_not_fill_the_nurse_role_r_team() {
        let mut team = without(Profession::RegisteredNurse);
        team.push(manager(Profession::Physiotherapist));
        team.push(member(Profession::PracticalNurse));
        let check = check_team(&team);
        assert_eq!(check.missing, vec![MissingRole::NurseOrPublicHealthNurse]);
    }

    #[test]
    fn complementing_staff_do_not_count_as_optional_professions_r_team() {
        let mut team = without(Profession::Psychologist);
        team.push(member(Profession::ExerciseInstructor));
        team.push(member(Profession::PracticalNurse));
        team.push(member(Profession::Other));
        let check = check_team(&team);
        assert_eq!(
            check.missing,
            vec![MissingRole::OptionalProfessionals { have: 1, need: 2 }]
        );
    }

    #[test]
    fn a_team_without_a_service_manager_is_incomplete_r_team() {
        let team: Vec<_> = complete_team()
            .into_iter()
            .map(|m| member(m.profession))
            .collect();
        let check = check_team(&team);
        assert_eq!(check.missing, vec![MissingRole::ServiceManager]);
    }

    #[test]
    fn two_service_managers_are_reported_as_a_service_manager_problem_r_team() {
        let mut team = without(Profession::Physician);
        team.push(manager(Profession::Physician));
        let check = check_team(&team);
        assert_eq!(check.missing, vec![MissingRole::ServiceManager]);
    }

    #[test]
    fn an_unlicensed_service_manager_is_reported_r_team() {
        let mut team: Vec<_> = without(Profession::Socionom)
            .into_iter()
            .map(|m| member(m.profession))
            .collect();
        team.push(manager(Profession::Socionom));
        let check = check_team(&team);
        assert!(!check.complete);
        assert_eq!(check.missing, vec![MissingRole::ServiceManagerNotLicensed]);
    }

    #[test]
    fn a_missing_role_serialises_with_its_code_and_rule() {
        let json = serde_json::to_value(MissingRole::Physician).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"code": "physician", "rule": "R-TEAM"})
        );
        let json = serde_json::to_value(MissingRole::OptionalProfessionals { have: 1, need: 2 })
            .expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"code": "optional_professionals", "rule": "R-TEAM", "have": 1, "need": 2})
        );
    }

    #[test]
    fn a_team_check_serialises_its_missing_roles() {
        let json =
            serde_json::to_value(check_team(&without(Profession::Physician))).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"complete": false, "missing": [{"code": "physician", "rule": "R-TEAM"}]})
        );
    }
}
