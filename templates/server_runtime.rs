// Runtime of the generated axum server: problem responses (RFC 9457), request validation against
// schema descriptions, parameter coercion, authentication and scope checks. Copied verbatim by
// oagen from templates/server_runtime.rs into every generated crate with a server; the generated
// handlers are thin sequences of calls into it.

/// One thing wrong with a request, located by a JSON pointer into it: `/path/id`,
/// `/query/limit`, `/header/x-id`, `/body/name`.
#[derive(Debug, Clone, PartialEq, Eq, ::serde::Serialize)]
pub struct Violation {
    /// Where.
    pub pointer: ::std::string::String,
    /// What.
    pub message: ::std::string::String,
}

/// An RFC 9457 problem, answered as `application/problem+json`.
#[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
pub struct Problem {
    /// A URI naming the kind of problem (`about:blank` when the status says it all).
    #[serde(rename = "type")]
    pub kind: ::std::string::String,
    /// A short summary.
    pub title: ::std::string::String,
    /// The HTTP status.
    pub status: u16,
    /// Details for this occurrence.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub detail: ::std::option::Option<::std::string::String>,
    /// Every violation found in the request.
    #[serde(skip_serializing_if = "::std::vec::Vec::is_empty")]
    pub errors: ::std::vec::Vec<Violation>,
    /// The `WWW-Authenticate` challenges of a 401, one per scheme the operation accepts
    /// (`Bearer`, `Basic realm="api"`, `ApiKey in="header", name="X-API-Key"`); a 401 without
    /// any is sent with `Bearer`.
    #[serde(skip)]
    pub challenges: ::std::boxed::Box<[::std::string::String]>,
}

impl Problem {
    /// A problem with a status and a title.
    pub fn new(status: u16, title: impl ::std::convert::Into<::std::string::String>) -> Self {
        Self {
            kind: "about:blank".to_owned(),
            title: title.into(),
            status,
            detail: ::std::option::Option::None,
            errors: ::std::vec::Vec::new(),
            challenges: ::std::boxed::Box::default(),
        }
    }

    /// Adds details.
    pub fn with_detail(mut self, detail: impl ::std::convert::Into<::std::string::String>) -> Self {
        self.detail = ::std::option::Option::Some(detail.into());
        self
    }

    /// 401: no credential, or one the authenticator does not know.
    pub fn unauthorized() -> Self {
        Self::new(401, "Unauthorized")
    }

    /// 400 listing every violation.
    pub fn bad_request(errors: ::std::vec::Vec<Violation>) -> Self {
        let mut p = Self::new(400, "The request is not valid");
        p.detail = ::std::option::Option::Some(format!("{} problem(s) found", errors.len()));
        p.errors = errors;
        p
    }

    /// 404.
    pub fn not_found() -> Self {
        Self::new(404, "Not Found")
    }

    /// 501, for operations not implemented yet.
    pub fn not_implemented() -> Self {
        Self::new(501, "Not Implemented")
    }
}

