//! The reference page at `/docs` (feature `docs-ui`) in a real headless browser: Debian's
//! Chromium, driven by `tests/docs-ui/reference_page.mjs` (playwright-core, no browser download)
//! against the example server. The page loads with no network but the loopback, lists all 40
//! operations, and "Try it out" on `roles_list` returns the organization's roles.
//!
//! Needs `node`, Chromium (`apt-get install chromium`; `CHROMIUM` names another binary) and
//! `npm ci --prefix tests/docs-ui`; without them it says so and passes, unless `CI` is set
//! (`.ci/run` installs them).

#[path = "../../generated/examples/server/app.rs"]
mod app;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use posthog_organizations::server::{self, ServerConfig};

/// What the browser test needs that is missing, if anything.
fn missing_tools(driver_dir: &Path) -> Option<String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node is not installed".to_owned());
    }
    if !Path::new(&chromium).exists() {
        return Some(format!("no Chromium at {chromium} (apt-get install chromium, or set CHROMIUM)"));
    }
    if !driver_dir.join("node_modules/playwright-core").exists() {
        return Some("playwright-core is not installed (npm ci --prefix tests/docs-ui)".to_owned());
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reference_page_lists_every_operation_and_tries_one_out() {
    let driver_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs-ui");
    if let Some(missing) = missing_tools(&driver_dir) {
        assert!(std::env::var_os("CI").is_none(), "the docs page test cannot run: {missing}");
        eprintln!("skipped: {missing}");
        return;
    }

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    let store = app::InMemory::new(base.clone());
    let organization = store.default_organization();
    let scopes: BTreeSet<String> = app::ALL_SCOPES.iter().map(|s| (*s).to_owned()).collect();
    let auth = app::TokenAuth::new(BTreeMap::from([("docs-token".to_owned(), scopes)]));
    let router = server::router(store, auth, ServerConfig::default());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });

    // A role to find in the page's answer.
    let created = reqwest::Client::new()
        .post(format!("{base}/api/organizations/{organization}/roles/"))
        .bearer_auth("docs-token")
        .header("content-type", "application/json")
        .body(r#"{"name":"Reference readers"}"#)
        .send()
        .await
        .expect("an answer");
    assert_eq!(created.status().as_u16(), 201);

    let args = [
        base.clone(),
        "40".to_owned(),
        "docs-token".to_owned(),
        organization.to_string(),
        "Reference readers".to_owned(),
    ];
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node").arg("reference_page.mjs").args(args).current_dir(driver_dir).output()
    })
    .await
    .expect("the driver ran")
    .expect("node starts");
    let report = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the reference page failed its checks:\n{report}");
    assert!(report.contains("operations listed: 40"), "{report}");
}
