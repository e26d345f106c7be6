//! oagen turns an OpenAPI 3 document into Rust, from one intermediate representation: serde
//! models (with request and response views split by `readOnly`/`writeOnly`, and enums that survive
//! values they do not know), an async client (reqwest) with one method per operation, and an axum
//! server: a trait with one method per operation and a router that authenticates, checks scopes
//! and validates requests before calling it.
//!
//! Three ways in, one output: the `oagen` command line (`oagen generate`, `oagen check`), the
//! [`Builder`] for build scripts, and [`generate`] for anything else. All three render through
//! the same function, so their bytes are identical.
//!
//! # From a build script
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), oagen::Error> {
//!     oagen::Builder::new().spec("openapi.yaml").generate()
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs: the module is named after the spec file (`openapi.yaml` -> `openapi.rs`).
//! include!(concat!(env!("OUT_DIR"), "/openapi.rs"));
//! ```
//!
//! The including crate depends on what generated code uses: `serde` (with `derive`),
//! `serde_json`, `uuid` (with `serde`), `chrono` (with `serde`) and `base64`; for the client
//! (see [`Builder::client`]) and the server (see [`Builder::server`]), the crates listed there.
#![warn(missing_docs)]

mod builder;
pub mod config;
mod emit;
mod error;
mod ir;
mod load;
mod lower;
mod manifest;
mod names;
mod overlay;
mod parallel;
mod pipeline;
mod settings;
mod write;

use std::path::Path;

pub use builder::Builder;
pub use error::{Diagnostic, Error, Severity};
pub use settings::{Generated, Settings, Timings};

/// Generates a complete crate: `Cargo.toml`, `rustfmt.toml` (formatting is oagen's) and, under
/// `src/`, `lib.rs`, `models.rs`, `operations.rs` and `runtime.rs`; with the client (see [`Settings::client`]) `client.rs` and
/// `client_runtime.rs`; with the server (see [`Settings::server`]) `server.rs` and
/// `server_runtime.rs`; with both, `testing.rs` and `testing_runtime.rs` (a fake server for
/// tests, behind the crate's `testing` feature).
pub fn generate(text: &str, settings: &Settings) -> Result<Generated, Error> {
    pipeline::generate(text, settings)
}

/// Generates the files a build script writes: the modules of [`generate`]'s `src/` (the same
/// bytes) but for `lib.rs`, and `<module>.rs`, which a crate `include!`s.
pub fn generate_modules(text: &str, settings: &Settings, module: &str) -> Result<Generated, Error> {
    pipeline::generate_modules(text, settings, module)
}

/// Writes generated files under `dir`, rewriting only files whose bytes change.
pub fn write(dir: &Path, generated: &Generated) -> Result<Vec<String>, Error> {
    write::write_files(dir, &generated.files)
}

/// Compares generated files with `dir`; each differing file comes with a unified diff.
pub fn check(dir: &Path, generated: &Generated) -> Vec<(String, String)> {
    write::check_files(dir, &generated.files)
}
