//! Values from an OpenAPI document's schemas, for property tests: a proptest strategy of JSON
//! values that satisfy a schema, and the ways to break one constraint of such a value, each
//! with the JSON pointer a validator must report.
//!
//! Covers what OpenAPI 3.0 documents like PostHog's use: `$ref`, `allOf`, `oneOf`, `enum`,
//! `nullable`, `readOnly`/`writeOnly`, `required`, string lengths, `pattern` and formats
//! (`uuid`, `email`, `date-time`, `date`, `uri`), integer bounds, arrays and free-form objects.
//! Strings and dates are drawn in one canonical spelling, so a value that decodes and encodes
//! again is expected to come back byte for byte.

// Each test binary compiles this module on its own and may use only part of it.
#![allow(dead_code)]

use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Which side of the wire a value is for: requests leave out `readOnly` properties, responses
/// `writeOnly` ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Request,
    Response,
}

/// A schema with `$ref`s followed (one level at a time) against `doc`.
pub fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    let mut schema = schema;
    for _ in 0..16 {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| doc.pointer(p)) {
                Some(target) => schema = target,
                None => return schema,
            },
            None => return schema,
        }
    }
    schema
}

/// `allOf` of one schema with siblings (drf-spectacular's way to annotate a `$ref`) is that
/// schema; several are merged property by property.
fn all_of(doc: &Value, schema: &Value) -> Value {
    let Some(parts) = schema.get("allOf").and_then(Value::as_array) else { return schema.clone() };
    let mut merged = Map::new();
    for part in parts {
        if let Value::Object(o) = resolve(doc, part) {
            for (k, v) in o {
                match (merged.get_mut(k), v) {
                    (Some(Value::Object(into)), Value::Object(from)) => {
                        into.extend(from.iter().map(|(a, b)| (a.clone(), b.clone())));
                    }
                    (Some(Value::Array(into)), Value::Array(from)) if k == "required" => {
                        into.extend(from.iter().cloned())
                    }
                    _ => {
                        merged.insert(k.clone(), v.clone());
                    }
                }
            }
        }
    }
    for (k, v) in schema.as_object().into_iter().flatten() {
        if k != "allOf" {
            merged.insert(k.clone(), v.clone());
        }
    }
    Value::Object(merged)
}

fn flag(schema: &Value, key: &str) -> bool {
    schema.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn number(schema: &Value, key: &str) -> Option<f64> {
    schema.get(key).and_then(Value::as_f64)
}

/// The strategy of values satisfying `schema`.
pub fn values(doc: &Value, schema: &Value, side: Side) -> BoxedStrategy<Value> {
    values_at(doc, schema, side, 0)
}

/// How deep values nest before recursive schemas stop: optional properties are left out and
/// nullable values are `null` below it.
const DEEPEST: usize = 6;

fn values_at(doc: &Value, schema: &Value, side: Side, depth: usize) -> BoxedStrategy<Value> {
    let schema = all_of(doc, resolve(doc, schema));
    if depth > DEEPEST && flag(&schema, "nullable") {
        return Just(Value::Null).boxed();
    }
    let inner = plain(doc, &schema, side, depth);
    if flag(&schema, "nullable") { prop_oneof![1 => Just(Value::Null), 4 => inner].boxed() } else { inner }
}

fn plain(doc: &Value, schema: &Value, side: Side, depth: usize) -> BoxedStrategy<Value> {
    if let Some(choices) = schema.get("enum").and_then(Value::as_array) {
        let choices: Vec<Value> = choices.iter().filter(|c| !c.is_null()).cloned().collect();
        if choices.is_empty() {
            return Just(Value::Null).boxed();
        }
        return proptest::sample::select(choices).boxed();
    }
    // A discriminated union: each mapped schema, with its tag in the discriminating property.
    if let (Some(property), Some(options)) = (
        schema.pointer("/discriminator/propertyName").and_then(Value::as_str),
        schema.get("oneOf").or_else(|| schema.get("anyOf")).and_then(Value::as_array),
    ) {
        let mapping = schema.pointer("/discriminator/mapping").and_then(Value::as_object);
        let tagged: Vec<BoxedStrategy<Value>> = options
            .iter()
            .filter_map(|option| {
                let target = option.get("$ref").and_then(Value::as_str)?;
                let tag = mapping
                    .and_then(|m| m.iter().find(|(_, to)| to.as_str() == Some(target)).map(|(tag, _)| tag.clone()))
                    .unwrap_or_else(|| target.rsplit('/').next().unwrap_or(target).to_owned());
                let property = property.to_owned();
                Some(
                    values_at(doc, option, side, depth + 1)
                        .prop_map(move |mut v| {
                            if let Value::Object(o) = &mut v {
                                o.insert(property.clone(), Value::String(tag.clone()));
                            }
                            v
                        })
                        .boxed(),
                )
            })
            .collect();
        if !tagged.is_empty() {
            return proptest::strategy::Union::new(tagged).boxed();
        }
    }
    if let Some(options) = schema.get("oneOf").or_else(|| schema.get("anyOf")).and_then(Value::as_array) {
        let options: Vec<BoxedStrategy<Value>> = options.iter().map(|o| values_at(doc, o, side, depth + 1)).collect();
        return proptest::strategy::Union::new(options).boxed();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => string(schema),
        Some("integer") => {
            let low = number(schema, "minimum").unwrap_or(-1_000_000.0) as i64;
            let high = number(schema, "maximum").unwrap_or(1_000_000.0) as i64;
            (low..=high).prop_map(Value::from).boxed()
        }
        Some("number") => {
            let low = number(schema, "minimum").unwrap_or(-1e6);
            let high = number(schema, "maximum").unwrap_or(1e6);
            (low..=high).prop_map(|f| json!(f)).boxed()
        }
        Some("boolean") => any::<bool>().prop_map(Value::Bool).boxed(),
        Some("array") if depth > DEEPEST && number(schema, "minItems").unwrap_or(0.0) == 0.0 => {
            Just(Value::Array(Vec::new())).boxed()
        }
        Some("array") => {
            let items = schema.get("items").cloned().unwrap_or(json!({"type": "string"}));
            let min = number(schema, "minItems").unwrap_or(0.0) as usize;
            let max = number(schema, "maxItems").map_or(min + 3, |m| (m as usize).min(min + 3));
            proptest::collection::vec(values_at(doc, &items, side, depth + 1), min..=max).prop_map(Value::Array).boxed()
        }
        Some("object") | None if schema.get("properties").is_some() => object(doc, schema, side, depth),
        _ => match schema.get("additionalProperties") {
            // A map: its values drawn from their schema.
            Some(values) if values.as_object().is_some_and(|o| !o.is_empty()) && depth <= DEEPEST => {
                proptest::collection::btree_map("[a-z]{1,5}", values_at(doc, values, side, depth + 1), 0..3)
                    .prop_map(|m| Value::Object(m.into_iter().collect()))
                    .boxed()
            }
            _ => free_form(),
        },
    }
}

/// Any small JSON object (`additionalProperties: {}`, a schema without a type).
fn free_form() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        "[a-z]{0,6}".prop_map(Value::String),
        any::<i32>().prop_map(Value::from),
        any::<bool>().prop_map(Value::Bool),
    ];
    proptest::collection::btree_map("[a-z]{1,5}", leaf, 0..3)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
        .boxed()
}

