//! A crate that generates its API types at build time with [`oagen::Builder`] and includes them.

include!(concat!(env!("OUT_DIR"), "/posthog_organizations.rs"));

#[cfg(test)]
mod tests {
    /// The build script writes the same bytes as `oagen generate --no-tag-features` (an
    /// including crate has no tag features to gate on), through the same render path.
    #[test]
    fn build_script_output_is_byte_identical_to_the_cli_output() {
        let spec = std::path::Path::new("../../spec/posthog-organizations.yaml");
        let text = std::fs::read_to_string(spec).expect("the spec");
        let settings = oagen::Settings { tag_features: false, ..oagen::Settings::for_spec(spec) };
        let crate_files = oagen::generate(&text, &settings).expect("generates").files;
        let out_dir = std::path::Path::new(env!("OUT_DIR"));
        for module in ["models", "runtime", "operations", "client", "client_runtime", "server", "server_runtime"] {
            let built =
                std::fs::read_to_string(out_dir.join(format!("{module}.rs"))).expect("the build script wrote it");
            assert_eq!(built, crate_files[&format!("src/{module}.rs")], "{module}.rs");
        }
        // Without tag features the runtimes are the committed crate's too.
        assert_eq!(
            include_str!(concat!(env!("OUT_DIR"), "/runtime.rs")),
            include_str!("../../../generated/src/runtime.rs")
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
