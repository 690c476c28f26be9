//! The demo dataset: a provider with a site, a complete team, a Finnish course in week 5 of its
//! remote period with 8 participants, and a Swedish course about to start; once the program is
//! in, the Finnish participants' first five weeks of use ([`journey`]). Loaded once: a second
//! `serve --demo` finds the provider and leaves everything as it is. Names are made up.

pub mod journey;

use chrono::{DateTime, Days, Months, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};
use uuid::Uuid;

use crate::accounts::model::{AccountStatus, CourseLanguage, DisplayName, Email, Language, Role};
use crate::accounts::service::{NewUser, create_user};
use crate::auth::links::{self, Purpose};
use crate::courses::model::{CourseState, TargetGroup};
use crate::courses::schedule::{helsinki_today, monday_of};
use crate::entity::{course, course_transition, enrolment, team_member, user};
use crate::providers::service as providers;
use crate::state::AppState;
use crate::team::profession::Profession;

pub const PROVIDER: &str = "Demokuntoutus Oy";
pub const PARTICIPANT: &str = "aino.virtanen@demo.example";
pub const PARTICIPANT_SV: &str = "ebba.lindqvist@demo.example";
pub const GUIDE: &str = "sari.salo@demo.example";
pub const ADMIN: &str = "helena.lahti@demo.example";

/// (email, name, profession, role, service manager)
const STAFF: &[(&str, &str, Profession, Role, bool)] = &[
    (
        ADMIN,
        "Helena Lahti",
        Profession::RegisteredNurse,
        Role::ProviderAdmin,
        true,
    ),
    (
        GUIDE,
        "Sari Salo",
        Profession::RegisteredNurse,
        Role::Guide,
        false,
    ),
    (
        "petri.niemi@demo.example",
        "Petri Niemi",
        Profession::Physiotherapist,
        Role::Guide,
        false,
    ),
    (
        "maria.koski@demo.example",
        "Maria Koski",
        Profession::Socionom,
        Role::Guide,
        false,
    ),
    (
        "juha.laine@demo.example",
        "Juha Laine",
        Profession::Physician,
        Role::Guide,
        false,
    ),
    (
        "leena.aho@demo.example",
        "Leena Aho",
        Profession::Psychologist,
        Role::Guide,
        false,
    ),
    (
        "tiina.moilanen@demo.example",
        "Tiina Moilanen",
        Profession::OccupationalTherapist,
        Role::Guide,
        false,
    ),
];

/// (email, name, language); the first eight are on the Finnish course.
const PARTICIPANTS_FI: &[(&str, &str)] = &[
    (PARTICIPANT, "Aino Virtanen"),
    ("eero.makinen@demo.example", "Eero Mäkinen"),
    ("liisa.korhonen@demo.example", "Liisa Korhonen"),
    ("pekka.nieminen@demo.example", "Pekka Nieminen"),
    ("marjatta.hamalainen@demo.example", "Marjatta Hämäläinen"),
    ("raimo.lehtonen@demo.example", "Raimo Lehtonen"),
    ("sirkka.heikkinen@demo.example", "Sirkka Heikkinen"),
    ("kaarina.ojala@demo.example", "Kaarina Ojala"),
];
const PARTICIPANTS_SV: &[(&str, &str)] = &[
    (PARTICIPANT_SV, "Ebba Lindqvist"),
    ("bo.holmberg@demo.example", "Bo Holmberg"),
    ("gunilla.sjoberg@demo.example", "Gunilla Sjöberg"),
    ("rolf.nyman@demo.example", "Rolf Nyman"),
    ("margareta.ek@demo.example", "Margareta Ek"),
    ("stig.lind@demo.example", "Stig Lind"),
    ("britt.wikstrom@demo.example", "Britt Wikström"),
];

