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

/// The features that compile operations, as the manifest and the crate's docs name them.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationFeatures<'a> {
    /// The feature that turns them all on: `all-tags`, or `all-paths` in a document without tags.
    pub all: &'static str,
    /// What one of them compiles: `tag` or `path group`.
    pub noun: &'static str,
    /// How their names start: `tag-` or `path-`.
    pub prefix: &'static str,
    /// The features, in order.
    pub groups: Vec<&'a Feature>,
}

impl super::Api {
    /// The features that compile operations (tags, or path groups in a document without tags);
    /// `None` when the crate has none (every operation is always compiled).
    pub fn operation_features(&self) -> Option<OperationFeatures<'_>> {
        let groups: Vec<&Feature> = self.features.iter().filter(|f| f.kind != FeatureKind::Standalone).collect();
        if groups.is_empty() {
            return None;
        }
        let (all, noun, prefix) = if groups.iter().all(|f| f.kind == FeatureKind::PathGroup) {
            ("all-paths", "path group", "path-")
        } else {
            ("all-tags", "tag", "tag-")
        };
        Some(OperationFeatures { all, noun, prefix, groups })
    }
}
