//! `spec/edge/names.yaml` served by its generated server and called by its generated client:
//! fields renamed for Rust (keywords, leading digits, symbols, two names that collide after
//! sanitizing) keep their wire names in both directions, and so do the violations the server
//! reports.

mod common;

use std::collections::BTreeSet;

use common::{Log, get_json, listen, raw, send_json, sorted};
use oagen_edge_goldens::names::client::{Client, ErrorKind};
use oagen_edge_goldens::names::models::{Keywords, Option_, Result_, Type, V3dSecure};
use oagen_edge_goldens::names::operations as ops;
use oagen_edge_goldens::names::server::{self, Authenticator, Credential, Principal, Problem, ServerConfig};
use serde_json::json;

/// Records what is posted and answers it with its `option`; `get_names` answers with every
/// field set; `self` = `todo` is not implemented.
#[derive(Clone, Default)]
struct Names(Log<Keywords>);

fn every_field() -> Keywords {
    Keywords {
        plus_1: Some(1),
        _2fa: Some(true),
        at_id: Some("at".to_owned()),
        r#async: Some(false),
        crate_: Some("crate".to_owned()),
        r#gen: Some(-2),
        kind: Some(Type { name: Some("kind".to_owned()) }),
        x_rate_limit: Some(100),
        ..Keywords::new(
            "Self".to_owned(),
            Option_::new("opt".to_owned()),
            "self".to_owned(),
            "type".to_owned(),
            "userId".to_owned(),
            7,
        )
    }
}

impl server::Api for Names {
    async fn get_names(&self) -> Result<ops::GetNamesResponse, Problem> {
        Ok(ops::GetNamesResponse::Ok(every_field()))
    }

    async fn post_names(&self, body: Keywords) -> Result<ops::PostNamesResponse, Problem> {
        self.0.push(body.clone());
        if body.self_2 == "todo" {
            return Err(Problem::not_implemented());
        }
        Ok(ops::PostNamesResponse::Created(Result_ { ok: Some(true), option: Some(body.option) }))
    }

    async fn get3_d_secure(&self) -> Result<ops::Get3DSecureResponse, Problem> {
        Ok(ops::Get3DSecureResponse::Ok(V3dSecure { enrolled: Some(true) }))
    }
}

struct Nobody;

impl Authenticator for Nobody {
    async fn authenticate(&self, _scheme: &str, _credential: Credential<'_>) -> Option<Principal> {
        None
    }
}

async fn serve() -> (String, Client, Log<Keywords>) {
    let api = Names::default();
    let log = api.0.clone();
    let base = listen(server::router(api, Nobody, ServerConfig::default())).await;
    let client = Client::builder().base_url(&base).build().expect("a client");
    (base, client, log)
}

const WIRE_NAMES: [&str; 14] = [
    "+1",
    "2fa",
    "@id",
    "Self",
    "async",
    "crate",
    "gen",
    "kind",
    "option",
    "self",
    "type",
    "userId",
    "user_id",
    "x-rate-limit",
];

#[tokio::test]
async fn renamed_fields_keep_their_wire_names_both_ways() {
    let (base, client, log) = serve().await;
    let sent = every_field();
    let created = client.post_names(&sent).await.expect("201");
    assert_eq!(created, Result_ { ok: Some(true), option: Some(Option_::new("opt".to_owned())) });
    assert_eq!(log.take(), [sent]);
    // `self` and `Self`, `user_id` and `userId` are two fields each, not one.
    let got = client.get_names().await.expect("200");
    assert_eq!(got, every_field());
    assert_eq!((got.self_.as_str(), got.self_2.as_str()), ("Self", "self"));
    assert_eq!((got.user_id, got.user_id_2.as_str()), (7, "userId"));

    let wire: serde_json::Value = get_json(format!("{base}/names")).await;
    let keys: BTreeSet<&str> = wire.as_object().expect("an object").keys().map(String::as_str).collect();
    assert_eq!(keys, WIRE_NAMES.into_iter().collect());
    assert_eq!(
        (&wire["self"], &wire["Self"], &wire["option"]),
        (&json!("self"), &json!("Self"), &json!({"value": "opt"}))
    );

    assert_eq!(client.get3_d_secure().await.expect("200"), V3dSecure { enrolled: Some(true) });
}

#[tokio::test]
async fn a_raw_body_with_wire_names_reaches_the_renamed_fields() {
    let (base, _, log) = serve().await;
    let body = json!({
        "type": "t", "self": "s", "Self": "S", "user_id": 1, "userId": "u", "option": {"value": "v"},
        "crate": "c", "async": true, "gen": 3, "2fa": false, "x-rate-limit": 4, "@id": "i", "+1": 5,
        "kind": {"name": "k"}
    });
    let response = send_json(reqwest::Method::POST, format!("{base}/names"), &body).await;
    assert_eq!(response.status(), 201);
    let got = log.take();
    assert_eq!(got.len(), 1);
    assert_eq!(serde_json::to_value(&got[0]).expect("encodes"), body);
    let k = &got[0];
    assert_eq!(
        (k.r#type.as_str(), k.self_2.as_str(), k.self_.as_str(), k.crate_.as_deref()),
        ("t", "s", "S", Some("c"))
    );
    assert_eq!(
        (k.r#async, k.r#gen, k._2fa, k.x_rate_limit, k.plus_1),
        (Some(true), Some(3), Some(false), Some(4), Some(5))
    );
    assert_eq!((k.at_id.as_deref(), k.user_id, k.user_id_2.as_str()), (Some("i"), 1, "u"));
}

#[tokio::test]
async fn violations_are_located_by_wire_name() {
    let (base, client, log) = serve().await;
    let body = json!({
        "type": 1, "self": "s", "user_id": "one", "option": {},
        "2fa": "yes", "x-rate-limit": 1.5, "@id": 2, "+1": "+1", "gen": "g", "kind": []
    });
    let expected = [
        "/body/type",
        "/body/Self",
        "/body/user_id",
        "/body/userId",
        "/body/option/value",
        "/body/2fa",
        "/body/x-rate-limit",
        "/body/@id",
        "/body/+1",
        "/body/gen",
        "/body/kind",
    ];
    assert_eq!(raw(reqwest::Method::POST, format!("{base}/names"), &body.to_string()).await, (400, sorted(&expected)));
    assert!(log.take().is_empty(), "no handler was reached");

    let todo = Keywords { self_2: "todo".to_owned(), ..every_field() };
    let error = client.post_names(&todo).await.expect_err("501");
    assert!(matches!(*error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status == 501), "{error:?}");
}
