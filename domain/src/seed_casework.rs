//! The demo organisations' day-to-day data: two shelters each with rooms and beds, thirty
//! clients across every case stage, placements of those in care, and the deadlines their
//! procedure template sets. Entirely fictitious; written through the same services the API
//! uses, so it is sealed, indexed and audited like real data.

use crate::authz::Role;
use crate::cases;
use crate::clients::{self, ClientDetails, Identity};
use crate::consents::NewConsent;
use crate::crypto::MasterKey;
use crate::documents::{self, NewDocument};
use crate::entities::{shelter, user};
use crate::error::DomainResult;
use crate::ids::{RoomId, TenantId, UserId};
use crate::incidents::{self, NewIncident};
use crate::interviews::{self, InterviewRecord, Risk};
use crate::legal::{self, NewHearing, NewProceeding};
use crate::notes::{self, Visibility};
use crate::placements::{self, NewPlacement};
use crate::seed::demo_email;
use crate::services_log::{self, NewService};
use crate::shelters::{self, ShelterDraft};
use crate::support::{self, GoalProgress, NewGoal, NewReview};
use crate::tasks::{self, NewTask};
use crate::tenancy::{TenantScope, begin_scoped};
use crate::vocab::{
    ClosureReason, ControlMethod, ExploitationType, Gender, Need, PlacementStatus,
    RecruitmentMethod, Stage, TraffickingStatus,
};
use crate::vocab::{
    ConsentPurpose, IndicatorAnswer, InterviewLocation, PresumedVictim, RiskKind, RiskLevel,
};
use crate::vocab::{
    DocumentKind, DocumentStatus, GoalStatus, HearingStatus, IncidentCategory, IncidentSeverity,
    ProceedingRole, ProceedingStatus, ProceedingType, ServiceArea, TaskKind,
};
use sea_orm::{ColumnTrait as _, DatabaseConnection, QueryFilter as _};
use std::collections::BTreeMap;
use uuid::Uuid;

const GIVEN: [&str; 10] = [
    "Amara", "Blessing", "Chioma", "Dorina", "Esi", "Farida", "Grace", "Hana", "Ioana", "Joy",
];
const NATIONALITIES: [&str; 6] = ["NG", "RO", "BG", "VN", "ER", "AL"];
const LANGUAGES: [&str; 6] = ["en", "ro", "bg", "vi", "ti", "sq"];
const STAGES: [(Stage, usize); 6] = [
    (Stage::Signalled, 4),
    (Stage::Intake, 4),
    (Stage::Reflection, 6),
    (Stage::Assistance, 8),
    (Stage::FollowUp, 4),
    (Stage::Closed, 4),
];

pub(crate) async fn scope_of(
    db: &DatabaseConnection,
    tenant: TenantId,
    role: Role,
    slug: &str,
) -> DomainResult<TenantScope> {
    let txn = begin_scoped(db, tenant).await?;
    let found = user::Entity::scoped(tenant)
        .filter(user::Column::Email.eq(demo_email(role, slug)))
        .one(&txn)
        .await?;
    txn.commit().await?;
    let id = found
        .map(|u| u.id)
        .ok_or(crate::error::DomainError::NotFound)?;
    Ok(TenantScope::new(
        tenant,
        UserId::from_uuid(id),
        Uuid::nil(),
        [role].into(),
    ))
}

fn path_to(stage: Stage) -> Vec<Stage> {
    let order = [
        Stage::Intake,
        Stage::Reflection,
        Stage::Assistance,
        Stage::FollowUp,
    ];
    match stage {
        Stage::Signalled => vec![],
        Stage::Closed => vec![Stage::Intake, Stage::Closed],
        other => order
            .iter()
            .copied()
            .take_while(|s| *s != other)
            .chain([other])
            .collect(),
    }
}

