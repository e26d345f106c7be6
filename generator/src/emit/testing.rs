//! The `testing` module (a generated crate's `testing` feature, with both sides): `FakeApi`, the
//! server trait again with every method answering 501 until written, implemented as
//! `server::Api` for every type that implements it; and `SCOPES`, every scope an operation
//! requires, which the test authenticator grants. The runtime it re-exports (`TestServer`,
//! `AcceptAll`, `Unimplemented`) is copied from `templates/testing_runtime.rs`.
//!
//! Why a second trait rather than default bodies on `server::Api`: Rust has no partial trait
//! impls, so a fake that writes three operations needs defaults for the rest, and defaults that
//! a cargo feature put on `server::Api` would, once features unify, quietly let a real server
//! miss an operation. `FakeApi` leaves `server::Api` as it is.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::server::{trait_method, trait_output, trait_params};
use super::{At, Container, Piece, Rendered, ident};
use crate::ir::{Api, Operation};

/// A unit of the `testing` module.
#[derive(Debug)]
pub(crate) enum Unit<'a> {
    /// The re-exports of the runtime, the import of the server runtime, `SCOPES`.
    Head,
    /// `trait FakeApi {}`.
    Fake,
    /// One method of `FakeApi`, with its 501 default.
    FakeMethod(&'a Operation),
    /// `impl<T: FakeApi> server::Api for T {}`.
    Impl,
    /// One method of that impl, calling the fake's.
    ImplMethod(&'a Operation),
}

/// The `testing` module: the head, the fake trait, its implementation of the server trait.
pub(crate) fn plan(api: &Api) -> Vec<Piece<Unit<'_>>> {
    let ops = || api.operations.iter();
    vec![
        Piece::Items(Unit::Head),
        Piece::Container { kind: Container::Trait, shell: Unit::Fake, members: ops().map(Unit::FakeMethod).collect() },
        Piece::Container { kind: Container::Impl, shell: Unit::Impl, members: ops().map(Unit::ImplMethod).collect() },
    ]
}

/// Every scope any operation requires, once each, in order.
fn scopes(api: &Api) -> Vec<&str> {
    let scopes: BTreeSet<&str> = api
        .operations
        .iter()
        .flat_map(|op| &op.security)
        .flat_map(|r| &r.schemes)
        .flat_map(|(_, scopes)| scopes.iter().map(String::as_str))
        .collect();
    scopes.into_iter().collect()
}

