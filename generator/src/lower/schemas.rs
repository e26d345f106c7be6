//! Schemas to named types and type expressions.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde::Deserialize;
use serde_json::Value;

use super::direction::{Directions, skipped_in};
use super::shape::Shape;
use super::{Components, Lowerer, ref_name};
use crate::error::Diagnostic;
use crate::ir::{
    Constraints, Docs, Enum, EnumRepr, EnumValue, Field, Struct, Ty, TypeDef, TypeId, TypeKind, Union,
    UnionVariant, Variant, View,
};
use crate::load::escape;
use crate::names::{Scope, pascal, snake, variant};

/// How deep inline schemas may nest before lowering gives up on one.
const MAX_INLINE_DEPTH: usize = 48;

/// A lowered schema: its type plus what it says about `null` and `""`.
#[derive(Debug, Clone)]
pub(crate) struct Lowered {
    pub ty: Ty,
    pub nullable: bool,
    pub blank_is_null: bool,
}

impl Lowered {
    fn of(ty: Ty) -> Self {
        Self { ty, nullable: false, blank_is_null: false }
    }
}

/// What a schema needs: a named type of its own, or a type expression.
enum Classified {
    Kind(TypeKind),
    Ty(Lowered),
}

/// The view to use for a component referred to from a type lowered in `view`.
fn pick_view(types: &BTreeMap<(String, View), TypeId>, name: &str, view: View) -> Option<TypeId> {
    let order = match view {
        View::Request => [View::Request, View::Both, View::Response],
        View::Response | View::Both => [View::Response, View::Both, View::Request],
    };
    order.iter().find_map(|v| types.get(&(name.to_owned(), *v)).copied())
}

fn docs_of(data: &openapiv3::SchemaData) -> Docs {
    Docs { title: data.title.clone(), description: data.description.clone(), deprecated: data.deprecated }
}

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

/// Follows a chain of component refs (`A: {$ref: B}`, `B: {$ref: C}`) to the schema at its end.
pub(crate) fn resolve_schema<'c>(c: &'c Components, reference: &str) -> Option<(&'c str, &'c Schema)> {
    let mut name = ref_name(reference, "schemas")?;
    for _ in 0..64 {
        let (key, schema) = c.schemas.get_key_value(&name)?;
        match schema {
            ReferenceOr::Item(s) => return Some((key.as_str(), s)),
            ReferenceOr::Reference { reference } => name = ref_name(reference, "schemas")?,
        }
    }
    None
}

/// Whether a schema admits only `null` (`{enum: [null]}`, `{type: "null"}`).
fn is_null_only(s: &Schema) -> bool {
    let shape = Shape::of(s);
    shape.typ == Some("null")
        || (!shape.enumeration.is_empty() && shape.enumeration.iter().all(Value::is_null) && shape.properties.is_none())
}

/// Whether a schema admits only the empty string (`{enum: ['']}`).
fn is_blank_only(s: &Schema) -> bool {
    let shape = Shape::of(s);
    !shape.enumeration.is_empty() && shape.enumeration.iter().all(|v| v.as_str() == Some(""))
}

