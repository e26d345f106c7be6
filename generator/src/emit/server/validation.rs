//! Validation schemas: the runtime's `Schema` values for model types, fields and parameters.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::super::{gate, ident};
use crate::ir::{Api, Constraints, EnumRepr, EnumValue, Field, Param, ParamStyle, Ty, TypeDef, TypeKind};

fn opt_f64(v: Option<(f64, bool)>) -> TokenStream {
    match v {
        Some((n, exclusive)) => {
            let n = Literal::f64_unsuffixed(n);
            quote!(::std::option::Option::Some((#n, #exclusive)))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => {
            let n = Literal::u64_unsuffixed(n);
            quote!(::std::option::Option::Some(#n))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn opt_str(v: Option<&str>) -> TokenStream {
    match v {
        Some(s) => quote!(::std::option::Option::Some(#s)),
        None => quote!(::std::option::Option::None),
    }
}

/// Paths to the runtime's `Schema` and to the module of named schemas, from where code is
/// emitted.
pub(super) struct Paths {
    schema: TokenStream,
    schemas: TokenStream,
}

impl Paths {
    /// From inside `server::schemas`, which imports `Schema`.
    pub(super) fn in_schemas() -> Self {
        Self { schema: quote!(Schema), schemas: quote!(self) }
    }

    /// From `server`.
    pub(super) fn in_server() -> Self {
        let rt = super::rt();
        Self { schema: quote!(#rt::Schema), schemas: quote!(schemas) }
    }
}

/// A `&'static Schema` expression for a type with a field's or parameter's constraints. Inside
/// `server::schemas`, `Schema` and `Field` are imported (they live in the type namespace, the
/// statics in the value namespace, so no schema name can clash with them).
pub(super) fn schema_of(api: &Api, t: &Ty, c: &Constraints, paths: &Paths) -> TokenStream {
    let schema = &paths.schema;
    let schemas = &paths.schemas;
    let unconstrained = c.min_length.is_none() && c.max_length.is_none() && c.pattern.is_none();
    let string = |format: Option<&str>| {
        let format = format.or(c.format.as_deref());
        // The runtime's constants name the common cases; anything else is a struct literal of
        // constants, which promotes to 'static anywhere (a const fn call would not, in a handler).
        let constant = match format {
            None => Some(quote!(STRING)),
            Some("uuid") => Some(quote!(UUID)),
            Some("date-time") => Some(quote!(DATE_TIME)),
            Some("date") => Some(quote!(DATE)),
            Some("byte") => Some(quote!(BYTE)),
            Some(_) => None,
        };
        match constant {
            Some(constant) if unconstrained => quote!(&#schema::#constant),
            _ => {
                let min = opt_u64(c.min_length);
                let max = opt_u64(c.max_length);
                let pattern = opt_str(c.pattern.as_deref());
                let format = opt_str(format);
                quote!(&#schema::String { min_length: #min, max_length: #max, pattern: #pattern, format: #format })
            }
        }
    };
    match t {
        Ty::Named(id) => {
            let name = ident(&api.ty(*id).name);
            quote!(&#schemas::#name)
        }
        Ty::String => string(None),
        Ty::Uuid => string(Some("uuid")),
        Ty::DateTime => string(Some("date-time")),
        Ty::Date => string(Some("date")),
        Ty::Base64 => string(Some("byte")),
        Ty::Bool => quote!(&#schema::Boolean),
        Ty::I64 if c.minimum.is_none() && c.maximum.is_none() => quote!(&#schema::INTEGER),
        // An `i32` cannot hold what lies beyond its range: those are bounds like the document's.
        Ty::I32 => {
            let (low, high) = (f64::from(i32::MIN), f64::from(i32::MAX));
            let min = c.minimum.filter(|(m, _)| *m >= low).unwrap_or((low, false));
            let max = c.maximum.filter(|(m, _)| *m <= high).unwrap_or((high, false));
            let (min, max) = (opt_f64(Some(min)), opt_f64(Some(max)));
            quote!(&#schema::Integer { minimum: #min, maximum: #max })
        }
        Ty::F32 | Ty::F64 if c.minimum.is_none() && c.maximum.is_none() => quote!(&#schema::NUMBER),
        Ty::I64 => {
            let (min, max) = (opt_f64(c.minimum), opt_f64(c.maximum));
            quote!(&#schema::Integer { minimum: #min, maximum: #max })
        }
        Ty::F32 | Ty::F64 => {
            let (min, max) = (opt_f64(c.minimum), opt_f64(c.maximum));
            quote!(&#schema::Number { minimum: #min, maximum: #max })
        }
        Ty::Binary | Ty::Any => quote!(&#schema::Any),
        // Checked as what it is on the wire (its own Deserialize checks the rest).
        Ty::External(_, wire) => schema_of(api, wire, c, paths),
        Ty::Unit => quote!(&#schema::Null),
        Ty::Vec(inner) => {
            let items = schema_of(api, inner, &Constraints::default(), paths);
            let (min, max) = (opt_u64(c.min_items), opt_u64(c.max_items));
            quote!(&#schema::Array { items: #items, min_items: #min, max_items: #max })
        }
        Ty::Map(inner) => {
            let values = schema_of(api, inner, &Constraints::default(), paths);
            quote!(&#schema::Map(#values))
        }
    }
}

fn field_schema(api: &Api, f: &Field, paths: &Paths) -> TokenStream {
    let schema = &paths.schema;
    let base = schema_of(api, &f.ty, &f.constraints, paths);
    if f.blank_is_null {
        quote!(&#schema::NullableOrBlank(#base))
    } else if f.presence.is_nullable() {
        quote!(&#schema::Nullable(#base))
    } else {
        base
    }
}

/// One model's validation schema.
pub(super) fn schema_static(api: &Api, def: &TypeDef) -> TokenStream {
    let here = Paths::in_schemas();
    let name = ident(&def.name);
    let value = match &def.kind {
        TypeKind::Struct(s) => {
            let fields = s.fields.iter().map(|f| {
                let wire = &f.wire_name;
                let required = f.presence.is_required();
                let schema = field_schema(api, f, &here);
                quote!(Field { name: #wire, required: #required, schema: #schema })
            });
            let additional = match &s.additional {
                Some(t) => {
                    let t = schema_of(api, t, &Constraints::default(), &here);
                    quote!(::std::option::Option::Some(#t))
                }
                None => quote!(::std::option::Option::None),
            };
            quote!(Schema::Object { fields: &[#(#fields),*], additional: #additional })
        }
        TypeKind::Enum(e) => match e.repr {
            EnumRepr::String => {
                let values = e.variants.iter().filter_map(|v| match &v.value {
                    EnumValue::Str(s) => Some(s.clone()),
                    EnumValue::Int(_) => None,
                });
                quote!(Schema::StringEnum(&[#(#values),*]))
            }
            EnumRepr::Integer => {
                let values = e.variants.iter().filter_map(|v| match &v.value {
                    EnumValue::Int(i) => Some(Literal::i64_unsuffixed(*i)),
                    EnumValue::Str(_) => None,
                });
                quote!(Schema::IntegerEnum(&[#(#values),*]))
            }
        },
        TypeKind::Union(u) => {
            let options = u.variants.iter().map(|v| schema_of(api, &v.ty, &Constraints::default(), &here));
            quote!(Schema::OneOf(&[#(#options),*]))
        }
        TypeKind::Alias(t) => {
            let s = schema_of(api, t, &Constraints::default(), &here);
            quote!(Schema::Ref(#s))
        }
        TypeKind::NullableAlias(t) => {
            let s = schema_of(api, t, &Constraints::default(), &here);
            quote!(Schema::Nullable(#s))
        }
    };
    let gate = gate(api, &def.features);
    quote!(#gate pub static #name: Schema = #value;)
}

pub(super) fn param_schema(api: &Api, p: &Param) -> TokenStream {
    let rt = super::rt();
    let schema = schema_of(api, &p.ty, &p.constraints, &Paths::in_server());
    let wire = &p.wire_name;
    let required = p.required;
    let deep = p.style == ParamStyle::DeepObject;
    let required = required.then(|| quote!(.required()));
    let deep = deep.then(|| quote!(.deep_object()));
    let delimited = match p.style {
        ParamStyle::SpaceDelimited => Some(quote!(.delimited(' '))),
        ParamStyle::PipeDelimited => Some(quote!(.delimited('|'))),
        _ => None,
    };
    quote!(#rt::Param::new(#wire, #schema)#required #deep #delimited)
}
