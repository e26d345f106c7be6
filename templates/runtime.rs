// Runtime support shared by every generated module: copied verbatim by oagen from
// templates/runtime.rs, and compiled as part of oagen's own tests.

/// Reads an optional, nullable field so that an absent field (`None`), an explicit `null`
/// (`Some(None)`) and a value (`Some(Some(v))`) stay apart; used with
/// `#[serde(default, skip_serializing_if = "Option::is_none", with = "...")]`.
pub mod double_option {
    /// Writes `Some(None)` as `null` and `Some(Some(v))` as `v` (`None` is skipped by the field).
    pub fn serialize<T, S>(
        value: &::std::option::Option<::std::option::Option<T>>,
        serializer: S,
    ) -> ::std::result::Result<S::Ok, S::Error>
    where
        T: ::serde::Serialize,
        S: ::serde::Serializer,
    {
        match value {
            ::std::option::Option::Some(inner) => ::serde::Serialize::serialize(inner, serializer),
            ::std::option::Option::None => serializer.serialize_none(),
        }
    }

    /// A present field is `Some`: `null` becomes `Some(None)`.
    pub fn deserialize<'de, T, D>(
        deserializer: D,
    ) -> ::std::result::Result<::std::option::Option<::std::option::Option<T>>, D::Error>
    where
        T: ::serde::Deserialize<'de>,
        D: ::serde::Deserializer<'de>,
    {
        <::std::option::Option<T> as ::serde::Deserialize>::deserialize(deserializer)
            .map(::std::option::Option::Some)
    }
}

/// Reads a present field as `Some`, even when its value is JSON `null` (for `serde_json::Value`
/// fields, where `null` is a value of its own).
pub fn present<'de, T, D>(deserializer: D) -> ::std::result::Result<::std::option::Option<T>, D::Error>
where
    T: ::serde::Deserialize<'de>,
    D: ::serde::Deserializer<'de>,
{
    T::deserialize(deserializer).map(::std::option::Option::Some)
}

/// The empty string, and nothing else.
struct Blank;

impl<'de> ::serde::Deserialize<'de> for Blank {
    fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
    where
        D: ::serde::Deserializer<'de>,
    {
        let text = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
        if text.is_empty() {
            ::std::result::Result::Ok(Blank)
        } else {
            ::std::result::Result::Err(<D::Error as ::serde::de::Error>::invalid_value(
                ::serde::de::Unexpected::Str(&text),
                &"an empty string",
            ))
        }
    }
}

/// `""` or a value; `""` is tried first because open enums accept any string.
#[derive(::serde::Deserialize)]
#[serde(untagged)]
enum BlankOr<T> {
    Blank(#[allow(dead_code)] Blank),
    Value(T),
}

impl<T> BlankOr<T> {
    fn into_option(self) -> ::std::option::Option<T> {
        match self {
            BlankOr::Blank(_) => ::std::option::Option::None,
            BlankOr::Value(v) => ::std::option::Option::Some(v),
        }
    }
}

/// For a nullable choice that may also be blank (`oneOf: [XEnum, BlankEnum, NullEnum]`): reads
/// `""` and `null` both as `None`. `None` is written as `null`.
pub fn blank_as_none<'de, T, D>(deserializer: D) -> ::std::result::Result<::std::option::Option<T>, D::Error>
where
    T: ::serde::Deserialize<'de>,
    D: ::serde::Deserializer<'de>,
{
    <::std::option::Option<BlankOr<T>> as ::serde::Deserialize>::deserialize(deserializer)
        .map(|v| v.and_then(BlankOr::into_option))
}

/// Like [`double_option`], for an optional field that may also be blank: absent is `None`, and
/// `""` and `null` are both `Some(None)`, written back as `null`.
pub mod blank_double_option {
    pub use super::double_option::serialize;

