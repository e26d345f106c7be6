// Runtime of the generated async client: configuration, credentials, the one request executor
// (retries, timeouts), parameter encoding, response decoding and pagination. Copied verbatim by
// oagen from templates/client_runtime.rs into every generated crate; generated methods are thin
// wrappers that build a `Request` and decode a `Response`.

use ::std::time::Duration;

/// Everything a call can fail with, and the operation it failed in: `Display` says both in one
/// line (`roles_retrieve (GET /api/roles/{id}/) failed: error status 404, as documented: ..`).
/// `E` is the body of the operation's documented error statuses (an enum of them when their
/// bodies differ); an operation that documents none has no such body, and its error is plain
/// `Error`. What went wrong is [`Error::kind`].
#[derive(Debug)]
pub struct Error<E = ::std::convert::Infallible> {
    operation: ::std::option::Option<&'static OperationInfo>,
    kind: ErrorKind<E>,
}

/// What went wrong in a call ([`Error::kind`]). More kinds may come, so a `match` on it needs a
/// `_` arm.
#[derive(Debug, ::thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind<E = ::std::convert::Infallible> {
    /// The request could not be built (a base URL or value that does not fit a URL or header).
    #[error("invalid request: {0}")]
    InvalidRequest(::std::string::String),
    /// The server could not be reached, or the exchange broke off. The error's URL has no query,
    /// so no credential or parameter value sent there shows in messages.
    #[error("transport error: {0}")]
    Transport(#[source] ::reqwest::Error),
    /// No answer within the configured timeout.
    #[error("timed out: {0}")]
    Timeout(#[source] ::reqwest::Error),
    /// A step of the caller's middleware stack failed (only with the `middleware` feature and
    /// `ClientBuilder::middleware`).
    #[error("middleware error: {0}")]
    Middleware(#[source] ::std::boxed::Box<dyn ::std::error::Error + ::std::marker::Send + ::std::marker::Sync>),
    /// A status the document lists for the operation as an error (4XX, 5XX, `default` beside a
    /// success, or any status outside 2XX), with its body decoded.
    #[error("error status {status}, as documented: {body:?}")]
    Documented {
        /// The status.
        status: ::reqwest::StatusCode,
        /// The response headers.
        headers: ::std::boxed::Box<::reqwest::header::HeaderMap>,
        /// The body, typed as the document describes it for this status.
        body: E,
    },
    /// A status the document does not list for the operation; everything the server sent is kept.
    #[error("unexpected status {status}: {}", snippet(body))]
    UnexpectedStatus {
        /// The status.
        status: ::reqwest::StatusCode,
        /// The response headers.
        headers: ::std::boxed::Box<::reqwest::header::HeaderMap>,
        /// The response body.
        body: ::bytes::Bytes,
    },
    /// A documented status whose body does not match the document's schema.
    #[error("cannot decode the {status} response at `{path}`: {message} (body: {snippet})")]
    Decode {
        /// The status.
        status: ::reqwest::StatusCode,
        /// Where in the body decoding failed, as a path like `results[3].created_at`.
        path: ::std::string::String,
        /// What serde said.
        message: ::std::string::String,
        /// The start of the body.
        snippet: ::std::string::String,
    },
    /// A URL (a next-page link from a response) on another origin than the base URL's: the
    /// client does not send its credentials there, so it does not follow it. Trusted origins are
    /// named with [`ClientBuilder::allow_origin`].
    #[error("refusing to send credentials to {origin}, which is not the base URL's origin (`{url}`); trust it with ClientBuilder::allow_origin")]
    ForeignOrigin {
        /// The origin (`scheme://host:port`) the URL points at.
        origin: ::std::string::String,
        /// The URL, without its query.
        url: ::std::string::String,
    },
}

impl<E> ::std::convert::From<ErrorKind<E>> for Error<E> {
    fn from(kind: ErrorKind<E>) -> Self {
        Self { operation: ::std::option::Option::None, kind }
    }
}

impl<E: ::std::fmt::Debug> ::std::fmt::Display for Error<E> {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        if let ::std::option::Option::Some(op) = self.operation {
            write!(f, "{} ({} {}) failed: ", op.id, op.method, op.path)?;
        }
        ::std::fmt::Display::fmt(&self.kind, f)
    }
}

impl<E: ::std::fmt::Debug> ::std::error::Error for Error<E> {
    fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
        // The kind's own message is already in `Display`, so the chain goes on below it.
        match &self.kind {
            ErrorKind::Transport(e) | ErrorKind::Timeout(e) => ::std::option::Option::Some(e),
            ErrorKind::Middleware(e) => e.source(),
            _ => ::std::option::Option::None,
        }
    }
}

impl<E> Error<E> {
    /// An error of `kind` (for hooks and token sources); the client adds the operation.
    pub fn new(kind: ErrorKind<E>) -> Self {
        kind.into()
    }

    /// A request that cannot be made, for the reason given (hooks and token sources refuse
    /// calls with it).
    pub fn invalid_request(reason: impl ::std::convert::Into<::std::string::String>) -> Self {
        ErrorKind::InvalidRequest(reason.into()).into()
    }

    /// The operation the call was for: every error of a call has it; only an error of building
    /// the client itself has none.
    pub fn operation(&self) -> ::std::option::Option<&'static OperationInfo> {
        self.operation
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind<E> {
        &self.kind
    }

    /// What went wrong, taken out (to match on it by value).
    pub fn into_kind(self) -> ErrorKind<E> {
        self.kind
    }

    /// The error, as an error of `operation` unless it already names one.
    fn at(mut self, operation: &'static OperationInfo) -> Self {
        self.operation.get_or_insert(operation);
        self
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> ::std::option::Option<::reqwest::StatusCode> {
        match &self.kind {
            ErrorKind::UnexpectedStatus { status, .. } | ErrorKind::Decode { status, .. } | ErrorKind::Documented { status, .. } => {
                ::std::option::Option::Some(*status)
            }
            ErrorKind::Transport(e) | ErrorKind::Timeout(e) => e.status(),
            ErrorKind::InvalidRequest(_) | ErrorKind::ForeignOrigin { .. } | ErrorKind::Middleware(_) => ::std::option::Option::None,
        }
    }

    /// Whether the same request, sent again, may well succeed: the server could not be reached
    /// or did not answer in time, or it answered 408, 429, 502, 503 or 504. (The client retries
    /// idempotent requests after some of these itself, as its [`RetryPolicy`] says.)
    pub fn is_retryable(&self) -> bool {
        match &self.kind {
            ErrorKind::Timeout(_) => true,
            ErrorKind::Transport(e) => e.is_connect() || e.is_timeout(),
            ErrorKind::UnexpectedStatus { status, .. } | ErrorKind::Documented { status, .. } => {
                matches!(status.as_u16(), 408 | 429 | 502 | 503 | 504)
            }
            ErrorKind::InvalidRequest(_) | ErrorKind::Decode { .. } | ErrorKind::ForeignOrigin { .. } | ErrorKind::Middleware(_) => false,
        }
    }

    /// The documented error body, when the server answered with a documented error status.
    pub fn documented(&self) -> ::std::option::Option<&E> {
        match &self.kind {
            ErrorKind::Documented { body, .. } => ::std::option::Option::Some(body),
            _ => ::std::option::Option::None,
        }
    }

    /// The documented error body, taken out.
    pub fn into_documented(self) -> ::std::option::Option<E> {
        match self.kind {
            ErrorKind::Documented { body, .. } => ::std::option::Option::Some(body),
            _ => ::std::option::Option::None,
        }
    }

    /// What `error.type` says of it in traces: the status code, or what kind of failure it was.
    pub fn type_name(&self) -> ::std::borrow::Cow<'static, str> {
        match &self.kind {
            ErrorKind::InvalidRequest(_) => "invalid_request".into(),
            ErrorKind::Transport(_) => "transport".into(),
            ErrorKind::Timeout(_) => "timeout".into(),
            ErrorKind::Middleware(_) => "middleware".into(),
            ErrorKind::Decode { .. } => "decode".into(),
            ErrorKind::ForeignOrigin { .. } => "foreign_origin".into(),
            ErrorKind::Documented { status, .. } | ErrorKind::UnexpectedStatus { status, .. } => status.as_u16().to_string().into(),
        }
    }
}

