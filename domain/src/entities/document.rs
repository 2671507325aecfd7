//! Administrative documents of a case: permits, identity papers, registrations (tenant-owned).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "documents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub client_id: Uuid,
    /// A `DocumentKind`.
    pub kind: String,
    /// A `DocumentStatus`.
    pub status: String,
    pub number_sealed: Option<String>,
    pub issuing_authority: Option<String>,
    pub issued_on: Option<Date>,
    pub expires_on: Option<Date>,
    /// A step code of the tenant's procedure template.
    pub procedure_step: Option<String>,
    pub notes_sealed: Option<String>,
    pub created_by: Option<Uuid>,
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