impl ::axum::response::IntoResponse for Problem {
    fn into_response(self) -> ::axum::response::Response {
        let status = ::axum::http::StatusCode::from_u16(self.status).unwrap_or(::axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        let body = ::serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(::axum::http::header::CONTENT_TYPE, ::axum::http::HeaderValue::from_static("application/problem+json"));
        if self.status == 401 {
            if self.challenges.is_empty() {
                headers.insert(::axum::http::header::WWW_AUTHENTICATE, ::axum::http::HeaderValue::from_static("Bearer"));
            }
            for challenge in &self.challenges {
                if let ::std::result::Result::Ok(value) = ::axum::http::HeaderValue::from_str(challenge) {
                    headers.append(::axum::http::header::WWW_AUTHENTICATE, value);
                }
            }
        }
        response
    }
}

/// A JSON response with a status.
pub fn json_response<T: ::serde::Serialize>(status: u16, body: &T) -> ::axum::response::Response {
    use ::axum::response::IntoResponse as _;
    match ::serde_json::to_vec(body) {
        ::std::result::Result::Ok(bytes) => {
            let status = ::axum::http::StatusCode::from_u16(status).unwrap_or(::axum::http::StatusCode::OK);
            let mut response = (status, bytes).into_response();
            response
                .headers_mut()
                .insert(::axum::http::header::CONTENT_TYPE, ::axum::http::HeaderValue::from_static("application/json"));
            response
        }
        ::std::result::Result::Err(e) => Problem::new(500, "Internal Server Error").with_detail(e.to_string()).into_response(),
    }
}

/// A response with a status and raw bytes (or none).
pub fn raw_response(status: u16, content_type: &'static str, body: ::std::vec::Vec<u8>) -> ::axum::response::Response {
    use ::axum::response::IntoResponse as _;
    let status = ::axum::http::StatusCode::from_u16(status).unwrap_or(::axum::http::StatusCode::OK);
    if body.is_empty() && content_type.is_empty() {
        return status.into_response();
    }
    let mut response = (status, body).into_response();
    if let ::std::result::Result::Ok(v) = ::axum::http::HeaderValue::from_str(content_type) {
        response.headers_mut().insert(::axum::http::header::CONTENT_TYPE, v);
    }
    response
}

/// What a schema allows, for validating requests before they reach a handler.
#[derive(Debug)]
pub enum Schema {
    /// Anything.
    Any,
    /// `true` or `false`.
    Boolean,
    /// An integer within bounds (`(value, exclusive)`).
    Integer { minimum: ::std::option::Option<(f64, bool)>, maximum: ::std::option::Option<(f64, bool)> },
    /// A number within bounds.
    Number { minimum: ::std::option::Option<(f64, bool)>, maximum: ::std::option::Option<(f64, bool)> },
    /// A string.
    String {
        /// `minLength`.
        min_length: ::std::option::Option<u64>,
        /// `maxLength`.
        max_length: ::std::option::Option<u64>,
        /// `pattern` (ECMA-262 written; checked when the regex crate accepts it).
        pattern: ::std::option::Option<&'static str>,
        /// `format`: uuid, date-time, date, email and uri are checked here; byte (base64) when the
        /// value is decoded into its type.
        format: ::std::option::Option<&'static str>,
    },
    /// One of these strings.
    StringEnum(&'static [&'static str]),
    /// One of these integers.
    IntegerEnum(&'static [i64]),
    /// An array.
    Array { items: &'static Schema, min_items: ::std::option::Option<u64>, max_items: ::std::option::Option<u64> },
    /// An object with known fields (others are let through).
    Object { fields: &'static [Field], additional: ::std::option::Option<&'static Schema> },
    /// A map from string keys.
    Map(&'static Schema),
    /// `null` or the inner schema.
    Nullable(&'static Schema),
    /// `null` or `""` or the inner schema.
    NullableOrBlank(&'static Schema),
    /// Valid against at least one.
    OneOf(&'static [&'static Schema]),
    /// `null`.
    Null,
    /// Another schema (a named one).
    Ref(&'static Schema),
}

impl Schema {
    /// Any string.
    pub const STRING: Self = Self::formatted(None);
    /// Any integer.
    pub const INTEGER: Self = Self::Integer { minimum: None, maximum: None };
    /// Any number.
    pub const NUMBER: Self = Self::Number { minimum: None, maximum: None };
    /// A UUID.
    pub const UUID: Self = Self::formatted(Some("uuid"));
    /// An RFC 3339 date-time.
    pub const DATE_TIME: Self = Self::formatted(Some("date-time"));
    /// A calendar date.
    pub const DATE: Self = Self::formatted(Some("date"));
    /// Base64 text.
    pub const BYTE: Self = Self::formatted(Some("byte"));

    /// A string of a format, without length bounds or pattern.
    pub const fn formatted(format: ::std::option::Option<&'static str>) -> Self {
        Self::String { min_length: None, max_length: None, pattern: None, format }
    }
}

/// A field of an object schema.
#[derive(Debug)]
pub struct Field {
    /// The name on the wire.
    pub name: &'static str,
    /// Must be present.
    pub required: bool,
    /// Its schema.
    pub schema: &'static Schema,
}

fn kind_of(value: &::serde_json::Value) -> &'static str {
    match value {
        ::serde_json::Value::Null => "null",
        ::serde_json::Value::Bool(_) => "a boolean",
        ::serde_json::Value::Number(_) => "a number",
        ::serde_json::Value::String(_) => "a string",
        ::serde_json::Value::Array(_) => "an array",
        ::serde_json::Value::Object(_) => "an object",
    }
}

fn escape(segment: &str) -> ::std::string::String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn regex_matches(pattern: &'static str, text: &str) -> bool {
    static CACHE: ::std::sync::OnceLock<
        ::std::sync::Mutex<::std::collections::BTreeMap<&'static str, ::std::option::Option<::regex::Regex>>>,
    > = ::std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let Ok(mut cache) = cache.lock() else { return true };
    let compiled = cache.entry(pattern).or_insert_with(|| ::regex::Regex::new(pattern).ok());
    // A pattern Rust's regex cannot express is not enforced rather than rejecting everything.
    compiled.as_ref().is_none_or(|re| re.is_match(text))
}

fn check_bounds(value: f64, minimum: ::std::option::Option<(f64, bool)>, maximum: ::std::option::Option<(f64, bool)>) -> ::std::option::Option<::std::string::String> {
    if let ::std::option::Option::Some((min, exclusive)) = minimum
        && (value < min || exclusive && value == min)
    {
        return ::std::option::Option::Some(format!("must be {} {min}", if exclusive { "greater than" } else { "at least" }));
    }
    if let ::std::option::Option::Some((max, exclusive)) = maximum
        && (value > max || exclusive && value == max)
    {
        return ::std::option::Option::Some(format!("must be {} {max}", if exclusive { "less than" } else { "at most" }));
    }
    ::std::option::Option::None
}

fn check_format(format: &str, text: &str) -> ::std::option::Option<&'static str> {
    let ok = match format {
        "uuid" => ::uuid::Uuid::parse_str(text).is_ok(),
        "date-time" => ::chrono::DateTime::parse_from_rfc3339(text).is_ok(),
        "date" => ::chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok(),
        "email" | "idn-email" => {
            let mut parts = text.splitn(2, '@');
            let (local, domain) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !text.contains(char::is_whitespace)
        }
        "uri" | "url" => ::url::Url::parse(text).is_ok(),
        _ => true,
    };
    if ok {
        return ::std::option::Option::None;
    }
    ::std::option::Option::Some(match format {
        "uuid" => "must be a UUID",
        "date-time" => "must be an RFC 3339 date-time",
        "date" => "must be a date (YYYY-MM-DD)",
        "email" | "idn-email" => "must be an email address",
        _ => "must be a URI",
    })
}

/// Where a value sits in a request, made into a JSON pointer only when a violation names it (a
/// request that passes builds no pointer).
#[derive(Debug, Clone, Copy)]
enum At<'a> {
    /// A pointer written out (`/body`, or `""` for the root).
    Pointer(&'a str),
    /// A member of an object, or a named parameter (`/query` and `limit`).
    Key(&'a At<'a>, &'a str),
    /// An item of an array.
    Index(&'a At<'a>, usize),
}

impl At<'_> {
    /// The JSON pointer (RFC 6901: `~` and `/` in keys escaped).
    fn pointer(&self) -> ::std::string::String {
        match self {
            At::Pointer(text) => (*text).to_owned(),
            At::Key(parent, key) => format!("{}/{}", parent.pointer(), escape(key)),
            At::Index(parent, index) => format!("{}/{index}", parent.pointer()),
        }
    }
}

/// Validates a JSON value, recording every violation under `pointer`.
pub fn validate(value: &::serde_json::Value, schema: &Schema, pointer: &str, out: &mut ::std::vec::Vec<Violation>) {
    check(value, schema, &At::Pointer(pointer), out);
}

/// [`validate`], with the place of the value kept as an [`At`].
fn check(value: &::serde_json::Value, schema: &Schema, at: &At<'_>, out: &mut ::std::vec::Vec<Violation>) {
    let mut fail = |message: ::std::string::String| out.push(Violation { pointer: at.pointer(), message });
    match schema {
        Schema::Any => {}
        Schema::Ref(inner) => check(value, inner, at, out),
        Schema::Null => {
            if !value.is_null() {
                fail(format!("must be null, not {}", kind_of(value)));
            }
        }
        Schema::Boolean => {
            if !value.is_boolean() {
                fail(format!("must be a boolean, not {}", kind_of(value)));
            }
        }
        // The generated types are `i32` and `i64`: a whole number beyond `i64` is a violation
        // (an `i32`'s narrower range comes in as bounds).
        Schema::Integer { minimum, maximum } => match value.as_i64().map(|v| v as f64) {
            ::std::option::Option::Some(n) => {
                if let ::std::option::Option::Some(m) = check_bounds(n, *minimum, *maximum) {
                    fail(m);
                }
            }
            ::std::option::Option::None if value.as_f64().is_some_and(|f| f.fract() == 0.0) => {
                fail("is out of the range of a 64-bit integer".to_owned())
            }
            ::std::option::Option::None => fail(format!("must be an integer, not {}", kind_of(value))),
        },
        Schema::Number { minimum, maximum } => match value.as_f64() {
            ::std::option::Option::Some(n) => {
                if let ::std::option::Option::Some(m) = check_bounds(n, *minimum, *maximum) {
                    fail(m);
                }
            }
            ::std::option::Option::None => fail(format!("must be a number, not {}", kind_of(value))),
        },
        Schema::String { min_length, max_length, pattern, format } => {
            let ::std::option::Option::Some(text) = value.as_str() else {
                fail(format!("must be a string, not {}", kind_of(value)));
                return;
            };
            let len = text.chars().count() as u64;
            if let ::std::option::Option::Some(min) = min_length
                && len < *min
            {
                fail(format!("must have at least {min} characters"));
            }
            if let ::std::option::Option::Some(max) = max_length
                && len > *max
            {
                fail(format!("must have at most {max} characters"));
            }
            if let ::std::option::Option::Some(p) = pattern
                && !regex_matches(p, text)
            {
                fail(format!("must match `{p}`"));
            }
            if let ::std::option::Option::Some(f) = format
                && let ::std::option::Option::Some(m) = check_format(f, text)
            {
                fail(m.to_owned());
            }
        }
        Schema::StringEnum(values) => match value.as_str() {
            ::std::option::Option::Some(s) if values.contains(&s) => {}
            _ => fail(format!("must be one of {}", values.iter().map(|v| format!("{v:?}")).collect::<::std::vec::Vec<_>>().join(", "))),
        },
        Schema::IntegerEnum(values) => match value.as_i64() {
            ::std::option::Option::Some(n) if values.contains(&n) => {}
            _ => fail(format!("must be one of {}", values.iter().map(|v| v.to_string()).collect::<::std::vec::Vec<_>>().join(", "))),
        },
        Schema::Array { items, min_items, max_items } => {
            let ::std::option::Option::Some(list) = value.as_array() else {
                fail(format!("must be an array, not {}", kind_of(value)));
                return;
            };
            if let ::std::option::Option::Some(min) = min_items
                && (list.len() as u64) < *min
            {
                fail(format!("must have at least {min} items"));
            }
            if let ::std::option::Option::Some(max) = max_items
                && (list.len() as u64) > *max
            {
                fail(format!("must have at most {max} items"));
            }
            for (i, item) in list.iter().enumerate() {
                check(item, items, &At::Index(at, i), out);
            }
        }
        Schema::Object { fields, additional } => {
            let ::std::option::Option::Some(map) = value.as_object() else {
                fail(format!("must be an object, not {}", kind_of(value)));
                return;
            };
            for field in fields.iter() {
                let member = At::Key(at, field.name);
                match map.get(field.name) {
                    ::std::option::Option::Some(v) => check(v, field.schema, &member, out),
                    ::std::option::Option::None if field.required => {
                        out.push(Violation { pointer: member.pointer(), message: "is required".to_owned() })
                    }
                    ::std::option::Option::None => {}
                }
            }
            if let ::std::option::Option::Some(extra) = additional {
                for (k, v) in map {
                    if !fields.iter().any(|f| f.name == k) {
                        check(v, extra, &At::Key(at, k), out);
                    }
                }
            }
        }
        Schema::Map(values) => {
            let ::std::option::Option::Some(map) = value.as_object() else {
                fail(format!("must be an object, not {}", kind_of(value)));
                return;
            };
            for (k, v) in map {
                check(v, values, &At::Key(at, k), out);
            }
        }
        Schema::Nullable(inner) => {
            if !value.is_null() {
                check(value, inner, at, out);
            }
        }
        Schema::NullableOrBlank(inner) => {
            if !value.is_null() && value.as_str() != ::std::option::Option::Some("") {
                check(value, inner, at, out);
            }
        }
        Schema::OneOf(options) => {
            let fits = options.iter().any(|option| {
                let mut scratch = ::std::vec::Vec::new();
                check(value, option, at, &mut scratch);
                scratch.is_empty()
            });
            if !fits {
                fail("matches none of the allowed shapes".to_owned());
            }
        }
    }
}

/// A parameter as text (path, query, header, cookie) turned into the JSON value its schema wants,
/// so one validator serves parameters and bodies. Arrays come comma-separated or repeated.
fn coerce(texts: &[&str], schema: &Schema) -> ::serde_json::Value {
    coerce_split(texts, schema, ',')
}

/// [`coerce`], with arrays given in one value split at `delimiter`.
fn coerce_split(texts: &[&str], schema: &Schema, delimiter: char) -> ::serde_json::Value {
    let one = texts.first().copied().unwrap_or_default();
    match schema {
        // An integer beyond 64 bits stays a number (as JSON would read it), which validation
        // then reports as out of range: a value the Rust type cannot hold is never dropped.
        Schema::Integer { .. } => match one.parse::<i64>() {
            ::std::result::Result::Ok(n) => ::serde_json::Value::from(n),
            ::std::result::Result::Err(_)
                if one.strip_prefix('-').unwrap_or(one).bytes().all(|b| b.is_ascii_digit())
                    && one.bytes().any(|b| b.is_ascii_digit()) =>
            {
                one.parse::<f64>()
                    .ok()
                    .and_then(::serde_json::Number::from_f64)
                    .map_or_else(|| ::serde_json::Value::String(one.to_owned()), ::serde_json::Value::Number)
            }
            ::std::result::Result::Err(_) => ::serde_json::Value::String(one.to_owned()),
        },
        Schema::IntegerEnum(_) => one
            .parse::<i64>()
            .map(::serde_json::Value::from)
            .unwrap_or_else(|_| ::serde_json::Value::String(one.to_owned())),
        Schema::Number { .. } => one
            .parse::<f64>()
            .ok()
            .and_then(::serde_json::Number::from_f64)
            .map_or_else(|| ::serde_json::Value::String(one.to_owned()), ::serde_json::Value::Number),
        Schema::Boolean => match one {
            "true" => ::serde_json::Value::Bool(true),
            "false" => ::serde_json::Value::Bool(false),
            other => ::serde_json::Value::String(other.to_owned()),
        },
        Schema::Array { items, .. } => {
            let parts: ::std::vec::Vec<&str> =
                if texts.len() > 1 { texts.to_vec() } else { one.split(delimiter).filter(|s| !s.is_empty()).collect() };
            ::serde_json::Value::Array(parts.iter().map(|p| coerce(&[p], items)).collect())
        }
        // Forms have no null; the text `null` stands for it where the schema allows null and
        // would not take the text itself.
        Schema::Nullable(inner) | Schema::NullableOrBlank(inner) if one == "null" && !takes_text(inner, one) => {
            ::serde_json::Value::Null
        }
        Schema::Nullable(inner) | Schema::NullableOrBlank(inner) | Schema::Ref(inner) => coerce_split(texts, inner, delimiter),
        _ => ::serde_json::Value::String(one.to_owned()),
    }
}

/// Whether a schema accepts this text as a string value.
fn takes_text(schema: &Schema, text: &str) -> bool {
    let mut scratch = ::std::vec::Vec::new();
    validate(&::serde_json::Value::String(text.to_owned()), schema, "", &mut scratch);
    scratch.is_empty()
}

/// Where a path parameter is: the route's `segment`-th parameter segment, which its template
/// writes as `literals` with a placeholder between each two (`reminderView(from='{}',to='{}')`
/// is `["reminderView(from='", "',to='", "')"]`); the parameter is the `nth` placeholder.
#[derive(Debug, Clone, Copy)]
pub struct PathParam<'a> {
    /// The name on the wire.
    pub name: &'a str,
    /// Its schema.
    pub schema: &'a Schema,
    /// Which of the route's parameter segments holds it.
    pub segment: usize,
    /// The segment's literal text around its placeholders.
    pub literals: &'a [&'a str],
    /// Which placeholder of the segment it is.
    pub nth: usize,
}

/// What an operation accepts as its body.
#[derive(Debug, Clone, Copy)]
pub struct BodyParam<'a> {
    /// The media types accepted (`application/json`, `multipart/*`).
    pub accepted: &'a [&'a str],
    /// Its schema.
    pub schema: &'a Schema,
    /// Must be present.
    pub required: bool,
}