/// Records a fictitious identification interview with consent to data processing.
async fn interview(
    db: &DatabaseConnection,
    master: &MasterKey,
    worker: &TenantScope,
    case_id: Uuid,
    n: usize,
) -> DomainResult<()> {
    let answers: BTreeMap<String, IndicatorAnswer> = [
        ("deceived_about_job", IndicatorAnswer::Yes),
        (
            "deceived_about_pay",
            if n.is_multiple_of(2) {
                IndicatorAnswer::Yes
            } else {
                IndicatorAnswer::Unknown
            },
        ),
    ]
    .into_iter()
    .map(|(code, answer)| (code.to_owned(), answer))
    .collect();
    let record = InterviewRecord {
        held_on: crate::now().date_naive()
            - chrono::Duration::days(i64::try_from(n).unwrap_or(0) + 1),
        interviewer_ids: vec![*worker.user_id().as_uuid()],
        language: "en".to_owned(),
        interpreter_used: false,
        interpreter_language: None,
        location_type: InterviewLocation::NgoOffice,
        presumed_victim: if n.is_multiple_of(5) {
            PresumedVictim::Unclear
        } else {
            PresumedVictim::Yes
        },
        checklist_version: None,
        indicators: answers,
        risks: vec![Risk {
            kind: RiskKind::Traffickers,
            level: [RiskLevel::Low, RiskLevel::Medium, RiskLevel::High][n % 3],
            note: Some("Fictitious demo note.".to_owned()),
        }],
        narrative: Some("Fictitious demo narrative: no real person is described.".to_owned()),
        consents: vec![NewConsent {
            purpose: ConsentPurpose::DataProcessing,
            partner_types: vec![],
            given_at: None,
        }],
    };
    interviews::create(db, master, worker, case_id, record).await?;
    Ok(())
}

/// A support goal and its review, services, a residence document, a task and a note.
async fn assistance(
    db: &DatabaseConnection,
    master: &MasterKey,
    worker: &TenantScope,
    case_id: Uuid,
    n: usize,
) -> DomainResult<()> {
    let today = crate::now().date_naive();
    let goal = support::create_goal(
        db,
        master,
        worker,
        case_id,
        NewGoal {
            area: ServiceArea::Administrative,
            description: "Obtain a residence permit (fictitious demo goal)".to_owned(),
            target_on: Some(today + chrono::Duration::days(90)),
            status: Some(GoalStatus::InProgress),
            owner_id: None,
            client_view: Some("I want to be able to stay and work (demo).".to_owned()),
        },
    )
    .await?;
    support::create_review(
        db,
        master,
        worker,
        case_id,
        NewReview {
            held_on: today - chrono::Duration::days(1),
            participant_ids: vec![*worker.user_id().as_uuid()],
            progress: vec![GoalProgress {
                goal_id: goal.row.id,
                status: GoalStatus::InProgress,
                comment: Some("Application filed (demo).".to_owned()),
            }],
            next_review_on: Some(today + chrono::Duration::days(30)),
        },
    )
    .await?;
    for (area, kind, days) in [
        (
            ServiceArea::Administrative,
            "residence_permit_application",
            3,
        ),
        (ServiceArea::Psychosocial, "counselling_session", 2),
        (ServiceArea::Medical, "gp_visit", 1),
    ] {
        services_log::create(
            db,
            master,
            worker,
            case_id,
            NewService {
                area,
                service_type: kind.to_owned(),
                provided_on: today - chrono::Duration::days(days),
                duration_minutes: 60,
                provider_user_id: Some(*worker.user_id().as_uuid()),
                provider_organisation_name: None,
                goal_id: (area == ServiceArea::Administrative).then_some(goal.row.id),
                note: Some("Fictitious demo note.".to_owned()),
            },
        )
        .await?;
    }
    documents::create(
        db,
        master,
        worker,
        case_id,
        NewDocument {
            kind: DocumentKind::ResidencePermit,
            status: DocumentStatus::Granted,
            number: Some(format!("DEMO-{n:04}")),
            issuing_authority: Some("Demo immigration office".to_owned()),
            issued_on: Some(today - chrono::Duration::days(10)),
            expires_on: Some(today + chrono::Duration::days(80 + i64::try_from(n).unwrap_or(0))),
            procedure_step: None,
            notes: None,
        },
    )
    .await?;
    tasks::create(
        db,
        master,
        worker,
        NewTask {
            kind: TaskKind::Appointment,
            title: "Accompany to the town hall (demo)".to_owned(),
            details: Some("Fictitious demo appointment.".to_owned()),
            case_id: Some(case_id),
            assignee_id: *worker.user_id().as_uuid(),
            due_at: crate::now() + chrono::Duration::days(2 + i64::try_from(n % 5).unwrap_or(0)),
        },
    )
    .await?;
    notes::create(
        db,
        master,
        worker,
        case_id,
        "Fictitious demo note about the week.",
        Visibility::Team,
    )
    .await?;
    if n.is_multiple_of(2) {
        let proceeding = legal::create_proceeding(
            db,
            master,
            worker,
            case_id,
            NewProceeding {
                proceeding_type: ProceedingType::CriminalComplaint,
                status: ProceedingStatus::Filed,
                reference: Some(format!("DEMO/{n:04}")),
                jurisdiction: Some("Demo district court".to_owned()),
                client_role: ProceedingRole::Witness,
                contacts: vec![],
            },
        )
        .await?;
        legal::create_hearing(
            db,
            master,
            worker,
            proceeding.row.id,
            NewHearing {
                held_at: crate::now() + chrono::Duration::days(20 + i64::try_from(n).unwrap_or(0)),
                place: Some("Demo court, room 2".to_owned()),
                outcome: None,
                status: HearingStatus::Scheduled,
            },
        )
        .await?;
    }
    Ok(())
}