impl Error {
    /// The same error, as the error of an operation whose documented errors have bodies of type
    /// `E` (the runtime's own errors carry none).
    pub fn widen<E>(self) -> Error<E> {
        let kind = match self.kind {
            ErrorKind::InvalidRequest(message) => ErrorKind::InvalidRequest(message),
            ErrorKind::Transport(e) => ErrorKind::Transport(e),
            ErrorKind::Timeout(e) => ErrorKind::Timeout(e),
            ErrorKind::Middleware(e) => ErrorKind::Middleware(e),
            ErrorKind::Documented { body, .. } => match body {},
            ErrorKind::UnexpectedStatus { status, headers, body } => ErrorKind::UnexpectedStatus { status, headers, body },
            ErrorKind::Decode { status, path, message, snippet } => ErrorKind::Decode { status, path, message, snippet },
            ErrorKind::ForeignOrigin { origin, url } => ErrorKind::ForeignOrigin { origin, url },
        };
        Error { operation: self.operation, kind }
    }
}

/// A transport failure, its URL redacted.
fn transport(e: ::reqwest::Error) -> ErrorKind {
    let e = redact(e);
    if e.is_timeout() { ErrorKind::Timeout(e) } else { ErrorKind::Transport(e) }
}

/// `e` with the query and password taken off its URL (credentials and parameter values may be
/// there), so messages and logs cannot show them.
fn redact(mut e: ::reqwest::Error) -> ::reqwest::Error {
    if let ::std::option::Option::Some(url) = e.url_mut() {
        url.set_query(::std::option::Option::None);
        let _ = url.set_password(::std::option::Option::None);
    }
    e
}

/// The start of a body on one line, for messages.
fn snippet(body: &[u8]) -> ::std::string::String {
    const MAX: usize = 200;
    let text: ::std::string::String = ::std::string::String::from_utf8_lossy(&body[..body.len().min(MAX)])
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if body.len() > MAX { format!("{text}…") } else { text }
}

/// When and how often idempotent requests are tried again: after a 429 or 503 (waiting as long
/// as `Retry-After` asks) and after a failed connection, with exponential backoff and jitter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries after the first; 0 turns retries off.
    pub max_retries: u32,
    /// The wait before the first retry; doubled for each further one.
    pub initial_backoff: Duration,
    /// The longest wait between tries, `Retry-After` included.
    pub max_backoff: Duration,
}

impl RetryPolicy {
    /// No retries.
    pub fn disabled() -> Self {
        Self { max_retries: 0, ..Self::default() }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(2u32.saturating_pow(attempt.min(16)));
        let capped = exp.min(self.max_backoff);
        // Jitter: anywhere from half to all of the backoff, so clients do not retry in step.
        let half = capped / 2;
        half + half.mul_f64(::fastrand::f64())
    }
}

impl ::std::default::Default for RetryPolicy {
    fn default() -> Self {
        Self { max_retries: 3, initial_backoff: Duration::from_millis(200), max_backoff: Duration::from_secs(30) }
    }
}

/// How one security scheme of the document is satisfied (shared with the server).
pub use super::runtime::SchemeKind;

/// A security scheme of the document, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scheme {
    /// Its name in `components/securitySchemes`.
    pub name: &'static str,
    /// How it is sent.
    pub kind: SchemeKind,
}

/// One way to authenticate an operation: all of these schemes at once. An operation lists its
/// alternatives; an empty list means no authentication.
pub type Requirement = &'static [Scheme];

/// A credential for one scheme; `Debug` shows that it is set, never what it is.
#[derive(Clone)]
enum Secret {
    Token(::std::string::String),
    Basic(::std::string::String, ::std::option::Option<::std::string::String>),
}

impl ::std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str("<secret>")
    }
}

#[derive(Debug, Clone, Default)]
struct Credentials {
    by_scheme: ::std::collections::BTreeMap<::std::string::String, Secret>,
    bearer: ::std::option::Option<Secret>,
    basic: ::std::option::Option<Secret>,
    api_key: ::std::option::Option<Secret>,
}

impl Credentials {
    fn for_scheme(&self, scheme: &Scheme) -> ::std::option::Option<Secret> {
        if let ::std::option::Option::Some(secret) = self.by_scheme.get(scheme.name) {
            return ::std::option::Option::Some(secret.clone());
        }
        match scheme.kind {
            SchemeKind::Bearer => self.bearer.clone(),
            SchemeKind::Basic => self.basic.clone(),
            SchemeKind::ApiKeyHeader(_) | SchemeKind::ApiKeyQuery(_) | SchemeKind::ApiKeyCookie(_) => self.api_key.clone(),
        }
    }
}

/// Configures a [`Client`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: ::std::string::String,
    timeout: ::std::option::Option<Duration>,
    user_agent: ::std::string::String,
    http: ::std::option::Option<::reqwest::Client>,
    credentials: Credentials,
    retry: RetryPolicy,
    /// Whether [`ClientBuilder::retry`] was called (a middleware stack then keeps the policy).
    retry_set: bool,
    allowed_origins: ::std::vec::Vec<::std::string::String>,
    hooks: Hooks,
    tokens: Tokens,
    #[cfg(feature = "middleware")]
    middleware: ::std::option::Option<::reqwest_middleware::ClientWithMiddleware>,
}

