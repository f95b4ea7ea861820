//! The per-item methods (`baseHashMap.get`/`has`, `existingChunks.get`/`has`,
//! `existingIds.has`/`delete`) as own properties of each object: plain napi functions bound to the
//! object's native data.
//!
//! Why: the service calls these once per item, and a call into a napi-rs class method costs about
//! 230 ns from Bun before the method does anything (napi-rs unwraps `this` and registers the
//! borrow in a process-wide table on every call); a JS `Map#get` costs about 160 ns in all. A
//! function made with `napi_create_function` and given the data pointer needs neither step: it
//! reads only its own count of the data (an `Arc` or `Rc`, released by the function's finalizer),
//! so it cannot see freed or foreign memory whatever `this` it is called with. The class's
//! prototype methods stay, with the same results (they share the bodies below), for
//! `BaseHashMap.prototype.get.call(map, key)`.
//!
//! One difference: a bound function taken off its object (`const get = maps.baseHashMap.get`)
//! keeps the maps' memory alive after the objects are collected, while the engine was told (by
//! their finalizers) that it was given back; it is freed when the function is collected.

use super::base_hash_map::{get_value, has_key};
use super::errors::{from_panic, to_napi};
use super::existing_chunks::chunks_value;
use super::existing_ids::{delete_id, has_id};
use super::keys::{read_key, Key, KeyBuf};
use crate::core::{HashMapsData, IdSetState};
use napi::bindgen_prelude::*;
use std::cell::RefCell;
use std::ffi::{c_void, CStr};
use std::panic::AssertUnwindSafe;
use std::ptr;
use std::rc::Rc;
use std::sync::Arc;

/// A shared pointer a bound function can own one count of, as a raw `data` pointer.
pub(crate) trait Shared {
    type Target;
    fn to_raw(&self) -> *mut c_void;
    /// # Safety
    /// `raw` came from [`Shared::to_raw`] of this type and its count is still held.
    unsafe fn borrow<'a>(raw: *mut c_void) -> &'a Self::Target;
    /// # Safety
    /// As [`Shared::borrow`]; gives the count back (once).
    unsafe fn release(raw: *mut c_void);
}

impl<T> Shared for Arc<T> {
    type Target = T;
    fn to_raw(&self) -> *mut c_void {
        Arc::into_raw(self.clone()) as *mut c_void
    }
    unsafe fn borrow<'a>(raw: *mut c_void) -> &'a T {
        unsafe { &*(raw as *const T) }
    }
    unsafe fn release(raw: *mut c_void) {
        drop(unsafe { Arc::from_raw(raw as *const T) });
    }
}

// An `Rc` is fine: a napi function runs, and is finalized, only on the thread of the env that made it.
impl<T> Shared for Rc<T> {
    type Target = T;
    fn to_raw(&self) -> *mut c_void {
        Rc::into_raw(self.clone()) as *mut c_void
    }
    unsafe fn borrow<'a>(raw: *mut c_void) -> &'a T {
        unsafe { &*(raw as *const T) }
    }
    unsafe fn release(raw: *mut c_void) {
        drop(unsafe { Rc::from_raw(raw as *const T) });
    }
}

/// One bound method: its name and what it does with its data and its key (`None` when the
/// argument is missing, not a string, or holds a lone surrogate: such a key matches nothing).
pub(crate) trait Method {
    type Data: Shared;
    const NAME: &'static CStr;
    /// # Safety
    /// `env` is the current env, on its thread.
    unsafe fn call(
        env: sys::napi_env,
        data: &<Self::Data as Shared>::Target,
        key: Option<Key>,
    ) -> Result<sys::napi_value>;
}

