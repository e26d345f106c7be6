//! The generated PostHog server in production (issue 16): what handlers can read of the request
//! beyond the document (`server::RequestContext`), the span of each request (feature `tracing`),
//! the user's layers and tower-http's in `ServerConfig`, and the document the server serves.

mod common;

use std::net::SocketAddr;

use common::spans::{SpanLog, fields};
use posthog_organizations::client::{CallOptions, Client};
use posthog_organizations::models::{PaginatedRoleList, Role};
use posthog_organizations::operations::{RolesListQuery, RolesListResponse};
use posthog_organizations::server::{self, Principal, Problem, RequestContext, ServerConfig};
use posthog_organizations::testing::{AcceptAll, CREDENTIAL, FakeApi};

/// The seed's role, renamed by each test.
const ROLE: &str = r#"{"id":"497f6eca-6276-4993-bfeb-53cbbbba6f08","name":"Engineering","feature_flags_access_level":21,"created_at":"2019-08-24T14:15:22Z","created_by":{"id":0,"uuid":"095be615-a8ad-4c33-8e9c-c7612fbf6c9f","distinct_id":"string","first_name":"string","last_name":"string","email":"user@example.com","is_email_verified":true,"hedgehog_config":{}},"members":"string","is_default":"string"}"#;

/// What a user's middleware knows about the caller, handed to handlers in the request's extensions.
#[derive(Debug, Clone)]
struct Tenant(&'static str);

/// Lists one role whose name says what the handler saw of its request.
struct Echo;

impl FakeApi for Echo {
    async fn roles_list(&self, _: uuid::Uuid, _: RolesListQuery, _: Principal) -> Result<RolesListResponse, Problem> {
        let context = RequestContext::current().ok_or_else(|| Problem::new(500, "no context"))?;
        // A task the handler spawns runs outside the request: it is given the context instead.
        let spawned = tokio::spawn(async { RequestContext::current().is_none() }).await.unwrap_or(false);
        let seen = [
            format!("method={}", context.method()),
            format!("path={}", context.uri().path()),
            format!("request-id={}", context.request_id().unwrap_or("-")),
            format!("tenant={}", context.extension::<Tenant>().map_or("-", |t| t.0)),
            format!("remote={}", context.remote_addr().map_or("-".to_owned(), |a| a.ip().to_string())),
            format!("hint={}", context.headers().get("x-hint").and_then(|v| v.to_str().ok()).unwrap_or("-")),
            format!("spawned-without={spawned}"),
        ];
        let mut role: Role = serde_json::from_str(ROLE).map_err(|e| Problem::new(500, e.to_string()))?;
        role.name = seen.join(" ");
        Ok(RolesListResponse::Ok(PaginatedRoleList { count: 1, next: None, previous: None, results: vec![role] }))
    }
}

/// Serves `router` on 127.0.0.1 with the callers' addresses; its base URL.
async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await;
    });
    base
}

#[tokio::test]
async fn handlers_read_headers_remote_address_request_id_and_extensions() {
    let router = server::router(Echo, AcceptAll, ServerConfig::default()).layer(axum::middleware::from_fn(
        |mut request: axum::extract::Request, next: axum::middleware::Next| async move {
            request.extensions_mut().insert(Tenant("acme"));
            next.run(request).await
        },
    ));
    let base = serve(router).await;
    let client = Client::builder().base_url(&base).bearer_token(CREDENTIAL).build().expect("a client");
    let org = uuid::Uuid::nil();
    let page = client
        .with_options(CallOptions::new().header("x-request-id", "req-7").header("x-hint", "blue"))
        .roles_list(org, &RolesListQuery::default())
        .await
        .expect("the list");
    assert_eq!(
        page.results[0].name,
        format!(
            "method=GET path=/api/organizations/{org}/roles/ request-id=req-7 tenant=acme remote=127.0.0.1 hint=blue \
             spawned-without=true"
        )
    );

    // Without the layer, the connection info or the header, each says so.
    let base = serve(server::router(Echo, AcceptAll, ServerConfig::default())).await;
    let client = Client::builder().base_url(&base).bearer_token(CREDENTIAL).build().expect("a client");
    let page = client.roles_list(org, &RolesListQuery::default()).await.expect("the list");
    assert!(page.results[0].name.contains("request-id=- tenant=- remote=127.0.0.1 hint=-"), "{}", page.results[0].name);

    // Outside of a handler there is no request.
    assert!(RequestContext::current().is_none());
}

