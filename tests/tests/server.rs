//! The generated server rejects bad requests before they reach the implementation: a table of
//! malformed and unauthorized requests, each answered with its status and an RFC 9457 problem
//! listing every violation by JSON pointer, and none of them changing the store.

#[path = "../../generated/examples/server/app.rs"]
mod app;

use std::collections::{BTreeMap, BTreeSet};

use posthog_organizations::server::{self, ServerConfig};
use serde_json::{Value, json};

const BODY_LIMIT: usize = 4096;

struct Server {
    base: String,
    org: uuid::Uuid,
    http: reqwest::Client,
}

async fn start() -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("address");
    let base = format!("http://{addr}");
    let store = app::InMemory::new(base.clone());
    let org = store.default_organization();
    let all: BTreeSet<String> = app::ALL_SCOPES.iter().map(|s| (*s).to_owned()).collect();
    let tokens = BTreeMap::from([
        ("all".to_owned(), all),
        ("read".to_owned(), BTreeSet::from(["organization:read".to_owned()])),
    ]);
    let router = server::router(store, app::TokenAuth::new(tokens), ServerConfig::default().body_limit(BODY_LIMIT));
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Server { base, org, http: reqwest::Client::new() }
}

/// Everything the store holds that the table's requests could touch, as the API shows it.
async fn snapshot(s: &Server) -> Vec<Value> {
    let mut out = Vec::new();
    for path in ["roles", "proxy_records", "invites", "members", "domains"] {
        let url = format!("{}/api/organizations/{}/{path}/?limit=1000", s.base, s.org);
        let response = s.http.get(url).bearer_auth("all").send().await.expect("snapshot request");
        out.push(serde_json::from_str::<Value>(&response.text().await.expect("snapshot body")).expect("snapshot JSON"));
    }
    let orgs = s.http.get(format!("{}/api/organizations/", s.base)).bearer_auth("all").send().await.expect("orgs");
    out.push(serde_json::from_str::<Value>(&orgs.text().await.expect("orgs body")).expect("orgs JSON"));
    out
}

enum Body {
    None,
    Json(Value),
    Raw(&'static str, Vec<u8>),
}

struct Case {
    name: &'static str,
    method: &'static str,
    /// `{org}` and `{role}` are filled in.
    path: &'static str,
    token: Option<&'static str>,
    body: Body,
    status: u16,
    /// The problem's errors' pointers, exactly (in any order; each once).
    pointers: &'static [&'static str],
    /// Text the problem's detail must contain.
    detail: Option<&'static str>,
}

