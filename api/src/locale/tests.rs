#![allow(clippy::unwrap_used, clippy::expect_used)]
use super::*;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use std::path::Path;

fn negotiated(header: Option<&str>) -> Lang {
    let mut req = TestRequest::default();
    if let Some(value) = header {
        req = req.insert_header(("accept-language", value));
    }
    Lang::negotiate(&req.to_http_request())
}

#[test]
fn the_first_language_haven_speaks_wins() {
    let cases = [
        (None, Lang::En, "no header"),
        (Some("fr"), Lang::Fr, "a bare language"),
        (Some("nl-BE"), Lang::Nl, "a region counts as its language"),
        (Some("FR-be"), Lang::Fr, "tags are case-insensitive"),
        (
            Some("de-DE, nl;q=0.8, fr;q=0.5"),
            Lang::Nl,
            "a language Haven lacks is skipped",
        ),
        (
            Some("fr;q=0.4, nl;q=0.9"),
            Lang::Nl,
            "q-values rank, not order",
        ),
        (Some("nl;q=0, fr;q=0.1"), Lang::Fr, "q=0 refuses a language"),
        (
            Some("de, *;q=0.5, fr;q=0.1"),
            Lang::En,
            "the wildcard takes the default",
        ),
        (Some("es, pt"), Lang::En, "none Haven speaks"),
        (Some(";;;=="), Lang::En, "a malformed header"),
    ];
    for (header, expected, why) in cases {
        assert_eq!(negotiated(header), expected, "{why}: {header:?}");
    }
}

#[test]
fn messages_are_translated_with_their_values_kept() {
    assert_eq!(localise(Lang::Fr, "is required"), "est obligatoire");
    assert_eq!(
        localise(Lang::Nl, "must be 1 to 120 characters on one line"),
        "moet 1 tot 120 tekens op één regel tellen"
    );
    assert_eq!(
        localise(Lang::Fr, "must be `team` or `managers`"),
        "doit valoir `team` ou `managers`"
    );
    // The most literal template wins over a general one that would also match.
    assert_eq!(localise(Lang::Nl, "at most 4 locales"), "hoogstens 4 talen");
    assert_eq!(localise(Lang::Nl, "at most 20"), "hoogstens 20");
    // A value that is itself a phrase of the catalogue is translated too.
    assert_eq!(
        localise(
            Lang::Fr,
            "A case in `closed` can move to: nowhere (it is closed)."
        ),
        "Un dossier à l'étape `closed` peut passer à : nulle part (il est clôturé)."
    );
    // A user's words inside a notification stay as they were written, even when they happen
    // to be a phrase of the catalogue.
    assert_eq!(
        localise(Lang::Fr, "Due on 2027-01-14: Conflict (case BE-2026-0009)"),
        "Échéance le 2027-01-14 : Conflict (dossier BE-2026-0009)"
    );
    assert_eq!(localise(Lang::En, "is required"), "is required");
    // Text the catalogue does not know is left as it is.
    assert_eq!(localise(Lang::Fr, "something new"), "something new");
    assert_eq!(translate(Lang::Fr, "something new"), None);
}

fn placeholders(text: &str) -> Vec<String> {
    let mut names: Vec<String> = PLACEHOLDER
        .captures_iter(text)
        .map(|c| c[1].to_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_entry_is_complete_and_finds_itself() {
    let mut seen = std::collections::HashSet::new();
    for entry in catalogue::ENTRIES {
        assert!(seen.insert(entry.en), "listed twice: {}", entry.en);
        let names = placeholders(entry.en);
        for (lang, text) in [(Lang::Fr, entry.fr), (Lang::Nl, entry.nl)] {
            assert!(!text.trim().is_empty(), "{lang:?} of {}", entry.en);
            assert_eq!(
                placeholders(text),
                names,
                "{lang:?} placeholders of {}",
                entry.en
            );
        }
        // The English text with sample values comes back as this entry's translation, not
        // another's.
        let mut sample = entry.en.to_owned();
        let mut expected = entry.nl.to_owned();
        for name in &names {
            sample = sample.replace(&format!("{{{name}}}"), "7");
            expected = expected.replace(&format!("{{{name}}}"), "7");
        }
        assert_eq!(
            translate(Lang::Nl, &sample).as_deref(),
            Some(expected.as_str()),
            "{}",
            entry.en
        );
    }
}

#[test]
fn every_title_the_api_sends_is_translated() {
    for code in [
        400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 428, 429, 500, 503,
    ] {
        let reason = StatusCode::from_u16(code)
            .unwrap()
            .canonical_reason()
            .unwrap();
        assert!(translate(Lang::Fr, reason).is_some(), "{code} {reason}");
    }
}

/// Calls and fields that carry a message a caller reads.
static MESSAGE_SITE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\.note|\binvalid|Invalid::new|\bconflict|bad_request|Forbidden|Unavailable|UnsupportedMediaType|PayloadTooLarge|Problem::new|generic_problem|\bone_line)\(|\b(?:message|detail):\s*|\blet message =",
    )
    .unwrap()
});
static STRING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?s)"((?:[^"\\]|\\.)*)""#).unwrap());
static CODE_LIKE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[a-z0-9_.\[\]{}]*$").unwrap());
static CONTINUATION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\\\n\s*").unwrap());
static ANY_PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\{[^}]*\}").unwrap());

/// Texts at message sites that only reach the log.
const LOG_ONLY: &[&str] = &["non-text panic payload"];

/// The text after `start` up to the end of the enclosing call, struct or statement.
fn arguments(source: &str, start: usize) -> &str {
    let bytes = source.as_bytes();
    let mut depth = 0_i32;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => break,
            b')' | b']' | b'}' => depth -= 1,
            b';' if depth == 0 => break,
            _ => {}
        }
        i += 1;
    }
    &source[start..i.min(bytes.len())]
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every message written in the domain and the API's source has a French and a Dutch entry.
/// Operators' texts (configuration, seeding, backups) are not messages to users.
#[test]
fn every_message_in_the_source_is_in_the_catalogue() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("../domain/src"), &mut files);
    let skipped = [
        "config.rs",
        "locale",
        "seed",
        "synthetic",
        "backup",
        "telemetry",
    ];
    let mut found = 0;
    let mut missing = Vec::new();
    for path in files {
        let shown = path.display().to_string();
        if skipped.iter().any(|s| shown.contains(s)) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let source = text.split("#[cfg(test)]").next().unwrap_or_default();
        for site in MESSAGE_SITE.find_iter(source) {
            for literal in STRING.captures_iter(arguments(source, site.end())) {
                let message = CONTINUATION.replace_all(&literal[1], "");
                let message = message.replace("\\\\", "\\");
                // Codes, field names, type paths and separators are not messages; neither is
                // what only reaches the log.
                if CODE_LIKE.is_match(&message)
                    || !message.contains(' ')
                    || !message.chars().any(char::is_alphabetic)
                    || LOG_ONLY.contains(&message.as_str())
                {
                    continue;
                }
                found += 1;
                let sample = ANY_PLACEHOLDER.replace_all(&message, "7");
                if translate(Lang::Fr, &sample).is_none() || translate(Lang::Nl, &sample).is_none()
                {
                    missing.push(format!("{shown}: {message}"));
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(found > 200, "the scan found only {found} messages");
    assert!(
        missing.is_empty(),
        "messages without a translation:\n{}",
        missing.join("\n")
    );
}
