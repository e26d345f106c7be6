//! The configuration model: what a project tells the generator beyond the document (replacement
//! types, derives, renames, which operations to generate, extra dependencies).
//!
//! It is given in one of three ways, with the same result: an `oagen.toml` file ([`parse`]), the
//! typed methods of [`crate::Builder`], or the document's own extensions (`x-rust-type`,
//! `x-rust-name`, `x-enum-varnames`, `x-enum-descriptions`). [`apply`] checks a [`Config`]
//! against the document and turns what it says about schemas and operations into those same
//! extensions (the document wins nothing over the configuration: the configuration is written
//! over it), leaving for lowering only what no extension carries ([`Tailoring`]).

mod apply;
mod locate;
mod select;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

pub(crate) use apply::apply;

/// The configuration's selection alone, on a document [`apply`] has checked: what a server
/// generated with it serves, without the hints (`x-rust-*`) that `apply` writes for lowering.
pub(crate) fn select_only(doc: &mut serde_json::Value, config: &Config) {
    // `apply` found any problem the selection has, on the same document.
    let mut problems = Vec::new();
    select::select(doc, &config.select, &mut problems);
}

/// A configuration, as `oagen.toml` writes it. Every key is optional; an empty file changes
/// nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(title = "oagen configuration (oagen.toml)"))]
pub struct Config {
    /// The generated package's name (the CLI's `--crate-name` wins over it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crate_name: Option<String>,
    /// Generate the async client (default: true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<bool>,
    /// Generate the server (default: true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<bool>,
    /// Default server trait method bodies answering 501 (default: false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_stubs: Option<bool>,
    /// Cargo features per tag or path group (default: true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_features: Option<bool>,
    /// Which operations to generate.
    #[serde(default, skip_serializing_if = "Select::is_empty")]
    pub select: Select,
    /// Schemas replaced by existing Rust types: the key is a schema's name (`UserBasic`) or its
    /// pointer (`#/components/schemas/UserBasic`), the value a Rust path (`crate::User`). No type
    /// is generated for the schema; every use names the path.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub replace: BTreeMap<String, String>,
    /// Rust types for string or number formats, document-wide (`decimal =
    /// "rust_decimal::Decimal"`, `date-time = "time::OffsetDateTime"`). The type must serialize
    /// as the JSON value the format describes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub formats: BTreeMap<String, String>,
    /// Derives and attributes for every generated model.
    #[serde(default, skip_serializing_if = "Models::is_empty")]
    pub models: Models,
    /// Settings of one schema's types, by the schema's name in `components/schemas`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub types: BTreeMap<String, TypeSettings>,
    /// Settings of one operation, by operationId.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub operations: BTreeMap<String, OperationSettings>,
    /// Extra `[dependencies]` of the generated crate (for replaced types and derives), as
    /// Cargo.toml writes them: `rust_decimal = "1"` or `{ version = "1", features = ["serde"] }`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dependencies: BTreeMap<String, Dependency>,
}

impl Config {
    /// Adds `other` on top: its switches and names win, its lists are appended.
    pub fn merge(&mut self, other: Config) {
        let Config {
            crate_name,
            client,
            server,
            server_stubs,
            tag_features,
            select,
            replace,
            formats,
            models,
            types,
            operations,
            dependencies,
        } = other;
        self.crate_name = crate_name.or(self.crate_name.take());
        self.client = client.or(self.client);
        self.server = server.or(self.server);
        self.server_stubs = server_stubs.or(self.server_stubs);
        self.tag_features = tag_features.or(self.tag_features);
        let s = &mut self.select;
        s.tags.extend(select.tags);
        s.operations.extend(select.operations);
        s.paths.extend(select.paths);
        s.exclude_tags.extend(select.exclude_tags);
        s.exclude_operations.extend(select.exclude_operations);
        s.exclude_paths.extend(select.exclude_paths);
        s.deprecated = select.deprecated.or(s.deprecated);
        s.keep_unused_schemas |= select.keep_unused_schemas;
        self.replace.extend(replace);
        self.formats.extend(formats);
        self.models.derive.extend(models.derive);
        self.models.attributes.extend(models.attributes);
        for (name, t) in types {
            let mine = self.types.entry(name).or_default();
            mine.rename = t.rename.or(mine.rename.take());
            mine.derive.extend(t.derive);
            mine.attributes.extend(t.attributes);
            mine.fields.extend(t.fields);
            mine.variants.extend(t.variants);
        }
        for (id, o) in operations {
            let mine = self.operations.entry(id).or_default();
            mine.rename = o.rename.or(mine.rename.take());
        }
        self.dependencies.extend(dependencies);
    }
}

