//! Contacts in the database: booking, moving, confirming, asking for another time, and closing
//! (done, cancelled, no-show). A done interim or follow-up contact credits the guidance ledger
//! in the same transaction, exactly once: the status changes only from an open one, and the
//! ledger allows one entry per contact (unique index).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rand::RngCore;
use rand::rngs::OsRng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::accounts::model::Language;
use crate::config::VideoUrlTemplate;
use crate::contacts::ics::{Invitation, write};
use crate::contacts::model::*;
use crate::contacts::words;
use crate::entity::{contact, course, enrolment, guidance_entry, user};
use crate::error::{AppError, AppResult, FieldError};
use crate::guidance::model::{EntryInput, Person, Source};
use crate::guidance::service::{Recording, create_entry, team_professional};

/// A room name nobody can guess: 128 random bits from the OS, hex encoded.
pub fn new_room() -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    format!("ep-{}", hex::encode(bytes))
}

/// How the participant joins, and the video address when there is one.
pub fn join_of(
    method: Method,
    room: &str,
    template: Option<&VideoUrlTemplate>,
) -> (JoinBy, Option<String>) {
    match (method, template) {
        (Method::Phone, _) => (JoinBy::GuideCalls, None),
        (Method::Video, Some(t)) => (JoinBy::VideoLink, Some(t.link(room))),
        (Method::Video, None) => (JoinBy::LinkFromGuide, None),
    }
}

fn kind_of(c: &contact::Model) -> ContactKind {
    ContactKind::parse(&c.kind).unwrap_or(ContactKind::Interim)
}

fn method_of(c: &contact::Model) -> Method {
    Method::parse(&c.method).unwrap_or(Method::Phone)
}

fn status_of(c: &contact::Model) -> Status {
    Status::parse(&c.status).unwrap_or(Status::Planned)
}

fn closed(c: &contact::Model) -> AppError {
    AppError::conflict(
        "contact_closed",
        format!(
            "the contact is already {}; book a new one if needed",
            c.status
        ),
    )
}

