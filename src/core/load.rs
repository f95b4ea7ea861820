//! One call: locate the table, open it read-only, scan the two columns in the JS SDK's order and
//! build the maps. Either the whole result or an error; never partial maps.

use super::builder::MapsBuilder;
use super::columns::{is_string_type, StrColumn};
use super::error::{ErrorCode, LoadError};
use super::lance_error::from_lance;
use super::locate::{locate, Located};
use super::maps::HashMapsData;
use futures::StreamExt;
use lance::dataset::builder::DatasetBuilder;
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
    fn check(&self, dir: &Path) -> Result<(), LoadError> {
        if self.aborted.load(Ordering::Relaxed) {
            return Err(LoadError::new(ErrorCode::Aborted, format!("{}: the call was aborted", dir.display())));
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
    if opts.batch_size == 0 {
        return Err(LoadError::new(ErrorCode::Arg, "batchSize must be at least 1"));
    }
    for (what, col) in [("idColumn", &opts.id_column), ("hashColumn", &opts.hash_column)] {
        if col.is_empty() {
            return Err(LoadError::new(ErrorCode::Arg, format!("{what} is an empty string")));
        }
    }
    let dir = match locate(path, opts.table_name.as_deref())? {
        Located::Missing(dir) => {
            return Ok(Loaded {
                data: MapsBuilder::with_capacity(0).finish(),
                table_found: false,
                version: None,
                table_dir: dir,
            })
        }
        Located::Table(dir) => dir,
    };
    control.check(&dir)?;
    let uri = dir
        .to_str()
        .ok_or_else(|| LoadError::new(ErrorCode::Arg, format!("{}: the path is not valid UTF-8", dir.display())))?;
    let mut builder = DatasetBuilder::from_uri(uri);
    if let Some(v) = opts.version {
        builder = builder.with_version(v);
    }
    let ds = builder.load().await.map_err(|e| from_lance(&e, &dir, "opening the table"))?;
    let version = ds.version().version;

    let schema = ds.schema();
    for col in [&opts.id_column, &opts.hash_column] {
        let Some(field) = schema.field(col) else {
            let names: Vec<&str> = schema.fields.iter().map(|f| f.name.as_str()).collect();
            return Err(LoadError::new(
                ErrorCode::Schema,
                format!("{}: the table has no column {col:?} (its columns: {names:?})", dir.display()),
            ));
        };
        let t = field.data_type();
        if !is_string_type(&t) {
            return Err(LoadError::new(
                ErrorCode::Schema,
                format!("{}: column {col:?} has type {t}, not a string type", dir.display()),
            ));
        }
    }

    let total = ds.count_rows(None).await.map_err(|e| from_lance(&e, &dir, "counting rows"))? as u64;
    let mut scanner = ds.scan();
    let projection: Vec<&str> = if opts.id_column == opts.hash_column {
        vec![&opts.id_column]
    } else {
        vec![&opts.id_column, &opts.hash_column]
    };
    scanner.project(&projection).map_err(|e| from_lance(&e, &dir, "projecting the columns"))?;
    scanner.batch_size(opts.batch_size);
    let mut stream = scanner.try_into_stream().await.map_err(|e| from_lance(&e, &dir, "starting the scan"))?;

    let mut maps = MapsBuilder::with_capacity(total as usize);
    let mut last_progress = 0u64;
    while let Some(batch) = stream.next().await {
        control.check(&dir)?;
        let batch = batch.map_err(|e| from_lance(&e, &dir, "reading the table"))?;
        let column = |name: &str| {
            let array = batch.column_by_name(name).ok_or_else(|| {
                LoadError::new(ErrorCode::Corrupt, format!("{}: the scan returned no column {name:?}", dir.display()))
            })?;
            StrColumn::new(array, name).map_err(|e| e.context(dir.display()))
        };
        let ids = column(&opts.id_column)?;
        let hashes = column(&opts.hash_column)?;
        if ids.null_count() > 0 {
            let i = (0..ids.len()).find(|&i| ids.get(i).is_none()).unwrap_or(0);
            return Err(LoadError::new(
                ErrorCode::NullId,
                format!(
                    "{}: row {} (in scan order) has a null {:?}; every row needs an id",
                    dir.display(),
                    maps.rows() + i as u64,
                    opts.id_column
                ),
            ));
        }
        for i in 0..ids.len() {
            maps.push_row(ids.get_non_null(i), hashes.get(i)).map_err(|e| e.context(dir.display()))?;
        }
        if let Some(progress) = &control.progress {
            if maps.rows() - last_progress >= control.progress_every.max(1) {
                last_progress = maps.rows();
                progress(maps.rows(), total);
            }
        }
    }
    control.check(&dir)?;
    if let Some(progress) = &control.progress {
        if last_progress != maps.rows() || maps.rows() == 0 {
            progress(maps.rows(), total);
        }
    }
    Ok(Loaded { data: maps.finish(), table_found: true, version: Some(version), table_dir: dir })
}
