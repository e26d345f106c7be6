//! Property tests (proptest) of the committed PostHog crate, with values drawn from the schemas
//! of `spec/posthog-organizations.yaml` itself (`schemas/mod.rs`):
//! - every body that satisfies its operation's schema is accepted by the generated server's
//!   validation (the example server on 127.0.0.1), for each of the 20 operations with a body;
//! - a body with one constraint broken is refused with 400 and exactly that constraint's
//!   pointer;
//! - every model decodes a valid value, and what it encodes decodes to an equal value (what the
//!   server sends, the client reads as sent);
//! - roles and proxy records round-trip through the generated client and server.
//!
//! Fixed seeds (`OAGEN_PROPTEST_SEED` changes them) and a bounded number of cases, so CI runs the
//! same cases each time; `OAGEN_PROPTEST_CASES` asks for more.

#[path = "../../generated/examples/server/app.rs"]
mod app;
mod schemas;

use std::collections::{BTreeMap, BTreeSet};

use posthog_organizations::client::Client;
use posthog_organizations::models::*;
use posthog_organizations::server::{self, ServerConfig};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use schemas::Side;
use serde_json::Value;

fn document() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/posthog-organizations.yaml");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_yaml::from_str(&text).expect("the spec is YAML")
}

fn schema(name: &str) -> Value {
    serde_json::json!({"$ref": format!("#/components/schemas/{name}")})
}