/// Which operations to generate. An operation is kept when no `tags`, `operations` or `paths`
/// are given or it matches one of them, and it matches no `exclude-*` entry; deprecated
/// operations go only when `deprecated = false`. Schemas that no kept operation reaches are left
/// out unless `keep-unused-schemas` is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Select {
    /// Keep operations with any of these tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Keep these operations (by operationId).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<String>,
    /// Keep operations whose path template matches one of these globs: `*` stands for any text
    /// within one segment, `**` for any number of segments (`/api/projects/*/roles/**`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// Leave out operations with any of these tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_tags: Vec<String>,
    /// Leave out these operations (by operationId).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_operations: Vec<String>,
    /// Leave out operations whose path template matches one of these globs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_paths: Vec<String>,
    /// Whether deprecated operations are kept (default: true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<bool>,
    /// Keep every schema, even those no kept operation uses (default: false, they are pruned).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub keep_unused_schemas: bool,
}

impl Select {
    /// Whether it selects everything.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

/// Derives and attributes for generated models.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Models {
    /// Derives added to every model (`Hash`, `Eq`, `schemars::JsonSchema`). One that a model's
    /// fields cannot satisfy (`Eq` beside an `f64`) is an error naming the field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub derive: Vec<String>,
    /// Attributes put on every model (`#[non_exhaustive]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<String>,
}

impl Models {
    /// Whether it adds nothing.
    pub fn is_empty(&self) -> bool {
        self.derive.is_empty() && self.attributes.is_empty()
    }
}

/// What to change about one schema's generated types.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TypeSettings {
    /// The Rust name of the type (as `x-rust-name` on the schema).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rename: Option<String>,
    /// Derives for this type and the generated types it contains.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub derive: Vec<String>,
    /// Attributes for this type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<String>,
    /// Rust names of properties, by the property's name on the wire (as `x-rust-name` on the
    /// property).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
    /// Rust names of enum variants, by the value on the wire (as `x-enum-varnames`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub variants: BTreeMap<String, String>,
}

/// What to change about one operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OperationSettings {
    /// The Rust name of the client and server methods (as `x-rust-name` on the operation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rename: Option<String>,
}

/// A dependency of the generated crate, as Cargo.toml writes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Dependency {
    /// A version requirement (`"1.2"`).
    Version(String),
    /// A detailed dependency.
    Detailed(DependencyDetail),
}

/// The keys of a detailed dependency that a generated crate may use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DependencyDetail {
    /// Version requirement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// A local path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The package's name when the dependency is renamed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// Features to turn on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    /// Whether the default features stay on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_features: Option<bool>,
}

impl Dependency {
    /// The value as Cargo.toml writes it after `name = `.
    pub fn to_toml(&self) -> String {
        let quote = |s: &str| serde_json::Value::String(s.to_owned()).to_string();
        match self {
            Self::Version(v) => quote(v),
            Self::Detailed(d) => {
                let mut parts = Vec::new();
                if let Some(v) = &d.version {
                    parts.push(format!("version = {}", quote(v)));
                }
                if let Some(p) = &d.path {
                    parts.push(format!("path = {}", quote(p)));
                }
                if let Some(p) = &d.package {
                    parts.push(format!("package = {}", quote(p)));
                }
                if let Some(f) = d.default_features {
                    parts.push(format!("default-features = {f}"));
                }
                if !d.features.is_empty() {
                    let list: Vec<String> = d.features.iter().map(|f| quote(f)).collect();
                    parts.push(format!("features = [{}]", list.join(", ")));
                }
                format!("{{ {} }}", parts.join(", "))
            }
        }
    }
}

