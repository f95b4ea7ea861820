//! JS values as map keys: like a JS `Map`, a key that is not a string simply matches nothing.

use napi::bindgen_prelude::*;
use napi::ValueType;

/// The string in `value`, or `None` when it is not a string (and so can never be a key here).
pub fn string_key(value: &Unknown) -> Option<String> {
    match value.get_type() {
        Ok(ValueType::String) => unsafe { String::from_napi_value(value.value().env, value.raw()) }.ok(),
        _ => None,
    }
}
