//! lance-hashmaps: the change-detection maps of a LanceDB embeddings table, built natively.
//!
//! [`core`] is plain Rust (usable and tested without Node); [`js`] is the thin napi layer.

pub mod core;
pub mod js;
