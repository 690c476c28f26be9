use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exercise_answers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub uuid: Uuid,
    pub participant_id: i32,
    pub course_id: i32,
    pub item_id: String,
    /// 1-based number of the module the exercise is in, as the participant sees it.
    pub module_number: i32,
    /// JSON `{question_id: text | [text]}`; only the participant ever reads it.
    #[sea_orm(column_type = "Text", nullable)]
    pub draft: Option<String>,
    pub draft_saved_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub submitted: Option<String>,
    pub submitted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
