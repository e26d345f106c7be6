//! The only place that turns wire names into Rust names.
//!
//! Every identifier the emitters print comes from here, so keywords, leading digits, symbols and
//! collisions are handled once, with one table test.

use std::collections::BTreeSet;

use heck::{ToPascalCase, ToSnakeCase};

/// Words that cannot be used as plain identifiers in edition 2024 (strict and reserved keywords).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "super", "trait", "true", "try",
    "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot even be raw identifiers (`r#self` is rejected by rustc).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names that would shadow the prelude or the items every generated module uses.
const RESERVED_TYPES: &[&str] = &[
    "Self",
    "Option",
    "Result",
    "Vec",
    "String",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "ToString",
    "Into",
    "From",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "AsRef",
    "AsMut",
    "Serialize",
    "Deserialize",
];

/// Methods of the runtime's `Client` (its own, and `clone` that users call on it), which an
/// operation's method never takes: `send` stays the executor, `builder` the constructor.
pub const CLIENT_METHODS: &[&str] =
    &["base_url", "build", "builder", "clone", "dispatch", "execute", "send", "url", "with_options"];

/// Functions the `server` module defines beside the operations' handlers, and the locals of its
/// `router` that would shadow a handler of the same name.
pub const SERVER_FUNCTIONS: &[&str] = &["methods", "router", "shared"];

/// Names the generated bodies use beside an operation's arguments (the query struct, the body,
/// the principal, the request being built, the server's request state, the page being
/// followed), which a parameter never takes.
pub const ARGUMENT_LOCALS: &[&str] =
    &["query", "body", "principal", "request", "incoming", "shared", "next", "next_url", "next_token", "next_number"];

/// Why `name`, given by a user (`x-rust-name`, a configured rename), cannot name a generated
/// type: not an identifier, a keyword, or a name of the prelude the generated code uses.
pub fn type_name_problem(name: &str) -> Option<String> {
    identifier_problem(name).or_else(|| {
        RESERVED_TYPES
            .contains(&name)
            .then(|| format!("`{name}` would shadow a type the generated code uses; pick another name"))
    })
}

/// Why `name`, given by a user, cannot name a generated field, variant or method.
pub fn identifier_problem(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let well_formed = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_";
    if !well_formed {
        Some(format!("`{name}` is not a Rust identifier (ASCII letters, digits and `_`, not starting with a digit)"))
    } else if KEYWORDS.contains(&name) || NOT_RAW.contains(&name) {
        Some(format!("`{name}` is a Rust keyword"))
    } else {
        None
    }
}

