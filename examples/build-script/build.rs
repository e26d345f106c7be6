//! Generates the PostHog Organizations models into OUT_DIR, as any crate's build.rs would.

fn main() -> Result<(), oagen::Error> {
    oagen::Builder::new().spec("../../spec/posthog-organizations.yaml").generate()
}
