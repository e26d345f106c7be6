//! Documents the fuzzer (`fuzz/`, TESTING.md) found oagen mishandling, minimized, under
//! `tests/fixtures/fuzz/`: each generates (or is refused) on a thread with the stack the `oagen`
//! binary's main thread has, with exactly the located diagnostics listed here.

use std::path::Path;

/// The stack of the `oagen` binary's main thread on Linux.
const MAIN_STACK: usize = 8 << 20;

/// A fixture, whether it generates, and its diagnostics as (line, pointer).
type Case = (&'static str, bool, &'static [(usize, &'static str)]);

const CASES: &[Case] = &[
    // Seed 100, iteration 132: `not` nested 64 deep over something that is not a schema. Reading
    // it tried two variants per level (2^64 tries); now it fails at once, with the same warning.
    ("deep-unreadable-schema.json", true, &[(28, "#/components/schemas/Deep")]),
    (
        "ref-cycles.yaml",
        true,
        &[(36, "#/components/schemas/A"), (38, "#/components/schemas/C"), (43, "#/components/schemas/F")],
    ),
    (
        "shared-component-pointers.yaml",
        true,
        &[
            (20, "#/paths/~1things~1{id}/post/parameters/1/content/application~1json/schema"),
            (28, "#/paths/~1things~1{id}/post/parameters/2/schema/allOf/1/properties/value/pattern"),
            (40, "#/components/parameters/Id/schema"),
            (48, "#/components/requestBodies/Thing/content/application~1json/schema/properties/storage"),
            (57, "#/components/responses/Thing/content/application~1json/schema"),
            (60, "#/components/headers/Trace/schema"),
        ],
    ),
    // Seed 909, iteration 8297: a `$ref` to a schema kept under `definitions`, nested 64 deep
    // over something unreadable: reading it took 2^64 tries, since only schema positions were
    // defused; the target of a reference into the document is now defused when followed.
    ("deep-definitions-ref.json", true, &[(166, "#/components/schemas/Holder/properties/value")]),
    // Seed 808, iterations 715 and 887: a `type` list with a name that is no JSON type was
    // rewritten into `anyOf` alternatives the document does not have, and warned about there.
    (
        "type-list-unknown.yaml",
        true,
        &[
            (14, "#/paths/~1things/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/kind"),
            (25, "#/components/schemas/Thing/properties/form"),
        ],
    ),
];

fn generate(text: String, name: &str) -> Result<oagen::Generated, oagen::Error> {
    let settings = oagen::Settings::for_spec(Path::new(name));
    std::thread::Builder::new()
        .stack_size(MAIN_STACK)
        .spawn(move || oagen::generate(&text, &settings))
        .expect("spawn a generation thread")
        .join()
        .unwrap_or_else(|_| panic!("{name}: oagen panicked"))
}

#[test]
fn fuzz_findings_stay_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fuzz");
    let mut listed: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/fuzz")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    listed.sort();
    let mut named: Vec<String> = CASES.iter().map(|(f, ..)| (*f).to_owned()).collect();
    named.sort();
    assert_eq!(listed, named, "every fixture under tests/fixtures/fuzz has a case here, and only those");

    for (file, generates, expected) in CASES {
        let text = std::fs::read_to_string(dir.join(file)).expect("a fixture");
        let diagnostics = match generate(text, file) {
            Ok(g) if *generates => g.diagnostics,
            Err(oagen::Error::Invalid { diagnostics, .. }) if !generates => diagnostics,
            other => panic!("{file}: expected {}, got {other:?}", if *generates { "code" } else { "a refusal" }),
        };
        let found: Vec<(usize, &str)> = diagnostics.iter().map(|d| (d.line.unwrap_or(0), d.pointer.as_str())).collect();
        assert_eq!(found, *expected, "{file}: {diagnostics:#?}");
    }
}
