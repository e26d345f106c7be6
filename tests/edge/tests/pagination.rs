//! `spec/edge/pagination.yaml` served by its generated server and walked by the generated
//! client's `_stream` methods: a cursor in the body, an offset, a page number in a page object
//! and with a bare array, a `Link` header, and a next-page URL.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures_util::TryStreamExt as _;
use oagen_edge_goldens::pagination::client::Client;
use oagen_edge_goldens::pagination::models::{
    Item, ListByCursorResponse200, ListByOffsetResponse200, ListByPageResponse200, ListByUrlResponse200,
};
use oagen_edge_goldens::pagination::operations::{self as ops};
use oagen_edge_goldens::pagination::server::{self, Authenticator, Credential, Principal, Problem, ServerConfig};

/// Seven items, three to a page unless the caller asks otherwise.
const ITEMS: i64 = 7;
const PAGE: i64 = 3;

/// Serves pages of `1..=ITEMS`, counting the requests.
struct Pages {
    base: String,
    requests: Arc<AtomicUsize>,
}

/// The items from `start` (0-based), at most `size` of them.
fn slice(start: i64, size: i64) -> Vec<Item> {
    (start..(start + size).min(ITEMS)).map(|i| Item { id: i + 1 }).collect()
}

/// Page `page` (1-based) of `size` items.
fn numbered(page: i64, size: i64) -> Vec<Item> {
    slice((page - 1).max(0) * size, size)
}

impl Pages {
    fn count(&self) {
        self.requests.fetch_add(1, Ordering::SeqCst);
    }
}

impl server::Api for Pages {
    async fn list_by_cursor(&self, query: ops::ListByCursorQuery) -> Result<ops::ListByCursorResponse, Problem> {
        self.count();
        // The cursor is opaque to the client: here, `at-<start>`.
        let start = match query.cursor.as_deref() {
            None => 0,
            Some(cursor) => cursor
                .strip_prefix("at-")
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| Problem::new(400, "bad cursor"))?,
        };
        let size = query.limit.unwrap_or(PAGE);
        let next = (start + size < ITEMS).then(|| format!("at-{}", start + size));
        Ok(ops::ListByCursorResponse::Ok(ListByCursorResponse200 {
            items: slice(start, size),
            next_cursor: Some(next),
        }))
    }

    async fn list_linked(&self, query: ops::ListLinkedQuery) -> Result<ops::ListLinkedResponse, Problem> {
        self.count();
        // The `Link` header is added by the middleware in `serve`.
        Ok(ops::ListLinkedResponse::Ok(numbered(query.page.unwrap_or(1), query.per_page.unwrap_or(PAGE))))
    }

    async fn list_by_url(&self, query: ops::ListByUrlQuery) -> Result<ops::ListByUrlResponse, Problem> {
        self.count();
        let (offset, limit) = (query.offset.unwrap_or(0), query.limit.unwrap_or(PAGE));
        let next =
            (offset + limit < ITEMS).then(|| format!("{}/next?limit={limit}&offset={}", self.base, offset + limit));
        Ok(ops::ListByUrlResponse::Ok(ListByUrlResponse200 { results: slice(offset, limit), next: Some(next) }))
    }

    async fn list_numbered(&self, query: ops::ListNumberedQuery) -> Result<ops::ListNumberedResponse, Problem> {
        self.count();
        Ok(ops::ListNumberedResponse::Ok(numbered(query.page.unwrap_or(1), PAGE)))
    }

    async fn list_by_offset(&self, query: ops::ListByOffsetQuery) -> Result<ops::ListByOffsetResponse, Problem> {
        self.count();
        let results = slice(query.offset.unwrap_or(0), query.limit.unwrap_or(PAGE));
        Ok(ops::ListByOffsetResponse::Ok(ListByOffsetResponse200 { count: ITEMS, results }))
    }

    async fn list_by_page(&self, query: ops::ListByPageQuery) -> Result<ops::ListByPageResponse, Problem> {
        self.count();
        Ok(ops::ListByPageResponse::Ok(ListByPageResponse200 { data: numbered(query.page.unwrap_or(1), PAGE) }))
    }
}

struct Nobody;

impl Authenticator for Nobody {
    async fn authenticate(&self, _scheme: &str, _credential: Credential<'_>) -> Option<Principal> {
        None
    }
}

