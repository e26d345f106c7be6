//! How the client splits an operation's documented responses: success statuses in `Ok`,
//! documented error statuses in `Err` with their typed bodies. The server keeps one enum with
//! every status, since it must produce the errors too.

use super::{Response, Status};

/// One side of a client method's result: the documented responses that land on it, and the
/// enum that holds them when one type cannot.
///
/// What the side holds follows: the enum when it is named; otherwise the body of its first
/// response (the same type for all of them, `()` when it has none); `()` when no response lands
/// here (for the error side: no typed body, the method's error type is the runtime's `Error`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Side {
    /// The responses on this side, by index in
    /// [`Operation::responses`](super::Operation::responses), in status order.
    pub responses: Vec<usize>,
    /// The enum (in the `operations` module, one variant per status, shaped like the
    /// operation's response enum) that holds them, when their bodies cannot share one type.
    pub enum_name: Option<String>,
}

/// The two sides of a client method's result.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    /// What `Ok` holds: a 2XX status, or `default` when no 2XX is documented (then it is the
    /// only answer the document promises).
    pub success: Side,
    /// What `ErrorKind::Documented` holds: every other documented status.
    pub error: Side,
}

/// Whether a documented status lands on the success side.
pub fn is_success(responses: &[Response], status: Status) -> bool {
    let two = |s: Status| matches!(s, Status::Code(200..=299) | Status::Range(2));
    two(status) || status == Status::Default && !responses.iter().any(|r| two(r.status))
}
