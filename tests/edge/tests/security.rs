//! `spec/edge/security.yaml` served by its generated server and called by its generated client:
//! each kind of security scheme (bearer, basic, API key in a header, query parameter and
//! cookie, OAuth2 with scopes), alternatives, a requirement of two schemes at once, optional
//! authentication and none.

use std::collections::BTreeSet;

use oagen_edge_goldens::security::client::{Client, ClientBuilder, Error, ErrorKind};
use oagen_edge_goldens::security::models::Who;
use oagen_edge_goldens::security::operations::{self as ops, WhoKeyQueryQuery};
use oagen_edge_goldens::security::server::{self, Authenticator, Credential, Principal, Problem, ServerConfig};

/// Answers with the operation and the principal's subject.
struct Answering;

fn who(operation: &str, principal: Option<&Principal>) -> Who {
    Who { operation: operation.to_owned(), subject: Some(principal.map(|p| p.subject.clone())), theme: None }
}

impl server::Api for Answering {
    async fn who_basic(&self, principal: Principal) -> Result<ops::WhoBasicResponse, Problem> {
        Ok(ops::WhoBasicResponse::Ok(who("basic", Some(&principal))))
    }

    async fn who_both(&self, principal: Principal) -> Result<ops::WhoBothResponse, Problem> {
        Ok(ops::WhoBothResponse::Ok(who("both", Some(&principal))))
    }

    async fn who_default(&self, principal: Principal) -> Result<ops::WhoDefaultResponse, Problem> {
        Ok(ops::WhoDefaultResponse::Ok(who("default", Some(&principal))))
    }

    async fn who_either(&self, principal: Principal) -> Result<ops::WhoEitherResponse, Problem> {
        Ok(ops::WhoEitherResponse::Ok(who("either", Some(&principal))))
    }

    async fn who_key_cookie(
        &self,
        theme: Option<String>,
        principal: Principal,
    ) -> Result<ops::WhoKeyCookieResponse, Problem> {
        Ok(ops::WhoKeyCookieResponse::Ok(Who { theme: Some(theme), ..who("key_cookie", Some(&principal)) }))
    }

    async fn who_key_header(&self, principal: Principal) -> Result<ops::WhoKeyHeaderResponse, Problem> {
        Ok(ops::WhoKeyHeaderResponse::Ok(who("key_header", Some(&principal))))
    }

    async fn who_key_query(
        &self,
        query: WhoKeyQueryQuery,
        principal: Principal,
    ) -> Result<ops::WhoKeyQueryResponse, Problem> {
        // The key is a credential, not one of the operation's parameters.
        Ok(ops::WhoKeyQueryResponse::Ok(Who { theme: Some(query.q), ..who("key_query", Some(&principal)) }))
    }

    async fn who_optional(&self, principal: Option<Principal>) -> Result<ops::WhoOptionalResponse, Problem> {
        Ok(ops::WhoOptionalResponse::Ok(who("optional", principal.as_ref())))
    }

    async fn who_public(&self) -> Result<ops::WhoPublicResponse, Problem> {
        Ok(ops::WhoPublicResponse::Ok(who("public", None)))
    }

    async fn who_scoped(&self, principal: Principal) -> Result<ops::WhoScopedResponse, Problem> {
        Ok(ops::WhoScopedResponse::Ok(who("scoped", Some(&principal))))
    }
}

/// Knows bearer tokens `tok`, `reader` (scope `things:read`) and `writer` (both scopes), the
/// user `ann` with password `pw`, and any API key starting with `k-`. The subject says which
/// scheme recognised the caller and with what.
struct Keys;

impl Authenticator for Keys {
    async fn authenticate(&self, scheme: &str, credential: Credential<'_>) -> Option<Principal> {
        let (subject, scopes): (String, &[&str]) = match credential {
            Credential::Bearer("tok") => (format!("{scheme}:tok"), &[]),
            Credential::Bearer("reader") => (format!("{scheme}:reader"), &["things:read"]),
            Credential::Bearer("writer") => (format!("{scheme}:writer"), &["things:read", "things:write"]),
            Credential::Basic(user, password) if user == "ann" && password == "pw" => (format!("{scheme}:ann"), &[]),
            Credential::ApiKey(key) if key.starts_with("k-") => (format!("{scheme}:{key}"), &[]),
            _ => return None,
        };
        Some(Principal { subject, scopes: scopes.iter().map(|s| (*s).to_owned()).collect::<BTreeSet<_>>() })
    }
}

async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let address = listener.local_addr().expect("a local address");
    let router = server::router(Answering, Keys, ServerConfig::default());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{address}")
}

fn builder(base: &str) -> ClientBuilder {
    Client::builder().base_url(base)
}

fn subject(result: Result<Who, Error>) -> Option<String> {
    result.unwrap_or_else(|e| panic!("the call failed: {e:?}")).subject.flatten()
}

