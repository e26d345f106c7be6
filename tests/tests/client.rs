//! The generated PostHog Organizations client (`posthog_organizations::client`) against a local
//! mock server (wiremock, bound to 127.0.0.1 on a random port): for each operation of the seed page
//! (`tests/fixtures/seed-organizations-4.txt`) the request it sends (method, path, credentials,
//! query, body) and the decoding of the page's example response; then pagination, errors,
//! retries, timeouts and path encoding.
//!
//! Every mock that a test relies on says `.expect(n)` and every test ends with
//! `server.verify()`, so a request the client should not have made (or made twice) fails the test.
//! Every wait is bounded: client calls go through [`bounded`].

mod common;

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::spans::{SpanLog, fields};
use common::{example, examples_by_heading};
use futures_util::TryStreamExt as _;
use futures_util::future::BoxFuture;
use posthog_organizations::client::{
    Call, CallOptions, Client, Error, ErrorKind, Hook, Response, RetryPolicy, Token, TokenSource,
};
use posthog_organizations::{models, operations};
use serde_json::{Value, json};
use uuid::Uuid;
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "phx_test";
/// The organization (a UUID where the operation types it so, text elsewhere).
const ORG: &str = "018f4a4e-5b1c-7d2e-8f3a-0b1c2d3e4f50";
/// A role.
const ROLE: &str = "497f6eca-6276-4993-bfeb-53cbbbba6f08";
/// A role membership.
const MEMBERSHIP: &str = "6a1c5c7e-2f0b-4d7e-9c1a-3b2d4e5f6a7b";
/// A proxy record (its id is typed as text).
const PROXY: &str = "proxy-record-1";
/// The `user_uuid` of the seed's role membership.
const USER_UUID: &str = "7c4d2d7d-8620-4fb3-967a-4a621082cf1f";

/// Longest any single client call may take before the test fails.
const CALL_LIMIT: Duration = Duration::from_secs(20);

fn uuid(text: &str) -> Uuid {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn org() -> Uuid {
    uuid(ORG)
}

fn role() -> Uuid {
    uuid(ROLE)
}

/// The client as the issue builds it: the mock server's URL and a bearer token.
fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).bearer_token(TOKEN).build().expect("client builds")
}

/// Awaits `future`, failing the test if it takes longer than [`CALL_LIMIT`].
async fn bounded<F: Future>(future: F) -> F::Output {
    tokio::time::timeout(CALL_LIMIT, future).await.expect("the client call did not finish in time")
}

/// The requests the server saw, for failure messages.
async fn seen(server: &MockServer) -> String {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| format!("{} {} headers={:?} body={}", r.method, r.url, r.headers, String::from_utf8_lossy(&r.body)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Unwraps a client result, showing what the server received when it is an error.
async fn ok<T>(server: &MockServer, result: Result<T, Error>) -> T {
    match result {
        Ok(value) => value,
        Err(e) => panic!("client call failed: {e:?}\nthe server received:\n{}", seen(server).await),
    }
}

/// The example response under `heading` on the seed page.
fn seed(heading: &str) -> Value {
    example(&examples_by_heading(), heading)
}

/// Matches a request with no body and no `Content-Type`.
fn no_body(request: &Request) -> bool {
    request.body.is_empty() && !request.headers.contains_key("content-type")
}

/// Matches a request whose query is exactly `expected` (in any order).
fn exact_query(expected: &[(&str, &str)]) -> impl Fn(&Request) -> bool + Send + Sync + 'static {
    let mut expected: Vec<(String, String)> =
        expected.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    expected.sort();
    move |request: &Request| {
        let mut got: Vec<(String, String)> =
            request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        got.sort();
        got == expected
    }
}

/// `Authorization: Bearer phx_test`.
fn bearer() -> wiremock::matchers::HeaderExactMatcher {
    header("authorization", format!("Bearer {TOKEN}").as_str())
}

/// `Content-Type: application/json`.
fn json_content() -> wiremock::matchers::HeaderExactMatcher {
    header("content-type", "application/json")
}

fn time(text: &str) -> chrono::DateTime<chrono::Utc> {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// The fields every seed `Role` example has.
fn assert_seed_role(role: &models::Role) {
    assert_eq!(role.id, uuid("497f6eca-6276-4993-bfeb-53cbbbba6f08"));
    assert_eq!(role.name, "string");
    assert_eq!(role.feature_flags_access_level, Some(models::FeatureFlagsAccessLevelEnum::CanOnlyView));
    assert_eq!(role.created_at, time("2019-08-24T14:15:22Z"));
    assert_eq!(role.created_by.id, 0);
    assert_eq!(role.created_by.uuid, uuid("095be615-a8ad-4c33-8e9c-c7612fbf6c9f"));
    assert_eq!(role.created_by.email, "user@example.com");
    assert_eq!(role.created_by.role_at_organization, Some(Some(models::RoleAtOrganizationEnum::Engineering)));
    assert_eq!(role.members, "string");
    assert_eq!(role.is_default, "string");
}

/// The fields every seed `RoleMembership` example has.
fn assert_seed_membership(membership: &models::RoleMembership) {
    assert_eq!(membership.id, uuid("497f6eca-6276-4993-bfeb-53cbbbba6f08"));
    assert_eq!(membership.role_id, uuid("ac4e70c8-d5be-48af-93eb-760f58fc91a9"));
    assert_eq!(membership.organization_member.level, Some(models::OrganizationMembershipLevel::Member));
    assert!(membership.organization_member.is_2fa_enabled);
    assert_eq!(membership.organization_member.last_login, time("2019-08-24T14:15:22Z"));
    assert_eq!(membership.user.email, "user@example.com");
    assert_eq!(membership.joined_at, time("2019-08-24T14:15:22Z"));
}

// ---------------------------------------------------------------------------------------------
// 1. The ten seed operations: the request sent and the seed's example response decoded.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn proxy_records_partial_update_sends_patch_with_set_fields_and_decodes_seed() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(format!("/api/organizations/{ORG}/proxy_records/{PROXY}/")))
        .and(bearer())
        .and(json_content())
        .and(exact_query(&[]))
        .and(body_json(json!({"domain": "t.example.com"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed("Update proxy records")))
        .expect(1)
        .mount(&server)
        .await;

    let body = models::PatchedProxyRecord { domain: Some("t.example.com".to_owned()) };
    let result = bounded(client(&server).proxy_records_partial_update(ORG, PROXY, Some(&body))).await;
    let record = ok(&server, result).await;
    assert_eq!(record.id, uuid("497f6eca-6276-4993-bfeb-53cbbbba6f08"));
    assert_eq!(record.domain, "string");
    assert_eq!(record.target_cname, "string");
    assert_eq!(record.status, models::ProxyRecordStatusEnum::Waiting);
    assert_eq!(record.message.as_deref(), Some("string"));
    assert_eq!(record.created_at, time("2019-08-24T14:15:22Z"));
    assert_eq!(record.updated_at, time("2019-08-24T14:15:22Z"));
    assert_eq!(record.created_by, Some(0));
    server.verify().await;
}

#[tokio::test]
async fn proxy_records_partial_update_without_body_sends_no_body() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(format!("/api/organizations/{ORG}/proxy_records/{PROXY}/")))
        .and(bearer())
        .and(no_body)
        .respond_with(ResponseTemplate::new(200).set_body_json(seed("Update proxy records")))
        .expect(1)
        .mount(&server)
        .await;

    let result = bounded(client(&server).proxy_records_partial_update(ORG, PROXY, None)).await;
    let record = ok(&server, result).await;
    assert_eq!(record.status, models::ProxyRecordStatusEnum::Waiting);
    server.verify().await;
}

#[tokio::test]
async fn proxy_records_destroy_sends_delete_and_returns_unit_on_204() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/api/organizations/{ORG}/proxy_records/{PROXY}/")))
        .and(bearer())
        .and(exact_query(&[]))
        .and(no_body)
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let result = bounded(client(&server).proxy_records_destroy(ORG, PROXY)).await;
    let () = ok(&server, result).await;
    server.verify().await;
}

