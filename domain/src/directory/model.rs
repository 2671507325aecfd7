//! What a directory entry holds, how its fields are checked, and how a change is applied. A
//! change is also what a proposal stores (as JSON) until a platform operator verifies it.

use crate::entities::directory_organisation;
use crate::error::{DomainError, DomainResult, Validator};
use crate::types::{CountryCode, Email, Locale};
use crate::vocab::{self, DirectoryServiceType, PartnerOrganisationType};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

/// Longest name, in characters.
pub const MAX_NAME: usize = 200;
/// Longest description (per locale), in characters.
pub const MAX_DESCRIPTION: usize = 4000;
/// Most locales an entry is described in.
pub const MAX_LOCALES: usize = 10;
/// Most languages an entry lists.
pub const MAX_LANGUAGES: usize = 20;

/// The fields of an entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryFields {
    pub name: String,
    pub organisation_type: PartnerOrganisationType,
    /// ISO 3166-1 alpha-2, any case.
    pub country: String,
    pub region: Option<String>,
    pub city: Option<String>,
    pub service_types: Vec<DirectoryServiceType>,
    /// ISO 639 codes.
    pub languages: Vec<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub hours: Option<String>,
    pub open_24_7: bool,
    pub accessibility: Option<String>,
    /// Locale (`fr-BE`, `en`) → description.
    pub descriptions: BTreeMap<String, String>,
}

fn double<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A change to an entry: absent fields stay; `Some(None)` clears an optional one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EntryChange {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation_type: Option<PartnerOrganisationType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "double")]
    pub region: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "double")]
    pub city: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_types: Option<Vec<DirectoryServiceType>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "double")]
    pub phone: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "double")]
    pub email: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "double")]
    pub website: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "double")]
    pub hours: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_24_7: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "double")]
    pub accessibility: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub descriptions: Option<BTreeMap<String, String>>,
}

impl EntryChange {
    /// Whether the change changes nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// The names of the fields it sets.
    #[must_use]
    pub fn fields(&self) -> Vec<String> {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }
}

fn opt_line(v: &mut Validator, field: &str, value: Option<&str>, max: usize) {
    if let Some(text) = value {
        v.one_line(field, text, max);
    }
}

fn phone(v: &mut Validator, value: Option<&str>) {
    if let Some(text) = value {
        let ok = (3..=40).contains(&text.chars().count())
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c));
        if !ok {
            v.note(
                "phone",
                "must be a telephone number such as `+32 3 000 00 00`",
            );
        }
    }
}

fn website(v: &mut Validator, value: Option<&str>) {
    if let Some(text) = value {
        let ok = text.chars().count() <= 300
            && url::Url::parse(text).is_ok_and(|u| matches!(u.scheme(), "https" | "http"));
        if !ok {
            v.note(
                "website",
                "must be an http(s) address of at most 300 characters",
            );
        }
    }
}

fn email(v: &mut Validator, value: Option<&str>) -> Option<String> {
    value.and_then(|text| v.take(Email::parse("email", text)).map(|e| e.into_inner()))
}

fn service_types(v: &mut Validator, types: &[DirectoryServiceType]) {
    if types.is_empty() {
        v.note("service_types", "name at least one service type");
    }
}

fn languages(v: &mut Validator, codes: &[String]) {
    if codes.len() > MAX_LANGUAGES {
        v.note("languages", format!("at most {MAX_LANGUAGES}"));
    }
    for (i, code) in codes.iter().enumerate() {
        if !((2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_lowercase())) {
            v.note(
                &format!("languages[{i}]"),
                "must be an ISO 639 code such as `fr` or `tir`",
            );
        }
    }
}

fn descriptions(v: &mut Validator, texts: &BTreeMap<String, String>) {
    if texts.len() > MAX_LOCALES {
        v.note("descriptions", format!("at most {MAX_LOCALES} locales"));
    }
    for (locale, text) in texts {
        let field = format!("descriptions.{locale}");
        if Locale::parse(&field, locale).is_err() {
            v.note(&field, "the key must be a locale such as `en` or `fr-BE`");
        }
        let bad = |c: char| c.is_control() && c != '\n';
        if text.trim().is_empty() || text.chars().count() > MAX_DESCRIPTION || text.chars().any(bad)
        {
            v.note(
                &field,
                format!("must be 1 to {MAX_DESCRIPTION} characters (line breaks allowed)"),
            );
        }
    }
}

