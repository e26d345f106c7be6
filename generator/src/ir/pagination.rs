//! How the pages of a list operation are walked.

use super::{Presence, Ty};

/// A list operation whose pages can be walked.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// How the next page is found.
    pub kind: PaginationKind,
    /// The response field holding the page's items, or `None` when the response is the array
    /// itself.
    pub items: Option<PageField>,
    /// The type of one item.
    pub item: Ty,
    /// The status whose body is the page.
    pub status: u16,
    /// The client method that streams the items (`<op>_stream`).
    pub method: String,
}

/// A field of the page type (the status's body, aliases followed) that a page walk reads.
#[derive(Debug, Clone, PartialEq)]
pub struct PageField {
    /// Rust name of the field.
    pub name: String,
    /// Its presence, which decides how the walk unwraps it.
    pub presence: Presence,
}

/// How the next page is found.
#[derive(Debug, Clone, PartialEq)]
pub enum PaginationKind {
    /// A response field holds the URL of the next page (`next`, `nextLink`), empty or null at
    /// the end.
    NextUrl {
        /// The response field.
        field: PageField,
    },
    /// A response field holds a token that goes into a query parameter.
    Cursor {
        /// The response field.
        field: PageField,
        /// Rust name of the query field.
        param: String,
    },
    /// An offset query parameter advanced by the number of items received.
    Offset {
        /// Rust name of the query field.
        param: String,
    },
    /// A page-number query parameter advanced by one.
    Page {
        /// Rust name of the query field.
        param: String,
    },
    /// The `Link` response header's `rel="next"` URL.
    LinkHeader,
}
