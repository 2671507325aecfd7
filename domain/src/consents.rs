//! Consents a client gives (HTCDS consent): to the processing of their data, to sharing it with
//! partner organisations of named types, to research use. A consent is recorded in an
//! identification interview, never edited afterwards, and withdrawn at most once; referrals
//! read the active ones. Who may see a client's consents follows who may see the client.

use crate::access::{forbidden, not_found};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::cases::visible_client_ids;
use crate::clients;
use crate::entities::consent;
use crate::error::{DomainError, DomainResult, Validator};
use crate::ids::TenantId;
use crate::tenancy::TenantScope;
use crate::vocab::{self, ConsentPurpose, PartnerOrganisationType};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait as _, QueryFilter as _, QueryOrder as _, QuerySelect as _,
    Set,
};
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

/// Most consents recorded in one request.
const MAX_PER_REQUEST: usize = 10;
/// How far ahead of the server's clock a `given_at` may be (clocks of devices drift).
const CLOCK_SKEW_MINUTES: i64 = 5;

/// A consent the client gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewConsent {
    pub purpose: ConsentPurpose,
    /// For `sharing_with_partners`: the types of organisation it covers (at least one).
    pub partner_types: Vec<PartnerOrganisationType>,
    /// When it was given; now when absent.
    pub given_at: Option<DateTime<Utc>>,
}

/// A recorded consent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentView {
    pub id: Uuid,
    pub client_id: Uuid,
    pub interview_id: Option<Uuid>,
    pub purpose: ConsentPurpose,
    pub partner_types: Vec<PartnerOrganisationType>,
    pub given_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub recorded_by: Option<Uuid>,
    pub updated_at: DateTime<Utc>,
}

impl ConsentView {
    /// Whether the consent still holds.
    #[must_use]
    pub fn is_active(&self) -> bool {
        self.withdrawn_at.is_none()
    }

    /// Whether it allows sharing the client's data with an organisation of type `partner`.
    #[must_use]
    pub fn allows_sharing_with(&self, partner: PartnerOrganisationType) -> bool {
        self.is_active()
            && self.purpose == ConsentPurpose::SharingWithPartners
            && self.partner_types.contains(&partner)
    }
}

impl From<consent::Model> for ConsentView {
    fn from(row: consent::Model) -> Self {
        Self {
            id: row.id,
            client_id: row.client_id,
            interview_id: row.interview_id,
            purpose: ConsentPurpose::parse(&row.purpose).unwrap_or(ConsentPurpose::DataProcessing),
            partner_types: vocab::split(&row.partner_types, PartnerOrganisationType::parse),
            given_at: row.given_at,
            withdrawn_at: row.withdrawn_at,
            recorded_by: row.recorded_by,
            updated_at: row.updated_at,
        }
    }
}

/// Notes what is wrong with `consents` (fields under `prefix`, e.g. `consents[0].given_at`).
pub(crate) fn validate(
    v: &mut Validator,
    prefix: &str,
    consents: &[NewConsent],
    now: DateTime<Utc>,
) {
    if consents.len() > MAX_PER_REQUEST {
        v.note(prefix, format!("at most {MAX_PER_REQUEST} at a time"));
        return;
    }
    let earliest = NaiveDate::from_ymd_opt(2000, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc());
    let latest = now + Duration::minutes(CLOCK_SKEW_MINUTES);
    let mut purposes = BTreeSet::new();
    for (i, consent) in consents.iter().enumerate() {
        let field = |name: &str| format!("{prefix}[{i}].{name}");
        if !purposes.insert(consent.purpose) {
            v.note(&field("purpose"), "one consent per purpose at a time");
        }
        match consent.purpose {
            ConsentPurpose::SharingWithPartners if consent.partner_types.is_empty() => v.note(
                &field("partner_types"),
                "name the types of organisation the client agrees to share with",
            ),
            ConsentPurpose::SharingWithPartners => {}
            _ if !consent.partner_types.is_empty() => v.note(
                &field("partner_types"),
                "is given only for `sharing_with_partners`",
            ),
            _ => {}
        }
        if let Some(given) = consent.given_at
            && (given > latest || earliest.is_some_and(|e| given < e))
        {
            v.note(&field("given_at"), "must be a past time after 2000");
        }
    }
}

