//! Subject access: everything Haven holds about one client, opened, in one consistent read.

use crate::access;
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::cases::{self, CaseView, TransitionView};
use crate::clients::{self, ClientView};
use crate::consents::{self, ConsentView};
use crate::crypto::MasterKey;
use crate::documents::{self, DocumentView};
use crate::entities::{
    audit_event, case, case_note, case_transition, client, consent, deadline, document, hearing,
    incident, interview, legal_proceeding, placement, referral, service_entry, support_goal,
    support_review, task,
};
use crate::error::DomainResult;
use crate::fieldcrypt;
use crate::incidents::{self, IncidentView};
use crate::interviews::{self, InterviewView};
use crate::legal::{self, HearingView, ProceedingView};
use crate::notes::{self, NoteVersion};
use crate::referrals::{self, ReferralView};
use crate::services_log::{self, ServiceView};
use crate::support::{self, GoalView, ReviewView};
use crate::tasks::{self, TaskView};
use crate::tenancy::TenantScope;
use sea_orm::{ColumnTrait as _, DatabaseConnection, QueryFilter as _, QueryOrder as _};
use uuid::Uuid;

/// Everything held about one client. Sealed fields are opened unless the client was erased
/// (then only the tombstone and the statistical attributes remain).
#[derive(Clone, Debug)]
pub struct SubjectRecord {
    pub exported_at: chrono::DateTime<chrono::Utc>,
    pub client: ClientView,
    pub consents: Vec<ConsentView>,
    pub cases: Vec<CaseView>,
    pub transitions: Vec<TransitionView>,
    pub interviews: Vec<InterviewView>,
    pub placements: Vec<placement::Model>,
    pub goals: Vec<GoalView>,
    pub reviews: Vec<ReviewView>,
    pub services: Vec<ServiceView>,
    pub documents: Vec<DocumentView>,
    pub proceedings: Vec<ProceedingView>,
    pub hearings: Vec<HearingView>,
    /// Every version of every note.
    pub notes: Vec<NoteVersion>,
    pub tasks: Vec<TaskView>,
    pub deadlines: Vec<deadline::Model>,
    /// Referrals of the client's cases to partner organisations, with reasons and outcomes.
    pub referrals: Vec<ReferralView>,
    /// Incidents in shelter life that name one of the client's case codes.
    pub incidents: Vec<IncidentView>,
    /// Audit events about the client or any of their records.
    pub audit_events: Vec<audit_event::Model>,
}

/// Ids per query when filtering by many ids at once.
const ID_CHUNK: usize = 500;

