//! Bytes to a generic value tree (YAML or JSON), and JSON pointers back to source lines.
//!
//! The tree is a `serde_json::Value` whose maps are sorted (serde_json without
//! `preserve_order`), so everything built from it is independent of the document's key order.

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, Schema};
use serde::Deserialize;
use serde_json::Value;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::error::Error;

/// Parses a document: JSON when it starts with `{`, YAML otherwise.
pub fn parse(source_name: &str, text: &str) -> Result<Value, Error> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        let body = text.trim_start_matches('\u{feff}');
        return serde_json::from_str(body).map_err(|e| {
            let (line, column) = json_error_position(body, &e);
            Error::Syntax { source_name: source_name.to_owned(), line, column, message: e.to_string() }
        });
    }
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
        Error::Syntax { source_name: source_name.to_owned(), line, column, message: e.to_string() }
    })?;
    yaml.apply_merge().map_err(|e| Error::Syntax {
        source_name: source_name.to_owned(),
        line: 1,
        column: 1,
        message: e.to_string(),
    })?;
    Ok(yaml_to_json(yaml))
}

/// serde_json places a trailing comma at the token after it; point at the comma itself.
fn json_error_position(text: &str, e: &serde_json::Error) -> (usize, usize) {
    let (line, column) = (e.line(), e.column());
    if !e.to_string().starts_with("trailing comma") || line == 0 {
        return (line, column);
    }
    let line_start: usize = text.split_inclusive('\n').take(line - 1).map(str::len).sum();
    let at = (line_start + column.saturating_sub(1)).min(text.len());
    let Some(comma) = text[..at].rfind(|c: char| !c.is_whitespace()).filter(|&i| text[i..].starts_with(',')) else {
        return (line, column);
    };
    let comma_line = text[..comma].matches('\n').count() + 1;
    let comma_column = comma - text[..comma].rfind('\n').map_or(0, |i| i + 1) + 1;
    (comma_line, comma_column)
}

fn yaml_to_json(value: serde_yaml::Value) -> Value {
    match value {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                // Non-finite floats (`.nan`, `.inf`) have no JSON form; keep their spelling.
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or_else(|| Value::String(n.to_string()), Value::Number)
            }
        }
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        serde_yaml::Value::Mapping(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (yaml_key(k), yaml_to_json(v))).collect())
        }
        serde_yaml::Value::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

/// YAML allows any key; OpenAPI keys are strings, and response codes written as `200:` are
/// integers to YAML, so every scalar key is spelled out.
fn yaml_key(key: serde_yaml::Value) -> String {
    match key {
        serde_yaml::Value::String(s) => s,
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Null => "null".to_owned(),
        other => serde_yaml::to_string(&other).unwrap_or_default().trim_end().to_owned(),
    }
}

/// The document as JSON (two-space indents, keys sorted, a final newline): what a generated
/// server serves at `/openapi.json`.
pub fn to_json(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("a JSON value has a text");
    text.push('\n');
    text
}

/// The document as YAML (keys sorted): what a generated server serves at `/openapi.yaml`.
pub fn to_yaml(value: &Value) -> String {
    serde_yaml::to_string(value).expect("a JSON value has a YAML text")
}

/// Rewrites OpenAPI 3.1 / JSON Schema 2020-12 spellings into their 3.0 forms, in place, so one
/// lowering serves both: `type: [T, "null"]` becomes `type: T` + `nullable: true` (several
/// non-null types become an `anyOf`), `const` becomes a one-value `enum`, and numeric
/// `exclusiveMinimum`/`exclusiveMaximum` become a bound with the boolean flag. Array-valued
/// `type`, `const` and numeric exclusive bounds occur only in schemas, so the walk is safe over
/// the whole document.
pub fn normalize(value: &mut Value) {
    normalize_in(value, Context::Node);
    let _ = defuse(value, Position::Node);
}

/// [`normalize`]'s defusing of deep unreadable schemas for a node read as a schema although it
/// is not in a schema position (the target of a `$ref` into the middle of the document, such
/// as `#/components/schemas/A/definitions/b`), which `normalize` walked as plain data.
pub fn defuse_schema(value: &mut Value) {
    let _ = defuse(value, Position::Schema);
}

/// Schemas nesting at least this deep are tried on their own before their parent is read.
const DEFUSE_DEPTH: usize = 8;

/// Where a value sits, for [`defuse`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Position {
    /// Anything that is not a schema.
    Node,
    /// A map from names to nodes (see [`NAME_MAPS`]).
    Names,
    /// A schema.
    Schema,
    /// A map from names to schemas (`properties`, `components/schemas`).
    SchemaMap,
    /// A list of schemas (`allOf`, `oneOf`, `anyOf`).
    SchemaList,
}