#[tokio::test]
async fn roles_list_sends_limit_and_offset_and_decodes_seed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/organizations/{ORG}/roles/")))
        .and(bearer())
        .and(exact_query(&[("limit", "10"), ("offset", "20")]))
        .and(no_body)
        .respond_with(ResponseTemplate::new(200).set_body_json(seed("List all roles")))
        .expect(1)
        .mount(&server)
        .await;

    let query = operations::RolesListQuery { limit: Some(10), offset: Some(20) };
    let result = bounded(client(&server).roles_list(org(), &query)).await;
    let page = ok(&server, result).await;
    assert_eq!(page.count, 123);
    assert_eq!(page.next, Some(Some("http://api.example.org/accounts/?offset=400&limit=100".to_owned())));
    assert_eq!(page.previous, Some(Some("http://api.example.org/accounts/?offset=200&limit=100".to_owned())));
    assert_eq!(page.results.len(), 1);
    assert_seed_role(&page.results[0]);
    server.verify().await;
}

#[tokio::test]
async fn roles_list_without_limit_or_offset_sends_no_query() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/organizations/{ORG}/roles/")))
        .and(bearer())
        .and(exact_query(&[]))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed("List all roles")))
        .expect(1)
        .mount(&server)
        .await;

    let query = operations::RolesListQuery::default();
    let result = bounded(client(&server).roles_list(org(), &query)).await;
    let page = ok(&server, result).await;
    assert_eq!(page.results.len(), 1);
    server.verify().await;
}

#[tokio::test]
async fn roles_create_sends_only_request_fields_and_decodes_seed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/organizations/{ORG}/roles/")))
        .and(bearer())
        .and(json_content())
        .and(exact_query(&[]))
        // Exactly the request form: no `id`, `created_at`, `members`, ...
        .and(body_json(json!({"name": "Engineers"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(seed("Create roles")))
        .expect(1)
        .mount(&server)
        .await;

    let body = models::RoleRequest { name: "Engineers".to_owned(), feature_flags_access_level: None };
    let result = bounded(client(&server).roles_create(org(), &body)).await;
    let role = ok(&server, result).await;
    assert_seed_role(&role);
    server.verify().await;
}

#[tokio::test]
async fn roles_retrieve_sends_get_and_decodes_seed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/organizations/{ORG}/roles/{ROLE}/")))
        .and(bearer())
        .and(exact_query(&[]))
        .and(no_body)
        .respond_with(ResponseTemplate::new(200).set_body_json(seed("Retrieve roles")))
        .expect(1)
        .mount(&server)
        .await;

    let result = bounded(client(&server).roles_retrieve(org(), role())).await;
    let role = ok(&server, result).await;
    assert_seed_role(&role);
    server.verify().await;
}

#[tokio::test]
async fn roles_partial_update_sends_only_set_fields_and_decodes_seed() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(format!("/api/organizations/{ORG}/roles/{ROLE}/")))
        .and(bearer())
        .and(json_content())
        .and(exact_query(&[]))
        .and(body_json(json!({"feature_flags_access_level": 37})))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed("Update roles")))
        .expect(1)
        .mount(&server)
        .await;

    let body = models::PatchedRole {
        feature_flags_access_level: Some(models::FeatureFlagsAccessLevelEnum::CanAlwaysEdit),
        name: None,
    };
    let result = bounded(client(&server).roles_partial_update(org(), role(), Some(&body))).await;
    let role = ok(&server, result).await;
    assert_seed_role(&role);
    server.verify().await;
}

#[tokio::test]
async fn roles_destroy_sends_delete_and_returns_unit_on_204() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/api/organizations/{ORG}/roles/{ROLE}/")))
        .and(bearer())
        .and(exact_query(&[]))
        .and(no_body)
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let result = bounded(client(&server).roles_destroy(org(), role())).await;
    let () = ok(&server, result).await;
    server.verify().await;
}

#[tokio::test]
async fn roles_role_memberships_list_sends_limit_and_offset_and_decodes_seed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/organizations/{ORG}/roles/{ROLE}/role_memberships/")))
        .and(bearer())
        .and(exact_query(&[("limit", "5"), ("offset", "0")]))
        .and(no_body)
        .respond_with(ResponseTemplate::new(200).set_body_json(seed("List all roles role memberships")))
        .expect(1)
        .mount(&server)
        .await;

    let query = operations::RolesRoleMembershipsListQuery { limit: Some(5), offset: Some(0) };
    let result = bounded(client(&server).roles_role_memberships_list(ORG, role(), &query)).await;
    let page = ok(&server, result).await;
    assert_eq!(page.count, 123);
    assert_eq!(page.results.len(), 1);
    assert_seed_membership(&page.results[0]);
    server.verify().await;
}

#[tokio::test]
async fn roles_role_memberships_create_sends_user_uuid_only_and_decodes_seed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/organizations/{ORG}/roles/{ROLE}/role_memberships/")))
        .and(bearer())
        .and(json_content())
        .and(exact_query(&[]))
        .and(body_json(json!({"user_uuid": USER_UUID})))
        .respond_with(ResponseTemplate::new(201).set_body_json(seed("Create roles role memberships")))
        .expect(1)
        .mount(&server)
        .await;

    let body = models::RoleMembershipRequest { user_uuid: uuid(USER_UUID) };
    let result = bounded(client(&server).roles_role_memberships_create(ORG, role(), &body)).await;
    let membership = ok(&server, result).await;
    assert_seed_membership(&membership);
    server.verify().await;
}

#[tokio::test]
async fn roles_role_memberships_destroy_sends_delete_and_returns_unit_on_204() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/api/organizations/{ORG}/roles/{ROLE}/role_memberships/{MEMBERSHIP}/")))
        .and(bearer())
        .and(exact_query(&[]))
        .and(no_body)
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let result = bounded(client(&server).roles_role_memberships_destroy(ORG, role(), uuid(MEMBERSHIP))).await;
    let () = ok(&server, result).await;
    server.verify().await;
}

#[tokio::test]
async fn a_callers_user_agent_and_http_client_are_used() {
    // The caller's reqwest client sends its default headers; the user agent is the builder's.
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/api/organizations/{ORG}/roles/{ROLE}/")))
        .and(header("user-agent", "dashboards/2.1"))
        .and(header("x-tenant", "acme"))
        .and(bearer())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let headers = reqwest::header::HeaderMap::from_iter([(
        reqwest::header::HeaderName::from_static("x-tenant"),
        reqwest::header::HeaderValue::from_static("acme"),
    )]);
    let http = reqwest::Client::builder().default_headers(headers).build().expect("a reqwest client");
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .user_agent("dashboards/2.1")
        .http_client(http)
        .build()
        .expect("client builds");
    let result = bounded(client.roles_destroy(org(), role())).await;
    ok(&server, result).await;
    server.verify().await;
}

#[tokio::test]
async fn requests_carry_the_default_user_agent() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/api/organizations/{ORG}/roles/{ROLE}/")))
        .and(|request: &Request| {
            request
                .headers
                .get("user-agent")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("posthog-organizations/"))
        })
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let result = bounded(client(&server).roles_destroy(org(), role())).await;
    ok(&server, result).await;
    server.verify().await;
}

// ---------------------------------------------------------------------------------------------
// 2. Pagination: `next` URLs are followed until a page has none.
// ---------------------------------------------------------------------------------------------

fn paged_role_id(index: usize) -> Uuid {
    Uuid::from_u128(0x1000_0000_0000_4000_8000_0000_0000_0000 + index as u128)
}

fn paged_role_name(index: usize) -> String {
    format!("role-{index:03}")
}

/// Roles `range` as JSON, each the seed's role with its own id and name.
fn role_page_items(range: std::ops::Range<usize>) -> Vec<Value> {
    let template = seed("Retrieve roles");
    range
        .map(|i| {
            let mut role = template.clone();
            role["id"] = json!(paged_role_id(i).to_string());
            role["name"] = json!(paged_role_name(i));
            role
        })
        .collect()
}

#[tokio::test]
async fn roles_list_stream_follows_next_urls_over_three_pages() {
    let server = MockServer::start().await;
    let roles_path = format!("/api/organizations/{ORG}/roles/");
    let next = |offset: usize| format!("{}{roles_path}?limit=100&offset={offset}", server.uri());
    let pages: [(Option<usize>, std::ops::Range<usize>, Option<String>); 3] =
        [(None, 0..100, Some(next(100))), (Some(100), 100..200, Some(next(200))), (Some(200), 200..250, None)];
    for (offset, range, next_url) in pages {
        let previous = offset.map(|o| format!("{}{roles_path}?limit=100&offset={}", server.uri(), o - 100));
        let body = json!({
            "count": 250,
            "next": next_url,
            "previous": previous,
            "results": role_page_items(range),
        });
        let offset_matcher = match offset {
            None => exact_query(&[("limit", "100")]),
            Some(o) => {
                let o = o.to_string();
                exact_query(&[("limit", "100"), ("offset", o.as_str())])
            }
        };
        Mock::given(method("GET"))
            .and(path(roles_path.as_str()))
            .and(bearer())
            .and(offset_matcher)
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
    }

    let client = client(&server);
    let query = operations::RolesListQuery { limit: Some(100), offset: None };
    let result: Result<Vec<models::Role>, Error> = bounded(client.roles_list_stream(org(), &query).try_collect()).await;
    let roles = ok(&server, result).await;

    assert_eq!(roles.len(), 250);
    for (index, role) in roles.iter().enumerate() {
        assert_eq!(role.id, paged_role_id(index), "id of item {index}");
        assert_eq!(role.name, paged_role_name(index), "name of item {index}");
    }
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 3, "requests:\n{}", seen(&server).await);
    let queries: Vec<Option<&str>> = requests.iter().map(|r| r.url.query()).collect();
    assert_eq!(queries, [Some("limit=100"), Some("limit=100&offset=100"), Some("limit=100&offset=200")]);
    server.verify().await;
}