    /// A present field is `Some`: `""` and `null` become `Some(None)`.
    pub fn deserialize<'de, T, D>(
        deserializer: D,
    ) -> ::std::result::Result<::std::option::Option<::std::option::Option<T>>, D::Error>
    where
        T: ::serde::Deserialize<'de>,
        D: ::serde::Deserializer<'de>,
    {
        super::blank_as_none(deserializer).map(::std::option::Option::Some)
    }
}

/// Which of a struct's fields a JSON key names: the field's wire name, or `None` for a key the
/// struct does not have. Every struct's `Deserialize` shares this, so none needs an identifier
/// type and visitor of its own.
pub struct FieldName(pub &'static [&'static str]);

impl<'de> ::serde::de::DeserializeSeed<'de> for FieldName {
    type Value = ::std::option::Option<&'static str>;

    fn deserialize<D>(self, deserializer: D) -> ::std::result::Result<Self::Value, D::Error>
    where
        D: ::serde::Deserializer<'de>,
    {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> ::serde::de::Visitor<'de> for FieldName {
    type Value = ::std::option::Option<&'static str>;

    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E>(self, key: &str) -> ::std::result::Result<Self::Value, E> {
        ::std::result::Result::Ok(self.0.iter().copied().find(|name| *name == key))
    }

    fn visit_bytes<E>(self, key: &[u8]) -> ::std::result::Result<Self::Value, E> {
        ::std::result::Result::Ok(self.0.iter().copied().find(|name| name.as_bytes() == key))
    }
}

/// Reads the value of a field into its slot; a field met twice is an error, as serde's derive
/// has it.
pub fn read<'de, M, T>(map: &mut M, slot: &mut ::std::option::Option<T>, name: &'static str) -> ::std::result::Result<(), M::Error>
where
    M: ::serde::de::MapAccess<'de>,
    T: ::serde::Deserialize<'de>,
{
    if slot.is_some() {
        return ::std::result::Result::Err(<M::Error as ::serde::de::Error>::duplicate_field(name));
    }
    *slot = ::std::option::Option::Some(map.next_value()?);
    ::std::result::Result::Ok(())
}

/// Reads a field that may be blank or `null` (see [`blank_as_none`]) into its slot.
pub fn read_blank<'de, M, T>(
    map: &mut M,
    slot: &mut ::std::option::Option<::std::option::Option<T>>,
    name: &'static str,
) -> ::std::result::Result<(), M::Error>
where
    M: ::serde::de::MapAccess<'de>,
    T: ::serde::Deserialize<'de>,
{
    let mut blank = slot.take().map(BlankAsNone);
    let outcome = read(map, &mut blank, name);
    *slot = blank.map(|b| b.0);
    outcome
}

/// [`blank_as_none`] as a type, for reading one map value.
struct BlankAsNone<T>(::std::option::Option<T>);

impl<'de, T: ::serde::Deserialize<'de>> ::serde::Deserialize<'de> for BlankAsNone<T> {
    fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
    where
        D: ::serde::Deserializer<'de>,
    {
        blank_as_none(deserializer).map(BlankAsNone)
    }
}

