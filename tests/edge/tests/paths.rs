//! `spec/edge/paths.yaml` served by its generated server and called by its generated client:
//! arguments in path order, two placeholders in one segment, text around a placeholder, and
//! routes told apart by the text after a placeholder.

use oagen_edge_goldens::paths::client::{Client, ErrorKind};
use oagen_edge_goldens::paths::models::{Echo, GetFileExt};
use oagen_edge_goldens::paths::operations::{self as ops, GetMemberQuery};
use oagen_edge_goldens::paths::server::{self, Authenticator, Credential, Principal, Problem, ServerConfig};

/// Answers each operation with what it was given, in the order the trait passes it.
struct Echoing;

fn echo(operation: &str, values: &[&dyn std::fmt::Display]) -> Echo {
    Echo { operation: operation.to_owned(), values: values.iter().map(|v| v.to_string()).collect() }
}

impl server::Api for Echoing {
    async fn calendar_view(
        &self,
        calendar: String,
        start: chrono::NaiveDate,
        end: chrono::NaiveDate,
    ) -> Result<ops::CalendarViewResponse, Problem> {
        Ok(ops::CalendarViewResponse::Ok(echo("calendar_view", &[&calendar, &start, &end])))
    }

    async fn get_file(&self, name: String, ext: GetFileExt) -> Result<ops::GetFileResponse, Problem> {
        let ext = serde_json::to_value(&ext).map_err(|_| Problem::new(500, "unencodable"))?;
        Ok(ops::GetFileResponse::Ok(echo("get_file", &[&name, &ext])))
    }

    async fn archive_item(&self, id: String) -> Result<ops::ArchiveItemResponse, Problem> {
        Ok(ops::ArchiveItemResponse::Ok(echo("archive_item", &[&id])))
    }

    async fn restore_item(&self, id: String) -> Result<ops::RestoreItemResponse, Problem> {
        Ok(ops::RestoreItemResponse::Ok(echo("restore_item", &[&id])))
    }

    async fn get_member(
        &self,
        org: String,
        team: String,
        id: i64,
        query: GetMemberQuery,
        x_request_tag: Option<String>,
    ) -> Result<ops::GetMemberResponse, Problem> {
        let verbose = format!("{:?}", query.verbose);
        let tag = x_request_tag.unwrap_or_default();
        Ok(ops::GetMemberResponse::Ok(echo("get_member", &[&org, &team, &id, &verbose, &tag])))
    }
}

/// No operation of the document is secured.
struct Nobody;

impl Authenticator for Nobody {
    async fn authenticate(&self, _scheme: &str, _credential: Credential<'_>) -> Option<Principal> {
        None
    }
}

/// The generated server on a free loopback port, and its base URL.
async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let address = listener.local_addr().expect("a local address");
    let router = server::router(Echoing, Nobody, ServerConfig::default());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{address}")
}

fn values(echo: &Echo) -> Vec<&str> {
    echo.values.iter().map(String::as_str).collect()
}

#[tokio::test]
async fn arguments_follow_the_path_on_both_sides() {
    let base = serve().await;
    let client = Client::builder().base_url(&base).build().expect("a client");
    let query = GetMemberQuery { verbose: Some(true) };
    let got = client.get_member("acme", "core", 42, &query, Some("t-1")).await.expect("200");
    assert_eq!(got.operation, "get_member");
    assert_eq!(values(&got), ["acme", "core", "42", "Some(true)", "t-1"]);
}

#[tokio::test]
async fn two_placeholders_in_one_segment_are_split_at_the_text_between_them() {
    let base = serve().await;
    let client = Client::builder().base_url(&base).build().expect("a client");
    let day = |d: &str| d.parse::<chrono::NaiveDate>().expect("a date");
    let got = client.calendar_view("work", day("2026-01-02"), day("2026-02-03")).await.expect("200");
    assert_eq!(values(&got), ["work", "2026-01-02", "2026-02-03"]);

    // Each piece is validated as its own parameter, and every violation is listed.
    let http = reqwest::Client::new();
    let url = format!("{base}/calendars/work/view(start='soon',end='later')");
    let response = http.get(url).send().await.expect("an answer");
    assert_eq!(response.status(), 400);
    let body = response.bytes().await.expect("a body");
    let problem: serde_json::Value = serde_json::from_slice(&body).expect("a problem");
    let pointers: Vec<&str> =
        problem["errors"].as_array().into_iter().flatten().filter_map(|e| e["pointer"].as_str()).collect();
    assert_eq!(pointers, ["/path/start", "/path/end"], "{problem}");

    // A segment that does not fit the template is another path: 404.
    let url = format!("{base}/calendars/work/view(start='2026-01-02')");
    let status = http.get(url).send().await.expect("an answer").status();
    assert_eq!(status, 404);

    // Values are split before they are percent-decoded: a quote inside a value stays in it.
    let got = client.calendar_view("it's, mine", day("2026-01-02"), day("2026-02-03")).await.expect("200");
    assert_eq!(values(&got), ["it's, mine", "2026-01-02", "2026-02-03"]);
}

