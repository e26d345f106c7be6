// Runtime of the generated crate's `testing` feature: a fake server for a downstream crate's
// tests. The generated router serves a `testing::FakeApi` (or any `server::Api`) on 127.0.0.1,
// on a port the system picks, and the generated client is pointed at it. Copied verbatim by
// oagen from templates/testing_runtime.rs into every generated crate with a client and a server.

/// The credential a [`TestServer::client`] presents for every security scheme: as bearer token,
/// API key, and user and password of HTTP basic.
pub const CREDENTIAL: &str = "oagen-testing";

/// An authenticator for tests only: any credential is accepted, for any scheme, as a principal
/// holding every scope an operation requires ([`super::testing::SCOPES`]). The principal's
/// `subject` is what was presented (the token, the key, or the basic user), so a test can tell
/// its callers apart. Never serve a real API with it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AcceptAll;

impl super::server_runtime::Authenticator for AcceptAll {
    async fn authenticate(
        &self,
        _scheme: &str,
        credential: super::server_runtime::Credential<'_>,
    ) -> ::std::option::Option<super::server_runtime::Principal> {
        use super::server_runtime::Credential;
        let subject = match credential {
            Credential::Bearer(token) | Credential::ApiKey(token) => token.to_owned(),
            Credential::Basic(user, _) => user,
        };
        let scopes = super::testing::SCOPES.iter().map(|s| (*s).to_owned()).collect();
        ::std::option::Option::Some(super::server_runtime::Principal { subject, scopes })
    }
}

/// A fake that writes no operation: every one answers 501 Not Implemented. For a test of what
/// its code does when the API does not answer as it hoped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unimplemented;

impl super::testing::FakeApi for Unimplemented {}

/// The generated router serving on `127.0.0.1`, on a port the system picked, until
/// [`TestServer::shutdown`] or until dropped. Needs a tokio runtime (`#[tokio::test]`).
///
/// ```rust,ignore
/// let server = TestServer::start(MyFake::default()).await?;
/// let client = server.client()?;       // pointed at the server, with a credential for every scheme
/// my_code_under_test(&client).await;
/// server.shutdown().await?;            // stops accepting, lets calls in flight finish
/// ```
#[derive(Debug)]
pub struct TestServer {
    address: ::std::net::SocketAddr,
    base_url: ::std::string::String,
    /// Tells the server to stop; taken by `shutdown` or `drop`.
    stop: ::std::option::Option<::tokio::sync::oneshot::Sender<()>>,
    /// The serving task; taken by `shutdown`.
    task: ::std::option::Option<::tokio::task::JoinHandle<::std::io::Result<()>>>,
}

impl TestServer {
    /// Serves `api` with [`AcceptAll`] and the default [`super::server::ServerConfig`].
    pub async fn start<A: super::server::Api>(api: A) -> ::std::io::Result<Self> {
        Self::start_with(api, AcceptAll, super::server_runtime::ServerConfig::default()).await
    }

    /// Serves `api` with an authenticator and settings of the test's own (to check that its code
    /// sends the right credential, or meets a 401 or a 403 as it should).
    pub async fn start_with<A: super::server::Api, U: super::server_runtime::Authenticator>(
        api: A,
        auth: U,
        config: super::server_runtime::ServerConfig,
    ) -> ::std::io::Result<Self> {
        Self::start_router(super::server::router(api, auth, config)).await
    }

    /// Serves a router of the test's own: [`super::server::router`] with layers or routes
    /// added.
    pub async fn start_router(router: ::axum::Router) -> ::std::io::Result<Self> {
        // Without a runtime `spawn` would panic; a test gets an error it can read instead.
        let runtime = ::tokio::runtime::Handle::try_current().map_err(::std::io::Error::other)?;
        let listener = ::tokio::net::TcpListener::bind((::std::net::Ipv4Addr::LOCALHOST, 0)).await?;
        let address = listener.local_addr()?;
        let (stop, stopped) = ::tokio::sync::oneshot::channel::<()>();
        let serving = ::axum::serve(listener, router).with_graceful_shutdown(async move {
            // A dropped sender stops the server too.
            let _ = stopped.await;
        });
        let task = runtime.spawn(::std::future::IntoFuture::into_future(serving));
        ::std::result::Result::Ok(Self {
            address,
            base_url: format!("http://{address}"),
            stop: ::std::option::Option::Some(stop),
            task: ::std::option::Option::Some(task),
        })
    }

    /// The address the server listens on.
    pub fn address(&self) -> ::std::net::SocketAddr {
        self.address
    }

    /// The server's URL, `http://127.0.0.1:<port>`, to hand to code that builds its own client.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A client builder pointed at the server, with [`CREDENTIAL`] for every security scheme;
    /// change what the test needs (retries, a hook, other credentials) before building.
    pub fn client_builder(&self) -> super::client_runtime::ClientBuilder {
        super::client_runtime::ClientBuilder::new(self.base_url.clone())
            .bearer_token(CREDENTIAL)
            .api_key(CREDENTIAL)
            .basic_auth(CREDENTIAL, ::std::option::Option::Some(CREDENTIAL.to_owned()))
    }

    /// A client of the server, with [`CREDENTIAL`] for every security scheme.
    pub fn client(&self) -> ::std::result::Result<super::client_runtime::Client, super::client_runtime::Error> {
        self.client_builder().build()
    }

    /// Stops the server: it accepts no more connections, lets the calls in flight finish, and
    /// closes idle connections; returns when it has. A call made afterwards fails to connect.
    pub async fn shutdown(mut self) -> ::std::io::Result<()> {
        if let ::std::option::Option::Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            ::std::option::Option::Some(task) => task.await.map_err(::std::io::Error::other)?,
            ::std::option::Option::None => ::std::result::Result::Ok(()),
        }
    }
}

impl ::std::ops::Drop for TestServer {
    /// Tells the server to stop, without waiting for it.
    fn drop(&mut self) {
        if let ::std::option::Option::Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
