//! The rows of the synthetic data set: fictitious identities sealed and indexed per client,
//! cases in every stage with their stage history, current and past placements that never
//! double-book a bed, service-log entries across the service areas, and for one client in
//! three past intake a consent to share with partners and a referral resting on it, in every
//! status.

use super::Ground;
use crate::clients::{self, ClientDetails, Identity};
use crate::crypto::MasterKey;
use crate::entities::{
    case, case_member, case_transition, client, client_key, client_name_index, consent, placement,
    referral, service_entry,
};
use crate::error::DomainResult;
use crate::fieldcrypt::DataKey;
use crate::vocab::{
    ExploitationType, Gender, Need, PacketField, PlacementStatus, RecruitmentMethod,
    ReferralStatus, ReferralUrgency, Stage, TraffickingStatus,
};
use chrono::{Datelike as _, Duration, NaiveDate};
use sea_orm::Set;
use uuid::Uuid;

const GIVEN: [&str; 12] = [
    "Amara", "Blessing", "Chioma", "Dorina", "Esi", "Farida", "Grace", "Hana", "Ioana", "Joy",
    "Kemi", "Lina",
];
const FAMILY: [&str; 12] = [
    "Adeyemi",
    "Balan",
    "Chukwu",
    "Dumitru",
    "Eze",
    "Florea",
    "Georgieva",
    "Haile",
    "Ionescu",
    "Jovanovic",
    "Kone",
    "Lungu",
];
const NATIONALITIES: [&str; 6] = ["NG", "RO", "BG", "VN", "ER", "AL"];
const LANGUAGES: [&str; 6] = ["en", "ro", "bg", "vi", "ti", "sq"];
/// Stages in proportion (per 20 clients).
const STAGES: [(Stage, usize); 6] = [
    (Stage::Signalled, 2),
    (Stage::Intake, 3),
    (Stage::Reflection, 4),
    (Stage::Assistance, 6),
    (Stage::FollowUp, 2),
    (Stage::Closed, 3),
];
const ORDER: [Stage; 5] = [
    Stage::Signalled,
    Stage::Intake,
    Stage::Reflection,
    Stage::Assistance,
    Stage::FollowUp,
];

/// The rows of one batch.
#[derive(Default)]
pub(super) struct Rows {
    pub(super) clients: Vec<client::ActiveModel>,
    pub(super) keys: Vec<client_key::ActiveModel>,
    pub(super) names: Vec<client_name_index::ActiveModel>,
    pub(super) cases: Vec<case::ActiveModel>,
    pub(super) members: Vec<case_member::ActiveModel>,
    pub(super) transitions: Vec<case_transition::ActiveModel>,
    pub(super) placements: Vec<placement::ActiveModel>,
    pub(super) services: Vec<service_entry::ActiveModel>,
    pub(super) consents: Vec<consent::ActiveModel>,
    pub(super) referrals: Vec<referral::ActiveModel>,
}

fn stage_of(i: usize) -> Stage {
    let mut slot = i % 20;
    for (stage, share) in STAGES {
        if slot < share {
            return stage;
        }
        slot -= share;
    }
    Stage::Assistance
}

fn details_of(i: usize, today: NaiveDate) -> ClientDetails {
    let age = 18 + (i * 7) % 40;
    let born = NaiveDate::from_ymd_opt(
        today.year() - age as i32,
        1 + (i % 12) as u32,
        1 + (i % 28) as u32,
    );
    ClientDetails {
        identity: Identity {
            legal_given_name: Some(GIVEN[i % GIVEN.len()].to_owned()),
            legal_family_name: Some(format!("{}-{}", FAMILY[(i / 12) % FAMILY.len()], i)),
            date_of_birth: born,
            ..Identity::default()
        },
        gender: if i.is_multiple_of(9) {
            Gender::Male
        } else {
            Gender::Female
        },
        birth_year: None,
        age_band: None,
        nationality: Some(NATIONALITIES[i % NATIONALITIES.len()].to_owned()),
        languages: vec![LANGUAGES[i % LANGUAGES.len()].to_owned()],
        exploitation_types: vec![
            [
                ExploitationType::Sexual,
                ExploitationType::ForcedLabour,
                ExploitationType::DomesticServitude,
                ExploitationType::ForcedCriminalActivity,
            ][i % 4],
        ],
        needs: if i.is_multiple_of(3) {
            vec![Need::Medical]
        } else {
            Vec::new()
        },
        trafficking_status: TraffickingStatus::Possible,
        status_decided_by: None,
        recruitment_methods: vec![RecruitmentMethod::FalseJobOffer],
        control_methods: Vec::new(),
        trafficking_events: Vec::new(),
        connected_persons: Vec::new(),
    }
}

