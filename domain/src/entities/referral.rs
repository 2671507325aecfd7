//! Referrals a tenant sends: a case referred to a directory organisation (tenant-owned).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "referrals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub client_id: Uuid,
    /// The directory organisation referred to.
    pub organisation_id: Uuid,
    /// A [`crate::vocab::DirectoryServiceType`] the organisation offers.
    pub service_type: String,
    /// A [`crate::vocab::ServiceArea`].
    pub service_area: String,
    /// A [`crate::vocab::ReferralUrgency`].
    pub urgency: String,
    /// Why, sealed with the client's data key.
    pub reason_sealed: String,
    /// Comma-separated [`crate::vocab::PacketField`] names shared with the partner.
    pub shared_fields: String,
    /// The consent the referral rests on; `NULL` under an override.
    pub consent_id: Option<Uuid>,
    pub consent_override: bool,
    /// Why the consent was overridden, sealed with the client's data key.
    pub override_reason_sealed: Option<String>,
    pub override_by: Option<Uuid>,
    /// A [`crate::vocab::ReferralStatus`].
    pub status: String,
    /// What came of it, sealed with the client's data key.
    pub outcome_sealed: Option<String>,
    pub sent_at: DateTimeUtc,
    /// When the partner accepted or declined.
    pub responded_at: Option<DateTimeUtc>,
    pub completed_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    /// The Haven tenant the organisation was linked to when the referral was sent.
    pub receiver_tenant_id: Option<Uuid>,
    /// The item in that tenant's inbox (never readable from here).
    pub incoming_id: Option<Uuid>,
    /// When the receiver's copy of the packet was found cleared, after the client's erasure.
    pub recalled_at: Option<DateTimeUtc>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Entity {
    /// The only way to query this tenant-owned table: filtered to one tenant.
    pub fn scoped(tenant: crate::ids::TenantId) -> Select<Entity> {
        Entity::find().filter(Column::TenantId.eq(*tenant.as_uuid()))
    }
}