/// The dependencies a generated crate's manifest writes itself, which `[dependencies]` may not
/// name again (the manifest's tests keep this list whole).
pub(crate) const GENERATED_DEPENDENCIES: &[&str] = &[
    "axum",
    "base64",
    "bytes",
    "chrono",
    "fastrand",
    "futures-util",
    "httpdate",
    "percent-encoding",
    "regex",
    "reqwest",
    "reqwest-middleware",
    "serde",
    "serde_json",
    "serde_path_to_error",
    "swagger-ui-dist",
    "thiserror",
    "tokio",
    "tower-http",
    "tower-layer",
    "tower-service",
    "tracing",
    "url",
    "uuid",
];

/// One step of the way to a configuration key: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyPart {
    /// A key of a table.
    Key(String),
    /// An index into an array.
    Index(usize),
}

/// Where a problem sits in a configuration, as TOML names it (`types.Role.rename`).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct KeyPath(pub Vec<KeyPart>);

impl KeyPath {
    /// The path of these keys.
    pub fn of<'a>(keys: impl IntoIterator<Item = &'a str>) -> Self {
        Self(keys.into_iter().map(|k| KeyPart::Key(k.to_owned())).collect())
    }

    /// This path with one more key.
    pub fn key(&self, key: &str) -> Self {
        let mut parts = self.0.clone();
        parts.push(KeyPart::Key(key.to_owned()));
        Self(parts)
    }

    /// This path with an array index.
    pub fn index(&self, index: usize) -> Self {
        let mut parts = self.0.clone();
        parts.push(KeyPart::Index(index));
        Self(parts)
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, part) in self.0.iter().enumerate() {
            match part {
                KeyPart::Key(k) => {
                    let bare = !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                    let text = if bare { k.clone() } else { serde_json::Value::String(k.clone()).to_string() };
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(&text)?;
                }
                KeyPart::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// One problem with a configuration, located by key (and by line when it came from a file).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ConfigProblem {
    /// The 1-based line in the configuration file.
    pub line: Option<usize>,
    /// The key the problem is about.
    pub key: KeyPath,
    /// What is wrong, with a "did you mean" where a near name exists.
    pub message: String,
}

impl ConfigProblem {
    pub(crate) fn new(key: KeyPath, message: impl Into<String>) -> Self {
        Self { line: None, key, message: message.into() }
    }
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        if self.key.0.is_empty() { f.write_str(&self.message) } else { write!(f, "{}: {}", self.key, self.message) }
    }
}

/// What the configuration tells lowering that no document extension carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tailoring {
    /// Rust types by format.
    pub formats: BTreeMap<String, String>,
    /// Derives for every model, each with the key that asked for it.
    pub derive: Vec<(String, KeyPath)>,
    /// Attributes for every model.
    pub attributes: Vec<String>,
    /// Derives and attributes by schema name.
    pub types: BTreeMap<String, TypeTailoring>,
    /// Extra dependencies of the generated crate: name and Cargo.toml value.
    pub dependencies: BTreeMap<String, String>,
}

/// Derives and attributes of one schema's types.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypeTailoring {
    /// Derives, each with the key that asked for it.
    pub derive: Vec<(String, KeyPath)>,
    /// Attributes.
    pub attributes: Vec<String>,
}

/// The JSON Schema of `oagen.toml` (draft 2020-12), as committed in `oagen.schema.json` for
/// editors (taplo, Even Better TOML) to complete and check the file.
#[cfg(feature = "schema")]
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Config);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Reads `oagen.toml` text. Unknown keys and values of the wrong type are errors with their line.
pub fn parse(source_name: &str, text: &str) -> Result<Config, crate::Error> {
    toml::from_str::<Config>(text).map_err(|e| {
        let line = e.span().map(|span| locate::line_at(text, span.start));
        let message = e.message().trim_end().to_owned();
        crate::Error::Configuration {
            source_name: source_name.to_owned(),
            problems: vec![ConfigProblem { line, key: KeyPath::default(), message }],
        }
    })
}

/// Gives each problem the line of its key in `text` (the configuration file it came from).
pub(crate) fn locate_problems(text: &str, problems: &mut [ConfigProblem]) {
    for p in problems.iter_mut() {
        p.line = locate::line_of_key(text, &p.key);
    }
    problems.sort();
}

/// The nearest of `candidates` to `name`, when one is near enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let lower = name.to_ascii_lowercase();
    let best = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)));
    best.map_or_else(String::new, |(_, c)| format!("; did you mean `{c}`?"))
}

#[cfg(test)]
mod tests;