impl Lowerer<'_> {
    /// Claims the Rust names of every component schema in every view it has: plain names first,
    /// so a component called `WidgetRequest` keeps its name and the split view gets a suffix.
    pub(crate) fn declare_component_types(&mut self, c: &Components, dirs: &Directions) {
        let mut second = Vec::new();
        for name in c.schemas.keys() {
            let views = dirs.views(name);
            let rust = self.type_names.claim_type(&pascal(name));
            self.declare(name, views[0], rust);
            second.extend(views.into_iter().skip(1).map(|v| (name, v)));
        }
        for (name, view) in second {
            let rust = self.type_names.claim_type(&format!("{}Request", pascal(name)));
            self.declare(name, view, rust);
        }
    }

    fn declare(&mut self, name: &str, view: View, rust: String) {
        let id = self.add_type(TypeDef {
            name: rust,
            wire_name: Some(name.to_owned()),
            pointer: format!("#/components/schemas/{}", escape(name)),
            view,
            docs: Docs::default(),
            kind: TypeKind::Alias(Ty::Any),
            features: Vec::new(),
        });
        self.component_types.insert((name.to_owned(), view), id);
    }

    /// Lowers every declared component type.
    pub(crate) fn lower_component_types(&mut self, c: &Components) {
        let declared: Vec<((String, View), TypeId)> =
            self.component_types.iter().map(|(k, v)| (k.clone(), *v)).collect();
        for ((name, view), id) in declared {
            let Some(schema) = c.schemas.get(&name) else { continue };
            let rust = self.types[id.0].name.clone();
            let pointer = self.types[id.0].pointer.clone();
            let (kind, docs) = match schema {
                ReferenceOr::Reference { reference } => {
                    (TypeKind::Alias(self.lower_ref(c, reference, view, &pointer).ty), Docs::default())
                }
                ReferenceOr::Item(s) => {
                    let kind = match self.classify(c, s, view, &rust, &pointer) {
                        Classified::Kind(kind) => kind,
                        // Nullability travels with each reference (see `lower_ref`), not in the alias.
                        Classified::Ty(l) => TypeKind::Alias(l.ty),
                    };
                    (kind, docs_of(&s.schema_data))
                }
            };
            let def = &mut self.types[id.0];
            def.kind = kind;
            def.docs = docs;
        }
    }

    /// Lowers a `$ref`.
    pub(crate) fn lower_ref(&mut self, c: &Components, reference: &str, view: View, pointer: &str) -> Lowered {
        if !reference.starts_with('#') {
            self.diagnostics.push(Diagnostic::warning(
                pointer,
                format!("external reference `{reference}` is not supported; it becomes serde_json::Value"),
            ));
            return Lowered::of(Ty::Any);
        }
        let Some(name) = ref_name(reference, "schemas") else {
            return self.lower_pointer_ref(c, reference, view, pointer);
        };
        let Some(id) = pick_view(&self.component_types, &name, view) else {
            self.diagnostics.push(Diagnostic::error(pointer, format!("reference `{reference}` points at nothing")));
            return Lowered::of(Ty::Any);
        };
        let nullable = resolve_schema(c, reference).is_some_and(|(_, s)| s.schema_data.nullable);
        Lowered { ty: Ty::Named(id), nullable, blank_is_null: false }
    }

    /// Lowers a `$ref` to a schema somewhere else than directly under `components/schemas`
    /// (`#/components/schemas/A/properties/b`, `#/paths/...`): the schema there gets a named
    /// type of its own, made once per reference.
    fn lower_pointer_ref(&mut self, c: &Components, reference: &str, view: View, pointer: &str) -> Lowered {
        match self.pointer_types.get(reference) {
            Some(None) => {
                self.diagnostics.push(Diagnostic::warning(
                    pointer,
                    format!("`{reference}` is a chain of references that loops; it becomes serde_json::Value"),
                ));
                return Lowered::of(Ty::Any);
            }
            Some(Some(id)) => return Lowered::of(Ty::Named(*id)),
            None => {}
        }
        // A fragment is a URI part, so `{` may be spelled `%7B`.
        let decoded = percent_encoding::percent_decode_str(reference.trim_start_matches('#')).decode_utf8_lossy();
        let target = self.doc.pointer(&decoded).map(ReferenceOr::<Schema>::deserialize);
        let schema = match target {
            Some(Ok(ReferenceOr::Item(schema))) => schema,
            Some(Ok(ReferenceOr::Reference { reference: next })) if next != reference => {
                // Placeholder first, so a chain that loops back ends here.
                self.pointer_types.insert(reference.to_owned(), None);
                let l = self.lower_ref(c, &next, view, pointer);
                self.pointer_types.remove(reference);
                return l;
            }
            Some(Err(e)) => {
                self.diagnostics.push(Diagnostic::warning(
                    pointer,
                    format!("cannot read the schema at `{reference}` ({e}); it becomes serde_json::Value"),
                ));
                return Lowered::of(Ty::Any);
            }
            _ => {
                self.diagnostics.push(Diagnostic::error(pointer, format!("reference `{reference}` points at nothing")));
                return Lowered::of(Ty::Any);
            }
        };
        let segments: Vec<&str> = reference.trim_start_matches("#/").split('/').collect();
        let owner = match segments.as_slice() {
            ["components", _, owner, ..] => pascal(&owner.replace("~1", "/").replace("~0", "~")),
            _ => String::new(),
        };
        let last = segments.last().map(|s| pascal(&s.replace("~1", "/").replace("~0", "~"))).unwrap_or_default();
        let name = self.type_names.claim_type(&format!("{owner}{last}"));
        let id = self.add_type(TypeDef {
            name: name.clone(),
            wire_name: None,
            pointer: reference.to_owned(),
            view,
            docs: docs_of(&schema.schema_data),
            kind: TypeKind::Alias(Ty::Any),
            features: Vec::new(),
        });
        self.pointer_types.insert(reference.to_owned(), Some(id));
        let kind = match self.classify(c, &schema, view, &name, reference) {
            Classified::Kind(kind) => kind,
            Classified::Ty(l) => TypeKind::Alias(l.ty),
        };
        self.types[id.0].kind = kind;
        Lowered { ty: Ty::Named(id), nullable: schema.schema_data.nullable, blank_is_null: false }
    }

    /// Lowers a schema or ref in a position that takes a type expression; inline objects, enums
    /// and unions become named types called `hint`.
    pub(crate) fn lower(&mut self, c: &Components, schema: &ReferenceOr<Schema>, view: View, hint: &str, pointer: &str) -> Lowered {
        match schema {
            ReferenceOr::Reference { reference } => self.lower_ref(c, reference, view, pointer),
            ReferenceOr::Item(s) => self.lower_inline(c, s, view, hint, pointer),
        }
    }

    fn lower_boxed(&mut self, c: &Components, schema: &ReferenceOr<Box<Schema>>, view: View, hint: &str, pointer: &str) -> Lowered {
        match schema {
            ReferenceOr::Reference { reference } => self.lower_ref(c, reference, view, pointer),
            ReferenceOr::Item(s) => self.lower_inline(c, s, view, hint, pointer),
        }
    }

    fn lower_inline(&mut self, c: &Components, s: &Schema, view: View, hint: &str, pointer: &str) -> Lowered {
        // Inline schemas nest only as deep as the document does, except when allOf merges copy a
        // recursive component's properties inline again and again; stop there.
        if self.inline_depth >= MAX_INLINE_DEPTH {
            self.diagnostics.push(Diagnostic::warning(
                pointer,
                format!("inline schemas nest more than {MAX_INLINE_DEPTH} deep (a recursive allOf?); this one becomes serde_json::Value"),
            ));
            return Lowered::of(Ty::Any);
        }
        self.inline_depth += 1;
        let classified = self.classify(c, s, view, hint, pointer);
        self.inline_depth -= 1;
        match classified {
            Classified::Ty(l) => l,
            Classified::Kind(kind) => {
                let name = self.type_names.claim_type(hint);
                let nullable = s.schema_data.nullable;
                let id = self.add_type(TypeDef {
                    name,
                    wire_name: None,
                    pointer: pointer.to_owned(),
                    view,
                    docs: docs_of(&s.schema_data),
                    kind,
                    features: Vec::new(),
                });
                Lowered { ty: Ty::Named(id), nullable, blank_is_null: false }
            }
        }
    }

    /// Decides what a schema becomes. `name` is the name its own type gets (and the prefix of the
    /// names of its inline parts).
    fn classify(&mut self, c: &Components, s: &Schema, view: View, name: &str, pointer: &str) -> Classified {
        let shape = Shape::of(s);
        let nullable = s.schema_data.nullable;
        let with_null = |mut l: Lowered| {
            l.nullable |= nullable;
            Classified::Ty(l)
        };

        if !shape.all_of.is_empty() {
            // Members that only annotate (`{description: ..}`, `{nullable: true}`) add nothing to
            // merge: `allOf: [{$ref: X}, {description: ..}]` is X.
            let substantive: Vec<(usize, &ReferenceOr<Schema>)> = shape
                .all_of
                .iter()
                .enumerate()
                .filter(|(_, m)| !matches!(m, ReferenceOr::Item(i) if Shape::of(i).is_empty()))
                .collect();
            let annotated_nullable = shape.all_of.iter().any(|m| matches!(m, ReferenceOr::Item(i) if i.schema_data.nullable));
            if let [(i, only)] = substantive.as_slice()
                && shape.properties.is_none()
                && shape.typ.is_none_or(|t| t != "object")
            {
                let mut l = self.lower(c, only, view, name, &format!("{pointer}/allOf/{i}"));
                l.nullable |= annotated_nullable;
                return with_null(l);
            }
            return self.merge_all_of(c, s, view, name, pointer);
        }

        let alternatives = if shape.one_of.is_empty() { shape.any_of } else { shape.one_of };
        let key = if shape.one_of.is_empty() { "anyOf" } else { "oneOf" };
        if !alternatives.is_empty() && shape.properties.is_none() {
            return self.classify_alternatives(c, s, alternatives, key, view, name, pointer);
        }

        if !shape.enumeration.is_empty() {
            return self.classify_enum(&shape, name, nullable);
        }

        let prim = |ty: Ty| Classified::Ty(Lowered { ty, nullable, blank_is_null: false });
        match shape.typ {
            Some("string") => prim(match shape.format.as_deref() {
                Some("uuid") => Ty::Uuid,
                Some("date-time") => Ty::DateTime,
                Some("date") => Ty::Date,
                Some("byte") => Ty::Base64,
                Some("binary") => Ty::Binary,
                _ => Ty::String,
            }),
            Some("integer") => prim(match shape.format.as_deref() {
                Some("int32") => Ty::I32,
                _ => Ty::I64,
            }),
            Some("number") => prim(match shape.format.as_deref() {
                Some("float") => Ty::F32,
                _ => Ty::F64,
            }),
            Some("boolean") => prim(Ty::Bool),
            Some("null") => prim(Ty::Unit),
            Some("array") => self.classify_array(c, &shape, view, name, pointer, nullable),
            Some("object") => self.classify_object(c, &shape, view, name, pointer, nullable),
            None if shape.properties.is_some() || shape.additional.is_some() => {
                self.classify_object(c, &shape, view, name, pointer, nullable)
            }
            None if shape.items.is_some() => self.classify_array(c, &shape, view, name, pointer, nullable),
            None => prim(Ty::Any),
            Some(other) => {
                self.diagnostics.push(Diagnostic::warning(
                    pointer,
                    format!("unknown type `{other}`; it becomes serde_json::Value"),
                ));
                prim(Ty::Any)
            }
        }
    }

    fn classify_array(&mut self, c: &Components, shape: &Shape<'_>, view: View, name: &str, pointer: &str, nullable: bool) -> Classified {
        let item = match shape.items {
            Some(items) => self.lower_boxed(c, items, view, &format!("{name}Item"), &format!("{pointer}/items")),
            None => Lowered::of(Ty::Any),
        };
        // `null` inside an array of a nullable item type has no Rust spelling but Option.
        let item_ty = if item.nullable && !matches!(item.ty, Ty::Any | Ty::Unit) {
            self.option_alias(item.ty, name, pointer)
        } else {
            item.ty
        };
        Classified::Ty(Lowered { ty: Ty::Vec(Box::new(item_ty)), nullable, blank_is_null: false })
    }

    /// Items or map values that may be `null` need `Option<T>`, which the IR spells as a named alias.
    fn option_alias(&mut self, ty: Ty, name: &str, pointer: &str) -> Ty {
        let alias = self.type_names.claim_type(&format!("{name}Nullable"));
        let id = self.add_type(TypeDef {
            name: alias,
            wire_name: None,
            pointer: pointer.to_owned(),
            view: View::Both,
            docs: Docs { title: Some("A value that may be `null`.".to_owned()), ..Docs::default() },
            kind: TypeKind::NullableAlias(ty),
            features: Vec::new(),
        });
        Ty::Named(id)
    }

    fn classify_object(&mut self, c: &Components, shape: &Shape<'_>, view: View, name: &str, pointer: &str, nullable: bool) -> Classified {
        let additional = |this: &mut Self| -> Option<Ty> {
            match shape.additional {
                Some(AdditionalProperties::Schema(s)) => {
                    let l = this.lower(c, s, view, &format!("{name}Value"), &format!("{pointer}/additionalProperties"));
                    Some(if l.nullable && !matches!(l.ty, Ty::Any | Ty::Unit) {
                        this.option_alias(l.ty, &format!("{name}Value"), pointer)
                    } else {
                        l.ty
                    })
                }
                Some(AdditionalProperties::Any(true)) => Some(Ty::Any),
                Some(AdditionalProperties::Any(false)) | None => None,
            }
        };
        match shape.properties {
            Some(props) if !props.is_empty() => {
                let required: BTreeSet<&str> = shape.required.iter().map(String::as_str).collect();
                let entries = props.iter().map(|(wire, prop)| {
                    (wire.as_str(), prop, format!("{pointer}/properties/{}", escape(wire)))
                });
                let fields = self.fields(c, entries.collect(), &required, view, name);
                let additional = additional(self);
                Classified::Kind(TypeKind::Struct(Struct { fields, additional }))
            }
            _ => match (additional(self), shape.additional) {
                (Some(ty), _) => Classified::Ty(Lowered { ty: Ty::Map(Box::new(ty)), nullable, blank_is_null: false }),
                (None, Some(AdditionalProperties::Any(false))) => {
                    Classified::Kind(TypeKind::Struct(Struct { fields: Vec::new(), additional: None }))
                }
                (None, _) => Classified::Ty(Lowered { ty: Ty::Map(Box::new(Ty::Any)), nullable, blank_is_null: false }),
            },
        }
    }

    /// The fields of a struct in `view`, named together so exact wire names keep their names.
    fn fields(
        &mut self,
        c: &Components,
        props: Vec<(&str, &ReferenceOr<Box<Schema>>, String)>,
        required: &BTreeSet<&str>,
        view: View,
        parent: &str,
    ) -> Vec<Field> {
        let kept: Vec<_> = props
            .into_iter()
            .filter(|(_, prop, _)| !matches!(prop, ReferenceOr::Item(p) if skipped_in(&p.schema_data, view)))
            .collect();
        let names = crate::names::assign(kept.iter().map(|(wire, _, _)| *wire), snake);
        kept.into_iter()
            .zip(names)
            .map(|((wire, prop, ptr), name)| self.field(c, wire, name, prop, required.contains(wire), view, parent, &ptr))
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn field(
        &mut self,
        c: &Components,
        wire: &str,
        name: String,
        prop: &ReferenceOr<Box<Schema>>,
        required: bool,
        view: View,
        parent: &str,
        pointer: &str,
    ) -> Field {
        let data = match prop {
            ReferenceOr::Item(p) => Some(&p.schema_data),
            ReferenceOr::Reference { .. } => None,
        };
        let hint = format!("{parent}{}", pascal(wire));
        let lowered = self.lower_boxed(c, prop, view, &hint, pointer);
        let constraints = match prop {
            ReferenceOr::Item(p) => Shape::of(p).constraints,
            ReferenceOr::Reference { .. } => Constraints::default(),
        };
        Field {
            wire_name: wire.to_owned(),
            name,
            ty: lowered.ty,
            presence: crate::ir::Presence::of(required, lowered.nullable),
            boxed: false,
            blank_is_null: lowered.blank_is_null,
            read_only: data.is_some_and(|d| d.read_only),
            write_only: data.is_some_and(|d| d.write_only),
            default: data.and_then(|d| d.default.clone()),
            constraints,
            docs: data.map(docs_of).unwrap_or_default(),
        }
    }

    /// allOf with several members: one struct with every member's properties.
    fn merge_all_of(&mut self, c: &Components, s: &Schema, view: View, name: &str, pointer: &str) -> Classified {
        let mut props: Vec<(String, ReferenceOr<Box<Schema>>, String)> = Vec::new();
        let mut required = BTreeSet::new();
        let mut additional = None;
        let mut others = Vec::new();
        let mut seen = BTreeSet::new();
        collect_all_of(c, s, pointer, &mut props, &mut required, &mut additional, &mut others, &mut seen, 0);
        if props.is_empty() {
            // Nothing object-like to merge: the first member with a type says what this is.
            if let Some((member, ptr)) = others.first() {
                let l = self.lower(c, member, view, name, ptr);
                return Classified::Ty(Lowered { nullable: l.nullable || s.schema_data.nullable, ..l });
            }
            return Classified::Ty(Lowered { ty: Ty::Map(Box::new(Ty::Any)), nullable: s.schema_data.nullable, blank_is_null: false });
        }
        let mut by_name: BTreeMap<String, (ReferenceOr<Box<Schema>>, String)> = BTreeMap::new();
        // A later member restating a property wins (it usually narrows it).
        for (wire, prop, ptr) in props {
            by_name.insert(wire, (prop, ptr));
        }
        let required: BTreeSet<&str> = required.iter().map(String::as_str).collect();
        let entries = by_name.iter().map(|(wire, (prop, ptr))| (wire.as_str(), prop, ptr.clone()));
        let fields = self.fields(c, entries.collect(), &required, view, name);
        let additional = match additional {
            Some((AdditionalProperties::Schema(a), ptr)) => {
                let l = self.lower(c, &a, view, &format!("{name}Value"), &ptr);
                Some(l.ty)
            }
            Some((AdditionalProperties::Any(true), _)) => Some(Ty::Any),
            _ => None,
        };
        Classified::Kind(TypeKind::Struct(Struct { fields, additional }))
    }

    #[allow(clippy::too_many_arguments)]
    fn classify_alternatives(
        &mut self,
        c: &Components,
        s: &Schema,
        alternatives: &[ReferenceOr<Schema>],
        key: &str,
        view: View,
        name: &str,
        pointer: &str,
    ) -> Classified {
        let resolve = |r: &ReferenceOr<Schema>| -> Option<Schema> {
            match r {
                ReferenceOr::Item(i) => Some(i.clone()),
                ReferenceOr::Reference { reference } => resolve_schema(c, reference).map(|(_, s)| s.clone()),
            }
        };
        let mut nullable = s.schema_data.nullable;
        let mut blank = false;
        let mut rest = Vec::new();
        for (i, alt) in alternatives.iter().enumerate() {
            match resolve(alt) {
                Some(r) if is_null_only(&r) => nullable = true,
                Some(r) if is_blank_only(&r) => blank = true,
                _ => rest.push((i, alt)),
            }
        }
        match rest.as_slice() {
            [] => {
                return Classified::Ty(Lowered {
                    ty: if blank { Ty::String } else { Ty::Unit },
                    nullable,
                    blank_is_null: false,
                });
            }
            [(i, only)] => {
                let l = self.lower(c, only, view, name, &format!("{pointer}/{key}/{i}"));
                return Classified::Ty(Lowered {
                    ty: l.ty,
                    nullable: nullable || l.nullable || blank,
                    blank_is_null: blank,
                });
            }
            _ => {}
        }
        let discriminator = s.schema_data.discriminator.as_ref();
        let mut variants = Vec::new();
        let mut scope = Scope::new();
        for (i, alt) in rest {
            let ptr = format!("{pointer}/{key}/{i}");
            let l = self.lower(c, alt, view, &format!("{name}Variant{}", i + 1), &ptr);
            let (vname, tags) = match alt {
                ReferenceOr::Reference { reference } => {
                    let component = ref_name(reference, "schemas").unwrap_or_default();
                    let tags = match discriminator {
                        Some(d) if !d.mapping.is_empty() => d
                            .mapping
                            .iter()
                            .filter(|(_, target)| {
                                *target == reference || ref_name(target, "schemas").is_none() && *target == &component
                            })
                            .map(|(tag, _)| tag.clone())
                            .collect(),
                        Some(_) => vec![component.clone()],
                        None => Vec::new(),
                    };
                    (variant(&component), tags)
                }
                ReferenceOr::Item(item) => {
                    let label = item.schema_data.title.clone().unwrap_or_else(|| ty_label(&l.ty).to_owned());
                    (variant(&label), Vec::new())
                }
            };
            variants.push(UnionVariant { name: scope.claim(&vname), ty: l.ty, boxed: false, tags });
        }
        // A discriminator only helps when every alternative has a tag.
        let discriminator = discriminator
            .filter(|_| variants.iter().all(|v| !v.tags.is_empty()))
            .map(|d| d.property_name.clone());
        let unknown = discriminator.is_some().then(|| scope.claim("Unknown"));
        Classified::Kind(TypeKind::Union(Union { variants, discriminator, unknown }))
    }

    fn classify_enum(&mut self, shape: &Shape<'_>, name: &str, nullable: bool) -> Classified {
        let nullable = nullable || shape.enumeration.iter().any(Value::is_null);
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
        let _ = name;
        Classified::Kind(TypeKind::Enum(Enum { repr, variants, unknown }))
    }
}

