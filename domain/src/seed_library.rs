//! The demo training library and training sessions: a course for police on victim
//! identification curated by the platform, a course for medical personnel on the health needs
//! of trafficked persons proposed by the Belgian demo organisation and verified by the
//! platform, a private course of the Nigerian demo organisation, one proposal still awaiting
//! review, and sessions of both organisations across audiences and recent months. Written
//! through the services the API uses; entirely fictitious. Safe to run again.

use crate::authz::Role;
use crate::crypto::MasterKey;
use crate::entities::{platform_admin, tenant, training_course, training_session};
use crate::error::DomainResult;
use crate::ids::TenantId;
use crate::seed::PLATFORM_ADMIN_EMAIL;
use crate::seed_casework::scope_of;
use crate::tenancy::{PlatformContext, TenantScope, begin_scoped};
use crate::training::content::{CourseContent, ModuleContent};
use crate::training::courses::{self, CourseFilter};
use crate::training::library::Curator;
use crate::training::sessions::{self, NewSession};
use crate::training::versions;
use crate::vocab::{Audience, ReviewDecision, SessionDelivery, Visibility};
use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait as _, DatabaseConnection, EntityTrait as _, QueryFilter as _};
use uuid::Uuid;

const INDUCTION: &str = "Induction for new shelter volunteers";

fn induction() -> CourseContent {
    CourseContent {
        title: INDUCTION.to_owned(),
        summary: "Our own half-day induction: confidentiality, the house rules and what to do \
            when a resident is at risk."
            .to_owned(),
        audiences: vec![Audience::ShelterStaff, Audience::NgoStaff],
        languages: vec!["en".to_owned(), "yo".to_owned(), "ha".to_owned()],
        duration_minutes: 180,
        objectives: vec![
            "Keep residents' identities and the shelter's address confidential".to_owned(),
            "Know whom to call when a resident or the shelter is at risk".to_owned(),
        ],
        modules: vec![
            ModuleContent {
                title: "Confidentiality".to_owned(),
                content: "## Confidentiality\n\nNever share a resident's name, photo or the \
                    shelter's address — not with family, not online. Use case codes in \
                    conversation and in notes."
                    .to_owned(),
            },
            ModuleContent {
                title: "When someone is at risk".to_owned(),
                content: "## When someone is at risk\n\n1. Stay calm and keep the resident \
                    with you.\n2. Call the shelter manager on duty.\n3. Record what happened \
                    as an incident the same day."
                    .to_owned(),
            },
        ],
    }
}

fn inspectors() -> CourseContent {
    CourseContent {
        title: "Labour exploitation for labour inspectors".to_owned(),
        summary: "A one-day course on recognising forced labour during workplace inspections \
            and referring workers to assistance."
            .to_owned(),
        audiences: vec![Audience::LabourInspectors, Audience::LabourUnions],
        languages: vec!["en".to_owned()],
        duration_minutes: 360,
        objectives: vec!["Spot debt bondage and withheld wages during an inspection".to_owned()],
        modules: vec![ModuleContent {
            title: "Debt and wages".to_owned(),
            content: "## Debt and wages\n\nAsk who pays the workers, how much, and whether \
                anything is deducted for housing, transport or tools."
                .to_owned(),
        }],
    }
}

pub(crate) async fn tenant_by_slug(
    db: &DatabaseConnection,
    slug: &str,
) -> DomainResult<Option<TenantId>> {
    Ok(tenant::Entity::find()
        .filter(tenant::Column::Slug.eq(slug))
        .one(db)
        .await?
        .map(|t| TenantId::from_uuid(t.id)))
}

/// The demo platform administrator's context, once the administrator exists.
pub(crate) async fn demo_platform(
    db: &DatabaseConnection,
) -> DomainResult<Option<PlatformContext>> {
    Ok(platform_admin::Entity::find()
        .filter(platform_admin::Column::Email.eq(PLATFORM_ADMIN_EMAIL))
        .one(db)
        .await?
        .map(|admin| PlatformContext::new(admin.id, Uuid::nil())))
}

