//! Validated inputs for shelters, rooms and beds, and the states they can be in.

use crate::error::{DomainError, DomainResult, Validator};
use crate::ids::{RoomId, ShelterId};
use crate::types::{DisplayName, Email};
use crate::vocab::Gender;
use std::collections::BTreeSet;

/// The largest capacity a shelter may declare.
pub const MAX_CAPACITY: i64 = 10_000;
/// The highest age an admission policy may name.
pub const MAX_AGE: i64 = 120;
/// The age of majority the admission policy is checked against.
pub const ADULT_AGE: i32 = 18;

const ADDRESS_MAX: usize = 500;
const ROOM_NAME_MAX: usize = 100;
const FLOOR_MAX: usize = 50;
const NOTES_MAX: usize = 2000;
const LABEL_MAX: usize = 50;
const PHONE_MAX: usize = 40;

/// Whether a shelter takes people in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShelterStatus {
    Active,
    /// No longer in use; kept with its rooms and beds for the record.
    Closed,
}

impl ShelterStatus {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ShelterStatus::Active => "active",
            ShelterStatus::Closed => "closed",
        }
    }

    /// # Errors
    /// [`DomainError::Invalid`] for anything but `active` or `closed`.
    pub fn parse(field: &str, raw: &str) -> DomainResult<Self> {
        match raw {
            "active" => Ok(ShelterStatus::Active),
            "closed" => Ok(ShelterStatus::Closed),
            _ => Err(DomainError::invalid(field, "must be `active` or `closed`")),
        }
    }
}

/// Whether a bed can be used. Occupied and reserved are not states of the bed: they follow
/// from placements (see [`super::occupancy::occupied_and_reserved_beds`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BedStatus {
    Available,
    /// Broken, being repaired, or otherwise not to be given to anyone.
    OutOfService,
}

impl BedStatus {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            BedStatus::Available => "available",
            BedStatus::OutOfService => "out_of_service",
        }
    }

    /// # Errors
    /// [`DomainError::Invalid`] for anything but `available` or `out_of_service`.
    pub fn parse(field: &str, raw: &str) -> DomainResult<Self> {
        match raw {
            "available" => Ok(BedStatus::Available),
            "out_of_service" => Ok(BedStatus::OutOfService),
            _ => Err(DomainError::invalid(
                field,
                "must be `available` or `out_of_service`",
            )),
        }
    }
}

