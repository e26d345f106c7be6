//! Structural mutations of a parsed OpenAPI document: each picks a node of the tree (biased
//! towards schemas, operations and the keys lowering needs) and breaks it in one way a real
//! document might, or a hostile one would.

use fastrand::Rng;
use serde_json::{Map, Value, json};

/// The mutations, by name, as reports print them.
pub const KINDS: &[&str] = &[
    "drop-key",
    "swap-type",
    "dangling-ref",
    "self-ref",
    "ref-cycle",
    "ref-chain",
    "ref-anywhere",
    "deep-nesting",
    "huge-string",
    "odd-name",
    "duplicate-operation-id",
    "bad-pattern",
    "mixed-enum",
    "transplant",
    "odd-number",
    "odd-keyword",
    "odd-path",
    "odd-response",
    "odd-parameter",
    "odd-security",
];

/// Keys that lowering reads first; dropping or retyping them is the likeliest way to break it.
const IMPORTANT: &[&str] = &[
    "openapi",
    "info",
    "paths",
    "components",
    "schemas",
    "type",
    "items",
    "schema",
    "responses",
    "properties",
    "$ref",
    "content",
    "in",
    "name",
    "required",
    "requestBody",
    "parameters",
    "allOf",
    "oneOf",
    "anyOf",
    "additionalProperties",
    "discriminator",
    "enum",
    "operationId",
    "security",
    "securitySchemes",
    "flows",
    "style",
    "explode",
    "format",
    "nullable",
    "readOnly",
    "writeOnly",
    "headers",
    "servers",
    "tags",
];

/// Keys a schema has (one of them marks an object as a schema).
const SCHEMA_KEYS: &[&str] =
    &["type", "properties", "items", "allOf", "oneOf", "anyOf", "$ref", "enum", "format", "additionalProperties"];

/// Names that are awkward for a code generator: keywords, prelude and runtime names, symbols,
/// pointer escapes, invisible and combining characters, scripts with odd case rules, collisions.
const ODD_NAMES: &[&str] = &[
    "",
    " ",
    "_",
    "__",
    "-",
    "1",
    "0abc",
    "2fa",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "gen",
    "async",
    "await",
    "dyn",
    "r#type",
    "🦀",
    "名前",
    "İstanbul",
    "ǅungla",
    "ß",
    "\u{0}",
    "\u{7f}",
    "\t",
    "a\nb",
    "a\u{200b}b",
    "\u{202e}abc",
    "e\u{301}",
    "\u{fffd}",
    "\u{10ffff}",
    "𝔘𝔫𝔦",
    "ⅷ",
    "٣٤",
    "𐐀",
    "a/b",
    "a~b",
    "~1",
    "~0",
    "%2F",
    "{id}",
    "a.b",
    "a b",
    "user_id",
    "userId",
    "UserId",
    "USER_ID",
    "Option",
    "String",
    "Result",
    "Vec",
    "Box",
    "Client",
    "Error",
    "send",
    "builder",
    "router",
    "None",
    "Some",
    "Ok",
    "Err",
    "std",
    "core",
    "serde",
    "x_2",
    "Default",
    "$ref",
    "#",
    "'",
    "\"",
    "\\",
    "</script>",
    "*/",
    "/*",
    "//",
    "#[cfg(x)]",
];

/// Paths that break templates: no slash, unclosed or empty placeholders, repeats, odd characters.
const ODD_PATHS: &[&str] = &[
    "",
    "noslash",
    "/",
    "//",
    "/{",
    "/}",
    "/{}",
    "/{a}{b}",
    "/{a}/{a}",
    "/a//b",
    "/{id}",
    "/{ü}/🦀",
    "/a?b=c",
    "/a#frag",
    "/{a}.{b}",
    "/{a-b}",
    "/~1",
    "/{{a}}",
    "/{a b}",
    "/{type}/{self}",
    "/x/{}/{}",
    "/{}}{",
];

/// Response codes, valid and not.
const ODD_CODES: &[&str] = &["2XX", "default", "999", "abc", "", "20", "2000", "1XX", "0", "-1", "200.0", "2xx", "XXX"];

/// `$ref`s that point at nothing, at something that is not a schema, or are not pointers.
const BAD_REFS: &[&str] = &[
    "#/components/schemas/DoesNotExist",
    "#/components/schemas/",
    "#",
    "",
    "#/",
    "nope",
    "other.yaml#/components/schemas/X",
    "https://example.com/schema.json",
    "#/components/schemas/a~2b",
    "#/components/schemas/%7Bx%7D",
    "#/components/parameters/Nope",
    "#/definitions/X",
    "#//",
    "#/paths",
    "#/info",
    "#/components",
    "#/components/schemas",
    "#/openapi",
    "#/paths/~1x/get",
    "#components/schemas/X",
    "#/components/schemas/X/properties/nope",
    "#/components/responses/Nope",
    "#/components/requestBodies/Nope",
];

