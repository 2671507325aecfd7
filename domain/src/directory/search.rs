//! Finding organisations in the directory: full text over name, city, region, service types and
//! descriptions, ranked by relevance (name above city above the rest), with filters on
//! country, service type, language, 24/7, verification and free beds tonight.
//!
//! PostgreSQL matches a weighted `tsvector` column through its GIN index (`ts_rank` orders);
//! SQLite matches its FTS5 table (`bm25` orders). Each word of the query matches as a prefix.
//! The ranked ids of a search are cached per viewer under a version that every change of the
//! directory replaces ([`invalidate`]), so the next search after a change reads the database
//! again (searches filtering on free beds, which change with every placement, are never
//! cached); the page itself is always loaded through the viewer's own query (and, on
//! PostgreSQL, row-level security), so a cache entry can never show a row the viewer may not
//! read.

use super::{EntryView, Viewer};
use crate::cache::Cache;
use crate::entities::directory_organisation::{self, Column};
use crate::error::{DomainError, DomainResult};
use crate::vocab::{DirectoryServiceType, VerificationStatus, Visibility};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait as _, Condition, DatabaseBackend, DatabaseConnection, Order, QueryFilter as _,
    QueryOrder as _, QuerySelect as _, Select,
};
use serde::Serialize;
use sha2::{Digest as _, Sha256};
use std::time::Duration;
use uuid::Uuid;

/// Most results a search ranks (pages are cut from them).
pub const MAX_RESULTS: usize = 1000;
/// Longest query text, in characters.
pub const MAX_QUERY: usize = 200;
const MAX_WORDS: usize = 8;
const VERSION_KEY: &str = "directory:version";
const VERSION_TTL: Duration = Duration::from_secs(30 * 24 * 3600);
const RESULT_TTL: Duration = Duration::from_secs(300);

/// What to look for. Every filter narrows the result.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SearchQuery {
    pub q: Option<String>,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: Option<String>,
    pub service_type: Option<DirectoryServiceType>,
    /// ISO 639 code.
    pub language: Option<String>,
    pub open_24_7: Option<bool>,
    /// `true`: verified shared entries only; `false`: everything else.
    pub verified: Option<bool>,
    pub has_free_bed: Option<bool>,
    pub visibility: Option<Visibility>,
    pub status: Option<VerificationStatus>,
    /// `true`: only the viewer's tenant's own entries.
    pub own: Option<bool>,
}

/// The words of a query: letters and digits, lower case, at most eight.
fn words(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().take(40).collect::<String>().to_lowercase())
        .take(MAX_WORDS)
        .collect()
}

fn list_contains(column: Column, value: &str) -> Condition {
    Condition::any()
        .add(column.eq(value))
        .add(column.starts_with(format!("{value},")))
        .add(column.ends_with(format!(",{value}")))
        .add(column.contains(format!(",{value},")))
}

fn filtered(viewer: Viewer<'_>, query: &SearchQuery) -> Select<directory_organisation::Entity> {
    let mut select = viewer.entries();
    if let Some(country) = &query.country {
        select = select.filter(Column::Country.eq(country.as_str()));
    }
    if let Some(kind) = query.service_type {
        select = select.filter(list_contains(Column::ServiceTypes, kind.as_str()));
    }
    if let Some(language) = &query.language {
        select = select.filter(list_contains(Column::Languages, language));
    }
    if let Some(open) = query.open_24_7 {
        select = select.filter(Column::Open247.eq(open));
    }
    let verified = Condition::all()
        .add(Column::Visibility.eq(Visibility::Shared.as_str()))
        .add(Column::VerificationStatus.eq(VerificationStatus::Verified.as_str()));
    match query.verified {
        Some(true) => select = select.filter(verified),
        Some(false) => select = select.filter(verified.not()),
        None => {}
    }
    match query.has_free_bed {
        Some(true) => select = select.filter(Column::FreeBeds.gt(0)),
        Some(false) => {
            select = select.filter(
                Condition::any()
                    .add(Column::FreeBeds.is_null())
                    .add(Column::FreeBeds.lte(0)),
            );
        }
        None => {}
    }
    if let Some(visibility) = query.visibility {
        select = select.filter(Column::Visibility.eq(visibility.as_str()));
    }
    if let Some(status) = query.status {
        select = select.filter(Column::VerificationStatus.eq(status.as_str()));
    }
    if query.own == Some(true) {
        let owner = viewer.tenant().map(|t| *t.as_uuid());
        select = select.filter(match owner {
            Some(owner) => Column::OwnerTenantId.eq(owner),
            None => Column::OwnerTenantId.is_null(),
        });
    }
    select
}