/// What every handler checks before reading parameters.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint<'a> {
    /// The operation: its id, method, path template (as the document writes it) and tags.
    pub operation: OperationInfo,
    /// The security requirements, any one of which admits the caller (none: open to all).
    pub security: &'a [&'a [Required]],
    /// Whether the operation takes a body (read before the handler runs).
    pub body: bool,
}

/// The text of each placeholder in a path segment written as `literals` around them. Where a
/// literal could be found more than once, its last appearance ends the placeholder before it
/// (`report.final.yaml` for `{name}.{ext}` is `report.final` and `yaml`). `None` when the
/// segment does not fit.
pub fn split_segment<'s>(segment: &'s str, literals: &[&str]) -> ::std::option::Option<::std::vec::Vec<&'s str>> {
    let (first, rest) = literals.split_first()?;
    let (last, middle) = rest.split_last().map_or((&"", &[][..]), |(last, middle)| (last, middle));
    let mut text = segment.strip_prefix(first)?.strip_suffix(last)?;
    let mut pieces = ::std::vec::Vec::with_capacity(literals.len() - 1);
    for literal in middle.iter().rev() {
        let at = text.rfind(literal)?;
        pieces.push(&text[at + literal.len()..]);
        text = &text[..at];
    }
    pieces.push(text);
    pieces.reverse();
    ::std::option::Option::Some(pieces)
}

/// A parameter of an operation, for parsing and validation.
#[derive(Debug)]
pub struct Param {
    /// The name on the wire.
    pub name: &'static str,
    /// Must be present.
    pub required: bool,
    /// Its schema.
    pub schema: &'static Schema,
    /// `deepObject` style (query objects as `name[key]=value`).
    pub deep_object: bool,
    /// What separates the items of an array given in one value: `,` (form, simple), ` `
    /// (spaceDelimited) or `|` (pipeDelimited).
    pub delimiter: char,
}

impl Param {
    /// An optional parameter, in the default style.
    pub const fn new(name: &'static str, schema: &'static Schema) -> Self {
        Self { name, required: false, schema, deep_object: false, delimiter: ',' }
    }

    /// The parameter must be present.
    pub const fn required(self) -> Self {
        Self { required: true, ..self }
    }

    /// The parameter is a `deepObject` (`name[key]=value`).
    pub const fn deep_object(self) -> Self {
        Self { deep_object: true, ..self }
    }

    /// The parameter's array items are separated by `delimiter` (spaceDelimited, pipeDelimited).
    pub const fn delimited(self, delimiter: char) -> Self {
        Self { delimiter, ..self }
    }
}

/// A parameter or body that could not be read: its violation is recorded in the [`Incoming`]
/// it was read from, and [`Incoming::finish`] answers with all of them. Handlers pass their
/// reads on with `?` after `finish`, where this is never met; should it be, it is a 400.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Missing;

impl ::std::convert::From<Missing> for Problem {
    fn from(_: Missing) -> Self {
        Problem::bad_request(::std::vec::Vec::new())
    }
}

/// A required value that was read: absence was recorded as a violation, so `None` is [`Missing`].
pub fn present<T>(value: ::std::option::Option<T>) -> ::std::result::Result<T, Missing> {
    value.ok_or(Missing)
}

/// The state every handler receives: the implementation, the authenticator and the settings.
pub type State<A, U> = ::axum::extract::State<::std::sync::Arc<Shared<A, U>>>;

/// The pieces of a request a handler needs, read and checked together so that every problem is
/// reported at once.
pub struct Incoming {
    parts: ::axum::http::request::Parts,
    /// The text of each parameter segment of the route, in route order, as sent.
    path: ::std::vec::Vec<::std::string::String>,
    query: ::std::vec::Vec<(::std::string::String, ::std::string::String)>,
    // In a mutex only so that `&Incoming` is `Sync` (a body stream is not) while the
    // authenticator is awaited; never contended.
    pending: ::std::sync::Mutex<::std::option::Option<::axum::body::Body>>,
    body: ::axum::body::Bytes,
    /// A path segment did not fit the operation's template: the request is for no documented path.
    unmatched: bool,
    /// Violations found so far.
    pub errors: ::std::vec::Vec<Violation>,
}

