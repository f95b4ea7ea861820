//! The fast way in for `planChanges` items: a small JS function, compiled once per call with
//! `napi_run_script`, walks the items inside the JS engine (where property reads are JIT-compiled)
//! and joins the ids and the texts to hash into two strings, with their lengths in two
//! `Uint32Array`s. The addon then copies each joined string out with ONE napi call, instead of
//! five to eight napi calls per item, which cost more than hashing the texts.
//!
//! Anything that is not a well-formed item makes the packer give up (returns `null`); the caller
//! then reads the items one by one with `items::read_items`, which names the bad item.

use super::script;
use crate::core::utf16::Utf16Strings;
use crate::core::{ErrorCode, LoadError};
use napi::bindgen_prelude::*;
use napi::JsValue;
use std::ptr;

/// Items per packer call: bounds the joined strings the JS engine holds at once.
const CHUNK: u32 = 8 * 1024;

/// `contextText || text`, exactly as `items::read_items` reads it: a missing, null or empty
/// `contextText` falls back to `text`; any other non-string value is the slow path's to report.
const PACKER: &str = r#"(function packItems(items, start, end) {
  "use strict";
  const n = end - start;
  const ids = new Array(n), texts = new Array(n);
  const idLens = new Uint32Array(n), textLens = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const item = items[start + k];
    if (typeof item !== "object" || item === null) return null;
    const id = item.id;
    if (typeof id !== "string") return null;
    const ctx = item.contextText;
    let text;
    if (typeof ctx === "string" && ctx !== "") text = ctx;
    else if (ctx === undefined || ctx === null || ctx === "") text = item.text;
    else return null;
    if (typeof text !== "string") return null;
    ids[k] = id; idLens[k] = id.length;
    texts[k] = text; textLens[k] = text.length;
  }
  return [ids.join(""), idLens, texts.join(""), textLens];
})"#;

fn internal(what: &str) -> LoadError {
    LoadError::new(
        ErrorCode::Internal,
        format!("reading the items: {what} failed"),
    )
}

fn ok(status: sys::napi_status, what: &str) -> std::result::Result<(), LoadError> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(internal(what))
    }
}

/// Appends the JS string `value` to `out.units`; `false` when `value` is not a string.
fn append_utf16(env: sys::napi_env, value: sys::napi_value, out: &mut Utf16Strings) -> bool {
    let mut len = 0usize;
    let s = unsafe { sys::napi_get_value_string_utf16(env, value, ptr::null_mut(), 0, &mut len) };
    if s != sys::Status::napi_ok {
        return false;
    }
    let old = out.units.len();
    out.units.reserve(len + 1);
    let mut written = 0usize;
    // SAFETY: `len + 1` units are reserved past `old` (napi writes a NUL after the text).
    let s = unsafe {
        sys::napi_get_value_string_utf16(
            env,
            value,
            out.units.as_mut_ptr().add(old),
            len + 1,
            &mut written,
        )
    };
    if s != sys::Status::napi_ok || written != len {
        return false;
    }
    // SAFETY: napi initialised `written` units.
    unsafe { out.units.set_len(old + written) };
    true
}

/// The elements of a `Uint32Array`, copied; `None` for anything else.
fn u32_array(env: sys::napi_env, value: sys::napi_value) -> Option<Vec<u32>> {
    let mut kind = 0;
    let mut len = 0usize;
    let mut data = ptr::null_mut();
    let mut buffer = ptr::null_mut();
    let mut offset = 0usize;
    let s = unsafe {
        sys::napi_get_typedarray_info(
            env,
            value,
            &mut kind,
            &mut len,
            &mut data,
            &mut buffer,
            &mut offset,
        )
    };
    if s != sys::Status::napi_ok || kind != sys::TypedarrayType::uint32_array {
        return None;
    }
    if len == 0 {
        return Some(Vec::new());
    }
    // SAFETY: napi reports `len` u32 elements at `data`, alive while `value` is.
    Some(unsafe { std::slice::from_raw_parts(data as *const u32, len) }.to_vec())
}

/// How reading through the packer ended.
pub enum Packed {
    /// Every item was read and handed to `on_chunk`.
    Done,
    /// Some item is not well formed (or the engine cannot compile the packer): read the items
    /// one by one instead, which names the bad item.
    Declined,
    /// Reading an item threw (a getter, a Proxy): this is the thrown value, already cleared.
    Threw(sys::napi_value),
}

/// Reads `items` through the packer, handing each chunk's ids and texts to hash
/// (`contextText || text`), as UTF-16, to `on_chunk` as soon as it is read, so work on it can start
/// while later chunks are read.
pub fn read_items_packed(
    items: &Unknown,
    mut on_chunk: impl FnMut(Utf16Strings, Utf16Strings),
) -> std::result::Result<Packed, LoadError> {
    let env = items.value().env;
    let raw = items.raw();
    let mut is_array = false;
    ok(
        unsafe { sys::napi_is_array(env, raw, &mut is_array) },
        "napi_is_array",
    )?;
    if !is_array {
        return Ok(Packed::Declined);
    }
    let mut len = 0u32;
    ok(
        unsafe { sys::napi_get_array_length(env, raw, &mut len) },
        "napi_get_array_length",
    )?;
    let Some(packer) = script::compile(env, PACKER) else {
        return Ok(Packed::Declined); // an engine without napi_run_script: the slow path works
    };
    let mut start = 0u32;

    while start < len {
        let end = start.saturating_add(CHUNK).min(len);
        let mut args = [raw, ptr::null_mut(), ptr::null_mut()];
        ok(
            unsafe { sys::napi_create_uint32(env, start, &mut args[1]) },
            "napi_create_uint32",
        )?;
        ok(
            unsafe { sys::napi_create_uint32(env, end, &mut args[2]) },
            "napi_create_uint32",
        )?;
        let packed = match script::call(env, packer, &args) {
            Ok(v) => v,
            Err(thrown) => return Ok(Packed::Threw(thrown)),
        };
        let mut is_array = false;
        unsafe { sys::napi_is_array(env, packed, &mut is_array) };
        if !is_array {
            return Ok(Packed::Declined); // the packer's `null`: a malformed item
        }
        let element = |i: u32| -> std::result::Result<sys::napi_value, LoadError> {
            let mut v = ptr::null_mut();
            ok(
                unsafe { sys::napi_get_element(env, packed, i, &mut v) },
                "napi_get_element",
            )?;
            Ok(v)
        };
        let (ids, id_lens, texts, text_lens) = (element(0)?, element(1)?, element(2)?, element(3)?);
        let (Some(id_lens), Some(text_lens)) = (u32_array(env, id_lens), u32_array(env, text_lens))
        else {
            return Err(internal("reading the packed lengths"));
        };
        let (mut chunk_ids, mut chunk_texts) = (Utf16Strings::default(), Utf16Strings::default());
        if !append_utf16(env, ids, &mut chunk_ids)
            || !append_utf16(env, texts, &mut chunk_texts)
            || !chunk_ids.commit(&id_lens)
            || !chunk_texts.commit(&text_lens)
        {
            return Err(internal("reading the packed strings"));
        }
        on_chunk(chunk_ids, chunk_texts);
        start = end;
    }
    Ok(Packed::Done)
}
