//! The server runtime called directly, for what the edge documents' handlers do not reach:
//! constraints none of them declares (`pattern`, `maxItems`, number bounds, `null`), parameters
//! of types they do not have, and bodies read outside a router.

use std::collections::BTreeMap;

use axum::response::IntoResponse as _;
use serde_json::{Value, json};

use super::encodings::server_runtime::{
    self as rt, BodyParam, Field, Incoming, Missing, Param, Problem, Schema, Violation,
};

/// The violations of `value`, as `(pointer, message)`.
fn violations(value: Value, schema: &Schema) -> Vec<(String, String)> {
    let mut out = Vec::new();
    rt::validate(&value, schema, "", &mut out);
    out.into_iter().map(|Violation { pointer, message }| (pointer, message)).collect()
}

fn one(pointer: &str, message: &str) -> Vec<(String, String)> {
    vec![(pointer.to_owned(), message.to_owned())]
}

#[test]
fn each_broken_constraint_is_one_violation() {
    assert_eq!(violations(json!(null), &Schema::Null), []);
    assert_eq!(violations(json!(1), &Schema::Null), one("", "must be null, not a number"));

    let ratio = Schema::Number { minimum: Some((0.0, false)), maximum: Some((1.0, true)) };
    assert_eq!(violations(json!(0.0), &ratio), []);
    assert_eq!(violations(json!(-0.5), &ratio), one("", "must be at least 0"));
    assert_eq!(violations(json!(1.0), &ratio), one("", "must be less than 1"));

    let slug = Schema::String { min_length: None, max_length: None, pattern: Some("^[a-z]+$"), format: None };
    assert_eq!(violations(json!("abc"), &slug), []);
    assert_eq!(violations(json!("ab1"), &slug), one("", "must match `^[a-z]+$`"));
    assert_eq!(violations(json!("ab2"), &slug), one("", "must match `^[a-z]+$`"), "the compiled pattern is reused");
    // A pattern the regex crate cannot run is not enforced, rather than refusing every value.
    let look_ahead = Schema::String { min_length: None, max_length: None, pattern: Some("^(?=a)"), format: None };
    assert_eq!(violations(json!("b"), &look_ahead), []);

    let pair = Schema::Array { items: &Schema::INTEGER, min_items: None, max_items: Some(2) };
    assert_eq!(violations(json!([1, 2]), &pair), []);
    assert_eq!(violations(json!([1, 2, 3]), &pair), one("", "must have at most 2 items"));

    let counts = Schema::Map(&Schema::INTEGER);
    assert_eq!(violations(json!([1]), &counts), one("", "must be an object, not an array"));
    assert_eq!(violations(json!({"a/b": "x"}), &counts), one("/a~1b", "must be an integer, not a string"));
}

#[test]
fn problems_answer_with_their_status_and_a_bearer_challenge_for_a_bare_401() {
    let response = Problem::unauthorized().into_response();
    assert_eq!(response.status(), 401);
    let header = |name| response.headers().get(name).and_then(|v| v.to_str().ok());
    assert_eq!(header("www-authenticate"), Some("Bearer"));
    assert_eq!(header("content-type"), Some("application/problem+json"));
    // A read that failed after `finish` (which never happens) is still a 400, not a panic.
    assert_eq!(Problem::from(Missing).status, 400);
}

/// A request as a handler receives it, not routed (so without path parameters).
async fn incoming(uri: &str, headers: &[(&str, &str)], body: &str) -> Incoming {
    let mut request = axum::http::Request::builder().uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    Incoming::new(request.body(axum::body::Body::from(body.to_owned())).expect("a request")).await
}

fn pointers(incoming: &mut Incoming) -> Vec<String> {
    match incoming.finish() {
        Ok(()) => Vec::new(),
        Err(problem) => problem.errors.into_iter().map(|v| format!("{} {}", v.pointer, v.message)).collect(),
    }
}

static NULLABLE_INTEGER: Schema = Schema::Nullable(&Schema::INTEGER);
static NULLABLE_TEXT: Schema = Schema::NullableOrBlank(&Schema::STRING);