/// Adds `Link: <…?page=N+1&per_page=S>; rel="next"` to `/linked` pages that have a next page,
/// as GitHub does: the generated server has no way yet to set a documented response header.
async fn link_header(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let host = request.headers().get("host").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let linked = request.uri().path() == "/linked";
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(request.uri().query().unwrap_or_default().as_bytes()).into_owned().collect();
    let number = |name: &str, default: i64| {
        query.iter().find(|(k, _)| k == name).and_then(|(_, v)| v.parse::<i64>().ok()).unwrap_or(default)
    };
    let (page, size) = (number("page", 1), number("per_page", PAGE));
    let mut response = next.run(request).await;
    if linked && page * size < ITEMS {
        let link = format!(
            "<http://{host}/linked?page={}&per_page={size}>; rel=\"next\", <http://{host}/linked?page=1&per_page={size}>; rel=\"first\"",
            page + 1
        );
        if let Ok(value) = axum::http::HeaderValue::from_str(&link) {
            response.headers_mut().insert("link", value);
        }
    }
    response
}

async fn serve() -> (Client, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let base = format!("http://{}", listener.local_addr().expect("a local address"));
    let requests = Arc::new(AtomicUsize::new(0));
    let pages = Pages { base: base.clone(), requests: Arc::clone(&requests) };
    let router = server::router(pages, Nobody, ServerConfig::default()).layer(axum::middleware::from_fn(link_header));
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (Client::builder().base_url(base).build().expect("a client"), requests)
}

fn ids(items: &[Item]) -> Vec<i64> {
    items.iter().map(|i| i.id).collect()
}

fn all() -> Vec<i64> {
    (1..=ITEMS).collect()
}

/// Walks a stream to its end, returning the ids and how many requests it took.
macro_rules! walk {
    ($client:ident, $requests:ident, $stream:expr) => {{
        let before = $requests.load(Ordering::SeqCst);
        let items: Vec<Item> = $stream.try_collect().await.expect("every page");
        (ids(&items), $requests.load(Ordering::SeqCst) - before)
    }};
}

#[tokio::test]
async fn every_pagination_style_is_walked_to_the_end() {
    let (c, requests) = serve().await;
    // Pages linked by the response end when it says there is no next page: 3 requests.
    let cursor = ops::ListByCursorQuery::default();
    assert_eq!(walk!(c, requests, c.list_by_cursor_stream(&cursor)), (all(), 3), "cursor");
    let url = ops::ListByUrlQuery::default();
    assert_eq!(walk!(c, requests, c.list_by_url_stream(&url)), (all(), 3), "next URL");
    let linked = ops::ListLinkedQuery::default();
    assert_eq!(walk!(c, requests, c.list_linked_stream(&linked)), (all(), 3), "Link header");
    // Counted pages end at the first page without items: 4 requests.
    let offset = ops::ListByOffsetQuery::default();
    assert_eq!(walk!(c, requests, c.list_by_offset_stream(&offset)), (all(), 4), "offset");
    let page = ops::ListByPageQuery::default();
    assert_eq!(walk!(c, requests, c.list_by_page_stream(&page)), (all(), 4), "page number");
    let numbered = ops::ListNumberedQuery::default();
    assert_eq!(walk!(c, requests, c.list_numbered_stream(&numbered)), (all(), 4), "page number, bare array");
}

#[tokio::test]
async fn the_first_query_is_kept_and_its_position_is_the_start() {
    let (c, requests) = serve().await;
    // A page size asked for is kept on every following request.
    let cursor = ops::ListByCursorQuery { cursor: None, limit: Some(2) };
    assert_eq!(walk!(c, requests, c.list_by_cursor_stream(&cursor)), (all(), 4), "cursor, two a page");
    let linked = ops::ListLinkedQuery { per_page: Some(5), page: None };
    assert_eq!(walk!(c, requests, c.list_linked_stream(&linked)), (all(), 2), "Link header, five a page");
    let offset = ops::ListByOffsetQuery { offset: Some(1), limit: Some(4) };
    assert_eq!(walk!(c, requests, c.list_by_offset_stream(&offset)), ((2..=ITEMS).collect(), 3), "offset from 1");
    let page = ops::ListByPageQuery { page: Some(2) };
    assert_eq!(walk!(c, requests, c.list_by_page_stream(&page)), ((4..=ITEMS).collect(), 3), "from page 2");
    let numbered = ops::ListNumberedQuery { page: Some(3) };
    assert_eq!(walk!(c, requests, c.list_numbered_stream(&numbered)), (vec![7], 2), "from page 3");
    // The plain method fetches one page.
    assert_eq!(ids(&c.list_numbered(&ops::ListNumberedQuery::default()).await.expect("a page")), vec![1, 2, 3]);
}

#[tokio::test]
async fn a_stream_is_lazy_and_stops_where_its_reader_does() {
    let (c, requests) = serve().await;
    let page = ops::ListByPageQuery::default();
    let first_four: Vec<Item> =
        futures_util::StreamExt::take(c.list_by_page_stream(&page), 4).try_collect().await.expect("four items");
    assert_eq!(ids(&first_four), vec![1, 2, 3, 4]);
    assert_eq!(requests.load(Ordering::SeqCst), 2, "two pages hold four items; no third is fetched");
}
