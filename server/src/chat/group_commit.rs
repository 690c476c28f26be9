//! Group commit of sends. Every socket hands its send to one writer task per instance; the writer
//! takes all sends waiting at that moment (up to [`MAX_GROUP`]) and stores them in one
//! transaction with a fixed number of statements, whatever the group's size: the rooms locked and
//! read, membership (S13), earlier copies (promise 2), mutes, one bump of the rooms' `last_seq`
//! and one insert. A socket's ack still waits for the commit (promise 1).
//!
//! Under load the groups grow by themselves: while one commits, the next gathers. Alone, a send
//! is a group of one. If a group fails as a whole (a concurrent resend of the same message on
//! another instance, a deadlock, a lost connection), it is rolled back and each send is stored on
//! its own by [`store::send`], which sorts out which of them really fail.

use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;

use chrono::{DateTime, Utc};
use futures_util::FutureExt;
use sea_orm::sea_query::{CaseStatement, Expr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, TransactionTrait,
};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use crate::accounts::model::Role;
use crate::chat::model::{Body, ChatUser};
use crate::chat::rooms::membership_from;
use crate::chat::store::{self, ChatError, Sent};
use crate::entity::{chat_message, chat_mute, chat_room, enrolment, team_member};
use crate::error::{AppError, AppResult};

/// Most sends in one transaction. Each adds three terms to the duplicate lookup; SQLite's
/// expression depth limit (1,000) bounds that statement.
pub const MAX_GROUP: usize = 200;
/// Sends waiting for the writer. A socket waits for its own send's answer, so there is at most
/// one per socket; past this, sockets wait to hand theirs over.
const QUEUE: usize = 8192;

/// One message to store.
#[derive(Debug, Clone)]
pub struct SendRequest {
    pub user: ChatUser,
    pub room_id: i32,
    pub client_msg_id: Uuid,
    pub body: Body,
    pub now: DateTime<Utc>,
}

struct Waiting {
    request: SendRequest,
    answer: oneshot::Sender<Result<Sent, ChatError>>,
}

/// The handle sockets send through (cheap to clone).
#[derive(Clone, Debug)]
pub struct SendQueue {
    tx: mpsc::Sender<Waiting>,
}

impl SendQueue {
    /// Starts this instance's writer.
    pub fn start(db: DatabaseConnection) -> SendQueue {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(writer(db, rx));
        SendQueue { tx }
    }

    /// Stores the message (or finds its earlier copy) and answers once it is committed.
    pub async fn send(&self, request: SendRequest) -> Result<Sent, ChatError> {
        let (answer, answered) = oneshot::channel();
        let gone = || ChatError::Unavailable(AppError::Unavailable);
        self.tx
            .send(Waiting { request, answer })
            .await
            .map_err(|_| gone())?;
        answered.await.map_err(|_| gone())?
    }
}

async fn writer(db: DatabaseConnection, mut rx: mpsc::Receiver<Waiting>) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while rx.recv_many(&mut group, MAX_GROUP).await > 0 {
        let sends = std::mem::take(&mut group);
        // A panic loses this group's answers (each socket says `unavailable` and the client
        // sends again), not the writer.
        if AssertUnwindSafe(commit_group(&db, sends))
            .catch_unwind()
            .await
            .is_err()
        {
            tracing::error!("chat: storing a group of sends panicked");
        }
    }
}

async fn commit_group(db: &DatabaseConnection, sends: Vec<Waiting>) {
    let (requests, answers): (Vec<SendRequest>, Vec<_>) =
        sends.into_iter().map(|w| (w.request, w.answer)).unzip();
    for (answer, result) in answers.into_iter().zip(store_all(db, &requests).await) {
        let _ = answer.send(result);
    }
}

/// Stores the requests as one group, or, if the group fails as a whole, one by one: one answer
/// per request, in order.
pub async fn store_all(
    db: &DatabaseConnection,
    requests: &[SendRequest],
) -> Vec<Result<Sent, ChatError>> {
    match store_group(db, requests).await {
        Ok(results) => results,
        Err(e) => {
            tracing::warn!(error = %e, sends = requests.len(), "chat: a group of sends was rolled back; storing them one by one");
            let mut results = Vec::with_capacity(requests.len());
            for r in requests {
                let body = r.body.as_str();
                results
                    .push(store::send(db, &r.user, r.room_id, r.client_msg_id, body, r.now).await);
            }
            results
        }
    }
}

/// Stores a group in one transaction: one answer per request, in order. An `Err` means nothing
/// was stored.
pub async fn store_group(
    db: &DatabaseConnection,
    requests: &[SendRequest],
) -> AppResult<Vec<Result<Sent, ChatError>>> {
    let _writer = crate::db::write_gate(db).await;
    let txn = db.begin().await?;
    let results = store_in(&txn, requests).await?;
    txn.commit().await?;

    Ok(results)
}

