//! Operation selection (`[select]`) and pruning of the components nothing selected reaches, as a
//! transformation of the document.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{ConfigProblem, KeyPath, Select, did_you_mean};
use crate::load::escape;

/// The operation keys of a path item.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The sections of `components` that code can be generated from or that refer to schemas.
const PRUNED: &[&str] = &["schemas", "parameters", "responses", "requestBodies", "headers", "callbacks", "links"];

/// One operation as selection sees it.
struct Op {
    path: String,
    method: &'static str,
    id: Option<String>,
    tags: Vec<String>,
    deprecated: bool,
}

fn operations(doc: &Value) -> Vec<Op> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else { return out };
    for (path, item) in paths {
        for method in METHODS {
            let Some(op) = item.get(*method).and_then(Value::as_object) else { continue };
            let tags = op
                .get("tags")
                .and_then(Value::as_array)
                .map_or_else(Vec::new, |t| t.iter().filter_map(Value::as_str).map(str::to_owned).collect());
            out.push(Op {
                path: path.clone(),
                method,
                id: op.get("operationId").and_then(Value::as_str).map(str::to_owned),
                tags,
                deprecated: op.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
            });
        }
    }
    out
}

/// Checks that every tag, operationId and path glob `select` names matches something.
pub(super) fn check(doc: &Value, select: &Select, problems: &mut Vec<ConfigProblem>) {
    if select.is_empty() {
        return;
    }
    let ops = operations(doc);
    let key = KeyPath::of(["select"]);
    let mut tags: BTreeSet<&str> = ops.iter().flat_map(|o| o.tags.iter().map(String::as_str)).collect();
    if let Some(list) = doc.get("tags").and_then(Value::as_array) {
        tags.extend(list.iter().filter_map(|t| t.get("name")?.as_str()));
    }
    let ids: BTreeSet<&str> = ops.iter().filter_map(|o| o.id.as_deref()).collect();
    let paths: BTreeSet<&str> = ops.iter().map(|o| o.path.as_str()).collect();
    for (field, list) in [("tags", &select.tags), ("exclude-tags", &select.exclude_tags)] {
        for (i, tag) in list.iter().enumerate() {
            if !tags.contains(tag.as_str()) {
                let hint = did_you_mean(tag, tags.iter().copied());
                problems.push(ConfigProblem::new(
                    key.key(field).index(i),
                    format!("no operation has the tag `{tag}`{hint}"),
                ));
            }
        }
    }
    for (field, list) in [("operations", &select.operations), ("exclude-operations", &select.exclude_operations)] {
        for (i, id) in list.iter().enumerate() {
            if !ids.contains(id.as_str()) {
                let hint = did_you_mean(id, ids.iter().copied());
                problems.push(ConfigProblem::new(
                    key.key(field).index(i),
                    format!("no operation has the operationId `{id}`{hint}"),
                ));
            }
        }
    }
    for (field, list) in [("paths", &select.paths), ("exclude-paths", &select.exclude_paths)] {
        for (i, glob) in list.iter().enumerate() {
            if !glob.starts_with('/') {
                problems.push(ConfigProblem::new(
                    key.key(field).index(i),
                    format!("`{glob}` is not a path glob: it starts with `/`"),
                ));
            } else if !paths.iter().any(|p| glob_matches(glob, p)) {
                problems.push(ConfigProblem::new(key.key(field).index(i), format!("`{glob}` matches no path")));
            }
        }
    }
}

/// Keeps the operations `select` selects (checked by [`check`]), then (unless told otherwise)
/// removes the components they do not reach. Keeping none is a problem, and changes nothing.
pub(super) fn select(doc: &mut Value, select: &Select, problems: &mut Vec<ConfigProblem>) {
    if select.is_empty() {
        return;
    }
    let ops = operations(doc);
    let key = KeyPath::of(["select"]);
    let includes = !(select.tags.is_empty() && select.operations.is_empty() && select.paths.is_empty());
    let keep = |op: &Op| {
        let has_tag = |list: &[String]| op.tags.iter().any(|t| list.contains(t));
        let has_id = |list: &[String]| op.id.as_ref().is_some_and(|id| list.contains(id));
        let on_path = |list: &[String]| list.iter().any(|g| glob_matches(g, &op.path));
        let included = !includes || has_tag(&select.tags) || has_id(&select.operations) || on_path(&select.paths);
        let excluded =
            has_tag(&select.exclude_tags) || has_id(&select.exclude_operations) || on_path(&select.exclude_paths);
        included && !excluded && (select.deprecated != Some(false) || !op.deprecated)
    };
    let mut dropped: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut kept = 0usize;
    for op in &ops {
        if keep(op) {
            kept += 1;
        } else {
            dropped.entry(op.path.as_str()).or_default().push(op.method);
        }
    }
    if kept == 0 {
        problems.push(ConfigProblem::new(key, format!("selects none of the document's {} operations", ops.len())));
        return;
    }
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, methods) in dropped {
            let Some(item) = paths.get_mut(path).and_then(Value::as_object_mut) else { continue };
            for method in methods {
                item.remove(method);
            }
            if !METHODS.iter().any(|m| item.contains_key(*m)) {
                paths.remove(path);
            }
        }
    }
    if !select.keep_unused_schemas {
        prune(doc);
    }
}

