//! OpenAPI Overlay 1.0: a document of actions (a JSONPath `target`, then `update` or `remove`)
//! applied to an OpenAPI document before anything else reads it, the standard way to correct a
//! document one does not own.

use serde_json::Value;
use serde_json_path::JsonPath;

use crate::error::{Diagnostic, Error};
use crate::load;

/// Applies an overlay (YAML or JSON text) to a parsed document, in action order. Targets that
/// match nothing are reported as warnings; a malformed overlay is an error.
pub fn apply(doc: &mut Value, overlay_name: &str, text: &str) -> Result<Vec<Diagnostic>, Error> {
    let overlay = load::parse(overlay_name, text)?;
    let invalid = |pointer: &str, message: String| Error::Invalid {
        source_name: overlay_name.to_owned(),
        diagnostics: vec![Diagnostic::error(pointer, message)],
    };
    match overlay.get("overlay").and_then(Value::as_str) {
        Some(v) if v.starts_with("1.") => {}
        _ => return Err(invalid("#/overlay", "not an Overlay 1.x document (`overlay: 1.0.0` missing)".to_owned())),
    }
    let Some(actions) = overlay.get("actions").and_then(Value::as_array) else {
        return Err(invalid("#/actions", "an overlay needs a list of `actions`".to_owned()));
    };
    let mut warnings = Vec::new();
    for (i, action) in actions.iter().enumerate() {
        let pointer = format!("#/actions/{i}");
        let Some(target) = action.get("target").and_then(Value::as_str) else {
            return Err(invalid(&pointer, "an action needs a `target`".to_owned()));
        };
        let path = JsonPath::parse(target)
            .map_err(|e| invalid(&format!("{pointer}/target"), format!("bad JSONPath `{target}`: {e}")))?;
        let mut locations: Vec<String> = path.query_located(doc).locations().map(|l| l.to_json_pointer()).collect();
        if locations.is_empty() {
            warnings.push(Diagnostic::warning(
                format!("{overlay_name}{pointer}"),
                format!("target `{target}` matches nothing"),
            ));
            continue;
        }
        if action.get("remove").and_then(Value::as_bool) == Some(true) {
            // Deepest and last first, so removing one does not move the others: array indices
            // compare as numbers (`/x/10` after `/x/2`).
            locations.sort_by_cached_key(|location| pointer_key(location));
            for location in locations.iter().rev() {
                remove(doc, location);
            }
        } else if let Some(update) = action.get("update") {
            for location in &locations {
                if let Some(node) = doc.pointer_mut(location) {
                    merge(node, update);
                }
            }
        }
    }
    Ok(warnings)
}

/// Overlay merge: objects merge key by key (recursively), an array target gets the update
/// appended, anything else is replaced.
fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(t), Value::Object(u)) => {
            for (k, v) in u {
                match t.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => merge(existing, v),
                    _ => {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(t), Value::Array(u)) => t.extend(u.iter().cloned()),
        (Value::Array(t), u) => t.push(u.clone()),
        (t, u) => *t = u.clone(),
    }
}

/// A JSON pointer as a sort key: its segments in order, indices by number before names by text.
fn pointer_key(location: &str) -> Vec<(Option<usize>, String)> {
    location
        .split('/')
        .map(|segment| match segment.parse::<usize>() {
            Ok(index) => (Some(index), String::new()),
            Err(_) => (None, segment.to_owned()),
        })
        .collect()
}

fn remove(doc: &mut Value, location: &str) {
    let Some((parent, last)) = location.rsplit_once('/') else { return };
    let key = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>()
                && i < items.len()
            {
                items.remove(i);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn updates_merge_and_removes_remove() {
        let mut doc = json!({
            "components": {"schemas": {"Role": {"properties": {
                "members": {"type": "string", "readOnly": true},
                "is_default": {"type": "string"},
                "name": {"type": "string"}
            }, "required": ["name"]}}}
        });
        let overlay = r#"
overlay: 1.0.0
info: {title: t, version: "1"}
actions:
  - target: $.components.schemas.Role.properties.is_default
    update: {type: boolean}
  - target: $.components.schemas.Role.properties.members
    remove: true
  - target: $.components.schemas.Role.required
    update: [members]
  - target: $.paths.nothing
    update: {x: 1}
"#;
        let warnings = apply(&mut doc, "o.yaml", overlay).expect("applies");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(
            doc,
            json!({"components": {"schemas": {"Role": {"properties": {
                "is_default": {"type": "boolean"},
                "name": {"type": "string"}
            }, "required": ["name", "members"]}}}})
        );
    }

    #[test]
    fn removing_many_array_items_removes_each_of_them() {
        let required: Vec<String> = (0..12).map(|i| format!("f{i}")).collect();
        let mut doc = json!({"components": {"schemas": {"E": {"required": required}}}});
        let all = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  \
                   - {target: '$.components.schemas.E.required[*]', remove: true}\n";
        apply(&mut doc, "o.yaml", all).expect("applies");
        assert_eq!(doc["components"]["schemas"]["E"]["required"], json!([]));

        // Some items, past the tenth among them, and two overlays applied in order.
        let required: Vec<String> = (0..12).map(|i| format!("f{i}")).collect();
        let mut doc = json!({"components": {"schemas": {"E": {"required": required}}}});
        let first = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  \
                     - {target: '$.components.schemas.E.required[2,10,11]', remove: true}\n";
        let second = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  \
                      - {target: '$.components.schemas.E.required[0]', remove: true}\n";
        apply(&mut doc, "first.yaml", first).expect("applies");
        apply(&mut doc, "second.yaml", second).expect("applies");
        let want: Vec<String> = [1, 3, 4, 5, 6, 7, 8, 9].iter().map(|i| format!("f{i}")).collect();
        assert_eq!(doc["components"]["schemas"]["E"]["required"], json!(want));
    }

    #[test]
    fn malformed_overlays_are_errors() {
        let mut doc = json!({});
        assert!(apply(&mut doc, "o.yaml", "info: {}\nactions: []\n").is_err());
        assert!(apply(&mut doc, "o.yaml", "overlay: 1.0.0\nactions:\n  - target: '$[?'\n    remove: true\n").is_err());
    }
}
