//! The generated PostHog Organizations models against the seed page
//! (`tests/fixtures/seed-organizations-4.txt`, a copy of PostHog's API docs page): every response
//! example on the page decodes into its model and encodes back to the same JSON, and the models
//! keep the distinctions the page's schemas make (open enums, request forms, absent vs `null`).

mod common;

use std::collections::BTreeSet;

use common::{example, examples_by_heading, parse_examples};
use posthog_organizations::models;
use serde_json::{Value, json};

/// Removes the write-only `user_uuid` from an object and from each of its `results` items.
fn without_write_only(mut value: Value) -> Value {
    fn strip(value: &mut Value) {
        if let Some(object) = value.as_object_mut() {
            object.remove("user_uuid");
        }
    }
    strip(&mut value);
    if let Some(results) = value.get_mut("results").and_then(Value::as_array_mut) {
        results.iter_mut().for_each(strip);
    }
    value
}

/// Decodes `$json` as `$ty`, encodes it back and returns `(decoded, re-encoded)`.
macro_rules! roundtrip {
    ($ty:ty, $json:expr) => {{
        let json: &Value = &$json;
        let decoded: $ty = serde_json::from_value(json.clone())
            .unwrap_or_else(|e| panic!("{} does not decode: {e}\n{json:#}", stringify!($ty)));
        let encoded =
            serde_json::to_value(&decoded).unwrap_or_else(|e| panic!("{} does not encode: {e}", stringify!($ty)));
        (decoded, encoded)
    }};
}

/// The keys of a JSON object.
fn keys(value: &Value) -> BTreeSet<&str> {
    value.as_object().unwrap_or_else(|| panic!("not an object: {value}")).keys().map(String::as_str).collect()
}

// ---------------------------------------------------------------------------------------------
// 1. Every example on the page decodes into its model and encodes back unchanged.
// ---------------------------------------------------------------------------------------------

#[test]
fn parser_finds_every_example_under_its_heading() {
    let by_heading = examples_by_heading();
    let headings: Vec<&str> = by_heading.keys().map(String::as_str).collect();
    let expected: BTreeSet<&str> = [
        "Update proxy records",
        "List all roles",
        "Create roles",
        "Retrieve roles",
        "Update roles",
        "List all roles role memberships",
        "Create roles role memberships",
    ]
    .into_iter()
    .collect();
    assert_eq!(headings.into_iter().collect::<BTreeSet<_>>(), expected);
    // Every body is a whole object, not a fragment: list pages have their four keys and one
    // item, single objects have a string `id` and at least seven fields.
    for (heading, body) in &by_heading {
        if heading.starts_with("List all") {
            assert_eq!(keys(body), BTreeSet::from(["count", "next", "previous", "results"]));
            assert_eq!(body["results"].as_array().map(Vec::len), Some(1), "{heading}");
        } else {
            assert!(body.get("id").is_some_and(Value::is_string), "{heading}: {body}");
            assert!(body.as_object().is_some_and(|o| o.len() >= 7), "{heading}: {body}");
        }
    }
}

#[test]
fn brace_counting_ignores_braces_in_strings() {
    let text = "Op\n\nRequired API key scopes\n\nRESPONSE\n{\n\"a\": \"}{\\\"}\",\n\"b\": {\n\"c\": 1\n}\n}\nafter\n";
    let examples = parse_examples(text);
    assert_eq!(examples.len(), 1);
    assert_eq!(examples[0].heading, "Op");
    assert_eq!(examples[0].body, json!({"a": "}{\"}", "b": {"c": 1}}));
}

