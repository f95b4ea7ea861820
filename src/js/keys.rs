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
    let s = unsafe { String::from_napi_value(value.value().env, value.raw()) }.ok()?;
    if s.contains('\u{FFFD}') && has_unpaired_surrogate(value) {
        return None;
    }
    Some(s)
}

/// Whether the JS string `value` holds a lone surrogate (read again as UTF-16 to tell).
fn has_unpaired_surrogate(value: &Unknown) -> bool {
    match unsafe { Utf16String::from_napi_value(value.value().env, value.raw()) } {
        Ok(units) => char::decode_utf16(units.iter().copied()).any(|c| c.is_err()),
        Err(_) => false,
    }
}
