//! Schemas to named types and type expressions. [`SchemaLowerer`] holds what every step needs
//! (the lowerer's state, the read-only components, the view being lowered); the steps live in
//! submodules by job: [`classify`] decides what a schema becomes, [`all_of`] merges allOf
//! members, [`enum_labels`] turns enums (and drf-spectacular's value labels) into enum types,
//! and [`cycles`] boxes what closes a cycle once every type exists.

mod all_of;
mod classify;
mod cycles;
mod enum_labels;

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{ReferenceOr, Schema};
use serde::Deserialize;

use super::direction::Directions;
use super::{Components, Lowerer, ref_name};
use crate::error::Diagnostic;
use crate::ir::{Docs, Ty, TypeDef, TypeId, TypeKind, View};
use crate::load::escape;
use crate::names::pascal;

pub(crate) use cycles::box_cycles;

/// How deep inline schemas may nest before lowering gives up on one. Documents nest a handful of
/// levels; only allOf merges that copy a recursive component's properties inline again and again
/// go deeper, and 48 stops those long before the stack is at risk.
const MAX_INLINE_DEPTH: usize = 48;

/// How many `$ref`s in a row a component may be (`A: {$ref: B}`, `B: {$ref: C}`) before the chain
/// counts as a loop. Real documents chain two or three; 64 is far beyond any chain that ends.
const MAX_REF_CHAIN: usize = 64;

/// A lowered schema: its type plus what it says about `null` and `""`.
#[derive(Debug, Clone)]
pub(crate) struct Lowered {
    pub ty: Ty,
    pub nullable: bool,
    pub blank_is_null: bool,
}

impl Lowered {
    /// A type that says nothing about `null` or `""`.
    fn of(ty: Ty) -> Self {
        Self { ty, nullable: false, blank_is_null: false }
    }
}

/// What a schema needs: a named type of its own, or a type expression.
enum Classified {
    Kind(TypeKind),
    Ty(Lowered),
}

/// Lowering of the schemas reachable from one place (a component in one view, an operation's
/// parameter or body): the lowerer's state beside the components it reads.
struct SchemaLowerer<'a, 'd> {
    lowerer: &'a mut Lowerer<'d>,
    components: &'a Components,
    /// The view every type made here is lowered in (readOnly/writeOnly properties drop out).
    view: View,
    /// References outside `components/schemas` being followed right now: meeting one again
    /// means the chain of references loops.
    following: BTreeSet<String>,
    /// How many inline schemas are being lowered inside each other right now.
    inline_depth: usize,
}

/// The view to use for a component referred to from a type lowered in `view`.
fn pick_view(types: &BTreeMap<(String, View), TypeId>, name: &str, view: View) -> Option<TypeId> {
    let order = match view {
        View::Request => [View::Request, View::Both, View::Response],
        View::Response | View::Both => [View::Response, View::Both, View::Request],
    };
    order.iter().find_map(|v| types.get(&(name.to_owned(), *v)).copied())
}

/// A schema's title, description and deprecation as rustdoc.
fn docs_of(data: &openapiv3::SchemaData) -> Docs {
    Docs { title: data.title.clone(), description: data.description.clone(), deprecated: data.deprecated }
}

/// Follows a chain of component refs (`A: {$ref: B}`, `B: {$ref: C}`) to the schema at its end.
pub(crate) fn resolve_schema<'c>(c: &'c Components, reference: &str) -> Option<(&'c str, &'c Schema)> {
    let mut name = ref_name(reference, "schemas")?;
    for _ in 0..MAX_REF_CHAIN {
        let (key, schema) = c.schemas.get_key_value(&name)?;
        match schema {
            ReferenceOr::Item(s) => return Some((key.as_str(), s)),
            ReferenceOr::Reference { reference } => name = ref_name(reference, "schemas")?,
        }
    }
    None
}

/// The pointer of a component schema.
fn component_pointer(name: &str) -> String {
    format!("#/components/schemas/{}", escape(name))
}

