//! A tenant's settings: the procedure template and its parameters, the web app's inactivity
//! lock, and the data-protection rules (tenant-owned).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tenant_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub procedure_template: String,
    pub reflection_days: Option<i32>,
    /// Minutes of inactivity before the web app locks; `None` for the default.
    pub session_lock_minutes: Option<i32>,
    /// The organisation's small-cell threshold; `None` for the default.
    pub k_threshold: Option<i32>,
    /// Years a client's data is kept after their last case closed; `None`: no retention run.
    pub retention_years: Option<i32>,
    /// Whether an erasure needs a second administrator's approval.
    pub two_person_erasure: bool,
    /// Days ahead that deadlines are announced to case teams; `None` for the default.
    pub deadline_notice_days: Option<i32>,
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
