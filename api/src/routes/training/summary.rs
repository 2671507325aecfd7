//! How many people an organisation trained, by audience and period.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use chrono::NaiveDate;
use haven_domain::training::summary::{self, SummaryQuery, SummaryRow};
use haven_domain::vocab::{Audience, SummaryPeriod};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SummaryParams {
    /// `month` (default), `quarter` or `year`.
    pub period: Option<SummaryPeriod>,
    /// Held on or after.
    pub from: Option<NaiveDate>,
    /// Held on or before.
    pub to: Option<NaiveDate>,
    pub audience: Option<Audience>,
}

#[derive(Serialize, ToSchema)]
pub struct SummaryRowOut {
    /// `2026-11`, `2026-Q4` or `2026`; empty in totals.
    pub period: String,
    pub audience: Audience,
    pub sessions: i64,
    /// People trained.
    pub participants: i64,
}

impl From<SummaryRow> for SummaryRowOut {
    fn from(r: SummaryRow) -> Self {
        Self {
            period: r.period,
            audience: r.audience,
            sessions: r.sessions,
            participants: r.participants,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "period": "month", "from": "2026-01-01", "to": null,
    "rows": [{"period": "2026-11", "audience": "police", "sessions": 2, "participants": 46}],
    "totals": [{"period": "", "audience": "police", "sessions": 2, "participants": 46}]
}))]
pub struct SummaryOut {
    pub period: SummaryPeriod,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Per period and audience, in order.
    pub rows: Vec<SummaryRowOut>,
    /// Per audience over the whole range.
    pub totals: Vec<SummaryRowOut>,
}

/// People trained by audience and period (month, quarter or year), counted over your
/// organisation's sessions. Needs `training.read` or `reports.read`.
#[utoipa::path(
    tag = "training",
    operation_id = "get_session_summary",
    params(SummaryParams),
    responses(
        (status = 200, description = "The counts", body = SummaryOut),
        (status = 400, description = "Malformed filter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `training.read` and `reports.read`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/training/sessions/summary")]
pub async fn get_session_summary(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<SummaryParams>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let query = SummaryQuery {
        period: query.period.unwrap_or(SummaryPeriod::Month),
        from: query.from,
        to: query.to,
        audience: query.audience,
    };
    let counted = summary::summary(&state.db, scope, &query).await?;
    Ok(HttpResponse::Ok().json(SummaryOut {
        period: query.period,
        from: query.from,
        to: query.to,
        rows: counted.rows.into_iter().map(SummaryRowOut::from).collect(),
        totals: counted
            .totals
            .into_iter()
            .map(SummaryRowOut::from)
            .collect(),
    }))
}