#[tokio::test]
async fn roles_list_stream_is_lazy() {
    // Taking the first item fetches only the first page.
    let server = MockServer::start().await;
    let roles_path = format!("/api/organizations/{ORG}/roles/");
    let body = json!({
        "count": 250,
        "next": format!("{}{roles_path}?limit=100&offset=100", server.uri()),
        "previous": null,
        "results": role_page_items(0..100),
    });
    Mock::given(method("GET"))
        .and(path(roles_path.as_str()))
        .and(query_param("limit", "100"))
        .and(query_param_is_missing("offset"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let query = operations::RolesListQuery { limit: Some(100), offset: None };
    let stream = client.roles_list_stream(org(), &query);
    let mut stream = std::pin::pin!(stream);
    let first = bounded(stream.try_next()).await;
    let first = ok(&server, first).await.expect("a first item");
    assert_eq!(first.id, paged_role_id(0));
    server.verify().await;
}

/// A first page of roles whose `next` is `next`, served once by `server`.
async fn mount_first_page(server: &MockServer, next: &str) {
    let roles_path = format!("/api/organizations/{ORG}/roles/");
    let body = json!({ "count": 200, "next": next, "previous": null, "results": role_page_items(0..100) });
    Mock::given(method("GET"))
        .and(path(roles_path.as_str()))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn next_link_to_another_origin_is_refused_and_never_receives_the_token() {
    let home = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    let roles_path = format!("/api/organizations/{ORG}/roles/");
    let home_port = home.address().port();
    let elsewhere_port = elsewhere.address().port();
    // An absolute URL, and a relative one that lands on another host once joined to the base URL
    // (`http://127.0.0.1:A` + `@127.0.0.1:B/..` is user `127.0.0.1`, password `A` at `127.0.0.1:B`).
    let links = [
        format!("{}{roles_path}?offset=100", elsewhere.uri()),
        format!("@127.0.0.1:{elsewhere_port}{roles_path}?offset=100"),
    ];
    assert_ne!(home_port, elsewhere_port);
    for link in links {
        home.reset().await;
        mount_first_page(&home, &link).await;
        let client = client(&home);
        let query = operations::RolesListQuery::default();
        let stream = client.roles_list_stream(org(), &query);
        let mut stream = std::pin::pin!(stream);
        let mut items = 0;
        let error = loop {
            match bounded(stream.try_next()).await {
                Ok(Some(_)) => items += 1,
                Ok(None) => panic!("the stream ended without refusing {link}"),
                Err(e) => break e,
            }
        };
        assert_eq!(items, 100, "the first page's items arrive before the refusal");
        match error.kind() {
            ErrorKind::ForeignOrigin { origin, .. } => {
                assert_eq!(origin, &format!("http://127.0.0.1:{elsewhere_port}"), "{link}")
            }
            other => panic!("{link}: expected ForeignOrigin, got {other:?}"),
        }
        assert!(error.to_string().contains(&format!("127.0.0.1:{elsewhere_port}")), "{error}");
        assert_eq!(error.status(), None);
        home.verify().await;
    }
    let received = elsewhere.received_requests().await.expect("recording is on");
    assert!(received.is_empty(), "the other origin was contacted:\n{}", seen(&elsewhere).await);
}

#[tokio::test]
async fn next_link_to_an_allowed_origin_is_followed() {
    let home = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    let roles_path = format!("/api/organizations/{ORG}/roles/");
    mount_first_page(&home, &format!("{}{roles_path}?offset=100", elsewhere.uri())).await;
    let body = json!({ "count": 200, "next": null, "previous": null, "results": role_page_items(100..200) });
    Mock::given(method("GET"))
        .and(path(roles_path.as_str()))
        .and(query_param("offset", "100"))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(&elsewhere)
        .await;
    let client = Client::builder()
        .base_url(home.uri())
        .bearer_token(TOKEN)
        .allow_origin(format!("{}/any/path", elsewhere.uri()))
        .build()
        .expect("client builds");
    let query = operations::RolesListQuery::default();
    let result: Result<Vec<models::Role>, Error> = bounded(client.roles_list_stream(org(), &query).try_collect()).await;
    let roles = ok(&elsewhere, result).await;
    assert_eq!(roles.len(), 200);
    home.verify().await;
    elsewhere.verify().await;
}

// ---------------------------------------------------------------------------------------------
// 3. Errors: undocumented statuses keep what the server sent; bodies that do not match the
//    schema name where.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn status_404_is_unexpected_status_with_headers_and_body() {
    let server = MockServer::start().await;
    let body = r#"{"type":"invalid_request","code":"not_found","detail":"Not found."}"#;
    Mock::given(method("GET"))
        .and(path(format!("/api/organizations/{ORG}/roles/{ROLE}/")))
        .respond_with(
            ResponseTemplate::new(404).insert_header("x-request-id", "req-404").set_body_raw(body, "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let error = bounded(client(&server).roles_retrieve(org(), role())).await.expect_err("a 404 is an error");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    match error.into_kind() {
        ErrorKind::UnexpectedStatus { status, headers, body: got } => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(headers.get("x-request-id").and_then(|v| v.to_str().ok()), Some("req-404"));
            assert_eq!(headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"));
            assert_eq!(&got[..], body.as_bytes());
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    server.verify().await;
}

#[tokio::test]
async fn status_400_with_json_body_is_unexpected_status_with_that_body() {
    let server = MockServer::start().await;
    let body = json!({
        "type": "validation_error",
        "code": "required",
        "detail": "This field is required.",
        "attr": "name",
    });
    Mock::given(method("POST"))
        .and(path(format!("/api/organizations/{ORG}/roles/")))
        .respond_with(ResponseTemplate::new(400).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;

    let request = models::RoleRequest { name: String::new(), feature_flags_access_level: None };
    let error = bounded(client(&server).roles_create(org(), &request)).await.expect_err("a 400 is an error");
    match error.kind() {
        ErrorKind::UnexpectedStatus { status, body: got, .. } => {
            assert_eq!(status.as_u16(), 400);
            let got: Value = serde_json::from_slice(got).expect("the body is kept as sent");
            assert_eq!(got, body);
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    let message = error.to_string();
    assert!(message.contains("400"), "{message}");
    assert!(message.contains("This field is required."), "{message}");
    server.verify().await;
}

#[tokio::test]
async fn status_500_is_unexpected_status_and_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/organizations/{ORG}/roles/")))
        .respond_with(ResponseTemplate::new(500).set_body_string("Internal Server Error"))
        .expect(1)
        .mount(&server)
        .await;

    let error = bounded(client(&server).roles_list(org(), &operations::RolesListQuery::default()))
        .await
        .expect_err("a 500 is an error");
    match error.into_kind() {
        ErrorKind::UnexpectedStatus { status, body, .. } => {
            assert_eq!(status.as_u16(), 500);
            assert_eq!(&body[..], b"Internal Server Error");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    server.verify().await;
}

#[tokio::test]
async fn body_not_matching_schema_is_decode_error_naming_the_field() {
    let server = MockServer::start().await;
    let mut bad = seed("Retrieve roles");
    bad["created_at"] = json!(5);
    let body = serde_json::to_string(&bad).unwrap();
    Mock::given(method("GET"))
        .and(path(format!("/api/organizations/{ORG}/roles/{ROLE}/")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let error = bounded(client(&server).roles_retrieve(org(), role())).await.expect_err("a mistyped body is an error");
    match error.kind() {
        ErrorKind::Decode { status, path, message, snippet } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(path, "created_at");
            assert!(!message.is_empty());
            let start: String = body.chars().take(60).collect();
            assert!(snippet.starts_with(&start), "snippet {snippet:?} does not start with the body {start:?}");
            assert!(snippet.chars().count() <= body.chars().count() + 1);
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(error.to_string().contains("created_at"), "{error}");
    server.verify().await;
}

#[tokio::test]
async fn decode_error_in_a_list_names_the_item_and_nested_field() {
    let server = MockServer::start().await;
    let mut bad = seed("List all roles");
    bad["results"][0]["created_by"]["uuid"] = json!("not-a-uuid");
    Mock::given(method("GET"))
        .and(path(format!("/api/organizations/{ORG}/roles/")))
        .respond_with(ResponseTemplate::new(200).set_body_json(bad))
        .expect(1)
        .mount(&server)
        .await;

    let error = bounded(client(&server).roles_list(org(), &operations::RolesListQuery::default()))
        .await
        .expect_err("a mistyped body is an error");
    match error.kind() {
        ErrorKind::Decode { path, .. } => assert_eq!(path, "results[0].created_by.uuid"),
        other => panic!("expected Decode, got {other:?}"),
    }
    server.verify().await;
}

// ---------------------------------------------------------------------------------------------
// 4. Retries: idempotent requests (GET, PUT, DELETE) after 429, 503 and refused connections,
//    honouring `Retry-After` (seconds or an HTTP date, capped by `max_backoff`) and otherwise
//    backing off exponentially with jitter; never POST or PATCH; not at all when disabled.
// ---------------------------------------------------------------------------------------------

/// Mounts a 429 with `Retry-After: 1` for `method_name path`, answered `times` times.
async fn mount_429(server: &MockServer, method_name: &str, at: &str, times: u64) {
    Mock::given(method(method_name))
        .and(path(at))
        .and(bearer())
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(json!({"detail": "Request was throttled."})),
        )
        .up_to_n_times(times)
        .expect(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn get_429_with_retry_after_is_retried_after_waiting() {
    let server = MockServer::start().await;
    let at = format!("/api/organizations/{ORG}/roles/{ROLE}/");
    mount_429(&server, "GET", &at, 1).await;
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(seed("Retrieve roles")))
        .expect(1)
        .mount(&server)
        .await;

    let started = Instant::now();
    let result = bounded(client(&server).roles_retrieve(org(), role())).await;
    let elapsed = started.elapsed();
    let role = ok(&server, result).await;
    assert_seed_role(&role);
    assert!(
        elapsed >= Duration::from_millis(950),
        "the retry came after {elapsed:?}, before `Retry-After: 1` had passed"
    );
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 2, "requests:\n{}", seen(&server).await);
    server.verify().await;
}

#[tokio::test]
async fn post_429_is_not_retried() {
    let server = MockServer::start().await;
    let at = format!("/api/organizations/{ORG}/roles/");
    // Answers every POST with 429; `.expect(1)` fails the test if the client tries again.
    Mock::given(method("POST"))
        .and(path(at.as_str()))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "10")
                .set_body_json(json!({"detail": "Request was throttled."})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let body = models::RoleRequest { name: "Engineers".to_owned(), feature_flags_access_level: None };
    let started = Instant::now();
    let error = bounded(client(&server).roles_create(org(), &body)).await.expect_err("a 429 is an error");
    let elapsed = started.elapsed();
    match error.kind() {
        ErrorKind::UnexpectedStatus { status, headers, .. } => {
            assert_eq!(status.as_u16(), 429);
            assert_eq!(headers.get("retry-after").and_then(|v| v.to_str().ok()), Some("10"));
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    // A retry would first wait the 10 s `Retry-After` asks for.
    assert!(elapsed < Duration::from_secs(5), "a POST should fail at once, took {elapsed:?}");
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "requests:\n{}", seen(&server).await);
    server.verify().await;
}

#[tokio::test]
async fn disabled_retry_policy_does_not_retry_get_429() {
    let server = MockServer::start().await;
    let at = format!("/api/organizations/{ORG}/roles/{ROLE}/");
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "10")
                .set_body_json(json!({"detail": "Request was throttled."})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client builds");
    let started = Instant::now();
    let error = bounded(client.roles_retrieve(org(), role())).await.expect_err("a 429 is an error");
    let elapsed = started.elapsed();
    match error.kind() {
        ErrorKind::UnexpectedStatus { status, .. } => assert_eq!(status.as_u16(), 429),
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    // A retry would first wait the 10 s `Retry-After` asks for.
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "requests:\n{}", seen(&server).await);
    server.verify().await;
}

#[tokio::test]
async fn get_429_gives_up_after_max_retries() {
    // A policy of one retry, with short waits (`Retry-After` capped by `max_backoff`): two tries,
    // then the last 429 is returned.
    let server = MockServer::start().await;
    let at = format!("/api/organizations/{ORG}/roles/{ROLE}/");
    mount_429(&server, "GET", &at, 2).await;

    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .retry(RetryPolicy {
            max_retries: 1,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
        })
        .build()
        .expect("client builds");
    let error = bounded(client.roles_retrieve(org(), role())).await.expect_err("still 429 after the retries");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429), "{error:?}");
    assert!(matches!(*error.kind(), ErrorKind::UnexpectedStatus { .. }), "{error:?}");
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 2, "requests:\n{}", seen(&server).await);
    server.verify().await;
}

/// A policy that retries `max_retries` times after short waits, so a test that expects retries
/// is quick and one that expects none would see them.
fn quick_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy { max_retries, initial_backoff: Duration::from_millis(10), max_backoff: Duration::from_millis(50) }
}

/// A client of `base_url` with `policy`.
fn client_with(base_url: &str, policy: RetryPolicy) -> Client {
    Client::builder().base_url(base_url).bearer_token(TOKEN).retry(policy).build().expect("client builds")
}

/// Mounts a 503 (without `Retry-After`) for `method_name at`, answered `times` times.
async fn mount_503(server: &MockServer, method_name: &str, at: &str, times: u64) {
    Mock::given(method(method_name))
        .and(path(at))
        .and(bearer())
        .respond_with(ResponseTemplate::new(503).set_body_string("Service Unavailable"))
        .up_to_n_times(times)
        .expect(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn get_503_is_retried() {
    let server = MockServer::start().await;
    let at = format!("/api/organizations/{ORG}/roles/{ROLE}/");
    mount_503(&server, "GET", &at, 2).await;
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(seed("Retrieve roles")))
        .expect(1)
        .mount(&server)
        .await;

    let result = bounded(client_with(&server.uri(), quick_retries(3)).roles_retrieve(org(), role())).await;
    let role = ok(&server, result).await;
    assert_seed_role(&role);
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 3, "requests:\n{}", seen(&server).await);
    server.verify().await;
}

#[tokio::test]
async fn put_and_delete_503_are_retried() {
    // PUT and DELETE are idempotent: sending them again is safe, so a 503 is retried like a GET.
    let server = MockServer::start().await;
    let at = format!("/api/organizations/{ORG}/roles/{ROLE}/");
    mount_503(&server, "PUT", &at, 1).await;
    Mock::given(method("PUT"))
        .and(path(at.as_str()))
        .and(bearer())
        .and(body_json(json!({"name": "Engineers"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed("Update roles")))
        .expect(1)
        .mount(&server)
        .await;
    mount_503(&server, "DELETE", &at, 1).await;
    Mock::given(method("DELETE"))
        .and(path(at.as_str()))
        .and(bearer())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let client = client_with(&server.uri(), quick_retries(3));
    let body = models::RoleRequest { name: "Engineers".to_owned(), feature_flags_access_level: None };
    let result = bounded(client.roles_update(org(), role(), &body)).await;
    assert_seed_role(&ok(&server, result).await);
    let result = bounded(client.roles_destroy(org(), role())).await;
    let () = ok(&server, result).await;
    let methods: Vec<String> =
        server.received_requests().await.expect("recording is on").iter().map(|r| r.method.to_string()).collect();
    assert_eq!(methods, ["PUT", "PUT", "DELETE", "DELETE"], "requests:\n{}", seen(&server).await);
    server.verify().await;
}

#[tokio::test]
async fn post_and_patch_503_are_not_retried() {
    // POST and PATCH are not idempotent: the first try may have taken effect, so even a policy
    // of three retries sends each once and returns the 503.
    let server = MockServer::start().await;
    mount_503(&server, "POST", &format!("/api/organizations/{ORG}/roles/"), 1).await;
    mount_503(&server, "PATCH", &format!("/api/organizations/{ORG}/roles/{ROLE}/"), 1).await;

    let client = client_with(&server.uri(), quick_retries(3));
    let body = models::RoleRequest { name: "Engineers".to_owned(), feature_flags_access_level: None };
    let error = bounded(client.roles_create(org(), &body)).await.expect_err("a 503 is an error");
    assert!(matches!(error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status.as_u16() == 503), "{error:?}");
    let patch = models::PatchedRole { name: Some("Engineers".to_owned()), ..Default::default() };
    let error = bounded(client.roles_partial_update(org(), role(), Some(&patch))).await.expect_err("a 503 is an error");
    assert!(matches!(error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status.as_u16() == 503), "{error:?}");
    let methods: Vec<String> =
        server.received_requests().await.expect("recording is on").iter().map(|r| r.method.to_string()).collect();
    assert_eq!(methods, ["POST", "PATCH"], "requests:\n{}", seen(&server).await);
    server.verify().await;
}

/// An address on 127.0.0.1 where nothing listens (a port the OS just handed out and took back),
/// so connecting to it is refused.
fn refusing_address() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("a bound listener has an address")
}

#[tokio::test]
async fn refused_connection_is_retried_until_the_server_answers() {
    // The server comes up 300 ms after the first try; every try before that is refused, and the
    // client keeps trying (up to 20 times, waits of at most 100 ms) until one gets through.
    let address = refusing_address();
    let attempts = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = attempts.clone();
    let body = seed("Retrieve roles");
    let app = axum::Router::new().route(
        "/api/organizations/{org}/roles/{id}/",
        axum::routing::get(move || {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let body = body.clone();
            async move { axum::Json(body) }
        }),
    );
    let server = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let listener = tokio::net::TcpListener::bind(address).await.expect("rebind the refusing port");
        axum::serve(listener, app).await.expect("serve");
    });

    let policy = RetryPolicy {
        max_retries: 20,
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(100),
    };
    let started = Instant::now();
    let result = bounded(client_with(&format!("http://{address}"), policy).roles_retrieve(org(), role())).await;
    let elapsed = started.elapsed();
    server.abort();
    let role = result.unwrap_or_else(|e| panic!("the call failed after {elapsed:?}: {e:?}"));
    assert_seed_role(&role);
    assert!(elapsed >= Duration::from_millis(300), "answered after {elapsed:?}, before the server was up");
    assert_eq!(attempts.load(std::sync::atomic::Ordering::SeqCst), 1, "only the last try reached the server");
}

/// The messages of `error` and of each of its sources, outermost first.
fn chain(error: &dyn std::error::Error) -> Vec<String> {
    std::iter::successors(Some(error), |e| e.source()).map(ToString::to_string).collect()
}

#[tokio::test]
async fn refused_connection_is_retried_then_reported() {
    // Two retries after waits of 100-200 ms and 200-400 ms (half to all of 200 ms doubled): at
    // least 300 ms go by before the error, which says what was refused.
    let address = refusing_address();
    let policy = RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(200),
        max_backoff: Duration::from_secs(5),
    };
    let started = Instant::now();
    let error = bounded(client_with(&format!("http://{address}"), policy).roles_retrieve(org(), role()))
        .await
        .expect_err("nothing listens");
    let elapsed = started.elapsed();
    let ErrorKind::Transport(transport) = error.kind() else { panic!("expected Transport, got {error:?}") };
    assert!(transport.is_connect(), "{error:?}");
    assert_eq!((error.status(), error.documented()), (None, None), "no answer: no status");
    let messages = chain(&error);
    assert!(
        messages[0].starts_with(
            "roles_retrieve (GET /api/organizations/{organization_id}/roles/{id}/) failed: transport error: "
        ),
        "{messages:?}"
    );
    assert!(messages[0].contains(&format!("{address}/api/organizations/{ORG}/roles/{ROLE}/")), "{messages:?}");
    assert!(messages.iter().any(|m| m.to_lowercase().contains("connection refused")), "{messages:?}");
    assert!(elapsed >= Duration::from_millis(300), "gave up after {elapsed:?}, before two retries");
}

#[tokio::test]
async fn refused_connection_is_not_retried_for_post() {
    // With waits of 5-10 s before a retry, a POST that was retried would take at least 2.5 s.
    let address = refusing_address();
    let policy =
        RetryPolicy { max_retries: 3, initial_backoff: Duration::from_secs(5), max_backoff: Duration::from_secs(10) };
    let body = models::RoleRequest { name: "Engineers".to_owned(), feature_flags_access_level: None };
    let started = Instant::now();
    let error = bounded(client_with(&format!("http://{address}"), policy).roles_create(org(), &body))
        .await
        .expect_err("nothing listens");
    let elapsed = started.elapsed();
    assert!(matches!(error.kind(), ErrorKind::Transport(e) if e.is_connect()), "{error:?}");
    assert!(elapsed < Duration::from_millis(2500), "a POST was retried: it failed after {elapsed:?}");
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    // `Retry-After` two seconds from now, as an HTTP date (whole seconds, so the wait is between
    // one and two seconds); the policy's own waits are 10-50 ms, so a client that ignored the
    // date would retry at once.
    let server = MockServer::start().await;
    let at = format!("/api/organizations/{ORG}/roles/{ROLE}/");
    let started = Instant::now();
    let date = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", date.as_str()))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed("Retrieve roles")))
        .expect(1)
        .mount(&server)
        .await;

    let policy = RetryPolicy {
        max_retries: 3,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_secs(10),
    };
    let result = bounded(client_with(&server.uri(), policy).roles_retrieve(org(), role())).await;
    let elapsed = started.elapsed();
    assert_seed_role(&ok(&server, result).await);
    assert!(elapsed >= Duration::from_secs(1), "retried after {elapsed:?}, before `Retry-After: {date}`");
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    server.verify().await;
}

#[tokio::test]
async fn retry_after_longer_than_max_backoff_waits_max_backoff() {
    // `Retry-After: 30` with a policy whose longest wait is 1 s: the retry comes after 1 s.
    let server = MockServer::start().await;
    let at = format!("/api/organizations/{ORG}/roles/{ROLE}/");
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "30"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed("Retrieve roles")))
        .expect(1)
        .mount(&server)
        .await;

    let policy =
        RetryPolicy { max_retries: 1, initial_backoff: Duration::from_millis(10), max_backoff: Duration::from_secs(1) };
    let started = Instant::now();
    let result = bounded(client_with(&server.uri(), policy).roles_retrieve(org(), role())).await;
    let elapsed = started.elapsed();
    assert_seed_role(&ok(&server, result).await);
    assert!(elapsed >= Duration::from_secs(1), "retried after {elapsed:?}, before max_backoff");
    assert!(elapsed < Duration::from_secs(10), "waited {elapsed:?}: `Retry-After: 30` was not capped at 1 s");
    server.verify().await;
}

#[tokio::test]
async fn backoff_without_retry_after_doubles_with_jitter_up_to_max_backoff() {
    // Four retries from 400 ms, capped at 1 s: the waits are drawn from half to all of 400 ms,
    // 800 ms, 1 s and 1 s. Uncapped, the last would be 1.6-3.2 s; without doubling, the second
    // would be under 400 ms. The gaps between the requests the server sees include the wait.
    let server = MockServer::start().await;
    let arrivals = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Instant>::new()));
    let recorded = arrivals.clone();
    Mock::given(method("GET"))
        .and(path(format!("/api/organizations/{ORG}/roles/{ROLE}/")))
        .respond_with(move |_: &Request| {
            recorded.lock().expect("not poisoned").push(Instant::now());
            ResponseTemplate::new(503)
        })
        .expect(5)
        .mount(&server)
        .await;

    let policy = RetryPolicy {
        max_retries: 4,
        initial_backoff: Duration::from_millis(400),
        max_backoff: Duration::from_secs(1),
    };
    let error = bounded(client_with(&server.uri(), policy).roles_retrieve(org(), role()))
        .await
        .expect_err("still 503 after the retries");
    assert!(matches!(error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status.as_u16() == 503), "{error:?}");
    let arrivals = arrivals.lock().expect("not poisoned").clone();
    assert_eq!(arrivals.len(), 5, "one try and four retries");
    let gaps: Vec<Duration> = arrivals.windows(2).map(|w| w[1] - w[0]).collect();
    let least = [200, 400, 500, 500].map(Duration::from_millis);
    for (i, (gap, least)) in gaps.iter().zip(least).enumerate() {
        assert!(*gap >= least, "wait {i} was {gap:?}, under {least:?} (gaps: {gaps:?})");
    }
    assert!(
        gaps[3] < Duration::from_millis(1500),
        "the last wait {:?} went past max_backoff (gaps: {gaps:?})",
        gaps[3]
    );
    server.verify().await;
}

// ---------------------------------------------------------------------------------------------
// 5. Timeouts.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn hung_server_gives_timeout_quickly() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/organizations/{ORG}/roles/{ROLE}/")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(seed("Retrieve roles")).set_delay(Duration::from_secs(10)),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .timeout(Some(Duration::from_millis(300)))
        .build()
        .expect("client builds");
    let started = Instant::now();
    let error = bounded(client.roles_retrieve(org(), role())).await.expect_err("the server never answers in time");
    let elapsed = started.elapsed();
    assert!(matches!(*error.kind(), ErrorKind::Timeout(_)), "expected Timeout, got {error:?}");
    assert_eq!(error.status(), None);
    assert!(elapsed >= Duration::from_millis(250), "gave up after {elapsed:?}, before the timeout");
    assert!(elapsed < Duration::from_secs(3), "a 300 ms timeout took {elapsed:?}");
    server.verify().await;
}

// ---------------------------------------------------------------------------------------------
// 6. Path parameters are percent-encoded, `/` included.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = MockServer::start().await;
    let cases: BTreeMap<&str, &str> =
        BTreeMap::from([("a b/c", "a%20b%2Fc"), ("ü?#%&=+", "%C3%BC%3F%23%25%26%3D%2B"), ("safe-._~", "safe-._~")]);
    for encoded in cases.values() {
        Mock::given(method("DELETE"))
            .and(path(format!("/api/organizations/{ORG}/proxy_records/{encoded}/")))
            .and(bearer())
            .and(exact_query(&[]))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
    }
    // The organization is a path parameter too.
    Mock::given(method("DELETE"))
        .and(path("/api/organizations/org%2F1/proxy_records/x/"))
        .and(bearer())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    for raw in cases.keys() {
        let result = bounded(client.proxy_records_destroy(ORG, raw)).await;
        ok(&server, result).await;
    }
    let result = bounded(client.proxy_records_destroy("org/1", "x")).await;
    ok(&server, result).await;
    server.verify().await;
}

