//! Each small hostile document under `spec/edge/` sits beside its expected modules
//! (`spec/edge/<name>.rs` for `models`, `<name>.operations.rs`, `<name>.client.rs`,
//! `<name>.server.rs`, `<name>.testing.rs`, the fake server of a crate's `testing` feature, and
//! `<name>.openapi.json` and `.openapi.yaml`, the document its server serves),
//! compared whole here, one test per document, and compiled by the crate `tests/edge`.
//! After an intended change to the output: `OAGEN_BLESS=1 cargo test -p oagen-tests --test goldens`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn edge_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/edge")
}

/// The names of the edge documents (`spec/edge/<name>.yaml`).
fn edge_documents() -> BTreeSet<String> {
    std::fs::read_dir(edge_dir())
        .expect("spec/edge exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_owned))
        // `<name>.openapi.yaml` is a golden: the document as `<name>`'s server serves it.
        .filter(|stem| !stem.ends_with(".openapi"))
        .collect()
}

/// Generates `spec/edge/<name>.yaml` and compares each module with its golden (or, with
/// `OAGEN_BLESS` set, rewrites the goldens).
fn check(name: &str) {
    let doc = edge_dir().join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&doc).unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
    let mut settings = oagen::Settings::for_spec(&doc);
    // A configuration beside the document (`<name>.toml`) is read, as `oagen.toml` would be.
    let config = doc.with_extension("toml");
    if let Ok(toml) = std::fs::read_to_string(&config) {
        let name = config.display().to_string();
        let parsed = oagen::config::parse(&name, &toml).unwrap_or_else(|e| panic!("{e}"));
        settings.configure(parsed, Some((name, toml)));
    }
    let generated = oagen::generate_modules(&text, &settings, "edge")
        .unwrap_or_else(|e| panic!("{} does not generate: {e}", doc.display()));
    assert!(generated.diagnostics.is_empty(), "{}: {:#?}", doc.display(), generated.diagnostics);
    let bless = std::env::var_os("OAGEN_BLESS").is_some();
    let modules = [
        ("models.rs", "rs"),
        ("operations.rs", "operations.rs"),
        ("client.rs", "client.rs"),
        ("server.rs", "server.rs"),
        ("testing.rs", "testing.rs"),
        ("openapi.json", "openapi.json"),
        ("openapi.yaml", "openapi.yaml"),
    ];
    // A build script writes no `testing` module (it sits behind a feature of a generated
    // crate): it is the crate layout's, generated without tag features like the modules above.
    let crate_layout = oagen::generate(&text, &oagen::Settings { tag_features: false, ..settings.clone() })
        .unwrap_or_else(|e| panic!("{} does not generate as a crate: {e}", doc.display()));
    let testing = &crate_layout.files["src/testing.rs"];
    assert_eq!(crate_layout.files["src/server.rs"], generated.files["server.rs"], "the layouts' servers differ");
    let mut stale = Vec::new();
    for (module, suffix) in modules {
        let text = if module == "testing.rs" { testing } else { &generated.files[module] };
        let golden = doc.with_extension(suffix);
        if bless {
            std::fs::write(&golden, text).expect("writable");
        } else if std::fs::read_to_string(&golden).ok().as_ref() != Some(text) {
            stale.push(golden.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "goldens differ from what oagen generates: {stale:#?}\nreview the change, then run \
         `OAGEN_BLESS=1 cargo test -p oagen-tests --test goldens`"
    );
}

/// One test per edge document, named after it, and the list of them.
macro_rules! goldens {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check(stringify!($name));
            }
        )*
        const TESTED: &[&str] = &[$(stringify!($name)),*];
    };
}

goldens!(
    composition,
    configured,
    copies,
    encodings,
    enums,
    errors,
    formats,
    inline,
    names,
    optional_nullable,
    pagination,
    paths,
    read_write_only,
    recursive,
    recursive_allof,
    refs,
    reserved,
    security
);

#[test]
fn every_edge_document_has_its_test() {
    let tested: BTreeSet<String> = TESTED.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(
        edge_documents(),
        tested,
        "spec/edge/*.yaml and the goldens! list in tests/tests/goldens.rs differ: add the new document's name there"
    );
}

#[test]
fn every_golden_is_compiled() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("edge/src/lib.rs"))
        .expect("edge/src/lib.rs");
    for name in edge_documents() {
        // With the comma, so `recursive` is not satisfied by `recursive_allof`.
        assert!(
            lib.contains(&format!("edge!({name}, \"{name}.rs\");")),
            "tests/edge/src/lib.rs does not compile the golden of spec/edge/{name}.yaml: add `edge!({name}, \"{name}.rs\");`"
        );
    }
}

#[test]
fn every_edge_document_is_served() {
    // Compiled is not enough: each document's generated server is called by its generated
    // client in a test of its own.
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("edge/tests");
    for name in edge_documents() {
        let file = tests.join(format!("{name}.rs"));
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        assert!(
            text.contains(&format!("oagen_edge_goldens::{name}::server")) && text.contains("::client::"),
            "{} does not serve spec/edge/{name}.yaml with its generated server and call it with its client",
            file.display()
        );
    }
}
