//! `spec/edge/composition.yaml` served by its generated server and called by its generated
//! client: a merged `allOf`, a discriminated `oneOf` that keeps its variant, untagged unions,
//! maps, open objects and untyped values all cross the wire both ways unchanged.

mod common;

use common::{Log, listen, raw, sorted};
use oagen_edge_goldens::composition::client::{Client, ErrorKind};
use oagen_edge_goldens::composition::models::{
    Cat, Contact, Dog, EmailContact, Envelope, ImplicitObject, Labelled, Merged, Pet, PhoneContact, StringOrInt,
};
use oagen_edge_goldens::composition::operations as ops;
use oagen_edge_goldens::composition::server::{self, Authenticator, Credential, Principal, Problem, ServerConfig};
use serde_json::json;

/// Records each envelope and answers with it; an envelope whose note is `unimplemented` is
/// answered 501.
#[derive(Clone, Default)]
struct Echoing(Log<Envelope>);

impl server::Api for Echoing {
    async fn compose(&self, body: Envelope) -> Result<ops::ComposeResponse, Problem> {
        self.0.push(body.clone());
        if body.merged.note.as_deref() == Some("unimplemented") {
            return Err(Problem::not_implemented());
        }
        Ok(ops::ComposeResponse::Ok(body))
    }
}

struct Nobody;

impl Authenticator for Nobody {
    async fn authenticate(&self, _scheme: &str, _credential: Credential<'_>) -> Option<Principal> {
        None
    }
}

async fn serve() -> (String, Client, Log<Envelope>) {
    let api = Echoing::default();
    let log = api.0.clone();
    let base = listen(server::router(api, Nobody, ServerConfig::default())).await;
    let client = Client::builder().base_url(&base).build().expect("a client");
    (base, client, log)
}

fn merged() -> Merged {
    let at = "2024-02-29T23:59:58.123Z".parse().expect("a date-time");
    Merged { note: Some("n".to_owned()), ..Merged::new(at, -7) }
}

/// Sends `envelope`, checks the handler got it and the client decoded the answer as it.
async fn round_trip(client: &Client, log: &Log<Envelope>, envelope: Envelope) -> Envelope {
    let answer = client.compose(&envelope).await.expect("200");
    assert_eq!(log.take(), std::slice::from_ref(&envelope), "what the handler received");
    assert_eq!(answer, envelope, "what the client decoded");
    answer
}

#[tokio::test]
async fn every_shape_round_trips_through_client_and_server() {
    let (_, client, log) = serve().await;
    let labelled = Labelled {
        name: "l".to_owned(),
        additional_properties: [("color".to_owned(), "red".to_owned()), ("size".to_owned(), "xl".to_owned())].into(),
    };
    let envelope = Envelope {
        anything: Some(json!([1, "two", {"three": null}])),
        contact: Some(Contact::PhoneContact(PhoneContact::new("+1 555".to_owned()))),
        counts: Some([("a".to_owned(), 1), ("b".to_owned(), i64::MIN)].into()),
        freeform: Some([("deep".to_owned(), json!({"x": [true, null]})), ("n".to_owned(), json!(1.5))].into()),
        id_or_name: Some(StringOrInt::Integer(42)),
        implicit: Some(ImplicitObject { flag: Some(false) }),
        inline_any: Some(json!("text")),
        labelled: Some(labelled),
        untyped: Some(json!({"any": "thing"})),
        ..Envelope::new(merged(), Pet::Dog(Dog::new(3, "dog".to_owned())))
    };
    round_trip(&client, &log, envelope).await;

    // The other variant of each union, and an envelope with only its required fields.
    let cat = Pet::Cat(Cat::new("cat".to_owned(), true));
    let envelope = Envelope {
        contact: Some(Contact::EmailContact(EmailContact::new("a@b.c".to_owned()))),
        id_or_name: Some(StringOrInt::String("42".to_owned())),
        ..Envelope::new(merged(), cat.clone())
    };
    round_trip(&client, &log, envelope).await;
    round_trip(&client, &log, Envelope::new(Merged::new(merged().created_at, 0), cat)).await;
}

#[tokio::test]
async fn null_in_an_untyped_field_is_a_value_not_absence() {
    let (_, client, log) = serve().await;
    // `inline_any` is `{}`, `anything` and `untyped` name such schemas: all three hold `null`.
    let envelope = Envelope {
        anything: Some(json!(null)),
        inline_any: Some(json!(null)),
        untyped: Some(json!(null)),
        ..Envelope::new(merged(), Pet::Cat(Cat::new("cat".to_owned(), false)))
    };
    round_trip(&client, &log, envelope).await;
}

#[tokio::test]
async fn the_discriminator_decides_and_an_unlisted_kind_is_refused_by_the_server() {
    let (base, client, log) = serve().await;
    // The client keeps an unknown kind, but the document allows only cats and dogs.
    let bird = Pet::Unknown(json!({"kind": "bird", "sings": true}));
    let error = client.compose(&Envelope::new(merged(), bird)).await.expect_err("not a pet of the document");
    assert!(matches!(*error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status == 400), "{error:?}");
    // A dog with a cat's fields fits Cat's schema, but its tag says dog: refused, not a cat.
    let url = format!("{base}/compose");
    let body =
        json!({"merged": {"id": 1, "created_at": "2020-01-01T00:00:00Z"}, "pet": {"kind": "dog", "meows": true}});
    assert_eq!(raw(reqwest::Method::POST, url, &body.to_string()).await, (400, sorted(&["/body/pet"])));
    assert!(log.take().is_empty(), "no handler was reached");
}

#[tokio::test]
async fn the_server_lists_every_violation() {
    let (base, client, log) = serve().await;
    let body = json!({
        "merged": {"id": "one", "created_at": "yesterday", "note": 5},
        "pet": {"kind": "cat"},
        "id_or_name": 1.5,
        "contact": {"fax": "1"},
        "counts": {"a": 1, "b": "two"},
        "labelled": {"color": 3},
        "implicit": {"flag": "yes"},
        "anything": {"whatever": [1]}
    });
    let got = raw(reqwest::Method::POST, format!("{base}/compose"), &body.to_string()).await;
    let expected = [
        "/body/merged/id",
        "/body/merged/created_at",
        "/body/merged/note",
        "/body/pet",
        "/body/id_or_name",
        "/body/contact",
        "/body/counts/b",
        "/body/labelled/name",
        "/body/labelled/color",
        "/body/implicit/flag",
    ];
    assert_eq!(got, (400, sorted(&expected)));
    let got = raw(reqwest::Method::POST, format!("{base}/compose"), "{}").await;
    assert_eq!(got, (400, sorted(&["/body/merged", "/body/pet"])));
    assert!(log.take().is_empty(), "no handler was reached");

    // A handler's own problem reaches the client as the status it chose.
    let envelope = Envelope {
        merged: Merged { note: Some("unimplemented".to_owned()), ..merged() },
        ..Envelope::new(merged(), Pet::Cat(Cat::new("cat".to_owned(), true)))
    };
    let error = client.compose(&envelope).await.expect_err("501");
    assert!(matches!(*error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status == 501), "{error:?}");
    assert_eq!(log.take().len(), 1);
}
