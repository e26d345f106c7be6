//! Lowering of small documents, written inline: operations, request/response direction and
//! pagination, asserted on the IR.

use super::schemas::lower_yaml as lower;
use crate::error::Severity;
use crate::ir::{Api, Operation, PageField, PaginationKind, ParamLocation, Presence, Status, TypeKind, View};

fn op<'a>(api: &'a Api, name: &str) -> &'a Operation {
    api.operations.iter().find(|o| o.name == name).unwrap_or_else(|| panic!("no operation {name}"))
}

const OPERATIONS: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string}}
      - {name: broken, schema: {type: string}}
    delete:
      responses:
        "204": {description: gone}
    get:
      operationId: showPetById
      parameters:
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: verbose, in: query, schema: {type: boolean}}
      responses:
        default: {description: error}
        "404": {description: missing}
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {name: {type: string}}}
  /a:
    get:
      operationId: first
      responses:
        "200": {description: ok}
"##;

#[test]
fn operations_are_named_ordered_and_carry_merged_parameters() {
    let (api, diagnostics) = lower(OPERATIONS);
    let names: Vec<&str> = api.operations.iter().map(|o| o.name.as_str()).collect();
    // By path, then by method (get, put, post, delete, ...); an operation without operationId is
    // named from its method and path.
    assert_eq!(names, ["first", "show_pet_by_id", "delete_pets_pet_id"]);
    let show = op(&api, "show_pet_by_id");
    let params: Vec<(&str, ParamLocation)> = show.params.iter().map(|p| (p.wire_name.as_str(), p.location)).collect();
    assert!(params.contains(&("petId", ParamLocation::Path)), "path-level parameter merged: {params:?}");
    assert!(
        params.contains(&("X-Trace", ParamLocation::Header)) && params.contains(&("verbose", ParamLocation::Query))
    );
    assert!(show.query_struct.is_some(), "a query parameter gets a query struct");
    let statuses: Vec<Status> = show.responses.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Status::Code(200), Status::Code(404), Status::Default], "ordered by status, default last");
    // The parameter without `in` is dropped with a warning at its own pointer, not the document.
    let warning =
        diagnostics.iter().find(|d| d.pointer.ends_with("/parameters/1")).expect("a warning for the broken entry");
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.pointer, "#/paths/~1pets~1{petId}/parameters/1");
}

const DIRECTION: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    post:
      operationId: createPet
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Pet"}
      responses:
        "201":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        secret: {type: string, writeOnly: true}
    Unused:
      type: object
      properties:
        id: {type: integer, readOnly: true}
"##;

#[test]
fn a_schema_sent_both_ways_splits_into_request_and_response_forms() {
    let (api, _) = lower(DIRECTION);
    let fields = |name: &str| -> (View, Vec<String>) {
        let def = api.types.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("no type {name}"));
        let TypeKind::Struct(s) = &def.kind else { panic!("{name} is not a struct") };
        (def.view, s.fields.iter().map(|f| f.wire_name.clone()).collect())
    };
    assert_eq!(fields("Pet"), (View::Response, vec!["id".to_owned(), "name".to_owned()]));
    assert_eq!(fields("PetRequest"), (View::Request, vec!["name".to_owned(), "secret".to_owned()]));
    // A schema no operation uses keeps every property, in one form.
    assert_eq!(fields("Unused"), (View::Both, vec!["id".to_owned()]));
}