/// Genders as stored: comma-separated names in vocabulary order.
#[must_use]
pub fn encode_genders(genders: &BTreeSet<Gender>) -> String {
    genders
        .iter()
        .map(|g| g.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads stored genders, skipping names this version does not know.
#[must_use]
pub fn decode_genders(text: &str) -> BTreeSet<Gender> {
    text.split(',').filter_map(Gender::parse).collect()
}

/// Trimmed text of 1 to `max` characters without control characters (line breaks allowed
/// when `multiline`).
fn text(field: &str, raw: &str, max: usize, multiline: bool) -> DomainResult<String> {
    let value = raw.replace("\r\n", "\n");
    let value = value.trim();
    let bad_char = |c: char| c.is_control() && !(multiline && c == '\n');
    if value.is_empty() || value.chars().count() > max || value.chars().any(bad_char) {
        let message = if multiline {
            format!(
                "must be 1 to {max} characters without control characters (line breaks allowed)"
            )
        } else {
            format!("must be 1 to {max} characters without control characters")
        };
        Err(DomainError::invalid(field, message))
    } else {
        Ok(value.to_owned())
    }
}

fn notes(field: &str, raw: &str) -> DomainResult<String> {
    if raw.trim().is_empty() {
        Ok(String::new())
    } else {
        text(field, raw, NOTES_MAX, true)
    }
}

fn capacity(field: &str, raw: i64) -> DomainResult<i32> {
    if (1..=MAX_CAPACITY).contains(&raw) {
        i32::try_from(raw).map_err(|_| DomainError::invalid(field, "is out of range"))
    } else {
        Err(DomainError::invalid(
            field,
            format!("must be between 1 and {MAX_CAPACITY}"),
        ))
    }
}

fn age(field: &str, raw: i64) -> DomainResult<i32> {
    if (0..=MAX_AGE).contains(&raw) {
        i32::try_from(raw).map_err(|_| DomainError::invalid(field, "is out of range"))
    } else {
        Err(DomainError::invalid(
            field,
            format!("must be between 0 and {MAX_AGE}"),
        ))
    }
}

fn genders(field: &str, raw: &[String]) -> DomainResult<BTreeSet<Gender>> {
    let mut parsed = BTreeSet::new();
    for name in raw {
        let gender = Gender::parse(name).ok_or_else(|| {
            let known: Vec<&str> = Gender::ALL.iter().map(|g| g.as_str()).collect();
            DomainError::invalid(field, format!("must be among {}", known.join(", ")))
        })?;
        parsed.insert(gender);
    }
    if parsed.is_empty() {
        return Err(DomainError::invalid(field, "must name at least one gender"));
    }
    Ok(parsed)
}

fn phone(field: &str, raw: &str) -> DomainResult<String> {
    let value = raw.trim();
    let allowed = |c: char| c.is_ascii_digit() || " +-().,/".contains(c);
    let digits = value.chars().filter(char::is_ascii_digit).count();
    if value.len() > PHONE_MAX || digits < 3 || !value.chars().all(allowed) {
        Err(DomainError::invalid(
            field,
            format!("must be a telephone number of at most {PHONE_MAX} characters"),
        ))
    } else {
        Ok(value.to_owned())
    }
}

/// Notes an admission policy that contradicts itself.
fn check_admission(
    v: &mut Validator,
    admits_minors: bool,
    min_age: Option<i32>,
    max_age: Option<i32>,
) {
    if let (Some(min), Some(max)) = (min_age, max_age)
        && min > max
    {
        v.note("max_age", "must not be below min_age");
    } else if !admits_minors && max_age.is_some_and(|max| max < ADULT_AGE) {
        v.note(
            "max_age",
            format!("must be at least {ADULT_AGE} when minors are not admitted"),
        );
    }
    if admits_minors && min_age.is_some_and(|min| min >= ADULT_AGE) {
        v.note(
            "min_age",
            format!("must be below {ADULT_AGE} when minors are admitted"),
        );
    }
}

/// The admission policy after a change, checked as a whole.
///
/// # Errors
/// [`DomainError::Invalid`] naming the contradicting fields.
pub fn check_admission_policy(
    admits_minors: bool,
    min_age: Option<i32>,
    max_age: Option<i32>,
) -> DomainResult<()> {
    let mut v = Validator::default();
    check_admission(&mut v, admits_minors, min_age, max_age);
    v.finish()
}

fn missing() -> DomainError {
    DomainError::Internal(anyhow::anyhow!("validation passed with a missing value"))
}

/// A shelter as the caller sent it, before validation.
#[derive(Clone, Copy, Debug)]
pub struct ShelterDraft<'a> {
    pub name: &'a str,
    pub address: &'a str,
    pub capacity: i64,
    pub admits_genders: &'a [String],
    pub admits_minors: bool,
    pub min_age: Option<i64>,
    pub max_age: Option<i64>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
}

/// A validated new shelter.
pub struct NewShelter {
    pub(crate) name: DisplayName,
    pub(crate) address: String,
    pub(crate) capacity: i32,
    pub(crate) admits_genders: BTreeSet<Gender>,
    pub(crate) admits_minors: bool,
    pub(crate) min_age: Option<i32>,
    pub(crate) max_age: Option<i32>,
    pub(crate) phone: Option<String>,
    pub(crate) email: Option<Email>,
}

/// Parses a new shelter, listing every invalid field.
///
/// # Errors
/// [`DomainError::Invalid`].
pub fn parse_new_shelter(draft: &ShelterDraft<'_>) -> DomainResult<NewShelter> {
    let mut v = Validator::default();
    let name = v.take(DisplayName::parse("name", draft.name));
    let address = v.take(text("address", draft.address, ADDRESS_MAX, true));
    let capacity = v.take(capacity("capacity", draft.capacity));
    let admits_genders = v.take(genders("admits_genders", draft.admits_genders));
    let min_age = draft.min_age.and_then(|a| v.take(age("min_age", a)));
    let max_age = draft.max_age.and_then(|a| v.take(age("max_age", a)));
    let phone = draft.phone.and_then(|p| v.take(phone("phone", p)));
    let email = draft.email.and_then(|e| v.take(Email::parse("email", e)));
    check_admission(&mut v, draft.admits_minors, min_age, max_age);
    v.finish()?;
    match (name, address, capacity, admits_genders) {
        (Some(name), Some(address), Some(capacity), Some(admits_genders)) => Ok(NewShelter {
            name,
            address,
            capacity,
            admits_genders,
            admits_minors: draft.admits_minors,
            min_age,
            max_age,
            phone,
            email,
        }),
        _ => Err(missing()),
    }
}

/// Changes to a shelter as the caller sent them. For the optional fields, `Some(None)`
/// clears the value and `None` leaves it alone.
#[derive(Clone, Copy, Debug, Default)]
pub struct ShelterPatchDraft<'a> {
    pub name: Option<&'a str>,
    pub address: Option<&'a str>,
    pub capacity: Option<i64>,
    pub admits_genders: Option<&'a [String]>,
    pub admits_minors: Option<bool>,
    pub min_age: Option<Option<i64>>,
    pub max_age: Option<Option<i64>>,
    pub phone: Option<Option<&'a str>>,
    pub email: Option<Option<&'a str>>,
    pub status: Option<&'a str>,
}

