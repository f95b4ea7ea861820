//! One call: locate the table, open it read-only, scan the two columns in the JS SDK's order and
//! build the maps. Either the whole result or an error; never partial maps.

use super::columns::StrColumn;
use super::missing_warning::missing_warning;
use super::scan::{scan_located, target};
use crate::core::error::{CodedError, ErrorCode};
use crate::core::maps::builder::MapsBuilder;
use crate::core::maps::hash_maps_data::HashMapsData;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What to read.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// With a database directory: the table's name (`<name>.lance` inside it).
    pub table_name: Option<String>,
    pub id_column: String,
    pub hash_column: String,
    /// Read this table version instead of the latest.
    pub version: Option<u64>,
    /// Rows per batch read from lance.
    pub batch_size: usize,
    /// Object-store settings (the keys of `@lancedb/lancedb`'s `storageOptions`).
    pub storage_options: std::collections::HashMap<String, String>,
    /// On an object store, the longest one step (opening, counting, the next batch) may wait.
    pub wait_timeout: std::time::Duration,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            table_name: None,
            id_column: "id".into(),
            hash_column: "text_hash".into(),
            version: None,
            batch_size: 8192,
            storage_options: Default::default(),
            wait_timeout: std::time::Duration::from_secs(60),
        }
    }
}

/// Progress callback: (rows loaded so far, rows in the table).
pub type ProgressFn = Box<dyn Fn(u64, u64) + Send + Sync>;

/// How a running load is steered from outside.
#[derive(Default)]
pub struct Control {
    /// Set to stop the scan; the load then fails with `E_ABORTED`.
    pub aborted: Arc<AtomicBool>,
    /// Called after batches, at most once per `progress_every` rows, and once at the end.
    pub progress: Option<ProgressFn>,
    pub progress_every: u64,
}

impl Control {
    pub(crate) fn check(&self) -> Result<(), CodedError> {
        if self.aborted.load(Ordering::Relaxed) {
            return Err(CodedError::new(ErrorCode::Aborted, "the call was aborted"));
        }
        Ok(())
    }
}

/// Where a load's time went (for benches: `examples/load_maps`; not shown to JS).
#[derive(Debug, Default, Clone, Copy)]
pub struct LoadTimings {
    /// From the start of the load to the first batch the scan passed on.
    pub first_batch: Duration,
    /// The builder inserting rows, in all.
    pub building: Duration,
    /// The scan waiting for room in the builder's queue, in all: the builder was the slower.
    pub scan_waiting: Duration,
}

/// The result of a load.
pub struct Loaded {
    pub data: HashMapsData,
    /// `false` when there was no table at the path (the maps are then empty).
    pub table_found: bool,
    /// The table version read.
    pub version: Option<u64>,
    /// The table's directory or URI, as read (or looked for).
    pub table_uri: String,
    /// When no table was found: why that may be a mistake, if a likely one is visible.
    pub warning: Option<String>,
    pub timings: LoadTimings,
}

/// Builds the maps for the table at `path`.
///
/// The scan (lance's decoding, on the async runtime) and the build (on a blocking thread of its
/// own) run at the same time: batches go from one to the other through a small bounded channel,
/// in scan order.
pub async fn load(path: &str, opts: &LoadOptions, control: &Control) -> Result<Loaded, CodedError> {
    // Every message names the table once, as the caller gave it.
    load_unnamed(path, opts, control)
        .await
        .map_err(|e| e.context(label(path, opts.table_name.as_deref())))
}

/// The table as the caller named it: the path (or URI), with the table name when one was given.
pub fn label(path: &str, table_name: Option<&str>) -> String {
    match table_name {
        Some(name) => format!("{path} (table {name:?})"),
        None => path.to_owned(),
    }
}

