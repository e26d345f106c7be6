//! Lines of configuration keys, from toml's spanned parse of the file.

use toml::de::{DeTable, DeValue};

use super::{KeyPart, KeyPath};

/// The 1-based line of byte `offset` in `text`.
pub(super) fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|b| **b == b'\n').count() + 1
}

/// The line of the deepest part of `key` that the file writes (the key itself, an array item, or
/// the table holding it when the key is not written there).
pub(super) fn line_of_key(text: &str, key: &KeyPath) -> Option<usize> {
    let root = DeTable::parse(text).ok()?;
    let mut at: Option<usize> = None;
    let mut table = Some(root.get_ref());
    let mut array = None;
    for part in &key.0 {
        let value = match part {
            KeyPart::Key(k) => {
                let Some((name, value)) = table.and_then(|t| t.iter().find(|(name, _)| name.get_ref().as_ref() == k))
                else {
                    break;
                };
                at = Some(name.span().start);
                value
            }
            KeyPart::Index(i) => {
                let Some(value) = array.and_then(|items: &toml::de::DeArray<'_>| items.get(*i)) else {
                    break;
                };
                at = Some(value.span().start);
                value
            }
        };
        (table, array) = match value.get_ref() {
            DeValue::Table(t) => (Some(t), None),
            DeValue::Array(a) => (None, Some(a)),
            _ => (None, None),
        };
    }
    at.map(|offset| line_at(text, offset))
}
