//! Case notes. A note's body is sealed with the client's key. Notes are append-only: a
//! correction adds a version and the history stays readable. A note is visible to the case
//! team (`team`) or only to managers and its author (`managers`); reading a body is audited.

use crate::access::{forbidden, not_found, require};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::cases::{case_visible, visible_case};
use crate::clients::client_data_key;
use crate::crypto::MasterKey;
use crate::entities::case_note;
use crate::error::{DomainError, DomainResult};
use crate::fieldcrypt::{DataKey, FieldRef};
use crate::ids::TenantId;
use crate::tenancy::TenantScope;
use crate::vocab::Stage;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection, QueryFilter as _,
    QueryOrder as _, Set,
};
use std::collections::BTreeMap;
use uuid::Uuid;

const MAX_BODY: usize = 20_000;

/// Who may read a note.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// Everyone who may see the case.
    Team,
    /// Managers (who see every case, or the shelter's) and the author.
    Managers,
}

impl Visibility {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Team => "team",
            Visibility::Managers => "managers",
        }
    }

    /// # Errors
    /// `Invalid` for anything else than `team` or `managers`.
    pub fn parse(raw: &str) -> DomainResult<Self> {
        match raw {
            "team" => Ok(Visibility::Team),
            "managers" => Ok(Visibility::Managers),
            _ => Err(DomainError::invalid(
                "visibility",
                "must be `team` or `managers`",
            )),
        }
    }
}

/// One version of a note, with its body when the reader may see it.
#[derive(Clone, Debug)]
pub struct NoteVersion {
    pub id: Uuid,
    pub note_id: Uuid,
    pub version: i32,
    pub case_id: Uuid,
    pub visibility: Visibility,
    pub body: Option<String>,
    pub author_id: Uuid,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

fn body_field(tenant: TenantId, version_id: Uuid) -> FieldRef<'static> {
    FieldRef {
        tenant,
        table: "case_notes",
        row: version_id,
        field: "body",
    }
}

fn check_body(body: &str) -> DomainResult<()> {
    if body.trim().is_empty() || body.chars().count() > MAX_BODY {
        return Err(DomainError::invalid(
            "body",
            format!("must be 1 to {MAX_BODY} characters"),
        ));
    }
    Ok(())
}

fn may_read(scope: &TenantScope, row: &case_note::Model) -> bool {
    let visibility = Visibility::parse(&row.visibility).unwrap_or(Visibility::Managers);
    visibility == Visibility::Team
        || row.author_id == *scope.user_id().as_uuid()
        || scope.has(Permission::CasesReadAll)
        || scope.has(Permission::CasesInMyShelters)
}

pub(crate) fn view(
    scope: &TenantScope,
    key: Option<&DataKey>,
    row: case_note::Model,
) -> DomainResult<NoteVersion> {
    let tenant = scope.tenant_id();
    let body = match key {
        Some(key) if may_read(scope, &row) => {
            Some(key.open_str(&body_field(tenant, row.id), &row.body_sealed)?)
        }
        _ => None,
    };
    Ok(NoteVersion {
        id: row.id,
        note_id: row.note_id,
        version: row.version,
        case_id: row.case_id,
        visibility: Visibility::parse(&row.visibility).unwrap_or(Visibility::Managers),
        body,
        author_id: row.author_id,
        created_at: row.created_at,
    })
}

async fn key_for<C: ConnectionTrait>(
    conn: &C,
    master: &MasterKey,
    scope: &TenantScope,
    client: Uuid,
) -> DomainResult<Option<DataKey>> {
    if scope.has(Permission::ClientIdentityRead) {
        client_data_key(conn, master, scope.tenant_id(), client).await
    } else {
        Ok(None)
    }
}

/// Writes a note on a visible case.
///
/// # Errors
/// `NotFound`; `Forbidden` without `cases.work`; `Invalid` body; `Conflict` on a closed case.
pub async fn create(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    case_id: Uuid,
    body: &str,
    visibility: Visibility,
) -> DomainResult<NoteVersion> {
    require(db, scope, Permission::CasesWork).await?;
    check_body(body)?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(case_row) = visible_case(&txn, scope, case_id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "case", case_id).await);
    };
    if case_row.stage == Stage::Closed.as_str() {
        return Err(DomainError::conflict("case_closed", "The case is closed."));
    }
    let key = client_data_key(&txn, master, tenant, case_row.client_id)
        .await?
        .ok_or_else(|| DomainError::conflict("client_erased", "This client's data was erased."))?;
    let id = Uuid::now_v7();
    let row = case_note::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(id),
        note_id: Set(id),
        version: Set(1),
        case_id: Set(case_id),
        visibility: Set(visibility.as_str().to_owned()),
        body_sealed: Set(key.seal_str(&body_field(tenant, id), body)?),
        author_id: Set(*scope.user_id().as_uuid()),
        created_at: Set(crate::now()),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        tenant,
        Event::new("note.created", Actor::user(scope), Outcome::Success)
            .target("note", id)
            .details(serde_json::json!({"case": case_id, "visibility": visibility.as_str()})),
    )
    .await?;
    txn.commit().await?;
    view(scope, Some(&key), row)
}

