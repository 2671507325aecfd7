//! What an interview is recorded and changed with, and how each field is checked.

use super::checklist::{self, well_formed_code};
use crate::consents::{self, NewConsent};
use crate::error::Validator;
use crate::vocab::{IndicatorAnswer, InterviewLocation, PresumedVictim, RiskKind, RiskLevel};
use chrono::{DateTime, Datelike as _, NaiveDate, Utc};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// Most interviewers of one interview.
pub(crate) const MAX_INTERVIEWERS: usize = 10;
/// Longest narrative, in characters.
pub(crate) const MAX_NARRATIVE: usize = 50_000;
/// Longest risk note, in characters.
const MAX_NOTE: usize = 2_000;

/// One weighed risk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Risk {
    pub kind: RiskKind,
    pub level: RiskLevel,
    /// Sealed at rest with the client's data key.
    pub note: Option<String>,
}

/// A new interview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterviewRecord {
    pub held_on: NaiveDate,
    /// Users of the tenant who held it (at least one).
    pub interviewer_ids: Vec<Uuid>,
    /// ISO 639 code of the language the interview was held in.
    pub language: String,
    pub interpreter_used: bool,
    /// ISO 639 code; required when an interpreter was used, refused otherwise.
    pub interpreter_language: Option<String>,
    pub location_type: InterviewLocation,
    pub presumed_victim: PresumedVictim,
    /// The checklist version the answers are for; the current one when absent.
    pub checklist_version: Option<u32>,
    pub indicators: BTreeMap<String, IndicatorAnswer>,
    pub risks: Vec<Risk>,
    /// Sealed at rest with the client's data key.
    pub narrative: Option<String>,
    /// Consents the client gave in the interview.
    pub consents: Vec<NewConsent>,
}

/// A change to an interview: absent fields stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InterviewChange {
    pub held_on: Option<NaiveDate>,
    pub interviewer_ids: Option<Vec<Uuid>>,
    pub language: Option<String>,
    pub interpreter_used: Option<bool>,
    /// `Some(None)` clears it.
    pub interpreter_language: Option<Option<String>>,
    pub location_type: Option<InterviewLocation>,
    pub presumed_victim: Option<PresumedVictim>,
    /// Answer under another published version (the answers are checked against it).
    pub checklist_version: Option<u32>,
    /// Replaces every answer.
    pub indicators: Option<BTreeMap<String, IndicatorAnswer>>,
    /// Replaces the whole risk assessment.
    pub risks: Option<Vec<Risk>>,
    /// `Some(None)` clears it.
    pub narrative: Option<Option<String>>,
    /// Further consents the client gave; recorded consents are never edited.
    pub consents: Vec<NewConsent>,
}

impl InterviewChange {
    /// The names of the fields this change touches, for the audit log.
    pub(crate) fn fields(&self) -> Vec<&'static str> {
        [
            ("held_on", self.held_on.is_some()),
            ("interviewer_ids", self.interviewer_ids.is_some()),
            ("language", self.language.is_some()),
            ("interpreter_used", self.interpreter_used.is_some()),
            ("interpreter_language", self.interpreter_language.is_some()),
            ("location_type", self.location_type.is_some()),
            ("presumed_victim", self.presumed_victim.is_some()),
            ("checklist_version", self.checklist_version.is_some()),
            ("indicators", self.indicators.is_some()),
            ("risks", self.risks.is_some()),
            ("narrative", self.narrative.is_some()),
            ("consents", !self.consents.is_empty()),
        ]
        .into_iter()
        .filter_map(|(name, present)| present.then_some(name))
        .collect()
    }
}

/// Whether `code` looks like an ISO 639 language code (`en`, `ro`, `tir`).
fn language_code(v: &mut Validator, field: &str, code: &str) {
    let ok = (2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_lowercase());
    if !ok {
        v.note(field, "must be an ISO 639 code such as `fr` or `tir`");
    }
}

fn bounded_text(v: &mut Validator, field: &str, text: &str, max: usize) {
    if text.trim().is_empty() || text.chars().count() > max {
        v.note(field, format!("must be 1 to {max} characters"));
    }
}

