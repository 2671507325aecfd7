//! The demo referral directory: about forty fictitious partner organisations in Belgium,
//! Nigeria and their neighbours (`domain/data/demo/directory.json`: invented names, example.org
//! contacts, no telephone numbers), curated by the platform, plus the Nigerian demo
//! organisation's own entry, linked to it so that referrals to it land in its inbox. Safe to
//! run again.

use crate::cache::{Cache, MemoryCache};
use crate::directory::model::EntryFields;
use crate::directory::{Viewer, service};
use crate::entities::directory_organisation;
use crate::error::{DomainError, DomainResult};
use crate::seed_library::{demo_platform, tenant_by_slug};
use crate::vocab::{DirectoryServiceType, PartnerOrganisationType, Visibility};
use sea_orm::{ColumnTrait as _, DatabaseConnection, QueryFilter as _};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

const SOURCE: &str = include_str!("../data/demo/directory.json");

/// The name of the Nigerian demo organisation's own entry.
pub const LINKED_ENTRY: &str = "Demo Shelter Nigeria";

#[derive(Deserialize)]
struct Demo {
    #[allow(dead_code)]
    version: u32,
    #[allow(dead_code)]
    title: String,
    entries: Vec<EntryFields>,
}

fn linked_entry() -> EntryFields {
    EntryFields {
        name: LINKED_ENTRY.to_owned(),
        organisation_type: PartnerOrganisationType::Ngo,
        country: "NG".to_owned(),
        region: Some("Lagos".to_owned()),
        city: Some("Lagos".to_owned()),
        service_types: vec![
            DirectoryServiceType::Shelter,
            DirectoryServiceType::MentalHealth,
        ],
        languages: vec!["en".to_owned(), "yo".to_owned(), "pcm".to_owned()],
        phone: None,
        email: Some("referrals@demo-ng.example.org".to_owned()),
        website: Some("https://demo-ng.example.org".to_owned()),
        hours: Some("Open day and night".to_owned()),
        open_24_7: true,
        accessibility: None,
        descriptions: BTreeMap::from([(
            "en".to_owned(),
            "The Nigerian demo organisation on Haven: referrals sent here land in its inbox."
                .to_owned(),
        )]),
    }
}

/// Adds the entries that are missing and links the demo organisation's own entry; returns how
/// many entries it created.
///
/// # Errors
/// Database errors, or a malformed data file.
pub async fn seed_directory(db: &DatabaseConnection) -> DomainResult<usize> {
    let Some(ctx) = demo_platform(db).await? else {
        return Ok(0);
    };
    let viewer = Viewer::Platform(&ctx);
    let cache: Cache = Arc::new(MemoryCache::new(16));
    let demo: Demo = serde_json::from_str(SOURCE).map_err(|e| DomainError::Internal(e.into()))?;
    let txn = ctx.begin(db).await?;
    let existing: BTreeMap<String, directory_organisation::Model> =
        directory_organisation::Entity::curated(&ctx)
            .filter(directory_organisation::Column::OwnerTenantId.is_null())
            .all(&txn)
            .await?
            .into_iter()
            .map(|o| (o.name.clone(), o))
            .collect();
    txn.commit().await?;
    let names: BTreeSet<&String> = existing.keys().collect();
    let mut created = 0;
    for fields in demo.entries.into_iter().chain([linked_entry()]) {
        if names.contains(&fields.name) {
            continue;
        }
        service::create(db, &cache, viewer, Visibility::Shared, fields).await?;
        created += 1;
    }
    let linked = match existing.get(LINKED_ENTRY) {
        Some(row) => row.clone(),
        None => {
            let txn = ctx.begin(db).await?;
            let row = directory_organisation::Entity::curated(&ctx)
                .filter(directory_organisation::Column::Name.eq(LINKED_ENTRY))
                .filter(directory_organisation::Column::OwnerTenantId.is_null())
                .one(&txn)
                .await?
                .ok_or(DomainError::NotFound)?;
            txn.commit().await?;
            row
        }
    };
    if linked.linked_tenant_id.is_none()
        && let Some(ng) = tenant_by_slug(db, "demo-ng").await?
    {
        service::link(db, &cache, &ctx, linked.id, Some(ng)).await?;
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn the_demo_directory_is_valid_and_invented() {
        let demo: Demo = serde_json::from_str(SOURCE).expect("valid data");
        assert!((38..=45).contains(&demo.entries.len()));
        let countries: BTreeSet<&str> = demo.entries.iter().map(|e| e.country.as_str()).collect();
        assert!(countries.contains("BE") && countries.contains("NG") && countries.len() >= 6);
        let types: BTreeSet<DirectoryServiceType> = demo
            .entries
            .iter()
            .flat_map(|e| e.service_types.iter().copied())
            .collect();
        assert_eq!(
            types.len(),
            DirectoryServiceType::ALL.len() - 1,
            "all but `other`"
        );
        for entry in demo.entries.into_iter().chain([linked_entry()]) {
            assert!(entry.phone.is_none(), "{}", entry.name);
            assert!(
                entry
                    .email
                    .as_deref()
                    .is_some_and(|e| e.ends_with(".example.org")),
                "{}",
                entry.name
            );
            crate::directory::model::check_fields(entry).expect("valid entry");
        }
    }
}
