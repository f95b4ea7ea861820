//! The thin napi layer: argument checking, coded errors, and the JS classes over the core.

pub mod base_hash_map;
pub mod bound;
pub mod build;
pub mod control;
pub mod errors;
pub mod existing_chunks;
pub mod existing_ids;
pub mod hashing;
pub mod items;
pub mod keys;
pub mod options;
pub mod packed_items;
pub mod plan;
pub mod plan_result;
pub mod script;
