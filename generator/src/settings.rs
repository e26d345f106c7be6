//! What a caller asks for ([`Settings`]) and gets back ([`Generated`], [`Timings`]): the types
//! the public API and the stages share, kept apart from `lib.rs` so no stage imports from it.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use crate::config::Config;
use crate::error::Diagnostic;

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
    /// the README); only in the crate layout ([`crate::generate`]).
    pub tag_features: bool,
    /// What the project configures beyond the document: selection, replacements, derives,
    /// renames, dependencies (its switches, `client` and the like, are read into the fields
    /// above by [`Settings::configure`]).
    pub config: Config,
    /// The configuration file the [`Settings::config`] came from (name and text), so its problems
    /// are reported with their lines.
    pub config_file: Option<(String, String)>,
}

/// The defaults, in one place: a client and a server without stubs, tag features, no overlays,
/// for a document named `openapi`.
impl Default for Settings {
    fn default() -> Self {
        Self {
            crate_name: "openapi".to_owned(),
            source_name: "openapi".to_owned(),
            client: true,
            server: true,
            server_stubs: false,
            overlays: Vec::new(),
            tag_features: true,
            config: Config::default(),
            config_file: None,
        }
    }
}

impl Settings {
    /// The default settings for a document at `path`: the crate is named after the file.
    pub fn for_spec(path: &Path) -> Self {
        let source_name = path.file_name().map_or_else(|| "openapi".to_owned(), |n| n.to_string_lossy().into_owned());
        let stem = path.file_stem().map_or_else(|| "openapi".to_owned(), |n| n.to_string_lossy().into_owned());
        Self { crate_name: crate_name_from(&stem), source_name, ..Self::default() }
    }
}

impl Settings {
    /// Takes a configuration: its switches (`crate-name`, `client`, `server`, `server-stubs`,
    /// `tag-features`) replace the current values, and the rest is kept for generation. `file` is
    /// the name and text it was read from, for locating its problems.
    pub fn configure(&mut self, config: Config, file: Option<(String, String)>) {
        if let Some(name) = &config.crate_name {
            self.crate_name.clone_from(name);
        }
        self.client = config.client.unwrap_or(self.client);
        self.server = config.server.unwrap_or(self.server);
        self.server_stubs = config.server_stubs.unwrap_or(self.server_stubs);
        self.tag_features = config.tag_features.unwrap_or(self.tag_features);
        self.config = config;
        self.config_file = file;
    }
}

/// A package name from anything: lower-case ASCII letters, digits and dashes.
fn crate_name_from(text: &str) -> String {
    let mut name: String =
        text.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
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

/// Time spent per stage of [`crate::generate`]. Files are emitted and formatted on several threads, so
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
    /// Wall time of the whole of [`crate::generate`].
    pub total: Duration,
}
