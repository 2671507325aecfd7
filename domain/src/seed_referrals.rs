//! Demo referrals: each demo organisation refers some of its open cases to partners of the
//! demo directory, on consents to share recorded for the purpose (and one on an override), in
//! every status; the Belgian organisation also refers two clients to the Nigerian one, which
//! accepts one (a case opens there) and has the other waiting in its inbox. Written through
//! the services the API uses; entirely fictitious. Safe to run again.

use crate::authz::Role;
use crate::consents::{self, NewConsent};
use crate::crypto::MasterKey;
use crate::entities::{case, directory_organisation, referral};
use crate::error::{DomainError, DomainResult};
use crate::ids::TenantId;
use crate::referrals::service::{self, NewReferral, StatusChange};
use crate::referrals::{etag, inbox};
use crate::seed_casework::scope_of;
use crate::seed_directory::LINKED_ENTRY;
use crate::seed_library::tenant_by_slug;
use crate::tenancy::TenantScope;
use crate::vocab::{
    ConsentPurpose, DirectoryServiceType as D, PacketField as F, PartnerOrganisationType as P,
    ReferralStatus as S, ReferralUrgency as U, ServiceArea as A, Stage,
};
use sea_orm::{ColumnTrait as _, DatabaseConnection, QueryFilter as _, QueryOrder as _};
use uuid::Uuid;

/// One demo referral: which open case (by position), to whom, what for, and how far it got.
struct Plan {
    case: usize,
    to: &'static str,
    service: D,
    area: A,
    urgency: U,
    reason: &'static str,
    fields: &'static [F],
    /// `Some(reason)`: sent on an override, without the client's consent.
    overridden: Option<&'static str>,
    /// The moves after sending, each with an outcome.
    moves: &'static [(S, Option<&'static str>)],
}

const BE: &[Plan] = &[
    Plan {
        case: 0,
        to: "Ghent Legal Clinic for Migrants",
        service: D::LegalAid,
        area: A::Legal,
        urgency: U::Urgent,
        reason: "Needs advice on the victim-status procedure before the next statement.",
        fields: &[F::Name, F::Languages, F::Nationality],
        overridden: None,
        moves: &[],
    },
    Plan {
        case: 1,
        to: "Saint-Gilles Community Health Centre",
        service: D::Medical,
        area: A::Medical,
        urgency: U::Routine,
        reason: "General health check and follow-up of a dental problem.",
        fields: &[F::Name, F::DateOfBirth, F::Languages, F::Gender],
        overridden: None,
        moves: &[(S::Accepted, None)],
    },
    Plan {
        case: 2,
        to: "Antwerp Trauma Care Unit",
        service: D::MentalHealth,
        area: A::Psychosocial,
        urgency: U::Routine,
        reason: "Sleeping problems and flashbacks since the move to the shelter.",
        fields: &[F::Languages, F::Gender, F::AgeBand],
        overridden: None,
        moves: &[(
            S::Declined,
            Some("Their waiting list is closed until March."),
        )],
    },
    Plan {
        case: 3,
        to: "Flanders Interpreting Service",
        service: D::Interpreting,
        area: A::Administrative,
        urgency: U::Routine,
        reason: "A Romanian interpreter for the appointment at the immigration office.",
        fields: &[F::Languages],
        overridden: None,
        moves: &[
            (S::Accepted, None),
            (
                S::Completed,
                Some("Interpreter attended; the appointment went well."),
            ),
        ],
    },
    Plan {
        case: 0,
        to: "Return Home Programme Belgium",
        service: D::ReturnReintegration,
        area: A::Ambulant,
        urgency: U::Routine,
        reason: "Information on assisted voluntary return.",
        fields: &[F::Nationality, F::Languages],
        overridden: None,
        moves: &[(
            S::Cancelled,
            Some("The client decided to stay and work here."),
        )],
    },
    Plan {
        case: 1,
        to: "Federal Police THB Unit (demo)",
        service: D::PoliceSpecialisedUnit,
        area: A::Legal,
        urgency: U::Emergency,
        reason: "The exploiters were seen near the shelter; protection measures needed.",
        fields: &[F::Gender, F::AgeBand, F::Languages],
        overridden: Some("Immediate danger; the client could not be reached to consent."),
        moves: &[],
    },
    Plan {
        case: 2,
        to: LINKED_ENTRY,
        service: D::Shelter,
        area: A::Residential,
        urgency: U::Urgent,
        reason: "Wants to return to Lagos and needs a safe place on arrival.",
        fields: &[F::Name, F::Languages, F::Gender, F::Needs],
        overridden: None,
        moves: &[],
    },
    Plan {
        case: 3,
        to: LINKED_ENTRY,
        service: D::Shelter,
        area: A::Residential,
        urgency: U::Routine,
        reason: "Returning home next month; asks for support near her family.",
        fields: &[F::Languages, F::Gender, F::AgeBand],
        overridden: None,
        moves: &[],
    },
];

