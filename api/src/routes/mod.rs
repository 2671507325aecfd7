//! HTTP routes, one module per resource. [`configure`] registers every operation that belongs
//! in the OpenAPI document; the server and the document writer both call it.

pub mod audit;
pub mod auth;
pub mod cases;
pub mod clients;
pub mod common;
pub mod consents;
pub mod dataprot;
pub mod deadlines;
pub mod directory;
pub mod documents;
pub mod health;
pub mod incidents;
pub mod interviews;
pub mod legal;
pub mod me;
pub mod meta;
pub mod notes;
pub mod notifications;
pub mod placements;
pub mod referrals;
pub mod reports;
pub mod services;
pub mod shelters;
pub mod support;
pub mod tasks;
pub mod tenants;
pub mod training;
pub mod users;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every documented operation.
pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(health::live)
        .service(health::ready)
        .service(meta::metrics)
        .service(auth::jwks)
        .service(
            scope::scope("/api/v1")
                .service(meta::openapi_json)
                .service(auth::login)
                .service(auth::refresh)
                .service(auth::logout)
                .service(auth::set_password)
                .service(me::get_me)
                .service(me::change_password)
                .service(tenants::create_tenant)
                .service(tenants::list_tenants)
                .service(tenants::get_tenant)
                .service(tenants::update_tenant)
                .service(users::create_user)
                .service(users::list_users)
                .service(users::get_user)
                .service(users::update_user)
                .service(users::deactivate_user)
                .service(audit::list_audit_events)
                .service(audit::export_audit_events)
                .service(shelters::shelter::create_shelter)
                .service(shelters::shelter::list_shelters)
                .service(shelters::shelter::get_shelter)
                .service(shelters::shelter::update_shelter)
                .service(shelters::shelter::delete_shelter)
                .service(shelters::shelter::get_shelter_occupancy)
                .service(shelters::staff::list_shelter_staff)
                .service(shelters::staff::assign_shelter_staff)
                .service(shelters::staff::get_shelter_staff)
                .service(shelters::staff::remove_shelter_staff)
                .service(shelters::rooms::create_room)
                .service(shelters::rooms::list_rooms)
                .service(shelters::rooms::get_room)
                .service(shelters::rooms::update_room)
                .service(shelters::rooms::delete_room)
                .service(shelters::beds::create_bed)
                .service(shelters::beds::list_beds)
                .service(shelters::beds::get_bed)
                .service(shelters::beds::update_bed)
                .service(shelters::beds::delete_bed)
                .service(clients::create_client)
                .service(clients::list_clients)
                .service(clients::search_clients)
                .service(clients::get_client)
                .service(dataprot::export_client)
                .service(dataprot::request_client_erasure)
                .service(dataprot::list_pending_erasures)
                .service(dataprot::get_erasure)
                .service(dataprot::approve_erasure)
                .service(clients::update_client)
                .service(cases::create_case)
                .service(cases::list_cases)
                .service(cases::get_case)
                .service(cases::transition_case)
                .service(cases::list_transitions)
                .service(cases::assign_member)
                .service(cases::list_team)
                .service(cases::remove_member)
                .service(placements::create_placement)
                .service(placements::list_placements)
                .service(placements::get_placement)
                .service(placements::update_placement)
                .service(placements::list_residents)
                .service(notes::create_note)
                .service(notes::list_notes)
                .service(notes::get_note)
                .service(notes::correct_note)
                .service(notes::case_timeline)
                .service(interviews::create_interview)
                .service(interviews::list_case_interviews)
                .service(interviews::get_interview)
                .service(interviews::update_interview)
                .service(interviews::get_interview_indicators)
                .service(documents::create_document)
                .service(documents::list_case_documents)
                .service(documents::list_documents)
                .service(documents::get_document)
                .service(documents::update_document)
                .service(legal::create_proceeding)
                .service(legal::list_case_proceedings)
                .service(legal::get_proceeding)
                .service(legal::update_proceeding)
                .service(legal::create_hearing)
                .service(legal::list_hearings)
                .service(legal::get_hearing)
                .service(legal::update_hearing)
                .service(consents::list_client_consents)
                .service(consents::get_consent)
                .service(consents::withdraw_consent)
                .service(deadlines::list_deadlines)
                .service(deadlines::get_deadline)
                .service(deadlines::update_deadline)
                .service(deadlines::start_procedure_step)
                .service(support::create_goal)
                .service(support::list_case_goals)
                .service(support::get_goal)
                .service(support::update_goal)
                .service(support::create_review)
                .service(support::list_case_reviews)
                .service(support::get_review)
                .service(services::create_service)
                .service(services::list_case_services)
                .service(services::list_services)
                .service(services::get_service)
                .service(services::update_service)
                .service(services::get_service_types)
                .service(tasks::create_task)
                .service(tasks::list_tasks)
                .service(tasks::get_task)
                .service(tasks::update_task)
                .service(tasks::get_agenda)
                .service(training::create_engagement)
                .service(training::list_engagements)
                .service(training::get_engagement)
                .service(training::update_engagement)
                .service(training::courses::create_course)
                .service(training::courses::list_courses)
                .service(training::courses::get_course)
                .service(training::versions::create_course_version)
                .service(training::versions::list_course_versions)
                .service(training::versions::get_course_version)
                .service(training::versions::review_course_version)
                .service(training::versions::list_course_proposals)
                .service(training::sessions::create_session)
                .service(training::sessions::list_sessions)
                .service(training::summary::get_session_summary)
                .service(training::sessions::get_session)
                .service(training::sessions::update_session)
                .service(incidents::create_incident)
                .service(incidents::list_incidents)
                .service(incidents::get_incident)
                .service(incidents::update_incident)
                .service(notifications::list_notifications)
                .service(notifications::get_notification)
                .service(notifications::mark_notification_read)
                .service(reports::get_report)
                .service(reports::export_report)
                .service(reports::get_platform_statistics)
                .service(reports::export_anonymised_cases)
                .service(deadlines::list_templates)
                .service(deadlines::get_settings)
                .service(deadlines::update_settings)
                .service(directory::entries::search_directory)
                .service(directory::entries::create_directory_entry)
                .service(directory::entries::get_directory_entry)
                .service(directory::entries::update_directory_entry)
                .service(directory::entries::delete_directory_entry)
                .service(directory::entries::verify_directory_entry)
                .service(directory::entries::reject_directory_entry)
                .service(directory::entries::link_directory_entry)
                .service(directory::entries::publish_directory_beds)
                .service(directory::entries::get_directory_service_types)
                .service(directory::proposals::list_directory_proposals)
                .service(directory::proposals::get_directory_proposal)
                .service(directory::proposals::verify_directory_proposal)
                .service(directory::proposals::reject_directory_proposal)
                .service(referrals::incoming::list_incoming_referrals)
                .service(referrals::incoming::get_incoming_referral)
                .service(referrals::incoming::accept_incoming_referral)
                .service(referrals::incoming::decline_incoming_referral)
                .service(referrals::sent::create_referral)
                .service(referrals::sent::list_referrals)
                .service(referrals::sent::get_referral)
                .service(referrals::sent::transition_referral)
                .service(referrals::sent::get_referral_pack)
                .service(referrals::sent::list_case_referrals),
        );
}
