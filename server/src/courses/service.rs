//! Course rules and database work: creating and scheduling courses, their state machine, and the
//! views of where each course stands (R-GROUP-START, R-TEAM, R-REMOTE-12W).

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, JoinType,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationDef, Set, TransactionSession,
    TransactionTrait,
};
use uuid::Uuid;

use crate::accounts::model::Role;
use crate::auth::extract::AuthUser;
use crate::courses::model::{
    CourseDetail, CourseState, CourseSummary, CourseWarning, CreateCourse, MyCourse, PersonRef,
    SiteRef, TargetGroup, TeamContact, TransitionRequest, TransitionView, UpdateCourse,
};
use crate::courses::schedule::{Schedule, ScheduleError, helsinki_today};
use crate::enrolment::group_size::{StartRefused, StartRule, check_can_start};
use crate::enrolment::service as enrolment_service;
use crate::entity::{course, course_transition, enrolment, site, team_member, user};
use crate::error::{AppError, AppResult};
use crate::team::profession::Profession;
use crate::team::service as team_service;

/// The course's calendar; a stored course always has a valid one, since every write checks it.
pub fn schedule_of(c: &course::Model) -> AppResult<Schedule> {
    Schedule::new(c.onsite1_start, c.follow_up_end).map_err(|e| {
        AppError::Internal(anyhow::anyhow!(
            "course {} has a broken schedule: {e}",
            c.uuid
        ))
    })
}

fn schedule_field(start: NaiveDate, follow_up_end: Option<NaiveDate>) -> AppResult<Schedule> {
    Schedule::new(start, follow_up_end).map_err(|e| {
        let field = match e {
            ScheduleError::FollowUpBeforeOnsite2 { .. } => "follow_up_end",
            ScheduleError::NotMonday { .. } | ScheduleError::OutOfRange => "onsite1_start",
        };
        AppError::field(field, "invalid", e.to_string())
    })
}

fn parse_title(raw: &str) -> AppResult<String> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(AppError::field(
            "title",
            "required",
            "the course needs a title",
        ));
    }
    if t.chars().count() > 200 {
        return Err(AppError::field(
            "title",
            "too_long",
            "the title can have at most 200 characters",
        ));
    }
    Ok(t.to_owned())
}

async fn site_of_provider<C: ConnectionTrait>(
    db: &C,
    provider_id: i32,
    id: Uuid,
) -> AppResult<site::Model> {
    site::Entity::find()
        .filter(site::Column::Uuid.eq(id))
        .filter(site::Column::ProviderId.eq(provider_id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("site_id", "unknown", "no such site at your organisation"))
}

pub async fn participant_count<C: ConnectionTrait>(db: &C, course_id: i32) -> AppResult<usize> {
    Ok(enrolment::Entity::find()
        .filter(enrolment::Column::CourseId.eq(course_id))
        .count(db)
        .await? as usize)
}

pub async fn summary<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
    today: NaiveDate,
) -> AppResult<CourseSummary> {
    let schedule = schedule_of(c)?;
    let phase = schedule.phase_on(today);
    let site = site::Entity::find_by_id(c.site_id).one(db).await?;
    Ok(CourseSummary {
        id: c.uuid,
        title: c.title.clone(),
        language: crate::accounts::model::CourseLanguage::parse(&c.language),
        target_group: TargetGroup::parse(&c.target_group),
        state: CourseState::parse(&c.state),
        site: SiteRef {
            id: site.as_ref().map(|s| s.uuid).unwrap_or_default(),
            name: site.map(|s| s.name).unwrap_or_default(),
        },
        schedule,
        phase: phase.code(),
        remote_week: phase.remote_week(),
        participant_count: participant_count(db, c.id).await?,
        unread_messages: None,
    })
}

pub async fn detail<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
    today: NaiveDate,
) -> AppResult<CourseDetail> {
    let summary = summary(db, c, today).await?;
    let team_check = team_service::check(db, c.id).await?;
    let state = CourseState::parse(&c.state);
    let mut warnings = Vec::new();
    if state.is_open() && !team_check.complete {
        let missing: Vec<&str> = team_check.missing.iter().map(|m| m.code()).collect();
        warnings.push(CourseWarning {
            code: "team_incomplete",
            rule: "R-TEAM",
            message: format!("the team is missing: {}", missing.join(", ")),
        });
    }
    let count = summary.participant_count;
    if matches!(state, CourseState::Planned | CourseState::Confirmed) && count < 6 {
        warnings.push(CourseWarning {
            code: "group_too_small",
            rule: "R-GROUP-START",
            message: format!("{count} participants: a course cannot start with fewer than 6"),
        });
    }
    if state.is_open() {
        for e in enrolment_service::enrolments_of(db, c, today).await? {
            if e.personal_guide.is_none() {
                warnings.push(CourseWarning {
                    code: "personal_guide_missing",
                    rule: "R-TEAM",
                    message: format!("{} has no personal guide yet", e.participant.display_name),
                });
            }
            for w in &e.warnings {
                warnings.push(CourseWarning {
                    code: w.code,
                    rule: w.rule,
                    message: format!(
                        "{}: deadline {} ({})",
                        e.participant.display_name, w.date, w.rule
                    ),
                });
            }
        }
    }
    Ok(CourseDetail {
        summary,
        start_rule: StartRule::for_count(count),
        team_check,
        warnings,
    })
}