/// Seeds the library and the sessions when they are missing; returns how many courses and
/// sessions it created.
///
/// # Errors
/// Database errors, or missing demo users.
pub async fn seed_library(db: &DatabaseConnection, master: &MasterKey) -> DomainResult<usize> {
    let Some(ctx) = demo_platform(db).await? else {
        return Ok(0);
    };
    let (Some(be), Some(ng)) = (
        tenant_by_slug(db, "demo-be").await?,
        tenant_by_slug(db, "demo-ng").await?,
    ) else {
        return Ok(0);
    };
    let platform = Curator::Platform(&ctx);
    let be_trainer = scope_of(db, be, Role::Trainer, "demo-be").await?;
    let ng_trainer = scope_of(db, ng, Role::Trainer, "demo-ng").await?;
    let mut created = 0;

    let txn = ctx.begin(db).await?;
    let any_course = training_course::Entity::find().one(&txn).await?;
    txn.commit().await?;
    if any_course.is_none() {
        courses::create(
            db,
            &platform,
            Visibility::Shared,
            crate::seed_course_police::content(),
        )
        .await?;
        let medical = courses::create(
            db,
            &Curator::Tenant(&be_trainer),
            Visibility::Shared,
            crate::seed_course_medical::content(),
        )
        .await?;
        versions::review(
            db,
            &platform,
            medical.course.id,
            medical.version.row.id,
            ReviewDecision::Verified,
            Some("Checked: the referral steps match the recognised centres.".to_owned()),
        )
        .await?;
        let ng_curator = Curator::Tenant(&ng_trainer);
        courses::create(db, &ng_curator, Visibility::Private, induction()).await?;
        courses::create(db, &ng_curator, Visibility::Shared, inspectors()).await?;
        created += 4;
    }
    created += seed_sessions(db, master, be, &be_trainer, &be_plan()).await?;
    created += seed_sessions(db, master, ng, &ng_trainer, &ng_plan()).await?;
    Ok(created)
}

/// One demo session: the course title, months ago, audience, participants, scores, online.
type Planned = (&'static str, i64, Audience, i32, (i32, i32), bool);

const POLICE: &str = "Identifying presumed victims of trafficking";
const MEDICAL: &str = "Health needs of trafficked persons";

fn be_plan() -> Vec<Planned> {
    vec![
        (POLICE, 5, Audience::Police, 24, (42, 78), false),
        (MEDICAL, 4, Audience::MedicalPersonnel, 18, (51, 83), false),
        (POLICE, 3, Audience::LabourInspectors, 12, (47, 80), true),
        (POLICE, 2, Audience::Police, 30, (39, 74), false),
        (MEDICAL, 1, Audience::MedicalPersonnel, 22, (55, 88), true),
        (POLICE, 0, Audience::GovernmentOfficials, 9, (60, 85), true),
    ]
}

fn ng_plan() -> Vec<Planned> {
    vec![
        (POLICE, 5, Audience::Police, 35, (33, 71), false),
        (POLICE, 4, Audience::Military, 28, (30, 69), false),
        (INDUCTION, 4, Audience::ShelterStaff, 8, (58, 90), false),
        (MEDICAL, 3, Audience::MedicalPersonnel, 16, (45, 79), false),
        (POLICE, 2, Audience::Peacekeepers, 40, (36, 75), false),
        (INDUCTION, 1, Audience::NgoStaff, 11, (52, 86), true),
        (MEDICAL, 0, Audience::MedicalPersonnel, 20, (48, 81), false),
    ]
}

async fn course_by_title(
    db: &DatabaseConnection,
    scope: &TenantScope,
    title: &str,
) -> DomainResult<Option<Uuid>> {
    let filter = CourseFilter {
        text: Some(title.to_owned()),
        limit: 10,
        ..CourseFilter::default()
    };
    let found = courses::list(db, &Curator::Tenant(scope), &filter).await?;
    Ok(found
        .into_iter()
        .find(|c| c.version.row.title == title)
        .map(|c| c.course.id))
}

async fn seed_sessions(
    db: &DatabaseConnection,
    master: &MasterKey,
    tenant: TenantId,
    trainer: &TenantScope,
    plan: &[Planned],
) -> DomainResult<usize> {
    let txn = begin_scoped(db, tenant).await?;
    let existing = training_session::Entity::scoped(tenant).one(&txn).await?;
    txn.commit().await?;
    if existing.is_some() {
        return Ok(0);
    }
    let today: NaiveDate = crate::now().date_naive();
    let mut created = 0;
    for (i, (title, months_ago, audience, count, (pre, post), online)) in plan.iter().enumerate() {
        let Some(course_id) = course_by_title(db, trainer, title).await? else {
            continue;
        };
        let held_on = today - Duration::days(months_ago * 30 + 3);
        let participants = (i % 3 == 0).then(|| {
            (1..=3)
                .map(|n| format!("Demo participant {n} (fictitious)"))
                .collect()
        });
        sessions::create(
            db,
            master,
            trainer,
            NewSession {
                course_id,
                course_version_id: None,
                held_on,
                delivery: if *online {
                    SessionDelivery::Online
                } else {
                    SessionDelivery::InPerson
                },
                place: (!online).then(|| "Demo training centre (fictitious)".to_owned()),
                online_link: online.then(|| format!("https://meet.example.org/demo-{i}")),
                trainer_ids: vec![*trainer.user_id().as_uuid()],
                audience: *audience,
                participant_count: *count,
                participants,
                pre_score: Some(*pre),
                post_score: Some(*post),
                notes: Some("Demo session (fictitious).".to_owned()),
            },
        )
        .await?;
        created += 1;
    }
    Ok(created)
}