impl ClientBuilder {
    /// A builder for a client of the API at `base_url`.
    pub fn new(base_url: impl ::std::convert::Into<::std::string::String>) -> Self {
        Self {
            base_url: base_url.into(),
            timeout: ::std::option::Option::Some(Duration::from_secs(30)),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"), " (oagen)").to_owned(),
            http: ::std::option::Option::None,
            credentials: Credentials::default(),
            retry: RetryPolicy::default(),
            retry_set: false,
            allowed_origins: ::std::vec::Vec::new(),
            hooks: Hooks::default(),
            tokens: Tokens::default(),
            #[cfg(feature = "middleware")]
            middleware: ::std::option::Option::None,
        }
    }

    /// The server to talk to, such as `https://eu.posthog.com`.
    pub fn base_url(mut self, url: impl ::std::convert::Into<::std::string::String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// A token for every bearer scheme (HTTP bearer, OAuth2, OpenID Connect) of the document.
    pub fn bearer_token(mut self, token: impl ::std::convert::Into<::std::string::String>) -> Self {
        self.credentials.bearer = ::std::option::Option::Some(Secret::Token(token.into()));
        self
    }

    /// A user and password for every HTTP basic scheme of the document.
    pub fn basic_auth(
        mut self,
        user: impl ::std::convert::Into<::std::string::String>,
        password: ::std::option::Option<::std::string::String>,
    ) -> Self {
        self.credentials.basic = ::std::option::Option::Some(Secret::Basic(user.into(), password));
        self
    }

    /// A key for every API-key scheme of the document (header, query or cookie, as each says).
    pub fn api_key(mut self, key: impl ::std::convert::Into<::std::string::String>) -> Self {
        self.credentials.api_key = ::std::option::Option::Some(Secret::Token(key.into()));
        self
    }

    /// A token or key for one named scheme, overriding the ones above for it.
    pub fn credential(
        mut self,
        scheme: impl ::std::convert::Into<::std::string::String>,
        secret: impl ::std::convert::Into<::std::string::String>,
    ) -> Self {
        self.credentials.by_scheme.insert(scheme.into(), Secret::Token(secret.into()));
        self
    }

    /// How long one try may take, from sending to the end of the body (default 30 s); `None`
    /// waits forever.
    pub fn timeout(mut self, timeout: ::std::option::Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, agent: impl ::std::convert::Into<::std::string::String>) -> Self {
        self.user_agent = agent.into();
        self
    }

    /// Retries (default: 3, from 200 ms, for idempotent methods; none when a middleware stack
    /// is given, unless this is called).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self.retry_set = true;
        self
    }

    /// Trusts another origin (`https://eu.example.com`; a path, if given, is ignored) with the
    /// client's credentials. Without this, a next-page link to any origin but the base URL's is
    /// refused with [`ErrorKind::ForeignOrigin`], so a response cannot send the credentials elsewhere.
    pub fn allow_origin(mut self, url: impl ::std::convert::Into<::std::string::String>) -> Self {
        self.allowed_origins.push(url.into());
        self
    }

    /// Takes bearer tokens (for every bearer scheme, like [`ClientBuilder::bearer_token`], which
    /// it replaces) from `source`, kept until they expire and renewed once after a 401.
    pub fn token_source(mut self, source: impl TokenSource) -> Self {
        self.tokens.source = ::std::option::Option::Some(::std::sync::Arc::new(source));
        self
    }

    /// Runs `hook` around every try of every call (see [`Hook`]); hooks added later run inside
    /// the ones added before.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.0.push(::std::sync::Arc::new(hook));
        self
    }

    /// Sends through a `reqwest::Client` of the caller's (proxies, TLS roots, connection pool).
    pub fn http_client(mut self, http: ::reqwest::Client) -> Self {
        self.http = ::std::option::Option::Some(http);
        self
    }

    /// Sends every try through a `reqwest_middleware` stack (reqwest-retry, reqwest-tracing,
    /// caches, ...), after the hooks' `before`. Its middleware retries as it is told, so the
    /// client's own retries step aside: none, unless [`ClientBuilder::retry`] asks for them.
    /// Feature `middleware`.
    #[cfg(feature = "middleware")]
    pub fn middleware(mut self, stack: ::reqwest_middleware::ClientWithMiddleware) -> Self {
        self.middleware = ::std::option::Option::Some(stack);
        self
    }

    /// The client.
    pub fn build(self) -> ::std::result::Result<Client, Error> {
        let base = ::reqwest::Url::parse(&self.base_url)
            .map_err(|e| Error::invalid_request(format!("base URL `{}`: {e}", self.base_url)))?;
        let http = match self.http {
            ::std::option::Option::Some(http) => http,
            ::std::option::Option::None => ::reqwest::Client::builder()
                .user_agent(self.user_agent.clone())
                .build()
                .map_err(|e| Error::from(transport(e)))?,
        };
        let mut origins = ::std::vec![base.origin()];
        for text in &self.allowed_origins {
            let url = ::reqwest::Url::parse(text).map_err(|e| Error::invalid_request(format!("allowed origin `{text}`: {e}")))?;
            origins.push(url.origin());
        }
        let base_url = base.as_str().trim_end_matches('/').to_owned();
        #[cfg(feature = "middleware")]
        let retry = if self.middleware.is_some() && !self.retry_set { RetryPolicy::disabled() } else { self.retry };
        #[cfg(not(feature = "middleware"))]
        let retry = self.retry;
        ::std::result::Result::Ok(Client {
            call: ::std::option::Option::None,
            inner: ::std::sync::Arc::new(Inner {
                http,
                #[cfg(feature = "tracing")]
                server: (base.host_str().unwrap_or_default().to_owned(), base.port_or_known_default()),
                base_url,
                origins,
                timeout: self.timeout,
                user_agent: self.user_agent,
                credentials: self.credentials,
                retry,
                hooks: self.hooks,
                tokens: self.tokens,
                #[cfg(feature = "middleware")]
                middleware: self.middleware,
            }),
        })
    }
}

#[derive(Debug)]
struct Inner {
    http: ::reqwest::Client,
    base_url: ::std::string::String,
    /// Where credentials may go: the base URL's origin, then the ones the user allowed.
    origins: ::std::vec::Vec<::url::Origin>,
    timeout: ::std::option::Option<Duration>,
    user_agent: ::std::string::String,
    credentials: Credentials,
    retry: RetryPolicy,
    hooks: Hooks,
    tokens: Tokens,
    /// The base URL's host and port, for traces.
    #[cfg(feature = "tracing")]
    server: (::std::string::String, ::std::option::Option<u16>),
    #[cfg(feature = "middleware")]
    middleware: ::std::option::Option<::reqwest_middleware::ClientWithMiddleware>,
}

/// A client of the API. Cheap to clone: clones share one connection pool.
#[derive(Debug, Clone)]
pub struct Client {
    inner: ::std::sync::Arc<Inner>,
    /// What [`Client::with_options`] changed for the calls made through this handle.
    call: ::std::option::Option<::std::sync::Arc<CallOptions>>,
}

