//! The `server` module: the `Api` trait (one async method per operation), validation schemas
//! for every model, one axum handler per operation, and `router`.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens as _, quote};

use super::operations::{payload_ty, route, variant_keeps_status};
use super::{At, Container, Options, Piece, Rendered, doc_attrs, gate, ident, rt, scheme_kind, ty};
use crate::ir::{
    Api, Argument, Authentication, Constraints, HttpMethod, MediaKind, Operation, ParamLocation, PathPart, TypeDef,
    TypeKind,
};

mod validation;

use validation::{Paths, param_schema, schema_of, schema_static};

/// `server::schemas`: one static schema per model type that a request can carry (parameters
/// and bodies, and what they contain), named as the type, after the imports they use.
fn schemas(api: &Api) -> Piece<Unit<'_>> {
    let reachable = api.reachable(api.operations.iter().flat_map(|op| op.request_types()));
    let used: Vec<&TypeDef> = api.types.iter().zip(&reachable).filter(|(_, used)| **used).map(|(def, _)| def).collect();
    let has_fields = used.iter().any(|def| matches!(&def.kind, TypeKind::Struct(s) if !s.fields.is_empty()));
    let imports = (!used.is_empty()).then_some(Unit::SchemaImports { has_fields });
    let members = imports.into_iter().chain(used.into_iter().map(Unit::Schema)).collect();
    Piece::Container { kind: Container::Module, shell: Unit::Schemas, members }
}

