//! The owned, ordered intermediate representation: what the emitters need and nothing of
//! `openapiv3`. Every name here is already a sanitized, unique Rust identifier (`name`) kept
//! beside the spelling the document uses on the wire (`wire_name`).

use serde_json::Value;

mod feature;

pub use feature::{Feature, FeatureId, FeatureKind, OperationFeatures};

mod http;
mod outcome;
mod pagination;
mod presence;

pub use http::{HttpMethod, PathPart, PathTemplate};
pub use outcome::{Outcome, Side, is_success};
pub use pagination::{PageField, Pagination, PaginationKind};
pub use presence::Presence;

/// A whole API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// Server URLs, first is the default.
    pub servers: Vec<String>,
    /// Every named type, components first (by name), then inline types in the order met;
    /// [`TypeId`] indexes this.
    pub types: Vec<TypeDef>,
    /// Every operation, ordered by path then method.
    pub operations: Vec<Operation>,
    /// The document's security schemes, ordered by name.
    pub security_schemes: Vec<SecurityScheme>,
    /// Cargo features that select operations by tag or by path group, and the schemas no
    /// operation uses (empty when not asked for, or when the document has fewer than two groups);
    /// [`FeatureId`] indexes this.
    pub features: Vec<Feature>,
    /// Dependencies of the generated crate beyond oagen's own, for replaced types and derives:
    /// package name and the value Cargo.toml gives it.
    pub dependencies: std::collections::BTreeMap<String, String>,
    /// The routes the server may serve of its own (the document, its reference page): those
    /// the document's operations leave free.
    pub own_routes: OwnRoutes,
}

/// Which of the server's own routes the document leaves free: each is `false` where an operation
/// of the document has that path, which stays the document's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnRoutes {
    /// `GET /openapi.json`.
    pub document_json: bool,
    /// `GET /openapi.yaml`.
    pub document_yaml: bool,
    /// `/docs` and the reference page's assets under `/docs/`.
    pub docs: bool,
}

impl OwnRoutes {
    /// The routes free among `paths`, the document's path templates.
    pub fn free_among<'a>(paths: impl IntoIterator<Item = &'a str> + Clone) -> Self {
        let taken = |wanted: &dyn Fn(&str) -> bool| paths.clone().into_iter().any(wanted);
        Self {
            document_json: !taken(&|p| p == "/openapi.json"),
            document_yaml: !taken(&|p| p == "/openapi.yaml"),
            docs: !taken(&|p| p == "/docs" || p.starts_with("/docs/")),
        }
    }
}

impl Api {
    /// The type a [`TypeId`] names.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// Every named type the given type expressions mention, directly or through fields, items,
    /// map values, union variants and aliases, as a set indexed by [`TypeId`].
    pub fn reachable<'a>(&self, roots: impl IntoIterator<Item = &'a Ty>) -> Vec<bool> {
        let mut seen = vec![false; self.types.len()];
        let mut stack: Vec<&Ty> = roots.into_iter().collect();
        while let Some(t) = stack.pop() {
            match t {
                Ty::Named(id) => {
                    if std::mem::replace(&mut seen[id.0], true) {
                        continue;
                    }
                    match &self.ty(*id).kind {
                        TypeKind::Struct(s) => {
                            stack.extend(s.fields.iter().map(|f| &f.ty));
                            stack.extend(s.additional.iter());
                        }
                        TypeKind::Union(u) => stack.extend(u.variants.iter().map(|v| &v.ty)),
                        TypeKind::Alias(t) | TypeKind::NullableAlias(t) => stack.push(t),
                        TypeKind::Enum(_) => {}
                    }
                }
                Ty::Vec(inner) | Ty::Map(inner) => stack.push(inner),
                _ => {}
            }
        }
        seen
    }
}

impl Operation {
    /// The type expressions of the operation's parameters and request bodies.
    pub fn request_types(&self) -> impl Iterator<Item = &Ty> {
        let params = self.params.iter().map(|p| &p.ty);
        let bodies = self.body.iter().flat_map(|b| b.contents.iter().filter_map(|c| c.ty.as_ref()));
        params.chain(bodies)
    }