// 7. Per-call options and retryable errors.

#[tokio::test]
async fn per_call_options_apply_to_the_calls_made_through_them_only() {
    let server = MockServer::start().await;
    let at = format!("/api/organizations/{ORG}/roles/{ROLE}/");
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(seed("Retrieve roles")).set_delay(Duration::from_millis(300)),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let keyed = client
        .with_options(CallOptions::new().header("Idempotency-Key", "k-1").timeout(Some(Duration::from_millis(50))));
    // The view's timeout cuts its call short; the client's own (30 s) lets the same call finish.
    let cut = bounded(keyed.roles_retrieve(org(), role())).await.expect_err("the view's timeout");
    assert!(matches!(*cut.kind(), ErrorKind::Timeout(_)), "{cut}");
    assert!(cut.is_retryable());
    assert_seed_role(&ok(&server, bounded(client.roles_retrieve(org(), role())).await).await);
    let patient = keyed.with_options(CallOptions::new().header("Idempotency-Key", "k-2"));
    assert_seed_role(&ok(&server, bounded(patient.roles_retrieve(org(), role())).await).await);

    let requests = server.received_requests().await.expect("recording is on");
    let keys: Vec<Option<&str>> =
        requests.iter().map(|r| r.headers.get("idempotency-key").and_then(|v| v.to_str().ok())).collect();
    assert_eq!(keys, [Some("k-1"), None, Some("k-2")], "requests:\n{}", seen(&server).await);
    assert!(requests.iter().all(|r| r.headers.get("authorization").is_some()), "credentials are shared");

    let bad = client.with_options(CallOptions::new().header("Bad Name", "x"));
    let refused = bad.roles_retrieve(org(), role()).await.expect_err("an invalid header name");
    assert!(matches!(*refused.kind(), ErrorKind::InvalidRequest(ref m) if m.contains("Bad Name")), "{refused}");
    assert!(!refused.is_retryable());
}

