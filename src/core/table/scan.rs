//! Opening a table read-only and streaming its two columns in the JS SDK's scan order.

use super::columns::{is_string_type, StrColumn};
use super::lance_error::from_lance;
use super::load::{Control, LoadOptions};
#[cfg(target_os = "linux")]
use super::local_table::local_table;
use super::locate::{locate, Located};
use super::ordered_scan::{fragment_ranges, ordered_scan, read_ahead, ReadAhead, RANGE_ROWS};
use super::remote_options::remote_options;
use super::scan_errors::{open_error, unreadable_fragment};
use super::until_aborted::until_aborted;
use crate::core::error::{CodedError, ErrorCode};
use futures::StreamExt;
use lance::dataset::builder::DatasetBuilder;
use lance::table::format::Fragment;
use std::collections::VecDeque;

/// What a scan found.
pub struct Scanned {
    pub found: bool,
    pub version: Option<u64>,
    pub total_rows: u64,
    /// The table's directory or URI, as read (or looked for).
    pub table_uri: String,
    /// Not found because the bucket or container itself does not exist.
    pub no_bucket: bool,
}

/// Streams the id and hash columns of the table at `path` to `visit(total_rows, ids, text_hashes)`, batch
/// by batch, in scan order (each visit is awaited before the next batch is passed on). A missing
/// table is `found: false` with no batches. Errors from `visit` stop the scan.
pub async fn scan<F, Fut>(
    path: &str,
    opts: &LoadOptions,
    control: &Control,
    visit: F,
) -> Result<Scanned, CodedError>
where
    F: FnMut(u64, StrColumn, StrColumn) -> Fut,
    Fut: std::future::Future<Output = Result<(), CodedError>>,
{
    scan_located(target(path, opts)?, opts, control, |_| {}, visit).await
}

/// Checks the options and finds what `path` (with `opts.table_name`) names, creating nothing.
pub fn target(path: &str, opts: &LoadOptions) -> Result<Located, CodedError> {
    if opts.batch_size == 0 {
        return Err(CodedError::new(
            ErrorCode::Arg,
            "batchSize must be at least 1",
        ));
    }
    for (what, col) in [
        ("idColumn", &opts.id_column),
        ("hashColumn", &opts.hash_column),
    ] {
        if col.is_empty() {
            return Err(CodedError::new(
                ErrorCode::Arg,
                format!("{what} is an empty string"),
            ));
        }
    }
    locate(path, opts.table_name.as_deref())
}

