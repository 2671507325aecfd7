//! Procedure templates: the residence and status procedure a tenant's country applies to
//! victims, as data (`domain/data/procedures/*.json`), validated when first loaded. Entering
//! a case stage starts the template's steps for that stage; each started step creates its
//! deadlines (the end of its validity and reminders before it). Other steps (a renewal, the
//! next permit) are started by hand.

use crate::access::{forbidden, not_found, require};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::entities::{deadline, tenant, tenant_setting};
use crate::error::{DomainError, DomainResult};
use crate::ids::TenantId;
use crate::reports::suppression::{DEFAULT_K, MAX_K, MIN_K};
use crate::tenancy::TenantScope;
use crate::vocab::Stage;
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection, EntityTrait as _,
    QueryFilter as _, QuerySelect as _, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;
use uuid::Uuid;

/// How long a step's document is valid.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, untagged)]
pub enum Validity {
    /// A fixed number of days.
    Days { days: u32 },
    /// The value of one of the template's parameters.
    Parameter { parameter: String },
}

/// A reminder before the end of a step.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Reminder {
    pub kind: String,
    pub title: String,
    pub before_end_days: u32,
}

/// One step of a procedure (a period, a permit).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub code: String,
    pub title: String,
    /// The document that goes with the step, if any.
    pub document: Option<String>,
    /// Absent for steps without an end (permanent stay).
    pub validity: Option<Validity>,
    /// `no`, `once` or `while_proceedings`.
    pub renewable: String,
    pub reminders: Vec<Reminder>,
}

/// A tunable value of a template.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    pub default: u32,
    pub min: u32,
    pub max: u32,
    pub description: String,
}

/// A procedure template.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub id: String,
    pub version: u32,
    pub name: String,
    /// The country whose tenants get it by default.
    pub country: Option<String>,
    pub parameters: BTreeMap<String, Parameter>,
    pub steps: Vec<Step>,
    /// Steps started when a case enters a stage.
    pub on_stage: BTreeMap<String, Vec<String>>,
}

const SOURCES: [(&str, &str); 2] = [
    ("be", include_str!("../data/procedures/be.json")),
    ("generic", include_str!("../data/procedures/generic.json")),
];

fn validate(template: &Template, file: &str) -> Result<(), String> {
    if template.id != file {
        return Err(format!(
            "{file}: id `{}` does not match the file",
            template.id
        ));
    }
    for step in &template.steps {
        if !["no", "once", "while_proceedings"].contains(&step.renewable.as_str()) {
            return Err(format!(
                "{file}: step {} has an unknown `renewable`",
                step.code
            ));
        }
        if let Some(Validity::Parameter { parameter }) = &step.validity
            && !template.parameters.contains_key(parameter)
        {
            return Err(format!(
                "{file}: step {} names an unknown parameter {parameter}",
                step.code
            ));
        }
        let days = match &step.validity {
            Some(Validity::Days { days }) => Some(*days),
            Some(Validity::Parameter { parameter }) => {
                template.parameters.get(parameter).map(|p| p.min)
            }
            None => None,
        };
        for reminder in &step.reminders {
            if days.is_none_or(|d| reminder.before_end_days >= d) {
                return Err(format!(
                    "{file}: reminder {} of {} falls outside the step",
                    reminder.kind, step.code
                ));
            }
        }
    }
    for (stage, steps) in &template.on_stage {
        if Stage::parse(stage).is_none() {
            return Err(format!("{file}: unknown stage {stage}"));
        }
        for code in steps {
            if !template.steps.iter().any(|s| &s.code == code) {
                return Err(format!("{file}: stage {stage} starts unknown step {code}"));
            }
        }
    }
    for (name, p) in &template.parameters {
        if !(p.min <= p.default && p.default <= p.max) {
            return Err(format!(
                "{file}: parameter {name} has a default outside its range"
            ));
        }
    }
    Ok(())
}