/// A method of the server trait that calls the same method of the fake.
fn impl_method(api: &Api, op: &Operation) -> TokenStream {
    let at = At::sibling();
    let name = ident(&op.name);
    let pairs = trait_params(api, op, &at);
    let params = pairs.iter().map(|(n, t)| quote!(#n: #t));
    let names = pairs.iter().map(|(n, _)| n);
    let output = trait_output(op, &at);
    quote! {
        fn #name(&self, #(#params),*) -> #output {
            <T as FakeApi>::#name(self, #(#names),*)
        }
    }
}

/// Renders a unit of the `testing` module.
pub(crate) fn render(api: &Api, unit: &Unit<'_>) -> Rendered {
    match unit {
        Unit::Head => {
            let scopes = scopes(api);
            Rendered::always(quote! {
                pub use super::testing_runtime::{AcceptAll, CREDENTIAL, TestServer, Unimplemented};
                #[allow(unused_imports)]
                use super::server_runtime as rt;

                /// Every scope an operation of the document requires: what [`AcceptAll`] grants.
                pub const SCOPES: &[&str] = &[#(#scopes),*];
            })
        }
        Unit::Fake => Rendered::always(quote! {
            /// A fake of the API for tests: the methods of [`super::server::Api`], each answering
            /// 501 Not Implemented unless written, so a fake writes only the operations its test
            /// calls. Every `FakeApi` is a `server::Api`, to serve with [`TestServer::start`] (or
            /// [`super::server::router`]). A real server implements `server::Api`, which this
            /// feature leaves as generated: the compiler still names any operation it misses.
            pub trait FakeApi: ::std::marker::Send + ::std::marker::Sync + 'static {}
        }),
        Unit::FakeMethod(op) => Rendered::gated(api, &op.features, trait_method(api, op, true)),
        Unit::Impl => Rendered::always(quote! {
            /// A fake serves as the API: each method is the fake's.
            impl<T: FakeApi> super::server::Api for T {}
        }),
        Unit::ImplMethod(op) => Rendered::gated(api, &op.features, impl_method(api, op)),
    }
}

#[cfg(test)]
mod tests {
    const DOC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
components:
  securitySchemes:
    oauth: {type: oauth2, flows: {implicit: {authorizationUrl: "https://a.example/", scopes: {"pets:read": r, "pets:write": w}}}}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      security: [{oauth: ["pets:read"]}]
      responses: {"204": {description: ok}}
    post:
      operationId: addPet
      tags: [pets]
      security: [{oauth: ["pets:write", "pets:read"]}]
      responses: {"204": {description: ok}}
  /stores/{id}:
    get:
      operationId: getStore
      tags: [stores]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"204": {description: ok}}
"##;

    fn generate(settings: crate::Settings) -> std::collections::BTreeMap<String, String> {
        crate::generate(DOC, &crate::Settings { crate_name: "t".to_owned(), ..settings }).expect("generates").files
    }

    #[test]
    fn the_fake_has_every_operation_with_its_gate_and_a_501_default() {
        let files = generate(crate::Settings::default());
        let testing = &files["src/testing.rs"];
        assert!(testing.contains("pub const SCOPES: &[&str] = &[\"pets:read\", \"pets:write\"];"), "{testing}");
        assert!(testing.contains("pub trait FakeApi:"), "{testing}");
        assert!(testing.contains("impl<T: FakeApi> super::server::Api for T {"), "{testing}");
        // Each operation twice, in the trait and in the impl, behind its tag's feature.
        for (name, feature) in [("list_pets", "tag-pets"), ("add_pet", "tag-pets"), ("get_store", "tag-stores")] {
            let gated = format!("#[cfg(feature = \"{feature}\")]\n    fn {name}(");
            assert_eq!(testing.matches(&gated).count(), 2, "{name}: {testing}");
        }
        assert!(testing.contains("let _ = (id,);"), "{testing}");
        assert!(testing.contains("<T as FakeApi>::get_store(self, id)"), "{testing}");
        assert_eq!(testing.matches("rt::Problem::not_implemented()").count(), 3, "{testing}");
        assert!(files["src/testing_runtime.rs"].contains("pub struct TestServer"));
        let lib = &files["src/lib.rs"];
        assert!(lib.contains("#[cfg(feature = \"testing\")]\n#[allow("), "{lib}");
        assert!(lib.contains("pub mod testing;") && lib.contains("pub mod testing_runtime;"), "{lib}");
        assert!(lib.contains("//! - `testing`: a fake server for tests"), "{lib}");
        let manifest = &files["Cargo.toml"];
        assert!(
            manifest.contains("\ntesting = [\"client\", \"server\", \"tokio/net\", \"tokio/rt\", \"tokio/sync\"]\n")
        );
    }

    #[test]
    fn only_a_crate_with_both_sides_has_the_fake() {
        for settings in [
            crate::Settings { client: false, ..crate::Settings::default() },
            crate::Settings { server: false, ..crate::Settings::default() },
        ] {
            let files = generate(settings);
            assert!(!files.contains_key("src/testing.rs") && !files.contains_key("src/testing_runtime.rs"));
            assert!(!files["src/lib.rs"].contains("testing"), "{}", files["src/lib.rs"]);
            assert!(!files["Cargo.toml"].contains("testing"), "{}", files["Cargo.toml"]);
        }
    }

    #[test]
    fn a_build_script_writes_no_fake() {
        let settings = crate::Settings { crate_name: "t".to_owned(), ..crate::Settings::default() };
        let files = crate::generate_modules(DOC, &settings, "api").expect("generates").files;
        assert!(files.contains_key("server.rs"));
        assert!(!files.contains_key("testing.rs") && !files.contains_key("testing_runtime.rs"));
        assert!(!files["api.rs"].contains("testing"), "{}", files["api.rs"]);
    }
}
