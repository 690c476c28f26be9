//! The professions a course team is built from (R-TEAM).

use serde::{Deserialize, Serialize};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Profession {
    /// Specialist physician, any speciality.
    Physician,
    RegisteredNurse,
    PublicHealthNurse,
    Physiotherapist,
    SocialWorker,
    Socionom,
    RehabilitationInstructor,
    OccupationalTherapist,
    Nutritionist,
    NutritionAdvisor,
    Psychologist,
    /// Complementing professional; does not count towards R-TEAM's required roles.
    ExerciseInstructor,
    /// Assisting staff; does not count towards R-TEAM's required roles.
    PracticalNurse,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown profession {0:?}")]
pub struct UnknownProfession(pub String);

impl Profession {
    pub const ALL: [Profession; 14] = [
        Profession::Physician,
        Profession::RegisteredNurse,
        Profession::PublicHealthNurse,
        Profession::Physiotherapist,
        Profession::SocialWorker,
        Profession::Socionom,
        Profession::RehabilitationInstructor,
        Profession::OccupationalTherapist,
        Profession::Nutritionist,
        Profession::NutritionAdvisor,
        Profession::Psychologist,
        Profession::ExerciseInstructor,
        Profession::PracticalNurse,
        Profession::Other,
    ];

    /// Parses the stable snake_case code (the same one serde uses), ignoring surrounding whitespace.
    pub fn parse(s: &str) -> Result<Profession, UnknownProfession> {
        let code = s.trim();
        Profession::ALL
            .into_iter()
            .find(|p| p.as_str() == code)
            .ok_or_else(|| UnknownProfession(s.to_owned()))
    }

    /// Stable snake_case code, as stored and sent in JSON.
    pub fn as_str(&self) -> &'static str {
        match self {
            Profession::Physician => "physician",
            Profession::RegisteredNurse => "registered_nurse",
            Profession::PublicHealthNurse => "public_health_nurse",
            Profession::Physiotherapist => "physiotherapist",
            Profession::SocialWorker => "social_worker",
            Profession::Socionom => "socionom",
            Profession::RehabilitationInstructor => "rehabilitation_instructor",
            Profession::OccupationalTherapist => "occupational_therapist",
            Profession::Nutritionist => "nutritionist",
            Profession::NutritionAdvisor => "nutrition_advisor",
            Profession::Psychologist => "psychologist",
            Profession::ExerciseInstructor => "exercise_instructor",
            Profession::PracticalNurse => "practical_nurse",
            Profession::Other => "other",
        }
    }

    /// R-TEAM: the three mandatory professional groups (nurse or public health nurse;
    /// physiotherapist; social worker, socionom or rehabilitation instructor).
    /// Only these may act as a participant's personal guide.
    pub fn is_mandatory_professional(&self) -> bool {
        matches!(
            self,
            Profession::RegisteredNurse
                | Profession::PublicHealthNurse
                | Profession::Physiotherapist
                | Profession::SocialWorker
                | Profession::Socionom
                | Profession::RehabilitationInstructor
        )
    }

    /// R-TEAM: the service manager must be a licensed health care professional
    /// (laillistettu terveydenhuollon ammattihenkilö). Social-care titles and the protected
    /// titles (nutrition advisor, practical nurse, …) do not qualify.
    pub fn is_licensed_health_professional(&self) -> bool {
        matches!(
            self,
            Profession::Physician
                | Profession::RegisteredNurse
                | Profession::PublicHealthNurse
                | Profession::Physiotherapist
                | Profession::OccupationalTherapist
                | Profession::Nutritionist
                | Profession::Psychologist
        )
    }

    /// Job title in Finnish, Swedish and English (R-LANG), as `(fi, sv, en)`.
    pub fn labels(&self) -> (&'static str, &'static str, &'static str) {
        match self {
            Profession::Physician => ("erikoislääkäri", "specialistläkare", "specialist physician"),
            Profession::RegisteredNurse => ("sairaanhoitaja", "sjukskötare", "registered nurse"),
            Profession::PublicHealthNurse => {
                ("terveydenhoitaja", "hälsovårdare", "public health nurse")
            }
            Profession::Physiotherapist => ("fysioterapeutti", "fysioterapeut", "physiotherapist"),
            Profession::SocialWorker => ("sosiaalityöntekijä", "socialarbetare", "social worker"),
            Profession::Socionom => ("sosionomi", "socionom", "socionom"),
            Profession::RehabilitationInstructor => (
                "kuntoutuksen ohjaaja",
                "rehabiliteringshandledare",
                "rehabilitation instructor",
            ),
            Profession::OccupationalTherapist => (
                "toimintaterapeutti",
                "ergoterapeut",
                "occupational therapist",
            ),
            Profession::Nutritionist => ("ravitsemusterapeutti", "näringsterapeut", "nutritionist"),
            Profession::NutritionAdvisor => {
                ("ravitsemusneuvoja", "näringsrådgivare", "nutrition advisor")
            }
            Profession::Psychologist => ("psykologi", "psykolog", "psychologist"),
            Profession::ExerciseInstructor => (
                "liikunnanohjaaja",
                "idrottsinstruktör",
                "exercise instructor",
            ),
            Profession::PracticalNurse => ("lähihoitaja", "närvårdare", "practical nurse"),
            Profession::Other => ("muu", "annan", "other"),
        }
    }
}