/// Creates the demo case work of `tenant` unless it has shelters already.
///
/// # Errors
/// Database errors.
pub async fn seed_casework(
    db: &DatabaseConnection,
    master: &MasterKey,
    tenant: TenantId,
    slug: &str,
) -> DomainResult<usize> {
    let txn = begin_scoped(db, tenant).await?;
    let existing = shelter::Entity::scoped(tenant).one(&txn).await?;
    txn.commit().await?;
    if existing.is_some() {
        return Ok(0);
    }
    let admin = scope_of(db, tenant, Role::TenantAdmin, slug).await?;
    let worker = scope_of(db, tenant, Role::CaseWorker, slug).await?;

    let women = ["female".to_owned(), "transgender_female".to_owned()];
    let everyone = [
        "female".to_owned(),
        "male".to_owned(),
        "transgender_female".to_owned(),
        "transgender_male".to_owned(),
        "non_conforming".to_owned(),
    ];
    let mut beds_by_shelter = Vec::new();
    let mut shelter_ids = Vec::new();
    for (name, address, genders) in [
        (
            "Demo House Iris",
            "1 Demo Street, Demo City (fictitious)",
            &women[..],
        ),
        (
            "Demo House Cedar",
            "2 Demo Street, Demo City (fictitious)",
            &everyone[..],
        ),
    ] {
        let new = shelters::parse_new_shelter(&ShelterDraft {
            name,
            address,
            capacity: 8,
            admits_genders: genders,
            admits_minors: false,
            min_age: Some(18),
            max_age: None,
            phone: None,
            email: None,
        })?;
        let created = shelters::create(db, master, &admin, new).await?;
        shelter_ids.push(created.row.id);
        for role in [Role::ShelterManager, Role::ShelterStaff] {
            let member = scope_of(db, tenant, role, slug).await?;
            shelters::staff::assign(
                db,
                &admin,
                crate::ids::ShelterId::from_uuid(created.row.id),
                member.user_id(),
            )
            .await?;
        }
        let mut beds = Vec::new();
        for room in 1..=2 {
            let room = shelters::rooms::create(
                db,
                &admin,
                shelters::parse_new_room(
                    crate::ids::ShelterId::from_uuid(created.row.id),
                    &format!("Room {room}"),
                    None,
                    None,
                )?,
            )
            .await?;
            for bed in ["A", "B", "C"] {
                let bed = shelters::beds::create(
                    db,
                    &admin,
                    shelters::parse_new_bed(RoomId::from_uuid(room.id), bed, None)?,
                )
                .await?;
                beds.push(bed.id);
            }
        }
        beds_by_shelter.push(beds);
    }

    let today = crate::now().date_naive();
    let mut created = 0;
    let mut index = 0usize;
    let mut free_women = beds_by_shelter[0].clone().into_iter();
    let mut free_any = beds_by_shelter[1].clone().into_iter();
    for (stage, count) in STAGES {
        for _ in 0..count {
            let n = index;
            index += 1;
            let gender = if n % 7 == 3 {
                Gender::Male
            } else {
                Gender::Female
            };
            let details = ClientDetails {
                identity: Identity {
                    legal_given_name: Some(GIVEN[n % GIVEN.len()].to_owned()),
                    legal_family_name: Some(format!("Demo{n:02}")),
                    ..Identity::default()
                },
                gender,
                birth_year: Some(1985 + i32::try_from(n % 20).unwrap_or(0)),
                age_band: None,
                nationality: Some(NATIONALITIES[n % NATIONALITIES.len()].to_owned()),
                languages: vec![LANGUAGES[n % LANGUAGES.len()].to_owned(), "en".to_owned()],
                exploitation_types: vec![
                    [
                        ExploitationType::Sexual,
                        ExploitationType::ForcedLabour,
                        ExploitationType::DomesticServitude,
                        ExploitationType::ForcedCriminalActivity,
                    ][n % 4],
                ],
                needs: if n.is_multiple_of(3) {
                    vec![Need::Medical]
                } else {
                    vec![Need::Interpreter]
                },
                trafficking_status: if matches!(stage, Stage::Signalled | Stage::Intake) {
                    TraffickingStatus::Possible
                } else {
                    TraffickingStatus::Actual
                },
                status_decided_by: None,
                recruitment_methods: vec![
                    [
                        RecruitmentMethod::FalseJobOffer,
                        RecruitmentMethod::FalseRelationship,
                        RecruitmentMethod::FriendOrAcquaintance,
                    ][n % 3],
                ],
                control_methods: vec![
                    ControlMethod::ConfiscatedDocuments,
                    [
                        ControlMethod::DebtBondage,
                        ControlMethod::Isolation,
                        ControlMethod::ThreatsToFamily,
                    ][n % 3],
                ],
                trafficking_events: vec![],
                connected_persons: vec![],
            };
            let client = clients::create(db, master, &worker, details, Some("Demo signal")).await?;
            if !matches!(stage, Stage::Signalled) {
                interview(db, master, &worker, client.case_id, n).await?;
            }
            for step in path_to(stage) {
                let closure = (step == Stage::Closed).then_some(ClosureReason::ReintegratedLocally);
                let _ = cases::transition(
                    db,
                    master,
                    &worker,
                    client.case_id,
                    step,
                    Some("Demo progress"),
                    closure,
                    None,
                )
                .await?;
            }
            if matches!(stage, Stage::Assistance | Stage::FollowUp) {
                assistance(db, master, &worker, client.case_id, n).await?;
            }
            if matches!(stage, Stage::Reflection | Stage::Assistance) {
                let bed = if gender == Gender::Female {
                    free_women.next().or_else(|| free_any.next())
                } else {
                    free_any.next()
                };
                if let Some(bed) = bed {
                    placements::create(
                        db,
                        &worker,
                        NewPlacement {
                            case_id: client.case_id,
                            bed_id: bed,
                            start_on: today - chrono::Duration::days(i64::try_from(n).unwrap_or(0)),
                            planned_end: Some(today + chrono::Duration::days(45)),
                            status: PlacementStatus::Admitted,
                        },
                    )
                    .await?;
                }
            }
            created += 1;
        }
    }
    // A serious security incident in the women's shelter, naming a resident by case code: it
    // notifies the shelter's manager and the administrators.
    let staff = scope_of(db, tenant, Role::ShelterStaff, slug).await?;
    let residents = placements::residents(db, &admin, shelter_ids[0]).await?;
    if let Some(resident) = residents.first() {
        incidents::create(
            db,
            master,
            &staff,
            NewIncident {
                shelter_id: shelter_ids[0],
                occurred_at: crate::now() - chrono::Duration::hours(5),
                category: IncidentCategory::ContactAttemptByTraffickers,
                severity: IncidentSeverity::High,
                involved_case_codes: vec![resident.case_code.clone()],
                description: "A stranger asked for a resident at the door (fictitious demo)."
                    .to_owned(),
                actions_taken: Some(
                    "Did not confirm anything; informed the manager (demo).".to_owned(),
                ),
                follow_up_status: None,
            },
        )
        .await?;
    }
    Ok(created)
}
