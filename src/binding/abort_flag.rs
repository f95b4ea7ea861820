//! `AbortFlag`: the one piece of shared state between a JS `AbortSignal` and a running call. The
//! JS layer listens to the signal and calls `abort()`; the core checks the flag between batches.

use napi_derive::napi;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

#[napi]
pub struct AbortFlag {
    pub(crate) flag: Arc<AtomicBool>,
}

#[napi]
impl AbortFlag {
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        AbortFlag {
            flag: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Asks the call that holds this flag to stop; it then rejects with `E_ABORTED`.
    #[napi]
    pub fn abort(&self) {
        self.flag.store(true, Ordering::Relaxed);
    }
}
