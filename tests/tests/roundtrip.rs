//! The generated client against the generated server (the example's in-memory implementation)
//! over 127.0.0.1: all 40 operations of PostHog's Organizations API, with their bodies and
//! statuses, and pagination over several pages with the client's stream.

#[path = "../../generated/examples/server/app.rs"]
mod app;

use std::collections::{BTreeMap, BTreeSet};

use futures_util::TryStreamExt as _;
use posthog_organizations::client::{Client, Error};
use posthog_organizations::models::*;
use posthog_organizations::operations::*;
use posthog_organizations::server::{self, ServerConfig};

struct Running {
    client: Client,
    org: uuid::Uuid,
    store: app::InMemory,
}

async fn start() -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let store = app::InMemory::new(base.clone());
    let org = store.default_organization();
    let scopes: BTreeSet<String> = app::ALL_SCOPES.iter().map(|s| (*s).to_owned()).collect();
    let auth = app::TokenAuth::new(BTreeMap::from([("phx_roundtrip".to_owned(), scopes)]));
    let router = server::router(store.clone(), auth, ServerConfig::default());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    let client = Client::builder().base_url(base).bearer_token("phx_roundtrip").build().expect("client");
    Running { client, org, store }
}

fn status(e: &Error) -> Option<u16> {
    e.status().map(|s| s.as_u16())
}

#[tokio::test]
async fn organizations() -> Result<(), Error> {
    let r = start().await;
    let c = &r.client;
    let listed = c.list(&ListQuery::default()).await?;
    assert_eq!(listed.count, 1);
    assert_eq!(listed.results[0].id, r.org);

    let created = c.create(&OrganizationRequest::new("Acme".to_owned())).await?;
    assert_eq!(created.name, "Acme");
    assert!(!created.slug.is_empty());
    assert_eq!(c.retrieve(created.id).await?, created);

    let mut replacement = OrganizationRequest::new("Acme Corp".to_owned());
    replacement.enforce_2fa = Some(Some(true));
    let updated = c.update(created.id, &replacement).await?;
    assert_eq!((updated.name.as_str(), updated.enforce_2fa), ("Acme Corp", Some(Some(true))));

    let patch = PatchedOrganization { members_can_invite: Some(Some(false)), ..Default::default() };
    let patched = c.partial_update(created.id, Some(&patch)).await?;
    assert_eq!((patched.name.as_str(), patched.members_can_invite), ("Acme Corp", Some(Some(false))));

    c.destroy(created.id).await?;
    let gone = c.retrieve(created.id).await.expect_err("deleted");
    assert_eq!(status(&gone), Some(404));
    assert_eq!(c.list(&ListQuery::default()).await?.count, 1);
    Ok(())
}

#[tokio::test]
async fn domains() -> Result<(), Error> {
    let r = start().await;
    let (c, org) = (&r.client, r.org);
    let created = c.domains_create(org, &OrganizationDomainRequest::new("posthog.example".to_owned())).await?;
    assert_eq!(created.domain, "posthog.example");
    assert!(!created.is_verified);
    assert_eq!(c.domains_retrieve(org, created.id).await?, created);
    assert_eq!(c.domains_list(org, &DomainsListQuery::default()).await?.count, 1);

    let mut replacement = OrganizationDomainRequest::new("other.example".to_owned());
    replacement.jit_provisioning_enabled = Some(true);
    let updated = c.domains_update(org, created.id, &replacement).await?;
    assert_eq!((updated.domain.as_str(), updated.jit_provisioning_enabled), ("other.example", Some(true)));

    let patch = PatchedOrganizationDomain { scim_enabled: Some(true), ..Default::default() };
    let patched = c.domains_partial_update(org, created.id, Some(&patch)).await?;
    assert_eq!((patched.domain.as_str(), patched.scim_enabled), ("other.example", Some(true)));

    c.domains_scim_token_create(org, created.id, &replacement).await?;
    c.domains_verify_create(org, created.id, &replacement).await?;
    assert!(c.domains_retrieve(org, created.id).await?.is_verified, "verify marks the domain verified");

    c.domains_destroy(org, created.id).await?;
    assert_eq!(status(&c.domains_retrieve(org, created.id).await.expect_err("deleted")), Some(404));
    let missing = uuid::Uuid::new_v4();
    assert_eq!(status(&c.domains_retrieve(missing, created.id).await.expect_err("unknown org")), Some(404));
    Ok(())
}

