//! The per-key lookups of `baseHashMap` and `existingChunks` (the JS classes call these with a
//! string; any other key is answered in JS, as a `Map` would: `undefined` / `false`).

use super::errors::{guard, guard_napi};
use super::key_fn::{create_key_fn, Answer, KeyFn};
use crate::core::{CodedError, ErrorCode, HashMapsData, HashRef};
use napi::bindgen_prelude::*;
use napi::{JsString, JsValue};
use napi_derive::napi;
use std::sync::Arc;

/// Keys up to this many UTF-8 bytes are read into the stack (ids are far shorter).
const KEY_BUF: usize = 256;

/// The UTF-8 text of a JS string key, or `None` when no stored id can equal it: a string with an
/// unpaired surrogate (ids read from a table are valid Unicode; the engine would hand the
/// surrogate over as U+FFFD, which a stored id may really contain).
pub fn key_text(key: JsString) -> Result<Option<Vec<u8>>> {
    let utf8 = key.into_utf8()?;
    let bytes = utf8.as_slice();
    // U+FFFD is EF BF BD in UTF-8: only then can the key hide a lone surrogate.
    if memchr::memmem::find(bytes, "\u{FFFD}".as_bytes()).is_some() {
        let units = key.into_utf16()?;
        let units = units.as_slice();
        let units = units.strip_suffix(&[0]).unwrap_or(units);
        if char::decode_utf16(units.iter().copied()).any(|c| c.is_err()) {
            return Ok(None);
        }
    }
    Ok(Some(bytes.to_vec()))
}

/// Calls `f` with the UTF-8 text of `key` ([`key_text`]'s answer), read into a stack buffer with one
/// engine call when it fits: the per-item lookups are called once per row, and reading the key
/// is most of their cost (through `key_text`'s length query and heap copy they are much slower:
/// bench/README.md, "Lookups: the key read into a stack buffer").
pub fn with_key<T>(key: JsString, f: impl FnOnce(Option<&[u8]>) -> T) -> Result<T> {
    let value = key.value();
    // SAFETY: a `JsString` is a string handle of the current call, in its env, on this thread.
    unsafe { read_key(value.env, value.value, f) }
}

/// [`with_key`] for a raw handle (`key_fn`'s entry point); a value that is not a string reads as
/// `None`.
///
/// # Safety
/// `key` must be a live handle of the call in progress in `env`, on `env`'s JS thread.
#[inline]
pub unsafe fn read_key<T>(
    env: sys::napi_env,
    key: sys::napi_value,
    f: impl FnOnce(Option<&[u8]>) -> T,
) -> Result<T> {
    let mut buf = [0u8; KEY_BUF];
    let mut len = 0usize;
    // SAFETY: by this function's contract `key` is a live handle in `env`, on this thread; the
    // engine writes at most `buf.len()` bytes (NUL included) into `buf` and the count
    // of text bytes into `len`, or fails with `napi_string_expected` for a value of another type.
    let status = unsafe {
        sys::napi_get_value_string_utf8(env, key, buf.as_mut_ptr().cast(), buf.len(), &mut len)
    };
    match status {
        sys::Status::napi_ok => {}
        sys::Status::napi_string_expected => return Ok(f(None)),
        // E.g. a pending exception (an engine out of memory flattening a huge string).
        other => return Err(Error::new(Status::from(other), "could not read a key")),
    }
    // The engines leave out a character that does not fit, never half of one, so a key that was
    // cut came back at most 3 bytes short of the buffer's 255 (a 4-byte character that did not
    // fit leaves at most 3 unused): 252 bytes or more may be cut, fewer (`len + 4 < 256`) are
    // whole. U+FFFD (first byte 0xEF) may stand for a lone surrogate. Such keys,
    // and long ones, are read again in full.
    let text = &buf[..len.min(KEY_BUF)];
    // (`is_ascii` first: ids are mostly ASCII, and it is inlined where memchr is a call.)
    if len + 4 < KEY_BUF && (text.is_ascii() || memchr::memchr(0xEF, text).is_none()) {
        return Ok(f(Some(text)));
    }
    // SAFETY: `key` is a live handle in `env` (this function's contract) and a string (the engine
    // read it as one above); `JsString` only wraps it.
    let key = unsafe { JsString::from_napi_value(env, key) }?;
    let whole = key_text(key)?;
    Ok(f(whole.as_deref()))
}

/// `baseHashMap.get`: the stored hash, `null` for a stored null, `undefined` for a key that is no
/// base id.
struct BaseGet(Arc<HashMapsData>);

impl KeyFn for BaseGet {
    #[inline]
    fn answer(&self, key: Option<&[u8]>) -> std::result::Result<Answer<'_>, CodedError> {
        let Some(base) = key.and_then(|k| self.0.find_base(k)) else {
            return Ok(Answer::Undefined);
        };
        Ok(match self.0.base_hash(base) {
            HashRef::Digest(d) => Answer::Digest(d),
            HashRef::Verbatim(s) => Answer::Text(s),
            HashRef::Null => Answer::Null,
        })
    }
}

/// `baseHashMap.has` (and `existingChunks.has`: the same keys).
struct BaseHas(Arc<HashMapsData>);

impl KeyFn for BaseHas {
    #[inline]
    fn answer(&self, key: Option<&[u8]>) -> std::result::Result<Answer<'_>, CodedError> {
        Ok(Answer::Bool(
            key.is_some_and(|k| self.0.find_base(k).is_some()),
        ))
    }
}

/// `{ get, has }` of `baseHashMap` (`has` serves `existingChunks` too) as functions that own a
/// count of the maps: the JS class calls these once per item, and a call through them skips
/// what a call of an exported function with a handle argument costs in napi-rs (a borrow scope
/// and a look-up of the handle in a process-wide registry: bench/README.md, "Lookups: raw
/// Node-API functions vs napi-rs closures").
#[napi(
    ts_return_type = "{ get(key: string): string | null | undefined; has(key: string): boolean }"
)]
pub fn base_lookups<'env>(
    env: &'env Env,
    maps: &External<Arc<HashMapsData>>,
) -> Result<Object<'env>> {
    let mut out = Object::new(env)?;
    out.set_named_property("get", create_key_fn(env, "get", BaseGet(Arc::clone(maps)))?)?;
    out.set_named_property("has", create_key_fn(env, "has", BaseHas(Arc::clone(maps)))?)?;
    Ok(out)
}

/// `existingChunks.get(key)`: every id with base `key`, in scan order; `undefined` when absent.
#[napi]
pub fn chunks_get(
    maps: &External<Arc<HashMapsData>>,
    key: JsString,
) -> Result<Option<Vec<String>>, ErrorCode> {
    guard_napi(|| {
        with_key(key, |key| {
            let base = key.and_then(|key| maps.find_base(key))?;
            let ids = maps.base_chunks(base).to_vec();
            Some(ids.into_iter().map(|i| maps.id(i).to_owned()).collect())
        })
    })
}

/// Counts of a maps handle: `[bases, distinct ids, rows, native bytes]`.
#[napi]
pub fn maps_info(maps: &External<Arc<HashMapsData>>) -> Result<Vec<f64>, ErrorCode> {
    guard(|| {
        Ok(vec![
            maps.base_count() as f64,
            maps.id_count() as f64,
            maps.row_count() as f64,
            maps.heap_bytes() as f64,
        ])
    })
}