impl Lowerer<'_> {
    /// Claims the Rust names of every component schema in every view it has: plain names first,
    /// so a component called `WidgetRequest` keeps its name and the split view gets a suffix.
    pub(crate) fn declare_component_types(&mut self, c: &Components, dirs: &Directions) {
        // Schemas replaced by a Rust type get no type of their own.
        for name in c.schemas.keys() {
            let pointer = format!("#/components/schemas/{}", escape(name));
            if let Some(value) = self.extension(&pointer, "x-rust-type") {
                if let Some(path) = self.rust_type(value, &pointer) {
                    self.external.insert(name.clone(), path);
                }
            }
        }
        // Names given by `x-rust-name` are taken first, exactly; a default name never takes one.
        let mut given: BTreeMap<&String, String> = BTreeMap::new();
        let defaults: BTreeMap<String, &String> = c
            .schemas
            .keys()
            .filter(|name| self.extension(&component_pointer(name), "x-rust-name").is_none())
            .map(|name| (crate::names::compose(&pascal(name)), name))
            .collect();
        let generated: Vec<&String> = c.schemas.keys().filter(|n| !self.external.contains_key(*n)).collect();
        for name in generated {
            let pointer = format!("{}/x-rust-name", component_pointer(name));
            let Some(value) = self.extension(&component_pointer(name), "x-rust-name") else { continue };
            let problem = match value.as_str() {
                None => Some("x-rust-name must be a string".to_owned()),
                Some(rust) => crate::names::type_name_problem(rust).or_else(|| {
                    if let Some(other) = defaults.get(rust) {
                        Some(format!("`{rust}` is already the name of schema `{other}`"))
                    } else if !self.type_names.is_free(rust) {
                        Some(format!("`{rust}` is the x-rust-name of another schema too"))
                    } else {
                        None
                    }
                }),
            };
            match (problem, value.as_str()) {
                (None, Some(rust)) => {
                    given.insert(name, self.type_names.claim(rust));
                }
                (problem, _) => self.diagnostics.push(Diagnostic::error(pointer, problem.unwrap_or_default())),
            }
        }
        let mut second = Vec::new();
        let generated: Vec<&String> = c.schemas.keys().filter(|n| !self.external.contains_key(*n)).collect();
        for name in generated {
            let views = dirs.views(name);
            let (rust, base) = match given.get(name) {
                Some(rust) => (rust.clone(), rust.clone()),
                None => (self.type_names.claim_type(&pascal(name)), pascal(name)),
            };
            second.extend(views.iter().skip(1).map(|v| (name, *v, base.clone())));
            self.declare(name, views[0], rust);
        }
        for (name, view, base) in second {
            let rust = self.type_names.claim_type(&format!("{base}Request"));
            self.declare(name, view, rust);
        }
    }

    /// Adds the placeholder type of a component in one view, to be filled by
    /// [`Lowerer::lower_component_types`].
    fn declare(&mut self, name: &str, view: View, rust: String) {
        let id = self.add_type(TypeDef {
            name: rust,
            wire_name: Some(name.to_owned()),
            pointer: format!("#/components/schemas/{}", escape(name)),
            view,
            docs: Docs::default(),
            kind: TypeKind::Alias(Ty::Any),
            features: Vec::new(),
            derives: Vec::new(),
            attributes: Vec::new(),
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
            let mut cx = SchemaLowerer::new(self, c, view);
            let (kind, docs) = match schema {
                ReferenceOr::Reference { reference } => {
                    (TypeKind::Alias(cx.lower_ref(reference, &pointer).ty), Docs::default())
                }
                ReferenceOr::Item(s) => {
                    let kind = match cx.classify(s, &rust, &pointer) {
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

    /// Lowers a schema or ref in a position that takes a type expression; inline objects, enums
    /// and unions become named types called `hint`.
    pub(crate) fn lower(
        &mut self,
        c: &Components,
        schema: &ReferenceOr<Schema>,
        view: View,
        hint: &str,
        pointer: &str,
    ) -> Lowered {
        SchemaLowerer::new(self, c, view).lower(schema, hint, pointer)
    }
}

impl<'a, 'd> SchemaLowerer<'a, 'd> {
    /// Starts lowering in `view`.
    fn new(lowerer: &'a mut Lowerer<'d>, components: &'a Components, view: View) -> Self {
        Self { lowerer, components, view, following: BTreeSet::new(), inline_depth: 0 }
    }

    /// Records a warning.
    fn warn(&mut self, pointer: &str, message: String) {
        self.lowerer.diagnostics.push(Diagnostic::warning(pointer, message));
    }

    /// Adds a named type made here (not a component) in this view.
    fn add_named(&mut self, name: String, pointer: &str, docs: Docs, kind: TypeKind) -> TypeId {
        self.lowerer.add_type(TypeDef {
            name,
            wire_name: None,
            pointer: pointer.to_owned(),
            view: self.view,
            docs,
            kind,
            features: Vec::new(),
            derives: Vec::new(),
            attributes: Vec::new(),
        })
    }

    /// Lowers a schema or ref in a position that takes a type expression; inline objects, enums
    /// and unions become named types called `hint`.
    fn lower<S: Borrow<Schema>>(&mut self, schema: &ReferenceOr<S>, hint: &str, pointer: &str) -> Lowered {
        match schema {
            ReferenceOr::Reference { reference } => self.lower_ref(reference, pointer),
            ReferenceOr::Item(s) => self.lower_inline(s.borrow(), hint, pointer),
        }
    }

    /// Lowers a `$ref`.
    fn lower_ref(&mut self, reference: &str, pointer: &str) -> Lowered {
        if !reference.starts_with('#') {
            self.warn(
                pointer,
                format!("external reference `{reference}` is not supported; it becomes serde_json::Value"),
            );
            return Lowered::of(Ty::Any);
        }
        let Some(name) = ref_name(reference, "schemas") else {
            return self.lower_pointer_ref(reference, pointer);
        };
        if let Some(path) = self.lowerer.external.get(&name) {
            let ty = Ty::External(path.clone(), Box::new(Ty::Any));
            let nullable = resolve_schema(self.components, reference).is_some_and(|(_, s)| s.schema_data.nullable);
            return Lowered { ty, nullable, blank_is_null: false };
        }
        let Some(id) = pick_view(&self.lowerer.component_types, &name, self.view) else {
            let message = format!("reference `{reference}` points at nothing");
            self.lowerer.diagnostics.push(Diagnostic::error(pointer, message));
            return Lowered::of(Ty::Any);
        };
        let nullable = resolve_schema(self.components, reference).is_some_and(|(_, s)| s.schema_data.nullable);
        Lowered { ty: Ty::Named(id), nullable, blank_is_null: false }
    }

    /// Lowers a `$ref` to a schema somewhere else than directly under `components/schemas`
    /// (`#/components/schemas/A/properties/b`, `#/paths/...`): the schema there gets a named
    /// type of its own, made once per reference.
    fn lower_pointer_ref(&mut self, reference: &str, pointer: &str) -> Lowered {
        if self.following.contains(reference) {
            self.warn(
                pointer,
                format!("`{reference}` is a chain of references that loops; it becomes serde_json::Value"),
            );
            return Lowered::of(Ty::Any);
        }
        if let Some(id) = self.lowerer.pointer_types.get(reference) {
            return Lowered::of(Ty::Named(*id));
        }
        // A fragment is a URI part, so `{` may be spelled `%7B`.
        let decoded = percent_encoding::percent_decode_str(reference.trim_start_matches('#')).decode_utf8_lossy();
        // Defused first: what the reference points at was walked as data, not as a schema.
        let target = self.lowerer.doc.pointer(&decoded).map(|node| {
            let mut node = node.clone();
            crate::load::defuse_schema(&mut node);
            ReferenceOr::<Schema>::deserialize(&node)
        });
        let schema = match target {
            Some(Ok(ReferenceOr::Item(schema))) => schema,
            Some(Ok(ReferenceOr::Reference { reference: next })) if next != reference => {
                // Marked first, so a chain that loops back ends here.
                self.following.insert(reference.to_owned());
                let l = self.lower_ref(&next, pointer);
                self.following.remove(reference);
                return l;
            }
            Some(Err(e)) => {
                self.warn(
                    pointer,
                    format!("cannot read the schema at `{reference}` ({e}); it becomes serde_json::Value"),
                );
                return Lowered::of(Ty::Any);
            }
            _ => {
                let message = format!("reference `{reference}` points at nothing");
                self.lowerer.diagnostics.push(Diagnostic::error(pointer, message));
                return Lowered::of(Ty::Any);
            }
        };
        let segments: Vec<&str> = reference.trim_start_matches("#/").split('/').collect();
        let unescape = |s: &str| pascal(&s.replace("~1", "/").replace("~0", "~"));
        let owner = match segments.as_slice() {
            ["components", _, owner, ..] => unescape(owner),
            _ => String::new(),
        };
        let last = segments.last().map(|s| unescape(s)).unwrap_or_default();
        let name = self.lowerer.type_names.claim_type(&format!("{owner}{last}"));
        let id = self.add_named(name.clone(), reference, docs_of(&schema.schema_data), TypeKind::Alias(Ty::Any));
        self.lowerer.pointer_types.insert(reference.to_owned(), id);
        let kind = match self.classify(&schema, &name, reference) {
            Classified::Kind(kind) => kind,
            Classified::Ty(l) => TypeKind::Alias(l.ty),
        };
        self.lowerer.types[id.0].kind = kind;
        Lowered { ty: Ty::Named(id), nullable: schema.schema_data.nullable, blank_is_null: false }
    }

    /// Lowers an inline schema: a type expression, or a named type called `hint`.
    fn lower_inline(&mut self, s: &Schema, hint: &str, pointer: &str) -> Lowered {
        // Inline schemas nest only as deep as the document does, except when allOf merges copy a
        // recursive component's properties inline again and again; stop there.
        if self.inline_depth >= MAX_INLINE_DEPTH {
            self.warn(
                pointer,
                format!(
                    "inline schemas nest more than {MAX_INLINE_DEPTH} deep (a recursive allOf?); \
                     this one becomes serde_json::Value"
                ),
            );
            return Lowered::of(Ty::Any);
        }
        if let Some(value) = s.schema_data.extensions.get("x-rust-type") {
            if let Some(path) = self.lowerer.rust_type(value, pointer) {
                let ty = Ty::External(path, Box::new(Ty::Any));
                return Lowered { ty, nullable: s.schema_data.nullable, blank_is_null: false };
            }
        }
        self.inline_depth += 1;
        let classified = self.classify(s, hint, pointer);
        self.inline_depth -= 1;
        match classified {
            Classified::Ty(l) => l,
            Classified::Kind(kind) => {
                let name = self.lowerer.type_names.claim_type(hint);
                let id = self.add_named(name, pointer, docs_of(&s.schema_data), kind);
                Lowered { ty: Ty::Named(id), nullable: s.schema_data.nullable, blank_is_null: false }
            }
        }
    }
}

/// Lowers a small document given as YAML text, for the tests of lowering.
#[cfg(test)]
pub(super) fn lower_yaml(text: &str) -> (crate::ir::Api, Vec<Diagnostic>) {
    let mut doc = crate::load::parse("test.yaml", text).expect("the test document parses");
    crate::load::normalize(&mut doc);
    let (api, diagnostics) = super::lower(&doc, &crate::config::Tailoring::default());
    (api.expect("the test document lowers"), diagnostics)
}

/// The type called `name` in a lowered test document.
#[cfg(test)]
fn type_named<'a>(api: &'a crate::ir::Api, name: &str) -> &'a TypeDef {
    api.types.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("a type called {name}"))
}

/// The fields of the struct called `name` in a lowered test document.
#[cfg(test)]
fn fields_of<'a>(api: &'a crate::ir::Api, name: &str) -> &'a [crate::ir::Field] {
    match &type_named(api, name).kind {
        TypeKind::Struct(s) => &s.fields,
        other => panic!("{name} is not a struct: {other:?}"),
    }
}