/// Settings for some calls only ([`Client::with_options`]): a timeout, extra headers (an
/// idempotency key, a trace id) and a retry policy, over the client's own.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    timeout: ::std::option::Option<::std::option::Option<Duration>>,
    headers: ::std::vec::Vec<(::std::string::String, ::std::string::String)>,
    retry: ::std::option::Option<RetryPolicy>,
}

impl CallOptions {
    /// Nothing changed.
    pub fn new() -> Self {
        Self::default()
    }

    /// How long one try may take (`None`: forever), instead of the client's timeout.
    pub fn timeout(mut self, timeout: ::std::option::Option<Duration>) -> Self {
        self.timeout = ::std::option::Option::Some(timeout);
        self
    }

    /// A header sent with the calls (after the generated ones, so a header of the same name is
    /// sent twice). A name or value that is not valid in HTTP fails the call with
    /// [`ErrorKind::InvalidRequest`].
    pub fn header(
        mut self,
        name: impl ::std::convert::Into<::std::string::String>,
        value: impl ::std::convert::Into<::std::string::String>,
    ) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Retries of these calls, instead of the client's policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = ::std::option::Option::Some(policy);
        self
    }
}

/// How a parameter's value is written (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `form`: `a=1&a=2` exploded, `a=1,2` not.
    Form,
    /// `spaceDelimited`: `a=1%202`.
    SpaceDelimited,
    /// `pipeDelimited`: `a=1|2`.
    PipeDelimited,
    /// `deepObject`: `a[x]=1&a[y]=2`.
    DeepObject,
}

/// How a query parameter is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryParam<'a> {
    /// The name on the wire.
    pub name: &'a str,
    /// Its style.
    pub style: Style,
    /// Whether arrays and objects are exploded (one pair per item or property).
    pub explode: bool,
}

/// The body of a request.
#[derive(Debug, Clone)]
enum Body {
    Empty,
    Bytes { content_type: ::std::string::String, bytes: ::bytes::Bytes },
    Multipart(::std::vec::Vec<(::std::string::String, ::serde_json::Value)>),
}

pub use super::runtime::OperationInfo;

/// One try of a call, as hooks see it.
#[derive(Debug, Clone, Copy)]
pub struct Call {
    /// The operation.
    pub operation: &'static OperationInfo,
    /// 0 for the first try, 1 for the first retry, ...
    pub attempt: u32,
    /// When this try began (before the first hook), for timings.
    pub started: ::std::time::Instant,
}

/// Code that runs around every try of every call ([`ClientBuilder::hook`]): `before` may change
/// the request about to be sent (add headers, sign it) or refuse it, `after` sees what came of
/// it. Hooks run `before` in the order they were added and `after` in the reverse order, so the
/// first hook added is the outermost.
pub trait Hook: ::std::marker::Send + ::std::marker::Sync + 'static {
    /// Runs before a try is sent; an error ends the call with it.
    fn before<'a>(
        &'a self,
        call: &'a Call,
        request: &'a mut ::reqwest::Request,
    ) -> ::futures_util::future::BoxFuture<'a, ::std::result::Result<(), Error>> {
        let _ = (call, request);
        ::std::boxed::Box::pin(Proceed)
    }

    /// Runs after a try: the response (body read) or the error.
    fn after<'a>(
        &'a self,
        call: &'a Call,
        outcome: ::std::result::Result<&'a Response, &'a Error>,
    ) -> ::futures_util::future::BoxFuture<'a, ()> {
        let _ = (call, outcome);
        ::std::boxed::Box::pin(Done)
    }
}

/// What a hook that has nothing to do returns: ready at once, and of no size, so boxing it
/// allocates nothing.
struct Done;

impl ::std::future::Future for Done {
    type Output = ();

    fn poll(self: ::std::pin::Pin<&mut Self>, _: &mut ::std::task::Context<'_>) -> ::std::task::Poll<()> {
        ::std::task::Poll::Ready(())
    }
}

/// What a `before` that has nothing to do returns: the call goes on (of no size, like [`Done`]).
struct Proceed;

impl ::std::future::Future for Proceed {
    type Output = ::std::result::Result<(), Error>;

    fn poll(self: ::std::pin::Pin<&mut Self>, _: &mut ::std::task::Context<'_>) -> ::std::task::Poll<Self::Output> {
        ::std::task::Poll::Ready(::std::result::Result::Ok(()))
    }
}

/// A bearer token from a [`TokenSource`], and until when it may be used.
#[derive(Clone)]
pub struct Token {
    /// The token.
    pub value: ::std::string::String,
    /// When it stops being good (`None`: until the server refuses it).
    pub expires_at: ::std::option::Option<::std::time::Instant>,
}

impl ::std::fmt::Debug for Token {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.debug_struct("Token").field("value", &"<secret>").field("expires_at", &self.expires_at).finish()
    }
}

/// Where bearer tokens come from when they change (OAuth2 client credentials, a refreshed
/// session): [`ClientBuilder::token_source`]. The client keeps the token until it expires (30 s
/// early) and asks again; when the server answers 401 it asks once for a fresh one and sends the
/// request again, once.
pub trait TokenSource: ::std::marker::Send + ::std::marker::Sync + 'static {
    /// A token; `stale` is the one the server just refused, if that is why it is asked.
    fn token<'a>(
        &'a self,
        stale: ::std::option::Option<&'a Token>,
    ) -> ::futures_util::future::BoxFuture<'a, ::std::result::Result<Token, Error>>;
}

/// A client's token source and the token it keeps.
#[derive(Clone, Default)]
struct Tokens {
    source: ::std::option::Option<::std::sync::Arc<dyn TokenSource>>,
    kept: ::std::sync::Arc<::std::sync::Mutex<::std::option::Option<Token>>>,
}

impl ::std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(if self.source.is_some() { "<token source>" } else { "none" })
    }
}

impl Tokens {
    /// The kept token if it is still good, else a fresh one from the source (kept from then on).
    async fn current(&self, stale: ::std::option::Option<&Token>) -> ::std::result::Result<::std::option::Option<Token>, Error> {
        let ::std::option::Option::Some(source) = &self.source else { return ::std::result::Result::Ok(::std::option::Option::None) };
        let margin = Duration::from_secs(30);
        let kept = self.kept.lock().map(|k| k.clone()).unwrap_or_default();
        if let ::std::option::Option::Some(token) = kept {
            let fresh = token.expires_at.is_none_or(|at| at > ::std::time::Instant::now() + margin);
            let refused = stale.is_some_and(|s| s.value == token.value);
            if fresh && !refused {
                return ::std::result::Result::Ok(::std::option::Option::Some(token));
            }
        }
        let token = source.token(stale).await?;
        if let ::std::result::Result::Ok(mut kept) = self.kept.lock() {
            *kept = ::std::option::Option::Some(token.clone());
        }
        ::std::result::Result::Ok(::std::option::Option::Some(token))
    }
}

