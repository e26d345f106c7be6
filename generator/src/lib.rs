//! oagen turns an OpenAPI 3 document into Rust: serde models (with request and response views
//! split by `readOnly`/`writeOnly`, and enums that survive values they do not know), from one
//! intermediate representation.
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
//! `serde_json`, `uuid` (with `serde`), `chrono` (with `serde`) and `base64`; and, for the client
//! (see [`Builder::client`]), `reqwest` and the crates listed there.

mod emit;
mod error;
pub mod ir;
mod load;
mod lower;
mod names;
mod overlay;
mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use error::{Diagnostic, Error, Severity};

/// The support module copied into every generated crate.
const RUNTIME: &str = include_str!("../../templates/runtime.rs");
/// The client's runtime, copied into every generated crate with a client.
const CLIENT_RUNTIME: &str = include_str!("../../templates/client_runtime.rs");
/// The server's runtime, copied into every generated crate with a server.
const SERVER_RUNTIME: &str = include_str!("../../templates/server_runtime.rs");
/// The generated crate's manifest.
const CARGO_TOML: &str = include_str!("../../templates/Cargo.toml.in");

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The package name of a generated crate (`posthog-organizations`).
    pub crate_name: String,
    /// How the header names the document (its file name, so output does not depend on where the
    /// document sits).
    pub source_name: String,
    /// Generate the async client (module `client`, behind the `client` cargo feature of a
    /// generated crate).
    pub client: bool,
    /// Generate the server (module `server`, behind the `server` cargo feature).
    pub server: bool,
    /// Give the server trait's methods default bodies answering 501, so an implementation can
    /// grow one operation at a time.
    pub server_stubs: bool,
    /// OpenAPI Overlay 1.0 documents (name, text) applied in order before generation.
    pub overlays: Vec<(String, String)>,
    /// Put each tag's operations behind a cargo feature of the generated crate (`tag-<tag>`, all
    /// on by default), with the models they need, so a crate that calls a few endpoints compiles
    /// only those. Schemas no operation uses get the feature `standalone-schemas`, off by default.
    /// A document with fewer than two tags is grouped by path instead (`path-<segment>`, see
    /// the README); only in the crate layout ([`generate`]).
    pub tag_features: bool,
}

impl Settings {
    /// Settings for a document at `path`: the crate is named after the file.
    pub fn for_spec(path: &Path) -> Self {
        let source_name = path.file_name().map_or_else(|| "openapi".to_owned(), |n| n.to_string_lossy().into_owned());
        let stem = path.file_stem().map_or_else(|| "openapi".to_owned(), |n| n.to_string_lossy().into_owned());
        Self { crate_name: crate_name_from(&stem), source_name, client: true, server: true, server_stubs: false, overlays: Vec::new(), tag_features: true }
    }
}

/// A package name from anything: lower-case ASCII letters, digits and dashes.
fn crate_name_from(text: &str) -> String {
    let mut name: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    name = name.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "api-");
    }
    name
}

/// The result of generating: the files (by path relative to the output directory) and the
/// warnings about fallbacks taken.
#[derive(Debug, Clone)]
pub struct Generated {
    /// File contents by relative path.
    pub files: BTreeMap<String, String>,
    /// Warnings, located.
    pub diagnostics: Vec<Diagnostic>,
    /// How long each stage took.
    pub timings: Timings,
}

/// Time spent per stage of [`generate`]. Files are emitted and formatted on several threads, so
/// `emit` and `format` add up the time of every thread and may exceed `total`, the wall time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timings {
    /// Parsing the text, applying overlays, normalizing 3.1 shapes.
    pub load: Duration,
    /// Document to IR, with diagnostics located.
    pub lower: Duration,
    /// IR to token streams.
    pub emit: Duration,
    /// Token streams to formatted text (syn, prettyplease).
    pub format: Duration,
    /// Wall time of the whole of [`generate`].
    pub total: Duration,
}

/// The document's IR (after the settings' overlays), or every problem that stops generation.
pub fn lower(text: &str, settings: &Settings) -> Result<(ir::Api, Vec<Diagnostic>), Error> {
    lower_timed(text, settings, settings.tag_features, &mut Timings::default())
}

