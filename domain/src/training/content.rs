//! What a library course holds — title, summary, audiences, languages, duration, learning
//! objectives and ordered Markdown modules — and the bounds each field keeps.

use crate::error::{DomainResult, Validator};
use crate::training::languages;
use crate::vocab::Audience;

/// Longest title, in characters (course and module).
pub const MAX_TITLE: usize = 200;
/// Longest course summary, in characters.
pub const MAX_SUMMARY: usize = 2000;
/// Most learning objectives.
pub const MAX_OBJECTIVES: usize = 30;
/// Longest learning objective, in characters.
pub const MAX_OBJECTIVE: usize = 500;
/// Most modules in one version.
pub const MAX_MODULES: usize = 50;
/// Longest module content (Markdown), in characters.
pub const MAX_MODULE_CONTENT: usize = 50_000;
/// Most languages of a course.
pub const MAX_LANGUAGES: usize = 20;
/// Longest course, in minutes (thirty days).
pub const MAX_DURATION_MINUTES: i32 = 43_200;
/// Longest review note, in characters.
pub const MAX_NOTE: usize = 2000;

/// One module as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleContent {
    pub title: String,
    /// Markdown.
    pub content: String,
}

impl ModuleContent {
    /// A module from a title and Markdown, trimmed.
    #[must_use]
    pub fn new(title: &str, content: &str) -> Self {
        Self {
            title: title.to_owned(),
            content: content.trim().to_owned(),
        }
    }
}

/// A course's content: what each version holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CourseContent {
    pub title: String,
    pub summary: String,
    pub audiences: Vec<Audience>,
    /// ISO 639-1 codes.
    pub languages: Vec<String>,
    pub duration_minutes: i32,
    pub objectives: Vec<String>,
    pub modules: Vec<ModuleContent>,
}

fn block(v: &mut Validator, field: &str, text: &str, max: usize) {
    if text.trim().is_empty() || text.chars().count() > max {
        v.note(field, format!("must be 1 to {max} characters"));
    }
}

impl CourseContent {
    /// Checks every field, listing every problem.
    ///
    /// # Errors
    /// `Invalid` with each bad field.
    pub fn check(&self) -> DomainResult<()> {
        let mut v = Validator::default();
        v.one_line("title", &self.title, MAX_TITLE);
        block(&mut v, "summary", &self.summary, MAX_SUMMARY);
        if self.audiences.is_empty() {
            v.note("audiences", "name at least one audience");
        }
        if self.languages.is_empty() || self.languages.len() > MAX_LANGUAGES {
            v.note("languages", format!("name 1 to {MAX_LANGUAGES} languages"));
        }
        for (i, code) in self.languages.iter().enumerate() {
            if !languages::is_iso_639_1(code.trim()) {
                v.note(
                    &format!("languages[{i}]"),
                    "must be an ISO 639-1 code such as `en` or `fr`",
                );
            }
        }
        if !(1..=MAX_DURATION_MINUTES).contains(&self.duration_minutes) {
            v.note(
                "duration_minutes",
                format!("must be 1 to {MAX_DURATION_MINUTES}"),
            );
        }
        if self.objectives.is_empty() || self.objectives.len() > MAX_OBJECTIVES {
            v.note(
                "objectives",
                format!("name 1 to {MAX_OBJECTIVES} learning objectives"),
            );
        }
        for (i, objective) in self.objectives.iter().enumerate() {
            block(
                &mut v,
                &format!("objectives[{i}]"),
                objective,
                MAX_OBJECTIVE,
            );
        }
        if self.modules.is_empty() || self.modules.len() > MAX_MODULES {
            v.note("modules", format!("must hold 1 to {MAX_MODULES} modules"));
        }
        for (i, module) in self.modules.iter().enumerate() {
            v.one_line(&format!("modules[{i}].title"), &module.title, MAX_TITLE);
            block(
                &mut v,
                &format!("modules[{i}].content"),
                &module.content,
                MAX_MODULE_CONTENT,
            );
        }
        v.finish()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::error::DomainError;

    fn content() -> CourseContent {
        CourseContent {
            title: "Identifying victims".into(),
            summary: "For first responders.".into(),
            audiences: vec![Audience::Police],
            languages: vec!["en".into()],
            duration_minutes: 240,
            objectives: vec!["Recognise indicators".into()],
            modules: vec![ModuleContent {
                title: "Indicators".into(),
                content: "# Indicators".into(),
            }],
        }
    }

    #[test]
    fn content_is_checked_field_by_field() {
        assert!(content().check().is_ok());
        let mut bad = content();
        bad.title = "two\nlines".into();
        bad.languages = vec!["eng".into()];
        bad.duration_minutes = 0;
        bad.modules.clear();
        let Err(DomainError::Invalid(list)) = bad.check() else {
            panic!("invalid");
        };
        let fields: Vec<&str> = list.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(
            fields,
            ["title", "languages[0]", "duration_minutes", "modules"]
        );
    }
}