/// The latest version of each note of a visible case, newest note first. Bodies the reader
/// may not see are left out; reading bodies is audited.
///
/// # Errors
/// `NotFound`; `Forbidden`; database errors.
pub async fn list(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    case_id: Uuid,
) -> DomainResult<Vec<NoteVersion>> {
    require(db, scope, Permission::CasesWork).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(case_row) = visible_case(&txn, scope, case_id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "case", case_id).await);
    };
    let rows = case_note::Entity::scoped(tenant)
        .filter(case_note::Column::CaseId.eq(case_id))
        .order_by_desc(case_note::Column::NoteId)
        .order_by_desc(case_note::Column::Version)
        .all(&txn)
        .await?;
    let mut latest: BTreeMap<Uuid, case_note::Model> = BTreeMap::new();
    for row in rows {
        latest.entry(row.note_id).or_insert(row);
    }
    let key = key_for(&txn, master, scope, case_row.client_id).await?;
    if key.is_some() && !latest.is_empty() {
        audit::record(
            &txn,
            tenant,
            Event::new("note.read", Actor::user(scope), Outcome::Success)
                .target("case", case_id)
                .details(serde_json::json!({"notes": latest.len()})),
        )
        .await?;
    }
    txn.commit().await?;
    latest
        .into_values()
        .rev()
        .map(|row| view(scope, key.as_ref(), row))
        .collect()
}

async fn versions<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    note_id: Uuid,
) -> DomainResult<Vec<case_note::Model>> {
    Ok(case_note::Entity::scoped(scope.tenant_id())
        .filter(case_note::Column::NoteId.eq(note_id))
        .filter(case_visible(scope, case_note::Column::CaseId))
        .order_by_asc(case_note::Column::Version)
        .all(conn)
        .await?)
}

/// A note with every version, oldest first.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn history(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    note_id: Uuid,
) -> DomainResult<Vec<NoteVersion>> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let rows = versions(&txn, scope, note_id).await?;
    let Some(first) = rows.first() else {
        drop(txn);
        return Err(not_found(db, scope, "note", note_id).await);
    };
    let case_row = visible_case(&txn, scope, first.case_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let key = key_for(&txn, master, scope, case_row.client_id).await?;
    if key.is_some() && may_read(scope, first) {
        audit::record(
            &txn,
            tenant,
            Event::new("note.read", Actor::user(scope), Outcome::Success).target("note", note_id),
        )
        .await?;
    }
    txn.commit().await?;
    rows.into_iter()
        .map(|row| view(scope, key.as_ref(), row))
        .collect()
}

/// The version tag of a note (its latest version), for `ETag` / `If-Match`.
#[must_use]
pub fn etag(latest: &NoteVersion) -> String {
    format!("\"v{}\"", latest.version)
}

/// Corrects a note: adds a version with the new body. Needs `If-Match` with the latest version.
/// Only the author, or someone who sees every case, corrects a note.
///
/// # Errors
/// `NotFound`; `Forbidden`; `PreconditionRequired`/`PreconditionFailed`; `Invalid` body.
pub async fn correct(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    note_id: Uuid,
    body: &str,
    if_match: Option<&str>,
) -> DomainResult<NoteVersion> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let rows = versions(&txn, scope, note_id).await?;
    let Some(latest) = rows.last().cloned() else {
        drop(txn);
        return Err(not_found(db, scope, "note", note_id).await);
    };
    let may_correct =
        latest.author_id == *scope.user_id().as_uuid() || scope.has(Permission::CasesReadAll);
    if !scope.has(Permission::CasesWork) || !may_correct {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    let current_tag = format!("\"v{}\"", latest.version);
    check_body(body)?;
    crate::access::check_version(if_match, &current_tag)?;
    let case_row = visible_case(&txn, scope, latest.case_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let key = client_data_key(&txn, master, tenant, case_row.client_id)
        .await?
        .ok_or_else(|| DomainError::conflict("client_erased", "This client's data was erased."))?;
    let id = Uuid::now_v7();
    let row = case_note::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(id),
        note_id: Set(note_id),
        version: Set(latest.version + 1),
        case_id: Set(latest.case_id),
        visibility: Set(latest.visibility.clone()),
        body_sealed: Set(key.seal_str(&body_field(tenant, id), body)?),
        author_id: Set(*scope.user_id().as_uuid()),
        created_at: Set(crate::now()),
    }
    .insert(&txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => DomainError::PreconditionFailed,
        _ => DomainError::Db(e),
    })?;
    audit::record(
        &txn,
        tenant,
        Event::new("note.corrected", Actor::user(scope), Outcome::Success)
            .target("note", note_id)
            .details(serde_json::json!({"version": row.version})),
    )
    .await?;
    txn.commit().await?;
    view(scope, Some(&key), row)
}