fn lower_timed(
    text: &str,
    settings: &Settings,
    tag_features: bool,
    timings: &mut Timings,
) -> Result<(ir::Api, Vec<Diagnostic>), Error> {
    let source_name = settings.source_name.as_str();
    let started = Instant::now();
    let mut doc = load::parse(source_name, text)?;
    let mut overlay_warnings = Vec::new();
    for (name, overlay) in &settings.overlays {
        overlay_warnings.extend(overlay::apply(&mut doc, name, overlay)?);
    }
    load::normalize(&mut doc);
    timings.load = started.elapsed();
    let started = Instant::now();
    let (mut api, mut diagnostics) = lower::lower(&doc);
    drop(doc);
    if let Some(api) = api.as_mut().filter(|_| tag_features) {
        lower::features::assign(api);
    }
    locate(text, &mut diagnostics);
    timings.lower = started.elapsed();
    diagnostics.extend(overlay_warnings);
    match api {
        Some(api) if !diagnostics.iter().any(|d| d.severity == Severity::Error) => Ok((api, diagnostics)),
        _ => Err(Error::Invalid { source_name: source_name.to_owned(), diagnostics }),
    }
}

fn locate(text: &str, diagnostics: &mut [Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    let pointers: Vec<&str> = diagnostics.iter().map(|d| d.pointer.as_str()).collect();
    let lines = load::locate(text, &pointers);
    for (d, line) in diagnostics.iter_mut().zip(lines) {
        d.line = line;
    }
    // Document order, so a reader can walk the file top to bottom.
    diagnostics.sort_by_key(|d| d.line.unwrap_or(usize::MAX));
}

/// The stack of each formatting thread (address space; only what recursion touches is used).
const WORKER_STACK: usize = 64 << 20;

/// `f` on every item, on all cores (threads with [`WORKER_STACK`]), in contiguous chunks; the
/// results come back in item order, so what runs in parallel stays deterministic.
pub(crate) fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let work = |part: &[T]| part.iter().map(f).collect::<Vec<R>>();
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| (part, std::thread::Builder::new().stack_size(WORKER_STACK).spawn_scoped(scope, move || work(part))))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for (part, handle) in handles {
            // A chunk whose thread could not be spawned is done here; a panic is passed on.
            match handle {
                Ok(h) => out.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))),
                Err(_) => out.extend(work(part)),
            }
        }
        out
    })
}

/// Generates a complete crate: `Cargo.toml`, `src/lib.rs`, `src/models.rs`, `src/runtime.rs`.
pub fn generate(text: &str, settings: &Settings) -> Result<Generated, Error> {
    let started = Instant::now();
    let mut timings = Timings::default();
    let (api, diagnostics) = lower_timed(text, settings, settings.tag_features, &mut timings)?;
    let root: write::Job<'_> = ("lib.rs".to_owned(), vec![emit::Piece::Items(emit::Unit::CrateRoot)]);
    let files = write::modules(&api, settings, vec![root], &mut timings)?;
    let mut files: BTreeMap<String, String> = files.into_iter().map(|(k, v)| (format!("src/{k}"), v)).collect();
    let description = format!("Rust models for {} {}, generated by oagen", api.title, api.version);
    let manifest = CARGO_TOML
        .replace("{{crate_name}}", &settings.crate_name)
        .replace("{{features}}", &manifest_features(&api))
        .replace("{{description}}", &toml_escape(description.trim()));
    files.insert("Cargo.toml".to_owned(), manifest);
    timings.total = started.elapsed();
    Ok(Generated { files, diagnostics, timings })
}

/// Generates the files a build script writes: `models.rs`, `runtime.rs` (the same bytes as the
/// crate's `src/` files) and `<module>.rs`, which a crate `include!`s.
pub fn generate_modules(text: &str, settings: &Settings, module: &str) -> Result<Generated, Error> {
    let started = Instant::now();
    let mut timings = Timings::default();
    // An including crate has no features of ours to gate on.
    let (api, diagnostics) = lower_timed(text, settings, false, &mut timings)?;
    let root: write::Job<'_> = (format!("{module}.rs"), vec![emit::Piece::Items(emit::Unit::IncludeRoot)]);
    let files = write::modules(&api, settings, vec![root], &mut timings)?;
    timings.total = started.elapsed();
    Ok(Generated { files, diagnostics, timings })
}

/// The tag (or path group) features of the manifest, each with its comment, and `all-tags` (or
/// `all-paths`) naming every one: they are on by default; the standalone schemas, which no
/// operation sends or receives, are asked for.
fn manifest_features(api: &ir::Api) -> String {
    let groups: Vec<&str> =
        api.features.iter().map(|f| f.name.as_str()).filter(|f| *f != lower::features::STANDALONE).collect();
    if groups.is_empty() {
        return "default = [\"client\", \"server\"]".to_owned();
    }
    // Features of tags, or of path groups in a document without tags.
    let (all, each) = if groups.iter().all(|f| f.starts_with("path-")) {
        ("all-paths", "each path group's feature")
    } else {
        ("all-tags", "each tag's feature")
    };
    let list: Vec<String> = groups.iter().map(|f| format!("\"{f}\"")).collect();
    let mut out = format!("default = [\"client\", \"server\", \"{all}\"]\n");
    out.push_str(&format!("# Every operation ({each}).\n{all} = [{}]", list.join(", ")));
    for f in &api.features {
        out.push_str(&format!("\n# {}\n{} = []", toml_escape(&f.doc), f.name));
    }
    out
}

