//! `spec/edge/configured.yaml`, generated with `spec/edge/configured.toml`, served by its
//! generated server and called by its generated client: the hand-written `Owner` and `Decimal`
//! travel in place of generated types, renamed types, fields, variants and methods keep their
//! wire names, configured derives and attributes are there, and the excluded tag's operation and
//! schema are not (the goldens test reads their absence from the text).

#![expect(
    clippy::disallowed_types,
    reason = "`Hash` is derived to put values in hash sets; nothing here depends on their order"
)]

mod common;

use std::collections::HashSet;

use common::{Log, get_json, listen, raw, send_json, sorted};
use oagen_edge_goldens::configured::client::{Client, ErrorKind};
use oagen_edge_goldens::configured::models::{Ledger, Tier};
use oagen_edge_goldens::configured::operations as ops;
use oagen_edge_goldens::configured::server::{self, Authenticator, Credential, Principal, Problem, ServerConfig};
use oagen_edge_goldens::configured_types::{Decimal, Owner};
use serde_json::json;

/// Keeps accounts in memory.
#[derive(Clone, Default)]
struct Accounts(Log<Ledger>);

impl server::Api for Accounts {
    async fn list_accounts(&self, query: ops::ListAccountsQuery) -> Result<ops::ListAccountsResponse, Problem> {
        let all = self.0.take();
        for account in &all {
            self.0.push(account.clone());
        }
        let rich = all.into_iter().filter(|a| query.min_balance.is_none_or(|min| a.balance >= min)).collect();
        Ok(ops::ListAccountsResponse::Ok(rich))
    }

    async fn create_account(&self, body: Ledger) -> Result<ops::CreateAccountResponse, Problem> {
        self.0.push(body.clone());
        Ok(ops::CreateAccountResponse::Created(body))
    }

    async fn fetch_account(&self, id: String) -> Result<ops::FetchAccountResponse, Problem> {
        let all = self.0.take();
        let found = all.iter().find(|a| a.id == id).cloned();
        for account in all {
            self.0.push(account);
        }
        Ok(found.map_or(ops::FetchAccountResponse::NotFound, ops::FetchAccountResponse::Ok))
    }
}

struct Nobody;

impl Authenticator for Nobody {
    async fn authenticate(&self, _scheme: &str, _credential: Credential<'_>) -> Option<Principal> {
        None
    }
}

async fn serve() -> (String, Client) {
    let base = listen(server::router(Accounts::default(), Nobody, ServerConfig::default())).await;
    let client = Client::builder().base_url(&base).build().expect("a client");
    (base, client)
}

fn account(id: &str, cents: i64, tier: Tier) -> Ledger {
    let owner = Owner { id: 7, email: "ada@example.com".to_owned() };
    Ledger {
        label: Some("Savings".to_owned()),
        previous_balances: Some(vec![Decimal { cents: -5 }, Decimal { cents: 100 }]),
        ..Ledger::new(Decimal { cents }, id.to_owned(), owner, tier)
    }
}

#[tokio::test]
async fn replaced_types_round_trip_through_client_and_server() {
    let (base, client) = serve().await;
    let sent = account("a1", 1234, Tier::Enterprise);
    let created = client.create_account(&sent).await.expect("201");
    assert_eq!(created, sent);
    assert_eq!(created.owner.mailbox(), "ada", "the project's own type, with its own methods");
    assert_eq!(client.fetch_account("a1").await.expect("200"), sent);
    let missing = client.fetch_account("nope").await.expect_err("404");
    assert!(
        matches!(*missing.kind(), ErrorKind::Documented { .. }) && missing.status().map(|s| s.as_u16()) == Some(404)
    );
    // On the wire: the decimal as the replacement writes it, the wire names of renamed fields
    // and variants.
    // A format's type in a query parameter, written and read by its own serde.
    client.create_account(&account("a2", 5, Tier::Free)).await.expect("201");
    let query = ops::ListAccountsQuery { min_balance: Some(Decimal { cents: 1000 }) };
    let rich: Vec<String> = client.list_accounts(&query).await.expect("200").into_iter().map(|a| a.id).collect();
    assert_eq!(rich, ["a1"]);
    let wire = get_json(format!("{base}/accounts?min_balance=10.00")).await;
    let expected = json!([{
        "id": "a1",
        "owner": {"id": 7, "email": "ada@example.com"},
        "balance": "12.34",
        "tier": "enterprise-plus",
        "display_name": "Savings",
        "previous_balances": ["-0.05", "1.00"],
    }]);
    assert_eq!(wire, expected);
}

#[tokio::test]
async fn a_value_the_replacement_refuses_is_a_bad_request_at_its_pointer() {
    let (base, _) = serve().await;
    let body = r#"{"id": "", "owner": {"id": 1, "email": "x@y.z"}, "balance": "12.3", "tier": "pro"}"#;
    // `id` breaks the document's own constraint; `balance` is refused by `Decimal` itself.
    let (status, pointers) = raw(reqwest::Method::POST, format!("{base}/accounts"), body).await;
    assert_eq!((status, pointers), (400, sorted(&["/body/id"])), "schema violations are found before decoding");
    let body = json!({"id": "b", "owner": {"id": 1, "email": "x@y.z"}, "balance": "12.3", "tier": "pro"});
    let response = send_json(reqwest::Method::POST, format!("{base}/accounts"), &body).await;
    let (status, pointers) = common::problem(response).await;
    assert_eq!((status, pointers), (400, sorted(&["/body/balance"])));
    // What the document says of the wire form still holds (maxLength 12), and a query value
    // the type refuses is located too.
    let body = json!({"id": "c", "owner": {"id": 1, "email": "x@y.z"}, "balance": "1234567890.00", "tier": "pro"});
    let response = send_json(reqwest::Method::POST, format!("{base}/accounts"), &body).await;
    assert_eq!(common::problem(response).await, (400, sorted(&["/body/balance"])));
    let response = reqwest::get(format!("{base}/accounts?min_balance=lots")).await.expect("an answer");
    assert_eq!(common::problem(response).await, (400, sorted(&["/query/min_balance"])));
}

#[test]
fn configured_derives_and_attributes_are_there() {
    // `[models] derive = ["Eq", "Hash"]`, and `PartialOrd` on the account: usable as set members
    // and compared.
    let mut seen = HashSet::new();
    assert!(seen.insert(account("a", 1, Tier::Pro)));
    assert!(!seen.insert(account("a", 1, Tier::Pro)));
    assert!(account("a", 1, Tier::Free) < account("b", 1, Tier::Free));
    // `#[non_exhaustive]` on `Tier`: matches outside the crate need a wildcard.
    let name = match Tier::Enterprise {
        Tier::Free => "free",
        Tier::Pro => "pro",
        Tier::Enterprise => "enterprise",
        _ => "other",
    };
    assert_eq!(name, "enterprise");
}
