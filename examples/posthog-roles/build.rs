//! Generates PostHog's roles endpoints into OUT_DIR, told what to keep and change by oagen.toml.

fn main() -> Result<(), oagen::Error> {
    oagen::Builder::new()
        .spec("../../spec/posthog-organizations.yaml")
        .config("oagen.toml")
        .module("posthog")
        .generate()
}
