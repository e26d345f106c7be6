//! The committed crate's cargo features, built as a downstream crate would pick them: the client
//! with one tag builds, and so does the fake server for tests with one tag; the client with no operation feature stops with the `compile_error!`
//! that names what to add, instead of compiling a client with no methods.
//!
//! Runs `cargo check` on `generated/` in a target directory of its own (`target/features`), so it
//! does not wait on the lock of the `cargo test` that runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn check(features: &str) -> Output {
    let root = root();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Command::new(cargo)
        .current_dir(&root)
        .args(["check", "--quiet", "-p", "posthog-organizations", "--lib", "--no-default-features", "--features"])
        .arg(features)
        .env("CARGO_TARGET_DIR", root.join("target/features"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs")
}

#[test]
fn a_side_without_an_operation_feature_names_the_features_to_add() {
    let out = check("client");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "`client` alone compiled:\n{stderr}");
    assert!(
        stderr
            .contains("no operation is compiled: add the feature `all-tags` (every operation) or the `tag-*` feature"),
        "{stderr}"
    );

    let out = check("server");
    assert!(!out.status.success(), "`server` alone compiled");
    assert!(String::from_utf8_lossy(&out.stderr).contains("beside `client` or `server`"));

    for features in ["client,tag-roles", "server,tag-proxy-records", "client,server,all-tags", "testing,tag-roles"] {
        let out = check(features);
        assert!(out.status.success(), "`{features}` does not build:\n{}", String::from_utf8_lossy(&out.stderr));
    }
}
