//! Aggregate reports: the organisation's dashboard (exact counts), their protected exports
//! (CSV or JSON, small cells suppressed, audited) and platform-wide statistics (protected
//! only).

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chrono::NaiveDate;
use haven_domain::reports::anonymised;
use haven_domain::reports::protected::{self, ProtectedReport};
use haven_domain::reports::{self, Granularity, Report, ReportFilter, ReportName};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// What a report covers.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// First day included (default: the first day of the month eleven months ago, or 29 days
    /// ago by day).
    pub from: Option<NaiveDate>,
    /// Last day included (default: today). At most 120 months after `from`, or 92 days by day.
    pub to: Option<NaiveDate>,
    /// Only what concerns cases placed in this shelter (ignored by `training`).
    pub shelter_id: Option<Uuid>,
    /// Length of the periods of `occupancy` and `signals_and_intakes`: `month` (default) or
    /// `day`.
    pub granularity: Option<Granularity>,
}

/// The form of an export.
#[derive(Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Json,
}

/// What an export covers, and its form.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `csv` (default) or `json`.
    #[param(inline)]
    pub format: Option<ExportFormat>,
    /// First day included.
    pub from: Option<NaiveDate>,
    /// Last day included.
    pub to: Option<NaiveDate>,
    /// Only what concerns cases placed in this shelter.
    pub shelter_id: Option<Uuid>,
    /// `month` (default) or `day`.
    pub granularity: Option<Granularity>,
}

/// Platform statistics cover a period; shelters are not told apart.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatisticsQuery {
    /// First day included.
    pub from: Option<NaiveDate>,
    /// Last day included.
    pub to: Option<NaiveDate>,
    /// `month` (default) or `day`.
    pub granularity: Option<Granularity>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportRowOut {
    /// One per dimension, in the order of `dimensions`.
    pub keys: Vec<String>,
    pub count: i64,
    /// One per column of `extra`.
    pub extra: Vec<i64>,
}

/// A report with exact counts (the organisation's own dashboard).
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "report": "cases_by_stage", "from": "2026-01-01", "to": "2026-11-30", "shelter_id": null,
    "granularity": "month", "dimensions": ["stage"], "measure": "cases", "extra": [],
    "rows": [{"keys": ["assistance"], "count": 14, "extra": []}, {"keys": ["intake"], "count": 3, "extra": []}]
}))]
pub struct ReportOut {
    pub report: ReportName,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub shelter_id: Option<Uuid>,
    pub granularity: Granularity,
    /// What the keys of each row are.
    pub dimensions: Vec<String>,
    /// What `count` counts.
    pub measure: String,
    /// Figures beside the count that are not counts of people.
    pub extra: Vec<String>,
    pub rows: Vec<ReportRowOut>,
}

/// The dimensions, the measure and the extra columns of a report, by name.
fn columns(name: ReportName) -> (Vec<String>, String, Vec<String>) {
    let shape = name.shape();
    (
        shape.dimensions.iter().map(|d| (*d).to_owned()).collect(),
        shape.measure.to_owned(),
        shape.extra.iter().map(|d| (*d).to_owned()).collect(),
    )
}

