//! `enum` keywords: string and integer enums become enum types; drf-spectacular's value labels
//! (``* `8` - administrator`` lines in the description) document the variants and name those of
//! integer enums.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::super::shape::Shape;
use super::{Classified, Lowered};
use crate::error::Diagnostic;
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

/// The entries of a list extension beside `enum` (`x-enum-varnames`, `x-enum-descriptions`),
/// by position; `null` or a missing entry gives none.
fn aligned(shape: &Shape<'_>, key: &str) -> Vec<Option<String>> {
    let list = shape.schema.schema_data.extensions.get(key).and_then(Value::as_array);
    let entry = |i: usize| list.and_then(|l| l.get(i)).and_then(Value::as_str).map(str::to_owned);
    (0..shape.enumeration.len()).map(entry).collect()
}

/// A schema with an `enum`: an enum type for strings or integers, else the plain type of its
/// values; a `null` value makes it nullable. Variants are named by `x-enum-varnames` where it
/// names them (and documented by `x-enum-descriptions`, else by drf-spectacular's labels).
pub(super) fn classify_enum(shape: &Shape<'_>, pointer: &str, diagnostics: &mut Vec<Diagnostic>) -> Classified {
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
    let descriptions = aligned(shape, "x-enum-descriptions");
    let mut given = aligned(shape, "x-enum-varnames");
    let mut scope = Scope::new();
    // Given names first, so a default name never takes one.
    for (i, name) in given.iter_mut().enumerate() {
        let Some(rust) = name.as_deref() else { continue };
        let problem = match crate::names::type_name_problem(rust) {
            Some(problem) => problem,
            None if scope.is_free(rust) => {
                scope.claim(rust);
                continue;
            }
            None => format!("`{rust}` names another value of the enum too"),
        };
        diagnostics.push(Diagnostic::error(format!("{pointer}/x-enum-varnames/{i}"), problem));
        *name = None;
    }
    let mut seen = BTreeSet::new();
    let mut variants = Vec::new();
    for (i, v) in shape.enumeration.iter().enumerate().filter(|(_, v)| !v.is_null()) {
        let (value, text) = match v {
            Value::String(s) => (EnumValue::Str(s.clone()), s.clone()),
            other => (EnumValue::Int(other.as_i64().unwrap_or_default()), other.to_string()),
        };
        if !seen.insert(text.clone()) {
            continue;
        }
        let label = descriptions[i].clone().or_else(|| labels.get(&text).cloned());
        let name = match (given[i].take(), labels.get(&text), repr) {
            (Some(rust), _, _) => rust,
            (None, Some(l), EnumRepr::Integer) => scope.claim(&variant(l)),
            (None, _, _) => scope.claim(&variant(&text)),
        };
        variants.push(Variant { name, value, label });
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
