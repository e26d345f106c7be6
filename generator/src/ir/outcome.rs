//! How the client splits an operation's documented responses: success statuses in `Ok`,
//! documented error statuses in `Err` with their typed bodies. The server keeps one enum with
//! every status, since it must produce the errors too.

use super::{Response, Status};

/// One side of a client method's result.
#[derive(Debug, Clone, PartialEq)]
pub enum Side {
    /// No documented status on this side: the success is `()`; the error side has no typed body
    /// (the method's error type is the runtime's plain `Error`).
    Nothing,
    /// One type for every status on this side: the body of the response at this index in
    /// [`Operation::responses`](super::Operation::responses) (`()` when it has none). The success
    /// side is a body only when one status is documented; the error side whenever all its
    /// statuses share a body type.
    Body(usize),
    /// An enum with one variant per status (shaped like the operation's response enum), named
    /// `name`, of the responses at these indices.
    Enum {
        /// The enum's name, in the `operations` module.
        name: String,
        /// The responses it holds, by index in `Operation::responses`.
        responses: Vec<usize>,
    },
}

/// The two sides of a client method's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// What `Ok` holds.
    pub success: Side,
    /// What `Error::Documented` holds.
    pub error: Side,
}

/// Whether a documented status is a success for the client: a 2XX, or `default` when the
/// operation documents no 2XX (then it is the only answer the document promises).
fn is_success(responses: &[Response], status: Status) -> bool {
    let two = |s: Status| matches!(s, Status::Code(200..=299) | Status::Range(2));
    two(status) || status == Status::Default && !responses.iter().any(|r| two(r.status))
}

impl Outcome {
    /// The response indices on the success side and on the error side, in status order.
    pub fn split(responses: &[Response]) -> (Vec<usize>, Vec<usize>) {
        (0..responses.len()).partition(|&i| is_success(responses, responses[i].status))
    }
}
