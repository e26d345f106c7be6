//! PostHog's roles endpoints, generated at build time from the whole Organizations document with
//! a configuration (`oagen.toml`): only the operations tagged `roles` (and the schemas they
//! use), the crate's own [`User`] in place of the document's `UserBasic`, `Eq` and `Hash` on
//! every model, `Role` called `OrgRole`, and `roles_list` called `list_roles`.

include!(concat!(env!("OUT_DIR"), "/posthog.rs"));

/// A PostHog user as this crate keeps one: the document's `UserBasic` has more, which is read
/// past. It is what role members and role creators are, in every generated model.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct User {
    /// The user's number.
    pub id: i64,
    /// The user's identity across PostHog.
    pub uuid: uuid::Uuid,
    /// Given name.
    #[serde(default)]
    pub first_name: String,
    /// Family name.
    #[serde(default)]
    pub last_name: String,
    /// Email address.
    pub email: String,
}

impl User {
    /// The name to show: first and last name, or the email address when there is neither.
    pub fn display_name(&self) -> String {
        let name = format!("{} {}", self.first_name, self.last_name);
        let name = name.trim();
        if name.is_empty() { self.email.clone() } else { name.to_owned() }
    }
}
