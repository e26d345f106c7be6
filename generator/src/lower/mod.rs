//! Document to IR. Parts of the document are deserialized into `openapiv3` types one by one, so a
//! broken entry costs that entry (with a diagnostic) rather than the document; every problem is
//! recorded with its JSON pointer.

mod dedupe;
mod direction;
pub(crate) mod features;
mod operations;
mod pagination;
mod patterns;
mod schemas;
mod shape;
pub(crate) mod tailor;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use openapiv3::{Parameter, ReferenceOr, RequestBody, Response, Schema, SecurityScheme};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::config::Tailoring;
use crate::error::Diagnostic;
use crate::ir::{Api, TypeDef, TypeId, View};
use crate::load::escape;
use crate::names::Scope;

/// The parts of `components` that operations and schemas refer to, parsed entry by entry.
#[derive(Default)]
pub(crate) struct Components {
    pub schemas: BTreeMap<String, ReferenceOr<Schema>>,
    pub parameters: BTreeMap<String, ReferenceOr<Parameter>>,
    pub responses: BTreeMap<String, ReferenceOr<Response>>,
    pub request_bodies: BTreeMap<String, ReferenceOr<RequestBody>>,
    pub headers: BTreeMap<String, ReferenceOr<openapiv3::Header>>,
    pub security_schemes: BTreeMap<String, ReferenceOr<SecurityScheme>>,
}

/// State shared by the lowering passes.
pub(crate) struct Lowerer<'d> {
    /// The whole document, for `$ref`s that point inside a schema rather than at a component.
    pub doc: &'d Value,
    /// Types made for such `$ref`s, by reference.
    pub pointer_types: BTreeMap<String, TypeId>,
    pub components: Components,
    pub diagnostics: Vec<Diagnostic>,
    pub types: Vec<TypeDef>,
    pub type_names: Scope,
    /// The type of each (component schema, view) pair that exists.
    pub component_types: BTreeMap<(String, View), TypeId>,
    /// Why Rust's regex crate cannot run a pattern (`None`: it can), by pattern.
    pub pattern_verdicts: BTreeMap<String, Option<String>>,
    /// What the configuration says beyond the document's extensions.
    pub tailoring: &'d Tailoring,
    /// Component schemas replaced by Rust types (`x-rust-type`), by name.
    pub external: BTreeMap<String, String>,
    /// Dependencies the generated crate needs for them (name, Cargo.toml value).
    pub dependencies: BTreeMap<String, String>,
}

impl<'d> Lowerer<'d> {
    /// The extension `key` of the node at `pointer` (`#/...`), read from the document's text so
    /// it is found beside a `$ref` too.
    pub(crate) fn extension(&self, pointer: &str, key: &str) -> Option<&'d Value> {
        let doc: &'d Value = self.doc;
        doc.pointer(pointer.strip_prefix('#')?)?.get(key)
    }

    /// The Rust type an `x-rust-type` extension names (`{crate, version, path}`, as typify
    /// reads it), with the dependency it brings; `None` with an error when it is malformed.
    pub(crate) fn rust_type(&mut self, value: &Value, pointer: &str) -> Option<String> {
        let at = format!("{pointer}/x-rust-type");
        let path = value.get("path").and_then(Value::as_str);
        let Some(path) = path.filter(|p| syn::parse_str::<syn::Path>(p).is_ok()) else {
            self.diagnostics.push(Diagnostic::error(
                at,
                "x-rust-type must be an object with `path`, a Rust path (and `crate` and `version` for a dependency)",
            ));
            return None;
        };
        let krate = value.get("crate").and_then(Value::as_str);
        let version = value.get("version").and_then(Value::as_str);
        if let (Some(krate), Some(version)) = (krate, version) {
            if !matches!(krate, "crate" | "std" | "core" | "alloc" | "self" | "super") {
                let value = serde_json::Value::String(version.to_owned()).to_string();
                self.dependencies.entry(krate.to_owned()).or_insert(value);
            }
        }
        Some(path.to_owned())
    }
}