#[test]
fn every_seed_example_round_trips_through_its_model() {
    let by_heading = examples_by_heading();
    let mut checked = 0;

    let raw = example(&by_heading, "Update proxy records");
    let (record, encoded) = roundtrip!(models::ProxyRecord, raw);
    assert_eq!(record.status, models::ProxyRecordStatusEnum::Waiting);
    assert_eq!(record.created_by, Some(0));
    assert_eq!(encoded, without_write_only(raw), "Update proxy records");
    checked += 1;

    let raw = example(&by_heading, "List all roles");
    let (list, encoded) = roundtrip!(models::PaginatedRoleList, raw);
    assert_eq!(list.count, 123);
    assert_eq!(list.results.len(), 1);
    assert_eq!(list.results[0].feature_flags_access_level, Some(models::FeatureFlagsAccessLevelEnum::CanOnlyView));
    assert_eq!(encoded, without_write_only(raw), "List all roles");
    checked += 1;

    for heading in ["Create roles", "Retrieve roles", "Update roles"] {
        let raw = example(&by_heading, heading);
        let (role, encoded) = roundtrip!(models::Role, raw);
        assert_eq!(role.name, "string");
        assert_eq!(role.created_by.role_at_organization, Some(Some(models::RoleAtOrganizationEnum::Engineering)));
        assert_eq!(encoded, without_write_only(raw), "{heading}");
        checked += 1;
    }

    let raw = example(&by_heading, "List all roles role memberships");
    assert!(raw["results"][0].get("user_uuid").is_some(), "the page shows the write-only user_uuid in list items");
    let (list, encoded) = roundtrip!(models::PaginatedRoleMembershipList, raw);
    assert_eq!(list.results.len(), 1);
    assert_eq!(list.results[0].organization_member.level, Some(models::OrganizationMembershipLevel::Member));
    assert_eq!(encoded, without_write_only(raw), "List all roles role memberships");
    assert!(encoded["results"][0].get("user_uuid").is_none());
    checked += 1;

    let raw = example(&by_heading, "Create roles role memberships");
    assert!(raw.get("user_uuid").is_some(), "the page shows the write-only user_uuid");
    let (membership, encoded) = roundtrip!(models::RoleMembership, raw);
    assert_eq!(membership.organization_member.level, Some(models::OrganizationMembershipLevel::Member));
    assert_eq!(encoded, without_write_only(raw), "Create roles role memberships");
    assert!(encoded.get("user_uuid").is_none());
    checked += 1;

    assert_eq!(checked, by_heading.len(), "every example on the page is checked");
}

// ---------------------------------------------------------------------------------------------
// 2. Values the document does not list are kept and written back unchanged.
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_proxy_record_status_round_trips() {
    let mut raw = example(&examples_by_heading(), "Update proxy records");
    raw["status"] = json!("paused");
    let (record, encoded) = roundtrip!(models::ProxyRecord, raw);
    assert_eq!(record.status, models::ProxyRecordStatusEnum::Unknown("paused".into()));
    assert_eq!(record.status.as_str(), "paused");
    assert_eq!(encoded, raw);
}

#[test]
fn unknown_membership_level_round_trips() {
    let membership = example(&examples_by_heading(), "Create roles role memberships");
    let mut raw = membership["organization_member"].clone();
    assert_eq!(raw["level"], json!(1), "the seed's member level");
    raw["level"] = json!(99);
    let (member, encoded) = roundtrip!(models::OrganizationMember, raw);
    assert_eq!(member.level, Some(models::OrganizationMembershipLevel::Unknown(99)));
    assert_eq!(encoded, raw);
}

// ---------------------------------------------------------------------------------------------
// 3. Request forms have exactly the writable fields (struct literals: adding or removing a field
//    breaks compilation).
// ---------------------------------------------------------------------------------------------

#[test]
fn role_request_has_name_and_feature_flags_access_level() {
    let request = models::RoleRequest {
        name: "Engineers".to_owned(),
        feature_flags_access_level: Some(models::FeatureFlagsAccessLevelEnum::CanAlwaysEdit),
    };
    let encoded = serde_json::to_value(&request).unwrap();
    assert_eq!(keys(&encoded), BTreeSet::from(["feature_flags_access_level", "name"]));
    assert_eq!(encoded, json!({"name": "Engineers", "feature_flags_access_level": 37}));
}

#[test]
fn role_membership_request_has_user_uuid_only() {
    let membership = example(&examples_by_heading(), "Create roles role memberships");
    let user_uuid = serde_json::from_value(membership["user_uuid"].clone()).unwrap();
    let request = models::RoleMembershipRequest { user_uuid };
    let encoded = serde_json::to_value(&request).unwrap();
    assert_eq!(keys(&encoded), BTreeSet::from(["user_uuid"]));
    assert_eq!(encoded["user_uuid"], membership["user_uuid"]);
}

#[test]
fn proxy_record_request_has_domain_only() {
    let request = models::ProxyRecordRequest { domain: "t.example.com".to_owned() };
    let encoded = serde_json::to_value(&request).unwrap();
    assert_eq!(keys(&encoded), BTreeSet::from(["domain"]));
    assert_eq!(encoded, json!({"domain": "t.example.com"}));
}

#[test]
fn patched_role_fields_are_all_optional() {
    let empty = models::PatchedRole::default();
    assert_eq!(serde_json::to_value(&empty).unwrap(), json!({}));
    let full = models::PatchedRole {
        feature_flags_access_level: Some(models::FeatureFlagsAccessLevelEnum::CanOnlyView),
        name: Some("Viewers".to_owned()),
    };
    let encoded = serde_json::to_value(&full).unwrap();
    assert_eq!(keys(&encoded), BTreeSet::from(["feature_flags_access_level", "name"]));
    let decoded: models::PatchedRole = serde_json::from_value(json!({})).unwrap();
    assert_eq!(decoded, empty);
}

// ---------------------------------------------------------------------------------------------
// 4. Integer enums: named variants, their wire values, and conversions.
// ---------------------------------------------------------------------------------------------

