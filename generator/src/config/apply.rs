//! A configuration checked against the document and written into it as extensions.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::{Config, ConfigProblem, KeyPath, Tailoring, TypeSettings, did_you_mean, select};
use crate::load::escape;
use crate::names;

/// Checks `config` against `doc` and applies it: operations are selected (and unused components
/// pruned), renames and replacements become `x-rust-name`, `x-enum-varnames` and `x-rust-type`
/// on the schemas, properties and operations they name. What extensions cannot say comes back as
/// [`Tailoring`]. Every problem is returned; the document is then not to be used.
pub(crate) fn apply(doc: &mut Value, config: &Config) -> Result<Tailoring, Vec<ConfigProblem>> {
    let mut problems = Vec::new();
    let mut tailoring = Tailoring::default();
    let schemas: BTreeSet<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();

    if let Some(name) = &config.crate_name {
        let mut chars = name.chars();
        let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            problems.push(ConfigProblem::new(
                KeyPath::of(["crate-name"]),
                format!(
                    "`{name}` is not a package name: use ASCII letters, digits, `-` and `_`, starting with a letter"
                ),
            ));
        }
    }
    let rust_path = |text: &str, key: KeyPath, problems: &mut Vec<ConfigProblem>| {
        if syn::parse_str::<syn::Path>(text).is_err() {
            problems.push(ConfigProblem::new(key, format!("`{text}` is not a Rust path (such as `crate::User`)")));
        }
    };
    let derives = |list: &[String], key: KeyPath, problems: &mut Vec<ConfigProblem>| -> Vec<(String, KeyPath)> {
        let mut out: Vec<(String, KeyPath)> = Vec::new();
        for (i, d) in list.iter().enumerate() {
            if syn::parse_str::<syn::Path>(d).is_err() {
                problems.push(ConfigProblem::new(
                    key.index(i),
                    format!("`{d}` is not a derive (a trait path such as `Hash`)"),
                ));
            } else if !out.iter().any(|(o, _)| o == d) {
                out.push((d.clone(), key.index(i)));
            }
        }
        out
    };
    let attributes = |list: &[String], key: KeyPath, problems: &mut Vec<ConfigProblem>| {
        for (i, a) in list.iter().enumerate() {
            let parsed = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, a);
            if !matches!(parsed, Ok(ref attrs) if attrs.len() == 1) {
                problems.push(ConfigProblem::new(
                    key.index(i),
                    format!("`{a}` is not one outer attribute (such as `#[non_exhaustive]`)"),
                ));
            }
        }
        list.to_vec()
    };

    // Schemas named by `replace` and `types`.
    let schema_named = |key: &str, at: KeyPath, problems: &mut Vec<ConfigProblem>| -> Option<String> {
        let name = match key.strip_prefix("#/components/schemas/") {
            Some(rest) => rest.replace("~1", "/").replace("~0", "~"),
            None => key.to_owned(),
        };
        if schemas.contains(&name) {
            return Some(name);
        }
        let hint = did_you_mean(&name, schemas.iter().map(String::as_str));
        problems.push(ConfigProblem::new(at, format!("the document has no schema `{name}`{hint}")));
        None
    };
    let mut replacements = BTreeMap::new();
    for (key, path) in &config.replace {
        let at = KeyPath::of(["replace", key.as_str()]);
        rust_path(path, at.clone(), &mut problems);
        if let Some(name) = schema_named(key, at, &mut problems) {
            replacements.insert(name, path.clone());
        }
    }
    for (format, path) in &config.formats {
        rust_path(path, KeyPath::of(["formats", format.as_str()]), &mut problems);
        tailoring.formats.insert(format.clone(), path.clone());
    }
    tailoring.derive = derives(&config.models.derive, KeyPath::of(["models", "derive"]), &mut problems);
    tailoring.attributes = attributes(&config.models.attributes, KeyPath::of(["models", "attributes"]), &mut problems);

    // Type names: a rename may take neither another schema's name nor another rename.
    let default_names: BTreeMap<String, &str> =
        schemas.iter().map(|s| (names::compose(&names::pascal(s)), s.as_str())).collect();
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    let mut types = Vec::new();
    for (key, settings) in &config.types {
        let at = KeyPath::of(["types", key.as_str()]);
        let Some(name) = schema_named(key, at.clone(), &mut problems) else { continue };
        if let Some(rename) = &settings.rename {
            let key = at.key("rename");
            if let Some(problem) = names::type_name_problem(rename) {
                problems.push(ConfigProblem::new(key, problem));
            } else if let Some(other) = default_names.get(rename).filter(|other| **other != name) {
                problems.push(ConfigProblem::new(key, format!("`{rename}` is already the name of schema `{other}`")));
            } else if let Some(other) = renamed.insert(rename.clone(), name.clone()) {
                problems.push(ConfigProblem::new(key, format!("`{rename}` is also the new name of schema `{other}`")));
            }
        }
        let derive = derives(&settings.derive, at.key("derive"), &mut problems);
        let attributes = attributes(&settings.attributes, at.key("attributes"), &mut problems);
        if !derive.is_empty() || !attributes.is_empty() {
            let entry = tailoring.types.entry(name.clone()).or_default();
            entry.derive.extend(derive);
            entry.attributes.extend(attributes);
        }
        types.push((name, at, settings));
    }

    // Operations, by operationId.
    let mut operations: BTreeMap<String, String> = BTreeMap::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for (method, op) in item.as_object().into_iter().flatten() {
                if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                    operations.insert(id.to_owned(), format!("/paths/{}/{}", escape(path), escape(method)));
                }
            }
        }
    }
    let default_methods: BTreeMap<String, &str> = operations.keys().map(|id| (names::snake(id), id.as_str())).collect();
    let mut method_renames: BTreeMap<&str, &str> = BTreeMap::new();
    for (id, settings) in &config.operations {
        let at = KeyPath::of(["operations", id.as_str()]);
        if !operations.contains_key(id) {
            let hint = did_you_mean(id, operations.keys().map(String::as_str));
            problems
                .push(ConfigProblem::new(at, format!("the document has no operation with operationId `{id}`{hint}")));
            continue;
        }
        if let Some(rename) = &settings.rename {
            let key = at.key("rename");
            if let Some(problem) = names::identifier_problem(rename) {
                problems.push(ConfigProblem::new(key, problem));
            } else if names::CLIENT_METHODS.contains(&rename.as_str())
                || names::SERVER_FUNCTIONS.contains(&rename.as_str())
            {
                problems
                    .push(ConfigProblem::new(key, format!("`{rename}` is a method of the generated client or server")));
            } else if let Some(other) = default_methods.get(rename).filter(|other| **other != id) {
                problems
                    .push(ConfigProblem::new(key, format!("`{rename}` is already the method of operation `{other}`")));
            } else if let Some(other) = method_renames.insert(rename, id) {
                problems
                    .push(ConfigProblem::new(key, format!("`{rename}` is also the new name of operation `{other}`")));
            }
        }
    }

    for (name, dep) in &config.dependencies {
        let key = KeyPath::of(["dependencies", name.as_str()]);
        let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            problems.push(ConfigProblem::new(key, format!("`{name}` is not a package name")));
        } else if super::GENERATED_DEPENDENCIES.contains(&name.as_str()) {
            problems.push(ConfigProblem::new(key, format!("`{name}` is a dependency the generated crate has already")));
        } else {
            tailoring.dependencies.insert(name.clone(), dep.to_toml());
        }
    }

    // Fields and variants need the schema's text; checked before anything is changed.
    for (name, at, settings) in &types {
        let pointer = format!("/components/schemas/{}", escape(name));
        let Some(schema) = doc.pointer(&pointer) else { continue };
        check_members(schema, at, settings, &mut problems);
    }
    select::check(doc, &config.select, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }

    // Written into the document; replacements first, so that selection does not keep what only
    // a replaced schema used.
    for (name, path) in replacements {
        if let Some(schema) = schema_object(doc, &name) {
            schema.insert("x-rust-type".to_owned(), json!({ "path": path }));
        }
    }
    select::select(doc, &config.select, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    for (name, _, settings) in &types {
        let Some(schema) = schema_object(doc, name) else { continue };
        if let Some(rename) = &settings.rename {
            schema.insert("x-rust-name".to_owned(), Value::String(rename.clone()));
        }
        for (wire, rust) in &settings.fields {
            if let Some(property) = property_mut(schema, wire) {
                property.insert("x-rust-name".to_owned(), Value::String(rust.clone()));
            }
        }
        if !settings.variants.is_empty() {
            let values = schema.get("enum").and_then(Value::as_array).cloned().unwrap_or_default();
            let existing = schema.get("x-enum-varnames").and_then(Value::as_array).cloned().unwrap_or_default();
            let names: Vec<Value> = values
                .iter()
                .enumerate()
                .map(|(i, v)| match settings.variants.get(&enum_text(v)) {
                    Some(rust) => Value::String(rust.clone()),
                    None => existing.get(i).cloned().unwrap_or(Value::Null),
                })
                .collect();
            schema.insert("x-enum-varnames".to_owned(), Value::Array(names));
        }
    }
    for (id, settings) in &config.operations {
        let (Some(rename), Some(pointer)) = (&settings.rename, operations.get(id)) else { continue };
        if let Some(op) = doc.pointer_mut(pointer).and_then(Value::as_object_mut) {
            op.insert("x-rust-name".to_owned(), Value::String(rename.clone()));
        }
    }
    Ok(tailoring)
}

