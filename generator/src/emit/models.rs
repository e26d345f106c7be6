//! The `models` module: one Rust type per named IR type.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};

fn ty(api: &Api, t: &Ty) -> TokenStream {
    super::ty(api, t, &At::models())
}
use quote::quote;

use super::{At, Piece, Rendered, doc_attrs, ident};
use crate::ir::{Api, EnumRepr, EnumValue, Field, Presence, Struct, Ty, TypeDef, TypeKind, Union, View};

/// One named type: its definition and its other form (request or response), if it has one.
#[derive(Debug)]
pub(crate) struct Unit<'a> {
    def: &'a TypeDef,
    twin: Option<&'a TypeDef>,
}

/// Every named type, ordered by Rust name, one piece each.
pub(crate) fn plan(api: &Api) -> Vec<Piece<Unit<'_>>> {
    let mut order: Vec<&TypeDef> = api.types.iter().collect();
    order.sort_by(|a, b| a.name.cmp(&b.name));
    // The request and response forms of one schema, found once rather than per type.
    let mut twins: BTreeMap<(&str, View), &TypeDef> = BTreeMap::new();
    for def in &api.types {
        if let Some(wire) = &def.wire_name {
            twins.entry((wire.as_str(), def.view)).or_insert(def);
        }
    }
    order
        .into_iter()
        .map(|def| {
            let twin = def.wire_name.as_deref().and_then(|wire| {
                let other = match def.view {
                    View::Request => View::Response,
                    View::Response => View::Request,
                    _ => return None,
                };
                twins.get(&(wire, other)).copied()
            });
            Piece::Items(Unit { def, twin })
        })
        .collect()
}

/// A type and its impls, all behind the type's features.
pub(crate) fn render(api: &Api, unit: &Unit<'_>) -> Rendered {
    Rendered::gated(api, &unit.def.features, type_items(api, unit.def, unit.twin))
}

/// The note on a schema's request or response form naming the other form: a link when both are
/// compiled under the same features, plain code otherwise (the other may be compiled out).
fn view_note(def: &TypeDef, twin: Option<&TypeDef>) -> Vec<String> {
    let (Some(wire), Some(twin)) = (&def.wire_name, twin) else { return Vec::new() };
    let other = if twin.features == def.features { format!("[`{}`]", twin.name) } else { format!("`{}`", twin.name) };
    match def.view {
        View::Request => vec![format!(
            "The request form of `{wire}`: what a client sends (read-only properties left out; the response form is {other})."
        )],
        View::Response => vec![format!(
            "The response form of `{wire}`: what a server sends (write-only properties left out; the request form is {other})."
        )],
        _ => Vec::new(),
    }
}

fn type_items(api: &Api, def: &TypeDef, twin: Option<&TypeDef>) -> TokenStream {
    let name = ident(&def.name);
    let mut extra = view_note(def, twin);
    match &def.kind {
        TypeKind::Struct(s) => emit_struct(api, def, s, extra),
        TypeKind::Enum(e) => {
            let values: Vec<String> = e
                .variants
                .iter()
                .map(|v| match &v.value {
                    EnumValue::Str(s) => format!("`{s:?}`"),
                    EnumValue::Int(i) => format!("`{i}`"),
                })
                .collect();
            extra.push(format!(
                "Known values: {}. Any other value is kept in `{}` and written back unchanged.",
                values.join(", "),
                e.unknown
            ));
            let docs = doc_attrs(&def.docs, &extra);
            emit_enum(def, &name, docs, e)
        }
        TypeKind::Union(u) => {
            let docs = doc_attrs(&def.docs, &extra);
            emit_union(api, def, &name, docs, u)
        }
        TypeKind::Alias(t) => {
            let docs = doc_attrs(&def.docs, &extra);
            let t = ty(api, t);
            quote! {
                #docs
                pub type #name = #t;
            }
        }
        TypeKind::NullableAlias(t) => {
            let docs = doc_attrs(&def.docs, &extra);
            let t = ty(api, t);
            quote! {
                #docs
                pub type #name = ::std::option::Option<#t>;
            }
        }
    }
}

/// Whether a field is declared without an `Option` around it: required, and either not nullable
/// or a JSON value that holds `null` itself.
fn is_plain(api: &Api, f: &Field) -> bool {
    presence(api, f) == Presence::Required
}

/// A field's presence as its type spells it: a JSON value holds `null` itself, so only presence
/// is tracked for it.
fn presence(api: &Api, f: &Field) -> Presence {
    if holds_null(api, &f.ty) { f.presence.null_as_value() } else { f.presence }
}

