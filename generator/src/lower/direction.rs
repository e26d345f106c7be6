//! Which component schemas travel in requests, which in responses, and which must be split into
//! a request view and a response view because their readOnly / writeOnly properties differ.

use std::collections::BTreeSet;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::shape::Shape;
use super::{Components, PathEntry, ref_name};
use crate::ir::View;

/// The outcome of the analysis.
#[derive(Debug, Default)]
pub(crate) struct Directions {
    pub request: BTreeSet<String>,
    pub response: BTreeSet<String>,
    pub split: BTreeSet<String>,
}

impl Directions {
    /// The views a component schema is emitted in, first the one that keeps the plain name.
    pub fn views(&self, name: &str) -> Vec<View> {
        let req = self.request.contains(name);
        let resp = self.response.contains(name);
        if self.split.contains(name) {
            vec![View::Response, View::Request]
        } else if req && !resp {
            vec![View::Request]
        } else if resp && !req {
            vec![View::Response]
        } else {
            vec![View::Both]
        }
    }
}

/// Collects the component names a schema refers to when it travels in `view`: readOnly
/// properties do not travel in requests, writeOnly ones not in responses.
pub(crate) fn refs_of(schema: &ReferenceOr<Schema>, view: View, out: &mut BTreeSet<String>) {
    match schema {
        ReferenceOr::Reference { reference } => {
            if let Some(name) = ref_name(reference, "schemas") {
                out.insert(name);
            }
        }
        ReferenceOr::Item(schema) => refs_of_item(schema, view, out),
    }
}

fn refs_of_boxed(schema: &ReferenceOr<Box<Schema>>, view: View, out: &mut BTreeSet<String>) {
    match schema {
        ReferenceOr::Reference { reference } => {
            if let Some(name) = ref_name(reference, "schemas") {
                out.insert(name);
            }
        }
        ReferenceOr::Item(schema) => refs_of_item(schema, view, out),
    }
}

fn refs_of_item(schema: &Schema, view: View, out: &mut BTreeSet<String>) {
    let shape = Shape::of(schema);
    if let Some(props) = shape.properties {
        for prop in props.values() {
            if let ReferenceOr::Item(p) = prop
                && skipped_in(&p.schema_data, view)
            {
                continue;
            }
            refs_of_boxed(prop, view, out);
        }
    }
    if let Some(AdditionalProperties::Schema(s)) = shape.additional {
        refs_of(s, view, out);
    }
    if let Some(items) = shape.items {
        refs_of_boxed(items, view, out);
    }
    for s in shape.one_of.iter().chain(shape.any_of).chain(shape.all_of) {
        refs_of(s, view, out);
    }
}

/// Whether a property with these annotations is left out of a view.
pub(crate) fn skipped_in(data: &openapiv3::SchemaData, view: View) -> bool {
    match view {
        View::Request => data.read_only,
        View::Response => data.write_only,
        View::Both => false,
    }
}

/// Whether a schema has readOnly or writeOnly properties of its own (inline parts included).
fn has_own_rw(schema: &Schema) -> bool {
    let shape = Shape::of(schema);
    let inline = |s: &ReferenceOr<Schema>| matches!(s, ReferenceOr::Item(i) if has_own_rw(i));
    if let Some(props) = shape.properties {
        for prop in props.values() {
            if let ReferenceOr::Item(p) = prop
                && (p.schema_data.read_only || p.schema_data.write_only || has_own_rw(p))
            {
                return true;
            }
        }
    }
    if let Some(ReferenceOr::Item(items)) = shape.items
        && has_own_rw(items)
    {
        return true;
    }
    if let Some(AdditionalProperties::Schema(s)) = shape.additional
        && inline(s)
    {
        return true;
    }
    shape.one_of.iter().chain(shape.any_of).chain(shape.all_of).any(inline)
}

/// Runs the analysis over every operation of the document.
pub(crate) fn analyze(components: &Components, paths: &[PathEntry]) -> Directions {
    let mut dirs = Directions::default();
    let mut seeds_req = BTreeSet::new();
    let mut seeds_resp = BTreeSet::new();
    for entry in paths {
        let path_params = entry.params.iter().map(|(_, p)| p);
        for op in &entry.operations {
            for param in path_params.clone().chain(op.params.iter().map(|(_, p)| p)) {
                if let Some(schema) = super::operations::param_schema(components, param) {
                    refs_of(schema, View::Request, &mut seeds_req);
                }
            }
            if let Some(body) = &op.op.request_body
                && let Some(body) = super::operations::resolve_body(components, body)
            {
                for media in body.content.values() {
                    if let Some(s) = &media.schema {
                        refs_of(s, View::Request, &mut seeds_req);
                    }
                }
            }
            let responses = op.op.responses.responses.values().chain(op.op.responses.default.iter());
            for response in responses {
                if let Some(response) = super::operations::resolve_response(components, response) {
                    for media in response.content.values() {
                        if let Some(s) = &media.schema {
                            refs_of(s, View::Response, &mut seeds_resp);
                        }
                    }
                    for header in response.headers.values() {
                        if let Some(s) = super::operations::header_schema(components, header) {
                            refs_of(s, View::Response, &mut seeds_resp);
                        }
                    }
                }
            }
        }
    }
    dirs.request = closure(components, seeds_req, View::Request);
    dirs.response = closure(components, seeds_resp, View::Response);

    // A schema used both ways splits when it has readOnly/writeOnly properties, or refers (in
    // either view) to a schema that splits; iterate until nothing changes.
    let both: Vec<&String> = dirs.request.intersection(&dirs.response).collect();
    let mut split: BTreeSet<String> = both
        .iter()
        .filter(|n| matches!(components.schemas.get(n.as_str()), Some(ReferenceOr::Item(s)) if has_own_rw(s)))
        .map(|n| (*n).clone())
        .collect();
    loop {
        let mut changed = false;
        for name in &both {
            if split.contains(name.as_str()) {
                continue;
            }
            let Some(schema) = components.schemas.get(name.as_str()) else { continue };
            let mut refs = BTreeSet::new();
            refs_of(schema, View::Request, &mut refs);
            refs_of(schema, View::Response, &mut refs);
            if refs.iter().any(|r| split.contains(r)) {
                split.insert((*name).clone());
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    dirs.split = split;
    dirs
}

fn closure(components: &Components, seeds: BTreeSet<String>, view: View) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut work: Vec<String> = seeds.into_iter().collect();
    while let Some(name) = work.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = components.schemas.get(&name) {
            let mut refs = BTreeSet::new();
            refs_of(schema, view, &mut refs);
            work.extend(refs.into_iter().filter(|r| !seen.contains(r)));
        }
    }
    seen
}
