//! `ensure_roles` against a fake of the PostHog API: an in-memory roles store that writes the
//! three operations the code calls (`testing::FakeApi`; every other operation answers 501),
//! served on 127.0.0.1 by `testing::TestServer`, whose client the code is given. No mock DSL:
//! the fake is typed by the same trait a real server implements.

use std::sync::{Arc, Mutex};

use downstream_testing::ensure_roles;
use posthog_organizations::client::{ErrorKind, RetryPolicy};
use posthog_organizations::models::{PaginatedRoleList, Role, RoleRequest, UserBasic};
use posthog_organizations::operations::{
    RolesCreateResponse, RolesListQuery, RolesListResponse, RolesRetrieveResponse,
};
use posthog_organizations::server::{Principal, Problem};
use posthog_organizations::testing::{CREDENTIAL, FakeApi, TestServer, Unimplemented};

const ORGANIZATION: uuid::Uuid = uuid::Uuid::from_u128(0x0188_e0ae);

/// What the fake holds: its roles, and who created each (the principal's subject).
#[derive(Default)]
struct Store {
    /// Where the fake is served, for the `next` links of its pages.
    base_url: String,
    roles: Vec<Role>,
    creators: Vec<String>,
}

/// The fake: roles in memory, listed two to a page unless the caller asks for a `limit`.
#[derive(Clone, Default)]
struct Roles(Arc<Mutex<Store>>);

impl Roles {
    fn with(names: &[&str]) -> Self {
        let fake = Self::default();
        for name in names {
            fake.add(name);
        }
        fake
    }

    fn add(&self, name: &str) -> Role {
        let mut store = self.0.lock().expect("the store");
        let number = u128::try_from(store.roles.len()).unwrap_or_default() + 1;
        let creator = UserBasic::new("ada@example.com".to_owned(), 1, uuid::Uuid::from_u128(1));
        let created_at = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        let role = Role::new(
            created_at,
            creator,
            uuid::Uuid::from_u128(number),
            "false".to_owned(),
            String::new(),
            name.to_owned(),
        );
        store.roles.push(role.clone());
        role
    }

    fn names(&self) -> Vec<String> {
        self.0.lock().expect("the store").roles.iter().map(|r| r.name.clone()).collect()
    }

    /// Serves the fake and tells it where.
    async fn serve(&self) -> TestServer {
        let server = TestServer::start(self.clone()).await.expect("the fake starts");
        self.0.lock().expect("the store").base_url = server.base_url().to_owned();
        server
    }
}

impl FakeApi for Roles {
    async fn roles_list(
        &self,
        organization_id: uuid::Uuid,
        query: RolesListQuery,
        _principal: Principal,
    ) -> Result<RolesListResponse, Problem> {
        let store = self.0.lock().expect("the store");
        let limit = query.limit.unwrap_or(2).max(1);
        let offset = query.offset.unwrap_or(0);
        let page: Vec<Role> = store
            .roles
            .iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .cloned()
            .collect();
        let count = i64::try_from(store.roles.len()).unwrap_or(i64::MAX);
        let next = (offset + limit < count).then(|| {
            format!(
                "{}/api/organizations/{organization_id}/roles/?limit={limit}&offset={}",
                store.base_url,
                offset + limit
            )
        });
        Ok(RolesListResponse::Ok(PaginatedRoleList { count, next: Some(next), previous: None, results: page }))
    }

    async fn roles_create(
        &self,
        _organization_id: uuid::Uuid,
        body: RoleRequest,
        principal: Principal,
    ) -> Result<RolesCreateResponse, Problem> {
        let role = self.add(&body.name);
        self.0.lock().expect("the store").creators.push(principal.subject);
        Ok(RolesCreateResponse::Created(role))
    }

    async fn roles_retrieve(
        &self,
        _organization_id: uuid::Uuid,
        id: uuid::Uuid,
        _principal: Principal,
    ) -> Result<RolesRetrieveResponse, Problem> {
        let store = self.0.lock().expect("the store");
        let role = store.roles.iter().find(|r| r.id == id).cloned().ok_or_else(Problem::not_found)?;
        Ok(RolesRetrieveResponse::Ok(role))
    }
}

#[tokio::test]
async fn ensure_roles_creates_only_the_missing_ones() {
    // Three roles: two pages of the fake's, so the code's stream follows a `next` link.
    let fake = Roles::with(&["Engineering", "Support", "Sales"]);
    let server = fake.serve().await;
    let client = server.client().expect("a client");

    let created = ensure_roles(&client, ORGANIZATION, &["Support", "Design", "Design", "Legal", "Sales"])
        .await
        .expect("ensure_roles succeeds");

    assert_eq!(created, ["Design", "Legal"]);
    assert_eq!(fake.names(), ["Engineering", "Support", "Sales", "Design", "Legal"]);
    // The test server's authenticator took the client's credential as the caller.
    assert_eq!(fake.0.lock().expect("the store").creators, [CREDENTIAL, CREDENTIAL]);
    // Run again: nothing is missing any more.
    assert_eq!(ensure_roles(&client, ORGANIZATION, &["Design", "Legal"]).await.expect("again"), Vec::<String>::new());
    // What the fake writes besides: a 404 of its own for a role it does not have.
    let missing = client.roles_retrieve(ORGANIZATION, uuid::Uuid::nil()).await.expect_err("no such role");
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));
    server.shutdown().await.expect("the server stops");
}

#[tokio::test]
async fn an_operation_the_fake_does_not_write_answers_501() {
    let fake = Roles::with(&["Engineering"]);
    let server = fake.serve().await;
    let client = server.client().expect("a client");
    let role = client.roles_list(ORGANIZATION, &RolesListQuery::default()).await.expect("listed").results;
    let error = client.roles_destroy(ORGANIZATION, role[0].id).await.expect_err("not written");
    assert!(matches!(error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status.as_u16() == 501), "{error:?}");
    assert_eq!(fake.names(), ["Engineering"], "nothing was deleted");

    // The fake that writes nothing: the code under test sees the 501 as an error.
    let empty = TestServer::start(Unimplemented).await.expect("starts");
    let error = ensure_roles(&empty.client().expect("a client"), ORGANIZATION, &["Design"]).await.expect_err("501");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(501), "{error:?}");
}

#[tokio::test]
async fn after_shutdown_a_call_fails_to_connect() {
    let fake = Roles::with(&["Engineering"]);
    let server = fake.serve().await;
    // No retries: the failed connection is reported at once.
    let client = server.client_builder().retry(RetryPolicy::disabled()).build().expect("a client");
    assert_eq!(ensure_roles(&client, ORGANIZATION, &["Engineering"]).await.expect("served"), Vec::<String>::new());

    server.shutdown().await.expect("the server stops");
    let error = ensure_roles(&client, ORGANIZATION, &["Design"]).await.expect_err("nobody listens");
    assert!(matches!(error.kind(), ErrorKind::Transport(_)), "{error:?}");
    assert_eq!(fake.names(), ["Engineering"]);
}

#[tokio::test]
async fn dropping_the_server_stops_it() {
    let server = Roles::default().serve().await;
    let client = server.client_builder().retry(RetryPolicy::disabled()).build().expect("a client");
    let address = server.address();
    drop(server);
    // The stop is sent on drop and the serving task ends on its own: wait for the port to close.
    let mut closed = false;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(address).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(closed, "{address} still accepts connections");
    assert!(matches!(
        ensure_roles(&client, ORGANIZATION, &["Design"]).await.map_err(|e| e.into_kind()),
        Err(ErrorKind::Transport(_))
    ));
}
