//! `spec/edge/refs.yaml` served by its generated server and called by its generated client:
//! parameters, a request body and a response reached through `$ref`s (one shared by a path's
//! two operations), a chain of schema aliases and a nullable `allOf` wrapper all work on the
//! wire as if written inline.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use common::{Log, get_json, listen, raw, sorted};
use oagen_edge_goldens::refs::client::{Client, ErrorKind};
use oagen_edge_goldens::refs::models::{self, Owner, Thing, ThingAlias, ThingCore, ThingRef};
use oagen_edge_goldens::refs::operations::{self as ops, ListThingsQuery};
use oagen_edge_goldens::refs::server::{self, Authenticator, Credential, Principal, Problem, ServerConfig};
use serde_json::json;

/// Things by id; records the pages asked for; `update_thing` of `later` is not implemented.
#[derive(Clone, Default)]
struct Things {
    store: Arc<Mutex<BTreeMap<String, Thing>>>,
    pages: Log<Option<i32>>,
}

fn not_found(id: &str) -> models::Error {
    models::Error::new(format!("no thing {id}"))
}

impl server::Api for Things {
    async fn list_things(&self, query: ListThingsQuery) -> Result<ops::ListThingsResponse, Problem> {
        self.pages.push(query.page);
        let all: Vec<Thing> = self.store.lock().expect("store").values().cloned().collect();
        // One thing per page, pages counted from 1.
        let page = usize::try_from(query.page.unwrap_or(1).max(1) - 1).unwrap_or_default();
        Ok(ops::ListThingsResponse::Ok(all.into_iter().skip(page).take(1).collect()))
    }

    async fn get_thing(&self, id: String) -> Result<ops::GetThingResponse, Problem> {
        let found = self.store.lock().expect("store").get(&id).cloned();
        Ok(found.map_or_else(|| ops::GetThingResponse::NotFound(not_found(&id)), ops::GetThingResponse::Ok))
    }

    async fn update_thing(&self, id: String, body: Thing) -> Result<ops::UpdateThingResponse, Problem> {
        if id == "later" {
            return Err(Problem::not_implemented());
        }
        let mut store = self.store.lock().expect("store");
        if id.starts_with("new-") {
            store.insert(id, body.clone());
            return Ok(ops::UpdateThingResponse::Ok(body));
        }
        Ok(match store.get_mut(&id) {
            Some(thing) => {
                *thing = body.clone();
                ops::UpdateThingResponse::Ok(body)
            }
            None => ops::UpdateThingResponse::NotFound(not_found(&id)),
        })
    }
}

struct Nobody;

impl Authenticator for Nobody {
    async fn authenticate(&self, _scheme: &str, _credential: Credential<'_>) -> Option<Principal> {
        None
    }
}

async fn serve() -> (String, Client, Things) {
    let api = Things::default();
    let base = listen(server::router(api.clone(), Nobody, ServerConfig::default())).await;
    let client = Client::builder().base_url(&base).build().expect("a client");
    (base, client, api)
}

fn thing(label: &str, owner: Option<&str>) -> Thing {
    // The chain of aliases is one type: a `ThingCore` is a `ThingRef` is a `ThingAlias`.
    let core: ThingRef = ThingCore::new(label.to_owned());
    let core: ThingAlias = core;
    Thing { owner: owner.map(|o| Owner::new(o.to_owned())), ..Thing::new(core) }
}

#[tokio::test]
async fn referenced_parameters_bodies_and_responses_work_on_the_wire() {
    let (base, client, api) = serve().await;
    let owned = thing("a", Some("ann"));
    assert_eq!(client.update_thing("new-a", &owned).await.expect("200"), owned);
    let unowned = thing("b / c", None);
    assert_eq!(client.update_thing("new-b?", &unowned).await.expect("200"), unowned);
    assert_eq!(api.store.lock().expect("store").get("new-b?"), Some(&unowned), "what the handler received");

    // The path-level parameter applies to GET as well as PUT.
    assert_eq!(client.get_thing("new-a").await.expect("200"), owned);
    assert_eq!(client.get_thing("new-b?").await.expect("200"), unowned);
    // A nullable owner that is `None` is written as `null`, never left out: it is required.
    let wire: serde_json::Value = get_json(format!("{base}/things/new-b%3F")).await;
    assert_eq!(wire, json!({"core": {"label": "b / c"}, "owner": null}));

    let page = |page| ListThingsQuery { page };
    assert_eq!(client.list_things(&page(None)).await.expect("200"), std::slice::from_ref(&owned));
    assert_eq!(client.list_things(&page(Some(2))).await.expect("200"), [unowned]);
    assert_eq!(client.list_things(&page(Some(i32::MAX))).await.expect("200"), []);
    assert_eq!(api.pages.take(), [None, Some(2), Some(i32::MAX)]);
}

#[tokio::test]
async fn the_shared_not_found_response_is_a_documented_error_of_both_operations() {
    let (_, client, _) = serve().await;
    let error = client.get_thing("nope").await.expect_err("404");
    match error.kind() {
        ErrorKind::Documented { status, body, .. } => {
            assert_eq!((status.as_u16(), body), (404, &not_found("nope")));
        }
        other => panic!("not a documented error: {other:?}"),
    }
    let error = client.update_thing("nope", &thing("x", None)).await.expect_err("404");
    assert_eq!(error.documented(), Some(&not_found("nope")));
    let error = client.update_thing("later", &thing("x", None)).await.expect_err("501");
    assert!(matches!(*error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status == 501), "{error:?}");
}

#[tokio::test]
async fn the_server_checks_what_the_references_resolve_to() {
    let (base, _, api) = serve().await;
    let url = |path: &str| format!("{base}{path}");
    // The alias chain ends at ThingCore, whose label is required; the owner is required even
    // though it may be null, and when present must be an Owner.
    assert_eq!(
        raw(reqwest::Method::PUT, url("/things/new-x"), r#"{"core": {}}"#).await,
        (400, sorted(&["/body/core/label", "/body/owner"]))
    );
    let body = r#"{"core": "label", "owner": {"login": "ann"}}"#;
    assert_eq!(
        raw(reqwest::Method::PUT, url("/things/new-x"), body).await,
        (400, sorted(&["/body/core", "/body/owner/name"]))
    );
    assert_eq!(raw(reqwest::Method::PUT, url("/things/new-x"), "").await, (400, sorted(&["/body"])));
    // The referenced query parameter keeps its int32 type.
    assert_eq!(raw(reqwest::Method::GET, url("/things?page=2147483648"), "").await, (400, sorted(&["/query/page"])));
    assert_eq!(raw(reqwest::Method::GET, url("/things?page=one"), "").await, (400, sorted(&["/query/page"])));
    assert!(api.store.lock().expect("store").is_empty() && api.pages.take().is_empty(), "no handler was reached");
}