fn country(v: &mut Validator, raw: &str) -> Option<String> {
    v.take(CountryCode::parse("country", raw))
        .map(CountryCode::into_inner)
}

/// Checks every field of a new entry; returns it cleaned (country upper case, e-mail folded).
///
/// # Errors
/// `Invalid` listing each bad field.
pub fn check_fields(mut fields: EntryFields) -> DomainResult<EntryFields> {
    let mut v = Validator::default();
    v.one_line("name", &fields.name, MAX_NAME);
    let code = country(&mut v, &fields.country);
    opt_line(&mut v, "region", fields.region.as_deref(), 100);
    opt_line(&mut v, "city", fields.city.as_deref(), 100);
    service_types(&mut v, &fields.service_types);
    languages(&mut v, &fields.languages);
    phone(&mut v, fields.phone.as_deref());
    let mail = email(&mut v, fields.email.as_deref());
    website(&mut v, fields.website.as_deref());
    opt_line(&mut v, "hours", fields.hours.as_deref(), 300);
    opt_line(
        &mut v,
        "accessibility",
        fields.accessibility.as_deref(),
        500,
    );
    descriptions(&mut v, &fields.descriptions);
    v.finish()?;
    fields.country = code.ok_or_else(|| DomainError::invalid("country", "is required"))?;
    fields.email = mail;
    Ok(fields)
}

/// Checks every field a change sets; returns it cleaned.
///
/// # Errors
/// `Invalid` listing each bad field, or `Invalid` when it changes nothing.
pub fn check_change(mut change: EntryChange) -> DomainResult<EntryChange> {
    if change.is_empty() {
        return Err(DomainError::invalid("", "change at least one field"));
    }
    let mut v = Validator::default();
    if let Some(name) = &change.name {
        v.one_line("name", name, MAX_NAME);
    }
    let code = change.country.as_deref().map(|c| country(&mut v, c));
    opt_line(
        &mut v,
        "region",
        change.region.clone().flatten().as_deref(),
        100,
    );
    opt_line(
        &mut v,
        "city",
        change.city.clone().flatten().as_deref(),
        100,
    );
    if let Some(types) = &change.service_types {
        service_types(&mut v, types);
    }
    if let Some(codes) = &change.languages {
        languages(&mut v, codes);
    }
    phone(&mut v, change.phone.clone().flatten().as_deref());
    let mail = change.email.clone().map(|e| email(&mut v, e.as_deref()));
    website(&mut v, change.website.clone().flatten().as_deref());
    opt_line(
        &mut v,
        "hours",
        change.hours.clone().flatten().as_deref(),
        300,
    );
    opt_line(
        &mut v,
        "accessibility",
        change.accessibility.clone().flatten().as_deref(),
        500,
    );
    if let Some(texts) = &change.descriptions {
        descriptions(&mut v, texts);
    }
    v.finish()?;
    if let Some(code) = code {
        change.country = code;
    }
    if let Some(mail) = mail {
        change.email = Some(mail);
    }
    Ok(change)
}

fn sorted_languages(codes: &[String]) -> String {
    let mut sorted: Vec<&str> = codes.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted.dedup();
    sorted.join(",")
}

/// The text the full-text index reads besides name and city: region, service type labels and
/// every description.
fn search_text(row: &directory_organisation::Model) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(region) = &row.region {
        parts.push(region.clone());
    }
    for code in vocab::split(&row.service_types, DirectoryServiceType::parse) {
        parts.push(super::taxonomy::label(code).to_owned());
    }
    let texts: BTreeMap<String, String> =
        serde_json::from_str(&row.descriptions).unwrap_or_default();
    parts.extend(texts.into_values());
    parts.join("\n")
}

fn encode_descriptions(texts: &BTreeMap<String, String>) -> DomainResult<String> {
    let trimmed: BTreeMap<&str, &str> = texts.iter().map(|(k, v)| (k.as_str(), v.trim())).collect();
    serde_json::to_string(&trimmed).map_err(|e| DomainError::Internal(e.into()))
}

fn trimmed(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned())
}

