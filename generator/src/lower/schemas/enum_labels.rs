//! `enum` keywords: string and integer enums become enum types; drf-spectacular's value labels
//! (``* `8` - administrator`` lines in the description) document the variants and name those of
//! integer enums.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::super::shape::Shape;
use super::{Classified, Lowered};
use crate::ir::{Enum, EnumRepr, EnumValue, Ty, TypeKind, Variant};
use crate::names::{Scope, variant};

/// Parses drf-spectacular's value labels from a description: lines like ``* `8` - administrator``.
fn labels(description: Option<&str>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in description.unwrap_or_default().lines() {
        let Some(rest) = line.trim_start().strip_prefix("* `") else { continue };
        let Some((value, label)) = rest.split_once("` - ") else { continue };
        out.insert(value.to_owned(), label.trim().to_owned());
    }
    out
}

/// A schema with an `enum`: an enum type for strings or integers, else the plain type of its
/// values; a `null` value makes it nullable.
pub(super) fn classify_enum(shape: &Shape<'_>) -> Classified {
    let nullable = shape.schema.schema_data.nullable || shape.enumeration.iter().any(Value::is_null);
    let values: Vec<&Value> = shape.enumeration.iter().filter(|v| !v.is_null()).collect();
    let ty = |ty: Ty| Classified::Ty(Lowered { ty, nullable, blank_is_null: false });
    if values.is_empty() {
        return ty(Ty::Unit);
    }
    let repr = if values.iter().all(|v| v.is_string()) {
        EnumRepr::String
    } else if values.iter().all(|v| v.is_i64()) {
        EnumRepr::Integer
    } else if values.iter().all(|v| v.is_boolean()) {
        return ty(Ty::Bool);
    } else if values.iter().all(|v| v.is_number()) {
        return ty(Ty::F64);
    } else {
        return ty(Ty::Any);
    };
    let labels = labels(shape.schema.schema_data.description.as_deref());
    let mut scope = Scope::new();
    let mut seen = BTreeSet::new();
    let mut variants = Vec::new();
    for v in values {
        let (value, text) = match v {
            Value::String(s) => (EnumValue::Str(s.clone()), s.clone()),
            other => (EnumValue::Int(other.as_i64().unwrap_or_default()), other.to_string()),
        };
        if !seen.insert(text.clone()) {
            continue;
        }
        let label = labels.get(&text).cloned();
        let base = match (&label, repr) {
            (Some(l), EnumRepr::Integer) => variant(l),
            _ => variant(&text),
        };
        variants.push(Variant { name: scope.claim(&base), value, label });
    }
    let unknown = scope.claim("Unknown");
    Classified::Kind(TypeKind::Enum(Enum { repr, variants, unknown }))
}

#[cfg(test)]
mod tests {
    use super::super::{lower_yaml, type_named};
    use super::labels;
    use crate::ir::{EnumRepr, EnumValue, TypeKind};

    #[test]
    fn labels_are_read_from_drf_spectacular_lines() {
        let description = "Role of the member.\n\n* `1` - member\n* `8` - administrator\nnot a label";
        let labels = labels(Some(description));
        assert_eq!(labels.len(), 2);
        assert_eq!(labels.get("8").map(String::as_str), Some("administrator"));
    }

    #[test]
    fn integer_variants_are_named_by_their_labels() {
        let (api, _) = lower_yaml(
            r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Level:
      type: integer
      enum: [1, 8, 8]
      description: "* `1` - member\n* `8` - administrator"
    Kind:
      type: string
      enum: [a-b, c]
      description: "* `a-b` - first kind"
"##,
        );
        let TypeKind::Enum(level) = &type_named(&api, "Level").kind else { panic!("Level is an enum") };
        assert_eq!(level.repr, EnumRepr::Integer);
        let variants: Vec<(&str, &EnumValue, Option<&str>)> =
            level.variants.iter().map(|v| (v.name.as_str(), &v.value, v.label.as_deref())).collect();
        assert_eq!(
            variants,
            [
                ("Member", &EnumValue::Int(1), Some("member")),
                ("Administrator", &EnumValue::Int(8), Some("administrator")),
            ],
            "the repeated 8 is dropped"
        );
        let TypeKind::Enum(kind) = &type_named(&api, "Kind").kind else { panic!("Kind is an enum") };
        assert_eq!(kind.variants[0].name, "AB", "string variants keep their value's name");
        assert_eq!(kind.variants[0].label.as_deref(), Some("first kind"));
    }
}