/// Splits a wire name into words: symbols become word breaks, and a few meaningful symbols
/// become words of their own so `+1` and `-1` stay apart.
fn words(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len() + 4);
    for c in wire.chars() {
        match c {
            '+' => out.push_str(" plus "),
            '@' => out.push_str(" at "),
            c if c.is_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    // Non-ASCII letters are valid in Rust identifiers only when they are XID characters; keep
    // ASCII to be safe and readable.
    out.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect()
}

/// A field, method or module name: snake_case, never a keyword, never starting with a digit.
pub fn snake(wire: &str) -> String {
    let mut name = words(wire).to_snake_case();
    if name.is_empty() {
        name.push_str("field");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    escape_keyword(name)
}

/// A type name: PascalCase, never a keyword or a prelude name, never starting with a digit.
pub fn pascal(wire: &str) -> String {
    let mut name = pascal_words(wire);
    if RESERVED_TYPES.contains(&name.as_str()) || KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// PascalCase words, never empty, never starting with a digit.
fn pascal_words(wire: &str) -> String {
    let mut name = words(wire).to_pascal_case();
    if name.is_empty() {
        name.push_str("Empty");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    name
}

/// A type name composed from parts that are type names already (`Result_` + `Hits` +
/// `Item`): the `_` that kept a part off a reserved name goes, and comes back only if the whole
/// is reserved.
pub fn compose(hint: &str) -> String {
    let joined: String = hint.chars().filter(|c| *c != '_').collect();
    if joined.is_empty() {
        return "Empty".to_owned();
    }
    pascal(&joined)
}

/// A variant name for an enum value: like [`pascal`], but digits lead with `Value`, a sign is
/// spelled out (so `-1`, `1` and `+1` stay apart), and prelude names stay (`String`, `None`).
pub fn variant(wire: &str) -> String {
    if wire.is_empty() {
        return "Empty".to_owned();
    }
    let spelled = match wire.strip_prefix('-') {
        Some(rest) => format!("minus {rest}"),
        None => wire.to_owned(),
    };
    // A variant is only ever named through its enum (`Kind::String`), so prelude names are
    // free; `Self` is a keyword.
    let name = pascal_words(&spelled);
    match name.strip_prefix('V') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => format!("Value{rest}"),
        _ if name == "Self" => "Self_".to_owned(),
        _ => name,
    }
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// A cargo feature name for a tag: `tag-` and the tag in lower-case ASCII words joined by `-`
/// (`Pull Requests` -> `tag-pull-requests`).
pub fn tag_feature(tag: &str) -> String {
    feature("tag", tag)
}

/// A cargo feature name for a group of paths: `path-` and the group's last segment (or, `whole`,
/// all of it) in lower-case ASCII words joined by `-` (`/v1/payment_intents` ->
/// `path-payment-intents`, whole: `path-v1-payment-intents`).
pub fn path_feature(group: &str, whole: bool) -> String {
    feature("path", if whole { group } else { group.rsplit('/').next().unwrap_or(group) })
}

/// `prefix-` and `text` in lower-case ASCII words joined by `-`.
fn feature(prefix: &str, text: &str) -> String {
    let words: String =
        text.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let words: Vec<&str> = words.split('-').filter(|w| !w.is_empty()).collect();
    if words.is_empty() { format!("{prefix}-untitled") } else { format!("{prefix}-{}", words.join("-")) }
}

/// Hands out unique names within one scope (a module, a struct's fields, an enum's variants):
/// the second `user_id` becomes `user_id_2`, the second `Role` becomes `Role2`.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// An empty scope.
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope where `names` are already taken (by the runtime or by generated code).
    pub fn reserving<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        Self { taken: names.into_iter().map(str::to_owned).collect() }
    }

    /// Whether `name` is still free.
    pub fn is_free(&self, name: &str) -> bool {
        !self.taken.contains(name)
    }

    /// Claims a type name composed from parts (see [`compose`]).
    pub fn claim_type(&mut self, hint: &str) -> String {
        self.claim(&compose(hint))
    }

    /// Returns `base` if free, otherwise the first free `base` + separator + n (n = 2, 3, ...).
    pub fn claim(&mut self, base: &str) -> String {
        // Snake-case names get `_2`; PascalCase names get `2`. Raw identifiers lose the `r#` once
        // suffixed, since `type_2` is no keyword.
        let stem = base.strip_prefix("r#").unwrap_or(base);
        let snake_like = stem.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
        self.claim_with(base, stem.trim_end_matches('_'), if snake_like { "_" } else { "" })
    }

    /// Claims a cargo feature name: `name`, or `name-2`, `name-3`, ...
    pub fn claim_feature(&mut self, name: &str) -> String {
        self.claim_with(name, name, "-")
    }

    /// `base` if free, otherwise the first free `stem` + `separator` + n (n = 2, 3, ...).
    fn claim_with(&mut self, base: &str, stem: &str, separator: &str) -> String {
        if self.taken.insert(base.to_owned()) {
            return base.to_owned();
        }
        let mut n = 2usize;
        loop {
            let candidate = format!("{stem}{separator}{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// The variant name of a response status in an operation's response enum.
pub fn status_variant(status: crate::ir::Status) -> String {
    use crate::ir::Status;
    let known = |code: u16| -> Option<&'static str> {
        Some(match code {
            200 => "Ok",
            201 => "Created",
            202 => "Accepted",
            203 => "NonAuthoritativeInformation",
            204 => "NoContent",
            206 => "PartialContent",
            301 => "MovedPermanently",
            302 => "Found",
            303 => "SeeOther",
            304 => "NotModified",
            307 => "TemporaryRedirect",
            308 => "PermanentRedirect",
            400 => "BadRequest",
            401 => "Unauthorized",
            402 => "PaymentRequired",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            406 => "NotAcceptable",
            409 => "Conflict",
            410 => "Gone",
            412 => "PreconditionFailed",
            413 => "PayloadTooLarge",
            415 => "UnsupportedMediaType",
            422 => "UnprocessableEntity",
            423 => "Locked",
            429 => "TooManyRequests",
            500 => "InternalServerError",
            501 => "NotImplemented",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            _ => return None,
        })
    };
    match status {
        Status::Code(code) => known(code).map_or_else(|| format!("Status{code}"), str::to_owned),
        Status::Range(n) => format!("Status{n}xx"),
        Status::Default => "Default".to_owned(),
    }
}

/// Names for a list of wire names in one scope, in the list's order: a wire name that is already
/// its own Rust name (`user_id`) keeps it, and the others (`userId`) get the suffixes.
pub fn assign<'a>(wires: impl IntoIterator<Item = &'a str>, rust: fn(&str) -> String) -> Vec<String> {
    assign_in(Scope::new(), wires, rust)
}

/// [`assign`] in a scope where some names are already taken (given by the user).
pub fn assign_in<'a>(
    mut scope: Scope,
    wires: impl IntoIterator<Item = &'a str>,
    rust: fn(&str) -> String,
) -> Vec<String> {
    let wanted: Vec<(&str, String)> = wires.into_iter().map(|w| (w, rust(w))).collect();
    let mut out: Vec<Option<String>> = vec![None; wanted.len()];
    for (i, (wire, name)) in wanted.iter().enumerate() {
        if wire == name {
            out[i] = Some(scope.claim(name));
        }
    }
    wanted.iter().zip(out).map(|((_, name), done)| done.unwrap_or_else(|| scope.claim(name))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The functions defined in the `impl <ty> {` blocks of a runtime template.
    fn inherent_methods(template: &str, ty: &str) -> Vec<String> {
        let opening = format!("\nimpl {ty} {{");
        let mut out = Vec::new();
        for (at, _) in template.match_indices(&opening) {
            let block = &template[at + opening.len()..];
            let block = &block[..block.find("\n}\n").unwrap_or(block.len())];
            for line in block.lines().filter(|l| l.starts_with("    ") && !l.starts_with("     ")) {
                if let Some((_, rest)) = line.split_once("fn ") {
                    let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    out.push(name);
                }
            }
        }
        out
    }

    #[test]
    fn every_method_of_the_runtime_client_is_reserved() {
        let methods = inherent_methods(include_str!("../../templates/client_runtime.rs"), "Client");
        assert!(methods.contains(&"send".to_owned()), "{methods:?}");
        for method in methods {
            assert!(CLIENT_METHODS.contains(&method.as_str()), "`Client::{method}` is not in CLIENT_METHODS");
        }
    }

    #[test]
    fn tag_feature_table() {
        for (tag, feature) in [
            ("repos", "tag-repos"),
            ("Pull Requests", "tag-pull-requests"),
            ("users.user", "tag-users-user"),
            ("proxy_records", "tag-proxy-records"),
            ("--", "tag-untitled"),
            ("Überblick 2", "tag-berblick-2"),
        ] {
            assert_eq!(tag_feature(tag), feature, "{tag}");
        }
    }

    #[test]
    fn snake_table() {
        let table = [
            ("type", "r#type"),
            ("self", "self_"),
            ("Self", "self_"),
            ("crate", "crate_"),
            ("super", "super_"),
            ("async", "r#async"),
            ("gen", "r#gen"),
            ("2fa", "_2fa"),
            ("x-rate-limit", "x_rate_limit"),
            ("@id", "at_id"),
            ("@type", "at_type"),
            ("+1", "plus_1"),
            ("-1", "_1"),
            ("", "field"),
            ("userId", "user_id"),
            ("user_id", "user_id"),
            ("HTTPStatus", "http_status"),
            ("is_2fa_enabled", "is_2fa_enabled"),
            ("$ref", "r#ref"),
            ("naïve", "na_ve"),
        ];
        for (wire, want) in table {
            let got = snake(wire);
            assert_eq!(got, want, "snake({wire:?})");
            syn::parse_str::<syn::Ident>(&got).expect("snake names are identifiers");
        }
    }

    #[test]
    fn pascal_table() {
        let table = [
            ("role", "Role"),
            ("Option", "Option_"),
            ("Result", "Result_"),
            ("type", "Type"),
            ("Self", "Self_"),
            ("3DSecure", "V3dSecure"),
            ("x-rate-limit", "XRateLimit"),
            ("", "Empty"),
            ("Patched Role", "PatchedRole"),
            ("io.k8s.api.core.v1.Pod", "IoK8sApiCoreV1Pod"),
        ];
        for (wire, want) in table {
            let got = pascal(wire);
            assert_eq!(got, want, "pascal({wire:?})");
            syn::parse_str::<syn::Ident>(&got).expect("pascal names are identifiers");
        }
    }

    #[test]
    fn composed_names_drop_inner_underscores() {
        assert_eq!(compose("Result_HitsItem"), "ResultHitsItem");
        assert_eq!(compose("Self_Body"), "SelfBody");
        assert_eq!(compose("Option_"), "Option_");
        assert_eq!(compose("V3dSecureItem"), "V3dSecureItem");
    }

    #[test]
    fn variant_table() {
        let table = [
            ("waiting", "Waiting"),
            ("timed_out", "TimedOut"),
            ("in-progress", "InProgress"),
            ("2nd", "Value2nd"),
            ("1", "Value1"),
            ("-1", "Minus1"),
            ("+1", "Plus1"),
            ("", "Empty"),
            ("Sales / Success", "SalesSuccess"),
            ("string", "String"),
            ("None", "None"),
            ("Option", "Option"),
            ("self", "Self_"),
        ];
        for (wire, want) in table {
            assert_eq!(variant(wire), want, "variant({wire:?})");
        }
    }

    #[test]
    fn scope_suffixes_deterministically() {
        let mut fields = Scope::new();
        assert_eq!(fields.claim(&snake("user_id")), "user_id");
        assert_eq!(fields.claim(&snake("userId")), "user_id_2");
        assert_eq!(fields.claim(&snake("UserId")), "user_id_3");
        assert_eq!(fields.claim(&snake("type")), "r#type");
        assert_eq!(fields.claim(&snake("Type")), "type_2");
        assert_eq!(assign(["userId", "user_id", "UserId"], snake), ["user_id_2", "user_id", "user_id_3"]);
        let mut types = Scope::new();
        assert_eq!(types.claim("RoleRequest"), "RoleRequest");
        assert_eq!(types.claim("RoleRequest"), "RoleRequest2");
        assert_eq!(types.claim("Option_"), "Option_");
        assert_eq!(types.claim("Option_"), "Option2");
    }
}
