//! `--server-stubs` output, compiled and run: `spec/edge/errors.yaml` generated as a crate whose
//! server trait methods default to 501, and a test written into that crate which serves an
//! implementation that writes none of them (every operation answers 501 Not Implemented, which
//! the generated client reports as an unexpected status) and one that writes a single method
//! (that operation answers, the others still 501). Beside it, the same document with
//! `--server-stubs --no-client`, which must compile without the client's dependencies, and
//! `spec/edge/configured.yaml` with a configuration that replaces a schema by a type of an
//! outside crate it adds to `[dependencies]`.
//!
//! Compiling a generated crate means building axum, reqwest and their dependencies once: about
//! four minutes on two cores the first time, then about half a minute (the crates and their
//! target directory stay under `target/tmp/stubs`, and files are only rewritten when they
//! change). So generation always runs, and the build and the crate's test run when `CI` is set
//! (as `.ci/run` sets it) or `OAGEN_STUBS_COMPILE=1`; otherwise the test says so and passes.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The test written into the generated crate `edge-stubs`.
const STUB_TEST: &str = r##"//! Written by oagen-tests (tests/tests/stubs.rs): the stubs answer 501 until written.

use edge_stubs::client::{Client, Error, ErrorKind};
use edge_stubs::models::Job;
use edge_stubs::operations::PingResponse;
use edge_stubs::server::{self, Authenticator, Credential, Principal, Problem, ServerConfig};

/// Writes no method: every operation is a stub.
struct Unwritten;

impl server::Api for Unwritten {}

/// Writes `ping` only.
struct PingOnly;

impl server::Api for PingOnly {
    async fn ping(&self) -> Result<PingResponse, Problem> {
        Ok(PingResponse::Default(200, Job { id: "pong".to_owned() }))
    }
}

struct Nobody;

impl Authenticator for Nobody {
    async fn authenticate(&self, _scheme: &str, _credential: Credential<'_>) -> Option<Principal> {
        None
    }
}

/// Serves `api` on 127.0.0.1 and returns its base URL.
async fn serve<A: server::Api>(api: A) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let address = listener.local_addr().expect("a local address");
    let router = server::router(api, Nobody, ServerConfig::default());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{address}")
}