/// A readable variant name for an inline alternative's type.
fn ty_label(ty: &Ty) -> &'static str {
    match ty {
        Ty::Named(_) => "Object",
        Ty::String => "String",
        Ty::Bool => "Boolean",
        Ty::I32 | Ty::I64 => "Integer",
        Ty::F32 | Ty::F64 => "Number",
        Ty::Uuid => "Uuid",
        Ty::DateTime => "DateTime",
        Ty::Date => "Date",
        Ty::Base64 | Ty::Binary => "Bytes",
        Ty::Any => "Value",
        Ty::Unit => "Null",
        Ty::Vec(_) => "Array",
        Ty::Map(_) => "Map",
    }
}

type Props = Vec<(String, ReferenceOr<Box<Schema>>, String)>;

#[allow(clippy::too_many_arguments)]
fn collect_all_of(
    c: &Components,
    s: &Schema,
    pointer: &str,
    props: &mut Props,
    required: &mut BTreeSet<String>,
    additional: &mut Option<(AdditionalProperties, String)>,
    others: &mut Vec<(ReferenceOr<Schema>, String)>,
    seen: &mut BTreeSet<String>,
    depth: usize,
) {
    if depth > 32 {
        return;
    }
    let shape = Shape::of(s);
    for (i, member) in shape.all_of.iter().enumerate() {
        let ptr = format!("{pointer}/allOf/{i}");
        match member {
            ReferenceOr::Reference { reference } => {
                let Some((name, target)) = resolve_schema(c, reference) else {
                    others.push((member.clone(), ptr));
                    continue;
                };
                // A ref cycle through allOf cannot add anything new.
                if !seen.insert(name.to_owned()) {
                    continue;
                }
                let target_ptr = format!("#/components/schemas/{}", escape(name));
                let before = props.len();
                collect_all_of(c, target, &target_ptr, props, required, additional, others, seen, depth + 1);
                if props.len() == before && Shape::of(target).properties.is_none() {
                    others.push((member.clone(), ptr));
                }
            }
            ReferenceOr::Item(item) => {
                let before = props.len();
                collect_all_of(c, item, &ptr, props, required, additional, others, seen, depth + 1);
                if props.len() == before && Shape::of(item).properties.is_none() && !Shape::of(item).is_empty() {
                    others.push((member.clone(), ptr));
                }
            }
        }
    }
    if let Some(p) = shape.properties {
        for (wire, prop) in p {
            props.push((wire.clone(), prop.clone(), format!("{pointer}/properties/{}", escape(wire))));
        }
    }
    required.extend(shape.required.iter().cloned());
    if let Some(a) = shape.additional {
        additional.get_or_insert_with(|| (a.clone(), format!("{pointer}/additionalProperties")));
    }
}