/// The imports of `server::schemas`.
fn schema_imports(api: &Api, has_fields: bool) -> TokenStream {
    // Features may compile every static out.
    let allow = (!api.features.is_empty()).then(|| quote!(#[allow(unused_imports)]));
    if has_fields {
        quote!(#allow use super::super::server_runtime::{Field, Schema};)
    } else {
        quote!(#allow use super::super::server_runtime::Schema;)
    }
}

/// The body content the server reads: the first (JSON preferred) and every accepted media type.
fn body_info(op: &Operation) -> Option<(&crate::ir::Content, Vec<&str>, bool)> {
    let body = op.body.as_ref()?;
    let first = body.contents.first()?;
    let accepted = body.contents.iter().map(|c| c.media_type.as_str()).collect();
    Some((first, accepted, body.required))
}

fn body_arg_ty(api: &Api, op: &Operation, at: &At) -> Option<TokenStream> {
    let (content, _, required) = body_info(op)?;
    let t = match content.kind() {
        MediaKind::Text => quote!(::std::string::String),
        MediaKind::Binary => quote!(::std::vec::Vec<u8>),
        _ => payload_ty(api, content, at),
    };
    Some(if required { t } else { quote!(::std::option::Option<#t>) })
}

/// The trait method's arguments: [`Operation::arguments`], then the principal when the operation
/// is secured.
pub(super) fn trait_params(api: &Api, op: &Operation, at: &At) -> Vec<(TokenStream, TokenStream)> {
    let mut out = Vec::new();
    for argument in op.arguments() {
        match argument {
            Argument::Param(p) => {
                let name = ident(&p.name);
                let t = ty(api, &p.ty, at);
                out.push((quote!(#name), if p.required { t } else { quote!(::std::option::Option<#t>) }));
            }
            Argument::Query(q) => out.push((quote!(query), at.sibling_item("operations", q))),
            Argument::Body(_) => out.extend(body_arg_ty(api, op, at).map(|b| (quote!(body), b))),
        }
    }
    let rt = rt();
    match op.authentication() {
        Authentication::None => {}
        Authentication::Optional => out.push((quote!(principal), quote!(::std::option::Option<#rt::Principal>))),
        Authentication::Required => out.push((quote!(principal), quote!(#rt::Principal))),
    }
    out
}

/// What a method of the server trait returns: a `Send` future of the operation's response enum
/// or a problem.
pub(super) fn trait_output(op: &Operation, at: &At) -> TokenStream {
    let rt = rt();
    let response = at.sibling_item("operations", &op.response_enum);
    quote!(impl ::std::future::Future<Output = ::std::result::Result<#response, #rt::Problem>> + ::std::marker::Send)
}

/// A method of the server trait (or of `testing::FakeApi`, which shares its shape); with
/// `default_body` it answers 501 unless implemented.
pub(super) fn trait_method(api: &Api, op: &Operation, default_body: bool) -> TokenStream {
    let at = At::sibling();
    let rt = rt();
    let name = ident(&op.name);
    let pairs = trait_params(api, op, &at);
    let params: Vec<TokenStream> = pairs.iter().map(|(n, t)| quote!(#n: #t)).collect();
    let output = trait_output(op, &at);
    let mut notes = vec![route(op)];
    let scopes: Vec<String> = op
        .security
        .iter()
        .flat_map(|r| r.schemes.iter().flat_map(|(_, s)| s.iter().map(|s| format!("`{s}`"))))
        .collect();
    if !scopes.is_empty() {
        notes.push(format!("Required scopes (checked before this is called): {}.", scopes.join(", ")));
    }
    let docs = doc_attrs(&op.docs, &notes);
    if default_body {
        let names = pairs.iter().map(|(n, _)| n);
        quote! {
            #docs
            fn #name(&self, #(#params),*) -> #output {
                let _ = (#(#names,)*);
                async { ::std::result::Result::Err(#rt::Problem::not_implemented()) }
            }
        }
    } else {
        quote! {
            #docs
            fn #name(&self, #(#params),*) -> #output;
        }
    }
}

/// One path parameter's place in the route: which parameter segment holds it, that segment's
/// literal text around its placeholders, and which placeholder it is.
struct PathSlot {
    segment: usize,
    literals: Vec<String>,
    nth: usize,
}

/// The axum route for a path (every segment with a placeholder captured whole as `{pN}`) and
/// each path parameter's slot, by the parameter's Rust name.
fn axum_route(op: &Operation) -> (String, BTreeMap<&str, PathSlot>) {
    // The template's `/`-segments, each as literal text around its placeholders.
    let mut segments: Vec<(Vec<String>, Vec<usize>)> = vec![(vec![String::new()], Vec::new())];
    for part in &op.template.parts {
        match part {
            PathPart::Literal(text) => {
                let mut pieces = text.split('/');
                if let (Some(first), Some(last)) =
                    (pieces.next(), segments.last_mut().and_then(|(literals, _)| literals.last_mut()))
                {
                    last.push_str(first);
                }
                segments.extend(pieces.map(|piece| (vec![piece.to_owned()], Vec::new())));
            }
            PathPart::Param(index) => {
                if let Some((literals, params)) = segments.last_mut() {
                    params.push(*index);
                    literals.push(String::new());
                }
            }
        }
    }
    let mut slots = BTreeMap::new();
    let mut written = Vec::with_capacity(segments.len());
    let mut captured = 0;
    for (literals, params) in segments {
        if params.is_empty() {
            written.extend(literals);
            continue;
        }
        let segment = captured;
        captured += 1;
        written.push(format!("{{p{segment}}}"));
        for (nth, index) in params.into_iter().enumerate() {
            slots.insert(op.params[index].name.as_str(), PathSlot { segment, literals: literals.clone(), nth });
        }
    }
    let route = written.join("/");
    (if route.is_empty() { "/".to_owned() } else { route }, slots)
}

/// Reading a path, header or cookie parameter into a local of its name; `slot` is a path
/// parameter's place in the route.
fn param_read(api: &Api, p: &crate::ir::Param, slot: Option<&PathSlot>) -> TokenStream {
    let rt = rt();
    let local = ident(&p.name);
    let t = ty(api, &p.ty, &At::sibling());
    match (p.location, slot) {
        (ParamLocation::Path, Some(slot)) => {
            let segment = Literal::usize_unsuffixed(slot.segment);
            let nth = Literal::usize_unsuffixed(slot.nth);
            let literals = &slot.literals;
            let wire = &p.wire_name;
            let schema = schema_of(api, &p.ty, &p.constraints, &Paths::in_server());
            quote! {
                let #local = {
                    static PARAM: #rt::PathParam<'static> = #rt::PathParam {
                        name: #wire,
                        schema: #schema,
                        segment: #segment,
                        literals: &[#(#literals),*],
                        nth: #nth,
                    };
                    incoming.path::<#t>(&PARAM)
                };
            }
        }
        _ => {
            let param = param_schema(api, p);
            let read = if p.location == ParamLocation::Cookie { quote!(cookie) } else { quote!(header) };
            let present = p.required.then(|| quote!(.and_then(#rt::present)));
            quote!(let #local = incoming.#read::<#t>(&#param)#present;)
        }
    }
}

/// Reading the body into `body`.
fn body_read(api: &Api, op: &Operation) -> TokenStream {
    let rt = rt();
    let Some((content, accepted, required)) = body_info(op) else { return TokenStream::new() };
    let (read, schema) = match content.kind() {
        MediaKind::Text => (quote!(incoming.text(&BODY)?), quote!(&#rt::Schema::Any)),
        MediaKind::Binary => (quote!(incoming.bytes(&BODY)?), quote!(&#rt::Schema::Any)),
        _ => {
            let t = payload_ty(api, content, &At::sibling());
            let s = content.ty.as_ref().map_or_else(
                || quote!(&#rt::Schema::Any),
                |ty| schema_of(api, ty, &Constraints::default(), &Paths::in_server()),
            );
            (quote!(incoming.body::<#t>(&BODY).await?), s)
        }
    };
    let present = required.then(|| quote!(.and_then(#rt::present)));
    quote! {
        static BODY: #rt::BodyParam<'static> =
            #rt::BodyParam { accepted: &[#(#accepted),*], schema: #schema, required: #required };
        let body = #read #present;
    }
}

fn handler(api: &Api, op: &Operation) -> TokenStream {
    let at = At::sibling();
    let rt = rt();
    let name = ident(&op.name);
    let requirements = op.security.iter().map(|req| {
        let items = req.schemes.iter().map(|(scheme, scopes)| {
            let kind = scheme_kind(api, scheme);
            quote!(#rt::Required { scheme: #scheme, kind: #rt::SchemeKind::#kind, scopes: &[#(#scopes),*] })
        });
        quote!(&[#(#items),*])
    });
    let (_, slots) = axum_route(op);
    // One read per argument, in the order of the arguments (which is also the order of the
    // violations a 400 lists). Each read is a `Result<_, Missing>` whose violation `finish`
    // reports; the call passes them on with `?`.
    let mut reads = Vec::new();
    let mut call_args = Vec::new();
    for argument in op.arguments() {
        let (read, arg) = match argument {
            Argument::Param(p) => {
                let slot = slots.get(p.name.as_str());
                (param_read(api, p, slot), ident(&p.name).into_token_stream())
            }
            Argument::Query(q) => {
                let q = at.sibling_item("operations", q);
                let params =
                    op.params.iter().filter(|p| p.location == ParamLocation::Query).map(|p| param_schema(api, p));
                let read = quote! {
                    static QUERY: &[#rt::Param] = &[#(#params),*];
                    let query = incoming.query::<#q>(QUERY);
                };
                (read, quote!(query))
            }
            Argument::Body(_) => (body_read(api, op), quote!(body)),
        };
        reads.push(read);
        call_args.push(quote!(#arg?));
    }
    let principal = match op.authentication() {
        Authentication::None => quote!(let _ = principal;),
        Authentication::Optional => {
            call_args.push(quote!(principal));
            quote!()
        }
        Authentication::Required => {
            call_args.push(quote!(principal));
            quote!(let principal = principal.ok_or_else(#rt::Problem::unauthorized)?;)
        }
    };
    let has_body = body_info(op).is_some();
    let info = super::operations::operation_info(op, &rt);
    let (incoming, finish, within) = if reads.is_empty() {
        (quote!(_incoming), quote!(), quote!(_incoming))
    } else {
        let finish = quote!(incoming.finish()?;);
        (quote!(mut incoming), finish, quote!(incoming))
    };
    quote! {
        async fn #name<A: Api, U: #rt::Authenticator>(
            ::axum::extract::State(shared): #rt::State<A, U>,
            request: ::axum::extract::Request,
        ) -> ::axum::response::Response {
            static ENDPOINT: #rt::Endpoint<'static> = #rt::Endpoint {
                operation: #info,
                security: &[#(#requirements),*],
                body: #has_body,
            };
            // Every `?` answers with the problem found (401, 403, 400, 413, 415).
            #rt::respond(async {
                let (#incoming, principal) = #rt::begin(&shared, request, &ENDPOINT).await?;
                #principal
                #(#reads)*
                #finish
                // The implementation runs with the request at hand (`RequestContext::current`).
                #rt::within(#within, shared.api.#name(#(#call_args),*)).await
            }.await)
        }
    }
}

/// The operations of one route answering one method.
type MethodOps<'a> = (HttpMethod, Vec<&'a Operation>);

/// Each path with its methods, in router order.
type Routes<'a> = Vec<(String, Vec<MethodOps<'a>>)>;

/// A handler for operations sharing a route and method: the first whose path template the
/// request fits (most literal text first) handles it.
fn dispatcher(api: &Api, name: &proc_macro2::Ident, ops: &[&Operation]) -> TokenStream {
    let rt = rt();
    let mut ordered: Vec<&&Operation> = ops.iter().collect();
    ordered.sort_by_key(|op| {
        let literal =
            op.template.parts.iter().map(|part| if let PathPart::Literal(text) = part { text.len() } else { 0 });
        std::cmp::Reverse(literal.sum::<usize>())
    });
    let branches = ordered.iter().map(|op| {
        let handler = ident(&op.name);
        let template = &op.path;
        let gate = gate(api, &op.features);
        quote! {
            #gate
            if #rt::path_matches(#template, &path) {
                return #handler::<A, U>(state, request).await;
            }
        }
    });
    quote! {
        async fn #name<A: Api, U: #rt::Authenticator>(
            state: ::axum::extract::State<::std::sync::Arc<#rt::Shared<A, U>>>,
            request: ::axum::extract::Request,
        ) -> ::axum::response::Response {
            use ::axum::response::IntoResponse as _;
            let path = request.uri().path().to_owned();
            #(#branches)*
            #rt::Problem::not_found().into_response()
        }
    }
}

/// `IntoResponse` for an operation's response enum.
fn into_response(op: &Operation) -> TokenStream {
    let at = At::sibling();
    let rt = rt();
    let enum_path = at.sibling_item("operations", &op.response_enum);
    let arms = op.responses.iter().map(|r| {
        let variant = ident(&r.variant);
        let status = match r.status {
            crate::ir::Status::Code(n) => {
                let n = Literal::u16_unsuffixed(n);
                quote!(#n)
            }
            _ => quote!(status),
        };
        let keeps = variant_keeps_status(r.status);
        match r.contents.first() {
            None => {
                let pattern = if keeps { quote!(Self::#variant(status)) } else { quote!(Self::#variant) };
                quote!(#pattern => #rt::raw_response(#status, "", ::std::vec::Vec::new()),)
            }
            Some(content) => {
                let pattern = if keeps { quote!(Self::#variant(status, body)) } else { quote!(Self::#variant(body)) };
                let media = &content.media_type;
                let write = match content.kind() {
                    MediaKind::Text => quote!(#rt::raw_response(#status, #media, body.into_bytes())),
                    MediaKind::Binary => quote!(#rt::raw_response(#status, #media, body)),
                    _ => quote!(#rt::json_response(#status, &body)),
                };
                quote!(#pattern => #write,)
            }
        }
    });
    let body = if op.responses.is_empty() { quote!(match self {}) } else { quote!(match self { #(#arms)* }) };
    quote! {
        impl ::axum::response::IntoResponse for #enum_path {
            fn into_response(self) -> ::axum::response::Response {
                #body
            }
        }
    }
}

/// The features any of which compiles a handler serving all of `ops` (none: always).
fn union_features(ops: &[&Operation]) -> Vec<crate::ir::FeatureId> {
    if ops.iter().any(|op| op.features.is_empty()) {
        return Vec::new();
    }
    let mut all: Vec<crate::ir::FeatureId> = ops.iter().flat_map(|op| op.features.iter().copied()).collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// Routes by axum path (each parameter a whole segment). Operations whose paths differ only in
/// literal text beside a parameter (`/{name}:get`, `/{name}:set`) share a route and method; a
/// dispatcher picks the one whose template the request path fits.
fn routes(api: &Api) -> Routes<'_> {
    let mut routes: std::collections::BTreeMap<String, Vec<MethodOps<'_>>> = std::collections::BTreeMap::new();
    for op in &api.operations {
        let (path, _) = axum_route(op);
        let entry = routes.entry(path).or_default();
        match entry.iter_mut().find(|(m, _)| *m == op.method) {
            Some((_, ops)) => ops.push(op),
            None => entry.push((op.method, vec![op])),
        }
    }
    routes.into_iter().collect()
}

/// The handler a route's method calls: the operation's own, or its dispatcher.
fn route_target(ops: &[&Operation]) -> proc_macro2::Ident {
    let first = ops[0];
    match &first.dispatcher {
        Some(dispatcher) if ops.len() > 1 => ident(dispatcher),
        _ => ident(&first.name),
    }
}

/// `router`: every route, each method behind its operations' features, and a route whose
/// methods are all compiled out left out (so it answers 404, not 405). One statement per route.
fn router(routes: Routes<'_>) -> Piece<Unit<'_>> {
    let mut members = vec![Unit::RouterStart];
    members.extend(routes.into_iter().map(|(path, methods)| Unit::Route { path, methods }));
    members.push(Unit::RouterEnd);
    Piece::Container { kind: Container::Body, shell: Unit::Router, members }
}

/// The `MethodFilter` that routes a method (`GET`).
fn method_filter(method: HttpMethod) -> TokenStream {
    let name = proc_macro2::Ident::new(&method.key().to_ascii_uppercase(), proc_macro2::Span::call_site());
    quote!(::axum::routing::MethodFilter::#name)
}

/// `let router = router.route(..);` for one path: each method's handler inside the layers the
/// configuration picks for its operations, a method behind its operations' features.
fn route_statement(api: &Api, path: &str, methods: &[MethodOps<'_>]) -> TokenStream {
    let rt = rt();
    let route_ops: Vec<&Operation> = methods.iter().flat_map(|(_, ops)| ops.iter().copied()).collect();
    let route_features = union_features(&route_ops);
    let route_gate = gate(api, &route_features);
    let ons = methods.iter().map(|(method, ops)| {
        let features = union_features(ops);
        // A method's gate is needed only where it differs from the route's.
        let g = if features == route_features { quote!() } else { gate(api, &features) };
        let (filter, target) = (method_filter(*method), route_target(ops));
        let infos = ops.iter().map(|op| super::operations::operation_info(op, &rt));
        quote! {
            #g let methods = #rt::on(methods, &shared, #filter, #target::<A, U>, &[#(&#infos),*]);
        }
    });
    quote! {
        #route_gate let router = router.route(#path, {
            let methods = ::axum::routing::MethodRouter::new();
            #(#ons)*
            methods.fallback(#rt::method_not_allowed)
        });
    }
}

/// A unit of the `server` module.
#[derive(Debug)]
pub(crate) enum Unit<'a> {
    /// The runtime's re-exports and import.
    Head,
    /// `trait Api {}`.
    Api,
    /// An operation's method of the trait.
    TraitMethod(&'a Operation),
    /// `fn router() {}`.
    Router,
    /// The router's first statements.
    RouterStart,
    /// The router's statement for one path.
    Route { path: String, methods: Vec<MethodOps<'a>> },
    /// The router's final expression.
    RouterEnd,
    /// An operation's handler.
    Handler(&'a Operation),
    /// The handler of operations sharing a route and method.
    Dispatcher(MethodOps<'a>),
    /// `IntoResponse` for an operation's response enum.
    IntoResponse(&'a Operation),
    /// `mod schemas {}`.
    Schemas,
    /// The runtime's items that the schemas use.
    SchemaImports { has_fields: bool },
    /// One model's validation schema.
    Schema(&'a TypeDef),
}

/// The `server` module: the trait, the router, then per operation its handler and
/// `IntoResponse`, then the validation schemas; each trait method, route, handler and schema is
/// a unit.
pub(crate) fn plan(api: &Api) -> Vec<Piece<Unit<'_>>> {
    let ops = || api.operations.iter();
    // The router and the dispatchers share one grouping of routes.
    let routes = routes(api);
    let dispatchers: Vec<MethodOps<'_>> =
        routes.iter().flat_map(|(_, methods)| methods).filter(|(_, ops)| ops.len() > 1).cloned().collect();
    let mut pieces = vec![
        Piece::Items(Unit::Head),
        Piece::Container { kind: Container::Trait, shell: Unit::Api, members: ops().map(Unit::TraitMethod).collect() },
        router(routes),
    ];
    pieces.extend(ops().map(|op| Piece::Items(Unit::Handler(op))));
    pieces.extend(dispatchers.into_iter().map(|d| Piece::Items(Unit::Dispatcher(d))));
    pieces.extend(ops().map(|op| Piece::Items(Unit::IntoResponse(op))));
    pieces.push(schemas(api));
    pieces
}

/// Renders a unit of the `server` module.
pub(crate) fn render(api: &Api, options: &Options<'_>, unit: &Unit<'_>) -> Rendered {
    let rt = rt();
    match unit {
        Unit::Head => Rendered::always(quote! {
            pub use super::server_runtime::{
                Authenticator, Credential, OperationInfo, Principal, Problem, RequestContext, RouteLayer,
                ServerConfig, Violation,
            };
            #[allow(unused_imports)]
            use super::server_runtime as rt;
        }),
        Unit::Api => Rendered::always(quote! {
            /// The API to implement: one method per operation. Requests reach a method only after
            /// routing, authentication, scope checks and validation succeeded.
            pub trait Api: ::std::marker::Send + ::std::marker::Sync + 'static {}
        }),
        Unit::TraitMethod(op) => Rendered::gated(api, &op.features, trait_method(api, op, options.server_stubs)),
        Unit::Router => Rendered::always(quote! {
            /// A router serving `api`, with `auth` turning credentials into principals.
            pub fn router<A: Api, U: Authenticator>(api: A, auth: U, config: ServerConfig) -> ::axum::Router {}
        }),
        Unit::RouterStart => Rendered::always(quote! {
            let shared = ::std::sync::Arc::new(#rt::Shared { api, auth, config });
            let router = ::axum::Router::new();
        }),
        Unit::Route { path, methods } => Rendered::always(route_statement(api, path, methods)),
        Unit::RouterEnd => Rendered::always(quote!(#rt::finish(router, &shared, &super::document::DOCUMENT))),
        Unit::Handler(op) => Rendered::gated(api, &op.features, handler(api, op)),
        Unit::Dispatcher((_, ops)) => {
            Rendered::gated(api, &union_features(ops), dispatcher(api, &route_target(ops), ops))
        }
        Unit::IntoResponse(op) => Rendered::gated(api, &op.features, into_response(op)),
        Unit::Schemas => Rendered::always(quote! {
            /// Validation schemas of the models that requests carry, named as the models.
            #[allow(non_upper_case_globals)]
            pub mod schemas {}
        }),
        Unit::SchemaImports { has_fields } => Rendered::always(schema_imports(api, *has_fields)),
        Unit::Schema(def) => Rendered::always(schema_static(api, def)),
    }
}