    /// Every type expression the operation mentions: parameters, bodies, responses and their
    /// headers.
    pub fn types(&self) -> impl Iterator<Item = &Ty> {
        let responses = self
            .responses
            .iter()
            .flat_map(|r| r.contents.iter().filter_map(|c| c.ty.as_ref()).chain(r.headers.iter().map(|h| &h.ty)));
        let paging = self.pagination.iter().map(|p| &p.item);
        self.request_types().chain(responses).chain(paging)
    }
}

/// Index into [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// Documentation carried to rustdoc.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    /// `title` or `summary`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Whether the item is deprecated.
    pub deprecated: bool,
}

/// Which side of the wire a type is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum View {
    /// All properties (a schema not split, or not used by any operation).
    Both,
    /// Sent by clients: no readOnly properties.
    Request,
    /// Sent by servers: no writeOnly properties.
    Response,
}

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust identifier, unique in the models module.
    pub name: String,
    /// The component it comes from (`#/components/schemas/<wire_name>`), if any.
    pub wire_name: Option<String>,
    /// Where the schema sits in the document.
    pub pointer: String,
    /// The view it was lowered for.
    pub view: View,
    /// Rustdoc.
    pub docs: Docs,
    /// The shape.
    pub kind: TypeKind,
    /// The features any of which compiles this type; empty means always.
    pub features: Vec<FeatureId>,
    /// Derives beyond the ones the emitter writes for the kind (configured), as Rust paths.
    pub derives: Vec<String>,
    /// Outer attributes (configured), each one `#[...]`.
    pub attributes: Vec<String>,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A closed list of string or integer values, open to unknown ones.
    Enum(Enum),
    /// oneOf / anyOf.
    Union(Union),
    /// A name for another type (`pub type X = Vec<Y>;`).
    Alias(Ty),
    /// A name for a type that may be `null` (`pub type X = Option<Y>;`), used for nullable array
    /// items and map values.
    NullableAlias(Ty),
}

/// An object.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Properties, ordered by wire name.
    pub fields: Vec<Field>,
    /// `additionalProperties` value type, when the object has properties too and allows more.
    pub additional: Option<Ty>,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The property name on the wire.
    pub wire_name: String,
    /// The Rust field name.
    pub name: String,
    /// The value type (without the `Option`s that `presence` adds).
    pub ty: Ty,
    /// Whether the property must be present and whether it may be `null`.
    pub presence: Presence,
    /// The value is `Box`ed to break a cycle of types.
    pub boxed: bool,
    /// An empty string is accepted and read as `null` (the `oneOf [X, BlankEnum, NullEnum]`
    /// pattern).
    pub blank_is_null: bool,
    /// readOnly (only in [`View::Both`] types; the views drop them).
    pub read_only: bool,
    /// writeOnly (likewise).
    pub write_only: bool,
    /// `default`.
    pub default: Option<Value>,
    /// Validation constraints.
    pub constraints: Constraints,
    /// Rustdoc.
    pub docs: Docs,
}

/// Validation keywords of a schema, kept for server-side validation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern`.
    pub pattern: Option<String>,
    /// `minimum` (and whether it is exclusive).
    pub minimum: Option<(f64, bool)>,
    /// `maximum` (and whether it is exclusive).
    pub maximum: Option<(f64, bool)>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `format` when it is one checked by value but not by type (`email`, `uri`, ...).
    pub format: Option<String>,
}

/// A string or integer enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// The wire type of the values.
    pub repr: EnumRepr,
    /// The known values, in document order.
    pub variants: Vec<Variant>,
    /// The name of the catch-all variant that keeps values the document does not list.
    pub unknown: String,
}

/// The wire type of an enum's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    /// JSON strings.
    String,
    /// JSON integers.
    Integer,
}

/// One known enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Rust variant name.
    pub name: String,
    /// The value on the wire.
    pub value: EnumValue,
    /// The label (drf-spectacular's ``* `8` - administrator``), if the document gives one.
    pub label: Option<String>,
}

/// An enum value on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumValue {
    /// A string value.
    Str(String),
    /// An integer value.
    Int(i64),
}

/// oneOf / anyOf.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// The alternatives, in document order.
    pub variants: Vec<UnionVariant>,
    /// The discriminating property, when the document names one.
    pub discriminator: Option<String>,
    /// With a discriminator: the variant that keeps an object with an unlisted tag.
    pub unknown: Option<String>,
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// Rust variant name.
    pub name: String,
    /// The alternative's type.
    pub ty: Ty,
    /// Boxed to break a cycle.
    pub boxed: bool,
    /// Discriminator values that select this alternative.
    pub tags: Vec<String>,
}

