//! Code that calls the PostHog Organizations API, the way a downstream crate would: it takes a
//! `Client` and knows nothing of where it points. Its tests (`tests/roles.rs`) run it against a
//! fake of the API, served by the generated crate's `testing` feature.

use futures_util::TryStreamExt as _;
use posthog_organizations::client::{Client, Error};
use posthog_organizations::models::RoleRequest;
use posthog_organizations::operations::RolesListQuery;

/// Makes sure the organization has a role named each of `names`: reads every role (page after
/// page) and creates those missing, in the order given. Returns the names it created.
pub async fn ensure_roles(client: &Client, organization: uuid::Uuid, names: &[&str]) -> Result<Vec<String>, Error> {
    let existing: Vec<String> = client
        .roles_list_stream(organization, &RolesListQuery::default())
        .map_ok(|role| role.name)
        .try_collect()
        .await?;
    let mut created = Vec::new();
    for name in names {
        if existing.iter().any(|e| e == name) || created.iter().any(|c| c == name) {
            continue;
        }
        let request = RoleRequest { name: (*name).to_owned(), feature_flags_access_level: None };
        created.push(client.roles_create(organization, &request).await?.name);
    }
    Ok(created)
}
