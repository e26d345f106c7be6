//! `spec/edge/errors.yaml` served by its generated server and called by its generated client:
//! success statuses arrive in `Ok`, documented error statuses as `Error::Documented` with their
//! typed body, so `?` yields the success body and never lets a documented 404 pass as one.

use std::time::Duration;

use oagen_edge_goldens::errors::client::{Client, Error, ErrorKind, RetryPolicy};
use oagen_edge_goldens::errors::models::{BasicError, Conflict, Job, Problem as ProblemBody, Repo, Thing};
use oagen_edge_goldens::errors::operations::{self as ops, CreateThingError, CreateThingSuccess};
use oagen_edge_goldens::errors::server::{self, Authenticator, Credential, Principal, Problem, ServerConfig};

/// Knows the repository `o/r`, creates things by name (`later` is queued, `taken` exists,
/// `bad` is invalid, `teapot` answers 418), deletes the thing `t`.
struct Service;

impl server::Api for Service {
    async fn ping(&self) -> Result<ops::PingResponse, Problem> {
        Ok(ops::PingResponse::Default(200, Job { id: "pong".to_owned() }))
    }

    async fn get_repo(&self, owner: String, repo: String) -> Result<ops::GetRepoResponse, Problem> {
        Ok(match (owner.as_str(), repo.as_str()) {
            ("o", "r") => ops::GetRepoResponse::Ok(Repo { full_name: "o/r".to_owned() }),
            ("o", _) => ops::GetRepoResponse::Forbidden(BasicError {
                message: Some("private".to_owned()),
                documentation_url: None,
            }),
            _ => ops::GetRepoResponse::NotFound(BasicError {
                message: Some("Not Found".to_owned()),
                documentation_url: None,
            }),
        })
    }

    async fn create_thing(&self, body: Thing) -> Result<ops::CreateThingResponse, Problem> {
        Ok(match body.name.as_str() {
            "later" => ops::CreateThingResponse::Accepted(Job { id: "j1".to_owned() }),
            "taken" => ops::CreateThingResponse::Conflict(Conflict { existing: body }),
            "bad" => {
                ops::CreateThingResponse::UnprocessableEntity(oagen_edge_goldens::errors::models::ValidationError {
                    errors: vec!["name is bad".to_owned()],
                })
            }
            "teapot" => ops::CreateThingResponse::Default(418, ProblemBody { title: Some("teapot".to_owned()) }),
            _ => ops::CreateThingResponse::Created(body),
        })
    }

    async fn delete_thing(&self, id: String) -> Result<ops::DeleteThingResponse, Problem> {
        Ok(if id == "t" { ops::DeleteThingResponse::NoContent } else { ops::DeleteThingResponse::NotFound })
    }
}

struct Nobody;

impl Authenticator for Nobody {
    async fn authenticate(&self, _scheme: &str, _credential: Credential<'_>) -> Option<Principal> {
        None
    }
}

async fn client() -> Client {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let address = listener.local_addr().expect("a local address");
    let router = server::router(Service, Nobody, ServerConfig::default());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Client::builder().base_url(format!("http://{address}")).build().expect("a client")
}

/// What a caller writes: `?` gives the repository itself.
async fn full_name(client: &Client, owner: &str, repo: &str) -> Result<String, Error<BasicError>> {
    let repo: Repo = client.get_repo(owner, repo).await?;
    Ok(repo.full_name)
}

#[tokio::test]
async fn question_mark_yields_the_success_body_and_a_documented_404_is_an_error() {
    let client = client().await;
    assert_eq!(full_name(&client, "o", "r").await.expect("200"), "o/r");

    let error = full_name(&client, "x", "r").await.expect_err("a 404 is an error");
    match error.kind() {
        ErrorKind::Documented { status, body, .. } => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(body.message.as_deref(), Some("Not Found"));
        }
        other => panic!("not a documented error: {other:?}"),
    }
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    // One line that names the operation and says what went wrong.
    assert_eq!(
        error.to_string(),
        "getRepo (GET /repos/{owner}/{repo}) failed: error status 404 Not Found, as documented: \
         BasicError { documentation_url: None, message: Some(\"Not Found\") }"
    );
    assert_eq!(
        error.operation().map(|op| (op.id, op.method, op.path)),
        Some(("getRepo", "GET", "/repos/{owner}/{repo}"))
    );

    let forbidden = client.get_repo("o", "secret").await.expect_err("a 403 is an error");
    assert_eq!(forbidden.documented().and_then(|b| b.message.as_deref()), Some("private"));
}

