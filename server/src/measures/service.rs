//! Measures in the database: one start and one end per instrument, participant and course, the
//! end only with a start before it and more than three months after it (R-MEASURE-3M).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::entity::{measure, user};
use crate::error::{AppError, AppResult};
use crate::goals::service::{Owner, lock_enrolment};
use crate::measures::model::{
    BdiScores, Instrument, MeasureInput, MeasureView, Occasion, RecordedBy, Scores, WhoqolScores,
    check_end_interval,
};

fn scores_of(m: &measure::Model, instrument: Instrument) -> Scores {
    match instrument {
        Instrument::WhoqolBref => Scores::Whoqol(WhoqolScores {
            physical: m.physical.unwrap_or_default(),
            psychological: m.psychological.unwrap_or_default(),
            social: m.social.unwrap_or_default(),
            environment: m.environment.unwrap_or_default(),
        }),
        Instrument::Bdi21 => Scores::Bdi(BdiScores {
            total: m.total.unwrap_or_default(),
        }),
    }
}

/// The participant's measurements on the course, by instrument and date.
pub async fn list<C: ConnectionTrait>(db: &C, who: Owner) -> AppResult<Vec<MeasureView>> {
    let rows = measure::Entity::find()
        .filter(measure::Column::CourseId.eq(who.course_id))
        .filter(measure::Column::ParticipantId.eq(who.participant_id))
        .order_by_asc(measure::Column::Instrument)
        .order_by_asc(measure::Column::MeasuredOn)
        .order_by_asc(measure::Column::Id)
        .all(db)
        .await?;
    let staff = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|r| r.recorded_by)))
        .all(db)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|m| {
            let instrument = Instrument::parse(&m.instrument)?;
            Some(MeasureView {
                id: m.uuid,
                instrument,
                occasion: Occasion::parse(&m.occasion)?,
                measured_on: m.measured_on,
                scores: scores_of(m, instrument),
                recorded_by: RecordedBy {
                    display_name: staff
                        .iter()
                        .find(|s| s.id == m.recorded_by)
                        .map(|s| s.display_name.clone())
                        .unwrap_or_default(),
                },
            })
        })
        .collect())
}

pub async fn record(
    db: &DatabaseConnection,
    who: Owner,
    actor: &user::Model,
    input: MeasureInput,
    now: DateTime<Utc>,
) -> AppResult<MeasureView> {
    // Writers for one participant queue on the enrolment row, so two end measurements sent at
    // once cannot both pass the checks below.
    let txn = lock_enrolment(db, who.course_id, who.participant_id).await?;
    let same: Vec<measure::Model> = measure::Entity::find()
        .filter(measure::Column::CourseId.eq(who.course_id))
        .filter(measure::Column::ParticipantId.eq(who.participant_id))
        .filter(measure::Column::Instrument.eq(input.instrument.as_str()))
        .all(&txn)
        .await?;
    if same.iter().any(|m| m.occasion == input.occasion.as_str()) {
        return Err(AppError::conflict(
            "measure_exists",
            format!(
                "the {} measurement of {} has already been recorded",
                input.occasion.as_str(),
                input.instrument.as_str()
            ),
        ));
    }
    if input.occasion == Occasion::End {
        let previous = same.iter().map(|m| m.measured_on).max().ok_or_else(|| {
            AppError::conflict(
                "measure_start_missing",
                format!(
                    "record the start measurement of {} before the end measurement",
                    input.instrument.as_str()
                ),
            )
        })?;
        check_end_interval(previous, input.measured_on).map_err(|first| {
            AppError::conflict(
                "measure_too_soon",
                format!(
                    "{first}: the end measurement can be made from this day on, more than 3 months after the previous one on {previous} (R-MEASURE-3M)"
                ),
            )
        })?;
    }
    let (whoqol, total) = match input.scores {
        Scores::Whoqol(w) => (Some(w), None),
        Scores::Bdi(b) => (None, Some(b.total)),
    };
    let row = measure::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        course_id: Set(who.course_id),
        participant_id: Set(who.participant_id),
        instrument: Set(input.instrument.as_str().to_owned()),
        occasion: Set(input.occasion.as_str().to_owned()),
        measured_on: Set(input.measured_on),
        physical: Set(whoqol.map(|w| w.physical)),
        psychological: Set(whoqol.map(|w| w.psychological)),
        social: Set(whoqol.map(|w| w.social)),
        environment: Set(whoqol.map(|w| w.environment)),
        total: Set(total),
        recorded_by: Set(actor.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(MeasureView {
        id: row.uuid,
        instrument: input.instrument,
        occasion: input.occasion,
        measured_on: row.measured_on,
        scores: input.scores,
        recorded_by: RecordedBy {
            display_name: actor.display_name.clone(),
        },
    })
}