/// Every template, parsed and checked once.
///
/// # Errors
/// When a template file is malformed (a build defect, caught by the unit tests).
pub fn templates() -> DomainResult<&'static [Template]> {
    static LOADED: OnceLock<Result<Vec<Template>, String>> = OnceLock::new();
    let loaded = LOADED.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(file, text)| {
                let template: Template =
                    serde_json::from_str(text).map_err(|e| format!("{file}: {e}"))?;
                validate(&template, file)?;
                Ok(template)
            })
            .collect()
    });
    loaded
        .as_deref()
        .map_err(|e| DomainError::Internal(anyhow::anyhow!("procedure templates: {e}")))
}

/// The template with `id`.
///
/// # Errors
/// `NotFound` for an unknown id.
pub fn template(id: &str) -> DomainResult<&'static Template> {
    templates()?
        .iter()
        .find(|t| t.id == id)
        .ok_or(DomainError::NotFound)
}

/// Minutes of inactivity before the web app locks, when the organisation sets nothing.
pub const DEFAULT_SESSION_LOCK_MINUTES: u32 = 15;
/// The longest inactivity period an organisation may choose.
pub const MAX_SESSION_LOCK_MINUTES: u32 = 480;

/// Days ahead that a deadline is announced to its case team when an organisation has not
/// chosen (see [`crate::deadlines::notices`]).
pub const DEFAULT_DEADLINE_NOTICE_DAYS: u32 = 7;
/// The most days ahead an organisation may have deadlines announced.
pub const MAX_DEADLINE_NOTICE_DAYS: u32 = 60;

/// The shortest retention period an organisation may set, in years.
pub const MIN_RETENTION_YEARS: u32 = 1;
/// The longest retention period an organisation may set, in years.
pub const MAX_RETENTION_YEARS: u32 = 100;

/// A tenant's procedure settings, with defaults filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub procedure_template: String,
    pub reflection_days: u32,
    /// Minutes without activity after which the web app locks the screen.
    pub session_lock_minutes: u32,
    /// The smallest count an aggregate leaving the organisation may show (see
    /// [`crate::reports::suppression`]).
    pub k_threshold: u32,
    /// Years a client's data is kept after their last case closed (`None`: kept until erased).
    pub retention_years: Option<u32>,
    /// Whether an erasure needs a second administrator's approval.
    pub two_person_erasure: bool,
    /// Days ahead that a deadline is announced to its case team (0: on its date only).
    pub deadline_notice_days: u32,
    /// When they were last changed (`None`: never, so the defaults apply).
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The version tag of `settings`, for `ETag` and `If-Match`.
#[must_use]
pub fn etag(settings: &Settings) -> String {
    format!(
        "\"{}\"",
        settings.updated_at.map_or(0, |at| at.timestamp_micros())
    )
}

/// A change to a tenant's settings; `None` keeps the current value.
#[derive(Clone, Debug, Default)]
pub struct SettingsChange<'a> {
    pub procedure_template: Option<&'a str>,
    pub reflection_days: Option<u32>,
    pub session_lock_minutes: Option<u32>,
    pub k_threshold: Option<u32>,
    /// `Some(None)` removes the retention period.
    pub retention_years: Option<Option<u32>>,
    pub two_person_erasure: Option<bool>,
    pub deadline_notice_days: Option<u32>,
}

/// The settings that apply to `tenant`: stored ones, else the template of its country.
///
/// # Errors
/// Database errors.
pub async fn settings<C: ConnectionTrait>(conn: &C, tenant: TenantId) -> DomainResult<Settings> {
    let stored = tenant_setting::Entity::scoped(tenant).one(conn).await?;
    resolve(conn, tenant, stored.as_ref()).await
}