impl Incoming {
    /// Reads a request's head (path parameters come from the router); the body waits for
    /// [`Incoming::read_body`], so unauthenticated requests are turned away before it is read.
    pub async fn new(request: ::axum::extract::Request) -> Self {
        let (parts, body) = request.into_parts();
        // The route's captures as sent, still percent-encoded (axum's decode them), so that a
        // segment is split at its literal text before each piece is decoded once. The route's
        // last segments are the request path's last ones, also under a nested router.
        let path = match parts.extensions.get::<::axum::extract::MatchedPath>() {
            ::std::option::Option::Some(route) => {
                let mut captures: ::std::vec::Vec<::std::string::String> = route
                    .as_str()
                    .rsplit('/')
                    .zip(parts.uri.path().rsplit('/'))
                    .filter(|(template, _)| template.starts_with('{'))
                    .map(|(_, raw)| raw.to_owned())
                    .collect();
                captures.reverse();
                captures
            }
            ::std::option::Option::None => ::std::vec::Vec::new(),
        };
        let query = parts
            .uri
            .query()
            .map(|q| ::url::form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default();
        Self {
            parts,
            path,
            query,
            pending: ::std::sync::Mutex::new(::std::option::Option::Some(body)),
            body: ::axum::body::Bytes::new(),
            unmatched: false,
            errors: ::std::vec::Vec::new(),
        }
    }

    /// Reads the body, up to `limit` bytes (413 above it).
    pub async fn read_body(&mut self, limit: usize) -> ::std::result::Result<(), Problem> {
        let too_large = || Problem::new(413, "Payload Too Large").with_detail(format!("the body is larger than {limit} bytes"));
        let pending = self.pending.get_mut().unwrap_or_else(::std::sync::PoisonError::into_inner).take();
        // A body announced larger than the limit is refused before any of it is read.
        let announced = self.parts.headers.get(::axum::http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        if announced.is_some_and(|length| length > limit as u64) {
            return ::std::result::Result::Err(too_large());
        }
        if let ::std::option::Option::Some(body) = pending {
            self.body = ::axum::body::to_bytes(body, limit).await.map_err(|_| too_large())?;
        }
        ::std::result::Result::Ok(())
    }

    /// The request headers.
    pub fn headers(&self) -> &::axum::http::HeaderMap {
        &self.parts.headers
    }

    fn typed<T: ::serde::de::DeserializeOwned>(&mut self, value: ::serde_json::Value, at: &At<'_>, schema: &Schema) -> ::std::option::Option<T> {
        let before = self.errors.len();
        check(&value, schema, at, &mut self.errors);
        if self.errors.len() > before {
            return ::std::option::Option::None;
        }
        // A scalar's error is at its own place; only objects and arrays need serde's path.
        if !(value.is_object() || value.is_array()) {
            return match <T as ::serde::Deserialize>::deserialize(value) {
                ::std::result::Result::Ok(v) => ::std::option::Option::Some(v),
                ::std::result::Result::Err(e) => {
                    self.errors.push(Violation { pointer: at.pointer(), message: e.to_string() });
                    ::std::option::Option::None
                }
            };
        }
        match ::serde_path_to_error::deserialize::<_, T>(value) {
            ::std::result::Result::Ok(v) => ::std::option::Option::Some(v),
            ::std::result::Result::Err(e) => {
                let path = e.path().to_string().replace('.', "/");
                let pointer = at.pointer();
                let pointer = if path == "." || path.is_empty() { pointer } else { format!("{pointer}/{path}") };
                self.errors.push(Violation { pointer, message: e.inner().to_string() });
                ::std::option::Option::None
            }
        }
    }

    /// A path parameter: its piece of the route's segment that holds it, percent-decoded. A
    /// segment that does not fit its template (`/files/report` for `/files/{name}.{ext}`) means
    /// the request is for another path: [`Incoming::finish`] answers 404.
    pub fn path<T: ::serde::de::DeserializeOwned>(&mut self, param: &PathParam<'_>) -> ::std::result::Result<T, Missing> {
        let at = At::Key(&At::Pointer("/path"), param.name);
        let raw = self.path.get(param.segment).map(::std::string::String::as_str).unwrap_or_default();
        let Some(piece) = split_segment(raw, param.literals).and_then(|pieces| pieces.get(param.nth).copied()) else {
            self.unmatched = true;
            return ::std::result::Result::Err(Missing);
        };
        let text = match ::percent_encoding::percent_decode_str(piece).decode_utf8() {
            ::std::result::Result::Ok(text) => text,
            ::std::result::Result::Err(_) => {
                self.errors.push(Violation { pointer: at.pointer(), message: "is not UTF-8 once percent-decoded".to_owned() });
                return ::std::result::Result::Err(Missing);
            }
        };
        let value = coerce(&[&text], param.schema);
        self.typed(value, &at, param.schema).ok_or(Missing)
    }

    /// The query parameters as one JSON object, each coerced to its schema, then typed.
    pub fn query<T: ::serde::de::DeserializeOwned>(&mut self, params: &[Param]) -> ::std::result::Result<T, Missing> {
        let mut object = ::serde_json::Map::new();
        let mut ok = true;
        for param in params {
            let at = At::Key(&At::Pointer("/query"), param.name);
            let value = if param.deep_object {
                let prefix = format!("{}[", param.name);
                let entries: ::std::vec::Vec<(::std::string::String, ::std::string::String)> = self
                    .query
                    .iter()
                    .filter_map(|(k, v)| {
                        let key = k.strip_prefix(&prefix)?.strip_suffix(']')?;
                        ::std::option::Option::Some((key.to_owned(), v.clone()))
                    })
                    .collect();
                // Each property is text, typed by its schema as a form field is.
                (!entries.is_empty()).then(|| form_value(&entries, param.schema))
            } else {
                let texts: ::std::vec::Vec<&str> = self.query.iter().filter(|(k, _)| k == param.name).map(|(_, v)| v.as_str()).collect();
                (!texts.is_empty()).then(|| coerce_split(&texts, param.schema, param.delimiter))
            };
            match value {
                ::std::option::Option::Some(v) => {
                    let before = self.errors.len();
                    check(&v, param.schema, &at, &mut self.errors);
                    ok &= self.errors.len() == before;
                    object.insert(param.name.to_owned(), v);
                }
                ::std::option::Option::None if param.required => {
                    self.errors.push(Violation { pointer: at.pointer(), message: "is required".to_owned() });
                    ok = false;
                }
                ::std::option::Option::None => {}
            }
        }
        if !ok {
            return ::std::result::Result::Err(Missing);
        }
        self.typed(::serde_json::Value::Object(object), &At::Pointer("/query"), &Schema::Any).ok_or(Missing)
    }

    /// A header parameter; `None` when absent (recorded when required).
    pub fn header<T: ::serde::de::DeserializeOwned>(&mut self, param: &Param) -> ::std::result::Result<::std::option::Option<T>, Missing> {
        let text = self.parts.headers.get(param.name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        self.named(param, text, "/header")
    }

    /// A cookie parameter; `None` when absent (recorded when required).
    pub fn cookie<T: ::serde::de::DeserializeOwned>(&mut self, param: &Param) -> ::std::result::Result<::std::option::Option<T>, Missing> {
        let text = self.parts.headers.get_all(::axum::http::header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|line| {
            line.split(';').find_map(|pair| {
                let (k, v) = pair.trim().split_once('=')?;
                (k == param.name).then(|| v.to_owned())
            })
        });
        self.named(param, text, "/cookie")
    }

    /// A header's or cookie's text, typed; `where_` starts its pointer.
    fn named<T: ::serde::de::DeserializeOwned>(
        &mut self,
        param: &Param,
        text: ::std::option::Option<::std::string::String>,
        where_: &str,
    ) -> ::std::result::Result<::std::option::Option<T>, Missing> {
        let at = At::Key(&At::Pointer(where_), param.name);
        match text {
            ::std::option::Option::Some(text) => {
                let value = coerce(&[&text], param.schema);
                self.typed(value, &at, param.schema).map(::std::option::Option::Some).ok_or(Missing)
            }
            ::std::option::Option::None if param.required => {
                self.errors.push(Violation { pointer: at.pointer(), message: "is required".to_owned() });
                ::std::result::Result::Err(Missing)
            }
            ::std::option::Option::None => ::std::result::Result::Ok(::std::option::Option::None),
        }
    }

    /// The media type the request says its body has.
    pub fn content_type(&self) -> ::std::string::String {
        self.parts
            .headers
            .get(::axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
            .unwrap_or_default()
    }

    /// Whether the request has a body at all.
    pub fn has_body(&self) -> bool {
        !self.body.is_empty()
    }

    /// The body, decoded from JSON, a urlencoded form or a multipart form by its content type
    /// (one of those the operation accepts), validated and typed: `Ok(None)` when absent and
    /// optional, [`Missing`] when a violation was recorded. The outer `Err` is a 415 for a media
    /// type not accepted.
    pub async fn body<T: ::serde::de::DeserializeOwned>(
        &mut self,
        body: &BodyParam<'_>,
    ) -> ::std::result::Result<::std::result::Result<::std::option::Option<T>, Missing>, Problem> {
        if let ::std::option::Option::Some(early) = self.precheck(body)? {
            return ::std::result::Result::Ok(early);
        }
        let (schema, media) = (body.schema, self.content_type());
        let value = if media == "application/x-www-form-urlencoded" {
            let pairs: ::std::vec::Vec<(::std::string::String, ::std::string::String)> =
                ::url::form_urlencoded::parse(&self.body).into_owned().collect();
            form_value(&pairs, schema)
        } else if media.starts_with("multipart/") {
            match self.multipart(schema) {
                ::std::option::Option::Some(v) => v,
                ::std::option::Option::None => return ::std::result::Result::Ok(::std::result::Result::Err(Missing)),
            }
        } else {
            match ::serde_json::from_slice::<::serde_json::Value>(&self.body) {
                ::std::result::Result::Ok(v) => v,
                ::std::result::Result::Err(e) => {
                    self.errors.push(Violation { pointer: "/body".to_owned(), message: format!("malformed JSON: {e}") });
                    return ::std::result::Result::Ok(::std::result::Result::Err(Missing));
                }
            }
        };
        ::std::result::Result::Ok(self.typed(value, &At::Pointer("/body"), schema).map(::std::option::Option::Some).ok_or(Missing))
    }

    /// A body of raw bytes (`application/octet-stream`, images), as sent.
    pub fn bytes(
        &mut self,
        body: &BodyParam<'_>,
    ) -> ::std::result::Result<::std::result::Result<::std::option::Option<::std::vec::Vec<u8>>, Missing>, Problem> {
        if let ::std::option::Option::Some(early) = self.precheck(body)? {
            return ::std::result::Result::Ok(early);
        }
        ::std::result::Result::Ok(::std::result::Result::Ok(::std::option::Option::Some(self.body.to_vec())))
    }

    /// A text body (`text/plain`, `text/csv`): UTF-8, or a violation at `/body`.
    pub fn text(
        &mut self,
        body: &BodyParam<'_>,
    ) -> ::std::result::Result<::std::result::Result<::std::option::Option<::std::string::String>, Missing>, Problem> {
        if let ::std::option::Option::Some(early) = self.precheck(body)? {
            return ::std::result::Result::Ok(early);
        }
        match ::std::string::String::from_utf8(self.body.to_vec()) {
            ::std::result::Result::Ok(text) => {
                ::std::result::Result::Ok(::std::result::Result::Ok(::std::option::Option::Some(text)))
            }
            ::std::result::Result::Err(e) => {
                self.errors.push(Violation { pointer: "/body".to_owned(), message: format!("is not UTF-8 text: {e}") });
                ::std::result::Result::Ok(::std::result::Result::Err(Missing))
            }
        }
    }

    /// What every body read checks first: a missing body (a violation when it is required, else
    /// nothing to read) and its media type (415 when the operation does not accept it).
    /// `Ok(None)` means there is a body to read.
    #[allow(clippy::type_complexity)]
    fn precheck<T>(
        &mut self,
        body: &BodyParam<'_>,
    ) -> ::std::result::Result<::std::option::Option<::std::result::Result<::std::option::Option<T>, Missing>>, Problem> {
        if self.body.is_empty() {
            if body.required {
                self.errors.push(Violation { pointer: "/body".to_owned(), message: "a body is required".to_owned() });
                return ::std::result::Result::Ok(::std::option::Option::Some(::std::result::Result::Err(Missing)));
            }
            return ::std::result::Result::Ok(::std::option::Option::Some(::std::result::Result::Ok(::std::option::Option::None)));
        }
        let media = self.content_type();
        let accepted = body.accepted;
        if !accepted.iter().any(|a| *a == media || a.ends_with("/*") && media.starts_with(a.trim_end_matches('*'))) {
            return ::std::result::Result::Err(
                Problem::new(415, "Unsupported Media Type").with_detail(format!("expected one of: {}", accepted.join(", "))),
            );
        }
        ::std::result::Result::Ok(::std::option::Option::None)
    }

    fn multipart(&mut self, schema: &Schema) -> ::std::option::Option<::serde_json::Value> {
        let header = self.parts.headers.get(::axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let boundary = header.split(';').find_map(|p| {
            let (k, v) = p.trim().split_once('=')?;
            k.eq_ignore_ascii_case("boundary").then(|| v.trim_matches('"').to_owned())
        });
        let ::std::option::Option::Some(boundary) = boundary.filter(|b| !b.is_empty()) else {
            self.errors.push(Violation { pointer: "/body".to_owned(), message: "multipart body without a boundary".to_owned() });
            return ::std::option::Option::None;
        };
        match multipart_fields(&self.body, &boundary) {
            ::std::option::Option::Some(pairs) => ::std::option::Option::Some(form_value(&pairs, schema)),
            ::std::option::Option::None => {
                self.errors.push(Violation { pointer: "/body".to_owned(), message: "malformed multipart body".to_owned() });
                ::std::option::Option::None
            }
        }
    }

    /// The 404 for a path that only looked like the operation's, else the 400 for every
    /// violation found, if any was.
    pub fn finish(&mut self) -> ::std::result::Result<(), Problem> {
        if self.unmatched {
            return ::std::result::Result::Err(Problem::not_found());
        }
        if self.errors.is_empty() {
            return ::std::result::Result::Ok(());
        }
        #[cfg(feature = "tracing")]
        trace::refused(&self.errors);
        ::std::result::Result::Err(Problem::bad_request(::std::mem::take(&mut self.errors)))
    }
}

/// The fields of a `multipart/form-data` body as (name, text) pairs, read leniently: any bytes
/// in a part's headers, the name from its `Content-Disposition`; `None` when the body is not
/// delimited by the boundary.
fn multipart_fields(body: &[u8], boundary: &str) -> ::std::option::Option<::std::vec::Vec<(::std::string::String, ::std::string::String)>> {
    let delimiter = format!("--{boundary}");
    let text = ::std::string::String::from_utf8_lossy(body);
    let mut parts = text.split(delimiter.as_str());
    // What precedes the first delimiter is a preamble, and the body must have one.
    parts.next()?;
    let mut out = ::std::vec::Vec::new();
    let mut closed = false;
    for part in parts {
        if part.starts_with("--") {
            closed = true;
            break;
        }
        let part = part.strip_prefix("\r\n").unwrap_or(part);
        let (head, value) = part.split_once("\r\n\r\n")?;
        let value = value.strip_suffix("\r\n").unwrap_or(value);
        let name = head.lines().find_map(|line| {
            let (k, v) = line.split_once(':')?;
            if !k.trim().eq_ignore_ascii_case("content-disposition") {
                return ::std::option::Option::None;
            }
            v.split(';').find_map(|p| {
                let (k, v) = p.trim().split_once('=')?;
                (k == "name").then(|| v.trim_matches('"').to_owned())
            })
        })?;
        out.push((name, value.to_owned()));
    }
    closed.then_some(out)
}

/// Form fields as a JSON object: each field coerced to its property's schema (a field the schema
/// does not list, to `additionalProperties`); a field whose property is an object or array may
/// carry JSON.
fn form_value(pairs: &[(::std::string::String, ::std::string::String)], schema: &Schema) -> ::serde_json::Value {
    let mut schema = schema;
    while let Schema::Ref(inner) = schema {
        schema = inner;
    }
    let (fields, additional): (&[Field], ::std::option::Option<&Schema>) = match schema {
        Schema::Object { fields, additional } => (fields, *additional),
        Schema::Map(values) => (&[], ::std::option::Option::Some(values)),
        _ => (&[], ::std::option::Option::None),
    };
    let mut object = ::serde_json::Map::new();
    let mut names: ::std::vec::Vec<&str> = ::std::vec::Vec::new();
    for (k, _) in pairs {
        if !names.contains(&k.as_str()) {
            names.push(k.as_str());
        }
    }
    for name in names {
        let texts: ::std::vec::Vec<&str> = pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect();
        let field_schema = fields.iter().find(|f| f.name == name).map(|f| f.schema).or(additional);
        let value = match field_schema {
            ::std::option::Option::Some(s @ (Schema::Object { .. } | Schema::Map(_))) => {
                ::serde_json::from_str(texts[0]).unwrap_or_else(|_| coerce(&texts, s))
            }
            ::std::option::Option::Some(s) => coerce(&texts, s),
            ::std::option::Option::None => ::serde_json::Value::String(texts[0].to_owned()),
        };
        object.insert(name.to_owned(), value);
    }
    ::serde_json::Value::Object(object)
}

/// Who made a request, as the implementor's [`Authenticator`] says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Principal {
    /// An identifier of the caller, for the implementation's own use.
    pub subject: ::std::string::String,
    /// The scopes the caller holds.
    pub scopes: ::std::collections::BTreeSet<::std::string::String>,
}

/// A credential found in a request, for one security scheme of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential<'a> {
    /// `Authorization: Bearer <token>`.
    Bearer(&'a str),
    /// `Authorization: Basic`, decoded.
    Basic(::std::string::String, ::std::string::String),
    /// An API key from a header, query parameter or cookie.
    ApiKey(&'a str),
}

/// Turns credentials into principals; supplied by the implementor.
pub trait Authenticator: Send + Sync + 'static {
    /// The principal for a credential presented for `scheme` (a security scheme's name), or
    /// `None` when it is unknown.
    fn authenticate(
        &self,
        scheme: &str,
        credential: Credential<'_>,
    ) -> impl ::std::future::Future<Output = ::std::option::Option<Principal>> + Send;
}

/// How a security scheme's credential is found in a request (shared with the client).
pub use super::runtime::{OperationInfo, SchemeKind};

/// A scheme an operation requires, with the scopes it requires of it.
#[derive(Debug, Clone, Copy)]
pub struct Required {
    /// The scheme's name.
    pub scheme: &'static str,
    /// How its credential is sent.
    pub kind: SchemeKind,
    /// The scopes the principal must hold.
    pub scopes: &'static [&'static str],
}

fn credential<'a>(incoming: &'a Incoming, kind: SchemeKind) -> ::std::option::Option<Credential<'a>> {
    let headers = &incoming.parts.headers;
    match kind {
        SchemeKind::Bearer | SchemeKind::Basic => {
            let value = headers.get(::axum::http::header::AUTHORIZATION)?.to_str().ok()?;
            let (word, rest) = value.split_once(' ')?;
            if kind == SchemeKind::Bearer && word.eq_ignore_ascii_case("bearer") {
                return ::std::option::Option::Some(Credential::Bearer(rest.trim()));
            }
            if kind == SchemeKind::Basic && word.eq_ignore_ascii_case("basic") {
                use ::base64::Engine as _;
                let decoded = ::base64::engine::general_purpose::STANDARD.decode(rest.trim()).ok()?;
                let text = ::std::string::String::from_utf8(decoded).ok()?;
                let (user, password) = text.split_once(':').unwrap_or((&text, ""));
                return ::std::option::Option::Some(Credential::Basic(user.to_owned(), password.to_owned()));
            }
            ::std::option::Option::None
        }
        SchemeKind::ApiKeyHeader(name) => headers.get(name)?.to_str().ok().map(Credential::ApiKey),
        SchemeKind::ApiKeyQuery(name) => incoming.query.iter().find(|(k, _)| k == name).map(|(_, v)| Credential::ApiKey(v.as_str())),
        SchemeKind::ApiKeyCookie(name) => headers.get_all(::axum::http::header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|line| {
            line.split(';').find_map(|pair| {
                let (k, v) = pair.trim().split_once('=')?;
                (k == name).then_some(Credential::ApiKey(v))
            })
        }),
    }
}

/// Checks an operation's security requirements (alternatives, each a list of schemes with
/// scopes). An empty list means no authentication. An empty alternative makes authentication
/// optional: a request that presents no credential for any scheme passes without a principal,
/// while one that presents a credential is checked like any other. 401 when no credential is
/// recognised (naming what the operation accepts), 403 naming the missing scopes when a
/// recognised caller lacks them.
pub async fn authorize<U: Authenticator>(
    auth: &U,
    incoming: &Incoming,
    requirements: &[&[Required]],
) -> ::std::result::Result<::std::option::Option<Principal>, Problem> {
    let optional = requirements.iter().any(|r| r.is_empty());
    if requirements.is_empty() || requirements.iter().all(|r| r.is_empty()) {
        return ::std::result::Result::Ok(::std::option::Option::None);
    }
    let mut missing: ::std::option::Option<::std::vec::Vec<&str>> = ::std::option::Option::None;
    let (mut recognised, mut presented) = (false, false);
    for requirement in requirements.iter().filter(|r| !r.is_empty()) {
        let mut principal = ::std::option::Option::None;
        let mut lacking = ::std::vec::Vec::new();
        let mut all_present = true;
        for required in requirement.iter() {
            let ::std::option::Option::Some(cred) = credential(incoming, required.kind) else {
                all_present = false;
                break;
            };
            presented = true;
            let ::std::option::Option::Some(p) = auth.authenticate(required.scheme, cred).await else {
                all_present = false;
                break;
            };
            lacking.extend(required.scopes.iter().copied().filter(|s| !p.scopes.contains(*s)));
            principal = ::std::option::Option::Some(p);
        }
        if !all_present {
            continue;
        }
        recognised = true;
        if lacking.is_empty() {
            return ::std::result::Result::Ok(principal);
        }
        if missing.as_ref().is_none_or(|m| lacking.len() < m.len()) {
            missing = ::std::option::Option::Some(lacking);
        }
    }
    if recognised {
        let scopes = missing.unwrap_or_default();
        return ::std::result::Result::Err(
            Problem::new(403, "Forbidden").with_detail(format!("missing scope(s): {}", scopes.join(", "))),
        );
    }
    if optional && !presented {
        return ::std::result::Result::Ok(::std::option::Option::None);
    }
    let accepted: ::std::vec::Vec<::std::string::String> = requirements
        .iter()
        .filter(|r| !r.is_empty())
        .map(|r| r.iter().map(|required| describe(required.kind)).collect::<::std::vec::Vec<_>>().join(" and "))
        .collect();
    let mut challenges: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
    for required in requirements.iter().flat_map(|r| r.iter()) {
        // API keys have no registered scheme: their challenge names where the key goes.
        let challenge = match required.kind {
            SchemeKind::Bearer => "Bearer".to_owned(),
            SchemeKind::Basic => "Basic realm=\"api\"".to_owned(),
            SchemeKind::ApiKeyHeader(name) => format!("ApiKey in=\"header\", name=\"{name}\""),
            SchemeKind::ApiKeyQuery(name) => format!("ApiKey in=\"query\", name=\"{name}\""),
            SchemeKind::ApiKeyCookie(name) => format!("ApiKey in=\"cookie\", name=\"{name}\""),
        };
        if !challenges.contains(&challenge) {
            challenges.push(challenge);
        }
    }
    let mut problem = Problem::unauthorized().with_detail(format!("a valid credential is required: {}", accepted.join(", or ")));
    problem.challenges = challenges.into_boxed_slice();
    ::std::result::Result::Err(problem)
}

/// How a scheme's credential is sent, for messages.
fn describe(kind: SchemeKind) -> ::std::string::String {
    match kind {
        SchemeKind::Bearer => "`Authorization: Bearer`".to_owned(),
        SchemeKind::Basic => "`Authorization: Basic`".to_owned(),
        SchemeKind::ApiKeyHeader(name) => format!("the `{name}` header"),
        SchemeKind::ApiKeyQuery(name) => format!("the `{name}` query parameter"),
        SchemeKind::ApiKeyCookie(name) => format!("the `{name}` cookie"),
    }
}

/// A tower layer that axum can put around a route or a router (its service answers every
/// request, cloneably, without error): what [`ServerConfig`]'s layer methods take. Every such
/// layer is one, `axum::middleware::from_fn` and most of tower-http's among them; a layer whose
/// service can fail (tower's `TimeoutLayer`, `LoadShedLayer`) becomes one behind axum's
/// `HandleErrorLayer`.
pub trait RouteLayer: ::std::clone::Clone + ::std::marker::Send + ::std::marker::Sync + 'static {
    /// `methods` wrapped in the layer.
    fn wrap_methods(&self, methods: ::axum::routing::MethodRouter) -> ::axum::routing::MethodRouter;
    /// `router` wrapped in the layer.
    fn wrap_router(&self, router: ::axum::Router) -> ::axum::Router;
}