/// What the checks need, read for the whole group.
struct Facts {
    rooms: HashMap<i32, chat_room::Model>,
    /// (course, guide) pairs on a team.
    on_team: HashSet<(i32, i32)>,
    /// (course, participant) pairs enrolled.
    enrolled: HashSet<(i32, i32)>,
    /// Earlier copies by (room, sender, client message id).
    stored: HashMap<(i32, i32, Uuid), chat_message::Model>,
    /// The latest mute end by (course, participant).
    muted: HashMap<(i32, i32), DateTime<Utc>>,
}

async fn store_in<C: ConnectionTrait>(
    txn: &C,
    requests: &[SendRequest],
) -> AppResult<Vec<Result<Sent, ChatError>>> {
    let mut facts = read_facts(txn, requests).await?;
    // Each request's outcome; accepted ones point into `rows` until the insert returns them.
    enum Outcome {
        Done(Box<Result<Sent, ChatError>>),
        New(usize),
        SameAs(usize),
    }
    let mut outcomes = Vec::with_capacity(requests.len());
    let mut rows: Vec<chat_message::ActiveModel> = Vec::new();
    let mut keys: Vec<(i32, i64)> = Vec::new();
    // Accepted in this group: by (room, sender, client message id), and each sender's latest
    // message time per room (slow mode).
    let mut accepted: HashMap<(i32, i32, Uuid), usize> = HashMap::new();
    let mut last_sent: HashMap<(i32, i32), DateTime<Utc>> = HashMap::new();
    let mut bumped: HashMap<i32, i64> = HashMap::new();
    for r in requests {
        let key = (r.room_id, r.user.id, r.client_msg_id);
        if let Some(&i) = accepted.get(&key) {
            outcomes.push(Outcome::SameAs(i));
            continue;
        }
        let outcome = match check(txn, &facts, r, &last_sent).await? {
            Err(refused) => Outcome::Done(Box::new(Err(refused))),
            Ok(Some(original)) => Outcome::Done(Box::new(Ok(Sent::Duplicate(original)))),
            // `check` has read the room: the `None` arm is never taken.
            Ok(None) => match facts.rooms.get_mut(&r.room_id) {
                None => Outcome::Done(Box::new(Err(ChatError::NotMember))),
                Some(room) => {
                    room.last_seq += 1;
                    bumped.insert(room.id, room.last_seq);
                    last_sent.insert((r.room_id, r.user.id), r.now);
                    let i = rows.len();
                    accepted.insert(key, i);
                    keys.push((r.room_id, room.last_seq));
                    rows.push(store::new_message(
                        r.room_id,
                        room.last_seq,
                        r.user.id,
                        r.client_msg_id,
                        r.body.clone(),
                        r.now,
                    ));
                    Outcome::New(i)
                }
            },
        };
        outcomes.push(outcome);
    }
    let mut inserted: HashMap<(i32, i64), chat_message::Model> = HashMap::new();
    if !rows.is_empty() {
        bump_rooms(txn, &bumped).await?;
        // RETURNING gives the rows in no particular order: matched back by (room, seq).
        inserted = chat_message::Entity::insert_many(rows)
            .exec_with_returning(txn)
            .await?
            .into_iter()
            .map(|m| ((m.room_id, m.seq), m))
            .collect();
    }
    let mut models = Vec::with_capacity(keys.len());
    for k in &keys {
        models.push(inserted.remove(k).ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!("an inserted chat row did not come back"))
        })?);
    }
    Ok(outcomes
        .into_iter()
        .map(|o| match o {
            Outcome::Done(r) => *r,
            Outcome::New(i) => Ok(Sent::New(models[i].clone())),
            Outcome::SameAs(i) => Ok(Sent::Duplicate(models[i].clone())),
        })
        .collect())
}

/// The checks of [`store::send`] for one request against the group's facts: `Ok(Some(row))` is
/// an earlier copy, `Ok(None)` a message to store.
async fn check<C: ConnectionTrait>(
    txn: &C,
    facts: &Facts,
    r: &SendRequest,
    last_sent: &HashMap<(i32, i32), DateTime<Utc>>,
) -> AppResult<Result<Option<chat_message::Model>, ChatError>> {
    let Some(room) = facts.rooms.get(&r.room_id) else {
        return Ok(Err(ChatError::NotMember));
    };
    let course = room.course_id;
    let on_team = facts.on_team.contains(&(course, r.user.id));
    let Some(member) = membership_from(&r.user, room, on_team, |p| {
        facts.enrolled.contains(&(course, p))
    }) else {
        return Ok(Err(ChatError::NotMember));
    };
    if let Some(original) = facts.stored.get(&(r.room_id, r.user.id, r.client_msg_id)) {
        return Ok(Ok(Some(original.clone())));
    }
    if member.is_staff() {
        return Ok(Ok(None));
    }
    if room.read_only {
        return Ok(Err(ChatError::ReadOnly));
    }
    if let Some(&until) = facts.muted.get(&(course, r.user.id))
        && until > r.now
    {
        return Ok(Err(ChatError::muted(until, r.now)));
    }
    if room.slow_mode_seconds > 0 {
        // Rare (a guide turns it on for a while): read per sender, unless the group has one.
        let last = match last_sent.get(&(r.room_id, r.user.id)) {
            Some(&t) => Some(t),
            None => store::last_message_at(txn, r.room_id, r.user.id).await?,
        };
        if let Err(slow) = store::slow_mode_check(room, last, r.now) {
            return Ok(Err(slow));
        }
    }
    Ok(Ok(None))
}

