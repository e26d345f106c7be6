//! Rendered units to text: tokens -> syn -> prettyplease, with the unit's `#[cfg]` put on each of
//! its items or members (after their docs), a blank line between two items or members, and the
//! runtime's table macros laid out one entry per line.

use proc_macro2::{Spacing, TokenStream, TokenTree};
use quote::quote;
use syn::Attribute;

use crate::emit::{Container, Rendered};
use crate::error::Error;

/// Whole items, a blank line between two (and after the inner docs of a crate root).
pub fn items(rendered: Rendered) -> Result<String, Error> {
    let file: syn::File = parse(rendered.tokens)?;
    let gate = gate_attrs(rendered.gate)?;
    let mut out = String::new();
    if !file.attrs.is_empty() {
        out.push_str(&prettyplease::unparse(&syn::File { shebang: None, attrs: file.attrs, items: Vec::new() }));
    }
    for mut item in file.items {
        put_gate(item_attrs(&mut item), &gate)?;
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&item_text(item)?);
    }
    Ok(out)
}

/// The first lines of a big item: its shell (the item with an empty body, `impl Client {}`)
/// formatted, without the `}` that closes the body.
pub fn open(rendered: Rendered) -> Result<String, Error> {
    let text = items(rendered)?;
    let open = text.strip_suffix("{}\n").ok_or_else(|| internal(format!("a shell with a body: {text}")))?;
    Ok(format!("{open}{{\n"))
}

