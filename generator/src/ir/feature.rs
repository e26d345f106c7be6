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
