//! The pure-Rust core: no napi types, tested with `cargo test`.
//!
//! - [`table`]: finding a table (a local path or an object-store URI), opening it read-only and
//!   scanning its id and hash columns in the JS SDK's order; lance's errors as our codes.
//! - [`maps`]: the compact, frozen maps built from that scan (the base-id rule, the id arena and
//!   table, the stored `text_hash` values) and the table's ids with a deleted bit each (existingIds' native part).
//! - [`plan`]: a batch's change check against the maps (sha256 of the texts, on every core).
//! - [`text`]: many parts joined into texts to hand out, with their UTF-16 lengths.

pub mod error;
pub mod maps;
pub mod plan;
pub mod table;
pub mod text;

pub use error::{CodedError, ErrorCode};
pub use maps::base_id::{base_id, base_id_str};
pub use maps::builder::MapsBuilder;
pub use maps::hash_maps_data::{BaseRef, Chunks, HashMapsData};
pub use maps::id_set::TableIds;
pub use maps::text_hash::HashRef;
pub use table::load::{load, Control, LoadOptions, LoadTimings, Loaded};

#[cfg(test)]
mod reference_tests;
