//! Small JS functions the addon compiles and calls: moving many values across napi one call at a
//! time costs ~50-100 ns each, while a loop inside the engine is JIT-compiled. Both ends of
//! `planChanges` use one (items in, plan out).

use napi::bindgen_prelude::*;
use std::ptr;

/// The functions compiled so far in one JS environment (napi instance data: one per main thread
/// and per worker). Kept because a function compiled anew on every call starts cold in the
/// engine's interpreter: the packer's 53 chunk calls for 430k items took 45 ms that way, about
/// 20 ms once JIT-compiled.
#[derive(Default)]
struct Compiled {
    functions: Vec<(&'static str, sys::napi_ref)>,
}

/// The function `source` (a parenthesised function expression), compiled once per environment;
/// `None` if the engine cannot (`napi_run_script` missing or failing), in which case the caller
/// takes its slower path.
pub(crate) fn compiled(env: sys::napi_env, source: &'static str) -> Option<sys::napi_value> {
    let napi_env = Env::from_raw(env);
    if napi_env
        .get_instance_data::<Compiled>()
        .ok()
        .flatten()
        .is_none()
    {
        // The references live as long as the environment; at its teardown they go with it.
        napi_env
            .set_instance_data(Compiled::default(), (), |_| {})
            .ok()?;
    }
    let cache = napi_env.get_instance_data::<Compiled>().ok().flatten()?;
    if let Some((_, r)) = cache.functions.iter().find(|(s, _)| *s == source) {
        let mut f = ptr::null_mut();
        if unsafe { sys::napi_get_reference_value(env, *r, &mut f) } == sys::Status::napi_ok
            && !f.is_null()
        {
            return Some(f);
        }
    }
    let f = compile(env, source)?;
    let mut r = ptr::null_mut();
    if unsafe { sys::napi_create_reference(env, f, 1, &mut r) } == sys::Status::napi_ok {
        cache.functions.push((source, r));
    }
    Some(f)
}

/// Compiles `source`, a parenthesised function expression; `None` if the engine cannot.
fn compile(env: sys::napi_env, source: &str) -> Option<sys::napi_value> {
    let mut text = ptr::null_mut();
    let mut f = ptr::null_mut();
    let ok = unsafe {
        sys::napi_create_string_utf8(
            env,
            source.as_ptr().cast(),
            source.len() as isize,
            &mut text,
        )
    } == sys::Status::napi_ok
        && unsafe { sys::napi_run_script(env, text, &mut f) } == sys::Status::napi_ok;
    if ok {
        Some(f)
    } else {
        take_exception(env);
        None
    }
}

/// Calls `f` with `args` (and `this` undefined). `Err` holds the thrown value, already cleared.
pub(crate) fn call(
    env: sys::napi_env,
    f: sys::napi_value,
    args: &[sys::napi_value],
) -> std::result::Result<sys::napi_value, sys::napi_value> {
    let mut undefined = ptr::null_mut();
    let mut out = ptr::null_mut();
    unsafe { sys::napi_get_undefined(env, &mut undefined) };
    let s =
        unsafe { sys::napi_call_function(env, undefined, f, args.len(), args.as_ptr(), &mut out) };
    if s == sys::Status::napi_ok {
        Ok(out)
    } else {
        Err(take_exception(env))
    }
}

/// Takes the pending exception, if any, and returns it.
pub(crate) fn take_exception(env: sys::napi_env) -> sys::napi_value {
    let mut e = ptr::null_mut();
    unsafe { sys::napi_get_and_clear_last_exception(env, &mut e) };
    e
}

/// A value already in JS, returned as is.
pub struct RawValue(pub sys::napi_value);

impl ToNapiValue for RawValue {
    unsafe fn to_napi_value(_: sys::napi_env, v: Self) -> Result<sys::napi_value> {
        Ok(v.0)
    }
}

/// A new `Uint32Array` holding `values`.
pub(crate) fn uint32_array(env: sys::napi_env, values: &[u32]) -> Result<sys::napi_value> {
    let mut data = ptr::null_mut();
    let mut buffer = ptr::null_mut();
    let mut array = ptr::null_mut();
    check_status!(unsafe {
        sys::napi_create_arraybuffer(env, values.len() * 4, &mut data, &mut buffer)
    })?;
    if !values.is_empty() {
        // SAFETY: the new buffer holds `values.len() * 4` bytes; u8 copies need no alignment.
        unsafe {
            ptr::copy_nonoverlapping(
                values.as_ptr().cast::<u8>(),
                data.cast::<u8>(),
                values.len() * 4,
            )
        };
    }
    check_status!(unsafe {
        sys::napi_create_typedarray(
            env,
            sys::TypedarrayType::uint32_array,
            values.len(),
            buffer,
            0,
            &mut array,
        )
    })?;
    Ok(array)
}
