//! Cargo features per tag (or, in a document without tags, per group of paths): which
//! operations and which types each feature compiles, so a user who calls a handful of endpoints
//! compiles only those and the models they need.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, Feature, FeatureId, FeatureKind, Ty, TypeId};
use crate::names::{Scope, path_feature, tag_feature};

/// The feature of the schemas no operation uses (GitHub's webhook payloads, for example); the
/// generated manifest leaves it out of the defaults, since a client or server of the API's
/// operations never needs them. Other features are named `tag-*` or `path-*`, so this cannot clash.
const STANDALONE: &str = "standalone-schemas";

/// A type that more features than this need is compiled always: its `#[cfg(any(..))]` would
/// cost more to write, read and evaluate than the type (Microsoft Graph's entity types are
/// needed by hundreds of tags, and such lists were a sixth of its crate), and a user of a few
/// tags compiles a few more shared types.
const MAX_GATE_FEATURES: usize = 8;

/// Assigns features to operations and types. An operation is compiled by the feature of any of
/// its tags (always, when it has no tag); a type by the features of every operation that mentions
/// it, directly or through other types; a type every feature, or more than [`MAX_GATE_FEATURES`]
/// features, need is always compiled. A document with fewer than two tags (Stripe's has none) is
/// grouped by path instead (see [`path_group`]); with fewer than two groups nothing is gated.
pub fn assign(api: &mut Api) {
    let tags: BTreeSet<&str> = api.operations.iter().flat_map(|op| op.tags.iter().map(String::as_str)).collect();
    let by_tag = tags.len() >= 2;
    // Each operation's groups: its tags, or its path group; each group with its feature's name
    // and comment.
    let op_groups: Vec<Vec<String>> = api
        .operations
        .iter()
        .map(|op| if by_tag { op.tags.clone() } else { path_group(&op.path).into_iter().collect() })
        .collect();
    let groups: BTreeSet<&str> = op_groups.iter().flatten().map(String::as_str).collect();
    if groups.len() < 2 {
        return;
    }
    // A path group is named after its last segment, or after its whole path where two groups
    // share the last one (`/v1/customers`, `/v2/customers`); names that still clash get `-2`, ...
    let short = |group: &str| if by_tag { tag_feature(group) } else { path_feature(group, false) };
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    for group in &groups {
        *uses.entry(short(group)).or_default() += 1;
    }
    let mut scope = Scope::new();
    scope.claim_feature(STANDALONE);
    let mut named: Vec<(String, &str)> = groups
        .iter()
        .map(|group| {
            let name = short(group);
            let base = if by_tag || uses.get(&name) == Some(&1) { name } else { path_feature(group, true) };
            (scope.claim_feature(&base), *group)
        })
        .collect();
    // Features in the manifest's order: by name.
    named.sort();
    let index: BTreeMap<&str, usize> = named.iter().enumerate().map(|(i, (_, g))| (*g, i)).collect();
    let mut features: Vec<Feature> = named
        .iter()
        .map(|(name, group)| Feature {
            name: name.clone(),
            doc: if by_tag { format!("Operations tagged `{group}`.") } else { format!("Operations under `{group}`.") },
            kind: if by_tag { FeatureKind::Tag } else { FeatureKind::PathGroup },
        })
        .collect();
    let tag_count = features.len();
    for (op, groups) in api.operations.iter_mut().zip(&op_groups) {
        let mut f: Vec<usize> = groups.iter().filter_map(|g| index.get(g.as_str()).copied()).collect();
        f.sort_unstable();
        f.dedup();
        op.features = f.into_iter().map(FeatureId).collect();
    }

    // Per feature, the types its operations reach; `None` stands for untagged operations.
    let mut per_type: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); api.types.len()];
    let mut always = vec![false; api.types.len()];
    let mut used = vec![false; api.types.len()];
    let mut groups: BTreeMap<Option<usize>, Vec<usize>> = BTreeMap::new();
    for (i, op) in api.operations.iter().enumerate() {
        if op.features.is_empty() {
            groups.entry(None).or_default().push(i);
        }
        for f in &op.features {
            groups.entry(Some(f.0)).or_default().push(i);
        }
    }
    for (feature, ops) in &groups {
        let reached = api.reachable(ops.iter().flat_map(|i| api.operations[*i].types()));
        for (id, _) in reached.iter().enumerate().filter(|(_, r)| **r) {
            used[id] = true;
            match feature {
                Some(f) => {
                    per_type[id].insert(*f);
                }
                None => always[id] = true,
            }
        }
    }
    // An alias no operation mentions compiles with the type it names, when operations use that
    // type: inline copies merged into one type are such aliases, and their names should stay
    // usable wherever the type is (an unused component alias of a used type follows too; one
    // pass, so an alias of such an alias stays with the standalone schemas).
    for id in 0..api.types.len() {
        if let (false, crate::ir::TypeKind::Alias(Ty::Named(target))) = (used[id], &api.types[id].kind) {
            if used[target.0] {
                used[id] = true;
                always[id] = always[target.0];
                per_type[id] = per_type[target.0].clone();
            }
        }
    }
    // Schemas no operation mentions, and what they mention, come with their own feature.
    let roots: Vec<Ty> = (0..api.types.len()).filter(|id| !used[*id]).map(|id| Ty::Named(TypeId(id))).collect();
    if !roots.is_empty() {
        let standalone = features.len();
        features.push(Feature {
            name: STANDALONE.to_owned(),
            doc: "Schemas of the document that no operation uses, and what they refer to.".to_owned(),
            kind: FeatureKind::Standalone,
        });
        for (id, _) in api.reachable(&roots).iter().enumerate().filter(|(_, r)| **r) {
            per_type[id].insert(standalone);
        }
    }
    for ((def, set), always) in api.types.iter_mut().zip(per_type).zip(always) {
        let every_tag = (0..tag_count).all(|f| set.contains(&f));
        let widely_used = set.len() > MAX_GATE_FEATURES;
        let gated = !(always || every_tag || widely_used);
        def.features = if gated { set.into_iter().map(FeatureId).collect() } else { Vec::new() };
    }
    api.features = features;
}