/// Loads the demo data unless it is already there.
pub async fn load(db: &DatabaseConnection, now: DateTime<Utc>) -> anyhow::Result<()> {
    if providers::find_by_name(db, PROVIDER).await?.is_some() {
        tracing::info!("demo data already loaded");
        return Ok(());
    }
    let txn = db.begin().await?;
    let provider = providers::create_provider(
        &txn,
        providers::CreateProvider {
            name: PROVIDER.into(),
        },
        now,
    )
    .await?;
    let site = providers::create_site(
        &txn,
        provider.id,
        providers::CreateSite {
            name: "Demokuntoutus, Tampere".into(),
            municipality: "Tampere".into(),
        },
        now,
    )
    .await?;

    let new_user = |email: &str,
                    name: &str,
                    role: Role,
                    profession: Option<Profession>,
                    language: Language|
     -> anyhow::Result<NewUser> {
        Ok(NewUser {
            provider_id: Some(provider.id),
            email: Email::parse(email).map_err(anyhow::Error::msg)?,
            display_name: DisplayName::parse(name).map_err(anyhow::Error::msg)?,
            role,
            profession,
            language,
            status: AccountStatus::Active,
            password_hash: None,
        })
    };
    let mut staff = Vec::new();
    for (email, name, profession, role, manager) in STAFF {
        let u = create_user(
            &txn,
            new_user(email, name, *role, Some(*profession), Language::Fi)?,
            now,
        )
        .await?;
        staff.push((u, *manager));
    }
    // Personal guides come from the mandatory professions (R-TEAM): nurse, physiotherapist, socionom.
    let personal_guides: Vec<i32> = staff[1..4].iter().map(|(u, _)| u.id).collect();

    let today = helsinki_today(now);
    // Week 5 of the remote period: remote week 1 starts 7 days after on-site period 1's Monday.
    let fi_start = monday_of(today) - Days::new(7 * 5);
    let sv_start = monday_of(today) + Days::new(7 * 4);
    let admin_id = staff[0].0.id;

    let courses = [
        (
            "Omaishoitajien kuntoutuskurssi, Tampere",
            CourseLanguage::Fi,
            fi_start,
            PARTICIPANTS_FI,
            Language::Fi,
            CourseState::Running,
        ),
        (
            "Rehabiliteringskurs för närståendevårdare",
            CourseLanguage::Sv,
            sv_start,
            PARTICIPANTS_SV,
            Language::Sv,
            CourseState::Confirmed,
        ),
    ];
    for (title, language, start, people, person_language, state) in courses {
        let c = course::ActiveModel {
            uuid: Set(Uuid::new_v4()),
            provider_id: Set(provider.id),
            site_id: Set(site.id),
            title: Set(title.to_owned()),
            language: Set(language.as_str().to_owned()),
            target_group: Set(TargetGroup::Adult.as_str().to_owned()),
            onsite1_start: Set(start),
            follow_up_end: Set(None),
            state: Set(state.as_str().to_owned()),
            confirmed_on: Set(Some(start - Days::new(60))),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for (u, manager) in &staff {
            team_member::ActiveModel {
                course_id: Set(c.id),
                user_id: Set(u.id),
                service_manager: Set(*manager),
                added_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        let mut path = vec![CourseState::Planned, CourseState::Confirmed];
        if state == CourseState::Running {
            path.push(CourseState::Running);
        }
        for pair in path.windows(2) {
            course_transition::ActiveModel {
                course_id: Set(c.id),
                from_state: Set(pair[0].as_str().to_owned()),
                to_state: Set(pair[1].as_str().to_owned()),
                reason: Set(None),
                actor_user_id: Set(admin_id),
                at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        // Decisions about four months before the start keep every deadline (R-CONFIRM-6M, R-WINDOW-20M).
        let decision = start.checked_sub_months(Months::new(4)).unwrap_or(start);
        for (i, (email, name)) in people.iter().enumerate() {
            let p = create_user(
                &txn,
                new_user(email, name, Role::Participant, None, person_language)?,
                now,
            )
            .await?;
            enrolment::ActiveModel {
                course_id: Set(c.id),
                participant_id: Set(p.id),
                decision_date: Set(decision + Days::new(i as u64)),
                personal_guide_id: Set(Some(personal_guides[i % personal_guides.len()])),
                enrolled_on: Set(decision + Days::new(i as u64 + 7)),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    tracing::info!("demo data loaded");
    Ok(())
}

/// The demo program shipped in the source tree (content/programs/demo).
pub fn program_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content/programs/demo")
}

/// Imports the demo program (a no-op after the first time), gives it to the demo courses that
/// have none yet, opening one module a week, and loads the participants' journey once.
pub async fn load_program(state: &AppState) -> anyhow::Result<()> {
    let dir = program_dir();
    if !dir.join("program.toml").is_file() {
        tracing::warn!(path = %dir.display(), "no demo program found; the demo courses have no content");
        return Ok(());
    }
    let Some(provider) = providers::find_by_name(&state.db, PROVIDER).await? else {
        return Ok(());
    };
    let outcome = crate::content::import::import(
        &state.db,
        state.blobs.clone(),
        crate::content::import::ImportRequest {
            provider_id: provider.id,
            actor_id: None,
            source: &dir,
            source_name: "demo",
            staging_root: &state.config.storage.data_dir.join("staging"),
            now: state.now(),
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("importing the demo program: {e}"))?;
    let version = crate::entity::program_version::Entity::find()
        .filter(crate::entity::program_version::Column::Uuid.eq(outcome.version_id))
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo program version vanished"))?;
    let courses = course::Entity::find()
        .filter(course::Column::ProviderId.eq(provider.id))
        .filter(course::Column::ProgramVersionId.is_null())
        .all(&state.db)
        .await?;
    for c in courses {
        let mut active: course::ActiveModel = c.into();
        active.program_version_id = Set(Some(version.id));
        active.release_mode = Set("weekly".to_owned());
        active.update(&state.db).await?;
    }
    journey::load(state).await?;
    // The scheduler's first pass may have run before the courses had their program and journey;
    // evaluate the alerts again now, so the demo shows them at once (not in ten minutes).
    crate::alerts::service::evaluate(&state.db, state.config.inactive_days, state.now()).await?;
    Ok(())
}

/// Fresh single-use sign-in links for the demo's participant, Swedish participant, guide and admin.
pub async fn sign_in_links(
    state: &AppState,
) -> anyhow::Result<Vec<(&'static str, &'static str, String)>> {
    let mut out = Vec::new();
    for (role, email) in [
        ("participant", PARTICIPANT),
        ("participant (sv)", PARTICIPANT_SV),
        ("guide", GUIDE),
        ("provider admin", ADMIN),
    ] {
        let Some(u) = user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(&state.db)
            .await?
        else {
            continue;
        };
        let token = links::issue(&state.db, u.id, Purpose::SignIn, state.now()).await?;
        out.push((role, email, state.link(Purpose::SignIn.path(), &token)));
    }
    Ok(out)
}
