//! sea-orm entities matching the migrations. Plumbing only: behaviour lives in the services,
//! and entities never reach JSON. Tenant-owned entities are queried through their
//! `scoped(tenant)` constructor, never through a bare `find()`.

pub mod audit_chain;
pub mod audit_event;
pub mod bed;
pub mod case;
pub mod case_code_counter;
pub mod case_member;
pub mod case_note;
pub mod case_transition;
pub mod client;
pub mod client_key;
pub mod client_name_index;
pub mod consent;
pub mod deadline;
pub mod document;
pub mod hearing;
pub mod incident;
pub mod interview;
pub mod interview_interviewer;
pub mod legal_proceeding;
pub mod notification;
pub mod password_token;
pub mod placement;
pub mod platform_admin;
pub mod platform_refresh_token;
pub mod refresh_token;
pub mod room;
pub mod service_entry;
pub mod shelter;
pub mod shelter_staff;
pub mod signing_key;
pub mod support_goal;
pub mod support_review;
pub mod ta_engagement;
pub mod task;
pub mod tenant;
pub mod tenant_key;
pub mod tenant_setting;
pub mod training_course;
pub mod training_course_module;
pub mod training_course_version;
pub mod training_session;
pub mod training_session_trainer;
pub mod user;
