//! The table of hostile inputs `hostile.rs` sends: whole bodies that are not what the
//! operation reads, and per-field values built from each property's schema in the OpenAPI
//! document (its type, format, enum, bounds). Every hostile string carries [`MARKER`], so an
//! answer that repeats the input is easy to see.

use serde_json::{Value, json};

/// Carried by every hostile string; no answer may contain it.
pub const MARKER: &str = "hv0stile";

/// SQL, HTML and script payloads for text fields.
pub const TEXT_PAYLOADS: &[&str] = &[
    "'; DROP TABLE cases; --",
    "\" OR \"1\"=\"1",
    "<script>alert('hv0stile')</script>",
    "<img src=x onerror=alert(1)>",
    "{{7*7}}${7*7}",
];

/// Ids for path parameters: not UUIDs, traversal, injection, NUL.
pub const HOSTILE_IDS: &[&str] = &[
    "hv0stile",
    "hv0stile%2F..%2F..%2Fetc%2Fpasswd",
    "..%2F..%2Fhv0stile",
    "hv0stile%00",
    "1%20OR%201%3D1%20--hv0stile",
    "%3Cscript%3Ehv0stile%3C%2Fscript%3E",
    "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5bhv0stile",
];

/// `limit` values that no list may take.
pub const HOSTILE_LIMITS: &[&str] = &[
    "0",
    "201",
    "4294967296",
    "-1",
    "-9223372036854775809",
    "18446744073709551616",
    "999999999999999999999999999999",
    "1e3",
    "hv0stile",
];

/// Cursors no list gave out.
/// (A bare word is no forgery where the cursor is a slug: it is a place in the order.)
pub const FORGED_CURSORS: &[&str] = &[
    "%27%20OR%201%3D1%20--hv0stile",
    "..%2F..%2Fhv0stile",
    "1_hv0stile",
    "-1_0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5bhv0stile",
];

/// A request body: JSON, or raw bytes with a content type.
pub enum Row {
    Json(Value),
    Raw {
        content_type: &'static str,
        bytes: Vec<u8>,
    },
}

pub struct HostileRow {
    pub name: String,
    pub body: Row,
}

fn row(name: impl Into<String>, body: Row) -> HostileRow {
    HostileRow {
        name: name.into(),
        body,
    }
}

/// The schema behind a `$ref`, and the non-null branch of a nullable `oneOf`/`anyOf`.
fn resolve<'a>(schema: &'a Value, spec: &'a Value) -> &'a Value {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().expect("name");
        return resolve(&spec["components"]["schemas"][name], spec);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(branch) = schema[key]
            .as_array()
            .and_then(|branches| branches.iter().find(|b| b["type"] != "null"))
        {
            return resolve(branch, spec);
        }
    }
    if let Some([only]) = schema["allOf"].as_array().map(Vec::as_slice) {
        return resolve(only, spec);
    }
    schema
}

/// The first non-null type of a schema.
fn type_of(schema: &Value) -> &str {
    match &schema["type"] {
        Value::String(t) => t,
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or(""),
        _ => "",
    }
}

fn request_schema<'a>(op: &'a Value, spec: &'a Value) -> &'a Value {
    resolve(
        &op["requestBody"]["content"]["application/json"]["schema"],
        spec,
    )
}