/// The settings of `tenant` from its `stored` row, if any, and its template's defaults.
async fn resolve<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    stored: Option<&tenant_setting::Model>,
) -> DomainResult<Settings> {
    let template_id = match stored {
        Some(s) => s.procedure_template.clone(),
        None => {
            let country = tenant::Entity::find_by_id(*tenant.as_uuid())
                .one(conn)
                .await?
                .map(|t| t.country);
            templates()?
                .iter()
                .find(|t| t.country.is_some() && t.country == country)
                .map_or_else(|| "generic".to_owned(), |t| t.id.clone())
        }
    };
    let default_days = template(&template_id)?
        .parameters
        .get("reflection_days")
        .map_or(30, |p| p.default);
    Ok(Settings {
        procedure_template: template_id,
        reflection_days: stored
            .and_then(|s| s.reflection_days)
            .and_then(|d| u32::try_from(d).ok())
            .unwrap_or(default_days),
        session_lock_minutes: stored
            .and_then(|s| s.session_lock_minutes)
            .and_then(|m| u32::try_from(m).ok())
            .unwrap_or(DEFAULT_SESSION_LOCK_MINUTES),
        k_threshold: stored
            .and_then(|s| s.k_threshold)
            .and_then(|k| u32::try_from(k).ok())
            .unwrap_or(DEFAULT_K),
        retention_years: stored
            .and_then(|s| s.retention_years)
            .and_then(|y| u32::try_from(y).ok()),
        two_person_erasure: stored.is_some_and(|s| s.two_person_erasure),
        deadline_notice_days: stored
            .and_then(|s| s.deadline_notice_days)
            .and_then(|d| u32::try_from(d).ok())
            .unwrap_or(DEFAULT_DEADLINE_NOTICE_DAYS),
        updated_at: stored.map(|s| s.updated_at),
    })
}