/// Records `consents` of `client_id` given in `interview_id`, inside the caller's transaction.
pub(crate) async fn record(
    txn: &DatabaseTransaction,
    scope: &TenantScope,
    client_id: Uuid,
    interview_id: Option<Uuid>,
    consents: &[NewConsent],
) -> DomainResult<Vec<consent::Model>> {
    let tenant = scope.tenant_id();
    let now = crate::now();
    let mut rows = Vec::with_capacity(consents.len());
    for new in consents {
        let id = Uuid::now_v7();
        let row = consent::ActiveModel {
            tenant_id: Set(*tenant.as_uuid()),
            id: Set(id),
            client_id: Set(client_id),
            interview_id: Set(interview_id),
            purpose: Set(new.purpose.as_str().to_owned()),
            partner_types: Set(vocab::join(
                &new.partner_types,
                PartnerOrganisationType::as_str,
            )),
            given_at: Set(new.given_at.unwrap_or(now)),
            withdrawn_at: Set(None),
            withdrawn_by: Set(None),
            recorded_by: Set(Some(*scope.user_id().as_uuid())),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(txn)
        .await?;
        audit::record(
            txn,
            tenant,
            Event::new("consent.given", Actor::user(scope), Outcome::Success)
                .target("consent", id)
                .details(serde_json::json!({
                    "client": client_id,
                    "interview": interview_id,
                    "purpose": new.purpose.as_str(),
                })),
        )
        .await?;
        rows.push(row);
    }
    Ok(rows)
}

/// The consents recorded in each of `interviews`, oldest first.
pub(crate) async fn of_interviews<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    interviews: Vec<Uuid>,
) -> DomainResult<HashMap<Uuid, Vec<ConsentView>>> {
    let mut by_interview: HashMap<Uuid, Vec<ConsentView>> = HashMap::new();
    if interviews.is_empty() {
        return Ok(by_interview);
    }
    for row in consent::Entity::scoped(tenant)
        .filter(consent::Column::InterviewId.is_in(interviews))
        .order_by_asc(consent::Column::Id)
        .all(conn)
        .await?
    {
        if let Some(interview) = row.interview_id {
            by_interview
                .entry(interview)
                .or_default()
                .push(ConsentView::from(row));
        }
    }
    Ok(by_interview)
}

/// Filters of a client's consent list.
#[derive(Debug, Default, Clone)]
pub struct ConsentFilter {
    pub purpose: Option<ConsentPurpose>,
    /// `true`: only those still in force; `false`: only withdrawn ones.
    pub active: Option<bool>,
    pub after: Option<Uuid>,
    pub limit: u64,
}

/// The consents of a client the caller may see, oldest first.
///
/// # Errors
/// `NotFound` for a client the caller may not see (or another tenant's); database errors.
pub async fn list_for_client(
    db: &DatabaseConnection,
    scope: &TenantScope,
    client_id: Uuid,
    filter: &ConsentFilter,
) -> DomainResult<Vec<ConsentView>> {
    let txn = scope.begin(db).await?;
    if clients::visible_row(&txn, scope, client_id)
        .await?
        .is_none()
    {
        drop(txn);
        return Err(not_found(db, scope, "client", client_id).await);
    }
    let mut query = consent::Entity::scoped(scope.tenant_id())
        .filter(consent::Column::ClientId.eq(client_id))
        .order_by_asc(consent::Column::Id);
    if let Some(purpose) = filter.purpose {
        query = query.filter(consent::Column::Purpose.eq(purpose.as_str()));
    }
    match filter.active {
        Some(true) => query = query.filter(consent::Column::WithdrawnAt.is_null()),
        Some(false) => query = query.filter(consent::Column::WithdrawnAt.is_not_null()),
        None => {}
    }
    if let Some(after) = filter.after {
        query = query.filter(consent::Column::Id.gt(after));
    }
    let rows = query.limit(filter.limit).all(&txn).await?;
    txn.commit().await?;
    Ok(rows.into_iter().map(ConsentView::from).collect())
}

async fn visible_consent<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<Option<consent::Model>> {
    Ok(consent::Entity::scoped(scope.tenant_id())
        .filter(consent::Column::Id.eq(id))
        .filter(consent::Column::ClientId.in_subquery(visible_client_ids(scope)))
        .one(conn)
        .await?)
}

/// One consent of a client the caller may see.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn get(
    db: &DatabaseConnection,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<ConsentView> {
    let txn = scope.begin(db).await?;
    let found = visible_consent(&txn, scope, id).await?;
    txn.commit().await?;
    match found {
        Some(row) => Ok(row.into()),
        None => Err(not_found(db, scope, "consent", id).await),
    }
}

