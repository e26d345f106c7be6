//! `spec/edge/encodings.yaml`: every parameter style and body encoding, twice. The generated
//! client against a recording server shows the exact wire the client writes (what OpenAPI says
//! each style looks like); the generated client against the generated server shows the server
//! reads that wire back to the same values.

use std::sync::{Arc, Mutex};

use oagen_edge_goldens::encodings::client::{Client, ErrorKind};
use oagen_edge_goldens::encodings::models::{Count, Received, SearchFilter, Signup, Upload, UploadMeta};
use oagen_edge_goldens::encodings::operations::{self as ops, SearchQuery};
use oagen_edge_goldens::encodings::server::{self, Authenticator, Credential, Principal, Problem, ServerConfig};

/// Answers each operation with what it read.
struct Echoing;

impl server::Api for Echoing {
    async fn put_bytes(&self, body: Vec<u8>) -> Result<ops::PutBytesResponse, Problem> {
        let bytes = i64::try_from(body.len()).map_err(|_| Problem::new(500, "too long"))?;
        // The bytes themselves must arrive as sent, not re-encoded.
        if body.iter().enumerate().any(|(i, b)| usize::from(*b) != i % 256) {
            return Err(Problem::new(422, "bytes changed on the way"));
        }
        Ok(ops::PutBytesResponse::Ok(Count { bytes }))
    }

    async fn submit_form(&self, body: Signup) -> Result<ops::SubmitFormResponse, Problem> {
        Ok(ops::SubmitFormResponse::Ok(body))
    }

    async fn search(
        &self,
        query: SearchQuery,
        x_trace: Option<String>,
        x_ids: Option<Vec<i64>>,
        x_limit: Option<i64>,
        lang: Option<String>,
        visits: Option<i64>,
    ) -> Result<ops::SearchResponse, Problem> {
        let filter = query.filter.unwrap_or_default();
        Ok(ops::SearchResponse::Ok(Received {
            tags: query.tags.unwrap_or_default(),
            ids: query.ids.unwrap_or_default(),
            words: query.words.unwrap_or_default(),
            codes: query.codes.unwrap_or_default(),
            filter_name: filter.name,
            filter_min: filter.min,
            trace: x_trace,
            header_ids: x_ids,
            limit: x_limit,
            lang,
            visits,
        }))
    }

    async fn put_text(&self, body: String) -> Result<ops::PutTextResponse, Problem> {
        Ok(ops::PutTextResponse::Ok(format!("read: {body}")))
    }

    async fn upload(&self, body: Upload) -> Result<ops::UploadResponse, Problem> {
        Ok(ops::UploadResponse::Ok(body))
    }
}

struct Nobody;

impl Authenticator for Nobody {
    async fn authenticate(&self, _scheme: &str, _credential: Credential<'_>) -> Option<Principal> {
        None
    }
}

async fn listen(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let address = listener.local_addr().expect("a local address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{address}")
}

fn client(base: &str) -> Client {
    Client::builder().base_url(base).build().expect("client")
}

/// One request as the recording server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path_and_query: String,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

