//! Opening a table read-only and streaming its two columns in the JS SDK's scan order.

use super::columns::{is_string_type, StrColumn};
use super::error::{ErrorCode, LoadError};
use super::lance_error::from_lance;
use super::load::{Control, LoadOptions};
use super::locate::{locate, Located};
use futures::StreamExt;
use lance::dataset::builder::DatasetBuilder;
use std::path::PathBuf;

/// What a scan found.
pub struct Scanned {
    pub found: bool,
    pub version: Option<u64>,
    pub total_rows: u64,
    pub table_dir: PathBuf,
}

/// Streams the id and hash columns of the table at `path` to `visit(total_rows, ids, hashes)`, batch
/// by batch, in scan order (each visit is awaited before the next batch is passed on). A missing
/// table is `found: false` with no batches. Errors from `visit` stop the scan and come back with
/// the table path in front.
pub async fn scan<F, Fut>(
    path: &str,
    opts: &LoadOptions,
    control: &Control,
    visit: F,
) -> Result<Scanned, LoadError>
where
    F: FnMut(u64, StrColumn, StrColumn) -> Fut,
    Fut: std::future::Future<Output = Result<(), LoadError>>,
{
    scan_located(target(path, opts)?, opts, control, visit).await
}

/// Checks the options and finds what `path` (with `opts.table_name`) names, creating nothing.
pub fn target(path: &str, opts: &LoadOptions) -> Result<Located, LoadError> {
    if opts.batch_size == 0 {
        return Err(LoadError::new(
            ErrorCode::Arg,
            "batchSize must be at least 1",
        ));
    }
    for (what, col) in [
        ("idColumn", &opts.id_column),
        ("hashColumn", &opts.hash_column),
    ] {
        if col.is_empty() {
            return Err(LoadError::new(
                ErrorCode::Arg,
                format!("{what} is an empty string"),
            ));
        }
    }
    locate(path, opts.table_name.as_deref())
}

/// [`scan`] of what [`target`] found.
pub async fn scan_located<F, Fut>(
    located: Located,
    opts: &LoadOptions,
    control: &Control,
    mut visit: F,
) -> Result<Scanned, LoadError>
where
    F: FnMut(u64, StrColumn, StrColumn) -> Fut,
    Fut: std::future::Future<Output = Result<(), LoadError>>,
{
    let dir = match located {
        Located::Missing(dir) => {
            return Ok(Scanned {
                found: false,
                version: None,
                total_rows: 0,
                table_dir: dir,
            })
        }
        Located::Table(dir) => dir,
    };
    control.check(&dir)?;
    let uri = dir.to_str().ok_or_else(|| {
        LoadError::new(
            ErrorCode::Arg,
            format!("{}: the path is not valid UTF-8", dir.display()),
        )
    })?;
    let mut builder = DatasetBuilder::from_uri(uri);
    if let Some(v) = opts.version {
        builder = builder.with_version(v);
    }
    let ds = builder.load().await.map_err(|e| {
        let mut err = from_lance(&e, &dir, "opening the table");
        if err.code == ErrorCode::Corrupt {
            err.message.push_str(&format!(
                "; the manifests it may have read: {}",
                manifest_files(&dir)
            ));
        }
        // `locate` saw `_versions`: "not found" here means the requested version has no manifest.
        if let (Some(v), lance::Error::DatasetNotFound { .. }) = (opts.version, &e) {
            err.code = ErrorCode::Version;
            err.message = format!(
                "{}: version {v} does not exist: {}",
                dir.display(),
                err.message
            );
        }
        err
    })?;
    let version = ds.version().version;

    let schema = ds.schema();
    for col in [&opts.id_column, &opts.hash_column] {
        let Some(field) = schema.field(col) else {
            let names: Vec<&str> = schema.fields.iter().map(|f| f.name.as_str()).collect();
            return Err(LoadError::new(
                ErrorCode::Schema,
                format!(
                    "{}: the table has no column {col:?} (its columns: {names:?})",
                    dir.display()
                ),
            ));
        };
        let t = field.data_type();
        if !is_string_type(&t) {
            return Err(LoadError::new(
                ErrorCode::Schema,
                format!(
                    "{}: column {col:?} has type {t}, not a string type",
                    dir.display()
                ),
            ));
        }
    }

    let total = ds
        .count_rows(None)
        .await
        .map_err(|e| from_lance(&e, &dir, "counting rows"))? as u64;
    let mut scanner = ds.scan();
    let projection: Vec<&str> = if opts.id_column == opts.hash_column {
        vec![&opts.id_column]
    } else {
        vec![&opts.id_column, &opts.hash_column]
    };
    scanner
        .project(&projection)
        .map_err(|e| from_lance(&e, &dir, "projecting the columns"))?;
    scanner.batch_size(opts.batch_size);
    let mut stream = scanner
        .try_into_stream()
        .await
        .map_err(|e| from_lance(&e, &dir, "starting the scan"))?;

    while let Some(batch) = stream.next().await {
        control.check(&dir)?;
        let batch = match batch {
            Ok(b) => b,
            Err(e) => {
                let mut err = from_lance(&e, &dir, "reading the table");
                if let Some(files) = unreadable_fragment(&ds, &projection).await {
                    err.message
                        .push_str(&format!("; the unreadable files: {files}"));
                }
                return Err(err);
            }
        };
        let column = |name: &str| {
            let array = batch.column_by_name(name).ok_or_else(|| {
                LoadError::new(
                    ErrorCode::Corrupt,
                    format!("{}: the scan returned no column {name:?}", dir.display()),
                )
            })?;
            StrColumn::new(array, name).map_err(|e| e.context(dir.display()))
        };
        let ids = column(&opts.id_column)?;
        let hashes = column(&opts.hash_column)?;
        visit(total, ids, hashes)
            .await
            .map_err(|e| e.context(dir.display()))?;
    }
    control.check(&dir)?;
    Ok(Scanned {
        found: true,
        version: Some(version),
        total_rows: total,
        table_dir: dir,
    })
}

/// The first fragment that fails to scan on its own, named by its files (only called after a scan
/// failed, to say which files are damaged).
async fn unreadable_fragment(ds: &lance::Dataset, projection: &[&str]) -> Option<String> {
    for fragment in ds.get_fragments() {
        let meta = fragment.metadata().clone();
        let mut scanner = ds.scan();
        scanner.project(projection).ok()?;
        scanner.with_fragments(vec![meta.clone()]);
        let readable = async {
            let mut stream = scanner.try_into_stream().await?;
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