/// Removes the components that nothing under `paths` reaches through `$ref`s (or discriminator
/// mappings), directly or through other components (not through a schema replaced by a Rust
/// type, which generates nothing).
fn prune(doc: &mut Value) {
    let mut reached: BTreeSet<(String, String)> = BTreeSet::new();
    let mut stack: Vec<&Value> = doc.get("paths").into_iter().collect();
    while let Some(node) = stack.pop() {
        let mut refs = Vec::new();
        references(node, &mut refs);
        for reference in refs {
            let Some((section, name)) = component_of(&reference) else { continue };
            if let Some(target) = doc.pointer(&format!("/components/{}/{}", section, escape(&name))) {
                // A schema replaced by a Rust type is kept, but what only it used is not.
                if reached.insert((section, name)) && target.get("x-rust-type").is_none() {
                    stack.push(target);
                }
            }
        }
    }
    let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) else { return };
    for section in PRUNED {
        if let Some(entries) = components.get_mut(*section).and_then(Value::as_object_mut) {
            entries.retain(|name, _| reached.contains(&((*section).to_owned(), name.clone())));
        }
    }
}

/// Every `$ref` string in `node`, and every discriminator mapping value that is a reference.
fn references(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    ("mapping", Value::Object(m)) => {
                        out.extend(
                            m.values().filter_map(Value::as_str).filter(|r| r.starts_with('#')).map(str::to_owned),
                        );
                        references(value, out);
                    }
                    _ => references(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

/// The component section and name a local reference points into.
fn component_of(reference: &str) -> Option<(String, String)> {
    let fragment = reference.strip_prefix("#/components/")?;
    let decoded = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
    let mut parts = decoded.split('/');
    let section = parts.next()?;
    let name = parts.next()?.replace("~1", "/").replace("~0", "~");
    Some((section.to_owned(), name))
}

/// Whether a path template matches a glob: `*` is any text within one segment, `**` any number
/// of whole segments; everything else, braces included, is literal. (Glob crates read `{a,b}` as
/// alternatives, which path templates' `{id}` would trip over.)
pub(super) fn glob_matches(glob: &str, path: &str) -> bool {
    let pattern: Vec<&str> = glob.split('/').collect();
    let segments: Vec<&str> = path.split('/').collect();
    segments_match(&pattern, &segments)
}

fn segments_match(pattern: &[&str], segments: &[&str]) -> bool {
    match pattern.split_first() {
        None => segments.is_empty(),
        Some((&"**", rest)) => (0..=segments.len()).any(|skip| segments_match(rest, &segments[skip..])),
        Some((first, rest)) => {
            segments.split_first().is_some_and(|(s, tail)| segment_matches(first, s) && segments_match(rest, tail))
        }
    }
}

fn segment_matches(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            let Some(rest) = text.strip_prefix(head) else { return false };
            (0..=rest.len()).filter(|i| rest.is_char_boundary(*i)).any(|i| segment_matches(tail, &rest[i..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::glob_matches;

    #[test]
    fn globs_match_within_and_across_segments() {
        assert!(glob_matches("/api/organizations/*/roles/", "/api/organizations/{organization_id}/roles/"));
        assert!(glob_matches("/api/**/roles/**", "/api/organizations/{organization_id}/roles/{id}/"));
        assert!(glob_matches("/api/**", "/api/"));
        assert!(glob_matches("/a/{id}*", "/a/{id}.json"));
        assert!(!glob_matches("/api/*/roles/", "/api/organizations/x/roles/"));
        assert!(!glob_matches("/api/roles", "/api/roles/"));
        assert!(glob_matches("/api/roles/**", "/api/roles/"));
    }
}
