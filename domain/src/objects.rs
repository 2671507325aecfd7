//! Nested records of a request body read only from JSON objects. serde reads a struct from a
//! JSON array as readily as from an object, taking the values by position (`[null, null]` for
//! an identity), which the OpenAPI document does not allow and no client means. The top level
//! of a body is checked by the API's JSON guard; these helpers do the same for nested records,
//! as `#[serde(deserialize_with = "…")]` on the fields that hold them.

use serde::de::value::MapAccessDeserializer;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;
use std::marker::PhantomData;

/// A `T` read from a JSON object only.
struct Object<T>(T);

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_map(ObjectVisitor(PhantomData))
            .map(Object)
    }
}

/// One record, from an object.
///
/// # Errors
/// When the value is not an object, or the record's own reading fails.
pub fn object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    Object::deserialize(d).map(|o| o.0)
}

/// An optional record: `null` (or, with `#[serde(default)]`, absent), or an object.
///
/// # Errors
/// As [`object`].
pub fn optional_object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Option::<Object<T>>::deserialize(d).map(|o| o.map(|o| o.0))
}

/// A list of records, each an object.
///
/// # Errors
/// When the value is not an array of objects.
pub fn objects<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Vec::<Object<T>>::deserialize(d).map(|v| v.into_iter().map(|o| o.0).collect())
}

/// An optional list of records: `null` (or, with `#[serde(default)]`, absent), or an array of
/// objects.
///
/// # Errors
/// As [`objects`].
pub fn optional_objects<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Vec<T>>, D::Error> {
    Option::<Vec<Object<T>>>::deserialize(d)
        .map(|o| o.map(|v| v.into_iter().map(|o| o.0).collect()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[derive(Debug, Default, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    struct Inner {
        a: Option<i32>,
        b: Option<i32>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        #[serde(default, deserialize_with = "object")]
        one: Inner,
        #[serde(default, deserialize_with = "optional_object")]
        maybe: Option<Inner>,
        #[serde(default, deserialize_with = "objects")]
        many: Vec<Inner>,
        #[serde(default, deserialize_with = "optional_objects")]
        some: Option<Vec<Inner>>,
    }

    #[test]
    fn records_are_read_from_objects_and_refused_from_arrays() {
        let read = |text: &str| serde_json::from_str::<Outer>(text);
        let outer =
            read(r#"{"one": {"a": 1}, "maybe": {"b": 2}, "many": [{"a": 3}], "some": [{}]}"#)
                .unwrap();
        assert_eq!(
            outer.one,
            Inner {
                a: Some(1),
                b: None
            }
        );
        assert_eq!(
            outer.maybe,
            Some(Inner {
                a: None,
                b: Some(2)
            })
        );
        assert_eq!(
            outer.many,
            vec![Inner {
                a: Some(3),
                b: None
            }]
        );
        assert_eq!(outer.some, Some(vec![Inner::default()]));
        let empty = read("{}").unwrap();
        assert_eq!((empty.maybe, empty.many, empty.some), (None, vec![], None));
        assert_eq!(read(r#"{"maybe": null, "some": null}"#).unwrap().some, None);
        for wrong in [
            r#"{"one": [null, null]}"#,
            r#"{"maybe": [1]}"#,
            r#"{"many": [[1, 2]]}"#,
            r#"{"some": [[]]}"#,
            r#"{"one": {"c": 1}}"#,
        ] {
            assert!(read(wrong).is_err(), "{wrong}");
        }
    }
}
