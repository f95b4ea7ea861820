//! Native functions of one key, bound to Rust data: `baseHashMap.get` / `has` and
//! `existingIds.has` / `delete`, which the JS classes call once per item of the service's loops.
//! They are made with raw Node-API rather than napi-rs closures: napi-rs's closure trampoline
//! allocates an argument vector and goes through two unwind guards and a generic return
//! conversion on every call, which made the filter loop slower (bench/README.md, "Lookups: raw
//! Node-API functions vs napi-rs closures"). Everything unsafe about them is in this file.

use super::errors::from_panic;
use super::lookups::read_key;
use super::test_hooks::maybe_panic;
use crate::core::maps::text_hash::hex_lower_bytes;
use crate::core::{CodedError, ErrorCode};
use napi::bindgen_prelude::*;
use std::ffi::{c_void, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

/// What a key function answers.
pub enum Answer<'a> {
    /// A digest, answered as its 64 lowercase hex characters, made as Latin-1 (nothing to
    /// decode). Borrowed until then: no 64-byte answer is moved through the call's layers.
    Digest(&'a [u8; 32]),
    /// UTF-8 text.
    Text(&'a str),
    Null,
    Undefined,
    Bool(bool),
}

/// The data a key function owns, and its answer for a key: the key's UTF-8 text, or `None` for a
/// key no stored id can equal (not a string, or a string with a lone surrogate).
pub trait KeyFn: 'static {
    fn answer(&self, key: Option<&[u8]>) -> std::result::Result<Answer<'_>, CodedError>;
}

/// A JS function value made by [`create_key_fn`], to be stored on an object.
pub struct KeyFnValue(sys::napi_value);

impl ToNapiValue for KeyFnValue {
    unsafe fn to_napi_value(_env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        Ok(val.0)
    }
}

/// A JS function `(key) => answer` that owns `target`: the engine drops `target` on its JS thread
/// once the function is collected (or the environment ends), so `target` may hold an `Rc`.
pub fn create_key_fn<T: KeyFn>(env: &Env, name: &str, target: T) -> Result<KeyFnValue> {
    let data: *mut T = Box::into_raw(Box::new(target));
    let mut fun = ptr::null_mut();
    // SAFETY: `env` is the env of the current call, on its JS thread. `name` is valid for
    // `name.len()` bytes during the call (the engine copies it). `call::<T>` reads its data as a
    // `*const T`, which `data` is. The engine writes the new function's handle into `fun`.
    let status = unsafe {
        sys::napi_create_function(
            env.raw(),
            name.as_ptr().cast(),
            name.len() as isize,
            Some(call::<T>),
            data.cast(),
            &mut fun,
        )
    };
    if status == sys::Status::napi_ok {
        // SAFETY: `fun` is the live handle just made, in this env; `finalize::<T>` receives `data`
        // back and frees it as the `Box<T>` it is; passing a null `result` asks for no reference.
        let status = unsafe {
            sys::napi_add_finalizer(
                env.raw(),
                fun,
                data.cast(),
                Some(finalize::<T>),
                ptr::null_mut(),
                ptr::null_mut(),
            )
        };
        if status == sys::Status::napi_ok {
            return Ok(KeyFnValue(fun));
        }
    }
    // SAFETY: `data` came from `Box::into_raw` above and was not handed to a finalizer; the
    // function (if made) is reachable from no JS value (it is dropped here, never returned), so
    // `call::<T>` can never read `data` after this.
    drop(unsafe { Box::from_raw(data) });
    Err(Error::new(
        Status::GenericFailure,
        format!("could not create the native {name} function"),
    ))
}

/// The engine's entry point of a key function.
unsafe extern "C" fn call<T: KeyFn>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    let mut argc = 1usize;
    let mut argv = [ptr::null_mut(); 1];
    let mut data: *mut c_void = ptr::null_mut();
    // SAFETY: the engine calls this on its JS thread with a live env and callback info; `argv`
    // has room for `argc` (1) handles; no `this` is asked for.
    let status = unsafe {
        sys::napi_get_cb_info(
            env,
            info,
            &mut argc,
            argv.as_mut_ptr(),
            ptr::null_mut(),
            &mut data,
        )
    };
    if status != sys::Status::napi_ok || data.is_null() {
        return throw(
            env,
            CodedError::new(ErrorCode::Internal, "a lookup lost its data"),
        );
    }
    // SAFETY: `data` is the `*mut T` that `create_key_fn` gave this function. Only
    // `finalize::<T>` frees it, and the engine runs that once the function is unreachable, so
    // never during a call of it. Access is shared (`&T`); a `T` that mutates does so through a
    // `RefCell`, which refuses re-entry.
    let target: &T = unsafe { &*data.cast::<T>() };
    let key = if argc >= 1 { argv[0] } else { ptr::null_mut() };
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        maybe_panic("lookup");
        if key.is_null() {
            return Ok(target.answer(None));
        }
        // SAFETY: `key` is the first argument handle of this call, in `env`, on its JS thread.
        unsafe { read_key(env, key, |k| target.answer(k)) }
    }));
    match outcome {
        Ok(Ok(Ok(answer))) => make(env, answer),
        Ok(Ok(Err(e))) => throw(env, e),
        // The engine failed to read the key.
        Ok(Err(e)) => throw(env, CodedError::new(ErrorCode::Internal, e.reason)),
        Err(panic) => throw(env, from_panic(panic.as_ref())),
    }
}

