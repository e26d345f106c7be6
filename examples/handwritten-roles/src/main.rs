//! The baseline of the load bench (`bench/load.sh`, BENCHMARKS.md "The server under load"): the
//! example server's roles list, create and delete, written by hand in plain axum.
//!
//! ```text
//! cargo run --release -p handwritten-roles -- --listen 127.0.0.1:8001 --token TOKEN
//! ```
//!
//! The work behind each request is the example server's: the same store
//! (`generated/examples/server/app.rs`, included below) answers through the same methods, and
//! the same authenticator turns the bearer token into a principal. What is written by hand is
//! what the generated router does around them: axum's `Path`, `Query` and `Json` extractors
//! instead of the router's coercion, schema validation and located problems, a scope check in
//! one `contains`, and the response bodies serialized directly. The bodies are the example
//! server's, byte for byte, for these requests; problems carry no violation list.
//!
//! It prints the default organization and the address like the example server, and takes its
//! `--listen` and `--token T[=SCOPE,...]` options (a token without scopes gets every scope).

#[path = "../../../generated/examples/server/app.rs"]
mod app;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use posthog_organizations::models::RoleRequest;
use posthog_organizations::operations as ops;
use posthog_organizations::server::{Api as _, Authenticator as _, Credential, Principal, Problem};
use uuid::Uuid;

/// The store and the tokens, shared by every handler.
struct Shared {
    api: app::InMemory,
    auth: app::TokenAuth,
}

type Ctx = State<Arc<Shared>>;

/// The longest role name the document allows (`RoleRequest.name`, `maxLength: 200`).
const NAME_MAX_CHARS: usize = 200;

/// `GET /api/organizations/{organization_id}/roles/`
async fn roles_list(
    State(s): Ctx,
    Path(org): Path<Uuid>,
    Query(q): Query<ops::RolesListQuery>,
    headers: HeaderMap,
) -> Response {
    let principal = match authorize(&s, &headers, "organization:read").await {
        Ok(principal) => principal,
        Err(refusal) => return refusal,
    };
    match s.api.roles_list(org, q, principal).await {
        Ok(ops::RolesListResponse::Ok(list)) => json(StatusCode::OK, &list),
        Err(problem) => problem_response(&problem),
    }
}

/// `POST /api/organizations/{organization_id}/roles/`
async fn roles_create(
    State(s): Ctx,
    Path(org): Path<Uuid>,
    headers: HeaderMap,
    Json(body): Json<RoleRequest>,
) -> Response {
    let principal = match authorize(&s, &headers, "organization:write").await {
        Ok(principal) => principal,
        Err(refusal) => return refusal,
    };
    if body.name.chars().count() > NAME_MAX_CHARS {
        return problem_response(&Problem::new(400, "The request is not valid").with_detail("name: too long"));
    }
    match s.api.roles_create(org, body, principal).await {
        Ok(ops::RolesCreateResponse::Created(role)) => json(StatusCode::CREATED, &role),
        Err(problem) => problem_response(&problem),
    }
}

/// `DELETE /api/organizations/{organization_id}/roles/{id}/`
async fn roles_destroy(State(s): Ctx, Path((org, id)): Path<(Uuid, Uuid)>, headers: HeaderMap) -> Response {
    let principal = match authorize(&s, &headers, "organization:write").await {
        Ok(principal) => principal,
        Err(refusal) => return refusal,
    };
    match s.api.roles_destroy(org, id, principal).await {
        Ok(ops::RolesDestroyResponse::NoContent) => StatusCode::NO_CONTENT.into_response(),
        Err(problem) => problem_response(&problem),
    }
}

/// The principal of `Authorization: Bearer <token>` holding `scope`; 401 or 403 otherwise.
async fn authorize(s: &Shared, headers: &HeaderMap, scope: &str) -> Result<Principal, Response> {
    let token =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let principal = match token {
        Some(token) => s.auth.authenticate("PersonalAPIKeyAuth", Credential::Bearer(token)).await,
        None => None,
    };
    let Some(principal) = principal else {
        let mut refusal = problem_response(&Problem::unauthorized());
        refusal.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return Err(refusal);
    };
    if !principal.scopes.contains(scope) {
        return Err(problem_response(
            &Problem::new(403, "Forbidden").with_detail(format!("missing scope(s): {scope}")),
        ));
    }
    Ok(principal)
}

/// `body` as JSON with `status`.
fn json<T: serde::Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(e) => problem_response(&Problem::new(500, "Internal Server Error").with_detail(e.to_string())),
    }
}

/// A problem the store (or a check above) gave, as `application/problem+json`.
fn problem_response(problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let bytes = serde_json::to_vec(problem).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/problem+json")], bytes).into_response()
}

const USAGE: &str = "usage: handwritten-roles [--listen ADDR] [--token TOKEN[=SCOPE,...]]...";

/// `--listen ADDR` (default 127.0.0.1:8001) and the tokens; the message to print otherwise.
fn parse(args: impl Iterator<Item = String>) -> Result<(SocketAddr, app::TokenAuth), String> {
    let mut listen = SocketAddr::from(([127, 0, 0, 1], 8001));
    let mut tokens = BTreeMap::new();
    let mut args = args.peekable();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--listen" => {
                let text = value()?;
                listen = text.parse().map_err(|e| format!("--listen {text:?}: {e}"))?;
            }
            "--token" => {
                let spec = value()?;
                let (token, scopes) = match spec.split_once('=') {
                    Some((token, scopes)) => (token.to_owned(), scopes.split(',').map(str::to_owned).collect()),
                    None => (spec.clone(), app::TokenAuth::all_scopes()),
                };
                tokens.insert(token, scopes);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if tokens.is_empty() {
        return Err("at least one --token is needed".to_owned());
    }
    Ok((listen, app::TokenAuth::new(tokens)))
}

#[tokio::main]
async fn main() -> ExitCode {
    let (listen, auth) = match parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on {listen}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().unwrap_or(listen);
    let api = app::InMemory::new(format!("http://{addr}"));
    println!("default organization: {}", api.default_organization());
    println!("listening on http://{addr}");

    let router = axum::Router::new()
        .route("/api/organizations/{organization_id}/roles/", get(roles_list).post(roles_create))
        .route("/api/organizations/{organization_id}/roles/{id}/", delete(roles_destroy))
        .with_state(Arc::new(Shared { api, auth }));
    let shutdown = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    if let Err(e) = axum::serve(listener, router).with_graceful_shutdown(shutdown).await {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