/// Checks the held-on date: a day that has begun in the tenant's time zone, after 2000.
pub(crate) fn held_on(v: &mut Validator, date: NaiveDate, today: NaiveDate) {
    if date > today {
        v.note("held_on", "must not be in the future");
    } else if date.year() < 2000 {
        v.note("held_on", "must be after 2000");
    }
}

pub(crate) fn interviewer_count(v: &mut Validator, ids: &[Uuid]) {
    if ids.is_empty() || ids.len() > MAX_INTERVIEWERS {
        v.note(
            "interviewer_ids",
            format!("name 1 to {MAX_INTERVIEWERS} interviewers"),
        );
    }
}

/// Checks the language and interpreter fields together.
pub(crate) fn languages(
    v: &mut Validator,
    language: &str,
    interpreter_used: bool,
    interpreter_language: Option<&str>,
) {
    language_code(v, "language", language);
    match (interpreter_used, interpreter_language) {
        (true, Some(code)) => language_code(v, "interpreter_language", code),
        (true, None) => v.note(
            "interpreter_language",
            "is required when an interpreter was used",
        ),
        (false, Some(_)) => v.note(
            "interpreter_language",
            "is given only when an interpreter was used",
        ),
        (false, None) => {}
    }
}

/// Checks the answers against the checklist `version` (which must be a published one).
pub(crate) fn indicators(
    v: &mut Validator,
    version: u32,
    answers: &BTreeMap<String, IndicatorAnswer>,
) -> crate::error::DomainResult<()> {
    let Some(checklist) = checklist::version(version)? else {
        v.note(
            "checklist_version",
            format!(
                "is not a published checklist version (the current one is {})",
                checklist::current()?.version
            ),
        );
        return Ok(());
    };
    if answers.len() > checklist.len() {
        v.note(
            "indicators",
            format!(
                "has more answers than checklist version {version} has indicators ({})",
                checklist.len()
            ),
        );
        return Ok(());
    }
    for code in answers.keys() {
        if !checklist.contains(code) {
            // The code names the field only when it is a plausible code: never echo free text.
            let field = if well_formed_code(code) {
                format!("indicators.{code}")
            } else {
                "indicators".to_owned()
            };
            v.note(
                &field,
                format!("is not an indicator of checklist version {version}"),
            );
        }
    }
    Ok(())
}

pub(crate) fn risks(v: &mut Validator, risks: &[Risk]) {
    if risks.len() > RiskKind::ALL.len() {
        v.note("risks", "each kind of risk is assessed once");
        return;
    }
    let mut kinds = BTreeSet::new();
    for (i, risk) in risks.iter().enumerate() {
        if !kinds.insert(risk.kind) {
            v.note(
                &format!("risks[{i}].kind"),
                "each kind of risk is assessed once",
            );
        }
        if let Some(note) = &risk.note {
            bounded_text(v, &format!("risks[{i}].note"), note, MAX_NOTE);
        }
    }
}

pub(crate) fn narrative(v: &mut Validator, narrative: Option<&str>) {
    if let Some(text) = narrative {
        bounded_text(v, "narrative", text, MAX_NARRATIVE);
    }
}

