//! Opening a local table for the scan (Linux): the version lance's own local path would open,
//! read through [`PageCacheReads`].
//!
//! The reads go through the `file-object-store` scheme (see [`super::page_cache_reads`]). Under
//! that scheme lance finds a table's latest version another way than for a plain path (a hint
//! file, then probing upward, where a plain path lists `_versions` once), and the two can differ
//! (a stale hint above a gap in the versions). So the latest version is found first exactly as
//! the JS SDK finds it for a path, with lance's own lookup on its plain local store, and that
//! version is opened. Where that lookup fails (not a table, damaged manifests), the table is
//! opened the plain way, so every error is the one lance gives for a path.

use super::page_cache_reads::{store_uri, PageCacheReads};
use lance::dataset::builder::DatasetBuilder;
use lance_io::object_store::{ObjectStore, ObjectStoreParams};
use lance_table::io::commit::{CommitHandler, ConditionalPutCommitHandler};
use object_store::path::Path;
use std::sync::{Arc, LazyLock};

/// One wrapper for every load: lance keys its store cache by the wrapper's address.
static READS: LazyLock<Arc<PageCacheReads>> = LazyLock::new(|| Arc::new(PageCacheReads));

/// The builder for the local table at `dir` (`uri`, its path as text), at `version` or, without
/// one, at the latest version as lance finds it for a path.
pub async fn local_table(dir: &std::path::Path, uri: &str, version: Option<u64>) -> DatasetBuilder {
    let plain = || DatasetBuilder::from_uri(uri);
    let Some(store) = store_uri(dir) else {
        return plain();
    };
    let version = match version {
        Some(v) => v,
        None => match latest_version(dir).await {
            Some(v) => v,
            None => return plain(),
        },
    };
    let wrapper: Arc<dyn lance_io::object_store::WrappingObjectStore> = READS.clone();
    DatasetBuilder::from_uri(&store)
        .with_store_params(ObjectStoreParams {
            object_store_wrapper: Some(wrapper),
            ..Default::default()
        })
        .with_version(version)
}

/// The latest version of the table at `dir`, by the lookup lance makes when it opens a path
/// (the commit handler it picks for `file` on Linux, on its plain local store: one read of
/// `_versions`).
async fn latest_version(dir: &std::path::Path) -> Option<u64> {
    let base = Path::from_absolute_path(dir).ok()?;
    ConditionalPutCommitHandler
        .resolve_latest_location(&base, &ObjectStore::local())
        .await
        .ok()
        .map(|location| location.version)
}