/// Changes a tenant's settings (tenant administrators).
///
/// # Errors
/// `Forbidden` without `tenant.settings`; `PreconditionRequired`/`PreconditionFailed` unless
/// `if_match` names the current version; `Invalid` for an unknown template or a parameter out
/// of range; database errors.
pub async fn update_settings(
    db: &DatabaseConnection,
    scope: &TenantScope,
    change: SettingsChange<'_>,
    if_match: Option<&str>,
) -> DomainResult<Settings> {
    let SettingsChange {
        procedure_template,
        reflection_days,
        session_lock_minutes,
        k_threshold,
        retention_years,
        two_person_erasure,
        deadline_notice_days,
    } = change;
    require(db, scope, Permission::TenantSettings).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    // Locked, so a concurrent change cannot pass the same version check.
    let stored = tenant_setting::Entity::scoped(tenant)
        .lock_exclusive()
        .one(&txn)
        .await?;
    let current = resolve(&txn, tenant, stored.as_ref()).await?;
    let template_id = procedure_template
        .unwrap_or(&current.procedure_template)
        .to_owned();
    let chosen = template(&template_id)
        .map_err(|_| DomainError::invalid("procedure_template", "is not a known template"))?;
    let days = reflection_days.unwrap_or(current.reflection_days);
    if let Some(p) = chosen.parameters.get("reflection_days")
        && !(p.min..=p.max).contains(&days)
    {
        return Err(DomainError::invalid(
            "reflection_days",
            format!("must be between {} and {}", p.min, p.max),
        ));
    }
    let lock = session_lock_minutes.unwrap_or(current.session_lock_minutes);
    if !(1..=MAX_SESSION_LOCK_MINUTES).contains(&lock) {
        return Err(DomainError::invalid(
            "session_lock_minutes",
            format!("must be between 1 and {MAX_SESSION_LOCK_MINUTES}"),
        ));
    }
    let k = k_threshold.unwrap_or(current.k_threshold);
    if !(MIN_K..=MAX_K).contains(&k) {
        return Err(DomainError::invalid(
            "k_threshold",
            format!("must be between {MIN_K} and {MAX_K}"),
        ));
    }
    let retention = retention_years.unwrap_or(current.retention_years);
    if retention.is_some_and(|y| !(MIN_RETENTION_YEARS..=MAX_RETENTION_YEARS).contains(&y)) {
        return Err(DomainError::invalid(
            "retention_years",
            format!("must be between {MIN_RETENTION_YEARS} and {MAX_RETENTION_YEARS}"),
        ));
    }
    let two_person = two_person_erasure.unwrap_or(current.two_person_erasure);
    let notice_days = deadline_notice_days.unwrap_or(current.deadline_notice_days);
    if notice_days > MAX_DEADLINE_NOTICE_DAYS {
        return Err(DomainError::invalid(
            "deadline_notice_days",
            format!("must be between 0 and {MAX_DEADLINE_NOTICE_DAYS}"),
        ));
    }
    crate::access::check_version(if_match, &etag(&current))?;
    let now = crate::now();
    match stored {
        Some(row) => {
            let mut model: tenant_setting::ActiveModel = row.into();
            model.procedure_template = Set(template_id.clone());
            model.reflection_days = Set(i32::try_from(days).ok());
            model.session_lock_minutes = Set(i32::try_from(lock).ok());
            model.k_threshold = Set(i32::try_from(k).ok());
            model.retention_years = Set(retention.and_then(|y| i32::try_from(y).ok()));
            model.two_person_erasure = Set(two_person);
            model.deadline_notice_days = Set(i32::try_from(notice_days).ok());
            model.updated_at = Set(now);
            model.update(&txn).await?;
        }
        None => {
            tenant_setting::ActiveModel {
                tenant_id: Set(*tenant.as_uuid()),
                id: Set(Uuid::now_v7()),
                procedure_template: Set(template_id.clone()),
                reflection_days: Set(i32::try_from(days).ok()),
                session_lock_minutes: Set(i32::try_from(lock).ok()),
                k_threshold: Set(i32::try_from(k).ok()),
                retention_years: Set(retention.and_then(|y| i32::try_from(y).ok())),
                two_person_erasure: Set(two_person),
                deadline_notice_days: Set(i32::try_from(notice_days).ok()),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?;
        }
    }
    audit::record(
        &txn,
        tenant,
        Event::new(
            "tenant.settings_changed",
            Actor::user(scope),
            Outcome::Success,
        )
        .details(serde_json::json!({"procedure_template": template_id, "reflection_days": days, "session_lock_minutes": lock,
            "retention_years": retention, "two_person_erasure": two_person, "k_threshold": k,
            "deadline_notice_days": notice_days})),
    )
    .await?;
    txn.commit().await?;
    Ok(Settings {
        procedure_template: template_id,
        reflection_days: days,
        session_lock_minutes: lock,
        k_threshold: k,
        retention_years: retention,
        two_person_erasure: two_person,
        deadline_notice_days: notice_days,
        updated_at: Some(now),
    })
}

fn validity_days(template: &Template, step: &Step, settings: &Settings) -> Option<u32> {
    match &step.validity {
        Some(Validity::Days { days }) => Some(*days),
        Some(Validity::Parameter { parameter }) if parameter == "reflection_days" => {
            Some(settings.reflection_days)
        }
        Some(Validity::Parameter { parameter }) => {
            template.parameters.get(parameter).map(|p| p.default)
        }
        None => None,
    }
}

/// Starts `step_code` of the tenant's template for a case on `started_on`: writes the end of
/// its validity and its reminders as open deadlines.
pub(crate) async fn start_step_in<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    case_id: Uuid,
    step_code: &str,
    started_on: NaiveDate,
) -> DomainResult<Vec<deadline::Model>> {
    let tenant = scope.tenant_id();
    let settings = settings(conn, tenant).await?;
    let template = template(&settings.procedure_template)?;
    let step = template
        .steps
        .iter()
        .find(|s| s.code == step_code)
        .ok_or_else(|| {
            DomainError::invalid("step", "is not a step of this organisation's procedure")
        })?;
    let source = format!("procedure:{}:{}", template.id, template.version);
    let mut planned: Vec<(String, String, NaiveDate)> = Vec::new();
    if let Some(days) = validity_days(template, step, &settings) {
        let end = started_on + chrono::Duration::days(i64::from(days));
        planned.push((
            format!("{}_end", step.code),
            format!("Ends: {}", step.title),
            end,
        ));
        for reminder in &step.reminders {
            planned.push((
                reminder.kind.clone(),
                reminder.title.clone(),
                end - chrono::Duration::days(i64::from(reminder.before_end_days)),
            ));
        }
    }
    let now = crate::now();
    let mut created = Vec::new();
    for (kind, title, due_on) in planned {
        created.push(
            crate::deadlines::Due {
                case_id,
                kind: &kind,
                title: &title,
                due_on,
                source: &source,
                step_code: Some(&step.code),
            }
            .open(tenant, now)
            .insert(conn)
            .await?,
        );
    }
    audit::record(
        conn,
        tenant,
        Event::new(
            "case.procedure_step_started",
            Actor::user(scope),
            Outcome::Success,
        )
        .target("case", case_id)
        .details(serde_json::json!({"step": step.code, "template": template.id})),
    )
    .await?;
    Ok(created)
}