impl<L> RouteLayer for L
where
    L: ::tower_layer::Layer<::axum::routing::Route> + ::std::clone::Clone + ::std::marker::Send + ::std::marker::Sync + 'static,
    L::Service: ::tower_service::Service<::axum::extract::Request> + ::std::clone::Clone + ::std::marker::Send + ::std::marker::Sync + 'static,
    <L::Service as ::tower_service::Service<::axum::extract::Request>>::Response: ::axum::response::IntoResponse + 'static,
    <L::Service as ::tower_service::Service<::axum::extract::Request>>::Error: ::std::convert::Into<::std::convert::Infallible> + 'static,
    <L::Service as ::tower_service::Service<::axum::extract::Request>>::Future: ::std::marker::Send + 'static,
{
    fn wrap_methods(&self, methods: ::axum::routing::MethodRouter) -> ::axum::routing::MethodRouter {
        methods.layer(self.clone())
    }

    fn wrap_router(&self, router: ::axum::Router) -> ::axum::Router {
        router.layer(self.clone())
    }
}

/// A layer of the user's, applied to the method router of each operation it was selected for.
type OperationLayer = ::std::sync::Arc<dyn Fn(::axum::routing::MethodRouter) -> ::axum::routing::MethodRouter + ::std::marker::Send + ::std::marker::Sync>;

