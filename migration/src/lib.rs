//! Haven's schema migrations. Migrations run as the owner role; the application connects as
//! an app role that owns nothing, so on PostgreSQL the row-level security policies created
//! here (see [`rls`]) always apply to it.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_create_identity;
mod m20261128_000002_create_tenant_keys;
mod m20261128_000003_create_shelters;
mod m20261128_000004_create_clients_and_cases;
mod m20261128_000005_create_placements;
mod m20261128_000006_create_interviews;
mod m20261128_000007_create_deadlines;
mod m20261128_000008_create_support;
mod m20261128_000009_create_documents_and_legal;
mod m20261128_000010_create_tasks_and_incidents;
mod m20261128_000011_create_case_notes;
mod m20261128_000012_create_training;
mod m20261201_010000_create_directory;
mod m20261201_020001_create_training_library;
mod m20261201_020002_create_training_sessions;
mod m20261201_040000_add_session_lock_minutes;
mod m20261201_050000_create_referrals;
mod m20261201_060000_add_k_threshold;
mod m20261201_070000_add_data_protection_settings;
mod m20261201_080000_create_blind_index_keys;
mod m20261201_090000_index_cases_by_stage_and_id;
mod m20261207_000000_add_deadline_notices;
mod m20261207_100000_add_incoming_referral_recall;
mod m20261207_200000_add_referral_recalled_at;
pub mod rls;

/// Every migration, in order. A landed migration is never edited; a change is a new one.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_create_identity::Migration),
            Box::new(m20261128_000002_create_tenant_keys::Migration),
            Box::new(m20261128_000003_create_shelters::Migration),
            Box::new(m20261128_000004_create_clients_and_cases::Migration),
            Box::new(m20261128_000005_create_placements::Migration),
            Box::new(m20261128_000006_create_interviews::Migration),
            Box::new(m20261128_000007_create_deadlines::Migration),
            Box::new(m20261128_000008_create_support::Migration),
            Box::new(m20261128_000009_create_documents_and_legal::Migration),
            Box::new(m20261128_000010_create_tasks_and_incidents::Migration),
            Box::new(m20261128_000011_create_case_notes::Migration),
            Box::new(m20261128_000012_create_training::Migration),
            Box::new(m20261201_020001_create_training_library::Migration),
            Box::new(m20261201_020002_create_training_sessions::Migration),
            Box::new(m20261201_010000_create_directory::Migration),
            Box::new(m20261201_040000_add_session_lock_minutes::Migration),
            Box::new(m20261201_050000_create_referrals::Migration),
            Box::new(m20261201_060000_add_k_threshold::Migration),
            Box::new(m20261201_070000_add_data_protection_settings::Migration),
            Box::new(m20261201_080000_create_blind_index_keys::Migration),
            Box::new(m20261201_090000_index_cases_by_stage_and_id::Migration),
            Box::new(m20261207_000000_add_deadline_notices::Migration),
            Box::new(m20261207_100000_add_incoming_referral_recall::Migration),
            Box::new(m20261207_200000_add_referral_recalled_at::Migration),
        ]
    }
}