/// The hooks of a client, in the order added.
#[derive(Clone, Default)]
struct Hooks(::std::vec::Vec<::std::sync::Arc<dyn Hook>>);

impl ::std::fmt::Debug for Hooks {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(f, "{} hook(s)", self.0.len())
    }
}

/// A request, as generated methods build it.
#[derive(Debug, Clone)]
pub struct Request {
    method: ::reqwest::Method,
    operation: &'static OperationInfo,
    /// A path (`/api/roles/`) or, for a next page, an absolute URL.
    target: ::std::string::String,
    query: ::std::vec::Vec<(::std::string::String, ::std::string::String)>,
    headers: ::std::vec::Vec<(::reqwest::header::HeaderName, ::reqwest::header::HeaderValue)>,
    cookies: ::std::vec::Vec<(::std::string::String, ::std::string::String)>,
    body: Body,
    security: &'static [Requirement],
}

/// The characters a path parameter keeps as they are (RFC 3986 unreserved); all others are
/// percent-encoded, `/` included.
const PATH_SEGMENT: &::percent_encoding::AsciiSet = &::percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A value as text for a path, header or query: strings as they are, numbers and booleans
/// spelled out, arrays and objects comma-separated (OpenAPI `simple` style).
fn simple(value: &::serde_json::Value) -> ::std::string::String {
    match value {
        ::serde_json::Value::Null => ::std::string::String::new(),
        ::serde_json::Value::String(s) => s.clone(),
        ::serde_json::Value::Array(items) => items.iter().map(simple).collect::<::std::vec::Vec<_>>().join(","),
        ::serde_json::Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| [k.clone(), simple(v)])
            .collect::<::std::vec::Vec<_>>()
            .join(","),
        other => other.to_string(),
    }
}

fn to_value<T: ::serde::Serialize + ?::std::marker::Sized>(value: &T) -> ::std::result::Result<::serde_json::Value, Error> {
    ::serde_json::to_value(value).map_err(|e| Error::invalid_request(e.to_string()))
}

/// A path parameter of `operation`, percent-encoded.
pub fn path_param<T: ::serde::Serialize + ?::std::marker::Sized>(
    operation: &'static OperationInfo,
    value: &T,
) -> ::std::result::Result<::std::string::String, Error> {
    let text = simple(&to_value(value).map_err(|e| e.at(operation))?);
    ::std::result::Result::Ok(::percent_encoding::utf8_percent_encode(&text, PATH_SEGMENT).to_string())
}

impl Request {
    /// A request of `operation` for `path` (already holding its encoded parameters).
    pub fn new(
        method: ::reqwest::Method,
        operation: &'static OperationInfo,
        path: ::std::string::String,
        security: &'static [Requirement],
    ) -> Self {
        Self {
            method,
            operation,
            target: path,
            query: ::std::vec::Vec::new(),
            headers: ::std::vec::Vec::new(),
            cookies: ::std::vec::Vec::new(),
            body: Body::Empty,
            security,
        }
    }

    /// The operation it is for.
    pub fn operation(&self) -> &'static OperationInfo {
        self.operation
    }

    /// The same request sent to another URL (a next page, which carries its own query): same
    /// method, headers and authentication. A URL on another origin than the base URL's (and
    /// those of [`ClientBuilder::allow_origin`]) is refused when sent: [`ErrorKind::ForeignOrigin`].
    pub fn follow(mut self, url: ::std::string::String) -> Self {
        self.target = url;
        self.query.clear();
        self
    }

    /// Adds a query parameter; `None` adds nothing.
    pub fn query<T: ::serde::Serialize + ?::std::marker::Sized>(
        &mut self,
        param: QueryParam<'_>,
        value: &T,
    ) -> ::std::result::Result<(), Error> {
        let value = self.value(value)?;
        write_query(&mut self.query, param.name, &value, param.style, param.explode);
        ::std::result::Result::Ok(())
    }

    /// A parameter or body as JSON; a value that is not is an error of this request's operation.
    fn value<T: ::serde::Serialize + ?::std::marker::Sized>(&self, value: &T) -> ::std::result::Result<::serde_json::Value, Error> {
        to_value(value).map_err(|e| e.at(self.operation))
    }

    /// Adds a header; `None` adds nothing.
    pub fn header<T: ::serde::Serialize + ?::std::marker::Sized>(&mut self, name: &str, value: &T) -> ::std::result::Result<(), Error> {
        self.add_header(name, value).map_err(|e| e.at(self.operation))
    }

    fn add_header<T: ::serde::Serialize + ?::std::marker::Sized>(&mut self, name: &str, value: &T) -> ::std::result::Result<(), Error> {
        let value = to_value(value)?;
        if value.is_null() {
            return ::std::result::Result::Ok(());
        }
        let name = ::reqwest::header::HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| Error::invalid_request(format!("header name `{name}`: {e}")))?;
        let text = simple(&value);
        let value = ::reqwest::header::HeaderValue::from_str(&text)
            .map_err(|e| Error::invalid_request(format!("header `{name}`: {e}")))?;
        self.headers.push((name, value));
        ::std::result::Result::Ok(())
    }

    /// Adds a cookie; `None` adds nothing.
    pub fn cookie<T: ::serde::Serialize + ?::std::marker::Sized>(&mut self, name: &str, value: &T) -> ::std::result::Result<(), Error> {
        let value = self.value(value)?;
        if !value.is_null() {
            self.cookies.push((name.to_owned(), simple(&value)));
        }
        ::std::result::Result::Ok(())
    }

    /// A JSON body.
    pub fn json<T: ::serde::Serialize + ?::std::marker::Sized>(&mut self, content_type: &str, value: &T) -> ::std::result::Result<(), Error> {
        let bytes = ::serde_json::to_vec(value).map_err(|e| Error::invalid_request(e.to_string()).at(self.operation))?;
        self.body = Body::Bytes { content_type: content_type.to_owned(), bytes: bytes.into() };
        ::std::result::Result::Ok(())
    }

    /// An `application/x-www-form-urlencoded` body: each property a field (form style, exploded).
    pub fn form<T: ::serde::Serialize + ?::std::marker::Sized>(&mut self, content_type: &str, value: &T) -> ::std::result::Result<(), Error> {
        let value = self.value(value)?;
        let mut pairs = ::std::vec::Vec::new();
        if let ::serde_json::Value::Object(map) = &value {
            for (k, v) in map {
                write_query(&mut pairs, k, v, Style::Form, true);
            }
        }
        let text = ::url::form_urlencoded::Serializer::new(::std::string::String::new()).extend_pairs(pairs).finish();
        self.body = Body::Bytes { content_type: content_type.to_owned(), bytes: text.into_bytes().into() };
        ::std::result::Result::Ok(())
    }

    /// A `multipart/form-data` body: each property a part (objects and arrays as JSON).
    pub fn multipart<T: ::serde::Serialize + ?::std::marker::Sized>(&mut self, value: &T) -> ::std::result::Result<(), Error> {
        let parts = match self.value(value)? {
            ::serde_json::Value::Object(map) => map.into_iter().filter(|(_, v)| !v.is_null()).collect(),
            other => ::std::vec![("file".to_owned(), other)],
        };
        self.body = Body::Multipart(parts);
        ::std::result::Result::Ok(())
    }

    /// A body of raw bytes or text.
    pub fn bytes(&mut self, content_type: &str, bytes: impl ::std::convert::Into<::bytes::Bytes>) {
        self.body = Body::Bytes { content_type: content_type.to_owned(), bytes: bytes.into() };
    }
}