impl InterviewRecord {
    /// Checks every field that needs no database; `today` is the tenant's date.
    pub(crate) fn validate(
        &self,
        v: &mut Validator,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> crate::error::DomainResult<()> {
        held_on(v, self.held_on, today);
        interviewer_count(v, &self.interviewer_ids);
        languages(
            v,
            &self.language,
            self.interpreter_used,
            self.interpreter_language.as_deref(),
        );
        let version = match self.checklist_version {
            Some(version) => version,
            None => checklist::current()?.version,
        };
        indicators(v, version, &self.indicators)?;
        risks(v, &self.risks);
        narrative(v, self.narrative.as_deref());
        consents::validate(v, "consents", &self.consents, now);
        Ok(())
    }
}

/// The ids in order, without repeats.
pub(crate) fn distinct(ids: &[Uuid]) -> Vec<Uuid> {
    let mut seen = BTreeSet::new();
    ids.iter().copied().filter(|id| seen.insert(*id)).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::error::DomainError;

    fn record() -> InterviewRecord {
        InterviewRecord {
            held_on: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            interviewer_ids: vec![Uuid::now_v7()],
            language: "ro".into(),
            interpreter_used: true,
            interpreter_language: Some("ro".into()),
            location_type: InterviewLocation::Shelter,
            presumed_victim: PresumedVictim::Yes,
            checklist_version: None,
            indicators: [("documents_kept_by_others".to_owned(), IndicatorAnswer::Yes)].into(),
            risks: vec![Risk {
                kind: RiskKind::Traffickers,
                level: RiskLevel::High,
                note: Some("Recruiter knows the family's address".into()),
            }],
            narrative: Some("Told her story".into()),
            consents: Vec::new(),
        }
    }

    fn invalid(record: &InterviewRecord) -> Vec<String> {
        let mut v = Validator::default();
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        record.validate(&mut v, today, crate::now()).unwrap();
        match v.finish() {
            Ok(()) => Vec::new(),
            Err(DomainError::Invalid(list)) => list.into_iter().map(|i| i.field).collect(),
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn a_complete_record_is_valid() {
        assert!(invalid(&record()).is_empty());
    }

    type Change = Box<dyn Fn(&mut InterviewRecord)>;

    #[test]
    fn each_rule_names_its_field() {
        let cases: Vec<(&str, Change, &[&str])> = vec![
            (
                "future date",
                Box::new(|r| r.held_on = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()),
                &["held_on"],
            ),
            (
                "no interviewer",
                Box::new(|r| r.interviewer_ids.clear()),
                &["interviewer_ids"],
            ),
            (
                "language",
                Box::new(|r| r.language = "Romanian".into()),
                &["language"],
            ),
            (
                "interpreter without language",
                Box::new(|r| r.interpreter_language = None),
                &["interpreter_language"],
            ),
            (
                "language without interpreter",
                Box::new(|r| r.interpreter_used = false),
                &["interpreter_language"],
            ),
            (
                "unknown indicator",
                Box::new(|r| {
                    r.indicators.insert("made_up".into(), IndicatorAnswer::No);
                }),
                &["indicators.made_up"],
            ),
            (
                "free text as a code",
                Box::new(|r| {
                    r.indicators
                        .insert("Her name is Ana".into(), IndicatorAnswer::No);
                }),
                &["indicators"],
            ),
            (
                "more answers than indicators",
                Box::new(|r| {
                    for i in 0..100 {
                        r.indicators
                            .insert(format!("code_{i}"), IndicatorAnswer::No);
                    }
                }),
                &["indicators"],
            ),
            (
                "more risks than kinds",
                Box::new(|r| {
                    let again = r.risks[0].clone();
                    r.risks.extend(std::iter::repeat_n(again, 4));
                }),
                &["risks"],
            ),
            (
                "unknown version",
                Box::new(|r| r.checklist_version = Some(999)),
                &["checklist_version"],
            ),
            (
                "risk twice",
                Box::new(|r| {
                    let again = r.risks[0].clone();
                    r.risks.push(again);
                }),
                &["risks[1].kind"],
            ),
            (
                "blank note",
                Box::new(|r| r.risks[0].note = Some("  ".into())),
                &["risks[0].note"],
            ),
            (
                "long narrative",
                Box::new(|r| r.narrative = Some("x".repeat(MAX_NARRATIVE + 1))),
                &["narrative"],
            ),
        ];
        for (name, change, expected) in cases {
            let mut r = record();
            change(&mut r);
            assert_eq!(invalid(&r), expected, "{name}");
        }
    }

    #[test]
    fn a_change_lists_the_fields_it_touches() {
        let change = InterviewChange {
            narrative: Some(None),
            presumed_victim: Some(PresumedVictim::Unclear),
            ..InterviewChange::default()
        };
        assert_eq!(change.fields(), ["presumed_victim", "narrative"]);
        assert_eq!(
            distinct(&[Uuid::nil(), Uuid::max(), Uuid::nil()]),
            [Uuid::nil(), Uuid::max()]
        );
    }
}
