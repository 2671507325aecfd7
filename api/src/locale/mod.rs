//! The language of the texts the API writes for people. Haven's users work in English, French
//! and Dutch: a caller lists its languages in `Accept-Language`, and a problem's title, detail
//! and field messages, and the titles of notifications, come back in the first of them Haven
//! speaks (English when it speaks none); a problem's `Content-Language` says which. Codes, field
//! names and the values inside a text stay as they are, so programs keep reading `code` and
//! `errors[].field`.

mod catalogue;
#[cfg(test)]
mod tests;

use actix_web::HttpMessage;
use actix_web::http::header::{AcceptLanguage, Header as _, Preference, Quality};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// A language the API writes its texts for people in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Fr,
    Nl,
}

impl Lang {
    /// The language tag, as sent in `Content-Language`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Fr => "fr",
            Self::Nl => "nl",
        }
    }

    /// The caller's most preferred language that Haven speaks, by the q-values of
    /// `Accept-Language` (a region such as `fr-BE` counts as its language); English when the
    /// header is absent, malformed or names none of them.
    pub fn negotiate(message: &impl HttpMessage) -> Self {
        let Ok(accept) = AcceptLanguage::parse(message) else {
            return Self::En;
        };
        let mut ranked: Vec<_> = accept
            .0
            .iter()
            .filter(|item| item.quality > Quality::ZERO)
            .collect();
        // A stable sort keeps the listed order among equal q-values.
        ranked.sort_by_key(|item| std::cmp::Reverse(item.quality));
        for item in ranked {
            match &item.item {
                Preference::Any => return Self::En,
                Preference::Specific(tag) => {
                    let primary = tag.primary_language();
                    for lang in [Self::En, Self::Fr, Self::Nl] {
                        if primary.eq_ignore_ascii_case(lang.as_str()) {
                            return lang;
                        }
                    }
                }
            }
        }
        Self::En
    }
}

/// `text` in `lang`; the text itself when the catalogue does not know it (or for English).
#[must_use]
pub fn localise(lang: Lang, text: &str) -> String {
    translate(lang, text).unwrap_or_else(|| text.to_owned())
}

/// `text` in `lang`, or `None` when the catalogue has no entry that fits it.
#[must_use]
pub fn translate(lang: Lang, text: &str) -> Option<String> {
    if lang == Lang::En {
        return Some(text.to_owned());
    }
    let catalogue = &*CATALOGUE;
    if let Some(entry) = catalogue.exact.get(text) {
        return Some(pick(entry, lang).to_owned());
    }
    catalogue.templates.iter().find_map(|template| {
        let captures = template.pattern.captures(text)?;
        let mut out = pick(template.entry, lang).to_owned();
        for name in &template.names {
            let value = captures.name(name).map_or("", |m| m.as_str());
            // Where a step may go is itself a phrase of the catalogue ("nowhere (it is
            // closed)"); other values, some written by users, are kept as they are.
            let value = match catalogue.exact.get(value) {
                Some(entry) if name == "to" => pick(entry, lang),
                _ => value,
            };
            out = out.replace(&format!("{{{name}}}"), value);
        }
        Some(out)
    })
}

fn pick(entry: &catalogue::Entry, lang: Lang) -> &'static str {
    match lang {
        Lang::En => entry.en,
        Lang::Fr => entry.fr,
        Lang::Nl => entry.nl,
    }
}

struct Catalogue {
    /// Entries without placeholders, by their English text.
    exact: HashMap<&'static str, &'static catalogue::Entry>,
    /// Entries with placeholders, the most literal text first, so that `at most {n} locales`
    /// is tried before `at most {n}`.
    templates: Vec<Template>,
}

struct Template {
    pattern: Regex,
    names: Vec<String>,
    entry: &'static catalogue::Entry,
}

static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    Regex::new(r"\{([a-z_]+)\}").expect("a valid pattern")
});

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    let mut exact = HashMap::new();
    let mut templates = Vec::new();
    for entry in catalogue::ENTRIES {
        match template(entry) {
            Some(t) => templates.push((literal_len(entry.en), t)),
            None => {
                exact.insert(entry.en, entry);
            }
        }
    }
    templates.sort_by_key(|(len, _)| std::cmp::Reverse(*len));
    Catalogue {
        exact,
        templates: templates.into_iter().map(|(_, t)| t).collect(),
    }
});

/// The pattern matching an entry's English text with any value in its placeholders; `None`
/// for an entry without placeholders.
fn template(entry: &'static catalogue::Entry) -> Option<Template> {
    let mut names = Vec::new();
    let mut pattern = String::from("^");
    let mut rest = 0;
    for found in PLACEHOLDER.captures_iter(entry.en) {
        let (whole, [name]) = found.extract();
        let start = found.get(0).map_or(0, |m| m.start());
        pattern.push_str(&regex::escape(&entry.en[rest..start]));
        pattern.push_str(&format!("(?P<{name}>.+?)"));
        names.push(name.to_owned());
        rest = start + whole.len();
    }
    if names.is_empty() {
        return None;
    }
    pattern.push_str(&regex::escape(&entry.en[rest..]));
    pattern.push('$');
    // The catalogue is fixed text and its tests compile every entry; an entry that would not
    // compile is left out rather than taking the server down.
    let pattern = Regex::new(&pattern).ok()?;
    Some(Template {
        pattern,
        names,
        entry,
    })
}

fn literal_len(text: &str) -> usize {
    PLACEHOLDER.replace_all(text, "").chars().count()
}
