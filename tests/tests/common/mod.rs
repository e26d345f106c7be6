//! Shared helpers of the integration tests: the seed page
//! (`tests/fixtures/seed-organizations-4.txt`, a copy of PostHog's API docs page) and its
//! `RESPONSE` examples. Each test file that needs them says `mod common;`.

// Each test binary compiles this module on its own and may use only part of it.
#![allow(dead_code)]

pub mod spans;

use std::collections::BTreeMap;

use serde_json::Value;

/// The seed page, read from the fixture.
pub fn seed_text() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seed-organizations-4.txt");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

/// One `RESPONSE` example on the page: the operation heading it belongs to and its JSON body.
#[derive(Debug)]
pub struct Example {
    pub heading: String,
    pub body: Value,
}

/// Finds every `RESPONSE` example on the page, in page order.
///
/// An operation's heading is the last non-blank line before its `Required API key scopes` line.
/// Each `RESPONSE` line is followed by a JSON body that starts at a line `{` and ends at the
/// matching `}`; braces are counted outside string literals only.
pub fn parse_examples(text: &str) -> Vec<Example> {
    let lines: Vec<&str> = text.lines().collect();
    let mut examples = Vec::new();
    let mut heading: Option<String> = None;
    let mut last_non_blank: Option<&str> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        if line == "Required API key scopes" {
            heading =
                Some(last_non_blank.unwrap_or_else(|| panic!("line {}: scopes without a heading", i + 1)).to_owned());
        } else if line == "RESPONSE" {
            let heading = heading.take().unwrap_or_else(|| panic!("line {}: RESPONSE outside an operation", i + 1));
            let start = i + 1;
            assert_eq!(
                lines.get(start).map(|l| l.trim()),
                Some("{"),
                "line {}: RESPONSE for {heading:?} is not followed by a line `{{`",
                start + 1
            );
            let end = matching_brace_line(&lines, start)
                .unwrap_or_else(|| panic!("line {}: unbalanced JSON for {heading:?}", start + 1));
            let source = lines[start..=end].join("\n");
            let body = serde_json::from_str(&source)
                .unwrap_or_else(|e| panic!("JSON for {heading:?} does not parse: {e}\n{source}"));
            examples.push(Example { heading, body });
            i = end + 1;
            last_non_blank = None;
            continue;
        }
        if !line.is_empty() {
            last_non_blank = Some(line);
        }
        i += 1;
    }
    examples
}

/// The index of the line holding the `}` that closes the `{` opening `lines[start]`.
pub fn matching_brace_line(lines: &[&str], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (index, line) in lines.iter().enumerate().skip(start) {
        for c in line.chars() {
            if in_string {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '{' => depth += 1,
                '}' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(index);
                    }
                }
                _ => {}
            }
        }
    }
    None
}

/// The examples by heading; a heading must not appear twice.
pub fn examples_by_heading() -> BTreeMap<String, Value> {
    let examples = parse_examples(&seed_text());
    assert_eq!(
        examples.len(),
        7,
        "expected 7 RESPONSE examples on the seed page, found {}: {:?}",
        examples.len(),
        examples.iter().map(|e| &e.heading).collect::<Vec<_>>()
    );
    let mut by_heading = BTreeMap::new();
    for example in examples {
        let heading = example.heading.clone();
        assert!(by_heading.insert(example.heading, example.body).is_none(), "heading {heading:?} has two examples");
    }
    by_heading
}

pub fn example(by_heading: &BTreeMap<String, Value>, heading: &str) -> Value {
    by_heading
        .get(heading)
        .unwrap_or_else(|| {
            panic!("no example under {heading:?}; headings: {:?}", by_heading.keys().collect::<Vec<_>>())
        })
        .clone()
}
