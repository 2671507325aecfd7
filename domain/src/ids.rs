//! Typed identifiers. A bare `Uuid` never crosses a function boundary: each kind of id has
//! its own newtype, so a tenant id cannot be passed where a user id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
            sea_orm::DeriveValueType,
        )]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new, time-ordered (UUIDv7) identifier.
            #[must_use]
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// Wraps an identifier read from a trusted source (the database or a verified token).
            #[must_use]
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            #[must_use]
            pub const fn as_uuid(&self) -> &Uuid {
                &self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// An NGO using Haven; every tenant-owned row carries one.
    TenantId
);
id_type!(
    /// A person who signs in to Haven.
    UserId
);
id_type!(
    /// A shelter of a tenant.
    ShelterId
);
id_type!(
    /// A room of a shelter.
    RoomId
);
id_type!(
    /// A bed in a shelter's room.
    BedId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_time_ordered_and_round_trip_through_text() {
        let first = TenantId::new();
        let second = TenantId::new();
        assert!(first < second, "UUIDv7 ids sort by creation time");
        let parsed: TenantId = first.to_string().parse().expect("valid uuid text");
        assert_eq!(parsed, first);
        assert!("not-a-uuid".parse::<TenantId>().is_err());
    }
}
