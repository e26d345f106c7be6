//! `spec/posthog-organizations.yaml` is a valid OpenAPI 3.0.3 document (checked by
//! openapi-spec-validator from PyPI) with the 40 operations, scopes and seed examples of PostHog's
//! Organizations API (`tests/spec_valid.py`). Without Python and the validator the test says how
//! to get them and passes, except under CI (`CI` set), where `.ci/run` installs them.

use std::path::Path;
use std::process::Command;

#[test]
fn posthog_spec_is_valid_and_matches_the_seed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let probe =
        Command::new("python3").args(["-c", "import openapi_spec_validator, openapi_schema_validator"]).output();
    if !probe.as_ref().is_ok_and(|o| o.status.success()) {
        let msg = "python3 with openapi-spec-validator is needed: `pip install openapi-spec-validator`";
        assert!(std::env::var_os("CI").is_none(), "{msg}");
        eprintln!("skipped: {msg}");
        return;
    }
    let out = Command::new("python3").arg(root.join("tests/spec_valid.py")).output().expect("python3 runs");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "tests/spec_valid.py failed:\n{text}");
    assert!(text.contains("4 passed"), "unexpected output from tests/spec_valid.py:\n{text}");
}
