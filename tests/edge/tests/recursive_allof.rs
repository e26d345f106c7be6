//! `spec/edge/recursive_allof.yaml` served by its generated server and called by its generated
//! client: an expression that nests through an annotated `allOf` and a merged `allOf` that
//! refers back to itself (with a nullable parent: absent, `null` and a value) cross the wire
//! whole.

mod common;

use common::{Log, listen_recording, raw, sorted};
use oagen_edge_goldens::recursive_allof::client::{Client, ErrorKind};
use oagen_edge_goldens::recursive_allof::models::{Expression, Tagged};
use oagen_edge_goldens::recursive_allof::operations as ops;
use oagen_edge_goldens::recursive_allof::server::{self, Authenticator, Credential, Principal, Problem, ServerConfig};
use serde_json::json;

/// Records each expression and answers with it as a tagged tree: `and` becomes the tags,
/// `not` the parent, `value` the name; the value `orphan` says its parent is `null`, and
/// `later` is not implemented.
#[derive(Clone, Default)]
struct Evaluator(Log<Expression>);

fn tagged(e: &Expression) -> Tagged {
    let name = e.value.clone().unwrap_or_else(|| "?".to_owned());
    let parent = if name == "orphan" { Some(None) } else { e.not.as_deref().map(|n| Some(Box::new(tagged(n)))) };
    Tagged { parent, tags: e.and.as_ref().map(|and| and.iter().map(tagged).collect()), ..Tagged::new(name) }
}

impl server::Api for Evaluator {
    async fn evaluate(&self, body: Expression) -> Result<ops::EvaluateResponse, Problem> {
        self.0.push(body.clone());
        if body.value.as_deref() == Some("later") {
            return Err(Problem::not_implemented());
        }
        Ok(ops::EvaluateResponse::Ok(tagged(&body)))
    }
}

struct Nobody;

impl Authenticator for Nobody {
    async fn authenticate(&self, _scheme: &str, _credential: Credential<'_>) -> Option<Principal> {
        None
    }
}

fn value(v: &str) -> Expression {
    Expression { value: Some(v.to_owned()), ..Expression::default() }
}

fn not(e: Expression) -> Expression {
    Expression { not: Some(Box::new(e)), ..Expression::default() }
}

#[tokio::test]
async fn nested_expressions_and_tagged_trees_round_trip() {
    let api = Evaluator::default();
    let log = api.0.clone();
    let (base, wire) = listen_recording(server::router(api, Nobody, ServerConfig::default())).await;
    let client = Client::builder().base_url(&base).build().expect("a client");

    // not(not(... (a and (b and not(orphan)))))
    let inner = Expression { and: Some(vec![value("b"), not(value("orphan"))]), ..value("c") };
    let sent = (0..8).fold(Expression { and: Some(vec![value("a"), inner]), ..Expression::default() }, |e, _| not(e));
    let got = client.evaluate(&sent).await.expect("200");
    assert_eq!(log.take(), std::slice::from_ref(&sent), "what the handler received");
    assert_eq!(got, tagged(&sent), "what the client decoded");

    let mut level = &got;
    for _ in 0..8 {
        level = level.parent.as_ref().and_then(Option::as_deref).expect("a parent");
    }
    let tags = level.tags.as_deref().expect("tags");
    assert_eq!((tags[0].name.as_str(), tags[1].name.as_str()), ("a", "c"));
    let negation = &tags[1].tags.as_deref().expect("tags")[1];
    let orphan = negation.parent.as_ref().and_then(Option::as_deref).expect("a parent");
    assert_eq!((orphan.name.as_str(), &orphan.parent), ("orphan", &Some(None)), "an explicit null parent");
    // On the wire: the orphan's parent is `null`, a leaf's parent is left out.
    let mut answered = wire.take().pop().expect("one exchange").answered();
    for _ in 0..8 {
        answered = answered["parent"].take();
    }
    assert_eq!(
        answered["tags"][1]["tags"],
        json!([{"name": "b"}, {"name": "?", "parent": {"name": "orphan", "parent": null}}])
    );
}

#[tokio::test]
async fn violations_inside_the_recursion_are_located() {
    let api = Evaluator::default();
    let log = api.0.clone();
    let (base, _) = listen_recording(server::router(api, Nobody, ServerConfig::default())).await;
    let body = json!({"and": [{"value": 1}, {"and": [{"not": []}]}], "not": {"not": {"and": {}, "value": null}}});
    let expected = ["/body/and/0/value", "/body/and/1/and/0/not", "/body/not/not/and", "/body/not/not/value"];
    assert_eq!(
        raw(reqwest::Method::POST, format!("{base}/expressions"), &body.to_string()).await,
        (400, sorted(&expected))
    );
    assert!(log.take().is_empty(), "no handler was reached");

    let client = Client::builder().base_url(&base).build().expect("a client");
    let error = client.evaluate(&value("later")).await.expect_err("501");
    assert!(matches!(*error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status == 501), "{error:?}");
}
