//! The taxonomy of service types per service area, defined by data
//! (`domain/data/services/v1.json`) and checked the first time it is loaded. Codes are stable:
//! logged services keep theirs, so a code is never renamed or reused; a new type is added.

use crate::error::{DomainError, DomainResult};
use crate::interviews::checklist::well_formed_code;
use crate::vocab::ServiceArea;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

const SOURCE: &str = include_str!("../../data/services/v1.json");

/// One type of service: a stable code (what entries store) and a label to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ServiceType {
    pub code: String,
    pub label: String,
}

/// The service types of one area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AreaServiceTypes {
    pub area: ServiceArea,
    pub label: String,
    pub types: Vec<ServiceType>,
}

/// The whole taxonomy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    pub version: u32,
    pub title: String,
    pub areas: Vec<AreaServiceTypes>,
    #[serde(skip)]
    area_of: BTreeMap<String, ServiceArea>,
}

impl Taxonomy {
    /// The area a service type code belongs to, if it is one.
    #[must_use]
    pub fn area_of(&self, code: &str) -> Option<ServiceArea> {
        self.area_of.get(code).copied()
    }
}

fn check_label(what: &str, label: &str) -> Result<(), String> {
    if label.trim().is_empty() || label.chars().count() > 200 {
        return Err(format!("{what}: the label must be 1 to 200 characters"));
    }
    Ok(())
}

/// Reads and checks the definition: every area once, each with types, codes unique snake_case
/// across all areas (so a code names one area).
fn parse(text: &str) -> Result<Taxonomy, String> {
    let mut taxonomy: Taxonomy =
        serde_json::from_str(text).map_err(|e| format!("not a service taxonomy: {e}"))?;
    check_label("title", &taxonomy.title)?;
    let areas: BTreeSet<ServiceArea> = taxonomy.areas.iter().map(|a| a.area).collect();
    if areas.len() != taxonomy.areas.len() || areas.len() != ServiceArea::ALL.len() {
        return Err("every service area is listed exactly once".to_owned());
    }
    let mut area_of = BTreeMap::new();
    for area in &taxonomy.areas {
        check_label(area.area.as_str(), &area.label)?;
        if area.types.is_empty() {
            return Err(format!(
                "area `{}` has no service types",
                area.area.as_str()
            ));
        }
        for kind in &area.types {
            if !well_formed_code(&kind.code)
                || area_of.insert(kind.code.clone(), area.area).is_some()
            {
                return Err(format!(
                    "service type `{}`: codes are unique snake_case across all areas",
                    kind.code
                ));
            }
            check_label(&kind.code, &kind.label)?;
        }
    }
    taxonomy.area_of = area_of;
    Ok(taxonomy)
}

static TAXONOMY: LazyLock<Result<Taxonomy, String>> =
    LazyLock::new(|| parse(SOURCE).map_err(|e| format!("service taxonomy: {e}")));

/// The taxonomy, loaded and checked once.
///
/// # Errors
/// `Internal` when the published definition is broken.
pub fn current() -> DomainResult<&'static Taxonomy> {
    TAXONOMY
        .as_ref()
        .map_err(|e| DomainError::Internal(anyhow::anyhow!("{e}")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn the_published_taxonomy_loads_and_covers_the_examples() {
        let t = current().expect("the taxonomy loads");
        assert_eq!(t.areas.len(), ServiceArea::ALL.len());
        for (code, area) in [
            ("residence_permit_application", ServiceArea::Administrative),
            ("work_permit_application", ServiceArea::Administrative),
            ("health_insurance_registration", ServiceArea::Administrative),
            ("social_services_appointment", ServiceArea::Administrative),
            ("police_hearing_accompaniment", ServiceArea::Legal),
            ("lawyer_meeting", ServiceArea::Legal),
            ("court_hearing", ServiceArea::Legal),
            ("counselling_session", ServiceArea::Psychosocial),
            ("culture_activity", ServiceArea::Psychosocial),
            ("sport_activity", ServiceArea::Psychosocial),
            ("social_contact", ServiceArea::Psychosocial),
            ("gp_visit", ServiceArea::Medical),
            ("specialist_visit", ServiceArea::Medical),
            ("mental_health_care", ServiceArea::Medical),
            ("home_visit", ServiceArea::Ambulant),
            ("phone_follow_up", ServiceArea::Ambulant),
        ] {
            assert_eq!(t.area_of(code), Some(area), "{code}");
        }
        for area in ServiceArea::ALL {
            assert!(
                t.areas
                    .iter()
                    .any(|a| a.area == *area && !a.types.is_empty())
            );
        }
        assert_eq!(t.area_of("made_up"), None);
    }

    #[test]
    fn broken_definitions_are_refused() {
        let good = current().unwrap();
        let as_json = |t: &Taxonomy| serde_json::to_string(t).unwrap();
        assert!(parse(&as_json(good)).is_ok());

        let mut missing = good.clone();
        missing.areas.pop();
        assert!(parse(&as_json(&missing)).is_err(), "an area is missing");

        let mut twice = good.clone();
        let first = twice.areas[0].types[0].clone();
        twice.areas[1].types.push(first);
        assert!(parse(&as_json(&twice)).is_err(), "a code in two areas");

        let mut bad_code = good.clone();
        bad_code.areas[0].types[0].code = "Home-Visit".into();
        assert!(parse(&as_json(&bad_code)).is_err(), "code shape");

        let mut blank = good.clone();
        blank.areas[0].types[0].label = " ".into();
        assert!(parse(&as_json(&blank)).is_err(), "blank label");

        let mut empty = good.clone();
        empty.areas[0].types.clear();
        assert!(parse(&as_json(&empty)).is_err(), "an area without types");

        let extra = as_json(good).replacen('{', "{\"extra\": 1, ", 1);
        assert!(parse(&extra).is_err(), "unknown fields");
    }
}
