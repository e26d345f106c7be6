//! `spec/edge/recursive.yaml` served by its generated server and called by its generated
//! client: recursive values many levels deep (through a list, an optional box, mutual
//! recursion and a required nullable box) cross the wire both ways unchanged, and the server
//! locates violations deep inside them.

mod common;

use common::{Log, get_json, listen, raw, sorted};
use oagen_edge_goldens::recursive::client::{Client, ErrorKind};
use oagen_edge_goldens::recursive::models::{A, B, ListItem, Node};
use oagen_edge_goldens::recursive::operations as ops;
use oagen_edge_goldens::recursive::server::{self, Authenticator, Credential, Principal, Problem, ServerConfig};
use serde_json::json;

/// Records each tree and answers with it; a tree named `later` is not implemented.
#[derive(Clone, Default)]
struct Trees(Log<Node>);

const DEPTH: i64 = 30;

/// A list of `DEPTH` items counting down to 1, the last one's `next` `null`.
fn list() -> ListItem {
    (1..DEPTH).fold(ListItem::new(1), |next, value| ListItem { next: Some(Box::new(next)), ..ListItem::new(value + 1) })
}

/// `DEPTH` levels of `a` and `b` in turn.
fn pair() -> A {
    (0..DEPTH).fold(A::default(), |a, _| A { b: Some(Box::new(B { a: Some(Box::new(a)) })) })
}

/// A tree with `depth` levels of children, two at each level, each node with a parent chain.
fn tree(depth: usize, name: &str) -> Node {
    let children = if depth == 0 {
        Vec::new()
    } else {
        vec![tree(depth - 1, &format!("{name}.0")), tree(depth - 1, &format!("{name}.1"))]
    };
    let parent = depth.is_multiple_of(3).then(|| Box::new(Node::new(Vec::new(), format!("parent of {name}"))));
    Node { parent, ..Node::new(children, name.to_owned()) }
}

impl server::Api for Trees {
    async fn get_list(&self) -> Result<ops::GetListResponse, Problem> {
        Ok(ops::GetListResponse::Ok(list()))
    }

    async fn get_pair(&self) -> Result<ops::GetPairResponse, Problem> {
        Ok(ops::GetPairResponse::Ok(pair()))
    }

    async fn put_tree(&self, body: Node) -> Result<ops::PutTreeResponse, Problem> {
        self.0.push(body.clone());
        if body.name == "later" {
            return Err(Problem::not_implemented());
        }
        Ok(ops::PutTreeResponse::Ok(body))
    }
}

struct Nobody;

impl Authenticator for Nobody {
    async fn authenticate(&self, _scheme: &str, _credential: Credential<'_>) -> Option<Principal> {
        None
    }
}

async fn serve() -> (String, Client, Log<Node>) {
    let api = Trees::default();
    let log = api.0.clone();
    let base = listen(server::router(api, Nobody, ServerConfig::default())).await;
    let client = Client::builder().base_url(&base).build().expect("a client");
    (base, client, log)
}

#[tokio::test]
async fn a_deep_tree_round_trips() {
    let (_, client, log) = serve().await;
    let sent = tree(6, "root");
    // A parent chain as deep as the children.
    let sent =
        (0..10).fold(sent, |node, i| Node { parent: Some(Box::new(node)), ..Node::new(Vec::new(), format!("up {i}")) });
    let answer = client.put_tree(&sent).await.expect("200");
    assert_eq!(log.take(), std::slice::from_ref(&sent), "what the handler received");
    assert_eq!(answer, sent, "what the client decoded");
    let mut deepest = &answer;
    for _ in 0..10 {
        deepest = deepest.parent.as_deref().expect("a parent");
    }
    assert_eq!(deepest.children[1].children[0].children[1].name, "root.1.0.1");
}

#[tokio::test]
async fn mutual_and_nullable_recursion_decode_to_the_end() {
    let (base, client, _) = serve().await;
    let got = client.get_list().await.expect("200");
    assert_eq!(got, list());
    let mut values = Vec::new();
    let mut item = Some(&got);
    while let Some(i) = item {
        values.push(i.value);
        item = i.next.as_deref();
    }
    assert_eq!(values, (1..=DEPTH).rev().collect::<Vec<_>>());
    // `next` is required and nullable: the last item says `null`, it does not leave it out.
    let mut wire: serde_json::Value = get_json(format!("{base}/list")).await;
    for _ in 1..DEPTH {
        wire = wire["next"].take();
    }
    assert_eq!(wire, json!({"value": 1, "next": null}));

    let got = client.get_pair().await.expect("200");
    assert_eq!(got, pair());
    let mut levels = 0;
    let mut a = &got;
    while let Some(b) = a.b.as_deref() {
        a = b.a.as_deref().expect("every b has an a");
        levels += 1;
    }
    assert_eq!(levels, DEPTH);
}

#[tokio::test]
async fn violations_deep_in_a_tree_are_located() {
    let (base, client, log) = serve().await;
    let body = json!({
        "name": "r",
        "children": [{"name": "c", "children": [{"children": [], "name": 1}, {"name": "ok", "children": [{}]}]}],
        "parent": {"children": "none", "parent": {"name": "p", "children": [], "parent": null}}
    });
    let expected = [
        "/body/children/0/children/0/name",
        "/body/children/0/children/1/children/0/children",
        "/body/children/0/children/1/children/0/name",
        "/body/parent/children",
        "/body/parent/name",
        "/body/parent/parent/parent",
    ];
    assert_eq!(raw(reqwest::Method::PUT, format!("{base}/tree"), &body.to_string()).await, (400, sorted(&expected)));
    assert!(log.take().is_empty(), "no handler was reached");

    let error = client.put_tree(&Node::new(Vec::new(), "later".to_owned())).await.expect_err("501");
    assert!(matches!(*error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status == 501), "{error:?}");
}
