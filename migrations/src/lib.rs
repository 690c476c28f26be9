//! Etäpolku's database schema, as append-only migrations that run on SQLite and PostgreSQL alike.
//!
//! Each file makes one change and runs in its own transaction (on SQLite too), so a migration
//! interrupted half-way leaves the schema as it was before it (SECURITY.md F19).

pub use sea_orm_migration;
use sea_orm_migration::prelude::*;

mod m20261122_000001_create_providers;
mod m20261122_000002_create_sites;
mod m20261122_000003_create_users;
mod m20261122_000004_create_refresh_tokens;
mod m20261122_000005_create_one_time_tokens;
mod m20261122_000006_create_courses;
mod m20261122_000007_create_course_transitions;
mod m20261122_000008_create_enrolments;
mod m20261122_000009_create_team_members;
mod m20261122_000010_create_audit_log;
mod m20261122_000011_create_accessibility_feedback;
mod m20261122_000012_add_totp_to_users;
mod m20261122_000013_create_blobs;
mod m20261122_000014_create_programs;
mod m20261122_000015_create_program_versions;
mod m20261122_000016_create_program_version_blobs;
mod m20261122_000017_add_program_to_courses;
mod m20261122_000018_add_preferences_to_users;
mod m20261122_000019_create_notifications;
mod m20261122_000020_create_item_progress;
mod m20261122_000021_create_activity_days;
mod m20261122_000022_create_exercise_answers;
mod m20261122_000023_create_answer_submissions;
mod m20261122_000024_create_answer_comments;
mod m20261122_000030_create_selfrehab_tasks;
mod m20261122_000031_create_selfrehab_task_history;
mod m20261122_000032_create_selfrehab_logs;
mod m20261122_000033_create_selfrehab_log_feedback;
mod m20261122_000034_create_scheduled_runs;
mod m20261122_000040_create_goals;
mod m20261122_000041_create_goal_history;
mod m20261122_000042_create_measures;
mod m20261122_000043_add_goal_to_selfrehab_tasks;
mod m20261203_000050_create_chat_rooms;
mod m20261203_000051_create_chat_messages;
mod m20261203_000052_create_chat_reads;
mod m20261203_000053_create_chat_mutes;
mod m20261203_000054_create_chat_reports;
mod m20261203_000056_add_chat_digest_to_users;
mod m20261203_000057_create_chat_reports_open_index;
mod m20261203_000058_create_refresh_tokens_revoked_index;
mod m20261204_000001_create_contacts;
mod m20261204_000002_create_guidance_entries;
mod m20261204_000003_create_guidance_credits;
mod m20261204_000004_create_guidance_entry_revisions;
mod m20261204_000010_create_alerts;
mod m20261204_000011_create_alerts_open_index;
mod m20261204_000012_add_activity_nudges_to_users;
mod m20261204_000020_create_chat_guidance_sessions;
mod m20261205_000001_add_subjects_to_audit_log;
mod m20261205_000002_create_overview_indexes;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_providers::Migration),
            Box::new(m20261122_000002_create_sites::Migration),
            Box::new(m20261122_000003_create_users::Migration),
            Box::new(m20261122_000004_create_refresh_tokens::Migration),
            Box::new(m20261122_000005_create_one_time_tokens::Migration),
            Box::new(m20261122_000006_create_courses::Migration),
            Box::new(m20261122_000007_create_course_transitions::Migration),
            Box::new(m20261122_000008_create_enrolments::Migration),
            Box::new(m20261122_000009_create_team_members::Migration),
            Box::new(m20261122_000010_create_audit_log::Migration),
            Box::new(m20261122_000011_create_accessibility_feedback::Migration),
            Box::new(m20261122_000012_add_totp_to_users::Migration),
            Box::new(m20261122_000013_create_blobs::Migration),
            Box::new(m20261122_000014_create_programs::Migration),
            Box::new(m20261122_000015_create_program_versions::Migration),
            Box::new(m20261122_000016_create_program_version_blobs::Migration),
            Box::new(m20261122_000017_add_program_to_courses::Migration),
            Box::new(m20261122_000018_add_preferences_to_users::Migration),
            Box::new(m20261122_000019_create_notifications::Migration),
            Box::new(m20261122_000020_create_item_progress::Migration),
            Box::new(m20261122_000021_create_activity_days::Migration),
            Box::new(m20261122_000022_create_exercise_answers::Migration),
            Box::new(m20261122_000023_create_answer_submissions::Migration),
            Box::new(m20261122_000024_create_answer_comments::Migration),
            Box::new(m20261122_000030_create_selfrehab_tasks::Migration),
            Box::new(m20261122_000031_create_selfrehab_task_history::Migration),
            Box::new(m20261122_000032_create_selfrehab_logs::Migration),
            Box::new(m20261122_000033_create_selfrehab_log_feedback::Migration),
            Box::new(m20261122_000034_create_scheduled_runs::Migration),
            Box::new(m20261122_000040_create_goals::Migration),
            Box::new(m20261122_000041_create_goal_history::Migration),
            Box::new(m20261122_000042_create_measures::Migration),
            Box::new(m20261122_000043_add_goal_to_selfrehab_tasks::Migration),
            Box::new(m20261203_000050_create_chat_rooms::Migration),
            Box::new(m20261203_000051_create_chat_messages::Migration),
            Box::new(m20261203_000052_create_chat_reads::Migration),
            Box::new(m20261203_000053_create_chat_mutes::Migration),
            Box::new(m20261203_000054_create_chat_reports::Migration),
            Box::new(m20261203_000056_add_chat_digest_to_users::Migration),
            Box::new(m20261203_000057_create_chat_reports_open_index::Migration),
            Box::new(m20261203_000058_create_refresh_tokens_revoked_index::Migration),
            Box::new(m20261204_000001_create_contacts::Migration),
            Box::new(m20261204_000002_create_guidance_entries::Migration),
            Box::new(m20261204_000003_create_guidance_credits::Migration),
            Box::new(m20261204_000004_create_guidance_entry_revisions::Migration),
            Box::new(m20261204_000010_create_alerts::Migration),
            Box::new(m20261204_000011_create_alerts_open_index::Migration),
            Box::new(m20261204_000012_add_activity_nudges_to_users::Migration),
            Box::new(m20261204_000020_create_chat_guidance_sessions::Migration),
            Box::new(m20261205_000001_add_subjects_to_audit_log::Migration),
            Box::new(m20261205_000002_create_overview_indexes::Migration),
        ]
    }
}