#[tokio::test]
async fn text_around_a_placeholder_is_not_part_of_its_value() {
    let base = serve().await;
    let client = Client::builder().base_url(&base).build().expect("a client");
    let got = client.get_file("report.final v2", &GetFileExt::Yaml).await.expect("200");
    assert_eq!(values(&got), ["report.final v2", "\"yaml\""]);
    let err = client.get_file("report", &GetFileExt::Unknown("exe".to_owned())).await.expect_err("not in the enum");
    assert!(matches!(*err.kind(), ErrorKind::UnexpectedStatus { status, .. } if status == 400), "{err:?}");
}

#[tokio::test]
async fn routes_that_differ_after_a_placeholder_reach_their_own_operation() {
    let base = serve().await;
    let client = Client::builder().base_url(&base).build().expect("a client");
    assert_eq!(client.archive_item("a1").await.expect("200").operation, "archive_item");
    assert_eq!(client.restore_item("a1").await.expect("200").operation, "restore_item");
    let got = client.restore_item("x:archive").await.expect("200");
    assert_eq!((got.operation.as_str(), values(&got)), ("restore_item", vec!["x:archive"]));
}

#[tokio::test]
async fn path_values_are_percent_decoded_once() {
    let base = serve().await;
    let client = Client::builder().base_url(&base).build().expect("a client");
    // The client writes `%` as `%25`: decoded once, text that looks like an escape stays as sent.
    let got = client.get_file("a%41 100%", &GetFileExt::Json).await.expect("200");
    assert_eq!(values(&got), ["a%41 100%", "\"json\""]);
    let got = client.archive_item("50%2F50").await.expect("200");
    assert_eq!(values(&got), ["50%2F50"]);

    // Bytes that are not UTF-8 once decoded are a violation of that parameter, not an empty value.
    let http = reqwest::Client::new();
    for (method, path, pointer) in [
        (reqwest::Method::GET, "/orgs/%FF/teams/core/members/1", "/path/org"),
        (reqwest::Method::POST, "/items/%C3%28:archive", "/path/id"),
    ] {
        let response = http.request(method, format!("{base}{path}")).send().await.expect("an answer");
        assert_eq!(response.status(), 400, "{path}");
        let problem: serde_json::Value =
            serde_json::from_slice(&response.bytes().await.expect("a body")).expect("a problem");
        assert_eq!(
            problem["errors"],
            serde_json::json!([{"pointer": pointer, "message": "is not UTF-8 once percent-decoded"}]),
            "{path}"
        );
    }
}

/// A layer that stamps `x-layer: <name>` on the responses that passed through it.
fn stamp(name: &'static str) -> impl server::RouteLayer {
    axum::middleware::from_fn(move |request: axum::extract::Request, next: axum::middleware::Next| async move {
        let mut response = next.run(request).await;
        response.headers_mut().append("x-layer", axum::http::HeaderValue::from_static(name));
        response
    })
}

#[tokio::test]
async fn operations_sharing_a_route_and_method_share_their_layers() {
    // `archiveItem` and `restoreItem` are one axum route and method (`POST /items/{id}`, told
    // apart by the text after the placeholder): a layer picked for one wraps both, as documented.
    let config = ServerConfig::default().layer_operation("archiveItem", stamp("archive"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let base = format!("http://{}", listener.local_addr().expect("a local address"));
    let router = server::router(Echoing, Nobody, config);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    let http = reqwest::Client::new();
    for (path, operation) in [("/items/7:archive", "archive_item"), ("/items/7:restore", "restore_item")] {
        let response = http.post(format!("{base}{path}")).send().await.expect("an answer");
        assert_eq!(response.status(), 200, "{path}");
        let stamps: Vec<_> =
            response.headers().get_all("x-layer").iter().map(|v| v.to_str().unwrap_or("?").to_owned()).collect();
        assert_eq!(stamps, ["archive"], "{path}");
        let echo: Echo = serde_json::from_slice(&response.bytes().await.expect("a body")).expect("an echo");
        assert_eq!(echo.operation, operation);
    }
    // Another route's operation is not wrapped.
    let other = http.get(format!("{base}/files/report.pdf")).send().await.expect("an answer");
    assert_eq!(other.headers().get("x-layer"), None);
}
