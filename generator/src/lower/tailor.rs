//! Configured derives and attributes, put on the types they are asked for, after a check that
//! the types' fields can satisfy the derives rustc would otherwise refuse.

use crate::config::{ConfigProblem, KeyPath, Tailoring};
use crate::ir::{Api, Ty, TypeId, TypeKind};

/// Traits the check knows; any other derive is passed on as written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Known {
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Copy,
}

impl Known {
    fn of(derive: &str) -> Option<Self> {
        let last = derive.rsplit("::").next().unwrap_or(derive).trim();
        Some(match last {
            "Eq" => Self::Eq,
            "Hash" => Self::Hash,
            "PartialOrd" => Self::PartialOrd,
            "Ord" => Self::Ord,
            "Copy" => Self::Copy,
            _ => return None,
        })
    }

    /// Why a type expression (not a named type) cannot have this trait, if it cannot.
    fn refuses(self, ty: &Ty) -> Option<&'static str> {
        match (self, ty) {
            (Self::Eq | Self::Hash | Self::Ord, Ty::F32) => Some("f32"),
            (Self::Eq | Self::Hash | Self::Ord, Ty::F64) => Some("f64"),
            (Self::PartialOrd | Self::Ord, Ty::Any) => Some("serde_json::Value"),
            (Self::Copy, Ty::String) => Some("String"),
            (Self::Copy, Ty::Any) => Some("serde_json::Value"),
            (Self::Copy, Ty::Base64 | Ty::Binary) => Some("a byte buffer"),
            (Self::Copy, Ty::Vec(_)) => Some("a Vec"),
            (Self::Copy, Ty::Map(_)) => Some("a map"),
            _ => None,
        }
    }
}

/// Puts the configured derives and attributes on their types: `[models]` on every struct, enum
/// and union; a type's own on the types of its schema (every view) and, for derives, on the
/// generated types they contain. A derive that a field cannot satisfy is a problem naming it.
pub(crate) fn tailor(api: &mut Api, tailoring: &Tailoring) -> Vec<ConfigProblem> {
    let mut problems = Vec::new();
    let mut wanted: Vec<Vec<(String, KeyPath)>> = vec![Vec::new(); api.types.len()];
    let mut attributes: Vec<Vec<String>> = vec![Vec::new(); api.types.len()];
    for (i, def) in api.types.iter().enumerate() {
        if derivable(&def.kind) {
            wanted[i].extend(tailoring.derive.iter().cloned());
            attributes[i].extend(tailoring.attributes.iter().cloned());
        }
    }
    for (schema, settings) in &tailoring.types {
        let roots: Vec<Ty> = (0..api.types.len())
            .filter(|i| api.types[*i].wire_name.as_deref() == Some(schema.as_str()))
            .map(|i| Ty::Named(TypeId(i)))
            .collect();
        for root in &roots {
            if let Ty::Named(id) = root {
                attributes[id.0].extend(settings.attributes.iter().cloned());
            }
        }
        let reached = api.reachable(roots.iter());
        for (i, hit) in reached.into_iter().enumerate() {
            if hit && derivable(&api.types[i].kind) {
                wanted[i].extend(settings.derive.iter().cloned());
            }
        }
    }
    // One problem per asking key: the first type (in the order of the models module) that
    // cannot have the derive, which is the one asked for or the first one it contains.
    for (i, derives) in wanted.iter().enumerate() {
        for (derive, key) in derives {
            let Some(known) = Known::of(derive) else { continue };
            if problems.iter().any(|p: &ConfigProblem| &p.key == key) {
                continue;
            }
            if let Some(why) = blocker(api, TypeId(i), known, &mut Vec::new()) {
                let name = &api.types[i].name;
                problems
                    .push(ConfigProblem::new(key.clone(), format!("`{derive}` cannot be derived for `{name}`: {why}")));
            }
        }
    }
    if !problems.is_empty() {
        return problems;
    }
    for ((def, derives), attributes) in api.types.iter_mut().zip(wanted).zip(attributes) {
        for (derive, _) in derives {
            if !def.derives.contains(&derive) {
                def.derives.push(derive);
            }
        }
        for attribute in attributes {
            if !def.attributes.contains(&attribute) {
                def.attributes.push(attribute);
            }
        }
    }
    problems
}

/// Whether a kind is emitted as a type that can take derives (not a `type` alias).
fn derivable(kind: &TypeKind) -> bool {
    matches!(kind, TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::Union(_))
}

/// What stops the named type from having the trait: the field (or variant) and its type.
fn blocker(api: &Api, id: TypeId, known: Known, visiting: &mut Vec<TypeId>) -> Option<String> {
    if visiting.contains(&id) {
        return None;
    }
    visiting.push(id);
    let def = api.ty(id);
    let found = match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| (format!("field `{}`", f.name), &f.ty))
            .chain(s.additional.iter().map(|t| ("the additional properties".to_owned(), t)))
            .find_map(|(what, ty)| ty_blocker(api, ty, known, visiting).map(|why| format!("{what} {why}"))),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .map(|v| (v.name.as_str(), &v.ty))
            .chain(u.unknown.as_deref().map(|name| (name, &Ty::Any)))
            .find_map(|(name, ty)| ty_blocker(api, ty, known, visiting).map(|why| format!("variant `{name}` {why}"))),
        TypeKind::Enum(_) => (known == Known::Copy).then(|| "it keeps unknown values as a String".to_owned()),
        TypeKind::Alias(t) | TypeKind::NullableAlias(t) => ty_blocker(api, t, known, visiting),
    };
    visiting.pop();
    found
}

fn ty_blocker(api: &Api, ty: &Ty, known: Known, visiting: &mut Vec<TypeId>) -> Option<String> {
    if let Some(rust) = known.refuses(ty) {
        return Some(format!("is `{rust}`"));
    }
    match ty {
        Ty::Vec(inner) | Ty::Map(inner) => ty_blocker(api, inner, known, visiting),
        Ty::Named(id) => {
            let inner = blocker(api, *id, known, visiting)?;
            Some(format!("is `{}`, whose {inner}", api.ty(*id).name))
        }
        _ => None,
    }
}