/// Which operations a layer is for.
type Selector = ::std::sync::Arc<dyn Fn(&OperationInfo) -> bool + ::std::marker::Send + ::std::marker::Sync>;

/// A layer of the user's over the whole router.
type RouterLayer = ::std::sync::Arc<dyn Fn(::axum::Router) -> ::axum::Router + ::std::marker::Send + ::std::marker::Sync>;

/// Server settings: the body limit, the document's own routes, tower-http's CORS, timeout,
/// request ids and compression, and the user's tower layers (per operation, per tag, or over the
/// whole router). Built from [`ServerConfig::default`] with its methods.
#[derive(Clone)]
pub struct ServerConfig {
    body_limit: usize,
    document: bool,
    cors: ::std::option::Option<::tower_http::cors::CorsLayer>,
    timeout: ::std::option::Option<::std::time::Duration>,
    request_id: bool,
    #[cfg(feature = "compression")]
    compression: bool,
    operation_layers: ::std::vec::Vec<(Selector, OperationLayer)>,
    router_layers: ::std::vec::Vec<RouterLayer>,
}

impl ::std::default::Default for ServerConfig {
    fn default() -> Self {
        Self {
            body_limit: 2 * 1024 * 1024,
            document: true,
            cors: ::std::option::Option::None,
            timeout: ::std::option::Option::None,
            request_id: false,
            #[cfg(feature = "compression")]
            compression: false,
            operation_layers: ::std::vec::Vec::new(),
            router_layers: ::std::vec::Vec::new(),
        }
    }
}