fn string(schema: &Value) -> BoxedStrategy<Value> {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or_default();
    match format {
        "uuid" => any::<u128>().prop_map(|n| Value::String(uuid::Uuid::from_u128(n).to_string())).boxed(),
        // Whole seconds, UTC, `Z`: chrono's own spelling.
        "date-time" => (0_i64..4_102_444_800)
            .prop_map(|s| {
                let t = chrono::DateTime::from_timestamp(s, 0).unwrap_or_default();
                Value::String(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            })
            .boxed(),
        "date" => (0_i64..4_102_444_800)
            .prop_map(|s| {
                let t = chrono::DateTime::from_timestamp(s, 0).unwrap_or_default();
                Value::String(t.date_naive().to_string())
            })
            .boxed(),
        "byte" => proptest::collection::vec(any::<u8>(), 0..12)
            .prop_map(|bytes| {
                use base64::Engine as _;
                Value::String(base64::engine::general_purpose::STANDARD.encode(bytes))
            })
            .boxed(),
        "email" => "[a-z0-9]{1,10}@[a-z]{1,10}\\.(com|io|org)".prop_map(Value::String).boxed(),
        "uri" => "https://[a-z]{1,10}\\.example(/[a-z0-9]{1,6}){0,2}".prop_map(Value::String).boxed(),
        _ => {
            let min = number(schema, "minLength").unwrap_or(0.0) as usize;
            let max = number(schema, "maxLength").map_or(min + 24, |m| (m as usize).min(min + 24).max(min));
            match schema.get("pattern").and_then(Value::as_str) {
                Some(pattern) => proptest::string::string_regex(pattern)
                    .map(|s| {
                        s.prop_filter("within the length bounds", move |t| (min..=max).contains(&t.chars().count()))
                            .prop_map(Value::String)
                            .boxed()
                    })
                    .unwrap_or_else(|_| Just(Value::String("x".repeat(min.max(1)))).boxed()),
                // Any characters but controls: lengths count characters, not bytes.
                None => proptest::string::string_regex(&format!("\\PC{{{min},{max}}}"))
                    .map(|s| s.prop_map(Value::String).boxed())
                    .unwrap_or_else(|_| Just(Value::String(String::new())).boxed()),
            }
        }
    }
}

fn object(doc: &Value, schema: &Value, side: Side, depth: usize) -> BoxedStrategy<Value> {
    let required: Vec<&str> =
        schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    let mut fields: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
    for (name, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        let seen = all_of(doc, resolve(doc, property));
        let hidden = match side {
            Side::Request => flag(property, "readOnly") || flag(&seen, "readOnly"),
            Side::Response => flag(property, "writeOnly") || flag(&seen, "writeOnly"),
        };
        if hidden {
            continue;
        }
        let is_required = required.contains(&name.as_str());
        if !is_required && depth > DEEPEST {
            continue;
        }
        let name = name.clone();
        let value = values_at(doc, property, side, depth + 1);
        if is_required {
            fields.push(value.prop_map(move |v| Some((name.clone(), v))).boxed());
        } else {
            fields.push(proptest::option::of(value.prop_map(move |v| (name.clone(), v))).boxed());
        }
    }
    fields.prop_map(|fields| Value::Object(fields.into_iter().flatten().collect())).boxed()
}

/// One way to break a value: the pointer (under the value) a validator must report, and the
/// value with that one constraint broken.
#[derive(Debug, Clone)]
pub struct Breakage {
    pub pointer: String,
    pub what: String,
    pub value: Value,
}

/// Every single-constraint breakage of `value` (which satisfies `schema`) that a validator can
/// locate at exactly one pointer.
pub fn breakages(doc: &Value, schema: &Value, value: &Value) -> Vec<Breakage> {
    let mut out = Vec::new();
    walk(doc, schema, value, "", true, &mut |pointer, what, replacement| {
        let mut broken = value.clone();
        match replacement {
            Some(v) => match broken.pointer_mut(pointer) {
                Some(slot) => *slot = v,
                None if pointer.is_empty() => broken = v,
                None => return,
            },
            None => {
                let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
                if let Some(Value::Object(o)) = broken.pointer_mut(parent) {
                    o.remove(&key.replace("~1", "/").replace("~0", "~"));
                }
            }
        }
        out.push(Breakage { pointer: pointer.to_owned(), what: what.to_owned(), value: broken });
    });
    out
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Calls `found(pointer, what, replacement)` for each breakage; `None` removes the property.
/// `required`: the value is a required property (or the whole body), where `null` is not the
/// same as leaving it out.
fn walk(
    doc: &Value,
    schema: &Value,
    value: &Value,
    pointer: &str,
    required: bool,
    found: &mut dyn FnMut(&str, &str, Option<Value>),
) {
    let schema = all_of(doc, resolve(doc, schema));
    if value.is_null() {
        return;
    }
    if required && !flag(&schema, "nullable") && schema.get("oneOf").is_none() {
        found(pointer, "null where null is not allowed", Some(Value::Null));
    }
    if let Some(choices) = schema.get("enum").and_then(Value::as_array) {
        let odd = if choices.iter().any(Value::is_number) { json!(987_654) } else { json!("not-one-of-the-choices") };
        found(pointer, "a value outside the enum", Some(odd));
        return;
    }
    if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
        found(pointer, "a value matching no alternative", Some(json!({"unexpected": [1]})));
        return;
    }
    match schema.get("type").and_then(Value::as_str) {
        // `format: binary` inside JSON has no one spelling; the server leaves its checks to
        // decoding.
        Some("string") if schema.get("format").and_then(Value::as_str) == Some("binary") => {}
        Some("string") => {
            found(pointer, "a number for a string", Some(json!(12)));
            if let Some(f @ ("uuid" | "email" | "date-time" | "date" | "uri")) =
                schema.get("format").and_then(Value::as_str)
            {
                found(pointer, &format!("not a {f}"), Some(json!("not valid here")));
            }
            if let Some(max) = number(&schema, "maxLength") {
                found(pointer, "longer than maxLength", Some(Value::String("é".repeat(max as usize + 1))));
            }
            if let Some(min) = number(&schema, "minLength").filter(|m| *m >= 1.0) {
                found(pointer, "shorter than minLength", Some(Value::String("x".repeat(min as usize - 1))));
            }
            if schema.get("pattern").is_some() {
                found(pointer, "not matching the pattern", Some(json!("\u{1F600} \n")));
            }
        }
        Some("integer") => {
            found(pointer, "a string for an integer", Some(json!("12")));
            found(pointer, "a fraction for an integer", Some(json!(1.5)));
            found(pointer, "beyond 64 bits", Some(serde_json::from_str("99999999999999999999").unwrap_or(Value::Null)));
            if let Some(max) = number(&schema, "maximum") {
                found(pointer, "above maximum", Some(json!(max as i64 + 1)));
            }
            if let Some(min) = number(&schema, "minimum") {
                found(pointer, "below minimum", Some(json!(min as i64 - 1)));
            }
        }
        Some("boolean") => found(pointer, "a string for a boolean", Some(json!("yes"))),
        Some("array") => {
            found(pointer, "an object for an array", Some(json!({})));
            if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
                for (i, item) in list.iter().enumerate() {
                    walk(doc, items, item, &format!("{pointer}/{i}"), true, found);
                }
            }
        }
        _ => {
            let Some(object) = value.as_object() else { return };
            let Some(properties) = schema.get("properties").and_then(Value::as_object) else { return };
            found(pointer, "an array for an object", Some(json!([])));
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            for (name, property) in properties {
                let at = format!("{pointer}/{}", escape(name));
                let Some(v) = object.get(name) else { continue };
                let is_required = required.contains(&name.as_str());
                if is_required {
                    found(&at, "a required property left out", None);
                }
                walk(doc, property, v, &at, is_required, found);
            }
        }
    }
}