/// Regular expressions that do not compile, compile into something huge, or use features the
/// Rust `regex` crate lacks (look-around, back references).
const BAD_PATTERNS: &[&str] = &[
    "(",
    ")",
    "[",
    "[z-a]",
    "\\",
    "*",
    "a{2,1}",
    "(?<n>a)(?<n>b)",
    "(?=a)",
    "(?!a)",
    "(?<=a)b",
    "\\1",
    "(a)\\1",
    "\\p{Foo}",
    "\\k<x>",
    "a{1000000}",
    "(a{1000}){1000}",
    ".{65536}",
    "((((((((((a*)*)*)*)*)*)*)*)*)*)*",
    "^\\d{4}-\\d{2}$",
    "",
    "\u{0}",
    "[[:alpha:]]",
    "(?i)İ",
    "\\u0041",
    "/^abc$/",
    "^[\\w-]+$",
];

/// Schema keywords with values of every kind, sensible and not.
fn odd_keyword(rng: &mut Rng) -> (&'static str, Value) {
    let big = u64::MAX;
    let choices: Vec<(&str, Value)> = vec![
        ("type", json!("string")),
        ("type", json!("integer")),
        ("type", json!("number")),
        ("type", json!("boolean")),
        ("type", json!("array")),
        ("type", json!("object")),
        ("type", json!("null")),
        ("type", json!("weird")),
        ("type", json!("")),
        ("type", json!(["string", "null"])),
        ("type", json!(["null"])),
        ("type", json!([])),
        ("type", json!(["integer", "string", "object"])),
        ("type", json!(5)),
        ("format", json!("int32")),
        ("format", json!("int64")),
        ("format", json!("uuid")),
        ("format", json!("date-time")),
        ("format", json!("date")),
        ("format", json!("binary")),
        ("format", json!("byte")),
        ("format", json!("uri")),
        ("format", json!("weird")),
        ("format", json!("")),
        ("nullable", json!(true)),
        ("nullable", json!("yes")),
        ("readOnly", json!(true)),
        ("writeOnly", json!(true)),
        ("required", json!(["nope"])),
        ("required", json!("x")),
        ("required", json!([1, null])),
        ("required", json!(true)),
        ("additionalProperties", json!(false)),
        ("additionalProperties", json!(true)),
        ("additionalProperties", json!({})),
        ("additionalProperties", json!("x")),
        ("additionalProperties", json!({"type": "array"})),
        ("discriminator", json!({"propertyName": "nope", "mapping": {"a": "#/nope", "b": "Nope"}})),
        ("discriminator", json!({})),
        ("discriminator", json!("x")),
        ("discriminator", json!({"propertyName": "kind"})),
        ("oneOf", json!([])),
        ("allOf", json!([])),
        ("anyOf", json!([])),
        ("oneOf", json!([{"type": "string"}, {"type": "string"}])),
        ("anyOf", json!([{}, {"type": "null"}])),
        ("allOf", json!([{"type": "string"}, {"type": "integer"}])),
        ("allOf", json!([{"properties": {"a": {"type": "string"}}}, {"properties": {"a": {"type": "integer"}}}])),
        ("allOf", json!([{"type": "object"}, {"type": "array", "items": {}}])),
        ("not", json!({})),
        ("default", json!({"a": [1, "b"]})),
        ("default", json!(big)),
        ("example", json!([null])),
        ("items", json!(false)),
        ("items", json!([{"type": "string"}])),
        ("properties", json!([])),
        ("properties", json!({"": {}, "a b": true, "type": {"type": "string"}})),
        ("const", json!({"x": 1})),
        ("const", json!(null)),
        ("patternProperties", json!({"(": {"type": "string"}})),
        ("prefixItems", json!([{"type": "string"}])),
        ("$defs", json!({"A": {"$ref": "#"}})),
        ("exclusiveMinimum", json!(5)),
        ("exclusiveMaximum", json!(true)),
        ("contentMediaType", json!("application/octet-stream")),
        ("x-rate-limit", json!({"weird": true})),
    ];
    let (k, v) = &choices[rng.usize(..choices.len())];
    (k, v.clone())
}

