//! The hand-written types `spec/edge/configured.toml` puts in place of generated ones: what a
//! project's own `User` or money type looks like to oagen.

use std::fmt;

/// Replaces the schema `Owner` (`[replace]`): the project's own type, with a method of its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, serde::Serialize, serde::Deserialize)]
pub struct Owner {
    /// The owner's number.
    pub id: i64,
    /// Where to write to them.
    pub email: String,
}

impl Owner {
    /// The part of the address before the `@`.
    pub fn mailbox(&self) -> &str {
        self.email.split('@').next().unwrap_or_default()
    }
}

/// Every `format: decimal` string (`[formats]`): an amount in hundredths, written as `"12.34"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Decimal {
    /// Hundredths.
    pub cents: i64,
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.cents < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{:02}", self.cents.abs() / 100, self.cents.abs() % 100)
    }
}

impl serde::Serialize for Decimal {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Decimal {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let invalid = || serde::de::Error::custom(format!("`{text}` is not a decimal with two places"));
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.as_str()),
        };
        let (whole, part) = digits.split_once('.').ok_or_else(invalid)?;
        if part.len() != 2 || whole.is_empty() {
            return Err(invalid());
        }
        let whole: i64 = whole.parse().map_err(|_| invalid())?;
        let part: i64 = part.parse().map_err(|_| invalid())?;
        let cents = whole.checked_mul(100).and_then(|w| w.checked_add(part)).ok_or_else(invalid)?;
        Ok(Self { cents: if negative { -cents } else { cents } })
    }
}
