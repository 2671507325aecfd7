//! The directory's taxonomy of service types, defined by data
//! (`domain/data/directory/service-types.json`) with a label and a description per code, and
//! checked against [`DirectoryServiceType`] the first time it is read: every code of the
//! vocabulary once, nothing else.

use crate::error::{DomainError, DomainResult};
use crate::vocab::DirectoryServiceType;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

const SOURCE: &str = include_str!("../../data/directory/service-types.json");

/// One service type with its label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DirectoryServiceTypeInfo {
    pub code: DirectoryServiceType,
    pub label: String,
    pub description: String,
}

/// The whole taxonomy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DirectoryTaxonomy {
    pub version: u32,
    pub title: String,
    pub types: Vec<DirectoryServiceTypeInfo>,
}

fn parse(source: &str) -> Result<DirectoryTaxonomy, String> {
    let taxonomy: DirectoryTaxonomy =
        serde_json::from_str(source).map_err(|e| format!("service types: {e}"))?;
    let codes: Vec<DirectoryServiceType> = taxonomy.types.iter().map(|t| t.code).collect();
    if codes != DirectoryServiceType::ALL {
        return Err("service types: every code of the vocabulary, once, in order".to_owned());
    }
    if taxonomy
        .types
        .iter()
        .any(|t| t.label.trim().is_empty() || t.description.trim().is_empty())
    {
        return Err("service types: every type needs a label and a description".to_owned());
    }
    Ok(taxonomy)
}

static TAXONOMY: LazyLock<Result<DirectoryTaxonomy, String>> = LazyLock::new(|| parse(SOURCE));

/// The taxonomy.
///
/// # Errors
/// `Internal` when the data file is malformed (a build that ships one fails its tests).
pub fn taxonomy() -> DomainResult<&'static DirectoryTaxonomy> {
    TAXONOMY
        .as_ref()
        .map_err(|e| DomainError::Internal(anyhow::anyhow!("{e}")))
}

/// The label of a service type (its code when the data has none).
#[must_use]
pub fn label(code: DirectoryServiceType) -> &'static str {
    taxonomy()
        .ok()
        .and_then(|t| t.types.iter().find(|i| i.code == code))
        .map_or(code.as_str(), |i| i.label.as_str())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn the_shipped_taxonomy_lists_every_code_once() {
        let taxonomy = taxonomy().expect("valid data");
        assert_eq!(taxonomy.types.len(), DirectoryServiceType::ALL.len());
        assert_eq!(label(DirectoryServiceType::LegalAid), "Legal aid");
    }

    #[test]
    fn a_missing_code_is_refused() {
        let broken = SOURCE.replace(
            r#"{"code": "hotline", "label": "Hotline", "description": "Telephone and online help lines for victims and witnesses."},"#,
            "",
        );
        assert_ne!(broken, SOURCE);
        assert!(parse(&broken).is_err());
    }
}
