//! Integration tests for oagen live in `tests/tests/`.
