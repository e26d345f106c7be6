//! Whether a property must be present and whether it may be `null`.

/// Whether a property must be present (listed in `required`) and whether it may be `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Always present, never `null`.
    Required,
    /// May be absent, never `null` when present.
    Optional,
    /// Always present, but may be `null`.
    Nullable,
    /// May be absent or `null`.
    OptionalNullable,
}

impl Presence {
    /// The presence of a property from `required` and `nullable`.
    pub fn of(required: bool, nullable: bool) -> Self {
        match (required, nullable) {
            (true, false) => Self::Required,
            (false, false) => Self::Optional,
            (true, true) => Self::Nullable,
            (false, true) => Self::OptionalNullable,
        }
    }

    /// Listed in `required`.
    pub fn is_required(self) -> bool {
        matches!(self, Self::Required | Self::Nullable)
    }

    /// May be `null`.
    pub fn is_nullable(self) -> bool {
        matches!(self, Self::Nullable | Self::OptionalNullable)
    }

    /// The same presence with `null` read as a value, for types that hold `null` themselves (a
    /// JSON value, the unit type).
    pub fn null_as_value(self) -> Self {
        Self::of(self.is_required(), false)
    }
}
