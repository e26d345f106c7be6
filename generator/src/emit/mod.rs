//! IR to tokens. Each emitter plans its file (a list of small units referring into the IR) and
//! renders one unit at a time into plain items; the write stage decides when and where units
//! are rendered, formats them and puts on each item the `#[cfg]` its unit names. Emitters are
//! pure and infallible: they read the IR and [`Options`], never the document, and never allocate
//! names.

pub mod client;
mod docs;
pub mod models;
pub mod operations;
pub mod server;
pub mod testing;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

pub(crate) use docs::{doc_attrs, sanitize_doc};

use crate::ir::{Api, FeatureId, OperationFeatures, Ty};

/// What the emitters read of the settings, built from them by the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options<'a> {
    /// How the generated crate's docs name the document.
    pub source_name: &'a str,
    /// Declare the client's modules.
    pub client: bool,
    /// Declare the server's modules.
    pub server: bool,
    /// Give the server trait's methods default bodies answering 501.
    pub server_stubs: bool,
    /// Declare the `testing` modules (a fake server for tests, behind the `testing` cargo
    /// feature); the pipeline asks for them in the crate layout when it has both sides.
    pub testing: bool,
}

/// The module declarations, with their docs, shared by both roots. In a crate the client sits
/// behind its cargo feature; a build script includes what its options ask for.
fn module_decls(api: &Api, options: &Options<'_>, include: bool) -> TokenStream {
    let body = |file: &str| {
        if include {
            let path = format!("/{file}");
            quote!({
                include!(concat!(env!("OUT_DIR"), #path));
            })
        } else {
            quote!(;)
        }
    };
    let models = body("models.rs");
    let runtime = body("runtime.rs");
    let operations = body("operations.rs");
    // The document decides how many arguments an operation takes and what it is called (an
    // operation `new` or `into_archive` is a method taking `&self`); deprecated operations and
    // schemas are still generated.
    let allow = quote!(#[allow(
        deprecated,
        clippy::too_many_arguments,
        clippy::new_ret_no_self,
        clippy::wrong_self_convention
    )]);
    // Included, the runtimes' `tracing` and `middleware` switches are the including crate's
    // features, which it need not declare.
    let runtime_allow = include.then(|| quote!(#[allow(unexpected_cfgs)]));
    let client = options.client.then(|| {
        let gate = (!include).then(|| quote!(#[cfg(feature = "client")]));
        let client = body("client.rs");
        let client_runtime = body("client_runtime.rs");
        quote! {
            /// The async client: one method per operation on [`client::Client`].
            #gate
            #allow
            pub mod client #client
            /// The client's runtime: configuration, the request executor, errors, pagination.
            #gate
            #runtime_allow
            pub mod client_runtime #client_runtime
        }
    });
    let server = options.server.then(|| {
        let gate = (!include).then(|| quote!(#[cfg(feature = "server")]));
        let server = body("server.rs");
        let server_runtime = body("server_runtime.rs");
        // The document as the crate holds it (beside this root), where its own paths leave room.
        let text = |free: bool, file: &str| {
            let path = if include {
                let file = format!("/{file}");
                quote!(concat!(env!("OUT_DIR"), #file))
            } else {
                quote!(#file)
            };
            if free {
                quote!(::std::option::Option::Some(include_str!(#path)))
            } else {
                quote!(::std::option::Option::None)
            }
        };
        let json = text(api.own_routes.document_json, "openapi.json");
        let yaml = text(api.own_routes.document_yaml, "openapi.yaml");
        let docs = api.own_routes.docs;
        quote! {
            /// The server: implement [`server::Api`], serve [`server::router`].
            #gate
            #allow
            pub mod server #server
            /// The server's runtime: validation, problems, authentication.
            #gate
            #runtime_allow
            pub mod server_runtime #server_runtime
            /// The document the server was generated from, which it serves.
            #gate
            mod document {
                pub(crate) static DOCUMENT: super::server_runtime::Document =
                    super::server_runtime::Document { json: #json, yaml: #yaml, docs: #docs };
            }
        }
    });
    // A crate's tests and its dependents' turn the feature on; an including crate has no
    // feature of ours to put them behind, so a build script never asks for the modules.
    let testing = options.testing.then(|| {
        let gate = (!include).then(|| quote!(#[cfg(feature = "testing")]));
        let testing = body("testing.rs");
        let testing_runtime = body("testing_runtime.rs");
        quote! {
            /// A fake server for tests: serve a [`testing::FakeApi`] (or your [`server::Api`]) on
            /// `127.0.0.1` with [`testing::TestServer`] and call it with its client.
            #gate
            #allow
            pub mod testing #testing
            /// The fake server's runtime: the server, its authenticator, the empty fake.
            #gate
            pub mod testing_runtime #testing_runtime
        }
    });
    quote! {
        /// The document's schemas as Rust types. A schema sent both ways whose read-only or
        /// write-only properties differ has a response form (its own name) and a request form
        /// (`<Name>Request`).
        #[allow(deprecated, clippy::large_enum_variant)]
        pub mod models #models
        /// Per-operation types shared by the client and the server: query parameters and the
        /// enum of documented responses.
        #[allow(deprecated, clippy::large_enum_variant)]
        pub mod operations #operations
        /// Support code shared by the generated modules.
        pub mod runtime #runtime
        #client
        #server
        #testing
    }
}

/// `src/lib.rs` of a generated crate.
pub fn crate_root(api: &Api, options: &Options<'_>) -> TokenStream {
    let mut text = vec![format!("{} {}", api.title, api.version).trim().to_owned()];
    // A description that is blank once made safe adds no paragraph (no run of empty `//!`).
    let description = api.description.as_deref().map(sanitize_doc).unwrap_or_default();
    if !description.is_empty() {
        text.push(String::new());
        text.extend(description);
    }
    text.push(String::new());
    text.push(format!("Generated by oagen from `{}`.", options.source_name));
    text.extend(feature_docs(api, options));
    let docs = text.iter().map(|l| {
        let l = if l.is_empty() { String::new() } else { format!(" {l}") };
        quote!(#![doc = #l])
    });
    let decls = module_decls(api, options, false);
    let missing = missing_operations_error(api, options);
    quote! {
        #(#docs)*
        #missing
        #decls
    }
}

/// The crate's cargo features, for its front page. Items are named in code, not linked: a build
/// without a feature has no item to link to.
fn feature_docs(api: &Api, options: &Options<'_>) -> Vec<String> {
    let mut lines = vec![String::new(), "# Cargo features".to_owned(), String::new()];
    if options.client {
        lines.push("- `client` (default): the async client, `client::Client`.".to_owned());
    }
    if options.server {
        lines.push("- `server` (default): the axum server, `server::router` over your `server::Api`.".to_owned());
    }
    if options.testing {
        lines.push(
            "- `testing`: a fake server for tests, `testing::TestServer` serving your `testing::FakeApi` (operations \
             you do not write answer 501) or `server::Api` on `127.0.0.1`, with a `client::Client` pointed at it."
                .to_owned(),
        );
    }
    if let Some(OperationFeatures { all, .. }) = api.operation_features() {
        lines.push(format!(
            "- `{all}` (default): every operation; `client` and `server` need it or some of those below."
        ));
    }
    lines.extend(api.features.iter().map(|f| format!("- `{}`: {}", f.name, f.doc)));
    lines
}

/// A `compile_error!` for a crate built with the client or the server but no feature that
/// compiles operations (`default-features = false, features = ["client"]`), which would
/// otherwise compile a client with no methods and no models.
fn missing_operations_error(api: &Api, options: &Options<'_>) -> TokenStream {
    let Some(OperationFeatures { all, noun, prefix, groups }) = api.operation_features() else {
        return TokenStream::new();
    };
    let sides: Vec<&str> = [("client", options.client), ("server", options.server)]
        .into_iter()
        .filter_map(|(side, on)| on.then_some(side))
        .collect();
    if sides.is_empty() {
        return TokenStream::new();
    }
    let names = std::iter::once(all).chain(groups.iter().map(|f| f.name.as_str()));
    let message = format!(
        "no operation is compiled: add the feature `{all}` (every operation) or the `{prefix}*` feature of each {noun} \
         you use, beside `{}`",
        sides.join("` or `"),
    );
    quote! {
        #[cfg(all(any(#(feature = #sides),*), not(any(#(feature = #names),*))))]
        compile_error!(#message);
    }
}

/// The file a build script's crate `include!`s.
pub fn include_root(api: &Api, options: &Options<'_>) -> TokenStream {
    module_decls(api, options, true)
}

/// The plan of a module file, in order: cheap descriptors that refer into the IR, rendered and
/// formatted by the write stage one at a time on every core, so only the units in hand hold
/// tokens.
pub(crate) type Plan<'a> = Vec<Piece<Unit<'a>>>;

/// One piece of a file's plan.
#[derive(Debug)]
pub(crate) enum Piece<U> {
    /// Whole items.
    Items(U),
    /// A big item (`impl Client`, `trait Api`, a module, a function with a statement per route):
    /// its shell (the item with an empty body) and its members, each unit rendering some of them,
    /// in order, so that one item does not keep one core busy while the other waits. Without
    /// members the shell is the whole item.
    Container { kind: Container, shell: U, members: Vec<U> },
}

impl<U> Piece<U> {
    /// The same piece over other units.
    pub fn map<V>(self, f: impl Fn(U) -> V) -> Piece<V> {
        match self {
            Self::Items(u) => Piece::Items(f(u)),
            Self::Container { kind, shell, members } => {
                Piece::Container { kind, shell: f(shell), members: members.into_iter().map(f).collect() }
            }
        }
    }
}

/// The kind of item whose members are rendered unit by unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Container {
    /// An `impl` block: members are associated items.
    Impl,
    /// A trait: members are its items.
    Trait,
    /// An inline module: members are items.
    Module,
    /// A function body: members are statements.
    Body,
}

/// What a unit renders to: items (or members of a big item), and the `#[cfg]` that the write
/// stage puts on each of them, after its docs.
pub(crate) struct Rendered {
    /// `#[cfg(...)]`, or nothing when always compiled.
    pub gate: TokenStream,
    /// The items or members.
    pub tokens: TokenStream,
}

impl Rendered {
    /// Items compiled whatever the features.
    pub fn always(tokens: TokenStream) -> Self {
        Self { gate: TokenStream::new(), tokens }
    }

    /// Items compiled by any of `features` (always, when there are none).
    pub fn gated(api: &Api, features: &[FeatureId], tokens: TokenStream) -> Self {
        Self { gate: gate(api, features), tokens }
    }
}

/// A unit of any file's plan.
#[derive(Debug)]
pub(crate) enum Unit<'a> {
    /// `src/lib.rs` of a generated crate.
    CrateRoot,
    /// The file a build script's crate `include!`s.
    IncludeRoot,
    /// A unit of `models.rs`.
    Models(models::Unit<'a>),
    /// A unit of `operations.rs`.
    Operations(operations::Unit<'a>),
    /// A unit of `client.rs`.
    Client(client::Unit<'a>),
    /// A unit of `server.rs`.
    Server(server::Unit<'a>),
    /// A unit of `testing.rs`.
    Testing(testing::Unit<'a>),
}

/// The plan of each module file of the crate, by file name (the runtimes, copied verbatim, are
/// not emitted).
pub(crate) fn plans<'a>(api: &'a Api, options: &Options<'_>) -> Vec<(&'static str, Plan<'a>)> {
    let mut plans = vec![("models.rs", wrap(models::plan(api), Unit::Models))];
    plans.push(("operations.rs", wrap(operations::plan(api), Unit::Operations)));
    if options.client {
        plans.push(("client.rs", wrap(client::plan(api), Unit::Client)));
    }
    if options.server {
        plans.push(("server.rs", wrap(server::plan(api), Unit::Server)));
    }
    if options.testing {
        plans.push(("testing.rs", wrap(testing::plan(api), Unit::Testing)));
    }
    plans
}

/// An emitter's plan as a plan of the file.
fn wrap<'a, U>(pieces: Vec<Piece<U>>, f: fn(U) -> Unit<'a>) -> Plan<'a> {
    pieces.into_iter().map(|p| p.map(f)).collect()
}

/// Renders one unit of a plan.
pub(crate) fn render(api: &Api, options: &Options<'_>, unit: &Unit<'_>) -> Rendered {
    match unit {
        Unit::CrateRoot => Rendered::always(crate_root(api, options)),
        Unit::IncludeRoot => Rendered::always(include_root(api, options)),
        Unit::Models(u) => models::render(api, u),
        Unit::Operations(u) => operations::render(api, u),
        Unit::Client(u) => client::render(api, u),
        Unit::Server(u) => server::render(api, options, u),
        Unit::Testing(u) => testing::render(api, u),
    }
}

/// `#[cfg(...)]` for an item compiled by any of these features (nothing when always compiled).
pub(crate) fn gate(api: &Api, features: &[FeatureId]) -> TokenStream {
    let names = features.iter().map(|f| api.features[f.0].name.as_str());
    match features {
        [] => quote!(),
        [_] => quote!(#(#[cfg(feature = #names)])*),
        _ => quote!(#[cfg(any(#(feature = #names),*))]),
    }
}

/// An identifier from an IR name (already sanitized by `names`); raw identifiers keep their `r#`.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Where generated code sits relative to the crate's sibling modules (`models`, `runtime`).
#[derive(Clone)]
pub(crate) struct At {
    /// The path up to the parent of the generated modules: `super` or `super::super`.
    up: TokenStream,
    /// Inside `models`, where model types are named bare.
    in_models: bool,
}

impl At {
    /// Code in `models`.
    pub fn models() -> Self {
        Self { up: quote!(super), in_models: true }
    }

    /// Code in a module beside `models` (`operations`, `client`).
    pub fn sibling() -> Self {
        Self { up: quote!(super), in_models: false }
    }

    /// Code in a module inside a sibling (`client::requests`).
    pub fn nested() -> Self {
        Self { up: quote!(super::super), in_models: false }
    }

    /// A path to an item of a sibling module: `super::operations::X`.
    pub fn sibling_item(&self, module: &str, item: &str) -> TokenStream {
        let up = &self.up;
        let module = ident(module);
        let item = ident(item);
        quote!(#up::#module::#item)
    }
}

/// The path to the runtime module from any generated module that calls it: `client`, `server`
/// and the modules inside them import theirs as `rt`.
pub(crate) fn rt() -> TokenStream {
    quote!(rt)
}

/// The Rust spelling of a type expression, with full paths.
pub(crate) fn ty(api: &Api, t: &Ty, at: &At) -> TokenStream {
    let up = &at.up;
    match t {
        Ty::Named(id) => {
            let name = ident(&api.ty(*id).name);
            if at.in_models { quote!(#name) } else { quote!(#up::models::#name) }
        }
        Ty::String => quote!(::std::string::String),
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F32 => quote!(f32),
        Ty::F64 => quote!(f64),
        Ty::Uuid => quote!(::uuid::Uuid),
        Ty::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        Ty::Date => quote!(::chrono::NaiveDate),
        Ty::Base64 => quote!(#up::runtime::Base64),
        Ty::Binary => quote!(#up::runtime::Binary),
        Ty::Any => quote!(::serde_json::Value),
        Ty::Unit => quote!(()),
        Ty::Vec(inner) => {
            let inner = ty(api, inner, at);
            quote!(::std::vec::Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = ty(api, inner, at);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        Ty::External(path, _) => external_path(path),
    }
}

/// A Rust path the document or configuration gives, absolute unless it starts at `crate`,
/// `self` or `super` (lowering checked that it parses).
pub(crate) fn external_path(path: &str) -> TokenStream {
    let Ok(mut parsed) = syn::parse_str::<syn::Path>(path) else { return quote!(::serde_json::Value) };
    let relative =
        parsed.segments.first().is_some_and(|s| matches!(s.ident.to_string().as_str(), "crate" | "self" | "super"));
    if !relative {
        parsed.leading_colon = Some(Default::default());
    }
    quote!(#parsed)
}

/// The runtime `SchemeKind` variant (client and server runtimes spell it alike) for a security
/// scheme of the document: bearer unless the scheme is HTTP basic or an API key.
pub(crate) fn scheme_kind(api: &Api, name: &str) -> TokenStream {
    use crate::ir::{ParamLocation, SecuritySchemeKind};
    let kind = api.security_schemes.iter().find(|s| s.wire_name == name).map(|s| &s.kind);
    match kind {
        Some(SecuritySchemeKind::Http { scheme }) if scheme == "basic" => quote!(Basic),
        Some(SecuritySchemeKind::ApiKey { location, name }) => match location {
            ParamLocation::Query => quote!(ApiKeyQuery(#name)),
            ParamLocation::Cookie => quote!(ApiKeyCookie(#name)),
            ParamLocation::Header | ParamLocation::Path => quote!(ApiKeyHeader(#name)),
        },
        _ => quote!(Bearer),
    }
}
