//! The maps a scan builds: compact, frozen after the build, with no per-row allocation.
//!
//! Words: a row's *id* and its *base id* ([`base_id`]); a *chunk* is one id of a base with
//! several (`<base>#<n>`); the *text hash* is the stored `text_hash` column ([`text_hash`]), and
//! a *digest* the 32 bytes of a sha256 (planChanges compares a text's digest, as hex, with the
//! text hash); a *key hash* is the u64 hash of an id or base id used by the hash tables
//! ([`id_table`]). A *page* is what one native call of a walk hands over.

pub mod base_id;
pub mod bits;
pub mod builder;
pub mod hash_maps_data;
pub mod id_arena;
pub mod id_set;
pub mod id_table;
pub mod prefetch;
pub mod text_hash;
pub mod touch;