/// The group of a path in a document without tags: the path up to its first segment that names
/// something, past version and `api` segments and without a query or fragment written into the
/// path (`/v1/customers/{customer}/sources` -> `/v1/customers`, `/Tag#arn` -> `/Tag`); `None`
/// for a path of parameters and versions only (`/`, `/v2/{id}`, AWS's `/#X-Amz-Target=..`), whose
/// operations are always compiled.
pub fn path_group(path: &str) -> Option<String> {
    let mut prefix = String::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let (name, cut) = segment.split_once(['#', '?']).map_or((segment, false), |(name, _)| (name, true));
        if name.is_empty() || name.contains('{') {
            return None;
        }
        prefix.push('/');
        prefix.push_str(name);
        let version = name.strip_prefix(['v', 'V']).unwrap_or(name);
        let is_version = !version.is_empty() && version.chars().all(|c| c.is_ascii_digit() || c == '.');
        if !is_version && !name.eq_ignore_ascii_case("api") {
            return Some(prefix);
        }
        if cut {
            return None;
        }
    }
    None
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::ir::FeatureKind;
    use crate::lower::from_text;

    pub(crate) const DOC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [Pets]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
  /stores:
    get:
      operationId: listStores
      tags: [Stores, Shared Things]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Store"}
  /health:
    get:
      operationId: health
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Health"}
components:
  schemas:
    Owner: {type: object, properties: {name: {type: string}}}
    Pet: {type: object, properties: {owner: {$ref: "#/components/schemas/Owner"}}}
    Store: {type: object, properties: {owner: {$ref: "#/components/schemas/Owner"}, pet: {$ref: "#/components/schemas/Pet"}}}
    Health: {type: object, properties: {ok: {type: boolean}}}
    Event: {type: object, properties: {pet: {$ref: "#/components/schemas/Pet"}}}
