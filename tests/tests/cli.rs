//! The `oagen` command line, run as a user runs it: each flag's effect on the files written, the
//! exit codes (0 fine, 1 `check` found a difference, 2 a bad document, a bad flag or an I/O
//! failure) and the located messages on stderr.
//!
//! The binary belongs to the `oagen` package, not this one, so cargo sets no
//! `CARGO_BIN_EXE_oagen` here, and `target/debug/oagen` may be missing or older than the source
//! (`cargo test -p oagen-tests` does not build it). [`oagen`] therefore asks cargo to build it
//! (a no-op when it is fresh) in the same target directory and profile as the rest of the
//! workspace, and takes its path from cargo's own report of the artifact, so the test runs the
//! binary of this checkout wherever the target directory is. Cargo has released its build lock
//! by the time tests run, so this does not wait on the `cargo test` that started it.
//!
//! Documents and output go to temporary directories under `CARGO_TARGET_TMPDIR`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The `oagen` binary of this checkout, built once per test run.
fn oagen() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let out = Command::new(cargo)
            .current_dir(root())
            .args(["build", "--quiet", "-p", "oagen", "--bin", "oagen", "--message-format=json"])
            .output()
            .expect("cargo runs");
        assert!(out.status.success(), "building oagen failed:\n{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|msg| msg["reason"] == "compiler-artifact" && msg["target"]["name"] == "oagen")
            .find_map(|msg| msg["executable"].as_str().map(PathBuf::from))
            .expect("cargo reports the oagen executable")
    })
}

/// What a run of `oagen` gave.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `oagen` with `args` in `dir`.
fn run(dir: &Path, args: &[&str]) -> Run {
    let Output { status, stdout, stderr } =
        Command::new(oagen()).current_dir(dir).args(args).output().expect("oagen runs");
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Runs `oagen` and expects exit code 0.
fn run_ok(dir: &Path, args: &[&str]) -> Run {
    let run = run(dir, args);
    assert_eq!(run.code, Some(0), "oagen {args:?} failed:\n{}", run.stderr);
    run
}

/// A fresh directory under the target directory, removed when dropped.
fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("cli-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("a scratch directory")
}

/// `spec/edge/errors.yaml`, a small document with three path groups (`/ping`, `/repos`,
/// `/things`), copied into `dir` so its crate is named after it.
fn errors_yaml(dir: &Path) -> &'static str {
    std::fs::copy(root().join("spec/edge/errors.yaml"), dir.join("errors.yaml")).expect("copy errors.yaml");
    "errors.yaml"
}

fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The files under `dir/src`, by name.
fn sources(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("src"))
        .expect("src/ was written")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn no_client_and_no_server_leave_out_their_modules_features_and_dependencies() {
    let dir = scratch();
    let spec = errors_yaml(dir.path());
    run_ok(dir.path(), &["generate", spec, "--out", "both"]);
    run_ok(dir.path(), &["generate", spec, "--out", "server", "--no-client"]);
    run_ok(dir.path(), &["generate", spec, "--out", "client", "--no-server"]);

    let both = dir.path().join("both");
    assert_eq!(
        sources(&both),
        [
            "client.rs",
            "client_runtime.rs",
            "lib.rs",
            "models.rs",
            "openapi.json",
            "openapi.yaml",
            "operations.rs",
            "runtime.rs",
            "server.rs",
            "server_runtime.rs",
            "testing.rs",
            "testing_runtime.rs"
        ]
    );
    let manifest = read(both.join("Cargo.toml"));
    assert!(manifest.contains("default = [\"client\", \"server\", \"all-paths\"]"), "{manifest}");
    assert!(manifest.contains("\nclient = [\n") && manifest.contains("\nserver = [\n"), "{manifest}");
    assert!(manifest.contains("\ntesting = [\"client\", \"server\""), "{manifest}");

    let server = dir.path().join("server");
    assert_eq!(
        sources(&server),
        [
            "lib.rs",
            "models.rs",
            "openapi.json",
            "openapi.yaml",
            "operations.rs",
            "runtime.rs",
            "server.rs",
            "server_runtime.rs"
        ]
    );
    let manifest = read(server.join("Cargo.toml"));
    assert!(manifest.contains("default = [\"server\", \"all-paths\"]"), "{manifest}");
    assert!(!manifest.contains("\nclient = [") && !manifest.contains("\"client\""), "{manifest}");
    // The server's request context needs tokio's task locals; the client's dependencies stay out.
    assert!(!manifest.contains("reqwest") && !manifest.contains("fastrand"), "{manifest}");
    assert!(manifest.contains("description = \"Rust models and axum server for "), "{manifest}");
    let lib = read(server.join("src/lib.rs"));
    assert!(!lib.contains("mod client") && lib.contains("mod server"), "{lib}");

    let client = dir.path().join("client");
    assert_eq!(
        sources(&client),
        ["client.rs", "client_runtime.rs", "lib.rs", "models.rs", "operations.rs", "runtime.rs"]
    );
    let manifest = read(client.join("Cargo.toml"));
    assert!(manifest.contains("default = [\"client\", \"all-paths\"]"), "{manifest}");
    assert!(!manifest.contains("\nserver = [") && !manifest.contains("\"server\""), "{manifest}");
    assert!(!manifest.contains("axum") && !manifest.contains("regex"), "{manifest}");
    let lib = read(client.join("src/lib.rs"));
    assert!(lib.contains("mod client") && !lib.contains("mod server"), "{lib}");
}

