//! The cargo features of a generated crate, which compile operations by tag or path group.

/// A cargo feature of a generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature's name (`tag-repos`).
    pub name: String,
    /// What it selects, for the manifest's comment.
    pub doc: String,
    /// What kind of group it compiles.
    pub kind: FeatureKind,
}

/// What a [`Feature`] compiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureKind {
    /// The operations of a tag (`tag-*`).
    Tag,
    /// The operations under a group of paths, in a document without tags (`path-*`).
    PathGroup,
    /// The schemas no operation uses, and what they refer to (`standalone-schemas`); off by
    /// default.
    Standalone,
}

/// Index into [`Api::features`](super::Api::features).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FeatureId(pub usize);

impl super::Api {
    /// The features that compile operations (tags, or path groups in a document without tags),
    /// and the one that names them all (`all-tags` or `all-paths`); `None` when the crate has no
    /// such features (every operation is always compiled).
    pub fn operation_features(&self) -> Option<(&'static str, Vec<&Feature>)> {
        let groups: Vec<&Feature> = self.features.iter().filter(|f| f.kind != FeatureKind::Standalone).collect();
        if groups.is_empty() {
            return None;
        }
        let all = if groups.iter().all(|f| f.kind == FeatureKind::PathGroup) { "all-paths" } else { "all-tags" };
        Some((all, groups))
    }
}