/// Books a contact for `participant` (enrolled on `course`; the caller checked).
pub async fn create(
    db: &DatabaseConnection,
    course: &course::Model,
    participant: &user::Model,
    actor_id: i32,
    input: ContactInput,
    now: DateTime<Utc>,
) -> AppResult<contact::Model> {
    let professional =
        team_professional(db, course, actor_id, input.professional, "professional_id").await?;
    Ok(contact::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        course_id: Set(course.id),
        participant_id: Set(participant.id),
        kind: Set(input.kind.as_str().to_owned()),
        method: Set(input.method.as_str().to_owned()),
        professional_id: Set(professional.id),
        planned_at: Set(input.planned_at),
        planned_minutes: Set(input.planned_minutes),
        status: Set(Status::Planned.as_str().to_owned()),
        participant_message: Set(None),
        done_minutes: Set(None),
        note: Set(None),
        room: Set(new_room()),
        sequence: Set(0),
        created_by: Set(actor_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// A contact of this course by id; anything else is a 404.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    course: &course::Model,
    id: Uuid,
) -> AppResult<contact::Model> {
    contact::Entity::find()
        .filter(contact::Column::Uuid.eq(id))
        .filter(contact::Column::CourseId.eq(course.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The participant's own contact on her course by id; anyone else's is a 404.
pub async fn find_mine<C: ConnectionTrait>(
    db: &C,
    course: &course::Model,
    participant_id: i32,
    id: Uuid,
) -> AppResult<contact::Model> {
    let c = find(db, course, id).await?;
    if c.participant_id == participant_id {
        Ok(c)
    } else {
        Err(AppError::NotFound)
    }
}

/// Writes `updated` if the contact is still in one of `from` (as read); 409 otherwise, so two
/// requests cannot both close one contact.
async fn transition<C: ConnectionTrait>(
    db: &C,
    updated: contact::Model,
    from: &[Status],
    read: &contact::Model,
) -> AppResult<contact::Model> {
    // Every column is written (`reset_all`), the key excepted.
    let mut row = contact::ActiveModel::from(updated.clone()).reset_all();
    row.id = NotSet;
    row.sequence = Set(read.sequence + 1);
    let res = contact::Entity::update_many()
        .set(row)
        .filter(contact::Column::Id.eq(read.id))
        .filter(contact::Column::Status.is_in(from.iter().map(|s| s.as_str())))
        .filter(contact::Column::Sequence.eq(read.sequence))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        let now = contact::Entity::find_by_id(read.id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        return Err(if status_of(&now).is_open() {
            AppError::conflict(
                "contact_changed",
                "the contact was changed at the same time; reload it and try again",
            )
        } else {
            closed(&now)
        });
    }
    Ok(contact::Model {
        sequence: read.sequence + 1,
        ..updated
    })
}

/// Moves the contact or changes its method, length or professional; a new time or method makes
/// it planned again (to be confirmed).
pub async fn change(
    db: &DatabaseConnection,
    course: &course::Model,
    c: contact::Model,
    actor_id: i32,
    input: ChangeInput,
    now: DateTime<Utc>,
) -> AppResult<contact::Model> {
    if !status_of(&c).is_open() {
        return Err(closed(&c));
    }
    let professional_id = match input.professional {
        Some(id) => {
            team_professional(db, course, actor_id, Some(id), "professional_id")
                .await?
                .id
        }
        None => c.professional_id,
    };
    let planned_at = input.planned_at.unwrap_or(c.planned_at);
    let method = input
        .method
        .map(|m| m.as_str().to_owned())
        .unwrap_or(c.method.clone());
    // A new time or method asks the participant to confirm again; a new length or professional
    // keeps her answer.
    let replanned = planned_at != c.planned_at || method != c.method;
    let updated = contact::Model {
        planned_at,
        method,
        planned_minutes: input.planned_minutes.unwrap_or(c.planned_minutes),
        professional_id,
        status: if replanned {
            Status::Planned.as_str().to_owned()
        } else {
            c.status.clone()
        },
        participant_message: if replanned {
            None
        } else {
            c.participant_message.clone()
        },
        updated_at: now,
        ..c.clone()
    };
    transition(db, updated, &Status::OPEN, &c).await
}

/// Records the contact as held. An interim or follow-up contact credits its minutes to the
/// participant in the ledger (its method's kind, its professional), in the same transaction.
pub async fn mark_done(
    db: &DatabaseConnection,
    course: &course::Model,
    c: contact::Model,
    actor_id: i32,
    input: DoneInput,
    now: DateTime<Utc>,
) -> AppResult<(contact::Model, Option<guidance_entry::Model>)> {
    if !status_of(&c).is_open() {
        return Err(closed(&c));
    }
    let started_at = input.started_at.unwrap_or(c.planned_at);
    if started_at > now {
        return Err(AppError::Validation(vec![FieldError::new(
            "started_at",
            "in_future",
            "the planned time is still ahead: give the time the contact started",
        )]));
    }
    let txn = db.begin().await?;
    let updated = contact::Model {
        status: Status::Done.as_str().to_owned(),
        done_minutes: Some(input.minutes.get()),
        note: Some(input.note.clone()),
        updated_at: now,
        ..c.clone()
    };
    let updated = transition(&txn, updated, &Status::OPEN, &c).await?;
    let entry = if kind_of(&c).credits_guidance() {
        let people = user::Entity::find()
            .filter(user::Column::Id.is_in([c.participant_id, c.professional_id]))
            .all(&txn)
            .await?;
        let uuid_of = |id: i32| people.iter().find(|u| u.id == id).map(|u| u.uuid);
        let participant = uuid_of(c.participant_id).ok_or(AppError::NotFound)?;
        let (entry, _) = create_entry(
            &txn,
            course,
            Recording {
                actor_id,
                source: Source::Contact,
                contact_id: Some(c.id),
            },
            EntryInput {
                professional: uuid_of(c.professional_id),
                kind: method_of(&c).guidance_kind(),
                started_at,
                minutes: input.minutes,
                participants: vec![participant],
                note: input.note,
            },
            now,
        )
        .await?;
        Some(entry)
    } else {
        None
    };
    txn.commit().await?;
    Ok((updated, entry))
}

/// Closes an open contact that was not held.
pub async fn close(
    db: &DatabaseConnection,
    c: contact::Model,
    status: Status,
    note: String,
    now: DateTime<Utc>,
) -> AppResult<contact::Model> {
    if !status_of(&c).is_open() {
        return Err(closed(&c));
    }
    let updated = contact::Model {
        status: status.as_str().to_owned(),
        note: Some(note),
        updated_at: now,
        ..c.clone()
    };
    transition(db, updated, &Status::OPEN, &c).await
}

/// The participant confirms the time (again, after asking for another, if she changes her mind).
pub async fn confirm(
    db: &DatabaseConnection,
    c: contact::Model,
    now: DateTime<Utc>,
) -> AppResult<contact::Model> {
    match status_of(&c) {
        Status::Confirmed => Ok(c),
        s if s.is_open() => {
            let updated = contact::Model {
                status: Status::Confirmed.as_str().to_owned(),
                participant_message: None,
                updated_at: now,
                ..c.clone()
            };
            transition(db, updated, &Status::OPEN, &c).await
        }
        _ => Err(closed(&c)),
    }
}

/// The participant asks for another time, with a message for the guide.
pub async fn request_reschedule(
    db: &DatabaseConnection,
    c: contact::Model,
    message: String,
    now: DateTime<Utc>,
) -> AppResult<contact::Model> {
    if !status_of(&c).is_open() {
        return Err(closed(&c));
    }
    let updated = contact::Model {
        status: Status::RescheduleRequested.as_str().to_owned(),
        participant_message: Some(message),
        updated_at: now,
        ..c.clone()
    };
    transition(db, updated, &Status::OPEN, &c).await
}

/// One participant's contacts on the course, by planned time.
pub async fn for_participant<C: ConnectionTrait>(
    db: &C,
    course: &course::Model,
    participant_id: i32,
    open_only: bool,
) -> AppResult<Vec<contact::Model>> {
    let mut q = contact::Entity::find()
        .filter(contact::Column::CourseId.eq(course.id))
        .filter(contact::Column::ParticipantId.eq(participant_id));
    if open_only {
        q = q.filter(contact::Column::Status.is_in(Status::OPEN.iter().map(|s| s.as_str())));
    }
    Ok(q.order_by_asc(contact::Column::PlannedAt)
        .order_by_asc(contact::Column::Id)
        .all(db)
        .await?)
}

/// Every contact of the course, by planned time (one query; names come with [`views`]).
pub async fn for_course<C: ConnectionTrait>(
    db: &C,
    course: &course::Model,
) -> AppResult<Vec<contact::Model>> {
    Ok(contact::Entity::find()
        .filter(contact::Column::CourseId.eq(course.id))
        .order_by_asc(contact::Column::PlannedAt)
        .order_by_asc(contact::Column::Id)
        .all(db)
        .await?)
}

async fn people<C: ConnectionTrait>(
    db: &C,
    contacts: &[contact::Model],
) -> AppResult<HashMap<i32, user::Model>> {
    Ok(user::Entity::find()
        .filter(
            user::Column::Id.is_in(
                contacts
                    .iter()
                    .flat_map(|c| [c.participant_id, c.professional_id]),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect())
}

/// Staff views, with names and credited ledger entries, from two queries.
pub async fn views<C: ConnectionTrait>(
    db: &C,
    contacts: Vec<contact::Model>,
    template: Option<&VideoUrlTemplate>,
) -> AppResult<Vec<ContactView>> {
    let people = people(db, &contacts).await?;
    let entries: HashMap<i32, Uuid> = guidance_entry::Entity::find()
        .filter(guidance_entry::Column::ContactId.is_in(contacts.iter().map(|c| c.id)))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|e| e.contact_id.map(|c| (c, e.uuid)))
        .collect();
    Ok(contacts
        .into_iter()
        .map(|c| {
            let (join_by, video_url) = join_of(method_of(&c), &c.room, template);
            ContactView {
                id: c.uuid,
                participant: Person::of(people.get(&c.participant_id)),
                kind: kind_of(&c),
                method: method_of(&c),
                professional: Person::of(people.get(&c.professional_id)),
                planned_at: c.planned_at,
                planned_minutes: c.planned_minutes,
                status: status_of(&c),
                participant_message: c.participant_message.clone(),
                done_minutes: c.done_minutes,
                note: c.note.clone(),
                video_url,
                join_by,
                guidance_entry_id: entries.get(&c.id).copied(),
                created_at: c.created_at,
                updated_at: c.updated_at,
            }
        })
        .collect())
}

pub async fn view<C: ConnectionTrait>(
    db: &C,
    c: contact::Model,
    template: Option<&VideoUrlTemplate>,
) -> AppResult<ContactView> {
    views(db, vec![c], template)
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a contact without a view")))
}

/// The participant's views: no notes.
pub async fn my_views<C: ConnectionTrait>(
    db: &C,
    contacts: Vec<contact::Model>,
    template: Option<&VideoUrlTemplate>,
) -> AppResult<Vec<MyContact>> {
    let people = people(db, &contacts).await?;
    Ok(contacts
        .into_iter()
        .map(|c| {
            let professional = Person::of(people.get(&c.professional_id));
            my_view(c, professional, template)
        })
        .collect())
}

/// One contact as the participant sees it, its professional already read.
pub fn my_view(
    c: contact::Model,
    professional: Person,
    template: Option<&VideoUrlTemplate>,
) -> MyContact {
    let (join_by, video_url) = join_of(method_of(&c), &c.room, template);
    MyContact {
        id: c.uuid,
        kind: kind_of(&c),
        method: method_of(&c),
        professional,
        planned_at: c.planned_at,
        planned_minutes: c.planned_minutes,
        status: status_of(&c),
        participant_message: c.participant_message.clone(),
        video_url,
        join_by,
        invitation_url: format!("/api/v1/me/contacts/{}/invitation.ics", c.uuid),
    }
}

/// The `.ics` invitation, in the participant's language.
pub async fn invitation<C: ConnectionTrait>(
    db: &C,
    c: &contact::Model,
    template: Option<&VideoUrlTemplate>,
    now: DateTime<Utc>,
) -> AppResult<String> {
    let people = people(db, std::slice::from_ref(c)).await?;
    let lang = people
        .get(&c.participant_id)
        .map(|u| Language::parse(&u.language))
        .unwrap_or(Language::Fi);
    let guide = Person::of(people.get(&c.professional_id)).display_name;
    let method = method_of(c);
    let (join_by, url) = join_of(method, &c.room, template);
    let description = words::how_to_join(lang, join_by, &guide, url.as_deref());
    Ok(write(&Invitation {
        uid: format!("{}@etapolku", c.uuid),
        sequence: c.sequence,
        stamp: now,
        start: c.planned_at,
        minutes: c.planned_minutes,
        summary: words::summary(lang, method),
        description: &description,
        url: url.as_deref(),
        cancelled: matches!(status_of(c), Status::Cancelled),
    }))
}

/// Open contacts (planned or confirmed) starting in `[from, to)` of participants still enrolled
/// on the contact's course, for the reminder job: someone taken off a course gets no reminders.
pub async fn starting_between<C: ConnectionTrait>(
    db: &C,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<contact::Model>> {
    let due = contact::Entity::find()
        .filter(contact::Column::PlannedAt.gte(from))
        .filter(contact::Column::PlannedAt.lt(to))
        .filter(
            contact::Column::Status.is_in([Status::Planned.as_str(), Status::Confirmed.as_str()]),
        )
        .order_by_asc(contact::Column::Id)
        .all(db)
        .await?;
    if due.is_empty() {
        return Ok(due);
    }
    let enrolled: Vec<(i32, i32)> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::CourseId)
        .column(enrolment::Column::ParticipantId)
        .filter(enrolment::Column::ParticipantId.is_in(due.iter().map(|c| c.participant_id)))
        .into_tuple()
        .all(db)
        .await?;
    Ok(due
        .into_iter()
        .filter(|c| enrolled.contains(&(c.course_id, c.participant_id)))
        .collect())
}

/// The participants of a set of contacts, each once.
pub async fn participants_in<C: ConnectionTrait>(
    db: &C,
    contacts: &[contact::Model],
) -> AppResult<Vec<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(contacts.iter().map(|c| c.participant_id)))
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?)
}

/// The names in a set of contacts, for the reminder job.
pub async fn people_of<C: ConnectionTrait>(
    db: &C,
    contacts: &[contact::Model],
) -> AppResult<HashMap<i32, user::Model>> {
    people(db, contacts).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rooms_have_128_random_bits_and_differ() {
        let a = new_room();
        let b = new_room();
        assert_eq!(a.len(), 3 + 32);
        assert!(a.starts_with("ep-"));
        assert!(a[3..].chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn phone_stays_phone_and_video_without_a_service_is_a_link_from_the_guide() {
        let t: VideoUrlTemplate = "https://meet.example.fi/{room}".parse().expect("valid");
        assert_eq!(
            join_of(Method::Phone, "ep-1", Some(&t)),
            (JoinBy::GuideCalls, None)
        );
        assert_eq!(
            join_of(Method::Video, "ep-1", Some(&t)),
            (
                JoinBy::VideoLink,
                Some("https://meet.example.fi/ep-1".to_owned())
            )
        );
        assert_eq!(
            join_of(Method::Video, "ep-1", None),
            (JoinBy::LinkFromGuide, None)
        );
    }
}