/// Validated changes to a shelter.
#[derive(Default)]
pub struct ShelterPatch {
    pub(crate) name: Option<DisplayName>,
    pub(crate) address: Option<String>,
    pub(crate) capacity: Option<i32>,
    pub(crate) admits_genders: Option<BTreeSet<Gender>>,
    pub(crate) admits_minors: Option<bool>,
    pub(crate) min_age: Option<Option<i32>>,
    pub(crate) max_age: Option<Option<i32>>,
    pub(crate) phone: Option<Option<String>>,
    pub(crate) email: Option<Option<Email>>,
    pub(crate) status: Option<ShelterStatus>,
}

/// Parses shelter changes field by field; the admission policy as a whole is checked against
/// the stored shelter when the change is applied.
///
/// # Errors
/// [`DomainError::Invalid`].
pub fn parse_shelter_patch(draft: &ShelterPatchDraft<'_>) -> DomainResult<ShelterPatch> {
    let mut v = Validator::default();
    let patch = ShelterPatch {
        name: draft
            .name
            .and_then(|n| v.take(DisplayName::parse("name", n))),
        address: draft
            .address
            .and_then(|a| v.take(text("address", a, ADDRESS_MAX, true))),
        capacity: draft.capacity.and_then(|c| v.take(capacity("capacity", c))),
        admits_genders: draft
            .admits_genders
            .and_then(|g| v.take(genders("admits_genders", g))),
        admits_minors: draft.admits_minors,
        min_age: draft
            .min_age
            .map(|a| a.and_then(|a| v.take(age("min_age", a)))),
        max_age: draft
            .max_age
            .map(|a| a.and_then(|a| v.take(age("max_age", a)))),
        phone: draft
            .phone
            .map(|p| p.and_then(|p| v.take(phone("phone", p)))),
        email: draft
            .email
            .map(|e| e.and_then(|e| v.take(Email::parse("email", e)))),
        status: draft
            .status
            .and_then(|s| v.take(ShelterStatus::parse("status", s))),
    };
    v.finish()?;
    Ok(patch)
}

/// A validated new room.
pub struct NewRoom {
    pub(crate) shelter_id: ShelterId,
    pub(crate) name: String,
    pub(crate) floor: Option<String>,
    pub(crate) notes: String,
}

/// Parses a new room, listing every invalid field.
///
/// # Errors
/// [`DomainError::Invalid`].
pub fn parse_new_room(
    shelter_id: ShelterId,
    name: &str,
    floor: Option<&str>,
    notes: Option<&str>,
) -> DomainResult<NewRoom> {
    let mut v = Validator::default();
    let name = v.take(text("name", name, ROOM_NAME_MAX, false));
    let floor = floor.and_then(|f| v.take(text("floor", f, FLOOR_MAX, false)));
    let notes = notes.map_or(Some(String::new()), |n| v.take(self::notes("notes", n)));
    v.finish()?;
    match (name, notes) {
        (Some(name), Some(notes)) => Ok(NewRoom {
            shelter_id,
            name,
            floor,
            notes,
        }),
        _ => Err(missing()),
    }
}

/// Validated changes to a room. `floor: Some(None)` clears the floor.
#[derive(Default)]
pub struct RoomPatch {
    pub(crate) name: Option<String>,
    pub(crate) floor: Option<Option<String>>,
    pub(crate) notes: Option<String>,
}

/// Parses room changes, listing every invalid field.
///
/// # Errors
/// [`DomainError::Invalid`].
pub fn parse_room_patch(
    name: Option<&str>,
    floor: Option<Option<&str>>,
    notes: Option<&str>,
) -> DomainResult<RoomPatch> {
    let mut v = Validator::default();
    let patch = RoomPatch {
        name: name.and_then(|n| v.take(text("name", n, ROOM_NAME_MAX, false))),
        floor: floor.map(|f| f.and_then(|f| v.take(text("floor", f, FLOOR_MAX, false)))),
        notes: notes.and_then(|n| v.take(self::notes("notes", n))),
    };
    v.finish()?;
    Ok(patch)
}

/// A validated new bed.
pub struct NewBed {
    pub(crate) room_id: RoomId,
    pub(crate) label: String,
    pub(crate) status: BedStatus,
}

