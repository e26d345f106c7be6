//! Operations: parameters, bodies, responses and security requirements.

use std::collections::BTreeMap;

use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr, RequestBody, Response, Schema,
    SecurityScheme, StatusCode,
};

use super::{Components, Lowerer, PathEntry, ref_name};
use crate::error::Diagnostic;
use crate::ir::{
    Content, Docs, Header, HttpMethod, Operation, Outcome, Param, ParamLocation, ParamStyle, PathPart, PathTemplate,
    RequestBody as IrBody, Response as IrResponse, SecurityRequirement, SecurityScheme as IrScheme, SecuritySchemeKind,
    Side, Status, Ty, View, is_success,
};
use crate::load::escape;
use crate::names::{Scope, pascal, snake};

/// Follows `$ref`s within one components section, at most a few hops, cycles included.
fn resolve<'c, T>(
    map: &'c std::collections::BTreeMap<String, ReferenceOr<T>>,
    section: &str,
    item: &'c ReferenceOr<T>,
) -> Option<&'c T> {
    let mut current = item;
    for _ in 0..16 {
        match current {
            ReferenceOr::Item(t) => return Some(t),
            ReferenceOr::Reference { reference } => current = map.get(&ref_name(reference, section)?)?,
        }
    }
    None
}

/// Where [`resolve`] finds the item: `pointer` itself when `item` is inline, else the component
/// the last `$ref` of the chain names, so what is said about a shared parameter, body, response
/// or header points into the component, where its text is, not below a `$ref`.
fn resolved_at<T>(
    map: &std::collections::BTreeMap<String, ReferenceOr<T>>,
    section: &str,
    item: &ReferenceOr<T>,
    pointer: &str,
) -> String {
    let (mut current, mut at) = (item, pointer.to_owned());
    for _ in 0..16 {
        let ReferenceOr::Reference { reference } = current else { break };
        let Some(name) = ref_name(reference, section) else { break };
        at = format!("#/components/{section}/{}", escape(&name));
        let Some(next) = map.get(&name) else { break };
        current = next;
    }
    at
}

pub(crate) fn resolve_param<'c>(c: &'c Components, p: &'c ReferenceOr<Parameter>) -> Option<&'c Parameter> {
    resolve(&c.parameters, "parameters", p)
}

pub(crate) fn resolve_body<'c>(c: &'c Components, b: &'c ReferenceOr<RequestBody>) -> Option<&'c RequestBody> {
    resolve(&c.request_bodies, "requestBodies", b)
}

pub(crate) fn resolve_response<'c>(c: &'c Components, r: &'c ReferenceOr<Response>) -> Option<&'c Response> {
    resolve(&c.responses, "responses", r)
}

fn first_media_schema(content: &indexmap::IndexMap<String, MediaType>) -> Option<&ReferenceOr<Schema>> {
    content.values().find_map(|m| m.schema.as_ref())
}

/// The schema of a parameter (its `schema`, or the schema of its single `content` entry).
pub(crate) fn param_schema<'c>(c: &'c Components, p: &'c ReferenceOr<Parameter>) -> Option<&'c ReferenceOr<Schema>> {
    match &resolve_param(c, p)?.parameter_data_ref().format {
        ParameterSchemaOrContent::Schema(s) => Some(s),
        ParameterSchemaOrContent::Content(content) => first_media_schema(content),
    }
}

pub(crate) fn header_schema<'c>(
    c: &'c Components,
    h: &'c ReferenceOr<openapiv3::Header>,
) -> Option<&'c ReferenceOr<Schema>> {
    match &resolve(&c.headers, "headers", h)?.format {
        ParameterSchemaOrContent::Schema(s) => Some(s),
        ParameterSchemaOrContent::Content(content) => first_media_schema(content),
    }
}

/// The schema of a header with its pointer, given the pointer of the header (or of its `$ref`).
fn header_schema_at<'c>(
    c: &'c Components,
    h: &'c ReferenceOr<openapiv3::Header>,
    pointer: &str,
) -> Option<(&'c ReferenceOr<Schema>, String)> {
    let at = resolved_at(&c.headers, "headers", h, pointer);
    match &resolve(&c.headers, "headers", h)?.format {
        ParameterSchemaOrContent::Schema(s) => Some((s, format!("{at}/schema"))),
        ParameterSchemaOrContent::Content(content) => content
            .iter()
            .find_map(|(media, m)| Some((m.schema.as_ref()?, format!("{at}/content/{}/schema", escape(media))))),
    }
}