#[tokio::test]
async fn a_per_call_retry_policy_replaces_the_clients() {
    let server = MockServer::start().await;
    let at = format!("/api/organizations/{ORG}/roles/{ROLE}/");
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .respond_with(ResponseTemplate::new(503).set_body_string("Service Unavailable"))
        .mount(&server)
        .await;
    let client = client_with(&server.uri(), RetryPolicy::disabled());
    let once = bounded(client.roles_retrieve(org(), role())).await.expect_err("503");
    assert_eq!(server.received_requests().await.expect("recording is on").len(), 1);
    assert!(once.is_retryable(), "{once}");
    let patient = client.with_options(CallOptions::new().retry(quick_retries(2)));
    let thrice = bounded(patient.roles_retrieve(org(), role())).await.expect_err("503 three times");
    assert_eq!(thrice.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.expect("recording is on").len(), 4, "1, then 1 + 2 retries");
}

#[tokio::test]
async fn only_errors_that_may_pass_on_a_second_try_are_retryable() {
    let server = MockServer::start().await;
    let at = format!("/api/organizations/{ORG}/roles/{ROLE}/");
    for (status, retryable) in [(404, false), (400, false), (408, true), (429, true), (502, true), (504, true)] {
        server.reset().await;
        Mock::given(method("GET"))
            .and(path(at.as_str()))
            .respond_with(ResponseTemplate::new(status).set_body_string("no"))
            .mount(&server)
            .await;
        let error = bounded(client_with(&server.uri(), RetryPolicy::disabled()).roles_retrieve(org(), role()))
            .await
            .expect_err("an error status");
        assert_eq!(error.is_retryable(), retryable, "{status}: {error}");
    }
    server.reset().await;
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"not\": \"a role\"}"))
        .mount(&server)
        .await;
    let undecodable =
        bounded(client(&server).roles_retrieve(org(), role())).await.expect_err("a body that does not decode");
    assert!(matches!(*undecodable.kind(), ErrorKind::Decode { .. }) && !undecodable.is_retryable(), "{undecodable}");
    let refused = bounded(
        client_with(&format!("http://{}", refusing_address()), RetryPolicy::disabled()).roles_retrieve(org(), role()),
    )
    .await
    .expect_err("nothing listens");
    assert!(refused.is_retryable(), "{refused}");
}