#[test]
fn crate_name_names_the_package_and_changes_nothing_else() {
    let dir = scratch();
    let spec = errors_yaml(dir.path());
    run_ok(dir.path(), &["generate", spec, "--out", "default"]);
    run_ok(dir.path(), &["generate", spec, "--out", "named", "--crate-name", "my-edge_api"]);

    let default = read(dir.path().join("default/Cargo.toml"));
    assert!(default.starts_with("[package]\nname = \"errors\"\n"), "named after the file:\n{default}");
    let named = read(dir.path().join("named/Cargo.toml"));
    assert!(named.starts_with("[package]\nname = \"my-edge_api\"\n"), "{named}");
    assert_eq!(named.replace("my-edge_api", "errors"), default);
    // The sources do not spell the package name (`tests/tests/stubs.rs` compiles a named crate
    // and uses it by its library name).
    let names = sources(&dir.path().join("default"));
    assert_eq!(names, sources(&dir.path().join("named")));
    for name in &names {
        assert_eq!(
            read(dir.path().join("named/src").join(name)),
            read(dir.path().join("default/src").join(name)),
            "{name}"
        );
    }

    // A name that is no package name would break the manifest: refused, nothing written.
    let bad = run(dir.path(), &["generate", spec, "--out", "bad", "--crate-name", "my \"api\""]);
    assert_eq!(bad.code, Some(2), "{}", bad.stderr);
    assert!(bad.stderr.contains("is not a package name"), "{}", bad.stderr);
    assert!(!dir.path().join("bad").exists());
}

#[test]
fn no_tag_features_compiles_every_operation_unconditionally() {
    let dir = scratch();
    let spec = root().join("spec/posthog-organizations.yaml");
    let spec = spec.to_str().expect("a UTF-8 path");
    run_ok(dir.path(), &["generate", spec, "--out", "tagged"]);
    run_ok(dir.path(), &["generate", spec, "--out", "untagged", "--no-tag-features"]);

    let tagged = read(dir.path().join("tagged/Cargo.toml"));
    assert!(tagged.contains("\ntag-roles = []") && tagged.contains("\nall-tags = ["), "{tagged}");
    assert!(read(dir.path().join("tagged/src/client.rs")).contains("feature = \"tag-roles\""));

    let untagged = dir.path().join("untagged");
    let manifest = read(untagged.join("Cargo.toml"));
    assert!(manifest.contains("default = [\"client\", \"server\"]\n"), "{manifest}");
    assert!(!manifest.contains("tag-") && !manifest.contains("standalone-schemas"), "{manifest}");
    for name in sources(&untagged) {
        let text = read(untagged.join("src").join(&name));
        assert!(!text.contains("feature = \"tag-"), "src/{name} is gated on a tag feature");
        assert!(!text.contains("feature = \"all-tags\""), "src/{name} is gated on all-tags");
    }
}