/// A required field's value, or the error serde's derive gives when it is missing.
pub fn required<T, E: ::serde::de::Error>(slot: ::std::option::Option<T>, name: &'static str) -> ::std::result::Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// A field read as `Option<T>` whose absence and `null` are both `None` (a required nullable
/// field, or an optional one that is not nullable); a `null` still counts as given, so a second
/// value after it is a duplicate.
pub fn flatten<T, E>(slot: ::std::option::Option<::std::option::Option<T>>, _: &'static str) -> ::std::result::Result<::std::option::Option<T>, E> {
    ::std::result::Result::Ok(slot.flatten())
}

/// An optional field: absent is `None`.
pub fn optional<T, E>(slot: ::std::option::Option<T>, _: &'static str) -> ::std::result::Result<::std::option::Option<T>, E> {
    ::std::result::Result::Ok(slot)
}

/// `Deserialize` for a struct without flattened properties, from a JSON object: the results
/// and errors of serde's derive (missing and duplicate fields, unknown keys skipped, `null` for
/// an optional field), with a fraction of the code to compile, since looking up a key and
/// reading a value are the shared functions above. Each field is listed as
/// `field: "wire name" => reader finish`: a reader of this module reads a value into the
/// field's slot (a local named like the field), and a finisher turns the slot into the field.
#[allow(unused_macros)] // a document without such structs leaves it unused
macro_rules! struct_deserialize {
    ($name:ident { $($field:ident: $wire:literal => $read:ident $finish:ident),* $(,)? }) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                const FIELDS: &[&str] = &[$($wire),*];
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }

                    fn visit_map<__M: ::serde::de::MapAccess<'de>>(self, mut map: __M) -> ::std::result::Result<$name, __M::Error> {
                        $(let mut $field = ::std::option::Option::None;)*
                        while let ::std::option::Option::Some(key) = map.next_key_seed(super::runtime::FieldName(FIELDS))? {
                            match key {
                                $(::std::option::Option::Some($wire) => super::runtime::$read(&mut map, &mut $field, $wire)?,)*
                                _ => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        ::std::result::Result::Ok($name { $($field: super::runtime::$finish($field, $wire)?),* })
                    }
                }
                deserializer.deserialize_struct(stringify!($name), FIELDS, __Visitor)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use struct_deserialize;

/// Bytes sent as a base64 string (`format: byte`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Base64(pub ::std::vec::Vec<u8>);

impl ::serde::Serialize for Base64 {
    fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
    where
        S: ::serde::Serializer,
    {
        use ::base64::Engine as _;
        serializer.serialize_str(&::base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> ::serde::Deserialize<'de> for Base64 {
    fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
    where
        D: ::serde::Deserializer<'de>,
    {
        use ::base64::Engine as _;
        let text = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
        // Standard alphabet first, then URL-safe: documents rarely say which one they mean.
        ::base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .or_else(|_| ::base64::engine::general_purpose::URL_SAFE.decode(text.as_bytes()))
            .or_else(|_| ::base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text.as_bytes()))
            .map(Base64)
            .map_err(<D::Error as ::serde::de::Error>::custom)
    }
}

/// Raw bytes (`format: binary`): a file in a multipart or octet-stream body. Inside JSON it is
/// written as a string (lossy when the bytes are not UTF-8) and read from a string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Binary(pub ::std::vec::Vec<u8>);

impl ::serde::Serialize for Binary {
    fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
    where
        S: ::serde::Serializer,
    {
        serializer.serialize_str(&::std::string::String::from_utf8_lossy(&self.0))
    }
}

impl<'de> ::serde::Deserialize<'de> for Binary {
    fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
    where
        D: ::serde::Deserializer<'de>,
    {
        let text = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
        ::std::result::Result::Ok(Binary(text.into_bytes()))
    }
}

/// `Display`, `Serialize` and `Deserialize` of a generated open string enum, through its
/// `as_str` and `From<&str>` (so every value, listed or not, round-trips).
#[allow(unused_macros)] // a document without such enums leaves it unused
macro_rules! string_enum_impls {
    ($name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_str()))
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum_impls;

/// `Display`, `Serialize` and `Deserialize` of a generated open integer enum, through its
/// `value` and `From<i64>`.
#[allow(unused_macros)] // a document without such enums leaves it unused
macro_rules! integer_enum_impls {
    ($name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <i64 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use integer_enum_impls;

/// How one security scheme of the document is sent by the client and found by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth2, OpenID Connect).
    Bearer,
    /// `Authorization: Basic <user:password>`.
    Basic,
    /// An API key in the named header.
    ApiKeyHeader(&'static str),
    /// An API key in the named query parameter.
    ApiKeyQuery(&'static str),
    /// An API key in the named cookie.
    ApiKeyCookie(&'static str),
}

/// Which operation of the document a request is for, as the client's hooks and the server's
/// layers see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    /// The operationId (or the name oagen made when the document gives none).
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template as the document writes it (`/api/roles/{id}/`).
    pub path: &'static str,
    /// The operation's tags.
    pub tags: &'static [&'static str],
}
