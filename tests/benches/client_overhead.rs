//! What tracing and hooks cost a client call: the generated PostHog client calls `roles_retrieve`
//! on a local server (axum on 127.0.0.1, on a thread of its own), plain (no hooks, no subscriber)
//! and instrumented: the `tracing` feature's span kept by a subscriber (tracing-subscriber's
//! registry alone, or with a layer that formats every field as a log line would), and two hooks
//! (one adds a header before each try, one times each try after it).
//! Rounds of each way alternate (each round starting with another), so drift in the machine hits
//! all alike; the figure is the median round. The goal (issue 15): instrumented costs less than
//! 5 % more than plain.
//!
//! Against two local servers: the generated router (as the `testing` feature serves it, with a
//! fake `roles_retrieve`) and a bare axum handler, where the server does least and the client's
//! share is largest.
//!
//! `cargo bench -p oagen-tests --bench client_overhead [-- ROUNDS CALLS]` (default 151 rounds of
//! 200 calls each way).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::future::BoxFuture;
use posthog_organizations::client::{Call, Client, ClientBuilder, Error, Hook, Response};
use posthog_organizations::testing::TestServer;
use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt as _;

/// The seed's role, as the server answers it.
const ROLE: &str = r#"{"id":"497f6eca-6276-4993-bfeb-53cbbbba6f08","name":"Engineering","feature_flags_access_level":21,"created_at":"2019-08-24T14:15:22Z","created_by":{"id":0,"uuid":"095be615-a8ad-4c33-8e9c-c7612fbf6c9f","distinct_id":"string","first_name":"string","last_name":"string","email":"user@example.com","is_email_verified":true,"hedgehog_config":{}},"members":"string","is_default":"string"}"#;

/// Serves the role on 127.0.0.1 from the current runtime; its base URL.
async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let address = listener.local_addr().expect("an address");
    let app = axum::Router::new().route(
        "/api/organizations/{org}/roles/{id}/",
        axum::routing::get(|| async { ([(axum::http::header::CONTENT_TYPE, "application/json")], ROLE) }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.expect("the server runs") });
    format!("http://{address}")
}

/// The generated server's side: the role, behind the generated router's validation and
/// authentication.
struct OneRole(posthog_organizations::models::Role);

impl posthog_organizations::testing::FakeApi for OneRole {
    async fn roles_retrieve(
        &self,
        _: uuid::Uuid,
        _: uuid::Uuid,
        _: posthog_organizations::server::Principal,
    ) -> Result<posthog_organizations::operations::RolesRetrieveResponse, posthog_organizations::server::Problem> {
        Ok(posthog_organizations::operations::RolesRetrieveResponse::Ok(self.0.clone()))
    }
}

/// Adds a header to every try.
struct Tag;

impl Hook for Tag {
    fn before<'a>(&'a self, _: &'a Call, request: &'a mut reqwest::Request) -> BoxFuture<'a, Result<(), Error>> {
        request.headers_mut().insert("x-bench", reqwest::header::HeaderValue::from_static("1"));
        Box::pin(async { Ok(()) })
    }
}

/// Adds up how long the tries took.
struct Timer(Arc<AtomicU64>);

impl Hook for Timer {
    fn after<'a>(&'a self, call: &'a Call, _: Result<&'a Response, &'a Error>) -> BoxFuture<'a, ()> {
        let nanos = u64::try_from(call.started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.0.fetch_add(nanos, Ordering::Relaxed);
        Box::pin(async {})
    }
}

/// A subscriber's work per span: every field formatted (as a log line or an exporter would).
struct Format(Arc<AtomicU64>);

struct Line<'a>(&'a mut String);

impl tracing::field::Visit for Line<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        use std::fmt::Write as _;
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Format {
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        _: &tracing::span::Id,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut line = String::new();
        attrs.record(&mut Line(&mut line));
        self.0.fetch_add(line.len() as u64, Ordering::Relaxed);
    }

    fn on_record(
        &self,
        _: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut line = String::new();
        values.record(&mut Line(&mut line));
        self.0.fetch_add(line.len() as u64, Ordering::Relaxed);
    }
}

