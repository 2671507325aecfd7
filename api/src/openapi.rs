//! The OpenAPI document: general information, security schemes and shared schemas here;
//! paths come from the handlers registered in [`crate::routes::configure`].

use crate::error::{FieldError, Problem};
use actix_web::App;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt as _;

mod problems;
mod text;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Haven API",
        description = "Case management for organisations that shelter and assist victims of \
            human trafficking. Every error is an RFC 9457 problem document \
            (`application/problem+json`); every response carries `X-Request-Id`. A problem's \
            `title`, `detail` and `errors[].message` are written in the first language of the \
            request's `Accept-Language` that Haven speaks (English, French or Dutch; English \
            otherwise), named in `Content-Language`; `code`, `type` and field names never change.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    components(schemas(Problem, FieldError)),
    modifiers(&SecuritySchemes),
    security(("bearer" = [])),
    tags(
        (name = "health", description = "Liveness and readiness probes"),
        (name = "meta", description = "The API's own description and metrics"),
        (name = "auth", description = "Signing in and out, tokens and their public keys"),
        (name = "me", description = "The signed-in user"),
        (name = "tenants", description = "Organisations (platform administrators)"),
        (name = "users", description = "An organisation's users and roles"),
        (name = "audit", description = "An organisation's audit log"),
        (name = "shelters", description = "Shelters (confidential addresses), rooms, beds, staff and occupancy"),
        (name = "clients", description = "The people an organisation assists (identities sealed)"),
        (name = "cases", description = "Assistance episodes, their stages and teams"),
        (name = "placements", description = "Clients in beds: reservations, admissions, departures"),
        (name = "interviews", description = "Identification interviews: indicator checklist, outcome, risks, sealed narrative"),
        (name = "consents", description = "What clients consented to, given in interviews, and withdrawals"),
        (name = "deadlines", description = "Deadlines from the country's procedure template, and its settings"),
        (name = "support", description = "Support plans: goals per service area (sealed descriptions and the client's own view), reviews and the next review deadline"),
        (name = "services", description = "The service log: services given per area and type, provider, linked goal, sealed note"),
        (name = "documents", description = "Administrative documents (permits, identity papers, registrations): status, sealed number, expiry deadlines"),
        (name = "legal", description = "Legal proceedings: type, status, sealed reference, the client's role, contacts and hearings"),
        (name = "notes", description = "Case notes: append-only, corrected by new versions"),
        (name = "tasks", description = "Tasks and appointments, and the agenda that merges them with case deadlines"),
        (name = "incidents", description = "Incidents in shelter life: category, severity, residents involved by case code, sealed account"),
        (name = "training", description = "Training work: the shared training library (courses, versions, Markdown modules; proposals verified by platform administrators), training sessions and their summary, and technical-assistance engagements with partner organisations and government bodies"),
        (name = "notifications", description = "Your notifications (e.g. a serious security incident in a shelter you manage)"),
        (name = "directory", description = "The shared referral directory: partner organisations, proposals and their verification, links to Haven organisations, beds tonight"),
        (name = "referrals", description = "Referrals of cases to directory organisations on the client's consent (or an audited override), their status flow and printable pack, and the inbox of referrals from other Haven organisations"),
        (name = "data-protection", description = "Subject access (everything held about one client) and erasure by crypto-shredding, with optional two-person approval"),
        (name = "reference", description = "Reference data shared by every organisation (the same for all tenants)"),
        (name = "reports", description = "Aggregate reports: the dashboard (exact counts, never decrypted) and protected exports (small cells suppressed at the organisation's k threshold, audited)"),
        (name = "platform", description = "Statistics over every organisation (platform administrators; protected form only)"),
    )
)]
struct BaseDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("An access token from `POST /api/v1/auth/login`."))
                    .build(),
            ),
        );
    }
}

/// The serialised document the server hands out.
pub struct SpecDocument {
    pub json: String,
}

/// Builds the OpenAPI document from the handlers, without starting a server.
#[must_use]
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = App::new()
        .into_utoipa_app()
        .openapi(BaseDoc::openapi())
        .configure(crate::routes::configure)
        .split_for_parts();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    problems::declare_common_problems(&mut doc);
    text::forbid_nul(&mut doc);
    doc
}

/// The document as pretty-printed JSON with a trailing newline, as committed.
///
/// # Errors
/// Serialisation cannot fail for a well-formed document; the error is passed on regardless.
pub fn document_json() -> Result<String, serde_json::Error> {
    to_json(&document())
}

/// `doc` as pretty-printed JSON with a trailing newline, as committed.
///
/// # Errors
/// As [`document_json`].
pub fn to_json(doc: &utoipa::openapi::OpenApi) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(doc)?;
    text.push('\n');
    Ok(text)
}
