use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "item_progress")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub participant_id: i32,
    pub course_id: i32,
    /// The content item's id within the course's program version.
    pub item_id: String,
    pub opened_at: DateTimeUtc,
    pub last_seen_at: DateTimeUtc,
    pub visible_seconds: i64,
    /// Where audio or video was left, in seconds.
    pub position_s: Option<f64>,
    pub duration_s: Option<f64>,
    /// The furthest position ever reached (seeking back does not undo it).
    pub furthest_s: Option<f64>,
    pub completed_at: Option<DateTimeUtc>,
    /// `marked`, `media` or `answered`.
    pub completed_how: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