/// The ids matching `query`, best first (by name without a text query).
async fn ranked_ids(
    db: &DatabaseConnection,
    viewer: Viewer<'_>,
    query: &SearchQuery,
) -> DomainResult<Vec<Uuid>> {
    let words = query.q.as_deref().map(words).unwrap_or_default();
    let mut select = filtered(viewer, query);
    if words.is_empty() {
        select = select.order_by_asc(Column::Name).order_by_asc(Column::Id);
    } else if db.get_database_backend() == DatabaseBackend::Postgres {
        let tsquery = words
            .iter()
            .map(|w| format!("{w}:*"))
            .collect::<Vec<_>>()
            .join(" & ");
        select = select
            .filter(Expr::cust_with_values(
                "search_vector @@ to_tsquery('simple', $1)",
                [tsquery.clone()],
            ))
            .order_by(
                Expr::cust_with_values(
                    "ts_rank(search_vector, to_tsquery('simple', $1))",
                    [tsquery],
                ),
                Order::Desc,
            )
            .order_by_asc(Column::Id);
    } else {
        let matcher = words
            .iter()
            .map(|w| format!("\"{w}\"*"))
            .collect::<Vec<_>>()
            .join(" AND ");
        select = select
            .filter(Expr::cust_with_values(
                "directory_organisations.id IN \
                 (SELECT id FROM directory_fts WHERE directory_fts MATCH ?)",
                [matcher.clone()],
            ))
            .order_by(
                Expr::cust_with_values(
                    "(SELECT bm25(directory_fts, 0.0, 10.0, 5.0, 1.0) FROM directory_fts \
                     WHERE directory_fts MATCH ? AND directory_fts.id = directory_organisations.id)",
                    [matcher],
                ),
                Order::Asc,
            )
            .order_by_asc(Column::Id);
    }
    let txn = viewer.begin(db).await?;
    let ids: Vec<Uuid> = select
        .select_only()
        .column(Column::Id)
        .limit(MAX_RESULTS as u64)
        .into_tuple()
        .all(&txn)
        .await?;
    crate::tenancy::end_read(txn).await?;
    Ok(ids)
}

/// The current cache version, created when absent; `None` when the cache does not answer
/// (the search then reads the database).
async fn version(cache: &Cache) -> Option<String> {
    for _ in 0..2 {
        match cache.get(VERSION_KEY).await {
            Ok(Some(bytes)) => return String::from_utf8(bytes).ok(),
            Ok(None) => {
                let fresh = Uuid::now_v7().to_string();
                if cache
                    .set_if_absent(VERSION_KEY, fresh.as_bytes(), VERSION_TTL)
                    .await
                    .is_err()
                {
                    return None;
                }
            }
            Err(err) => {
                if !err.is_paused() {
                    tracing::warn!(error = %err, "directory cache unavailable");
                }
                return None;
            }
        }
    }
    None
}

/// Makes every cached search stale: called after each change of the directory.
pub async fn invalidate(cache: &Cache) {
    let fresh = Uuid::now_v7().to_string();
    if let Err(err) = cache.set(VERSION_KEY, fresh.as_bytes(), VERSION_TTL).await {
        tracing::error!(error = %err, "cannot invalidate the directory cache");
    }
}

fn cache_key(version: &str, viewer: Viewer<'_>, query: &SearchQuery) -> DomainResult<String> {
    let text = serde_json::to_string(query).map_err(|e| DomainError::Internal(e.into()))?;
    let digest = hex::encode(Sha256::digest(text.as_bytes()));
    Ok(format!(
        "directory:search:{version}:{}:{digest}",
        viewer.cache_name()
    ))
}

async fn cached_ids(
    db: &DatabaseConnection,
    cache: &Cache,
    viewer: Viewer<'_>,
    query: &SearchQuery,
) -> DomainResult<Vec<Uuid>> {
    // Free beds change with every placement, in whichever replica: never served from cache.
    if query.has_free_bed.is_some() {
        return ranked_ids(db, viewer, query).await;
    }
    let Some(version) = version(cache).await else {
        return ranked_ids(db, viewer, query).await;
    };
    let key = cache_key(&version, viewer, query)?;
    if let Ok(Some(bytes)) = cache.get(&key).await
        && let Ok(ids) = serde_json::from_slice::<Vec<Uuid>>(&bytes)
    {
        return Ok(ids);
    }
    let ids = ranked_ids(db, viewer, query).await?;
    if let Ok(bytes) = serde_json::to_vec(&ids)
        && let Err(err) = cache.set(&key, &bytes, RESULT_TTL).await
    {
        tracing::warn!(error = %err, "cannot cache a directory search");
    }
    Ok(ids)
}

/// A page of results and the offset of the next one.
pub struct SearchPage {
    pub items: Vec<EntryView>,
    pub next_offset: Option<usize>,
}

/// Searches the directory as `viewer`.
///
/// # Errors
/// `Invalid` for a query text over [`MAX_QUERY`] characters; database errors.
pub async fn search(
    db: &DatabaseConnection,
    cache: &Cache,
    viewer: Viewer<'_>,
    query: &SearchQuery,
    offset: usize,
    limit: usize,
) -> DomainResult<SearchPage> {
    if query
        .q
        .as_deref()
        .is_some_and(|q| q.chars().count() > MAX_QUERY)
    {
        return Err(DomainError::invalid(
            "q",
            format!("must be at most {MAX_QUERY} characters"),
        ));
    }
    let ids = cached_ids(db, cache, viewer, query).await?;
    let page: Vec<Uuid> = ids.iter().skip(offset).take(limit).copied().collect();
    let next_offset = (offset + limit < ids.len()).then_some(offset + limit);
    if page.is_empty() {
        return Ok(SearchPage {
            items: Vec::new(),
            next_offset: None,
        });
    }
    let txn = viewer.begin(db).await?;
    let rows = viewer
        .entries()
        .filter(Column::Id.is_in(page.clone()))
        .all(&txn)
        .await?;
    crate::tenancy::end_read(txn).await?;
    let mut by_id: std::collections::HashMap<Uuid, directory_organisation::Model> =
        rows.into_iter().map(|r| (r.id, r)).collect();
    let items = page
        .iter()
        .filter_map(|id| by_id.remove(id))
        .map(|row| EntryView::new(row, viewer))
        .collect();
    Ok(SearchPage { items, next_offset })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_become_plain_words() {
        assert_eq!(words("  Légal-aid, GENT!"), ["légal", "aid", "gent"]);
        assert_eq!(words("a:* & b | !c'--"), ["a", "b", "c"]);
        assert!(words("&|!()").is_empty());
        assert_eq!(words(&"x ".repeat(20)).len(), MAX_WORDS);
    }
}