/// The courses a staff member may see: all of a provider admin's provider, a guide's teams'
/// (with the guide's unread chat messages per course, counted in one statement for all).
pub async fn list_for_staff<C: ConnectionTrait>(
    db: &C,
    actor: &AuthUser,
    today: NaiveDate,
) -> AppResult<Vec<CourseSummary>> {
    let Some(provider_id) = actor.provider_id else {
        return Ok(Vec::new());
    };
    let mut query = course::Entity::find()
        .filter(course::Column::ProviderId.eq(provider_id))
        .order_by_asc(course::Column::Onsite1Start);
    if actor.role == Role::Guide {
        let mine: Vec<i32> = team_member::Entity::find()
            .filter(team_member::Column::UserId.eq(actor.id))
            .all(db)
            .await?
            .into_iter()
            .map(|t| t.course_id)
            .collect();
        query = query.filter(course::Column::Id.is_in(mine));
    }
    let unread = if actor.role == Role::Guide {
        Some(crate::chat::mail::guide_unread_per_course(db, actor.id).await?)
    } else {
        None
    };
    let mut out = Vec::new();
    for c in query.all(db).await? {
        let mut s = summary(db, &c, today).await?;
        s.unread_messages = unread.as_ref().map(|u| u.get(&c.id).copied().unwrap_or(0));
        out.push(s);
    }
    Ok(out)
}

