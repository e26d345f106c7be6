//! An in-memory implementation of the PostHog organizations API (all 40 operations of
//! `spec/posthog-organizations.yaml`), for the example server and for tests, which include this
//! file with `#[path = "../../generated/examples/server/app.rs"] mod app;` (so it names the crate
//! only by absolute paths).
//!
//! What it does, where the document leaves room:
//!
//! - One store behind a `Mutex`; [`InMemory`] is a cheap, cloneable handle to it. It starts with
//!   one user (id 1, `owner@example.com`) who owns one organization
//!   ([`InMemory::default_organization`]). That user is "the acting user" of every request:
//!   `created_by` of roles, invites and proxy records, the owner of organizations created through
//!   the API, and the user whose level `membership_level` reports. Principals only authorize.
//! - Ids are `Uuid::new_v4()`, user ids integers; timestamps are `Utc::now()`. Read-only fields
//!   are computed by the store (`member_count`, `membership_level`, `is_default`, `is_expired`,
//!   `has_saml`, `has_scim`, `scim_base_url`, `target_cname`, ...).
//! - Lists are in creation order and paginate like Django REST framework's
//!   `LimitOffsetPagination`: default limit 100 (a limit below 1 counts as absent, a negative
//!   offset as 0), `next`/`previous` are absolute URLs (`{base}{path}?limit=L&offset=O`, `previous`
//!   without `offset` when it would be 0), `null` on the last / first page.
//! - 404 (`Problem::not_found()`) for an unknown organization (also on nested resources), an
//!   unknown item, or an item of another organization. Where the document types an id as a plain
//!   string (proxy records' `organization_id` and `id`, role memberships' `organization_id`), a
//!   string that is not a UUID is an unknown id: 404.
//! - create answers 201, destroy 204; `update` (PUT) replaces every writable field (an optional
//!   one left out is reset to its default), `partial_update` (PATCH) changes only the fields sent.
//! - Conflicts are 400 problems naming the field: a second role with the same name in an
//!   organization, a domain already claimed (by any organization), a proxy record for a domain
//!   that already has one, a role membership for a user who does not exist, is not a member of
//!   the organization, or already holds the role, and an invite for someone already a member.
//! - Organizations: the slug is derived from the name at creation (made unique, never changed);
//!   deleting one deletes everything under it. Setting `default_role_id` to a role's id makes that
//!   role's `is_default` `"true"`; deleting the role clears it.
//! - Roles: `members` is `""` and `is_default` `"false"`/`"true"` (strings, as the document types
//!   them); `feature_flags_access_level` defaults to 37 (can always edit). Deleting a role deletes
//!   its memberships.
//! - Role memberships: created from `user_uuid`; `organization_member` and `user` are the user's
//!   current membership and profile.
//! - Members are addressed by their user's uuid (`user__uuid`). PUT sets `level` (member when
//!   left out); removing a member also removes their role memberships. `scoped_api_keys` answers
//!   the member (the document declares an `OrganizationMember` body for it).
//! - Invites: `level` defaults to member, `first_name` to `""`, `private_project_access` to `[]`.
//!   No email is sent; `emailing_attempt_made` records `send_email` (default true).
//!   `combine_pending_invites: true` replaces the pending invites to the same address, merging
//!   their `private_project_access` lists into the new invite. `is_expired` is true three days
//!   after creation. `invites/bulk/` takes one invite (the document's body is a single
//!   `OrganizationInvite`), stores it like `invites/` and answers 200 without a body.
//! - Domains: created unverified with a random `verification_challenge`. `verify/` marks the
//!   domain verified now (there is no DNS to look at) and `scim/token/` issues a new SCIM bearer
//!   token; both answer 200 without a body (as documented) and ignore the body the document
//!   requires. The token is then shown in the domain's `scim_bearer_token` (this store keeps no
//!   secrets from its callers). Enabling SCIM issues a token if there is none; `scim_base_url` is
//!   `{base}/scim/v2/{domain id}` while SCIM is enabled. Changing `domain` resets verification.
//! - Proxy records: `target_cname` is `{16 hex digits of a hash of organization id and
//!   domain}.proxy-us.posthog.com`, `status` `waiting`, `message` null. Changing the domain or
//!   `retry/` puts the record back to `waiting` (retry ignores its body and answers the record).
//!
//! [`TokenAuth`] maps bearer tokens to scopes.

// Tests include this file and use only part of it.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Utc};
use posthog_organizations::models::{
    DefaultExperimentStatsMethodEnum, FeatureFlagsAccessLevelEnum, MembershipLevelEnum, Organization,
    OrganizationDomain, OrganizationDomainRequest, OrganizationInvite, OrganizationInviteRequest, OrganizationMember,
    OrganizationMemberRequest, OrganizationMembershipLevel, OrganizationRequest, PaginatedOrganizationDomainList,
    PaginatedOrganizationInviteList, PaginatedOrganizationList, PaginatedOrganizationMemberList,
    PaginatedProxyRecordList, PaginatedRoleList, PaginatedRoleMembershipList, PatchedOrganization,
    PatchedOrganizationDomain, PatchedOrganizationMember, PatchedProxyRecord, PatchedRole, PluginsAccessLevelEnum,
    ProxyRecord, ProxyRecordRequest, ProxyRecordStatusEnum, Role, RoleAtOrganizationEnum, RoleMembership,
    RoleMembershipRequest, RoleRequest, UserBasic,
};
use posthog_organizations::operations as ops;
use posthog_organizations::server::{Api, Authenticator, Credential, Principal, Problem, Violation};
use uuid::Uuid;

/// Every scope the document uses.
pub const ALL_SCOPES: &[&str] =
    &["organization:read", "organization:write", "organization_member:read", "organization_member:write"];

/// Page size when a list request gives no (usable) `limit`.
pub const DEFAULT_LIMIT: i64 = 100;

/// Days an invite stays valid (PostHog's `INVITE_DAYS_VALIDITY`).
const INVITE_DAYS_VALIDITY: i64 = 3;

// ---------------------------------------------------------------------------------------------
// Authentication

/// Bearer tokens, each with the scopes it grants.
#[derive(Debug, Clone, Default)]
pub struct TokenAuth {
    tokens: Arc<BTreeMap<String, BTreeSet<String>>>,
}

impl TokenAuth {
    /// An authenticator knowing these tokens (token -> scopes).
    pub fn new(tokens: BTreeMap<String, BTreeSet<String>>) -> Self {
        Self { tokens: Arc::new(tokens) }
    }

    /// Every scope of the document, as a set.
    pub fn all_scopes() -> BTreeSet<String> {
        ALL_SCOPES.iter().map(|s| (*s).to_owned()).collect()
    }
}