#[test]
fn organization_membership_level_values() {
    use models::OrganizationMembershipLevel as Level;
    assert_eq!(Level::Member.value(), 1);
    assert_eq!(Level::Administrator.value(), 8);
    assert_eq!(Level::Owner.value(), 15);
    assert_eq!(Level::from(1), Level::Member);
    assert_eq!(Level::from(8), Level::Administrator);
    assert_eq!(Level::from(15), Level::Owner);
    assert_eq!(Level::from(99), Level::Unknown(99));
    assert_eq!(serde_json::to_value(Level::Administrator).unwrap(), json!(8));
    assert_eq!(serde_json::to_string(&Level::Administrator).unwrap(), "8");
    let decoded: Level = serde_json::from_value(json!(15)).unwrap();
    assert_eq!(decoded, Level::Owner);
}

// ---------------------------------------------------------------------------------------------
// 5. `UserBasic.role_at_organization`: optional, nullable, and possibly blank.
// ---------------------------------------------------------------------------------------------

/// The seed's `created_by` user, with `role_at_organization` set to `role` (or removed).
fn user_with_role(role: Option<Value>) -> Value {
    let role_example = example(&examples_by_heading(), "Retrieve roles");
    let mut user = role_example["created_by"].clone();
    let object = user.as_object_mut().expect("created_by is an object");
    assert_eq!(object.get("role_at_organization"), Some(&json!("engineering")));
    match role {
        Some(role) => object.insert("role_at_organization".to_owned(), role),
        None => object.remove("role_at_organization"),
    };
    user
}

#[test]
fn role_at_organization_absent_stays_absent() {
    let raw = user_with_role(None);
    let (user, encoded) = roundtrip!(models::UserBasic, raw);
    assert_eq!(user.role_at_organization, None);
    assert!(encoded.get("role_at_organization").is_none(), "{encoded}");
    assert_eq!(encoded, raw);
}

#[test]
fn role_at_organization_null_is_some_none() {
    let raw = user_with_role(Some(Value::Null));
    let (user, encoded) = roundtrip!(models::UserBasic, raw);
    assert_eq!(user.role_at_organization, Some(None));
    assert_eq!(encoded.get("role_at_organization"), Some(&Value::Null));
    assert_eq!(encoded, raw);
}

#[test]
fn role_at_organization_blank_is_some_none_written_as_null() {
    let raw = user_with_role(Some(json!("")));
    let (user, encoded) = roundtrip!(models::UserBasic, raw);
    assert_eq!(user.role_at_organization, Some(None));
    assert_eq!(encoded.get("role_at_organization"), Some(&Value::Null));
    assert_eq!(encoded, user_with_role(Some(Value::Null)));
}

#[test]
fn role_at_organization_value_is_some_some() {
    let raw = user_with_role(Some(json!("engineering")));
    let (user, encoded) = roundtrip!(models::UserBasic, raw);
    assert_eq!(user.role_at_organization, Some(Some(models::RoleAtOrganizationEnum::Engineering)));
    assert_eq!(encoded, raw);
}

// ---------------------------------------------------------------------------------------------
// 6. Optional + nullable fields keep absent and `null` apart.
// ---------------------------------------------------------------------------------------------

#[test]
fn patched_organization_logo_media_id_absent_vs_null() {
    let (absent, encoded) = roundtrip!(models::PatchedOrganization, json!({}));
    assert_eq!(absent.logo_media_id, None);
    assert_eq!(absent, models::PatchedOrganization::default());
    assert_eq!(encoded, json!({}));

    let (null, encoded) = roundtrip!(models::PatchedOrganization, json!({"logo_media_id": null}));
    assert_eq!(null.logo_media_id, Some(None));
    assert_eq!(encoded, json!({"logo_media_id": null}));

    let id = "095be615-a8ad-4c33-8e9c-c7612fbf6c9f";
    let (set, encoded) = roundtrip!(models::PatchedOrganization, json!({"logo_media_id": id}));
    assert_eq!(set.logo_media_id.flatten().map(|u| u.to_string()).as_deref(), Some(id));
    assert_eq!(encoded, json!({"logo_media_id": id}));
}

#[test]
fn paginated_list_next_absent_vs_null() {
    let raw = example(&examples_by_heading(), "List all roles");

    let mut null_next = raw.clone();
    null_next["next"] = Value::Null;
    let (list, encoded) = roundtrip!(models::PaginatedRoleList, null_next);
    assert_eq!(list.next, Some(None));
    assert_eq!(encoded, null_next);

    let mut absent_next = raw;
    absent_next.as_object_mut().unwrap().remove("next");
    let (list, encoded) = roundtrip!(models::PaginatedRoleList, absent_next);
    assert_eq!(list.next, None);
    assert_eq!(encoded, absent_next);
}
