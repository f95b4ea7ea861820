//! `loadMaps`: scans a table and resolves with handles to the maps. The JS layer (`js/build-hash-maps.js`)
//! checks the arguments, wires `signal` to an [`AbortFlag`] and wraps the progress callback so
//! that it never throws; here there is only the scan and the hand-over.

use super::abort_flag::AbortFlag;
use super::errors::{from_panic, rejection};
use super::id_set::IdSet;
use super::test_hooks::maybe_panic;
use crate::core::{load, Control, HashMapsData, LoadOptions, TableIds};
use futures::FutureExt;
use napi::bindgen_prelude::*;
use napi::threadsafe_function::ThreadsafeFunctionCallMode;
use napi_derive::napi;
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::rc::Rc;
use std::sync::Arc;

/// What to read, already checked by the JS layer.
#[napi(object, object_to_js = false)]
pub struct LoadArgs {
    pub path: String,
    pub table_name: Option<String>,
    pub id_column: String,
    pub hash_column: String,
    pub version: Option<f64>,
    pub batch_size: u32,
    pub progress_every: f64,
    pub storage_options: Option<HashMap<String, String>>,
    pub wait_timeout_ms: f64,
}

/// The maps of one load, as handles for the JS classes, and what was read.
#[napi(object, object_from_js = false)]
pub struct LoadedMaps {
    pub maps: External<Arc<HashMapsData>>,
    /// existingIds' native part (the table's ids).
    pub id_set: External<Rc<IdSet>>,
    pub row_count: f64,
    pub table_found: bool,
    pub version: Option<f64>,
    /// Why a missing table may be a mistake (a `~` path, a `.lance` table name, other tables in
    /// the database), when one is visible.
    pub warning: Option<String>,
}

/// Handles over `data`: the frozen maps and a fresh id set, with their native memory reported to
/// the engine so that its GC sees what they hold.
pub fn handles(data: HashMapsData) -> (External<Arc<HashMapsData>>, External<Rc<IdSet>>) {
    let data = Arc::new(data);
    let state = TableIds::new(data.clone());
    let id_set_bytes = state.heap_bytes();
    let maps_bytes = data.heap_bytes();
    (
        External::new_with_size_hint(data, maps_bytes),
        External::new_with_size_hint(Rc::new(IdSet::new(state)), id_set_bytes),
    )
}

#[napi(ts_return_type = "Promise<LoadedMaps>")]
pub fn load_maps<'env>(
    env: &'env Env,
    args: LoadArgs,
    abort: &AbortFlag,
    on_progress: Option<Function<'env, FnArgs<(f64, f64)>, ()>>,
) -> Result<PromiseRaw<'env, LoadedMaps>> {
    let progress = match on_progress {
        Some(f) => Some(
            f.build_threadsafe_function::<FnArgs<(f64, f64)>>()
                .callee_handled::<false>()
                .build()?,
        ),
        None => None,
    };
    let control = Control {
        aborted: abort.flag.clone(),
        progress_every: args.progress_every.max(1.0) as u64,
        progress: progress.map(|tsfn| -> crate::core::table::load::ProgressFn {
            Box::new(move |loaded, total| {
                // The JS side never throws (it catches the user's callback); a call that cannot be
                // queued (the environment is closing) is dropped.
                let _ = tsfn.call(
                    FnArgs::from((loaded as f64, total as f64)),
                    ThreadsafeFunctionCallMode::NonBlocking,
                );
            })
        }),
    };
    let opts = LoadOptions {
        table_name: args.table_name,
        id_column: args.id_column,
        hash_column: args.hash_column,
        version: args.version.map(|v| v as u64),
        batch_size: args.batch_size as usize,
        storage_options: args.storage_options.unwrap_or_default(),
        wait_timeout: std::time::Duration::from_millis(args.wait_timeout_ms.max(1.0) as u64),
    };
    let path = args.path;
    // Everything the future holds is `Send` and owned by Rust: nothing of the JS thread.
    let work = async move {
        let loaded = AssertUnwindSafe(async {
            maybe_panic("load");
            load(&path, &opts, &control).await
        })
        .catch_unwind()
        .await
        .unwrap_or_else(|p| Err(from_panic(p.as_ref())));
        drop(control); // releases the progress function before the promise settles
                       // A failure settles on the JS thread too, where its error object is made with its code.
        Ok(loaded)
    };
    env.spawn_future_with_callback(work, |env, loaded| {
        let loaded = loaded.map_err(|e| rejection(env, e))?;
        let row_count = loaded.data.row_count() as f64;
        let (maps, id_set) = handles(loaded.data);
        Ok(LoadedMaps {
            maps,
            id_set,
            row_count,
            table_found: loaded.table_found,
            version: loaded.version.map(|v| v as f64),
            warning: loaded.warning,
        })
    })
}

/// Empty maps, for `planChanges` before a table exists.
#[napi(ts_return_type = "LoadedMaps")]
pub fn empty_maps() -> LoadedMaps {
    let (maps, id_set) = handles(crate::core::MapsBuilder::with_capacity(0).finish());
    LoadedMaps {
        maps,
        id_set,
        row_count: 0.0,
        table_found: false,
        version: None,
        warning: None,
    }
}