impl Authenticator for TokenAuth {
    /// A known bearer token gives a principal with its scopes; the subject is `token:` and a hash
    /// of the token (so logs never carry the token). Anything else is unknown.
    async fn authenticate(&self, _scheme: &str, credential: Credential<'_>) -> Option<Principal> {
        let Credential::Bearer(token) = credential else {
            return None;
        };
        let scopes = self.tokens.get(token)?;
        Some(Principal { subject: format!("token:{:016x}", fnv1a(&[token.as_bytes()])), scopes: scopes.clone() })
    }
}

/// 64-bit FNV-1a over the concatenated parts (stable across runs, unlike std's hashers).
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in *part {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

// ---------------------------------------------------------------------------------------------
// The store

/// A role membership as stored; rendered with the member's and user's current data.
#[derive(Debug, Clone)]
struct RoleMembershipRow {
    id: Uuid,
    role_id: Uuid,
    user_uuid: Uuid,
    joined_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// An organization and everything under it, each list in creation order.
#[derive(Debug, Clone)]
struct OrgEntry {
    /// `member_count` and `membership_level` are filled in when rendered.
    org: Organization,
    domains: Vec<OrganizationDomain>,
    /// `is_expired` is filled in when rendered.
    invites: Vec<OrganizationInvite>,
    /// Keyed by `user.uuid`.
    members: Vec<OrganizationMember>,
    proxy_records: Vec<ProxyRecord>,
    /// `is_default` is filled in when rendered.
    roles: Vec<Role>,
    role_memberships: Vec<RoleMembershipRow>,
}

#[derive(Debug)]
struct Store {
    /// Scheme, host and port, no trailing slash.
    base_url: String,
    /// Every user, by uuid (with their last login).
    users: BTreeMap<Uuid, (UserBasic, DateTime<Utc>)>,
    next_user_id: i64,
    /// The user every request acts as.
    acting: Uuid,
    orgs: Vec<OrgEntry>,
    default_org: Uuid,
}

/// The in-memory implementation of [`Api`]: a cloneable handle to one store.
#[derive(Debug, Clone)]
pub struct InMemory {
    store: Arc<Mutex<Store>>,
}

impl InMemory {
    /// A store seeded with one user owning one organization. `base_url` (`http://host:port`) is
    /// the prefix of the `next`/`previous` links of lists.
    pub fn new(base_url: impl Into<String>) -> Self {
        let base_url = base_url.into().trim_end_matches('/').to_owned();
        let now = Utc::now();
        let user = UserBasic {
            distinct_id: Some(Some(Uuid::new_v4().simple().to_string())),
            email: "owner@example.com".to_owned(),
            first_name: Some("Olive".to_owned()),
            hedgehog_config: None,
            id: 1,
            is_email_verified: Some(Some(true)),
            last_name: Some("Owner".to_owned()),
            role_at_organization: Some(Some(RoleAtOrganizationEnum::Engineering)),
            uuid: Uuid::new_v4(),
        };
        let acting = user.uuid;
        let mut store = Store {
            base_url,
            users: BTreeMap::from([(acting, (user, now))]),
            next_user_id: 2,
            acting,
            orgs: Vec::new(),
            default_org: Uuid::nil(),
        };
        store.default_org = store.create_org(request_to_patched_org(OrganizationRequest {
            allow_publicly_shared_resources: None,
            default_anonymize_ips: None,
            default_experiment_stats_method: None,
            default_role_id: None,
            enforce_2fa: None,
            is_ai_data_processing_approved: None,
            is_member_join_email_enabled: None,
            logo_media_id: None,
            members_can_invite: None,
            members_can_use_personal_api_keys: None,
            name: "Default Organization".to_owned(),
        }));
        Self { store: Arc::new(Mutex::new(store)) }
    }

    /// The id of the organization the store starts with.
    pub fn default_organization(&self) -> Uuid {
        self.lock().default_org
    }

    /// The user every request acts as (the seeded owner).
    pub fn default_user(&self) -> UserBasic {
        let store = self.lock();
        store.acting_user()
    }

    /// Adds a user (a fresh integer id and uuid) and makes them a member of `organization` at
    /// `level`; `None` when the organization does not exist. The API itself cannot create users;
    /// this is for tests that need more than one.
    pub fn add_member(&self, organization: Uuid, email: &str, level: OrganizationMembershipLevel) -> Option<UserBasic> {
        let mut store = self.lock();
        let now = Utc::now();
        let user = UserBasic {
            distinct_id: Some(Some(Uuid::new_v4().simple().to_string())),
            email: email.to_owned(),
            first_name: Some(String::new()),
            hedgehog_config: None,
            id: store.next_user_id,
            is_email_verified: Some(Some(false)),
            last_name: Some(String::new()),
            role_at_organization: Some(None),
            uuid: Uuid::new_v4(),
        };
        let entry = store.entry_mut(organization).ok()?;
        entry.members.push(new_member(user.clone(), now, level));
        store.next_user_id += 1;
        store.users.insert(user.uuid, (user.clone(), now));
        Some(user)
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave the store half-updated in a way that
        // matters more than losing the example's data, so poisoning is ignored.
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn new_member(user: UserBasic, last_login: DateTime<Utc>, level: OrganizationMembershipLevel) -> OrganizationMember {
    let now = Utc::now();
    OrganizationMember {
        has_social_auth: false,
        id: Uuid::new_v4(),
        is_2fa_enabled: false,
        joined_at: now,
        last_login,
        level: Some(level),
        updated_at: now,
        user,
    }
}

fn not_found<T>() -> Result<T, Problem> {
    Err(Problem::not_found())
}

/// A 409: the request is well-formed but conflicts with what the store holds (a name or domain
/// taken, a user who is not there); shaped like the router's validation problems.
fn conflict(pointer: &str, message: impl Into<String>) -> Problem {
    let mut problem = Problem::new(409, "Conflict");
    problem.errors = vec![Violation { pointer: pointer.to_owned(), message: message.into() }];
    problem
}

/// An id the document types as a plain string: not a UUID means no such thing.
fn parse_id(text: &str) -> Result<Uuid, Problem> {
    Uuid::parse_str(text).map_err(|_| Problem::not_found())
}

/// `{base}/api/organizations/{org}/{rest}`.
fn nested_url(base: &str, org: &str, rest: &str) -> String {
    format!("{base}/api/organizations/{org}/{rest}")
}

// ---------------------------------------------------------------------------------------------
// Pagination

struct Window {
    count: i64,
    range: Range<usize>,
    next: Option<Option<String>>,
    previous: Option<Option<String>>,
}

/// The page of `len` items a limit/offset asks for, with links as Django REST framework's
/// `LimitOffsetPagination` makes them.
fn window(len: usize, limit: Option<i64>, offset: Option<i64>, url: &str) -> Window {
    let count = i64::try_from(len).unwrap_or(i64::MAX);
    let limit = match limit {
        Some(limit) if limit > 0 => limit,
        _ => DEFAULT_LIMIT,
    };
    let offset = offset.unwrap_or(0).max(0);
    let end = offset.saturating_add(limit);
    let next = (end < count).then(|| format!("{url}?limit={limit}&offset={end}"));
    let previous = if offset == 0 {
        None
    } else if offset <= limit {
        Some(format!("{url}?limit={limit}"))
    } else {
        Some(format!("{url}?limit={limit}&offset={}", offset - limit))
    };
    let start = usize::try_from(offset).unwrap_or(usize::MAX).min(len);
    let end = usize::try_from(end).unwrap_or(usize::MAX).min(len);
    Window { count, range: start..end, next: Some(next), previous: Some(previous) }
}

/// The page of `items` a limit/offset asks for, each rendered.
fn page<T, R>(
    items: &[T],
    limit: Option<i64>,
    offset: Option<i64>,
    url: &str,
    render: impl FnMut(&T) -> R,
) -> (Window, Vec<R>) {
    let w = window(items.len(), limit, offset, url);
    let results = items.get(w.range.clone()).unwrap_or_default().iter().map(render).collect();
    (w, results)
}

// ---------------------------------------------------------------------------------------------
// Organizations: request forms as patches, defaults, rendering

fn request_to_patched_org(r: OrganizationRequest) -> PatchedOrganization {
    PatchedOrganization {
        allow_publicly_shared_resources: r.allow_publicly_shared_resources,
        default_anonymize_ips: r.default_anonymize_ips,
        default_experiment_stats_method: r.default_experiment_stats_method,
        default_role_id: r.default_role_id,
        enforce_2fa: r.enforce_2fa,
        is_ai_data_processing_approved: r.is_ai_data_processing_approved,
        is_member_join_email_enabled: r.is_member_join_email_enabled,
        logo_media_id: r.logo_media_id,
        members_can_invite: r.members_can_invite,
        members_can_use_personal_api_keys: r.members_can_use_personal_api_keys,
        name: Some(r.name),
    }
}

/// The value of every optional writable field of a new organization.
fn org_defaults() -> PatchedOrganization {
    PatchedOrganization {
        allow_publicly_shared_resources: Some(true),
        default_anonymize_ips: Some(false),
        default_experiment_stats_method: Some(Some(DefaultExperimentStatsMethodEnum::Bayesian)),
        default_role_id: Some(None),
        enforce_2fa: Some(None),
        is_ai_data_processing_approved: Some(None),
        is_member_join_email_enabled: Some(true),
        logo_media_id: Some(None),
        members_can_invite: Some(Some(true)),
        members_can_use_personal_api_keys: Some(true),
        name: None,
    }
}

fn apply_org(org: &mut Organization, p: PatchedOrganization) {
    if p.allow_publicly_shared_resources.is_some() {
        org.allow_publicly_shared_resources = p.allow_publicly_shared_resources;
    }
    if p.default_anonymize_ips.is_some() {
        org.default_anonymize_ips = p.default_anonymize_ips;
    }
    if p.default_experiment_stats_method.is_some() {
        org.default_experiment_stats_method = p.default_experiment_stats_method;
    }
    if p.default_role_id.is_some() {
        org.default_role_id = p.default_role_id;
    }
    if p.enforce_2fa.is_some() {
        org.enforce_2fa = p.enforce_2fa;
    }
    if p.is_ai_data_processing_approved.is_some() {
        org.is_ai_data_processing_approved = p.is_ai_data_processing_approved;
    }
    if p.is_member_join_email_enabled.is_some() {
        org.is_member_join_email_enabled = p.is_member_join_email_enabled;
    }
    if p.logo_media_id.is_some() {
        org.logo_media_id = p.logo_media_id;
    }
    if p.members_can_invite.is_some() {
        org.members_can_invite = p.members_can_invite;
    }
    if p.members_can_use_personal_api_keys.is_some() {
        org.members_can_use_personal_api_keys = p.members_can_use_personal_api_keys;
    }
    if let Some(name) = p.name {
        org.name = name;
    }
}

/// A slug for `name` (`^[-a-zA-Z0-9_]+$`), not one of `taken`.
fn unique_slug<'a>(name: &str, taken: impl Iterator<Item = &'a str> + Clone) -> String {
    let mut base = String::new();
    for c in name.trim().chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || c == '_' {
            base.push(c);
        } else if !base.ends_with('-') {
            base.push('-');
        }
    }
    let base = base.trim_matches('-');
    let base = if base.is_empty() { "organization" } else { base };
    let mut slug = base.to_owned();
    let mut n = 2;
    while taken.clone().any(|t| t == slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

fn render_org(entry: &OrgEntry, acting: Uuid) -> Organization {
    let mut org = entry.org.clone();
    org.member_count = entry.members.len().to_string();
    org.membership_level = entry
        .members
        .iter()
        .find(|m| m.user.uuid == acting)
        .and_then(|m| m.level.as_ref())
        .map(|level| MembershipLevelEnum::from(level.value()));
    org
}

// ---------------------------------------------------------------------------------------------
// Domains

fn request_to_patched_domain(r: OrganizationDomainRequest) -> PatchedOrganizationDomain {
    PatchedOrganizationDomain {
        domain: Some(r.domain),
        jit_provisioning_enabled: r.jit_provisioning_enabled,
        saml_acs_url: r.saml_acs_url,
        saml_entity_id: r.saml_entity_id,
        saml_x509_cert: r.saml_x509_cert,
        scim_enabled: r.scim_enabled,
        sso_enforcement: r.sso_enforcement,
    }
}

fn domain_defaults() -> PatchedOrganizationDomain {
    PatchedOrganizationDomain {
        domain: None,
        jit_provisioning_enabled: Some(false),
        saml_acs_url: Some(None),
        saml_entity_id: Some(None),
        saml_x509_cert: Some(None),
        scim_enabled: Some(false),
        sso_enforcement: Some(String::new()),
    }
}

fn apply_domain(d: &mut OrganizationDomain, p: PatchedOrganizationDomain) {
    if let Some(domain) = p.domain
        && domain != d.domain
    {
        d.domain = domain;
        d.is_verified = false;
        d.verified_at = None;
        d.verification_challenge = new_challenge();
    }
    if p.jit_provisioning_enabled.is_some() {
        d.jit_provisioning_enabled = p.jit_provisioning_enabled;
    }
    if p.saml_acs_url.is_some() {
        d.saml_acs_url = p.saml_acs_url;
    }
    if p.saml_entity_id.is_some() {
        d.saml_entity_id = p.saml_entity_id;
    }
    if p.saml_x509_cert.is_some() {
        d.saml_x509_cert = p.saml_x509_cert;
    }
    if p.scim_enabled.is_some() {
        d.scim_enabled = p.scim_enabled;
    }
    if p.sso_enforcement.is_some() {
        d.sso_enforcement = p.sso_enforcement;
    }
}

/// Recomputes the read-only fields that follow from the writable ones.
fn refresh_domain(d: &mut OrganizationDomain, base_url: &str) {
    let set = |v: &Option<Option<String>>| matches!(v, Some(Some(s)) if !s.is_empty());
    d.has_saml = set(&d.saml_entity_id) && set(&d.saml_acs_url) && set(&d.saml_x509_cert);
    let scim = d.scim_enabled == Some(true);
    if scim && d.scim_bearer_token.is_none() {
        d.scim_bearer_token = Some(new_scim_token());
    }
    d.has_scim = scim && d.scim_bearer_token.is_some();
    d.scim_base_url = scim.then(|| format!("{base_url}/scim/v2/{}", d.id));
}

fn new_challenge() -> String {
    format!("posthog_{}", Uuid::new_v4().simple())
}

fn new_scim_token() -> String {
    format!("phs_{}", Uuid::new_v4().simple())
}

// ---------------------------------------------------------------------------------------------
// Roles, proxy records, invites

fn apply_role(role: &mut Role, p: PatchedRole) {
    if let Some(name) = p.name {
        role.name = name;
    }
    if p.feature_flags_access_level.is_some() {
        role.feature_flags_access_level = p.feature_flags_access_level;
    }
}

fn render_role(role: &Role, org: &Organization) -> Role {
    let mut role = role.clone();
    let is_default = matches!(&org.default_role_id, Some(Some(id)) if Uuid::parse_str(id).ok() == Some(role.id));
    role.is_default = is_default.to_string();
    role
}

fn target_cname(org: Uuid, domain: &str) -> String {
    let hash = fnv1a(&[org.as_bytes(), domain.to_ascii_lowercase().as_bytes()]);
    format!("{hash:016x}.proxy-us.posthog.com")
}

fn render_invite(invite: &OrganizationInvite, now: DateTime<Utc>) -> OrganizationInvite {
    let mut invite = invite.clone();
    invite.is_expired = now - invite.created_at > chrono::Duration::days(INVITE_DAYS_VALIDITY);
    invite
}

fn render_membership(row: &RoleMembershipRow, entry: &OrgEntry) -> Option<RoleMembership> {
    let member = entry.members.iter().find(|m| m.user.uuid == row.user_uuid)?;
    Some(RoleMembership {
        id: row.id,
        joined_at: row.joined_at,
        organization_member: member.clone(),
        role_id: row.role_id,
        updated_at: row.updated_at,
        user: member.user.clone(),
    })
}

// ---------------------------------------------------------------------------------------------
// Store operations shared by several methods

impl Store {
    fn acting_user(&self) -> UserBasic {
        match self.users.get(&self.acting) {
            Some((user, _)) => user.clone(),
            None => UserBasic {
                distinct_id: None,
                email: String::new(),
                first_name: None,
                hedgehog_config: None,
                id: 0,
                is_email_verified: None,
                last_name: None,
                role_at_organization: None,
                uuid: self.acting,
            },
        }
    }

    fn entry(&self, org: Uuid) -> Result<&OrgEntry, Problem> {
        self.orgs.iter().find(|e| e.org.id == org).ok_or_else(Problem::not_found)
    }

    fn entry_mut(&mut self, org: Uuid) -> Result<&mut OrgEntry, Problem> {
        self.orgs.iter_mut().find(|e| e.org.id == org).ok_or_else(Problem::not_found)
    }

    /// A new organization owned by the acting user; its id.
    fn create_org(&mut self, patch: PatchedOrganization) -> Uuid {
        let now = Utc::now();
        let name = patch.name.clone().unwrap_or_default();
        let slug = unique_slug(&name, self.orgs.iter().map(|e| e.org.slug.as_str()));
        let mut org = Organization {
            allow_publicly_shared_resources: None,
            available_product_features: Some(Vec::new()),
            created_at: now,
            customer_id: None,
            default_anonymize_ips: None,
            default_experiment_stats_method: None,
            default_role_id: None,
            enforce_2fa: None,
            id: Uuid::new_v4(),
            is_active: Some(true),
            is_ai_data_processing_approved: None,
            is_member_join_email_enabled: None,
            is_not_active_reason: None,
            logo_media_id: None,
            member_count: String::new(),
            members_can_invite: None,
            members_can_use_personal_api_keys: None,
            membership_level: None,
            metadata: String::new(),
            name,
            plugins_access_level: PluginsAccessLevelEnum::Config,
            projects: Vec::new(),
            slug,
            teams: Vec::new(),
            updated_at: now,
        };
        apply_org(&mut org, org_defaults());
        apply_org(&mut org, patch);
        let id = org.id;
        let (owner, last_login) = match self.users.get(&self.acting) {
            Some((user, last_login)) => (user.clone(), *last_login),
            None => (self.acting_user(), now),
        };
        self.orgs.push(OrgEntry {
            org,
            domains: Vec::new(),
            invites: Vec::new(),
            members: vec![new_member(owner, last_login, OrganizationMembershipLevel::Owner)],
            proxy_records: Vec::new(),
            roles: Vec::new(),
            role_memberships: Vec::new(),
        });
        id
    }

    fn org_response(&self, org: Uuid) -> Result<Organization, Problem> {
        Ok(render_org(self.entry(org)?, self.acting))
    }

    fn update_org(&mut self, id: Uuid, reset: bool, patch: PatchedOrganization) -> Result<Organization, Problem> {
        let entry = self.entry_mut(id)?;
        if reset {
            apply_org(&mut entry.org, org_defaults());
        }
        apply_org(&mut entry.org, patch);
        entry.org.updated_at = Utc::now();
        self.org_response(id)
    }

    fn create_domain(&mut self, org: Uuid, body: OrganizationDomainRequest) -> Result<OrganizationDomain, Problem> {
        self.entry(org)?;
        self.check_domain_free(&body.domain, None)?;
        let mut domain = OrganizationDomain {
            domain: String::new(),
            has_saml: false,
            has_scim: false,
            id: Uuid::new_v4(),
            is_verified: false,
            jit_provisioning_enabled: None,
            saml_acs_url: None,
            saml_entity_id: None,
            saml_x509_cert: None,
            scim_base_url: None,
            scim_bearer_token: None,
            scim_enabled: None,
            sso_enforcement: None,
            verification_challenge: new_challenge(),
            verified_at: None,
        };
        apply_domain(&mut domain, domain_defaults());
        apply_domain(&mut domain, request_to_patched_domain(body));
        refresh_domain(&mut domain, &self.base_url);
        self.entry_mut(org)?.domains.push(domain.clone());
        Ok(domain)
    }

    /// 400 when another domain (of any organization) already has this name.
    fn check_domain_free(&self, name: &str, except: Option<Uuid>) -> Result<(), Problem> {
        let taken = self
            .orgs
            .iter()
            .flat_map(|e| &e.domains)
            .any(|d| Some(d.id) != except && d.domain.eq_ignore_ascii_case(name));
        if taken {
            return Err(conflict("/body/domain", "this domain is already in use"));
        }
        Ok(())
    }

    fn update_domain(
        &mut self,
        org: Uuid,
        id: Uuid,
        reset: bool,
        patch: PatchedOrganizationDomain,
    ) -> Result<OrganizationDomain, Problem> {
        self.domain_mut(org, id)?;
        if let Some(name) = &patch.domain {
            self.check_domain_free(name, Some(id))?;
        }
        let base_url = self.base_url.clone();
        let domain = self.domain_mut(org, id)?;
        if reset {
            apply_domain(domain, domain_defaults());
        }
        apply_domain(domain, patch);
        refresh_domain(domain, &base_url);
        Ok(domain.clone())
    }

    fn domain_mut(&mut self, org: Uuid, id: Uuid) -> Result<&mut OrganizationDomain, Problem> {
        self.entry_mut(org)?.domains.iter_mut().find(|d| d.id == id).ok_or_else(Problem::not_found)
    }

    fn create_invite(&mut self, org: Uuid, body: OrganizationInviteRequest) -> Result<OrganizationInvite, Problem> {
        let created_by = self.acting_user();
        let entry = self.entry_mut(org)?;
        if entry.members.iter().any(|m| m.user.email.eq_ignore_ascii_case(&body.target_email)) {
            return Err(conflict(
                "/body/target_email",
                "a user with this email address already belongs to the organization",
            ));
        }
        let mut access = body.private_project_access.unwrap_or_else(|| serde_json::Value::Array(Vec::new()));
        if body.combine_pending_invites == Some(true) {
            let now = Utc::now();
            let mut merged = Vec::new();
            entry.invites.retain(|invite| {
                let same = invite.target_email.eq_ignore_ascii_case(&body.target_email)
                    && !render_invite(invite, now).is_expired;
                if same && let Some(serde_json::Value::Array(items)) = &invite.private_project_access {
                    merged.extend(items.iter().cloned());
                }
                !same
            });
            if let serde_json::Value::Array(items) = &mut access {
                for item in merged {
                    if !items.contains(&item) {
                        items.push(item);
                    }
                }
            }
        }
        let now = Utc::now();
        let invite = OrganizationInvite {
            created_at: now,
            created_by,
            emailing_attempt_made: body.send_email.unwrap_or(true),
            first_name: Some(body.first_name.unwrap_or_default()),
            id: Uuid::new_v4(),
            is_expired: false,
            level: Some(body.level.unwrap_or(OrganizationMembershipLevel::Member)),
            message: Some(body.message.unwrap_or(None)),
            private_project_access: Some(access),
            target_email: body.target_email,
            updated_at: now,
        };
        entry.invites.push(invite.clone());
        Ok(invite)
    }

    fn member_mut(&mut self, org: Uuid, user: Uuid) -> Result<&mut OrganizationMember, Problem> {
        self.entry_mut(org)?.members.iter_mut().find(|m| m.user.uuid == user).ok_or_else(Problem::not_found)
    }

    fn set_member_level(
        &mut self,
        org: Uuid,
        user: Uuid,
        level: Option<OrganizationMembershipLevel>,
    ) -> Result<OrganizationMember, Problem> {
        let member = self.member_mut(org, user)?;
        if level.is_some() {
            member.level = level;
        }
        member.updated_at = Utc::now();
        Ok(member.clone())
    }

    fn proxy_mut(&mut self, org: &str, id: &str) -> Result<&mut ProxyRecord, Problem> {
        let (org, id) = (parse_id(org)?, parse_id(id)?);
        self.entry_mut(org)?.proxy_records.iter_mut().find(|r| r.id == id).ok_or_else(Problem::not_found)
    }

    /// 400 when another proxy record (of any organization) already has this domain.
    fn check_proxy_domain_free(&self, domain: &str, except: Option<Uuid>) -> Result<(), Problem> {
        let taken = self
            .orgs
            .iter()
            .flat_map(|e| &e.proxy_records)
            .any(|r| Some(r.id) != except && r.domain.eq_ignore_ascii_case(domain));
        if taken {
            return Err(conflict("/body/domain", "a proxy record for this domain already exists"));
        }
        Ok(())
    }

    fn update_proxy(&mut self, org: &str, id: &str, domain: Option<String>) -> Result<ProxyRecord, Problem> {
        let record_id = self.proxy_mut(org, id)?.id;
        if let Some(domain) = &domain {
            self.check_proxy_domain_free(domain, Some(record_id))?;
        }
        let org_id = parse_id(org)?;
        let record = self.proxy_mut(org, id)?;
        if let Some(domain) = domain
            && domain != record.domain
        {
            record.target_cname = target_cname(org_id, &domain);
            record.domain = domain;
            record.status = ProxyRecordStatusEnum::Waiting;
            record.message = None;
        }
        record.updated_at = Utc::now();
        Ok(record.clone())
    }

    fn role_mut(&mut self, org: Uuid, id: Uuid) -> Result<&mut Role, Problem> {
        self.entry_mut(org)?.roles.iter_mut().find(|r| r.id == id).ok_or_else(Problem::not_found)
    }

    /// 400 when another role of the organization already has this name.
    fn check_role_name_free(&self, org: Uuid, name: &str, except: Option<Uuid>) -> Result<(), Problem> {
        let entry = self.entry(org)?;
        if entry.roles.iter().any(|r| Some(r.id) != except && r.name == name) {
            return Err(conflict("/body/name", "there is already a role with this name"));
        }
        Ok(())
    }

    fn update_role(&mut self, org: Uuid, id: Uuid, reset: bool, patch: PatchedRole) -> Result<Role, Problem> {
        self.role_mut(org, id)?;
        if let Some(name) = &patch.name {
            self.check_role_name_free(org, name, Some(id))?;
        }
        let role = self.role_mut(org, id)?;
        if reset {
            role.feature_flags_access_level = Some(FeatureFlagsAccessLevelEnum::CanAlwaysEdit);
        }
        apply_role(role, patch);
        let role = role.clone();
        Ok(render_role(&role, &self.entry(org)?.org))
    }

    /// The organization (a string id) and role of a role-membership path, checked.
    fn role_scope(&self, org: &str, role: Uuid) -> Result<(Uuid, &OrgEntry), Problem> {
        let org = parse_id(org)?;
        let entry = self.entry(org)?;
        if !entry.roles.iter().any(|r| r.id == role) {
            return not_found();
        }
        Ok((org, entry))
    }
}

// ---------------------------------------------------------------------------------------------
// The API

impl Api for InMemory {
    async fn list(&self, query: ops::ListQuery, _principal: Principal) -> Result<ops::ListResponse, Problem> {
        let s = self.lock();
        let url = format!("{}/api/organizations/", s.base_url);
        let (w, results) = page(&s.orgs, query.limit, query.offset, &url, |e| render_org(e, s.acting));
        Ok(ops::ListResponse::Ok(PaginatedOrganizationList {
            count: w.count,
            next: w.next,
            previous: w.previous,
            results,
        }))
    }

    async fn create(&self, body: OrganizationRequest, _principal: Principal) -> Result<ops::CreateResponse, Problem> {
        let mut s = self.lock();
        let id = s.create_org(request_to_patched_org(body));
        Ok(ops::CreateResponse::Created(s.org_response(id)?))
    }

    async fn retrieve(&self, id: Uuid, _principal: Principal) -> Result<ops::RetrieveResponse, Problem> {
        Ok(ops::RetrieveResponse::Ok(self.lock().org_response(id)?))
    }

    async fn update(
        &self,
        id: Uuid,
        body: OrganizationRequest,
        _principal: Principal,
    ) -> Result<ops::UpdateResponse, Problem> {
        let org = self.lock().update_org(id, true, request_to_patched_org(body))?;
        Ok(ops::UpdateResponse::Ok(org))
    }

    async fn destroy(&self, id: Uuid, _principal: Principal) -> Result<ops::DestroyResponse, Problem> {
        let mut s = self.lock();
        s.entry(id)?;
        s.orgs.retain(|e| e.org.id != id);
        Ok(ops::DestroyResponse::NoContent)
    }

    async fn partial_update(
        &self,
        id: Uuid,
        body: Option<PatchedOrganization>,
        _principal: Principal,
    ) -> Result<ops::PartialUpdateResponse, Problem> {
        let org = self.lock().update_org(id, false, body.unwrap_or_default())?;
        Ok(ops::PartialUpdateResponse::Ok(org))
    }

    async fn domains_list(
        &self,
        organization_id: Uuid,
        query: ops::DomainsListQuery,
        _principal: Principal,
    ) -> Result<ops::DomainsListResponse, Problem> {
        let s = self.lock();
        let entry = s.entry(organization_id)?;
        let url = nested_url(&s.base_url, &organization_id.to_string(), "domains/");
        let (w, results) = page(&entry.domains, query.limit, query.offset, &url, Clone::clone);
        Ok(ops::DomainsListResponse::Ok(PaginatedOrganizationDomainList {
            count: w.count,
            next: w.next,
            previous: w.previous,
            results,
        }))
    }

    async fn domains_create(
        &self,
        organization_id: Uuid,
        body: OrganizationDomainRequest,
        _principal: Principal,
    ) -> Result<ops::DomainsCreateResponse, Problem> {
        let domain = self.lock().create_domain(organization_id, body)?;
        Ok(ops::DomainsCreateResponse::Created(domain))
    }

    async fn domains_retrieve(
        &self,
        organization_id: Uuid,
        id: Uuid,
        _principal: Principal,
    ) -> Result<ops::DomainsRetrieveResponse, Problem> {
        let domain = self.lock().domain_mut(organization_id, id)?.clone();
        Ok(ops::DomainsRetrieveResponse::Ok(domain))
    }

    async fn domains_update(
        &self,
        organization_id: Uuid,
        id: Uuid,
        body: OrganizationDomainRequest,
        _principal: Principal,
    ) -> Result<ops::DomainsUpdateResponse, Problem> {
        let domain = self.lock().update_domain(organization_id, id, true, request_to_patched_domain(body))?;
        Ok(ops::DomainsUpdateResponse::Ok(domain))
    }

    async fn domains_destroy(
        &self,
        organization_id: Uuid,
        id: Uuid,
        _principal: Principal,
    ) -> Result<ops::DomainsDestroyResponse, Problem> {
        let mut s = self.lock();
        s.domain_mut(organization_id, id)?;
        s.entry_mut(organization_id)?.domains.retain(|d| d.id != id);
        Ok(ops::DomainsDestroyResponse::NoContent)
    }

    async fn domains_partial_update(
        &self,
        organization_id: Uuid,
        id: Uuid,
        body: Option<PatchedOrganizationDomain>,
        _principal: Principal,
    ) -> Result<ops::DomainsPartialUpdateResponse, Problem> {
        let domain = self.lock().update_domain(organization_id, id, false, body.unwrap_or_default())?;
        Ok(ops::DomainsPartialUpdateResponse::Ok(domain))
    }

    /// Issues a new SCIM bearer token (shown in the domain's `scim_bearer_token`); the body is
    /// ignored.
    async fn domains_scim_token_create(
        &self,
        organization_id: Uuid,
        id: Uuid,
        _body: OrganizationDomainRequest,
    ) -> Result<ops::DomainsScimTokenCreateResponse, Problem> {
        let mut s = self.lock();
        let base_url = s.base_url.clone();
        let domain = s.domain_mut(organization_id, id)?;
        domain.scim_bearer_token = Some(new_scim_token());
        refresh_domain(domain, &base_url);
        Ok(ops::DomainsScimTokenCreateResponse::Ok)
    }

    /// Marks the domain verified now; the body is ignored.
    async fn domains_verify_create(
        &self,
        organization_id: Uuid,
        id: Uuid,
        _body: OrganizationDomainRequest,
    ) -> Result<ops::DomainsVerifyCreateResponse, Problem> {
        let mut s = self.lock();
        let domain = s.domain_mut(organization_id, id)?;
        if !domain.is_verified {
            domain.is_verified = true;
            domain.verified_at = Some(Utc::now());
        }
        Ok(ops::DomainsVerifyCreateResponse::Ok)
    }

    async fn invites_list(
        &self,
        organization_id: Uuid,
        query: ops::InvitesListQuery,
        _principal: Principal,
    ) -> Result<ops::InvitesListResponse, Problem> {
        let s = self.lock();
        let entry = s.entry(organization_id)?;
        let url = nested_url(&s.base_url, &organization_id.to_string(), "invites/");
        let now = Utc::now();
        let (w, results) = page(&entry.invites, query.limit, query.offset, &url, |i| render_invite(i, now));
        Ok(ops::InvitesListResponse::Ok(PaginatedOrganizationInviteList {
            count: w.count,
            next: w.next,
            previous: w.previous,
            results,
        }))
    }

    async fn invites_create(
        &self,
        organization_id: Uuid,
        body: OrganizationInviteRequest,
        _principal: Principal,
    ) -> Result<ops::InvitesCreateResponse, Problem> {
        let invite = self.lock().create_invite(organization_id, body)?;
        Ok(ops::InvitesCreateResponse::Created(invite))
    }

    /// Stores the one invite the document's body carries, like `invites_create`.
    async fn invites_bulk_create(
        &self,
        organization_id: Uuid,
        body: OrganizationInviteRequest,
        _principal: Principal,
    ) -> Result<ops::InvitesBulkCreateResponse, Problem> {
        self.lock().create_invite(organization_id, body)?;
        Ok(ops::InvitesBulkCreateResponse::Ok)
    }

    async fn invites_destroy(
        &self,
        organization_id: Uuid,
        id: Uuid,
        _principal: Principal,
    ) -> Result<ops::InvitesDestroyResponse, Problem> {
        let mut s = self.lock();
        let entry = s.entry_mut(organization_id)?;
        if !entry.invites.iter().any(|i| i.id == id) {
            return not_found();
        }
        entry.invites.retain(|i| i.id != id);
        Ok(ops::InvitesDestroyResponse::NoContent)
    }

    async fn members_list(
        &self,
        organization_id: Uuid,
        query: ops::MembersListQuery,
        _principal: Principal,
    ) -> Result<ops::MembersListResponse, Problem> {
        let s = self.lock();
        let entry = s.entry(organization_id)?;
        let url = nested_url(&s.base_url, &organization_id.to_string(), "members/");
        let (w, results) = page(&entry.members, query.limit, query.offset, &url, Clone::clone);
        Ok(ops::MembersListResponse::Ok(PaginatedOrganizationMemberList {
            count: w.count,
            next: w.next,
            previous: w.previous,
            results,
        }))
    }

    async fn members_update(
        &self,
        organization_id: Uuid,
        user_uuid: Uuid,
        body: Option<OrganizationMemberRequest>,
        _principal: Principal,
    ) -> Result<ops::MembersUpdateResponse, Problem> {
        let level = body.and_then(|b| b.level).unwrap_or(OrganizationMembershipLevel::Member);
        let member = self.lock().set_member_level(organization_id, user_uuid, Some(level))?;
        Ok(ops::MembersUpdateResponse::Ok(member))
    }

    async fn members_destroy(
        &self,
        organization_id: Uuid,
        user_uuid: Uuid,
        _principal: Principal,
    ) -> Result<ops::MembersDestroyResponse, Problem> {
        let mut s = self.lock();
        s.member_mut(organization_id, user_uuid)?;
        let entry = s.entry_mut(organization_id)?;
        entry.members.retain(|m| m.user.uuid != user_uuid);
        entry.role_memberships.retain(|r| r.user_uuid != user_uuid);
        Ok(ops::MembersDestroyResponse::NoContent)
    }

    async fn members_partial_update(
        &self,
        organization_id: Uuid,
        user_uuid: Uuid,
        body: Option<PatchedOrganizationMember>,
        _principal: Principal,
    ) -> Result<ops::MembersPartialUpdateResponse, Problem> {
        let level = body.and_then(|b| b.level);
        let member = self.lock().set_member_level(organization_id, user_uuid, level)?;
        Ok(ops::MembersPartialUpdateResponse::Ok(member))
    }

    /// The member (what the document declares for this action).
    async fn members_scoped_api_keys_retrieve(
        &self,
        organization_id: Uuid,
        user_uuid: Uuid,
    ) -> Result<ops::MembersScopedApiKeysRetrieveResponse, Problem> {
        let member = self.lock().member_mut(organization_id, user_uuid)?.clone();
        Ok(ops::MembersScopedApiKeysRetrieveResponse::Ok(member))
    }

    async fn proxy_records_list(
        &self,
        organization_id: String,
        query: ops::ProxyRecordsListQuery,
        _principal: Principal,
    ) -> Result<ops::ProxyRecordsListResponse, Problem> {
        let s = self.lock();
        let entry = s.entry(parse_id(&organization_id)?)?;
        let url = nested_url(&s.base_url, &organization_id, "proxy_records/");
        let (w, results) = page(&entry.proxy_records, query.limit, query.offset, &url, Clone::clone);
        Ok(ops::ProxyRecordsListResponse::Ok(PaginatedProxyRecordList {
            count: w.count,
            next: w.next,
            previous: w.previous,
            results,
        }))
    }

    async fn proxy_records_create(
        &self,
        organization_id: String,
        body: ProxyRecordRequest,
        _principal: Principal,
    ) -> Result<ops::ProxyRecordsCreateResponse, Problem> {
        let mut s = self.lock();
        let org = parse_id(&organization_id)?;
        s.entry(org)?;
        s.check_proxy_domain_free(&body.domain, None)?;
        let created_by = Some(s.acting_user().id);
        let now = Utc::now();
        let record = ProxyRecord {
            created_at: now,
            created_by,
            target_cname: target_cname(org, &body.domain),
            domain: body.domain,
            id: Uuid::new_v4(),
            message: None,
            status: ProxyRecordStatusEnum::Waiting,
            updated_at: now,
        };
        s.entry_mut(org)?.proxy_records.push(record.clone());
        Ok(ops::ProxyRecordsCreateResponse::Created(record))
    }

    async fn proxy_records_retrieve(
        &self,
        organization_id: String,
        id: String,
        _principal: Principal,
    ) -> Result<ops::ProxyRecordsRetrieveResponse, Problem> {
        let record = self.lock().proxy_mut(&organization_id, &id)?.clone();
        Ok(ops::ProxyRecordsRetrieveResponse::Ok(record))
    }

    async fn proxy_records_update(
        &self,
        organization_id: String,
        id: String,
        body: ProxyRecordRequest,
        _principal: Principal,
    ) -> Result<ops::ProxyRecordsUpdateResponse, Problem> {
        let record = self.lock().update_proxy(&organization_id, &id, Some(body.domain))?;
        Ok(ops::ProxyRecordsUpdateResponse::Ok(record))
    }

    async fn proxy_records_destroy(
        &self,
        organization_id: String,
        id: String,
        _principal: Principal,
    ) -> Result<ops::ProxyRecordsDestroyResponse, Problem> {
        let mut s = self.lock();
        let record_id = s.proxy_mut(&organization_id, &id)?.id;
        s.entry_mut(parse_id(&organization_id)?)?.proxy_records.retain(|r| r.id != record_id);
        Ok(ops::ProxyRecordsDestroyResponse::NoContent)
    }

    async fn proxy_records_partial_update(
        &self,
        organization_id: String,
        id: String,
        body: Option<PatchedProxyRecord>,
        _principal: Principal,
    ) -> Result<ops::ProxyRecordsPartialUpdateResponse, Problem> {
        let domain = body.and_then(|b| b.domain);
        let record = self.lock().update_proxy(&organization_id, &id, domain)?;
        Ok(ops::ProxyRecordsPartialUpdateResponse::Ok(record))
    }

    /// Puts the record back to `waiting`; the body is ignored.
    async fn proxy_records_retry_create(
        &self,
        organization_id: String,
        id: String,
        _body: ProxyRecordRequest,
    ) -> Result<ops::ProxyRecordsRetryCreateResponse, Problem> {
        let mut s = self.lock();
        let record = s.proxy_mut(&organization_id, &id)?;
        record.status = ProxyRecordStatusEnum::Waiting;
        record.message = None;
        record.updated_at = Utc::now();
        Ok(ops::ProxyRecordsRetryCreateResponse::Ok(record.clone()))
    }

    async fn roles_list(
        &self,
        organization_id: Uuid,
        query: ops::RolesListQuery,
        _principal: Principal,
    ) -> Result<ops::RolesListResponse, Problem> {
        let s = self.lock();
        let entry = s.entry(organization_id)?;
        let url = nested_url(&s.base_url, &organization_id.to_string(), "roles/");
        let (w, results) = page(&entry.roles, query.limit, query.offset, &url, |r| render_role(r, &entry.org));
        Ok(ops::RolesListResponse::Ok(PaginatedRoleList {
            count: w.count,
            next: w.next,
            previous: w.previous,
            results,
        }))
    }

    async fn roles_create(
        &self,
        organization_id: Uuid,
        body: RoleRequest,
        _principal: Principal,
    ) -> Result<ops::RolesCreateResponse, Problem> {
        let mut s = self.lock();
        s.check_role_name_free(organization_id, &body.name, None)?;
        let role = Role {
            created_at: Utc::now(),
            created_by: s.acting_user(),
            feature_flags_access_level: Some(
                body.feature_flags_access_level.unwrap_or(FeatureFlagsAccessLevelEnum::CanAlwaysEdit),
            ),
            id: Uuid::new_v4(),
            is_default: "false".to_owned(),
            members: String::new(),
            name: body.name,
        };
        let entry = s.entry_mut(organization_id)?;
        entry.roles.push(role.clone());
        Ok(ops::RolesCreateResponse::Created(render_role(&role, &entry.org)))
    }

    async fn roles_retrieve(
        &self,
        organization_id: Uuid,
        id: Uuid,
        _principal: Principal,
    ) -> Result<ops::RolesRetrieveResponse, Problem> {
        let s = self.lock();
        let entry = s.entry(organization_id)?;
        let Some(role) = entry.roles.iter().find(|r| r.id == id) else {
            return not_found();
        };
        Ok(ops::RolesRetrieveResponse::Ok(render_role(role, &entry.org)))
    }

    async fn roles_update(
        &self,
        organization_id: Uuid,
        id: Uuid,
        body: RoleRequest,
        _principal: Principal,
    ) -> Result<ops::RolesUpdateResponse, Problem> {
        let patch = PatchedRole { feature_flags_access_level: body.feature_flags_access_level, name: Some(body.name) };
        let role = self.lock().update_role(organization_id, id, true, patch)?;
        Ok(ops::RolesUpdateResponse::Ok(role))
    }

    async fn roles_destroy(
        &self,
        organization_id: Uuid,
        id: Uuid,
        _principal: Principal,
    ) -> Result<ops::RolesDestroyResponse, Problem> {
        let mut s = self.lock();
        s.role_mut(organization_id, id)?;
        let entry = s.entry_mut(organization_id)?;
        entry.roles.retain(|r| r.id != id);
        entry.role_memberships.retain(|m| m.role_id != id);
        if matches!(&entry.org.default_role_id, Some(Some(d)) if Uuid::parse_str(d).ok() == Some(id)) {
            entry.org.default_role_id = Some(None);
            entry.org.updated_at = Utc::now();
        }
        Ok(ops::RolesDestroyResponse::NoContent)
    }

    async fn roles_partial_update(
        &self,
        organization_id: Uuid,
        id: Uuid,
        body: Option<PatchedRole>,
        _principal: Principal,
    ) -> Result<ops::RolesPartialUpdateResponse, Problem> {
        let role = self.lock().update_role(organization_id, id, false, body.unwrap_or_default())?;
        Ok(ops::RolesPartialUpdateResponse::Ok(role))
    }

    async fn roles_role_memberships_list(
        &self,
        organization_id: String,
        role_id: Uuid,
        query: ops::RolesRoleMembershipsListQuery,
        _principal: Principal,
    ) -> Result<ops::RolesRoleMembershipsListResponse, Problem> {
        let s = self.lock();
        let (_, entry) = s.role_scope(&organization_id, role_id)?;
        let rows: Vec<&RoleMembershipRow> = entry.role_memberships.iter().filter(|m| m.role_id == role_id).collect();
        let url = nested_url(&s.base_url, &organization_id, &format!("roles/{role_id}/role_memberships/"));
        let (w, results) = page(&rows, query.limit, query.offset, &url, |row| render_membership(row, entry));
        Ok(ops::RolesRoleMembershipsListResponse::Ok(PaginatedRoleMembershipList {
            count: w.count,
            next: w.next,
            previous: w.previous,
            results: results.into_iter().flatten().collect(),
        }))
    }

    async fn roles_role_memberships_create(
        &self,
        organization_id: String,
        role_id: Uuid,
        body: RoleMembershipRequest,
        _principal: Principal,
    ) -> Result<ops::RolesRoleMembershipsCreateResponse, Problem> {
        let mut s = self.lock();
        let (org, entry) = s.role_scope(&organization_id, role_id)?;
        let user = body.user_uuid;
        if !s.users.contains_key(&user) {
            return Err(conflict("/body/user_uuid", "no user has this uuid"));
        }
        if !entry.members.iter().any(|m| m.user.uuid == user) {
            return Err(conflict("/body/user_uuid", "this user is not a member of the organization"));
        }
        if entry.role_memberships.iter().any(|m| m.role_id == role_id && m.user_uuid == user) {
            return Err(conflict("/body/user_uuid", "this user already has this role"));
        }
        let now = Utc::now();
        let row = RoleMembershipRow { id: Uuid::new_v4(), role_id, user_uuid: user, joined_at: now, updated_at: now };
        let entry = s.entry_mut(org)?;
        entry.role_memberships.push(row.clone());
        match render_membership(&row, entry) {
            Some(membership) => Ok(ops::RolesRoleMembershipsCreateResponse::Created(membership)),
            None => Err(Problem::new(500, "Internal Server Error")),
        }
    }

    async fn roles_role_memberships_retrieve(
        &self,
        organization_id: String,
        role_id: Uuid,
        id: Uuid,
        _principal: Principal,
    ) -> Result<ops::RolesRoleMembershipsRetrieveResponse, Problem> {
        let s = self.lock();
        let (_, entry) = s.role_scope(&organization_id, role_id)?;
        entry
            .role_memberships
            .iter()
            .find(|m| m.id == id && m.role_id == role_id)
            .and_then(|row| render_membership(row, entry))
            .map(ops::RolesRoleMembershipsRetrieveResponse::Ok)
            .ok_or_else(Problem::not_found)
    }

    async fn roles_role_memberships_destroy(
        &self,
        organization_id: String,
        role_id: Uuid,
        id: Uuid,
        _principal: Principal,
    ) -> Result<ops::RolesRoleMembershipsDestroyResponse, Problem> {
        let mut s = self.lock();
        let (org, entry) = s.role_scope(&organization_id, role_id)?;
        if !entry.role_memberships.iter().any(|m| m.id == id && m.role_id == role_id) {
            return not_found();
        }
        s.entry_mut(org)?.role_memberships.retain(|m| m.id != id);
        Ok(ops::RolesRoleMembershipsDestroyResponse::NoContent)
    }
}