/// Seals, indexes and shapes clients `first..first + count` of an organisation.
pub(super) fn build(
    master: &MasterKey,
    ground: &Ground,
    first: usize,
    count: usize,
) -> DomainResult<Rows> {
    let tenant = ground.tenant;
    let t = *tenant.as_uuid();
    let now = crate::now();
    let today = now.date_naive();
    let taxonomy = crate::services_log::taxonomy::current()?;
    let mut rows = Rows::default();
    for i in first..first + count {
        let id = Uuid::now_v7();
        let key = DataKey::generate()?;
        let details = details_of(i, today);
        let lead = ground.workers[i % ground.workers.len()];
        let mut model = client::ActiveModel {
            tenant_id: Set(t),
            id: Set(id),
            case_code: Set(format!("{}-{}-{:04}", ground.country, today.year(), i + 1)),
            created_by: Set(Some(lead)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        clients::store_details(master, &key, tenant, id, &details, &mut model)?;
        rows.clients.push(model);
        rows.names.extend(clients::name_index_rows(
            master,
            tenant,
            id,
            &details.identity,
        ));
        rows.keys
            .push(clients::key_row(master, &key, tenant, id, now)?);

        let case_id = Uuid::now_v7();
        let stage = stage_of(i);
        rows.cases.push(case::ActiveModel {
            tenant_id: Set(t),
            id: Set(case_id),
            client_id: Set(id),
            stage: Set(stage.as_str().to_owned()),
            closure_reason: Set((stage == Stage::Closed).then(|| "reintegrated_locally".to_owned())),
            opened_at: Set(now - Duration::days((i % 700) as i64)),
            closed_at: Set((stage == Stage::Closed).then_some(now)),
            created_by: Set(Some(lead)),
            created_at: Set(now),
            updated_at: Set(now),
        });
        rows.members.push(case_member::ActiveModel {
            tenant_id: Set(t),
            case_id: Set(case_id),
            user_id: Set(lead),
            role: Set("lead".to_owned()),
            created_at: Set(now),
        });
        let path: Vec<Stage> = if stage == Stage::Closed {
            vec![Stage::Signalled, Stage::Intake, Stage::Closed]
        } else {
            ORDER
                .iter()
                .copied()
                .take_while(|s| *s != stage)
                .chain([stage])
                .collect()
        };
        let mut from = None;
        for to in path {
            rows.transitions.push(case_transition::ActiveModel {
                tenant_id: Set(t),
                id: Set(Uuid::now_v7()),
                case_id: Set(case_id),
                from_stage: Set(from.map(|s: Stage| s.as_str().to_owned())),
                to_stage: Set(to.as_str().to_owned()),
                reason: Set(None),
                actor_id: Set(Some(lead)),
                occurred_at: Set(now),
            });
            from = Some(to);
        }
        if let Some(p) = placement_of(ground, i, stage, today, now) {
            rows.placements.push(placement::ActiveModel {
                case_id: Set(case_id),
                client_id: Set(id),
                created_by: Set(Some(lead)),
                ..p
            });
        }
        if stage != Stage::Signalled {
            for s in 0..2 {
                let area = &taxonomy.areas[(i + s) % taxonomy.areas.len()];
                let kind = &area.types[i % area.types.len()];
                rows.services.push(service_entry::ActiveModel {
                    tenant_id: Set(t),
                    id: Set(Uuid::now_v7()),
                    case_id: Set(case_id),
                    client_id: Set(id),
                    area: Set(area.area.as_str().to_owned()),
                    service_type: Set(kind.code.clone()),
                    provided_on: Set(today - Duration::days(((i * 3 + s * 11) % 300) as i64)),
                    duration_minutes: Set(30 + ((i + s) % 6) as i32 * 30),
                    provider_user_id: Set(Some(lead)),
                    provider_organisation_name: Set(None),
                    provider_organisation_id: Set(None),
                    goal_id: Set(None),
                    note_sealed: Set(None),
                    created_by: Set(Some(lead)),
                    created_at: Set(now),
                    updated_at: Set(now),
                });
            }
        }
        if i.is_multiple_of(3)
            && matches!(stage, Stage::Assistance | Stage::FollowUp | Stage::Closed)
        {
            let (consent, referral) = referral_of(ground, &key, i, stage, id, case_id, lead, now)?;
            rows.consents.push(consent);
            rows.referrals.push(referral);
        }
    }
    Ok(rows)
}

/// Where a synthetic referral of client `i` stands: still open while the case is in
/// assistance, settled once it has moved on.
fn referral_status(i: usize, stage: Stage) -> ReferralStatus {
    let open = [
        ReferralStatus::Sent,
        ReferralStatus::Accepted,
        ReferralStatus::Declined,
        ReferralStatus::Cancelled,
    ];
    let settled = [
        ReferralStatus::Completed,
        ReferralStatus::Completed,
        ReferralStatus::Declined,
    ];
    if stage == Stage::Assistance {
        open[(i / 3) % open.len()]
    } else {
        settled[(i / 3) % settled.len()]
    }
}

/// A consent to share with the partner's kind of organisation, and a referral resting on it.
#[allow(clippy::too_many_arguments)]
fn referral_of(
    ground: &Ground,
    key: &DataKey,
    i: usize,
    stage: Stage,
    client_id: Uuid,
    case_id: Uuid,
    lead: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> DomainResult<(consent::ActiveModel, referral::ActiveModel)> {
    let t = *ground.tenant.as_uuid();
    let partner = &ground.partners[(i / 3) % ground.partners.len()];
    let given = now - Duration::days(30 + (i % 200) as i64);
    let consent_id = Uuid::now_v7();
    let consent = consent::ActiveModel {
        tenant_id: Set(t),
        id: Set(consent_id),
        client_id: Set(client_id),
        interview_id: Set(None),
        purpose: Set("sharing_with_partners".to_owned()),
        partner_types: Set(partner.consent_covers.clone()),
        given_at: Set(given),
        withdrawn_at: Set(None),
        withdrawn_by: Set(None),
        recorded_by: Set(Some(lead)),
        created_at: Set(given),
        updated_at: Set(given),
    };
    let id = Uuid::now_v7();
    let status = referral_status(i, stage);
    let sent = given + Duration::days(1);
    let responded = sent + Duration::days(2);
    let answered = status != ReferralStatus::Sent && status != ReferralStatus::Cancelled;
    let seal = |name: &'static str, text: &str| {
        key.seal_str(&crate::referrals::field(ground.tenant, id, name), text)
    };
    let referral = referral::ActiveModel {
        tenant_id: Set(t),
        id: Set(id),
        case_id: Set(case_id),
        client_id: Set(client_id),
        organisation_id: Set(partner.id),
        service_type: Set(partner.service_type.as_str().to_owned()),
        service_area: Set(partner.service_area.as_str().to_owned()),
        urgency: Set([ReferralUrgency::Routine, ReferralUrgency::Urgent][i % 2]
            .as_str()
            .to_owned()),
        reason_sealed: Set(seal("reason", "Synthetic referral for load tests.")?),
        shared_fields: Set(crate::vocab::join(
            &[
                PacketField::Gender,
                PacketField::AgeBand,
                PacketField::Languages,
            ],
            PacketField::as_str,
        )),
        consent_id: Set(Some(consent_id)),
        consent_override: Set(false),
        override_reason_sealed: Set(None),
        override_by: Set(None),
        status: Set(status.as_str().to_owned()),
        outcome_sealed: Set((status == ReferralStatus::Completed)
            .then(|| seal("outcome", "Service delivered."))
            .transpose()?),
        sent_at: Set(sent),
        responded_at: Set(answered.then_some(responded)),
        completed_at: Set(
            (status == ReferralStatus::Completed).then_some(responded + Duration::days(14))
        ),
        cancelled_at: Set((status == ReferralStatus::Cancelled).then_some(responded)),
        receiver_tenant_id: Set(None),
        incoming_id: Set(None),
        recalled_at: Set(None),
        created_by: Set(lead),
        created_at: Set(sent),
        updated_at: Set(sent),
    };
    Ok((consent, referral))
}

/// The first clients (one per bed) in reflection or assistance occupy the beds now; those in
/// follow-up or closed stayed earlier, in ten-day slots that never overlap on a bed.
fn placement_of(
    ground: &Ground,
    i: usize,
    stage: Stage,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<placement::ActiveModel> {
    let beds = ground.beds.len();
    let (start, end, status) = match stage {
        Stage::Reflection | Stage::Assistance if i < beds => (
            today - Duration::days((i % 60) as i64),
            None,
            PlacementStatus::Admitted,
        ),
        Stage::FollowUp | Stage::Closed => {
            let slot = i / beds + 1;
            let start = today - Duration::days(70 + 10 * slot as i64);
            (
                start,
                Some(start + Duration::days(9)),
                PlacementStatus::Left,
            )
        }
        _ => return None,
    };
    let (shelter, bed) = ground.beds[i % beds];
    Some(placement::ActiveModel {
        tenant_id: Set(*ground.tenant.as_uuid()),
        id: Set(Uuid::now_v7()),
        shelter_id: Set(shelter),
        bed_id: Set(bed),
        status: Set(status.as_str().to_owned()),
        start_on: Set(start),
        end_on: Set(end),
        admitted_at: Set(Some(now - Duration::days((i % 60) as i64))),
        left_at: Set(end.map(|_| now)),
        leave_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
}
