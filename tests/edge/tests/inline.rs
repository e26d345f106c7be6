//! `spec/edge/inline.yaml` served by its generated server and called by its generated client:
//! a body of inline schemas three levels deep, array items and inline enums, with the types
//! named after their places, arrives whole; violations deep inside are located exactly.

mod common;

use common::{Log, listen, raw, sorted};
use oagen_edge_goldens::inline::client::{Client, ErrorKind};
use oagen_edge_goldens::inline::models::{
    CreateOrderBody, CreateOrderBodyCustomer, CreateOrderBodyCustomerAddress, CreateOrderBodyCustomerAddressGeo,
    CreateOrderBodyLinesItem, CreateOrderBodyStatus, CreateOrderResponse201, CreateOrderResponse201Status,
};
use oagen_edge_goldens::inline::operations as ops;
use oagen_edge_goldens::inline::server::{self, Authenticator, Credential, Principal, Problem, ServerConfig};
use serde_json::json;

/// Records each order and answers with the number of its lines and its status (`pending`, a
/// value the document does not list, when it has none); an order without lines is not
/// implemented.
#[derive(Clone, Default)]
struct Orders(Log<CreateOrderBody>);

impl server::Api for Orders {
    async fn create_order(&self, body: CreateOrderBody) -> Result<ops::CreateOrderResponse, Problem> {
        self.0.push(body.clone());
        if body.lines.is_empty() {
            return Err(Problem::not_implemented());
        }
        let id = i64::try_from(body.lines.len()).map_err(|_| Problem::new(500, "too many lines"))?;
        let status = body.status.as_ref().map_or("pending", CreateOrderBodyStatus::as_str);
        Ok(ops::CreateOrderResponse::Created(CreateOrderResponse201::new(id, status.into())))
    }
}

struct Nobody;

impl Authenticator for Nobody {
    async fn authenticate(&self, _scheme: &str, _credential: Credential<'_>) -> Option<Principal> {
        None
    }
}

async fn serve() -> (String, Client, Log<CreateOrderBody>) {
    let api = Orders::default();
    let log = api.0.clone();
    let base = listen(server::router(api, Nobody, ServerConfig::default())).await;
    let client = Client::builder().base_url(&base).build().expect("a client");
    (base, client, log)
}

fn line(quantity: i64, sku: &str) -> CreateOrderBodyLinesItem {
    CreateOrderBodyLinesItem::new(quantity, sku.to_owned())
}

#[tokio::test]
async fn a_deep_inline_body_arrives_whole() {
    let (_, client, log) = serve().await;
    let geo = CreateOrderBodyCustomerAddressGeo::new(-33.868_820_1, 151.209_295_5);
    let address =
        CreateOrderBodyCustomerAddress { geo: Some(geo), ..CreateOrderBodyCustomerAddress::new("Sydney".to_owned()) };
    let customer = CreateOrderBodyCustomer { address: Some(address), ..CreateOrderBodyCustomer::new("Ann".to_owned()) };
    let order = CreateOrderBody {
        status: Some(CreateOrderBodyStatus::Placed),
        ..CreateOrderBody::new(customer, vec![line(2, "A-1"), line(0, "B-2"), line(-1, "C-3")])
    };
    let created = client.create_order(&order).await.expect("201");
    assert_eq!(created, CreateOrderResponse201::new(3, CreateOrderResponse201Status::Placed));
    assert_eq!(log.take(), [order]);

    // Optional levels left out stay out; the request's and the response's enums are separate
    // types, and a value the document does not list is kept.
    let order = CreateOrderBody::new(CreateOrderBodyCustomer::new("Bo".to_owned()), vec![line(1, "A-1")]);
    let created = client.create_order(&order).await.expect("201");
    assert_eq!(created.status, CreateOrderResponse201Status::Unknown("pending".to_owned()));
    assert_eq!(log.take(), [order]);
}

#[tokio::test]
async fn violations_deep_inside_are_located() {
    let (base, client, log) = serve().await;
    let body = json!({
        "customer": {"address": {"city": 7, "geo": {"lat": "north"}}},
        "lines": [{"sku": "A", "quantity": 1}, {"sku": "B"}, {"quantity": 1.5, "sku": null}],
        "status": "shipped"
    });
    let expected = [
        "/body/customer/name",
        "/body/customer/address/city",
        "/body/customer/address/geo/lat",
        "/body/customer/address/geo/lng",
        "/body/lines/1/quantity",
        "/body/lines/2/quantity",
        "/body/lines/2/sku",
        "/body/status",
    ];
    let url = || format!("{base}/orders");
    assert_eq!(raw(reqwest::Method::POST, url(), &body.to_string()).await, (400, sorted(&expected)));
    assert_eq!(raw(reqwest::Method::POST, url(), "[]").await, (400, sorted(&["/body"])));
    assert_eq!(raw(reqwest::Method::POST, url(), "{").await, (400, sorted(&["/body"])));
    assert!(log.take().is_empty(), "no handler was reached");

    let empty = CreateOrderBody::new(CreateOrderBodyCustomer::new("Cy".to_owned()), Vec::new());
    let error = client.create_order(&empty).await.expect_err("501");
    assert!(matches!(*error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status == 501), "{error:?}");
}