pub async fn create<C: ConnectionTrait>(
    db: &C,
    provider_id: i32,
    req: CreateCourse,
    now: DateTime<Utc>,
) -> AppResult<course::Model> {
    let title = parse_title(&req.title)?;
    schedule_field(req.onsite1_start, req.follow_up_end)?;
    let site = site_of_provider(db, provider_id, req.site_id).await?;
    Ok(course::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        provider_id: Set(provider_id),
        site_id: Set(site.id),
        title: Set(title),
        language: Set(req.language.as_str().to_owned()),
        target_group: Set(req.target_group.as_str().to_owned()),
        onsite1_start: Set(req.onsite1_start),
        follow_up_end: Set(req.follow_up_end),
        state: Set(CourseState::Planned.as_str().to_owned()),
        confirmed_on: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn update<C: ConnectionTrait>(
    db: &C,
    c: course::Model,
    req: UpdateCourse,
    now: DateTime<Utc>,
) -> AppResult<course::Model> {
    let state = CourseState::parse(&c.state);
    let reschedules = req.onsite1_start.is_some() || req.follow_up_end.is_some();
    if !state.is_open() || (reschedules && state == CourseState::Running) {
        return Err(AppError::conflict(
            "course_locked",
            format!("a {} course cannot be changed like this", state.as_str()),
        ));
    }
    let start = req.onsite1_start.unwrap_or(c.onsite1_start);
    let follow_up_end = req.follow_up_end.or(c.follow_up_end);
    schedule_field(start, follow_up_end)?;
    let mut active = c.clone().into_active_model();
    if let Some(title) = &req.title {
        active.title = Set(parse_title(title)?);
    }
    if let Some(site_id) = req.site_id {
        active.site_id = Set(site_of_provider(db, c.provider_id, site_id).await?.id);
    }
    active.onsite1_start = Set(start);
    active.follow_up_end = Set(follow_up_end);
    active.updated_at = Set(now);
    Ok(active.update(db).await?)
}

/// Moves a course along its state machine, checking the rules that guard each step, and records it.
pub async fn transition<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &AuthUser,
    c: course::Model,
    req: TransitionRequest,
    now: DateTime<Utc>,
) -> AppResult<course::Model> {
    let from = CourseState::parse(&c.state);
    let to = req.to;
    let reason = req
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    if reason.as_ref().is_some_and(|r| r.chars().count() > 2000) {
        return Err(AppError::field(
            "reason",
            "too_long",
            "the reason can have at most 2000 characters",
        ));
    }
    if !from.can_become(to) {
        return Err(AppError::conflict(
            "invalid_transition",
            format!("a {} course cannot become {}", from.as_str(), to.as_str()),
        ));
    }
    let today = helsinki_today(now);
    let txn = db.begin().await?;
    match to {
        CourseState::Running => {
            let team = team_service::check(&txn, c.id).await?;
            if !team.complete {
                let missing: Vec<&str> = team.missing.iter().map(|m| m.code()).collect();
                return Err(AppError::conflict(
                    "team_incomplete",
                    format!(
                        "the team is not complete (R-TEAM); missing: {}",
                        missing.join(", ")
                    ),
                ));
            }
            let count = participant_count(&txn, c.id).await?;
            check_can_start(count, reason.as_deref()).map_err(|e| match e {
                StartRefused::TooFew { .. } => {
                    AppError::conflict("group_too_small", format!("{e} (R-GROUP-START)"))
                }
                StartRefused::SixNeedsConfirmation => AppError::conflict(
                    "six_needs_confirmation",
                    format!("{e} (R-GROUP-START): give a reason to start with 6 participants"),
                ),
            })?;
        }
        CourseState::Finished => {
            let schedule = schedule_of(&c)?;
            if today < schedule.onsite2_end {
                return Err(AppError::conflict(
                    "too_early",
                    format!(
                        "the course can be finished once on-site period 2 has ended on {}",
                        schedule.onsite2_end
                    ),
                ));
            }
        }
        CourseState::Cancelled if reason.is_none() => {
            return Err(AppError::field(
                "reason",
                "required",
                "say why the course is cancelled",
            ));
        }
        _ => {}
    }
    let course_id = c.id;
    let mut active = c.into_active_model();
    active.state = Set(to.as_str().to_owned());
    if to == CourseState::Confirmed {
        active.confirmed_on = Set(Some(today));
    }
    active.updated_at = Set(now);
    let updated = active.update(&txn).await?;
    course_transition::ActiveModel {
        course_id: Set(course_id),
        from_state: Set(from.as_str().to_owned()),
        to_state: Set(to.as_str().to_owned()),
        reason: Set(reason),
        actor_user_id: Set(actor.id),
        at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    tracing::info!(course = %updated.uuid, from = from.as_str(), to = to.as_str(), actor = %actor.uuid, "course state changed");
    Ok(updated)
}

pub async fn history<C: ConnectionTrait>(
    db: &C,
    c: &course::Model,
) -> AppResult<Vec<TransitionView>> {
    let rows = course_transition::Entity::find()
        .filter(course_transition::Column::CourseId.eq(c.id))
        .order_by_asc(course_transition::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let actor = user::Entity::find_by_id(r.actor_user_id).one(db).await?;
        out.push(TransitionView {
            from: CourseState::parse(&r.from_state),
            to: CourseState::parse(&r.to_state),
            reason: r.reason,
            actor: PersonRef {
                display_name: actor.map(|a| a.display_name).unwrap_or_default(),
            },
            at: r.at,
        });
    }
    Ok(out)
}

fn contact(u: &user::Model) -> TeamContact {
    TeamContact {
        display_name: u.display_name.clone(),
        profession: u
            .profession
            .as_deref()
            .and_then(|p| Profession::parse(p).ok()),
    }
}

/// The participant's current course: the newest enrolment on a course that is not cancelled.
/// One statement: every participant request starts here.
pub async fn my_course_row<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
) -> AppResult<course::Model> {
    let enrolment_to_course: RelationDef = enrolment::Entity::belongs_to(course::Entity)
        .from(enrolment::Column::CourseId)
        .to(course::Column::Id)
        .into();
    course::Entity::find()
        .join_rev(JoinType::InnerJoin, enrolment_to_course)
        .filter(enrolment::Column::ParticipantId.eq(participant_id))
        .filter(course::Column::State.ne(CourseState::Cancelled.as_str()))
        .order_by_desc(enrolment::Column::Id)
        .one(db)
        .await?
        .ok_or(AppError::NotFoundCode("no_course"))
}

pub async fn my_course<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    today: NaiveDate,
) -> AppResult<MyCourse> {
    let c = my_course_row(db, participant_id).await?;
    let e = enrolment::Entity::find()
        .filter(enrolment::Column::ParticipantId.eq(participant_id))
        .filter(enrolment::Column::CourseId.eq(c.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFoundCode("no_course"))?;
    let personal_guide = match e.personal_guide_id {
        Some(id) => user::Entity::find_by_id(id)
            .one(db)
            .await?
            .as_ref()
            .map(contact),
        None => None,
    };
    let team = team_service::members(db, c.id)
        .await?
        .iter()
        .map(|(u, _)| contact(u))
        .collect();
    Ok(MyCourse {
        course: summary(db, &c, today).await?,
        personal_guide,
        team,
    })
}
