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

/// A key read with one napi call into the caller's stack buffer (the hot path of `get`/`has`), or,
/// for long keys and the rare key that may hold an unpaired surrogate, through [`string_key`].
pub enum Key<'a> {
    Short(&'a [u8]),
    Long(String),
}

impl std::ops::Deref for Key<'_> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Key::Short(bytes) => bytes,
            Key::Long(s) => s.as_bytes(),
        }
    }
}

/// Room for the keys read without allocating (ids are far shorter).
pub type KeyBuf = [u8; 256];

/// [`string_key`], fast: `None` for non-strings (napi refuses them) and unpaired surrogates.
pub fn fast_key<'a>(value: &Unknown, buf: &'a mut KeyBuf) -> Option<Key<'a>> {
    // SAFETY: `value` is a live handle of its env.
    unsafe { read_key(value.value().env, value.raw(), buf) }
}

/// [`fast_key`] on a raw handle.
///
/// # Safety
/// `raw` must be a live handle of `env`, on that env's thread.
pub(crate) unsafe fn read_key<'a>(
    env: sys::napi_env,
    raw: sys::napi_value,
    buf: &'a mut KeyBuf,
) -> Option<Key<'a>> {
    let mut len = 0usize;
    let status = unsafe {
        sys::napi_get_value_string_utf8(env, raw, buf.as_mut_ptr().cast(), buf.len(), &mut len)
    };
    if status != sys::Status::napi_ok {
        return None;
    }
    // len == 255 means the buffer may have cut the string: read it whole. U+FFFD (EF BF BD) may
    // stand for a lone surrogate: read that key again to tell.
    if len >= buf.len() - 1 || memchr::memchr(0xEF, &buf[..len]).is_some() {
        let value = unsafe { Unknown::from_raw_unchecked(env, raw) };
        return string_key(&value).map(Key::Long);
    }
    Some(Key::Short(&buf[..len]))
}

/// A JS string from ASCII bytes (one napi call, no UTF-8 decoding).
///
/// # Safety
/// `env` must be the current env, on its thread.
pub unsafe fn ascii_string(env: sys::napi_env, ascii: &[u8]) -> Result<sys::napi_value> {
    let mut out = std::ptr::null_mut();
    check_status!(unsafe {
        sys::napi_create_string_latin1(env, ascii.as_ptr().cast(), ascii.len() as isize, &mut out)
    })?;
    Ok(out)
}