/// Writes `fields` into `row` (and refreshes the indexed text).
///
/// # Errors
/// Only if the descriptions cannot be encoded.
pub fn write_fields(
    row: &mut directory_organisation::Model,
    fields: EntryFields,
) -> DomainResult<()> {
    row.name = fields.name.trim().to_owned();
    row.organisation_type = fields.organisation_type.as_str().to_owned();
    row.country = fields.country;
    row.region = trimmed(fields.region);
    row.city = trimmed(fields.city);
    row.service_types = vocab::join(&fields.service_types, DirectoryServiceType::as_str);
    row.languages = sorted_languages(&fields.languages);
    row.phone = trimmed(fields.phone);
    row.email = fields.email;
    row.website = trimmed(fields.website);
    row.hours = trimmed(fields.hours);
    row.open_24_7 = fields.open_24_7;
    row.accessibility = trimmed(fields.accessibility);
    row.descriptions = encode_descriptions(&fields.descriptions)?;
    row.search_text = search_text(row);
    Ok(())
}

/// Applies a checked change to `row` (and refreshes the indexed text).
///
/// # Errors
/// Only if the descriptions cannot be encoded.
pub fn apply_change(
    row: &mut directory_organisation::Model,
    change: EntryChange,
) -> DomainResult<()> {
    if let Some(name) = change.name {
        row.name = name.trim().to_owned();
    }
    if let Some(kind) = change.organisation_type {
        row.organisation_type = kind.as_str().to_owned();
    }
    if let Some(code) = change.country {
        row.country = code;
    }
    if let Some(region) = change.region {
        row.region = trimmed(region);
    }
    if let Some(city) = change.city {
        row.city = trimmed(city);
    }
    if let Some(types) = change.service_types {
        row.service_types = vocab::join(&types, DirectoryServiceType::as_str);
    }
    if let Some(codes) = change.languages {
        row.languages = sorted_languages(&codes);
    }
    if let Some(phone) = change.phone {
        row.phone = trimmed(phone);
    }
    if let Some(email) = change.email {
        row.email = email;
    }
    if let Some(site) = change.website {
        row.website = trimmed(site);
    }
    if let Some(hours) = change.hours {
        row.hours = trimmed(hours);
    }
    if let Some(open) = change.open_24_7 {
        row.open_24_7 = open;
    }
    if let Some(text) = change.accessibility {
        row.accessibility = trimmed(text);
    }
    if let Some(texts) = change.descriptions {
        row.descriptions = encode_descriptions(&texts)?;
    }
    row.search_text = search_text(row);
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn fields() -> EntryFields {
        EntryFields {
            name: "Example Legal Clinic".into(),
            organisation_type: PartnerOrganisationType::LegalService,
            country: "be".into(),
            region: None,
            city: Some("Gent".into()),
            service_types: vec![DirectoryServiceType::LegalAid],
            languages: vec!["nl".into(), "fr".into()],
            phone: Some("+32 9 000 00 00".into()),
            email: Some("Info@Example.org".into()),
            website: Some("https://clinic.example.org".into()),
            hours: None,
            open_24_7: false,
            accessibility: None,
            descriptions: [("en".to_owned(), "Free legal advice.".to_owned())].into(),
        }
    }

    #[test]
    fn fields_are_cleaned_and_every_bad_one_is_named() {
        let clean = check_fields(fields()).unwrap();
        assert_eq!(clean.country, "BE");
        let mut bad = fields();
        bad.name = " ".into();
        bad.service_types.clear();
        bad.website = Some("ftp://x.example.org".into());
        bad.languages = vec!["French".into()];
        bad.descriptions = [("english".to_owned(), "x".to_owned())].into();
        let Err(DomainError::Invalid(list)) = check_fields(bad) else {
            panic!("refused")
        };
        let names: Vec<&str> = list.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(
            names,
            [
                "name",
                "service_types",
                "languages[0]",
                "website",
                "descriptions.english"
            ]
        );
    }

    #[test]
    fn a_stored_change_reads_back_with_cleared_fields() {
        let change = EntryChange {
            city: Some(None),
            name: Some("New name".into()),
            ..Default::default()
        };
        let json = serde_json::to_string(&change).unwrap();
        assert_eq!(json, r#"{"name":"New name","city":null}"#);
        let back: EntryChange = serde_json::from_str(&json).unwrap();
        assert_eq!(back, change);
        assert_eq!(back.fields(), ["city", "name"]);
        assert!(check_change(EntryChange::default()).is_err());
    }
}