/// Numbers where lowering expects small non-negative integers, and the other way round.
fn odd_number(rng: &mut Rng) -> Value {
    let choices = [
        json!(0),
        json!(-1),
        json!(1.5),
        json!(1e300),
        json!(-1e300),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(i64::MAX),
        json!(4_294_967_296_u64),
        json!(-0.0),
        json!("12"),
        json!(null),
        json!(5e-324),
    ];
    choices[rng.usize(..choices.len())].clone()
}

/// Enum lists: mixed types, empty, not a list, duplicates, values that collide as Rust names.
fn mixed_enum(rng: &mut Rng) -> Value {
    let choices = [
        json!([1, "a", null, true, {}, [], 1.5, ""]),
        json!([]),
        json!("notalist"),
        json!([null]),
        json!(["a", "a"]),
        json!(["a", "A", "a_", "A_"]),
        json!(["", " ", "-", "+", "_"]),
        json!([1, 1.0]),
        json!([1e300, -1e300]),
        json!([u64::MAX, i64::MIN]),
        json!(["type", "self", "Self", "Unknown", "unknown"]),
        json!([true, false]),
        json!([{"a": 1}, {"a": 2}]),
        json!(["🦀", "名前", "e\u{301}", "é", "\u{0}"]),
        json!(["user_id", "userId", "UserId", "USER_ID"]),
        json!(["1", 1, "1.0", 1.0]),
        json!([-1, 0, 2_147_483_648_i64]),
    ];
    choices[rng.usize(..choices.len())].clone()
}

/// A JSON pointer segment, escaped.
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer segment, unescaped.
fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Every node's pointer (root first, document order), at most `limit` of them.
fn pointers(doc: &Value, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), doc)];
    while let Some((p, v)) = stack.pop() {
        if out.len() >= limit {
            break;
        }
        match v {
            Value::Object(m) => {
                for (k, c) in m.iter().rev() {
                    stack.push((format!("{p}/{}", escape(k)), c));
                }
            }
            Value::Array(a) => {
                for (i, c) in a.iter().enumerate().rev() {
                    stack.push((format!("{p}/{i}"), c));
                }
            }
            _ => {}
        }
        out.push(p);
    }
    out
}

/// The last segment of a pointer, unescaped, and the one before it.
fn tail(pointer: &str) -> (String, String) {
    let mut parts = pointer.rsplit('/');
    let last = parts.next().map(unescape).unwrap_or_default();
    let parent = parts.next().map(unescape).unwrap_or_default();
    (last, parent)
}

/// Whether the node at `pointer` is (probably) a schema.
fn schema_like(pointer: &str, value: &Value) -> bool {
    let Some(map) = value.as_object() else { return false };
    if SCHEMA_KEYS.iter().any(|k| map.contains_key(*k)) {
        return true;
    }
    let (last, parent) = tail(pointer);
    matches!(parent.as_str(), "schemas" | "properties" | "allOf" | "oneOf" | "anyOf")
        || matches!(last.as_str(), "schema" | "items" | "additionalProperties" | "not")
}

/// Whether the node at `pointer` is an operation.
fn operation_like(pointer: &str, value: &Value) -> bool {
    let (last, _) = tail(pointer);
    value.is_object()
        && pointer.starts_with("/paths/")
        && matches!(last.as_str(), "get" | "put" | "post" | "delete" | "patch" | "head" | "options" | "trace")
}

/// One mutant's worth of mutations, with what each did.
pub struct Mutator<'r> {
    rng: &'r mut Rng,
    /// Largest string a `huge-string` mutation writes.
    pub huge: usize,
}

impl<'r> Mutator<'r> {
    /// A mutator drawing from `rng`, with huge strings up to `huge` bytes.
    pub fn new(rng: &'r mut Rng, huge: usize) -> Self {
        Self { rng, huge }
    }

    /// Applies one mutation of a random kind; returns a line saying what it did.
    pub fn mutate(&mut self, doc: &mut Value) -> String {
        let kind = KINDS[self.rng.usize(..KINDS.len())];
        let what = self.apply(kind, doc).unwrap_or_else(|| "nothing to mutate".to_owned());
        format!("{kind}: {what}")
    }

