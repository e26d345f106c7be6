//! A structure-aware fuzzer for oagen's front end. A mutant is a real document from the corpus,
//! parsed, broken by a few structural mutations ([`mutate`]: dropped keys, swapped types,
//! dangling and cyclic `$ref`s, deep nesting, huge strings, odd names...) and written back as
//! YAML or JSON text, so that loading sees text and diagnostics have lines to find. [`check`]
//! runs the whole pipeline in memory ([`oagen::generate`]: load, lower, emit, format) and says
//! whether the outcome is acceptable: no panic, no hang, and every refusal located.
//!
//! Everything is a function of the seed and the iteration number, so a finding is reproduced
//! from the two (`oagen-fuzz --seed S --replay I`).

pub mod check;
pub mod mutate;

use std::path::{Path, PathBuf};

use fastrand::Rng;
use serde_json::Value;

pub use check::{Finding, check};

/// How a mutant is written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Indented JSON (one node per line).
    Json,
    /// JSON on one line, as minified documents come.
    JsonCompact,
    /// YAML.
    Yaml,
}

impl Format {
    /// The file extension of a mutant in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json | Format::JsonCompact => "json",
            Format::Yaml => "yaml",
        }
    }
}

/// One mutated document, and how it came about.
#[derive(Debug, Clone)]
pub struct Mutant {
    /// The index of the corpus document it came from.
    pub document: usize,
    /// What each mutation did, in order.
    pub mutations: Vec<String>,
    /// How it was written.
    pub format: Format,
    /// The text handed to oagen.
    pub text: String,
}

/// The corpus documents under `dirs` (`.json`, `.yaml`, `.yml`) of at most `max_bytes`, sorted,
/// so a seed means the same mutants on every machine with the same corpus.
pub fn corpus(dirs: &[PathBuf], max_bytes: u64) -> Vec<PathBuf> {
    fn walk(dir: &Path, max_bytes: u64, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, max_bytes, out);
            } else if path.extension().is_some_and(|e| e == "json" || e == "yaml" || e == "yml")
                && entry.metadata().is_ok_and(|m| m.len() <= max_bytes)
            {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    for dir in dirs {
        walk(dir, max_bytes, &mut out);
    }
    out.sort();
    out
}

/// A document of the corpus as a value tree (`None` when it does not parse: the mutator needs a
/// tree to work on).
pub fn parse(text: &str) -> Option<Value> {
    if text.trim_start_matches('\u{feff}').trim_start().starts_with('{') {
        serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()
    } else {
        serde_yaml::from_str(text).ok()
    }
}

/// The random source of iteration `iteration` under `seed` (splitmix64 of the pair), so any
/// iteration can be replayed without running the ones before it.
pub fn rng(seed: u64, iteration: u64) -> Rng {
    let mut z = seed.wrapping_add(iteration.wrapping_mul(0x9e37_79b9_7f4a_7c15)).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    Rng::with_seed(z ^ (z >> 31))
}

/// Mutant number `iteration` under `seed`, over `documents` (parsed corpus documents). `huge`
/// bounds the strings of the `huge-string` mutation. Deep mutants recurse deeply when
/// serialized: call this on a thread with a large stack.
pub fn mutant(seed: u64, iteration: u64, documents: &[Value], huge: usize) -> Mutant {
    let mut rng = rng(seed, iteration);
    let document = rng.usize(..documents.len().max(1));
    let mut doc = documents.get(document).cloned().unwrap_or(Value::Null);
    // One mutation most of the time, sometimes a few: one broken thing is the common case and
    // the easiest to read; several find interactions.
    let mut count = 1;
    while count < 6 && rng.u8(..3) == 0 {
        count += 1;
    }
    let mut mutations = Vec::with_capacity(count);
    {
        let mut mutator = mutate::Mutator::new(&mut rng, huge);
        for _ in 0..count {
            mutations.push(mutator.mutate(&mut doc));
        }
    }
    let format = match rng.u8(..20) {
        0..=8 => Format::Json,
        9 => Format::JsonCompact,
        _ => Format::Yaml,
    };
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&doc).unwrap_or_default(),
        Format::JsonCompact => serde_json::to_string(&doc).unwrap_or_default(),
        Format::Yaml => serde_yaml::to_string(&doc).unwrap_or_default(),
    };
    // Dropping a deeply nested tree recurses too; it is done here, on the caller's big stack.
    drop(doc);
    Mutant { document, mutations, format, text }
}