// 8. Hooks.

/// What the recording hook saw: (hook, phase, operation id, attempt, status or error).
type Seen = Arc<Mutex<Vec<(&'static str, &'static str, &'static str, u32, String)>>>;

/// Adds `x-hook: <name>` before each try and records both phases.
struct Recorder {
    name: &'static str,
    seen: Seen,
}

impl Hook for Recorder {
    fn before<'a>(&'a self, call: &'a Call, request: &'a mut reqwest::Request) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            request.headers_mut().append("x-hook", self.name.parse().expect("a header value"));
            let line = (self.name, "before", call.operation.id, call.attempt, request.url().path().to_owned());
            self.seen.lock().expect("seen").push(line);
            Ok(())
        })
    }

    fn after<'a>(&'a self, call: &'a Call, outcome: Result<&'a Response, &'a Error>) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let what = match outcome {
                Ok(response) => response.status.as_str().to_owned(),
                Err(error) => format!("error: {error}"),
            };
            assert!(call.started.elapsed() < Duration::from_secs(60), "started is when the try began");
            self.seen.lock().expect("seen").push((self.name, "after", call.operation.id, call.attempt, what));
        })
    }
}

#[tokio::test]
async fn hooks_see_and_change_every_try_in_order() {
    let server = MockServer::start().await;
    let at = format!("/api/organizations/{ORG}/roles/{ROLE}/");
    mount_503(&server, "GET", &at, 1).await;
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(seed("Retrieve roles")))
        .mount(&server)
        .await;
    let seen = Seen::default();
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .retry(quick_retries(2))
        .hook(Recorder { name: "outer", seen: Arc::clone(&seen) })
        .hook(Recorder { name: "inner", seen: Arc::clone(&seen) })
        .build()
        .expect("client builds");
    assert_seed_role(&ok(&server, bounded(client.roles_retrieve(org(), role())).await).await);

    let id = "roles_retrieve";
    let p = at.clone();
    let expected = [
        ("outer", "before", id, 0, p.clone()),
        ("inner", "before", id, 0, p.clone()),
        ("inner", "after", id, 0, "503".to_owned()),
        ("outer", "after", id, 0, "503".to_owned()),
        ("outer", "before", id, 1, p.clone()),
        ("inner", "before", id, 1, p),
        ("inner", "after", id, 1, "200".to_owned()),
        ("outer", "after", id, 1, "200".to_owned()),
    ];
    assert_eq!(*seen.lock().expect("seen"), expected);
    // Each try carried both hooks' headers, in the order the hooks ran.
    for request in server.received_requests().await.expect("recording is on") {
        let values: Vec<&str> = request.headers.get_all("x-hook").iter().filter_map(|v| v.to_str().ok()).collect();
        assert_eq!(values, ["outer", "inner"]);
    }
}