/// Declares a [`Method`]: `name(env, data, key) => body` on data of type `$data`.
macro_rules! method {
    ($(#[$doc:meta])* $ty:ident, $data:ty, $name:literal, |$env:ident, $target:ident, $key:ident| $body:expr) => {
        $(#[$doc])*
        pub(crate) struct $ty;
        impl Method for $ty {
            type Data = $data;
            const NAME: &'static CStr = $name;
            unsafe fn call(
                $env: sys::napi_env,
                $target: &<$data as Shared>::Target,
                $key: Option<Key>,
            ) -> Result<sys::napi_value> {
                unsafe { $body }
            }
        }
    };
}

method!(
    /// `baseHashMap.get`.
    MapGet, Arc<HashMapsData>, c"get", |env, data, key| get_value(env, data, key)
);
method!(
    /// `baseHashMap.has` and `existingChunks.has` (the same base ids).
    MapHas, Arc<HashMapsData>, c"has", |env, data, key| bool::to_napi_value(env, has_key(data, key))
);
method!(
    /// `existingChunks.get`.
    ChunksGet, Arc<HashMapsData>, c"get", |env, data, key| chunks_value(env, data, key)
);
method!(
    /// `existingIds.has`.
    IdsHas, Rc<RefCell<IdSetState>>, c"has", |env, set, key| {
        bool::to_napi_value(env, has_id(set, key))
    }
);
method!(
    /// `existingIds.delete`.
    IdsDelete, Rc<RefCell<IdSetState>>, c"delete", |env, set, key| {
        bool::to_napi_value(env, delete_id(set, key))
    }
);

/// Bound methods to define on one object.
#[derive(Default)]
pub(crate) struct Bindings(Vec<(&'static CStr, sys::napi_value)>);

impl Bindings {
    /// Adds method `M`, bound to `data`.
    pub(crate) fn with<M: Method>(mut self, env: &Env, data: &M::Data) -> Result<Self> {
        let raw = data.to_raw();
        let mut f = ptr::null_mut();
        let made = unsafe {
            check_status!(sys::napi_create_function(
                env.raw(),
                M::NAME.as_ptr(),
                M::NAME.count_bytes() as isize,
                Some(callback::<M>),
                raw,
                &mut f
            ))
            .and_then(|()| {
                check_status!(sys::napi_add_finalizer(
                    env.raw(),
                    f,
                    raw,
                    Some(release::<M::Data>),
                    ptr::null_mut(),
                    ptr::null_mut()
                ))
            })
        };
        if let Err(e) = made {
            // The function (if any) never took ownership of this count.
            unsafe { M::Data::release(raw) };
            return Err(e);
        }
        self.0.push((M::NAME, f));
        Ok(self)
    }

    /// Defines the methods on `obj`: writable, configurable and not enumerable, like the
    /// prototype methods they shadow.
    pub(crate) fn define(self, env: &Env, obj: &Object) -> Result<()> {
        let props: Vec<_> = self
            .0
            .iter()
            .map(|&(name, value)| sys::napi_property_descriptor {
                utf8name: name.as_ptr(),
                name: ptr::null_mut(),
                method: None,
                getter: None,
                setter: None,
                value,
                attributes: sys::PropertyAttributes::writable
                    | sys::PropertyAttributes::configurable,
                data: ptr::null_mut(),
            })
            .collect();
        check_status!(unsafe {
            sys::napi_define_properties(env.raw(), obj.raw(), props.len(), props.as_ptr())
        })
    }
}

/// Finalizer of a bound function: gives back its count of the data.
unsafe extern "C" fn release<D: Shared>(
    _env: sys::napi_env,
    data: *mut c_void,
    _hint: *mut c_void,
) {
    unsafe { D::release(data) };
}

/// The napi callback of bound method `M`: reads the key and the data, runs the method, and turns
/// an error or a panic into a thrown JS error (never an abort of the host).
unsafe extern "C" fn callback<M: Method>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
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
        std::panic::catch_unwind(AssertUnwindSafe(|| {
            // SAFETY: `data` is the count this function owns until its finalizer runs.
            let target = unsafe { M::Data::borrow(data) };
            let mut buf: KeyBuf = [0; 256];
            let key = (argc > 0)
                .then_some(argv[0])
                .and_then(|k| unsafe { read_key(env, k, &mut buf) });
            unsafe { M::call(env, target, key) }
        }))
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