fn toml_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            '\n' | '\r' | '\t' => vec![' '],
            c if c.is_control() => vec![],
            c => vec![c],
        })
        .collect()
}

/// Writes generated files under `dir`, rewriting only files whose bytes change.
pub fn write(dir: &Path, generated: &Generated) -> Result<Vec<String>, Error> {
    write::write_files(dir, &generated.files)
}

/// Compares generated files with `dir`; each differing file comes with a unified diff.
pub fn check(dir: &Path, generated: &Generated) -> Vec<(String, String)> {
    write::check_files(dir, &generated.files)
}

/// Generates code from a build script, in the manner of `prost-build` and `tonic-build`.
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), oagen::Error> {
///     oagen::Builder::new()
///         .spec("spec/openapi.yaml")
///         .module("api")
///         .generate()
/// }
/// ```
///
/// It writes `models.rs`, `runtime.rs` and `<module>.rs` into `OUT_DIR` (or [`Builder::out_dir`]),
/// tells cargo to rerun when the document changes, and prints warnings as `cargo:warning`.
#[derive(Debug, Clone)]
pub struct Builder {
    spec: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    module: Option<String>,
    client: bool,
    server: bool,
    server_stubs: bool,
    overlays: Vec<PathBuf>,
}

impl Default for Builder {
    fn default() -> Self {
        Self { spec: None, out_dir: None, module: None, client: true, server: true, server_stubs: false, overlays: Vec::new() }
    }
}

impl Builder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The OpenAPI document (YAML or JSON). Required.
    pub fn spec(mut self, path: impl Into<PathBuf>) -> Self {
        self.spec = Some(path.into());
        self
    }

    /// Where to write; defaults to `OUT_DIR`.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The name of the file to `include!` (without `.rs`); defaults to the document's file
    /// stem in snake case.
    pub fn module(mut self, name: impl Into<String>) -> Self {
        self.module = Some(name.into());
        self
    }

    /// Whether to generate the async client (default: yes). The including crate then depends on
    /// what the client uses: `reqwest` (0.12), `tokio` (`time`), `futures-util`, `bytes`,
    /// `thiserror`, `serde_path_to_error`, `percent-encoding`, `url`, `httpdate`, `fastrand`.
    pub fn client(mut self, client: bool) -> Self {
        self.client = client;
        self
    }

    /// Whether to generate the server (default: yes). The including crate then depends on
    /// `axum` (0.8), `regex`, `futures-util`, `url`, `serde_path_to_error` and `base64`.
    pub fn server(mut self, server: bool) -> Self {
        self.server = server;
        self
    }

    /// An OpenAPI Overlay 1.0 document applied before generation (repeatable, in order).
    pub fn overlay(mut self, path: impl Into<PathBuf>) -> Self {
        self.overlays.push(path.into());
        self
    }

    /// Default trait method bodies answering 501 Not Implemented (default: no).
    pub fn server_stubs(mut self, stubs: bool) -> Self {
        self.server_stubs = stubs;
        self
    }

    /// Generates and writes.
    pub fn generate(self) -> Result<(), Error> {
        let spec = self.spec.ok_or_else(|| Error::Config("Builder::spec was not set".to_owned()))?;
        let out_dir = match self.out_dir {
            Some(dir) => dir,
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| Error::Config("OUT_DIR is not set: call Builder::out_dir outside build scripts".to_owned()))?,
        };
        let mut overlays = Vec::new();
        for path in &self.overlays {
            println!("cargo:rerun-if-changed={}", path.display());
            let text = std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.clone(), source })?;
            overlays.push((path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned()), text));
        }
        let settings = Settings {
            client: self.client,
            server: self.server,
            server_stubs: self.server_stubs,
            overlays,
            ..Settings::for_spec(&spec)
        };
        let module = self.module.unwrap_or_else(|| settings.crate_name.replace('-', "_"));
        println!("cargo:rerun-if-changed={}", spec.display());
        let text = std::fs::read_to_string(&spec).map_err(|source| Error::Io { path: spec.clone(), source })?;
        let generated = generate_modules(&text, &settings, &module)?;
        for d in &generated.diagnostics {
            println!("cargo:warning={}: {d}", settings.source_name);
        }
        write(&out_dir, &generated)?;
        Ok(())
    }
}
