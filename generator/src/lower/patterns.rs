//! `pattern`s the generated server cannot run: the server checks patterns with Rust's `regex`
//! crate, which has no look-around or backreferences. Such a pattern is found here, reported
//! where it is written, and left out, rather than silently accepting every value at run time.

use std::collections::BTreeMap;

use crate::error::Diagnostic;
use crate::ir::{Api, Constraints};

/// Why Rust's `regex` cannot run `pattern`, if it cannot; documents repeat their patterns, so
/// each is compiled once (`verdicts`).
fn problem(verdicts: &mut BTreeMap<String, Option<String>>, pattern: &str) -> Option<String> {
    verdicts
        .entry(pattern.to_owned())
        .or_insert_with(|| regex::Regex::new(pattern).err().map(|e| first_line(&e.to_string())))
        .clone()
}

/// Drops the pattern of `constraints` when `regex` cannot run it, with a warning at `pointer`
/// (where the pattern is written) about `what` (`property `code``).
pub(super) fn drop_unrunnable(
    verdicts: &mut BTreeMap<String, Option<String>>,
    diagnostics: &mut Vec<Diagnostic>,
    constraints: &mut Constraints,
    pointer: String,
    what: &str,
) {
    let Some(pattern) = &constraints.pattern else { return };
    if let Some(problem) = problem(verdicts, pattern) {
        diagnostics.push(Diagnostic::warning(
            pointer,
            format!(
                "{what}'s pattern `{pattern}` is not one Rust's regex crate can run ({problem}); the generated \
                 server does not check it"
            ),
        ));
        constraints.pattern = None;
    }
}

/// Drops every parameter pattern `regex` does not compile, with a warning located at the
/// operation's parameters. (Properties are checked as they are lowered, where the pointer of the
/// property is known: an allOf member's, say, rather than the merged type's.)
pub(super) fn check(api: &mut Api, verdicts: &mut BTreeMap<String, Option<String>>, diagnostics: &mut Vec<Diagnostic>) {
    for op in &mut api.operations {
        for param in &mut op.params {
            let what = format!("parameter `{}`", param.wire_name);
            drop_unrunnable(verdicts, diagnostics, &mut param.constraints, format!("{}/parameters", op.pointer), &what);
        }
    }
}

/// The last line of `regex`'s message says what is wrong; the others draw the pattern.
fn first_line(message: &str) -> String {
    message
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(message)
        .trim()
        .trim_start_matches("error: ")
        .to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_pattern_regex_cannot_run_is_reported_and_left_out() {
        let doc = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a/{code}:
    get:
      operationId: getA
      parameters:
        - {name: code, in: path, required: true, schema: {type: string, pattern: "^(?!x)[a-z]+$"}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/A"}
components:
  schemas:
    A:
      type: object
      properties:
        good: {type: string, pattern: "^[a-z]+$"}
        bad: {type: string, pattern: "^(a)\\1$"}
"##;
        let mut parsed = crate::load::parse("t.yaml", doc).expect("parses");
        crate::load::normalize(&mut parsed);
        let (api, diagnostics) = crate::lower::lower(&parsed, &crate::config::Tailoring::default());
        let api = api.expect("lowers");
        let messages: Vec<String> = diagnostics.iter().map(|d| format!("{} {}", d.pointer, d.message)).collect();
        assert_eq!(messages.len(), 2, "{messages:#?}");
        assert!(messages[0].starts_with("#/components/schemas/A/properties/bad/pattern property `bad`'s pattern"));
        assert!(messages[1].starts_with("#/paths/~1a~1{code}/get/parameters parameter `code`'s pattern"));
        let a = api.types.iter().find(|t| t.name == "A").expect("A");
        let crate::ir::TypeKind::Struct(s) = &a.kind else { panic!("a struct") };
        let pattern =
            |wire: &str| s.fields.iter().find(|f| f.wire_name == wire).and_then(|f| f.constraints.pattern.clone());
        assert_eq!((pattern("good").as_deref(), pattern("bad")), (Some("^[a-z]+$"), None));
        assert_eq!(api.operations[0].params[0].constraints.pattern, None);
    }
}
