//! HTTP routes, one module per resource. [`configure`] registers every operation that belongs
//! in the OpenAPI document; the server and the document writer both call it.

pub mod audit;
pub mod auth;
pub mod cases;
pub mod clients;
pub mod common;
pub mod consents;
pub mod deadlines;
pub mod health;
pub mod interviews;
pub mod me;
pub mod meta;
pub mod placements;
pub mod shelters;
pub mod tenants;
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
                .service(clients::get_client)
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
                .service(interviews::create_interview)
                .service(interviews::list_case_interviews)
                .service(interviews::get_interview)
                .service(interviews::update_interview)
                .service(interviews::get_interview_indicators)
                .service(consents::list_client_consents)
                .service(consents::get_consent)
                .service(consents::withdraw_consent)
                .service(deadlines::list_deadlines)
                .service(deadlines::get_deadline)
                .service(deadlines::update_deadline)
                .service(deadlines::start_procedure_step)
                .service(deadlines::list_templates)
                .service(deadlines::get_settings)
                .service(deadlines::update_settings),
        );
}
