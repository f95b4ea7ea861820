//! lance-hashmaps: the change-detection maps of a LanceDB embeddings table, built natively.
//!
//! [`core`] is plain Rust (no napi types; tested with `cargo test`); [`binding`] is the thin napi
//! layer the JS API in `js/` calls.
#![deny(clippy::all)]

pub mod binding;
pub mod core;
