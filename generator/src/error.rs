//! Problems found in a document, and the library's error type.

use std::fmt;
use std::path::PathBuf;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation went on with a documented fallback (for example `serde_json::Value` for a
    /// schema it could not read).
    Warning,
    /// The document cannot be turned into code as it is.
    Error,
}

/// One problem in a document, located by JSON pointer (and by line once the source is searched).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// Where in the document, as a JSON pointer such as `#/paths/~1roles~1{id}/get`.
    pub pointer: String,
    /// What is wrong and, for a warning, what was done instead.
    pub message: String,
    /// The 1-based line of the pointer's node in the source, when it could be found.
    pub line: Option<usize>,
}

impl Diagnostic {
    /// A problem that stops generation.
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self { severity: Severity::Error, pointer: pointer.into(), message: message.into(), line: None }
    }

    /// A problem that generation worked around.
    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, pointer: pointer.into(), message: message.into(), line: None }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        match self.line {
            Some(line) => write!(f, "{level}: line {line}: {}: {}", self.pointer, self.message),
            None => write!(f, "{level}: {}: {}", self.pointer, self.message),
        }
    }
}

/// Everything that can go wrong when generating.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// The document is not well-formed YAML or JSON.
    #[error("{source_name}:{line}:{column}: {message}")]
    Syntax {
        /// The document's name as given.
        source_name: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// The document parsed but describes something that cannot be generated; every problem found
    /// is listed, errors and warnings alike.
    #[error("{source_name}: {} error(s)\n{}", count_errors(diagnostics), render(source_name, diagnostics))]
    Invalid {
        /// The document's name as given.
        source_name: String,
        /// All problems, in document order.
        diagnostics: Vec<Diagnostic>,
    },
    /// The configuration (`oagen.toml`, or the builder's settings) is malformed or does not fit
    /// the document; every problem found is listed, located by key and line.
    #[error("{source_name}: {} problem(s) in the configuration\n{}", problems.len(), render_problems(source_name, problems))]
    Configuration {
        /// The configuration file's name as given (`builder` for the builder's settings).
        source_name: String,
        /// All problems, in file order.
        problems: Vec<crate::config::ConfigProblem>,
    },
    /// A builder setting is missing or contradictory.
    #[error("{0}")]
    Config(String),
    /// A bug in oagen itself (please report it with the document).
    #[error("internal error: {0}")]
    Internal(String),
}

fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
}

fn render(source_name: &str, diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| format!("  {source_name}: {d}")).collect::<Vec<_>>().join("\n")
}

fn render_problems(source_name: &str, problems: &[crate::config::ConfigProblem]) -> String {
    problems.iter().map(|p| format!("  {source_name}: {p}")).collect::<Vec<_>>().join("\n")
}
