//! Compiles the golden output of every `spec/edge/*.yaml` document (so goldens cannot hold code
//! that does not build) and exercises it in unit tests. A crate of its own, so that goldens can
//! be rewritten (`OAGEN_BLESS=1 cargo test -p oagen-tests --test goldens`) even when they do not
//! compile.

/// One module per edge document: its golden modules beside the shared runtimes, as a generated
/// crate lays them out.
macro_rules! edge {
    ($name:ident, $file:literal) => {
        #[allow(
            deprecated,
            clippy::large_enum_variant,
            clippy::too_many_arguments,
            clippy::new_ret_no_self,
            clippy::wrong_self_convention
        )]
        pub mod $name {
            pub mod models {
                include!(concat!("../../../spec/edge/", $file));
            }
            pub mod operations {
                include!(concat!("../../../spec/edge/", stringify!($name), ".operations.rs"));
            }
            pub mod client {
                include!(concat!("../../../spec/edge/", stringify!($name), ".client.rs"));
            }
            pub mod runtime {
                include!("../../../templates/runtime.rs");
            }
            pub mod client_runtime {
                include!("../../../templates/client_runtime.rs");
            }
            pub mod server {
                include!(concat!("../../../spec/edge/", stringify!($name), ".server.rs"));
            }
            pub mod server_runtime {
                include!("../../../templates/server_runtime.rs");
            }
            mod document {
                pub(crate) static DOCUMENT: super::server_runtime::Document = super::server_runtime::Document {
                    json: ::std::option::Option::Some(include_str!(concat!(
                        "../../../spec/edge/",
                        stringify!($name),
                        ".openapi.json"
                    ))),
                    yaml: ::std::option::Option::Some(include_str!(concat!(
                        "../../../spec/edge/",
                        stringify!($name),
                        ".openapi.yaml"
                    ))),
                    docs: true,
                };
            }
            pub mod testing {
                include!(concat!("../../../spec/edge/", stringify!($name), ".testing.rs"));
            }
            pub mod testing_runtime {
                include!("../../../templates/testing_runtime.rs");
            }
        }
    };
}

pub mod configured_types;

edge!(composition, "composition.rs");
edge!(configured, "configured.rs");
edge!(copies, "copies.rs");
edge!(encodings, "encodings.rs");
edge!(enums, "enums.rs");
edge!(errors, "errors.rs");
edge!(formats, "formats.rs");
edge!(inline, "inline.rs");
edge!(names, "names.rs");
edge!(optional_nullable, "optional_nullable.rs");
edge!(pagination, "pagination.rs");
edge!(paths, "paths.rs");
edge!(read_write_only, "read_write_only.rs");
edge!(recursive, "recursive.rs");
edge!(recursive_allof, "recursive_allof.rs");
edge!(refs, "refs.rs");
edge!(reserved, "reserved.rs");
edge!(security, "security.rs");

#[cfg(test)]
mod runtime_tests;