/// Sends `method path` (with `body` as JSON) and returns the status and the JSON body.
async fn call(base: &str, method: &str, path: &str, body: Option<&str>) -> (u16, Option<String>, serde_json::Value) {
    let http = reqwest::Client::new();
    let mut request = http.request(method.parse().expect("a method"), format!("{base}{path}"));
    if let Some(body) = body {
        request = request.header("content-type", "application/json").body(body.to_owned());
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let bytes = response.bytes().await.expect("a body");
    let body = serde_json::from_slice(&bytes).expect("a JSON body");
    (status, content_type, body)
}

const OPERATIONS: [(&str, &str, Option<&str>); 4] = [
    ("GET", "/ping", None),
    ("GET", "/repos/o/r", None),
    ("POST", "/things", Some(r#"{"name": "x"}"#)),
    ("DELETE", "/things/t", None),
];

#[tokio::test]
async fn every_unwritten_operation_answers_501() {
    let base = serve(Unwritten).await;
    for (method, path, body) in OPERATIONS {
        let (status, content_type, problem) = call(&base, method, path, body).await;
        assert_eq!(status, 501, "{method} {path}: {problem}");
        assert_eq!(content_type.as_deref(), Some("application/problem+json"), "{method} {path}");
        assert_eq!(problem["status"], 501, "{method} {path}: {problem}");
        assert_eq!(problem["title"], "Not Implemented", "{method} {path}: {problem}");
    }
    // What the stubs do not change: an unknown path is still 404, and a request the document
    // does not allow is still refused before it reaches a stub.
    assert_eq!(call(&base, "GET", "/nowhere", None).await.0, 404);
    assert_eq!(call(&base, "POST", "/things", Some(r#"{"nom": "x"}"#)).await.0, 400);

    // The generated client: 501 is not among getRepo's statuses.
    let client = Client::builder().base_url(base).build().expect("a client");
    match client.get_repo("o", "r").await.map_err(Error::into_kind) {
        Err(ErrorKind::UnexpectedStatus { status, .. }) => assert_eq!(status.as_u16(), 501),
        other => panic!("expected an unexpected 501, got {other:?}"),
    }
}

#[tokio::test]
async fn a_written_method_answers_and_the_others_stay_stubs() {
    let base = serve(PingOnly).await;
    let (status, _, body) = call(&base, "GET", "/ping", None).await;
    assert_eq!((status, body), (200, serde_json::json!({"id": "pong"})));
    for (method, path, body) in &OPERATIONS[1..] {
        assert_eq!(call(&base, method, path, *body).await.0, 501, "{method} {path}");
    }
}
"##;

/// The configuration of the crate `edge-configured`: `spec/edge/configured.yaml` with a type from
/// an outside crate in place of `Owner`, named in `[dependencies]` (with the feature it needs).
const CONFIGURED_TOML: &str = r#"crate-name = "edge-configured"

[select]
exclude-tags = ["audit"]

[replace]
Owner = "indexmap::IndexMap<String, serde_json::Value>"

[models]
derive = ["Eq"]

[types.Account]
rename = "Ledger"

[dependencies]
indexmap = { version = "2", features = ["serde"] }
"#;

/// Written into `edge-configured`: the outside type travels through client and server.
const CONFIGURED_TEST: &str = r##"//! Written by oagen-tests (tests/tests/stubs.rs): a replaced type from a dependency the
//! configuration added.

use edge_configured::client::Client;
use edge_configured::models::{Ledger, Tier};
use edge_configured::operations as ops;
use edge_configured::server::{self, Authenticator, Credential, Principal, Problem, ServerConfig};

#[derive(Clone, Default)]
struct Echo;

impl server::Api for Echo {
    async fn list_accounts(&self, _query: ops::ListAccountsQuery) -> Result<ops::ListAccountsResponse, Problem> {
        Ok(ops::ListAccountsResponse::Ok(Vec::new()))
    }

    async fn create_account(&self, body: Ledger) -> Result<ops::CreateAccountResponse, Problem> {
        Ok(ops::CreateAccountResponse::Created(body))
    }

    async fn get_account(&self, _id: String) -> Result<ops::GetAccountResponse, Problem> {
        Ok(ops::GetAccountResponse::NotFound)
    }
}

struct Nobody;

impl Authenticator for Nobody {
    async fn authenticate(&self, _scheme: &str, _credential: Credential<'_>) -> Option<Principal> {
        None
    }
}

#[tokio::test]
async fn an_outside_type_round_trips() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let address = listener.local_addr().expect("a local address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, server::router(Echo, Nobody, ServerConfig::default())).await;
    });
    let client = Client::builder().base_url(format!("http://{address}")).build().expect("a client");
    let mut owner = indexmap::IndexMap::new();
    owner.insert("name".to_owned(), serde_json::json!("Ada"));
    owner.insert("id".to_owned(), serde_json::json!(7));
    let account = Ledger::new("12.34".to_owned(), "a1".to_owned(), owner, Tier::EnterprisePlus);
    let created = client.create_account(&account).await.expect("201");
    assert_eq!(created, account);
    assert_eq!(created.owner.get("name"), Some(&serde_json::json!("Ada")), "the outside type's own API");
}
"##;

/// Generates `spec/edge/errors.yaml` with `settings` into `dir` (only changed files are written,
/// so a warm build stays warm).
fn generate(dir: &Path, settings: &oagen::Settings) {
    generate_from(dir, "errors.yaml", settings);
}

/// Generates `spec/edge/<name>` with `settings` into `dir`, written only where it changed.
fn generate_from(dir: &Path, name: &str, settings: &oagen::Settings) {
    let text = std::fs::read_to_string(root().join("spec/edge").join(name)).expect("an edge document");
    let generated = oagen::generate(&text, settings).expect("the document generates");
    assert!(generated.diagnostics.is_empty(), "{:?}", generated.diagnostics);
    oagen::write(dir, &generated).expect("write the crate");
}

/// Writes `text` to `path` unless it already holds it.
fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create the directory");
        std::fs::write(path, text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }
}

#[test]
fn server_stubs_compile_and_answer_501() {
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("stubs");
    let base = oagen::Settings::for_spec(Path::new("errors.yaml"));
    let stubs = oagen::Settings { crate_name: "edge-stubs".to_owned(), server_stubs: true, ..base.clone() };
    generate(&work.join("edge-stubs"), &stubs);
    let server_only = oagen::Settings { crate_name: "edge-stubs-server".to_owned(), client: false, ..stubs.clone() };
    generate(&work.join("edge-stubs-server"), &server_only);
    write_if_changed(&work.join("edge-stubs/tests/stubs.rs"), STUB_TEST);
    let mut configured = oagen::Settings::for_spec(Path::new("configured.yaml"));
    let config = oagen::config::parse("configured.toml", CONFIGURED_TOML).expect("the configuration parses");
    configured.configure(config, None);
    generate_from(&work.join("edge-configured"), "configured.yaml", &configured);
    write_if_changed(&work.join("edge-configured/tests/configured.rs"), CONFIGURED_TEST);
    write_if_changed(
        &work.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"edge-stubs\", \"edge-stubs-server\", \"edge-configured\"]\n",
    );
    if !work.join("Cargo.lock").exists() {
        // The workspace's versions, which are already downloaded.
        std::fs::copy(root().join("Cargo.lock"), work.join("Cargo.lock")).expect("seed Cargo.lock");
    }

    let compile = std::env::var_os("CI").is_some() || std::env::var_os("OAGEN_STUBS_COMPILE").is_some_and(|v| v != "0");
    if !compile {
        eprintln!(
            "stubs: generated under {}; not compiled (set OAGEN_STUBS_COMPILE=1, or CI, to build and run them)",
            work.display()
        );
        return;
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(&work)
        .args(["test", "--workspace", "--quiet"])
        .env("CARGO_TARGET_DIR", work.join("target"))
        .env("RUSTFLAGS", "-D warnings")
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the stub crates do not build, or their test fails:\n{stdout}\n{stderr}");
    // Both of the stub crate's tests ran, and the configured crate's one (a filter or a missing
    // file would run none and pass).
    assert!(stdout.contains("test result: ok. 2 passed"), "{stdout}");
    assert!(stdout.contains("test result: ok. 1 passed"), "{stdout}");
    let manifest = std::fs::read_to_string(work.join("edge-configured/Cargo.toml")).expect("a manifest");
    assert!(manifest.contains("indexmap = { version = \"2\", features = [\"serde\"] }"), "{manifest}");
}
