//! Exercise answers: a server-side draft the participant autosaves, submissions (history kept),
//! and guides' comments on submitted answers. Guides never see drafts.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::entity::{answer_comment, answer_submission, exercise_answer, user};
use crate::error::{AppError, AppResult, FieldError};
use crate::progress::outline::{OutlineItem, OutlineModule};
use crate::progress::rules::{CompletedHow, Completion};
use crate::progress::service::PersonRef;

/// Longest answer text, in characters.
pub const MAX_ANSWER_CHARS: usize = 10_000;
/// Most choices in one answer (a multiple-choice question has a handful).
pub const MAX_CHOICES: usize = 100;
/// Longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 5_000;

/// One question's answer: a text, or the chosen options' texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Answer {
    Text(String),
    Choices(Vec<String>),
}

/// Answers by question id.
pub type Answers = BTreeMap<String, Answer>;

/// Checks answers against an exercise's question ids; every problem is a field error
/// `answers.<question id>`.
pub fn validate(answers: &Answers, questions: &[String]) -> AppResult<()> {
    let mut errors = Vec::new();
    for (qid, answer) in answers {
        let field = format!("answers.{qid}");
        if !questions.iter().any(|q| q == qid) {
            errors.push(FieldError::new(
                &field,
                "unknown_question",
                "this exercise has no such question",
            ));
            continue;
        }
        let texts: &[String] = match answer {
            Answer::Text(t) => std::slice::from_ref(t),
            Answer::Choices(list) => {
                if list.len() > MAX_CHOICES {
                    errors.push(FieldError::new(&field, "too_many", "too many choices"));
                    continue;
                }
                list
            }
        };
        if texts.iter().any(|t| t.chars().count() > MAX_ANSWER_CHARS) {
            errors.push(FieldError::new(
                &field,
                "too_long",
                format!("an answer can be at most {MAX_ANSWER_CHARS} characters"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Checks a comment's text and returns it trimmed.
pub fn comment_body(raw: &str) -> AppResult<String> {
    let body = raw.trim();
    if body.is_empty() {
        return Err(AppError::field("body", "required", "write a comment"));
    }
    if body.chars().count() > MAX_COMMENT_CHARS {
        return Err(AppError::field(
            "body",
            "too_long",
            format!("a comment can be at most {MAX_COMMENT_CHARS} characters"),
        ));
    }
    Ok(body.to_owned())
}

/// A guide's comment on submitted answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Comment {
    pub id: Uuid,
    pub author: Author,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Author {
    pub display_name: String,
    /// The guide's profession code, e.g. `registered_nurse`.
    pub profession: Option<String>,
}

/// The participant's own view of one exercise's answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyAnswer {
    pub item_id: String,
    #[schema(value_type = Option<Object>)]
    pub draft: Option<Answers>,
    pub draft_saved_at: Option<DateTime<Utc>>,
    #[schema(value_type = Option<Object>)]
    pub submitted: Option<Answers>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub comments: Vec<Comment>,
}

/// One exercise in the participant's list of answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyAnswerListed {
    pub item_id: String,
    pub module_number: i32,
    pub submitted_at: Option<DateTime<Utc>>,
    /// How many comments guides have written.
    pub comments: usize,
}

/// Submitted answers as staff see them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaffAnswer {
    pub id: Uuid,
    pub participant: PersonRef,
    pub item_id: String,
    pub module_number: i32,
    #[schema(value_type = Object)]
    pub submitted: Answers,
    pub submitted_at: DateTime<Utc>,
    pub comments: Vec<Comment>,
}

fn parse(raw: Option<&str>) -> Option<Answers> {
    raw.and_then(|s| serde_json::from_str(s).ok())
}

fn to_text(a: &Answers) -> AppResult<String> {
    serde_json::to_string(a).map_err(|e| AppError::Internal(e.into()))
}

/// The answers row of one exercise, made when first needed.
async fn row_for<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    course_id: i32,
    module: &OutlineModule,
    item: &OutlineItem,
    now: DateTime<Utc>,
) -> AppResult<exercise_answer::Model> {
    exercise_answer::Entity::insert(exercise_answer::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        participant_id: Set(participant_id),
        course_id: Set(course_id),
        item_id: Set(item.id.clone()),
        module_number: Set(i32::try_from(module.number).unwrap_or(i32::MAX)),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            exercise_answer::Column::ParticipantId,
            exercise_answer::Column::CourseId,
            exercise_answer::Column::ItemId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    find_row(db, participant_id, course_id, &item.id)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("answers row missing")))
}

async fn find_row<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    course_id: i32,
    item_id: &str,
) -> AppResult<Option<exercise_answer::Model>> {
    Ok(exercise_answer::Entity::find()
        .filter(exercise_answer::Column::ParticipantId.eq(participant_id))
        .filter(exercise_answer::Column::CourseId.eq(course_id))
        .filter(exercise_answer::Column::ItemId.eq(item_id))
        .one(db)
        .await?)
}