/// Refuses every request.
struct Refuse;

impl Hook for Refuse {
    fn before<'a>(&'a self, call: &'a Call, _request: &'a mut reqwest::Request) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move { Err(Error::invalid_request(format!("{} is not allowed here", call.operation.id))) })
    }
}

#[tokio::test]
async fn a_hook_can_refuse_a_call_before_it_is_sent_and_sees_errors_after() {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).hook(Refuse).build().expect("client builds");
    let refused = client.roles_destroy(org(), role()).await.expect_err("refused by the hook");
    assert!(
        matches!(*refused.kind(), ErrorKind::InvalidRequest(ref m) if m == "roles_destroy is not allowed here"),
        "{refused}"
    );
    assert!(server.received_requests().await.expect("recording is on").is_empty(), "nothing was sent");

    let seen = Seen::default();
    let nowhere = format!("http://{}", refusing_address());
    let client = Client::builder()
        .base_url(nowhere)
        .retry(RetryPolicy::disabled())
        .hook(Recorder { name: "only", seen: Arc::clone(&seen) })
        .build()
        .expect("client builds");
    bounded(client.roles_list(org(), &operations::RolesListQuery::default())).await.expect_err("refused connection");
    let seen = seen.lock().expect("seen");
    assert_eq!(seen.len(), 2);
    assert_eq!((seen[1].1, seen[1].2, seen[1].3), ("after", "roles_list", 0));
    assert!(
        seen[1]
            .4
            .starts_with("error: roles_list (GET /api/organizations/{organization_id}/roles/) failed: transport error"),
        "{}",
        seen[1].4
    );
}

// 9. Tokens that change.

/// Hands out `t1`, `t2`, ... and counts how often it was asked; each token lasts `lasts`.
struct Counter {
    asked: Arc<Mutex<Vec<Option<String>>>>,
    lasts: Option<Duration>,
}

impl TokenSource for Counter {
    fn token<'a>(&'a self, stale: Option<&'a Token>) -> BoxFuture<'a, Result<Token, Error>> {
        Box::pin(async move {
            let mut asked = self.asked.lock().expect("asked");
            asked.push(stale.map(|t| t.value.clone()));
            let expires_at = self.lasts.map(|d| std::time::Instant::now() + d);
            Ok(Token { value: format!("t{}", asked.len()), expires_at })
        })
    }
}

/// Answers the role to `Bearer <good>` and 401 to anything else.
async fn mount_token_check(server: &MockServer, good: &str) {
    let at = format!("/api/organizations/{ORG}/roles/{ROLE}/");
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .and(header("authorization", format!("Bearer {good}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed("Retrieve roles")))
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"detail": "token expired"})))
        .with_priority(2)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_refused_token_is_renewed_once_and_the_call_succeeds() {
    let server = MockServer::start().await;
    mount_token_check(&server, "t2").await;
    let asked = Arc::new(Mutex::new(Vec::new()));
    let client = Client::builder()
        .base_url(server.uri())
        .token_source(Counter { asked: Arc::clone(&asked), lasts: None })
        .build()
        .expect("client builds");
    assert_seed_role(&ok(&server, bounded(client.roles_retrieve(org(), role())).await).await);
    // Kept: the next call asks for nothing.
    assert_seed_role(&ok(&server, bounded(client.roles_retrieve(org(), role())).await).await);
    assert_eq!(
        *asked.lock().expect("asked"),
        [None, Some("t1".to_owned())],
        "asked once, then once with the refused token"
    );
    let sent: Vec<String> = server
        .received_requests()
        .await
        .expect("recording is on")
        .iter()
        .filter_map(|r| r.headers.get("authorization")?.to_str().ok().map(str::to_owned))
        .collect();
    assert_eq!(sent, ["Bearer t1", "Bearer t2", "Bearer t2"]);

    // A source whose fresh token is refused too: renewed once only, then the 401 is the answer.
    let server = MockServer::start().await;
    mount_token_check(&server, "never").await;
    let asked = Arc::new(Mutex::new(Vec::new()));
    let client = Client::builder()
        .base_url(server.uri())
        .token_source(Counter { asked: Arc::clone(&asked), lasts: None })
        .build();
    let refused = bounded(client.expect("client builds").roles_retrieve(org(), role())).await.expect_err("401");
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(401), "{refused}");
    assert_eq!(asked.lock().expect("asked").len(), 2);
    assert_eq!(server.received_requests().await.expect("recording is on").len(), 2);
}

#[tokio::test]
async fn an_expiring_token_is_asked_for_again_before_it_expires() {
    let server = MockServer::start().await;
    let at = format!("/api/organizations/{ORG}/roles/{ROLE}/");
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed("Retrieve roles")))
        .mount(&server)
        .await;
    let asked = Arc::new(Mutex::new(Vec::new()));
    // Good for 10 s: within the 30 s margin, so each call asks for a new one.
    let source = Counter { asked: Arc::clone(&asked), lasts: Some(Duration::from_secs(10)) };
    let client = Client::builder().base_url(server.uri()).token_source(source).build().expect("client builds");
    for _ in 0..3 {
        ok(&server, bounded(client.roles_retrieve(org(), role())).await).await;
    }
    assert_eq!(asked.lock().expect("asked").len(), 3);
    // Good for an hour: asked once.
    let asked = Arc::new(Mutex::new(Vec::new()));
    let source = Counter { asked: Arc::clone(&asked), lasts: Some(Duration::from_secs(3600)) };
    let client = Client::builder().base_url(server.uri()).token_source(source).build().expect("client builds");
    for _ in 0..3 {
        ok(&server, bounded(client.roles_retrieve(org(), role())).await).await;
    }
    assert_eq!(asked.lock().expect("asked").len(), 1);
}

// 10. Every error names its operation, in one line, and shows no query value.