/// A server that records each request and answers with a body the client can decode.
async fn recorder() -> (String, Arc<Mutex<Vec<Seen>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let router = axum::Router::new().fallback(move |request: axum::extract::Request| {
        let log = Arc::clone(&log);
        async move {
            let (parts, body) = request.into_parts();
            let body = axum::body::to_bytes(body, 1 << 20).await.map(|b| b.to_vec()).unwrap_or_default();
            let path = parts.uri.path().to_owned();
            log.lock().expect("log").push(Seen {
                method: parts.method.to_string(),
                path_and_query: parts.uri.path_and_query().map(ToString::to_string).unwrap_or_default(),
                headers: parts.headers,
                body,
            });
            let (content_type, answer) = match path.as_str() {
                "/search" => ("application/json", r#"{"tags":[],"ids":[],"words":[],"codes":[]}"#),
                "/forms" => ("application/json", r#"{"name":"n","age":1}"#),
                "/uploads" => ("application/json", r#"{"title":"t"}"#),
                "/bytes" => ("application/json", r#"{"bytes":0}"#),
                _ => ("text/plain", "ok"),
            };
            ([(axum::http::header::CONTENT_TYPE, content_type)], answer)
        }
    });
    (listen(router).await, seen)
}

fn last(seen: &Arc<Mutex<Vec<Seen>>>) -> Seen {
    seen.lock().expect("log").last().cloned().expect("a request was recorded")
}

fn header<'a>(seen: &'a Seen, name: &str) -> Option<&'a str> {
    seen.headers.get(name).and_then(|v| v.to_str().ok())
}

fn full_query() -> SearchQuery {
    SearchQuery {
        tags: Some(vec!["a b".to_owned(), "c&d".to_owned()]),
        ids: Some(vec![1, 2, 3]),
        words: Some(vec!["red".to_owned(), "blue".to_owned()]),
        codes: Some(vec!["x".to_owned(), "y".to_owned()]),
        filter: Some(SearchFilter { name: Some("ann".to_owned()), min: Some(2) }),
    }
}

#[tokio::test]
async fn parameter_styles_are_written_as_openapi_says() {
    let (base, seen) = recorder().await;
    let c = client(&base);
    let ids = vec![7, 8];
    c.search(&full_query(), Some("t-1"), Some(&ids), Some(5), Some("en"), Some(3)).await.expect("search");
    let s = last(&seen);
    assert_eq!(s.method, "GET");
    // form+explode repeats the name; form without explode joins with commas (escaped, as a
    // query component); spaceDelimited and pipeDelimited join with their delimiter; deepObject
    // names each property in brackets (in the order of the struct's fields).
    let query = s.path_and_query.strip_prefix("/search?").expect("a query string");
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        pairs,
        [
            ("tags", "a b"),
            ("tags", "c&d"),
            ("ids", "1,2,3"),
            ("words", "red blue"),
            ("codes", "x|y"),
            ("filter[min]", "2"),
            ("filter[name]", "ann"),
        ],
        "raw query: {query}"
    );
    assert_eq!(header(&s, "x-trace"), Some("t-1"));
    assert_eq!(header(&s, "x-ids"), Some("7,8"), "a header array is simple-style: comma-separated");
    assert_eq!(header(&s, "x-limit"), Some("5"));
    assert_eq!(header(&s, "cookie"), Some("lang=en; visits=3"));

    // Absent optional parameters are not sent at all.
    c.search(&SearchQuery::default(), None, None, None, None, None).await.expect("search");
    let s = last(&seen);
    assert_eq!(s.path_and_query, "/search");
    for name in ["x-trace", "x-ids", "x-limit", "cookie"] {
        assert_eq!(header(&s, name), None, "{name}");
    }
}

#[tokio::test]
async fn bodies_are_written_in_their_media_type() {
    let (base, seen) = recorder().await;
    let c = client(&base);

    let signup = Signup { name: "Zoë & co".to_owned(), age: 30, subscribed: Some(true), nickname: None };
    c.submit_form(&signup).await.expect("form");
    let s = last(&seen);
    assert_eq!(header(&s, "content-type"), Some("application/x-www-form-urlencoded"));
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(&s.body).into_owned().collect();
    assert_eq!(
        fields,
        [
            ("age".to_owned(), "30".to_owned()),
            ("name".to_owned(), "Zoë & co".to_owned()),
            ("subscribed".to_owned(), "true".to_owned())
        ]
    );

    let upload = Upload {
        title: "Report".to_owned(),
        meta: Some(UploadMeta { pages: Some(3), draft: Some(false) }),
        count: Some(2),
    };
    c.upload(&upload).await.expect("multipart");
    let s = last(&seen);
    let content_type = header(&s, "content-type").expect("a content type");
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("multipart with a boundary");
    let text = String::from_utf8(s.body.clone()).expect("text parts");
    let parts: Vec<&str> = text.split(&format!("--{boundary}")).filter(|p| p.contains("Content-Disposition")).collect();
    assert_eq!(parts.len(), 3, "{text}");
    let part = |name: &str| {
        parts
            .iter()
            .find(|p| p.contains(&format!("name=\"{name}\"")))
            .copied()
            .unwrap_or_else(|| panic!("no part {name}: {text}"))
    };
    assert!(part("title").trim_end().ends_with("\r\n\r\nReport"), "{text}");
    assert!(part("count").trim_end().ends_with("\r\n\r\n2"), "{text}");
    // An object part is JSON, and says so.
    let meta = part("meta");
    assert!(meta.contains("Content-Type: application/json"), "{meta}");
    let json = meta.split("\r\n\r\n").nth(1).expect("a part body").trim_end();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(json).expect("JSON"),
        serde_json::json!({"pages": 3, "draft": false})
    );

    let bytes: Vec<u8> = (0..=255).collect();
    c.put_bytes(&bytes).await.expect("bytes");
    let s = last(&seen);
    assert_eq!((s.method.as_str(), header(&s, "content-type")), ("PUT", Some("application/octet-stream")));
    assert_eq!(s.body, bytes);

    assert_eq!(c.put_text("héllo\nworld").await.expect("text"), "ok");
    let s = last(&seen);
    assert_eq!(header(&s, "content-type"), Some("text/plain"));
    assert_eq!(s.body, "héllo\nworld".as_bytes());
}

