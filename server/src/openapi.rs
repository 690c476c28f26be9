//! The OpenAPI document, generated from the handlers' annotations, served at /api/openapi.json
//! and browsable at /api/docs (vendored swagger-ui: nothing from a CDN).

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Etäpolku API", description = "Remote rehabilitation for family caregivers. Errors are application/problem+json with a stable `code`."),
    paths(
        crate::health::healthz, crate::health::readyz, crate::health::support,
        crate::auth::routes::login, crate::auth::routes::refresh, crate::auth::routes::logout,
        crate::auth::routes::request_email_link, crate::auth::routes::redeem_email_link,
        crate::auth::routes::request_password_reset, crate::auth::routes::complete_password_reset,
        crate::auth::mfa::start_setup, crate::auth::mfa::confirm, crate::auth::mfa::disable,
        crate::accounts::routes::get_me, crate::accounts::routes::update_me,
        crate::accounts::routes::change_password, crate::accounts::routes::my_access_log,
        crate::accounts::routes::list_staff, crate::accounts::routes::create_staff,
        crate::accounts::routes::list_participants, crate::accounts::routes::invite_participant,
        crate::accounts::routes::get_participant, crate::accounts::routes::send_link,
        crate::providers::routes::list_providers, crate::providers::routes::create_provider,
        crate::providers::routes::list_sites, crate::providers::routes::create_site,
        crate::courses::routes::my_course, crate::courses::routes::list, crate::courses::routes::create,
        crate::courses::routes::get, crate::courses::routes::update, crate::courses::routes::transition,
        crate::courses::routes::history,
        crate::team::routes::professions, crate::team::routes::get, crate::team::routes::add,
        crate::team::routes::remove,
        crate::enrolment::routes::list, crate::enrolment::routes::enrol,
        crate::enrolment::routes::unenrol, crate::enrolment::routes::set_personal_guide,
        crate::audit::routes::for_subject,
        crate::content::routes::upload, crate::content::routes::list, crate::content::routes::assign,
        crate::content::routes::staff_overview, crate::content::routes::staff_module,
        crate::content::routes::my_overview, crate::content::routes::my_module,
        crate::feedback::routes::create, crate::feedback::routes::list, crate::feedback::routes::mark_replied,
        crate::notifications::routes::list, crate::notifications::routes::read_one,
        crate::notifications::routes::read_all,
        crate::goals::routes::my_list, crate::goals::routes::my_create, crate::goals::routes::my_update,
        crate::goals::routes::my_delete, crate::goals::routes::my_history,
        crate::goals::routes::staff_list, crate::goals::routes::staff_create,
        crate::goals::routes::staff_update, crate::goals::routes::staff_delete,
        crate::goals::routes::set_baseline, crate::goals::routes::set_attainment,
        crate::goals::routes::staff_history,
        crate::measures::routes::my_list, crate::measures::routes::staff_list,
        crate::measures::routes::staff_record,
        crate::home::routes::my_home,
        crate::progress::routes::rules_text, crate::progress::routes::my_progress,
        crate::progress::routes::open, crate::progress::routes::heartbeat,
        crate::progress::routes::media, crate::progress::routes::complete,
        crate::progress::routes::undo_complete, crate::progress::routes::course_progress,
        crate::progress::routes::participant_progress,
        crate::answers::routes::my_list, crate::answers::routes::my_answer,
        crate::answers::routes::save_draft, crate::answers::routes::submit,
        crate::answers::routes::staff_list, crate::answers::routes::comment,
        crate::selfrehab::routes::my_tasks, crate::selfrehab::routes::my_today,
        crate::selfrehab::routes::my_create, crate::selfrehab::routes::my_change,
        crate::selfrehab::routes::my_accept, crate::selfrehab::routes::my_end,
        crate::selfrehab::routes::my_history, crate::selfrehab::routes::my_log,
        crate::selfrehab::routes::staff_tasks, crate::selfrehab::routes::staff_create,
        crate::selfrehab::routes::staff_change, crate::selfrehab::routes::staff_accept,
        crate::selfrehab::routes::staff_end, crate::selfrehab::routes::staff_history,
        crate::selfrehab::routes::staff_feedback,
        crate::guidance::routes::my_guidance, crate::guidance::routes::course_guidance,
        crate::guidance::routes::participant_guidance, crate::guidance::routes::create_entry,
        crate::guidance::routes::entry_history, crate::guidance::routes::correct_entry,
        crate::guidance::routes::void_entry, crate::guidance::routes::course_ledger_export,
        crate::guidance::routes::provider_ledger_export,
        crate::overview::routes::overview, crate::overview::routes::overview_export,
        crate::contacts::routes::my_contacts, crate::contacts::routes::my_confirm,
        crate::contacts::routes::my_reschedule, crate::contacts::routes::my_invitation,
        crate::contacts::routes::course_list, crate::contacts::routes::staff_list, crate::contacts::routes::staff_create,
        crate::contacts::routes::staff_change, crate::contacts::routes::staff_done,
        crate::contacts::routes::staff_cancel, crate::contacts::routes::staff_no_show,
        crate::contacts::routes::staff_invitation,
        crate::monitoring::routes::course_monitoring, crate::monitoring::routes::participant_timeline,
        crate::alerts::routes::course_alerts, crate::alerts::routes::acknowledge,
        crate::guidance::session_routes::current, crate::guidance::session_routes::start,
        crate::guidance::session_routes::end, crate::guidance::session_routes::save,
        crate::guidance::session_routes::cancel,
        crate::chat::routes::issue_ticket, crate::chat::routes::list_rooms,
        crate::chat::routes::unread, crate::chat::routes::messages, crate::chat::routes::search,
        crate::chat::routes::pinned, crate::chat::routes::read,
        crate::chat::moderation_routes::hide, crate::chat::moderation_routes::unhide,
        crate::chat::moderation_routes::remove, crate::chat::moderation_routes::pin,
        crate::chat::moderation_routes::unpin, crate::chat::moderation_routes::settings,
        crate::chat::moderation_routes::mute, crate::chat::moderation_routes::mutes,
        crate::chat::moderation_routes::unmute, crate::chat::moderation_routes::report,
        crate::chat::moderation_routes::queue, crate::chat::moderation_routes::resolve,
    ),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}