/// Members of a big item of `kind`, each formatted alone inside a stand-in item of that kind (so
/// it is indented and broken as inside the real one) whose first and last lines are left out; a
/// blank line between two members, except between the statements of one unit of a body.
pub fn members(kind: Container, rendered: Rendered) -> Result<String, Error> {
    let gate = gate_attrs(rendered.gate)?;
    let tokens = rendered.tokens;
    match kind {
        Container::Impl => {
            let stand_in = parse(quote!(impl __Oagen { #tokens }))?;
            each_member(stand_in, "impl __Oagen {\n", impl_items, impl_item_attrs, &gate, true)
        }
        Container::Trait => {
            let stand_in = parse(quote!(trait __Oagen { #tokens }))?;
            each_member(stand_in, "trait __Oagen {\n", trait_items, trait_item_attrs, &gate, true)
        }
        Container::Module => {
            let stand_in = parse(quote!(mod __oagen { #tokens }))?;
            each_member(stand_in, "mod __oagen {\n", mod_items, item_attrs, &gate, true)
        }
        // The statements of one unit belong together (`let shared = ..; let router = ..;`).
        Container::Body => {
            let stand_in = parse(quote!(fn __oagen() { #tokens }))?;
            each_member(stand_in, "fn __oagen() {\n", statements, stmt_attrs, &gate, false)
        }
    }
}

/// The members that `slot` finds in `stand_in`, formatted one by one (or all together, when not
/// `spaced`) inside it; `first_line` is how the stand-in's first line prints.
fn each_member<M>(
    stand_in: syn::Item,
    first_line: &str,
    slot: fn(&mut syn::Item) -> Option<&mut Vec<M>>,
    attrs: fn(&mut M) -> Option<&mut Vec<Attribute>>,
    gate: &[Attribute],
    spaced: bool,
) -> Result<String, Error> {
    let mut file = syn::File { shebang: None, attrs: Vec::new(), items: vec![stand_in] };
    let mut members = std::mem::take(slot_of(&mut file, slot)?);
    for member in &mut members {
        put_gate(attrs(member), gate)?;
    }
    let groups: Vec<Vec<M>> = if spaced { members.into_iter().map(|m| vec![m]).collect() } else { vec![members] };
    let mut out = String::new();
    for group in groups {
        *slot_of(&mut file, slot)? = group;
        let text = prettyplease::unparse(&file);
        let inner = text
            .strip_prefix(first_line)
            .and_then(|rest| rest.strip_suffix("}\n"))
            .ok_or_else(|| internal(format!("a stand-in printed unlike `{first_line}`: {text}")))?;
        if !out.is_empty() && !inner.is_empty() {
            out.push('\n');
        }
        out.push_str(inner);
    }
    Ok(out)
}

/// The members of the stand-in that `file` holds.
fn slot_of<M>(file: &mut syn::File, slot: fn(&mut syn::Item) -> Option<&mut Vec<M>>) -> Result<&mut Vec<M>, Error> {
    file.items.first_mut().and_then(slot).ok_or_else(|| internal("a stand-in without members".to_owned()))
}

fn impl_items(item: &mut syn::Item) -> Option<&mut Vec<syn::ImplItem>> {
    if let syn::Item::Impl(i) = item { Some(&mut i.items) } else { None }
}

fn trait_items(item: &mut syn::Item) -> Option<&mut Vec<syn::TraitItem>> {
    if let syn::Item::Trait(t) = item { Some(&mut t.items) } else { None }
}

fn mod_items(item: &mut syn::Item) -> Option<&mut Vec<syn::Item>> {
    if let syn::Item::Mod(m) = item { m.content.as_mut().map(|(_, items)| items) } else { None }
}

fn statements(item: &mut syn::Item) -> Option<&mut Vec<syn::Stmt>> {
    if let syn::Item::Fn(f) = item { Some(&mut f.block.stmts) } else { None }
}

/// The attributes of an item (none for verbatim tokens).
fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<Attribute>> {
    use syn::Item;
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::ExternCrate(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::ForeignMod(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::TraitAlias(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

fn impl_item_attrs(item: &mut syn::ImplItem) -> Option<&mut Vec<Attribute>> {
    use syn::ImplItem;
    Some(match item {
        ImplItem::Const(i) => &mut i.attrs,
        ImplItem::Fn(i) => &mut i.attrs,
        ImplItem::Type(i) => &mut i.attrs,
        ImplItem::Macro(i) => &mut i.attrs,
        _ => return None,
    })
}

fn trait_item_attrs(item: &mut syn::TraitItem) -> Option<&mut Vec<Attribute>> {
    use syn::TraitItem;
    Some(match item {
        TraitItem::Const(i) => &mut i.attrs,
        TraitItem::Fn(i) => &mut i.attrs,
        TraitItem::Type(i) => &mut i.attrs,
        TraitItem::Macro(i) => &mut i.attrs,
        _ => return None,
    })
}

/// The attributes of a statement that can carry a `#[cfg]` of its own (not an expression's).
fn stmt_attrs(stmt: &mut syn::Stmt) -> Option<&mut Vec<Attribute>> {
    match stmt {
        syn::Stmt::Local(l) => Some(&mut l.attrs),
        syn::Stmt::Item(i) => item_attrs(i),
        syn::Stmt::Macro(m) => Some(&mut m.attrs),
        syn::Stmt::Expr(..) => None,
    }
}

/// The attributes of a unit's gate.
fn gate_attrs(gate: TokenStream) -> Result<Vec<Attribute>, Error> {
    if gate.is_empty() {
        return Ok(Vec::new());
    }
    syn::parse::Parser::parse2(Attribute::parse_outer, gate)
        .map_err(|e| internal(format!("the emitter produced a gate that does not parse: {e}")))
}

/// Puts `gate` after the leading doc attributes of an item or member.
fn put_gate(attrs: Option<&mut Vec<Attribute>>, gate: &[Attribute]) -> Result<(), Error> {
    if gate.is_empty() {
        return Ok(());
    }
    let attrs = attrs.ok_or_else(|| internal("a gate on something without attributes".to_owned()))?;
    let at = attrs.iter().take_while(|a| a.path().is_ident("doc")).count();
    attrs.splice(at..at, gate.iter().cloned());
    Ok(())
}

/// One item formatted: by prettyplease, or, for a call of a table macro, by [`table_text`]
/// after what prettyplease prints for the call without its arguments.
fn item_text(mut item: syn::Item) -> Result<String, Error> {
    let table = match &mut item {
        syn::Item::Macro(m) if is_table(&m.mac) => {
            table_text(&m.mac.tokens).inspect(|_| m.mac.tokens = TokenStream::new())
        }
        _ => None,
    };
    let text = prettyplease::unparse(&syn::File { shebang: None, attrs: Vec::new(), items: vec![item] });
    match table {
        None => Ok(text),
        Some(table) => {
            let call =
                text.strip_suffix("!();\n").ok_or_else(|| internal(format!("a macro call printed as {text}")))?;
            Ok(format!("{call}!({table});\n"))
        }
    }
}

/// Runtime macros whose calls read `Name { entry, entry, .. }`: prettyplease would fill their
/// tokens like prose.
const TABLE_MACROS: [&str; 1] = ["struct_deserialize"];

fn is_table(mac: &syn::Macro) -> bool {
    mac.path.segments.last().is_some_and(|s| TABLE_MACROS.iter().any(|t| s.ident == t))
}

/// `Name {`, one entry per line, `}`; `None` (leave it to prettyplease) for any other shape.
fn table_text(tokens: &TokenStream) -> Option<String> {
    let mut iter = tokens.clone().into_iter();
    let (Some(TokenTree::Ident(name)), Some(TokenTree::Group(body)), None) = (iter.next(), iter.next(), iter.next())
    else {
        return None;
    };
    let mut out = format!("{name} {{\n");
    let mut entry = String::new();
    let mut joined = true;
    for tt in body.stream() {
        match &tt {
            TokenTree::Group(_) => return None,
            TokenTree::Punct(p) if p.as_char() == ',' => {
                out.push_str(&format!("    {entry},\n"));
                entry.clear();
                joined = true;
                continue;
            }
            TokenTree::Punct(p) if p.as_char() == ':' => {}
            _ if !joined => entry.push(' '),
            _ => {}
        }
        entry.push_str(&tt.to_string());
        joined = matches!(&tt, TokenTree::Punct(p) if p.spacing() == Spacing::Joint);
    }
    if !entry.is_empty() {
        out.push_str(&format!("    {entry},\n"));
    }
    out.push('}');
    Some(out)
}

fn parse<T: syn::parse::Parse>(tokens: TokenStream) -> Result<T, Error> {
    syn::parse2(tokens).map_err(|e| internal(format!("the emitter produced tokens that do not parse: {e}")))
}

fn internal(message: String) -> Error {
    Error::Internal(message)
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::{Container, Rendered, items, members, open};

    fn gated(tokens: proc_macro2::TokenStream) -> Rendered {
        Rendered { gate: quote!(#[cfg(feature = "x")]), tokens }
    }

    #[test]
    fn table_macros_get_one_entry_per_line() {
        let tokens = quote! {
            super::runtime::struct_deserialize!(Pet {
                r#type: "type" => read required, name_2: "name" => read flatten
            });
        };
        let text = items(gated(tokens)).expect("formats");
        assert_eq!(
            text,
            "#[cfg(feature = \"x\")]\nsuper::runtime::struct_deserialize!(Pet {\n    \
             r#type: \"type\" => read required,\n    name_2: \"name\" => read flatten,\n});\n"
        );
    }

    #[test]
    fn other_shapes_are_left_to_prettyplease() {
        let tokens = quote!(super::runtime::struct_deserialize!(Pet { a: (b, c) }););
        let text = items(Rendered::always(tokens)).expect("formats");
        assert_eq!(text, "super::runtime::struct_deserialize!(Pet { a : (b, c) });\n");
    }

    /// The gate goes on every item, after its docs, and items are a blank line apart.
    #[test]
    fn gates_go_on_every_item_after_its_docs() {
        let tokens = quote! {
            /// A struct.
            #[derive(Debug)]
            pub struct S { pub a: i64 }
            impl S { pub fn new() -> Self { Self { a: 0 } } }
            const C: S = S { a: 1 };
            super::runtime::string_enum_impls!(E);
        };
        let text = items(gated(tokens)).expect("formats");
        assert_eq!(
            text,
            "/// A struct.\n#[cfg(feature = \"x\")]\n#[derive(Debug)]\npub struct S {\n    pub a: i64,\n}\n\n\
             #[cfg(feature = \"x\")]\nimpl S {\n    pub fn new() -> Self {\n        Self { a: 0 }\n    }\n}\n\n\
             #[cfg(feature = \"x\")]\nconst C: S = S { a: 1 };\n\n\
             #[cfg(feature = \"x\")]\nsuper::runtime::string_enum_impls!(E);\n"
        );
    }

    /// A big item formatted in pieces reads as the same item formatted whole, with a blank line
    /// between two members.
    #[test]
    fn items_in_pieces_read_as_formatted_whole() {
        let first = quote! {
            /// Docs.
            pub fn first(&self, a_rather_long_argument_name: &str, another_long_argument: &str)
                -> ::std::result::Result<(), Error> { Ok(()) }
        };
        let second = quote!(
            pub fn second() {}
            pub fn third() {}
        );
        let whole = quote! {
            /// The client.
            impl Client {
                #first
                #[cfg(feature = "x")] pub fn second() {}
                #[cfg(feature = "x")] pub fn third() {}
            }
        };
        let shell = quote!(
            /// The client.
            impl Client {}
        );
        let pieces = [
            open(Rendered::always(shell)).expect("formats"),
            members(Container::Impl, Rendered::always(first)).expect("formats"),
            "\n".to_owned(),
            members(Container::Impl, gated(second)).expect("formats"),
            "}\n".to_owned(),
        ];
        let whole = items(Rendered::always(whole)).expect("formats");
        let text = pieces.concat();
        assert_eq!(text.replace("\n\n", "\n"), whole);
        assert_eq!(text.matches("\n\n    ").count(), 2, "a blank line between two members: {text}");
        // The statements of one unit of a body stay together.
        let body = members(Container::Body, Rendered::always(quote!(let a = 1; let b = a;))).expect("formats");
        assert_eq!(body, "    let a = 1;\n    let b = a;\n");
        // Modules and traits alike.
        let module = members(
            Container::Module,
            gated(quote!(
                use a::b;
                fn c() {}
            )),
        )
        .expect("formats");
        let gated_members = "    #[cfg(feature = \"x\")]\n    use a::b;\n\n    #[cfg(feature = \"x\")]\n    \
                             fn c() {}\n";
        assert_eq!(module, gated_members);
        let methods = members(
            Container::Trait,
            Rendered::always(quote!(
                fn a(&self);
                fn b(&self);
            )),
        )
        .expect("formats");
        assert_eq!(methods, "    fn a(&self);\n\n    fn b(&self);\n");
        // An item opened with nothing in it yet.
        assert_eq!(
            open(Rendered::always(quote!(
                pub trait Api {}
            )))
            .expect("formats"),
            "pub trait Api {\n"
        );
    }

    #[test]
    fn crate_docs_are_followed_by_a_blank_line() {
        let text = items(Rendered::always(quote!(#![doc = " Docs."] pub mod a;))).expect("formats");
        assert_eq!(text, "//! Docs.\n\npub mod a;\n");
    }
}
