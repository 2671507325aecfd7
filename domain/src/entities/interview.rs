//! Identification (intake) interviews of a case (tenant-owned).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "interviews")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub client_id: Uuid,
    pub held_on: Date,
    /// ISO 639 code of the language the interview was held in.
    pub language: String,
    pub interpreter_used: bool,
    pub interpreter_language: Option<String>,
    pub location_type: String,
    /// `yes`, `no` or `unclear`.
    pub presumed_victim: String,
    pub checklist_version: i32,
    /// JSON object: indicator code → `yes` / `no` / `unknown`.
    pub indicators: String,
    /// JSON list of risks: kind, level and the sealed note.
    pub risks: String,
    pub narrative_sealed: Option<String>,
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