const NG: &[Plan] = &[
    Plan {
        case: 0,
        to: "Lagos Safe Haven",
        service: D::Shelter,
        area: A::Residential,
        urgency: U::Urgent,
        reason: "Needs a bed tonight after leaving the exploiter's house.",
        fields: &[F::Name, F::Gender, F::Languages],
        overridden: None,
        moves: &[
            (S::Accepted, None),
            (
                S::Completed,
                Some("Stayed three weeks, then moved in with an aunt."),
            ),
        ],
    },
    Plan {
        case: 1,
        to: "Abuja Women's Legal Aid Network",
        service: D::LegalAid,
        area: A::Legal,
        urgency: U::Routine,
        reason: "Wants to claim the wages she was never paid.",
        fields: &[F::Name, F::Languages],
        overridden: None,
        moves: &[],
    },
];

/// What the demo clients agree to share with: every type but police and government.
const SHARING: &[P] = &[P::Ngo, P::HealthService, P::LegalService, P::Other];

async fn open_cases(
    db: &DatabaseConnection,
    scope: &TenantScope,
) -> DomainResult<Vec<case::Model>> {
    let txn = scope.begin(db).await?;
    let rows = case::Entity::scoped(scope.tenant_id())
        .filter(case::Column::Stage.ne(Stage::Closed.as_str()))
        .order_by_asc(case::Column::Id)
        .all(&txn)
        .await?;
    txn.commit().await?;
    Ok(rows)
}

async fn organisation(
    db: &DatabaseConnection,
    scope: &TenantScope,
    name: &str,
) -> DomainResult<Option<Uuid>> {
    let txn = scope.begin(db).await?;
    let found = directory_organisation::Entity::visible_to(scope.tenant_id())
        .filter(directory_organisation::Column::Name.eq(name))
        .one(&txn)
        .await?;
    txn.commit().await?;
    Ok(found.map(|o| o.id))
}

async fn already_seeded(db: &DatabaseConnection, tenant: TenantId) -> DomainResult<bool> {
    let txn = crate::tenancy::begin_scoped(db, tenant).await?;
    let any = referral::Entity::scoped(tenant).one(&txn).await?;
    txn.commit().await?;
    Ok(any.is_some())
}

/// Sends `plans` as `admin`; returns the inbox ids of those that went to a Haven
/// organisation.
async fn send_all(
    db: &DatabaseConnection,
    master: &MasterKey,
    admin: &TenantScope,
    plans: &[Plan],
) -> DomainResult<Vec<Uuid>> {
    let cases = open_cases(db, admin).await?;
    if cases.is_empty() {
        return Ok(Vec::new());
    }
    let txn = admin.begin(db).await?;
    let mut clients: Vec<Uuid> = cases.iter().map(|c| c.client_id).collect();
    clients.sort_unstable();
    clients.dedup();
    for client in clients {
        let consent = NewConsent {
            purpose: ConsentPurpose::SharingWithPartners,
            partner_types: SHARING.to_vec(),
            given_at: None,
        };
        consents::record(&txn, admin, client, None, &[consent]).await?;
    }
    txn.commit().await?;
    let mut incoming = Vec::new();
    for plan in plans {
        let Some(to) = organisation(db, admin, plan.to).await? else {
            continue;
        };
        let case = &cases[plan.case % cases.len()];
        let sent = service::create(
            db,
            master,
            admin,
            NewReferral {
                case_id: case.id,
                organisation_id: to,
                service_type: plan.service,
                service_area: plan.area,
                urgency: plan.urgency,
                reason: plan.reason.to_owned(),
                shared_fields: plan.fields.to_vec(),
                consent_override: plan.overridden.is_some(),
                override_reason: plan.overridden.map(str::to_owned),
            },
        )
        .await?;
        if let Some(id) = sent.row.incoming_id {
            incoming.push(id);
        }
        let mut tag = etag(&sent.row);
        for (to, outcome) in plan.moves {
            let moved = service::transition(
                db,
                master,
                admin,
                sent.row.id,
                StatusChange {
                    to: *to,
                    outcome: outcome.map(str::to_owned),
                },
                Some(&tag),
            )
            .await?;
            tag = etag(&moved.row);
        }
    }
    Ok(incoming)
}

/// Seeds the demo referrals of an organisation that has none; returns how many it sent.
///
/// # Errors
/// Database errors, or missing demo users.
pub async fn seed_referrals(db: &DatabaseConnection, master: &MasterKey) -> DomainResult<usize> {
    let (Some(be), Some(ng)) = (
        tenant_by_slug(db, "demo-be").await?,
        tenant_by_slug(db, "demo-ng").await?,
    ) else {
        return Ok(0);
    };
    let mut sent = 0;
    if !already_seeded(db, ng).await? {
        let ng_admin = scope_of(db, ng, Role::TenantAdmin, "demo-ng").await?;
        send_all(db, master, &ng_admin, NG).await?;
        sent += NG.len();
    }
    if !already_seeded(db, be).await? {
        let be_admin = scope_of(db, be, Role::TenantAdmin, "demo-be").await?;
        let incoming = send_all(db, master, &be_admin, BE).await?;
        sent += BE.len();
        // The Nigerian organisation accepts the first and leaves the other in its inbox.
        if let Some(first) = incoming.first() {
            let ng_admin = scope_of(db, ng, Role::TenantAdmin, "demo-ng").await?;
            match inbox::accept(db, master, &ng_admin, *first).await {
                Ok(_) | Err(DomainError::Conflict { .. }) => {}
                Err(err) => return Err(err),
            }
        }
    }
    Ok(sent)
}