async fn load_unnamed(
    path: &str,
    opts: &LoadOptions,
    control: &Control,
) -> Result<Loaded, CodedError> {
    let (tx, rx) = tokio::sync::mpsc::channel::<(StrColumn, StrColumn)>(4);
    // The progress callback stays here; the builder reports its row counts through a channel.
    let (rows_tx, mut rows_rx) = tokio::sync::mpsc::unbounded_channel::<(u64, u64)>();
    let progress = control
        .progress
        .is_some()
        .then(|| (rows_tx, control.progress_every.max(1)));
    let located = target(path, opts)?;
    let id_column = opts.id_column.clone();
    // The row count reaches the builder before the first batch: it takes its memory while the
    // scan reads that batch.
    let (total_tx, total_rx) = tokio::sync::oneshot::channel::<u64>();
    let builder =
        tokio::task::spawn_blocking(move || build_from(total_rx, rx, &id_column, progress));
    let counted = move |total| {
        // Fails only when the builder is gone, which is reported below.
        let _ = total_tx.send(total);
    };

    let started = Instant::now();
    let mut first_batch = None;
    // Nanoseconds the scan waited for room in the builder's queue.
    let scan_waiting = Arc::new(AtomicU64::new(0));
    let scanned = scan_located(located, opts, control, counted, |_, ids, text_hashes| {
        first_batch.get_or_insert_with(|| started.elapsed());
        let tx = tx.clone();
        let waiting = Arc::clone(&scan_waiting);
        async move {
            let t = Instant::now();
            // A send fails only when the builder stopped on an error, which is reported below.
            let sent = tx.send((ids, text_hashes)).await;
            waiting.fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
            sent.map_err(|_| CodedError::new(ErrorCode::Internal, "the build stopped"))
        }
    });
    // Forward progress from the builder to the callback while the scan runs.
    let mut last_reported = 0u64;
    let scanned = {
        tokio::pin!(scanned);
        loop {
            tokio::select! {
                r = &mut scanned => break r,
                Some((loaded, total)) = rows_rx.recv(), if control.progress.is_some() => {
                    if let Some(p) = &control.progress {
                        p(loaded, total);
                        last_reported = loaded;
                    }
                }
            }
        }
    };
    drop(tx);
    let built = builder
        .await
        .map_err(|e| CodedError::new(ErrorCode::Internal, format!("the build task failed: {e}")))?;
    // The builder's own error (a null id, too large) explains a scan that stopped early.
    let ((maps, building), scanned) = match (built, scanned) {
        (Err(e), _) => return Err(e),
        (Ok(_), Err(e)) => return Err(e),
        (Ok(built), Ok(scanned)) => (built, scanned),
    };
    let timings = LoadTimings {
        first_batch: first_batch.unwrap_or_default(),
        building,
        scan_waiting: Duration::from_nanos(scan_waiting.load(Ordering::Relaxed)),
    };
    let maps = maps.unwrap_or_else(|| MapsBuilder::with_capacity(0));
    if let Some(p) = &control.progress {
        if scanned.found && (maps.rows() != last_reported || maps.rows() == 0) {
            p(maps.rows(), scanned.total_rows);
        }
    }
    Ok(Loaded {
        data: maps.finish(),
        table_found: scanned.found,
        version: scanned.version,
        warning: if scanned.no_bucket {
            Some("the bucket or container does not exist".to_owned())
        } else if scanned.found {
            None
        } else {
            missing_warning(path, opts.table_name.as_deref())
        },
        table_uri: scanned.table_uri,
        timings,
    })
}

/// Pages the builder touches ahead between two looks for a batch (~0.1 ms of page faults).
const TOUCH_PAGES: usize = 64;

/// The builder side: sized once the row count arrives (never, for a missing table or a scan that
/// failed before counting), then takes batches in order until the channel closes. While no batch
/// is waiting, it takes the page faults of its arrays ahead of the rows that will fill them.
fn build_from(
    total: tokio::sync::oneshot::Receiver<u64>,
    mut rx: tokio::sync::mpsc::Receiver<(StrColumn, StrColumn)>,
    id_column: &str,
    progress: Option<(tokio::sync::mpsc::UnboundedSender<(u64, u64)>, u64)>,
) -> Result<(Option<MapsBuilder>, Duration), CodedError> {
    use tokio::sync::mpsc::error::TryRecvError;
    // The scan counts the rows before it passes on any batch: without a count, none comes.
    let Ok(total) = total.blocking_recv() else {
        return Ok((None, Duration::ZERO));
    };
    let mut building = Duration::ZERO;
    let mut maps = MapsBuilder::for_rows(total)?;
    let mut last_progress = 0u64;
    let mut touching = true;
    loop {
        let next = match rx.try_recv() {
            Ok(batch) => Some(batch),
            Err(TryRecvError::Disconnected) => None,
            Err(TryRecvError::Empty) if touching => {
                touching = maps.touch_ahead(TOUCH_PAGES);
                continue;
            }
            Err(TryRecvError::Empty) => rx.blocking_recv(),
        };
        let Some((ids, text_hashes)) = next else {
            break;
        };
        if ids.null_count() > 0 {
            let i = (0..ids.len()).find(|&i| ids.get(i).is_none()).unwrap_or(0);
            return Err(CodedError::new(
                ErrorCode::NullId,
                format!(
                    "row {} (in scan order) has a null {id_column:?}; every row needs an id",
                    maps.rows() + i as u64
                ),
            ));
        }
        let t = Instant::now();
        maps.push_batch(&ids, &text_hashes)?;
        building += t.elapsed();
        // The rows moved the window of memory to touch on.
        touching = true;
        if let Some((tx, every)) = &progress {
            if maps.rows() - last_progress >= *every {
                last_progress = maps.rows();
                let _ = tx.send((maps.rows(), total));
            }
        }
    }
    Ok((Some(maps), building))
}