/// Reading a schema with `openapiv3` takes time exponential in how deep the schema nests when
/// something deep inside cannot be read: each level tries two variants (a typed schema, then
/// `AnySchema`), each reading the level below again. So, bottom-up, every schema that nests
/// [`DEFUSE_DEPTH`] or more deep is tried on its own once, and one that cannot be read becomes a
/// string, which fails every schema position at once, where the schema failed it slowly. Where
/// the schema was ignored (`items` beside `type: string`) the string is ignored too, so what
/// reads, and what is reported, is unchanged but for the message, which names the first problem
/// found below. Returns how deep schemas nest in `value`, and that problem if there was one.
fn defuse(value: &mut Value, position: Position) -> (usize, Option<String>) {
    let mut deepest = 0;
    let mut problem = None;
    let mut take = |(depth, found): (usize, Option<String>)| {
        deepest = deepest.max(depth);
        problem = problem.take().or(found);
    };
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let next = match position {
                    Position::Names => Position::Node,
                    Position::SchemaMap => Position::Schema,
                    _ if DATA.contains(&key.as_str()) || key.starts_with("x-") => continue,
                    Position::Schema => match key.as_str() {
                        "items" | "not" | "additionalProperties" => Position::Schema,
                        "allOf" | "oneOf" | "anyOf" => Position::SchemaList,
                        "properties" => Position::SchemaMap,
                        _ => Position::Node,
                    },
                    _ => match key.as_str() {
                        "schema" => Position::Schema,
                        "schemas" => Position::SchemaMap,
                        k if NAME_MAPS.contains(&k) => Position::Names,
                        _ => Position::Node,
                    },
                };
                take(defuse(child, next));
            }
        }
        Value::Array(items) => {
            let next = if position == Position::SchemaList { Position::Schema } else { Position::Node };
            for child in items {
                take(defuse(child, next));
            }
        }
        _ => {}
    }
    if position != Position::Schema || !value.is_object() {
        return (deepest, problem);
    }
    let depth = deepest + 1;
    if depth >= DEFUSE_DEPTH
        && let Err(e) = ReferenceOr::<Schema>::deserialize(&*value)
    {
        // A schema below that could not be read is the likely cause; its problem is kept, not
        // quoted in a message about the string that replaced it.
        let problem = problem.unwrap_or_else(|| e.to_string());
        *value = Value::String(format!("a schema nested deep inside cannot be read: {problem}"));
        return (depth, Some(problem));
    }
    (depth, problem)
}

/// What the value being walked is, judged by the key it sits under.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// A node that may be a schema.
    Node,
    /// A map from names to nodes (`properties`, `schemas`, `paths`...): its keys are names, so
    /// a property called `type` or `const` is left alone.
    Names,
}

/// Keys whose value maps names to nodes.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "schemas",
    "responses",
    "parameters",
    "headers",
    "requestBodies",
    "securitySchemes",
    "paths",
    "content",
    "links",
    "callbacks",
    "mapping",
    "variables",
    "encoding",
    "dependentSchemas",
];
/// Keys whose value is data, never schemas.
const DATA: &[&str] = &["example", "examples", "default", "enum", "const", "x-examples"];

fn normalize_in(value: &mut Value, context: Context) {
    match value {
        Value::Object(map) => {
            if context == Context::Node {
                rewrite_schema(map);
            }
            for (key, child) in map.iter_mut() {
                if context == Context::Node && DATA.contains(&key.as_str()) {
                    continue;
                }
                let next = if context == Context::Node && NAME_MAPS.contains(&key.as_str()) {
                    Context::Names
                } else {
                    Context::Node
                };
                normalize_in(child, next);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| normalize_in(v, Context::Node)),
        _ => {}
    }
}

/// The names `type` may give.
const JSON_TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];