#[tokio::test]
async fn every_error_of_a_call_names_its_operation_in_one_line() {
    let server = MockServer::start().await;
    let at = format!("/api/organizations/{ORG}/roles/{ROLE}/");
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .respond_with(ResponseTemplate::new(500).set_body_string("Internal\nServer\r\nError"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "not a uuid"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let retrieve = "roles_retrieve (GET /api/organizations/{organization_id}/roles/{id}/) failed: ";

    // An undocumented status: the body's line breaks do not break the line.
    let unexpected = bounded(client.roles_retrieve(org(), role())).await.expect_err("a 500");
    assert_eq!(
        unexpected.to_string(),
        format!("{retrieve}unexpected status 500 Internal Server Error: Internal Server  Error")
    );
    // A body that does not decode.
    let undecodable = bounded(client.roles_retrieve(org(), role())).await.expect_err("a bad body");
    assert!(
        undecodable.to_string().starts_with(&format!("{retrieve}cannot decode the 200 OK response at `id`")),
        "{undecodable}"
    );
    // A request that cannot be built, refused before anything is sent.
    let bad = client.with_options(CallOptions::new().header("Bad Name", "x"));
    let refused = bad.roles_retrieve(org(), role()).await.expect_err("an invalid header name");
    assert!(
        refused.to_string().starts_with(&format!("{retrieve}invalid request: header name `Bad Name`")),
        "{refused}"
    );
    let operation = refused.operation().expect("the operation");
    assert_eq!((operation.id, operation.tags), ("roles_retrieve", &["core", "roles"][..]));
    for error in [&unexpected, &undecodable, &refused] {
        assert!(!error.to_string().contains('\n') && !error.to_string().contains('\r'), "{error}");
    }
    server.verify().await;

    // Only building the client itself is no operation's error.
    let unbuilt = Client::builder().base_url("not a url").build().expect_err("no base URL");
    assert!(unbuilt.operation().is_none());
    assert!(unbuilt.to_string().starts_with("invalid request: base URL `not a url`"), "{unbuilt}");
}

#[tokio::test]
async fn a_transport_error_shows_no_query_value() {
    // A query value may be a credential (an API key in the query) or personal: the error's
    // message and its chain keep the path but drop the query.
    let nowhere = format!("http://{}", refusing_address());
    let client = client_with(&nowhere, RetryPolicy::disabled());
    let query = operations::RolesListQuery { limit: Some(7777), offset: Some(4242) };
    let error = bounded(client.roles_list(org(), &query)).await.expect_err("nothing listens");
    let messages = chain(&error);
    assert!(messages[0].contains(&format!("/api/organizations/{ORG}/roles/")), "{messages:?}");
    assert!(messages.iter().all(|m| !m.contains("7777") && !m.contains("4242")), "{messages:?}");
    assert_eq!(error.operation().map(|op| op.id), Some("roles_list"));
}

#[tokio::test]
async fn an_error_of_a_later_page_names_the_operation() {
    let server = MockServer::start().await;
    let at = format!("/api/organizations/{ORG}/roles/");
    let next = format!("{}{at}?limit=1&offset=1", server.uri());
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .and(query_param_is_missing("offset"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "count": 2, "next": next, "previous": null, "results": [seed("Retrieve roles")]
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .and(query_param("offset", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"count": 2, "results": "not a list"})))
        .expect(1)
        .mount(&server)
        .await;
    let query = operations::RolesListQuery::default();
    let client = client(&server);
    let stream = client.roles_list_stream(org(), &query);
    let results: Vec<Result<models::Role, Error>> = bounded(futures_util::StreamExt::collect(stream)).await;
    assert_eq!(results.len(), 2, "one role, then the second page's error");
    let error = results[1].as_ref().expect_err("the second page does not decode");
    assert_eq!(error.operation().map(|op| op.id), Some("roles_list"), "{error}");
    server.verify().await;
}

// 11. Tracing: one span per call, OpenTelemetry's HTTP client fields, nothing secret.

// Current-thread runtime: the calls run on the test thread, which captures.
#[tokio::test(flavor = "current_thread")]
async fn a_call_is_one_span_with_the_http_client_fields() {
    let server = MockServer::start().await;
    let at = format!("/api/organizations/{ORG}/roles/");
    let one = format!("{at}{ROLE}/");
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed("List all roles")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(one.as_str()))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"detail": "Not found."})))
        .expect(1)
        .mount(&server)
        .await;
    mount_503(&server, "DELETE", &one, 2).await;
    Mock::given(method("DELETE"))
        .and(path(one.as_str()))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let client = client_with(&server.uri(), fast_retries(3));
    let port = server.address().port().to_string();
    let query = operations::RolesListQuery { limit: Some(7777), offset: None };
    let ((listed, missing, deleted), spans) = SpanLog::capture(async {
        let listed = bounded(client.roles_list(org(), &query)).await;
        let missing = bounded(client.roles_retrieve(org(), role())).await;
        let deleted = bounded(client.roles_destroy(org(), role())).await;
        (listed, missing, deleted)
    })
    .await;
    listed.expect("the list");
    missing.expect_err("a 404");
    deleted.expect("deleted after two 503s");

    let call = |id: &str, method: &str, template: &str, rest: &[(&str, &str)]| {
        let mut expected = fields(&[
            ("otel.name", id),
            ("otel.kind", "client"),
            ("http.request.method", method),
            ("url.template", template),
            ("server.address", "127.0.0.1"),
            ("server.port", &port),
        ]);
        expected.extend(fields(rest));
        ("call", expected)
    };
    let roles = "/api/organizations/{organization_id}/roles/";
    let role = "/api/organizations/{organization_id}/roles/{id}/";
    assert_eq!(
        spans,
        [
            call("roles_list", "GET", roles, &[("http.response.status_code", "200")]),
            call(
                "roles_retrieve",
                "GET",
                role,
                &[("http.response.status_code", "404"), ("error.type", "404"), ("otel.status_code", "ERROR")]
            ),
            call(
                "roles_destroy",
                "DELETE",
                role,
                &[("http.response.status_code", "204"), ("http.request.resend_count", "2")]
            ),
        ]
    );
    // Nothing secret: no credential, no query value, no body.
    let all = format!("{spans:?}");
    for secret in [TOKEN, "7777", "Not found."] {
        assert!(!all.contains(secret), "{secret} in {all}");
    }
    server.verify().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_call_that_fails_without_an_answer_says_why_in_error_type() {
    let nowhere = format!("http://{}", refusing_address());
    let client = client_with(&nowhere, RetryPolicy::disabled());
    let (result, spans) = SpanLog::capture(bounded(client.roles_retrieve(org(), role()))).await;
    result.expect_err("nothing listens");
    assert_eq!(spans.len(), 1, "{spans:?}");
    let (_, fields) = &spans[0];
    assert_eq!(fields.get("error.type").map(String::as_str), Some("transport"), "{fields:?}");
    assert_eq!(fields.get("http.response.status_code"), None, "no answer, no status: {fields:?}");
}

/// A retry policy with short waits, for tests that let the client retry.
fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy { max_retries, initial_backoff: Duration::from_millis(10), max_backoff: Duration::from_millis(50) }
}

// 12. reqwest-middleware: the client sends through the caller's stack.

fn with_middleware(
    server: &MockServer,
    stack: reqwest_middleware::ClientWithMiddleware,
) -> posthog_organizations::client::ClientBuilder {
    Client::builder().base_url(server.uri()).bearer_token(TOKEN).middleware(stack)
}

#[tokio::test]
async fn reqwest_retry_retries_and_the_clients_own_retries_step_aside() {
    use reqwest_retry::RetryTransientMiddleware;
    use reqwest_retry::policies::ExponentialBackoff;
    let server = MockServer::start().await;
    let one = format!("/api/organizations/{ORG}/roles/{ROLE}/");
    mount_503(&server, "GET", &one, 2).await;
    Mock::given(method("GET"))
        .and(path(one.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(seed("Retrieve roles")))
        .expect(1)
        .mount(&server)
        .await;
    let backoff = ExponentialBackoff::builder()
        .retry_bounds(Duration::from_millis(5), Duration::from_millis(20))
        .build_with_max_retries(2);
    let stack = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(RetryTransientMiddleware::new_with_policy(backoff))
        .build();
    let client = with_middleware(&server, stack.clone()).build().expect("client builds");
    assert_seed_role(&ok(&server, bounded(client.roles_retrieve(org(), role())).await).await);
    server.verify().await;

    // Always 503: reqwest-retry gives up after its two retries, and the client does not try
    // again on top (3 requests, not 3 × 4).
    let server = MockServer::start().await;
    mount_503(&server, "GET", &one, 3).await;
    let client = with_middleware(&server, stack.clone()).build().expect("client builds");
    let error = bounded(client.roles_retrieve(org(), role())).await.expect_err("503 after 503");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    server.verify().await;

    // Asked for, the client's retries run around the stack: 2 × 3 requests.
    let server = MockServer::start().await;
    mount_503(&server, "GET", &one, 6).await;
    let client = with_middleware(&server, stack).retry(fast_retries(1)).build().expect("client builds");
    bounded(client.roles_retrieve(org(), role())).await.expect_err("503 after 503");
    server.verify().await;
}

/// Refuses every request, as a failing middleware step would.
struct Broken;

#[derive(Debug, thiserror::Error)]
#[error("the vault is sealed")]
struct Sealed;

#[async_trait::async_trait]
impl reqwest_middleware::Middleware for Broken {
    async fn handle(
        &self,
        _: reqwest::Request,
        _: &mut http::Extensions,
        _: reqwest_middleware::Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        Err(reqwest_middleware::Error::middleware(Sealed))
    }
}

#[tokio::test]
async fn a_failing_middleware_step_is_a_middleware_error_of_the_operation() {
    let server = MockServer::start().await;
    let stack = reqwest_middleware::ClientBuilder::new(reqwest::Client::new()).with(Broken).build();
    let seen = Seen::default();
    let client = with_middleware(&server, stack)
        .hook(Recorder { name: "outer", seen: Arc::clone(&seen) })
        .build()
        .expect("client builds");
    let error = bounded(client.roles_retrieve(org(), role())).await.expect_err("the step fails");
    assert!(matches!(error.kind(), ErrorKind::Middleware(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "roles_retrieve (GET /api/organizations/{organization_id}/roles/{id}/) failed: middleware error: the vault is sealed"
    );
    assert!(!error.is_retryable());
    // Hooks run outside the stack: before it, and after it with its error.
    let phases: Vec<&str> = seen.lock().expect("seen").iter().map(|s| s.1).collect();
    assert_eq!(phases, ["before", "after"]);
    assert!(server.received_requests().await.expect("recording is on").is_empty());
}
