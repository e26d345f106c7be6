//! allOf: a single substantive member is that member; several merge into one struct with every
//! member's properties (following refs to components, and their allOf in turn).

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::super::Components;
use super::super::shape::Shape;
use super::classify::Property;
use super::{Classified, Lowered, SchemaLowerer, resolve_schema};
use crate::ir::{Struct, Ty, TypeKind};
use crate::load::escape;

/// How deep allOf members may nest (inline, or through refs to components with an allOf of their
/// own) before the rest is left out of the merge. Real documents nest three or four levels; refs
/// that come back are stopped by [`AllOf::seen`], so this only stops inline nesting without end.
const MAX_ALL_OF_DEPTH: usize = 32;

/// What the members of an allOf add up to, collected member by member.
#[derive(Default)]
struct AllOf {
    /// Every property as (wire name, schema, pointer), in member order.
    properties: Vec<(String, ReferenceOr<Box<Schema>>, String)>,
    /// Every member's `required`.
    required: BTreeSet<String>,
    /// The first `additionalProperties` met, with its pointer.
    additional: Option<(AdditionalProperties, String)>,
    /// Members without properties to merge (a string, a ref to a oneOf), with their pointers.
    others: Vec<(ReferenceOr<Schema>, String)>,
    /// Components merged already: a ref cycle through allOf cannot add anything new.
    seen: BTreeSet<String>,
}

impl AllOf {
    /// Adds the members of `s`'s allOf (depth first, as they come), then `s`'s own keywords.
    fn collect(&mut self, c: &Components, s: &Schema, pointer: &str, depth: usize) {
        if depth > MAX_ALL_OF_DEPTH {
            return;
        }
        let shape = Shape::of(s);
        for (i, member) in shape.all_of.iter().enumerate() {
            let ptr = format!("{pointer}/allOf/{i}");
            match member {
                ReferenceOr::Reference { reference } => {
                    let Some((name, target)) = resolve_schema(c, reference) else {
                        self.others.push((member.clone(), ptr));
                        continue;
                    };
                    if !self.seen.insert(name.to_owned()) {
                        continue;
                    }
                    let target_ptr = format!("#/components/schemas/{}", escape(name));
                    let before = self.properties.len();
                    self.collect(c, target, &target_ptr, depth + 1);
                    if self.properties.len() == before && Shape::of(target).properties.is_none() {
                        self.others.push((member.clone(), ptr));
                    }
                }
                ReferenceOr::Item(item) => {
                    let before = self.properties.len();
                    self.collect(c, item, &ptr, depth + 1);
                    if self.properties.len() == before
                        && Shape::of(item).properties.is_none()
                        && !Shape::of(item).is_empty()
                    {
                        self.others.push((member.clone(), ptr));
                    }
                }
            }
        }
        if let Some(p) = shape.properties {
            for (wire, prop) in p {
                self.properties.push((wire.clone(), prop.clone(), format!("{pointer}/properties/{}", escape(wire))));
            }
        }
        self.required.extend(shape.required.iter().cloned());
        if let Some(a) = shape.additional {
            self.additional.get_or_insert_with(|| (a.clone(), format!("{pointer}/additionalProperties")));
        }
    }
}

impl SchemaLowerer<'_, '_> {
    /// A schema with an allOf.
    pub(super) fn classify_all_of(&mut self, shape: &Shape<'_>, name: &str, pointer: &str) -> Classified {
        // Members that only annotate (`{description: ..}`, `{nullable: true}`) add nothing to
        // merge: `allOf: [{$ref: X}, {description: ..}]` is X.
        let substantive: Vec<(usize, &ReferenceOr<Schema>)> = shape
            .all_of
            .iter()
            .enumerate()
            .filter(|(_, m)| !matches!(m, ReferenceOr::Item(i) if Shape::of(i).is_empty()))
            .collect();
        let annotated_nullable =
            shape.all_of.iter().any(|m| matches!(m, ReferenceOr::Item(i) if i.schema_data.nullable));
        if let [(i, only)] = substantive.as_slice()
            && shape.properties.is_none()
            && shape.typ.is_none_or(|t| t != "object")
        {
            let mut l = self.lower(*only, name, &format!("{pointer}/allOf/{i}"));
            l.nullable |= annotated_nullable || shape.schema.schema_data.nullable;
            return Classified::Ty(l);
        }
        self.merge_all_of(shape.schema, name, pointer)
    }

    /// allOf with several members: one struct with every member's properties.
    fn merge_all_of(&mut self, s: &Schema, name: &str, pointer: &str) -> Classified {
        let mut all = AllOf::default();
        all.collect(self.components, s, pointer, 0);
        if all.properties.is_empty() {
            // Nothing object-like to merge: the first member with a type says what this is.
            if let Some((member, ptr)) = all.others.first() {
                let l = self.lower(member, name, ptr);
                return Classified::Ty(Lowered { nullable: l.nullable || s.schema_data.nullable, ..l });
            }
            let ty = Ty::Map(Box::new(Ty::Any));
            return Classified::Ty(Lowered { ty, nullable: s.schema_data.nullable, blank_is_null: false });
        }
        let mut by_name: BTreeMap<String, (ReferenceOr<Box<Schema>>, String)> = BTreeMap::new();
        // A later member restating a property wins (it usually narrows it).
        for (wire, prop, ptr) in all.properties {
            by_name.insert(wire, (prop, ptr));
        }
        let required: BTreeSet<&str> = all.required.iter().map(String::as_str).collect();
        let entries = by_name.iter().map(|(wire, (prop, ptr))| Property {
            wire: wire.as_str(),
            schema: prop,
            pointer: ptr.clone(),
        });
        let fields = self.fields(entries.collect(), &required, name);
        let additional = match all.additional {
            Some((AdditionalProperties::Schema(a), ptr)) => {
                let l = self.lower(&a, &format!("{name}Value"), &ptr);
                Some(l.ty)
            }
            Some((AdditionalProperties::Any(true), _)) => Some(Ty::Any),
            _ => None,
        };
        Classified::Kind(TypeKind::Struct(Struct { fields, additional }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{fields_of, lower_yaml, type_named};
    use crate::ir::{Ty, TypeKind};

    const DOC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Base:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        name: {type: string}
    Pet:
      allOf:
        - $ref: "#/components/schemas/Base"
        - type: object
          required: [name]
          properties:
            name: {type: string, format: uuid}
            tag: {type: string}
    Id:
      allOf:
        - {type: string, format: uuid}
        - {description: "only annotates", nullable: true}
"##;

    #[test]
    fn members_merge_into_one_struct_and_later_members_win() {
        let (api, diagnostics) = lower_yaml(DOC);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let fields = fields_of(&api, "Pet");
        let summary: Vec<(&str, &Ty, bool)> =
            fields.iter().map(|f| (f.wire_name.as_str(), &f.ty, f.presence.is_required())).collect();
        assert_eq!(
            summary,
            [("id", &Ty::I64, true), ("name", &Ty::Uuid, true), ("tag", &Ty::String, false)],
            "Base's properties, `name` restated by the later member, `required` from both"
        );
    }

    #[test]
    fn one_substantive_member_is_that_member() {
        let (api, _) = lower_yaml(DOC);
        assert_eq!(type_named(&api, "Id").kind, TypeKind::Alias(Ty::Uuid));
    }
}