/// The JS value of `answer` (or a thrown error when the engine cannot make it).
#[inline]
fn make(env: sys::napi_env, answer: Answer<'_>) -> sys::napi_value {
    let mut out = ptr::null_mut();
    // SAFETY: `env` is the env of the call in progress, on its JS thread; each call reads only the
    // bytes it is given (valid for their length during the call; the engine copies them) and
    // writes one handle into `out`.
    let status = unsafe {
        match answer {
            Answer::Digest(d) => {
                let hex = hex_lower_bytes(d);
                sys::napi_create_string_latin1(env, hex.as_ptr().cast(), 64, &mut out)
            }
            Answer::Text(s) => {
                sys::napi_create_string_utf8(env, s.as_ptr().cast(), s.len() as isize, &mut out)
            }
            Answer::Null => sys::napi_get_null(env, &mut out),
            Answer::Undefined => sys::napi_get_undefined(env, &mut out),
            Answer::Bool(b) => sys::napi_get_boolean(env, b, &mut out),
        }
    };
    if status == sys::Status::napi_ok {
        out
    } else {
        throw(
            env,
            CodedError::new(ErrorCode::Internal, "could not make a lookup's answer"),
        )
    }
}

/// Throws `err` as a JS `Error` whose `code` is its code (as every binding error) and returns the
/// null handle the engine expects after a throw. An exception already pending (from a failed
/// engine call) is left as it is: Node's `napi_throw_error` would replace it.
fn throw(env: sys::napi_env, err: CodedError) -> sys::napi_value {
    let message = CString::new(err.message.replace('\0', " ")).unwrap_or_default();
    // Codes are `E_` and capitals: never a NUL.
    let code = CString::new(err.code.as_str()).unwrap_or_default();
    let mut pending = false;
    // SAFETY: `env` is the env of the call in progress, on its JS thread; the engine writes one
    // bool into `pending`. Then `code` and `message` are NUL-terminated strings alive during the
    // call (the engine copies them).
    unsafe {
        let asked = sys::napi_is_exception_pending(env, &mut pending);
        if asked != sys::Status::napi_ok || !pending {
            sys::napi_throw_error(env, code.as_ptr(), message.as_ptr());
        }
    }
    ptr::null_mut()
}

/// Frees a key function's data when the engine collects the function.
unsafe extern "C" fn finalize<T: KeyFn>(
    _env: sys::napi_env,
    data: *mut c_void,
    _hint: *mut c_void,
) {
    // SAFETY: `data` is the `Box<T>` pointer `create_key_fn` registered with exactly this one
    // finalizer; the engine calls it once, on the env's JS thread, after which the function can
    // no longer be called.
    let target = unsafe { Box::from_raw(data.cast::<T>()) };
    // A panicking drop must not unwind into the engine (it would abort the process).
    let _ = catch_unwind(AssertUnwindSafe(move || drop(target)));
}
