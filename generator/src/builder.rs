//! [`Builder`]: generation from a build script.

use std::path::PathBuf;

use crate::config::{Config, Select};
use crate::error::Error;
use crate::pipeline;
use crate::settings::Settings;

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
/// It writes `models.rs`, `operations.rs`, `runtime.rs`, the client's and the server's modules
/// (`client.rs`, `client_runtime.rs`, `server.rs`, `server_runtime.rs`, unless turned off) and
/// `<module>.rs` into `OUT_DIR` (or [`Builder::out_dir`]), tells cargo to rerun when the document
/// changes, and prints warnings as `cargo:warning`. Not the `testing` modules of a generated
/// crate: they sit behind a cargo feature of that crate, which an including crate does not have
/// (its tests serve the generated `server::router` themselves, as `examples/posthog-roles` does).
#[derive(Debug, Clone, Default)]
pub struct Builder {
    spec: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    module: Option<String>,
    overlays: Vec<PathBuf>,
    /// `oagen.toml`, read by [`Builder::generate`].
    config_file: Option<PathBuf>,
    /// What the typed methods configure, applied over the file.
    config: Config,
    /// What to generate; names and overlays are filled in by [`Builder::generate`].
    settings: Settings,
}

impl Builder {
    /// A builder with nothing set: the defaults of [`Settings`].
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
        self.settings.client = client;
        self
    }

    /// Whether to generate the server (default: yes). The including crate then depends on
    /// `axum` (0.8), `regex`, `futures-util`, `url`, `percent-encoding`, `serde_path_to_error` and `base64`.
    pub fn server(mut self, server: bool) -> Self {
        self.settings.server = server;
        self
    }

    /// An OpenAPI Overlay 1.0 document applied before generation (repeatable, in order).
    pub fn overlay(mut self, path: impl Into<PathBuf>) -> Self {
        self.overlays.push(path.into());
        self
    }

    /// Default trait method bodies answering 501 Not Implemented (default: no).
    pub fn server_stubs(mut self, stubs: bool) -> Self {
        self.settings.server_stubs = stubs;
        self
    }

    /// A configuration file (`oagen.toml`, see the README); the typed methods below add to it.
    pub fn config(mut self, path: impl Into<PathBuf>) -> Self {
        self.config_file = Some(path.into());
        self
    }

    /// A whole configuration, added to the file's and to what the other methods set.
    pub fn configure(mut self, config: Config) -> Self {
        self.config.merge(config);
        self
    }

    /// Uses an existing Rust type (`crate::User`) for a schema (by name, or pointer
    /// `#/components/schemas/User`): no type is generated for it.
    pub fn replace(mut self, schema: impl Into<String>, rust_path: impl Into<String>) -> Self {
        self.config.replace.insert(schema.into(), rust_path.into());
        self
    }

    /// Uses a Rust type for every string or number of a `format` (`decimal`).
    pub fn format(mut self, format: impl Into<String>, rust_path: impl Into<String>) -> Self {
        self.config.formats.insert(format.into(), rust_path.into());
        self
    }

    /// Derives a trait (`Hash`, `schemars::JsonSchema`) on every model.
    pub fn derive(mut self, derive: impl Into<String>) -> Self {
        self.config.models.derive.push(derive.into());
        self
    }

    /// Derives a trait on one schema's types and the generated types they contain.
    pub fn derive_for(mut self, schema: impl Into<String>, derive: impl Into<String>) -> Self {
        self.config.types.entry(schema.into()).or_default().derive.push(derive.into());
        self
    }

    /// Puts an outer attribute (`#[non_exhaustive]`) on every model.
    pub fn attribute(mut self, attribute: impl Into<String>) -> Self {
        self.config.models.attributes.push(attribute.into());
        self
    }

    /// Puts an outer attribute on one schema's types.
    pub fn attribute_for(mut self, schema: impl Into<String>, attribute: impl Into<String>) -> Self {
        self.config.types.entry(schema.into()).or_default().attributes.push(attribute.into());
        self
    }

    /// Names a schema's type.
    pub fn rename_type(mut self, schema: impl Into<String>, name: impl Into<String>) -> Self {
        self.config.types.entry(schema.into()).or_default().rename = Some(name.into());
        self
    }

    /// Names the field of a schema's property (by its wire name).
    pub fn rename_field(
        mut self,
        schema: impl Into<String>,
        property: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        self.config.types.entry(schema.into()).or_default().fields.insert(property.into(), name.into());
        self
    }

    /// Names the variant of an enum schema's value (as the configuration writes it: `"admin"`, `"8"`).
    pub fn rename_variant(
        mut self,
        schema: impl Into<String>,
        value: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        self.config.types.entry(schema.into()).or_default().variants.insert(value.into(), name.into());
        self
    }

    /// Names the client and server methods of an operation (by operationId).
    pub fn rename_operation(mut self, operation_id: impl Into<String>, name: impl Into<String>) -> Self {
        self.config.operations.entry(operation_id.into()).or_default().rename = Some(name.into());
        self
    }

    /// Generates only the operations `select` keeps (and the schemas they reach, unless it says
    /// otherwise); added to the file's selection.
    pub fn select(mut self, select: Select) -> Self {
        self.config.merge(Config { select, ..Config::default() });
        self
    }

    /// Generates and writes.
    pub fn generate(self) -> Result<(), Error> {
        let spec = self.spec.ok_or_else(|| Error::Config("Builder::spec was not set".to_owned()))?;
        let out_dir = match self.out_dir {
            Some(dir) => dir,
            None => std::env::var_os("OUT_DIR").map(PathBuf::from).ok_or_else(|| {
                Error::Config("OUT_DIR is not set: call Builder::out_dir outside build scripts".to_owned())
            })?,
        };
        let mut overlays = Vec::new();
        for path in &self.overlays {
            println!("cargo:rerun-if-changed={}", path.display());
            let text = std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.clone(), source })?;
            overlays.push((path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned()), text));
        }
        let named = Settings::for_spec(&spec);
        let mut settings =
            Settings { crate_name: named.crate_name, source_name: named.source_name, overlays, ..self.settings };
        let (mut config, file) = match &self.config_file {
            Some(path) => {
                println!("cargo:rerun-if-changed={}", path.display());
                let text = std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.clone(), source })?;
                let name = path.display().to_string();
                (crate::config::parse(&name, &text)?, Some((name, text)))
            }
            None => (Config::default(), None),
        };
        config.merge(self.config);
        // The builder's own switches (`client`, `server`...) win over the file's.
        let (client, server, stubs) = (settings.client, settings.server, settings.server_stubs);
        settings.configure(config, file);
        settings.client &= client;
        settings.server &= server;
        settings.server_stubs |= stubs;
        let module = self.module.unwrap_or_else(|| settings.crate_name.replace('-', "_"));
        println!("cargo:rerun-if-changed={}", spec.display());
        let text = std::fs::read_to_string(&spec).map_err(|source| Error::Io { path: spec.clone(), source })?;
        let generated = pipeline::generate_modules(&text, &settings, &module)?;
        for d in &generated.diagnostics {
            println!("cargo:warning={}: {d}", settings.source_name);
        }
        crate::write::write_files(&out_dir, &generated.files)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::Builder;
    use crate::error::Error;

    fn spec(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec").join(name)
    }

    #[test]
    fn writes_the_modules_with_an_overlay_into_out_dir() {
        let dir = tempfile::tempdir().expect("temp dir");
        let overlay = dir.path().join("overlay.yaml");
        std::fs::write(
            &overlay,
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    update: {description: From the overlay.}\n",
        )
        .expect("writes the overlay");
        let out = dir.path().join("out");
        Builder::new()
            .spec(spec("edge/enums.yaml"))
            .out_dir(&out)
            .module("api")
            .overlay(&overlay)
            .client(true)
            .server(true)
            .server_stubs(true)
            .generate()
            .expect("generates");
        for file in
            ["api.rs", "models.rs", "operations.rs", "runtime.rs", "client.rs", "server.rs", "server_runtime.rs"]
        {
            assert!(out.join(file).is_file(), "{file} missing");
        }
    }

    #[test]
    fn the_module_defaults_to_the_document_stem_and_sides_can_be_left_out() {
        let out = tempfile::tempdir().expect("temp dir");
        Builder::new()
            .spec(spec("edge/enums.yaml"))
            .out_dir(out.path())
            .client(false)
            .server(false)
            .generate()
            .expect("generates");
        assert!(out.path().join("enums.rs").is_file());
        assert!(!out.path().join("client.rs").exists());
        assert!(!out.path().join("server.rs").exists());
    }

    #[test]
    fn missing_inputs_are_errors() {
        let err = Builder::new().out_dir("unused").generate().expect_err("no spec");
        assert!(matches!(err, Error::Config(ref m) if m.contains("Builder::spec")), "{err}");

        let out = tempfile::tempdir().expect("temp dir");
        let err = Builder::new().spec(spec("edge/absent.yaml")).out_dir(out.path()).generate().expect_err("no file");
        assert!(matches!(err, Error::Io { .. }), "{err}");

        let err = Builder::new()
            .spec(spec("edge/enums.yaml"))
            .out_dir(out.path())
            .overlay(spec("overlays/absent.yaml"))
            .generate()
            .expect_err("no overlay");
        assert!(matches!(err, Error::Io { .. }), "{err}");
    }
}
