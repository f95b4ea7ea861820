//! Errors as the JS layer reads them: `"<code>: <message>"`, and panics caught as `E_INTERNAL`.

pub use crate::core::error::from_panic;
use crate::core::LoadError;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A napi error whose message starts with the stable code, for the JS layer to split.
pub fn coded(err: LoadError) -> napi::Error {
    napi::Error::from_reason(format!("{}: {}", err.code.as_str(), err.message))
}

/// Runs `f`, turning its error and any panic into a coded napi error: no panic unwinds into the
/// engine, whatever a synchronous binding function does.
pub fn guard<T>(f: impl FnOnce() -> Result<T, LoadError>) -> napi::Result<T> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|p| Err(from_panic(p.as_ref())))
        .map_err(coded)
}

/// [`guard`] for a body that can also fail with a napi error (e.g. creating a JS value).
pub fn guard_napi<T>(f: impl FnOnce() -> napi::Result<T>) -> napi::Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|p| Err(coded(from_panic(p.as_ref()))))
}
