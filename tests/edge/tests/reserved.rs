//! `spec/edge/reserved.yaml`: operations, schemas and parameters named after what the generated
//! code and its runtime define, served by the generated server and called by the generated
//! client. Every renamed operation reaches its own handler; the runtime's own `send`, `builder`,
//! `base_url`, `clone` and `router` keep working.

use futures_util::TryStreamExt as _;
use oagen_edge_goldens::reserved::client::Client;
use oagen_edge_goldens::reserved::models::{self, Style};
use oagen_edge_goldens::reserved::operations::{self as ops, CollideQuery};
use oagen_edge_goldens::reserved::server::{self, Authenticator, Credential, Principal, Problem, ServerConfig};

struct Reserved;

impl server::Api for Reserved {
    async fn base_url_2(&self) -> Result<ops::BaseUrl2Response, Problem> {
        Ok(ops::BaseUrl2Response::Ok(models::Error { message: Some("base_url".to_owned()) }))
    }

    async fn builder_2(&self) -> Result<ops::Builder2Response, Problem> {
        Ok(ops::Builder2Response::Ok(models::Client { name: Some("builder".to_owned()) }))
    }

    async fn clone_2(&self) -> Result<ops::Clone2Response, Problem> {
        Ok(ops::Clone2Response::Ok(models::Schema { kind: Some("clone".to_owned()) }))
    }

    async fn send_2(&self, body: models::Request) -> Result<ops::Send2Response, Problem> {
        let style = body.style.map(|s| format!("{s:?}")).unwrap_or_default();
        Ok(ops::Send2Response::Ok(models::Response { id: format!("{}/{style}", body.text) }))
    }

    async fn new(&self) -> Result<ops::NewResponse, Problem> {
        Ok(ops::NewResponse::Ok(models::Problem { title: Some("new".to_owned()) }))
    }

    async fn pages(&self, next_2: String) -> Result<ops::PagesResponse, Problem> {
        // Page `a` links to page `b`, which is the last.
        let next = (next_2 == "a").then(|| Some("/pages/b".to_owned()));
        Ok(ops::PagesResponse::Ok(models::Next { next, results: vec![format!("item of {next_2}")] }))
    }

    #[allow(clippy::too_many_arguments)]
    async fn collide(
        &self,
        query_2: String,
        body_2: String,
        principal_2: String,
        query: CollideQuery,
        request_2: Option<String>,
        incoming_2: Option<String>,
        shared_2: Option<String>,
        body: models::Principal,
        principal: Principal,
    ) -> Result<ops::CollideResponse, Problem> {
        let seen = vec![
            query_2,
            body_2,
            principal_2,
            format!("{:?}", query.limit),
            request_2.unwrap_or_default(),
            incoming_2.unwrap_or_default(),
            shared_2.unwrap_or_default(),
            body.subject,
            principal.subject,
        ];
        Ok(ops::CollideResponse::Ok(models::Field { seen }))
    }

    async fn router_2(&self) -> Result<ops::Router2Response, Problem> {
        Ok(ops::Router2Response::Ok(models::Api { version: Some("router".to_owned()) }))
    }

    async fn shared_2(&self) -> Result<ops::Shared2Response, Problem> {
        Ok(ops::Shared2Response::Ok(models::Api { version: Some("shared".to_owned()) }))
    }

    async fn methods_2(&self) -> Result<ops::Methods2Response, Problem> {
        Ok(ops::Methods2Response::Ok(models::Api { version: Some("methods".to_owned()) }))
    }
}

/// The token `t` is the caller `tester`.
struct OneToken;

impl Authenticator for OneToken {
    async fn authenticate(&self, _scheme: &str, credential: Credential<'_>) -> Option<Principal> {
        (credential == Credential::Bearer("t"))
            .then(|| Principal { subject: "tester".to_owned(), scopes: Default::default() })
    }
}

async fn client() -> Client {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let address = listener.local_addr().expect("a local address");
    let router = server::router(Reserved, OneToken, ServerConfig::default());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    // The runtime's `builder` and `ClientBuilder::new` are untouched by the operation `builder`.
    Client::builder().base_url(format!("http://{address}")).bearer_token("t").build().expect("a client")
}

#[tokio::test]
async fn operations_named_after_the_clients_own_methods_reach_their_handlers() {
    let client = client().await;
    assert!(client.base_url().starts_with("http://127.0.0.1:"), "the runtime's base_url");
    let copy = client.clone();
    let body = models::Request { text: "hi".to_owned(), style: Some(Style::Bold) };
    assert_eq!(copy.send_2(&body).await.expect("send").id, "hi/Bold");
    assert_eq!(client.builder_2().await.expect("builder").name.as_deref(), Some("builder"));
    assert_eq!(client.base_url_2().await.expect("base_url").message.as_deref(), Some("base_url"));
    assert_eq!(client.clone_2().await.expect("clone").kind.as_deref(), Some("clone"));
    assert_eq!(client.new().await.expect("new").title.as_deref(), Some("new"));
    assert_eq!(client.router_2().await.expect("router").version.as_deref(), Some("router"));
    assert_eq!(client.shared_2().await.expect("shared").version.as_deref(), Some("shared"));
    assert_eq!(client.methods_2().await.expect("methods").version.as_deref(), Some("methods"));
}

#[tokio::test]
async fn parameters_named_after_generated_locals_arrive_where_they_were_sent() {
    let client = client().await;
    let query = CollideQuery { limit: Some(5) };
    let principal = models::Principal { subject: "in the body".to_owned() };
    let got =
        client.collide("q", "b", "p", &query, Some("req"), Some("inc"), Some("sh"), &principal).await.expect("collide");
    assert_eq!(got.seen, ["q", "b", "p", "Some(5)", "req", "inc", "sh", "in the body", "tester"]);
}

#[tokio::test]
async fn a_path_parameter_named_next_does_not_hide_the_next_page() {
    let client = client().await;
    let items: Vec<String> = client.pages_stream("a").try_collect().await.expect("both pages");
    assert_eq!(items, ["item of a", "item of b"]);
}