#[test]
fn timings_prints_a_time_per_stage_to_stderr() {
    let dir = scratch();
    let spec = errors_yaml(dir.path());
    let quiet = run_ok(dir.path(), &["generate", spec, "--out", "quiet"]);
    assert!(!quiet.stderr.contains(" ms"), "times printed without --timings:\n{}", quiet.stderr);

    let timed = run_ok(dir.path(), &["generate", spec, "--out", "timed", "--timings"]);
    let line =
        timed.stderr.lines().find(|l| l.starts_with("oagen: load ")).unwrap_or_else(|| panic!("{}", timed.stderr));
    // `oagen: load 2 ms, lower 13 ms, emit 26 ms, format 6 ms (summed over threads), generate 50 ms, write 1 ms`
    let stages: Vec<(String, f64)> = line
        .trim_start_matches("oagen: ")
        .split(", ")
        .map(|part| {
            let words: Vec<&str> = part.split_whitespace().collect();
            let ms = words.get(1).and_then(|n| n.parse::<f64>().ok());
            assert!(ms.is_some() && words.get(2) == Some(&"ms"), "`{part}` is not `<stage> <n> ms` in {line}");
            (words[0].to_owned(), ms.unwrap_or_default())
        })
        .collect();
    let names: Vec<&str> = stages.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["load", "lower", "emit", "format", "generate", "write"], "{line}");
    assert!(stages.iter().all(|(_, ms)| *ms >= 0.0), "{line}");
}

/// Twelve properties `f0` to `f11`, none required.
const TWELVE: &str = r##"openapi: 3.0.3
info: {title: Twelve, version: 1.0.0}
paths:
  /e:
    get:
      operationId: getE
      responses:
        "200":
          description: An E.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/E"}
components:
  schemas:
    E:
      type: object
      properties:
        f0: {type: string}
        f1: {type: string}
        f2: {type: string}
        f3: {type: string}
        f4: {type: string}
        f5: {type: string}
        f6: {type: string}
        f7: {type: string}
        f8: {type: string}
        f9: {type: string}
        f10: {type: string}
        f11: {type: string}
"##;

/// Makes all twelve required.
const REQUIRE_ALL: &str = r#"overlay: 1.0.0
info: {title: every field required, version: 1.0.0}
actions:
  - target: $.components.schemas.E
    update:
      required: [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11]
"#;

/// Removes ten of the twelve entries of `required` (which only the first overlay creates).
const KEEP_TWO: &str = r#"overlay: 1.0.0
info: {title: all but f2 and f11 optional again, version: 1.0.0}
actions:
  - target: "$.components.schemas.E.required[?@ != 'f2' && @ != 'f11']"
    remove: true
"#;

/// The fields of `E` in `models.rs` that are required (not an `Option`).
fn required_fields(models: &str) -> Vec<String> {
    let start =
        models.find("pub struct E {").unwrap_or_else(|| panic!("no struct E in\n{models}")) + "pub struct E {".len();
    let body = &models[start..start + models[start..].find("\n}").expect("struct E ends")];
    body.lines()
        .filter_map(|l| l.trim().strip_prefix("pub "))
        .filter(|field| !field.contains("::std::option::Option<"))
        .filter_map(|field| field.split(':').next().map(str::to_owned))
        .collect()
}