#[tokio::test]
async fn invites() -> Result<(), Error> {
    let r = start().await;
    let (c, org) = (&r.client, r.org);
    let mut invite = OrganizationInviteRequest::new("new@example.com".to_owned());
    invite.level = Some(OrganizationMembershipLevel::Administrator);
    let created = c.invites_create(org, &invite).await?;
    assert_eq!(created.target_email, "new@example.com");
    assert_eq!(created.level, Some(OrganizationMembershipLevel::Administrator));
    c.invites_bulk_create(org, &OrganizationInviteRequest::new("bulk@example.com".to_owned())).await?;
    let listed = c.invites_list(org, &InvitesListQuery::default()).await?;
    assert!(listed.count >= 1 && listed.results.iter().any(|i| i.id == created.id));
    c.invites_destroy(org, created.id).await?;
    let after = c.invites_list(org, &InvitesListQuery::default()).await?;
    assert!(after.results.iter().all(|i| i.id != created.id));
    assert_eq!(status(&c.invites_destroy(org, created.id).await.expect_err("gone")), Some(404));
    Ok(())
}

#[tokio::test]
async fn members() -> Result<(), Error> {
    let r = start().await;
    let (c, org) = (&r.client, r.org);
    let listed = c.members_list(org, &MembersListQuery::default()).await?;
    assert_eq!(listed.count, 1);
    let user = listed.results[0].user.uuid;

    let updated = c
        .members_update(org, user, Some(&OrganizationMemberRequest { level: Some(OrganizationMembershipLevel::Owner) }))
        .await?;
    assert_eq!(updated.level, Some(OrganizationMembershipLevel::Owner));
    let patched = c
        .members_partial_update(
            org,
            user,
            Some(&PatchedOrganizationMember { level: Some(OrganizationMembershipLevel::Member) }),
        )
        .await?;
    assert_eq!(patched.level, Some(OrganizationMembershipLevel::Member));
    let keys = c.members_scoped_api_keys_retrieve(org, user).await?;
    assert_eq!(keys.user.uuid, user);

    c.members_destroy(org, user).await?;
    assert_eq!(c.members_list(org, &MembersListQuery::default()).await?.count, 0);
    assert_eq!(status(&c.members_scoped_api_keys_retrieve(org, user).await.expect_err("gone")), Some(404));
    Ok(())
}

#[tokio::test]
async fn proxy_records() -> Result<(), Error> {
    let r = start().await;
    let c = &r.client;
    let org = r.org.to_string();
    let created = c.proxy_records_create(&org, &ProxyRecordRequest { domain: "t.example.com".to_owned() }).await?;
    assert_eq!(created.domain, "t.example.com");
    assert_eq!(created.status, ProxyRecordStatusEnum::Waiting);
    assert!(!created.target_cname.is_empty());
    let id = created.id.to_string();
    assert_eq!(c.proxy_records_retrieve(&org, &id).await?, created);
    assert_eq!(c.proxy_records_list(&org, &ProxyRecordsListQuery::default()).await?.count, 1);

    let updated = c.proxy_records_update(&org, &id, &ProxyRecordRequest { domain: "u.example.com".to_owned() }).await?;
    assert_eq!(updated.domain, "u.example.com");
    let patched = c
        .proxy_records_partial_update(&org, &id, Some(&PatchedProxyRecord { domain: Some("v.example.com".to_owned()) }))
        .await?;
    assert_eq!(patched.domain, "v.example.com");
    let retried =
        c.proxy_records_retry_create(&org, &id, &ProxyRecordRequest { domain: "v.example.com".to_owned() }).await?;
    assert_eq!(retried.id, created.id);

    c.proxy_records_destroy(&org, &id).await?;
    assert_eq!(status(&c.proxy_records_retrieve(&org, &id).await.expect_err("deleted")), Some(404));
    assert_eq!(status(&c.proxy_records_retrieve(&org, "not-a-uuid").await.expect_err("not a uuid")), Some(404));
    Ok(())
}

