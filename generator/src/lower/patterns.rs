//! `pattern`s the generated server cannot run: the server checks patterns with Rust's `regex`
//! crate, which has no look-around or backreferences. Such a pattern is found here, reported
//! where it is written, and left out, rather than silently accepting every value at run time.

use std::collections::BTreeMap;

use crate::error::Diagnostic;
use crate::ir::{Api, Constraints, TypeKind};
use crate::load::escape;

/// Drops every pattern `regex` does not compile, with a warning located at it.
pub(super) fn check(api: &mut Api, diagnostics: &mut Vec<Diagnostic>) {
    // Documents repeat their patterns; each is compiled once.
    let mut verdicts: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut check_one = |constraints: &mut Constraints, pointer: String, what: &str| {
        let Some(pattern) = &constraints.pattern else { return };
        let problem = verdicts
            .entry(pattern.clone())
            .or_insert_with(|| regex::Regex::new(pattern).err().map(|e| first_line(&e.to_string())));
        if let Some(problem) = problem {
            diagnostics.push(Diagnostic::warning(
                pointer,
                format!(
                    "{what}'s pattern `{pattern}` is not one Rust's regex crate can run ({problem}); the generated \
                     server does not check it"
                ),
            ));
            constraints.pattern = None;
        }
    };
    for def in &mut api.types {
        if let TypeKind::Struct(s) = &mut def.kind {
            for field in &mut s.fields {
                let pointer = format!("{}/properties/{}/pattern", def.pointer, escape(&field.wire_name));
                check_one(&mut field.constraints, pointer, &format!("property `{}`", field.wire_name));
            }
        }
    }
    for op in &mut api.operations {
        for param in &mut op.params {
            let what = format!("parameter `{}`", param.wire_name);
            check_one(&mut param.constraints, format!("{}/parameters", op.pointer), &what);
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
        let (api, diagnostics) = crate::lower::lower(&parsed);
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
