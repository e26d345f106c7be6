//! One configuration, three ways to give it: `oagen.toml` (here `spec/edge/configured.toml`),
//! the `Builder`'s typed methods, and the document's own extensions (`x-rust-name`,
//! `x-rust-type`, `x-enum-varnames`) with a file for the rest. Each gives the same bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The modules generated from `doc` (named `configured.yaml` in headers) with the configuration
/// file `toml`.
fn with_file(doc: &Path, toml: &Path) -> BTreeMap<String, String> {
    let mut settings = oagen::Settings::for_spec(Path::new("configured.yaml"));
    let name = toml.display().to_string();
    let text = read(toml);
    settings.configure(oagen::config::parse(&name, &text).expect("parses"), Some((name, text)));
    oagen::generate_modules(&read(doc), &settings, "edge").expect("generates").files
}

#[test]
fn a_file_the_builder_and_extensions_give_the_same_bytes() {
    let doc = root().join("spec/edge/configured.yaml");
    let from_file = with_file(&doc, &root().join("spec/edge/configured.toml"));

    let out = tempfile::tempdir().expect("a temporary directory");
    oagen::Builder::new()
        .spec(&doc)
        .out_dir(out.path())
        .module("edge")
        .select(oagen::config::Select { exclude_tags: vec!["audit".to_owned()], ..Default::default() })
        .replace("Owner", "crate::configured_types::Owner")
        .format("decimal", "crate::configured_types::Decimal")
        .derive("Eq")
        .derive("Hash")
        .rename_type("Account", "Ledger")
        .derive_for("Account", "PartialOrd")
        .rename_field("Account", "display_name", "label")
        .attribute_for("Tier", "#[non_exhaustive]")
        .rename_variant("Tier", "enterprise-plus", "Enterprise")
        .rename_operation("get_account", "fetch_account")
        .generate()
        .expect("the builder generates");
    for (file, text) in &from_file {
        assert_eq!(&read(&out.path().join(file)), text, "{file}: the builder differs from the file");
    }

    let fixtures = root().join("tests/fixtures/config");
    let from_extensions =
        with_file(&fixtures.join("configured-extensions.yaml"), &fixtures.join("configured-extensions.toml"));
    assert_eq!(from_extensions.keys().collect::<Vec<_>>(), from_file.keys().collect::<Vec<_>>());
    // The Rust; the documents the servers serve differ as their sources do (the copy says in
    // extensions what the file says).
    for (file, text) in from_file.iter().filter(|(file, _)| file.ends_with(".rs")) {
        assert_eq!(&from_extensions[file], text, "{file}: the extensions differ from the file");
    }
}

#[test]
fn selection_leaves_out_the_excluded_operations_and_the_schemas_only_they_used() {
    let doc = root().join("spec/edge/configured.yaml");
    let files = with_file(&doc, &root().join("spec/edge/configured.toml"));
    let plain = oagen::generate_modules(&read(&doc), &oagen::Settings::for_spec(&doc), "edge").expect("generates");
    // Present without the configuration, absent with it.
    assert!(plain.files["client.rs"].contains("pub async fn audit_log("));
    assert!(plain.files["models.rs"].contains("pub struct AuditEntry"));
    for module in ["client.rs", "server.rs", "operations.rs", "models.rs"] {
        assert!(!files[module].contains("audit_log") && !files[module].contains("AuditLog"), "{module}");
        assert!(!files[module].contains("AuditEntry"), "{module}");
    }
}

#[test]
fn the_committed_json_schema_is_the_configurations() {
    // Editors read `oagen.schema.json` to complete and check `oagen.toml`; it is derived from
    // the configuration's types. After changing them: `OAGEN_BLESS=1 cargo test -p oagen-tests
    // --test config`.
    let path = root().join("oagen.schema.json");
    let schema = oagen::config::json_schema();
    if std::env::var_os("OAGEN_BLESS").is_some() {
        std::fs::write(&path, &schema).expect("writable");
    }
    assert!(
        std::fs::read_to_string(&path).ok().as_deref() == Some(schema.as_str()),
        "oagen.schema.json is not the configuration's schema; run `OAGEN_BLESS=1 cargo test -p oagen-tests --test config`"
    );
    // It refuses what the parser refuses and takes what it takes (spot checks on the text).
    let value: serde_json::Value = serde_json::from_str(&schema).expect("JSON");
    assert_eq!(value["additionalProperties"], serde_json::json!(false), "unknown keys are errors");
    let select = &value["$defs"]["Select"]["properties"];
    assert!(select.get("exclude-tags").is_some() && select.get("keep-unused-schemas").is_some(), "{select}");
}

#[test]
fn every_configuration_in_the_readme_fits_the_posthog_document() {
    let readme = read(&root().join("README.md"));
    let section = readme.split("\n## Configuration").nth(1).expect("a Configuration section");
    let section = section.split("\n## ").next().unwrap_or_default();
    let doc = read(&root().join("spec/posthog-organizations.yaml"));
    let blocks: Vec<&str> =
        section.split("```toml\n").skip(1).filter_map(|rest| rest.split_once("```").map(|(block, _)| block)).collect();
    assert!(blocks.len() >= 4, "the README's configuration examples");
    for block in blocks {
        let config = oagen::config::parse("README.md", block).unwrap_or_else(|e| panic!("{e}\n{block}"));
        let mut settings = oagen::Settings::for_spec(Path::new("posthog-organizations.yaml"));
        settings.configure(config, Some(("README.md".to_owned(), block.to_owned())));
        oagen::generate(&doc, &settings).unwrap_or_else(|e| panic!("{e}\n{block}"));
    }
}

#[test]
fn the_served_document_has_the_selection_without_the_hints() {
    let doc = root().join("spec/edge/configured.yaml");
    let files = with_file(&doc, &root().join("spec/edge/configured.toml"));
    let served = &files["openapi.json"];
    // The configuration's hints for lowering (`x-rust-name`, `x-rust-type`) stay out of it.
    assert!(!served.contains("x-rust"), "{served}");
    let served: serde_json::Value = serde_json::from_str(served).expect("JSON");
    // Its selection is in: the `audit` tag's operations are left out, as the server leaves them.
    let text = served.to_string();
    assert!(!text.contains("\"audit\""), "{text}");
    assert!(served["paths"]["/accounts"]["get"].is_object());
    // A schema replaced by a Rust type is still described.
    assert!(served["components"]["schemas"]["Owner"].is_object());
}