/// Starts the steps the tenant's template attaches to entering `stage`; closing a case
/// cancels its open deadlines.
pub(crate) async fn on_stage_entered<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    case_id: Uuid,
    stage: Stage,
) -> DomainResult<()> {
    if stage == Stage::Closed {
        deadline::Entity::update_many()
            .col_expr(
                deadline::Column::Status,
                sea_orm::sea_query::Expr::value("cancelled"),
            )
            .col_expr(
                deadline::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(crate::now()),
            )
            .filter(deadline::Column::TenantId.eq(*scope.tenant_id().as_uuid()))
            .filter(deadline::Column::CaseId.eq(case_id))
            .filter(deadline::Column::Status.eq("open"))
            .exec(conn)
            .await?;
        return Ok(());
    }
    let settings = settings(conn, scope.tenant_id()).await?;
    let template = template(&settings.procedure_template)?;
    let today = crate::now().date_naive();
    if let Some(steps) = template.on_stage.get(stage.as_str()) {
        for step in steps {
            start_step_in(conn, scope, case_id, step, today).await?;
        }
    }
    Ok(())
}

/// Starts a step of the procedure by hand (a renewal, the next permit).
///
/// # Errors
/// `NotFound` for an unseen case; `Forbidden` without `cases.work`; `Invalid` step or date;
/// `Conflict` on a closed case; database errors.
pub async fn start_step(
    db: &DatabaseConnection,
    scope: &TenantScope,
    case_id: Uuid,
    step_code: &str,
    started_on: NaiveDate,
) -> DomainResult<Vec<deadline::Model>> {
    let txn = scope.begin(db).await?;
    let row = crate::cases::visible_case(&txn, scope, case_id).await?;
    let Some(row) = row else {
        drop(txn);
        return Err(not_found(db, scope, "case", case_id).await);
    };
    if !scope.has(Permission::CasesWork) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    if row.stage == Stage::Closed.as_str() {
        return Err(DomainError::conflict("case_closed", "The case is closed."));
    }
    let today = crate::now().date_naive();
    if started_on > today + chrono::Duration::days(366)
        || started_on < today - chrono::Duration::days(3660)
    {
        return Err(DomainError::invalid(
            "started_on",
            "must be within ten years back and one year ahead",
        ));
    }
    let created = start_step_in(&txn, scope, case_id, step_code, started_on).await?;
    txn.commit().await?;
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_templates_load_and_follow_the_procedures() {
        let all = templates().unwrap();
        assert_eq!(all.len(), 2);
        let be = template("be").unwrap();
        assert_eq!(be.country.as_deref(), Some("BE"));
        let days = |code: &str| match &be.steps.iter().find(|s| s.code == code).unwrap().validity {
            Some(Validity::Days { days }) => Some(*days),
            _ => None,
        };
        assert_eq!(days("reflection_period"), Some(45));
        assert_eq!(days("immatriculation_certificate"), Some(90));
        assert_eq!(days("registration_certificate"), Some(182));
        assert_eq!(days("permanent_stay"), None);
        assert_eq!(
            be.on_stage["reflection"],
            vec!["reflection_period".to_owned()]
        );
        let generic = template("generic").unwrap();
        assert!(
            generic.parameters["reflection_days"].min >= 30,
            "Council of Europe: at least 30 days"
        );
    }

    #[test]
    fn malformed_templates_are_refused() {
        let mut t = template("generic").unwrap().clone();
        t.on_stage.insert("nowhere".into(), vec![]);
        assert!(validate(&t, "generic").is_err());
        let mut t = template("be").unwrap().clone();
        t.steps[0].reminders[0].before_end_days = 400;
        assert!(validate(&t, "be").is_err());
        assert!(validate(template("be").unwrap(), "generic").is_err());
    }
}
