//! Graceful shutdown of the example server (`generated/examples/server`): on SIGTERM it stops
//! accepting, finishes the request in flight (here one whose body is still arriving), and exits 0.

#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Builds the example server and returns its binary.
fn example_server() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "-p", "posthog-organizations", "--example", "server"])
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the example server builds");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("debug/examples/server")
}

#[tokio::test]
async fn sigterm_lets_the_request_in_flight_finish_then_exits_0() {
    let mut server = Command::new(example_server())
        .args(["--listen", "127.0.0.1:0", "--token", "drain"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the example server starts");
    // It prints its organization, then where it listens.
    let mut lines = BufReader::new(server.stdout.take().expect("stdout")).lines();
    let mut organization = String::new();
    let address = loop {
        let line = lines.next().expect("a line").expect("text");
        if let Some(org) = line.strip_prefix("default organization: ") {
            organization = org.to_owned();
        }
        if let Some(address) = line.strip_prefix("listening on http://") {
            break address.to_owned();
        }
    };

    // A request whose body has only half arrived when the signal comes.
    let body = br#"{"name":"Drained"}"#;
    let mut stream = tokio::net::TcpStream::connect(&address).await.expect("connects");
    let head = format!(
        "POST /api/organizations/{organization}/roles/ HTTP/1.1\r\nhost: {address}\r\nauthorization: Bearer drain\r\n\
         content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("head sent");
    stream.write_all(&body[..8]).await.expect("half the body sent");
    tokio::time::sleep(Duration::from_millis(300)).await;

    let pid = server.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs").success());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(server.try_wait().expect("a status").is_none(), "it waits for the request in flight");
    // It no longer accepts.
    assert!(tokio::net::TcpStream::connect(&address).await.is_err(), "a new connection is refused while draining");

    stream.write_all(&body[8..]).await.expect("the rest of the body sent");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("the answer");
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    assert!(answer.contains("\"name\":\"Drained\""), "{answer}");

    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.try_wait().expect("a status") {
            break status;
        }
        assert!(Instant::now() < deadline, "it exits once the request is answered");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status}");
    let said: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(said.iter().any(|l| l.starts_with("shutting down")), "{said:?}");
}