const PAGES: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /next:
    get:
      operationId: byNext
      parameters: [{name: limit, in: query, schema: {type: integer}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  next: {type: string, nullable: true}
                  results: {type: array, items: {type: string}}
  /cursor:
    get:
      operationId: byCursor
      parameters: [{name: cursor, in: query, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  next_cursor: {type: string}
                  data: {type: array, items: {type: integer}}
  /offset:
    get:
      operationId: byOffset
      parameters: [{name: offset, in: query, schema: {type: integer}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {type: array, items: {type: string}}
  /linked:
    get:
      operationId: byLink
      responses:
        "200":
          description: ok
          headers: {Link: {schema: {type: string}}}
          content:
            application/json:
              schema: {type: array, items: {type: string}}
  /numbered:
    get:
      operationId: byPage
      parameters: [{name: page, in: query, schema: {type: integer}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
  /plain:
    get:
      operationId: notAPage
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
    post:
      operationId: postNext
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  next: {type: string}
                  results: {type: array, items: {type: string}}
"##;

#[test]
fn pages_are_recognized_by_shape() {
    let (api, _) = lower(PAGES);
    let kind = |name: &str| op(&api, name).pagination.as_ref().map(|p| (p.kind.clone(), p.method.clone()));
    let field = |name: &str, presence| PageField { name: name.to_owned(), presence };
    let next = PaginationKind::NextUrl { field: field("next", Presence::OptionalNullable) };
    assert_eq!(kind("by_next"), Some((next, "by_next_stream".to_owned())));
    assert_eq!(
        kind("by_cursor").map(|(k, _)| k),
        Some(PaginationKind::Cursor { field: field("next_cursor", Presence::Optional), param: "cursor".to_owned() })
    );
    assert_eq!(kind("by_offset").map(|(k, _)| k), Some(PaginationKind::Offset { param: "offset".to_owned() }));
    assert_eq!(kind("by_link").map(|(k, _)| k), Some(PaginationKind::LinkHeader));
    assert_eq!(kind("by_page").map(|(k, _)| k), Some(PaginationKind::Page { param: "page".to_owned() }));
    // An array without a way to the next page is not a page; nor is anything but a GET.
    assert_eq!(kind("not_a_page"), None);
    assert_eq!(kind("post_next"), None);
    let items = op(&api, "by_cursor").pagination.as_ref().and_then(|p| p.items.clone());
    assert_eq!(items, Some(field("data", Presence::Optional)));
}

const EXTENSIONS: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: first
      x-rust-name: fetch
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
    post:
      operationId: second
      x-rust-name: "not a name"
      responses:
        "204": {description: done}
components:
  schemas:
    Thing:
      x-rust-name: Item
      type: object
      properties:
        kind: {$ref: "#/components/schemas/Kind"}
        owner: {$ref: "#/components/schemas/Owner", x-rust-name: holder}
        other: {type: string, x-rust-name: holder}
        when: {x-rust-type: {crate: time, version: "0.3", path: "time::OffsetDateTime"}}
        bad: {x-rust-type: {path: "not a path"}}
    Kind:
      type: string
      enum: [a, b, c]
      x-enum-varnames: [Alpha, Self, Alpha]
      x-enum-descriptions: [The first., null, The third.]
    Owner:
      x-rust-type: {path: "crate::Owner"}
      type: object
    Other:
      x-rust-name: Item
      type: object
"##;

#[test]
fn extensions_name_types_fields_variants_and_operations_and_replace_types() {
    let (api, diagnostics) = lower(EXTENSIONS);
    let mut errors: Vec<(&str, &str)> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.pointer.as_str(), d.message.as_str()))
        .collect();
    errors.sort();
    let mut expected = vec![
        (
            "#/paths/~1a/post/x-rust-name",
            "`not a name` is not a Rust identifier (ASCII letters, digits and `_`, not starting with a digit)",
        ),
        ("#/components/schemas/Thing/x-rust-name", "`Item` is the x-rust-name of another schema too"),
        ("#/components/schemas/Kind/x-enum-varnames/1", "`Self` is a Rust keyword"),
        ("#/components/schemas/Kind/x-enum-varnames/2", "`Alpha` names another value of the enum too"),
        // Properties are named in wire-name order: `other` asks first.
        (
            "#/components/schemas/Thing/properties/owner/x-rust-name",
            "`holder` is the x-rust-name of another property too",
        ),
        (
            "#/components/schemas/Thing/properties/bad/x-rust-type",
            "x-rust-type must be an object with `path`, a Rust path (and `crate` and `version` for a dependency)",
        ),
    ];
    expected.sort();
    assert_eq!(errors, expected);
    let names: Vec<&str> = api.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["fetch", "second"]);
    let TypeKind::Enum(kind) = &api.types.iter().find(|t| t.name == "Kind").expect("Kind").kind else { panic!() };
    let variants: Vec<(&str, Option<&str>)> =
        kind.variants.iter().map(|v| (v.name.as_str(), v.label.as_deref())).collect();
    assert_eq!(variants, [("Alpha", Some("The first.")), ("B", None), ("C", Some("The third."))]);
    let item = api.types.iter().find(|t| t.wire_name.as_deref() == Some("Other")).expect("Other");
    assert_eq!(item.name, "Item", "the first to ask gets the name");
    let TypeKind::Struct(thing) =
        &api.types.iter().find(|t| t.wire_name.as_deref() == Some("Thing")).expect("Thing").kind
    else {
        panic!()
    };
    let fields: Vec<(&str, &crate::ir::Ty)> = thing.fields.iter().map(|f| (f.name.as_str(), &f.ty)).collect();
    assert!(fields.contains(&("holder", &crate::ir::Ty::String)), "{fields:?}");
    let external = |path: &str| crate::ir::Ty::External(path.to_owned(), Box::new(crate::ir::Ty::Any));
    assert!(fields.contains(&("owner", &external("crate::Owner"))), "{fields:?}");
    assert!(fields.contains(&("when", &external("time::OffsetDateTime"))), "{fields:?}");
    assert!(api.types.iter().all(|t| t.wire_name.as_deref() != Some("Owner")), "a replaced schema has no type");
    assert_eq!(api.dependencies.get("time").map(String::as_str), Some("\"0.3\""));
}

#[test]
fn the_servers_own_routes_yield_to_the_documents_paths() {
    let free = |paths: &str| {
        let doc = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{}",
            paths
                .split(' ')
                .map(|p| format!("  {p}:\n    get:\n      responses:\n        '200': {{description: ok}}\n"))
                .collect::<String>()
        );
        let (api, _) = lower(&doc);
        let routes = api.own_routes;
        (routes.document_json, routes.document_yaml, routes.docs)
    };
    assert_eq!(free("/pets /{name}"), (true, true, true));
    assert_eq!(free("/openapi.json"), (false, true, true));
    assert_eq!(free("/openapi.yaml /docs/search"), (true, false, false));
    assert_eq!(free("/docs"), (true, true, false));
    assert_eq!(free("/documents"), (true, true, true));
}