/// Lowers a parsed document into the IR, with every problem found.
pub fn lower<'d>(doc: &'d Value, tailoring: &'d Tailoring) -> (Option<Api>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let Some(root) = doc.as_object() else {
        diagnostics.push(Diagnostic::error("#", "the document is not an object"));
        return (None, diagnostics);
    };
    match root.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.") => {}
        Some(v) => {
            diagnostics
                .push(Diagnostic::error("#/openapi", format!("OpenAPI version {v} is not supported (3.x only)")));
            return (None, diagnostics);
        }
        None => {
            let what = if root.contains_key("swagger") {
                "Swagger 2.0 documents are not supported; convert to OpenAPI 3 first"
            } else {
                "missing `openapi` version: this does not look like an OpenAPI document"
            };
            let pointer = if root.contains_key("swagger") { "#/swagger" } else { "#/openapi" };
            diagnostics.push(Diagnostic::error(pointer, what));
            return (None, diagnostics);
        }
    }
    let mut lowerer = Lowerer {
        doc,
        pointer_types: BTreeMap::new(),
        components: Components::default(),
        diagnostics,
        types: Vec::new(),
        type_names: Scope::new(),
        component_types: BTreeMap::new(),
        pattern_verdicts: BTreeMap::new(),
        tailoring,
        external: BTreeMap::new(),
        dependencies: BTreeMap::new(),
    };
    lowerer.read_components(doc.get("components"));
    let paths = lowerer.read_paths(doc.get("paths"));
    let root_security =
        doc.get("security").and_then(|s| lowerer.part::<Vec<openapiv3::SecurityRequirement>>(s, "#/security"));

    // The components are read-only from here on; lowering borrows them beside its own state.
    let components = std::mem::take(&mut lowerer.components);
    let directions = direction::analyze(&components, &paths);
    lowerer.declare_component_types(&components, &directions);
    lowerer.lower_component_types(&components);
    let mut operations = lowerer.lower_operations(&components, &paths, root_security.as_deref());
    // Stream methods are named after every operation has its name, so `x_stream` never takes
    // the name of an operation called `x_stream`.
    let mut methods = crate::names::Scope::reserving(operations::operation_reserved());
    for op in &operations {
        methods.claim(&op.name);
    }
    for op in &mut operations {
        op.pagination = pagination::detect(&lowerer.types, op).map(|mut p| {
            p.method = methods.claim(&format!("{}_stream", op.name));
            p
        });
    }
    let security_schemes = lowerer.lower_security_schemes(&components);

    let info = doc.get("info");
    let text = |key: &str| info.and_then(|i| i.get(key)).and_then(Value::as_str).map(str::to_owned);
    let servers = doc
        .get("servers")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(|s| s.get("url")?.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let own_routes = crate::ir::OwnRoutes::free_among(operations.iter().map(|op| op.path.as_str()));
    let api = Api {
        title: text("title").unwrap_or_default(),
        version: text("version").unwrap_or_default(),
        description: text("description"),
        servers,
        types: lowerer.types,
        operations,
        security_schemes,
        features: Vec::new(),
        dependencies: {
            let mut all = std::mem::take(&mut lowerer.dependencies);
            all.extend(tailoring.dependencies.iter().map(|(k, v)| (k.clone(), v.clone())));
            all
        },
        own_routes,
    };
    let mut api = api;
    patterns::check(&mut api, &mut lowerer.pattern_verdicts, &mut lowerer.diagnostics);
    dedupe::merge_inline_types(&mut api);
    schemas::box_cycles(&mut api.types, &mut lowerer.diagnostics);
    (Some(api), lowerer.diagnostics)
}

/// One path item's operations, parsed, with their pointers.
pub(crate) struct PathEntry {
    pub path: String,
    pub params: Vec<(String, ReferenceOr<Parameter>)>,
    pub operations: Vec<OpEntry>,
}

/// One operation as parsed, with its own parameters (each with its pointer) kept apart.
pub(crate) struct OpEntry {
    pub method: crate::ir::HttpMethod,
    pub pointer: String,
    pub op: openapiv3::Operation,
    pub params: Vec<(String, ReferenceOr<Parameter>)>,
}