#[cfg(test)]
mod server_runtime_tests;

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn wire_names_survive_sanitizing() {
        use super::names::models::Keywords;
        let wire = json!({
            "type": "t", "self": "s", "Self": "S", "2fa": true, "x-rate-limit": 3, "@id": "i",
            "+1": 1, "user_id": 7, "userId": "u", "option": {"value": "v"}
        });
        let k: Keywords = serde_json::from_value(wire.clone()).expect("decodes");
        assert_eq!((k.r#type.as_str(), k.self_.as_str(), k.self_2.as_str()), ("t", "S", "s"));
        assert_eq!((k.user_id, k.user_id_2.as_str()), (7, "u"));
        assert_eq!(serde_json::to_value(&k).expect("encodes"), wire);
    }

    #[test]
    fn discriminator_picks_the_variant_and_keeps_unknown_tags() {
        use super::composition::models::Pet;
        let cat: Pet = serde_json::from_value(json!({"kind": "cat", "meows": true})).expect("cat");
        assert!(matches!(cat, Pet::Cat(ref c) if c.meows && c.kind == "cat"));
        assert_eq!(serde_json::to_value(&cat).expect("encodes"), json!({"kind": "cat", "meows": true}));
        let bird = json!({"kind": "bird", "sings": true});
        let pet: Pet = serde_json::from_value(bird.clone()).expect("unknown tag is kept");
        assert_eq!(pet, Pet::Unknown(bird));
        assert!(serde_json::from_value::<Pet>(json!({"kind": "dog", "barks": "loud"})).is_err());
    }

    #[test]
    fn optional_nullable_keeps_absent_and_null_apart() {
        use super::optional_nullable::models::Profile;
        let absent: Profile =
            serde_json::from_value(json!({"required_plain": "a", "required_nullable": null})).expect("absent");
        assert_eq!(absent.optional_nullable, None);
        let null: Profile = serde_json::from_value(
            json!({"required_plain": "a", "required_nullable": null, "optional_nullable": null}),
        )
        .expect("null");
        assert_eq!(null.optional_nullable, Some(None));
        assert_eq!(
            serde_json::to_value(&null).expect("encodes"),
            json!({"required_plain": "a", "required_nullable": null, "optional_nullable": null})
        );
        assert_eq!(
            serde_json::to_value(&absent).expect("encodes"),
            json!({"required_plain": "a", "required_nullable": null})
        );
    }

    /// Structs deserialize through generated code and shared runtime functions rather than
    /// serde's derive; these are serde's rules, checked one by one.
    #[test]
    fn struct_decoding_follows_serdes_rules() {
        use super::optional_nullable::models::Profile;
        let decode = |v: serde_json::Value| serde_json::from_value::<Profile>(v).map_err(|e| e.to_string());
        let missing = decode(json!({"required_nullable": null})).expect_err("required_plain is missing");
        assert_eq!(missing, "missing field `required_plain`");
        let twice = serde_json::from_str::<Profile>(r#"{"required_plain": "a", "required_plain": "b"}"#)
            .map_err(|e| e.to_string())
            .expect_err("a field given twice");
        assert!(twice.starts_with("duplicate field `required_plain`"), "{twice}");
        let after_null = serde_json::from_str::<Profile>(
            r#"{"required_plain": "a", "optional_plain": null, "optional_plain": "b"}"#,
        )
        .map_err(|e| e.to_string())
        .expect_err("a value after null is given twice too");
        assert!(after_null.starts_with("duplicate field `optional_plain`"), "{after_null}");
        // Unknown keys are skipped, whatever their value; a required nullable field may be
        // absent; an optional one that is not nullable reads `null` as absent.
        let p =
            decode(json!({"required_plain": "a", "extra": {"deep": [1, 2]}, "optional_plain": null})).expect("decodes");
        assert_eq!((p.required_nullable, p.optional_plain, p.optional_nullable), (None, None, None));
        let wrong = decode(json!({"required_plain": 7})).expect_err("a number is not a string");
        assert!(wrong.starts_with("invalid type: integer `7`, expected a string"), "{wrong}");
        let not_object = decode(json!(["a"])).expect_err("an array is not a struct");
        assert!(not_object.contains("expected struct Profile"), "{not_object}");

        use super::enums::models::Task;
        let task = |kind: serde_json::Value| {
            serde_json::from_value::<Task>(json!({"level": 1, "status": "active", "kind": kind})).map(|t| t.kind)
        };
        assert_eq!(task(json!("")).expect("blank"), Some(None), "blank reads as no choice");
        assert_eq!(task(json!(null)).expect("null"), Some(None));
        assert!(task(json!("x")).expect("a value").is_some_and(|k| k.is_some()));
    }

    #[test]
    fn enums_keep_unknown_values_and_label_integers() {
        use super::enums::models::{RoleEnum, Status};
        assert_eq!(serde_json::from_value::<Status>(json!("done")).expect("known"), Status::Done2);
        let odd: Status = serde_json::from_value(json!("paused")).expect("unknown");
        assert_eq!(odd, Status::Unknown("paused".to_owned()));
        assert_eq!(serde_json::to_value(&odd).expect("encodes"), json!("paused"));
        assert_eq!(RoleEnum::Administrator.value(), 8);
        assert_eq!(serde_json::from_value::<RoleEnum>(json!(15)).expect("owner"), RoleEnum::Owner);
    }

    #[test]
    fn recursive_types_decode() {
        use super::recursive::models::Node;
        let tree = json!({"name": "root", "children": [{"name": "leaf", "children": []}], "parent": {"name": "up", "children": []}});
        let node: Node = serde_json::from_value(tree.clone()).expect("decodes");
        assert_eq!(node.children[0].name, "leaf");
        assert_eq!(node.parent.as_ref().map(|p| p.name.as_str()), Some("up"));
        assert_eq!(serde_json::to_value(&node).expect("encodes"), tree);
    }

    #[test]
    fn formats_decode_into_their_types() {
        use super::formats::models::Sample;
        let wire = json!({
            "id": "497f6eca-6276-4993-bfeb-53cbbbba6f08",
            "created_at": "2019-08-24T14:15:22Z",
            "birthday": "2001-02-03",
            "blob": "aGVsbG8=",
            "page_size": 20,
            "ratio": 0.5,
            "big": 9007199254740993_i64
        });
        let s: Sample = serde_json::from_value(wire.clone()).expect("decodes");
        assert_eq!(s.id.to_string(), "497f6eca-6276-4993-bfeb-53cbbbba6f08");
        assert_eq!(s.created_at.timestamp(), 1_566_656_122);
        assert_eq!(s.birthday.map(|d| d.to_string()).as_deref(), Some("2001-02-03"));
        assert_eq!(s.blob.as_ref().map(|b| b.0.as_slice()), Some(&b"hello"[..]));
        assert_eq!((s.page_size, s.ratio, s.big), (Some(20_i32), Some(0.5_f32), Some(9_007_199_254_740_993_i64)));
        let back = serde_json::to_value(&s).expect("encodes");
        for key in ["id", "created_at", "birthday", "blob", "page_size", "big"] {
            assert_eq!(back[key], wire[key], "{key}");
        }
        assert!(
            serde_json::from_value::<Sample>(json!({"id": "not-a-uuid", "created_at": "2019-08-24T14:15:22Z"}))
                .is_err()
        );
    }
}
