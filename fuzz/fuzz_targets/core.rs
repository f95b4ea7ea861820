// The dependency-free modules of src/core, compiled into the fuzz targets as they are.
#![allow(dead_code)]
#[path = "../../src/core/base_id.rs"]
pub mod base_id;
#[path = "../../src/core/bits.rs"]
pub mod bits;
#[path = "../../src/core/prefetch.rs"]
pub mod prefetch;
#[path = "../../src/core/text_hash.rs"]
pub mod text_hash;