#[tokio::test]
async fn parameters_are_typed_by_their_schemas() {
    let params =
        [Param::new("ratio", &Schema::NUMBER), Param::new("n", &NULLABLE_INTEGER), Param::new("t", &NULLABLE_TEXT)];
    let mut ok = incoming("/x?ratio=0.25&n=null&t=null", &[("x-id", "7")], "").await;
    let query: Value = ok.query(&params).expect("valid");
    // `null` is no value where the schema allows null and would not take the text itself.
    assert_eq!(query, json!({"ratio": 0.25, "n": null, "t": "null"}));
    let mut ok = incoming("/x?n=5", &[("x-id", "7")], "").await;
    assert_eq!(ok.query::<Value>(&params).expect("valid"), json!({"n": 5}));
    assert_eq!(ok.headers().get("x-id").map(|v| v.as_bytes()), Some(&b"7"[..]));
    assert_eq!(pointers(&mut ok), Vec::<String>::new());

    // Required parameters that are absent are listed with the others.
    let mut bad = incoming("/x?ratio=half", &[], "").await;
    let required = [Param::new("ratio", &Schema::NUMBER), Param::new("page", &Schema::INTEGER).required()];
    assert_eq!(bad.query::<Value>(&required), Err(Missing));
    assert_eq!(bad.header::<String>(&Param::new("X-Id", &Schema::STRING).required()), Err(Missing));
    assert_eq!(bad.cookie::<String>(&Param::new("sid", &Schema::STRING).required()), Err(Missing));
    assert_eq!(bad.header::<String>(&Param::new("X-Opt", &Schema::STRING)), Ok(None));
    assert_eq!(
        pointers(&mut bad),
        [
            "/query/ratio must be a number, not a string",
            "/query/page is required",
            "/header/X-Id is required",
            "/cookie/sid is required"
        ]
    );
}

static AGE: [Field; 1] = [Field { name: "age", required: true, schema: &Schema::INTEGER }];
static PERSON: Schema = Schema::Object { fields: &AGE, additional: Some(&Schema::INTEGER) };
static PERSON_REF: Schema = Schema::Ref(&PERSON);
static FLAGS: Schema = Schema::Map(&Schema::Boolean);
static NOTES: Schema = Schema::Object { fields: &AGE, additional: None };

/// The body `text` of `content_type` read as `schema`: the value, or the violations.
async fn form(content_type: &str, text: &str, schema: &'static Schema) -> Result<Option<Value>, Vec<String>> {
    let mut incoming = incoming("/x", &[("content-type", content_type)], text).await;
    incoming.read_body(1 << 16).await.expect("small enough");
    let body = BodyParam { accepted: &["application/x-www-form-urlencoded"], schema, required: false };
    let value = incoming.body::<Value>(&body).await.expect("an accepted media type");
    let errors = pointers(&mut incoming);
    value.map_err(|Missing| errors)
}

#[tokio::test]
async fn form_fields_are_typed_by_the_schema_they_fall_under() {
    let urlencoded = "application/x-www-form-urlencoded";
    // Listed properties by theirs, others by `additionalProperties`, through a reference.
    assert_eq!(form(urlencoded, "age=3&extra=4", &PERSON_REF).await, Ok(Some(json!({"age": 3, "extra": 4}))));
    assert_eq!(form(urlencoded, "a=true&b=false", &FLAGS).await, Ok(Some(json!({"a": true, "b": false}))));
    // Without `additionalProperties`, a field the schema does not list stays text, as every
    // field does when the body's schema says nothing about its fields.
    assert_eq!(form(urlencoded, "age=3&note=hi", &NOTES).await, Ok(Some(json!({"age": 3, "note": "hi"}))));
    assert_eq!(form(urlencoded, "age=3", &Schema::Any).await, Ok(Some(json!({"age": "3"}))));
    assert_eq!(
        form(urlencoded, "age=3&extra=many", &PERSON).await,
        Err(vec!["/body/extra must be an integer, not a string".to_owned()])
    );
    // An optional body that is absent is `None`, for any kind of body.
    assert_eq!(form(urlencoded, "", &PERSON).await, Ok(None));
    let mut empty = incoming("/x", &[], "").await;
    empty.read_body(16).await.expect("empty");
    assert!(!empty.has_body());
    let text = BodyParam { accepted: &["text/plain"], schema: &Schema::STRING, required: false };
    assert_eq!(empty.text(&text), Ok(Ok(None)));
    let mut full = incoming("/x", &[("content-type", "text/plain")], "hi").await;
    full.read_body(16).await.expect("small enough");
    assert!(full.has_body());
    assert_eq!(full.text(&text), Ok(Ok(Some("hi".to_owned()))));
}

#[tokio::test]
async fn deep_object_properties_are_typed_by_the_schema_they_fall_under() {
    static COUNTS: Schema = Schema::Map(&Schema::INTEGER);
    let mut incoming = incoming("/x?counts[a]=1&counts[b]=2", &[], "").await;
    let query: BTreeMap<String, BTreeMap<String, i64>> =
        incoming.query(&[Param::new("counts", &COUNTS).deep_object()]).expect("integers");
    assert_eq!(query["counts"], BTreeMap::from([("a".to_owned(), 1), ("b".to_owned(), 2)]));
}