fn rewrite_schema(map: &mut serde_json::Map<String, Value>) {
    if let Some(Value::Array(types)) = map.get("type").cloned() {
        let names: Vec<Value> = types.iter().filter(|t| t.as_str() != Some("null")).cloned().collect();
        if names.len() < types.len() {
            map.insert("nullable".to_owned(), Value::Bool(true));
        }
        match names.as_slice() {
            [] => {
                map.remove("type");
            }
            [one] => {
                map.insert("type".to_owned(), one.clone());
            }
            // A name that is no JSON type makes the whole schema that unknown type (a JSON value,
            // with a warning at the schema), not an alternative the document does not have.
            many if !many.iter().all(|t| JSON_TYPES.contains(&t.as_str().unwrap_or_default())) => {
                let unknown = many.iter().find(|t| !JSON_TYPES.contains(&t.as_str().unwrap_or_default()));
                map.insert("type".to_owned(), unknown.cloned().unwrap_or_default());
            }
            many => {
                map.remove("type");
                if !map.contains_key("anyOf") && !map.contains_key("oneOf") {
                    let options = many.iter().map(|t| serde_json::json!({ "type": t })).collect();
                    map.insert("anyOf".to_owned(), Value::Array(options));
                }
            }
        }
    }
    if let Some(constant) = map.get("const").cloned()
        && !map.contains_key("enum")
    {
        map.remove("const");
        map.insert("enum".to_owned(), Value::Array(vec![constant]));
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(n @ Value::Number(_)) = map.get(exclusive).cloned() {
            map.insert(bound.to_owned(), n);
            map.insert(exclusive.to_owned(), Value::Bool(true));
        }
    }
}

/// Escapes one JSON pointer segment (`~` and `/`).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The pointer and its ancestors, nearest first (`/a/b`, `/a`, ``).
fn with_ancestors(pointer: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(pointer);
    std::iter::from_fn(move || {
        let current = next?;
        next = current.rfind('/').map(|i| &current[..i]);
        Some(current)
    })
}

/// Finds the 1-based line of each pointer's node in the source text (YAML or JSON, which is YAML
/// too); a pointer to something missing (a required key, say) gets the line of its nearest
/// existing ancestor. One pass over the parser's events; only run when there is something to
/// report.
pub fn locate(text: &str, pointers: &[&str]) -> Vec<Option<usize>> {
    // A document on one line (minified JSON) has every node on line 1: no need to parse it again
    // (Graph beta's 47 MB would cost seconds and hundreds of megabytes).
    if !text.trim_end().contains('\n') {
        return vec![Some(1); pointers.len()];
    }
    let mut wanted: BTreeMap<String, Option<usize>> = pointers
        .iter()
        .flat_map(|p| with_ancestors(p.trim_start_matches('#')).map(str::to_owned))
        .map(|p| (p, None))
        .collect();
    let mut walker = Walker { frames: Vec::new(), wanted: &mut wanted };
    let mut parser = Parser::new_from_str(text);
    // A syntax error mid-way leaves the lines found so far; callers already have the error.
    let _ = parser.load(&mut walker, false);
    pointers
        .iter()
        .map(|p| with_ancestors(p.trim_start_matches('#')).find_map(|a| wanted.get(a).copied().flatten()))
        .collect()
}

enum Frame {
    Map { key: Option<(String, usize)>, path: String },
    Seq { index: usize, path: String },
}

struct Walker<'a> {
    frames: Vec<Frame>,
    wanted: &'a mut BTreeMap<String, Option<usize>>,
}

impl Walker<'_> {
    /// The pointer and line of the node that starts now (a mapping value is placed on its key's
    /// line), or `None` when the node is a mapping key.
    fn node_path(&mut self, scalar: &str, mark: Marker) -> Option<(String, usize)> {
        match self.frames.last_mut() {
            None => Some((String::new(), mark.line())),
            Some(Frame::Map { key, path }) => match key.take() {
                Some((k, line)) => Some((format!("{path}/{}", escape(&k)), line)),
                None => {
                    *key = Some((scalar.to_owned(), mark.line()));
                    None
                }
            },
            Some(Frame::Seq { index, path }) => {
                let p = format!("{path}/{index}");
                *index += 1;
                Some((p, mark.line()))
            }
        }
    }

    fn record(&mut self, path: &str, line: usize) {
        if let Some(slot) = self.wanted.get_mut(path) {
            slot.get_or_insert(line);
        }
    }
}

