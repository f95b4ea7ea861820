//! `options.signal` and `options.onProgress`: steering a running `buildHashMaps` from JS.
//!
//! Abort: our own `abort` listener on the signal sets a flag the scan checks between batches (napi's
//! `AbortSignal` type would replace the user's `signal.onabort`). Progress: a threadsafe function
//! whose JS side is a native trampoline that calls the user's callback and catches what it throws,
//! so a throwing callback stops the scan and rejects the promise instead of ending the process.

use crate::core::{Control, ErrorCode, LoadError};
use napi::bindgen_prelude::*;
use napi::threadsafe_function::ThreadsafeFunctionCallMode;
use napi::{JsValue, ValueType};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::Ordering;

/// `EventTarget#addEventListener` / `removeEventListener`, as called here.
type ListenerMethod<'env> =
    Function<'env, FnArgs<(&'env str, Function<'env, (), ()>)>, Unknown<'env>>;

/// What stays on the JS thread until the call settles.
#[derive(Default)]
pub struct JsSide {
    /// The signal and our listener, to remove the listener when the call settles.
    listener: Option<(ObjectRef<false>, FunctionRef<(), ()>)>,
    /// What the progress callback threw, if it did.
    pub callback_error: Rc<RefCell<Option<napi::Error>>>,
}

impl JsSide {
    /// Detaches from the signal. Called once, when the promise settles.
    pub fn finish(&self, env: &Env) {
        if let Some((signal, listener)) = &self.listener {
            let removed = (|| -> Result<()> {
                let signal = signal.get_value(env)?;
                let remove: ListenerMethod = signal.get_named_property("removeEventListener")?;
                remove.apply(signal, FnArgs::from(("abort", listener.borrow_back(env)?)))?;
                Ok(())
            })();
            // Failing to detach only leaves a listener that sets a flag nobody reads any more.
            let _ = removed;
        }
    }
}

fn arg(msg: impl Into<String>) -> LoadError {
    LoadError::new(ErrorCode::Arg, msg)
}

/// Reads `signal`, `onProgress` and `progressEvery` from the options object (if any).
pub fn from_options(
    env: &Env,
    options: Option<&Unknown>,
) -> std::result::Result<(Control, JsSide), LoadError> {
    let mut control = Control {
        progress_every: 50_000,
        ..Control::default()
    };
    let mut side = JsSide::default();
    let Some(options) = options else {
        return Ok((control, side));
    };
    if !matches!(options.get_type(), Ok(ValueType::Object)) {
        return Ok((control, side)); // `parse_options` reports a wrong type.
    }
    let obj = unsafe { Object::from_napi_value(env.raw(), options.raw()) }
        .map_err(|e| arg(format!("options: {e}")))?;

    let every: Unknown = obj
        .get_named_property("progressEvery")
        .map_err(|e| arg(format!("options.progressEvery: {e}")))?;
    match every.get_type() {
        Ok(ValueType::Undefined) | Ok(ValueType::Null) => {}
        Ok(ValueType::Number) => {
            let n = unsafe { f64::from_napi_value(env.raw(), every.raw()) }.unwrap_or(f64::NAN);
            if !(n >= 1.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0) {
                return Err(arg(format!(
                    "options.progressEvery must be a whole number of rows >= 1, got {n}"
                )));
            }
            control.progress_every = n as u64;
        }
        _ => return Err(arg("options.progressEvery must be a number")),
    }

    let signal: Unknown = obj
        .get_named_property("signal")
        .map_err(|e| arg(format!("options.signal: {e}")))?;
    match signal.get_type() {
        Ok(ValueType::Undefined) | Ok(ValueType::Null) => {}
        Ok(ValueType::Object) => side.listener = Some(watch_signal(env, &signal, &control)?),
        _ => return Err(arg("options.signal must be an AbortSignal")),
    }

    let progress: Unknown = obj
        .get_named_property("onProgress")
        .map_err(|e| arg(format!("options.onProgress: {e}")))?;
    match progress.get_type() {
        Ok(ValueType::Undefined) | Ok(ValueType::Null) => {}
        Ok(ValueType::Function) => {
            let user: Function<FnArgs<(f64, f64)>, Unknown> =
                unsafe { Function::from_napi_value(env.raw(), progress.raw()) }
                    .map_err(|e| arg(format!("options.onProgress: {e}")))?;
            let user = user
                .create_ref()
                .map_err(|e| arg(format!("options.onProgress: {e}")))?;
            let slot = side.callback_error.clone();
            let aborted = control.aborted.clone();
            let trampoline: Function<FnArgs<(f64, f64)>, ()> = env
                .create_function_from_closure("onProgress", move |ctx| {
                    if slot.borrow().is_some() {
                        return Ok(()); // it threw once already: the call is being stopped
                    }
                    let (loaded, total): (f64, f64) = (ctx.get(0)?, ctx.get(1)?);
                    if let Err(e) = user
                        .borrow_back(ctx.env)?
                        .call(FnArgs::from((loaded, total)))
                    {
                        *slot.borrow_mut() = Some(e);
                        aborted.store(true, Ordering::Relaxed);
                    }
                    Ok(())
                })
                .map_err(|e| arg(format!("options.onProgress: {e}")))?;
            let tsfn = trampoline
                .build_threadsafe_function::<FnArgs<(f64, f64)>>()
                .callee_handled::<false>()
                .build()
                .map_err(|e| arg(format!("options.onProgress: {e}")))?;
            control.progress = Some(Box::new(move |loaded, total| {
                tsfn.call(
                    FnArgs::from((loaded as f64, total as f64)),
                    ThreadsafeFunctionCallMode::NonBlocking,
                );
            }));
        }
        _ => {
            return Err(arg(
                "options.onProgress must be a function (loadedRows, totalRows) => void",
            ))
        }
    }
    Ok((control, side))
}

/// Sets `control.aborted` now if the signal is already aborted, and on its `abort` event later.
fn watch_signal(
    env: &Env,
    signal: &Unknown,
    control: &Control,
) -> std::result::Result<(ObjectRef<false>, FunctionRef<(), ()>), LoadError> {
    let not_a_signal =
        || arg("options.signal must be an AbortSignal (with `aborted` and `addEventListener`)");
    let obj =
        unsafe { Object::from_napi_value(env.raw(), signal.raw()) }.map_err(|_| not_a_signal())?;
    let aborted: Unknown = obj
        .get_named_property("aborted")
        .map_err(|_| not_a_signal())?;
    if !matches!(aborted.get_type(), Ok(ValueType::Boolean)) {
        return Err(not_a_signal());
    }
    if unsafe { bool::from_napi_value(env.raw(), aborted.raw()) }.unwrap_or(false) {
        control.aborted.store(true, Ordering::Relaxed);
    }
    let flag = control.aborted.clone();
    let listener: Function<(), ()> = env
        .create_function_from_closure("onAbort", move |_ctx| {
            flag.store(true, Ordering::Relaxed);
            Ok(())
        })
        .map_err(|e| arg(format!("options.signal: {e}")))?;
    let add: ListenerMethod = obj
        .get_named_property("addEventListener")
        .map_err(|_| not_a_signal())?;
    add.apply(obj, FnArgs::from(("abort", listener)))
        .map_err(|_| not_a_signal())?;
    let signal_ref = obj
        .create_ref::<false>()
        .map_err(|e| arg(format!("options.signal: {e}")))?;
    let listener_ref = listener
        .create_ref()
        .map_err(|e| arg(format!("options.signal: {e}")))?;
    Ok((signal_ref, listener_ref))
}
