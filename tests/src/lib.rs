//! Integration tests for oagen live in `tests/`; the README's examples run here as doctests.

/// The README's examples run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