/// Whether `null` is a value of the type rather than its absence: a JSON value, the unit type,
/// or a named alias of either (`Anything: {}`), however many aliases deep.
fn holds_null(api: &Api, t: &Ty) -> bool {
    let mut t = t;
    // Alias chains end (lowering turns alias cycles into JSON values); the bound is a guard.
    for _ in 0..=api.types.len() {
        match t {
            Ty::Any | Ty::Unit => return true,
            Ty::Named(id) => match &api.ty(*id).kind {
                TypeKind::Alias(inner) => t = inner,
                _ => return false,
            },
            _ => return false,
        }
    }
    false
}

/// How a field is declared: its full type, its `rename` and its other serde attributes (two
/// `#[serde]` attributes, so that each fits on a line).
fn field_tokens(api: &Api, f: &Field) -> (TokenStream, Option<TokenStream>, Vec<TokenStream>) {
    let mut base = ty(api, &f.ty);
    if f.boxed {
        base = quote!(::std::boxed::Box<#base>);
    }
    let rename = (f.name.trim_start_matches("r#") != f.wire_name).then(|| {
        let wire = &f.wire_name;
        quote!(#[serde(rename = #wire)])
    });
    let mut attrs = Vec::new();
    let holds_null = holds_null(api, &f.ty);
    let full = match presence(api, f) {
        Presence::Required => base,
        Presence::Nullable => {
            attrs.push(quote!(default));
            if f.blank_is_null {
                attrs.push(quote!(deserialize_with = "super::runtime::blank_as_none"));
            }
            quote!(::std::option::Option<#base>)
        }
        Presence::Optional => {
            attrs.push(quote!(default, skip_serializing_if = "::std::option::Option::is_none"));
            if holds_null {
                attrs.push(quote!(deserialize_with = "super::runtime::present"));
            }
            quote!(::std::option::Option<#base>)
        }
        Presence::OptionalNullable => {
            attrs.push(quote!(default, skip_serializing_if = "::std::option::Option::is_none"));
            if f.blank_is_null {
                attrs.push(quote!(with = "super::runtime::blank_double_option"));
            } else {
                attrs.push(quote!(with = "super::runtime::double_option"));
            }
            quote!(::std::option::Option<::std::option::Option<#base>>)
        }
    };
    (full, rename, attrs)
}

fn field_docs(f: &Field) -> Vec<String> {
    let mut notes = Vec::new();
    if f.read_only {
        notes.push("Read-only: set by the server.".to_owned());
    }
    if f.write_only {
        notes.push("Write-only: sent by clients, never returned.".to_owned());
    }
    if f.blank_is_null {
        notes.push(
            "The server may send `\"\"` for no choice; it is read as `None` (no choice) and written as `null`."
                .to_owned(),
        );
    }
    let c = &f.constraints;
    let mut limits = Vec::new();
    if let Some(n) = c.min_length {
        limits.push(format!("at least {n} characters"));
    }
    if let Some(n) = c.max_length {
        limits.push(format!("at most {n} characters"));
    }
    if let Some((n, exclusive)) = c.minimum {
        limits.push(format!("{} {n}", if exclusive { "greater than" } else { "at least" }));
    }
    if let Some((n, exclusive)) = c.maximum {
        limits.push(format!("{} {n}", if exclusive { "less than" } else { "at most" }));
    }
    if let Some(p) = &c.pattern {
        limits.push(format!("matching `{p}`"));
    }
    if let Some(fmt) = &c.format {
        limits.push(format!("format `{fmt}`"));
    }
    if !limits.is_empty() {
        notes.push(format!("Constraints: {}.", limits.join(", ")));
    }
    if let Some(d) = &f.default {
        notes.push(format!("Default: `{d}`."));
    }
    notes
}

fn emit_struct(api: &Api, def: &TypeDef, s: &Struct, extra: Vec<String>) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&def.docs, &extra);
    let mut all_optional = true;
    let fields: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|f| {
            let fname = ident(&f.name);
            let (full, rename, attrs) = field_tokens(api, f);
            all_optional &= !is_plain(api, f);
            let docs = doc_attrs(&f.docs, &field_docs(f));
            // One attribute per concern, so that each fits on a line.
            let serde = attrs.iter().map(|a| quote!(#[serde(#a)]));
            quote! {
                #docs
                #rename
                #(#serde)*
                pub #fname: #full,
            }
        })
        .collect();
    let additional = s.additional.as_ref().map(|t| {
        let t = ty(api, t);
        quote! {
            /// Properties not listed above.
            #[serde(flatten)]
            pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #t>,
        }
    });
    let default = all_optional.then(|| quote!(Default));
    let required = s.fields.iter().filter(|f| is_plain(api, f)).count();
    let constructor = (!all_optional && required <= MAX_CONSTRUCTOR_ARGS).then(|| constructor(api, &name, s));
    // serde's derive stays for what it does best (flattened maps) and for the trivial case.
    let handwritten = s.additional.is_none() && !s.fields.is_empty();
    let (derive_de, deserialize) = if handwritten {
        (None, Some(deserialize_impl(api, &name, s)))
    } else {
        (Some(quote!(::serde::Deserialize)), None)
    };
    let own = [quote!(Debug), quote!(Clone), quote!(PartialEq)].into_iter().chain(default);
    let derives = derive_attrs(own.chain([quote!(::serde::Serialize)]).chain(derive_de).collect(), def);
    quote! {
        #docs
        #derives
        pub struct #name {
            #(#fields)*
            #additional
        }

        #deserialize

        #constructor
    }
}

/// `Deserialize` for a struct without flattened properties, through the runtime's
/// `struct_deserialize!` (serde's rules, much less code to compile than serde's derive): per
/// field, the function that reads its value and the one that makes the field of what was read.
fn deserialize_impl(api: &Api, name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let fields = s.fields.iter().map(|f| {
        let wire = &f.wire_name;
        let fname = ident(&f.name);
        let nullable_reader = if f.blank_is_null { quote!(read_blank) } else { quote!(read) };
        let (read, finish) = match presence(api, f) {
            Presence::Required => (quote!(read), quote!(required)),
            Presence::Nullable => (nullable_reader, quote!(flatten)),
            // A JSON value holds `null` itself: present is `Some`, whatever the value.
            Presence::Optional if holds_null(api, &f.ty) => (quote!(read), quote!(optional)),
            Presence::Optional => (quote!(read), quote!(flatten)),
            Presence::OptionalNullable => (nullable_reader, quote!(optional)),
        };
        quote!(#fname: #wire => #read #finish)
    });
    quote! {
        super::runtime::struct_deserialize!(#name { #(#fields),* });
    }
}

/// Past this many required fields a positional `new` is harder to read than a struct literal
/// (and only makes the crate bigger), so none is generated.
const MAX_CONSTRUCTOR_ARGS: usize = 16;

/// `new(required fields)` for a struct that also has optional ones: everything optional starts
/// out absent.
fn constructor(api: &Api, name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let required: Vec<&Field> = s.fields.iter().filter(|f| is_plain(api, f)).collect();
    let args = required.iter().map(|f| {
        let name = ident(&f.name);
        let (t, _, _) = field_tokens(api, f);
        quote!(#name: #t)
    });
    let inits = s.fields.iter().map(|f| {
        let name = ident(&f.name);
        if is_plain(api, f) { quote!(#name) } else { quote!(#name: ::std::option::Option::None) }
    });
    let additional = s.additional.as_ref().map(|_| quote!(additional_properties: ::std::collections::BTreeMap::new(),));
    let doc = if required.len() == s.fields.len() {
        " A value from all of its fields."
    } else {
        " A value with the required fields set and every optional one absent."
    };
    quote! {
        impl #name {
            #[doc = #doc]
            #[allow(clippy::too_many_arguments)]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* #additional }
            }
        }
    }
}

fn emit_enum(def: &TypeDef, name: &proc_macro2::Ident, docs: TokenStream, e: &crate::ir::Enum) -> TokenStream {
    let unknown = ident(&e.unknown);
    let variants = e.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let doc = match (&v.value, &v.label) {
            (EnumValue::Str(s), Some(l)) => format!(" `{s:?}`: {l}"),
            (EnumValue::Str(s), None) => format!(" `{s:?}`"),
            (EnumValue::Int(i), Some(l)) => format!(" `{i}`: {l}"),
            (EnumValue::Int(i), None) => format!(" `{i}`"),
        };
        quote! {
            #[doc = #doc]
            #vname,
        }
    });
    let (wire_ty, unknown_doc) = match e.repr {
        EnumRepr::String => (quote!(::std::string::String), " A value not listed in the document, kept as received."),
        EnumRepr::Integer => (quote!(i64), " A value not listed in the document, kept as received."),
    };
    let to_wire = e.variants.iter().map(|v| {
        let vname = ident(&v.name);
        match &v.value {
            EnumValue::Str(s) => quote!(Self::#vname => #s,),
            EnumValue::Int(i) => {
                let lit = Literal::i64_unsuffixed(*i);
                quote!(Self::#vname => #lit,)
            }
        }
    });
    let from_wire = e.variants.iter().map(|v| {
        let vname = ident(&v.name);
        match &v.value {
            EnumValue::Str(s) => quote!(#s => Self::#vname,),
            EnumValue::Int(i) => {
                let lit = Literal::i64_unsuffixed(*i);
                quote!(#lit => Self::#vname,)
            }
        }
    });
    let body = match e.repr {
        EnumRepr::String => quote! {
            impl #name {
                /// The value as written on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(#to_wire)*
                        Self::#unknown(value) => value.as_str(),
                    }
                }
            }

            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    match value {
                        #(#from_wire)*
                        other => Self::#unknown(::std::borrow::ToOwned::to_owned(other)),
                    }
                }
            }

            super::runtime::string_enum_impls!(#name);
        },
        EnumRepr::Integer => quote! {
            impl #name {
                /// The value as written on the wire.
                pub fn value(&self) -> i64 {
                    match self {
                        #(#to_wire)*
                        Self::#unknown(value) => *value,
                    }
                }
            }

            impl ::std::convert::From<i64> for #name {
                fn from(value: i64) -> Self {
                    match value {
                        #(#from_wire)*
                        other => Self::#unknown(other),
                    }
                }
            }

            super::runtime::integer_enum_impls!(#name);
        },
    };
    let derives = derive_attrs(
        vec![
            quote!(Debug),
            quote!(Clone),
            quote!(PartialEq),
            quote!(Eq),
            quote!(Hash),
            quote!(PartialOrd),
            quote!(Ord),
        ],
        def,
    );
    quote! {
        #docs
        #derives
        pub enum #name {
            #(#variants)*
            #[doc = #unknown_doc]
            #unknown(#wire_ty),
        }

        #body
    }
}

fn emit_union(api: &Api, def: &TypeDef, name: &proc_macro2::Ident, docs: TokenStream, u: &Union) -> TokenStream {
    let variant_ty = |v: &crate::ir::UnionVariant| {
        let t = ty(api, &v.ty);
        if v.boxed { quote!(::std::boxed::Box<#t>) } else { t }
    };
    let variants = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let t = variant_ty(v);
        let doc = if v.tags.is_empty() {
            None
        } else {
            let tags: Vec<String> = v.tags.iter().map(|t| format!("`{t:?}`")).collect();
            let text = format!(" Selected by {}.", tags.join(", "));
            Some(quote!(#[doc = #text]))
        };
        quote! {
            #doc
            #vname(#t),
        }
    });
    let (Some(tag), Some(unknown)) = (&u.discriminator, &u.unknown) else {
        let derives = derive_attrs(
            vec![
                quote!(Debug),
                quote!(Clone),
                quote!(PartialEq),
                quote!(::serde::Serialize),
                quote!(::serde::Deserialize),
            ],
            def,
        );
        return quote! {
            #docs
            #derives
            #[serde(untagged)]
            pub enum #name {
                #(#variants)*
            }
        };
    };
    // Tagged: the tag picks the alternative, which is read from the whole object (tag included,
    // since the alternatives usually declare it); an unknown tag is kept as JSON.
    let unknown = ident(unknown);
    let arms = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let tags = &v.tags;
        let read = if v.boxed {
            quote!(::serde_json::from_value(value).map(|v| Self::#vname(::std::boxed::Box::new(v))))
        } else {
            quote!(::serde_json::from_value(value).map(Self::#vname))
        };
        quote! {
            #(::std::option::Option::Some(#tags))|* => #read.map_err(<D::Error as ::serde::de::Error>::custom),
        }
    });
    let unknown_doc = format!(" An object whose `{tag}` is not one the document lists, kept as received.");
    let derives = derive_attrs(vec![quote!(Debug), quote!(Clone), quote!(PartialEq), quote!(::serde::Serialize)], def);
    quote! {
        #docs
        #derives
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
            #[doc = #unknown_doc]
            #unknown(::serde_json::Value),
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#tag).and_then(::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    _ => ::std::result::Result::Ok(Self::#unknown(value)),
                }
            }
        }
    }
}

/// `#[derive(..)]` with the kind's own derives and the configured ones it lacks, then the
/// configured attributes (lowering checked that each parses).
fn derive_attrs(mut own: Vec<TokenStream>, def: &TypeDef) -> TokenStream {
    let last = |path: &str| path.rsplit("::").next().unwrap_or(path).trim().to_owned();
    let present: Vec<String> = own.iter().map(|t| last(&t.to_string().replace(' ', ""))).collect();
    for derive in &def.derives {
        if !present.contains(&last(derive)) {
            own.extend(syn::parse_str::<syn::Path>(derive).ok().map(|p| quote!(#p)));
        }
    }
    let attributes = def.attributes.iter().filter_map(|a| a.parse::<TokenStream>().ok());
    quote! {
        #[derive(#(#own),*)]
        #(#attributes)*
    }
}
