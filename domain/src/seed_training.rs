//! The demo organisations' training work: one technical-assistance engagement each, written
//! through the same service the API uses. Entirely fictitious. Safe to run again.

use crate::authz::Role;
use crate::entities::ta_engagement;
use crate::error::DomainResult;
use crate::ids::TenantId;
use crate::seed_casework::scope_of;
use crate::tenancy::begin_scoped;
use crate::training::engagements::{self, NewEngagement};
use crate::vocab::{EngagementStatus, EngagementType, PartnerKind};
use chrono::{Duration, NaiveDate};
use sea_orm::DatabaseConnection;

/// Seeds the training work of demo tenant `slug` unless it has some already; returns how many
/// engagements it created.
///
/// # Errors
/// Database errors, or a missing demo trainer.
pub async fn seed_training(
    db: &DatabaseConnection,
    tenant: TenantId,
    slug: &str,
    country: &str,
) -> DomainResult<usize> {
    let txn = begin_scoped(db, tenant).await?;
    let existing = ta_engagement::Entity::scoped(tenant).one(&txn).await?;
    txn.commit().await?;
    if existing.is_some() {
        return Ok(0);
    }
    let trainer = scope_of(db, tenant, Role::Trainer, slug).await?;
    let today: NaiveDate = crate::now().date_naive();
    engagements::create(
        db,
        &trainer,
        NewEngagement {
            partner_name: "Demo regional labour inspectorate (fictitious)".to_owned(),
            partner_kind: PartnerKind::GovernmentBody,
            country: country.to_owned(),
            engagement_type: EngagementType::TrainingProgrammeDesign,
            starts_on: today - Duration::days(30),
            ends_on: Some(today + Duration::days(60)),
            deliverables: vec![
                "Needs assessment of the inspectorate's referral practice".to_owned(),
                "Two-day curriculum on recognising labour exploitation".to_owned(),
                "Pocket card with referral contacts for inspectors".to_owned(),
            ],
            status: EngagementStatus::Ongoing,
        },
    )
    .await?;
    Ok(1)
}
