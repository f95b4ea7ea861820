//! The pure-Rust core: no napi types. Reading a table, the base-id rule and the compact maps.

pub mod base_id;
pub mod bits;
pub mod builder;
pub mod columns;
pub mod error;
pub mod hashing;
pub mod id_arena;
pub mod id_set;
pub mod id_table;
pub mod lance_error;
pub mod load;
pub mod locate;
pub mod maps;
pub mod plan;
pub mod prefetch;
pub mod scan;
pub mod text_hash;
pub mod utf16;

pub use base_id::{base_id, base_id_str};
pub use builder::MapsBuilder;
pub use error::{ErrorCode, LoadError};
pub use id_set::IdSetState;
pub use load::{load, Control, LoadOptions, Loaded};
pub use maps::{BaseRef, Chunks, HashMapsData};
pub use text_hash::HashRef;

#[cfg(test)]
mod reference_tests;