/// 409 `no_questions` unless the item is an exercise with questions to answer.
pub fn answerable_item(item: &OutlineItem) -> AppResult<()> {
    if item.completion == Completion::Answer {
        Ok(())
    } else {
        Err(AppError::conflict(
            "no_questions",
            "this item has no questions to answer",
        ))
    }
}

/// Comments on the given answers rows, oldest first, with their authors (two queries).
async fn comments_of<C: ConnectionTrait>(
    db: &C,
    answer_ids: Vec<i32>,
) -> AppResult<HashMap<i32, Vec<Comment>>> {
    let rows = answer_comment::Entity::find()
        .filter(answer_comment::Column::AnswerId.is_in(answer_ids))
        .order_by_asc(answer_comment::Column::Id)
        .all(db)
        .await?;
    let authors: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|r| r.author_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut out: HashMap<i32, Vec<Comment>> = HashMap::new();
    for r in rows {
        let author = authors.get(&r.author_id);
        out.entry(r.answer_id).or_default().push(Comment {
            id: r.uuid,
            author: Author {
                display_name: author.map(|a| a.display_name.clone()).unwrap_or_default(),
                profession: author.and_then(|a| a.profession.clone()),
            },
            body: r.body,
            created_at: r.created_at,
        });
    }
    Ok(out)
}

/// `GET /me/answers/{item_id}`.
pub async fn mine<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    course_id: i32,
    item_id: &str,
) -> AppResult<MyAnswer> {
    let Some(row) = find_row(db, participant_id, course_id, item_id).await? else {
        return Ok(MyAnswer {
            item_id: item_id.to_owned(),
            draft: None,
            draft_saved_at: None,
            submitted: None,
            submitted_at: None,
            comments: Vec::new(),
        });
    };
    let comments = comments_of(db, vec![row.id])
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    Ok(MyAnswer {
        item_id: row.item_id.clone(),
        draft: parse(row.draft.as_deref()),
        draft_saved_at: row.draft_saved_at,
        submitted: parse(row.submitted.as_deref()),
        submitted_at: row.submitted_at,
        comments,
    })
}

/// `PUT /me/answers/{item_id}/draft`: replaces the draft; returns when it was saved.
pub async fn save_draft<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    course_id: i32,
    (module, item): (&OutlineModule, &OutlineItem),
    answers: &Answers,
    now: DateTime<Utc>,
) -> AppResult<DateTime<Utc>> {
    answerable_item(item)?;
    validate(answers, &item.questions)?;
    let row = row_for(db, participant_id, course_id, module, item, now).await?;
    let mut active = row.into_active_model();
    active.draft = Set(Some(to_text(answers)?));
    active.draft_saved_at = Set(Some(now));
    active.update(db).await?;
    Ok(now)
}

/// `POST /me/answers/{item_id}/submit`: the answers become the submitted ones (the earlier
/// submission stays in the history), the draft is cleared and the item completes (`answered`),
/// all in one transaction.
pub async fn submit(
    db: &DatabaseConnection,
    participant_id: i32,
    course_id: i32,
    (module, item): (&OutlineModule, &OutlineItem),
    answers: &Answers,
    now: DateTime<Utc>,
) -> AppResult<MyAnswer> {
    answerable_item(item)?;
    validate(answers, &item.questions)?;
    if answers.is_empty() {
        return Err(AppError::field(
            "answers",
            "required",
            "answer at least one question",
        ));
    }
    let text = to_text(answers)?;
    let txn = db.begin().await?;
    let row = row_for(&txn, participant_id, course_id, module, item, now).await?;
    answer_submission::ActiveModel {
        answer_id: Set(row.id),
        answers: Set(text.clone()),
        submitted_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut active = row.into_active_model();
    active.submitted = Set(Some(text));
    active.submitted_at = Set(Some(now));
    active.draft = Set(None);
    active.draft_saved_at = Set(None);
    active.update(&txn).await?;
    crate::progress::service::complete(
        &txn,
        participant_id,
        course_id,
        &item.id,
        CompletedHow::Answered,
        now,
    )
    .await?;
    txn.commit().await?;
    mine(db, participant_id, course_id, &item.id).await
}

/// `GET /me/answers`.
pub async fn my_list<C: ConnectionTrait>(
    db: &C,
    participant_id: i32,
    course_id: i32,
) -> AppResult<Vec<MyAnswerListed>> {
    let rows = exercise_answer::Entity::find()
        .filter(exercise_answer::Column::ParticipantId.eq(participant_id))
        .filter(exercise_answer::Column::CourseId.eq(course_id))
        .order_by_asc(exercise_answer::Column::ModuleNumber)
        .order_by_asc(exercise_answer::Column::Id)
        .all(db)
        .await?;
    let comments = comments_of(db, rows.iter().map(|r| r.id).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|r| MyAnswerListed {
            comments: comments.get(&r.id).map_or(0, Vec::len),
            item_id: r.item_id,
            module_number: r.module_number,
            submitted_at: r.submitted_at,
        })
        .collect())
}

