//! `/api/v1/me/answers*` and `/api/v1/courses/{id}/answers*`: HTTP only.

use std::collections::BTreeSet;

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::answers::service::{
    self, Answers, Comment, MyAnswer, MyAnswerListed, StaffAnswer, comment_body,
};
use crate::audit::service::{Access, record};
use crate::auth::extract::{Participant, Staff};
use crate::courses::access::{course_for_staff, enrolled_participant};
use crate::courses::schedule::helsinki_today;
use crate::courses::service::my_course_row;
use crate::entity::user;
use crate::error::{AppError, AppResult, Problem};
use crate::http::json::Json;
use crate::notifications::service::{Kind, Notice, notify};
use crate::progress::outline::outline_of;
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/answers", web::get().to(my_list))
        .route("/me/answers/{item_id}", web::get().to(my_answer))
        .route("/me/answers/{item_id}/draft", web::put().to(save_draft))
        .route("/me/answers/{item_id}/submit", web::post().to(submit))
        .route("/courses/{id}/answers", web::get().to(staff_list))
        .route(
            "/courses/{id}/answers/{answer_id}/comments",
            web::post().to(comment),
        );
}

/// Answers to an exercise's questions: `{question_id: text | [text]}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersBody {
    #[schema(value_type = Object)]
    pub answers: Answers,
}

/// When the draft was saved.
#[derive(Debug, Serialize, ToSchema)]
pub struct DraftSaved {
    pub draft_saved_at: chrono::DateTime<chrono::Utc>,
}

#[utoipa::path(get, path = "/api/v1/me/answers", tag = "participant",
    responses((status = 200, body = Vec<MyAnswerListed>)))]
pub async fn my_list(state: web::Data<AppState>, who: Participant) -> AppResult<HttpResponse> {
    let course = my_course_row(&state.db, who.0.id).await?;
    Ok(HttpResponse::Ok().json(service::my_list(&state.db, who.0.id, course.id).await?))
}

#[utoipa::path(get, path = "/api/v1/me/answers/{item_id}", tag = "participant",
    params(("item_id" = String, Path)),
    responses((status = 200, body = MyAnswer), (status = 403, body = Problem, description = "module_locked"), (status = 404, body = Problem)))]
pub async fn my_answer(
    state: web::Data<AppState>,
    who: Participant,
    item_id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let course = my_course_row(&state.db, who.0.id).await?;
    let outline = outline_of(&state.db, &course).await?;
    outline.open_item(&course, &item_id, helsinki_today(state.now()))?;
    Ok(HttpResponse::Ok().json(service::mine(&state.db, who.0.id, course.id, &item_id).await?))
}

#[utoipa::path(put, path = "/api/v1/me/answers/{item_id}/draft", tag = "participant",
    params(("item_id" = String, Path)), request_body = AnswersBody,
    responses((status = 200, body = DraftSaved), (status = 400, body = Problem), (status = 409, body = Problem, description = "no_questions"), (status = 413, body = Problem)))]
pub async fn save_draft(
    state: web::Data<AppState>,
    who: Participant,
    item_id: web::Path<String>,
    body: Json<AnswersBody>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let course = my_course_row(&state.db, who.0.id).await?;
    let outline = outline_of(&state.db, &course).await?;
    let now = state.now();
    let found = outline.open_item(&course, &item_id, helsinki_today(now))?;
    let at = service::save_draft(&state.db, who.0.id, course.id, found, &body.answers, now).await?;
    Ok(HttpResponse::Ok().json(DraftSaved { draft_saved_at: at }))
}

#[utoipa::path(post, path = "/api/v1/me/answers/{item_id}/submit", tag = "participant",
    params(("item_id" = String, Path)), request_body = AnswersBody,
    responses((status = 200, body = MyAnswer), (status = 400, body = Problem), (status = 409, body = Problem, description = "no_questions"), (status = 413, body = Problem)))]
pub async fn submit(
    state: web::Data<AppState>,
    who: Participant,
    item_id: web::Path<String>,
    body: Json<AnswersBody>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner()?;
    let course = my_course_row(&state.db, who.0.id).await?;
    let outline = outline_of(&state.db, &course).await?;
    let now = state.now();
    let found = outline.open_item(&course, &item_id, helsinki_today(now))?;
    let out = service::submit(&state.db, who.0.id, course.id, found, &body.answers, now).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// `?participant=<uuid>&item=<item_id>`, both optional.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct StaffAnswersQuery {
    pub participant: Option<Uuid>,
    pub item: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/answers", tag = "answers",
    params(("id" = Uuid, Path), StaffAnswersQuery),
    responses((status = 200, body = Vec<StaffAnswer>), (status = 404, body = Problem)))]
pub async fn staff_list(
    state: web::Data<AppState>,
    who: Staff,
    id: web::Path<Uuid>,
    q: web::Query<StaffAnswersQuery>,
) -> AppResult<HttpResponse> {
    let course = course_for_staff(&state.db, &who.0, *id).await?;
    let participant = match q.participant {
        Some(pid) => Some(enrolled_participant(&state.db, &course, pid).await?),
        None => None,
    };
    let list = service::for_staff(
        &state.db,
        course.id,
        participant.as_ref().map(|p| p.id),
        q.item.as_deref(),
    )
    .await?;
    let mut subjects: BTreeSet<Uuid> = list.iter().map(|a| a.participant.id).collect();
    if let Some(p) = &participant {
        subjects.insert(p.uuid);
    }
    let now = state.now();
    for subject in subjects {
        record(
            &state.db,
            now,
            Access {
                actor: &who.0,
                subject,
                provider_id: Some(course.provider_id),
                category: "exercise_answers",
                action: "read",
                purpose: "guidance",
            },
        )
        .await?;
    }
    Ok(HttpResponse::Ok().json(list))
}

/// A guide's comment on submitted answers.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    /// 1–5000 characters.
    pub body: String,
}

#[utoipa::path(post, path = "/api/v1/courses/{id}/answers/{answer_id}/comments", tag = "answers",
    params(("id" = Uuid, Path), ("answer_id" = Uuid, Path)), request_body = NewComment,
    responses((status = 201, body = Comment), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn comment(
    state: web::Data<AppState>,
    who: Staff,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<NewComment>,
) -> AppResult<HttpResponse> {
    use sea_orm::EntityTrait;
    let (id, answer_id) = path.into_inner();
    let course = course_for_staff(&state.db, &who.0, id).await?;
    let answer = service::submitted_by_uuid(&state.db, course.id, answer_id).await?;
    let body = comment_body(&body.into_inner()?.body)?;
    let author = user::Entity::find_by_id(who.0.id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let participant = user::Entity::find_by_id(answer.participant_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = state.now();
    record(
        &state.db,
        now,
        Access {
            actor: &who.0,
            subject: participant.uuid,
            provider_id: Some(course.provider_id),
            category: "exercise_answers",
            action: "create",
            purpose: "guidance",
        },
    )
    .await?;
    let out = service::add_comment(&state.db, &answer, &author, body, now).await?;
    notify(
        &state,
        &participant,
        Notice {
            kind: Kind::AnswerComment,
            params: serde_json::json!({"module": answer.module_number, "item_id": answer.item_id}),
            link: format!("/ohjelma/{}#item-{}", answer.module_number, answer.item_id),
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(out))
}
