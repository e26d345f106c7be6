//! The crate's client against its own generated server, with a fake of the roles API: what a
//! downstream crate's tests look like when oagen generated only what it uses.

#![expect(
    clippy::disallowed_types,
    reason = "`Hash` is derived to put values in hash sets; nothing here depends on their order"
)]

use std::collections::BTreeSet;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use posthog_roles::User;
use posthog_roles::client::Client;
use posthog_roles::models::{OrgRole, OrgRoleRequest, PaginatedRoleList};
use posthog_roles::operations::{ListRolesQuery, ListRolesResponse, RolesCreateResponse, RolesRetrieveResponse};
use posthog_roles::server::{self, Authenticator, Credential, Principal, Problem, ServerConfig};

const TOKEN: &str = "phx_test";

/// Roles in memory, created by one fixed user.
#[derive(Clone, Default)]
struct Fake(Arc<Mutex<Vec<OrgRole>>>);

fn ada() -> User {
    User {
        id: 1,
        uuid: uuid::Uuid::from_u128(1),
        first_name: "Ada".to_owned(),
        last_name: "Lovelace".to_owned(),
        email: "ada@example.com".to_owned(),
    }
}

impl server::Api for Fake {
    async fn list_roles(
        &self,
        _organization_id: uuid::Uuid,
        query: ListRolesQuery,
        _principal: Principal,
    ) -> Result<ListRolesResponse, Problem> {
        let roles = self.0.lock().expect("roles").clone();
        let limit = usize::try_from(query.limit.unwrap_or(100)).unwrap_or(usize::MAX);
        let count = i64::try_from(roles.len()).unwrap_or(i64::MAX);
        let results = roles.into_iter().take(limit).collect();
        Ok(ListRolesResponse::Ok(PaginatedRoleList { count, next: None, previous: None, results }))
    }

    async fn roles_create(
        &self,
        _organization_id: uuid::Uuid,
        body: OrgRoleRequest,
        _principal: Principal,
    ) -> Result<RolesCreateResponse, Problem> {
        let mut roles = self.0.lock().expect("roles");
        let number = u128::try_from(roles.len()).unwrap_or_default() + 100;
        let role = OrgRole {
            feature_flags_access_level: body.feature_flags_access_level,
            ..OrgRole::new(
                chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
                ada(),
                uuid::Uuid::from_u128(number),
                "false".to_owned(),
                String::new(),
                body.name,
            )
        };
        roles.push(role.clone());
        Ok(RolesCreateResponse::Created(role))
    }

    async fn roles_retrieve(
        &self,
        _organization_id: uuid::Uuid,
        id: uuid::Uuid,
        _principal: Principal,
    ) -> Result<RolesRetrieveResponse, Problem> {
        let roles = self.0.lock().expect("roles");
        let role = roles.iter().find(|r| r.id == id).cloned().ok_or_else(Problem::not_found)?;
        Ok(RolesRetrieveResponse::Ok(role))
    }
}

/// Accepts one token, with the scopes the roles endpoints ask for.
struct OneToken;

impl Authenticator for OneToken {
    async fn authenticate(&self, _scheme: &str, credential: Credential<'_>) -> Option<Principal> {
        let scopes: BTreeSet<String> = ["organization:read", "organization:write"].map(str::to_owned).into();
        (credential == Credential::Bearer(TOKEN)).then(|| Principal { subject: "test".to_owned(), scopes })
    }
}

async fn serve() -> Client {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let address = listener.local_addr().expect("a local address");
    let router = server::router(Fake::default(), OneToken, ServerConfig::default());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Client::builder().base_url(format!("http://{address}")).bearer_token(TOKEN).build().expect("a client")
}

#[tokio::test]
async fn roles_are_created_listed_and_read_back_with_the_crates_own_user() {
    let client = serve().await;
    let org = uuid::Uuid::from_u128(7);
    let created = client
        .roles_create(org, &OrgRoleRequest { name: "Engineers".to_owned(), feature_flags_access_level: None })
        .await
        .expect("201");
    assert_eq!(created.name, "Engineers");
    assert_eq!(created.created_by, ada(), "the crate's own User, decoded from the wire");
    assert_eq!(created.created_by.display_name(), "Ada Lovelace");
    client.roles_create(org, &OrgRoleRequest::new("Designers".to_owned())).await.expect("201");

    let page = client.list_roles(org, &ListRolesQuery { limit: Some(1), offset: None }).await.expect("200");
    assert_eq!((page.count, page.results.len()), (2, 1));
    assert_eq!(client.roles_retrieve(org, created.id).await.expect("200"), created);

    // `Eq` and `Hash` on every model: roles go in sets.
    let all = client.list_roles(org, &ListRolesQuery::default()).await.expect("200").results;
    let set: HashSet<OrgRole> = all.iter().cloned().chain(all.iter().cloned()).collect();
    assert_eq!(set.len(), 2);
}

#[tokio::test]
async fn what_the_fake_does_not_implement_answers_501_and_a_bad_token_401() {
    let client = serve().await;
    let org = uuid::Uuid::from_u128(7);
    let error = client.roles_destroy(org, uuid::Uuid::from_u128(100)).await.expect_err("not implemented");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(501), "{error}");
    let missing = client.roles_retrieve(org, uuid::Uuid::from_u128(999)).await.expect_err("no such role");
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404), "{missing}");

    let stranger = Client::builder().base_url(client.base_url()).bearer_token("phx_wrong").build().expect("a client");
    let refused = stranger.list_roles(org, &ListRolesQuery::default()).await.expect_err("401");
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(401), "{refused}");
}
