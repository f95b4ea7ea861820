//! Errors as they reach JS: a napi error whose `code` is the [`ErrorCode`]'s string (`"E_IO"`,
//! …; napi-rs sets a JS error's `code` from its status), with the message as written; panics
//! caught as `E_INTERNAL`.

pub use crate::core::error::from_panic;
use crate::core::{CodedError, ErrorCode};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// `err` as a napi error with its code.
pub fn coded(err: CodedError) -> Error<ErrorCode> {
    Error::new(err.code, err.message)
}

/// Runs `f`, turning its error and any panic into a coded napi error: no panic unwinds into the
/// engine, whatever a synchronous binding function does.
pub fn guard<T>(f: impl FnOnce() -> std::result::Result<T, CodedError>) -> Result<T, ErrorCode> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|p| Err(from_panic(p.as_ref())))
        .map_err(coded)
}

/// [`guard`] for a body that fails with a napi error (an engine call that failed: `E_INTERNAL`).
pub fn guard_napi<T>(f: impl FnOnce() -> Result<T>) -> Result<T, ErrorCode> {
    guard(|| f().map_err(|e| CodedError::new(ErrorCode::Internal, e.reason.clone())))
}

/// The JS error object of `err`, made on the JS thread, as the napi error a promise rejects with
/// (napi-rs hands the object itself to the rejection, code and all).
pub fn rejection(env: &Env, err: CodedError) -> Error {
    let value = JsError::from(coded(err)).into_unknown(*env);
    Error::from_unknown_without_coercion(value)
}

/// Every code the addon's errors carry, as written in [`ErrorCode`]: the JS layer and the test of
/// `index.d.ts` read them from here.
#[napi]
pub fn error_codes() -> Vec<&'static str> {
    ErrorCode::ALL.iter().map(|c| c.as_str()).collect()
}