#[tokio::test]
async fn the_server_reads_back_what_the_client_wrote() {
    let base = listen(server::router(Echoing, Nobody, ServerConfig::default())).await;
    let c = client(&base);
    let ids = vec![7, 8];
    let got = c.search(&full_query(), Some("t-1"), Some(&ids), Some(5), Some("en"), Some(3)).await.expect("search");
    assert_eq!(
        got,
        Received {
            tags: vec!["a b".to_owned(), "c&d".to_owned()],
            ids: vec![1, 2, 3],
            words: vec!["red".to_owned(), "blue".to_owned()],
            codes: vec!["x".to_owned(), "y".to_owned()],
            filter_name: Some("ann".to_owned()),
            filter_min: Some(2),
            trace: Some("t-1".to_owned()),
            header_ids: Some(vec![7, 8]),
            limit: Some(5),
            lang: Some("en".to_owned()),
            visits: Some(3),
        }
    );
    let nothing = c.search(&SearchQuery::default(), None, None, None, None, None).await.expect("search");
    assert_eq!(nothing, Received::new(vec![], vec![], vec![], vec![]));

    let signup =
        Signup { name: "Zoë & co".to_owned(), age: 30, subscribed: Some(false), nickname: Some("z".to_owned()) };
    assert_eq!(c.submit_form(&signup).await.expect("form"), signup);

    let upload = Upload {
        title: "Report".to_owned(),
        meta: Some(UploadMeta { pages: Some(3), draft: Some(true) }),
        count: Some(2),
    };
    assert_eq!(c.upload(&upload).await.expect("multipart"), upload);

    let bytes: Vec<u8> = (0..1000).map(|i| (i % 256) as u8).collect();
    assert_eq!(c.put_bytes(&bytes).await.expect("bytes"), Count { bytes: 1000 });

    assert_eq!(c.put_text("héllo\nworld").await.expect("text"), "read: héllo\nworld");
}

