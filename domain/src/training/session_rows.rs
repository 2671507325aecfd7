//! The stored parts of a training session: its sealed participant list and its trainers.

use crate::crypto::MasterKey;
use crate::entities::{training_session, training_session_trainer, user};
use crate::error::{DomainError, DomainResult};
use crate::fieldcrypt::{self, FieldRef};
use crate::ids::TenantId;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, EntityTrait as _, QueryFilter as _,
    Set,
};
use std::collections::BTreeMap;
use uuid::Uuid;

pub(crate) fn participants_field(tenant: TenantId, id: Uuid) -> FieldRef<'static> {
    FieldRef {
        tenant,
        table: "training_sessions",
        row: id,
        field: "participants",
    }
}

pub(crate) fn trimmed(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

pub(crate) async fn seal<C: ConnectionTrait>(
    conn: &C,
    master: &MasterKey,
    tenant: TenantId,
    id: Uuid,
    participants: Option<&Vec<String>>,
) -> DomainResult<Option<String>> {
    let Some(list) = participants else {
        return Ok(None);
    };
    let names: Vec<&str> = list.iter().map(|p| p.trim()).collect();
    let json = serde_json::to_string(&names).map_err(|e| DomainError::Internal(e.into()))?;
    let key = fieldcrypt::tenant_key(conn, master, tenant).await?;
    Ok(Some(key.seal_str(&participants_field(tenant, id), &json)?))
}

pub(crate) async fn known_trainers<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    ids: &[Uuid],
) -> DomainResult<bool> {
    let found = user::Entity::scoped(tenant)
        .filter(user::Column::Id.is_in(ids.to_vec()))
        .all(conn)
        .await?;
    Ok(found.len() == ids.len())
}

pub(crate) async fn replace_trainers<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    session: Uuid,
    ids: &[Uuid],
) -> DomainResult<()> {
    training_session_trainer::Entity::delete_many()
        .filter(training_session_trainer::Column::TenantId.eq(*tenant.as_uuid()))
        .filter(training_session_trainer::Column::SessionId.eq(session))
        .exec(conn)
        .await?;
    for user_id in ids {
        training_session_trainer::ActiveModel {
            tenant_id: Set(*tenant.as_uuid()),
            session_id: Set(session),
            user_id: Set(*user_id),
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

pub(crate) async fn trainers_of<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    sessions: Vec<Uuid>,
) -> DomainResult<BTreeMap<Uuid, Vec<Uuid>>> {
    let mut map: BTreeMap<Uuid, Vec<Uuid>> = BTreeMap::new();
    for row in training_session_trainer::Entity::scoped(tenant)
        .filter(training_session_trainer::Column::SessionId.is_in(sessions))
        .all(conn)
        .await?
    {
        map.entry(row.session_id).or_default().push(row.user_id);
    }
    Ok(map)
}

pub(crate) async fn find<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    id: Uuid,
) -> DomainResult<Option<training_session::Model>> {
    Ok(training_session::Entity::scoped(tenant)
        .filter(training_session::Column::Id.eq(id))
        .one(conn)
        .await?)
}