fn cases() -> Vec<Case> {
    let long = |n: usize| "x".repeat(n);
    let case = |name, method, path, body, status, pointers| Case {
        name,
        method,
        path,
        token: Some("all"),
        body,
        status,
        pointers,
        detail: None,
    };
    vec![
        case("malformed JSON", "POST", "/api/organizations/{org}/roles/", Body::Raw("application/json", b"{\"name\":".to_vec()), 400, &["/body"]),
        case("wrong type", "POST", "/api/organizations/{org}/roles/", Body::Json(json!({"name": 5})), 400, &["/body/name"]),
        case("missing required field", "POST", "/api/organizations/{org}/roles/", Body::Json(json!({})), 400, &["/body/name"]),
        case("null for a non-nullable field", "POST", "/api/organizations/{org}/roles/", Body::Json(json!({"name": null})), 400, &["/body/name"]),
        case("maxLength", "POST", "/api/organizations/{org}/roles/", Body::Json(json!({"name": long(201)})), 400, &["/body/name"]),
        case("unknown enum value", "POST", "/api/organizations/{org}/roles/", Body::Json(json!({"name": "a", "feature_flags_access_level": 22})), 400, &["/body/feature_flags_access_level"]),
        case(
            "every violation listed",
            "POST",
            "/api/organizations/{org}/roles/",
            Body::Json(json!({"name": 5, "feature_flags_access_level": "x"})),
            400,
            &["/body/name", "/body/feature_flags_access_level"],
        ),
        case("body of the wrong shape", "PUT", "/api/organizations/{org}/roles/{role}/", Body::Json(json!([])), 400, &["/body"]),
        case("missing body", "POST", "/api/organizations/{org}/roles/", Body::None, 400, &["/body"]),
        case("bad UUID in path", "GET", "/api/organizations/{org}/roles/not-a-uuid/", Body::None, 400, &["/path/id"]),
        case("bad UUID in organization path", "GET", "/api/organizations/nope/roles/", Body::None, 400, &["/path/organization_id"]),
        case("query not an integer", "GET", "/api/organizations/{org}/roles/?limit=abc", Body::None, 400, &["/query/limit"]),
        case("query integer beyond 64 bits", "GET", "/api/organizations/{org}/roles/?limit=99999999999999999999", Body::None, 400, &["/query/limit"]),
        case("query integer beyond 64 bits, negative", "GET", "/api/organizations/{org}/roles/?offset=-99999999999999999999", Body::None, 400, &["/query/offset"]),
        case("body integer beyond 64 bits", "PATCH", "/api/organizations/{org}/roles/{role}/", Body::Raw("application/json", b"{\"feature_flags_access_level\": 18446744073709551615}".to_vec()), 400, &["/body/feature_flags_access_level"]),
        case("query a fraction", "GET", "/api/organizations/{org}/roles/?limit=1.5", Body::None, 400, &["/query/limit"]),
        case("bad UUID in body", "POST", "/api/organizations/{org}/roles/{role}/role_memberships/", Body::Json(json!({"user_uuid": "nope"})), 400, &["/body/user_uuid"]),
        case("email format", "POST", "/api/organizations/{org}/invites/", Body::Json(json!({"target_email": "not-an-email"})), 400, &["/body/target_email"]),
        case("maxLength on PATCH", "PATCH", "/api/organizations/{org}/roles/{role}/", Body::Json(json!({"name": long(300)})), 400, &["/body/name"]),
        case("boolean of the wrong type", "POST", "/api/organizations/", Body::Json(json!({"name": "acme", "enforce_2fa": "yes"})), 400, &["/body/enforce_2fa"]),
        case("maximum", "PATCH", "/api/organizations/{org}/roles/{role}/", Body::Json(json!({"feature_flags_access_level": 40000})), 400, &["/body/feature_flags_access_level"]),
        case(
            "form body validated",
            "POST",
            "/api/organizations/{org}/roles/",
            Body::Raw("application/x-www-form-urlencoded", format!("name={}", long(201)).into_bytes()),
            400,
            &["/body/name"],
        ),
        case(
            "multipart body validated",
            "POST",
            "/api/organizations/{org}/roles/",
            Body::Raw(
                "multipart/form-data; boundary=XyZ",
                b"--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nok\r\n--XyZ\r\nContent-Disposition: form-data; name=\"feature_flags_access_level\"\r\n\r\nabc\r\n--XyZ--\r\n".to_vec(),
            ),
            400,
            &["/body/feature_flags_access_level"],
        ),
        case(
            "multipart without a boundary",
            "POST",
            "/api/organizations/{org}/roles/",
            Body::Raw("multipart/form-data", b"--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nok\r\n--XyZ--\r\n".to_vec()),
            400,
            &["/body"],
        ),
        case(
            "multipart never closed",
            "POST",
            "/api/organizations/{org}/roles/",
            Body::Raw("multipart/form-data; boundary=XyZ", b"--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nok\r\n".to_vec()),
            400,
            &["/body"],
        ),
        Case { detail: Some("expected one of"), ..case("unsupported media type", "POST", "/api/organizations/{org}/roles/", Body::Raw("text/plain", b"name".to_vec()), 415, &[]) },
        case("body too large", "POST", "/api/organizations/{org}/roles/", Body::Json(json!({"name": long(BODY_LIMIT * 2)})), 413, &[]),
        case("wrong method", "DELETE", "/api/organizations/", Body::None, 405, &[]),
        case("unknown path", "GET", "/api/nope/", Body::None, 404, &[]),
        case("unknown path under a known prefix", "GET", "/api/organizations/{org}/nope/", Body::None, 404, &[]),
        Case { token: None, ..case("no token", "GET", "/api/organizations/{org}/roles/", Body::None, 401, &[]) },
        Case { token: Some("who"), ..case("unknown token", "GET", "/api/organizations/{org}/roles/", Body::None, 401, &[]) },
        Case {
            token: Some("read"),
            detail: Some("organization:write"),
            ..case("missing write scope", "POST", "/api/organizations/{org}/roles/", Body::Json(json!({"name": "a"})), 403, &[])
        },
        Case {
            token: Some("read"),
            detail: Some("organization_member:read"),
            ..case("missing member scope", "GET", "/api/organizations/{org}/invites/", Body::None, 403, &[])
        },
        Case { token: None, ..case("unauthorized before validation", "POST", "/api/organizations/{org}/roles/", Body::Json(json!({"name": 5})), 401, &[]) },
    ]
}