impl Lowerer<'_> {
    /// Deserializes one part of the document; a failure becomes a warning and `None`.
    pub fn part<T: DeserializeOwned>(&mut self, value: &Value, pointer: &str) -> Option<T> {
        part(value, pointer, &mut self.diagnostics)
    }

    fn read_map<T: DeserializeOwned>(&mut self, components: Option<&Value>, key: &str) -> BTreeMap<String, T> {
        let mut out = BTreeMap::new();
        let Some(map) = components.and_then(|c| c.get(key)) else { return out };
        let Some(map) = map.as_object() else {
            self.diagnostics.push(Diagnostic::error(format!("#/components/{key}"), "expected an object"));
            return out;
        };
        for (name, value) in map {
            let pointer = format!("#/components/{key}/{}", escape(name));
            if let Some(v) = self.part::<T>(value, &pointer) {
                out.insert(name.clone(), v);
            }
        }
        out
    }

    fn read_components(&mut self, components: Option<&Value>) {
        // A schema that cannot be parsed still gets a type (JSON value), so refs to it resolve.
        let mut schemas = BTreeMap::new();
        if let Some(c) = components
            && !c.is_object()
        {
            self.diagnostics.push(Diagnostic::error("#/components", "expected an object"));
        }
        let raw = components.and_then(|c| c.get("schemas"));
        if raw.is_some_and(|s| !s.is_object()) {
            self.diagnostics.push(Diagnostic::error("#/components/schemas", "expected an object"));
        }
        if let Some(map) = raw.and_then(Value::as_object) {
            let entries: Vec<(&String, &Value)> = map.iter().collect();
            let read = crate::parallel::in_parallel(&entries, |(name, value)| {
                ReferenceOr::<Schema>::deserialize(*value).map_err(|e| {
                    Diagnostic::warning(
                        format!("#/components/schemas/{}", escape(name)),
                        format!("cannot read this schema ({e}); it becomes serde_json::Value"),
                    )
                })
            });
            for ((name, _), schema) in entries.into_iter().zip(read) {
                let schema = schema.unwrap_or_else(|warning| {
                    self.diagnostics.push(warning);
                    ReferenceOr::Item(any_schema())
                });
                schemas.insert(name.clone(), schema);
            }
        }
        self.components.schemas = schemas;
        self.components.parameters = self.read_map(components, "parameters");
        self.components.responses = self.read_map(components, "responses");
        self.components.request_bodies = self.read_map(components, "requestBodies");
        self.components.headers = self.read_map(components, "headers");
        self.components.security_schemes = self.read_map(components, "securitySchemes");
    }

    fn read_paths(&mut self, paths: Option<&Value>) -> Vec<PathEntry> {
        let Some(paths) = paths else {
            return Vec::new();
        };
        let Some(paths) = paths.as_object() else {
            self.diagnostics.push(Diagnostic::error("#/paths", "expected an object"));
            return Vec::new();
        };
        // Path items are read on all cores; their diagnostics keep the document's order.
        let items: Vec<(&String, &Value)> = paths.iter().filter(|(path, _)| !path.starts_with("x-")).collect();
        let doc = self.doc;
        let read = crate::parallel::in_parallel(&items, |(path, item)| {
            let mut diagnostics = Vec::new();
            let entry = read_path(doc, path, item, &mut diagnostics);
            (entry, diagnostics)
        });
        let mut out = Vec::new();
        for (entry, diagnostics) in read {
            self.diagnostics.extend(diagnostics);
            out.extend(entry);
        }
        out
    }

    /// Adds a type and returns its id.
    pub fn add_type(&mut self, def: TypeDef) -> TypeId {
        self.types.push(def);
        TypeId(self.types.len() - 1)
    }
}

