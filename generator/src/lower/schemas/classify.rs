//! What a schema becomes: a primitive, a vector or map, a struct, a union of alternatives (with
//! `null` and `""` alternatives folded into nullability), or, through the sibling modules, a
//! merged allOf or an enum.

use std::collections::BTreeSet;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;

use super::super::direction::skipped_in;
use super::super::ref_name;
use super::super::shape::Shape;
use super::{Classified, Lowered, SchemaLowerer, docs_of, resolve_schema};
use crate::error::Diagnostic;
use crate::ir::{Constraints, Docs, Field, Struct, Ty, TypeDef, TypeKind, Union, UnionVariant, View};
use crate::load::escape;
use crate::names::{Scope, pascal, snake, variant};

/// One property of an object schema, about to become a field.
pub(super) struct Property<'p> {
    /// The name on the wire.
    pub wire: &'p str,
    pub schema: &'p ReferenceOr<Box<Schema>>,
    pub pointer: String,
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
        Ty::External(..) => "Other",
    }
}

impl SchemaLowerer<'_, '_> {
    /// Decides what a schema becomes. `name` is the name its own type gets (and the prefix of the
    /// names of its inline parts).
    pub(super) fn classify(&mut self, s: &Schema, name: &str, pointer: &str) -> Classified {
        let shape = Shape::of(s);
        let nullable = s.schema_data.nullable;

        if !shape.all_of.is_empty() {
            return self.classify_all_of(&shape, name, pointer);
        }

        if (!shape.one_of.is_empty() || !shape.any_of.is_empty()) && shape.properties.is_none() {
            return self.classify_alternatives(&shape, name, pointer);
        }

        if !shape.enumeration.is_empty() {
            return super::enum_labels::classify_enum(&shape, pointer, &mut self.lowerer.diagnostics);
        }

        // A format given a Rust type by the configuration keeps what it is on the wire.
        let configured = shape.format.as_deref().and_then(|f| self.lowerer.tailoring.formats.get(f)).cloned();
        let prim = |ty: Ty| {
            let ty = match (&configured, &ty) {
                (Some(path), Ty::String | Ty::Uuid | Ty::DateTime | Ty::Date | Ty::Base64 | Ty::Binary)
                | (Some(path), Ty::I32 | Ty::I64 | Ty::F32 | Ty::F64) => Ty::External(path.clone(), Box::new(ty)),
                _ => ty,
            };
            Classified::Ty(Lowered { ty, nullable, blank_is_null: false })
        };
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
            Some("array") => self.classify_array(&shape, name, pointer),
            Some("object") => self.classify_object(&shape, name, pointer),
            None if shape.properties.is_some() || shape.additional.is_some() => {
                self.classify_object(&shape, name, pointer)
            }
            None if shape.items.is_some() => self.classify_array(&shape, name, pointer),
            None => prim(Ty::Any),
            Some(other) => {
                self.warn(pointer, format!("unknown type `{other}`; it becomes serde_json::Value"));
                prim(Ty::Any)
            }
        }
    }

    /// An array: `Vec` of its items.
    fn classify_array(&mut self, shape: &Shape<'_>, name: &str, pointer: &str) -> Classified {
        let item = match shape.items {
            Some(items) => self.lower(items, &format!("{name}Item"), &format!("{pointer}/items")),
            None => Lowered::of(Ty::Any),
        };
        // `null` inside an array of a nullable item type has no Rust spelling but Option.
        let item_ty = if item.nullable && !matches!(item.ty, Ty::Any | Ty::Unit) {
            self.option_alias(item.ty, name, pointer)
        } else {
            item.ty
        };
        let nullable = shape.schema.schema_data.nullable;
        Classified::Ty(Lowered { ty: Ty::Vec(Box::new(item_ty)), nullable, blank_is_null: false })
    }

    /// Items or map values that may be `null` need `Option<T>`, which the IR spells as a named alias.
    pub(super) fn option_alias(&mut self, ty: Ty, name: &str, pointer: &str) -> Ty {
        let alias = self.lowerer.type_names.claim_type(&format!("{name}Nullable"));
        let id = self.lowerer.add_type(TypeDef {
            name: alias,
            wire_name: None,
            pointer: pointer.to_owned(),
            view: View::Both,
            docs: Docs { title: Some("A value that may be `null`.".to_owned()), ..Docs::default() },
            kind: TypeKind::NullableAlias(ty),
            features: Vec::new(),
            derives: Vec::new(),
            attributes: Vec::new(),
        });
        Ty::Named(id)
    }

    /// An object: a struct when it has properties, else a map (or an empty struct when it
    /// admits no other properties).
    fn classify_object(&mut self, shape: &Shape<'_>, name: &str, pointer: &str) -> Classified {
        let nullable = shape.schema.schema_data.nullable;
        let additional = |this: &mut Self| -> Option<Ty> {
            match shape.additional {
                Some(AdditionalProperties::Schema(s)) => {
                    let l = this.lower(s, &format!("{name}Value"), &format!("{pointer}/additionalProperties"));
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
                let entries = props.iter().map(|(wire, prop)| Property {
                    wire: wire.as_str(),
                    schema: prop,
                    pointer: format!("{pointer}/properties/{}", escape(wire)),
                });
                let fields = self.fields(entries.collect(), &required, name);
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

    /// The fields of a struct in this view, named together so exact wire names keep their names.
    pub(super) fn fields(&mut self, props: Vec<Property<'_>>, required: &BTreeSet<&str>, parent: &str) -> Vec<Field> {
        let view = self.view;
        let kept: Vec<_> = props
            .into_iter()
            .filter(|prop| !matches!(prop.schema, ReferenceOr::Item(p) if skipped_in(&p.schema_data, view)))
            .collect();
        // Names given by `x-rust-name` are taken first; the rest are assigned around them.
        let mut scope = Scope::new();
        let given: Vec<Option<String>> =
            kept.iter().map(|prop| self.given_field_name(&prop.pointer, &mut scope)).collect();
        let free = kept.iter().zip(&given).filter(|(_, g)| g.is_none()).map(|(prop, _)| prop.wire);
        let mut assigned = crate::names::assign_in(scope, free, snake).into_iter();
        let names: Vec<String> = given.into_iter().map(|g| g.or_else(|| assigned.next()).unwrap_or_default()).collect();
        kept.into_iter()
            .zip(names)
            .map(|(prop, name)| {
                let required = required.contains(prop.wire);
                self.field(prop, name, required, parent)
            })
            .collect()
    }

    /// The name `x-rust-name` gives the property at `pointer`, claimed in `scope`; an error when
    /// it is no identifier or another property took it.
    fn given_field_name(&mut self, pointer: &str, scope: &mut Scope) -> Option<String> {
        let value = self.lowerer.extension(pointer, "x-rust-name")?;
        let problem = match value.as_str() {
            None => "x-rust-name must be a string".to_owned(),
            Some(name) => match crate::names::identifier_problem(name) {
                Some(problem) => problem,
                None if scope.is_free(name) => return Some(scope.claim(name)),
                None => format!("`{name}` is the x-rust-name of another property too"),
            },
        };
        self.lowerer.diagnostics.push(Diagnostic::error(format!("{pointer}/x-rust-name"), problem));
        None
    }

    /// One field of the struct called `parent`; an inline type of its own is named after both.
    fn field(&mut self, prop: Property<'_>, name: String, required: bool, parent: &str) -> Field {
        let data = match prop.schema {
            ReferenceOr::Item(p) => Some(&p.schema_data),
            ReferenceOr::Reference { .. } => None,
        };
        let hint = format!("{parent}{}", pascal(prop.wire));
        let lowered = self.lower(prop.schema, &hint, &prop.pointer);
        let mut constraints = match prop.schema {
            ReferenceOr::Item(p) => Shape::of(p).constraints,
            ReferenceOr::Reference { .. } => Constraints::default(),
        };
        super::super::patterns::drop_unrunnable(
            &mut self.lowerer.pattern_verdicts,
            &mut self.lowerer.diagnostics,
            &mut constraints,
            format!("{}/pattern", prop.pointer),
            &format!("property `{}`", prop.wire),
        );
        Field {
            wire_name: prop.wire.to_owned(),
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

    /// oneOf (or anyOf): `null` and `""` alternatives make the rest nullable; one alternative
    /// left is that alternative's type, several become a union.
    fn classify_alternatives(&mut self, shape: &Shape<'_>, name: &str, pointer: &str) -> Classified {
        let (alternatives, key) =
            if shape.one_of.is_empty() { (shape.any_of, "anyOf") } else { (shape.one_of, "oneOf") };
        let s = shape.schema;
        let c = self.components;
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
                let l = self.lower(*only, name, &format!("{pointer}/{key}/{i}"));
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
            let l = self.lower(alt, &format!("{name}Variant{}", i + 1), &ptr);
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
        let discriminator =
            discriminator.filter(|_| variants.iter().all(|v| !v.tags.is_empty())).map(|d| d.property_name.clone());
        let unknown = discriminator.is_some().then(|| scope.claim("Unknown"));
        Classified::Kind(TypeKind::Union(Union { variants, discriminator, unknown }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{fields_of, lower_yaml, type_named};
    use crate::ir::{Api, Field, Ty, TypeKind};

    const DOC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Cat:
      type: object
      properties:
        kind: {type: string}
    Dog:
      type: object
      properties:
        kind: {type: string}
    Pet:
      oneOf:
        - $ref: "#/components/schemas/Cat"
        - $ref: "#/components/schemas/Dog"
      discriminator:
        propertyName: kind
        mapping:
          cat: "#/components/schemas/Cat"
          dog: "#/components/schemas/Dog"
    BlankEnum:
      enum: [""]
    NullEnum:
      enum: [null]
    Owner:
      type: object
      required: [size, nick]
      properties:
        size:
          oneOf:
            - {type: integer}
            - $ref: "#/components/schemas/BlankEnum"
            - $ref: "#/components/schemas/NullEnum"
        nick: {type: string, nullable: true}
        address:
          type: object
          properties:
            city: {type: string}
        scores: {type: array, items: {type: number, nullable: true}}
        looped: {$ref: "#/components/schemas/Owner/properties/again"}
        again: {$ref: "#/components/schemas/Owner/properties/looped"}
"##;

    /// Whether a field is required and whether it may be `null`.
    fn presence(f: &Field) -> (bool, bool) {
        (f.presence.is_required(), f.presence.is_nullable())
    }

    fn field<'a>(api: &'a Api, owner: &str, wire: &str) -> &'a Field {
        fields_of(api, owner).iter().find(|f| f.wire_name == wire).unwrap_or_else(|| panic!("{owner}.{wire}"))
    }

    #[test]
    fn one_of_with_a_discriminator_is_a_tagged_union() {
        let (api, _) = lower_yaml(DOC);
        let TypeKind::Union(pet) = &type_named(&api, "Pet").kind else { panic!("Pet is a union") };
        let variants: Vec<(&str, &[String])> = pet.variants.iter().map(|v| (v.name.as_str(), &v.tags[..])).collect();
        assert_eq!(variants, [("Cat", &["cat".to_owned()][..]), ("Dog", &["dog".to_owned()][..])]);
        assert_eq!(pet.discriminator.as_deref(), Some("kind"));
        assert_eq!(pet.unknown.as_deref(), Some("Unknown"));
    }

    #[test]
    fn null_and_blank_alternatives_make_the_rest_nullable() {
        let (api, _) = lower_yaml(DOC);
        let size = field(&api, "Owner", "size");
        assert_eq!(size.ty, Ty::I64);
        assert_eq!(presence(size), (true, true));
        assert!(size.blank_is_null, "`\"\"` reads as null");
        let nick = field(&api, "Owner", "nick");
        assert_eq!((&nick.ty, presence(nick), nick.blank_is_null), (&Ty::String, (true, true), false));
    }

    #[test]
    fn inline_parts_are_named_after_their_owner() {
        let (api, _) = lower_yaml(DOC);
        let Ty::Named(address) = field(&api, "Owner", "address").ty else { panic!("address has a type of its own") };
        assert_eq!(api.ty(address).name, "OwnerAddress");
        assert_eq!(api.ty(address).pointer, "#/components/schemas/Owner/properties/address");
        let Ty::Vec(item) = &field(&api, "Owner", "scores").ty else { panic!("scores is a Vec") };
        let Ty::Named(item) = **item else { panic!("a nullable item is a named Option alias") };
        assert_eq!(api.ty(item).name, "OwnerScoresNullable");
        assert_eq!(api.ty(item).kind, TypeKind::NullableAlias(Ty::F64));
    }

    #[test]
    fn a_chain_of_references_that_loops_becomes_any() {
        let (api, diagnostics) = lower_yaml(DOC);
        assert_eq!(field(&api, "Owner", "looped").ty, Ty::Any);
        assert!(diagnostics.iter().any(|d| d.message.contains("loops")), "{diagnostics:?}");
    }
}
