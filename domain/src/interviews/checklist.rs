//! The trafficking-indicator checklist of identification interviews: versioned and defined by
//! data (`domain/data/indicators/v<N>.json`), checked the first time it is loaded. An interview
//! keeps the version it was answered under, so every published version stays loadable; a new
//! version is a new file added to [`SOURCES`], never an edit of a published one.

use crate::error::{DomainError, DomainResult};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// Every published version with its definition, oldest first; the last is the current one.
const SOURCES: &[(u32, &str)] = &[(1, include_str!("../../data/indicators/v1.json"))];

/// One indicator: a stable code (what answers are keyed by) and a label to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub code: String,
    pub label: String,
}

/// A group of related indicators (e.g. deception, debt bondage).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IndicatorGroup {
    pub code: String,
    pub label: String,
    pub indicators: Vec<Indicator>,
}

/// One version of the checklist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    pub version: u32,
    pub title: String,
    pub groups: Vec<IndicatorGroup>,
    #[serde(skip)]
    codes: BTreeSet<String>,
}

impl Checklist {
    /// Whether `code` is an indicator of this version.
    #[must_use]
    pub fn contains(&self, code: &str) -> bool {
        self.codes.contains(code)
    }

    /// How many indicators this version has.
    #[must_use]
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether this version has no indicators (never true for a loaded one).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

/// Whether `code` has the shape of an indicator or group code: `snake_case`, 2–64 characters.
#[must_use]
pub fn well_formed_code(code: &str) -> bool {
    (2..=64).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn check_label(what: &str, label: &str) -> Result<(), String> {
    if label.trim().is_empty() || label.chars().count() > 200 {
        return Err(format!("{what}: the label must be 1 to 200 characters"));
    }
    Ok(())
}

/// Reads and checks one version's definition.
fn parse(version: u32, text: &str) -> Result<Checklist, String> {
    let mut checklist: Checklist =
        serde_json::from_str(text).map_err(|e| format!("not a checklist: {e}"))?;
    if checklist.version != version {
        return Err(format!(
            "the file says version {}, it is published as {version}",
            checklist.version
        ));
    }
    check_label("title", &checklist.title)?;
    if checklist.groups.is_empty() {
        return Err("no groups".to_owned());
    }
    let mut group_codes = BTreeSet::new();
    let mut codes = BTreeSet::new();
    for group in &checklist.groups {
        if !well_formed_code(&group.code) || !group_codes.insert(group.code.clone()) {
            return Err(format!(
                "group `{}`: codes are unique snake_case",
                group.code
            ));
        }
        check_label(&group.code, &group.label)?;
        if group.indicators.is_empty() {
            return Err(format!("group `{}` has no indicators", group.code));
        }
        for indicator in &group.indicators {
            if !well_formed_code(&indicator.code) || !codes.insert(indicator.code.clone()) {
                return Err(format!(
                    "indicator `{}`: codes are unique snake_case across all groups",
                    indicator.code
                ));
            }
            check_label(&indicator.code, &indicator.label)?;
        }
    }
    checklist.codes = codes;
    Ok(checklist)
}

/// Every published version, loaded and checked once.
static CHECKLISTS: LazyLock<Result<Vec<Checklist>, String>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(version, text)| {
            parse(*version, text).map_err(|e| format!("indicator checklist v{version}: {e}"))
        })
        .collect()
});

fn loaded() -> DomainResult<&'static [Checklist]> {
    CHECKLISTS
        .as_ref()
        .map(Vec::as_slice)
        .map_err(|e| DomainError::Internal(anyhow::anyhow!("{e}")))
}

/// The current version: the one new interviews are answered under.
///
/// # Errors
/// `Internal` when a published definition is broken.
pub fn current() -> DomainResult<&'static Checklist> {
    loaded()?
        .last()
        .ok_or_else(|| DomainError::Internal(anyhow::anyhow!("no indicator checklist")))
}

/// A published version, if there is one.
///
/// # Errors
/// `Internal` when a published definition is broken.
pub fn version(version: u32) -> DomainResult<Option<&'static Checklist>> {
    Ok(loaded()?.iter().find(|c| c.version == version))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn every_published_version_loads_and_the_last_is_current() {
        let current = current().expect("the checklist loads");
        assert_eq!(current.version, SOURCES.last().expect("a version").0);
        for (number, _) in SOURCES {
            assert!(version(*number).expect("loads").is_some());
        }
        assert!(version(0).expect("loads").is_none());
    }

    #[test]
    fn version_one_covers_the_indicator_groups() {
        let v1 = version(1).expect("loads").expect("v1");
        let groups: Vec<&str> = v1.groups.iter().map(|g| g.code.as_str()).collect();
        assert_eq!(
            groups,
            [
                "deception",
                "coercion_and_threats",
                "restriction_of_movement_and_isolation",
                "retention_of_identity_documents",
                "debt_bondage_and_withheld_wages",
                "abusive_working_and_living_conditions",
                "dependency",
                "signs_of_abuse",
                "control_by_others",
            ]
        );
        assert!(v1.contains("documents_kept_by_others"));
        assert!(!v1.contains("deception"), "group codes are not indicators");
        assert!(v1.len() >= 9 * 3);
    }

    #[test]
    fn broken_definitions_are_refused() {
        let one = |body: &str| format!(r#"{{"version": 1, "title": "T", "groups": [{body}]}}"#);
        let good = r#"{"code": "g", "label": "G", "indicators": [{"code": "a_b", "label": "A"}]}"#;
        assert!(parse(1, &one(&good.replace("\"g\"", "\"gg\""))).is_ok());
        assert!(
            parse(2, &one(&good.replace("\"g\"", "\"gg\""))).is_err(),
            "version"
        );
        let duplicate = r#"{"code": "gg", "label": "G", "indicators": [{"code": "a_b", "label": "A"}, {"code": "a_b", "label": "B"}]}"#;
        assert!(parse(1, &one(duplicate)).is_err(), "duplicate code");
        let bad_code =
            r#"{"code": "gg", "label": "G", "indicators": [{"code": "A-B", "label": "A"}]}"#;
        assert!(parse(1, &one(bad_code)).is_err(), "code shape");
        let blank = r#"{"code": "gg", "label": "G", "indicators": [{"code": "ab", "label": " "}]}"#;
        assert!(parse(1, &one(blank)).is_err(), "blank label");
        let empty = r#"{"code": "gg", "label": "G", "indicators": []}"#;
        assert!(parse(1, &one(empty)).is_err(), "empty group");
        assert!(parse(1, r#"{"version": 1, "title": "T", "groups": []}"#).is_err());
        assert!(
            parse(
                1,
                r#"{"version": 1, "title": "T", "groups": [], "extra": 1}"#
            )
            .is_err()
        );
    }
}