async fn read_facts<C: ConnectionTrait>(txn: &C, requests: &[SendRequest]) -> AppResult<Facts> {
    let mut room_ids: Vec<i32> = requests.iter().map(|r| r.room_id).collect();
    room_ids.sort_unstable();
    room_ids.dedup();
    // A no-op update first, as `store::next_seq` does for one send: it takes SQLite's write lock
    // (no later upgrade that could find the snapshot stale) or the rooms' row locks on
    // PostgreSQL, so read-only, mutes and seqs cannot change under the group.
    let rooms: HashMap<i32, chat_room::Model> = chat_room::Entity::update_many()
        .col_expr(
            chat_room::Column::LastSeq,
            Expr::col(chat_room::Column::LastSeq),
        )
        .filter(chat_room::Column::Id.is_in(room_ids))
        .exec_with_returning(txn)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    // Each lookup below filters on one list only: an IN list on each column of a two-column
    // index makes SQLite probe every pair (150 courses × 200 people: 10 ms a group).
    let mut courses: Vec<i32> = rooms.values().map(|r| r.course_id).collect();
    courses.sort_unstable();
    courses.dedup();

    let ids_with = |role: Role| -> Vec<i32> {
        let mut ids: Vec<i32> = requests
            .iter()
            .filter(|r| r.user.role == role)
            .map(|r| r.user.id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let guides = ids_with(Role::Guide);
    let participants = ids_with(Role::Participant);
    let on_team: HashSet<(i32, i32)> = if guides.is_empty() {
        HashSet::new()
    } else {
        team_member::Entity::find()
            .select_only()
            .columns([team_member::Column::CourseId, team_member::Column::UserId])
            .filter(team_member::Column::UserId.is_in(guides))
            .into_tuple()
            .all(txn)
            .await?
            .into_iter()
            .collect()
    };
    // Whose enrolment matters: the participants writing, and the people of the private
    // threads written to.
    let mut people = participants.clone();
    people.extend(rooms.values().filter_map(|r| r.participant_id));
    people.sort_unstable();
    people.dedup();
    let enrolled: HashSet<(i32, i32)> = enrolment::Entity::find()
        .select_only()
        .columns([
            enrolment::Column::CourseId,
            enrolment::Column::ParticipantId,
        ])
        .filter(enrolment::Column::ParticipantId.is_in(people))
        .into_tuple()
        .all(txn)
        .await?
        .into_iter()
        .collect();

    let mut copies = Condition::any();
    for r in requests {
        copies = copies.add(
            Condition::all()
                .add(chat_message::Column::RoomId.eq(r.room_id))
                .add(chat_message::Column::SenderId.eq(r.user.id))
                .add(chat_message::Column::ClientMsgId.eq(r.client_msg_id)),
        );
    }
    let stored = chat_message::Entity::find()
        .filter(copies)
        .all(txn)
        .await?
        .into_iter()
        .filter_map(|m| Some(((m.room_id, m.sender_id, m.client_msg_id?), m)))
        .collect();

    let earliest = requests
        .iter()
        .map(|r| r.now)
        .min()
        .unwrap_or_else(Utc::now);
    let mut muted: HashMap<(i32, i32), DateTime<Utc>> = HashMap::new();
    if !participants.is_empty() {
        let mutes: Vec<(i32, i32, DateTime<Utc>)> = chat_mute::Entity::find()
            .select_only()
            .columns([
                chat_mute::Column::CourseId,
                chat_mute::Column::ParticipantId,
                chat_mute::Column::Until,
            ])
            .filter(chat_mute::Column::CourseId.is_in(courses))
            .filter(chat_mute::Column::EndedAt.is_null())
            .filter(chat_mute::Column::Until.gt(earliest))
            .into_tuple()
            .all(txn)
            .await?;
        for (course, participant, until) in mutes {
            let latest = muted.entry((course, participant)).or_insert(until);
            *latest = (*latest).max(until);
        }
    }
    Ok(Facts {
        rooms,
        on_team,
        enrolled,
        stored,
        muted,
    })
}

/// Sets each room's `last_seq` to the last seq the group gave out in it (the rooms are locked).
async fn bump_rooms<C: ConnectionTrait>(txn: &C, bumped: &HashMap<i32, i64>) -> AppResult<()> {
    let mut case = CaseStatement::new();
    for (&room, &seq) in bumped {
        case = case.case(chat_room::Column::Id.eq(room), seq);
    }
    let case = case.finally(Expr::col(chat_room::Column::LastSeq));
    chat_room::Entity::update_many()
        .col_expr(chat_room::Column::LastSeq, case.into())
        .filter(chat_room::Column::Id.is_in(bumped.keys().copied()))
        .exec(txn)
        .await?;
    Ok(())
}