// Current-thread runtime: server and client run on the test thread, which captures.
#[tokio::test(flavor = "current_thread")]
async fn a_request_is_one_span_with_the_http_server_fields() {
    let base = serve(server::router(Echo, AcceptAll, ServerConfig::default())).await;
    let client = Client::builder()
        .base_url(&base)
        .bearer_token(CREDENTIAL)
        .user_agent("reporting/1.4")
        .build()
        .expect("a client");
    let org = uuid::Uuid::nil();
    let http = reqwest::Client::new();
    let ((listed, refused), all) = SpanLog::capture_with_events(async {
        let listed = client.roles_list(org, &RolesListQuery { limit: Some(7777), offset: None }).await;
        // A limit that is no number: a 400, its violations logged at debug.
        let refused = http
            .get(format!("{base}/api/organizations/{org}/roles/?limit=many"))
            .bearer_auth(CREDENTIAL)
            .header("user-agent", "curl/8")
            .send()
            .await;
        (listed, refused)
    })
    .await;
    listed.expect("the list");
    assert_eq!(refused.expect("an answer").status().as_u16(), 400);
    let events: Vec<_> = all.iter().filter(|(name, _)| *name == "event").map(|(_, f)| f.clone()).collect();
    let spans: Vec<_> = all.into_iter().filter(|(name, _)| *name != "event").collect();

    let servers: Vec<_> = spans.iter().filter(|(name, _)| *name == "request").map(|(_, f)| f.clone()).collect();
    let request = |agent: &str, status: &str| {
        fields(&[
            ("otel.name", "roles_list"),
            ("otel.kind", "server"),
            ("operation.id", "roles_list"),
            ("http.request.method", "GET"),
            ("http.route", "/api/organizations/{organization_id}/roles/"),
            ("url.scheme", "http"),
            ("user_agent.original", agent),
            ("enduser.id", CREDENTIAL),
            ("http.response.status_code", status),
        ])
    };
    assert_eq!(servers, [request("reporting/1.4", "200"), request("curl/8", "400")]);
    // The refusal is logged at debug, pointer by pointer, without the value.
    let refusals: Vec<_> = events.iter().filter(|e| e.get("message").is_some_and(|m| m == "request refused")).collect();
    assert_eq!(refusals.len(), 1, "{events:?}");
    assert_eq!(refusals[0].get("level").map(String::as_str), Some("DEBUG"));
    assert_eq!(refusals[0].get("pointer").map(String::as_str), Some("/query/limit"), "{refusals:?}");
    assert!(refusals[0].get("reason").is_some_and(|r| !r.contains("many")), "{refusals:?}");
    // Nothing secret: the credential is the principal's subject here, by AcceptAll's design,
    // and shows only as `enduser.id`; no query value shows at all.
    assert!(!format!("{spans:?}").contains("7777"), "{spans:?}");
}

/// A layer that stamps `x-layer: <name>` on every response that passed through it.
fn stamp(name: &'static str) -> impl server::RouteLayer {
    axum::middleware::from_fn(move |request: axum::extract::Request, next: axum::middleware::Next| async move {
        let mut response = next.run(request).await;
        response.headers_mut().append("x-layer", axum::http::HeaderValue::from_static(name));
        response
    })
}

/// The `x-layer` stamps of a response, innermost first.
fn stamps(response: &reqwest::Response) -> Vec<String> {
    response.headers().get_all("x-layer").iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect()
}