/// Submitted answers on a course, optionally of one participant and/or one item; never drafts.
pub async fn for_staff<C: ConnectionTrait>(
    db: &C,
    course_id: i32,
    participant_id: Option<i32>,
    item_id: Option<&str>,
) -> AppResult<Vec<StaffAnswer>> {
    let mut q = exercise_answer::Entity::find()
        .filter(exercise_answer::Column::CourseId.eq(course_id))
        .filter(exercise_answer::Column::SubmittedAt.is_not_null());
    if let Some(pid) = participant_id {
        q = q.filter(exercise_answer::Column::ParticipantId.eq(pid));
    }
    if let Some(item) = item_id {
        q = q.filter(exercise_answer::Column::ItemId.eq(item));
    }
    let rows = q
        .order_by_asc(exercise_answer::Column::ModuleNumber)
        .order_by_asc(exercise_answer::Column::Id)
        .all(db)
        .await?;
    let people: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|r| r.participant_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut comments = comments_of(db, rows.iter().map(|r| r.id).collect()).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let person = people.get(&r.participant_id)?;
            Some(StaffAnswer {
                id: r.uuid,
                participant: PersonRef {
                    id: person.uuid,
                    display_name: person.display_name.clone(),
                },
                item_id: r.item_id,
                module_number: r.module_number,
                submitted: parse(r.submitted.as_deref())?,
                submitted_at: r.submitted_at?,
                comments: comments.remove(&r.id).unwrap_or_default(),
            })
        })
        .collect())
}

/// Submitted answers of a course by their id; 404 for drafts and other courses' answers.
pub async fn submitted_by_uuid<C: ConnectionTrait>(
    db: &C,
    course_id: i32,
    id: Uuid,
) -> AppResult<exercise_answer::Model> {
    exercise_answer::Entity::find()
        .filter(exercise_answer::Column::Uuid.eq(id))
        .filter(exercise_answer::Column::CourseId.eq(course_id))
        .filter(exercise_answer::Column::SubmittedAt.is_not_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Stores a guide's comment.
pub async fn add_comment<C: ConnectionTrait>(
    db: &C,
    answer: &exercise_answer::Model,
    author: &user::Model,
    body: String,
    now: DateTime<Utc>,
) -> AppResult<Comment> {
    let row = answer_comment::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        answer_id: Set(answer.id),
        author_id: Set(author.id),
        body: Set(body),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Comment {
        id: row.uuid,
        author: Author {
            display_name: author.display_name.clone(),
            profession: author.profession.clone(),
        },
        body: row.body,
        created_at: row.created_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(pairs: &[(&str, Answer)]) -> Answers {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    fn field_codes(e: AppError) -> Vec<(String, String)> {
        match e {
            AppError::Validation(list) => list.into_iter().map(|f| (f.field, f.code)).collect(),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn answers_to_known_questions_within_limits_pass() {
        let qs = vec!["q1".to_owned(), "q2".to_owned()];
        let ok = answers(&[
            ("q1", Answer::Text("x".repeat(MAX_ANSWER_CHARS))),
            ("q2", Answer::Choices(vec!["a".into(), "b".into()])),
        ]);
        assert!(validate(&ok, &qs).is_ok());
        assert!(validate(&Answers::new(), &qs).is_ok());
    }

    #[test]
    fn unknown_questions_and_long_texts_are_named() {
        let qs = vec!["q1".to_owned(), "q2".to_owned()];
        let bad = answers(&[
            ("q1", Answer::Text("ä".repeat(MAX_ANSWER_CHARS + 1))),
            (
                "q2",
                Answer::Choices(vec!["y".repeat(MAX_ANSWER_CHARS + 1)]),
            ),
            ("q9", Answer::Text("x".into())),
        ]);
        let errors = field_codes(validate(&bad, &qs).expect_err("invalid"));
        assert_eq!(
            errors,
            vec![
                ("answers.q1".to_owned(), "too_long".to_owned()),
                ("answers.q2".to_owned(), "too_long".to_owned()),
                ("answers.q9".to_owned(), "unknown_question".to_owned()),
            ]
        );
    }

    #[test]
    fn comments_are_trimmed_and_bounded() {
        assert_eq!(comment_body("  Hyvä!  ").ok().as_deref(), Some("Hyvä!"));
        assert!(comment_body("   ").is_err());
        assert!(comment_body(&"x".repeat(MAX_COMMENT_CHARS)).is_ok());
        assert!(comment_body(&"x".repeat(MAX_COMMENT_CHARS + 1)).is_err());
    }
}