/// A type expression.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ty {
    /// A named type.
    Named(TypeId),
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `uuid::Uuid`.
    Uuid,
    /// A date-time with offset (RFC 3339).
    DateTime,
    /// A calendar date.
    Date,
    /// Base64-encoded bytes (`format: byte`).
    Base64,
    /// Raw bytes (`format: binary`).
    Binary,
    /// Any JSON value.
    Any,
    /// JSON `null` only.
    Unit,
    /// An array.
    Vec(Box<Ty>),
    /// An object used as a map from string keys.
    Map(Box<Ty>),
    /// A Rust type the document or the configuration names instead of a generated one
    /// (`x-rust-type`, a replacement, a format's type), as a path, with what it is on the wire
    /// (the format's own type, or [`Ty::Any`] for a replaced schema), which server validation
    /// and parameter reading follow.
    External(String, Box<Ty>),
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The operationId as written, or synthesized from method and path.
    pub id: String,
    /// Rust method name (snake_case, unique).
    pub name: String,
    /// HTTP method.
    pub method: HttpMethod,
    /// The path template as documented (`/api/roles/{id}/`).
    pub path: String,
    /// The path template parsed: every placeholder names a path parameter of `params`, and every
    /// path parameter has exactly one placeholder, with literal text between any two placeholders.
    pub template: PathTemplate,
    /// Where the operation sits in the document.
    pub pointer: String,
    /// Parameters of every location, path-level ones merged in, ordered as documented.
    pub params: Vec<Param>,
    /// The request body.
    pub body: Option<RequestBody>,
    /// Responses, ordered by status (`default` last).
    pub responses: Vec<Response>,
    /// Alternatives: any one requirement satisfied is enough. Empty means no authentication.
    pub security: Vec<SecurityRequirement>,
    /// Tags.
    pub tags: Vec<String>,
    /// Summary, description and deprecation.
    pub docs: Docs,
    /// Name of the struct holding the query parameters, when there are any.
    pub query_struct: Option<String>,
    /// Name of the enum with one variant per documented response.
    pub response_enum: String,
    /// What the client returns in `Ok` and in `Err` for the documented responses.
    pub outcome: Outcome,
    /// How to fetch the following pages, when the response is a page of a list.
    pub pagination: Option<Pagination>,
    /// The server's handler that picks among the operations sharing this one's route and
    /// method (paths alike but for literal text beside a placeholder), when there are several.
    pub dispatcher: Option<String>,
    /// The features any of which compiles this operation; empty means always.
    pub features: Vec<FeatureId>,
}