/// Parses a new bed (available unless said otherwise), listing every invalid field.
///
/// # Errors
/// [`DomainError::Invalid`].
pub fn parse_new_bed(room_id: RoomId, label: &str, status: Option<&str>) -> DomainResult<NewBed> {
    let mut v = Validator::default();
    let label = v.take(text("label", label, LABEL_MAX, false));
    let status = match status {
        None => Some(BedStatus::Available),
        Some(s) => v.take(BedStatus::parse("status", s)),
    };
    v.finish()?;
    match (label, status) {
        (Some(label), Some(status)) => Ok(NewBed {
            room_id,
            label,
            status,
        }),
        _ => Err(missing()),
    }
}

/// Validated changes to a bed. A bed moves only between rooms of its own shelter.
#[derive(Default)]
pub struct BedPatch {
    pub(crate) room_id: Option<RoomId>,
    pub(crate) label: Option<String>,
    pub(crate) status: Option<BedStatus>,
}

/// Parses bed changes, listing every invalid field.
///
/// # Errors
/// [`DomainError::Invalid`].
pub fn parse_bed_patch(
    room_id: Option<RoomId>,
    label: Option<&str>,
    status: Option<&str>,
) -> DomainResult<BedPatch> {
    let mut v = Validator::default();
    let patch = BedPatch {
        room_id,
        label: label.and_then(|l| v.take(text("label", l, LABEL_MAX, false))),
        status: status.and_then(|s| v.take(BedStatus::parse("status", s))),
    };
    v.finish()?;
    Ok(patch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft<'a>(genders: &'a [String]) -> ShelterDraft<'a> {
        ShelterDraft {
            name: "Maison Lumière",
            address: "Rue de l'Exemple 1\n1000 Bruxelles",
            capacity: 12,
            admits_genders: genders,
            admits_minors: false,
            min_age: Some(18),
            max_age: None,
            phone: Some("+32 2 123 45 67"),
            email: Some("Intake@Maison.example"),
        }
    }

    fn fields(err: DomainError) -> Vec<String> {
        match err {
            DomainError::Invalid(list) => list.into_iter().map(|i| i.field).collect(),
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn a_valid_shelter_parses_and_normalises() {
        let genders = vec!["male".to_owned(), "female".to_owned(), "female".to_owned()];
        let new = parse_new_shelter(&draft(&genders)).unwrap();
        assert_eq!(encode_genders(&new.admits_genders), "female,male");
        assert_eq!(new.email.unwrap().as_str(), "intake@maison.example");
        assert!(new.address.contains('\n'));
        assert_eq!(
            decode_genders("female,unknown,nonsense").len(),
            2,
            "unknown names are skipped"
        );
    }

    #[test]
    fn every_invalid_field_is_listed() {
        let genders = vec!["robot".to_owned()];
        let bad = ShelterDraft {
            name: " ",
            address: "",
            capacity: 0,
            min_age: Some(-1),
            max_age: Some(500),
            phone: Some("call me"),
            email: Some("nope"),
            ..draft(&genders)
        };
        let listed = fields(parse_new_shelter(&bad).err().unwrap());
        for field in [
            "name",
            "address",
            "capacity",
            "admits_genders",
            "min_age",
            "max_age",
            "phone",
            "email",
        ] {
            assert!(listed.contains(&field.to_owned()), "{field} in {listed:?}");
        }
        let none: Vec<String> = Vec::new();
        assert_eq!(
            fields(
                parse_new_shelter(&ShelterDraft {
                    capacity: MAX_CAPACITY + 1,
                    ..draft(&none)
                })
                .err()
                .unwrap()
            ),
            ["capacity", "admits_genders"]
        );
    }

    #[test]
    fn admission_policies_must_agree_with_themselves() {
        assert!(check_admission_policy(true, Some(12), Some(17)).is_ok());
        assert!(check_admission_policy(false, None, None).is_ok());
        assert!(check_admission_policy(false, Some(30), Some(20)).is_err());
        assert!(check_admission_policy(false, None, Some(16)).is_err());
        assert!(check_admission_policy(true, Some(18), None).is_err());
    }

    #[test]
    fn rooms_and_beds_bound_their_text() {
        let shelter = ShelterId::new();
        assert!(parse_new_room(shelter, "Room 1", Some("1st"), None).is_ok());
        assert_eq!(
            fields(
                parse_new_room(shelter, &"x".repeat(101), Some(""), Some("\u{7}"))
                    .err()
                    .unwrap()
            ),
            ["name", "floor", "notes"]
        );
        assert_eq!(
            parse_new_bed(RoomId::new(), "A", None).unwrap().status,
            BedStatus::Available
        );
        assert_eq!(
            fields(
                parse_new_bed(RoomId::new(), "", Some("broken"))
                    .err()
                    .unwrap()
            ),
            ["label", "status"]
        );
        let patch = parse_room_patch(None, Some(None), Some("  ")).unwrap();
        assert_eq!(patch.floor, Some(None));
        assert_eq!(patch.notes.as_deref(), Some(""));
    }
}
