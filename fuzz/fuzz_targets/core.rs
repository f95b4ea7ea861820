// The dependency-free modules of src/core/maps, compiled into the fuzz targets as they are.
#![allow(dead_code)]
#[path = "../../src/core/maps/base_id.rs"]
pub mod base_id;
#[path = "../../src/core/maps/bits.rs"]
pub mod bits;
#[path = "../../src/core/maps/prefetch.rs"]
pub mod prefetch;
#[path = "../../src/core/maps/text_hash.rs"]
pub mod text_hash;
#[path = "../../src/core/maps/touch.rs"]
pub mod touch;
#[path = "../../src/core/error.rs"]
pub mod error;
