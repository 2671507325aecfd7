//! What a consent to share must cover for a referral, defined by data
//! (`domain/data/referrals/consent-coverage.json`): for each directory service type, the partner
//! organisation types (the names consents use) a referral asking for it reaches. A referral
//! needs a consent naming every one of them and the organisation's own type.

use crate::error::{DomainError, DomainResult};
use crate::vocab::{DirectoryServiceType, PartnerOrganisationType};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::sync::LazyLock;

const SOURCE: &str = include_str!("../../data/referrals/consent-coverage.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    service_type: DirectoryServiceType,
    partner_types: Vec<PartnerOrganisationType>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Coverage {
    #[allow(dead_code)]
    version: u32,
    #[allow(dead_code)]
    title: String,
    coverage: Vec<Row>,
}

fn parse(source: &str) -> Result<Vec<Row>, String> {
    let data: Coverage =
        serde_json::from_str(source).map_err(|e| format!("consent coverage: {e}"))?;
    let codes: Vec<DirectoryServiceType> = data.coverage.iter().map(|r| r.service_type).collect();
    if codes != DirectoryServiceType::ALL {
        return Err("consent coverage: every service type once, in order".to_owned());
    }
    if data.coverage.iter().any(|r| r.partner_types.is_empty()) {
        return Err("consent coverage: every service type names a partner type".to_owned());
    }
    Ok(data.coverage)
}

static COVERAGE: LazyLock<Result<Vec<Row>, String>> = LazyLock::new(|| parse(SOURCE));

/// The partner types a consent must name for a referral to an organisation of type
/// `organisation` asking for `service`.
///
/// # Errors
/// `Internal` when the data file is malformed (a build that ships one fails its tests).
pub fn required_partner_types(
    organisation: PartnerOrganisationType,
    service: DirectoryServiceType,
) -> DomainResult<BTreeSet<PartnerOrganisationType>> {
    let rows = COVERAGE
        .as_ref()
        .map_err(|e| DomainError::Internal(anyhow::anyhow!("{e}")))?;
    let mut required: BTreeSet<PartnerOrganisationType> = rows
        .iter()
        .filter(|r| r.service_type == service)
        .flat_map(|r| r.partner_types.iter().copied())
        .collect();
    required.insert(organisation);
    Ok(required)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use PartnerOrganisationType as P;

    #[test]
    fn the_shipped_coverage_names_every_service_type() {
        assert_eq!(
            required_partner_types(P::Ngo, DirectoryServiceType::LegalAid).unwrap(),
            [P::Ngo, P::LegalService].into()
        );
        assert_eq!(
            required_partner_types(
                P::LawEnforcement,
                DirectoryServiceType::PoliceSpecialisedUnit
            )
            .unwrap(),
            [P::LawEnforcement].into()
        );
    }

    #[test]
    fn a_missing_service_type_is_refused() {
        let broken = SOURCE.replace(
            r#"{"service_type": "hotline", "partner_types": ["ngo"]},"#,
            "",
        );
        assert_ne!(broken, SOURCE);
        assert!(parse(&broken).is_err());
    }
}
