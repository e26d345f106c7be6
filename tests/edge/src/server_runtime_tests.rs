//! The server runtime called directly, for what the edge documents' handlers do not reach.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::encodings::server_runtime::{BodyParam, Field, Incoming, Missing, Param, Schema};

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
    // Without `additionalProperties`, a field the schema does not list stays text.
    assert_eq!(form(urlencoded, "age=3&note=hi", &NOTES).await, Ok(Some(json!({"age": 3, "note": "hi"}))));
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
