//! The napi binding: thin functions over the core, called only by the JS layer (`js/`), which
//! checks every argument first. Nothing here parses options or calls back into user code; each
//! function takes typed values and returns plain values, a handle or a promise.
//!
//! Errors cross as `Error`s whose `code` is the stable code (`"E_VERSION"`): the JS layer turns
//! them into `LanceHashMapsError`s (see `js/errors.js`).

pub mod abort_flag;
pub mod constants;
pub mod errors;
pub mod hash_text;
pub mod id_set;
pub mod js_text;
pub mod key_fn;
pub mod load_maps;
pub mod lookups;
pub mod pages;
pub mod plan_changes;
pub mod test_hooks;
