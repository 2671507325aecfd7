//! Validated input types: once parsed, a value is known to be well-formed.

use crate::countries::ISO_3166_1_ALPHA_2;
use crate::error::{DomainError, DomainResult};
use serde::Serialize;
use std::fmt;

macro_rules! text_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            #[must_use]
            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_type!(
    /// An e-mail address, trimmed and lower-cased.
    Email
);
text_type!(
    /// A tenant's URL-safe short name: lower-case letters, digits and single hyphens.
    Slug
);
text_type!(
    /// An ISO 3166-1 alpha-2 country code, upper-case.
    CountryCode
);
text_type!(
    /// A BCP 47 language tag of the simple form `ll` or `ll-RR`.
    Locale
);
text_type!(
    /// An IANA time zone name such as `Europe/Brussels`.
    TimeZone
);
text_type!(
    /// A display name: 1–200 characters, no control characters.
    DisplayName
);

/// Slugs that would collide with words Haven uses itself.
const RESERVED_SLUGS: [&str; 6] = ["platform", "admin", "api", "www", "haven", "system"];

impl Email {
    /// # Errors
    /// When the text is not a plausible e-mail address.
    pub fn parse(field: &str, raw: &str) -> DomainResult<Self> {
        let value = raw.trim().to_lowercase();
        let valid = value.len() <= 254
            && value.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && local.len() <= 64
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
            })
            && !value.chars().any(|c| c.is_whitespace() || c.is_control())
            && value.matches('@').count() == 1;
        if valid {
            Ok(Self(value))
        } else {
            Err(DomainError::invalid(field, "must be an e-mail address"))
        }
    }
}

impl Slug {
    /// # Errors
    /// When the text is not 2–63 lower-case letters, digits and single inner hyphens, or is reserved.
    pub fn parse(field: &str, raw: &str) -> DomainResult<Self> {
        let ok_chars = raw
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        let valid = (2..=63).contains(&raw.len())
            && ok_chars
            && !raw.starts_with('-')
            && !raw.ends_with('-')
            && !raw.contains("--");
        if !valid {
            return Err(DomainError::invalid(
                field,
                "must be 2 to 63 lower-case letters, digits and single hyphens",
            ));
        }
        if RESERVED_SLUGS.contains(&raw) {
            return Err(DomainError::invalid(field, "is reserved"));
        }
        Ok(Self(raw.to_owned()))
    }
}

impl CountryCode {
    /// # Errors
    /// When the text is not an assigned ISO 3166-1 alpha-2 code.
    pub fn parse(field: &str, raw: &str) -> DomainResult<Self> {
        let upper = raw.trim().to_ascii_uppercase();
        if upper.len() == 2 && ISO_3166_1_ALPHA_2.binary_search(&upper.as_str()).is_ok() {
            Ok(Self(upper))
        } else {
            Err(DomainError::invalid(
                field,
                "must be an ISO 3166-1 alpha-2 country code",
            ))
        }
    }
}

impl Locale {
    /// # Errors
    /// When the text is not of the form `ll`, `lll`, `ll-RR` or `ll-RR` with a known region.
    pub fn parse(field: &str, raw: &str) -> DomainResult<Self> {
        let mut parts = raw.split('-');
        let language = parts.next().unwrap_or_default();
        let region = parts.next();
        let valid = (2..=3).contains(&language.len())
            && language.chars().all(|c| c.is_ascii_lowercase())
            && parts.next().is_none()
            && region.is_none_or(|r| {
                (r.len() == 2 && ISO_3166_1_ALPHA_2.binary_search(&r).is_ok())
                    || (r.len() == 3 && r.chars().all(|c| c.is_ascii_digit()))
            });
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(DomainError::invalid(
                field,
                "must be a language tag such as `en`, `fr-BE` or `nl-BE`",
            ))
        }
    }
}

impl TimeZone {
    /// # Errors
    /// When the text is not an IANA time zone name.
    pub fn parse(field: &str, raw: &str) -> DomainResult<Self> {
        if raw.parse::<chrono_tz::Tz>().is_ok() {
            Ok(Self(raw.to_owned()))
        } else {
            Err(DomainError::invalid(
                field,
                "must be an IANA time zone such as `Europe/Brussels`",
            ))
        }
    }
}

impl DisplayName {
    /// # Errors
    /// When the text is empty, longer than 200 characters or holds control characters.
    pub fn parse(field: &str, raw: &str) -> DomainResult<Self> {
        let value = raw.trim();
        if value.is_empty() || value.chars().count() > 200 || value.chars().any(char::is_control) {
            Err(DomainError::invalid(
                field,
                "must be 1 to 200 characters without control characters",
            ))
        } else {
            Ok(Self(value.to_owned()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("e", "  Case.Worker@Demo-BE.Example ")
                .unwrap()
                .as_str(),
            "case.worker@demo-be.example"
        );
        for bad in [
            "", "no-at", "a@b", "a@@b.c", "a b@c.d", "@c.d", "a@.c", "a@c..d",
        ] {
            assert!(Email::parse("e", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slugs_countries_locales_and_zones() {
        assert!(Slug::parse("s", "demo-be").is_ok());
        for bad in ["-x", "x-", "a--b", "A", "x", "platform", "has space"] {
            assert!(Slug::parse("s", bad).is_err(), "{bad}");
        }
        assert_eq!(CountryCode::parse("c", "be").unwrap().as_str(), "BE");
        assert!(CountryCode::parse("c", "XX").is_err());
        assert!(CountryCode::parse("c", "BEL").is_err());
        for ok in ["nl-BE", "en", "en-NG", "fil", "es-419"] {
            assert!(Locale::parse("l", ok).is_ok(), "{ok}");
        }
        for bad in ["EN", "en-XX", "en_GB", "english"] {
            assert!(Locale::parse("l", bad).is_err(), "{bad}");
        }
        assert!(TimeZone::parse("t", "Africa/Lagos").is_ok());
        assert!(TimeZone::parse("t", "Mars/Olympus").is_err());
    }
}