/// Records that the client withdrew a consent, now. Possible whatever the state of their
/// cases: a client may always take a consent back.
///
/// # Errors
/// `NotFound`; `Forbidden` without `cases.work`; `Conflict consent_withdrawn` when it was
/// withdrawn already; database errors.
pub async fn withdraw(
    db: &DatabaseConnection,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<ConsentView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = visible_consent(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "consent", id).await);
    };
    if !scope.has(Permission::CasesWork) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    let withdrawn =
        || DomainError::conflict("consent_withdrawn", "This consent was withdrawn already.");
    if row.withdrawn_at.is_some() {
        return Err(withdrawn());
    }
    let now = crate::now();
    // Conditional, so two withdrawals at once cannot both succeed.
    let updated = consent::Entity::update_many()
        .col_expr(consent::Column::WithdrawnAt, Expr::value(now))
        .col_expr(
            consent::Column::WithdrawnBy,
            Expr::value(*scope.user_id().as_uuid()),
        )
        .col_expr(consent::Column::UpdatedAt, Expr::value(now))
        .filter(consent::Column::TenantId.eq(*tenant.as_uuid()))
        .filter(consent::Column::Id.eq(id))
        .filter(consent::Column::WithdrawnAt.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(withdrawn());
    }
    audit::record(
        &txn,
        tenant,
        Event::new("consent.withdrawn", Actor::user(scope), Outcome::Success)
            .target("consent", id)
            .details(serde_json::json!({"client": row.client_id, "purpose": row.purpose})),
    )
    .await?;
    let row = consent::Entity::scoped(tenant)
        .filter(consent::Column::Id.eq(id))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    txn.commit().await?;
    Ok(row.into())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn fields(consents: &[NewConsent]) -> Vec<String> {
        let mut v = Validator::default();
        validate(&mut v, "consents", consents, crate::now());
        match v.finish() {
            Ok(()) => Vec::new(),
            Err(DomainError::Invalid(list)) => list.into_iter().map(|i| i.field).collect(),
            Err(other) => panic!("{other}"),
        }
    }

    fn consent(purpose: ConsentPurpose, partners: &[PartnerOrganisationType]) -> NewConsent {
        NewConsent {
            purpose,
            partner_types: partners.to_vec(),
            given_at: None,
        }
    }

    #[test]
    fn sharing_names_its_partners_and_only_sharing_does() {
        use PartnerOrganisationType as P;
        assert!(fields(&[consent(ConsentPurpose::SharingWithPartners, &[P::Ngo])]).is_empty());
        assert_eq!(
            fields(&[consent(ConsentPurpose::SharingWithPartners, &[])]),
            ["consents[0].partner_types"]
        );
        assert_eq!(
            fields(&[
                consent(ConsentPurpose::DataProcessing, &[]),
                consent(ConsentPurpose::Research, &[P::Government]),
            ]),
            ["consents[1].partner_types"]
        );
        assert_eq!(
            fields(&[
                consent(ConsentPurpose::Research, &[]),
                consent(ConsentPurpose::Research, &[]),
            ]),
            ["consents[1].purpose"]
        );
        let many = vec![consent(ConsentPurpose::Research, &[]); MAX_PER_REQUEST + 1];
        assert_eq!(fields(&many), ["consents"]);
        let mut future = consent(ConsentPurpose::Research, &[]);
        future.given_at = Some(crate::now() + Duration::hours(2));
        assert_eq!(fields(&[future]), ["consents[0].given_at"]);
    }

    #[test]
    fn a_withdrawn_consent_allows_nothing() {
        let row = consent::Model {
            tenant_id: Uuid::now_v7(),
            id: Uuid::now_v7(),
            client_id: Uuid::now_v7(),
            interview_id: None,
            purpose: "sharing_with_partners".into(),
            partner_types: "legal_service,ngo".into(),
            given_at: crate::now(),
            withdrawn_at: None,
            withdrawn_by: None,
            recorded_by: None,
            created_at: crate::now(),
            updated_at: crate::now(),
        };
        let mut view = ConsentView::from(row);
        assert!(view.allows_sharing_with(PartnerOrganisationType::Ngo));
        assert!(!view.allows_sharing_with(PartnerOrganisationType::LawEnforcement));
        view.withdrawn_at = Some(crate::now());
        assert!(!view.allows_sharing_with(PartnerOrganisationType::Ngo));
    }
}