#[test]
fn overlays_apply_in_the_order_given() {
    let dir = scratch();
    std::fs::write(dir.path().join("twelve.yaml"), TWELVE).expect("write document");
    std::fs::write(dir.path().join("require-all.yaml"), REQUIRE_ALL).expect("write overlay");
    std::fs::write(dir.path().join("keep-two.yaml"), KEEP_TWO).expect("write overlay");
    let models = |out: &str| read(dir.path().join(out).join("src/models.rs"));

    run_ok(dir.path(), &["generate", "twelve.yaml", "--out", "plain"]);
    assert_eq!(required_fields(&models("plain")), Vec::<String>::new());

    // The second overlay removes entries the first one added: ten of twelve, indices past 9
    // among them, so they must be removed by number, last first.
    let ordered = run_ok(
        dir.path(),
        &["generate", "twelve.yaml", "--out", "ordered", "--overlay", "require-all.yaml", "--overlay", "keep-two.yaml"],
    );
    assert!(!ordered.stderr.contains("warning"), "{}", ordered.stderr);
    assert_eq!(required_fields(&models("ordered")), ["f11", "f2"]);
    // The server serves the document as the overlays left it.
    let served: serde_json::Value =
        serde_json::from_str(&read(dir.path().join("ordered/src/openapi.json"))).expect("the served document");
    assert_eq!(served["components"]["schemas"]["E"]["required"], serde_json::json!(["f2", "f11"]));

    // The other way round, the removal comes first and finds no `required` to remove from.
    let reversed = run_ok(
        dir.path(),
        &[
            "generate",
            "twelve.yaml",
            "--out",
            "reversed",
            "--overlay",
            "keep-two.yaml",
            "--overlay",
            "require-all.yaml",
        ],
    );
    assert!(
        reversed.stderr.contains("twelve.yaml: warning: keep-two.yaml#/actions/0: target `$.components.schemas.E.required[?@ != 'f2' && @ != 'f11']` matches nothing"),
        "{}",
        reversed.stderr
    );
    assert_eq!(required_fields(&models("reversed")).len(), 12);

    // With --strict that warning refuses the document.
    let strict = run(
        dir.path(),
        &[
            "generate",
            "twelve.yaml",
            "--out",
            "strict",
            "--strict",
            "--overlay",
            "keep-two.yaml",
            "--overlay",
            "require-all.yaml",
        ],
    );
    assert_eq!(strict.code, Some(2), "{}", strict.stderr);
    assert!(strict.stderr.contains("--strict: 1 warning(s) above; nothing written"), "{}", strict.stderr);
    assert!(!dir.path().join("strict").exists());
}

/// Two references to schemas that do not exist, at lines 14 and 21.
const BROKEN: &str = r##"openapi: 3.0.3
info:
  title: Broken
  version: 1.0.0
paths:
  /roles:
    get:
      operationId: listRoles
      responses:
        "200":
          description: The roles.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Nope"
components:
  schemas:
    Role:
      type: object
      properties:
        member:
          $ref: "#/components/schemas/Member"
"##;

/// The two located errors `BROKEN` gives, as stderr prints them.
const BROKEN_ERRORS: &str = "error: generating from broken.yaml: broken.yaml: 2 error(s)
  broken.yaml: error: line 14: #/paths/~1roles/get/responses/200/content/application~1json/schema: reference `#/components/schemas/Nope` points at nothing
  broken.yaml: error: line 21: #/components/schemas/Role/properties/member: reference `#/components/schemas/Member` points at nothing
";

#[test]
fn a_bad_document_exits_2_with_every_error_located() {
    let dir = scratch();
    std::fs::write(dir.path().join("broken.yaml"), BROKEN).expect("write document");
    for command in ["generate", "check"] {
        let broken = run(dir.path(), &[command, "broken.yaml", "--out", "out"]);
        assert_eq!(broken.code, Some(2), "{command}: {}", broken.stderr);
        assert_eq!(broken.stderr, BROKEN_ERRORS, "{command}");
        assert!(!dir.path().join("out").exists(), "{command} wrote output");
    }
}

#[test]
fn a_missing_document_exits_2_naming_it() {
    let dir = scratch();
    for command in ["generate", "check"] {
        let missing = run(dir.path(), &[command, "missing.yaml", "--out", "out"]);
        assert_eq!(missing.code, Some(2), "{command}: {}", missing.stderr);
        assert!(missing.stderr.starts_with("error: reading missing.yaml: "), "{command}: {}", missing.stderr);
        assert!(missing.stderr.contains("No such file or directory"), "{command}: {}", missing.stderr);
    }
    let spec = errors_yaml(dir.path());
    let missing = run(dir.path(), &["generate", spec, "--out", "out", "--overlay", "missing-overlay.yaml"]);
    assert_eq!(missing.code, Some(2), "{}", missing.stderr);
    assert!(missing.stderr.starts_with("error: reading missing-overlay.yaml: "), "{}", missing.stderr);
    assert!(!dir.path().join("out").exists());
}

