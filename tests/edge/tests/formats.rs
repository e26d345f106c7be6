//! `spec/edge/formats.yaml` served by its generated server and called by its generated client:
//! every format arrives as its Rust type and leaves as the same value (uuid, date-time, date,
//! base64 bytes, both integer widths at their bounds, both float widths), and raw bytes come
//! back untouched.

mod common;

use common::{Log, json_of, listen, raw, send_json, sorted};
use oagen_edge_goldens::formats::client::{Client, ErrorKind};
use oagen_edge_goldens::formats::models::{Mode, Sample};
use oagen_edge_goldens::formats::operations as ops;
use oagen_edge_goldens::formats::runtime::{Base64, Binary};
use oagen_edge_goldens::formats::server::{self, Authenticator, Credential, Principal, Problem, ServerConfig};
use serde_json::json;

/// Records each sample and answers with it; a sample labelled `later` is not implemented.
#[derive(Clone, Default)]
struct Samples(Log<Sample>);

/// Every byte value, twice.
fn all_bytes() -> Vec<u8> {
    (0..512_u16).map(|i| (i % 256) as u8).collect()
}

impl server::Api for Samples {
    async fn download(&self) -> Result<ops::DownloadResponse, Problem> {
        Ok(ops::DownloadResponse::Ok(all_bytes()))
    }

    async fn create_sample(&self, body: Sample) -> Result<ops::CreateSampleResponse, Problem> {
        self.0.push(body.clone());
        if body.label.as_deref() == Some("later") {
            return Err(Problem::not_implemented());
        }
        Ok(ops::CreateSampleResponse::Created(body))
    }
}

struct Nobody;

impl Authenticator for Nobody {
    async fn authenticate(&self, _scheme: &str, _credential: Credential<'_>) -> Option<Principal> {
        None
    }
}

async fn serve() -> (String, Client, Log<Sample>) {
    let api = Samples::default();
    let log = api.0.clone();
    let base = listen(server::router(api, Nobody, ServerConfig::default())).await;
    let client = Client::builder().base_url(&base).build().expect("a client");
    (base, client, log)
}

fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    text.parse().expect("a date-time")
}

fn minimal() -> Sample {
    Sample::new(at("2019-08-24T14:15:22Z"), uuid::Uuid::nil())
}

async fn round_trip(client: &Client, log: &Log<Sample>, sample: Sample) {
    let answer = client.create_sample(&sample).await.expect("201");
    assert_eq!(log.take(), std::slice::from_ref(&sample), "what the handler received");
    assert_eq!(answer, sample, "what the client decoded");
}

#[tokio::test]
async fn every_format_round_trips_at_its_edges() {
    let (_, client, log) = serve().await;
    let full = Sample {
        big: Some(i64::MAX),
        birthday: Some("2024-02-29".parse().expect("a leap day")),
        blob: Some(Base64(all_bytes())),
        email: Some("a.b+c@example.org".to_owned()),
        enabled: Some(false),
        file: Some(Binary(b"plain text, \xc3\xa9".to_vec())),
        homepage: Some("https://example.org/a?b=c#d".to_owned()),
        label: Some("fast".to_owned()),
        mode: Some(Mode::Slow),
        page_size: Some(i32::MAX),
        plain_int: Some(i64::MIN),
        plain_number: Some(-0.0),
        precise: Some(0.1 + 0.2),
        ratio: Some(0.1_f32),
        scale: Some(f64::MAX),
        small: Some(i32::MIN),
        tags: Some(Vec::new()),
        timestamps: Some(vec![at("1970-01-01T00:00:00Z"), at("2262-04-11T23:47:16.854775807Z")]),
        ..Sample::new(
            at("2019-08-24T14:15:22.123456789Z"),
            "497f6eca-6276-4993-bfeb-53cbbbba6f08".parse().expect("a uuid"),
        )
    };
    round_trip(&client, &log, full).await;
    let tiny = Sample {
        big: Some(i64::MIN),
        page_size: Some(i32::MIN),
        small: Some(i32::MAX),
        precise: Some(f64::MIN_POSITIVE),
        plain_number: Some(1e-300),
        ratio: Some(f32::MAX),
        scale: Some(5e-324),
        birthday: Some("0001-01-01".parse().expect("a date")),
        blob: Some(Base64(Vec::new())),
        ..Sample::new(at("9999-12-31T23:59:59.999Z"), uuid::Uuid::max())
    };
    round_trip(&client, &log, tiny).await;
    // Only what was set travels: defaults are the server's business, not filled in on the way.
    round_trip(&client, &log, minimal()).await;
}

#[tokio::test]
async fn other_spellings_of_a_value_reach_the_handler_as_that_value() {
    let (base, _, log) = serve().await;
    let body = json!({
        "id": "497F6ECA-6276-4993-BFEB-53CBBBBA6F08",
        "created_at": "2019-08-24T16:15:22+02:00",
        "blob": "aGVsbG8",
        "big": 9007199254740993_i64,
    });
    let response = send_json(reqwest::Method::POST, format!("{base}/samples"), &body).await;
    assert_eq!(response.status(), 201);
    let got = log.take();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].id.to_string(), "497f6eca-6276-4993-bfeb-53cbbbba6f08");
    assert_eq!(got[0].created_at, at("2019-08-24T14:15:22Z"));
    assert_eq!(got[0].blob, Some(Base64(b"hello".to_vec())), "unpadded base64 is read too");
    assert_eq!(got[0].big, Some(9_007_199_254_740_993), "beyond f64's exact integers");
    let answer = json_of(response).await;
    assert_eq!(answer["big"], json!(9007199254740993_i64));
    assert_eq!(answer["blob"], "aGVsbG8=");
}

#[tokio::test]
async fn raw_bytes_come_back_as_they_were() {
    let (_, client, _) = serve().await;
    assert_eq!(client.download().await.expect("200"), all_bytes());
}

#[tokio::test]
async fn the_server_refuses_values_outside_their_format() {
    let (base, client, log) = serve().await;
    let body = json!({
        "id": "497f6eca-6276-4993-bfeb",
        "created_at": "2019-08-24 14:15:22",
        "birthday": "2023-02-29",
        "small": 2147483648_i64,
        "page_size": -2147483649_i64,
        "big": 9223372036854775808_u64,
        "plain_int": 1.5,
        "ratio": "0.5",
        "email": "nobody",
        "homepage": "not a uri",
        "mode": "medium",
        "enabled": "true",
        "tags": [1],
        "timestamps": ["2019-08-24T14:15:22Z", "later"],
    });
    let expected = [
        "/body/id",
        "/body/created_at",
        "/body/birthday",
        "/body/small",
        "/body/page_size",
        "/body/big",
        "/body/plain_int",
        "/body/ratio",
        "/body/email",
        "/body/homepage",
        "/body/mode",
        "/body/enabled",
        "/body/tags/0",
        "/body/timestamps/1",
    ];
    let url = || format!("{base}/samples");
    assert_eq!(raw(reqwest::Method::POST, url(), &body.to_string()).await, (400, sorted(&expected)));
    // Base64 that is not base64 is found while decoding, at its field.
    let body = json!({"id": uuid::Uuid::nil(), "created_at": "2019-08-24T14:15:22Z", "blob": "***"});
    assert_eq!(raw(reqwest::Method::POST, url(), &body.to_string()).await, (400, sorted(&["/body/blob"])));
    assert!(log.take().is_empty(), "no handler was reached");

    let later = Sample { label: Some("later".to_owned()), ..minimal() };
    let error = client.create_sample(&later).await.expect_err("501");
    assert!(matches!(*error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status == 501), "{error:?}");
}
