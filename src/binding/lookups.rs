//! The per-key lookups of `baseHashMap` and `existingChunks` (the JS classes call these with a
//! string; any other key is answered in JS, as a `Map` would: `undefined` / `false`).

use super::errors::{guard, guard_napi};
use super::test_hooks::maybe_panic;
use crate::core::maps::text_hash::hex_lower_bytes;
use crate::core::{HashMapsData, HashRef};
use napi::bindgen_prelude::*;
use napi::JsString;
use napi_derive::napi;
use std::sync::Arc;

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

/// `baseHashMap.get(key)`: the stored hash, `null` for a stored null, `undefined` when absent.
#[napi(ts_return_type = "string | null | undefined")]
pub fn base_get(
    maps: &External<Arc<HashMapsData>>,
    key: JsString,
) -> Result<Either3<String, Null, Undefined>> {
    guard_napi(|| {
        maybe_panic("lookup");
        let Some(key) = key_text(key)? else {
            return Ok(Either3::C(()));
        };
        Ok(match maps.find_base(&key) {
            None => Either3::C(()),
            Some(base) => match maps.base_hash(base) {
                HashRef::Digest(d) => {
                    let hex = hex_lower_bytes(d);
                    // Hex digits are ASCII.
                    Either3::A(String::from_utf8_lossy(&hex).into_owned())
                }
                HashRef::Verbatim(s) => Either3::A(s.to_owned()),
                HashRef::Null => Either3::B(Null),
            },
        })
    })
}

/// `baseHashMap.has(key)` and `existingChunks.has(key)`: whether `key` is a base id.
#[napi]
pub fn base_has(maps: &External<Arc<HashMapsData>>, key: JsString) -> Result<bool> {
    guard_napi(|| Ok(key_text(key)?.is_some_and(|k| maps.find_base(&k).is_some())))
}

/// `existingChunks.get(key)`: every id with base `key`, in scan order; `undefined` when absent.
#[napi]
pub fn chunks_get(
    maps: &External<Arc<HashMapsData>>,
    key: JsString,
) -> Result<Option<Vec<String>>> {
    guard_napi(|| {
        let Some(key) = key_text(key)? else {
            return Ok(None);
        };
        Ok(maps.find_base(&key).map(|base| {
            let chunks = maps.base_chunks(base);
            chunks
                .to_vec()
                .into_iter()
                .map(|i| maps.id(i).to_owned())
                .collect()
        }))
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
