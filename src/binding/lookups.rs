//! The per-key lookups of `baseHashMap` and `existingChunks` (the JS classes call these with a
//! string; any other key is answered in JS, as a `Map` would: `undefined` / `false`).

use super::errors::{guard, guard_napi};
use super::test_hooks::maybe_panic;
use crate::core::maps::text_hash::hex_lower_bytes;
use crate::core::{HashMapsData, HashRef};
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
/// is most of their cost (bench/filter-loop.ts: 2.1 times slower through `key_text`'s length
/// query and heap copy).
pub fn with_key<T>(key: JsString, f: impl FnOnce(Option<&[u8]>) -> T) -> Result<T> {
    let value = key.value();
    let mut buf = [0u8; KEY_BUF];
    let mut len = 0usize;
    // SAFETY: `value` is a string handle of the current call (alive until it returns) in its own
    // env, on this thread; the engine writes at most `buf.len()` bytes (NUL included) into `buf`
    // and the count of text bytes into `len`.
    let status = unsafe {
        sys::napi_get_value_string_utf8(
            value.env,
            value.value,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut len,
        )
    };
    // The engines leave out a character that does not fit, never half of one, so a key that was
    // cut came back at most 4 bytes (the longest UTF-8 character) short of the buffer's 255: a
    // shorter one is whole. U+FFFD (first byte 0xEF) may stand for a lone surrogate. Such keys,
    // and long ones, are read again in full.
    if status == sys::Status::napi_ok
        && len + 4 < KEY_BUF
        && memchr::memchr(0xEF, &buf[..len]).is_none()
    {
        return Ok(f(Some(&buf[..len])));
    }
    let whole = key_text(key)?;
    Ok(f(whole.as_deref()))
}

/// What `baseHashMap.get` answers: a hash (hex digests made as Latin-1, with nothing to decode),
/// a stored `null`, or `undefined` for a key that is no base id.
type BaseValue = Either4<HexDigest, String, Null, Undefined>;

/// A digest as 64 lowercase hex characters, made into a JS string from the stack.
pub struct HexDigest([u8; 64]);

impl ToNapiValue for HexDigest {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        let mut out = std::ptr::null_mut();
        // SAFETY: napi-rs calls this on the JS thread with that thread's env; the engine copies
        // the 64 bytes before it returns, and writes the new string's handle into `out`. (A
        // `Latin1String` would cost two heap allocations per `get`: bench/filter-loop.ts.)
        check_status!(unsafe {
            sys::napi_create_string_latin1(
                env,
                val.0.as_ptr().cast(),
                val.0.len() as isize,
                &mut out,
            )
        })?;
        Ok(out)
    }
}

/// `baseHashMap.get(key)` for `key`.
fn base_value(maps: &HashMapsData, key: JsString) -> Result<BaseValue> {
    guard_napi(|| {
        maybe_panic("lookup");
        let found = with_key(key, |k| k.and_then(|k| maps.find_base(k)))?;
        Ok(match found {
            None => Either4::D(()),
            Some(base) => match maps.base_hash(base) {
                HashRef::Digest(d) => Either4::A(HexDigest(hex_lower_bytes(d))),
                HashRef::Verbatim(s) => Either4::B(s.to_owned()),
                HashRef::Null => Either4::C(Null),
            },
        })
    })
}

/// `{ get, has }` of `baseHashMap` (`has` serves `existingChunks` too) as functions that own a
/// count of the maps: the JS class calls these once per item, and a call through them skips
/// what a call of an exported function with a handle argument costs in napi-rs (a borrow scope
/// and a look-up of the handle in a process-wide registry, 17% of the filter loop's samples).
#[napi(
    ts_return_type = "{ get(key: string): string | null | undefined; has(key: string): boolean }"
)]
pub fn base_lookups<'env>(
    env: &'env Env,
    maps: &External<Arc<HashMapsData>>,
) -> Result<Object<'env>> {
    let mut out = Object::new(env)?;
    let data: Arc<HashMapsData> = Arc::clone(maps);
    // `get`: the stored hash, `null` for a stored null, `undefined` for a key that is no base id.
    let get: Function<(), _> = env.create_function_from_closure("get", move |ctx| {
        base_value(&data, ctx.get::<JsString>(0)?)
    })?;
    let data: Arc<HashMapsData> = Arc::clone(maps);
    let has: Function<(), _> = env.create_function_from_closure("has", move |ctx| {
        let key = ctx.get::<JsString>(0)?;
        guard_napi(|| with_key(key, |k| k.is_some_and(|k| data.find_base(k).is_some())))
    })?;
    out.set_named_property("get", get)?;
    out.set_named_property("has", has)?;
    Ok(out)
}

/// `existingChunks.get(key)`: every id with base `key`, in scan order; `undefined` when absent.
#[napi]
pub fn chunks_get(
    maps: &External<Arc<HashMapsData>>,
    key: JsString,
) -> Result<Option<Vec<String>>> {
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
pub fn maps_info(maps: &External<Arc<HashMapsData>>) -> Result<Vec<f64>> {
    guard(|| {
        Ok(vec![
            maps.base_count() as f64,
            maps.id_count() as f64,
            maps.row_count() as f64,
            maps.heap_bytes() as f64,
        ])
    })
}
