//! End-to-end tests of the `oagen` binary: the drift gate (`check`) on the committed crate, its
//! sensitivity to a changed document, idempotent `generate`, located diagnostics for broken
//! documents (`tests/fixtures/broken/`), and usage errors.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn spec() -> PathBuf {
    root().join("spec/posthog-organizations.yaml")
}

fn broken(name: &str) -> PathBuf {
    root().join("tests/fixtures/broken").join(name)
}

/// Runs `oagen` with the given arguments.
fn oagen<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_oagen")).args(args).output().expect("oagen runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Everything `oagen` printed, for assertion messages.
fn describe(out: &Output) -> String {
    format!("exit status: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}", out.status.code(), stdout(out), stderr(out))
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Every file under `dir`, by path relative to `dir`, with its bytes.
fn read_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).expect("under base").to_path_buf();
                out.insert(rel, std::fs::read(&path).expect("read file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

// ---------------------------------------------------------------------------------------------
// 1. The committed crate is what the committed document generates.

#[test]
fn check_passes_on_the_committed_crate() {
    let out =
        oagen([OsStr::new("check"), spec().as_os_str(), OsStr::new("--out"), root().join("generated").as_os_str()]);
    assert_eq!(out.status.code(), Some(0), "generated/ has drifted from spec/:\n{}", describe(&out));
    assert!(stdout(&out).is_empty(), "an up-to-date check prints no diff:\n{}", describe(&out));
}

// ---------------------------------------------------------------------------------------------
// 2. The drift gate notices a change, and `generate` is idempotent.

/// The `Role` schema's `name` property, exactly as the committed document spells it.
const ROLE_NAME: &str = "        Role:
            type: object
            properties:
                id:
                    type: string
                    format: uuid
                    readOnly: true
                name:
                    type: string
                    maxLength: 200
";

#[test]
fn check_fails_with_a_diff_when_the_document_changes() {
    let original = std::fs::read_to_string(spec()).expect("read spec");
    assert_eq!(original.matches(ROLE_NAME).count(), 1, "the Role schema is no longer spelled as this test expects");
    let changed = original.replace(ROLE_NAME, &ROLE_NAME.replace("maxLength: 200", "maxLength: 100"));
    assert_ne!(changed, original, "the replacement did not happen");
    assert!(changed.contains("maxLength: 100"), "the replacement did not happen");

    // Same file name: the generated header names the document.
    let dir = temp_dir();
    let doc = dir.path().join("posthog-organizations.yaml");
    std::fs::write(&doc, &changed).expect("write changed spec");

    let out = oagen([OsStr::new("check"), doc.as_os_str(), OsStr::new("--out"), root().join("generated").as_os_str()]);
    assert_eq!(out.status.code(), Some(1), "check must notice the change:\n{}", describe(&out));
    let diff = stdout(&out);
    assert!(diff.contains("--- src/models.rs"), "the diff names the file:\n{}", describe(&out));
    assert!(
        diff.lines().any(|l| l.starts_with('-') && l.contains("at most 200 characters")),
        "the diff removes the old limit:\n{}",
        describe(&out)
    );
    assert!(
        diff.lines().any(|l| l.starts_with('+') && l.contains("at most 100 characters")),
        "the diff adds the new limit:\n{}",
        describe(&out)
    );
}

#[test]
fn check_passes_right_after_generate() {
    let dir = temp_dir();
    let gen_out = oagen([OsStr::new("generate"), spec().as_os_str(), OsStr::new("--out"), dir.path().as_os_str()]);
    assert_eq!(gen_out.status.code(), Some(0), "generate failed:\n{}", describe(&gen_out));
    assert!(dir.path().join("Cargo.toml").is_file(), "generate wrote no Cargo.toml");
    assert!(dir.path().join("src/lib.rs").is_file(), "generate wrote no src/lib.rs");

    let out = oagen([OsStr::new("check"), spec().as_os_str(), OsStr::new("--out"), dir.path().as_os_str()]);
    assert_eq!(out.status.code(), Some(0), "check disagrees with generate:\n{}", describe(&out));
    assert!(stdout(&out).is_empty(), "an up-to-date check prints no diff:\n{}", describe(&out));
}

#[test]
fn check_fails_on_an_empty_directory() {
    let dir = temp_dir();
    let out = oagen([OsStr::new("check"), spec().as_os_str(), OsStr::new("--out"), dir.path().as_os_str()]);
    assert_eq!(out.status.code(), Some(1), "nothing on disk is a difference:\n{}", describe(&out));
    assert!(stdout(&out).contains("src/models.rs"), "the diff names the missing file:\n{}", describe(&out));
}

#[test]
fn generate_twice_writes_identical_bytes() {
    let dir = temp_dir();
    let spec = spec();
    let args = [OsStr::new("generate"), spec.as_os_str(), OsStr::new("--out"), dir.path().as_os_str()];

    let first = oagen(args);
    assert_eq!(first.status.code(), Some(0), "first generate failed:\n{}", describe(&first));
    let after_first = read_tree(dir.path());
    assert!(!after_first.is_empty(), "generate wrote nothing");

    let second = oagen(args);
    assert_eq!(second.status.code(), Some(0), "second generate failed:\n{}", describe(&second));
    let after_second = read_tree(dir.path());

    assert_eq!(
        after_first.keys().collect::<Vec<_>>(),
        after_second.keys().collect::<Vec<_>>(),
        "the second run wrote a different set of files"
    );
    for (path, bytes) in &after_first {
        assert!(after_second[path] == *bytes, "{} changed between runs", path.display());
    }
    assert!(stderr(&second).contains("(0 changed)"), "the second run rewrote files:\n{}", describe(&second));
}

// ---------------------------------------------------------------------------------------------
// 3. Broken documents: exit 2, nothing written, every problem located.

/// Runs `generate` on a broken fixture and checks: exit code 2, nothing written, and each of
/// `expected` appears in stderr.
fn assert_rejected(fixture: &str, expected: &[&str]) -> Output {
    let dir = temp_dir();
    let out = oagen([OsStr::new("generate"), broken(fixture).as_os_str(), OsStr::new("--out"), dir.path().as_os_str()]);
    assert_eq!(out.status.code(), Some(2), "{fixture} must be rejected with exit code 2:\n{}", describe(&out));
    assert!(read_tree(dir.path()).is_empty(), "{fixture}: a rejected document must write nothing");
    let err = stderr(&out);
    for want in expected {
        assert!(err.contains(want), "{fixture}: stderr lacks {want:?}:\n{}", describe(&out));
    }
    out
}

/// `<file>: error: line N: <pointer>: `, the form of a located error.
fn located(fixture: &str, line: usize, pointer: &str) -> String {
    format!("{fixture}: error: line {line}: {pointer}: ")
}

/// `<file>:<line>:<column>: `, the form of a syntax error.
fn syntax_at(fixture: &str, line: usize, column: usize) -> String {
    format!("{fixture}:{line}:{column}: ")
}

/// The first `<file>:<line>:<column>:` in `text`.
fn syntax_location(text: &str, fixture: &str) -> Option<(usize, usize)> {
    let prefix = format!("{fixture}:");
    text.match_indices(&prefix).find_map(|(at, _)| {
        let mut parts = text[at + prefix.len()..].splitn(3, ':');
        let line = parts.next()?.parse().ok()?;
        let column = parts.next()?.parse().ok()?;
        Some((line, column))
    })
}

#[test]
fn broken_yaml_unclosed_bracket() {
    // The `[` opens on line 6, column 7; the parser gives up at `paths:` (line 7, column 6).
    let f = "unclosed-bracket.yaml";
    assert_rejected(f, &[&syntax_at(f, 7, 6), "flow sequence at line 6 column 7"]);
}

/// The trailing comma is on line 7, column 14 (`  "paths": {},`); serde_json reports the `}`
/// after it (line 8, column 1) and oagen moves the report back to the comma, as
/// `broken_json_trailing_comma_location` checks.
#[test]
fn broken_json_trailing_comma() {
    let f = "trailing-comma.json";
    let out = assert_rejected(f, &["trailing comma"]);
    let located_syntax = syntax_location(&stderr(&out), f).is_some();
    assert!(located_syntax, "{f}: no `{f}:<line>:<column>:` in stderr:\n{}", describe(&out));
}

#[test]
fn broken_json_trailing_comma_location() {
    let f = "trailing-comma.json";
    assert_rejected(f, &[&syntax_at(f, 7, 14), "trailing comma"]);
}

#[test]
fn broken_yaml_tab_indentation() {
    // Line 7 starts with a tab.
    let f = "tab-indent.yaml";
    assert_rejected(f, &[&syntax_at(f, 7, 1)]);
}

#[test]
fn broken_top_level_list() {
    let f = "top-level-list.yaml";
    assert_rejected(f, &[&located(f, 2, "#"), "not an object"]);
}

/// Exit code 2 and the pointer; the line is checked by `broken_swagger_2_location`.
#[test]
fn broken_swagger_2() {
    let f = "swagger-2.yaml";
    assert_rejected(f, &[&format!("{f}: error: "), "#/swagger", "Swagger 2.0"]);
}

#[test]
fn broken_swagger_2_location() {
    let f = "swagger-2.yaml";
    assert_rejected(f, &[&located(f, 2, "#/swagger"), "Swagger 2.0"]);
}

/// Exit code 2 and the pointer; the line is checked by `broken_missing_openapi_location`.
#[test]
fn broken_missing_openapi() {
    let f = "missing-openapi.yaml";
    assert_rejected(f, &[&format!("{f}: error: "), "#/openapi", "missing `openapi`"]);
}

#[test]
fn broken_missing_openapi_location() {
    let f = "missing-openapi.yaml";
    assert_rejected(f, &[&located(f, 2, "#/openapi")]);
}

#[test]
fn broken_openapi_4() {
    let f = "openapi-4.yaml";
    assert_rejected(f, &[&located(f, 5, "#/openapi"), "4.0.0"]);
}

#[test]
fn broken_paths_is_a_list() {
    let f = "paths-list.yaml";
    assert_rejected(f, &[&located(f, 6, "#/paths")]);
}

#[test]
fn broken_components_is_a_list() {
    let f = "components-list.yaml";
    assert_rejected(f, &[&located(f, 7, "#/components")]);
}

#[test]
fn broken_schemas_is_a_list() {
    let f = "schemas-list.yaml";
    assert_rejected(f, &[&located(f, 8, "#/components/schemas")]);
}

#[test]
fn broken_dangling_property_ref() {
    let f = "dangling-property-ref.yaml";
    assert_rejected(f, &[&located(f, 14, "#/components/schemas/Role/properties/owner"), "#/components/schemas/Nope"]);
}

#[test]
fn broken_dangling_response_ref() {
    let f = "dangling-response-ref.yaml";
    assert_rejected(f, &[&located(f, 11, "#/paths/~1roles/get/responses/200")]);
}

#[test]
fn broken_dangling_parameter_ref() {
    let f = "dangling-parameter-ref.yaml";
    assert_rejected(f, &[&located(f, 15, "#/paths/~1roles/get/parameters/1")]);
}

#[test]
fn broken_dangling_request_body_ref() {
    let f = "dangling-request-body-ref.yaml";
    assert_rejected(f, &[&located(f, 10, "#/paths/~1roles/post/requestBody")]);
}

#[test]
fn broken_two_dangling_refs_are_both_reported() {
    let f = "two-dangling-refs.yaml";
    assert_rejected(
        f,
        &[
            &located(f, 15, "#/paths/~1roles/get/responses/200/content/application~1json/schema"),
            "#/components/schemas/Missing",
            &located(f, 22, "#/components/schemas/Role/properties/member"),
            "#/components/schemas/AlsoMissing",
            "2 error(s)",
        ],
    );
}

#[test]
fn check_rejects_a_broken_document_with_exit_2_not_1() {
    // A bad document is not drift: `check` must not answer "differs".
    let f = "dangling-property-ref.yaml";
    let out =
        oagen([OsStr::new("check"), broken(f).as_os_str(), OsStr::new("--out"), root().join("generated").as_os_str()]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(stderr(&out).contains(&located(f, 14, "#/components/schemas/Role/properties/owner")), "{}", describe(&out));
    assert!(stdout(&out).is_empty(), "no diff for a rejected document:\n{}", describe(&out));
}

// ---------------------------------------------------------------------------------------------
// 4. Usage errors.

#[test]
fn no_arguments_is_an_error() {
    let out = oagen::<[&str; 0], &str>([]);
    assert!(!out.status.success(), "no arguments must fail:\n{}", describe(&out));
    assert!(!stderr(&out).is_empty(), "no arguments must say why:\n{}", describe(&out));
}

#[test]
fn nonexistent_spec_exits_2_naming_the_path() {
    let dir = temp_dir();
    let missing = dir.path().join("no-such-spec.yaml");
    let out_dir = dir.path().join("out");
    let out = oagen([OsStr::new("generate"), missing.as_os_str(), OsStr::new("--out"), out_dir.as_os_str()]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(stderr(&out).contains(&missing.display().to_string()), "the message names the path:\n{}", describe(&out));
    assert!(!out_dir.exists(), "nothing is written for a missing document");
}

/// `--strict` turns a fallback into a refusal: a schema the generator can only read as
/// `serde_json::Value` is a warning normally (exit 0) and an exit 2 under `--strict`.
#[test]
fn strict_refuses_what_is_otherwise_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = dir.path().join("fallback.yaml");
    let text =
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Odd:\n      type: 5\n";
    std::fs::write(&spec, text).expect("write spec");
    let out_dir = dir.path().join("out");
    let run = |strict: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_oagen"));
        cmd.arg("generate").arg(&spec).arg("--out").arg(&out_dir);
        if strict {
            cmd.arg("--strict");
        }
        cmd.output().expect("oagen runs")
    };
    let lenient = run(false);
    let stderr = String::from_utf8_lossy(&lenient.stderr).into_owned();
    assert_eq!(lenient.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("warning: line 6: #/components/schemas/Odd"), "{stderr}");
    std::fs::remove_dir_all(&out_dir).expect("clean");
    let strict = run(true);
    assert_eq!(strict.status.code(), Some(2), "{}", String::from_utf8_lossy(&strict.stderr));
    assert!(!out_dir.exists(), "--strict wrote files");
}