fn write_query(
    out: &mut ::std::vec::Vec<(::std::string::String, ::std::string::String)>,
    name: &str,
    value: &::serde_json::Value,
    style: Style,
    explode: bool,
) {
    match value {
        ::serde_json::Value::Null => {}
        ::serde_json::Value::Array(items) => match (style, explode) {
            (Style::Form | Style::DeepObject, true) => {
                out.extend(items.iter().map(|v| (name.to_owned(), simple(v))));
            }
            (Style::SpaceDelimited, false) => {
                out.push((name.to_owned(), items.iter().map(simple).collect::<::std::vec::Vec<_>>().join(" ")));
            }
            (Style::PipeDelimited, false) => {
                out.push((name.to_owned(), items.iter().map(simple).collect::<::std::vec::Vec<_>>().join("|")));
            }
            _ => out.push((name.to_owned(), simple(value))),
        },
        ::serde_json::Value::Object(map) => match (style, explode) {
            (Style::DeepObject, _) => {
                for (k, v) in map {
                    write_query(out, &format!("{name}[{k}]"), v, Style::DeepObject, true);
                }
            }
            (_, true) => {
                for (k, v) in map {
                    if !v.is_null() {
                        out.push((k.clone(), simple(v)));
                    }
                }
            }
            _ => out.push((name.to_owned(), simple(value))),
        },
        other => out.push((name.to_owned(), simple(other))),
    }
}

/// A response as received.
#[derive(Debug, Clone)]
pub struct Response {
    /// The operation it answers.
    operation: &'static OperationInfo,
    /// The status.
    pub status: ::reqwest::StatusCode,
    /// The headers.
    pub headers: ::reqwest::header::HeaderMap,
    /// The body.
    pub body: ::bytes::Bytes,
}

impl Response {
    /// The operation it answers.
    pub fn operation(&self) -> &'static OperationInfo {
        self.operation
    }

    /// Decodes a JSON body; a mismatch names the path in the body where it happened.
    pub fn json<T: ::serde::de::DeserializeOwned>(&self) -> ::std::result::Result<T, Error> {
        let mut de = ::serde_json::Deserializer::from_slice(&self.body);
        ::serde_path_to_error::deserialize(&mut de).map_err(|e| {
            Error::from(ErrorKind::Decode {
                status: self.status,
                path: e.path().to_string(),
                message: e.inner().to_string(),
                snippet: snippet(&self.body),
            })
            .at(self.operation)
        })
    }

    /// The body as text.
    pub fn text(&self) -> ::std::result::Result<::std::string::String, Error> {
        ::std::string::String::from_utf8(self.body.to_vec()).map_err(|e| {
            Error::from(ErrorKind::Decode {
                status: self.status,
                path: ::std::string::String::new(),
                message: e.to_string(),
                snippet: snippet(&self.body),
            })
            .at(self.operation)
        })
    }

    /// The body as bytes.
    pub fn bytes(&self) -> ::std::vec::Vec<u8> {
        self.body.to_vec()
    }

    /// The result for a documented error status: its decoded body (or the error decoding it)
    /// as an [`ErrorKind::Documented`].
    pub fn documented<T, E>(&self, body: ::std::result::Result<E, Error>) -> ::std::result::Result<T, Error<E>> {
        match body {
            ::std::result::Result::Ok(body) => ::std::result::Result::Err(
                Error::from(ErrorKind::Documented {
                    status: self.status,
                    headers: ::std::boxed::Box::new(self.headers.clone()),
                    body,
                })
                .at(self.operation),
            ),
            ::std::result::Result::Err(e) => ::std::result::Result::Err(e.at(self.operation).widen()),
        }
    }

    /// The error for a status the operation does not document.
    pub fn unexpected(self) -> Error {
        let operation = self.operation;
        Error::from(ErrorKind::UnexpectedStatus { status: self.status, headers: ::std::boxed::Box::new(self.headers), body: self.body })
            .at(operation)
    }

    /// The URL of the `rel="next"` entry of the `Link` header, if any.
    pub fn next_link(&self) -> ::std::option::Option<::std::string::String> {
        self.headers.get_all(::reqwest::header::LINK).iter().filter_map(|v| v.to_str().ok()).find_map(|value| {
            value.split(',').find_map(|entry| {
                let (url, params) = entry.split_once(';')?;
                let is_next = params.split(';').any(|p| {
                    let p = p.trim().replace(' ', "");
                    p == "rel=\"next\"" || p == "rel=next"
                });
                is_next.then(|| url.trim().trim_start_matches('<').trim_end_matches('>').to_owned())
            })
        })
    }
}