/// JSON media types first, then the rest by name, so the preferred body comes first.
fn media_rank(media: &str) -> (u8, String) {
    let essence = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let rank = if essence == "application/json" {
        0
    } else if essence.ends_with("+json") || essence.ends_with("/json") {
        1
    } else {
        2
    };
    (rank, essence)
}

fn status_of(code: &StatusCode) -> Status {
    match code {
        StatusCode::Code(n) => Status::Code(*n),
        StatusCode::Range(n) => Status::Range(u8::try_from(*n).unwrap_or(0)),
    }
}

impl Lowerer<'_> {
    /// Lowers a list of media types into contents, one type per distinct schema.
    fn contents(
        &mut self,
        c: &Components,
        content: &indexmap::IndexMap<String, MediaType>,
        view: View,
        hint: &str,
        pointer: &str,
    ) -> Vec<Content> {
        let mut sorted: Vec<(&String, &MediaType)> = content.iter().collect();
        sorted.sort_by_key(|(m, _)| media_rank(m));
        let mut done: Vec<(&ReferenceOr<Schema>, Ty)> = Vec::new();
        let mut out = Vec::new();
        for (media, m) in sorted {
            let ty = m.schema.as_ref().map(|schema| {
                if let Some((_, ty)) = done.iter().find(|(s, _)| *s == schema) {
                    return ty.clone();
                }
                let ptr = format!("{pointer}/{}/schema", escape(media));
                let l = self.lower(c, schema, view, hint, &ptr);
                done.push((schema, l.ty.clone()));
                l.ty
            });
            out.push(Content { media_type: media.clone(), ty });
        }
        out
    }

    /// The method names `x-rust-name` gives operations, by the operation's pointer, claimed
    /// before any default name; an error for one that is no identifier or is taken.
    fn given_operation_names(&mut self, paths: &[PathEntry], names: &mut Scope) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for op_entry in paths.iter().flat_map(|e| &e.operations) {
            let Some(value) = op_entry.op.extensions.get("x-rust-name") else { continue };
            let problem = match value.as_str() {
                None => "x-rust-name must be a string".to_owned(),
                Some(name) => match crate::names::identifier_problem(name) {
                    Some(problem) => problem,
                    None if names.is_free(name) => {
                        out.insert(op_entry.pointer.clone(), names.claim(name));
                        continue;
                    }
                    None => format!("`{name}` is taken by another operation or by the client and server"),
                },
            };
            self.diagnostics.push(Diagnostic::error(format!("{}/x-rust-name", op_entry.pointer), problem));
        }
        out
    }

    /// Lowers every operation of every path.
    pub(crate) fn lower_operations(
        &mut self,
        c: &Components,
        paths: &[PathEntry],
        root_security: Option<&[openapiv3::SecurityRequirement]>,
    ) -> Vec<Operation> {
        let mut op_names = Scope::reserving(operation_reserved());
        let given = self.given_operation_names(paths, &mut op_names);
        // Types of the `operations` module: `<Op>Query`, `<Op>Response`.
        let mut op_types = Scope::new();
        let mut out = Vec::new();
        for entry in paths {
            for op_entry in &entry.operations {
                let op = &op_entry.op;
                let id = op
                    .operation_id
                    .clone()
                    .unwrap_or_else(|| format!("{}_{}", op_entry.method.key(), snake(&entry.path)));
                let pointer = op_entry.pointer.clone();

                // Operation parameters override path-level ones with the same name and location.
                let mut all: Vec<(&String, &ReferenceOr<Parameter>)> = Vec::new();
                let own: Vec<(&String, &ReferenceOr<Parameter>)> =
                    op_entry.params.iter().map(|(p, r)| (p, r)).collect();
                let key = |r: &ReferenceOr<Parameter>| {
                    resolve_param(c, r).map(|p| (p.parameter_data_ref().name.clone(), location(p)))
                };
                for (p, r) in &entry.params {
                    if !own.iter().any(|(_, o)| key(o).is_some() && key(o) == key(r)) {
                        all.push((p, r));
                    }
                }
                all.extend(own);
                let mut resolved = Vec::new();
                let mut located = Vec::new();
                for (ptr, r) in all {
                    match resolve_param(c, r) {
                        Some(p) => {
                            resolved.push((ptr, p));
                            located.push(resolved_at(&c.parameters, "parameters", r, ptr));
                        }
                        None => self
                            .diagnostics
                            .push(Diagnostic::error(ptr.clone(), "parameter reference points at nothing")),
                    }
                }
                let template = match parse_template(&entry.path, &resolved) {
                    Ok(template) => template,
                    Err(problem) => {
                        self.diagnostics.push(Diagnostic::warning(&pointer, format!("{problem}; operation skipped")));
                        continue;
                    }
                };
                let name = match given.get(&pointer) {
                    Some(name) => name.clone(),
                    None => op_names.claim(&snake(&id)),
                };
                let type_prefix = pascal(&name);
                // The names generated bodies use beside the arguments are taken first.
                let locals = crate::names::ARGUMENT_LOCALS;
                let wires =
                    locals.iter().copied().chain(resolved.iter().map(|(_, p)| p.parameter_data_ref().name.as_str()));
                let names = crate::names::assign(wires, snake).split_off(locals.len());
                let params: Vec<Param> = resolved
                    .into_iter()
                    .zip(names)
                    .zip(&located)
                    .map(|(((_, p), name), at)| self.param(c, p, &type_prefix, at, name))
                    .collect();

                let body = op.request_body.as_ref().and_then(|b| {
                    let ptr = format!("{pointer}/requestBody");
                    let Some(body) = resolve_body(c, b) else {
                        self.diagnostics.push(Diagnostic::error(&ptr, "request body reference points at nothing"));
                        return None;
                    };
                    let at = resolved_at(&c.request_bodies, "requestBodies", b, &ptr);
                    let contents = self.contents(
                        c,
                        &body.content,
                        View::Request,
                        &format!("{type_prefix}Body"),
                        &format!("{at}/content"),
                    );
                    Some(IrBody {
                        required: body.required,
                        contents,
                        docs: Docs { description: body.description.clone(), ..Docs::default() },
                    })
                });

                let mut responses = Vec::new();
                let listed = op.responses.responses.iter().map(|(code, r)| (status_of(code), code.to_string(), r));
                let default = op.responses.default.iter().map(|r| (Status::Default, "default".to_owned(), r));
                for (status, key, r) in listed.chain(default) {
                    let ptr = format!("{pointer}/responses/{key}");
                    let Some(resp) = resolve_response(c, r) else {
                        self.diagnostics.push(Diagnostic::error(&ptr, "response reference points at nothing"));
                        continue;
                    };
                    let label = status.code_text().unwrap_or_else(|| "Default".to_owned());
                    let hint = format!("{type_prefix}Response{label}");
                    let at = resolved_at(&c.responses, "responses", r, &ptr);
                    let contents = self.contents(c, &resp.content, View::Response, &hint, &format!("{at}/content"));
                    let listed: Vec<_> =
                        resp.headers.iter().filter(|(wire, _)| !wire.eq_ignore_ascii_case("content-type")).collect();
                    let mut headers = Vec::new();
                    for (wire, h) in listed {
                        let hptr = format!("{at}/headers/{}", escape(wire));
                        let ty = match header_schema_at(c, h, &hptr) {
                            Some((s, sptr)) => {
                                self.lower(c, s, View::Response, &format!("{hint}{}", pascal(wire)), &sptr).ty
                            }
                            None => Ty::String,
                        };
                        headers.push(Header { wire_name: wire.clone(), ty });
                    }
                    let variant = String::new();
                    responses.push(IrResponse {
                        status,
                        description: resp.description.clone(),
                        contents,
                        headers,
                        variant,
                    });
                }
                responses.sort_by_key(|r| r.status);
                let mut variants = Scope::new();
                for r in &mut responses {
                    r.variant = variants.claim(&crate::names::status_variant(r.status));
                }
                let has_query = params.iter().any(|p: &Param| p.location == ParamLocation::Query);
                let query_struct = has_query.then(|| op_types.claim_type(&format!("{type_prefix}Query")));
                let response_enum = op_types.claim_type(&format!("{type_prefix}Response"));
                let outcome = outcome(&responses, &type_prefix, &mut op_types);

                let security = op.security.as_deref().or(root_security).unwrap_or_default();
                let security = security
                    .iter()
                    .map(|req| SecurityRequirement {
                        schemes: req
                            .iter()
                            .map(|(scheme, scopes)| {
                                if !c.security_schemes.contains_key(scheme) {
                                    self.diagnostics.push(Diagnostic::warning(
                                        format!("{pointer}/security"),
                                        format!(
                                            "security scheme `{scheme}` is not defined in components/securitySchemes"
                                        ),
                                    ));
                                }
                                (scheme.clone(), scopes.clone())
                            })
                            .collect(),
                    })
                    .collect();

                out.push(Operation {
                    id,
                    name,
                    method: op_entry.method,
                    path: entry.path.clone(),
                    template,
                    pointer,
                    params,
                    body,
                    responses,
                    security,
                    tags: op.tags.clone(),
                    docs: Docs {
                        title: op.summary.clone(),
                        description: op.description.clone(),
                        deprecated: op.deprecated,
                    },
                    query_struct,
                    response_enum,
                    outcome,
                    pagination: None,
                    dispatcher: None,
                    features: Vec::new(),
                });
            }
        }
        // Operations that share a server route and method are reached through a dispatcher,
        // named beside the operations' handlers.
        let mut groups: std::collections::BTreeMap<(String, HttpMethod), Vec<usize>> = Default::default();
        for (index, op) in out.iter().enumerate() {
            groups.entry((op.template.shape(), op.method)).or_default().push(index);
        }
        for ((_, method), members) in groups.into_iter().filter(|(_, members)| members.len() > 1) {
            let first = out[members[0]].name.trim_start_matches("r#");
            let name = op_names.claim(&format!("dispatch_{first}_{}", method.key()));
            for index in members {
                out[index].dispatcher = Some(name.clone());
            }
        }
        out
    }

    fn param(&mut self, c: &Components, p: &Parameter, prefix: &str, pointer: &str, name: String) -> Param {
        let data = p.parameter_data_ref();
        let (style, default_explode) = match p {
            Parameter::Path { style, .. } => match style {
                PathStyle::Simple => (ParamStyle::Simple, false),
                PathStyle::Label => (ParamStyle::Label, false),
                PathStyle::Matrix => (ParamStyle::Matrix, false),
            },
            Parameter::Query { style, .. } => match style {
                QueryStyle::Form => (ParamStyle::Form, true),
                QueryStyle::SpaceDelimited => (ParamStyle::SpaceDelimited, false),
                QueryStyle::PipeDelimited => (ParamStyle::PipeDelimited, false),
                QueryStyle::DeepObject => (ParamStyle::DeepObject, true),
            },
            Parameter::Header { .. } => (ParamStyle::Simple, false),
            Parameter::Cookie { .. } => (ParamStyle::Form, true),
        };
        let location = location(p);
        let hint = format!("{prefix}{}", pascal(&data.name));
        let (ty, constraints) = match &data.format {
            ParameterSchemaOrContent::Schema(s) => {
                let constraints = match s {
                    ReferenceOr::Item(i) => super::shape::Shape::of(i).constraints,
                    ReferenceOr::Reference { .. } => Default::default(),
                };
                (self.lower(c, s, View::Request, &hint, &format!("{pointer}/schema")).ty, constraints)
            }
            ParameterSchemaOrContent::Content(content) => {
                match content.iter().find_map(|(media, m)| Some((media, m.schema.as_ref()?))) {
                    Some((media, s)) => {
                        let ptr = format!("{pointer}/content/{}/schema", escape(media));
                        (self.lower(c, s, View::Request, &hint, &ptr).ty, Default::default())
                    }
                    None => (Ty::String, Default::default()),
                }
            }
        };
        Param {
            wire_name: data.name.clone(),
            name,
            location,
            required: data.required || location == ParamLocation::Path,
            ty,
            style,
            explode: data.explode.unwrap_or(default_explode),
            constraints,
            docs: Docs {
                title: None,
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
            },
        }
    }

    /// Lowers `components/securitySchemes`.
    pub(crate) fn lower_security_schemes(&mut self, c: &Components) -> Vec<IrScheme> {
        let mut out = Vec::new();
        for (wire, scheme) in &c.security_schemes {
            let Some(scheme) = resolve(&c.security_schemes, "securitySchemes", scheme) else {
                self.diagnostics.push(Diagnostic::warning(
                    format!("#/components/securitySchemes/{}", escape(wire)),
                    "security scheme reference points at nothing; ignored",
                ));
                continue;
            };
            let kind = match scheme {
                SecurityScheme::HTTP { scheme, .. } => SecuritySchemeKind::Http { scheme: scheme.to_ascii_lowercase() },
                SecurityScheme::APIKey { location, name, .. } => SecuritySchemeKind::ApiKey {
                    location: match location {
                        openapiv3::APIKeyLocation::Query => ParamLocation::Query,
                        openapiv3::APIKeyLocation::Header => ParamLocation::Header,
                        openapiv3::APIKeyLocation::Cookie => ParamLocation::Cookie,
                    },
                    name: name.clone(),
                },
                SecurityScheme::OAuth2 { .. } => SecuritySchemeKind::OAuth2,
                SecurityScheme::OpenIDConnect { .. } => SecuritySchemeKind::OpenIdConnect,
            };
            out.push(IrScheme { wire_name: wire.clone(), kind });
        }
        out
    }
}