/// A runner with a fixed seed per property, so a CI failure can be replayed.
fn runner(name: &str, cases: u32) -> TestRunner {
    let cases = std::env::var("OAGEN_PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(cases);
    let seed: u64 = std::env::var("OAGEN_PROPTEST_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut bytes = [0u8; 32];
    for (i, b) in name.bytes().chain(seed.to_le_bytes()).enumerate() {
        bytes[i % 32] ^= b.rotate_left(i as u32 % 8);
    }
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

/// The example server with one of everything to address: its base URL and the path of each
/// operation with a body, ids filled in.
struct Running {
    base: String,
    client: Client,
    http: reqwest::Client,
    org: uuid::Uuid,
    operations: Vec<(reqwest::Method, String, &'static str)>,
    runtime: tokio::runtime::Runtime,
}

const TOKEN: &str = "phx_properties";

fn start() -> Running {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("a runtime");
    let (base, org, store) = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let store = app::InMemory::new(base.clone());
        let org = store.default_organization();
        let scopes: BTreeSet<String> = app::ALL_SCOPES.iter().map(|s| (*s).to_owned()).collect();
        let auth = app::TokenAuth::new(BTreeMap::from([(TOKEN.to_owned(), scopes)]));
        let router = server::router(store.clone(), auth, ServerConfig::default());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        (base, org, store)
    });
    let client = Client::builder().base_url(&base).bearer_token(TOKEN).build().expect("client");
    let member = store.add_member(org, "member@example.com", OrganizationMembershipLevel::Member).expect("a member");
    let (role, domain, record) = runtime.block_on(async {
        let role = client.roles_create(org, &RoleRequest::new("fixture".to_owned())).await.expect("a role");
        let domain = client
            .domains_create(org, &OrganizationDomainRequest::new("fixture.example".to_owned()))
            .await
            .expect("a domain");
        let record = client
            .proxy_records_create(&org.to_string(), &ProxyRecordRequest::new("proxy.fixture.example".to_owned()))
            .await
            .expect("a proxy record");
        (role.id, domain.id, record.id)
    });
    let at = |path: &str| {
        path.replace("{organization_id}", &org.to_string())
            .replace("{role_id}", &role.to_string())
            .replace("{user__uuid}", &member.uuid.to_string())
    };
    use reqwest::Method as M;
    let operations = vec![
        (M::POST, "/api/organizations/".to_owned(), "Organization"),
        (M::PUT, at("/api/organizations/{organization_id}/"), "Organization"),
        (M::PATCH, at("/api/organizations/{organization_id}/"), "PatchedOrganization"),
        (M::POST, at("/api/organizations/{organization_id}/domains/"), "OrganizationDomain"),
        (M::PUT, at(&format!("/api/organizations/{{organization_id}}/domains/{domain}/")), "OrganizationDomain"),
        (
            M::PATCH,
            at(&format!("/api/organizations/{{organization_id}}/domains/{domain}/")),
            "PatchedOrganizationDomain",
        ),
        (
            M::POST,
            at(&format!("/api/organizations/{{organization_id}}/domains/{domain}/scim/token/")),
            "OrganizationDomain",
        ),
        (
            M::POST,
            at(&format!("/api/organizations/{{organization_id}}/domains/{domain}/verify/")),
            "OrganizationDomain",
        ),
        (M::POST, at("/api/organizations/{organization_id}/invites/"), "OrganizationInvite"),
        (M::POST, at("/api/organizations/{organization_id}/invites/bulk/"), "OrganizationInvite"),
        (M::PUT, at("/api/organizations/{organization_id}/members/{user__uuid}/"), "OrganizationMember"),
        (M::PATCH, at("/api/organizations/{organization_id}/members/{user__uuid}/"), "PatchedOrganizationMember"),
        (M::POST, at("/api/organizations/{organization_id}/proxy_records/"), "ProxyRecord"),
        (M::PUT, at(&format!("/api/organizations/{{organization_id}}/proxy_records/{record}/")), "ProxyRecord"),
        (
            M::PATCH,
            at(&format!("/api/organizations/{{organization_id}}/proxy_records/{record}/")),
            "PatchedProxyRecord",
        ),
        (M::POST, at(&format!("/api/organizations/{{organization_id}}/proxy_records/{record}/retry/")), "ProxyRecord"),
        (M::POST, at("/api/organizations/{organization_id}/roles/"), "Role"),
        (M::PUT, at(&format!("/api/organizations/{{organization_id}}/roles/{role}/")), "Role"),
        (M::PATCH, at(&format!("/api/organizations/{{organization_id}}/roles/{role}/")), "PatchedRole"),
        (M::POST, at("/api/organizations/{organization_id}/roles/{role_id}/role_memberships/"), "RoleMembership"),
    ];
    let http = reqwest::Client::new();
    Running { base, client, http, org, operations, runtime }
}

impl Running {
    /// Sends `body` as JSON: the status and the distinct pointers of the problem's errors.
    fn send(&self, method: &reqwest::Method, path: &str, body: &Value) -> (u16, BTreeSet<String>, String) {
        self.runtime.block_on(async {
            let response = self
                .http
                .request(method.clone(), format!("{}{path}", self.base))
                .bearer_auth(TOKEN)
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await
                .expect("sent");
            let status = response.status().as_u16();
            let text = response.text().await.unwrap_or_default();
            let problem: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            let pointers = problem["errors"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e["pointer"].as_str().map(str::to_owned))
                .collect();
            (status, pointers, text)
        })
    }
}

#[test]
fn bodies_that_satisfy_the_schema_are_accepted() {
    let doc = document();
    let running = start();
    for (method, path, name) in &running.operations {
        let strategy = schemas::values(&doc, &schema(name), Side::Request);
        runner(&format!("accepted {method} {path}"), 64)
            .run(&strategy, |body| {
                let (status, pointers, text) = running.send(method, path, &body);
                // 404 and 409 are the store's answers (a duplicate name, an unknown user); what
                // validation refuses is a 400, and nothing may be a 5XX.
                prop_assert!(
                    status != 400 && status < 500,
                    "{method} {path} ({name}) refused a valid body with {status} {pointers:?}: {text}\nbody: {body}"
                );
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn a_broken_constraint_is_refused_at_its_pointer() {
    let doc = document();
    let running = start();
    for (method, path, name) in &running.operations {
        let strategy = (schemas::values(&doc, &schema(name), Side::Request), any::<proptest::sample::Index>())
            .prop_filter_map("a value with something to break", |(valid, pick)| {
                let options = schemas::breakages(&doc, &schema(name), &valid);
                (!options.is_empty()).then(|| options[pick.index(options.len())].clone())
            });
        runner(&format!("refused {method} {path}"), 96)
            .run(&strategy, |broken| {
                let (status, pointers, text) = running.send(method, path, &broken.value);
                let expected = BTreeSet::from([format!("/body{}", broken.pointer)]);
                prop_assert_eq!(
                    (status, &pointers),
                    (400, &expected),
                    "{} {} ({}): {} at {:?}: {}\nbody: {}",
                    method,
                    path,
                    name,
                    broken.what,
                    broken.pointer,
                    text,
                    broken.value
                );
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

/// A model decoded from a valid value, encoded and decoded again, is equal to itself: what one
/// side sends, the other reads as the same value. (Equal as Rust values: the JSON may be
/// respelled, as `""` for a blank choice comes back as `null`, both meaning "no choice".)
fn round_trips<T>(doc: &Value, name: &str, side: Side)
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    let strategy = schemas::values(doc, &schema(name), side);
    let type_name = std::any::type_name::<T>();
    runner(&format!("serde {type_name}"), 128)
        .run(&strategy, |value| {
            let decoded: T = serde_json::from_value(value.clone())
                .map_err(|e| TestCaseError::fail(format!("{type_name} does not decode {value}: {e}")))?;
            let encoded = serde_json::to_value(&decoded).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let again: T = serde_json::from_value(encoded.clone())
                .map_err(|e| TestCaseError::fail(format!("{type_name} does not decode its own {encoded}: {e}")))?;
            prop_assert_eq!(&again, &decoded, "{} changed on the way through {}", type_name, encoded);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn models_encode_what_they_decode() {
    let doc = document();
    // Responses: every property but writeOnly ones.
    round_trips::<Organization>(&doc, "Organization", Side::Response);
    round_trips::<OrganizationDomain>(&doc, "OrganizationDomain", Side::Response);
    round_trips::<OrganizationInvite>(&doc, "OrganizationInvite", Side::Response);
    round_trips::<OrganizationMember>(&doc, "OrganizationMember", Side::Response);
    round_trips::<ProxyRecord>(&doc, "ProxyRecord", Side::Response);
    round_trips::<Role>(&doc, "Role", Side::Response);
    round_trips::<RoleMembership>(&doc, "RoleMembership", Side::Response);
    round_trips::<UserBasic>(&doc, "UserBasic", Side::Response);
    round_trips::<PaginatedRoleList>(&doc, "PaginatedRoleList", Side::Response);
    round_trips::<PaginatedOrganizationMemberList>(&doc, "PaginatedOrganizationMemberList", Side::Response);
    round_trips::<PaginatedProxyRecordList>(&doc, "PaginatedProxyRecordList", Side::Response);
    // Requests: every property but readOnly ones.
    round_trips::<OrganizationRequest>(&doc, "Organization", Side::Request);
    round_trips::<OrganizationDomainRequest>(&doc, "OrganizationDomain", Side::Request);
    round_trips::<OrganizationInviteRequest>(&doc, "OrganizationInvite", Side::Request);
    round_trips::<OrganizationMemberRequest>(&doc, "OrganizationMember", Side::Request);
    round_trips::<ProxyRecordRequest>(&doc, "ProxyRecord", Side::Request);
    round_trips::<RoleRequest>(&doc, "Role", Side::Request);
    round_trips::<RoleMembershipRequest>(&doc, "RoleMembership", Side::Request);
    round_trips::<PatchedOrganization>(&doc, "PatchedOrganization", Side::Request);
    round_trips::<PatchedOrganizationDomain>(&doc, "PatchedOrganizationDomain", Side::Request);
    round_trips::<PatchedOrganizationMember>(&doc, "PatchedOrganizationMember", Side::Request);
    round_trips::<PatchedProxyRecord>(&doc, "PatchedProxyRecord", Side::Request);
    round_trips::<PatchedRole>(&doc, "PatchedRole", Side::Request);
}

#[test]
fn roles_and_proxy_records_round_trip_through_client_and_server() {
    let doc = document();
    let running = start();
    let (client, org) = (&running.client, running.org);
    let roles = schemas::values(&doc, &schema("Role"), Side::Request);
    runner("client roles", 64)
        .run(&roles, |value| {
            let request: RoleRequest = serde_json::from_value(value).map_err(|e| TestCaseError::fail(e.to_string()))?;
            running.runtime.block_on(async {
                let created =
                    client.roles_create(org, &request).await.map_err(|e| TestCaseError::fail(format!("{e}")))?;
                prop_assert_eq!(&created.name, &request.name);
                if request.feature_flags_access_level.is_some() {
                    prop_assert_eq!(&created.feature_flags_access_level, &request.feature_flags_access_level);
                }
                let read =
                    client.roles_retrieve(org, created.id).await.map_err(|e| TestCaseError::fail(format!("{e}")))?;
                prop_assert_eq!(&read, &created);
                client.roles_destroy(org, created.id).await.map_err(|e| TestCaseError::fail(format!("{e}")))?;
                Ok(())
            })
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let records = schemas::values(&doc, &schema("ProxyRecord"), Side::Request);
    runner("client proxy records", 64)
        .run(&records, |value| {
            let request: ProxyRecordRequest =
                serde_json::from_value(value).map_err(|e| TestCaseError::fail(e.to_string()))?;
            running.runtime.block_on(async {
                let org = org.to_string();
                let created = client
                    .proxy_records_create(&org, &request)
                    .await
                    .map_err(|e| TestCaseError::fail(format!("{e}")))?;
                prop_assert_eq!(&created.domain, &request.domain);
                let read = client
                    .proxy_records_retrieve(&org, &created.id.to_string())
                    .await
                    .map_err(|e| TestCaseError::fail(format!("{e}")))?;
                prop_assert_eq!(&read, &created);
                client
                    .proxy_records_destroy(&org, &created.id.to_string())
                    .await
                    .map_err(|e| TestCaseError::fail(format!("{e}")))?;
                Ok(())
            })
        })
        .unwrap_or_else(|e| panic!("{e}"));
}
