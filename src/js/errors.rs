//! Turning a [`LoadError`] into a JS `Error` whose `code` is our stable code.
//!
//! Async napi functions reject with a `Status` name as `code`; we instead build the `Error` object
//! on the JS thread ourselves and reject with that very object.

use crate::core::{ErrorCode, LoadError};
use napi::bindgen_prelude::*;

/// A napi error that rejects/throws with a JS `Error` carrying `code` = `err.code`.
pub fn to_napi(env: &Env, err: &LoadError) -> napi::Error {
    let js = JsError::from(napi::Error::new(err.code, err.message.clone())).into_unknown(*env);
    napi::Error::from(js)
}

/// A caught panic as a [`LoadError`].
pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> LoadError {
    LoadError::new(
        ErrorCode::Internal,
        format!(
            "internal error (a bug in lance-hashmaps, please report it): {}",
            crate::core::error::panic_message(payload)
        ),
    )
}