#[tokio::test]
async fn roles_and_memberships() -> Result<(), Error> {
    let r = start().await;
    let (c, org) = (&r.client, r.org);
    let created = c
        .roles_create(
            org,
            &RoleRequest {
                name: "Engineers".to_owned(),
                feature_flags_access_level: Some(FeatureFlagsAccessLevelEnum::CanOnlyView),
            },
        )
        .await?;
    assert_eq!(created.name, "Engineers");
    assert_eq!(created.created_by.uuid, r.store.default_user().uuid);
    assert_eq!(c.roles_retrieve(org, created.id).await?, created);

    let updated = c
        .roles_update(
            org,
            created.id,
            &RoleRequest { name: "Engineering".to_owned(), feature_flags_access_level: None },
        )
        .await?;
    assert_eq!(updated.name, "Engineering");
    let patch = PatchedRole {
        feature_flags_access_level: Some(FeatureFlagsAccessLevelEnum::CanAlwaysEdit),
        ..Default::default()
    };
    let patched = c.roles_partial_update(org, created.id, Some(&patch)).await?;
    assert_eq!(
        (patched.name.as_str(), patched.feature_flags_access_level),
        ("Engineering", Some(FeatureFlagsAccessLevelEnum::CanAlwaysEdit))
    );

    let org_text = org.to_string();
    let user = r.store.default_user().uuid;
    let membership =
        c.roles_role_memberships_create(&org_text, created.id, &RoleMembershipRequest { user_uuid: user }).await?;
    assert_eq!((membership.role_id, membership.user.uuid), (created.id, user));
    assert_eq!(membership.organization_member.user.uuid, user);
    assert_eq!(c.roles_role_memberships_retrieve(&org_text, created.id, membership.id).await?, membership);
    let listed =
        c.roles_role_memberships_list(&org_text, created.id, &RolesRoleMembershipsListQuery::default()).await?;
    assert_eq!((listed.count, listed.results[0].id), (1, membership.id));
    let stranger = c
        .roles_role_memberships_create(
            &org_text,
            created.id,
            &RoleMembershipRequest { user_uuid: uuid::Uuid::new_v4() },
        )
        .await
        .expect_err("unknown user");
    assert_eq!(status(&stranger), Some(409));
    c.roles_role_memberships_destroy(&org_text, created.id, membership.id).await?;
    assert_eq!(
        c.roles_role_memberships_list(&org_text, created.id, &RolesRoleMembershipsListQuery::default()).await?.count,
        0
    );

    c.roles_destroy(org, created.id).await?;
    assert_eq!(status(&c.roles_retrieve(org, created.id).await.expect_err("deleted")), Some(404));
    Ok(())
}

#[tokio::test]
async fn pagination_over_several_pages() -> Result<(), Error> {
    let r = start().await;
    let (c, org) = (&r.client, r.org);
    let mut names = Vec::new();
    for i in 0..7 {
        let name = format!("role {i:02}");
        c.roles_create(org, &RoleRequest { name: name.clone(), feature_flags_access_level: None }).await?;
        names.push(name);
    }
    let first = c.roles_list(org, &RolesListQuery { limit: Some(3), offset: None }).await?;
    assert_eq!((first.count, first.results.len()), (7, 3));
    assert!(first.previous.clone().flatten().is_none());
    let next = first.next.clone().flatten().expect("a next page");
    assert!(next.contains("limit=3") && next.contains("offset=3"), "{next}");
    let last = c.roles_list(org, &RolesListQuery { limit: Some(3), offset: Some(6) }).await?;
    assert_eq!(last.results.len(), 1);
    assert!(last.next.clone().flatten().is_none());
    assert!(last.previous.clone().flatten().is_some_and(|p| p.contains("offset=3")));

    let streamed: Vec<Role> =
        c.roles_list_stream(org, &RolesListQuery { limit: Some(3), offset: None }).try_collect().await?;
    let got: Vec<&str> = streamed.iter().map(|role| role.name.as_str()).collect();
    assert_eq!(got, names.iter().map(String::as_str).collect::<Vec<_>>());
    Ok(())
}