/// Checks that the fields and variants a type's settings name are in its schema.
fn check_members(schema: &Value, at: &KeyPath, settings: &TypeSettings, problems: &mut Vec<ConfigProblem>) {
    let properties = property_names(schema);
    let mut taken: BTreeMap<&str, &str> = BTreeMap::new();
    for (wire, rust) in &settings.fields {
        let key = at.key("fields").key(wire);
        if !properties.contains(wire) {
            let hint = did_you_mean(wire, properties.iter().map(String::as_str));
            problems.push(ConfigProblem::new(key, format!("the schema has no property `{wire}`{hint}")));
        } else if let Some(problem) = names::identifier_problem(rust) {
            problems.push(ConfigProblem::new(key, problem));
        } else if let Some(other) = taken.insert(rust, wire) {
            problems.push(ConfigProblem::new(key, format!("`{rust}` is also the new name of property `{other}`")));
        }
    }
    if settings.variants.is_empty() {
        return;
    }
    let Some(values) = schema.get("enum").and_then(Value::as_array) else {
        problems.push(ConfigProblem::new(at.key("variants"), "the schema is not an enum (it has no `enum` list)"));
        return;
    };
    let texts: Vec<String> = values.iter().map(enum_text).collect();
    let mut taken: BTreeMap<&str, &str> = BTreeMap::new();
    for (wire, rust) in &settings.variants {
        let key = at.key("variants").key(wire);
        if !texts.contains(wire) {
            let hint = did_you_mean(wire, texts.iter().map(String::as_str));
            problems.push(ConfigProblem::new(key, format!("`{wire}` is not one of the enum's values{hint}")));
        } else if let Some(problem) = names::type_name_problem(rust) {
            problems.push(ConfigProblem::new(key, problem));
        } else if let Some(other) = taken.insert(rust, wire) {
            problems.push(ConfigProblem::new(key, format!("`{rust}` is also the new name of value `{other}`")));
        }
    }
}