#[test]
fn check_exits_0_when_up_to_date_and_1_with_a_diff_when_not() {
    let dir = scratch();
    let spec = errors_yaml(dir.path());
    run_ok(dir.path(), &["generate", spec, "--out", "out"]);
    let fresh = run_ok(dir.path(), &["check", spec, "--out", "out"]);
    assert_eq!(fresh.stderr, "oagen: out is up to date\n");
    assert_eq!(fresh.stdout, "");

    let models = dir.path().join("out/src/models.rs");
    let text = read(&models);
    std::fs::write(&models, format!("{text}// edited by hand\n")).expect("edit models.rs");
    let stale = run(dir.path(), &["check", spec, "--out", "out"]);
    assert_eq!(stale.code, Some(1), "{}", stale.stderr);
    assert!(stale.stdout.contains("-// edited by hand"), "the diff:\n{}", stale.stdout);
    assert!(
        stale.stderr.contains(
            "oagen: 1 of 14 files in out differ from what the document generates; run `oagen generate` to update them"
        ),
        "{}",
        stale.stderr
    );
    // `check` reports; it does not write.
    assert!(read(&models).ends_with("// edited by hand\n"));

    // Flags count: the crate written with both sides is not what `--no-server` generates.
    let other = run(dir.path(), &["check", spec, "--out", "out", "--no-server", "--no-client"]);
    assert_eq!(other.code, Some(1), "{}", other.stderr);
}

#[test]
fn server_stubs_give_every_server_method_a_501_body() {
    let dir = scratch();
    let spec = errors_yaml(dir.path());
    run_ok(dir.path(), &["generate", spec, "--out", "plain"]);
    run_ok(dir.path(), &["generate", spec, "--out", "stubs", "--server-stubs"]);
    let stub = "async { ::std::result::Result::Err(rt::Problem::not_implemented()) }";
    // errors.yaml has four operations; `tests/tests/stubs.rs` compiles and serves the stubs.
    assert_eq!(read(dir.path().join("stubs/src/server.rs")).matches(stub).count(), 4);
    assert_eq!(read(dir.path().join("plain/src/server.rs")).matches("not_implemented").count(), 0);
}

/// `spec/edge/configured.yaml` and its configuration, copied into `dir`: the configuration as
/// `oagen.toml` beside the document, and as `other.toml` for `--config`.
fn configured(dir: &Path) -> &'static str {
    std::fs::copy(root().join("spec/edge/configured.yaml"), dir.join("configured.yaml")).expect("copy");
    std::fs::copy(root().join("spec/edge/configured.toml"), dir.join("oagen.toml")).expect("copy");
    std::fs::copy(root().join("spec/edge/configured.toml"), dir.join("other.toml")).expect("copy");
    "configured.yaml"
}

#[test]
fn oagen_toml_beside_the_document_is_read_and_config_names_another() {
    let dir = scratch();
    let spec = configured(dir.path());
    run_ok(dir.path(), &["generate", spec, "--out", "beside"]);
    let models = read(dir.path().join("beside/src/models.rs"));
    assert!(models.contains("pub struct Ledger") && !models.contains("AuditEntry"), "{models}");
    assert!(read(dir.path().join("beside/src/client.rs")).contains("pub async fn fetch_account("));

    std::fs::remove_file(dir.path().join("oagen.toml")).expect("remove oagen.toml");
    run_ok(dir.path(), &["generate", spec, "--out", "named", "--config", "other.toml"]);
    for file in ["src/models.rs", "src/client.rs", "src/server.rs", "Cargo.toml"] {
        assert_eq!(read(dir.path().join("named").join(file)), read(dir.path().join("beside").join(file)), "{file}");
    }
    run_ok(dir.path(), &["check", spec, "--out", "named", "--config", "other.toml"]);

    // Without a configuration the document generates as written.
    run_ok(dir.path(), &["generate", spec, "--out", "plain"]);
    assert!(read(dir.path().join("plain/src/models.rs")).contains("pub struct Account"));
    std::fs::copy(dir.path().join("other.toml"), dir.path().join("oagen.toml")).expect("copy");
    run_ok(dir.path(), &["generate", spec, "--out", "ignored", "--no-config"]);
    assert_eq!(read(dir.path().join("ignored/src/models.rs")), read(dir.path().join("plain/src/models.rs")));
}