fn status(result: Result<Who, Error>) -> u16 {
    match result.map_err(Error::into_kind) {
        Err(ErrorKind::UnexpectedStatus { status, .. }) => status.as_u16(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn each_kind_of_scheme_is_sent_where_the_server_reads_it() {
    let base = serve().await;
    let bearer = builder(&base).bearer_token("tok").build().expect("client");
    assert_eq!(subject(bearer.who_default().await).as_deref(), Some("bearer:tok"), "the document's default");
    let basic = builder(&base).basic_auth("ann", Some("pw".to_owned())).build().expect("client");
    assert_eq!(subject(basic.who_basic().await).as_deref(), Some("basic:ann"));
    let key = builder(&base).api_key("k-1").build().expect("client");
    assert_eq!(subject(key.who_key_header().await).as_deref(), Some("keyHeader:k-1"));
    let query = WhoKeyQueryQuery { q: Some("kept".to_owned()) };
    let answer = key.who_key_query(&query).await.expect("key in the query");
    assert_eq!(
        (answer.subject.flatten().as_deref(), answer.theme.flatten().as_deref()),
        (Some("keyQuery:k-1"), Some("kept"))
    );
    // The key cookie goes beside the operation's own cookie parameter.
    let answer = key.who_key_cookie(Some("dark")).await.expect("key in a cookie");
    assert_eq!(
        (answer.subject.flatten().as_deref(), answer.theme.flatten().as_deref()),
        (Some("keyCookie:k-1"), Some("dark"))
    );
    // A credential for one scheme by name overrides the shared API key for that scheme only.
    let named = builder(&base).api_key("k-1").credential("keyQuery", "k-2").build().expect("client");
    assert_eq!(subject(named.who_key_query(&WhoKeyQueryQuery::default()).await).as_deref(), Some("keyQuery:k-2"));
    assert_eq!(subject(named.who_key_header().await).as_deref(), Some("keyHeader:k-1"));

    // A credential of the wrong kind is not sent in place of the right one.
    assert_eq!(status(bearer.who_basic().await), 401);
    assert_eq!(status(basic.who_key_header().await), 401);
    assert_eq!(status(key.who_default().await), 401);
    // A credential the authenticator does not know.
    let stranger = builder(&base).basic_auth("ann", Some("guess".to_owned())).build().expect("client");
    assert_eq!(status(stranger.who_basic().await), 401);
}

#[tokio::test]
async fn alternatives_both_at_once_optional_and_none() {
    let base = serve().await;
    let key = builder(&base).api_key("k-1").build().expect("client");
    let basic = builder(&base).basic_auth("ann", Some("pw".to_owned())).build().expect("client");
    let both = builder(&base).api_key("k-1").basic_auth("ann", Some("pw".to_owned())).build().expect("client");
    let nobody = builder(&base).build().expect("client");
    // The first alternative the client can satisfy is the one it sends.
    assert_eq!(subject(key.who_either().await).as_deref(), Some("keyHeader:k-1"));
    assert_eq!(subject(basic.who_either().await).as_deref(), Some("basic:ann"));
    assert_eq!(subject(both.who_either().await).as_deref(), Some("keyHeader:k-1"));
    assert_eq!(status(nobody.who_either().await), 401);

    // Two schemes at once: both are sent, and the server needs both.
    let split = builder(&base).credential("keyHeader", "k-h").credential("keyQuery", "k-q").build().expect("client");
    assert_eq!(subject(split.who_both().await).as_deref(), Some("keyQuery:k-q"));
    let half = builder(&base).credential("keyHeader", "k-h").build().expect("client");
    assert_eq!(status(half.who_both().await), 401);

    // Optional: nothing presented passes without a principal; a good credential is used; a bad
    // one is refused rather than ignored.
    assert_eq!(subject(nobody.who_optional().await), None);
    let bearer = builder(&base).bearer_token("tok").build().expect("client");
    assert_eq!(subject(bearer.who_optional().await).as_deref(), Some("bearer:tok"));
    let wrong = builder(&base).bearer_token("nope").build().expect("client");
    assert_eq!(status(wrong.who_optional().await), 401);

    // None: anyone, whatever they send.
    assert_eq!(subject(nobody.who_public().await), None);
    assert_eq!(subject(wrong.who_public().await), None);
}

#[tokio::test]
async fn scopes_are_checked_and_refusals_say_what_is_accepted() {
    let base = serve().await;
    let reader = builder(&base).bearer_token("reader").build().expect("client");
    let writer = builder(&base).bearer_token("writer").build().expect("client");
    assert_eq!(subject(writer.who_scoped().await).as_deref(), Some("oauth:writer"));
    match reader.who_scoped().await.map_err(Error::into_kind) {
        Err(ErrorKind::UnexpectedStatus { status, body, .. }) => {
            assert_eq!(status.as_u16(), 403);
            let problem: serde_json::Value = serde_json::from_slice(&body).expect("a problem");
            assert_eq!(problem["detail"], "missing scope(s): things:write");
        }
        other => panic!("expected 403, got {other:?}"),
    }

    let http = reqwest::Client::new();
    let refusal = |path: &'static str| {
        let http = http.clone();
        let url = format!("{base}{path}");
        async move {
            let response = http.get(url).send().await.expect("sent");
            let status = response.status().as_u16();
            let challenges: Vec<String> = response
                .headers()
                .get_all("www-authenticate")
                .iter()
                .filter_map(|v| v.to_str().ok().map(str::to_owned))
                .collect();
            let text = response.text().await.expect("a body");
            let problem: serde_json::Value = serde_json::from_str(&text).expect("a problem");
            (status, challenges, problem["detail"].as_str().unwrap_or_default().to_owned())
        }
    };
    assert_eq!(
        refusal("/basic").await,
        (
            401,
            vec!["Basic realm=\"api\"".to_owned()],
            "a valid credential is required: `Authorization: Basic`".to_owned()
        )
    );
    assert_eq!(
        refusal("/either").await,
        (
            401,
            vec!["ApiKey in=\"header\", name=\"X-API-Key\"".to_owned(), "Basic realm=\"api\"".to_owned()],
            "a valid credential is required: the `X-API-Key` header, or `Authorization: Basic`".to_owned()
        )
    );
    assert_eq!(
        refusal("/both").await,
        (
            401,
            vec![
                "ApiKey in=\"header\", name=\"X-API-Key\"".to_owned(),
                "ApiKey in=\"query\", name=\"api_key\"".to_owned()
            ],
            "a valid credential is required: the `X-API-Key` header and the `api_key` query parameter".to_owned()
        )
    );
    assert_eq!(
        refusal("/key/cookie").await,
        (
            401,
            vec!["ApiKey in=\"cookie\", name=\"session\"".to_owned()],
            "a valid credential is required: the `session` cookie".to_owned()
        )
    );
    assert_eq!(refusal("/default").await.1, vec!["Bearer".to_owned()]);

    // An `Authorization` header of the other scheme is no credential for this one.
    for (path, authorization) in [("/default", "Basic YW5uOnB3"), ("/basic", "Bearer tok")] {
        let response = http.get(format!("{base}{path}")).header("authorization", authorization).send().await;
        assert_eq!(response.expect("sent").status().as_u16(), 401, "{path} with {authorization}");
    }
    let response = http.get(format!("{base}/basic")).header("authorization", "Basic YW5uOnB3").send().await;
    assert_eq!(response.expect("sent").status().as_u16(), 200, "ann:pw, spelled by hand");
}

#[test]
fn debug_output_shows_no_credential() {
    let builder = builder("http://127.0.0.1:1")
        .bearer_token("tok-secret")
        .basic_auth("user-secret", Some("pw-secret".to_owned()))
        .api_key("key-secret")
        .credential("keyQuery", "named-secret");
    let client = builder.clone().build().expect("client");
    for text in [format!("{builder:?}"), format!("{client:?}")] {
        for secret in ["tok-secret", "user-secret", "pw-secret", "key-secret", "named-secret"] {
            assert!(!text.contains(secret), "{secret} shows in {text}");
        }
        // Which credentials are set still shows.
        assert_eq!(text.matches("<secret>").count(), 4, "{text}");
    }
}

/// The `testing` module's server and client: its client presents a credential for every kind of
/// scheme, its authenticator takes any of them with every scope, and the subject is what was
/// presented.
#[tokio::test]
async fn the_test_server_takes_any_credential_with_every_scope() {
    use oagen_edge_goldens::security::testing::{AcceptAll, CREDENTIAL, SCOPES, TestServer};

    assert_eq!(SCOPES, ["things:write"]);
    let server = TestServer::start(Answering).await.expect("the test server starts");
    let client = server.client().expect("client");
    let expected = Some(CREDENTIAL.to_owned());
    assert_eq!(subject(client.who_default().await), expected, "bearer");
    assert_eq!(subject(client.who_basic().await), expected, "basic");
    assert_eq!(subject(client.who_key_header().await), expected, "key in a header");
    assert_eq!(subject(client.who_key_query(&WhoKeyQueryQuery::default()).await), expected, "key in the query");
    assert_eq!(subject(client.who_key_cookie(None).await), expected, "key in a cookie");
    assert_eq!(subject(client.who_both().await), expected, "two keys at once");
    assert_eq!(subject(client.who_scoped().await), expected, "with the scope an operation requires");
    assert_eq!(subject(client.who_optional().await), expected, "optional");
    assert_eq!(subject(client.who_public().await), None, "none");
    // Another credential is another caller; none at all is still refused.
    let other = server.client_builder().bearer_token("someone").build().expect("client");
    assert_eq!(subject(other.who_default().await).as_deref(), Some("someone"));
    let nobody = builder(server.base_url()).build().expect("client");
    assert_eq!(status(nobody.who_default().await), 401);
    server.shutdown().await.expect("stops");

    // With the test's own authenticator, the test server refuses what it refuses.
    let server = TestServer::start_with(Answering, Keys, ServerConfig::default()).await.expect("starts");
    assert_eq!(status(server.client().expect("client").who_default().await), 401);
    server.shutdown().await.expect("stops");
    // AcceptAll serves the generated router too.
    let router = server::router(Answering, AcceptAll, ServerConfig::default());
    let server = TestServer::start_router(router).await.expect("starts");
    assert_eq!(subject(server.client().expect("client").who_scoped().await), expected);
}
