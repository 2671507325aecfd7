//! The problems any operation can answer because of the request pipeline rather than the
//! handler — a malformed request, a missing token, a body that is too large or not JSON, a rate
//! limit, an unavailable database — declared on every operation they apply to, so the document
//! lists every status code a client can meet.

use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, ResponseBuilder};

use crate::error::PROBLEM_JSON;

/// What decides whether a pipeline problem applies to an operation.
#[derive(Clone, Copy)]
struct Shape {
    /// The operation takes path or query parameters.
    parameters: bool,
    /// The operation takes a request body.
    body: bool,
    /// The operation needs an access token.
    secured: bool,
    /// A sign-in operation (its own rate limits, and it reads the database without a token).
    sign_in: bool,
}

/// One pipeline problem: its status, its description, and when it applies.
struct Common {
    status: &'static str,
    description: &'static str,
    applies: fn(Shape) -> bool,
}

const COMMON: &[Common] = &[
    Common {
        status: "400",
        description: "The request is malformed: a parameter of the wrong kind or an unknown one, \
            or a body that is not JSON or has unknown fields",
        applies: |s| s.parameters || s.body,
    },
    Common {
        status: "401",
        description: "No valid access token",
        applies: |s| s.secured,
    },
    Common {
        status: "403",
        description: "The signed-in account may not do this (e.g. a platform administrator on an \
            organisation's data, or a role without the permission)",
        applies: |s| s.secured,
    },
    Common {
        status: "413",
        description: "The request body is larger than the configured limit",
        applies: |s| s.body,
    },
    Common {
        status: "415",
        description: "The request body is not sent as `application/json`",
        applies: |s| s.body,
    },
    Common {
        status: "429",
        description: "Too many requests; `Retry-After` says when to try again",
        applies: |s| s.secured || s.sign_in,
    },
    Common {
        status: "503",
        description: "The database or the cache does not answer; retry later",
        applies: |s| s.secured || s.sign_in,
    },
];

/// Adds the pipeline problems to every operation they apply to, leaving a response an
/// operation already declares (with its own description) as it is.
pub(super) fn declare_common_problems(doc: &mut OpenApi) {
    let global_security = doc
        .security
        .as_ref()
        .is_some_and(|requirements| requires_token(requirements));
    for (path, item) in &mut doc.paths.paths {
        let sign_in = path.starts_with("/api/v1/auth/");
        for operation in operations(item) {
            let shape = Shape {
                parameters: operation.parameters.as_ref().is_some_and(|p| !p.is_empty()),
                body: operation.request_body.is_some(),
                secured: operation
                    .security
                    .as_ref()
                    .map_or(global_security, |requirements| requires_token(requirements)),
                sign_in: sign_in && operation.request_body.is_some(),
            };
            for common in COMMON.iter().filter(|c| (c.applies)(shape)) {
                operation
                    .responses
                    .responses
                    .entry(common.status.to_owned())
                    .or_insert_with(|| problem_response(common.description));
            }
        }
    }
}

/// Whether a list of security requirements demands a credential (an empty requirement, `{}`,
/// makes the operation public).
fn requires_token(requirements: &[utoipa::openapi::security::SecurityRequirement]) -> bool {
    !requirements.is_empty()
        && requirements.iter().all(|requirement| {
            serde_json::to_value(requirement)
                .ok()
                .and_then(|v| v.as_object().map(|o| !o.is_empty()))
                .unwrap_or(true)
        })
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.options.as_mut(),
        item.head.as_mut(),
        item.patch.as_mut(),
        item.trace.as_mut(),
    ]
    .into_iter()
    .flatten()
}

fn problem_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                PROBLEM_JSON,
                Content::new(Some(Ref::from_schema_name("Problem"))),
            )
            .build(),
    )
}
