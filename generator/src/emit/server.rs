//! The `server` module: the `Api` trait (one async method per operation), validation schemas
//! for every model, one axum handler per operation, and `router`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::operations::{payload_ty, route, variant_keeps_status};
use super::{At, Container, Piece, Rendered, doc_attrs, gate, ident, scheme_kind, ty};
use crate::Settings;
use crate::ir::{
    Api, Constraints, EnumRepr, EnumValue, Field, MediaKind, Operation, Param, ParamLocation, ParamStyle,
    Ty, TypeDef, TypeKind,
};

/// The runtime, as the `server` module imports it.
fn rt() -> TokenStream {
    quote!(rt)
}

fn opt_f64(v: Option<(f64, bool)>) -> TokenStream {
    match v {
        Some((n, exclusive)) => {
            let n = Literal::f64_unsuffixed(n);
            quote!(::std::option::Option::Some((#n, #exclusive)))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => {
            let n = Literal::u64_unsuffixed(n);
            quote!(::std::option::Option::Some(#n))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn opt_str(v: Option<&str>) -> TokenStream {
    match v {
        Some(s) => quote!(::std::option::Option::Some(#s)),
        None => quote!(::std::option::Option::None),
    }
}

/// Paths to the runtime's `Schema` and to the module of named schemas, from where code is
/// emitted.
struct Paths {
    schema: TokenStream,
    schemas: TokenStream,
}

impl Paths {
    /// From inside `server::schemas`, which imports `Schema`.
    fn in_schemas() -> Self {
        Self { schema: quote!(Schema), schemas: quote!(self) }
    }

    /// From `server`.
    fn in_server() -> Self {
        Self { schema: quote!(rt::Schema), schemas: quote!(schemas) }
    }
}

/// A `&'static Schema` expression for a type with a field's or parameter's constraints. Inside
/// `server::schemas`, `Schema` and `Field` are imported (they live in the type namespace, the
/// statics in the value namespace, so no schema name can clash with them).
fn schema_of(api: &Api, t: &Ty, c: &Constraints, paths: &Paths) -> TokenStream {
    let schema = &paths.schema;
    let schemas = &paths.schemas;
    let unconstrained = c.min_length.is_none() && c.max_length.is_none() && c.pattern.is_none();
    let string = |format: Option<&str>| {
        let format = format.or(c.format.as_deref());
        // The runtime's constants name the common cases; anything else is a struct literal of
        // constants, which promotes to 'static anywhere (a const fn call would not, in a handler).
        let constant = match format {
            None => Some(quote!(STRING)),
            Some("uuid") => Some(quote!(UUID)),
            Some("date-time") => Some(quote!(DATE_TIME)),
            Some("date") => Some(quote!(DATE)),
            Some("byte") => Some(quote!(BYTE)),
            Some(_) => None,
        };
        match constant {
            Some(constant) if unconstrained => quote!(&#schema::#constant),
            _ => {
                let min = opt_u64(c.min_length);
                let max = opt_u64(c.max_length);
                let pattern = opt_str(c.pattern.as_deref());
                let format = opt_str(format);
                quote!(&#schema::String { min_length: #min, max_length: #max, pattern: #pattern, format: #format })
            }
        }
    };
    match t {
        Ty::Named(id) => {
            let name = ident(&api.ty(*id).name);
            quote!(&#schemas::#name)
        }
        Ty::String => string(None),
        Ty::Uuid => string(Some("uuid")),
        Ty::DateTime => string(Some("date-time")),
        Ty::Date => string(Some("date")),
        Ty::Base64 => string(Some("byte")),
        Ty::Bool => quote!(&#schema::Boolean),
        Ty::I32 | Ty::I64 if c.minimum.is_none() && c.maximum.is_none() => quote!(&#schema::INTEGER),
        Ty::F32 | Ty::F64 if c.minimum.is_none() && c.maximum.is_none() => quote!(&#schema::NUMBER),
        Ty::I32 | Ty::I64 => {
            let (min, max) = (opt_f64(c.minimum), opt_f64(c.maximum));
            quote!(&#schema::Integer { minimum: #min, maximum: #max })
        }
        Ty::F32 | Ty::F64 => {
            let (min, max) = (opt_f64(c.minimum), opt_f64(c.maximum));
            quote!(&#schema::Number { minimum: #min, maximum: #max })
        }
        Ty::Binary | Ty::Any => quote!(&#schema::Any),
        Ty::Unit => quote!(&#schema::Null),
        Ty::Vec(inner) => {
            let items = schema_of(api, inner, &Constraints::default(), paths);
            let (min, max) = (opt_u64(c.min_items), opt_u64(c.max_items));
            quote!(&#schema::Array { items: #items, min_items: #min, max_items: #max })
        }
        Ty::Map(inner) => {
            let values = schema_of(api, inner, &Constraints::default(), paths);
            quote!(&#schema::Map(#values))
        }
    }
}

fn field_schema(api: &Api, f: &Field, paths: &Paths) -> TokenStream {
    let schema = &paths.schema;
    let base = schema_of(api, &f.ty, &f.constraints, paths);
    if f.blank_is_null {
        quote!(&#schema::NullableOrBlank(#base))
    } else if f.nullable {
        quote!(&#schema::Nullable(#base))
    } else {
        base
    }
}

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

/// One model's validation schema.
fn schema_static(api: &Api, def: &TypeDef) -> TokenStream {
    let here = Paths::in_schemas();
    let name = ident(&def.name);
    let value = match &def.kind {
        TypeKind::Struct(s) => {
            let fields = s.fields.iter().map(|f| {
                let wire = &f.wire_name;
                let required = f.required;
                let schema = field_schema(api, f, &here);
                quote!(Field { name: #wire, required: #required, schema: #schema })
            });
            let additional = match &s.additional {
                Some(t) => {
                    let t = schema_of(api, t, &Constraints::default(), &here);
                    quote!(::std::option::Option::Some(#t))
                }
                None => quote!(::std::option::Option::None),
            };
            quote!(Schema::Object { fields: &[#(#fields),*], additional: #additional })
        }
        TypeKind::Enum(e) => match e.repr {
            EnumRepr::String => {
                let values = e.variants.iter().filter_map(|v| match &v.value {
                    EnumValue::Str(s) => Some(s.clone()),
                    EnumValue::Int(_) => None,
                });
                quote!(Schema::StringEnum(&[#(#values),*]))
            }
            EnumRepr::Integer => {
                let values = e.variants.iter().filter_map(|v| match &v.value {
                    EnumValue::Int(i) => Some(Literal::i64_unsuffixed(*i)),
                    EnumValue::Str(_) => None,
                });
                quote!(Schema::IntegerEnum(&[#(#values),*]))
            }
        },
        TypeKind::Union(u) => {
            let options = u.variants.iter().map(|v| schema_of(api, &v.ty, &Constraints::default(), &here));
            quote!(Schema::OneOf(&[#(#options),*]))
        }
        TypeKind::Alias(t) => {
            let s = schema_of(api, t, &Constraints::default(), &here);
            quote!(Schema::Ref(#s))
        }
        TypeKind::NullableAlias(t) => {
            let s = schema_of(api, t, &Constraints::default(), &here);
            quote!(Schema::Nullable(#s))
        }
    };
    let gate = gate(api, &def.features);
    quote!(#gate pub static #name: Schema = #value;)
}

/// Whether the operation requires a principal (it has requirements, none of them empty).
fn secured(op: &Operation) -> bool {
    !op.security.is_empty() && op.security.iter().all(|r| !r.schemes.is_empty())
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
        MediaKind::Binary => quote!(::serde_json::Value),
        _ => payload_ty(api, content, at),
    };
    Some(if required { t } else { quote!(::std::option::Option<#t>) })
}

/// The trait method's parameters after `&self`, as (name, type).
fn trait_params(api: &Api, op: &Operation, at: &At) -> Vec<(TokenStream, TokenStream)> {
    let mut out = Vec::new();
    if secured(op) {
        let rt = rt();
        out.push((quote!(principal), quote!(#rt::Principal)));
    }
    for p in op.params.iter().filter(|p| p.location != ParamLocation::Query) {
        let name = ident(&p.name);
        let t = ty(api, &p.ty, at);
        out.push((quote!(#name), if p.required { t } else { quote!(::std::option::Option<#t>) }));
    }
    if let Some(q) = &op.query_struct {
        let q = at.sibling_item("operations", q);
        out.push((quote!(query), q));
    }
    if let Some(b) = body_arg_ty(api, op, at) {
        out.push((quote!(body), b));
    }
    out
}

fn trait_method(api: &Api, op: &Operation, settings: &Settings) -> TokenStream {
    let at = At::sibling();
    let rt = rt();
    let name = ident(&op.name);
    let pairs = trait_params(api, op, &at);
    let params: Vec<TokenStream> = pairs.iter().map(|(n, t)| quote!(#n: #t)).collect();
    let response = at.sibling_item("operations", &op.response_enum);
    let output = quote!(impl ::std::future::Future<Output = ::std::result::Result<#response, #rt::Problem>> + ::std::marker::Send);
    let mut notes = vec![route(op)];
    let scopes: Vec<String> = op.security.iter().flat_map(|r| r.schemes.iter().flat_map(|(_, s)| s.iter().map(|s| format!("`{s}`")))).collect();
    if !scopes.is_empty() {
        notes.push(format!("Required scopes (checked before this is called): {}.", scopes.join(", ")));
    }
    let docs = doc_attrs(&op.docs, &notes);
    if settings.server_stubs {
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

/// One path parameter's place in the route: its position among the route's parameters and the
/// literal text beside it in its segment.
struct PathSlot {
    position: usize,
    prefix: String,
    suffix: String,
}

/// The axum route for a path (every parameter `{pN}`, a whole segment each) and where each
/// parameter sits.
fn axum_route(op: &Operation) -> (String, Vec<(String, PathSlot)>) {
    let mut route = String::new();
    let mut slots = Vec::new();
    for (i, segment) in op.path.split('/').enumerate() {
        if i > 0 {
            route.push('/');
        }
        let Some(start) = segment.find('{') else {
            // Literal braces cannot appear outside a parameter in axum's syntax.
            route.push_str(segment);
            continue;
        };
        let end = segment[start..].find('}').map_or(segment.len(), |e| start + e);
        let wire = segment[start + 1..end].to_owned();
        let position = slots.len();
        route.push_str(&format!("{{p{position}}}"));
        let suffix = segment.get(end + 1..).unwrap_or_default().to_owned();
        slots.push((wire, PathSlot { position, prefix: segment[..start].to_owned(), suffix }));
    }
    if route.is_empty() {
        route.push('/');
    }
    (route, slots)
}

fn param_schema(api: &Api, p: &Param) -> TokenStream {
    let rt = rt();
    let schema = schema_of(api, &p.ty, &p.constraints, &Paths::in_server());
    let wire = &p.wire_name;
    let required = p.required;
    let deep = p.style == ParamStyle::DeepObject;
    let required = required.then(|| quote!(.required()));
    let deep = deep.then(|| quote!(.deep_object()));
    quote!(#rt::Param::new(#wire, #schema)#required #deep)
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
    let mut reads = Vec::new();
    // Each read is a `Result<_, Missing>` whose violation `finish` reports; the call passes
    // them on with `?`.
    let mut call_args = Vec::new();
    if secured(op) {
        call_args.push(quote!(principal));
    }
    for p in op.params.iter().filter(|p| p.location != ParamLocation::Query) {
        let local = ident(&p.name);
        let t = ty(api, &p.ty, &at);
        match p.location {
            ParamLocation::Path => {
                let slot = slots.iter().find(|(w, _)| *w == p.wire_name).map(|(_, s)| s);
                let position = Literal::usize_unsuffixed(slot.map_or(usize::MAX, |s| s.position));
                let prefix = slot.map(|s| s.prefix.clone()).unwrap_or_default();
                let suffix = slot.map(|s| s.suffix.clone()).unwrap_or_default();
                let wire = &p.wire_name;
                let schema = schema_of(api, &p.ty, &p.constraints, &Paths::in_server());
                reads.push(quote!(let #local = incoming.path::<#t>(#wire, #schema, #position, #prefix, #suffix);));
            }
            ParamLocation::Header | ParamLocation::Cookie => {
                let param = param_schema(api, p);
                let cookie = p.location == ParamLocation::Cookie;
                let present = p.required.then(|| quote!(.and_then(#rt::present)));
                reads.push(quote!(let #local = incoming.header::<#t>(&#param, #cookie)#present;));
            }
            ParamLocation::Query => {}
        }
        call_args.push(quote!(#local?));
    }
    if let Some(q) = &op.query_struct {
        let q = at.sibling_item("operations", q);
        let params = op.params.iter().filter(|p| p.location == ParamLocation::Query).map(|p| param_schema(api, p));
        reads.push(quote! {
            static QUERY: &[#rt::Param] = &[#(#params),*];
            let query = incoming.query::<#q>(QUERY);
        });
        call_args.push(quote!(query?));
    }
    if let Some((content, accepted, required)) = body_info(op) {
        let (t, schema) = match content.kind() {
            MediaKind::Text => (quote!(::std::string::String), quote!(&#rt::Schema::Any)),
            MediaKind::Binary => (quote!(::serde_json::Value), quote!(&#rt::Schema::Any)),
            _ => {
                let t = payload_ty(api, content, &at);
                let s = content.ty.as_ref().map_or_else(
                    || quote!(&#rt::Schema::Any),
                    |ty| schema_of(api, ty, &Constraints::default(), &Paths::in_server()),
                );
                (t, s)
            }
        };
        let present = required.then(|| quote!(.and_then(#rt::present)));
        reads.push(quote! {
            static BODY: &#rt::Schema = #schema;
            let body = incoming.body::<#t>(&[#(#accepted),*], BODY, #required).await?#present;
        });
        call_args.push(quote!(body?));
    }
    let principal = if secured(op) {
        quote!(let principal = principal.ok_or_else(#rt::Problem::unauthorized)?;)
    } else {
        quote!(let _ = principal;)
    };
    let has_body = body_info(op).is_some();
    let (incoming, finish) = if reads.is_empty() {
        (quote!(_incoming), quote!())
    } else {
        let finish = quote!(incoming.finish()?;);
        (quote!(mut incoming), finish)
    };
    quote! {
        async fn #name<A: Api, U: #rt::Authenticator>(
            ::axum::extract::State(shared): #rt::State<A, U>,
            request: ::axum::extract::Request,
        ) -> ::axum::response::Response {
            static SECURITY: &[&[#rt::Required]] = &[#(#requirements),*];
            // Every `?` answers with the problem found (401, 403, 400, 413, 415).
            #rt::respond(async {
                let (#incoming, principal) = #rt::begin(&shared, request, SECURITY, #has_body).await?;
                #principal
                #(#reads)*
                #finish
                shared.api.#name(#(#call_args),*).await
            }.await)
        }
    }
}

/// The operations of one route answering one method (lower-case).
type MethodOps<'a> = (String, Vec<&'a Operation>);

/// Each path with its methods, in router order.
type Routes<'a> = Vec<(String, Vec<MethodOps<'a>>)>;

/// A handler for operations sharing a route and method: the first whose path template the
/// request fits (most literal text first) handles it.
fn dispatcher(api: &Api, name: &proc_macro2::Ident, ops: &[&Operation]) -> TokenStream {
    let rt = rt();
    let mut ordered: Vec<&&Operation> = ops.iter().collect();
    ordered.sort_by_key(|op| std::cmp::Reverse(op.path.len() - op.path.matches('{').count() * 2));
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
    let body = if op.responses.is_empty() {
        quote!(match self {})
    } else {
        quote!(match self { #(#arms)* })
    };
    quote! {
        impl ::axum::response::IntoResponse for #enum_path {
            fn into_response(self) -> ::axum::response::Response {
                #body
            }
        }
    }
}

/// The features any of which compiles a handler serving all of `ops` (none: always).
fn union_features(ops: &[&Operation]) -> Vec<usize> {
    if ops.iter().any(|op| op.features.is_empty()) {
        return Vec::new();
    }
    let mut all: Vec<usize> = ops.iter().flat_map(|op| op.features.iter().copied()).collect();
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
        let method = op.method.to_ascii_lowercase();
        let entry = routes.entry(path).or_default();
        match entry.iter_mut().find(|(m, _)| *m == method) {
            Some((_, ops)) => ops.push(op),
            None => entry.push((method, vec![op])),
        }
    }
    routes.into_iter().collect()
}

/// The handler a route's method calls: the operation's own, or a dispatcher's name.
fn route_target(method: &str, ops: &[&Operation]) -> proc_macro2::Ident {
    match ops {
        [op] => ident(&op.name),
        _ => ident(&format!("dispatch_{}_{}", ops[0].name, method)),
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

/// `let router = router.route(..);` for one path.
fn route_statement(api: &Api, path: &str, methods: &[MethodOps<'_>]) -> TokenStream {
    let rt = rt();
    let features: Vec<Vec<usize>> = methods.iter().map(|(_, ops)| union_features(ops)).collect();
    let targets = methods.iter().map(|(method, ops)| (ident(method), route_target(method, ops)));
    let route_ops: Vec<&Operation> = methods.iter().flat_map(|(_, ops)| ops.iter().copied()).collect();
    let route_features = union_features(&route_ops);
    let route_gate = gate(api, &route_features);
    let method_router = if features.iter().all(|f| *f == route_features) {
        let chain = targets.map(|(m, target)| quote!(.#m(#target::<A, U>)));
        quote!(::axum::routing::MethodRouter::new() #(#chain)* .fallback(#rt::method_not_allowed))
    } else {
        // A method's gate is needed only where it differs from the route's.
        let lets = targets.zip(&features).map(|((m, target), f)| {
            let g = if *f == route_features { quote!() } else { gate(api, f) };
            quote!(#g let methods = methods.#m(#target::<A, U>);)
        });
        quote!({
            let methods = ::axum::routing::MethodRouter::new();
            #(#lets)*
            methods.fallback(#rt::method_not_allowed)
        })
    };
    quote!(#route_gate let router = router.route(#path, #method_router);)
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
pub(crate) fn render(api: &Api, settings: &Settings, unit: &Unit<'_>) -> Rendered {
    let rt = rt();
    match unit {
        Unit::Head => Rendered::always(quote! {
            pub use super::server_runtime::{Authenticator, Credential, Principal, Problem, ServerConfig, Violation};
            #[allow(unused_imports)]
            use super::server_runtime as rt;
        }),
        Unit::Api => Rendered::always(quote! {
            /// The API to implement: one method per operation. Requests reach a method only after
            /// routing, authentication, scope checks and validation succeeded.
            pub trait Api: ::std::marker::Send + ::std::marker::Sync + 'static {}
        }),
        Unit::TraitMethod(op) => Rendered::gated(api, &op.features, trait_method(api, op, settings)),
        Unit::Router => Rendered::always(quote! {
            /// A router serving `api`, with `auth` turning credentials into principals.
            pub fn router<A: Api, U: Authenticator>(api: A, auth: U, config: ServerConfig) -> ::axum::Router {}
        }),
        Unit::RouterStart => Rendered::always(quote! {
            let shared = ::std::sync::Arc::new(#rt::Shared { api, auth, config });
            let router = ::axum::Router::new();
        }),
        Unit::Route { path, methods } => Rendered::always(route_statement(api, path, methods)),
        Unit::RouterEnd => Rendered::always(quote!(router.fallback(#rt::not_found).with_state(shared))),
        Unit::Handler(op) => Rendered::gated(api, &op.features, handler(api, op)),
        Unit::Dispatcher((method, ops)) => {
            Rendered::gated(api, &union_features(ops), dispatcher(api, &route_target(method, ops), ops))
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
