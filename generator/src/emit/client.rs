//! The `client` module: one async method per operation on the runtime's `Client`, each a thin
//! wrapper that builds a request (`requests`), sends it through the one executor and decodes the
//! response (`decoders`).

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens as _, quote};

use super::operations::{payload_ty, route, variant_keeps_status};
use super::{At, Container, Piece, Rendered, doc_attrs, ident, rt, scheme_kind, ty};
use crate::ir::{
    Api, Argument, HttpMethod, MediaKind, Operation, PageField, Pagination, PaginationKind, Param, ParamLocation,
    ParamStyle, PathPart, Presence, Side, Status, Ty,
};

/// How an argument is passed: strings as `&str`, small copyable values by value, the rest by
/// reference.
fn arg_ty(api: &Api, t: &Ty, at: &At, lt: &TokenStream) -> TokenStream {
    match t {
        Ty::String => quote!(&#lt str),
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::F32 | Ty::F64 | Ty::Uuid | Ty::DateTime | Ty::Date => ty(api, t, at),
        other => {
            let t = ty(api, other, at);
            quote!(&#lt #t)
        }
    }
}

/// Rustdoc lines on who may call the operation.
fn security_doc(op: &Operation) -> Vec<String> {
    if op.security.is_empty() {
        return vec!["Authentication: none.".to_owned()];
    }
    // With one requirement its scopes are the required ones, named once; with alternatives each
    // names its own.
    let single = op.security.len() == 1;
    let alternatives: Vec<String> = op
        .security
        .iter()
        .map(|req| {
            if req.schemes.is_empty() {
                return "anonymous".to_owned();
            }
            req.schemes
                .iter()
                .map(|(scheme, scopes)| {
                    if scopes.is_empty() || single {
                        format!("`{scheme}`")
                    } else {
                        let scopes: Vec<String> = scopes.iter().map(|s| format!("`{s}`")).collect();
                        format!("`{scheme}` with scopes {}", scopes.join(", "))
                    }
                })
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    let mut lines = Vec::new();
    if let [requirement] = op.security.as_slice() {
        let scopes: Vec<String> =
            requirement.schemes.iter().flat_map(|(_, s)| s.iter().map(|s| format!("`{s}`"))).collect();
        if !scopes.is_empty() {
            lines.push(format!("Required scopes: {}.", scopes.join(", ")));
        }
    }
    lines.push(format!("Authentication: {}.", alternatives.join("; or ")));
    lines
}

fn style_tokens(style: ParamStyle) -> TokenStream {
    match style {
        ParamStyle::SpaceDelimited => quote!(SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(PipeDelimited),
        ParamStyle::DeepObject => quote!(DeepObject),
        _ => quote!(Form),
    }
}

/// The arguments of an operation's method (and of its request builder), in
/// [`Operation::arguments`] order. `lt` is the lifetime of borrowed arguments, if named.
fn args(api: &Api, op: &Operation, at: &At, lt: &TokenStream) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for argument in op.arguments() {
        match argument {
            Argument::Param(p) => {
                let name = ident(&p.name);
                let t = arg_ty(api, &p.ty, at, lt);
                if p.required {
                    out.push(quote!(#name: #t));
                } else {
                    out.push(quote!(#name: ::std::option::Option<#t>));
                }
            }
            Argument::Query(q) => {
                let q = at.sibling_item("operations", q);
                out.push(quote!(query: &#lt #q));
            }
            Argument::Body(body) => {
                let Some(content) = body.contents.first() else { continue };
                let t = match content.kind() {
                    MediaKind::Text => quote!(&#lt str),
                    MediaKind::Binary => quote!(&#lt [u8]),
                    _ => {
                        let t = payload_ty(api, content, at);
                        quote!(&#lt #t)
                    }
                };
                if body.required {
                    out.push(quote!(body: #t));
                } else {
                    out.push(quote!(body: ::std::option::Option<#t>));
                }
            }
        }
    }
    out
}

fn arg_names(op: &Operation) -> Vec<TokenStream> {
    op.arguments()
        .into_iter()
        .map(|argument| match argument {
            Argument::Param(p) => ident(&p.name).into_token_stream(),
            Argument::Query(_) => quote!(query),
            Argument::Body(_) => quote!(body),
        })
        .collect()
}

/// `format!` pieces of the path: `/roles/{}/` with the encoded parameters.
fn path_expr(op: &Operation) -> TokenStream {
    let rt = rt();
    let mut template = String::new();
    let mut values = Vec::new();
    for part in &op.template.parts {
        match part {
            PathPart::Literal(text) => template.push_str(&text.replace('{', "{{").replace('}', "}}")),
            PathPart::Param(index) => {
                template.push_str("{}");
                let name = ident(&op.params[*index].name);
                values.push(quote!(#rt::path_param(&OPERATION, &#name)?));
            }
        }
    }
    if values.is_empty() {
        quote!(::std::string::String::from(#template))
    } else {
        quote!(format!(#template, #(#values),*))
    }
}

fn param_statement(p: &Param) -> TokenStream {
    let rt = rt();
    let wire = &p.wire_name;
    let name = ident(&p.name);
    match p.location {
        ParamLocation::Query => {
            let style = style_tokens(p.style);
            let explode = p.explode;
            quote! {
                request.query(#rt::QueryParam { name: #wire, style: #rt::Style::#style, explode: #explode }, &query.#name)?;
            }
        }
        ParamLocation::Header => quote!(request.header(#wire, &#name)?;),
        ParamLocation::Cookie => quote!(request.cookie(#wire, &#name)?;),
        ParamLocation::Path => quote!(),
    }
}

/// The `::reqwest::Method` constant of a method.
fn reqwest_method(method: HttpMethod) -> TokenStream {
    match method {
        HttpMethod::Get => quote!(GET),
        HttpMethod::Put => quote!(PUT),
        HttpMethod::Post => quote!(POST),
        HttpMethod::Delete => quote!(DELETE),
        HttpMethod::Options => quote!(OPTIONS),
        HttpMethod::Head => quote!(HEAD),
        HttpMethod::Patch => quote!(PATCH),
        HttpMethod::Trace => quote!(TRACE),
    }
}

/// `requests::<op>`: builds the request.
fn request_fn(api: &Api, op: &Operation) -> TokenStream {
    let at = At::nested();
    let rt = rt();
    let name = ident(&op.name);
    let args = args(api, op, &at, &quote!());
    let method = reqwest_method(op.method);
    let path = path_expr(op);
    let requirements = op.security.iter().map(|req| {
        let schemes = req.schemes.iter().map(|(scheme, _)| {
            let kind = scheme_kind(api, scheme);
            quote!(#rt::Scheme { name: #scheme, kind: #rt::SchemeKind::#kind })
        });
        quote!(&[#(#schemes),*])
    });
    let params = op.params.iter().map(param_statement);
    let info = super::operations::operation_info(op, &rt);
    let body = op.body.as_ref().and_then(|b| {
        let content = b.contents.first()?;
        let media = &content.media_type;
        let set = match content.kind() {
            MediaKind::Json => quote!(request.json(#media, body)?;),
            MediaKind::Form => quote!(request.form(#media, body)?;),
            MediaKind::Multipart => quote!(request.multipart(body)?;),
            MediaKind::Text => quote!(request.bytes(#media, body.to_owned());),
            MediaKind::Binary => quote!(request.bytes(#media, body.to_vec());),
        };
        Some(if b.required {
            set
        } else {
            quote! {
                if let ::std::option::Option::Some(body) = body {
                    #set
                }
            }
        })
    });
    let mutable = if op.params.iter().any(|p| p.location != ParamLocation::Path) || body.is_some() {
        quote!(mut)
    } else {
        quote!()
    };
    quote! {
        pub(super) fn #name(#(#args),*) -> ::std::result::Result<#rt::Request, #rt::Error> {
            const SECURITY: &[#rt::Requirement] = &[#(#requirements),*];
            static OPERATION: #rt::OperationInfo = #info;
            let #mutable request = #rt::Request::new(::reqwest::Method::#method, &OPERATION, #path, SECURITY);
            #(#params)*
            #body
            ::std::result::Result::Ok(request)
        }
    }
}

/// Decoding one documented response's body.
fn decode_body(r: &crate::ir::Response) -> Option<TokenStream> {
    let content = r.contents.first()?;
    Some(match content.kind() {
        MediaKind::Text => quote!(response.text()),
        MediaKind::Binary => quote!(::std::result::Result::Ok(response.bytes())),
        _ => quote!(response.json()),
    })
}

fn status_pattern(status: Status) -> TokenStream {
    match status {
        Status::Code(n) => {
            let n = Literal::u16_unsuffixed(n);
            quote!(#n)
        }
        Status::Range(n) => {
            let lo = Literal::u16_unsuffixed(u16::from(n) * 100);
            let hi = Literal::u16_unsuffixed(u16::from(n) * 100 + 99);
            quote!(#lo..=#hi)
        }
        Status::Default => quote!(_),
    }
}

/// The type one side of the result holds: its enum, the body its responses share, or `()`.
fn side_ty(api: &Api, op: &Operation, side: &Side, at: &At) -> TokenStream {
    match (&side.enum_name, side.responses.first()) {
        (Some(name), _) => at.sibling_item("operations", name),
        (None, Some(&i)) => op.responses[i].contents.first().map_or_else(|| quote!(()), |c| payload_ty(api, c, at)),
        (None, None) => quote!(()),
    }
}

/// The method's error type: `Error`, or `Error<E>` with the documented error body; `error` is
/// the path to `Error` from `at`.
fn error_ty(api: &Api, op: &Operation, at: &At, error: &TokenStream) -> TokenStream {
    if op.outcome.error.responses.is_empty() {
        return quote!(#error);
    }
    let body = side_ty(api, op, &op.outcome.error, at);
    quote!(#error<#body>)
}

/// Reading one response as a value of its side: the body, `()`, or the body in its variant of
/// the side's enum (known locally as `alias`).
fn side_value(side: &Side, alias: &TokenStream, r: &crate::ir::Response) -> TokenStream {
    let read = decode_body(r);
    let variant = ident(&r.variant);
    match (side.enum_name.is_some(), variant_keeps_status(r.status), read) {
        (true, false, None) => quote!(::std::result::Result::Ok(#alias::#variant)),
        (true, false, Some(read)) => quote!(#read.map(#alias::#variant)),
        (true, true, None) => quote!(::std::result::Result::Ok(#alias::#variant(status))),
        (true, true, Some(read)) => quote!(#read.map(|body| #alias::#variant(status, body))),
        (false, _, None) => quote!(::std::result::Result::Ok(())),
        (false, _, Some(read)) => read,
    }
}

/// `decoders::<op>`: turns a response into the method's result: success statuses in `Ok`,
/// documented error statuses as `ErrorKind::Documented`, any other as `ErrorKind::UnexpectedStatus`.
fn decode_fn(api: &Api, op: &Operation) -> TokenStream {
    let at = At::nested();
    let name = ident(&op.name);
    let rt = rt();
    let out = side_ty(api, op, &op.outcome.success, &at);
    let error = error_ty(api, op, &at, &quote!(#rt::Error));
    let (success_side, error_side) = (&op.outcome.success, &op.outcome.error);
    let typed = !error_side.responses.is_empty();
    let (success, failure) = (quote!(Success), quote!(Failure));
    // The enums of the sides, under short local names that keep each arm on one line.
    let imports = [(success_side, &success), (error_side, &failure)].into_iter().filter_map(|(side, alias)| {
        let path = at.sibling_item("operations", side.enum_name.as_ref()?);
        Some(quote!(use #path as #alias;))
    });
    // Each status's pattern and what it decodes to.
    let arms: Vec<(TokenStream, TokenStream)> = op
        .responses
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let pattern = status_pattern(r.status);
            if success_side.responses.contains(&i) {
                let read = side_value(success_side, &success, r);
                let widen = typed.then(|| quote!(.map_err(#rt::Error::widen)));
                (pattern, quote!(#read #widen))
            } else {
                let read = side_value(error_side, &failure, r);
                (pattern, quote!(response.documented(#read)))
            }
        })
        .collect();
    let has_default = op.responses.iter().any(|r| r.status == Status::Default);
    let widen = typed.then(|| quote!(.widen()));
    let fallback = (!has_default).then(|| quote!(_ => ::std::result::Result::Err(response.unexpected() #widen),));
    // Only a variant of a side's enum carries its status (a range's or `default`'s).
    let uses_status = [success_side, error_side]
        .into_iter()
        .filter(|side| side.enum_name.is_some())
        .any(|side| side.responses.iter().any(|&i| variant_keeps_status(op.responses[i].status)));
    let status_binding = uses_status.then(|| quote!(let status = response.status.as_u16();));
    let scrutinee = if uses_status { quote!(status) } else { quote!(response.status.as_u16()) };
    let body = match (op.responses.as_slice(), arms.as_slice()) {
        // `default` alone answers every status: no `match`.
        ([only], [(_, expr)]) if only.status == Status::Default && !only.contents.is_empty() => expr.clone(),
        _ => {
            let arms = arms.iter().map(|(pattern, expr)| quote!(#pattern => #expr,));
            quote! {
                match #scrutinee {
                    #(#arms)*
                    #fallback
                }
            }
        }
    };
    quote! {
        pub(super) fn #name(response: #rt::Response) -> ::std::result::Result<#out, #error> {
            #(#imports)*
            #status_binding
            #body
        }
    }
}

fn method_docs(op: &Operation) -> TokenStream {
    let mut notes = vec![route(op)];
    notes.extend(security_doc(op));
    if let Some(name) = &op.outcome.success.enum_name {
        notes.push(format!("Its success statuses arrive in `Ok` as [`{name}`](super::operations::{name})."));
    }
    let errors = &op.outcome.error.responses;
    let statuses: Vec<String> =
        errors.iter().map(|&i| op.responses[i].status.code_text().unwrap_or_else(|| "default".to_owned())).collect();
    let statuses = statuses.join(", ");
    match &op.outcome.error.enum_name {
        _ if errors.is_empty() => {}
        None => notes.push(format!(
            "Its documented error statuses ({statuses}) arrive as [`ErrorKind::Documented`] with their typed body."
        )),
        Some(name) => notes.push(format!(
            "Its documented error statuses ({statuses}) arrive as [`ErrorKind::Documented`] with a \
             [`{name}`](super::operations::{name})."
        )),
    }
    doc_attrs(&op.docs, &notes)
}

/// The public method of an operation.
fn method(api: &Api, op: &Operation) -> TokenStream {
    let at = At::sibling();
    let name = ident(&op.name);
    let args = args(api, op, &at, &quote!());
    let names = arg_names(op);
    let out = side_ty(api, op, &op.outcome.success, &at);
    let error = error_ty(api, op, &at, &quote!(Error));
    let docs = method_docs(op);
    // The request builder and the executor fail with the runtime's own errors only.
    let widen = (!op.outcome.error.responses.is_empty()).then(|| quote!(.map_err(rt::Error::widen)));
    quote! {
        #docs
        pub async fn #name(&self, #(#args),*) -> ::std::result::Result<#out, #error> {
            let request = requests::#name(#(#names),*)#widen?;
            let response = self.send(request).await #widen?;
            decoders::#name(response)
        }
    }
}

/// A page's text field as `Option<String>` (empty means none), whatever its optionality.
fn text_field(field: &PageField) -> TokenStream {
    let f = ident(&field.name);
    match field.presence {
        Presence::Required => quote!(::std::option::Option::Some(page.#f)),
        Presence::OptionalNullable => quote!(page.#f.flatten()),
        Presence::Optional | Presence::Nullable => quote!(page.#f),
    }
}

/// The query field a numbered or cursor walk writes, as an expression reading it as `i64` and a
/// statement setting it from `value`.
fn query_field(op: &Operation, name: &str, value: TokenStream, default: &TokenStream) -> (TokenStream, TokenStream) {
    let rt = rt();
    let param = op.params.iter().find(|p| p.name == name);
    let required = param.is_some_and(|p| p.required);
    let is_text = param.is_some_and(|p| !matches!(p.ty, Ty::I32 | Ty::I64));
    let f = ident(name);
    let is_i64 = param.is_some_and(|p| p.ty == Ty::I64);
    let convert = if is_text {
        quote!(#value.clone())
    } else if is_i64 {
        quote!(*#value)
    } else {
        quote!((*#value).try_into().map_err(|_| #rt::Error::invalid_request(format!("page position {} out of range", #value)))?)
    };
    let set =
        if required { quote!(query.#f = #convert;) } else { quote!(query.#f = ::std::option::Option::Some(#convert);) };
    let read = match (is_text, is_i64, required) {
        (true, _, _) => quote!(#default),
        (false, true, true) => quote!(query.#f),
        (false, true, false) => quote!(query.#f.unwrap_or(#default)),
        (false, false, true) => quote!(i64::from(query.#f)),
        (false, false, false) => quote!(query.#f.map(i64::from).unwrap_or(#default)),
    };
    (read, set)
}

/// `<op>_stream`: the items of every page, fetched lazily.
fn stream_method(api: &Api, op: &Operation, p: &Pagination) -> TokenStream {
    let at = At::sibling();
    let rt = rt();
    let name = ident(&op.name);
    let stream = ident(&p.method);
    let item = ty(api, &p.item, &at);
    let page_status = Literal::u16_unsuffixed(p.status);
    let page_ty = op
        .responses
        .iter()
        .find(|r| r.status == Status::Code(p.status))
        .and_then(|r| r.contents.first())
        .map_or_else(|| quote!(::serde_json::Value), |c| payload_ty(api, c, &at));
    let args = args(api, op, &at, &quote!('a));
    let names = arg_names(op);

    // The request for a page: the first as the method builds it, the others by following a URL
    // or by setting the cursor, offset or page query parameter.
    let (build_next, next) = match &p.kind {
        PaginationKind::NextUrl { field } => {
            let f = text_field(field);
            (quote!(), quote!(#f.filter(|url| !url.is_empty()).map(#rt::Next::Url)))
        }
        PaginationKind::LinkHeader => (quote!(), quote!(response_link.map(#rt::Next::Url))),
        PaginationKind::Cursor { field, param } => {
            let f = text_field(field);
            let (_, set) = query_field(op, param, quote!(next_token), &quote!(0));
            let arm = quote! {
                ::std::option::Option::Some(#rt::Next::Token(next_token)) => {
                    let mut query = query.clone();
                    #set
                    let query = &query;
                    requests::#name(#(#names),*)
                }
            };
            (arm, quote!(#f.filter(|token| !token.is_empty()).map(#rt::Next::Token)))
        }
        PaginationKind::Offset { param } | PaginationKind::Page { param } => {
            let start = if matches!(p.kind, PaginationKind::Offset { .. }) { quote!(0) } else { quote!(1) };
            let (read, set) = query_field(op, param, quote!(next_number), &start);
            let arm = quote! {
                ::std::option::Option::Some(#rt::Next::Number(next_number)) => {
                    let mut query = query.clone();
                    #set
                    let query = &query;
                    requests::#name(#(#names),*)
                }
            };
            let step = if matches!(p.kind, PaginationKind::Offset { .. }) {
                quote!(i64::try_from(items.len()).unwrap_or(i64::MAX))
            } else {
                quote!(1)
            };
            let next = quote! {{
                let position = match current {
                    ::std::option::Option::Some(#rt::Next::Number(n)) => *n,
                    _ => #read,
                };
                ::std::option::Option::Some(#rt::Next::Number(position.saturating_add(#step)))
            }};
            (arm, next)
        }
    };
    let uses_current = matches!(p.kind, PaginationKind::Offset { .. } | PaginationKind::Page { .. });
    let current = if uses_current { quote!(current) } else { quote!(_current) };
    let link = matches!(p.kind, PaginationKind::LinkHeader).then(|| quote!(let response_link = response.next_link();));
    let items = match &p.items {
        Some(field) => {
            let f = ident(&field.name);
            match field.presence {
                Presence::Required => quote!(page.#f),
                Presence::OptionalNullable => quote!(page.#f.flatten().unwrap_or_default()),
                Presence::Optional | Presence::Nullable => quote!(page.#f.unwrap_or_default()),
            }
        }
        None => quote!(page),
    };
    let docs = format!(
        " Every item of [`{}`](Self::{}), page after page: each page is fetched when the items before it are used up.",
        op.name, op.name
    );
    quote! {
        #[doc = #docs]
        pub fn #stream<'a>(&'a self, #(#args),*) -> impl ::futures_util::Stream<Item = ::std::result::Result<#item, Error>> + 'a {
            #rt::paginate(
                self,
                move |next: ::std::option::Option<&#rt::Next>| match next {
                    ::std::option::Option::Some(#rt::Next::Url(next_url)) => {
                        requests::#name(#(#names),*).map(|first| first.follow(next_url.clone()))
                    }
                    #build_next
                    _ => requests::#name(#(#names),*),
                },
                move |response: #rt::Response, #current: ::std::option::Option<&#rt::Next>| {
                    if response.status.as_u16() != #page_status {
                        return ::std::result::Result::Err(response.unexpected());
                    }
                    #link
                    let page: #page_ty = response.json()?;
                    let items: ::std::vec::Vec<#item> = #items;
                    let next = #next;
                    ::std::result::Result::Ok((items, next))
                },
            )
        }
    }
}

/// A unit of the `client` module.
#[derive(Debug)]
pub(crate) enum Unit<'a> {
    /// The runtime's re-exports and the default base URL.
    Head,
    /// `impl Client {}`.
    ClientImpl,
    /// `Client::builder`.
    Builder,
    /// An operation's method (and its stream method, when it pages).
    Method(&'a Operation),
    /// `mod requests {}`.
    Requests,
    /// An operation's request builder.
    Request(&'a Operation),
    /// `mod decoders {}`.
    Decoders,
    /// An operation's response decoder.
    Decoder(&'a Operation),
    /// The runtime's import in `requests` and `decoders`.
    RuntimeImport,
}

/// The `client` module: the client's methods (one `impl` block), request builders and response
/// decoders; an operation's method, builder and decoder are units of their own.
pub(crate) fn plan(api: &Api) -> Vec<Piece<Unit<'_>>> {
    let ops = || api.operations.iter();
    let mut methods = vec![Unit::Builder];
    methods.extend(ops().map(Unit::Method));
    let mut requests = vec![Unit::RuntimeImport];
    requests.extend(ops().map(Unit::Request));
    let mut decoders = vec![Unit::RuntimeImport];
    decoders.extend(ops().map(Unit::Decoder));
    vec![
        Piece::Items(Unit::Head),
        Piece::Container { kind: Container::Impl, shell: Unit::ClientImpl, members: methods },
        Piece::Container { kind: Container::Module, shell: Unit::Requests, members: requests },
        Piece::Container { kind: Container::Module, shell: Unit::Decoders, members: decoders },
    ]
}

/// Renders a unit of the `client` module.
pub(crate) fn render(api: &Api, unit: &Unit<'_>) -> Rendered {
    match unit {
        Unit::Head => {
            let base = api.servers.first().cloned().unwrap_or_else(|| "http://localhost".to_owned());
            let base_doc = format!(" The document's first server: `{base}`.");
            Rendered::always(quote! {
                pub use super::client_runtime::{
                    Call, CallOptions, Client, ClientBuilder, Error, ErrorKind, Hook, OperationInfo, Request, Response,
                    RetryPolicy, Token, TokenSource,
                };
                #[allow(unused_imports)]
                use super::client_runtime as rt;

                #[doc = #base_doc]
                pub const DEFAULT_BASE_URL: &str = #base;
            })
        }
        Unit::ClientImpl => Rendered::always(quote!(impl Client {})),
        Unit::Builder => Rendered::always(quote! {
            /// A builder for a client of [`DEFAULT_BASE_URL`].
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new(DEFAULT_BASE_URL)
            }
        }),
        Unit::Method(op) => {
            let method = method(api, op);
            let stream = op.pagination.as_ref().map(|p| stream_method(api, op, p));
            Rendered::gated(api, &op.features, quote!(#method #stream))
        }
        Unit::Requests => Rendered::always(quote! {
            /// Request builders, one per operation.
            mod requests {}
        }),
        Unit::Request(op) => Rendered::gated(api, &op.features, request_fn(api, op)),
        Unit::Decoders => Rendered::always(quote! {
            /// Response decoders, one per operation.
            mod decoders {}
        }),
        Unit::Decoder(op) => Rendered::gated(api, &op.features, decode_fn(api, op)),
        Unit::RuntimeImport => Rendered::always(quote! {
            #[allow(unused_imports)]
            use super::super::client_runtime as rt;
        }),
    }
}