/// An argument of an operation's client method and of its server trait method.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Argument<'a> {
    /// A path, header or cookie parameter, passed on its own.
    Param(&'a Param),
    /// The query parameters, as the operation's query struct.
    Query(&'a str),
    /// The request body.
    Body(&'a RequestBody),
}

impl Operation {
    /// The arguments the client and the server take, in the one order both use: path parameters
    /// in the order of the path (a URL is read left to right), the query struct, header and
    /// cookie parameters as documented, the body.
    pub fn arguments(&self) -> Vec<Argument<'_>> {
        let mut out: Vec<Argument<'_>> = self
            .template
            .parts
            .iter()
            .filter_map(|part| match part {
                PathPart::Param(index) => self.params.get(*index).map(Argument::Param),
                PathPart::Literal(_) => None,
            })
            .collect();
        out.extend(self.query_struct.as_deref().map(Argument::Query));
        let others = self.params.iter().filter(|p| matches!(p.location, ParamLocation::Header | ParamLocation::Cookie));
        out.extend(others.map(Argument::Param));
        out.extend(self.body.as_ref().filter(|b| !b.contents.is_empty()).map(Argument::Body));
        out
    }

    /// Whether a caller must, may or need not authenticate, from the operation's requirements.
    pub fn authentication(&self) -> Authentication {
        let open = self.security.iter().filter(|r| r.schemes.is_empty()).count();
        match (self.security.len(), open) {
            (0, _) => Authentication::None,
            (all, open) if open == all => Authentication::None,
            (_, 0) => Authentication::Required,
            _ => Authentication::Optional,
        }
    }
}

/// Whether an operation's caller authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authentication {
    /// No requirement names a scheme (`security: []`, or only `{}`).
    None,
    /// One alternative is `{}`: the server's handler gets an `Option<Principal>`.
    Optional,
    /// Every alternative names a scheme: the handler gets a `Principal`.
    Required,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// OpenAPI parameter serialization styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `simple` (path, header default).
    Simple,
    /// `label`.
    Label,
    /// `matrix`.
    Matrix,
    /// `form` (query, cookie default).
    Form,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`.
    DeepObject,
}

/// One parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name on the wire.
    pub wire_name: String,
    /// Rust name (unique within the operation).
    pub name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Required (always for path parameters).
    pub required: bool,
    /// Its type.
    pub ty: Ty,
    /// Serialization style.
    pub style: ParamStyle,
    /// `explode`.
    pub explode: bool,
    /// Validation constraints.
    pub constraints: Constraints,
    /// Rustdoc.
    pub docs: Docs,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// `required`.
    pub required: bool,
    /// One entry per media type, in document order of preference (JSON first).
    pub contents: Vec<Content>,
    /// Rustdoc.
    pub docs: Docs,
}

/// One media type of a body.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    /// The media type as written (`application/json`, `*/*`).
    pub media_type: String,
    /// The body's type; `None` when the media type has no schema.
    pub ty: Option<Ty>,
}

/// How a body is encoded, from its media type and schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    /// JSON (`application/json`, `*+json`, and the fallback for structured bodies).
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/*`.
    Multipart,
    /// `text/*` carrying a string.
    Text,
    /// Anything else: raw bytes.
    Binary,
}

impl Content {
    /// How this body is encoded.
    pub fn kind(&self) -> MediaKind {
        let essence = self.media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        let raw = matches!(self.ty, None | Some(Ty::Binary));
        if essence == "application/x-www-form-urlencoded" {
            MediaKind::Form
        } else if essence.starts_with("multipart/") {
            MediaKind::Multipart
        } else if essence.ends_with("json") {
            MediaKind::Json
        } else if essence.starts_with("text/") && matches!(self.ty, None | Some(Ty::String)) {
            MediaKind::Text
        } else if raw || self.ty == Some(Ty::String) && essence != "*/*" {
            MediaKind::Binary
        } else {
            MediaKind::Json
        }
    }
}

/// Which statuses a response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// One status code.
    Code(u16),
    /// `1XX` .. `5XX`.
    Range(u8),
    /// `default`.
    Default,
}

impl Status {
    /// The status as a key of `responses` writes it (`404`, `4XX`); `None` for `default`.
    pub fn code_text(self) -> Option<String> {
        match self {
            Self::Code(n) => Some(n.to_string()),
            Self::Range(n) => Some(format!("{n}XX")),
            Self::Default => None,
        }
    }
}

/// One documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// Its status.
    pub status: Status,
    /// `description`.
    pub description: String,
    /// Bodies by media type (JSON first).
    pub contents: Vec<Content>,
    /// Documented response headers.
    pub headers: Vec<Header>,
    /// The variant of the operation's response enum.
    pub variant: String,
}

/// A documented response header.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// The name on the wire.
    pub wire_name: String,
    /// Its type.
    pub ty: Ty,
}

/// All of these schemes at once (one entry of an OpenAPI `security` list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityRequirement {
    /// Scheme name and the scopes required of it.
    pub schemes: Vec<(String, Vec<String>)>,
}

/// A security scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// Its name in `components/securitySchemes`, as operations' requirements name it.
    pub wire_name: String,
    /// What kind it is.
    pub kind: SecuritySchemeKind,
}

/// Kinds of security schemes.
#[derive(Debug, Clone, PartialEq)]
pub enum SecuritySchemeKind {
    /// `type: http` with a scheme such as `bearer` or `basic`.
    Http {
        /// `scheme`, lower case.
        scheme: String,
    },
    /// `type: apiKey`.
    ApiKey {
        /// Where the key goes.
        location: ParamLocation,
        /// The header, query or cookie name.
        name: String,
    },
    /// `type: oauth2` (a bearer token).
    OAuth2,
    /// `type: openIdConnect` (a bearer token).
    OpenIdConnect,
}
