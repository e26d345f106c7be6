//! Runs one document through oagen and judges the outcome: generated, or refused with every
//! problem located, is fine; a panic, a hang, an error without a location, or a diagnostic whose
//! pointer names no place in the document is a finding.

use std::sync::Mutex;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use oagen::{Diagnostic, Error, Settings};
use serde_json::Value;

/// The stack a generation thread gets: what the `oagen` binary's main thread has on Linux, so a
/// document that overflows here overflows the command line too.
pub const GENERATION_STACK: usize = 8 << 20;

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// `panic`, `hang`, `crash` (the process died: a stack overflow or an abort), `unlocated`
    /// or `misplaced`.
    pub kind: &'static str,
    /// The panic message and place, the error, or the diagnostic.
    pub detail: String,
}

/// How a document that is not a finding came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Generated, with this many warnings.
    Generated(usize),
    /// Refused as not YAML/JSON, with a line.
    Syntax,
    /// Refused with located diagnostics.
    Refused(usize),
}

/// The last panic's message and place, recorded by the hook [`install_panic_hook`] sets.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Records panics (message and source location) for [`check`] instead of printing them.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".to_owned());
        let place = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        let thread = std::thread::current().name().unwrap_or("unnamed").to_owned();
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(format!("{message} at {place} (thread {thread})"));
        }
    }));
}

/// Generates from `text` on a thread of its own ([`GENERATION_STACK`]) and judges the outcome.
/// A generation still running after `timeout` is a `hang` (its thread is left behind: the
/// caller should stop soon after).
pub fn check(text: &str, settings: &Settings, timeout: Duration) -> Result<Verdict, Finding> {
    let (tx, rx) = mpsc::channel();
    let (owned, settings) = (text.to_owned(), settings.clone());
    let started = Instant::now();
    let spawned =
        std::thread::Builder::new().name("generate".to_owned()).stack_size(GENERATION_STACK).spawn(move || {
            let outcome = std::panic::catch_unwind(|| oagen::generate(&owned, &settings));
            let _ = tx.send(outcome.map(|r| r.map(|g| g.diagnostics)));
        });
    if let Err(e) = spawned {
        return Err(Finding { kind: "harness", detail: format!("cannot spawn a generation thread: {e}") });
    }
    let outcome = match rx.recv_timeout(timeout) {
        Ok(outcome) => outcome,
        Err(_) => {
            return Err(Finding { kind: "hang", detail: format!("still generating after {:?}", started.elapsed()) });
        }
    };
    match outcome {
        Err(_) => {
            let detail = LAST_PANIC.lock().ok().and_then(|mut l| l.take()).unwrap_or_else(|| "panicked".to_owned());
            Err(Finding { kind: "panic", detail })
        }
        Ok(Ok(diagnostics)) => {
            located(text, &diagnostics)?;
            Ok(Verdict::Generated(diagnostics.len()))
        }
        Ok(Err(Error::Syntax { line, column, message, .. })) => {
            if line == 0 || line > text.lines().count().max(1) {
                return Err(Finding {
                    kind: "unlocated",
                    detail: format!("syntax error at line {line} column {column}: {message}"),
                });
            }
            Ok(Verdict::Syntax)
        }
        Ok(Err(Error::Invalid { diagnostics, .. })) => {
            located(text, &diagnostics)?;
            if !diagnostics.iter().any(|d| d.severity == oagen::Severity::Error) {
                return Err(Finding { kind: "unlocated", detail: "refused without an error diagnostic".to_owned() });
            }
            Ok(Verdict::Refused(diagnostics.len()))
        }
        Ok(Err(other)) => Err(Finding { kind: "unlocated", detail: format!("error without a location: {other}") }),
    }
}

/// Every diagnostic has a JSON pointer naming the node (or the missing key of a node) of the
/// document, and a line within the text.
fn located(text: &str, diagnostics: &[Diagnostic]) -> Result<(), Finding> {
    let lines = text.lines().count().max(1);
    let mut doc: Option<Option<Value>> = None;
    for d in diagnostics {
        let unlocated = |why: &str| Finding { kind: "unlocated", detail: format!("{why}: {d}") };
        if d.pointer != "#" && !d.pointer.starts_with("#/") {
            return Err(unlocated("not a JSON pointer"));
        }
        match d.line {
            Some(line) if (1..=lines).contains(&line) => {}
            _ => return Err(unlocated("no line in the document")),
        }
        // The pointer names an existing node or a missing key of one; only parsed when needed.
        let doc = doc.get_or_insert_with(|| crate::parse(text));
        let Some(doc) = doc else { continue };
        let pointer = &d.pointer[1..];
        let parent = pointer.rfind('/').map_or("", |i| &pointer[..i]);
        if doc.pointer(pointer).is_none() && doc.pointer(parent).is_none() {
            return Err(Finding { kind: "misplaced", detail: format!("pointer names no node of the document: {d}") });
        }
    }
    Ok(())
}