/// Deserializes one part of the document; a failure becomes a warning and `None`.
fn part<T: DeserializeOwned>(value: &Value, pointer: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<T> {
    match T::deserialize(value) {
        Ok(v) => Some(v),
        Err(e) => {
            diagnostics.push(Diagnostic::warning(pointer, format!("skipped: {e}")));
            None
        }
    }
}

fn read_params(
    list: Option<&Value>,
    pointer: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, ReferenceOr<Parameter>)> {
    let mut out = Vec::new();
    let Some(list) = list else { return out };
    let Some(list) = list.as_array() else {
        diagnostics.push(Diagnostic::warning(pointer, "`parameters` is not a list; ignored"));
        return out;
    };
    for (i, value) in list.iter().enumerate() {
        let p = format!("{pointer}/{i}");
        if let Some(param) = part::<ReferenceOr<Parameter>>(value, &p, diagnostics) {
            out.push((p, param));
        }
    }
    out
}

/// One path item and its operations.
fn read_path(doc: &Value, path: &str, item: &Value, diagnostics: &mut Vec<Diagnostic>) -> Option<PathEntry> {
    let pointer = format!("#/paths/{}", escape(path));
    let Some(item) = item.as_object() else {
        diagnostics.push(Diagnostic::warning(&pointer, "path item is not an object; skipped"));
        return None;
    };
    if item.contains_key("$ref") {
        diagnostics.push(Diagnostic::warning(&pointer, "path item $ref is not supported; skipped"));
        return None;
    }
    let mut path_params = item.get("parameters").cloned();
    if let Some(Value::Array(list)) = &mut path_params {
        list.iter_mut().for_each(|p| inline_foreign_ref(doc, p));
    }
    let params = read_params(path_params.as_ref(), &format!("{pointer}/parameters"), diagnostics);
    let mut operations = Vec::new();
    for method in crate::ir::HttpMethod::ALL {
        let Some(op) = item.get(method.key()) else { continue };
        let op_pointer = format!("{pointer}/{}", method.key());
        // Parameters are read one by one so one broken entry does not cost the operation.
        let mut op = op.clone();
        inline_foreign_refs(doc, &mut op);
        let op_params = op.get("parameters").cloned();
        if let Some(obj) = op.as_object_mut() {
            obj.remove("parameters");
        }
        let Some(op) = part::<openapiv3::Operation>(&op, &op_pointer, diagnostics) else { continue };
        let params = read_params(op_params.as_ref(), &format!("{op_pointer}/parameters"), diagnostics);
        operations.push(OpEntry { method, pointer: op_pointer, op, params });
    }
    Some(PathEntry { path: path.to_owned(), params, operations })
}

/// Replaces `{$ref}` to something outside `components` (a parameter of another path, say) with
/// the value it points at, so the usual component resolution handles the rest.
fn inline_foreign_ref(doc: &Value, value: &mut Value) {
    for _ in 0..8 {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else { return };
        if reference.starts_with("#/components/") || !reference.starts_with('#') {
            return;
        }
        let decoded = percent_encoding::percent_decode_str(&reference[1..]).decode_utf8_lossy();
        match doc.pointer(&decoded) {
            Some(target) => *value = target.clone(),
            None => return,
        }
    }
}

/// [`inline_foreign_ref`] for an operation's parameters, request body and responses.
fn inline_foreign_refs(doc: &Value, op: &mut Value) {
    if let Some(Value::Array(params)) = op.get_mut("parameters") {
        params.iter_mut().for_each(|p| inline_foreign_ref(doc, p));
    }
    if let Some(body) = op.get_mut("requestBody") {
        inline_foreign_ref(doc, body);
    }
    if let Some(Value::Object(responses)) = op.get_mut("responses") {
        responses.values_mut().for_each(|r| inline_foreign_ref(doc, r));
    }
}

/// `{}`: any JSON value.
pub(crate) fn any_schema() -> Schema {
    Schema { schema_data: Default::default(), schema_kind: openapiv3::SchemaKind::Any(Default::default()) }
}

/// The component name a local `$ref` points at, for the given section (`schemas`, `parameters`..).
pub(crate) fn ref_name(reference: &str, section: &str) -> Option<String> {
    let rest = reference.strip_prefix("#/components/")?;
    let name = rest.strip_prefix(section)?.strip_prefix('/')?;
    // `#/components/schemas/A/properties/b` points inside a component, not at one.
    if name.contains('/') {
        return None;
    }
    Some(name.replace("~1", "/").replace("~0", "~"))
}

/// The IR of a document's text, for tests: parsed, normalized and lowered (features assigned when
/// asked for), without an error.
#[cfg(test)]
pub(crate) fn from_text(text: &str, tag_features: bool) -> Api {
    let mut doc = crate::load::parse("t.yaml", text).expect("a test document parses");
    crate::load::normalize(&mut doc);
    let (api, diagnostics) = lower(&doc, &Tailoring::default());
    assert!(!diagnostics.iter().any(|d| d.severity == crate::error::Severity::Error), "{diagnostics:?}");
    let mut api = api.expect("a test document lowers");
    if tag_features {
        features::assign(&mut api);
    }
    api
}
