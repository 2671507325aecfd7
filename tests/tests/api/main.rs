//! Haven's black-box suite: the real server on a random port, against a fresh database per
//! test binary — SQLite by default, PostgreSQL when `HAVEN_TEST_DATABASE_URL` names a superuser
//! URL — and Redis when `HAVEN_TEST_REDIS_URL` is set.

// A failed expectation in the suite is a failed test: panicking is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audit;
mod auth;
mod backup_restore;
mod cache;
mod cases;
mod clients;
mod data_protection;
mod deadline_notices;
mod deadlines;
mod directory;
mod documents;
mod errors;
mod faults;
mod faults_process;
mod free_beds;
mod frontend;
mod health;
mod helpers;
mod hostile;
mod hostile_rows;
mod incidents;
mod interviews;
mod isolation;
mod key_rotation;
mod legal;
mod limits;
mod notes;
mod openapi;
mod placements;
mod referral_recall;
mod referrals;
mod reports;
mod rls;
mod session_cookie;
mod shelters;
mod startup;
mod support;
mod synthetic;
mod tasks;
mod tenants;
mod tokens;
mod training;
mod training_library;
mod training_library_rules;
mod training_sessions;
mod users;
