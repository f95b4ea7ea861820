//! What a scan's errors add to lance's: the manifests of a table that cannot be opened, the files
//! of the first fragment that cannot be read, a plain sentence for a version that does not exist.

use super::lance_error::from_lance;
use super::ordered_scan::ordered_scan;
use crate::core::error::{CodedError, ErrorCode};
use futures::StreamExt;

/// The error of opening the table, with what helps: the manifests of a local table that seems
/// damaged, and a plain sentence for a version that does not exist.
pub(super) fn open_error(
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

/// The first fragment that fails to scan on its own, named by its files (only called after a scan
/// failed, to say which files are damaged).
pub(super) async fn unreadable_fragment(
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
