//! Platform administrators: created from the command line, never through the API.

use crate::entities::platform_admin;
use crate::error::{DomainError, DomainResult, Validator};
use crate::passwords;
use crate::types::{DisplayName, Email};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, DatabaseConnection, EntityTrait as _,
    QueryFilter as _, Set,
};
use secrecy::SecretString;
use uuid::Uuid;

/// Creates a platform administrator.
///
/// # Errors
/// `Invalid` input or weak password; `Conflict email_taken`; database errors.
pub async fn create_admin(
    db: &DatabaseConnection,
    email: &str,
    name: &str,
    password: SecretString,
) -> DomainResult<platform_admin::Model> {
    let mut v = Validator::default();
    let email_v = v.take(Email::parse("email", email));
    let name_v = v.take(DisplayName::parse("name", name));
    if let Err(DomainError::Invalid(list)) = passwords::check_policy(&password, &[email, name]) {
        for invalid in list {
            v.note("password", invalid.message);
        }
    }
    v.finish()?;
    let (Some(email), Some(name)) = (email_v, name_v) else {
        return Err(DomainError::Internal(anyhow::anyhow!(
            "validation passed with a missing value"
        )));
    };
    if platform_admin::Entity::find()
        .filter(platform_admin::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
        .is_some()
    {
        return Err(DomainError::conflict(
            "email_taken",
            "A platform administrator with this e-mail exists.",
        ));
    }
    let hash = tokio::task::spawn_blocking(move || passwords::hash(&password))
        .await
        .map_err(|e| DomainError::Internal(anyhow::anyhow!("hashing task failed: {e}")))??;
    let now = crate::now();
    Ok(platform_admin::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email.into_inner()),
        name: Set(name.into_inner()),
        password_hash: Set(hash),
        status: Set("active".to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

/// One platform administrator.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn get_admin(db: &DatabaseConnection, id: Uuid) -> DomainResult<platform_admin::Model> {
    platform_admin::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)
}
