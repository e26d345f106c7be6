//! `spec/edge/optional_nullable.yaml` served by its generated server and called by its
//! generated client: the four combinations of required and nullable keep absent, `null` and a
//! value apart over the wire, in the body the client sends and in the one it reads back.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use common::{get_json, listen, raw, send_json, sorted};
use oagen_edge_goldens::optional_nullable::client::{Client, ErrorKind};
use oagen_edge_goldens::optional_nullable::models::Profile;
use oagen_edge_goldens::optional_nullable::operations as ops;
use oagen_edge_goldens::optional_nullable::server::{
    self, Authenticator, Credential, Principal, Problem, ServerConfig,
};
use serde_json::json;

/// Stores each patched profile under its id and answers it; a profile never patched is not
/// found, and id 0 is not implemented.
#[derive(Clone, Default)]
struct Profiles(Arc<Mutex<BTreeMap<i64, Profile>>>);

impl server::Api for Profiles {
    async fn get_profile(&self, id: i64) -> Result<ops::GetProfileResponse, Problem> {
        let found = self.0.lock().expect("store").get(&id).cloned();
        found.map(ops::GetProfileResponse::Ok).ok_or_else(Problem::not_found)
    }

    async fn patch_profile(&self, id: i64, body: Profile) -> Result<ops::PatchProfileResponse, Problem> {
        if id == 0 {
            return Err(Problem::not_implemented());
        }
        self.0.lock().expect("store").insert(id, body.clone());
        Ok(ops::PatchProfileResponse::Ok(body))
    }
}

struct Nobody;

impl Authenticator for Nobody {
    async fn authenticate(&self, _scheme: &str, _credential: Credential<'_>) -> Option<Principal> {
        None
    }
}

async fn serve() -> (String, Client, Profiles) {
    let api = Profiles::default();
    let base = listen(server::router(api.clone(), Nobody, ServerConfig::default())).await;
    let client = Client::builder().base_url(&base).build().expect("a client");
    (base, client, api)
}

fn profile(
    required_nullable: Option<&str>,
    optional_plain: Option<&str>,
    optional_nullable: Option<Option<&str>>,
) -> Profile {
    Profile {
        required_nullable: required_nullable.map(str::to_owned),
        optional_plain: optional_plain.map(str::to_owned),
        optional_nullable: optional_nullable.map(|o| o.map(str::to_owned)),
        ..Profile::new("plain".to_owned())
    }
}

#[tokio::test]
async fn absent_null_and_a_value_stay_apart_both_ways() {
    let (base, client, store) = serve().await;
    // Each case: the profile and the JSON object the server must store and send back.
    let cases = [
        (profile(None, None, None), json!({"required_plain": "plain", "required_nullable": null})),
        (
            profile(Some("rn"), Some("op"), Some(None)),
            json!({"required_plain": "plain", "required_nullable": "rn", "optional_plain": "op", "optional_nullable": null}),
        ),
        (
            profile(None, None, Some(Some("on"))),
            json!({"required_plain": "plain", "required_nullable": null, "optional_nullable": "on"}),
        ),
        (
            profile(Some(""), Some(""), Some(Some(""))),
            json!({"required_plain": "plain", "required_nullable": "", "optional_plain": "", "optional_nullable": ""}),
        ),
    ];
    for (id, (sent, wire)) in (i64::MAX - 3..=i64::MAX).zip(cases) {
        let answer = client.patch_profile(id, &sent).await.expect("200");
        assert_eq!(store.0.lock().expect("store").get(&id), Some(&sent), "what the handler received");
        assert_eq!(answer, sent, "what the client decoded");
        assert_eq!(client.get_profile(id).await.expect("200"), sent);
        let got: serde_json::Value = get_json(format!("{base}/profiles/{id}")).await;
        assert_eq!(got, wire, "the wire of {sent:?}");
    }
    let error = client.get_profile(i64::MIN).await.expect_err("never patched");
    assert!(matches!(*error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status == 404), "{error:?}");
}

#[tokio::test]
async fn an_explicit_null_reaches_the_handler_as_null() {
    let (base, _, store) = serve().await;
    let url = |id: i64| format!("{base}/profiles/{id}");
    let send =
        |id: i64, body: serde_json::Value| async move { send_json(reqwest::Method::PATCH, url(id), &body).await };
    let response = send(1, json!({"required_plain": "p", "required_nullable": null, "optional_nullable": null}));
    assert_eq!(response.await.status(), 200);
    let response = send(2, json!({"required_plain": "p", "required_nullable": null}));
    assert_eq!(response.await.status(), 200);
    let store = store.0.lock().expect("store");
    assert_eq!(store.get(&1).map(|p| &p.optional_nullable), Some(&Some(None)));
    assert_eq!(store.get(&2).map(|p| &p.optional_nullable), Some(&None));
}

#[tokio::test]
async fn the_server_holds_the_document_to_each_combination() {
    let (base, client, store) = serve().await;
    let url = |id: &str| format!("{base}/profiles/{id}");
    // `null` is no value for a field that is not nullable, and a required nullable field must
    // still be there.
    let body = json!({"required_plain": null, "optional_plain": null, "optional_nullable": 1});
    assert_eq!(
        raw(reqwest::Method::PATCH, url("x"), &body.to_string()).await,
        (
            400,
            sorted(&[
                "/path/id",
                "/body/required_plain",
                "/body/required_nullable",
                "/body/optional_plain",
                "/body/optional_nullable"
            ])
        )
    );
    let body = json!({"required_plain": "p", "required_nullable": false});
    assert_eq!(
        raw(reqwest::Method::PATCH, url("1"), &body.to_string()).await,
        (400, sorted(&["/body/required_nullable"]))
    );
    assert_eq!(raw(reqwest::Method::GET, url("9223372036854775808"), "").await, (400, sorted(&["/path/id"])));
    assert!(store.0.lock().expect("store").is_empty(), "no handler stored anything");

    let error = client.patch_profile(0, &profile(None, None, None)).await.expect_err("501");
    assert!(matches!(*error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status == 501), "{error:?}");
}
