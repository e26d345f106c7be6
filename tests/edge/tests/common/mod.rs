//! What the served tests of the edge documents share: a loopback listener, a store of what
//! handlers received, and a raw request's problem reduced to its status and pointers.

#![allow(dead_code)] // each test file uses its own part

use std::sync::{Arc, Mutex};

/// Serves `router` on a free loopback port; its base URL.
pub async fn listen(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let address = listener.local_addr().expect("a local address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{address}")
}

/// What handlers were given, in arrival order, for the test to compare with what it sent.
#[derive(Debug)]
pub struct Log<T>(Arc<Mutex<Vec<T>>>);

impl<T> Clone for Log<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<T> Default for Log<T> {
    fn default() -> Self {
        Self(Arc::default())
    }
}

impl<T: Clone> Log<T> {
    pub fn push(&self, value: T) {
        self.0.lock().expect("log").push(value);
    }

    /// Everything received so far, emptying the log.
    pub fn take(&self) -> Vec<T> {
        std::mem::take(&mut *self.0.lock().expect("log"))
    }
}

/// Sends a raw JSON body with `method` to `url`; the status and the sorted pointers of the
/// problem's `errors` (empty when the answer is not a problem).
pub async fn raw(method: reqwest::Method, url: String, body: &str) -> (u16, Vec<String>) {
    let response = reqwest::Client::new()
        .request(method, url)
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .expect("an answer");
    problem(response).await
}

/// The status and sorted `errors[].pointer` of a problem+json answer.
pub async fn problem(response: reqwest::Response) -> (u16, Vec<String>) {
    let status = response.status().as_u16();
    let is_problem =
        response.headers().get("content-type").is_some_and(|v| v.as_bytes() == b"application/problem+json");
    let text = response.text().await.expect("a body");
    if !is_problem {
        return (status, Vec::new());
    }
    let body: serde_json::Value = serde_json::from_str(&text).expect("a problem");
    let mut pointers: Vec<String> = body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["pointer"].as_str().map(str::to_owned))
        .collect();
    pointers.sort();
    (status, pointers)
}

/// `pointers` as owned strings, sorted, to compare with [`problem`]'s.
pub fn sorted(pointers: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = pointers.iter().map(|p| (*p).to_owned()).collect();
    v.sort();
    v
}

/// One exchange as it crossed the wire: the request's body and the response's.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub request: Vec<u8>,
    pub response: Vec<u8>,
}

impl Exchange {
    /// The request body as JSON.
    pub fn sent(&self) -> serde_json::Value {
        serde_json::from_slice(&self.request).expect("a JSON request body")
    }

    /// The response body as JSON.
    pub fn answered(&self) -> serde_json::Value {
        serde_json::from_slice(&self.response).expect("a JSON response body")
    }
}

/// Serves `router` like [`listen`], recording every request and response body on the way.
pub async fn listen_recording(router: axum::Router) -> (String, Log<Exchange>) {
    async fn record(
        axum::extract::State(log): axum::extract::State<Log<Exchange>>,
        request: axum::extract::Request,
        next: axum::middleware::Next,
    ) -> axum::response::Response {
        let (parts, body) = request.into_parts();
        let request = axum::body::to_bytes(body, usize::MAX).await.expect("a request body");
        let response = next.run(axum::extract::Request::from_parts(parts, request.clone().into())).await;
        let (parts, body) = response.into_parts();
        let response = axum::body::to_bytes(body, usize::MAX).await.expect("a response body");
        log.push(Exchange { request: request.to_vec(), response: response.to_vec() });
        axum::response::Response::from_parts(parts, response.into())
    }
    let log = Log::default();
    let router = router.layer(axum::middleware::from_fn_with_state(log.clone(), record));
    (listen(router).await, log)
}

/// The keys of a JSON object, sorted.
pub fn keys(value: &serde_json::Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value.as_object().expect("an object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

/// The JSON body of a GET.
pub async fn get_json(url: String) -> serde_json::Value {
    let response = reqwest::get(url).await.expect("an answer");
    assert!(response.status().is_success(), "{}", response.status());
    let bytes = response.bytes().await.expect("a body");
    serde_json::from_slice(&bytes).expect("JSON")
}

/// Sends `body` as JSON with `method`.
pub async fn send_json(method: reqwest::Method, url: String, body: &serde_json::Value) -> reqwest::Response {
    reqwest::Client::new()
        .request(method, url)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("an answer")
}

/// A response's body as JSON.
pub async fn json_of(response: reqwest::Response) -> serde_json::Value {
    serde_json::from_slice(&response.bytes().await.expect("a body")).expect("JSON")
}