#[test]
fn flags_win_over_the_configuration() {
    let dir = scratch();
    let spec = configured(dir.path());
    let toml = "crate-name = \"from-config\"\nserver = true\nserver-stubs = false\n";
    std::fs::write(dir.path().join("oagen.toml"), toml).expect("write");
    run_ok(dir.path(), &["generate", spec, "--out", "a"]);
    assert!(read(dir.path().join("a/Cargo.toml")).contains("name = \"from-config\""));
    run_ok(dir.path(), &["generate", spec, "--out", "b", "--crate-name", "from-flag", "--no-server"]);
    assert!(read(dir.path().join("b/Cargo.toml")).contains("name = \"from-flag\""));
    assert!(!dir.path().join("b/src/server.rs").exists());
}

#[test]
fn a_bad_configuration_exits_2_located_and_writes_nothing() {
    let dir = scratch();
    let spec = configured(dir.path());
    let toml = "[select]\nexclude-tags = [\"audits\"]\n\n[types.Acount]\nrename = \"Ledger\"\n";
    std::fs::write(dir.path().join("oagen.toml"), toml).expect("write");
    for command in ["generate", "check"] {
        let bad = run(dir.path(), &[command, spec, "--out", "out"]);
        assert_eq!(bad.code, Some(2), "{command}: {}", bad.stderr);
        let file = "oagen.toml";
        assert_eq!(
            bad.stderr,
            format!(
                "error: generating from configured.yaml: {file}: 2 problem(s) in the configuration\n  \
                 {file}: line 2: select.exclude-tags[0]: no operation has the tag `audits`; did you mean `audit`?\n  \
                 {file}: line 4: types.Acount: the document has no schema `Acount`; did you mean `Account`?\n"
            ),
            "{command}"
        );
        assert!(!dir.path().join("out").exists(), "{command} wrote output");
    }
    std::fs::write(dir.path().join("oagen.toml"), "[select]\nexclude_tags = []\n").expect("write");
    let bad = run(dir.path(), &["generate", spec, "--out", "out"]);
    assert_eq!(bad.code, Some(2), "{}", bad.stderr);
    assert!(bad.stderr.contains("line 2: unknown field `exclude_tags`, expected one of"), "{}", bad.stderr);
    assert!(!dir.path().join("out").exists());
}

#[test]
fn the_servers_own_routes_yield_to_the_documents_own_paths() {
    let dir = scratch();
    let doc = "openapi: 3.0.3\ninfo: {title: own routes, version: '1'}\npaths:\n  /openapi.json:\n    get:\n      \
               operationId: own_document\n      responses:\n        '200': {description: the API's own}\n  \
               /docs/search:\n    get:\n      operationId: search_docs\n      responses:\n        '200': {description: found}\n";
    std::fs::write(dir.path().join("own.yaml"), doc).expect("write document");
    run_ok(dir.path(), &["generate", "own.yaml", "--out", "own"]);
    let lib = read(dir.path().join("own/src/lib.rs"));
    // `/openapi.json` and `/docs` stay the document's; `/openapi.yaml` is the server's.
    assert!(lib.contains("json: ::std::option::Option::None"), "{lib}");
    assert!(lib.contains("yaml: ::std::option::Option::Some(include_str!(\"openapi.yaml\"))"), "{lib}");
    assert!(lib.contains("docs: false"), "{lib}");
}
