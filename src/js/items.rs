//! Reading `planChanges` items fast: the property keys are created once, and each string is read
//! with one napi call into a reused buffer. The generic `#[napi(object)]` conversion made about
//! twelve napi calls per item (a new key string per property, a type check, two calls per string),
//! which cost as much as hashing the texts.

use super::keys::has_unpaired_surrogate;
use crate::core::{ErrorCode, LoadError};
use napi::bindgen_prelude::*;
use napi::{JsValue, ValueType};
use std::ptr;

fn arg(msg: impl Into<String>) -> LoadError {
    LoadError::new(ErrorCode::Arg, msg)
}

const SHAPE: &str = "items must be an array of { id: string, text: string, contextText?: string }";

/// The ids of the items, and the text to hash for each (`contextText || text`). An id is `None`
/// when it holds a lone surrogate: no stored id (all from UTF-8) equals it in JS.
pub struct Items {
    pub ids: Vec<Option<String>>,
    pub texts: Vec<String>,
}

struct Reader {
    env: sys::napi_env,
    buf: Vec<u8>,
}

impl Reader {
    /// Reads the JS string `value` as UTF-8 into the buffer's whole capacity (one napi call).
    fn read_into_buf(&mut self, value: sys::napi_value) -> (sys::napi_status, usize) {
        let mut len = 0usize;
        let cap = self.buf.capacity();
        let status = unsafe {
            sys::napi_get_value_string_utf8(
                self.env,
                value,
                self.buf.as_mut_ptr().cast(),
                cap,
                &mut len,
            )
        };
        (status, len)
    }

    /// `obj[key]` as a string; `None` when it is `undefined` or `null`; an error for anything else.
    fn string(
        &mut self,
        obj: sys::napi_value,
        key: sys::napi_value,
        what: &str,
        i: u32,
    ) -> std::result::Result<Option<String>, LoadError> {
        let mut value = ptr::null_mut();
        if unsafe { sys::napi_get_property(self.env, obj, key, &mut value) } != sys::Status::napi_ok
        {
            return Err(arg(format!("{SHAPE}: items[{i}] is not an object")));
        }
        let (status, mut len) = self.read_into_buf(value);
        if status != sys::Status::napi_ok {
            let mut t = 0;
            unsafe { sys::napi_typeof(self.env, value, &mut t) };
            return if t == sys::ValueType::napi_undefined || t == sys::ValueType::napi_null {
                Ok(None)
            } else {
                Err(arg(format!("{SHAPE}: items[{i}].{what} is not a string")))
            };
        }
        if len + 1 >= self.buf.capacity() {
            // The buffer may have cut the string: ask for its length and read it again.
            unsafe {
                sys::napi_get_value_string_utf8(self.env, value, ptr::null_mut(), 0, &mut len)
            };
            self.buf.reserve(len + 1);
            len = self.read_into_buf(value).1;
        }
        // SAFETY: napi wrote `len` bytes of UTF-8 (it replaces lone surrogates with U+FFFD).
        unsafe { self.buf.set_len(len) };
        let s = String::from_utf8(self.buf.clone())
            .map_err(|_| arg(format!("items[{i}].{what}: not UTF-8")))?;
        unsafe { self.buf.set_len(0) };
        Ok(Some(s))
    }

    /// Whether the string `obj[key]` holds a lone surrogate.
    fn has_lone_surrogate(&self, obj: sys::napi_value, key: sys::napi_value) -> bool {
        let mut value = ptr::null_mut();
        unsafe { sys::napi_get_property(self.env, obj, key, &mut value) };
        has_unpaired_surrogate(self.env, value)
    }
}

/// Reads `items`.
pub fn read_items(items: &Unknown) -> std::result::Result<Items, LoadError> {
    let env = items.value().env;
    let raw = items.raw();
    let mut is_array = false;
    unsafe { sys::napi_is_array(env, raw, &mut is_array) };
    if !is_array || !matches!(items.get_type(), Ok(ValueType::Object)) {
        return Err(arg(SHAPE));
    }
    let mut len = 0u32;
    unsafe { sys::napi_get_array_length(env, raw, &mut len) };
    let key = |name: &str| -> std::result::Result<sys::napi_value, LoadError> {
        let mut v = ptr::null_mut();
        let s = unsafe {
            sys::napi_create_string_utf8(env, name.as_ptr().cast(), name.len() as isize, &mut v)
        };
        if s == sys::Status::napi_ok {
            Ok(v)
        } else {
            Err(arg("cannot create a property key"))
        }
    };
    let (k_id, k_text, k_ctx) = (key("id")?, key("text")?, key("contextText")?);
    let mut reader = Reader {
        env,
        buf: Vec::with_capacity(1024),
    };
    let mut out = Items {
        ids: Vec::with_capacity(len as usize),
        texts: Vec::with_capacity(len as usize),
    };
    for i in 0..len {
        let mut item = ptr::null_mut();
        if unsafe { sys::napi_get_element(env, raw, i, &mut item) } != sys::Status::napi_ok {
            return Err(arg(format!("{SHAPE}: cannot read items[{i}]")));
        }
        let mut t = 0;
        unsafe { sys::napi_typeof(env, item, &mut t) };
        if t != sys::ValueType::napi_object {
            return Err(arg(format!("{SHAPE}: items[{i}] is not an object")));
        }
        let id = reader
            .string(item, k_id, "id", i)?
            .ok_or_else(|| arg(format!("{SHAPE}: items[{i}].id is missing")))?;
        let text = match reader.string(item, k_ctx, "contextText", i)? {
            Some(ctx) if !ctx.is_empty() => ctx,
            _ => reader
                .string(item, k_text, "text", i)?
                .ok_or_else(|| arg(format!("{SHAPE}: items[{i}].text is missing")))?,
        };
        // napi turned any lone surrogate into U+FFFD; only then is a second look needed.
        let storable = !id.contains('\u{FFFD}') || !reader.has_lone_surrogate(item, k_id);
        out.ids.push(storable.then_some(id));
        out.texts.push(text);
    }
    Ok(out)
}
