//! The shared runtime where no edge document's models reach it: the field helpers serde's
//! derive calls for a struct with additional properties, keys that are not text, and the
//! `Display` of open enums.

use std::collections::BTreeMap;

use serde::Deserialize as _;
use serde_json::{Value, json};

use super::enums::models::{KindEnum, RoleEnum, Status};
use super::optional_nullable::models::Profile;

/// A struct as oagen writes one with `additionalProperties` (compare `composition::Labelled`):
/// serde's derive, whose fields read through the runtime's helpers. None of the edge documents
/// has such a struct with these fields.
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Open {
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    #[serde(with = "crate::enums::runtime::double_option")]
    note: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    #[serde(with = "crate::enums::runtime::blank_double_option")]
    kind: Option<Option<KindEnum>>,
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    #[serde(deserialize_with = "crate::enums::runtime::present")]
    extra: Option<Value>,
    #[serde(flatten)]
    additional_properties: BTreeMap<String, String>,
}

fn open(value: Value) -> Open {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"))
}

#[test]
fn a_derived_struct_keeps_absent_null_and_blank_apart() {
    let absent = open(json!({"tag": "t"}));
    assert_eq!((&absent.note, &absent.kind, &absent.extra), (&None, &None, &None));
    assert_eq!(absent.additional_properties, BTreeMap::from([("tag".to_owned(), "t".to_owned())]));

    let null = open(json!({"note": null, "kind": null, "extra": null}));
    assert_eq!((&null.note, &null.kind, &null.extra), (&Some(None), &Some(None), &Some(Value::Null)));
    assert_eq!(serde_json::to_value(&null).expect("encodes"), json!({"note": null, "kind": null, "extra": null}));

    let blank = open(json!({"kind": ""}));
    assert_eq!(blank.kind, Some(None), "blank is no choice");
    assert_eq!(serde_json::to_value(&blank).expect("encodes"), json!({"kind": null}));

    let given = open(json!({"note": "n", "kind": "bug", "extra": [1]}));
    assert_eq!(
        (given.note, given.kind, given.extra),
        (Some(Some("n".to_owned())), Some(Some(KindEnum::Bug)), Some(json!([1])))
    );
}

#[test]
fn keys_may_come_as_bytes_but_not_as_numbers() {
    // Binary formats (CBOR, MessagePack) may hand a key over as bytes.
    let pairs = vec![(&b"required_plain"[..], "a"), (&b"unknown"[..], "b")];
    let map = serde::de::value::MapDeserializer::<_, serde::de::value::Error>::new(pairs.into_iter());
    let profile = Profile::deserialize(map).expect("decodes");
    assert_eq!(profile.required_plain, "a");

    let pairs = vec![(1_u32, "a")];
    let map = serde::de::value::MapDeserializer::<_, serde::de::value::Error>::new(pairs.into_iter());
    let error = Profile::deserialize(map).expect_err("a number is no field name");
    assert_eq!(error.to_string(), "invalid type: integer `1`, expected a field name");
}

#[test]
fn open_enums_display_their_wire_value() {
    assert_eq!(Status::Done2.to_string(), "done");
    assert_eq!(Status::Unknown("paused".to_owned()).to_string(), "paused");
    assert_eq!(format!("{:>5}", RoleEnum::Administrator), "    8", "formatting flags apply to the number");
    assert_eq!(RoleEnum::Unknown(42).to_string(), "42");
}
