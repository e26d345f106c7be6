//! The PostHog organizations API, served from memory.
//!
//! ```text
//! cargo run -p posthog-organizations --example server -- \
//!     --listen 127.0.0.1:8000 --token TOKEN=organization:read,organization:write
//! ```
//!
//! `--token` may be repeated; without one a token holding every scope is made up and printed.
//! Stop it with ctrl-c or SIGTERM: it stops accepting, finishes the requests in flight, exits 0.
//!
//! It implements every operation, so it needs the crate's `server` and `all-tags` features (both
//! default); built without them it only says so.

#[cfg(all(feature = "server", feature = "all-tags"))]
mod app;

#[cfg(all(feature = "server", feature = "all-tags"))]
use std::collections::{BTreeMap, BTreeSet};
#[cfg(all(feature = "server", feature = "all-tags"))]
use std::net::SocketAddr;
use std::process::ExitCode;

#[cfg(all(feature = "server", feature = "all-tags"))]
use posthog_organizations::server::{self, ServerConfig};

#[cfg(all(feature = "server", feature = "all-tags"))]
const USAGE: &str = "\
usage: server [--listen ADDR] [--token TOKEN=SCOPE[,SCOPE...]]...

  --listen ADDR   address to listen on (default 127.0.0.1:8000)
  --token T=S,..  accept bearer token T granting scopes S (repeatable; `T` alone grants every
                  scope); without --token a token with every scope is generated and printed
  -h, --help      show this help

scopes: organization:read organization:write organization_member:read organization_member:write";

#[cfg(all(feature = "server", feature = "all-tags"))]
struct Options {
    listen: SocketAddr,
    tokens: BTreeMap<String, BTreeSet<String>>,
}

/// The options, or the message to print (with the usage) before exiting 2.
#[cfg(all(feature = "server", feature = "all-tags"))]
fn parse(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut listen = SocketAddr::from(([127, 0, 0, 1], 8000));
    let mut tokens = BTreeMap::new();
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| match inline.clone().or_else(|| args.next()) {
            Some(v) => Ok(v),
            None => Err(format!("{name} needs a value")),
        };
        match flag.as_str() {
            "--listen" => {
                let text = value("--listen")?;
                listen = text.parse().map_err(|e| format!("--listen {text:?}: {e}"))?;
            }
            "--token" => {
                let spec = value("--token")?;
                let (token, scopes) = match spec.split_once('=') {
                    Some((token, scopes)) => (
                        token.to_owned(),
                        scopes.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
                    ),
                    None => (spec.clone(), app::TokenAuth::all_scopes()),
                };
                if token.is_empty() {
                    return Err(format!("--token {spec:?}: empty token"));
                }
                for scope in &scopes {
                    if !app::ALL_SCOPES.contains(&scope.as_str()) {
                        eprintln!("warning: scope {scope:?} is not one the API uses");
                    }
                }
                tokens.insert(token, scopes);
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Options { listen, tokens })
}

#[cfg(all(feature = "server", feature = "all-tags"))]
#[tokio::main]
async fn main() -> ExitCode {
    let mut options = match parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if options.tokens.is_empty() {
        let token = format!("phx_{}", uuid::Uuid::new_v4().simple());
        let scopes = app::TokenAuth::all_scopes();
        println!("token: {token} (scopes: {})", scopes.iter().map(String::as_str).collect::<Vec<_>>().join(", "));
        options.tokens.insert(token, scopes);
    }

    let listener = match tokio::net::TcpListener::bind(options.listen).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", options.listen);
            return ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().unwrap_or(options.listen);
    let api = app::InMemory::new(format!("http://{addr}"));
    println!("default organization: {}", api.default_organization());
    println!("listening on http://{addr}");

    let router = server::router(api, app::TokenAuth::new(options.tokens), ServerConfig::default());
    // Ctrl-C or SIGTERM (what `docker stop` and Kubernetes send): stop accepting, let the
    // requests in flight finish, then exit 0.
    let shutdown = async {
        tokio::select! {
            () = ctrl_c() => {}
            () = terminate() => {}
        }
        println!("shutting down: finishing the requests in flight");
    };
    if let Err(e) = axum::serve(listener, router).with_graceful_shutdown(shutdown).await {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Resolves on Ctrl-C; never, if its handler cannot be installed.
#[cfg(all(feature = "server", feature = "all-tags"))]
async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Resolves on SIGTERM; never where there is none, or its handler cannot be installed.
#[cfg(all(feature = "server", feature = "all-tags"))]
async fn terminate() {
    #[cfg(unix)]
    if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        signal.recv().await;
        return;
    }
    std::future::pending::<()>().await;
}

/// Without the server or some tag's operations there is no `Api` implementation to serve.
#[cfg(not(all(feature = "server", feature = "all-tags")))]
fn main() -> ExitCode {
    eprintln!("this example implements every operation: build it with the `server` and `all-tags` features");
    ExitCode::FAILURE
}
