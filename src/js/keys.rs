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
    if s.contains('\u{FFFD}') && has_unpaired_surrogate(value.value().env, value.raw()) {
        return None;
    }
    Some(s)
}

/// Whether the JS string `value` holds a lone surrogate (read again as UTF-16 to tell).
pub(crate) fn has_unpaired_surrogate(env: sys::napi_env, value: sys::napi_value) -> bool {
    match unsafe { Utf16String::from_napi_value(env, value) } {
        Ok(units) => char::decode_utf16(units.iter().copied()).any(|c| c.is_err()),
        Err(_) => false,
    }
}

/// A key read with one napi call into a stack buffer (the hot path of `get`/`has`), falling back to
/// [`string_key`] for long keys and for the rare key that may hold an unpaired surrogate.
// The inline buffer is the point: boxing it would bring back the allocation this path avoids.
#[allow(clippy::large_enum_variant)]
pub enum Key {
    Short([u8; 256], usize),
    Long(String),
}

impl std::ops::Deref for Key {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Key::Short(buf, len) => &buf[..*len],
            Key::Long(s) => s.as_bytes(),
        }
    }
}

/// [`string_key`], fast: `None` for non-strings (napi refuses them) and unpaired surrogates.
pub fn fast_key(value: &Unknown) -> Option<Key> {
    let (env, raw) = (value.value().env, value.raw());
    let mut buf = [0u8; 256];
    let mut len = 0usize;
    let status = unsafe {
        sys::napi_get_value_string_utf8(env, raw, buf.as_mut_ptr().cast(), buf.len(), &mut len)
    };
    if status != sys::Status::napi_ok {
        return None;
    }
    // len == 255 means the buffer may have cut the string: read it whole.
    if len >= buf.len() - 1 || buf[..len].windows(3).any(|w| w == "\u{FFFD}".as_bytes()) {
        return string_key(value).map(Key::Long);
    }
    Some(Key::Short(buf, len))
}

/// A JS string from ASCII bytes (one napi call, no UTF-8 decoding).
pub fn ascii_string(env: &Env, ascii: &[u8]) -> Result<sys::napi_value> {
    let mut out = std::ptr::null_mut();
    check_status!(unsafe {
        sys::napi_create_string_latin1(
            env.raw(),
            ascii.as_ptr().cast(),
            ascii.len() as isize,
            &mut out,
        )
    })?;
    Ok(out)
}