/// Names of the free-text fields of an operation's body (strings with no enum or format).
pub fn string_fields(op: &Value, spec: &Value) -> Vec<String> {
    let schema = request_schema(op, spec);
    schema["properties"]
        .as_object()
        .map(|props| {
            props
                .iter()
                .filter(|(_, s)| {
                    let s = resolve(s, spec);
                    type_of(s) == "string" && s.get("enum").is_none() && s.get("format").is_none()
                })
                .map(|(name, _)| name.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Every hostile body for an operation, `example` being the document's valid example.
pub fn body_rows(op: &Value, spec: &Value, example: &Value) -> Vec<HostileRow> {
    let mut rows = vec![
        row(
            "invalid UTF-8",
            raw_json(b"{\"name\": \"hv0stile \xff\xfe\xfd\"}".to_vec()),
        ),
        row("not JSON", raw_json(b"{\"name\": \"hv0stile".to_vec())),
        row("empty body", raw_json(Vec::new())),
        row("null", Row::Json(Value::Null)),
        row("an array", Row::Json(json!([MARKER]))),
        row("a string", Row::Json(json!(MARKER))),
        row(
            "deeply nested",
            raw_json(format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes()),
        ),
        row(
            "not sent as JSON",
            Row::Raw {
                content_type: "text/plain",
                bytes: example.to_string().into_bytes(),
            },
        ),
    ];
    let Some(base) = example.as_object() else {
        return rows;
    };
    let mut unknown = base.clone();
    // Plain unknown names are named in the answer; anything else must not be.
    unknown.insert(format!("<b>{MARKER}</b>"), json!(1));
    rows.push(row("an unknown field", Row::Json(Value::Object(unknown))));

    let schema = request_schema(op, spec);
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(props) = schema["properties"].as_object() else {
        return rows;
    };
    for (field, prop) in props {
        let prop = resolve(prop, spec);
        let with = |value: Value| {
            let mut body = base.clone();
            body.insert(field.clone(), value);
            Row::Json(Value::Object(body))
        };
        if required.contains(&field.as_str()) {
            rows.push(row(format!("{field}: null"), with(Value::Null)));
        }
        for (name, value) in field_values(prop, spec) {
            rows.push(row(format!("{field}: {name}"), with(value)));
        }
        if matches!(type_of(prop), "integer" | "number") {
            // A number no machine type holds, written as a JSON number.
            let mut body = base.clone();
            body.insert(field.clone(), json!("__huge__"));
            let text = Value::Object(body)
                .to_string()
                .replace("\"__huge__\"", "184467440737095516160000000000");
            rows.push(row(
                format!("{field}: huge number"),
                raw_json(text.into_bytes()),
            ));
        }
    }
    rows
}

fn raw_json(bytes: Vec<u8>) -> Row {
    Row::Raw {
        content_type: "application/json",
        bytes,
    }
}

/// Hostile values for one property, by its schema.
fn field_values(prop: &Value, spec: &Value) -> Vec<(&'static str, Value)> {
    let mut values = Vec::new();
    if prop.get("enum").is_some() {
        values.push(("unknown enum value", json!(format!("{MARKER}_unknown"))));
        values.push(("wrong type", json!(7)));
        return values;
    }
    match type_of(prop) {
        "string" => {
            values.push(("wrong type", json!({ MARKER: true })));
            match prop["format"].as_str() {
                Some("uuid") => values.push(("traversal", json!(format!("{MARKER}/../../etc")))),
                Some("date") => values.push(("impossible date", json!("2026-02-30"))),
                Some("date-time") => {
                    values.push(("impossible time", json!("2026-13-01T25:61:00Z")));
                }
                _ => {
                    let limit = prop["maxLength"].as_u64().map_or(100_000, |m| m as usize);
                    let long = format!("{MARKER}{}", "x".repeat(limit));
                    values.push(("over-long", json!(long)));
                    values.push(("NUL byte", json!(format!("{MARKER}\u{0}nul"))));
                }
            }
        }
        "integer" | "number" => {
            values.push(("wrong type", json!(MARKER)));
            values.push(("too large", json!(1e300)));
            if let Some(max) = prop["maximum"].as_f64() {
                values.push(("above maximum", number(max + 1.0, prop)));
            }
            if let Some(min) = prop["minimum"].as_f64() {
                values.push(("below minimum", number(min - 1.0, prop)));
            }
        }
        "boolean" => values.push(("wrong type", json!(MARKER))),
        "array" => {
            values.push(("wrong type", json!(MARKER)));
            let items = resolve(&prop["items"], spec);
            if items.get("enum").is_some() {
                values.push(("unknown enum item", json!([format!("{MARKER}_unknown")])));
            }
            if type_of(items) == "string" && items.get("enum").is_none() {
                values.push(("20 000 items", json!(vec![MARKER; 20_000])));
            }
        }
        "object" => values.push(("wrong type", json!(42))),
        _ => {}
    }
    values
}

fn number(value: f64, prop: &Value) -> Value {
    if type_of(prop) == "integer" {
        json!(value as i64)
    } else {
        json!(value)
    }
}
