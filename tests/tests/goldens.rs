//! Each small hostile document under `spec/edge/` sits beside its expected modules
//! (`spec/edge/<name>.rs` for `models`, `<name>.operations.rs`, `<name>.client.rs`,
//! `<name>.server.rs`), compared
//! whole here and compiled by the crate `tests/edge`.
//! After an intended change to the output: `OAGEN_BLESS=1 cargo test -p oagen-tests --test goldens`.

use std::path::{Path, PathBuf};

fn edge_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/edge")
}

fn edge_documents() -> Vec<PathBuf> {
    let mut docs: Vec<PathBuf> = std::fs::read_dir(edge_dir())
        .expect("spec/edge exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    docs.sort();
    docs
}

#[test]
fn edge_documents_match_their_goldens() {
    let docs = edge_documents();
    assert!(docs.len() >= 9, "expected the edge documents, found {}", docs.len());
    let bless = std::env::var_os("OAGEN_BLESS").is_some();
    let mut stale = Vec::new();
    for doc in &docs {
        let text = std::fs::read_to_string(doc).expect("readable");
        let settings = oagen::Settings::for_spec(doc);
        let generated = oagen::generate_modules(&text, &settings, "edge")
            .unwrap_or_else(|e| panic!("{} does not generate: {e}", doc.display()));
        assert!(generated.diagnostics.is_empty(), "{}: {:#?}", doc.display(), generated.diagnostics);
        let modules = [("models.rs", "rs"), ("operations.rs", "operations.rs"), ("client.rs", "client.rs"), ("server.rs", "server.rs")];
        for (module, suffix) in modules {
            let text = &generated.files[module];
            let golden = doc.with_extension(suffix);
            if bless {
                std::fs::write(&golden, text).expect("writable");
            } else if std::fs::read_to_string(&golden).ok().as_ref() != Some(text) {
                stale.push(golden.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "goldens differ from what oagen generates: {stale:#?}\nreview the change, then run \
         `OAGEN_BLESS=1 cargo test -p oagen-tests --test goldens`"
    );
}

#[test]
fn every_golden_is_compiled() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("edge/src/lib.rs")).expect("edge/src/lib.rs");
    for doc in edge_documents() {
        let name = doc.file_stem().and_then(|s| s.to_str()).expect("utf-8 name");
        assert!(
            lib.contains(&format!("edge!({name}")),
            "tests/edge/src/lib.rs does not compile the golden of spec/edge/{name}.yaml: add `edge!({name}, \"{name}.rs\");`"
        );
    }
}
