//! Property tests (proptest) of the edge documents' models, with values drawn from each
//! document's own schemas (`tests/tests/schemas/mod.rs`, shared with the PostHog properties):
//! for every model a request carries, a value that satisfies its schema passes the generated
//! server's validation and decodes; what the model encodes decodes to an equal value; and a
//! value with one constraint broken is refused with exactly that constraint's pointer.
//! The edge documents' served tests (`tests/*.rs` here) send such values over HTTP.

#[path = "../../tests/schemas/mod.rs"]
mod schemas;

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use schemas::Side;
use serde_json::Value;

fn document(name: &str) -> Value {
    let path = format!("{}/../../spec/edge/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn runner(name: &str) -> TestRunner {
    let cases = std::env::var("OAGEN_PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(128);
    let seed: u64 = std::env::var("OAGEN_PROPTEST_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut bytes = [0u8; 32];
    for (i, b) in name.bytes().chain(seed.to_le_bytes()).enumerate() {
        bytes[i % 32] ^= b.rotate_left(i as u32 % 8);
    }
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

/// The three properties for one model: `validate` runs the document's server validation on a
/// value and gives the distinct pointers of its violations.
fn check<T>(document_name: &str, schema_name: &str, validate: &dyn Fn(&Value) -> BTreeSet<String>)
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    let doc = document(document_name);
    let schema = serde_json::json!({"$ref": format!("#/components/schemas/{schema_name}")});
    let label = format!("{document_name} {schema_name}");
    runner(&format!("valid {label}"))
        .run(&schemas::values(&doc, &schema, Side::Request), |value| {
            let violations = validate(&value);
            prop_assert!(violations.is_empty(), "{}: valid {} refused at {:?}", label, value, violations);
            let decoded: T = serde_json::from_value(value.clone())
                .map_err(|e| TestCaseError::fail(format!("{label}: {value} does not decode: {e}")))?;
            let encoded = serde_json::to_value(&decoded).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let again: T = serde_json::from_value(encoded.clone())
                .map_err(|e| TestCaseError::fail(format!("{label}: its own {encoded} does not decode: {e}")))?;
            prop_assert_eq!(&again, &decoded, "{}: changed on the way through {}", label, encoded);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let broken = (schemas::values(&doc, &schema, Side::Request), any::<proptest::sample::Index>()).prop_filter_map(
        "something to break",
        |(valid, pick)| {
            let options = schemas::breakages(&doc, &schema, &valid);
            (!options.is_empty()).then(|| options[pick.index(options.len())].clone())
        },
    );
    runner(&format!("broken {label}"))
        .run(&broken, |broken| {
            let violations = validate(&broken.value);
            let expected = BTreeSet::from([broken.pointer.clone()]);
            prop_assert_eq!(&violations, &expected, "{}: {} in {}", label, broken.what, broken.value);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

/// One test per model, in a module per document: `document { Model = "component name", .. }`.
macro_rules! properties {
    ($($document:ident { $($model:ident = $component:literal),* $(,)? })*) => {
        $(
            mod $document {
                use oagen_edge_goldens::$document as api;
                $(
                    #[test]
                    #[allow(non_snake_case)]
                    fn $model() {
                        super::check::<api::models::$model>(stringify!($document), $component, &|value| {
                            let mut out = Vec::new();
                            api::server_runtime::validate(value, &api::server::schemas::$model, "", &mut out);
                            out.into_iter().map(|v| v.pointer).collect()
                        });
                    }
                )*
            }
        )*
    };
}

properties! {
    composition { Cat = "Cat", Contact = "Contact", Dog = "Dog", EmailContact = "EmailContact", Envelope = "Envelope", ImplicitObject = "ImplicitObject", Labelled = "Labelled", Merged = "Merged", Pet = "Pet", PhoneContact = "PhoneContact", StringOrInt = "StringOrInt" }
    encodings { Signup = "Signup", Upload = "Upload" }
    enums { KindEnum = "KindEnum", LevelEnum = "LevelEnum", Status = "Status", Task = "Task" }
    errors { Thing = "Thing" }
    formats { Mode = "Mode", Sample = "Sample" }
    names { Keywords = "Keywords", Option_ = "Option" }
    optional_nullable { Profile = "Profile" }
    read_write_only { WidgetInput = "WidgetInput", WidgetRequest = "WidgetRequest" }
    recursive { Node = "Node" }
    recursive_allof { Expression = "Expression" }
    refs { Owner = "Owner", Thing = "Thing", ThingCore = "ThingCore" }
    reserved { Principal = "Principal", Request = "Request", Style = "Style" }
}
