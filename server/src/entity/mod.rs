//! sea-orm entities, one file per table. They stay inside services: routes map them to model
//! types before anything reaches JSON (STYLE.md, convention 5).

pub mod accessibility_feedback;
pub mod activity_day;
pub mod answer_comment;
pub mod answer_submission;
pub mod audit_log;
pub mod blob;
pub mod chat_message;
pub mod chat_mute;
pub mod chat_read;
pub mod chat_report;
pub mod chat_room;
pub mod course;
pub mod course_transition;
pub mod enrolment;
pub mod exercise_answer;
pub mod goal;
pub mod goal_history;
pub mod item_progress;
pub mod measure;
pub mod notification;
pub mod one_time_token;
pub mod program;
pub mod program_version;
pub mod program_version_blob;
pub mod provider;
pub mod refresh_token;
pub mod scheduled_run;
pub mod selfrehab_log;
pub mod selfrehab_log_feedback;
pub mod selfrehab_task;
pub mod selfrehab_task_history;
pub mod site;
pub mod team_member;
pub mod user;
