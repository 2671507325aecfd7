//! The rules a training session's fields follow, for a new session and a changed one alike.

use crate::error::Validator;
use crate::vocab::SessionDelivery;
use chrono::{Datelike as _, NaiveDate};

/// Most participants counted at one session.
pub const MAX_PARTICIPANTS: i32 = 10_000;
/// Most names on a participant list.
pub const MAX_PARTICIPANT_LIST: usize = 1000;
/// Longest participant name, in characters.
pub const MAX_NAME: usize = 200;
/// Most trainers of one session.
pub const MAX_TRAINERS: usize = 20;
/// Longest notes, in characters.
pub const MAX_NOTES: usize = 4000;
/// Longest place or link, in characters.
pub const MAX_PLACE: usize = 200;
pub const MAX_LINK: usize = 500;

/// A session's fields as they would be stored.
pub(crate) struct Draft<'a> {
    pub held_on: NaiveDate,
    pub delivery: SessionDelivery,
    pub place: Option<&'a str>,
    pub online_link: Option<&'a str>,
    pub trainers: usize,
    pub participant_count: i32,
    pub participants: Option<&'a [String]>,
    pub pre_score: Option<i32>,
    pub post_score: Option<i32>,
    pub notes: Option<&'a str>,
}

fn blank(text: Option<&str>) -> bool {
    text.is_none_or(|t| t.trim().is_empty())
}

fn link_ok(link: &str) -> bool {
    let link = link.trim();
    (link.starts_with("https://") || link.starts_with("http://"))
        && link.len() > "https://".len()
        && link.chars().count() <= MAX_LINK
        && !link.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Notes every rule `draft` breaks.
pub(crate) fn check(v: &mut Validator, draft: &Draft<'_>) {
    if !(2000..=2100).contains(&draft.held_on.year()) {
        v.note("held_on", "must be between the years 2000 and 2100");
    }
    match draft.delivery {
        SessionDelivery::InPerson if blank(draft.place) => {
            v.note("place", "say where an in-person session is held");
        }
        SessionDelivery::Online if blank(draft.online_link) => {
            v.note("online_link", "give the link of an online session");
        }
        _ => {}
    }
    if let Some(place) = draft.place
        && (place.chars().count() > MAX_PLACE || place.chars().any(char::is_control))
    {
        v.note(
            "place",
            format!("must be at most {MAX_PLACE} characters on one line"),
        );
    }
    if let Some(link) = draft.online_link.filter(|l| !l.trim().is_empty())
        && !link_ok(link)
    {
        v.note(
            "online_link",
            format!("must be an http(s) address of at most {MAX_LINK} characters"),
        );
    }
    if draft.trainers == 0 || draft.trainers > MAX_TRAINERS {
        v.note("trainer_ids", format!("name 1 to {MAX_TRAINERS} trainers"));
    }
    if !(1..=MAX_PARTICIPANTS).contains(&draft.participant_count) {
        v.note(
            "participant_count",
            format!("must be 1 to {MAX_PARTICIPANTS}"),
        );
    }
    if let Some(list) = draft.participants {
        if list.len() > MAX_PARTICIPANT_LIST
            || i32::try_from(list.len()).is_ok_and(|n| n > draft.participant_count)
        {
            v.note(
                "participants",
                format!("may hold at most participant_count (and {MAX_PARTICIPANT_LIST}) names"),
            );
        }
        if list.iter().any(|n| {
            n.trim().is_empty() || n.chars().count() > MAX_NAME || n.chars().any(char::is_control)
        }) {
            v.note(
                "participants",
                format!("each name must be 1 to {MAX_NAME} characters on one line"),
            );
        }
    }
    for (field, score) in [
        ("pre_score", draft.pre_score),
        ("post_score", draft.post_score),
    ] {
        if score.is_some_and(|s| !(0..=100).contains(&s)) {
            v.note(field, "must be a percentage, 0 to 100");
        }
    }
    if draft.notes.is_some_and(|n| n.chars().count() > MAX_NOTES) {
        v.note("notes", format!("must be at most {MAX_NOTES} characters"));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn draft() -> Draft<'static> {
        Draft {
            held_on: NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(),
            delivery: SessionDelivery::Online,
            place: None,
            online_link: Some("https://meet.example/abc"),
            trainers: 1,
            participant_count: 12,
            participants: None,
            pre_score: Some(41),
            post_score: Some(78),
            notes: None,
        }
    }

    fn fields(d: &Draft<'_>) -> Vec<String> {
        let mut v = Validator::default();
        check(&mut v, d);
        match v.finish() {
            Ok(()) => vec![],
            Err(crate::error::DomainError::Invalid(list)) => {
                list.into_iter().map(|i| i.field).collect()
            }
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn a_good_session_passes_and_bounds_are_kept() {
        assert!(fields(&draft()).is_empty());
        let mut d = draft();
        d.online_link = Some("javascript:alert(1)");
        d.pre_score = Some(101);
        d.post_score = Some(-1);
        d.participant_count = 0;
        d.trainers = 0;
        assert_eq!(
            fields(&d),
            [
                "online_link",
                "trainer_ids",
                "participant_count",
                "pre_score",
                "post_score"
            ]
        );
        let mut d = draft();
        d.delivery = SessionDelivery::InPerson;
        assert_eq!(fields(&d), ["place"]);
    }
}
