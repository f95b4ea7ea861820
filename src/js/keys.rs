//! JS values as map keys: like a JS `Map`, a key that is not a string simply matches nothing.

use napi::bindgen_prelude::*;
use napi::{JsValue, ValueType};

/// The string in `value` when it can equal a stored id or base id; `None` otherwise.
///
/// Non-strings match nothing, as in a JS `Map`. Neither does a string with an unpaired surrogate:
/// ids read from the table are valid UTF-8, while napi would turn the surrogate into U+FFFD and
/// could then match a stored key that really contains U+FFFD.
pub fn string_key(value: &Unknown) -> Option<String> {
    if !matches!(value.get_type(), Ok(ValueType::String)) {
        return None;
    }
    let (env, raw) = (value.value().env, value.raw());
    let s = unsafe { String::from_napi_value(env, raw) }.ok()?;
    if s.contains('\u{FFFD}') && has_unpaired_surrogate(env, raw) {
        return None;
    }
    Some(s)
}

/// Whether the JS string `raw` holds a lone surrogate (read again as UTF-16 to tell).
pub fn has_unpaired_surrogate(env: sys::napi_env, raw: sys::napi_value) -> bool {
    match unsafe { Utf16String::from_napi_value(env, raw) } {
        Ok(units) => char::decode_utf16(units.iter().copied()).any(|c| c.is_err()),
        Err(_) => false,
    }
}
