//! What tracing and hooks cost a client call: the generated PostHog client calls `roles_retrieve`
//! on a local server (axum on 127.0.0.1, on its own thread), plain (no hooks, no subscriber)
//! and instrumented (the `tracing` feature's span recorded by a subscriber that formats every
//! field, and two hooks: one adds a header before each try, one times each try after it).
//! Rounds of each way alternate (each round starting with another), so drift in the machine hits
//! all alike; the figure is the median round. The goal (issue 15): instrumented costs less than 5 % more than plain.
//!
//! `cargo bench -p oagen-tests --bench client_overhead [-- ROUNDS CALLS]` (default 15 rounds of
//! 2,000 calls each way).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use posthog_organizations::client::{Call, Client, Error, Hook, Response};
use tracing_subscriber::layer::SubscriberExt as _;

/// The seed's role, as the server answers it.
const ROLE: &str = r#"{"id":"497f6eca-6276-4993-bfeb-53cbbbba6f08","name":"Engineering","feature_flags_access_level":21,"created_at":"2019-08-24T14:15:22Z","created_by":{"id":0,"uuid":"095be615-a8ad-4c33-8e9c-c7612fbf6c9f","distinct_id":"string","first_name":"string","last_name":"string","email":"user@example.com","is_email_verified":true,"hedgehog_config":{}},"members":"string","is_default":"string"}"#;

/// Serves the role on 127.0.0.1 from a runtime of its own; its base URL.
fn serve() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
            tx.send(listener.local_addr().expect("an address")).expect("the bench waits");
            let app = axum::Router::new().route(
                "/api/organizations/{org}/roles/{id}/",
                axum::routing::get(|| async { ([(axum::http::header::CONTENT_TYPE, "application/json")], ROLE) }),
            );
            axum::serve(listener, app).await.expect("the server runs");
        });
    });
    format!("http://{}", rx.recv().expect("the server's address"))
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

/// `calls` sequential calls; the time per call.
async fn round(client: &Client, org: uuid::Uuid, role: uuid::Uuid, calls: u32) -> Duration {
    let started = Instant::now();
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

fn main() {
    let args: Vec<u32> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let rounds = args.first().copied().unwrap_or(15);
    let calls = args.get(1).copied().unwrap_or(2_000);
    let base = serve();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let org: uuid::Uuid = "018f4a4e-5b1c-7d2e-8f3a-0b1c2d3e4f50".parse().expect("a UUID");
    let role: uuid::Uuid = "497f6eca-6276-4993-bfeb-53cbbbba6f08".parse().expect("a UUID");

    let plain = Client::builder().base_url(&base).bearer_token("phx_bench").build().expect("a client");
    // The same again: how far two identical clients differ is the noise of the figures.
    let control = Client::builder().base_url(&base).bearer_token("phx_bench").build().expect("a client");
    let timed = Arc::new(AtomicU64::new(0));
    let instrumented = Client::builder()
        .base_url(&base)
        .bearer_token("phx_bench")
        .hook(Tag)
        .hook(Timer(Arc::clone(&timed)))
        .build()
        .expect("a client");
    let formatted = Arc::new(AtomicU64::new(0));
    let dispatch = tracing::Dispatch::new(tracing_subscriber::registry().with(Format(Arc::clone(&formatted))));

    // (what is measured, the client, whether the subscriber records); the first is the baseline.
    let ways = [
        ("plain: no hooks, no subscriber", &plain, false),
        ("plain again, a second client (noise)", &control, false),
        ("two hooks", &instrumented, false),
        ("tracing span recorded", &plain, true),
        ("tracing span recorded + two hooks", &instrumented, true),
    ];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); ways.len()];
    runtime.block_on(async {
        // Warm every way: connections open, allocator and caches settled. The subscriber's first:
        // tracing decides whether a span is of interest when it is first created, from the
        // dispatcher of the thread then, and keeps that answer.
        for (_, client, traced) in ways.iter().rev() {
            let _subscriber = traced.then(|| tracing::dispatcher::set_default(&dispatch));
            round(client, org, role, calls / 4).await;
        }
        // Each round starts with another way, so none always comes first.
        for r in 0..rounds as usize {
            for i in (0..ways.len()).map(|i| (i + r) % ways.len()) {
                let (_, client, traced) = ways[i];
                let _subscriber = traced.then(|| tracing::dispatcher::set_default(&dispatch));
                times[i].push(round(client, org, role, calls).await);
            }
        }
    });
    let ran = (formatted.load(Ordering::Relaxed), timed.load(Ordering::Relaxed));
    assert!(ran.0 > 0 && ran.1 > 0, "the instrumentation ran: {ran:?}");

    let medians: Vec<Duration> = times.into_iter().map(median).collect();
    let base = medians[0].as_secs_f64();
    println!("client call overhead: {rounds} rounds of {calls} sequential roles_retrieve calls each way, median round");
    println!("| client | per call | over plain |");
    println!("|---|---|---|");
    for ((what, ..), time) in ways.iter().zip(&medians) {
        let over = (time.as_secs_f64() / base - 1.0) * 100.0;
        println!("| {what} | {:.1} µs | {over:+.1} % |", time.as_secs_f64() * 1e6);
    }
    let overhead = (medians[ways.len() - 1].as_secs_f64() / base - 1.0) * 100.0;
    println!("tracing + two hooks: {overhead:+.1} % (goal: under 5 %) {}", if overhead < 5.0 { "ok" } else { "OVER" });
}