impl MarkedEventReceiver for Walker<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(ref value, ..) => {
                if let Some((path, line)) = self.node_path(value, mark) {
                    self.record(&path, line);
                }
            }
            Event::Alias(_) => {
                if let Some((path, line)) = self.node_path("", mark) {
                    self.record(&path, line);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                // A collection used as a key (rare, never in OpenAPI) gets an empty name.
                let (path, line) = self.node_path("", mark).unwrap_or_default();
                self.record(&path, line);
                self.frames.push(match ev {
                    Event::MappingStart(..) => Frame::Map { key: None, path },
                    _ => Frame::Seq { index: 0, path },
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.frames.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_parse_to_sorted_trees() {
        let yaml = parse("a.yaml", "b: 1\na: {200: x}\n").expect("parses");
        assert_eq!(yaml, serde_json::json!({"a": {"200": "x"}, "b": 1}));
        let json = parse("a.json", " {\"b\": [1, 2], \"a\": null}").expect("parses");
        assert_eq!(json.to_string(), r#"{"a":null,"b":[1,2]}"#);
    }

    #[test]
    fn openapi_31_spellings_become_30_ones() {
        let mut doc = serde_json::json!({
            "a": {"type": ["string", "null"]},
            "b": {"type": ["integer"], "exclusiveMinimum": 0},
            "c": {"type": ["string", "integer"]},
            "d": {"const": "fixed"},
            "security": {"type": "http"},
            "e": {"properties": {"const": {"type": "string"}, "type": {"type": ["integer", "null"]}}, "example": {"type": ["kept"]}}
        });
        normalize(&mut doc);
        assert_eq!(
            doc,
            serde_json::json!({
                "a": {"type": "string", "nullable": true},
                "b": {"type": "integer", "minimum": 0, "exclusiveMinimum": true},
                "c": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                "d": {"enum": ["fixed"]},
                "security": {"type": "http"},
                "e": {"properties": {"const": {"type": "string"}, "type": {"type": "integer", "nullable": true}}, "example": {"type": ["kept"]}}
            })
        );
    }

    #[test]
    fn deep_schemas_that_cannot_be_read_fail_fast() {
        // Reading `not` nested 60 deep over a `type` that is not a string would try 2^60
        // variants; defused, it fails at once. At 12 levels (2^12 tries) the document reads
        // exactly as it did before: what failed fails, what read reads the same. (Reading 60
        // levels recurses deeper than a debug build's test thread allows.)
        let run = || {
            let nest = |depth, bottom: Value| (0..depth).fold(bottom, |s, _| serde_json::json!({ "not": s }));
            let bad = || serde_json::json!({"type": {"bad": 1}});
            let mut deep = serde_json::json!({"components": {"schemas": {"Bad": nest(60, bad())}}});
            normalize(&mut deep);
            let expected = "a schema nested deep inside cannot be read: invalid type: map, expected a string";
            assert_eq!(deep["components"]["schemas"]["Bad"], expected);

            let schemas = serde_json::json!({
                "Bad": nest(12, bad()),
                "Good": nest(12, serde_json::json!({"type": "string"})),
                "BadItems": {"type": "string", "items": nest(12, bad())},
                "BadExample": {"type": "string", "example": nest(12, bad())},
            });
            let mut doc = serde_json::json!({"components": {"schemas": schemas.clone()}});
            normalize(&mut doc);
            let read = |v: &Value| ReferenceOr::<Schema>::deserialize(v).ok();
            for (name, before) in schemas.as_object().into_iter().flatten() {
                let after = &doc["components"]["schemas"][name];
                assert_eq!(read(after), read(before), "{name} reads as before");
            }
            assert_eq!(doc["components"]["schemas"]["Good"], schemas["Good"], "what reads is left alone");
        };
        let thread = std::thread::Builder::new().stack_size(64 << 20).spawn(run).expect("a test thread");
        thread.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        match parse("bad.yaml", "a: 1\nb: [1, 2\nc: 3\n") {
            Err(Error::Syntax { line, .. }) => assert!(line >= 2, "line {line}"),
            other => panic!("expected a syntax error, got {other:?}"),
        }
        match parse("bad.json", "{\n  \"a\": 1,\n  \"b\": }\n") {
            Err(Error::Syntax { line, column, .. }) => assert_eq!((line, column), (3, 8)),
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    #[test]
    fn pointers_find_their_lines() {
        let text = "openapi: 3.0.3\npaths:\n  /roles/{id}:\n    get:\n      responses:\n        '200':\n          description: ok\n      tags: [a, b]\n";
        let found = locate(
            text,
            &[
                "#/paths/~1roles~1{id}/get",
                "#/paths/~1roles~1{id}/get/responses/200/description",
                "#/paths/~1roles~1{id}/get/tags/1",
                "#/paths/~1roles~1{id}/get/security",
                "#/nope",
            ],
        );
        assert_eq!(found, vec![Some(4), Some(7), Some(8), Some(4), Some(1)]);
        let json = "{\n \"a\": {\n  \"b\": [\n   1,\n   {\"c\": 2}\n  ]\n }\n}";
        assert_eq!(locate(json, &["#/a/b/1/c", "#/a"]), vec![Some(5), Some(2)]);
        // A document on one line: everything is on line 1.
        assert_eq!(locate("{\"a\": {\"b\": [1]}}\n", &["#/a/b/0", "#/a"]), vec![Some(1), Some(1)]);
    }
}