/// [`scan`] of what [`target`] found; `counted(total_rows)` is called once the table is open and
/// counted, before its first batch is read.
pub async fn scan_located<F, Fut>(
    located: Located,
    opts: &LoadOptions,
    control: &Control,
    counted: impl FnOnce(u64),
    mut visit: F,
) -> Result<Scanned, CodedError>
where
    F: FnMut(u64, StrColumn, StrColumn) -> Fut,
    Fut: std::future::Future<Output = Result<(), CodedError>>,
{
    control.check()?;
    let (uri, local) = match located {
        Located::Missing(dir) => return Ok(not_found(dir.to_string_lossy().into_owned())),
        Located::Table(dir) => {
            let uri = dir
                .to_str()
                .ok_or_else(|| CodedError::new(ErrorCode::Arg, "the path is not valid UTF-8"))?
                .to_owned();
            (uri, Some(dir))
        }
        Located::Remote(uri) => (uri, None),
    };
    let table_path = std::path::PathBuf::from(&uri);
    // How long one step may wait on an object store.
    let wait = local.is_none().then_some(opts.wait_timeout);
    // A local table: on Linux, read through the page cache where it has the data (local_table.rs).
    let mut builder = match &local {
        Some(dir) => local_table(dir, &uri),
        None => DatasetBuilder::from_uri(&uri),
    };
    if local.is_none() {
        builder = builder.with_storage_options(remote_options(&opts.storage_options));
    }
    if let Some(v) = opts.version {
        builder = builder.with_version(v);
    }
    let opened = until_aborted(control, wait, builder.load()).await?;
    let ds = match opened {
        Ok(ds) => ds,
        // On an object store, "no table under this prefix" is only known now.
        Err(lance::Error::DatasetNotFound { .. }) if local.is_none() && opts.version.is_none() => {
            return Ok(not_found(uri));
        }
        // A bucket or container that does not exist: nothing is there either (the warning says so).
        Err(e) if local.is_none() && super::lance_error::http_status(&e) == Some(404) => {
            let mut missing = not_found(uri);
            missing.no_bucket = true;
            return Ok(missing);
        }
        Err(e) => return Err(open_error(&e, &table_path, local.as_deref(), opts.version)),
    };
    let version = ds.version().version;

    let schema = ds.schema();
    for col in [&opts.id_column, &opts.hash_column] {
        let Some(field) = schema.field(col) else {
            let names: Vec<&str> = schema.fields.iter().map(|f| f.name.as_str()).collect();
            return Err(CodedError::new(
                ErrorCode::Schema,
                format!("the table has no column {col:?} (its columns: {names:?})"),
            ));
        };
        let t = field.data_type();
        if !is_string_type(&t) {
            return Err(CodedError::new(
                ErrorCode::Schema,
                format!("column {col:?} has type {t}, not a string type"),
            ));
        }
    }

    let total = until_aborted(control, wait, ds.count_rows(None))
        .await?
        .map_err(|e| from_lance(&e, &table_path, "counting rows"))? as u64;
    counted(total);
    let projection: Vec<String> = if opts.id_column == opts.hash_column {
        vec![opts.id_column.clone()]
    } else {
        vec![opts.id_column.clone(), opts.hash_column.clone()]
    };
    // The fragments in scan order, in ranges of at most RANGE_ROWS rows: while one range is
    // streamed into `visit`, the next ones (one per other core) are read ahead into memory and
    // passed on once the ranges before them are. Each range is an ordered scan of its own, so the
    // batches reach `visit` in the order of one scan of the whole table, and what waits in memory
    // is at most a range per other core.
    let fragments: Vec<Fragment> = ds
        .get_fragments()
        .iter()
        .map(|f| f.metadata().clone())
        .collect();
    let cores = scan_cores();
    let ranges = (total as usize).div_ceil(RANGE_ROWS).max(cores);
    let mut ranges = fragment_ranges(fragments, ranges).into_iter();
    let first = ranges.next();
    let start = |range| read_ahead(ds.clone(), projection.clone(), opts.batch_size, range);
    // The window of reads ahead: one range per other core, started in order.
    let fill = |ahead: &mut VecDeque<ReadAhead>, ranges: &mut std::vec::IntoIter<Vec<Fragment>>| {
        while ahead.len() + 1 < cores {
            let Some(range) = ranges.next() else { break };
            ahead.push_back(start(range));
        }
    };
    // Dropping these (an error, an abort) stops the read-ahead scans.
    // On a local table the reads ahead start once the first range has given its first batch (or
    // ended), below: until then it has the cores to itself, so that batch, which the caller waits
    // for, comes sooner. On an object store the first batch waits on the network, not the cores:
    // the reads ahead start at once, their requests in flight meanwhile.
    let mut ahead: VecDeque<ReadAhead> = VecDeque::new();
    let mut ahead_started = local.is_none();
    if ahead_started {
        fill(&mut ahead, &mut ranges);
    }
    let mut stream = until_aborted(
        control,
        wait,
        ordered_scan(&ds, &projection, opts.batch_size, first),
    )
    .await?
    .map_err(|e| from_lance(&e, &table_path, "starting the scan"))?;
    let mut reading_ahead: Option<ReadAhead> = None;
    let mut passed = 0u64;
    loop {
        let batch = match &mut reading_ahead {
            None => until_aborted(control, wait, stream.next()).await?,
            Some(r) => until_aborted(control, wait, r.batches.recv()).await?,
        };
        // Not after an error: the scan stops there.
        if !ahead_started && !matches!(batch, Some(Err(_))) {
            ahead_started = true;
            fill(&mut ahead, &mut ranges);
        }
        let Some(batch) = batch else {
            // A read ahead whose task panicked ends its batches early: that is an error, not the
            // end of its range.
            if let Some(r) = &mut reading_ahead {
                if let Some(err) = r.panicked().await {
                    return Err(err);
                }
            }
            // This range is over: the next one's batches, read ahead meanwhile (or, with one
            // core, nothing is read ahead: the next range starts now); then the window of one
            // range read ahead per other core is filled again.
            match ahead.pop_front().or_else(|| ranges.next().map(start)) {
                Some(next) => {
                    reading_ahead = Some(next);
                    fill(&mut ahead, &mut ranges);
                    continue;
                }
                None => break,
            }
        };
        control.check()?;
        let batch = match batch {
            Ok(b) => b,
            Err(e) => {
                let mut err = from_lance(&e, &table_path, "reading the table");
                // The reads ahead stop before the table is read again, fragment by fragment, for
                // the damaged files; that read stops on an abort, and on an object store that
                // stops answering (the error then goes without the list).
                drop((ahead, reading_ahead, stream));
                let diagnosis = unreadable_fragment(&ds, &projection, opts.batch_size);
                match until_aborted(control, wait, diagnosis).await {
                    Ok(Some(files)) => err
                        .message
                        .push_str(&format!("; the unreadable files: {files}")),
                    Ok(None) => {}
                    Err(stopped) if stopped.code == ErrorCode::Aborted => return Err(stopped),
                    Err(_) => {}
                }
                return Err(err);
            }
        };
        let column = |name: &str| {
            let array = batch.column_by_name(name).ok_or_else(|| {
                CodedError::new(
                    ErrorCode::Corrupt,
                    format!("the scan returned no column {name:?}"),
                )
            })?;
            StrColumn::new(array, name)
        };
        let ids = column(&opts.id_column)?;
        let text_hashes = column(&opts.hash_column)?;
        passed += ids.len() as u64;
        visit(total, ids, text_hashes).await?;
    }
    control.check()?;
    // Never partial maps: the batches passed on must be every row the table counts.
    if passed != total {
        return Err(CodedError::new(
            ErrorCode::Internal,
            format!("the scan passed on {passed} rows of the {total} the table counts"),
        ));
    }
    Ok(Scanned {
        found: true,
        version: Some(version),
        total_rows: total,
        table_uri: uri,
        no_bucket: false,
    })
}

#[cfg(not(target_os = "linux"))]
fn local_table(_dir: &std::path::Path, uri: &str) -> DatasetBuilder {
    DatasetBuilder::from_uri(uri)
}

/// How many ranges of fragments are scanned at the same time: one per core, at most 4.
fn scan_cores() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4)
}

fn not_found(table_uri: String) -> Scanned {
    Scanned {
        found: false,
        version: None,
        total_rows: 0,
        table_uri,
        no_bucket: false,
    }
}
