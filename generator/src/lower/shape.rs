//! One flat view of an `openapiv3` schema, whichever `SchemaKind` it was parsed into, so the
//! lowering rules read every keyword the same way.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::ir::Constraints;

/// Properties of an object schema.
pub type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// Every keyword of a schema the lowering reads.
pub struct Shape<'a> {
    pub schema: &'a Schema,
    pub typ: Option<&'a str>,
    pub format: Option<String>,
    pub enumeration: Vec<Value>,
    pub properties: Option<&'a Properties>,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<&'a ReferenceOr<Box<Schema>>>,
    pub one_of: &'a [ReferenceOr<Schema>],
    pub any_of: &'a [ReferenceOr<Schema>],
    pub all_of: &'a [ReferenceOr<Schema>],
    pub constraints: Constraints,
}

fn format_name<T>(format: &VariantOrUnknownOrEmpty<T>, known: impl Fn(&T) -> &'static str) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(f) => Some(known(f).to_owned()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn f64_of(n: Option<i64>) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    n.map(|n| n as f64)
}

impl<'a> Shape<'a> {
    /// Flattens a schema.
    pub fn of(schema: &'a Schema) -> Self {
        let mut shape = Shape {
            schema,
            typ: None,
            format: None,
            enumeration: Vec::new(),
            properties: None,
            required: &[],
            additional: None,
            items: None,
            one_of: &[],
            any_of: &[],
            all_of: &[],
            constraints: Constraints::default(),
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                shape.typ = Some("string");
                shape.format = format_name(&s.format, |f| match f {
                    StringFormat::Date => "date",
                    StringFormat::DateTime => "date-time",
                    StringFormat::Password => "password",
                    StringFormat::Byte => "byte",
                    StringFormat::Binary => "binary",
                });
                shape.enumeration =
                    s.enumeration.iter().map(|v| v.clone().map_or(Value::Null, Value::String)).collect();
                shape.constraints.pattern.clone_from(&s.pattern);
                shape.constraints.min_length = s.min_length.map(|n| n as u64);
                shape.constraints.max_length = s.max_length.map(|n| n as u64);
            }
            SchemaKind::Type(Type::Number(n)) => {
                shape.typ = Some("number");
                shape.format = format_name(&n.format, |f| match f {
                    NumberFormat::Float => "float",
                    NumberFormat::Double => "double",
                });
                shape.enumeration = n
                    .enumeration
                    .iter()
                    .map(|v| v.and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number))
                    .collect();
                shape.constraints.minimum = n.minimum.map(|m| (m, n.exclusive_minimum));
                shape.constraints.maximum = n.maximum.map(|m| (m, n.exclusive_maximum));
            }
            SchemaKind::Type(Type::Integer(n)) => {
                shape.typ = Some("integer");
                shape.format = format_name(&n.format, |f| match f {
                    IntegerFormat::Int32 => "int32",
                    IntegerFormat::Int64 => "int64",
                });
                shape.enumeration = n.enumeration.iter().map(|v| v.map_or(Value::Null, Value::from)).collect();
                shape.constraints.minimum = f64_of(n.minimum).map(|m| (m, n.exclusive_minimum));
                shape.constraints.maximum = f64_of(n.maximum).map(|m| (m, n.exclusive_maximum));
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                shape.typ = Some("boolean");
                shape.enumeration = b.enumeration.iter().map(|v| v.map_or(Value::Null, Value::Bool)).collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                shape.typ = Some("object");
                shape.properties = Some(&o.properties);
                shape.required = &o.required;
                shape.additional = o.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(a)) => {
                shape.typ = Some("array");
                shape.items = a.items.as_ref();
                shape.constraints.min_items = a.min_items.map(|n| n as u64);
                shape.constraints.max_items = a.max_items.map(|n| n as u64);
            }
            SchemaKind::OneOf { one_of } => shape.one_of = one_of,
            SchemaKind::AnyOf { any_of } => shape.any_of = any_of,
            SchemaKind::AllOf { all_of } => shape.all_of = all_of,
            SchemaKind::Not { .. } => {}
            SchemaKind::Any(a) => {
                shape.typ = a.typ.as_deref();
                shape.format.clone_from(&a.format);
                shape.enumeration.clone_from(&a.enumeration);
                shape.properties = (!a.properties.is_empty()).then_some(&a.properties);
                shape.required = &a.required;
                shape.additional = a.additional_properties.as_ref();
                shape.items = a.items.as_ref();
                shape.one_of = &a.one_of;
                shape.any_of = &a.any_of;
                shape.all_of = &a.all_of;
                let c = &mut shape.constraints;
                c.pattern.clone_from(&a.pattern);
                c.min_length = a.min_length.map(|n| n as u64);
                c.max_length = a.max_length.map(|n| n as u64);
                c.minimum = a.minimum.map(|m| (m, a.exclusive_minimum.unwrap_or(false)));
                c.maximum = a.maximum.map(|m| (m, a.exclusive_maximum.unwrap_or(false)));
                c.min_items = a.min_items.map(|n| n as u64);
                c.max_items = a.max_items.map(|n| n as u64);
            }
        }
        if let Some(f) = &shape.format
            && matches!(f.as_str(), "email" | "uri" | "url" | "hostname" | "ipv4" | "ipv6" | "idn-email")
        {
            shape.constraints.format = Some(f.clone());
        }
        shape
    }

    /// Whether the schema says nothing about its values (`{}` or only annotations).
    pub fn is_empty(&self) -> bool {
        self.typ.is_none()
            && self.enumeration.is_empty()
            && self.properties.is_none()
            && self.additional.is_none()
            && self.items.is_none()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.all_of.is_empty()
    }
}