/// An enum value as a configuration key writes it.
fn enum_text(value: &Value) -> String {
    value.as_str().map_or_else(|| value.to_string(), str::to_owned)
}

/// The properties a schema declares itself or through inline `allOf` members.
fn property_names(schema: &Value) -> BTreeSet<String> {
    let mut out: BTreeSet<String> =
        schema.get("properties").and_then(Value::as_object).map(|p| p.keys().cloned().collect()).unwrap_or_default();
    for member in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        if member.get("$ref").is_none() {
            out.extend(property_names(member));
        }
    }
    out
}

/// The schema object of a property the schema declares itself or through inline `allOf` members.
fn property_mut<'a>(schema: &'a mut Map<String, Value>, wire: &str) -> Option<&'a mut Map<String, Value>> {
    if schema.get("properties").and_then(|p| p.get(wire)).is_some() {
        return schema.get_mut("properties")?.get_mut(wire)?.as_object_mut();
    }
    let members = schema.get_mut("allOf")?.as_array_mut()?;
    members
        .iter_mut()
        .filter(|m| m.get("$ref").is_none())
        .filter_map(Value::as_object_mut)
        .find_map(|m| property_mut(m, wire))
}

fn schema_object<'a>(doc: &'a mut Value, name: &str) -> Option<&'a mut Map<String, Value>> {
    doc.pointer_mut(&format!("/components/schemas/{}", escape(name)))?.as_object_mut()
}
