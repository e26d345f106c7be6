//! The PostHog Organizations client, corrected by an overlay to what the live API sends.

fn main() -> Result<(), oagen::Error> {
    oagen::Builder::new()
        .spec("../../spec/posthog-organizations.yaml")
        .overlay("../../spec/overlays/posthog-runtime.yaml")
        .server(false)
        .generate()
}
