//! The `operations` module: per-operation types shared by the client and the server (query
//! parameter structs, response enums, and the enums the client splits them into).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{At, Piece, Rendered, doc_attrs, ident, ty};
use crate::ir::{Api, Content, Docs, MediaKind, Operation, ParamLocation, Response, Status};

/// The Rust type of a body as the generated code carries it.
pub(crate) fn payload_ty(api: &Api, content: &Content, at: &At) -> TokenStream {
    match content.kind() {
        MediaKind::Text => quote!(::std::string::String),
        MediaKind::Binary => quote!(::std::vec::Vec<u8>),
        MediaKind::Json | MediaKind::Form | MediaKind::Multipart => match &content.ty {
            Some(t) => ty(api, t, at),
            None => quote!(::serde_json::Value),
        },
    }
}

/// `GET /path` for docs.
pub(crate) fn route(op: &Operation) -> String {
    format!("`{} {}`", op.method, op.path)
}

/// The operation's `OperationInfo` (which client hooks and server layers see), with `rt` the path
/// to a runtime that exports the type.
pub(crate) fn operation_info(op: &Operation, rt: &TokenStream) -> TokenStream {
    let (id, method, path, tags) = (&op.id, op.method.key().to_ascii_uppercase(), &op.path, &op.tags);
    quote!(#rt::OperationInfo { id: #id, method: #method, path: #path, tags: &[#(#tags),*] })
}

/// Whether a status carries its code in the variant (ranges and `default`).
pub(crate) fn variant_keeps_status(status: Status) -> bool {
    !matches!(status, Status::Code(_))
}

/// One operation's query struct and response enum.
#[derive(Debug)]
pub(crate) struct Unit<'a>(&'a Operation);

/// Every operation's types, one piece per operation.
pub(crate) fn plan(api: &Api) -> Vec<Piece<Unit<'_>>> {
    api.operations.iter().map(|op| Piece::Items(Unit(op))).collect()
}

/// An operation's query struct and response enum, behind its features.
pub(crate) fn render(api: &Api, Unit(op): &Unit<'_>) -> Rendered {
    let at = At::sibling();
    let query = query_struct(api, op, &at);
    let all: Vec<usize> = (0..op.responses.len()).collect();
    let doc = format!(" The documented responses of `{}` ({}), one variant per status.", op.name, route(op));
    let response = status_enum(api, op, &op.response_enum, &all, &doc, &at);
    let sides = [
        (&op.outcome.success, "success statuses", "`Ok`"),
        (&op.outcome.error, "error statuses", "`ErrorKind::Documented`"),
    ];
    let split = sides.into_iter().filter_map(|(side, which, arrives)| {
        let name = side.enum_name.as_ref()?;
        let doc = format!(
            " The documented {which} of `{}` ({}), one variant per status: what the client's method returns in \
             {arrives}.",
            op.name,
            route(op)
        );
        Some(status_enum(api, op, name, &side.responses, &doc, &at))
    });
    let split: Vec<TokenStream> = split.collect();
    Rendered::gated(api, &op.features, quote!(#query #response #(#split)*))
}

fn query_struct(api: &Api, op: &Operation, at: &At) -> Option<TokenStream> {
    let name = ident(op.query_struct.as_ref()?);
    let params: Vec<_> = op.params.iter().filter(|p| p.location == ParamLocation::Query).collect();
    let all_optional = params.iter().all(|p| !p.required);
    let fields = params.iter().map(|p| {
        let fname = ident(&p.name);
        let t = ty(api, &p.ty, at);
        let wire = &p.wire_name;
        // `rename` apart from the rest, so that each attribute fits on a line.
        let rename = (p.name.trim_start_matches("r#") != p.wire_name).then(|| quote!(#[serde(rename = #wire)]));
        let docs = doc_attrs(&p.docs, &[]);
        if p.required {
            quote! {
                #docs
                #rename
                pub #fname: #t,
            }
        } else {
            quote! {
                #docs
                #rename
                #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                pub #fname: ::std::option::Option<#t>,
            }
        }
    });
    let default = all_optional.then(|| quote!(Default,));
    let doc = format!(" Query parameters of `{}` ({}).", op.name, route(op));
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #(#fields)*
        }
    })
}

/// An enum of some of an operation's responses (`indices` into them), one variant per status,
/// with its `status()`.
fn status_enum(api: &Api, op: &Operation, name: &str, indices: &[usize], doc: &str, at: &At) -> TokenStream {
    let name = ident(name);
    let responses: Vec<&Response> = indices.iter().map(|&i| &op.responses[i]).collect();
    let variants = responses.iter().map(|r| {
        let vname = ident(&r.variant);
        let status_text = r.status.code_text().unwrap_or_else(|| "Any other status".to_owned());
        let docs = doc_attrs(
            &Docs { title: Some(format!("{}: {}", status_text, r.description.trim())), ..Docs::default() },
            &[],
        );
        let body = r.contents.first().map(|c| payload_ty(api, c, at));
        match (variant_keeps_status(r.status), body) {
            (false, None) => quote!(#docs #vname,),
            (false, Some(b)) => quote!(#docs #vname(#b),),
            (true, None) => quote!(#docs #vname(u16),),
            (true, Some(b)) => quote!(#docs #vname(u16, #b),),
        }
    });
    let statuses = responses.iter().map(|r| {
        let vname = ident(&r.variant);
        let pattern = match (variant_keeps_status(r.status), r.contents.is_empty()) {
            (false, true) => quote!(Self::#vname),
            (false, false) => quote!(Self::#vname(_)),
            (true, true) => quote!(Self::#vname(status)),
            (true, false) => quote!(Self::#vname(status, _)),
        };
        match r.status {
            Status::Code(n) => {
                let n = Literal::u16_unsuffixed(n);
                quote!(#pattern => #n,)
            }
            _ => quote!(#pattern => *status,),
        }
    });
    let status_fn = (!responses.is_empty()).then(|| {
        quote! {
            impl #name {
                /// The HTTP status of this response.
                pub fn status(&self) -> u16 {
                    match self {
                        #(#statuses)*
                    }
                }
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        #status_fn
    }
}
