//! `baseHashMap.get` and `baseHashMap.has` as own properties of each map: plain napi functions
//! bound to the map's data.
//!
//! Why: the service calls `get` once per item, and a call into a napi-rs class method costs about
//! 230 ns from Bun before the method does anything (napi-rs unwraps `this` and registers the
//! borrow in a process-wide table on every call); a JS `Map#get` costs about 160 ns in all. A
//! function made with `napi_create_function` and given the data pointer needs neither step: it
//! reads only the frozen [`HashMapsData`], which it keeps alive itself (an `Arc`, released by the
//! function's finalizer), so it cannot see freed or foreign memory whatever `this` it is called
//! with. The class's prototype methods stay, with the same results, for
//! `BaseHashMap.prototype.get.call(map, key)`.

use super::base_hash_map::{get_value, has_key};
use super::errors::{from_panic, to_napi};
use super::keys::{read_key, KeyBuf};
use crate::core::HashMapsData;
use napi::bindgen_prelude::*;
use std::ffi::{c_void, CStr};
use std::panic::AssertUnwindSafe;
use std::ptr;
use std::sync::Arc;

/// What a bound method does with its one argument (`None` when called without one).
type Body =
    unsafe fn(sys::napi_env, &HashMapsData, Option<sys::napi_value>) -> Result<sys::napi_value>;

/// Defines `get` and `has` on the JS object `map` (a `BaseHashMap`), bound to `data`: writable,
/// configurable and not enumerable, like the prototype methods they shadow.
pub(crate) fn bind_base_hash_map(env: &Env, map: &Object, data: &Arc<HashMapsData>) -> Result<()> {
    let get = bound_function(env, c"get", data, get_cb)?;
    let has = bound_function(env, c"has", data, has_cb)?;
    let prop = |name: &CStr, value| sys::napi_property_descriptor {
        utf8name: name.as_ptr(),
        name: ptr::null_mut(),
        method: None,
        getter: None,
        setter: None,
        value,
        attributes: sys::PropertyAttributes::writable | sys::PropertyAttributes::configurable,
        data: ptr::null_mut(),
    };
    let props = [prop(c"get", get), prop(c"has", has)];
    check_status!(unsafe {
        sys::napi_define_properties(env.raw(), map.raw(), props.len(), props.as_ptr())
    })
}

unsafe extern "C" fn get_cb(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    unsafe { run(env, info, get_body) }
}

unsafe extern "C" fn has_cb(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    unsafe { run(env, info, has_body) }
}

unsafe fn get_body(
    env: sys::napi_env,
    data: &HashMapsData,
    key: Option<sys::napi_value>,
) -> Result<sys::napi_value> {
    let mut buf: KeyBuf = [0; 256];
    let key = key.and_then(|k| unsafe { read_key(env, k, &mut buf) });
    unsafe { get_value(env, data, key) }
}

unsafe fn has_body(
    env: sys::napi_env,
    data: &HashMapsData,
    key: Option<sys::napi_value>,
) -> Result<sys::napi_value> {
    let mut buf: KeyBuf = [0; 256];
    let key = key.and_then(|k| unsafe { read_key(env, k, &mut buf) });
    unsafe { bool::to_napi_value(env, has_key(data, key)) }
}

/// A JS function named `name` that runs `cb` with `data`, and owns one count of `data`.
fn bound_function(
    env: &Env,
    name: &CStr,
    data: &Arc<HashMapsData>,
    cb: unsafe extern "C" fn(sys::napi_env, sys::napi_callback_info) -> sys::napi_value,
) -> Result<sys::napi_value> {
    let raw = Arc::into_raw(data.clone()) as *mut c_void;
    let mut f = ptr::null_mut();
    let made = unsafe {
        check_status!(sys::napi_create_function(
            env.raw(),
            name.as_ptr(),
            name.count_bytes() as isize,
            Some(cb),
            raw,
            &mut f
        ))
        .and_then(|()| {
            check_status!(sys::napi_add_finalizer(
                env.raw(),
                f,
                raw,
                Some(release),
                ptr::null_mut(),
                ptr::null_mut()
            ))
        })
    };
    if made.is_err() {
        // The function (if any) never took ownership of this count.
        drop(unsafe { Arc::from_raw(raw as *const HashMapsData) });
    }
    made.map(|()| f)
}

/// Finalizer of a bound function: gives back its count of the data.
unsafe extern "C" fn release(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    drop(unsafe { Arc::from_raw(data as *const HashMapsData) });
}

/// What every bound method's napi callback does: reads the argument and the data, runs `body`,
/// and turns an error or a panic into a thrown JS error (never an abort of the host).
#[inline(always)]
unsafe fn run(env: sys::napi_env, info: sys::napi_callback_info, body: Body) -> sys::napi_value {
    let mut argc = 1usize;
    let mut argv = [ptr::null_mut(); 1];
    let mut data: *mut c_void = ptr::null_mut();
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
    let outcome = if status != sys::Status::napi_ok || data.is_null() {
        Err(Error::new(
            Status::from(status),
            "could not read the call's arguments",
        ))
    } else {
        // SAFETY: `data` is the `Arc` count this function owns until its finalizer runs.
        let maps = unsafe { &*(data as *const HashMapsData) };
        let key = (argc > 0).then_some(argv[0]);
        std::panic::catch_unwind(AssertUnwindSafe(|| unsafe { body(env, maps, key) }))
            .unwrap_or_else(|p| Err(to_napi(&Env::from_raw(env), &from_panic(p.as_ref()))))
    };
    match outcome {
        Ok(v) => v,
        Err(e) => {
            unsafe { JsError::from(e).throw_into(env) };
            ptr::null_mut()
        }
    }
}