fn is_idempotent(method: &::reqwest::Method) -> bool {
    matches!(method.as_str(), "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE")
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(headers: &::reqwest::header::HeaderMap) -> ::std::option::Option<Duration> {
    let value = headers.get(::reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let ::std::result::Result::Ok(secs) = value.parse::<u64>() {
        return ::std::option::Option::Some(Duration::from_secs(secs));
    }
    let when = ::httpdate::parse_http_date(value).ok()?;
    ::std::option::Option::Some(when.duration_since(::std::time::SystemTime::now()).unwrap_or_default())
}

impl Client {
    /// The server this client talks to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// This client with `options` for the calls made through what is returned (it shares the
    /// connection pool and credentials): `client.with_options(CallOptions::new().header(
    /// "Idempotency-Key", key)).roles_create(..)`. Options given again replace these.
    pub fn with_options(&self, options: CallOptions) -> Client {
        Client { inner: ::std::sync::Arc::clone(&self.inner), call: ::std::option::Option::Some(::std::sync::Arc::new(options)) }
    }

    fn url(&self, target: &str) -> ::std::result::Result<::reqwest::Url, Error> {
        let text = if target.starts_with("http://") || target.starts_with("https://") {
            target.to_owned()
        } else {
            format!("{}{target}", self.inner.base_url)
        };
        let url = ::reqwest::Url::parse(&text).map_err(|e| Error::invalid_request(format!("URL `{text}`: {e}")))?;
        // Checked on the URL as parsed, so no spelling of a link (`//host`, `@host`) gets past it.
        let origin = url.origin();
        // An opaque origin (`data:`, `file:`) equals nothing, not even itself parsed again.
        if !origin.is_tuple() || !self.inner.origins.contains(&origin) {
            let mut shown = url.clone();
            shown.set_query(::std::option::Option::None);
            shown.set_fragment(::std::option::Option::None);
            let _ = shown.set_password(::std::option::Option::None);
            return ::std::result::Result::Err(ErrorKind::ForeignOrigin { origin: origin.ascii_serialization(), url: shown.to_string() }.into());
        }
        ::std::result::Result::Ok(url)
    }

    fn build(
        &self,
        request: &Request,
        token: ::std::option::Option<&Token>,
    ) -> ::std::result::Result<::reqwest::RequestBuilder, Error> {
        let mut url = self.url(&request.target)?;
        let mut cookies = request.cookies.clone();
        let mut headers = request.headers.clone();
        let mut basic = ::std::option::Option::None;
        // The first alternative the configured credentials satisfy; none satisfied sends the
        // request without, and the server says what it thinks of that. An empty alternative
        // (authentication is optional) is what is left when none is satisfied, so a client with
        // credentials still sends them.
        let chosen = request.security.iter().filter(|r| !r.is_empty()).find_map(|requirement| {
            requirement
                .iter()
                .map(|scheme| match (scheme.kind, token) {
                    (SchemeKind::Bearer, ::std::option::Option::Some(token)) if !self.inner.credentials.by_scheme.contains_key(scheme.name) => {
                        ::std::option::Option::Some((*scheme, Secret::Token(token.value.clone())))
                    }
                    _ => self.inner.credentials.for_scheme(scheme).map(|s| (*scheme, s)),
                })
                .collect::<::std::option::Option<::std::vec::Vec<_>>>()
        });
        let mut extra_query = ::std::vec::Vec::new();
        for (scheme, secret) in chosen.unwrap_or_default() {
            match (scheme.kind, secret) {
                (SchemeKind::Basic, Secret::Basic(user, password)) => basic = ::std::option::Option::Some((user, password)),
                (SchemeKind::Basic, Secret::Token(token)) | (SchemeKind::Bearer, Secret::Token(token)) => {
                    let scheme_word = if scheme.kind == SchemeKind::Basic { "Basic" } else { "Bearer" };
                    let value = ::reqwest::header::HeaderValue::from_str(&format!("{scheme_word} {token}"))
                        .map_err(|e| Error::invalid_request(format!("credential for {}: {e}", scheme.name)))?;
                    headers.push((::reqwest::header::AUTHORIZATION, value));
                }
                (SchemeKind::ApiKeyHeader(name), Secret::Token(key)) => {
                    let name = ::reqwest::header::HeaderName::from_bytes(name.as_bytes())
                        .map_err(|e| Error::invalid_request(format!("header name `{name}`: {e}")))?;
                    let value = ::reqwest::header::HeaderValue::from_str(&key)
                        .map_err(|e| Error::invalid_request(format!("credential for {}: {e}", scheme.name)))?;
                    headers.push((name, value));
                }
                (SchemeKind::ApiKeyQuery(name), Secret::Token(key)) => extra_query.push((name.to_owned(), key)),
                (SchemeKind::ApiKeyCookie(name), Secret::Token(key)) => cookies.push((name.to_owned(), key)),
                (_, Secret::Basic(..)) => {}
            }
        }
        if !request.query.is_empty() || !extra_query.is_empty() {
            url.query_pairs_mut().extend_pairs(request.query.iter().chain(extra_query.iter()));
        }
        let mut builder = self.inner.http.request(request.method.clone(), url);
        let timeout = match self.call.as_deref().and_then(|c| c.timeout) {
            ::std::option::Option::Some(timeout) => timeout,
            ::std::option::Option::None => self.inner.timeout,
        };
        if let ::std::option::Option::Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        for (name, value) in self.call.iter().flat_map(|c| c.headers.iter()) {
            let name = ::reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| Error::invalid_request(format!("header name `{name}`: {e}")))?;
            let value = ::reqwest::header::HeaderValue::from_str(value)
                .map_err(|e| Error::invalid_request(format!("header `{name}`: {e}")))?;
            headers.push((name, value));
        }
        builder = builder.header(::reqwest::header::USER_AGENT, self.inner.user_agent.as_str());
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        if let ::std::option::Option::Some((user, password)) = basic {
            builder = builder.basic_auth(user, password);
        }
        if !cookies.is_empty() {
            let line = cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<::std::vec::Vec<_>>().join("; ");
            builder = builder.header(::reqwest::header::COOKIE, line);
        }
        builder = match &request.body {
            Body::Empty => builder,
            Body::Bytes { content_type, bytes } => {
                builder.header(::reqwest::header::CONTENT_TYPE, content_type.as_str()).body(bytes.clone())
            }
            Body::Multipart(parts) => {
                let mut form = ::reqwest::multipart::Form::new();
                for (name, value) in parts {
                    form = match value {
                        ::serde_json::Value::String(s) => form.text(name.clone(), s.clone()),
                        ::serde_json::Value::Object(_) | ::serde_json::Value::Array(_) => {
                            let part = ::reqwest::multipart::Part::text(value.to_string())
                                .mime_str("application/json")
                                .map_err(|e| Error::from(transport(e)))?;
                            form.part(name.clone(), part)
                        }
                        other => form.text(name.clone(), other.to_string()),
                    };
                }
                builder.multipart(form)
            }
        };
        ::std::result::Result::Ok(builder)
    }

    /// Sends a request: the one executor every generated method goes through. Idempotent
    /// requests are retried after 429, 503 and failed connections, as the policy says. With the
    /// `tracing` feature the call is one span (see the crate's docs for its fields).
    pub async fn send(&self, request: Request) -> ::std::result::Result<Response, Error> {
        let operation = request.operation;
        let mut resends = 0u32;
        #[cfg(feature = "tracing")]
        let span = trace::start(operation, &self.inner.server);
        let run = self.execute(&request, &mut resends);
        #[cfg(feature = "tracing")]
        let run = ::tracing::Instrument::instrument(run, span.clone());
        let result = run.await.map_err(|e| e.at(operation));
        #[cfg(feature = "tracing")]
        trace::finish(&span, &result, resends);
        result
    }

    /// The tries of one call; `resends` counts those after the first.
    async fn execute(&self, request: &Request, resends: &mut u32) -> ::std::result::Result<Response, Error> {
        let operation = request.operation;
        let policy = self.call.as_deref().and_then(|c| c.retry.as_ref()).unwrap_or(&self.inner.retry);
        let retryable = is_idempotent(&request.method);
        let hooks = &self.inner.hooks.0;
        // A token from the source only for operations a bearer scheme may authenticate.
        let wants_token = request.security.iter().flat_map(|r| r.iter()).any(|s| s.kind == SchemeKind::Bearer);
        let mut token = if wants_token { self.inner.tokens.current(::std::option::Option::None).await? } else { ::std::option::Option::None };
        let mut renewed = false;
        loop {
            let call = Call { operation, attempt: *resends, started: ::std::time::Instant::now() };
            let mut http = self
                .build(request, token.as_ref())?
                .build()
                .map_err(|e| Error::invalid_request(redact(e).to_string()))?;
            for hook in hooks {
                hook.before(&call, &mut http).await?;
            }
            let result = match self.dispatch(http).await {
                ::std::result::Result::Ok(response) => {
                    let status = response.status();
                    let headers = response.headers().clone();
                    match response.bytes().await {
                        ::std::result::Result::Ok(body) => ::std::result::Result::Ok(Response { operation, status, headers, body }),
                        ::std::result::Result::Err(e) => ::std::result::Result::Err(Error::from(transport(e)).at(operation)),
                    }
                }
                ::std::result::Result::Err(kind) => ::std::result::Result::Err(Error::from(kind).at(operation)),
            };
            for hook in hooks.iter().rev() {
                hook.after(&call, result.as_ref()).await;
            }
            // A refused token is renewed once, and the request sent again at once, whatever its method:
            // the server refused it without acting on it.
            let refused = !renewed && matches!(&result, ::std::result::Result::Ok(r) if r.status.as_u16() == 401);
            if let (true, ::std::option::Option::Some(stale)) = (refused, &token) {
                renewed = true;
                token = self.inner.tokens.current(::std::option::Option::Some(stale)).await?;
                *resends += 1;
                continue;
            }
            let can_retry = retryable && *resends < policy.max_retries;
            let wait = match &result {
                ::std::result::Result::Err(e) if can_retry && matches!(&e.kind, ErrorKind::Transport(e) if e.is_connect()) => {
                    policy.backoff(*resends)
                }
                ::std::result::Result::Ok(r) if can_retry && (r.status.as_u16() == 429 || r.status.as_u16() == 503) => {
                    retry_after(&r.headers).unwrap_or_else(|| policy.backoff(*resends)).min(policy.max_backoff)
                }
                _ => return result,
            };
            ::tokio::time::sleep(wait).await;
            *resends += 1;
        }
    }

    /// One try on the wire: through the caller's middleware stack when there is one.
    async fn dispatch(&self, request: ::reqwest::Request) -> ::std::result::Result<::reqwest::Response, ErrorKind> {
        #[cfg(feature = "middleware")]
        if let ::std::option::Option::Some(stack) = &self.inner.middleware {
            return stack.execute(request).await.map_err(|e| match e {
                ::reqwest_middleware::Error::Reqwest(e) => transport(e),
                ::reqwest_middleware::Error::Middleware(e) => ErrorKind::Middleware(e.into()),
            });
        }
        self.inner.http.execute(request).await.map_err(transport)
    }
}

/// Where the next page is, as a list operation's decoder finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// An absolute (or base-relative) URL.
    Url(::std::string::String),
    /// A token for the cursor query parameter.
    Token(::std::string::String),
    /// A value for the offset or page query parameter.
    Number(i64),
}