impl std::fmt::Display for Profession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profession_parses_back_from_its_code() {
        for p in Profession::ALL {
            assert_eq!(Profession::parse(p.as_str()), Ok(p));
        }
    }

    #[test]
    fn surrounding_whitespace_is_ignored_when_parsing() {
        assert_eq!(
            Profession::parse("  psychologist\n"),
            Ok(Profession::Psychologist)
        );
    }

    #[test]
    fn an_unknown_code_is_refused() {
        assert_eq!(
            Profession::parse("wizard"),
            Err(UnknownProfession("wizard".to_owned()))
        );
    }

    #[test]
    fn a_display_label_is_not_a_code() {
        assert!(Profession::parse("Registered nurse").is_err());
        assert!(Profession::parse("").is_err());
    }

    #[test]
    fn the_code_matches_the_serde_name() {
        for p in Profession::ALL {
            let json = serde_json::to_value(p).expect("serialises");
            assert_eq!(json, p.as_str());
            let back: Profession = serde_json::from_value(json).expect("deserialises");
            assert_eq!(back, p);
        }
    }

    #[test]
    fn all_lists_each_profession_once() {
        let mut codes: Vec<&str> = Profession::ALL.iter().map(Profession::as_str).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Profession::ALL.len());
    }

    #[test]
    fn only_the_three_mandatory_groups_may_be_personal_guides_r_team() {
        let guides: Vec<Profession> = Profession::ALL
            .into_iter()
            .filter(Profession::is_mandatory_professional)
            .collect();
        assert_eq!(
            guides,
            vec![
                Profession::RegisteredNurse,
                Profession::PublicHealthNurse,
                Profession::Physiotherapist,
                Profession::SocialWorker,
                Profession::Socionom,
                Profession::RehabilitationInstructor,
            ]
        );
    }

    #[test]
    fn a_physician_is_not_a_personal_guide_r_team() {
        assert!(!Profession::Physician.is_mandatory_professional());
    }

    #[test]
    fn social_care_titles_cannot_be_service_manager_r_team() {
        for p in [
            Profession::SocialWorker,
            Profession::Socionom,
            Profession::RehabilitationInstructor,
            Profession::NutritionAdvisor,
            Profession::PracticalNurse,
            Profession::ExerciseInstructor,
            Profession::Other,
        ] {
            assert!(!p.is_licensed_health_professional(), "{p}");
        }
    }

    #[test]
    fn licensed_health_professionals_can_be_service_manager_r_team() {
        for p in [
            Profession::Physician,
            Profession::RegisteredNurse,
            Profession::PublicHealthNurse,
            Profession::Physiotherapist,
            Profession::OccupationalTherapist,
            Profession::Nutritionist,
            Profession::Psychologist,
        ] {
            assert!(p.is_licensed_health_professional(), "{p}");
        }
    }

    #[test]
    fn titles_are_given_in_finnish_swedish_and_english_r_lang() {
        assert_eq!(
            Profession::RegisteredNurse.labels(),
            ("sairaanhoitaja", "sjukskötare", "registered nurse")
        );
        assert_eq!(Profession::OccupationalTherapist.labels().1, "ergoterapeut");
        for p in Profession::ALL {
            let (fi, sv, en) = p.labels();
            assert!(!fi.is_empty() && !sv.is_empty() && !en.is_empty(), "{p}");
        }
    }
}