/// Marks fields and variants that close a cycle of direct containment as boxed, and breaks alias
/// cycles (which Rust rejects) with `serde_json::Value`.
pub(crate) fn box_cycles(types: &mut [TypeDef], diagnostics: &mut Vec<Diagnostic>) {
    // Alias cycles first: `type A = Vec<A>` or `type A = B; type B = A;` cannot compile.
    for i in 0..types.len() {
        if alias_reaches(types, i, i, &mut BTreeSet::new(), true) {
            diagnostics.push(Diagnostic::warning(
                types[i].pointer.clone(),
                "this schema only refers to itself; it becomes serde_json::Value",
            ));
            types[i].kind = TypeKind::Alias(Ty::Any);
        }
    }
    let edges: Vec<Vec<usize>> = types.iter().map(direct_edges).collect();
    let scc = tarjan(&edges);
    for (i, def) in types.iter_mut().enumerate() {
        let same = |ty: &Ty| matches!(ty, Ty::Named(t) if scc[t.0] == scc[i]);
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for f in &mut s.fields {
                    f.boxed = same(&f.ty);
                }
            }
            TypeKind::Union(u) => {
                for v in &mut u.variants {
                    v.boxed = same(&v.ty);
                }
            }
            _ => {}
        }
    }
}

fn alias_target(kind: &TypeKind) -> Option<&Ty> {
    match kind {
        TypeKind::Alias(ty) | TypeKind::NullableAlias(ty) => Some(ty),
        _ => None,
    }
}

