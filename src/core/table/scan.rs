//! Opening a table read-only and streaming its two columns in the JS SDK's scan order.

use super::columns::{is_string_type, StrColumn};
use super::lance_error::from_lance;
use super::load::{Control, LoadOptions};
#[cfg(target_os = "linux")]
use super::local_table::local_table;
use super::locate::{locate, Located};
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

/// Rows per range of fragments at most, unless one fragment has more; and the most rows of a
/// range read ahead that wait in memory, whatever its fragments' size (~15 MB of the two columns
/// of a service's table).
const RANGE_ROWS: usize = 1 << 17;

/// The bytes a scan's reads may fetch ahead of its decoding: about two ranges of the two columns
/// of a service's table.
const IO_BUFFER_BYTES: u64 = 32 << 20;

/// `fragments`, in order, cut into at most `n` ranges of about as many rows each (no range
/// empty; one range when there is one fragment).
fn fragment_ranges(fragments: Vec<Fragment>, n: usize) -> Vec<Vec<Fragment>> {
    let n = n.min(fragments.len()).max(1);
    let rows = |f: &Fragment| f.physical_rows.unwrap_or(1).max(1);
    let total: usize = fragments.iter().map(rows).sum();
    let mut out: Vec<Vec<Fragment>> = Vec::with_capacity(n);
    let mut current = Vec::new();
    let mut taken = 0usize;
    let count = fragments.len();
    for (i, f) in fragments.into_iter().enumerate() {
        taken += rows(&f);
        current.push(f);
        // Close this range once it holds its share, or when each range left needs one of the
        // fragments left.
        let left = count - i - 1;
        let ranges_left = n - out.len() - 1;
        if ranges_left > 0 && (left == ranges_left || taken * n >= total * (out.len() + 1)) {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// An ordered scan of the two columns over `fragments` (all of them when `None`).
async fn ordered_scan(
    ds: &lance::Dataset,
    projection: &[String],
    batch_size: usize,
    fragments: Option<Vec<Fragment>>,
) -> lance::Result<lance::dataset::scanner::DatasetRecordBatchStream> {
    let mut scanner = ds.scan();
    scanner.project(projection)?;
    scanner.batch_size(batch_size);
    // What lance fetches ahead of the decoding, whether or not the batches are taken (2 GiB by
    // default): a range read ahead keeps fetching while its batches wait.
    scanner.io_buffer_size(IO_BUFFER_BYTES);
    if let Some(fragments) = fragments {
        scanner.with_fragments(fragments);
    }
    scanner.try_into_stream().await
}

type Batch = lance::Result<arrow_array::RecordBatch>;

/// A range of fragments being read ahead on the runtime, its batches kept in order until the
/// ranges before it are passed on: at most [`RANGE_ROWS`] decoded rows wait, and lance fetches
/// at most [`IO_BUFFER_BYTES`] ahead of its decoding. Dropped, it stops the read.
struct ReadAhead {
    batches: tokio::sync::mpsc::Receiver<Batch>,
    task: tokio::task::JoinHandle<()>,
}

impl ReadAhead {
    /// Once its batches have run out: the panic that ended the read early, if one did.
    async fn panicked(&mut self) -> Option<CodedError> {
        match (&mut self.task).await {
            Err(e) if e.is_panic() => Some(crate::core::error::from_panic(&*e.into_panic())),
            _ => None,
        }
    }
}

impl Drop for ReadAhead {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn read_ahead(
    ds: lance::Dataset,
    projection: Vec<String>,
    batch_size: usize,
    fragments: Vec<Fragment>,
) -> ReadAhead {
    let (tx, batches) = tokio::sync::mpsc::channel(RANGE_ROWS.div_ceil(batch_size.max(1)));
    let task = tokio::spawn(async move {
        let mut stream = match ordered_scan(&ds, &projection, batch_size, Some(fragments)).await {
            Ok(s) => s,
            Err(e) => {
                let _ = tx.send(Err(e)).await;
                return;
            }
        };
        while let Some(batch) = stream.next().await {
            let failed = batch.is_err();
            // The receiver is gone: the load stopped.
            if tx.send(batch).await.is_err() || failed {
                return;
            }
        }
    });
    ReadAhead { batches, task }
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

/// The error of opening the table, with what helps: the manifests of a local table that seems
/// damaged, and a plain sentence for a version that does not exist.
fn open_error(
    e: &lance::Error,
    table_path: &std::path::Path,
    local: Option<&std::path::Path>,
    version: Option<u64>,
) -> CodedError {
    let mut err = from_lance(e, table_path, "opening the table");
    if let (ErrorCode::Corrupt, Some(dir)) = (err.code, local) {
        err.message.push_str(&format!(
            "; the manifests it may have read: {}",
            manifest_files(dir)
        ));
    }
    // The table exists (`locate` saw `_versions`, or lance found a manifest): "not found" here
    // means the requested version has no manifest.
    if let Some(v) = version {
        if matches!(
            e,
            lance::Error::DatasetNotFound { .. }
                | lance::Error::NotFound { .. }
                | lance::Error::VersionNotFound { .. }
        ) {
            err = CodedError::new(
                ErrorCode::Version,
                format!("version {v} of the table does not exist"),
            );
        }
    }
    err
}

/// How often a wait on lance (the network, for an object store) looks at the abort flag.
const ABORT_POLL: std::time::Duration = std::time::Duration::from_millis(20);

/// `fut`, or `E_ABORTED` as soon as the call is aborted while it waits (a request to an object
/// store may wait for its whole timeout otherwise), or `E_NETWORK` when it waits longer than
/// `limit` (object stores only: lance retries reads on top of the store client's own retries, so
/// a store that stops answering mid-scan could otherwise hold a call for many minutes).
async fn until_aborted<T>(
    control: &Control,
    limit: Option<std::time::Duration>,
    fut: impl std::future::Future<Output = T>,
) -> Result<T, CodedError> {
    let started = std::time::Instant::now();
    tokio::pin!(fut);
    loop {
        tokio::select! {
            out = &mut fut => return Ok(out),
            _ = tokio::time::sleep(ABORT_POLL) => {
                control.check()?;
                if let Some(limit) = limit.filter(|l| started.elapsed() > *l) {
                    return Err(CodedError::new(
                        ErrorCode::Network,
                        format!(
                            "the object store did not answer within {} ms (options.waitTimeoutMs)",
                            limit.as_millis()
                        ),
                    ));
                }
            }
        }
    }
}

/// Defaults that bound how long a call can wait on an object store, where the caller set none
/// (every other key is passed to lance as given, as `@lancedb/lancedb`'s `storageOptions` are).
pub const REMOTE_DEFAULTS: [(&str, &str); 3] = [
    // object_store's own: 5 s to connect, 30 s per request.
    ("connect_timeout", "5s"),
    ("timeout", "30s"),
    // lance's default is 180 s of retries; a call then fails within about a minute.
    ("client_retry_timeout", "30"),
];

/// The storage options for lance: the caller's, plus [`REMOTE_DEFAULTS`] where a key is absent.
pub fn remote_options(
    given: &std::collections::HashMap<String, String>,
) -> std::collections::HashMap<String, String> {
    let mut out = given.clone();
    for (k, v) in REMOTE_DEFAULTS {
        if !given.keys().any(|g| g.eq_ignore_ascii_case(k)) {
            out.insert(k.to_owned(), v.to_owned());
        }
    }
    out
}

/// The first fragment that fails to scan on its own, named by its files (only called after a scan
/// failed, to say which files are damaged).
async fn unreadable_fragment(
    ds: &lance::Dataset,
    projection: &[String],
    batch_size: usize,
) -> Option<String> {
    for fragment in ds.get_fragments() {
        let meta = fragment.metadata().clone();
        let readable = async {
            let mut stream =
                ordered_scan(ds, projection, batch_size, Some(vec![meta.clone()])).await?;
            while let Some(batch) = stream.next().await {
                batch?;
            }
            Ok::<(), lance::Error>(())
        }
        .await;
        if readable.is_err() {
            let mut files: Vec<String> = meta
                .files
                .iter()
                .map(|f| format!("data/{}", f.path))
                .collect();
            if let Some(d) = &meta.deletion_file {
                files.push(format!(
                    "_deletions/{}-{}-{}.{}",
                    meta.id,
                    d.read_version,
                    d.id,
                    d.file_type.suffix()
                ));
            }
            return Some(format!("fragment {}: {}", meta.id, files.join(", ")));
        }
    }
    None
}

/// The manifest files of the table, for a message about an unreadable manifest.
fn manifest_files(dir: &std::path::Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("_versions"))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| format!("_versions/{}", e.file_name().to_string_lossy()))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fragments(rows: &[usize]) -> Vec<Fragment> {
        rows.iter()
            .enumerate()
            .map(|(i, &r)| {
                let mut f = Fragment::new(i as u64);
                f.physical_rows = Some(r);
                f
            })
            .collect()
    }

    fn ids(ranges: &[Vec<Fragment>]) -> Vec<Vec<u64>> {
        ranges
            .iter()
            .map(|r| r.iter().map(|f| f.id).collect())
            .collect()
    }

    #[test]
    fn ranges_keep_the_order_and_split_by_rows() {
        assert_eq!(
            ids(&fragment_ranges(fragments(&[]), 2)),
            Vec::<Vec<u64>>::new()
        );
        assert_eq!(ids(&fragment_ranges(fragments(&[5]), 4)), [vec![0]]);
        assert_eq!(
            ids(&fragment_ranges(fragments(&[10, 10, 10, 10]), 2)),
            [vec![0, 1], vec![2, 3]]
        );
        assert_eq!(
            ids(&fragment_ranges(fragments(&[30, 5, 5, 5]), 2)),
            [vec![0], vec![1, 2, 3]]
        );
        assert_eq!(
            ids(&fragment_ranges(fragments(&[1, 1, 100]), 3)),
            [vec![0], vec![1], vec![2]]
        );
        assert_eq!(
            ids(&fragment_ranges(fragments(&[10, 10, 10]), 1)),
            [vec![0, 1, 2]]
        );
        // Every fragment once, in order, whatever the sizes.
        for n in 1..6 {
            let sizes: Vec<usize> = (0..23).map(|i| (i * 7919) % 97 + 1).collect();
            let ranges = fragment_ranges(fragments(&sizes), n);
            assert_eq!(ranges.len(), n);
            assert!(ranges.iter().all(|r| !r.is_empty()));
            let all: Vec<u64> = ids(&ranges).concat();
            assert_eq!(all, (0..23).collect::<Vec<u64>>());
        }
    }
}
