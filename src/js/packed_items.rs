//! The fast way in for `planChanges` items: a small JS function, compiled with `napi_run_script`
//! once per JS environment (see `script::compiled`), walks the items inside the JS engine (where property reads are JIT-compiled)
//! and joins the ids and the texts to hash into two strings, with their lengths in two
//! `Uint32Array`s. The addon then copies each joined string out with ONE napi call, instead of
//! five to eight napi calls per item, which cost more than hashing the texts.
//!
//! Anything that is not a well-formed item makes the packer give up (returns `null`); the caller
//! then reads the items one by one with `items::read_items`, which names the bad item.

use super::script;
use crate::core::utf16::JsStrings;
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

/// Reads one joined string of the packer, whose parts have `lens` UTF-16 code units. `ascii` is
/// a guess (kept per column from the previous chunk): when the text is ASCII, one UTF-8 read gives
/// one byte per code unit, half the bytes of UTF-16 and nothing to convert afterwards.
fn read_joined(
    env: sys::napi_env,
    value: sys::napi_value,
    lens: &[u32],
    ascii: &mut bool,
) -> Option<JsStrings> {
    let units: usize = lens.iter().map(|&l| l as usize).sum();
    if *ascii {
        let mut bytes: Vec<u8> = Vec::with_capacity(units + 1);
        let mut written = 0usize;
        // SAFETY: `units + 1` bytes are reserved (napi writes a NUL after the text).
        let s = unsafe {
            sys::napi_get_value_string_utf8(
                env,
                value,
                bytes.as_mut_ptr().cast(),
                units + 1,
                &mut written,
            )
        };
        if s != sys::Status::napi_ok {
            return None;
        }
        // SAFETY: napi initialised `written <= units` bytes.
        unsafe { bytes.set_len(written.min(units)) };
        // Any non-ASCII character (or lone surrogate, written as U+FFFD) needs more than one
        // byte, so exactly `units` ASCII bytes means the whole string is ASCII.
        if written == units && bytes.is_ascii() {
            return JsStrings::from_ascii(bytes, lens);
        }
        *ascii = false;
    }
    let mut out: Vec<u16> = Vec::with_capacity(units + 1);
    let mut written = 0usize;
    // SAFETY: `units + 1` code units are reserved (napi writes a NUL after the text).
    let s = unsafe {
        sys::napi_get_value_string_utf16(env, value, out.as_mut_ptr(), units + 1, &mut written)
    };
    if s != sys::Status::napi_ok || written != units {
        return None;
    }
    // SAFETY: napi initialised `written` code units.
    unsafe { out.set_len(written) };
    JsStrings::from_utf16(out, lens)
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
    mut on_chunk: impl FnMut(JsStrings, JsStrings),
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
    let Some(packer) = script::compiled(env, PACKER) else {
        return Ok(Packed::Declined); // an engine without napi_run_script: the slow path works
    };
    let mut start = 0u32;
    let (mut ascii_ids, mut ascii_texts) = (true, true);

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
        let (Some(chunk_ids), Some(chunk_texts)) = (
            read_joined(env, ids, &id_lens, &mut ascii_ids),
            read_joined(env, texts, &text_lens, &mut ascii_texts),
        ) else {
            return Err(internal("reading the packed strings"));
        };
        on_chunk(chunk_ids, chunk_texts);
        start = end;
    }
    Ok(Packed::Done)
}