impl From<Report> for ReportOut {
    fn from(r: Report) -> Self {
        let (dimensions, measure, extra) = columns(r.name);
        Self {
            report: r.name,
            from: r.filter.from,
            to: r.filter.to,
            shelter_id: r.filter.shelter,
            granularity: r.filter.granularity,
            dimensions,
            measure,
            extra,
            rows: r
                .rows
                .into_iter()
                .map(|row| ReportRowOut {
                    keys: row.keys,
                    count: row.count,
                    extra: row.extra,
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProtectedRowOut {
    pub keys: Vec<String>,
    /// `null` when suppressed.
    pub count: Option<i64>,
    pub suppressed: bool,
    pub extra: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ProtectedTotalOut {
    /// `null` for the dimensions summed over.
    pub keys: Vec<Option<String>>,
    /// `null` when any cell it adds up is suppressed.
    pub count: Option<i64>,
    pub suppressed: bool,
}

/// A report as it may leave the organisation: no count below `k` is shown, further cells are
/// suppressed where a total or a line of the table would reveal a suppressed one, and totals
/// are given only over cells that are all shown. Zero counts are not listed.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "report": "cases_by_stage", "from": "2026-01-01", "to": "2026-11-30", "shelter_id": null,
    "granularity": "month", "k": 11, "dimensions": ["stage"], "measure": "cases", "extra": [],
    "rows": [
        {"keys": ["assistance"], "count": 40, "suppressed": false, "extra": []},
        {"keys": ["intake"], "count": null, "suppressed": true, "extra": []},
        {"keys": ["reflection"], "count": null, "suppressed": true, "extra": []}
    ],
    "totals": [{"keys": [null], "count": null, "suppressed": true}]
}))]
pub struct ProtectedReportOut {
    pub report: ReportName,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub shelter_id: Option<Uuid>,
    pub granularity: Granularity,
    /// The threshold applied.
    pub k: u32,
    pub dimensions: Vec<String>,
    pub measure: String,
    pub extra: Vec<String>,
    pub rows: Vec<ProtectedRowOut>,
    pub totals: Vec<ProtectedTotalOut>,
}

impl From<ProtectedReport> for ProtectedReportOut {
    fn from(r: ProtectedReport) -> Self {
        let (dimensions, measure, extra) = columns(r.name);
        Self {
            report: r.name,
            from: r.filter.from,
            to: r.filter.to,
            shelter_id: r.filter.shelter,
            granularity: r.filter.granularity,
            k: r.k,
            dimensions,
            measure,
            extra,
            rows: r
                .rows
                .into_iter()
                .map(|row| ProtectedRowOut {
                    suppressed: row.count.is_none(),
                    keys: row.keys,
                    count: row.count,
                    extra: row.extra,
                })
                .collect(),
            totals: r
                .totals
                .into_iter()
                .map(|t| ProtectedTotalOut {
                    suppressed: t.count.is_none(),
                    keys: t.keys,
                    count: t.count,
                })
                .collect(),
        }
    }
}

/// One CSV field, quoted when needed; a leading formula character is neutralised.
fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

fn csv_line(fields: &[String]) -> String {
    let mut line = fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// The CSV of a protected report: a header, one line per row, then the totals (`total` in the
/// dimensions summed over). A suppressed count is an empty field with `suppressed` = `true`.
#[must_use]
pub fn protected_csv(r: &ProtectedReport) -> String {
    let shape = r.name.shape();
    let mut header: Vec<String> = shape.dimensions.iter().map(|d| (*d).to_owned()).collect();
    header.push(shape.measure.to_owned());
    header.extend(shape.extra.iter().map(|d| (*d).to_owned()));
    header.push("suppressed".to_owned());
    let mut out = csv_line(&header);
    for row in &r.rows {
        let mut fields = row.keys.clone();
        fields.push(row.count.map(|c| c.to_string()).unwrap_or_default());
        fields.extend(row.extra.iter().map(ToString::to_string));
        fields.push(row.count.is_none().to_string());
        out.push_str(&csv_line(&fields));
    }
    for total in &r.totals {
        let mut fields: Vec<String> = total
            .keys
            .iter()
            .map(|k| k.clone().unwrap_or_else(|| "total".to_owned()))
            .collect();
        fields.push(total.count.map(|c| c.to_string()).unwrap_or_default());
        fields.extend(shape.extra.iter().map(|_| String::new()));
        fields.push(total.count.is_none().to_string());
        out.push_str(&csv_line(&fields));
    }
    out
}

/// A report of your organisation with exact counts, for its own dashboard. Needs
/// `reports.read`.
#[utoipa::path(
    tag = "reports",
    operation_id = "get_report",
    params(("name" = ReportName, Path, description = "Which report"), ReportQuery),
    responses(
        (status = 200, description = "The report", body = ReportOut),
        (status = 403, description = "Missing `reports.read`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such shelter in this organisation (`shelter_id`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A period that ends before it starts, or is too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/{name}")]
pub async fn get_report(
    auth: Authenticated,
    state: web::Data<AppState>,
    name: web::Path<ReportName>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let filter = ReportFilter::new(query.from, query.to, query.shelter_id, query.granularity)?;
    let report = reports::dashboard(&state.db, scope, name.into_inner(), &filter).await?;
    Ok(HttpResponse::Ok().json(ReportOut::from(report)))
}

/// A report of your organisation in protected form, to share outside it: counts below the
/// organisation's `k_threshold` are suppressed, with secondary suppression against
/// differencing. The export is audited. Needs `reports.read`.
#[utoipa::path(
    tag = "reports",
    operation_id = "export_report",
    params(("name" = ReportName, Path, description = "Which report"), ExportQuery),
    responses(
        (status = 200, description = "The protected report", content(
            (String = "text/csv"),
            (ProtectedReportOut = "application/json"),
        ), headers(("Content-Disposition" = String, description = "attachment; filename=…"))),
        (status = 403, description = "Missing `reports.read`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such shelter in this organisation (`shelter_id`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A period that ends before it starts, or is too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/{name}/export")]
pub async fn export_report(
    auth: Authenticated,
    state: web::Data<AppState>,
    name: web::Path<ReportName>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let name = name.into_inner();
    let format = query.format.unwrap_or(ExportFormat::Csv);
    let filter = ReportFilter::new(query.from, query.to, query.shelter_id, query.granularity)?;
    let format_name = match format {
        ExportFormat::Csv => "csv",
        ExportFormat::Json => "json",
    };
    let report = protected::export(&state.db, scope, name, &filter, format_name).await?;
    let disposition = format!("attachment; filename=\"{}.{format_name}\"", name.as_str());
    let mut builder = HttpResponse::Ok();
    builder.insert_header((header::CONTENT_DISPOSITION, disposition));
    Ok(match format {
        ExportFormat::Csv => builder
            .content_type("text/csv; charset=utf-8")
            .body(protected_csv(&report)),
        ExportFormat::Json => builder.json(ProtectedReportOut::from(report)),
    })
}

/// A report over every organisation on the platform, in protected form only: at the highest of
/// the default threshold (11) and every organisation's own, with secondary suppression, and
/// shelters not told apart. Platform administrators only.
#[utoipa::path(
    tag = "platform",
    operation_id = "get_platform_statistics",
    params(("name" = ReportName, Path, description = "Which report"), StatisticsQuery),
    responses(
        (status = 200, description = "The protected statistics", body = ProtectedReportOut),
        (status = 403, description = "Not a platform administrator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A period that ends before it starts, or is too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/platform/statistics/{name}")]
pub async fn get_platform_statistics(
    auth: Authenticated,
    state: web::Data<AppState>,
    name: web::Path<ReportName>,
    query: web::Query<StatisticsQuery>,
) -> Result<HttpResponse, ApiError> {
    let ctx = auth.platform()?;
    let filter = ReportFilter::new(query.from, query.to, None, query.granularity)?;
    let report = protected::platform(&state.db, ctx, name.into_inner(), &filter).await?;
    Ok(HttpResponse::Ok().json(ProtectedReportOut::from(report)))
}

/// The case-level anonymised export of your organisation (CSV, streamed): one row per case,
/// no identifier, fields aligned with the CTDC / HTCDS case-level data, and k-anonymity over
/// the quasi-identifiers at the organisation's `k_threshold` (generalised, then records left
/// out). The columns are described in `docs/ANONYMISED-EXPORT.md`. The export is audited.
/// Needs `reports.read`.
#[utoipa::path(
    tag = "reports",
    operation_id = "export_anonymised_cases",
    responses(
        (status = 200, description = "The anonymised cases", body = String, content_type = "text/csv",
            headers(("Content-Disposition" = String, description = "attachment; filename=…"))),
        (status = 403, description = "Missing `reports.read`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/exports/anonymised-cases")]
pub async fn export_anonymised_cases(
    auth: Authenticated,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let export = anonymised::start(&state.db, scope).await?;
    let first = csv_line(&anonymised::header());
    let pages =
        futures_util::stream::unfold((Some(first), Some(export)), |(first, export)| async move {
            if let Some(header) = first {
                return Some((Ok(web::Bytes::from(header)), (None, export)));
            }
            let mut export = export?;
            match export.next_page().await {
                Ok(Some(records)) => {
                    let chunk: String = records.iter().map(|r| csv_line(&r.fields())).collect();
                    Some((Ok(web::Bytes::from(chunk)), (None, Some(export))))
                }
                Ok(None) => None,
                Err(err) => {
                    tracing::error!(error = %err, "the anonymised export stopped");
                    Some((
                        Err(actix_web::error::ErrorInternalServerError("export failed")),
                        (None, None),
                    ))
                }
            }
        });
    Ok(HttpResponse::Ok()
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"anonymised-cases.csv\"",
        ))
        .content_type("text/csv; charset=utf-8")
        .streaming(pages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
    }
}
