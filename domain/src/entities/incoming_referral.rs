//! Referrals a tenant received from another Haven tenant (tenant-owned by the receiver).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "incoming_referrals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The sending tenant, only to tell it how its referral stands; never shown.
    pub sender_tenant_id: Uuid,
    /// The directory entry the referral was addressed to.
    pub organisation_id: Uuid,
    /// The sending organisation's name at send time.
    pub sender_name: String,
    pub service_type: String,
    pub service_area: String,
    pub urgency: String,
    /// The consented fields and the reason, a JSON object sealed with the receiver's key.
    pub packet_sealed: String,
    /// A [`crate::vocab::IncomingStatus`].
    pub status: String,
    /// Why it was declined, sealed with the receiver's key.
    pub decline_reason_sealed: Option<String>,
    /// The case accepting it opened.
    pub case_id: Option<Uuid>,
    pub decided_by: Option<Uuid>,
    pub received_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    /// When the sender erased the client: the packet was emptied then.
    pub recalled_at: Option<DateTimeUtc>,
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
