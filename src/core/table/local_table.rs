//! Opening a local table for the scan (Linux): the manifest lance's own local path would open,
//! with the data files read through [`PageCacheReads`].
//!
//! The reads go through the `file-object-store` scheme (see [`super::page_cache_reads`]). Under
//! that scheme lance finds a table's latest manifest another way than for a plain path (a version
//! hint file, then probing upward, where a plain path reads `_versions` once), and the two can
//! differ (a stale hint above a gap in the versions). So the table is opened with a commit
//! handler that finds the latest manifest exactly as lance does for a path (the same function on
//! lance's plain local store); everything else it does is the handler lance picks for a path.

use super::page_cache_reads::{store_uri, PageCacheReads};
use lance::dataset::builder::DatasetBuilder;
use lance::table::format::{IndexMetadata, Manifest, Transaction};
use lance_io::object_store::{ObjectStore, ObjectStoreParams, WrappingObjectStore};
use lance_table::io::commit::{
    CommitError, CommitHandler, ConditionalPutCommitHandler, ManifestLocation,
    ManifestNamingScheme, ManifestWriter,
};
use object_store::path::Path;
use std::sync::Arc;

/// The builder for the local table at `dir` (`uri`, its path as text): through the page-cache
/// reads where the directory has a URI of that scheme (an absolute path), else the plain way.
pub fn local_table(dir: &std::path::Path, uri: &str) -> DatasetBuilder {
    let Some(store) = store_uri(dir) else {
        return DatasetBuilder::from_uri(uri);
    };
    let wrapper: Arc<dyn WrappingObjectStore> = Arc::new(PageCacheReads);
    DatasetBuilder::from_uri(&store)
        .with_store_params(ObjectStoreParams {
            object_store_wrapper: Some(wrapper),
            ..Default::default()
        })
        .with_commit_handler(Arc::new(PlainPathManifests))
}

/// The commit handler lance picks for a local path on Linux, [`ConditionalPutCommitHandler`],
/// except that the latest manifest is looked up on lance's plain local store: one read of
/// `_versions`, the highest version there, as for a path. (This addon only reads; `commit` is
/// that handler's own, for completeness.)
#[derive(Debug)]
struct PlainPathManifests;

#[async_trait::async_trait]
impl CommitHandler for PlainPathManifests {
    fn is_version_not_found_definitive(&self) -> bool {
        ConditionalPutCommitHandler.is_version_not_found_definitive()
    }

    fn propagate_commit_error_after_success(&self) -> bool {
        ConditionalPutCommitHandler.propagate_commit_error_after_success()
    }

    /// Where the runtime runs the load, as lance's plain path does: one read of `_versions`
    /// (on a slow disk or a network file system it holds that thread until it ends, as there),
    /// and when that read finds nothing or fails, lance's listing through the local store.
    async fn resolve_latest_location(
        &self,
        base_path: &Path,
        _object_store: &ObjectStore,
    ) -> lance::Result<ManifestLocation> {
        ConditionalPutCommitHandler
            .resolve_latest_location(base_path, &ObjectStore::local())
            .await
    }

    async fn commit(
        &self,
        manifest: &mut Manifest,
        indices: Option<Vec<IndexMetadata>>,
        base_path: &Path,
        object_store: &ObjectStore,
        manifest_writer: ManifestWriter,
        naming_scheme: ManifestNamingScheme,
        transaction: Option<Transaction>,
    ) -> Result<ManifestLocation, CommitError> {
        ConditionalPutCommitHandler
            .commit(
                manifest,
                indices,
                base_path,
                object_store,
                manifest_writer,
                naming_scheme,
                transaction,
            )
            .await
    }
}