impl ::std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        let mut out = f.debug_struct("ServerConfig");
        out.field("body_limit", &self.body_limit)
            .field("document", &self.document)
            .field("cors", &self.cors)
            .field("timeout", &self.timeout)
            .field("request_id", &self.request_id);
        #[cfg(feature = "compression")]
        out.field("compression", &self.compression);
        out.field("operation_layers", &self.operation_layers.len())
            .field("router_layers", &self.router_layers.len())
            .finish()
    }
}

impl ServerConfig {
    /// The largest request body accepted, in bytes (413 above it); 2 MiB unless set.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Whether the router serves the document it was generated from at `GET /openapi.json` and
    /// `GET /openapi.yaml` (and the reference page at `/docs` with the `docs-ui` feature); on
    /// unless set. A route the document itself has stays the document's.
    pub fn document(mut self, serve: bool) -> Self {
        self.document = serve;
        self
    }

    /// Answers CORS preflights and adds CORS headers to responses, as tower-http's `CorsLayer`
    /// says.
    pub fn cors(mut self, cors: ::tower_http::cors::CorsLayer) -> Self {
        self.cors = ::std::option::Option::Some(cors);
        self
    }

    /// Answers 503 Service Unavailable to a request not answered within `limit` (tower-http's
    /// `TimeoutLayer`; the implementation's future is dropped).
    pub fn timeout(mut self, limit: ::std::time::Duration) -> Self {
        self.timeout = ::std::option::Option::Some(limit);
        self
    }

    /// Gives every request an `x-request-id` (a new UUID where the caller sent none) and repeats
    /// it on the response; [`RequestContext::request_id`] reads it.
    pub fn request_id(mut self, on: bool) -> Self {
        self.request_id = on;
        self
    }

    /// Compresses response bodies (gzip) for callers that accept it (feature `compression`).
    #[cfg(feature = "compression")]
    pub fn compression(mut self, on: bool) -> Self {
        self.compression = on;
        self
    }

    /// Wraps the whole router in `layer`, inside the request's span, the timeout, CORS and
    /// compression. Layers added later wrap those added earlier. As axum's `Router::layer`
    /// does, it wraps each route and the fallback after routing (a layer that rewrites the URI
    /// does not change which route answers), and each gets its own clone of the layer: a layer
    /// that counts (tower's `ConcurrencyLimitLayer`) counts per route; share its state (tower's
    /// `GlobalConcurrencyLimitLayer`) for one limit over all.
    pub fn layer<L: RouteLayer>(mut self, layer: L) -> Self {
        self.router_layers.push(::std::sync::Arc::new(move |router| layer.wrap_router(router)));
        self
    }

    /// Wraps the operations `select` picks in `layer`: a rate limit on writes
    /// (`|op| op.method != "GET"`), a cache on reads. The layer sees requests after routing and
    /// before authentication; layers added later wrap those added earlier. Operations that share
    /// an axum route and method (paths alike but for literal text beside a parameter) share
    /// their layers: one picked picks them all. Each operation gets its own clone of the layer,
    /// so a layer that counts counts per operation unless its state is shared (see
    /// [`ServerConfig::layer`]).
    pub fn layer_for<F, L>(mut self, select: F, layer: L) -> Self
    where
        F: Fn(&OperationInfo) -> bool + ::std::marker::Send + ::std::marker::Sync + 'static,
        L: RouteLayer,
    {
        let apply = move |methods| layer.wrap_methods(methods);
        self.operation_layers.push((::std::sync::Arc::new(select), ::std::sync::Arc::new(apply)));
        self
    }

    /// Wraps one operation, by its id (`OperationInfo::id`), in `layer`; see
    /// [`ServerConfig::layer_for`].
    pub fn layer_operation<L: RouteLayer>(self, id: &str, layer: L) -> Self {
        let id = id.to_owned();
        self.layer_for(move |op| op.id == id, layer)
    }

    /// Wraps every operation with the tag `tag` in `layer`; see [`ServerConfig::layer_for`].
    pub fn layer_tag<L: RouteLayer>(self, tag: &str, layer: L) -> Self {
        let tag = tag.to_owned();
        self.layer_for(move |op| op.tags.contains(&tag.as_str()), layer)
    }
}

/// The request a handler answers, beyond what the document describes: its headers, the caller's
/// address, the request id, and what the user's middleware put in its extensions.
/// [`RequestContext::current`] gives it to the implementation's methods, which keep their
/// signatures.
#[derive(Debug, Clone)]
pub struct RequestContext {
    parts: ::std::sync::Arc<::axum::http::request::Parts>,
}

::tokio::task_local! {
    static CONTEXT: RequestContext;
}

impl RequestContext {
    /// The request the running method of [`Api`](super::server::Api) answers; `None` outside
    /// of one, and in a task it spawned (clone the context into the task instead).
    pub fn current() -> ::std::option::Option<RequestContext> {
        CONTEXT.try_with(::std::clone::Clone::clone).ok()
    }

    /// The method.
    pub fn method(&self) -> &::axum::http::Method {
        &self.parts.method
    }

    /// The URI as requested.
    pub fn uri(&self) -> &::axum::http::Uri {
        &self.parts.uri
    }

    /// Every header, those the document describes included.
    pub fn headers(&self) -> &::axum::http::HeaderMap {
        &self.parts.headers
    }

    /// The request's extensions, as the user's middleware left them.
    pub fn extensions(&self) -> &::axum::http::Extensions {
        &self.parts.extensions
    }

    /// One extension, by type (what a tower layer inserted: a tenant, a trace id, ...).
    pub fn extension<T: ::std::marker::Send + ::std::marker::Sync + 'static>(&self) -> ::std::option::Option<&T> {
        self.parts.extensions.get::<T>()
    }

    /// The caller's address, when the router is served with it
    /// (`router.into_make_service_with_connect_info::<SocketAddr>()`).
    pub fn remote_addr(&self) -> ::std::option::Option<::std::net::SocketAddr> {
        self.parts
            .extensions
            .get::<::axum::extract::ConnectInfo<::std::net::SocketAddr>>()
            .map(|info| info.0)
    }

    /// The request id: the `x-request-id` header, as a proxy or tower-http's `SetRequestIdLayer`
    /// sets it.
    pub fn request_id(&self) -> ::std::option::Option<&str> {
        self.parts.headers.get("x-request-id").and_then(|v| v.to_str().ok())
    }
}

/// Runs an implementation's answer with its request as the [`RequestContext`].
pub async fn within<F: ::std::future::Future>(incoming: Incoming, answer: F) -> F::Output {
    let context = RequestContext { parts: ::std::sync::Arc::new(incoming.parts) };
    CONTEXT.scope(context, answer).await
}

/// What every handler shares: the implementation, the authenticator, the settings.
pub struct Shared<A, U> {
    /// The implementation of the API.
    pub api: A,
    /// The authenticator.
    pub auth: U,
    /// Settings.
    pub config: ServerConfig,
}

/// Whether a request path fits a path template: literal segments equal, a parameter's segment
/// with the literal text around its parameters.
pub fn path_matches(template: &str, path: &str) -> bool {
    let wanted: ::std::vec::Vec<&str> = template.split('/').collect();
    let got: ::std::vec::Vec<&str> = path.split('/').collect();
    wanted.len() == got.len()
        && wanted.iter().zip(&got).all(|(w, g)| {
            if !w.contains('{') {
                return w == g;
            }
            // The literal text around the placeholders: `a{x}b{y}c` is `a`, `b`, `c`.
            let mut literals = ::std::vec::Vec::new();
            let mut rest = *w;
            while let ::std::option::Option::Some((before, after)) = rest.split_once('{') {
                literals.push(before);
                rest = after.split_once('}').map_or("", |(_, after)| after);
            }
            literals.push(rest);
            split_segment(g, &literals).is_some()
        })
}