"##;

    fn features_of(api: &crate::ir::Api, ty: &str) -> Vec<String> {
        let def = api.types.iter().find(|t| t.name == ty).expect("the type exists");
        def.features.iter().map(|f| api.features[f.0].name.clone()).collect()
    }

    #[test]
    fn tags_select_operations_and_the_types_they_reach() {
        let api = from_text(DOC, true);
        let names: Vec<&str> = api.features.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["tag-pets", "tag-shared-things", "tag-stores", "standalone-schemas"]);
        let kinds: Vec<FeatureKind> = api.features.iter().map(|f| f.kind).collect();
        assert_eq!(kinds, [FeatureKind::Tag, FeatureKind::Tag, FeatureKind::Tag, FeatureKind::Standalone]);
        let op = |id: &str| {
            let op = api.operations.iter().find(|o| o.id == id).expect("the operation exists");
            op.features.iter().map(|f| api.features[f.0].name.clone()).collect::<Vec<_>>()
        };
        assert_eq!(op("listPets"), ["tag-pets"]);
        assert_eq!(op("listStores"), ["tag-shared-things", "tag-stores"]);
        assert!(op("health").is_empty(), "untagged operations are always compiled");
        // Store needs the stores tags; Pet is reached by every tag, so it is always compiled,
        // and so is what an untagged operation uses.
        assert_eq!(features_of(&api, "Store"), ["tag-shared-things", "tag-stores"]);
        assert!(features_of(&api, "Pet").is_empty());
        assert!(features_of(&api, "Health").is_empty());
        assert_eq!(features_of(&api, "Event"), ["standalone-schemas"]);
    }

    #[test]
    fn a_type_most_features_need_is_not_gated() {
        // Ten tags use `Shared`, two use `Pair`, eight use `Wide`.
        let mut paths = String::new();
        for i in 0..12 {
            let schema = if i < 2 { "Pair" } else { "Shared" };
            paths.push_str(&format!(
                "  /p{i}:\n    get:\n      operationId: op{i}\n      tags: [t{i}]\n      responses:\n        \"200\":\n          \
                 description: ok\n          content:\n            application/json:\n              schema: {{$ref: \"#/components/schemas/{schema}\"}}\n"
            ));
        }
        paths.push_str("  /all:\n    get:\n      operationId: all\n      tags: [t2, t3, t4, t5, t6, t7, t8, t9]\n      responses:\n        \"200\":\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/Wide\"}\n");
        let doc = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: \"1\"}}\npaths:\n{paths}components:\n  schemas:\n    \
             Shared: {{type: object, properties: {{a: {{type: string}}}}}}\n    Pair: {{type: object, properties: {{b: {{type: string}}}}}}\n    \
             Wide: {{type: object, properties: {{c: {{type: string}}}}}}\n"
        );
        let api = from_text(&doc, true);
        assert_eq!(features_of(&api, "Pair"), ["tag-t0", "tag-t1"]);
        assert_eq!(features_of(&api, "Wide").len(), 8, "eight features are still listed");
        assert!(features_of(&api, "Shared").is_empty(), "more than eight: always compiled");
    }

    #[test]
    fn paths_group_by_their_first_named_segment() {
        for (path, group) in [
            ("/v1/customers/{customer}/sources", Some("/v1/customers")),
            ("/v1/customers", Some("/v1/customers")),
            ("/api/v2.1/pets/{id}", Some("/api/v2.1/pets")),
            ("/V3/API/Users", Some("/V3/API/Users")),
            ("/pets", Some("/pets")),
            ("/v", Some("/v")),
            ("/2fa/codes", Some("/2fa")),
            ("/ListTagsForResource#resourceArn", Some("/ListTagsForResource")),
            ("/combined_submissions?v=2", Some("/combined_submissions")),
            ("/#X-Amz-Target=Support.CreateCase", None),
            ("/v1?op=list", None),
            ("/", None),
            ("/v2/{id}", None),
            ("/{tenant}/pets", None),
        ] {
            assert_eq!(super::path_group(path).as_deref(), group, "{path}");
        }
    }

    #[test]
    fn a_document_without_tags_is_grouped_by_path() {
        // The tags of DOC gone (`health` had none): `/pets`, `/stores` and `/health` are groups.
        let doc: String =
            DOC.lines().filter(|l| !l.trim_start().starts_with("tags:")).map(|l| format!("{l}\n")).collect();
        let api = from_text(&doc, true);
        let names: Vec<&str> = api.features.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["path-health", "path-pets", "path-stores", "standalone-schemas"]);
        assert_eq!(api.features[0].kind, FeatureKind::PathGroup);
        assert_eq!(api.features[1].doc, "Operations under `/pets`.");
        assert_eq!(features_of(&api, "Store"), ["path-stores"]);
        // Pet is not needed by `/health`, so it is gated, and the standalone Event needs it too.
        assert_eq!(features_of(&api, "Pet"), ["path-pets", "path-stores", "standalone-schemas"]);
        assert_eq!(features_of(&api, "Health"), ["path-health"]);
        // One tag (or one path group) is no split at all.
        let one: String = DOC.replace("tags: [Stores, Shared Things]", "tags: [Pets]");
        let api = from_text(&one, true);
        assert_eq!(api.features.len(), 4, "one tag: grouped by path instead");
    }

    #[test]
    fn clashing_group_names_are_told_apart() {
        let mut doc = String::from("openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths:\n");
        for (i, path) in ["/v2/customers", "/v1/customers", "/v1/users", "/v1/Users"].iter().enumerate() {
            doc.push_str(&format!("  {path}:\n    get:\n      operationId: op{i}\n      responses:\n        \"204\": {{description: ok}}\n"));
        }
        let api = from_text(&doc, true);
        let names: Vec<&str> = api.features.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["path-v1-customers", "path-v1-users", "path-v1-users-2", "path-v2-customers"]);
        let docs: Vec<&str> = api.features.iter().map(|f| f.doc.as_str()).collect();
        assert_eq!(docs[1..3], ["Operations under `/v1/Users`.", "Operations under `/v1/users`."]);
        let op = api.operations.iter().find(|o| o.id == "op0").expect("the operation exists");
        let names: Vec<&str> = op.features.iter().map(|f| api.features[f.0].name.as_str()).collect();
        assert_eq!(names, ["path-v2-customers"]);
    }

    #[test]
    fn no_features_when_asked_not_to() {
        let api = from_text(DOC, false);
        assert!(api.features.is_empty());
        assert!(api.types.iter().all(|t| t.features.is_empty()));
    }
}
