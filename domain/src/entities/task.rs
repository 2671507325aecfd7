//! Tasks and appointments, optionally on a case (tenant-owned).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tasks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `task` or `appointment`.
    pub kind: String,
    /// Short and free of personal data: it is shown in agendas.
    pub title: String,
    /// Sealed with the client's data key (only tasks on a case have details).
    pub details_sealed: Option<String>,
    pub case_id: Option<Uuid>,
    /// The case's client, whose key seals the details.
    pub client_id: Option<Uuid>,
    pub assignee_id: Uuid,
    pub due_at: DateTimeUtc,
    /// `open`, `done` or `cancelled`.
    pub status: String,
    pub completed_at: Option<DateTimeUtc>,
    pub completed_by: Option<Uuid>,
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