#[tokio::test]
async fn the_server_rejects_what_breaks_the_document() {
    let base = listen(server::router(Echoing, Nobody, ServerConfig::default())).await;
    let http = reqwest::Client::new();
    let problem = |response: reqwest::Response| async move {
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        let body: serde_json::Value = serde_json::from_str(&text).expect("a problem");
        let mut pointers: Vec<String> = body["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["pointer"].as_str().map(str::to_owned))
            .collect();
        pointers.sort();
        (status, pointers)
    };
    // One violation per parameter, each at its pointer: an item that is not an integer in a
    // comma list, a header below its minimum, a header list with a word, a cookie that is not
    // a number, a deepObject property of the wrong type.
    let response = http
        .get(format!("{base}/search?ids=1,x&filter[min]=many"))
        .header("x-limit", "0")
        .header("x-ids", "1,two")
        .header("cookie", "visits=lots")
        .send()
        .await
        .expect("sent");
    assert_eq!(
        problem(response).await,
        (
            400,
            ["/cookie/visits", "/header/X-Ids/1", "/header/X-Limit", "/query/filter/min", "/query/ids/1"]
                .map(str::to_owned)
                .to_vec()
        )
    );
    let response =
        http.get(format!("{base}/search")).header("x-limit", "99999999999999999999").send().await.expect("sent");
    assert_eq!(problem(response).await, (400, vec!["/header/X-Limit".to_owned()]));

    // Form fields are text on the wire; the schema still types them.
    let response = http
        .post(format!("{base}/forms"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("name=&age=-1&subscribed=maybe")
        .send()
        .await
        .expect("sent");
    assert_eq!(
        problem(response).await,
        (400, ["/body/age", "/body/name", "/body/subscribed"].map(str::to_owned).to_vec())
    );

    let response = http
        .put(format!("{base}/text"))
        .header("content-type", "text/plain")
        .body(vec![0xff, 0xfe])
        .send()
        .await
        .expect("sent");
    assert_eq!(problem(response).await, (400, vec!["/body".to_owned()]));
    let response = http
        .put(format!("{base}/bytes"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 415);
    let error = client(&base).put_bytes(&[]).await.expect_err("an empty required body");
    assert!(matches!(*error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status.as_u16() == 400), "{error:?}");
    let error = client(&base).put_text("").await.expect_err("an empty required text body");
    assert!(matches!(*error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status.as_u16() == 400), "{error:?}");
}

#[tokio::test]
async fn object_parameters_and_a_bare_multipart_value_are_written_as_openapi_says() {
    use oagen_edge_goldens::encodings::client_runtime::{OperationInfo, QueryParam, Request, Style};
    // No operation of the document has an object parameter; the generated methods would build
    // this request.
    static SEARCH: OperationInfo = OperationInfo { id: "search", method: "GET", path: "/search", tags: &[] };
    static UPLOAD: OperationInfo = OperationInfo { id: "upload", method: "POST", path: "/uploads", tags: &[] };
    let (base, seen) = recorder().await;
    let c = client(&base);
    let mut request = Request::new(reqwest::Method::GET, &SEARCH, "/search".to_owned(), &[]);
    let exploded = QueryParam { name: "point", style: Style::Form, explode: true };
    request.query(exploded, &serde_json::json!({"x": 1, "y": "a b", "z": null})).expect("a value");
    let joined = QueryParam { name: "box", style: Style::Form, explode: false };
    request.query(joined, &serde_json::json!({"w": 2, "h": 3})).expect("a value");
    request.header("X-Point", &serde_json::json!({"x": 1, "y": 2})).expect("a header");
    c.send(request).await.expect("sent");
    let s = last(&seen);
    // form+explode: one pair per property, named by it (a null property is left out); form
    // without explode: name=key,value,key,value; simple (headers): key,value,key,value.
    let query = s.path_and_query.strip_prefix("/search?").expect("a query string");
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(pairs, [("x", "1"), ("y", "a b"), ("box", "h,3,w,2")], "raw query: {query}");
    assert_eq!(header(&s, "x-point"), Some("x,1,y,2"));

    // A multipart body that is not an object is one part, `file`.
    let mut request = Request::new(reqwest::Method::POST, &UPLOAD, "/uploads".to_owned(), &[]);
    request.multipart("just text").expect("a value");
    c.send(request).await.expect("sent");
    let s = last(&seen);
    let text = String::from_utf8(s.body).expect("a text part");
    assert!(text.contains("Content-Disposition: form-data; name=\"file\"\r\n\r\njust text\r\n"), "{text}");
}

#[tokio::test]
async fn a_text_answer_that_is_not_utf8_is_a_decoding_error() {
    let router = axum::Router::new().route(
        "/text",
        axum::routing::put(|| async { ([(axum::http::header::CONTENT_TYPE, "text/plain")], vec![b'o', b'k', 0xff]) }),
    );
    let base = listen(router).await;
    match client(&base).put_text("hi").await.expect_err("not UTF-8").into_kind() {
        ErrorKind::Decode { status, path, message, snippet } => {
            assert_eq!((status.as_u16(), path.as_str(), snippet.as_str()), (200, "", "ok\u{fffd}"));
            assert!(message.contains("invalid utf-8"), "{message}");
        }
        other => panic!("not a decoding error: {other:?}"),
    }
}
