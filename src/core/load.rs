//! One call: locate the table, open it read-only, scan the two columns in the JS SDK's order and
//! build the maps. Either the whole result or an error; never partial maps.

use super::builder::MapsBuilder;
use super::error::{ErrorCode, LoadError};
use super::maps::HashMapsData;
use super::scan::scan;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

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
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            table_name: None,
            id_column: "id".into(),
            hash_column: "text_hash".into(),
            version: None,
            batch_size: 8192,
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
    pub(crate) fn check(&self, dir: &Path) -> Result<(), LoadError> {
        if self.aborted.load(Ordering::Relaxed) {
            return Err(LoadError::new(
                ErrorCode::Aborted,
                format!("{}: the call was aborted", dir.display()),
            ));
        }
        Ok(())
    }
}

/// The result of a load.
pub struct Loaded {
    pub data: HashMapsData,
    /// `false` when there was no table at the path (the maps are then empty).
    pub table_found: bool,
    /// The table version read.
    pub version: Option<u64>,
    /// The table directory read (or looked for).
    pub table_dir: PathBuf,
}

/// Builds the maps for the table at `path`.
pub async fn load(path: &str, opts: &LoadOptions, control: &Control) -> Result<Loaded, LoadError> {
    let mut maps: Option<MapsBuilder> = None;
    let mut last_progress = 0u64;
    let scanned = scan(path, opts, control, |total, ids, hashes| {
        let maps = maps.get_or_insert_with(|| MapsBuilder::with_capacity(total as usize));
        if ids.null_count() > 0 {
            let i = (0..ids.len()).find(|&i| ids.get(i).is_none()).unwrap_or(0);
            return Err(LoadError::new(
                ErrorCode::NullId,
                format!(
                    "row {} (in scan order) has a null {:?}; every row needs an id",
                    maps.rows() + i as u64,
                    opts.id_column
                ),
            ));
        }
        for i in 0..ids.len() {
            maps.push_row(ids.get_non_null(i), hashes.get(i))?;
        }
        if let Some(progress) = &control.progress {
            if maps.rows() - last_progress >= control.progress_every.max(1) {
                last_progress = maps.rows();
                progress(maps.rows(), total);
            }
        }
        Ok(())
    })
    .await?;
    let maps = maps.unwrap_or_else(|| MapsBuilder::with_capacity(0));
    if let Some(progress) = &control.progress {
        if scanned.found && (last_progress != maps.rows() || maps.rows() == 0) {
            progress(maps.rows(), scanned.total_rows);
        }
    }
    Ok(Loaded {
        data: maps.finish(),
        table_found: scanned.found,
        version: scanned.version,
        table_dir: scanned.table_dir,
    })
}