#[tokio::test]
async fn layers_wrap_the_operations_the_configuration_picks() {
    let config = ServerConfig::default()
        .layer_operation("roles_create", stamp("create"))
        .layer_tag("roles", stamp("roles"))
        .layer_for(|op| op.method != "GET", stamp("writes"))
        .layer(stamp("everything"));
    let base = serve(server::router(Echo, AcceptAll, config)).await;
    let http = reqwest::Client::new();
    let org = uuid::Uuid::nil();
    let roles = format!("{base}/api/organizations/{org}/roles/");
    let send = |request: reqwest::RequestBuilder| async move {
        request.bearer_auth(CREDENTIAL).send().await.expect("an answer")
    };

    // Innermost first: the operation's layers in the order added, then the router's.
    let listed = send(http.get(&roles)).await;
    assert_eq!(listed.status().as_u16(), 200);
    assert_eq!(stamps(&listed), ["roles", "everything"]);
    let created = send(http.post(&roles).header("content-type", "application/json").body(r#"{"name":"Ops"}"#)).await;
    assert_eq!(stamps(&created), ["create", "roles", "writes", "everything"]);
    // Another tag's operation: only the router's layer, and the writes' for a write.
    let organizations = send(http.get(format!("{base}/api/organizations/"))).await;
    assert_eq!(stamps(&organizations), ["everything"]);
    let domain = send(
        http.post(format!("{base}/api/organizations/{org}/domains/"))
            .header("content-type", "application/json")
            .body("{}"),
    )
    .await;
    assert_eq!(stamps(&domain), ["writes", "everything"]);
    // The router's layers see what no operation answers too; the operations' do not.
    let nowhere = send(http.get(format!("{base}/nowhere"))).await;
    assert_eq!((nowhere.status().as_u16(), stamps(&nowhere)), (404, vec!["everything".to_owned()]));
    let wrong_method = send(http.put(&roles)).await;
    assert_eq!((wrong_method.status().as_u16(), stamps(&wrong_method)), (405, vec!["everything".to_owned()]));
}

#[tokio::test]
async fn an_operation_layer_runs_before_authentication() {
    // A rate limit that has run out: refused before anyone checks the credential.
    let exhausted = axum::middleware::from_fn(|_: axum::extract::Request, _: axum::middleware::Next| async {
        axum::http::StatusCode::TOO_MANY_REQUESTS
    });
    let base =
        serve(server::router(Echo, AcceptAll, ServerConfig::default().layer_for(|op| op.method == "POST", exhausted)))
            .await;
    let http = reqwest::Client::new();
    let roles = format!("{base}/api/organizations/{}/roles/", uuid::Uuid::nil());
    let without_credential = http
        .post(&roles)
        .header("content-type", "application/json")
        .body(r#"{"name":"Ops"}"#)
        .send()
        .await
        .expect("an answer");
    assert_eq!(without_credential.status().as_u16(), 429);
    let read = http.get(&roles).send().await.expect("an answer");
    assert_eq!(read.status().as_u16(), 401, "reads are not limited, and need a credential");
}

/// Answers `roles_retrieve` after `delay`.
struct Slow(std::time::Duration);

impl FakeApi for Slow {
    async fn roles_retrieve(
        &self,
        _: uuid::Uuid,
        _: uuid::Uuid,
        _: Principal,
    ) -> Result<posthog_organizations::operations::RolesRetrieveResponse, Problem> {
        tokio::time::sleep(self.0).await;
        let role: Role = serde_json::from_str(ROLE).map_err(|e| Problem::new(500, e.to_string()))?;
        Ok(posthog_organizations::operations::RolesRetrieveResponse::Ok(role))
    }
}

#[tokio::test]
async fn tower_http_settings_apply_cors_timeouts_and_request_ids() {
    let config = ServerConfig::default()
        .cors(
            tower_http::cors::CorsLayer::new().allow_origin(tower_http::cors::Any).allow_methods(tower_http::cors::Any),
        )
        .timeout(std::time::Duration::from_millis(200))
        .request_id(true);
    let base = serve(server::router(Slow(std::time::Duration::from_secs(5)), AcceptAll, config)).await;
    let http = reqwest::Client::new();
    let org = uuid::Uuid::nil();
    let role = format!("{base}/api/organizations/{org}/roles/{}/", uuid::Uuid::nil());

    // CORS: a preflight is answered for a path and method the router has.
    let preflight = http
        .request(reqwest::Method::OPTIONS, &role)
        .header("origin", "https://app.example")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .expect("an answer");
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert_eq!(preflight.headers().get("access-control-allow-origin").and_then(|v| v.to_str().ok()), Some("*"));

    // The timeout: 503 long before the implementation would answer.
    let started = std::time::Instant::now();
    let slow = http.get(&role).bearer_auth(CREDENTIAL).send().await.expect("an answer");
    assert_eq!(slow.status().as_u16(), 503);
    assert!(started.elapsed() < std::time::Duration::from_secs(4), "{:?}", started.elapsed());

    // Request ids: made up where the caller sent none (a UUID), kept where it sent one.
    let made = slow.headers().get("x-request-id").and_then(|v| v.to_str().ok()).expect("an id");
    assert!(uuid::Uuid::parse_str(made).is_ok(), "{made}");
    let kept = http.get(format!("{base}/nowhere")).header("x-request-id", "req-9").send().await.expect("an answer");
    assert_eq!(kept.headers().get("x-request-id").and_then(|v| v.to_str().ok()), Some("req-9"));
}

#[tokio::test]
async fn handlers_see_the_request_id_the_router_gave() {
    let base = serve(server::router(Echo, AcceptAll, ServerConfig::default().request_id(true))).await;
    let roles = format!("{base}/api/organizations/{}/roles/", uuid::Uuid::nil());
    let response = reqwest::Client::new().get(roles).bearer_auth(CREDENTIAL).send().await.expect("an answer");
    let id = response.headers().get("x-request-id").and_then(|v| v.to_str().ok()).expect("an id").to_owned();
    let page: PaginatedRoleList = serde_json::from_slice(&response.bytes().await.expect("a body")).expect("a page");
    assert!(page.results[0].name.contains(&format!("request-id={id}")), "{}", page.results[0].name);
}

#[tokio::test]
async fn the_server_serves_its_document_as_json_and_yaml() {
    let base = serve(server::router(Echo, AcceptAll, ServerConfig::default())).await;
    let http = reqwest::Client::new();
    let json = http.get(format!("{base}/openapi.json")).send().await.expect("an answer");
    assert_eq!(json.status().as_u16(), 200);
    assert_eq!(json.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"));
    let json: serde_json::Value = serde_json::from_slice(&json.bytes().await.expect("a body")).expect("JSON");
    let yaml = http.get(format!("{base}/openapi.yaml")).send().await.expect("an answer");
    assert_eq!(yaml.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/yaml"));
    let yaml: serde_json::Value = serde_yaml::from_str(&yaml.text().await.expect("text")).expect("YAML");
    assert_eq!(json, yaml);
    // The document the crate was generated from: the same operations as the spec.
    let spec: serde_json::Value =
        serde_yaml::from_str(include_str!("../../spec/posthog-organizations.yaml")).expect("the spec parses");
    assert_eq!(json["paths"], spec["paths"]);
    let operations: usize = json["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|item| {
            item.as_object()
                .expect("a path item")
                .keys()
                .filter(|k| ["get", "put", "post", "delete", "patch"].contains(&k.as_str()))
                .count()
        })
        .sum();
    assert_eq!(operations, 40);

    // Switched off, the routes are gone.
    let base = serve(server::router(Echo, AcceptAll, ServerConfig::default().document(false))).await;
    let gone = http.get(format!("{base}/openapi.json")).send().await.expect("an answer");
    assert_eq!(gone.status().as_u16(), 404);
}

#[tokio::test]
async fn compression_gzips_for_callers_that_accept_it() {
    let base = serve(server::router(Echo, AcceptAll, ServerConfig::default().compression(true))).await;
    let http = reqwest::Client::new();
    let plain = http.get(format!("{base}/openapi.json")).send().await.expect("an answer");
    assert_eq!(plain.headers().get("content-encoding"), None);
    let plain = plain.bytes().await.expect("a body").len();
    let gzipped =
        http.get(format!("{base}/openapi.json")).header("accept-encoding", "gzip").send().await.expect("an answer");
    assert_eq!(gzipped.headers().get("content-encoding").and_then(|v| v.to_str().ok()), Some("gzip"));
    let gzipped = gzipped.bytes().await.expect("a body").len();
    assert!(gzipped * 4 < plain, "{gzipped} of {plain} bytes");
}

#[tokio::test]
async fn a_body_announced_too_large_is_refused_before_it_is_sent() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let base = serve(server::router(Echo, AcceptAll, ServerConfig::default().body_limit(1024))).await;
    let address = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connects");
    let head = format!(
        "POST /api/organizations/{}/roles/ HTTP/1.1\r\nhost: {address}\r\nauthorization: Bearer {CREDENTIAL}\r\n\
         content-type: application/json\r\ncontent-length: 10000000\r\nconnection: close\r\n\r\n",
        uuid::Uuid::nil()
    );
    // The head only: the answer comes without waiting for the 10 MB.
    stream.write_all(head.as_bytes()).await.expect("head sent");
    let mut answer = vec![0; 1024];
    let read = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut answer))
        .await
        .expect("answered without the body")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}
