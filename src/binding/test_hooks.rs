//! A test-only hook: makes the next call that reaches a named site panic, so tests can prove that
//! a panic anywhere becomes an `E_INTERNAL` rejection and leaves the process and the maps usable.
//! Not exported by the public JS API, and off unless the process runs with
//! `LANCE_HASHMAPS_TEST_HOOKS=1` (read once, at the first call): in a user's process
//! `injectPanic` from `native.js` only throws.

use super::errors::guard;
use crate::core::{CodedError, ErrorCode};
use napi_derive::napi;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LazyLock, Mutex};

/// The environment variable that turns the hook on (the test scripts set it).
const SWITCH: &str = "LANCE_HASHMAPS_TEST_HOOKS";
static ENABLED: LazyLock<bool> =
    LazyLock::new(|| std::env::var_os(SWITCH).is_some_and(|v| v == "1"));

static PANIC_AT: Mutex<Option<String>> = Mutex::new(None);
/// Whether a site is set: the hot paths read only this (no lock) when no test asked for a panic.
static ARMED: AtomicBool = AtomicBool::new(false);

/// Sets (or with `null` clears) the site where the next call panics: `"load"` (the scan, on the
/// async runtime), `"plan-slice"` (a slice being planned, on the rayon pool), `"plan-finish"`
/// (merging the plan, on the rayon pool), `"plan-direct"` (a small batch planned on the JS
/// thread), `"lookup"` (a synchronous lookup), `"ids-page"` / `"map-page"` (a page of
/// `existingIds` / of `baseHashMap` or `existingChunks` read for a walk). Throws `E_ARG` unless
/// the hooks are on.
#[napi]
pub fn inject_panic(site: Option<String>) -> napi::Result<(), ErrorCode> {
    guard(|| {
        if !*ENABLED {
            return Err(CodedError::new(
                ErrorCode::Arg,
                format!("injectPanic is a test hook, off unless the process runs with {SWITCH}=1"),
            ));
        }
        let mut at = PANIC_AT.lock().unwrap_or_else(|e| e.into_inner());
        ARMED.store(site.is_some(), Ordering::Release);
        *at = site;
        Ok(())
    })
}

/// Panics if a test asked for a panic at `site` (once).
#[inline]
pub fn maybe_panic(site: &str) {
    if ARMED.load(Ordering::Acquire) {
        panic_if_at(site);
    }
}

#[cold]
fn panic_if_at(site: &str) {
    let mut at = PANIC_AT.lock().unwrap_or_else(|e| e.into_inner());
    if at.as_deref() == Some(site) {
        *at = None;
        ARMED.store(false, Ordering::Release);
        drop(at);
        panic!("panic injected by a test at {site:?}");
    }
}
