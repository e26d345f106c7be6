//! The generated PostHog server in production (issue 16): what handlers can read of the request
//! beyond the document (`server::RequestContext`), and the span of each request (feature
//! `tracing`).

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
    let ((listed, refused), spans) = SpanLog::capture(async {
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
    // Nothing secret: the credential is the principal's subject here, by AcceptAll's design,
    // and shows only as `enduser.id`; no query value shows at all.
    assert!(!format!("{spans:?}").contains("7777"), "{spans:?}");
}