    /// Applies the mutation `kind`; `None` when the document has no place for it.
    pub fn apply(&mut self, kind: &str, doc: &mut Value) -> Option<String> {
        match kind {
            "drop-key" => self.drop_key(doc),
            "swap-type" => self.swap_type(doc),
            "dangling-ref" => self.dangling_ref(doc),
            "self-ref" => self.self_ref(doc),
            "ref-cycle" => self.ref_cycle(doc),
            "ref-chain" => self.ref_chain(doc),
            "ref-anywhere" => self.ref_anywhere(doc),
            "deep-nesting" => self.deep_nesting(doc),
            "huge-string" => self.huge_string(doc),
            "odd-name" => self.odd_name(doc),
            "duplicate-operation-id" => self.duplicate_operation_id(doc),
            "bad-pattern" => self.set_on_schema(doc, "pattern", |rng| {
                if rng.u8(..10) == 0 {
                    json!(rng.u32(..))
                } else {
                    json!(BAD_PATTERNS[rng.usize(..BAD_PATTERNS.len())])
                }
            }),
            "mixed-enum" => self.set_on_schema(doc, "enum", mixed_enum),
            "transplant" => self.transplant(doc),
            "odd-number" => {
                let keys = [
                    "minimum",
                    "maximum",
                    "minLength",
                    "maxLength",
                    "minItems",
                    "maxItems",
                    "multipleOf",
                    "exclusiveMinimum",
                    "exclusiveMaximum",
                    "minProperties",
                    "default",
                ];
                let key = keys[self.rng.usize(..keys.len())];
                self.set_on_schema(doc, key, odd_number)
            }
            "odd-keyword" => {
                let (key, value) = odd_keyword(self.rng);
                self.set_on_schema(doc, key, move |_| value.clone())
            }
            "odd-path" => self.odd_path(doc),
            "odd-response" => self.odd_response(doc),
            "odd-parameter" => self.odd_parameter(doc),
            "odd-security" => self.odd_security(doc),
            _ => None,
        }
    }

