//! A crate that generates its API types at build time with [`oagen::Builder`] and includes them.

include!(concat!(env!("OUT_DIR"), "/posthog_organizations.rs"));

#[cfg(test)]
mod tests {
    #[test]
    fn build_script_output_is_byte_identical_to_the_cli_output() {
        assert_eq!(
            include_str!(concat!(env!("OUT_DIR"), "/models.rs")),
            include_str!("../../../generated/src/models.rs")
        );
        assert_eq!(
            include_str!(concat!(env!("OUT_DIR"), "/runtime.rs")),
            include_str!("../../../generated/src/runtime.rs")
        );
        assert_eq!(
            include_str!(concat!(env!("OUT_DIR"), "/operations.rs")),
            include_str!("../../../generated/src/operations.rs")
        );
        assert_eq!(
            include_str!(concat!(env!("OUT_DIR"), "/client.rs")),
            include_str!("../../../generated/src/client.rs")
        );
        assert_eq!(
            include_str!(concat!(env!("OUT_DIR"), "/client_runtime.rs")),
            include_str!("../../../generated/src/client_runtime.rs")
        );
        assert_eq!(
            include_str!(concat!(env!("OUT_DIR"), "/server.rs")),
            include_str!("../../../generated/src/server.rs")
        );
    }

    #[test]
    fn included_models_are_usable() {
        let request = super::models::RoleRequest {
            name: "Engineers".to_owned(),
            feature_flags_access_level: Some(super::models::FeatureFlagsAccessLevelEnum::CanAlwaysEdit),
        };
        let json = serde_json::to_value(&request).expect("encodes");
        assert_eq!(json, serde_json::json!({"name": "Engineers", "feature_flags_access_level": 37}));
    }
}