#[tokio::test]
async fn bad_requests_get_problems_and_change_nothing() {
    let s = start().await;
    // One role to address in paths.
    let created = s
        .http
        .post(format!("{}/api/organizations/{}/roles/", s.base, s.org))
        .bearer_auth("all")
        .header("content-type", "application/json")
        .body(json!({"name": "existing"}).to_string())
        .send()
        .await
        .expect("create a role");
    assert_eq!(created.status().as_u16(), 201);
    let role: Value = serde_json::from_str(&created.text().await.expect("role")).expect("role JSON");
    let role = role["id"].as_str().expect("role id").to_owned();

    let table = cases();
    assert!(table.len() >= 25, "the table has {} cases", table.len());
    let before = snapshot(&s).await;
    for case in table {
        let path = case.path.replace("{org}", &s.org.to_string()).replace("{role}", &role);
        let method = reqwest::Method::from_bytes(case.method.as_bytes()).expect("method");
        let mut request = s.http.request(method, format!("{}{path}", s.base));
        if let Some(token) = case.token {
            request = request.bearer_auth(token);
        }
        request = match case.body {
            Body::None => request,
            Body::Json(v) => request.header("content-type", "application/json").body(v.to_string()),
            Body::Raw(content_type, bytes) => request.header("content-type", content_type).body(bytes),
        };
        let response = request.send().await.unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let status = response.status().as_u16();
        let content_type =
            response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let www = response.headers().get("www-authenticate").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let text = response.text().await.unwrap_or_default();
        assert_eq!(status, case.status, "{}: status {status}, body {text}", case.name);
        assert_eq!(content_type, "application/problem+json", "{}: content type; body {text}", case.name);
        let problem: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: problem is not JSON ({e}): {text}", case.name));
        assert_eq!(problem["status"], json!(case.status), "{}: {problem}", case.name);
        assert!(problem["title"].is_string(), "{}: {problem}", case.name);
        let pointers: Vec<&str> = problem["errors"]
            .as_array()
            .map(|e| e.iter().filter_map(|v| v["pointer"].as_str()).collect())
            .unwrap_or_default();
        let mut pointers = pointers;
        pointers.sort_unstable();
        let mut expected = case.pointers.to_vec();
        expected.sort_unstable();
        assert_eq!(pointers, expected, "{}: the problem's pointers: {problem}", case.name);
        if let Some(detail) = case.detail {
            assert!(problem["detail"].as_str().unwrap_or_default().contains(detail), "{}: {problem}", case.name);
        }
        if status == 401 {
            assert_eq!(www.as_deref(), Some("Bearer"), "{}: WWW-Authenticate", case.name);
        }
        assert_eq!(snapshot(&s).await, before, "{}: the store changed", case.name);
    }
}

#[tokio::test]
async fn form_and_multipart_bodies_are_accepted_where_documented() {
    let s = start().await;
    let url = format!("{}/api/organizations/{}/roles/", s.base, s.org);
    let form = s
        .http
        .post(&url)
        .bearer_auth("all")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("name=from+a+form&feature_flags_access_level=37")
        .send()
        .await
        .expect("form");
    assert_eq!(form.status().as_u16(), 201);
    let role: Value = serde_json::from_str(&form.text().await.expect("role")).expect("role JSON");
    assert_eq!((role["name"].as_str(), role["feature_flags_access_level"].as_i64()), (Some("from a form"), Some(37)));

    let multipart = reqwest::multipart::Form::new().text("name", "from multipart");
    let created = s.http.post(&url).bearer_auth("all").multipart(multipart).send().await.expect("multipart");
    assert_eq!(created.status().as_u16(), 201);
    let role: Value = serde_json::from_str(&created.text().await.expect("role")).expect("role JSON");
    assert_eq!(role["name"], json!("from multipart"));

    // A part's other headers may come before its name, and a quoted boundary is unquoted.
    let body = "--XyZ\r\nContent-Type: text/plain\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nheaders first\r\n--XyZ--\r\n";
    let created = s
        .http
        .post(&url)
        .bearer_auth("all")
        .header("content-type", "multipart/form-data; boundary=\"XyZ\"")
        .body(body)
        .send()
        .await
        .expect("multipart");
    assert_eq!(created.status().as_u16(), 201);
    let role: Value = serde_json::from_str(&created.text().await.expect("role")).expect("role JSON");
    assert_eq!(role["name"], json!("headers first"));
}