/// Collects everything held about `client_id` (tenant administrators, `clients.export`). The
/// export is audited with counts only.
///
/// # Errors
/// `Forbidden` without `clients.export`; `NotFound` for another tenant's or no one's client;
/// database errors.
#[allow(clippy::too_many_lines)]
pub async fn subject_export(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    client_id: Uuid,
) -> DomainResult<SubjectRecord> {
    access::require(db, scope, Permission::ClientsExport).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = client::Entity::scoped(tenant)
        .filter(client::Column::Id.eq(client_id))
        .one(&txn)
        .await?
    else {
        drop(txn);
        return Err(access::not_found(db, scope, "client", client_id).await);
    };
    let key = clients::client_data_key(&txn, master, tenant, client_id).await?;
    let key = key.as_ref();
    let details = clients::read_details(&row, key)?;
    let case_code = row.case_code.clone();
    let client = ClientView {
        identity_shown: key.is_some(),
        details,
        row,
    };

    let case_rows = case::Entity::scoped(tenant)
        .filter(case::Column::ClientId.eq(client_id))
        .order_by_asc(case::Column::OpenedAt)
        .order_by_asc(case::Column::Id)
        .all(&txn)
        .await?;
    let case_ids: Vec<Uuid> = case_rows.iter().map(|c| c.id).collect();
    let cases = cases::views(&txn, tenant, case_rows).await?;

    let transitions = case_transition::Entity::scoped(tenant)
        .filter(case_transition::Column::CaseId.is_in(case_ids.clone()))
        .order_by_asc(case_transition::Column::OccurredAt)
        .order_by_asc(case_transition::Column::Id)
        .all(&txn)
        .await?
        .into_iter()
        .map(|t| cases::transition_view(key, t))
        .collect::<DomainResult<Vec<_>>>()?;

    let interview_rows = interview::Entity::scoped(tenant)
        .filter(interview::Column::ClientId.eq(client_id))
        .order_by_asc(interview::Column::Id)
        .all(&txn)
        .await?;
    let interview_ids: Vec<Uuid> = interview_rows.iter().map(|i| i.id).collect();
    let mut interviewers = interviews::interviewers_of(&txn, tenant, interview_ids.clone()).await?;
    let mut interview_consents = consents::of_interviews(&txn, tenant, interview_ids).await?;
    let interviews = interview_rows
        .into_iter()
        .map(|i| {
            let ids = interviewers.remove(&i.id).unwrap_or_default();
            let given = interview_consents.remove(&i.id).unwrap_or_default();
            interviews::view(i, key, ids, given)
        })
        .collect::<DomainResult<Vec<_>>>()?;

    let consents: Vec<ConsentView> = consent::Entity::scoped(tenant)
        .filter(consent::Column::ClientId.eq(client_id))
        .order_by_asc(consent::Column::Id)
        .all(&txn)
        .await?
        .into_iter()
        .map(ConsentView::from)
        .collect();
    let placements = placement::Entity::scoped(tenant)
        .filter(placement::Column::ClientId.eq(client_id))
        .order_by_asc(placement::Column::Id)
        .all(&txn)
        .await?;
    let goals = support_goal::Entity::scoped(tenant)
        .filter(support_goal::Column::ClientId.eq(client_id))
        .order_by_asc(support_goal::Column::Id)
        .all(&txn)
        .await?
        .into_iter()
        .map(|g| support::goal_view(g, key))
        .collect::<DomainResult<Vec<_>>>()?;
    let reviews = support_review::Entity::scoped(tenant)
        .filter(support_review::Column::ClientId.eq(client_id))
        .order_by_asc(support_review::Column::Id)
        .all(&txn)
        .await?
        .into_iter()
        .map(|r| support::review_view(r, key))
        .collect::<DomainResult<Vec<_>>>()?;
    let services = service_entry::Entity::scoped(tenant)
        .filter(service_entry::Column::ClientId.eq(client_id))
        .order_by_asc(service_entry::Column::Id)
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| services_log::view(s, key))
        .collect::<DomainResult<Vec<_>>>()?;
    let documents = document::Entity::scoped(tenant)
        .filter(document::Column::ClientId.eq(client_id))
        .order_by_asc(document::Column::Id)
        .all(&txn)
        .await?
        .into_iter()
        .map(|d| documents::view(d, key))
        .collect::<DomainResult<Vec<_>>>()?;
    let proceedings = legal_proceeding::Entity::scoped(tenant)
        .filter(legal_proceeding::Column::ClientId.eq(client_id))
        .order_by_asc(legal_proceeding::Column::Id)
        .all(&txn)
        .await?
        .into_iter()
        .map(|p| legal::proceeding_view(p, key))
        .collect::<DomainResult<Vec<_>>>()?;
    let hearings = hearing::Entity::scoped(tenant)
        .filter(hearing::Column::ClientId.eq(client_id))
        .order_by_asc(hearing::Column::HeldAt)
        .order_by_asc(hearing::Column::Id)
        .all(&txn)
        .await?
        .into_iter()
        .map(|h| legal::hearing_view(h, key))
        .collect::<DomainResult<Vec<_>>>()?;
    let notes = case_note::Entity::scoped(tenant)
        .filter(case_note::Column::CaseId.is_in(case_ids.clone()))
        .order_by_asc(case_note::Column::NoteId)
        .order_by_asc(case_note::Column::Version)
        .all(&txn)
        .await?
        .into_iter()
        .map(|n| notes::view(scope, key, n))
        .collect::<DomainResult<Vec<_>>>()?;
    let tasks = task::Entity::scoped(tenant)
        .filter(task::Column::ClientId.eq(client_id))
        .order_by_asc(task::Column::Id)
        .all(&txn)
        .await?
        .into_iter()
        .map(|t| {
            let details = tasks::open_details(key, &t)?;
            Ok(TaskView::new(t, details))
        })
        .collect::<DomainResult<Vec<_>>>()?;
    let deadlines = deadline::Entity::scoped(tenant)
        .filter(deadline::Column::CaseId.is_in(case_ids.clone()))
        .order_by_asc(deadline::Column::DueOn)
        .order_by_asc(deadline::Column::Id)
        .all(&txn)
        .await?;
    let referral_rows = referral::Entity::scoped(tenant)
        .filter(referral::Column::ClientId.eq(client_id))
        .order_by_asc(referral::Column::Id)
        .all(&txn)
        .await?;
    let mut organisations = referrals::service::names(&txn, tenant, &referral_rows).await?;
    let referrals = referral_rows
        .into_iter()
        .map(|r| {
            let mut view = ReferralView::new(r.clone(), organisations.remove(&r.organisation_id));
            referrals::service::open(key, tenant, &r, &mut view)?;
            Ok(view)
        })
        .collect::<DomainResult<Vec<_>>>()?;
    let incident_rows: Vec<incident::Model> = incident::Entity::scoped(tenant)
        .filter(incident::Column::InvolvedCaseCodes.contains(case_code.as_str()))
        .order_by_asc(incident::Column::OccurredAt)
        .all(&txn)
        .await?
        .into_iter()
        .filter(|i| incidents::split_codes(&i.involved_case_codes).contains(&case_code))
        .collect();
    let incidents = if incident_rows.is_empty() {
        Vec::new()
    } else {
        let tenant_key = fieldcrypt::tenant_key(&txn, master, tenant).await?;
        incident_rows
            .into_iter()
            .map(|i| incidents::view(i, Some(&tenant_key)))
            .collect::<DomainResult<Vec<_>>>()?
    };

    let mut about: Vec<Uuid> = vec![client_id];
    about.extend(&case_ids);
    about.extend(interviews.iter().map(|i| i.row.id));
    about.extend(consents_ids(&consents));
    about.extend(placements.iter().map(|p| p.id));
    about.extend(goals.iter().map(|g| g.row.id));
    about.extend(reviews.iter().map(|r| r.row.id));
    about.extend(services.iter().map(|s| s.row.id));
    about.extend(documents.iter().map(|d| d.row.id));
    about.extend(proceedings.iter().map(|p| p.row.id));
    about.extend(hearings.iter().map(|h| h.row.id));
    about.extend(notes.iter().map(|n| n.note_id));
    about.extend(tasks.iter().map(|t| t.row.id));
    about.extend(deadlines.iter().map(|d| d.id));
    about.extend(referrals.iter().map(|r| r.row.id));
    about.sort_unstable();
    about.dedup();
    let mut audit_events = Vec::new();
    for chunk in about.chunks(ID_CHUNK) {
        audit_events.extend(
            audit_event::Entity::scoped(tenant)
                .filter(audit_event::Column::TargetId.is_in(chunk.to_vec()))
                .all(&txn)
                .await?,
        );
    }
    audit_events.sort_by_key(|e| e.id);

    audit::record(
        &txn,
        tenant,
        Event::new("client.exported", Actor::user(scope), Outcome::Success)
            .target("client", client_id)
            .details(serde_json::json!({
                "erased": client.row.erased_at.is_some(),
                "cases": cases.len(),
                "interviews": interviews.len(),
                "notes": notes.len(),
                "audit_events": audit_events.len(),
            })),
    )
    .await?;
    txn.commit().await?;
    Ok(SubjectRecord {
        exported_at: crate::now(),
        client,
        consents,
        cases,
        transitions,
        interviews,
        placements,
        goals,
        reviews,
        services,
        documents,
        proceedings,
        hearings,
        notes,
        tasks,
        deadlines,
        referrals,
        incidents,
        audit_events,
    })
}

fn consents_ids(consents: &[ConsentView]) -> Vec<Uuid> {
    consents.iter().map(|c| c.id).collect()
}