/// Whether expanding alias `at` (through Vec/Map and other aliases, not through nominal types)
/// comes back to `start`.
fn alias_reaches(types: &[TypeDef], start: usize, at: usize, seen: &mut BTreeSet<usize>, first: bool) -> bool {
    if !first && at == start {
        return true;
    }
    if !seen.insert(at) {
        return false;
    }
    let Some(ty) = alias_target(&types[at].kind) else { return false };
    let mut named = Vec::new();
    named_in(ty, &mut named);
    named.into_iter().any(|n| alias_reaches(types, start, n, seen, false))
}

fn named_in(ty: &Ty, out: &mut Vec<usize>) {
    match ty {
        Ty::Named(id) => out.push(id.0),
        Ty::Vec(inner) | Ty::Map(inner) => named_in(inner, out),
        _ => {}
    }
}

/// Types a type contains without indirection (not through Vec or a map).
fn direct_edges(def: &TypeDef) -> Vec<usize> {
    let direct = |ty: &Ty| match ty {
        Ty::Named(id) => Some(id.0),
        _ => None,
    };
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().filter_map(|f| direct(&f.ty)).collect(),
        TypeKind::Union(u) => u.variants.iter().filter_map(|v| direct(&v.ty)).collect(),
        TypeKind::Alias(ty) | TypeKind::NullableAlias(ty) => direct(ty).into_iter().collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Strongly connected components (Tarjan, iterative); returns each node's component number.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comp = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut ei)) = call.last_mut() {
            if *ei == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if *ei < edges[v].len() {
                let w = edges[v][*ei];
                *ei += 1;
                if index[w] == usize::MAX {
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = next_comp;
                        if w == v {
                            break;
                        }
                    }
                    next_comp += 1;
                }
            }
        }
    }
    comp
}