/// Walks the pages of a list operation lazily: `build` makes the request for a page (the first
/// when given `None`), `decode` turns a response (and where it came from) into the page's items
/// and where the next page is.
pub fn paginate<'a, I, B, D>(
    client: &'a Client,
    build: B,
    decode: D,
) -> impl ::futures_util::Stream<Item = ::std::result::Result<I, Error>> + 'a
where
    I: 'a,
    B: Fn(::std::option::Option<&Next>) -> ::std::result::Result<Request, Error> + 'a,
    D: Fn(Response, ::std::option::Option<&Next>) -> ::std::result::Result<(::std::vec::Vec<I>, ::std::option::Option<Next>), Error> + 'a,
{
    use ::futures_util::TryStreamExt as _;
    // The walk's functions, where the next page is, and the operation of the pages before (what a
    // failure to build the next request is an error of).
    let state = (
        ::std::sync::Arc::new((build, decode)),
        ::std::option::Option::Some(::std::option::Option::<Next>::None),
        ::std::option::Option::<&'static OperationInfo>::None,
    );
    let pages = ::futures_util::stream::try_unfold(state, move |(fns, cursor, before)| async move {
        let ::std::option::Option::Some(cursor) = cursor else {
            return ::std::result::Result::<_, Error>::Ok(::std::option::Option::None);
        };
        let request = (fns.0)(cursor.as_ref()).map_err(|e| match before {
            ::std::option::Option::Some(operation) => e.at(operation),
            ::std::option::Option::None => e,
        })?;
        let operation = request.operation;
        let response = client.send(request).await?;
        let (items, next) = (fns.1)(response, cursor.as_ref()).map_err(|e| e.at(operation))?;
        // A page without items ends the walk, whatever it says about a next page.
        let next = if items.is_empty() || next == cursor { ::std::option::Option::None } else { next.map(::std::option::Option::Some) };
        ::std::result::Result::Ok(::std::option::Option::Some((items, (fns, next, ::std::option::Option::Some(operation)))))
    });
    pages.map_ok(|items| ::futures_util::stream::iter(items.into_iter().map(::std::result::Result::Ok))).try_flatten()
}

/// The span of a call (feature `tracing`): OpenTelemetry's HTTP client fields, and nothing that
/// may be secret (no URL query, no header, no body).
#[cfg(feature = "tracing")]
mod trace {
    use super::{Error, OperationInfo, Response};

    /// The span of a call of `operation` to `server` (host, port), its outcome fields empty.
    pub(super) fn start(operation: &'static OperationInfo, server: &(::std::string::String, ::std::option::Option<u16>)) -> ::tracing::Span {
        ::tracing::info_span!(
            "call",
            "otel.name" = operation.id,
            "otel.kind" = "client",
            "otel.status_code" = ::tracing::field::Empty,
            "http.request.method" = operation.method,
            "url.template" = operation.path,
            "server.address" = server.0.as_str(),
            "server.port" = server.1,
            "http.response.status_code" = ::tracing::field::Empty,
            "http.request.resend_count" = ::tracing::field::Empty,
            "error.type" = ::tracing::field::Empty,
        )
    }

    /// Records how the call ended: the last status, the resends, and what failed (an error
    /// status's code, or the kind of error).
    pub(super) fn finish(span: &::tracing::Span, result: &::std::result::Result<Response, Error>, resends: u32) {
        if resends > 0 {
            span.record("http.request.resend_count", resends);
        }
        let failure = match result {
            ::std::result::Result::Ok(response) => {
                let status = response.status.as_u16();
                span.record("http.response.status_code", status);
                (status >= 400).then(|| ::std::borrow::Cow::Owned(status.to_string()))
            }
            ::std::result::Result::Err(e) => {
                if let ::std::option::Option::Some(status) = e.status() {
                    span.record("http.response.status_code", status.as_u16());
                }
                ::std::option::Option::Some(e.type_name())
            }
        };
        if let ::std::option::Option::Some(failure) = failure {
            span.record("error.type", failure.as_ref());
            span.record("otel.status_code", "ERROR");
        }
    }
}