/// `calls` sequential calls; the client thread's CPU time per call: the client's own work, without
/// the server's, the waits for it, or the time a shared machine gives other guests.
async fn round(client: &Client, org: uuid::Uuid, role: uuid::Uuid, calls: u32) -> Duration {
    let started = cpu_time::ThreadTime::now();
    for _ in 0..calls {
        let got = client.roles_retrieve(org, role).await.expect("the local server answers");
        std::hint::black_box(got);
    }
    started.elapsed() / calls
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// The five ways of calling `base` (built by `builder`, which carries its credentials), timed in
/// alternating rounds; one table row each.
fn measure(
    runtime: &tokio::runtime::Runtime,
    builder: &dyn Fn() -> ClientBuilder,
    server: &str,
    rounds: u32,
    calls: u32,
) {
    let org: uuid::Uuid = "018f4a4e-5b1c-7d2e-8f3a-0b1c2d3e4f50".parse().expect("a UUID");
    let role: uuid::Uuid = "497f6eca-6276-4993-bfeb-53cbbbba6f08".parse().expect("a UUID");
    // One connection pool for every way, so they all send over the same connection: two pools'
    // connections differ in speed by more than what is measured.
    let http = reqwest::Client::new();
    let builder = || builder().http_client(http.clone());
    let plain = builder().build().expect("a client");
    // The same again: how far two identical clients differ is the noise of the figures.
    let control = builder().build().expect("a client");
    let timed = Arc::new(AtomicU64::new(0));
    let instrumented = builder().hook(Tag).hook(Timer(Arc::clone(&timed))).build().expect("a client");
    let formatted = Arc::new(AtomicU64::new(0));
    // At INFO, as a service logs: the debug and trace events of hyper and reqwest stay off.
    let layer = Format(Arc::clone(&formatted)).with_filter(tracing_subscriber::filter::LevelFilter::INFO);
    let formatting = tracing::Dispatch::new(tracing_subscriber::registry().with(layer));
    // Spans kept by the registry (what every layer builds on), nothing formatted or exported.
    let registry =
        tracing::Dispatch::new(tracing_subscriber::registry().with(tracing_subscriber::filter::LevelFilter::INFO));

    // (what is measured, the client, the subscriber); the first is the baseline, the last the goal's.
    let ways = [
        ("plain: no hooks, no subscriber", &plain, None),
        ("plain again, a second client (noise)", &control, None),
        ("two hooks", &instrumented, None),
        ("tracing: span kept by the registry", &plain, Some(&registry)),
        ("tracing: span kept + every field formatted", &plain, Some(&formatting)),
        ("tracing: span kept by the registry + two hooks", &instrumented, Some(&registry)),
        ("tracing: span kept + every field formatted + two hooks", &instrumented, Some(&formatting)),
    ];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); ways.len()];
    runtime.block_on(async {
        // Warm every way: connections open, allocator and caches settled. The subscriber's first:
        // tracing decides whether a span is of interest when it is first created, from the
        // dispatcher of the thread then, and keeps that answer.
        for (_, client, subscriber) in ways.iter().rev() {
            let _subscriber = subscriber.map(tracing::dispatcher::set_default);
            round(client, org, role, calls / 4).await;
        }
        // Each round starts with another way, so none always comes first.
        for r in 0..rounds as usize {
            for i in (0..ways.len()).map(|i| (i + r) % ways.len()) {
                let (_, client, subscriber) = ways[i];
                let _subscriber = subscriber.map(tracing::dispatcher::set_default);
                times[i].push(round(client, org, role, calls).await);
            }
        }
    });
    let ran = (formatted.load(Ordering::Relaxed), timed.load(Ordering::Relaxed));
    assert!(ran.0 > 0 && ran.1 > 0, "the instrumentation ran: {ran:?}");

    let medians: Vec<Duration> = times.into_iter().map(median).collect();
    let base = medians[0].as_secs_f64();
    println!("\n{server}: {rounds} rounds of {calls} sequential roles_retrieve calls each way, median round");
    println!("| client | per call | over plain |");
    println!("|---|---|---|");
    for ((what, ..), time) in ways.iter().zip(&medians) {
        let over = (time.as_secs_f64() / base - 1.0) * 100.0;
        println!("| {what} | {:.1} µs | {over:+.1} % |", time.as_secs_f64() * 1e6);
    }
    for (what, i) in [("kept", ways.len() - 2), ("formatted", ways.len() - 1)] {
        let overhead = (medians[i].as_secs_f64() / base - 1.0) * 100.0;
        let verdict = if overhead < 5.0 { "ok" } else { "OVER" };
        println!("tracing ({what}) + two hooks: {overhead:+.1} % (goal: under 5 %) {verdict}");
    }
}

fn main() {
    let args: Vec<u32> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let rounds = args.first().copied().unwrap_or(151);
    let calls = args.get(1).copied().unwrap_or(200);

    // Both servers run on a thread of their own, so the client's thread time is the client's.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        runtime.block_on(async move {
            // The generated server (its router, validation, authentication), as `testing` serves it.
            let role: posthog_organizations::models::Role = serde_json::from_str(ROLE).expect("the seed role decodes");
            let generated = TestServer::start(OneRole(role)).await.expect("the test server starts");
            // A bare axum handler: the least a server can do.
            let bare = serve().await;
            tx.send((generated.base_url().to_owned(), bare)).expect("the bench waits");
            std::future::pending::<()>().await;
        });
    });
    let (generated, bare) = rx.recv().expect("the servers' addresses");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let to_generated =
        || Client::builder().base_url(&generated).bearer_token(posthog_organizations::testing::CREDENTIAL);
    measure(&runtime, &to_generated, "the generated server (testing::TestServer)", rounds, calls);
    let to_bare = || Client::builder().base_url(&bare).bearer_token("phx_bench");
    measure(&runtime, &to_bare, "a bare axum handler", rounds, calls);
}
