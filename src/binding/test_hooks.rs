//! A test-only hook: makes the next call that reaches a named site panic, so tests can prove that
//! a panic anywhere becomes an `E_INTERNAL` rejection and leaves the process and the maps usable.
//! Not exported by the public JS API.

use napi_derive::napi;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

static PANIC_AT: Mutex<Option<String>> = Mutex::new(None);
/// Whether a site is set: the hot paths read only this (no lock) when no test asked for a panic.
static ARMED: AtomicBool = AtomicBool::new(false);

/// Sets (or with `null` clears) the site where the next call panics: `"load"` (the scan, on the
/// async runtime), `"plan-slice"` (a slice being planned, on the rayon pool), `"plan-finish"`
/// (merging the plan, on the rayon pool), `"plan-direct"` (a small batch planned on the JS
/// thread), `"lookup"` (a synchronous lookup), `"ids-page"` / `"map-page"` (a page of
/// `existingIds` / of `baseHashMap` or `existingChunks` read for a walk), `"compact"`
/// (`existingIds` about to give back the room of deleted ids).
#[napi]
pub fn inject_panic(site: Option<String>) {
    let mut at = PANIC_AT.lock().unwrap_or_else(|e| e.into_inner());
    ARMED.store(site.is_some(), Ordering::Release);
    *at = site;
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
