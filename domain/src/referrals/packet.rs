//! What a referral shares with the partner: the packet of the fields the referral names (and
//! its consent covers), and the printable referral pack made of it. Only the named fields are
//! ever copied; everything else of the client's record stays behind.

use crate::clients::ClientDetails;
use crate::vocab::{AgeBand, ExploitationType, Gender, Need, PacketField};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The shared fields of a client, and the reason of the referral.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Packet {
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_band: Option<AgeBand>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs: Option<Vec<Need>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exploitation_types: Option<Vec<ExploitationType>>,
}

impl Packet {
    /// The packet of `fields` of `details`, with `reason`.
    #[must_use]
    pub fn of(details: &ClientDetails, fields: &[PacketField], reason: &str) -> Self {
        let mut packet = Packet {
            reason: reason.to_owned(),
            ..Packet::default()
        };
        let identity = &details.identity;
        for field in fields {
            match field {
                PacketField::Name => {
                    let legal = [
                        identity.legal_given_name.as_deref(),
                        identity.legal_family_name.as_deref(),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                    packet.name = identity
                        .used_name
                        .clone()
                        .or_else(|| (!legal.is_empty()).then_some(legal));
                }
                PacketField::DateOfBirth => packet.date_of_birth = identity.date_of_birth,
                PacketField::Contact => {
                    packet.phone.clone_from(&identity.phone);
                    packet.email.clone_from(&identity.email);
                }
                PacketField::Gender => packet.gender = Some(details.gender),
                PacketField::AgeBand => packet.age_band = Some(details.derived_age_band()),
                PacketField::Nationality => packet.nationality.clone_from(&details.nationality),
                PacketField::Languages => packet.languages = Some(details.languages.clone()),
                PacketField::Needs => packet.needs = Some(details.needs.clone()),
                PacketField::ExploitationTypes => {
                    packet.exploitation_types = Some(details.exploitation_types.clone());
                }
            }
        }
        packet
    }

    /// The client details a receiving organisation starts a record with: the shared fields,
    /// nothing else, the trafficking status `possible`.
    #[must_use]
    pub fn to_details(&self) -> ClientDetails {
        let mut identity = crate::clients::Identity {
            used_name: self.name.clone(),
            date_of_birth: self.date_of_birth,
            phone: self.phone.clone(),
            email: self.email.clone(),
            ..Default::default()
        };
        identity.aliases.clear();
        ClientDetails {
            identity,
            gender: self.gender.unwrap_or(Gender::Unknown),
            birth_year: None,
            age_band: self.age_band,
            nationality: self.nationality.clone(),
            languages: self.languages.clone().unwrap_or_default(),
            exploitation_types: self.exploitation_types.clone().unwrap_or_default(),
            needs: self.needs.clone().unwrap_or_default(),
            trafficking_status: crate::vocab::TraffickingStatus::Possible,
            status_decided_by: None,
            recruitment_methods: Vec::new(),
            control_methods: Vec::new(),
            trafficking_events: Vec::new(),
            connected_persons: Vec::new(),
        }
    }
}

/// Escapes text for HTML content and attribute values.
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// What the printable pack says besides the packet.
pub struct PackHeader<'a> {
    pub reference: uuid::Uuid,
    pub from: &'a str,
    pub to: &'a str,
    pub service_type: &'a str,
    pub service_area: &'a str,
    pub urgency: &'a str,
    pub sent_at: DateTime<Utc>,
    /// Whether the referral rests on an override rather than a consent.
    pub overridden: bool,
}

fn list<T: Copy>(values: &[T], name: impl Fn(T) -> &'static str) -> String {
    values
        .iter()
        .map(|v| name(*v))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The referral pack as a printable HTML page: every value escaped, only the packet's fields.
#[must_use]
pub fn render(header: &PackHeader<'_>, packet: &Packet) -> String {
    let mut rows: Vec<(&str, String)> = Vec::new();
    if let Some(name) = &packet.name {
        rows.push(("Name", name.clone()));
    }
    if let Some(dob) = packet.date_of_birth {
        rows.push(("Date of birth", dob.to_string()));
    }
    if let Some(phone) = &packet.phone {
        rows.push(("Phone", phone.clone()));
    }
    if let Some(email) = &packet.email {
        rows.push(("E-mail", email.clone()));
    }
    if let Some(gender) = packet.gender {
        rows.push(("Gender", gender.as_str().to_owned()));
    }
    if let Some(band) = packet.age_band {
        rows.push(("Age band", band.as_str().to_owned()));
    }
    if let Some(nationality) = &packet.nationality {
        rows.push(("Nationality", nationality.clone()));
    }
    if let Some(languages) = &packet.languages {
        rows.push(("Languages", languages.join(", ")));
    }
    if let Some(needs) = &packet.needs {
        rows.push(("Needs", list(needs, Need::as_str)));
    }
    if let Some(kinds) = &packet.exploitation_types {
        rows.push((
            "Types of exploitation",
            list(kinds, ExploitationType::as_str),
        ));
    }
    let basis = if header.overridden {
        "Sent without the client's consent to share, on an authorised override; no identifying details are included."
    } else {
        "Sent with the client's consent to share with organisations of this type; only the details it covers are included."
    };
    let mut html = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Referral pack</title>\n<style>body{font-family:sans-serif;max-width:46em;margin:2em auto}\
         th{text-align:left;padding-right:1em;vertical-align:top}</style>\n</head>\n<body>\n\
         <h1>Referral pack</h1>\n<p>Confidential: for the receiving organisation only.</p>\n<table>\n",
    );
    let meta = [
        ("Reference", header.reference.to_string()),
        ("From", header.from.to_owned()),
        ("To", header.to.to_owned()),
        ("Service asked for", header.service_type.to_owned()),
        ("Service area", header.service_area.to_owned()),
        ("Urgency", header.urgency.to_owned()),
        (
            "Sent",
            header.sent_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        ),
    ];
    for (label, value) in meta.iter().map(|(l, v)| (*l, v.clone())).chain(rows) {
        html.push_str(&format!(
            "<tr><th>{}</th><td>{}</td></tr>\n",
            escape(label),
            escape(&value)
        ));
    }
    html.push_str("</table>\n<h2>Reason</h2>\n<p>");
    html.push_str(&escape(&packet.reason).replace('\n', "<br>"));
    html.push_str("</p>\n<p><small>");
    html.push_str(&escape(basis));
    html.push_str("</small></p>\n</body>\n</html>\n");
    html
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn only_named_fields_travel_and_html_is_escaped() {
        let mut details = Packet {
            reason: "x".into(),
            name: Some("Ana".into()),
            gender: Some(Gender::Female),
            languages: Some(vec!["ro".into()]),
            ..Packet::default()
        }
        .to_details();
        details.identity.phone = Some("+40712345678".into());
        let packet = Packet::of(
            &details,
            &[PacketField::Gender, PacketField::Languages],
            "<script>alert(1)</script>",
        );
        assert_eq!(packet.name, None);
        assert_eq!(packet.phone, None);
        assert_eq!(packet.gender, Some(Gender::Female));
        let html = render(
            &PackHeader {
                reference: uuid::Uuid::nil(),
                from: "A & B",
                to: "C",
                service_type: "legal_aid",
                service_area: "legal",
                urgency: "urgent",
                sent_at: crate::now(),
                overridden: false,
            },
            &packet,
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("A &amp; B"));
        assert!(!html.contains("+40712345678"));
    }
}