    fn pick<'a>(&mut self, items: &'a [String]) -> Option<&'a String> {
        (!items.is_empty()).then(|| &items[self.rng.usize(..items.len())])
    }

    /// A pointer to a node satisfying `keep`.
    fn pick_node(&mut self, doc: &Value, keep: impl Fn(&str, &Value) -> bool) -> Option<String> {
        let all: Vec<String> =
            pointers(doc, 500_000).into_iter().filter(|p| doc.pointer(p).is_some_and(|v| keep(p, v))).collect();
        self.pick(&all).cloned()
    }

    fn schema(&mut self, doc: &Value) -> Option<String> {
        self.pick_node(doc, schema_like)
    }

    /// A component schema's name, if there are any.
    fn component_schema(&mut self, doc: &Value) -> Option<String> {
        let names: Vec<String> = doc.pointer("/components/schemas")?.as_object()?.keys().cloned().collect();
        self.pick(&names).cloned()
    }

    /// The map at `/components/<section>`, created when missing (and the document is an object).
    fn section<'d>(doc: &'d mut Value, section: &str) -> Option<&'d mut Map<String, Value>> {
        let root = doc.as_object_mut()?;
        let components = root.entry("components").or_insert_with(|| json!({}));
        if !components.is_object() {
            *components = json!({});
        }
        let map = components.as_object_mut()?.entry(section).or_insert_with(|| json!({}));
        if !map.is_object() {
            *map = json!({});
        }
        map.as_object_mut()
    }

    fn drop_key(&mut self, doc: &mut Value) -> Option<String> {
        let important = self.rng.u8(..10) < 7;
        let all = pointers(doc, 500_000);
        let keys: Vec<String> = all
            .into_iter()
            .filter(|p| !p.is_empty())
            .filter(|p| {
                let parent = &p[..p.rfind('/').unwrap_or(0)];
                doc.pointer(parent).is_some_and(Value::is_object)
                    && (!important || IMPORTANT.contains(&tail(p).0.as_str()))
            })
            .collect();
        let p = self.pick(&keys)?.clone();
        let (parent, key) = p.rsplit_once('/')?;
        doc.pointer_mut(parent)?.as_object_mut()?.remove(&unescape(key));
        Some(format!("#{p}"))
    }

    fn swap_type(&mut self, doc: &mut Value) -> Option<String> {
        let p = if self.rng.bool() {
            self.schema(doc)?
        } else {
            let all = pointers(doc, 500_000);
            let important: Vec<String> =
                all.iter().filter(|p| IMPORTANT.contains(&tail(p).0.as_str())).cloned().collect();
            if important.is_empty() || self.rng.u8(..4) == 0 {
                self.pick(&all)?.clone()
            } else {
                self.pick(&important)?.clone()
            }
        };
        let node = doc.pointer_mut(&p)?;
        let old = node.take();
        let target = self.rng.u8(..6);
        *node = match (target, old) {
            (0, Value::Array(items)) => {
                Value::Object(items.into_iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect())
            }
            (0, Value::Object(_)) => json!("was an object"),
            (0, other) => json!({ "x": other }),
            (1, Value::Object(m)) => Value::Array(m.into_iter().map(|(_, v)| v).collect()),
            (1, Value::Array(_)) => json!({}),
            (1, other) => json!([other]),
            (2, Value::String(_)) => json!(42),
            (2, other) => Value::String(other.to_string().chars().take(200).collect()),
            (3, _) => odd_number(self.rng),
            (4, Value::Null) => json!(false),
            (4, _) => Value::Null,
            (_, Value::Bool(b)) => json!(if b { "true" } else { "false" }),
            (_, _) => json!(true),
        };
        Some(format!("#{p} -> {}", kind_of(node)))
    }

    fn dangling_ref(&mut self, doc: &mut Value) -> Option<String> {
        let p = if self.rng.u8(..4) == 0 { self.pick_node(doc, |_, v| v.is_object())? } else { self.schema(doc)? };
        let target = match self.rng.u8(..10) {
            0 => json!(5),
            1 => json!(["#/components/schemas/X"]),
            2 => json!(null),
            _ => json!(BAD_REFS[self.rng.usize(..BAD_REFS.len())]),
        };
        let keep_siblings = self.rng.bool();
        let node = doc.pointer_mut(&p)?;
        match node.as_object_mut().filter(|_| keep_siblings) {
            Some(map) => {
                map.insert("$ref".to_owned(), target.clone());
            }
            None => *node = json!({ "$ref": target }),
        }
        Some(format!("#{p} -> $ref {target}"))
    }

    fn self_ref(&mut self, doc: &mut Value) -> Option<String> {
        let section = ["schemas", "schemas", "schemas", "responses", "parameters", "requestBodies", "headers"]
            [self.rng.usize(..7)];
        let name = match section {
            "schemas" => self.component_schema(doc).unwrap_or_else(|| "Loop".to_owned()),
            _ => "Loop".to_owned(),
        };
        let me = format!("#/components/{section}/{}", escape(&name));
        let shape = match (section, self.rng.u8(..8)) {
            ("schemas", 0) => json!({ "type": "object", "properties": { "next": { "$ref": me } } }),
            ("schemas", 1) => json!({ "allOf": [{ "$ref": me }] }),
            ("schemas", 2) => json!({ "type": "array", "items": { "$ref": me } }),
            ("schemas", 3) => json!({ "type": "object", "additionalProperties": { "$ref": me } }),
            ("schemas", 4) => json!({ "oneOf": [{ "$ref": me }, { "type": "string" }] }),
            ("schemas", 5) => json!({ "type": "object", "required": ["me"], "properties": { "me": { "$ref": me } } }),
            ("schemas", 6) => json!({ "not": { "$ref": me } }),
            _ => json!({ "$ref": me }),
        };
        Self::section(doc, section)?.insert(name, shape.clone());
        // Used from somewhere, so lowering reaches it from an operation too.
        if section == "schemas"
            && let Some(p) = self.schema(doc)
            && !p.starts_with("/components/schemas")
            && let Some(node) = doc.pointer_mut(&p)
        {
            *node = json!({ "$ref": me });
        }
        Some(format!("{me} = {shape}"))
    }

    fn ref_cycle(&mut self, doc: &mut Value) -> Option<String> {
        let a = self.component_schema(doc).unwrap_or_else(|| "CycleA".to_owned());
        let b = format!("{a}Cycle");
        let c = format!("{a}Cycle2");
        let r = |n: &str| format!("#/components/schemas/{}", escape(n));
        let (shape_a, shape_b, shape_c) = match self.rng.u8(..5) {
            0 => (json!({"$ref": r(&b)}), json!({"$ref": r(&a)}), json!({})),
            1 => (json!({"allOf": [{"$ref": r(&b)}]}), json!({"allOf": [{"$ref": r(&a)}]}), json!({})),
            2 => (json!({"$ref": r(&b)}), json!({"$ref": r(&c)}), json!({"$ref": r(&b)})),
            3 => (
                json!({"type": "object", "required": ["b"], "properties": {"b": {"$ref": r(&b)}}}),
                json!({"type": "object", "required": ["a"], "properties": {"a": {"$ref": r(&a)}}}),
                json!({}),
            ),
            _ => (
                json!({"allOf": [{"$ref": r(&b)}, {"properties": {"x": {"type": "string"}}}]}),
                json!({"oneOf": [{"$ref": r(&c)}]}),
                json!({"anyOf": [{"$ref": r(&a)}], "nullable": true}),
            ),
        };
        let schemas = Self::section(doc, "schemas")?;
        schemas.insert(a.clone(), shape_a);
        schemas.insert(b, shape_b);
        schemas.insert(c, shape_c);
        Some(format!("{} <-> its cycle", r(&a)))
    }

    fn ref_chain(&mut self, doc: &mut Value) -> Option<String> {
        let lengths = [10, 100, 500, 2_000, 5_000, 20_000];
        let length = lengths[self.rng.usize(..lengths.len())];
        let style = self.rng.u8(..6);
        let loops = self.rng.u8(..4) == 0;
        let schemas = Self::section(doc, "schemas")?;
        let r = |i: usize| format!("#/components/schemas/Chain{i}");
        for i in 0..length {
            let next = if i + 1 == length { if loops { r(0) } else { String::new() } } else { r(i + 1) };
            let shape = if next.is_empty() {
                json!({"type": "string"})
            } else {
                match style {
                    0 => json!({"$ref": next}),
                    1 => json!({"allOf": [{"$ref": next}]}),
                    2 => json!({"type": "array", "items": {"$ref": next}}),
                    3 => json!({"type": "object", "required": ["n"], "properties": {"n": {"$ref": next}}}),
                    4 => json!({"oneOf": [{"$ref": next}, {"type": "integer"}]}),
                    _ => json!({"allOf": [{"$ref": next}, {"properties": {format!("p{i}"): {"type": "string"}}}]}),
                }
            };
            schemas.insert(format!("Chain{i}"), shape);
        }
        if let Some(p) = self.schema(doc)
            && !p.starts_with("/components/schemas/Chain")
            && let Some(node) = doc.pointer_mut(&p)
        {
            *node = json!({"$ref": r(0)});
        }
        Some(format!("{length} schemas, style {style}, loops {loops}"))
    }

    fn ref_anywhere(&mut self, doc: &mut Value) -> Option<String> {
        let all = pointers(doc, 500_000);
        let target = self.pick(&all)?.clone();
        let p = self.schema(doc)?;
        *doc.pointer_mut(&p)? = json!({ "$ref": format!("#{target}") });
        Some(format!("#{p} -> $ref #{target}"))
    }

    fn deep_nesting(&mut self, doc: &mut Value) -> Option<String> {
        let depths = [20, 40, 60, 62, 63, 64, 65, 100, 127, 128, 129, 200, 1_000, 5_000];
        let depth = depths[self.rng.usize(..depths.len())];
        let mixed = self.rng.bool();
        let style = self.rng.u8(..7);
        let p = self.schema(doc)?;
        let node = doc.pointer_mut(&p)?;
        let mut inner = node.take();
        for i in 0..depth {
            let s = if mixed { (i % 7) as u8 } else { style };
            inner = match s {
                0 => json!({ "allOf": [inner] }),
                1 => json!({ "type": "array", "items": inner }),
                2 => json!({ "type": "object", "properties": { "x": inner } }),
                3 => json!({ "anyOf": [inner, { "type": "null" }] }),
                4 => json!({ "oneOf": [inner] }),
                5 => json!({ "type": "object", "additionalProperties": inner }),
                _ => json!({ "not": inner }),
            };
        }
        *node = inner;
        Some(format!("#{p} nested {depth} deep"))
    }

    fn huge(&mut self) -> String {
        let units = ["a", "{", "/", "🦀", "~1", "\\", "\n", "'\"", "e\u{301}", " ", "A_b-", "\u{0}"];
        let unit = units[self.rng.usize(..units.len())];
        let size = self.rng.usize(self.huge / 16..=self.huge.max(16));
        unit.repeat(size / unit.len() + 1)
    }

    fn huge_string(&mut self, doc: &mut Value) -> Option<String> {
        let s = self.huge();
        if self.rng.bool() {
            // A value: a description, an enum value, a name, a $ref, a pattern...
            let p = self.pick_node(doc, |_, v| v.is_string())?;
            *doc.pointer_mut(&p)? = Value::String(s.clone());
            Some(format!("#{p} = {} bytes", s.len()))
        } else {
            // A name: a schema, property, path or response code.
            let p = self.pick_node(doc, |p, v| {
                v.is_object() && matches!(tail(p).0.as_str(), "schemas" | "properties" | "paths" | "responses")
            })?;
            let map = doc.pointer_mut(&p)?.as_object_mut()?;
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = keys.get(self.rng.usize(..keys.len().max(1)))?.clone();
            let value = map.remove(&key)?;
            let name = if tail(&p).0 == "paths" { format!("/{s}") } else { s };
            let len = name.len();
            map.insert(name, value);
            Some(format!("#{p}/{} renamed to {len} bytes", escape(&key)))
        }
    }

    fn odd_name(&mut self, doc: &mut Value) -> Option<String> {
        let mut name = ODD_NAMES[self.rng.usize(..ODD_NAMES.len())].to_owned();
        match self.rng.u8(..5) {
            // A component schema, with every reference to it renamed too.
            0 | 1 => {
                let old = self.component_schema(doc)?;
                let schemas = doc.pointer_mut("/components/schemas")?.as_object_mut()?;
                if schemas.contains_key(&name) {
                    name.push('_');
                }
                let value = schemas.remove(&old)?;
                schemas.insert(name.clone(), value);
                let (from, to) = (
                    format!("#/components/schemas/{}", escape(&old)),
                    format!("#/components/schemas/{}", escape(&name)),
                );
                rename_refs(doc, &from, &to);
                Some(format!("schema {old:?} -> {name:?}"))
            }
            // A property, added beside the others (so collisions after sanitizing happen).
            2 => {
                let p = self.pick_node(doc, |p, v| v.is_object() && tail(p).0 == "properties")?;
                let map = doc.pointer_mut(&p)?.as_object_mut()?;
                let value = map.values().next().cloned().unwrap_or_else(|| json!({"type": "string"}));
                map.insert(name.clone(), value);
                Some(format!("#{p} gains property {name:?}"))
            }
            // An operationId or a tag.
            3 => {
                let p = self.pick_node(doc, operation_like)?;
                let op = doc.pointer_mut(&p)?.as_object_mut()?;
                if self.rng.bool() {
                    op.insert("operationId".to_owned(), json!(name));
                } else {
                    op.insert("tags".to_owned(), json!([name]));
                }
                Some(format!("#{p} named {name:?}"))
            }
            // A parameter's name.
            _ => {
                let p = self.pick_node(doc, |p, v| v.get("in").is_some() && p.contains("parameters"))?;
                doc.pointer_mut(&p)?.as_object_mut()?.insert("name".to_owned(), json!(name));
                Some(format!("#{p} parameter named {name:?}"))
            }
        }
    }

    fn duplicate_operation_id(&mut self, doc: &mut Value) -> Option<String> {
        let ops: Vec<String> = pointers(doc, 500_000)
            .into_iter()
            .filter(|p| doc.pointer(p).is_some_and(|v| operation_like(p, v)))
            .collect();
        let first = self.pick(&ops)?.clone();
        let existing = doc.pointer(&first).and_then(|o| o.get("operationId")).cloned();
        let id = match self.rng.u8(..6) {
            0 => json!(""),
            1 => json!(5),
            2 => json!(ODD_NAMES[self.rng.usize(..ODD_NAMES.len())]),
            // An operation named like another one's stream method.
            3 => json!(format!("{}_stream", existing.as_ref().and_then(Value::as_str).unwrap_or("list"))),
            _ => existing.unwrap_or_else(|| json!("same")),
        };
        let count = self.rng.usize(2..=ops.len().max(2));
        for _ in 0..count {
            let p = self.pick(&ops)?.clone();
            doc.pointer_mut(&p)?.as_object_mut()?.insert("operationId".to_owned(), id.clone());
        }
        Some(format!("{count} operations with operationId {id}"))
    }

    fn set_on_schema(&mut self, doc: &mut Value, key: &str, value: impl Fn(&mut Rng) -> Value) -> Option<String> {
        let p = self.schema(doc)?;
        let v = value(self.rng);
        let shown: String = v.to_string().chars().take(80).collect();
        doc.pointer_mut(&p)?.as_object_mut()?.insert(key.to_owned(), v);
        Some(format!("#{p}/{key} = {shown}"))
    }

    fn transplant(&mut self, doc: &mut Value) -> Option<String> {
        let all = pointers(doc, 500_000);
        let from = self.pick(&all)?.clone();
        let to = self.pick(&all)?.clone();
        let value = doc.pointer(&from)?.clone();
        *doc.pointer_mut(&to)? = value;
        Some(format!("#{from} copied over #{to}"))
    }

    fn odd_path(&mut self, doc: &mut Value) -> Option<String> {
        let paths = doc.get_mut("paths")?.as_object_mut()?;
        let keys: Vec<String> = paths.keys().cloned().collect();
        let old = keys.get(self.rng.usize(..keys.len().max(1)))?.clone();
        let new = ODD_PATHS[self.rng.usize(..ODD_PATHS.len())].to_owned();
        let item = paths.get(&old)?.clone();
        if self.rng.bool() {
            paths.remove(&old);
        }
        paths.insert(new.clone(), item);
        Some(format!("path {old:?} -> {new:?}"))
    }

    fn odd_response(&mut self, doc: &mut Value) -> Option<String> {
        let p = self.pick_node(doc, |p, v| v.is_object() && tail(p).0 == "responses" && p.starts_with("/paths"))?;
        let map = doc.pointer_mut(&p)?.as_object_mut()?;
        let code = ODD_CODES[self.rng.usize(..ODD_CODES.len())].to_owned();
        let body = match self.rng.u8(..6) {
            0 => json!({}),
            1 => json!({"description": "x", "content": {}}),
            2 => json!({"description": "x", "content": {"": {"schema": {"type": "string"}}}}),
            3 => {
                json!({"description": "x", "content": {"application/x-www-form-urlencoded": {"schema": {"type": "array"}}}})
            }
            4 => {
                json!({"description": "x", "content": {"multipart/form-data": {"schema": {"type": "string"}}}, "headers": {"": {}}})
            }
            _ => map.values().next().cloned().unwrap_or(serde_json::Value::Null),
        };
        map.insert(code.clone(), body);
        Some(format!("#{p} gains {code:?}"))
    }

    fn odd_parameter(&mut self, doc: &mut Value) -> Option<String> {
        let p = self.pick_node(doc, operation_like)?;
        let name = ODD_NAMES[self.rng.usize(..ODD_NAMES.len())];
        let places = ["path", "query", "header", "cookie", "weird", ""];
        let place = places[self.rng.usize(..places.len())];
        let param = match self.rng.u8(..6) {
            0 => json!({"name": name, "in": place, "schema": {"type": "string"}}),
            1 => json!({"name": name, "in": place}),
            2 => {
                json!({"name": name, "in": place, "style": "deepObject", "explode": false, "schema": {"type": "array", "items": {"type": "object"}}})
            }
            3 => json!({"name": name, "in": place, "content": {"application/json": {"schema": {"type": "object"}}}}),
            4 => json!({"in": place, "schema": {}}),
            _ => json!({"name": "Content-Type", "in": "header", "required": true, "schema": {"type": "integer"}}),
        };
        let op = doc.pointer_mut(&p)?.as_object_mut()?;
        let list = op.entry("parameters").or_insert_with(|| json!([]));
        match list.as_array_mut() {
            Some(items) => {
                items.push(param.clone());
                if self.rng.bool() {
                    items.push(param);
                }
            }
            None => *list = json!([param]),
        }
        Some(format!("#{p}/parameters gains {name:?} in {place:?}"))
    }

    fn odd_security(&mut self, doc: &mut Value) -> Option<String> {
        let schemes = [
            json!({"type": "http", "scheme": "weird"}),
            json!({"type": "apiKey", "in": "weird", "name": ""}),
            json!({"type": "apiKey", "in": "cookie"}),
            json!({"type": "oauth2"}),
            json!({"type": "oauth2", "flows": {"implicit": {"scopes": {"": "", "a b": "x"}}}}),
            json!({"type": "openIdConnect"}),
            json!({"type": "mutualTLS"}),
            json!({"type": "weird"}),
            json!("x"),
        ];
        let scheme = schemes[self.rng.usize(..schemes.len())].clone();
        let name = ODD_NAMES[self.rng.usize(..ODD_NAMES.len())].to_owned();
        Self::section(doc, "securitySchemes")?.insert(name.clone(), scheme.clone());
        let requirement = match self.rng.u8(..4) {
            0 => json!([{ name.clone(): [] }]),
            1 => json!([{ "nope": ["x"] }]),
            2 => json!([{}, { name.clone(): ["a", "b"] }]),
            _ => json!({"x": 1}),
        };
        if self.rng.bool() {
            doc.as_object_mut()?.insert("security".to_owned(), requirement);
        } else if let Some(p) = self.pick_node(doc, operation_like) {
            doc.pointer_mut(&p)?.as_object_mut()?.insert("security".to_owned(), requirement);
        }
        Some(format!("scheme {name:?} = {scheme}"))
    }
}

/// Replaces every `$ref` equal to `from` with `to`.
fn rename_refs(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if k == "$ref" && v.as_str() == Some(from) {
                    *v = json!(to);
                } else {
                    rename_refs(v, from, to);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename_refs(v, from, to)),
        _ => {}
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