/// How the client splits the responses: several success statuses are an enum `<Op>Success`;
/// error statuses that do not all share one body type are an enum `<Op>Error`.
fn outcome(responses: &[IrResponse], prefix: &str, types: &mut Scope) -> Outcome {
    let (success, error): (Vec<usize>, Vec<usize>) =
        (0..responses.len()).partition(|&i| is_success(responses, responses[i].status));
    let body = |i: &usize| responses[*i].contents.first().map(|c| (c.kind(), c.ty.clone()));
    let success_enum = (success.len() > 1).then(|| types.claim_type(&format!("{prefix}Success")));
    let shared = error.first().is_none_or(|first| error.iter().all(|i| body(i) == body(first)));
    let error_enum = (!shared).then(|| types.claim_type(&format!("{prefix}Error")));
    Outcome {
        success: Side { responses: success, enum_name: success_enum },
        error: Side { responses: error, enum_name: error_enum },
    }
}

/// The names an operation's method and handler never take: the client's own methods and the
/// server's functions.
pub(super) fn operation_reserved() -> impl Iterator<Item = &'static str> {
    crate::names::CLIENT_METHODS.iter().chain(crate::names::SERVER_FUNCTIONS).copied()
}

/// Parses a path template against the operation's parameters (resolved, in `params` order):
/// every placeholder must name a path parameter, every path parameter must have one placeholder,
/// and two placeholders have literal text between them (where one ends and the next begins).
fn parse_template(path: &str, params: &[(&String, &Parameter)]) -> Result<PathTemplate, String> {
    let mut parts = Vec::new();
    let mut placed = vec![false; params.len()];
    let mut literal = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            return Err(format!("path template `{path}` has a `{{` without its `}}`"));
        };
        let wire = &rest[start + 1..start + len];
        literal.push_str(&rest[..start]);
        let index = params.iter().position(|(_, p)| {
            location(p) == ParamLocation::Path && p.parameter_data_ref().name == wire && !wire.contains('/')
        });
        let Some(index) = index else {
            return Err(format!("path template placeholder `{{{wire}}}` has no path parameter"));
        };
        if std::mem::replace(&mut placed[index], true) {
            return Err(format!("path template placeholder `{{{wire}}}` appears twice"));
        }
        if matches!(parts.last(), Some(PathPart::Param(_))) && literal.is_empty() {
            return Err(format!("path template `{path}` has two placeholders with no text between them"));
        }
        if !literal.is_empty() {
            parts.push(PathPart::Literal(std::mem::take(&mut literal)));
        }
        parts.push(PathPart::Param(index));
        rest = &rest[start + len + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parts.push(PathPart::Literal(literal));
    }
    let unplaced = params.iter().zip(&placed).find(|((_, p), placed)| location(p) == ParamLocation::Path && !**placed);
    if let Some(((_, p), _)) = unplaced {
        return Err(format!(
            "path parameter `{}` has no placeholder in the path template",
            p.parameter_data_ref().name
        ));
    }
    Ok(PathTemplate { parts })
}