#[tokio::test]
async fn several_success_statuses_are_an_enum_and_differing_error_bodies_are_one_too() {
    let client = client().await;
    let thing = |name: &str| Thing { name: name.to_owned() };
    assert_eq!(client.create_thing(&thing("a")).await.expect("201"), CreateThingSuccess::Created(thing("a")));
    let queued = client.create_thing(&thing("later")).await.expect("202");
    assert_eq!((queued.status(), queued), (202, CreateThingSuccess::Accepted(Job { id: "j1".to_owned() })));

    let conflict = client.create_thing(&thing("taken")).await.expect_err("409");
    assert!(
        matches!(conflict.documented(), Some(CreateThingError::Conflict(c)) if c.existing.name == "taken"),
        "{conflict:?}"
    );
    let invalid = client.create_thing(&thing("bad")).await.expect_err("422");
    assert!(matches!(invalid.documented(), Some(CreateThingError::UnprocessableEntity(v)) if v.errors.len() == 1));
    // `default` beside a success is an error, and keeps the status it came with.
    let teapot = client.create_thing(&thing("teapot")).await.expect_err("418");
    assert!(
        matches!(teapot.documented(), Some(CreateThingError::Default(418, p)) if p.title.as_deref() == Some("teapot")),
        "{teapot:?}"
    );
}

#[tokio::test]
async fn error_statuses_without_a_body_and_default_alone() {
    let client = client().await;
    client.delete_thing("t").await.expect("204");
    let missing = client.delete_thing("u").await.expect_err("404");
    assert!(matches!(*missing.kind(), ErrorKind::Documented { status, body: (), .. } if status == 404), "{missing:?}");
    // A document that lists only `default` promises nothing else: it is the success.
    assert_eq!(client.ping().await.expect("default").id, "pong");
}

/// A server that breaks the document: the repository `o/r` with a number for its name, and a
/// 404 whose body is not a `BasicError`.
async fn misbehaving() -> Client {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let address = listener.local_addr().expect("a local address");
    let router = axum::Router::new().route(
        "/repos/{owner}/{repo}",
        axum::routing::get(|axum::extract::Path((owner, _)): axum::extract::Path<(String, String)>| async move {
            let json = [(axum::http::header::CONTENT_TYPE, "application/json")];
            if owner == "o" {
                (axum::http::StatusCode::OK, json, r#"{"full_name": 5}"#)
            } else {
                (axum::http::StatusCode::NOT_FOUND, json, "gone")
            }
        }),
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Client::builder().base_url(format!("http://{address}")).build().expect("a client")
}

#[tokio::test]
async fn what_the_runtime_fails_with_keeps_the_operations_error_type() {
    // A body that does not match, for a success and for a documented error status alike: the
    // error names the status and where in the body it broke, and has no documented body.
    let client = misbehaving().await;
    let error: Error<BasicError> = client.get_repo("o", "r").await.expect_err("a number is not a name");
    match error.kind() {
        ErrorKind::Decode { status, path, .. } => assert_eq!((status.as_u16(), path.as_str()), (200, "full_name")),
        other => panic!("not a decoding error: {other:?}"),
    }
    let error = client.get_repo("x", "r").await.expect_err("a 404 with a body that is not JSON");
    assert!(matches!(error.kind(), ErrorKind::Decode { status, .. } if status.as_u16() == 404), "{error:?}");
    assert_eq!((error.status().map(|s| s.as_u16()), error.documented()), (Some(404), None));

    // Nothing listening, and a server that never answers: no status, no documented body.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("an address");
    let client = Client::builder().base_url(format!("http://{closed}")).retry(RetryPolicy::disabled()).build();
    let error = client.expect("a client").get_repo("o", "r").await.expect_err("refused");
    assert!(matches!(error.kind(), ErrorKind::Transport(e) if e.is_connect()), "{error:?}");
    assert_eq!((error.status(), error.documented()), (None, None));

    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let address = silent.local_addr().expect("a local address");
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            held.push(socket);
        }
    });
    let client = Client::builder().base_url(format!("http://{address}")).timeout(Some(Duration::from_millis(200)));
    let error = client.build().expect("a client").get_repo("o", "r").await.expect_err("no answer");
    assert!(matches!(error.kind(), ErrorKind::Timeout(_)), "{error:?}");
    assert_eq!((error.status(), error.documented()), (None, None));
}
