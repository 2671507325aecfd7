//! Says in the document what the server holds every text to: no NUL character, in a body or a
//! query (PostgreSQL refuses it, and the request guard answers 400 `nul_character`). Every
//! free-text string schema (no `format` but `password`, no `enum` or `pattern` of its own) gets [`NO_NUL`], and
//! every map's keys too, so a client or a fuzzer reading the document knows it before asking.

use utoipa::openapi::path::{Operation, Parameter, PathItem};
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayItems, KnownFormat, Object, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{OpenApi, RefOr, Schema};

/// Any text without the NUL character (an ECMA-262 pattern, as JSON Schema reads them).
pub const NO_NUL: &str = "^[^\\u0000]*$";

/// See the module documentation.
pub fn forbid_nul(doc: &mut OpenApi) {
    if let Some(components) = doc.components.as_mut() {
        for schema in components.schemas.values_mut() {
            ref_or_schema(schema);
        }
        for parameter in components.parameters.values_mut() {
            ref_or_parameter(parameter);
        }
    }
    for item in doc.paths.paths.values_mut() {
        path_item(item);
    }
}

fn path_item(item: &mut PathItem) {
    for parameter in item.parameters.iter_mut().flatten() {
        ref_or_parameter(parameter);
    }
    let operations = [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ];
    for operation in operations.into_iter().flatten() {
        self::operation(operation);
    }
}

fn operation(operation: &mut Operation) {
    for parameter in operation.parameters.iter_mut().flatten() {
        ref_or_parameter(parameter);
    }
    if let Some(RefOr::T(body)) = operation.request_body.as_mut() {
        for content in body.content.values_mut() {
            if let RefOr::T(content) = content
                && let Some(schema) = content.schema.as_mut()
            {
                ref_or_schema(schema);
            }
        }
    }
}

fn ref_or_parameter(parameter: &mut RefOr<Parameter>) {
    if let RefOr::T(parameter) = parameter
        && let Some(schema) = parameter.schema.as_mut()
    {
        ref_or_schema(schema);
    }
}

fn ref_or_schema(schema: &mut RefOr<Schema>) {
    if let RefOr::T(schema) = schema {
        self::schema(schema);
    }
}

fn schema(schema: &mut Schema) {
    match schema {
        Schema::Object(object) => self::object(object),
        Schema::Array(array) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                ref_or_schema(items);
            }
            array.prefix_items.iter_mut().for_each(self::schema);
        }
        Schema::OneOf(one_of) => one_of.items.iter_mut().for_each(ref_or_schema),
        Schema::AllOf(all_of) => all_of.items.iter_mut().for_each(ref_or_schema),
        Schema::AnyOf(any_of) => any_of.items.iter_mut().for_each(ref_or_schema),
        _ => {}
    }
}

fn is_text(schema_type: &SchemaType) -> bool {
    match schema_type {
        SchemaType::Type(kind) => *kind == Type::String,
        SchemaType::Array(kinds) => kinds.contains(&Type::String),
        SchemaType::AnyValue => false,
    }
}

fn object(object: &mut Object) {
    // `password` is a hint to forms, not a constraint on the text.
    let constrained = object
        .format
        .as_ref()
        .is_some_and(|format| *format != SchemaFormat::KnownFormat(KnownFormat::Password));
    if is_text(&object.schema_type)
        && !constrained
        && object.enum_values.is_none()
        && object.pattern.is_none()
    {
        object.pattern = Some(NO_NUL.to_owned());
    }
    object.properties.values_mut().for_each(ref_or_schema);
    // Maps: their values, and their keys (which `false` leaves none of).
    let open = match object.additional_properties.as_deref_mut() {
        Some(AdditionalProperties::RefOr(values)) => {
            ref_or_schema(values);
            true
        }
        Some(AdditionalProperties::FreeForm(open)) => *open,
        None => false,
    };
    if open {
        match object.property_names.as_deref_mut() {
            Some(names) => schema(names),
            None => {
                let mut names = Object::with_type(Type::String);
                names.pattern = Some(NO_NUL.to_owned());
                object.property_names = Some(Box::new(Schema::Object(names)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};
    use std::collections::BTreeMap;
    use utoipa::openapi::{ComponentsBuilder, InfoBuilder, OpenApiBuilder};
    use utoipa::{PartialSchema as _, ToSchema};

    #[derive(ToSchema)]
    #[allow(dead_code)]
    enum Kind {
        Shelter,
        Legal,
    }

    #[derive(ToSchema)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
        nickname: Option<String>,
        tags: Vec<String>,
        labels: BTreeMap<String, String>,
        on: chrono::NaiveDate,
        #[schema(inline)]
        kind: Kind,
        #[schema(pattern = "^[A-Z]{2}$")]
        country: String,
        #[schema(format = Password)]
        secret: String,
    }

    #[test]
    fn free_text_and_map_keys_refuse_nul_and_formats_enums_and_patterns_stay() {
        let mut doc = OpenApiBuilder::new()
            .info(InfoBuilder::new().title("t").version("1").build())
            .components(Some(
                ComponentsBuilder::new()
                    .schema("Sample", Sample::schema())
                    .build(),
            ))
            .build();
        forbid_nul(&mut doc);
        let doc = serde_json::to_value(&doc).expect("json");
        let sample = &doc["components"]["schemas"]["Sample"]["properties"];
        let pattern = |value: &Value| value["pattern"].clone();
        assert_eq!(pattern(&sample["name"]), json!(NO_NUL));
        assert_eq!(pattern(&sample["nickname"]), json!(NO_NUL));
        assert_eq!(pattern(&sample["tags"]["items"]), json!(NO_NUL));
        assert_eq!(
            pattern(&sample["labels"]["additionalProperties"]),
            json!(NO_NUL)
        );
        assert_eq!(pattern(&sample["labels"]["propertyNames"]), json!(NO_NUL));
        assert_eq!(pattern(&sample["on"]), Value::Null, "a date has its format");
        assert_eq!(pattern(&sample["country"]), json!("^[A-Z]{2}$"));
        assert_eq!(
            pattern(&sample["secret"]),
            json!(NO_NUL),
            "a password is text"
        );
        assert!(
            sample["kind"].get("pattern").is_none(),
            "{}",
            sample["kind"]
        );
    }
}