fn location(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(name: &str, location: &str) -> Parameter {
        let value = serde_json::json!({"name": name, "in": location, "required": true, "schema": {"type": "string"}});
        serde_json::from_value(value).expect("a valid parameter")
    }

    #[test]
    fn path_templates_are_parsed_against_the_parameters() {
        let pointer = String::new();
        let (id, name, q) = (param("id", "path"), param("name", "path"), param("id", "query"));
        let params = [(&pointer, &q), (&pointer, &id), (&pointer, &name)];
        let template = parse_template("/a/{id}/b{name}.json", &params).expect("a good template");
        let lit = |s: &str| PathPart::Literal(s.to_owned());
        assert_eq!(template.parts, vec![lit("/a/"), PathPart::Param(1), lit("/b"), PathPart::Param(2), lit(".json")]);
        assert_eq!(template.shape(), "/a/{}/{}");
        let two = parse_template("/a/f(x='{id}',y='{name}')", &params).expect("two placeholders in a segment");
        assert_eq!(two.parts.len(), 5);
        assert_eq!(two.shape(), "/a/{}");
        let problems = [
            ("/a/{id}", "path parameter `name` has no placeholder in the path template"),
            ("/a/{id}/{name}/{other}", "path template placeholder `{other}` has no path parameter"),
            ("/a/{id}/{name}/{id}", "path template placeholder `{id}` appears twice"),
            ("/a/{id}{name}", "path template `/a/{id}{name}` has two placeholders with no text between them"),
            ("/a/{id}/{name", "path template `/a/{id}/{name` has a `{` without its `}`"),
        ];
        for (path, problem) in problems {
            assert_eq!(parse_template(path, &params), Err(problem.to_owned()), "{path}");
        }
    }
}