/// The start of every handler: the request's head, the caller checked against the operation's
/// security requirements, then (when the operation takes one) the body.
pub async fn begin<A, U: Authenticator>(
    shared: &Shared<A, U>,
    request: ::axum::extract::Request,
    endpoint: &Endpoint<'_>,
) -> ::std::result::Result<(Incoming, ::std::option::Option<Principal>), Problem> {
    #[cfg(feature = "tracing")]
    trace::operation(endpoint);
    let mut incoming = Incoming::new(request).await;
    let principal = authorize(&shared.auth, &incoming, endpoint.security).await?;
    #[cfg(feature = "tracing")]
    trace::principal(principal.as_ref());
    if endpoint.body {
        incoming.read_body(shared.config.body_limit).await?;
    }
    ::std::result::Result::Ok((incoming, principal))
}

/// The end of every handler: the implementation's answer as a response.
pub fn respond<R: ::axum::response::IntoResponse>(answer: ::std::result::Result<R, Problem>) -> ::axum::response::Response {
    match answer {
        ::std::result::Result::Ok(response) => response.into_response(),
        ::std::result::Result::Err(problem) => ::axum::response::IntoResponse::into_response(problem),
    }
}

/// The 404 for paths the document does not have.
pub async fn not_found() -> Problem {
    Problem::not_found()
}

/// The 405 for a method a path does not have.
pub async fn method_not_allowed() -> Problem {
    Problem::new(405, "Method Not Allowed")
}

/// The method router of one route with `handler` added for `filter`, inside the layers the
/// configuration selects for `operations` (those the handler serves).
pub fn on<A, U, H, T>(
    methods: ::axum::routing::MethodRouter,
    shared: &::std::sync::Arc<Shared<A, U>>,
    filter: ::axum::routing::MethodFilter,
    handler: H,
    operations: &[&OperationInfo],
) -> ::axum::routing::MethodRouter
where
    A: ::std::marker::Send + ::std::marker::Sync + 'static,
    U: ::std::marker::Send + ::std::marker::Sync + 'static,
    H: ::axum::handler::Handler<T, ::std::sync::Arc<Shared<A, U>>>,
    T: 'static,
{
    let mut one = ::axum::routing::MethodRouter::new().on(filter, handler).with_state(::std::sync::Arc::clone(shared));
    for (select, layer) in &shared.config.operation_layers {
        if operations.iter().any(|op| select(op)) {
            one = layer(one);
        }
    }
    methods.merge(one)
}

/// The document a server was generated from, as it serves it: each text, or `None` where the
/// document has an operation of its own at that route.
#[derive(Debug, Clone, Copy)]
pub struct Document {
    /// `GET /openapi.json`.
    pub json: ::std::option::Option<&'static str>,
    /// `GET /openapi.yaml`.
    pub yaml: ::std::option::Option<&'static str>,
    /// Whether `/docs` and its assets are free for the reference page (feature `docs-ui`).
    pub docs: bool,
}

/// The router's end: the 404 fallback, the document's routes, then (innermost first) the user's
/// router-wide layers, compression, the timeout, CORS, the request's span, request ids.
pub fn finish<A, U>(router: ::axum::Router, shared: &Shared<A, U>, document: &'static Document) -> ::axum::Router {
    let config = &shared.config;
    let mut router = router.fallback(not_found);
    if config.document {
        if let ::std::option::Option::Some(json) = document.json {
            router = router.route("/openapi.json", ::axum::routing::get(move || serve_text("application/json", json)));
        }
        if let ::std::option::Option::Some(yaml) = document.yaml {
            router = router.route("/openapi.yaml", ::axum::routing::get(move || serve_text("application/yaml", yaml)));
        }
        #[cfg(feature = "docs-ui")]
        if document.docs && document.json.is_some() {
            router = docs_ui::routes(router);
        }
    }
    for layer in &config.router_layers {
        router = layer(router);
    }
    #[cfg(feature = "compression")]
    if config.compression {
        router = router.layer(::tower_http::compression::CompressionLayer::new());
    }
    if let ::std::option::Option::Some(limit) = config.timeout {
        router = router.layer(::tower_http::timeout::TimeoutLayer::with_status_code(::axum::http::StatusCode::SERVICE_UNAVAILABLE, limit));
    }
    if let ::std::option::Option::Some(cors) = &config.cors {
        router = router.layer(::std::clone::Clone::clone(cors));
    }
    #[cfg(feature = "tracing")]
    {
        router = router.layer(::axum::middleware::from_fn(trace::request));
    }
    if config.request_id {
        let header = ::axum::http::HeaderName::from_static("x-request-id");
        router = router
            .layer(::tower_http::request_id::PropagateRequestIdLayer::new(::std::clone::Clone::clone(&header)))
            .layer(::tower_http::request_id::SetRequestIdLayer::new(header, ::tower_http::request_id::MakeRequestUuid));
    }
    router
}

/// The API reference page at `/docs` (feature `docs-ui`): Swagger UI, its assets served from the
/// crate (the `swagger-ui-dist` crate embeds them), reading `/openapi.json`.
#[cfg(feature = "docs-ui")]
mod docs_ui {
    /// The page. Its URLs are relative, so it works under a prefix the router is nested at; it
    /// lists the serving origin first among the servers, so "Try it out" calls this server.
    const PAGE: &str = r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API reference</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
<div id="reference"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script>
fetch("openapi.json")
  .then(function (answer) { return answer.json(); })
  .then(function (spec) {
    var here = new URL(".", window.location.href).href.replace(/\/$/, "");
    spec.servers = [{ url: here, description: "this server" }].concat(spec.servers || []);
    window.ui = SwaggerUIBundle({
      spec: spec,
      dom_id: "#reference",
      docExpansion: "list",
      deepLinking: false,
      validatorUrl: null,
      defaultModelsExpandDepth: -1,
      onComplete: function () { window.referenceReady = true; },
    });
  });
</script>
</body>
</html>
"##;

    /// `router` with `/docs` and the page's two assets.
    pub(super) fn routes(router: ::axum::Router) -> ::axum::Router {
        let assets = ::swagger_ui_dist::generate_routes(::swagger_ui_dist::ApiDefinition {
            uri_prefix: "/docs",
            api_definition: ::swagger_ui_dist::OpenApiSource::Uri("/openapi.json"),
            title: ::std::option::Option::None,
        });
        router
            .route("/docs", ::axum::routing::get(|| async { ::axum::response::Html(PAGE) }))
            .route_service("/docs/swagger-ui-bundle.js", ::std::clone::Clone::clone(&assets).into_service::<::axum::body::Body>())
            .route_service("/docs/swagger-ui.css", assets.into_service::<::axum::body::Body>())
    }
}

/// A static text with its media type.
async fn serve_text(media_type: &'static str, text: &'static str) -> ::axum::response::Response {
    ::axum::response::IntoResponse::into_response(([(::axum::http::header::CONTENT_TYPE, media_type)], text))
}

/// The span of a request (feature `tracing`): OpenTelemetry's HTTP server fields, the operation
/// and the principal, and nothing that may be secret (no credential, query value or body).
#[cfg(feature = "tracing")]
mod trace {
    use super::{Endpoint, Principal, Violation};

    /// Answers `request` inside its span, and records the status it got.
    pub(super) async fn request(request: ::axum::extract::Request, next: ::axum::middleware::Next) -> ::axum::response::Response {
        let agent = request.headers().get(::axum::http::header::USER_AGENT).and_then(|v| v.to_str().ok());
        let span = ::tracing::info_span!(
            "request",
            "otel.name" = ::tracing::field::Empty,
            "otel.kind" = "server",
            "otel.status_code" = ::tracing::field::Empty,
            "operation.id" = ::tracing::field::Empty,
            "http.request.method" = request.method().as_str(),
            "http.route" = ::tracing::field::Empty,
            "url.scheme" = request.uri().scheme_str().unwrap_or("http"),
            "user_agent.original" = agent,
            "enduser.id" = ::tracing::field::Empty,
            "http.response.status_code" = ::tracing::field::Empty,
            "error.type" = ::tracing::field::Empty,
        );
        let response = ::tracing::Instrument::instrument(next.run(request), span.clone()).await;
        let status = response.status().as_u16();
        span.record("http.response.status_code", status);
        if status >= 500 {
            span.record("error.type", status.to_string().as_str());
            span.record("otel.status_code", "ERROR");
        }
        response
    }

    /// Names the current request's span after the operation that answers it.
    pub(super) fn operation(endpoint: &Endpoint<'_>) {
        let span = ::tracing::Span::current();
        span.record("otel.name", endpoint.operation.id);
        span.record("operation.id", endpoint.operation.id);
        span.record("http.route", endpoint.operation.path);
    }

    /// Records who is calling, when someone authenticated.
    pub(super) fn principal(principal: ::std::option::Option<&Principal>) {
        if let ::std::option::Option::Some(principal) = principal {
            ::tracing::Span::current().record("enduser.id", principal.subject.as_str());
        }
    }

    /// Logs why a request was refused, pointer by pointer (values stay out).
    pub(super) fn refused(violations: &[Violation]) {
        for violation in violations {
            ::tracing::debug!(pointer = %violation.pointer, reason = %violation.message, "request refused");
        }
    }
}
